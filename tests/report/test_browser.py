"""The reports opened in a real headless browser (Debian's `chromium`) with the network off:
every chart image loads, the capaian table is there, and a screenshot is saved.

The test set-up installs chromium (`make browser`, or `apt-get install -y chromium`); these
tests skip, saying so, only where it is absent. The latest screenshots are also copied to
outputs/screenshots/ for people to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import ROOT
from ..report_runs import shipped, unseen

SCREENSHOTS = ROOT / "outputs" / "screenshots"
OFFLINE = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-default-apps", "--hide-scrollbars",
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--host-resolver-rules=MAP * ~NOTFOUND",
]
# Added to a copy of the page: after `load`, record how many images there are, how many did
# not load, and how many rows the capaian table has, as attributes that --dump-dom shows.
CHECK = """<script>
window.addEventListener("load", function () {
  var images = Array.prototype.slice.call(document.images);
  var broken = images.filter(function (i) { return !(i.complete && i.naturalWidth > 0); }).length;
  document.body.setAttribute("data-gambar", images.length + "/" + broken);
  var rows = document.querySelectorAll("#tabel-capaian tbody tr").length;
  document.body.setAttribute("data-baris-capaian", String(rows));
});
</script>"""


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("chromium tidak terpasang: jalankan `make browser` atau `apt-get install -y chromium`")


def _run(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([browser, *OFFLINE, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=120)


def _loaded(browser: str, html: Path, tmp_path: Path) -> dict[str, str]:
    copy = tmp_path / f"periksa-{html.name}"
    copy.write_text(html.read_text(encoding="utf-8").replace("</body>", CHECK + "\n</body>"), encoding="utf-8")
    result = _run(browser, tmp_path / "profil-dom", "--virtual-time-budget=10000", "--dump-dom", copy.as_uri())
    body = re.search(r"<body([^>]*)>", result.stdout)
    assert body, result.stderr[-2000:]
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', body.group(1)))


def _screenshot(browser: str, html: Path, tmp_path: Path, name: str) -> Path:
    shot = tmp_path / name
    result = _run(browser, tmp_path / "profil-foto", f"--screenshot={shot}", "--window-size=1280,4000", html.as_uri())
    assert shot.is_file() and shot.stat().st_size > 50_000, result.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, SCREENSHOTS / name)
    return shot


@pytest.mark.parametrize("run, year, rows, images", [(shipped, 2023, 10, 3), (unseen, 2022, 10, 2)],
                         ids=["shipped", "unseen"])
def test_annual_report_renders_offline(run, year, rows, images, tmp_path):
    browser = _chromium()
    html = run().output_dir / str(year) / f"evaluasi-tahunan-{year}.html"
    state = _loaded(browser, html, tmp_path)
    assert state["gambar"] == f"{images}/0"  # the charts (serapan only with anggaran.csv), none broken
    assert state["baris-capaian"] == str(rows)
    _screenshot(browser, html, tmp_path, f"evaluasi-tahunan-{year}-{run.__name__}.png")


def test_trend_report_renders_offline(tmp_path):
    browser = _chromium()
    html = shipped().output_dir / "tren" / "tren-2019-2023.html"
    state = _loaded(browser, html, tmp_path)
    assert state["gambar"] == "22/0"  # a trend chart and a heat map per indicator
    _screenshot(browser, html, tmp_path, "tren-2019-2023.png")


def test_index_renders_offline(tmp_path):
    browser = _chromium()
    state = _loaded(browser, shipped().output_dir / "index.html", tmp_path)
    assert state["gambar"] == "0/0"


def test_the_check_sees_a_broken_image_and_the_network_is_off(tmp_path):
    """The harness itself: an image from the network must fail to load, an embedded one must load."""
    browser = _chromium()
    fig = shipped().output_dir / "2023" / "evaluasi-tahunan-2023.html"
    embedded = re.search(r'<img alt="[^"]*" src="(data:image/png;base64,[^"]+)"', fig.read_text(encoding="utf-8"))
    page = tmp_path / "uji.html"
    page.write_text(f'<!DOCTYPE html><html><body><img src="{embedded.group(1)}">'
                    '<img src="https://example.org/gambar.png"></body></html>', encoding="utf-8")
    assert _loaded(browser, page, tmp_path)["gambar"] == "2/1"
