"""Per-kecamatan annual reports on a multi-kecamatan register, in parallel worker processes.

The data set (tests/report_runs.make_two_kecamatan) is worked by hand here: two kecamatan of
Kabupaten Temanggung with two desa each; target.csv has targets for Kaloran (332307) in 2023
only, and general targets that belong to the top level (the kabupaten), never to a kecamatan.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from iku_lib import load_dataset
from iku_lib.report import annual
from iku_lib.report import runner as report
from iku_lib.exceptions import ParameterError

from ..conftest import ROOT, run_iku
from ..report_runs import indonesian_number, make_two_kecamatan, table_rows

EPOCH = "1700000000"  # 2023-11-14 22:13:20 UTC


@functools.cache
def data_dir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="iku-two-kec-")) / "data"
    make_two_kecamatan(path)
    return path


@functools.cache
def dataset():
    return load_dataset(data_dir())


# --- the building blocks (no kernel) ---------------------------------------------------------------

def test_areas_of_the_register_in_register_order():
    found = annual.areas(dataset(), "kecamatan")
    assert [(a.kode, a.nama, a.desa, a.parent) for a in found] == [
        ("332307", "Kaloran", ("3323070001", "3323070002"), "Kabupaten Temanggung"),
        ("332306", "Kandangan", ("3323060001", "3323060002"), "Kabupaten Temanggung")]
    assert [a.kode for a in annual.report_areas(dataset())] == ["332307", "332306"]
    assert annual.find_area(dataset(), "3323").level == "kabupaten"
    with pytest.raises(ParameterError, match="9999"):
        annual.find_area(dataset(), "9999")


def test_one_kecamatan_register_gets_no_area_reports():
    assert annual.report_areas(load_dataset(ROOT / "data" / "raw")) == []


def test_area_inputs_use_the_area_row_and_only_its_own_targets():
    kaloran = annual.annual_inputs(dataset(), 2023, "332307")
    assert kaloran.level == "kecamatan" and kaloran.area == "Kecamatan Kaloran"
    assert set(kaloran.table["kode_wilayah"]) == {"332307", "3323070001", "3323070002"}
    row = kaloran.indicators.set_index("indikator")
    # IKU-01: kegiatan_tepat_waktu 1 + 1 of 2 desa = 100 %, own target 90 -> capaian 100/90.
    assert row.loc["IKU-01", "realisasi"] == pytest.approx(100.0)
    assert row.loc["IKU-01", "target"] == 90
    assert row.loc["IKU-01", "capaian"] == pytest.approx(100 / 90 * 100)
    # IKU-02: ktp_el / wajib_ktp = (690 + 1350) / (710 + 1500); 2022: (650 + 1400) / (700 + 1500).
    assert row.loc["IKU-02", "realisasi"] == pytest.approx(2040 / 2210 * 100, rel=1e-12)
    assert row.loc["IKU-02", "realisasi_sebelumnya"] == pytest.approx(2050 / 2200 * 100, rel=1e-12)
    assert row.loc["IKU-02", "target"] == 80
    assert kaloran.meta["instansi"] == "Kantor Kecamatan Kaloran Kabupaten Temanggung"

    kandangan = annual.annual_inputs(dataset(), 2023, "332306")
    row = kandangan.indicators.set_index("indikator")
    assert row.loc["IKU-02", "realisasi"] == pytest.approx(1280 / 1400 * 100, rel=1e-12)
    assert row.loc["IKU-01", "realisasi"] == pytest.approx(50.0)
    # The general target (50) is the kabupaten's, never the kecamatan's.
    assert kandangan.indicators["target"].isna().all()
    assert kandangan.indicators["capaian"].isna().all()
    assert kandangan.meta["instansi"] == "Kantor Kecamatan Kandangan Kabupaten Temanggung"


def test_whole_register_inputs_are_the_top_level():
    whole = annual.annual_inputs(dataset(), 2023)
    assert whole.level == "kabupaten" and whole.area == "Kabupaten Temanggung"
    assert (whole.indicators["target"] == 50).all()
    # The register is a kabupaten: its title names the kabupaten, not the catalog's own kecamatan.
    assert whole.meta["instansi"] == "Kabupaten Temanggung"
    assert {k: v for k, v in whole.meta.items() if k != "instansi"} == \
        {k: v for k, v in dataset().catalog.meta.items() if k != "instansi"}


def test_missing_target_is_said_plainly():
    kandangan = annual.annual_inputs(dataset(), 2023, "332306")
    text = annual.missing_target_text(kandangan.indicators, 2023, kandangan.area, "332306")
    assert text.startswith("Berkas target.csv tidak memuat target tahun 2023 untuk Kecamatan Kandangan (kode 332306).")
    assert "tidak dipakai" in text
    kaloran = annual.annual_inputs(dataset(), 2023, "332307")
    assert annual.missing_target_text(kaloran.indicators, 2023, kaloran.area, "332307") == ""
    partial = kaloran.indicators.assign(target=[None] + [80.0] * (len(kaloran.indicators) - 1))
    assert "pada 1 indikator (IKU-01)" in annual.missing_target_text(partial, 2023, kaloran.area, "332307")
    assert annual.missing_target_text(kandangan.indicators, 2023, kandangan.area, None) == ""


def test_area_problems_are_its_own_desa_and_its_missing_targets():
    kandangan = annual.annual_inputs(dataset(), 2023, "332306")
    problems = annual.report_problems(dataset(), kandangan, 2023)
    assert not problems["kode_desa"].isin(["3323070001", "3323070002"]).any()
    # Kandangan desa 3323060001: pbb_realisasi 15.300.000 above pbb_ketetapan 15.000.000 in 2023.
    assert problems["pesan"].str.contains("pbb_realisasi \\(15.300.000\\) melebihi").any()
    missing = problems[problems["pesan"].str.contains("tidak ada target untuk Kecamatan Kandangan \\(332306\\)")]
    assert len(missing) == 11  # every indicator has a value and no target
    kaloran = annual.annual_inputs(dataset(), 2023, "332307")
    assert not annual.report_problems(dataset(), kaloran, 2023)["pesan"].astype(str).str.contains("tidak ada target").any()


def test_plan_is_one_report_per_kecamatan_per_year_then_the_trend():
    jobs, areas = report.plan(dataset(), [2022, 2023], trend=True)
    assert [(j.kind, j.year, j.kode) for j in jobs] == [
        ("annual", 2022, "332307"), ("annual", 2022, "332306"), ("annual", 2023, "332307"),
        ("annual", 2023, "332306"), ("trend", 2022, None)]
    assert [a.nama for a in areas] == ["Kaloran", "Kandangan"]
    assert report.annual_folder(Path("/o"), 2023, areas[0]) == Path("/o/kecamatan/332307/2023")
    assert report.annual_folder(Path("/o"), 2023) == Path("/o/2023")


def test_batch_time_from_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert report.batch_time() == datetime.datetime.fromtimestamp(1700000000)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "kemarin")
    with pytest.raises(ParameterError, match="SOURCE_DATE_EPOCH"):
        report.batch_time()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert report.batch_time().microsecond == 0
    assert annual.parse_run_time("2023-11-14T10:00:00") == datetime.datetime(2023, 11, 14, 10)


# --- kernel start-up: bounded retries --------------------------------------------------------------

def _fake_papermill(monkeypatch, failures: int, error: Exception):
    import papermill

    calls = []

    def fake(input_path, output_path, **kwargs):
        calls.append(kwargs["start_timeout"])
        if len(calls) <= failures:
            Path(output_path).write_text("half", encoding="utf-8")
            raise error
        nb = nbformat.v4.new_notebook()
        nbformat.write(nb, output_path)

    monkeypatch.setattr(papermill, "execute_notebook", fake)
    monkeypatch.setattr(report, "START_BACKOFF", 0.0)
    return calls


def test_a_kernel_that_fails_to_start_is_started_again(monkeypatch, tmp_path):
    calls = _fake_papermill(monkeypatch, 2, RuntimeError("Kernel died before replying to kernel_info"))
    out = report.execute(Path("x.ipynb"), tmp_path / "out.ipynb", {})
    assert len(calls) == 3 and all(t == report.START_TIMEOUT for t in calls)
    assert nbformat.read(out, as_version=4).cells == []


def test_kernel_start_retries_are_bounded(monkeypatch, tmp_path):
    calls = _fake_papermill(monkeypatch, 99, RuntimeError("Kernel didn't respond in 120 seconds"))
    with pytest.raises(report.NotebookError, match="gagal dimulai setelah 3 percobaan"):
        report.execute(Path("x.ipynb"), tmp_path / "out.ipynb", {})
    assert len(calls) == 3
    assert not (tmp_path / "out.ipynb").exists()


def test_a_failing_cell_is_not_retried(monkeypatch, tmp_path):
    from papermill.exceptions import PapermillExecutionError

    nb = tmp_path / "x.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1/0")]), nb)
    calls = _fake_papermill(monkeypatch, 99, PapermillExecutionError(0, 1, "1/0", "ZeroDivisionError", "x", []))
    with pytest.raises(report.NotebookError, match="sel ke-1"):
        report.execute(nb, tmp_path / "out.ipynb", {})
    assert len(calls) == 1


def test_jobs_must_be_at_least_one():
    result = run_iku("report", "--year", "2023", "--data-dir", str(data_dir()), "--output-dir",
                     str(data_dir().parent / "nol"), "--jobs", "0")
    assert result.returncode == 1 and "--jobs harus paling sedikit 1" in result.stderr


# --- serial and parallel batches through papermill -------------------------------------------------

def _report(out: Path, jobs: int) -> subprocess.CompletedProcess:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    return subprocess.run([sys.executable, "-m", "iku_lib", "report", "--year", "2023", "--data-dir", str(data_dir()),
                           "--output-dir", str(out), "--jobs", str(jobs)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=600)


@functools.cache
def batches() -> tuple[Path, Path, subprocess.CompletedProcess, subprocess.CompletedProcess]:
    root = data_dir().parent
    serial, parallel = root / "serial", root / "parallel"
    return serial, parallel, _report(serial, 1), _report(parallel, 2)


def test_parallel_batch_reports_progress_and_succeeds():
    _, _, one, two = batches()
    for result in (one, two):
        assert result.returncode == 0, result.stderr
        assert result.stderr == "", result.stderr
        for i, name in ((1, "Kaloran"), (2, "Kandangan")):
            assert f"[{i}/2] evaluasi tahunan 2023 – Kecamatan {name} ..." in result.stdout
            assert re.search(rf"\[{i}/2\] evaluasi tahunan 2023 – Kecamatan {name}: selesai dalam [\d,]+ detik",
                             result.stdout)


def test_serial_and_parallel_batches_make_the_same_files():
    """Same = the same set of files; every HTML, xlsx and the index byte for byte; each executed
    notebook equal once the run's timings and output folder are left out (comparable_notebook)."""
    serial, parallel, _, _ = batches()
    files = sorted(p.relative_to(serial) for p in serial.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(parallel) for p in parallel.rglob("*") if p.is_file())
    word = ("laporan-kinerja-2023.docx",) if report.word_writer() is not None else ()  # the chapter in Word
    assert {str(p) for p in files} == {
        "index.html", *(f"kecamatan/{k}/2023/{n}" for k in ("332306", "332307")
                        for n in ("evaluasi-tahunan-2023.html", "evaluasi-tahunan-2023.ipynb", "capaian-2023.xlsx",
                                  "provenance.json",
                                  *word))}
    for rel in files:
        if rel.suffix == ".ipynb":
            assert report.comparable_notebook(serial / rel) == report.comparable_notebook(parallel / rel), rel
        else:
            assert (serial / rel).read_bytes() == (parallel / rel).read_bytes(), rel


