"""The quarterly monitoring report (issue 14): `iku report --year Y --triwulan N`, its model,
early warning, Excel workbook and index link; the quarterly path in the annual report; quarter
data in `iku validate`; the provenance of `iku compute --triwulan --out`.

Expectations are worked by hand from the files, not copied from the code.

The Kaloran sample, 2023, to the end of quarter II (data/raw/2023/triwulan-1, triwulan-2):

- IKU-01 kegiatan_tepat_waktu (flag, stok) / jumlah_desa: quarter II's flags
  1,0,1,1,1,1,1,1,0,1,0,1,1,1 -> 11 of 14 desa = 78,571...%; no quarterly target, so against the
  annual 90: 78,571.../90 x 100 = 87,30 (Tinggi); a stock: no projection, latest value 78,57 < 90.
- IKU-03 perangkat_melanggar (alir) / perangkat_desa (stok): quarter I 1+1+1 (desa 001, 002, 013)
  + quarter II 0 = 3; perangkat_desa quarter II 21+23+20+18+19+15+17+15+16+16+24+25+23+23 = 275;
  3/275 x 100 = 1,0909...%; projected 3 x 4/2 = 6 -> 6/275 x 100 = 2,1818...% against the annual
  1,5 (negative polarity, 2t-r): (2 x 1,5 - 2,1818...)/1,5 x 100 = 54,5454...% -> misses.
- IKU-09 tindak_kriminal (alir) / penduduk (stok) x 10.000: quarter I 1+1 (Tegowanuh, Tepusen) +
  quarter II 1+1 (Tegowanuh, Kalimanggis) = 4; penduduk quarter II 3066+4031+3120+2911+3020+2216+
  2164+1946+1932+1934+4270+4331+2707+4412 = 42060; 4/42060 x 10.000 = 0,95102...; projected
  8/42060 x 10.000 = 1,902044...; against the annual 4: (8 - 1,902044...)/4 x 100 = 152,4489...%.
- IKU-10 laporan_ditindaklanjuti / laporan_kejadian (both alir): quarter I 11 of 12, quarter II 12 of
  12 -> 23/24 = 95,8333...%; quarterly target II 95: 95,8333.../95 x 100 = 100,877...%
  (Sangat Tinggi, basis triwulan); both flows: the projection is the ratio itself, 95,83 < 100.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import time

import openpyxl
import pytest

from iku_lib import load_dataset
from iku_lib.cli.main import main
from iku_lib.engine.quarterly import compute_quarter, quarter_folder_years
from iku_lib.engine.quality import validate
from iku_lib.exceptions import ParameterError
from iku_lib.report import quarterly, quarterly_html, quarterly_pace
from iku_lib.report.page import external_resources
from iku_lib.report.quarterly_names import find_quarter_reports

from ..conftest import DATA, KECIL, ROOT, run_iku

LENGKAP = DATA / "triwulan-lengkap"
BELUM = DATA / "triwulan-belum-lapor"
TIDAK_COCOK = DATA / "triwulan-tidak-cocok"
LANGSUNG = DATA / "triwulan-langsung"
STEM = "pemantauan-2023-triwulan-2"


# --- one report run on a fresh sample project, shared by the tests below ---------------------------

@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """`iku init --contoh`, then `iku report --year 2023 --triwulan 2` and `iku compute --year 2023
    --triwulan 2 --out` in it, as a user would (separate processes)."""
    root = tmp_path_factory.mktemp("triwulan") / "proyek"
    assert run_iku("init", "--contoh", str(root)).returncode == 0
    report = run_iku("report", "--year", "2023", "--triwulan", "2", cwd=root)
    compute = run_iku("compute", "--year", "2023", "--triwulan", "2", "--out", "outputs/tw2.csv", cwd=root)
    return root, report, compute


def _sheet(path, name) -> list[dict]:
    ws = openpyxl.load_workbook(path)[name]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def _computed(root) -> dict[str, dict]:
    with open(root / "outputs" / "tw2.csv", encoding="utf-8", newline="") as fh:
        return {r["indikator"]: r for r in csv.DictReader(fh) if r["level"] == "kecamatan"}


def test_the_report_is_written_where_the_index_says(project):
    root, report, _ = project
    assert report.returncode == 0, report.stderr
    assert report.stderr == ""
    assert "[1/1] pemantauan triwulan II 2023 ..." in report.stdout
    folder = root / "outputs" / "2023" / "triwulan-2"
    for suffix in (".html", ".ipynb", ".xlsx"):
        assert (folder / f"{STEM}{suffix}").is_file(), suffix
    index = (root / "outputs" / "index.html").read_text(encoding="utf-8")
    assert f'href="2023/triwulan-2/{STEM}.html">Pemantauan Triwulan II Tahun 2023</a>' in index
    assert f'href="2023/triwulan-2/{STEM}.xlsx">tabel pemantauan (Excel)</a>' in index
    assert not [p for p in (root / "outputs").rglob("*") if p.name.startswith(".")]


def test_the_workbook_holds_what_iku_compute_gives(project):
    root, _, compute = project
    assert compute.returncode == 0, compute.stderr
    computed = _computed(root)
    rows = {r["Kode Indikator"]: r for r in _sheet(root / "outputs" / "2023" / "triwulan-2" / f"{STEM}.xlsx",
                                                    "Capaian Triwulan")}
    assert list(rows) == list(computed)  # every indicator, in catalog order
    words = {"triwulan": "target triwulan II (kumulatif)", "tahunan": "target tahunan"}
    for ident, c in computed.items():
        r = rows[ident]
        assert (r["Tahun"], r["Triwulan"], r["Kode Wilayah"]) == (2023, 2, c["kode_wilayah"])
        for column, key in (("Pembilang", "pembilang"), ("Penyebut", "penyebut"), ("Realisasi", "nilai"),
                            ("Target", "target"), ("Capaian (%)", "capaian")):
            # full precision, not rounded (openpyxl keeps 16 significant digits, as in test_report.py)
            assert r[column] == pytest.approx(float(c[key]), rel=1e-12), (ident, column)
        assert r["Dasar Target"] == words[c["dasar_target"]]
        assert r["Predikat"] == c["predikat"]


def test_the_workbook_agrees_with_the_hand_worked_values(project):
    root, _, _ = project
    book = root / "outputs" / "2023" / "triwulan-2" / f"{STEM}.xlsx"
    rows = {r["Kode Indikator"]: r for r in _sheet(book, "Capaian Triwulan")}
    assert (rows["IKU-01"]["Pembilang"], rows["IKU-01"]["Penyebut"]) == (11, 14)
    assert rows["IKU-01"]["Realisasi"] == pytest.approx(11 / 14 * 100, rel=1e-12)  # 78,571...
    assert rows["IKU-01"]["Capaian (%)"] == pytest.approx(11 / 14 * 100 / 90 * 100, rel=1e-12)  # 87,30
    assert (rows["IKU-01"]["Dasar Target"], rows["IKU-01"]["Predikat"]) == ("target tahunan", "Tinggi")
    assert (rows["IKU-10"]["Pembilang"], rows["IKU-10"]["Penyebut"], rows["IKU-10"]["Target"]) == (23, 24, 95)
    assert rows["IKU-10"]["Capaian (%)"] == pytest.approx(23 / 24 * 100 / 95 * 100, rel=1e-12)  # 100,877...
    assert rows["IKU-10"]["Dasar Target"] == "target triwulan II (kumulatif)"
    assert rows["IKU-10"]["Target Tahunan"] == 100
    assert (rows["IKU-09"]["Pembilang"], rows["IKU-09"]["Penyebut"]) == (4, 42060)
    pace = {r["Kode Indikator"]: r for r in _sheet(book, "Peringatan Dini")}
    assert pace["IKU-03"]["Perkiraan Akhir Tahun"] == pytest.approx(6 / 275 * 100, rel=1e-12)  # 2,1818...
    assert pace["IKU-03"]["Capaian Perkiraan (%)"] == pytest.approx((3 - 6 / 275 * 100) / 1.5 * 100, rel=1e-12)
    assert (pace["IKU-03"]["Faktor Proyeksi"], pace["IKU-03"]["Status"]) == (2, "diperkirakan tidak tercapai")
    assert pace["IKU-09"]["Perkiraan Akhir Tahun"] == pytest.approx(8 / 42060 * 10000, rel=1e-12)  # 1,902...
    assert pace["IKU-09"]["Capaian Perkiraan (%)"] == pytest.approx((8 - 8 / 42060 * 10000) / 4 * 100, rel=1e-12)
    assert (pace["IKU-09"]["Status"], pace["IKU-09"]["Peringatan Dini"]) == ("diperkirakan tercapai", "Tidak")
    assert pace["IKU-10"]["Perkiraan Akhir Tahun"] == pytest.approx(23 / 24 * 100, rel=1e-12)  # the ratio itself
    assert pace["IKU-10"]["Cara Memperkirakan"].startswith("rasio dua variabel alir")
    assert pace["IKU-01"]["Perkiraan Akhir Tahun"] == pytest.approx(11 / 14 * 100, rel=1e-12)  # latest, no line
    assert (pace["IKU-01"]["Status"], pace["IKU-01"]["Peringatan Dini"]) == ("belum mencapai target tahunan", "Ya")


def test_the_path_sheet_holds_every_quarter_to_date_and_the_target_path(project):
    root, _, _ = project
    dataset = load_dataset(root / "data" / "raw")
    first = compute_quarter(dataset, 2023, 1)
    first = first[first["level"] == "kecamatan"].set_index("indikator")
    path = _sheet(root / "outputs" / "2023" / "triwulan-2" / f"{STEM}.xlsx", "Jalur Triwulan")
    assert len(path) == 11 * 4  # every indicator x quarter I..IV
    by_key = {(r["Kode Indikator"], r["Triwulan"]): r for r in path}
    for ident, row in first.iterrows():
        assert by_key[(ident, 1)]["Realisasi Kumulatif"] == pytest.approx(row["nilai"], rel=1e-12)
        assert by_key[(ident, 1)]["Capaian (%)"] == pytest.approx(row["capaian"], rel=1e-12)
    assert by_key[("IKU-09", 2)]["Realisasi Kumulatif"] == pytest.approx(4 / 42060 * 10000, rel=1e-12)
    assert [by_key[("IKU-04", q)]["Target Triwulan (Kumulatif)"] for q in (1, 2, 3, 4)] == [15, 40, 85, 100]
    assert by_key[("IKU-04", 3)]["Realisasi Kumulatif"] is None  # quarters still to come: no value
    assert by_key[("IKU-01", 4)]["Target Triwulan (Kumulatif)"] is None
    assert by_key[("IKU-01", 4)]["Target Tahunan"] == 90


def test_the_workbook_has_its_sheets_formats_and_sources(project):
    root, _, _ = project
    book = openpyxl.load_workbook(root / "outputs" / "2023" / "triwulan-2" / f"{STEM}.xlsx")
    assert book.sheetnames == ["Capaian Triwulan", "Jalur Triwulan", "Peringatan Dini", "Rincian Desa", "Kelengkapan",
                               "Catatan Data", "Sumber"]
    ws = book["Capaian Triwulan"]
    headers = [c.value for c in ws[1]]
    row = {h: c for h, c in zip(headers, ws[2])}
    assert row["Realisasi"].number_format == "#,##0.00" and row["Capaian (%)"].number_format == "#,##0.00"
    assert row["Pembilang"].number_format == "#,##0" and row["Kode Wilayah"].data_type == "s"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:O12"
    completeness = _sheet(root / "outputs" / "2023" / "triwulan-2" / f"{STEM}.xlsx", "Kelengkapan")
    assert len(completeness) == 14 and {(r["Triwulan I"], r["Triwulan II"]) for r in completeness} == {("Ya", "Ya")}
    cells = [str(c.value) for c in book["Sumber"]["A"] + book["Sumber"]["C"] if c.value is not None]
    quarter_file = root / "data" / "raw" / "2023" / "triwulan-2" / "pbb.csv"
    assert "2023/triwulan-2/pbb.csv" in cells
    assert hashlib.sha256(quarter_file.read_bytes()).hexdigest() in cells


def test_the_page_is_indonesian_self_contained_and_says_how_it_projects(project):
    root, _, _ = project
    html = (root / "outputs" / "2023" / "triwulan-2" / f"{STEM}.html").read_text(encoding="utf-8")
    assert external_resources(html) == [] and '<html lang="id">' in html
    for code in ("load_dataset(", "import ", "display(HTML", "Traceback"):
        assert code not in html
    assert "Kecamatan Kaloran · Triwulan II Tahun 2023" in html
    body = html.split('id="tabel-triwulan"')[1].split("</table>")[0]
    assert body.count("<tr>") == 12  # the header and 11 indicators
    assert "<td>IKU-10</td>" in body and "<td>target triwulan II (kumulatif)</td>" in body
    assert "proyeksi linear sederhana" in html and "dikali 4/2" in html
    assert "garis lurus tidak banyak berarti" in html
    warned = html.split('id="peringatan-dini"')[1].split("</table>")[0]
    assert "<td>IKU-03</td>" in warned and "<td>IKU-09</td>" not in warned
    assert warned.index("IKU-03") < warned.index("IKU-01")  # the projections that miss come first
    assert "Semua 14 desa sudah melaporkan data triwulan I–II tahun 2023." in html
    assert html.count("<img") == 1


def test_compute_triwulan_out_writes_the_provenance_record(project):
    root, _, compute = project
    assert "asal-usulnya: outputs/tw2.csv.provenance.json" in compute.stderr
    record = json.loads((root / "outputs" / "tw2.csv.provenance.json").read_text(encoding="utf-8"))
    assert (record["format"], record["kind"]) == ("iku-provenance/1", "compute")
    assert list(record["parameters"])[:2] == ["years", "triwulan"]
    assert (record["parameters"]["years"], record["parameters"]["triwulan"]) == ([2023], 2)
    files = {f["path"]: f["sha256"] for f in record["files"]}
    assert list(files) == sorted(files)
    for q in (1, 2, 3, 4):  # all four are read: quarter IV for the check against the year
        path = root / "data" / "raw" / "2023" / f"triwulan-{q}" / "trantib.csv"
        assert files[f"2023/triwulan-{q}/trantib.csv"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "2022/pbb.csv" in files  # as iku compute --out: every file the dataset read
    table = root / "outputs" / "tw2.csv"
    assert record["outputs"] == [{"path": "tw2.csv", "size": table.stat().st_size,
                                  "sha256": hashlib.sha256(table.read_bytes()).hexdigest()}]


# --- the model and the early warning, on the small cases -------------------------------------------

def test_the_model_of_a_small_case_worked_by_hand():
    """triwulan-lengkap to quarter II (tests/engine/test_quarterly.py lists the values):
    IKU-04 realisasi 100+300 + 200+200 + 0+50 = 850 of ketetapan 1000+2000+500 = 3500 -> 24,2857%,
    against the quarterly target 50: 48,57%; projected x 4/2 = 48,5714% against the annual 95:
    51,13% -> misses. IKU-06 quarter II flags 1, 0, 0 -> 1/3 = 33,33% (a stock) against 100.
    IKU-09 crimes 1+0 + 0+2 + 0+0 = 3 per penduduk 1010+2000+505 = 3515 -> 8,5349 per 10.000;
    projected 17,0697 against 5 (negative, 2t-r): (10 - 17,0697)/5 < 0 -> 0%."""
    model = quarterly.build_monitoring(load_dataset(LENGKAP, store=False), 2023, 2)
    rows = model.rows.set_index("indikator")
    assert rows.loc["IKU-04", "nilai"] == pytest.approx(850 / 3500 * 100, rel=1e-12)
    assert (rows.loc["IKU-04", "target"], rows.loc["IKU-04", "dasar_target"]) == (50, "triwulan")
    assert rows.loc["IKU-04", "target_tahunan"] == 95
    pace = model.pace.set_index("indikator")
    assert pace.loc["IKU-04", "proyeksi"] == pytest.approx(1700 / 3500 * 100, rel=1e-12)
    assert pace.loc["IKU-04", "capaian_proyeksi"] == pytest.approx(1700 / 3500 * 100 / 95 * 100, rel=1e-12)
    assert (pace.loc["IKU-04", "metode"], pace.loc["IKU-04", "status"]) == ("linear", "diperkirakan tidak tercapai")
    assert pace.loc["IKU-06", "proyeksi"] == pytest.approx(100 / 3, rel=1e-12)
    assert (pace.loc["IKU-06", "metode"], pace.loc["IKU-06", "status"]) == ("terakhir", "belum mencapai target tahunan")
    assert pace.loc["IKU-09", "proyeksi"] == pytest.approx(6 / 3515 * 10000, rel=1e-12)
    assert pace.loc["IKU-09", "capaian_proyeksi"] == 0.0
    assert list(model.warnings()["indikator"]) == ["IKU-04", "IKU-06", "IKU-09"]
    assert [list(t) for t in model.targets[model.targets["indikator"] == "IKU-04"][["triwulan", "target_triwulan"]]
            .itertuples(index=False)] == [[1, 20], [2, 50], [3, 80], [4, 95]]
    assert model.quarters == [1, 2]


def test_the_fourth_quarter_is_the_year_and_no_projection():
    model = quarterly.build_monitoring(load_dataset(LENGKAP, store=False), 2023, 4)
    pace = model.pace.set_index("indikator")
    # IKU-04 to quarter IV: 3150/3500 = 90%, the year's value; factor 1 for every method
    assert pace.loc["IKU-04", "proyeksi"] == pytest.approx(90.0, rel=1e-12)
    assert set(pace["faktor_proyeksi"]) == {1.0}
    html = quarterly_html.warning_section(model)
    assert "tidak ada proyeksi" in html and "proyeksi linear sederhana" not in html


def test_desa_that_have_not_reported_are_named():
    """triwulan-belum-lapor: Gamma gave nothing in quarter I; Beta left penduduk and crimes empty in II."""
    model = quarterly.build_monitoring(load_dataset(BELUM, store=False), 2023, 2)
    missing = quarterly.completeness_display(model)
    assert missing.values.tolist() == [["3301010003", "Gamma", "I"]]
    assert quarterly.completeness_counts(model).values.tolist() == [["I", "2", "3", "1"], ["II", "3", "3", "0"]]
    html = quarterly_html.completeness_section(model) + quarterly_html.problems_section(model, {})
    assert "1 dari 3 desa belum melaporkan" in html and "<td>Gamma</td><td>I</td>" in html
    assert "belum melaporkan triwulan 1 tahun 2023" in html
    assert "tindak_kriminal tidak diisi di triwulan 2" in html


def test_a_year_being_monitored_before_its_annual_data(tmp_path):
    data = tmp_path / "d"
    shutil.copytree(BELUM, data)
    (data / "2023" / "data.csv").unlink()  # only 2023/triwulan-1/ and triwulan-2/: no annual data yet
    dataset = load_dataset(data, store=False)
    assert dataset.years == [] and quarter_folder_years(dataset) == [2023]
    assert quarterly.report_period(dataset, None, None) == (2023, 2)
    model = quarterly.build_monitoring(dataset, 2023, 1)
    # quarter I: IKU-04 realisasi Alpha 100 + Beta 200 (Gamma has not reported: left out) of 1000 + 2000
    rows = model.rows.set_index("indikator")
    assert rows.loc["IKU-04", "nilai"] == pytest.approx(300 / 3000 * 100, rel=1e-12)
    assert (rows.loc["IKU-04", "target"], rows.loc["IKU-04", "dasar_target"]) == (95, "tahunan")
    assert main(["validate", "--data-dir", str(data), "--year", "2023", "--out", str(tmp_path / "m.csv")]) == 0


def test_a_direct_indicator_is_held_at_its_latest_value():
    """triwulan-langsung: IKM 79,5 to quarter II (realisasi.csv), quarterly target 80, annual 85."""
    model = quarterly.build_monitoring(load_dataset(LANGSUNG, store=False), 2023, 2)
    pace = model.pace.set_index("indikator")
    assert (pace.loc["IKM", "metode"], pace.loc["IKM", "proyeksi"], pace.loc["IKM", "target_tahunan"]) == (
        "terakhir", 79.5, 85.0)
    assert pace.loc["IKM", "status"] == "belum mencapai target tahunan"
    assert model.completeness.empty


def test_the_period_defaults_and_refusals():
    dataset = load_dataset(LENGKAP, store=False)
    assert quarterly.report_period(dataset, None, None) == (2023, 4)
    assert quarterly.report_period(dataset, 2023, None) == (2023, 4)
    with pytest.raises(ParameterError, match="tidak ada data triwulan"):
        quarterly.report_period(load_dataset(KECIL, store=False), None, None)
    with pytest.raises(ParameterError, match="belum ada data triwulan 3 tahun 2023"):
        quarterly.build_monitoring(load_dataset(BELUM, store=False), 2023, 3)


def test_projection_rules():
    assert quarterly_pace.projection_factor("alir", "stok", 1) == 4.0
    assert quarterly_pace.projection_factor("alir", "stok", 3) == pytest.approx(4 / 3)
    assert quarterly_pace.projection_factor("stok", "alir", 2) == 0.5  # a stock over a flow shrinks as the flow grows
    assert quarterly_pace.method_of("stok", "alir") == "linear"
    assert quarterly_pace.status_of("terakhir", 95.0, 95.0, "positif") == "sudah mencapai target tahunan"
    assert quarterly_pace.status_of("linear", 4.01, 4.0, "negatif") == "diperkirakan tidak tercapai"


# --- the annual report's quarterly path ------------------------------------------------------------

def test_the_annual_report_shows_the_quarterly_path():
    """IKU-04 of triwulan-lengkap: Q1 300/3500 = 8,57; Q2 850/3500 = 24,29; Q3 850 + 400+1000+250 =
    2500 -> 71,43; Q4 2500 + 100+400+150 = 3150 -> 90,00, the year's 900+1800+450 = 3150 too."""
    html = quarterly_html.annual_quarter_section(load_dataset(LENGKAP, store=False), 2023)
    assert '<h2 id="jalur-triwulan">Jalur Triwulan Tahun 2023</h2>' in html
    row = re.search(r"<tr><td>IKU-04</td>(.*?)</tr>", html).group(1)
    assert re.findall(r'<td class="angka">([^<]*)</td>', row) == ["8,57", "24,29", "71,43", "90,00", "90,00",
                                                                  "95,00"]
    assert "Triwulan IV dan Realisasi Tahunan sama" in html


