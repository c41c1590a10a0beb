"""`iku verify` on a real report: the Kaloran sample project (`iku init --contoh`), its 2023
report made once for this module by `iku report` (about 10 s), then each test on a copy of the
project, with one thing changed."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from iku_lib import __version__
from iku_lib.cli import main as cli

from ..conftest import run_iku


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """A sample project with its 2023 report in outputs/2023 (the report is made once)."""
    root = tmp_path_factory.mktemp("verify") / "kaloran"
    done = run_iku("init", "--contoh", str(root))
    assert done.returncode == 0, done.stderr
    done = run_iku("report", "--year", "2023", "--jobs", "1", cwd=root)
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture
def project(made, tmp_path, monkeypatch) -> Path:
    """A copy of the project, as the working directory."""
    copy = tmp_path / "kaloran"
    shutil.copytree(made, copy)
    monkeypatch.chdir(copy)
    return copy


def verify(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["verify", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_untouched_report_matches(project, capsys):
    record = json.loads((project / "outputs/2023/provenance.json").read_text(encoding="utf-8"))
    # Every data file at the top of data/raw and in each year folder (README.md carries no data): the
    # 2023 report read 2019-2022 too (outlier check, multi-year table). Sorted, each with its hash.
    raw = project / "data" / "raw"
    paths = [f["path"] for f in record["files"]]
    top = [p for p in raw.iterdir() if p.is_file() and p.name != "README.md"]
    years = [p for y in range(2019, 2024) for p in (raw / str(y)).iterdir() if p.is_file()]
    assert {p.relative_to(raw).as_posix() for p in top + years} <= set(paths) and paths == sorted(paths)
    assert all(f["sha256"] == sha(raw / f["path"]) for f in record["files"])
    assert record["iku"] == __version__ and record["catalog"]["path"] == "iku.yaml"
    code, out, err = verify(capsys, "outputs/2023")
    assert code == 0 and err == ""
    last = out.strip().splitlines()[-1]
    assert re.fullmatch(r"cocok: [\d.]+ sel di capaian-2023\.xlsx sama dengan hitungan ulang dari data sekarang; "
                        rf"{len(paths)} berkas data tidak berubah", last), last


def test_one_raw_cell_edited_names_the_file_and_the_figures(project, capsys):
    data = project / "data" / "raw" / "2023" / "kependudukan.csv"
    before = sha(data)
    text = data.read_text(encoding="utf-8")
    assert "\nGandulan,3085,2311,2273\n" in text
    data.write_text(text.replace("\nGandulan,3085,2311,2273\n", "\nGandulan,3085,2311,2200\n"), encoding="utf-8")
    code, out, err = verify(capsys, "outputs/2023")
    assert code == 1
    assert (f"  berubah: 2023/kependudukan.csv (SHA-256 saat laporan dibuat {before[:12]}…, "
            f"sekarang {sha(data)[:12]}…)") in out
    # IKU-02, KTP-el coverage = ktp_el / wajib_ktp x 100. Gandulan: 2273 -> 2200 of 2311.
    assert ("  Rincian Desa · IKU-02 · 3323070001 Gandulan · kolom Pembilang: di laporan 2273, hitungan ulang 2200"
            in out)
    nilai = re.search(r"Rincian Desa · IKU-02 · 3323070001 Gandulan · kolom Nilai: di laporan ([\d,]+), "
                      r"hitungan ulang ([\d,]+)", out)
    assert float(nilai[1].replace(",", ".")) == pytest.approx(2273 / 2311 * 100, rel=1e-12)  # 98.3557
    assert float(nilai[2].replace(",", ".")) == pytest.approx(2200 / 2311 * 100, rel=1e-12)  # 95.1969
    # The kecamatan: the sums of all desa, with 73 fewer KTP-el (2273 - 2200).
    rows = list(csv.DictReader(text.splitlines()))
    ktp_el, wajib = sum(int(r["ktp_el"]) for r in rows), sum(int(r["wajib_ktp"]) for r in rows)
    realisasi = re.search(r"  Capaian · IKU-02 · 3323070 Kaloran · kolom Realisasi: di laporan ([\d,]+), "
                          r"hitungan ulang ([\d,]+)", out)
    assert float(realisasi[1].replace(",", ".")) == pytest.approx(ktp_el / wajib * 100, rel=1e-12)
    assert float(realisasi[2].replace(",", ".")) == pytest.approx((ktp_el - 73) / wajib * 100, rel=1e-12)
    assert "  Capaian · IKU-02 · 3323070 Kaloran · kolom Capaian (%): di laporan " in out
    # Only IKU-02 moved: every cell named is one of its.
    cells = [line for line in out.splitlines() if " · kolom " in line]
    assert cells and all(" · IKU-02 · " in line for line in cells), cells
    assert out.strip().splitlines()[-1].startswith(f"tidak cocok: {len(cells)} sel berbeda dari ")
    assert out.strip().splitlines()[-1].endswith("; 1 berkas data berubah sejak laporan dibuat")


def test_a_data_file_gone(project, capsys):
    gone = project / "data" / "raw" / "2023" / "trantib.csv"
    recorded = sha(gone)
    gone.unlink()
    code, out, err = verify(capsys, "outputs/2023")
    assert code == 1
    assert (f"  hilang: 2023/trantib.csv (SHA-256 saat laporan dibuat {recorded[:12]}…; berkas itu tidak ada lagi)"
            in out)
    # Its three columns (tindak_kriminal for IKU-09; laporan_kejadian, laporan_ditindaklanjuti for IKU-10)
    # are now in no 2023 file: three errors, so the report cannot be computed again.
    for column in ("tindak_kriminal", "laporan_kejadian", "laporan_ditindaklanjuti"):
        assert f"tidak ada berkas tahun 2023 yang memuat kolom {column}" in err
    assert err.strip().splitlines()[-1].startswith("tidak dapat diperiksa: data sekarang memuat 3 galat")


def test_a_report_made_by_another_iku_version_is_said_and_still_compared(project, capsys):
    path = project / "outputs" / "2023" / "provenance.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["iku"] = "0.1.0"
    path.write_text(json.dumps(record, indent=2), encoding="utf-8")
    code, out, err = verify(capsys, str(project / "outputs" / "2023"))
    assert code == 0 and out.strip().splitlines()[-1].startswith("cocok: ")
    assert err.startswith(f"peringatan: laporan dibuat dengan iku 0.1.0, yang terpasang iku {__version__}; ")


def test_data_with_an_error_now_is_said_with_the_changed_file(project, capsys):
    data = project / "data" / "raw" / "2023" / "pbb.csv"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("\nGandulan,91672588,", "\nGandulan,sembilan puluh,"), encoding="utf-8")
    code, out, err = verify(capsys, "outputs/2023")
    assert code == 1
    assert "  berubah: 2023/pbb.csv (SHA-256 saat laporan dibuat " in out
    assert "2023/pbb.csv" in err and "sembilan puluh" in err
    assert err.strip().splitlines()[-1].startswith("tidak dapat diperiksa: data sekarang memuat 1 galat")


def test_no_provenance_file_is_said_in_one_line_without_a_traceback(made, tmp_path):
    folder = tmp_path / "2023"
    shutil.copytree(made / "outputs" / "2023", folder)
    (folder / "provenance.json").unlink()
    done = run_iku("verify", str(folder), cwd=made)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == (f"{folder / 'provenance.json'} tidak ada: laporan ini tidak membawa catatan asal-usulnya "
                           "(dibuat oleh iku versi lama, atau provenance.json tidak ikut disalin), sehingga tidak "
                           "dapat diperiksa; buat ulang laporannya dengan `iku report`\n")