def test_index_groups_the_reports_by_kecamatan():
    serial, _, _, _ = batches()
    index = (serial / "index.html").read_text(encoding="utf-8")
    assert '<h3 id="kecamatan-332306">Kecamatan Kandangan (332306)</h3>' in index
    assert '<h3 id="kecamatan-332307">Kecamatan Kaloran (332307)</h3>' in index
    assert 'href="kecamatan/332307/2023/evaluasi-tahunan-2023.html"' in index
    assert "Diperbarui: 14 November 2023" in index
    # The register is a kabupaten: the index is headed by it, not by the catalog's own office.
    assert '<p class="instansi">Kabupaten Temanggung</p>' in index
    assert "Kantor Kecamatan Kaloran Kabupaten Temanggung" not in index


def _capaian(html: Path) -> dict[str, dict[str, str]]:
    """Capaian table rows by indicator name (the merged Sasaran Strategis cell shortens some
    rows, so cells are read from the right)."""
    rows = table_rows(html.read_text(encoding="utf-8"), "tabel-capaian")
    tail = rows[0][-6:]
    return {r[-6]: dict(zip(tail, r[-6:])) for r in rows[1:]}


def test_kecamatan_report_shows_its_own_numbers_and_target():
    serial, _, _, _ = batches()
    html = serial / "kecamatan/332307/2023/evaluasi-tahunan-2023.html"
    text = html.read_text(encoding="utf-8")
    assert "Kecamatan Kaloran · Tahun 2023" in text and "tidak memuat target" not in text
    ktp = next(r for name, r in _capaian(html).items() if "KTP" in name)
    assert indonesian_number(ktp["Realisasi"]) == Decimal("92.31")  # 2040 / 2210
    assert indonesian_number(ktp["Target"]) == 80
    assert indonesian_number(ktp["Capaian (%)"]) == Decimal("115.38")  # 92.3077 / 80


def test_kecamatan_without_target_says_so_and_shows_no_capaian():
    serial, _, _, _ = batches()
    html = serial / "kecamatan/332306/2023/evaluasi-tahunan-2023.html"
    text = html.read_text(encoding="utf-8")
    assert "Berkas target.csv tidak memuat target tahun 2023 untuk Kecamatan Kandangan (kode 332306)" in text
    assert "Kantor Kecamatan Kandangan Kabupaten Temanggung" in text
    table = _capaian(html)
    assert len(table) == 10
    assert all(r["Target"] == "–" and r["Capaian (%)"] == "–" and r["Predikat"] == "–" for r in table.values())
    ktp = next(r for name, r in table.items() if "KTP" in name)
    assert indonesian_number(ktp["Realisasi"]) == Decimal("91.43")  # 1280 / 1400
    # The Excel export is the same area's table.
    xlsx = pd.read_excel(serial / "kecamatan/332306/2023/capaian-2023.xlsx", sheet_name="Rincian Desa", engine="openpyxl")
    assert set(xlsx["Kode Wilayah"].astype(str)) == {"3323060001", "3323060002"}