def test_the_annual_report_is_unchanged_without_quarters_and_says_when_they_cannot_be_computed():
    assert quarterly_html.annual_quarter_section(load_dataset(KECIL, store=False), 2022) == ""
    html = quarterly_html.annual_quarter_section(load_dataset(TIDAK_COCOK, store=False), 2023)
    assert "tidak dapat dihitung (2 galat)" in html and "iku validate" in html


def test_the_annual_notebook_calls_the_section():
    cells = json.loads((ROOT / "notebooks" / "01-evaluasi-tahunan.ipynb").read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells]
    assert any("quarterly_html.annual_quarter_section(dataset, tahun, kode_wilayah)" in s for s in sources)


def test_the_quarterly_notebook_defaults_are_none():
    cells = json.loads((ROOT / "notebooks" / "04-triwulan.ipynb").read_text(encoding="utf-8"))["cells"]
    params = [c for c in cells if "parameters" in c["metadata"].get("tags", [])][0]
    values: dict = {}
    exec("".join(params["source"]), {}, values)
    assert values == {"tahun": None, "triwulan": None, "data_dir": None, "processed_dir": None,
                      "waktu_eksekusi": None}


# --- iku validate reads the quarter folders --------------------------------------------------------

def test_validate_reports_a_bad_quarter_cell_with_its_place(tmp_path, capsys):
    data = tmp_path / "d"
    shutil.copytree(BELUM, data)
    path = data / "2023" / "triwulan-2" / "data.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Alpha,1010,0,", "Alpha,1010,dua,"), encoding="utf-8")
    assert main(["validate", "--data-dir", str(data), "--out", str(tmp_path / "m.csv")]) == 1
    out = capsys.readouterr().out
    assert 'GALAT: 2023/triwulan-2/data.csv, baris 2, kolom "tindak_kriminal", nilai "dua"' in out
    assert "1 galat" in out


