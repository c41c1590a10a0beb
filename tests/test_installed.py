"""iku as a kecamatan analyst gets it: a wheel built from this repository, installed
(not editable) in a fresh virtual environment outside the repository, driven from a
temporary folder by the commands of the user guide, docs/panduan.md, in the guide's order.

The guide is compiled into one shell script (`guide_script`):
- a ```sh block runs as written (the wheel's file name is replaced by the built wheel's path);
- a block after `<!-- berkas: PATH -->` is written to PATH, as the user would save it;
- a block after `<!-- keluaran: PATH -->` lists lines that PATH must hold (checked at that point);
- a ```python block after `<!-- python -->` runs with the environment's Python;
- a block after `<!-- tidak-diuji: why -->` is not run; those are listed in UNTESTED.
Commands the guide names inline (`jupyter lab`, Windows variants) are listed in INLINE.

Then the numbers: the sample project's `iku compute` table is checked against a separate,
simpler computation straight from the sample CSV files, and the HTML report and Excel file
against that table.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import yaml

from .conftest import ROOT

GUIDE = ROOT / "docs" / "panduan.md"
WHEEL_NAME = re.compile(r"iku-\d+(?:\.\d+)*-py3-none-any\.whl")
FENCE = re.compile(r"(?:<!--\s*(?P<mark>[a-z-]+)(?::\s*(?P<arg>.*?))?\s*-->\s*\n)?```(?P<lang>\w*)\n(?P<body>.*?)```",
                   re.S)
# Blocks the guide shows but a test machine cannot run (marked `tidak-diuji` in the guide).
UNTESTED = ["conda env create -f environment.yml\nconda activate iku\n"]
# Commands the guide names in its text only, and how this test covers them.
INLINE = {
    "jupyter lab": "jupyter lab --version (the server itself is not started)",
    "iku --help": "run", "iku report --help": "run",
    "py -m venv iku-env / iku-env\\Scripts\\activate / fc /b / rmdir /s /q": "Windows only; not run here",
    "$env:IKU_BATAS_MEMORI=\"1GB\"; iku validate": "Windows PowerShell only; the bash form is run",
}


def blocks(text: str) -> list[tuple[str | None, str | None, str, str]]:
    """(mark, argument, language, body) of every fenced block, in order."""
    return [(m["mark"], m["arg"], m["lang"], m["body"]) for m in FENCE.finditer(text)]


def guide_script(text: str, wheel: Path) -> str:
    """The guide as one bash script (see the module docstring)."""
    lines = ["set -euo pipefail"]
    for n, (mark, arg, lang, body) in enumerate(blocks(text), start=1):
        lines.append(f"echo '### blok {n}'")
        if mark == "tidak-diuji":
            continue
        if mark == "berkas":
            lines += [f"mkdir -p \"$(dirname '{arg}')\"", f"cat > '{arg}' <<'IKU_BLOK'", body.rstrip("\n"), "IKU_BLOK"]
        elif mark == "keluaran":
            lines += [f"grep -Fxq -- '{line}' '{arg}' || {{ echo 'tidak ada di {arg}: {line}' >&2; exit 1; }}"
                      for line in body.splitlines() if line.strip()]
        elif mark == "python" and lang == "python":
            lines += ["python - <<'IKU_BLOK'", body.rstrip("\n"), "IKU_BLOK"]
        elif mark is None and lang == "sh":
            lines.append(WHEEL_NAME.sub(str(wheel), body.rstrip("\n")))
        else:
            raise AssertionError(f"block {n} ({lang}, mark {mark!r}) has no rule: mark it in docs/panduan.md")
    lines += ["jupyter lab --version", "iku --help > /dev/null", "iku report --help > /dev/null"]
    return "\n".join(lines) + "\n"


def clean_environment(home: Path) -> dict[str, str]:
    """The environment of a new terminal: no repository virtual environment on PATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if p and not Path(p).resolve().is_relative_to(ROOT.resolve()))
    env.setdefault("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))  # a fresh venv, not a fresh download
    env["HOME"] = str(home)  # no jupyter kernels or settings of the machine's user
    env.pop("JUPYTER_PATH", None)
    return env


def build_wheel(tmp: Path) -> Path:
    """A wheel built from a copy of the working tree (the build writes nothing into the repository)."""
    source = tmp / "sumber"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "outputs", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", "tests"))
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"),
                           str(source)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = (tmp / "dist").glob("iku-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """Run the guide from an empty folder outside the repository; (work folder, output, wheel)."""
    tmp = tmp_path_factory.mktemp("terpasang")
    wheel = build_wheel(tmp)
    work = tmp / "kerja"
    work.mkdir()
    script = guide_script(GUIDE.read_text(encoding="utf-8"), wheel)
    (tmp / "panduan.sh").write_text(script, encoding="utf-8")
    done = subprocess.run(["bash", str(tmp / "panduan.sh")], cwd=work, env=clean_environment(tmp / "rumah"),
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, f"panduan gagal:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return work, done, wheel


def test_the_guide_names_the_wheel_of_the_latest_release():
    # The version comes from git tags (setuptools-scm); the latest release is CHANGELOG.md's first "## X.Y.Z".
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    release = re.search(r"^## (\d+\.\d+\.\d+)\b", changelog, re.MULTILINE).group(1)
    assert set(WHEEL_NAME.findall(GUIDE.read_text(encoding="utf-8"))) == {f"iku-{release}-py3-none-any.whl"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert set(WHEEL_NAME.findall(readme)) == {f"iku-{release}-py3-none-any.whl"}


def test_every_block_of_the_guide_is_run_or_listed_as_not_run():
    untested = [body for mark, _, _, body in blocks(GUIDE.read_text(encoding="utf-8")) if mark == "tidak-diuji"]
    assert untested == UNTESTED
    guide_script(GUIDE.read_text(encoding="utf-8"), Path("iku.whl"))  # raises on a block without a rule


def test_the_wheel_carries_notebooks_catalog_sample_and_guide(installed):
    import zipfile

    _, _, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("iku_lib/notebooks/01-evaluasi-tahunan.ipynb", "iku_lib/notebooks/02-tren.ipynb",
                 "iku_lib/data/iku.yaml", "iku_lib/contoh/desa.csv", "iku_lib/contoh/2023/pbb.csv",
                 "iku_lib/docs/panduan.md", "iku_lib/data/proyek/README.md"):
        assert name in names
    assert not [n for n in names if n.startswith("tests/") or n.endswith("README.md") and "contoh" in n]


def test_the_guide_runs_from_a_wheel_without_a_traceback(installed):
    work, done, _ = installed
    assert "Traceback" not in done.stdout + done.stderr
    assert "0 galat" in done.stdout
    assert (work / "iku-env" / "bin" / "iku").is_file()
    assert "ipykernel install" not in GUIDE.read_text(encoding="utf-8")  # no kernel registration step
    for report in ("contoh-kaloran/outputs/2023/evaluasi-tahunan-2023.html",
                   "kecamatan-sukamaju/outputs/2024/evaluasi-tahunan-2024.html",
                   "kecamatan-sukamaju/outputs/tren/tren-2024-2024.html",
                   "kecamatan-sukamaju/outputs/index.html",
                   "kecamatan-sukamaju/formulir-2024/formulir-iku-2024.xlsx",
                   "kecamatan-sukamaju/formulir-2024/realisasi-2024.xlsx",
                   "kecamatan-sukamaju/formulir-2024-per-desa/formulir-iku-2024-sukamulya.xlsx"):
        assert (work / report).is_file(), report
    assert "sama persis" in done.stdout
    # iku verify outputs/2024, after the report and the recomputation of section 10
    assert re.search(r"^cocok: .* sel di capaian-2024\.xlsx sama dengan hitungan ulang", done.stdout, re.M)
    # The API block of the guide printed the two indicators of the worked example.
    assert re.search(r"IKU-02\s+Indeks Kepuasan Masyarakat \(IKM\)\s+2024\s+82\.47", done.stdout)


def test_outside_a_project_the_installed_command_says_what_to_do(installed, tmp_path):
    work, _, _ = installed
    done = subprocess.run([str(work / "iku-env" / "bin" / "iku"), "validate"], cwd=tmp_path, capture_output=True,
                          text=True, env=clean_environment(tmp_path), timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"tidak ada proyek iku di {tmp_path}") and "iku init FOLDER" in done.stderr


# --- the numbers of the sample project, worked out separately from its CSV files ------------------

def separate_computation(raw: Path, year: int) -> dict[str, tuple[float, float, float, str]]:
    """Per indicator (nilai, target, capaian, predikat) of the sample's kecamatan, from the CSV
    files with the csv module: sums of numerators over sums of denominators; a desa missing a
    value is left out (`dikecualikan`) or counts 0 over 1 (`tidak_tercapai`)."""
    catalog = yaml.safe_load((raw / "iku.yaml").read_text(encoding="utf-8"))
    with open(raw / "desa.csv", encoding="utf-8", newline="") as fh:
        register = {r["nama_desa"]: r["kode_desa"] for r in csv.DictReader(fh)}
    values: dict[str, dict[str, float]] = {code: {} for code in register.values()}
    for path in sorted((raw / str(year)).glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                code = register.get(row["desa"], row["desa"])
                values[code].update({k: float(v) for k, v in row.items() if k != "desa" and v != ""})
    with open(raw / "target.csv", encoding="utf-8", newline="") as fh:
        targets = {(r["indikator"], int(r["tahun"])): float(r["target"]) for r in csv.DictReader(fh)
                   if not r.get("triwulan")}  # a row with a triwulan is a quarterly target (issue 14)
    bands = catalog["predikat"]
    out = {}
    for ind in catalog["indikator"]:
        num = den = 0.0
        for desa in values.values():
            n = desa.get(ind["pembilang"])
            d = 1.0 if ind["penyebut"] == "jumlah_desa" else desa.get(ind["penyebut"])
            if n is None and ind["kosong"] == "tidak_tercapai" and d is not None:
                n = 0.0
            if n is not None and d is not None:
                num, den = num + n, den + d
        nilai = num / den * ind["faktor"]
        target = targets[(ind["id"], year)]
        capaian = nilai / target * 100 if ind["polaritas"] == "positif" else max(0.0, (2 * target - nilai) / target * 100)
        predikat = next(b["label"] for b in bands if b["min"] is None or capaian >= b["min"])
        out[ind["id"]] = (nilai, target, capaian, predikat)
    return out


def test_the_sample_numbers_match_a_separate_computation(installed):
    work, _, _ = installed
    project = work / "contoh-kaloran"
    expected = separate_computation(project / "data" / "raw", 2023)
    with open(project / "outputs" / "iku-2023.csv", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["level"] == "kecamatan"]
    assert [r["indikator"] for r in rows] == list(expected)
    for r in rows:
        nilai, target, capaian, predikat = expected[r["indikator"]]
        assert float(r["nilai"]) == pytest.approx(nilai, rel=1e-12)
        assert float(r["target"]) == target
        assert float(r["capaian"]) == pytest.approx(capaian, rel=1e-12)
        assert r["predikat"] == predikat


def test_the_sample_report_shows_the_computed_numbers(installed):
    """The HTML shows each kecamatan realisasi of `iku compute` at two decimals; the Excel file
    holds it at full precision, in the unit the report shows (a percentage as 92.857..., not as
    the fraction 0.9286), under the indicator's id."""
    work, _, _ = installed
    project = work / "contoh-kaloran"
    with open(project / "outputs" / "iku-2023.csv", encoding="utf-8", newline="") as fh:
        computed = {r["indikator"]: r for r in csv.DictReader(fh) if r["level"] == "kecamatan"}
    names = {i["id"]: i["nama"] for i in yaml.safe_load((project / "data" / "raw" / "iku.yaml").read_text(
        encoding="utf-8"))["indikator"]}
    html = (project / "outputs" / "2023" / "evaluasi-tahunan-2023.html").read_text(encoding="utf-8")
    book = openpyxl.load_workbook(project / "outputs" / "2023" / "capaian-2023.xlsx")
    by_name = {row[2]: row for row in book["Capaian"].iter_rows(values_only=True) if row[2] in names.values()}
    for ident, r in computed.items():
        nilai, capaian = float(r["nilai"]), float(r["capaian"])
        shown = f"{nilai:.2f}".replace(".", ",")  # below 1.000: two decimals and a comma
        assert f'<td class="angka">{shown}</td>' in html, ident
        row = by_name[names[ident]]
        assert row[0] == ident
        assert row[5] == pytest.approx(nilai, rel=1e-12), ident
        assert row[6] == pytest.approx(capaian, rel=1e-12), ident
        assert row[7] == r["predikat"]