def test_validate_reports_the_year_against_its_fourth_quarter():
    found = validate(load_dataset(TIDAK_COCOK, store=False))
    assert [(p.kode, p.kode_desa, p.berkas) for p in found if p.is_error] == [
        ("triwulan_tidak_cocok", "3301010002", "2023/data.csv"),
        ("triwulan_tidak_cocok", "3301010003", "2023/data.csv")]
    asked = validate(load_dataset(TIDAK_COCOK, store=False), [2023])  # the year asked: the same errors
    assert [p.kode for p in asked if p.is_error] == ["triwulan_tidak_cocok"] * 2


def test_validate_names_desa_that_have_not_reported_a_quarter():
    found = [p.kode for p in validate(load_dataset(BELUM, store=False))]
    assert found.count("triwulan_belum_dilaporkan") == 1 and "kumulatif_tidak_lengkap" in found


# --- the command line and the index --------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["--year", "2023", "--triwulan", "5"], "--triwulan '5' tidak sah"),
    (["--year", "2022-2023", "--triwulan", "2"], "satu triwulan dari satu tahun"),
    (["--all", "--triwulan", "2"], "bukan --all"),
    (["--year", "2023", "--triwulan", "2", "--bandingkan"], "tidak dapat digabung"),
])
def test_report_triwulan_refuses_options_that_do_not_go_with_it(args, message, tmp_path, capsys):
    assert main(["report", *args, "--data-dir", str(LENGKAP), "--output-dir", str(tmp_path / "o")]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_report_triwulan_without_quarter_data_stops_before_writing(tmp_path, capsys):
    assert main(["report", "--year", "2023", "--triwulan", "3", "--data-dir", str(BELUM),
                 "--output-dir", str(tmp_path / "o")]) == 1
    assert "belum ada data triwulan 3 tahun 2023" in capsys.readouterr().err
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())


def test_the_index_finds_only_quarterly_reports_in_their_folder(tmp_path):
    good = tmp_path / "2023" / "triwulan-2" / "pemantauan-2023-triwulan-2.html"
    stray = tmp_path / "2023" / "triwulan-3" / "pemantauan-2023-triwulan-2.html"  # in another quarter's folder
    for path in (good, stray):
        path.parent.mkdir(parents=True)
        path.write_text("<html></html>", encoding="utf-8")
    (good.with_suffix(".xlsx")).write_bytes(b"")
    assert find_quarter_reports(tmp_path) == [("Pemantauan Triwulan II Tahun 2023", good, [good.with_suffix(".xlsx")])]


def test_leftovers_of_a_killed_run_inside_a_quarterly_folder_are_cleaned(tmp_path):
    from iku_lib.report.runner import clean_output_dir

    folder = tmp_path / "2023" / "triwulan-2"
    folder.mkdir(parents=True)
    leftover = folder / ".pemantauan-2023-triwulan-2.xlsx.abc12345.tmp"
    leftover.write_bytes(b"half")
    old = time.time() - 2 * 3600
    os.utime(leftover, (old, old))
    assert leftover in clean_output_dir(tmp_path) and not leftover.exists()


def test_validate_says_a_used_variable_needs_its_sifat_when_there_are_quarters(tmp_path):
    data = tmp_path / "d"
    shutil.copytree(BELUM, data)
    catalog = data / "iku.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("penduduk: {jenis: jumlah, sifat: stok,",
                                                                   "penduduk: {jenis: jumlah,"), encoding="utf-8")
    found = [p for p in validate(load_dataset(data, store=False)) if p.is_error]
    assert [p.kode for p in found] == ["sifat_belum_diisi"] and "variabel.penduduk.sifat" in found[0].pesan


def test_report_triwulan_ketat_stops_on_a_quarter_warning(tmp_path, capsys):
    # triwulan-belum-lapor: Gamma has not reported quarter I (a warning), so --ketat stops
    assert main(["report", "--year", "2023", "--triwulan", "2", "--ketat", "--data-dir", str(BELUM),
                 "--output-dir", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "mode ketat" in err.lower() and "Gamma" in err
    assert not list((tmp_path / "o").rglob("*.html"))
