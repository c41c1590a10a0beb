"""`iku report`: the notebooks executed through papermill, converted to one self-contained
HTML page each, the Excel export and the index; numbers checked against `iku compute`.

The two `iku report --all` runs (shipped data, unseen data) happen once per session
(tests/report_runs.py).
"""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from pathlib import Path

import nbformat
import openpyxl
import pytest

from iku_lib import load_catalog, load_dataset
from iku_lib.cli import main as cli
from iku_lib.report import runner as report
from iku_lib.report.page import external_resources

from ..conftest import KECIL, RAW, ROOT, run_iku
from ..report_runs import (FORMULA_DESA, SCRIPT_DESA, computed, indonesian_number, rounded, shipped, table_rows,
                          unseen)

YEARS = [2019, 2020, 2021, 2022, 2023]
MONTHS = ("Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember")


def _annual(run, year: int) -> str:
    return (run.output_dir / str(year) / f"evaluasi-tahunan-{year}.html").read_text(encoding="utf-8")


def _trend(run, start: int, end: int) -> str:
    return (run.output_dir / "tren" / f"tren-{start}-{end}.html").read_text(encoding="utf-8")


# --- the shipped data ------------------------------------------------------------------------------

def test_report_all_on_the_shipped_data_succeeds_and_shows_progress():
    result = shipped().results[0]
    assert result.returncode == 0, result.stderr
    for i, label in enumerate([f"evaluasi tahunan {y}" for y in YEARS] + ["tren 2019–2023"], start=1):
        assert f"[{i}/6] {label} ..." in result.stdout
        assert re.search(rf"\[{i}/6\] {label}: selesai dalam [\d,]+ detik", result.stdout)
    assert f"Buka: {shipped().output_dir / 'index.html'}" in result.stdout
    assert result.stderr == ""  # no warning, log line or traceback leaks to the user


def test_every_output_is_where_the_index_says_and_nothing_half_written():
    out = shipped().output_dir
    for year in YEARS:
        for name in (f"evaluasi-tahunan-{year}.html", f"evaluasi-tahunan-{year}.ipynb", f"capaian-{year}.xlsx"):
            assert (out / str(year) / name).is_file(), name
    assert (out / "tren" / "tren-2019-2023.html").is_file() and (out / "tren" / "tren-2019-2023.ipynb").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', index)
    expected = {f"{y}/evaluasi-tahunan-{y}.html" for y in YEARS} | {f"{y}/capaian-{y}.xlsx" for y in YEARS}
    expected |= {"tren/tren-2019-2023.html"}
    assert expected <= set(links)
    assert all((out / link).is_file() for link in links)
    assert not [p for p in out.rglob("*") if p.name.startswith(".") or p.name.endswith(".gagal.ipynb")]
    assert external_resources(index) == []


@pytest.mark.parametrize("year", YEARS)
def test_annual_html_has_no_code_no_prompt_and_no_network(year):
    html = _annual(shipped(), year)
    for code in ("load_dataset(", "import ", "display(HTML", "In&nbsp;[", "Out[", "jp-InputArea", "Traceback"):
        assert code not in html, code
    assert external_resources(html) == []
    assert "<script" not in html.lower() and "<link" not in html.lower()
    assert '<html lang="id">' in html and "@page { size: A4" in html


def test_title_page_block_comes_from_the_catalog():
    html = _annual(shipped(), 2023)
    meta = load_catalog().meta
    head = html.split('<header class="sampul">')[1].split("</header>")[0]
    assert meta["instansi"] in head and "Tahun 2023" in head
    for key in ("visi", "misi", "tujuan"):
        assert f"<td>{meta[key]}</td>" in head
    assert re.search(rf"Tanggal laporan: \d{{1,2}} ({MONTHS}) 20\d\d", head)


@pytest.mark.parametrize("year", YEARS)
def test_capaian_table_numbers_equal_iku_compute(year):
    html = _annual(shipped(), year)
    _check_capaian_table(html, RAW, year)


def _check_capaian_table(html: str, data_dir: Path, year: int) -> None:
    catalog = load_dataset(data_dir).catalog
    by_name = {row["nama"]: ident for ident, row in catalog.indicators.iterrows()}
    expected = computed(data_dir, year)
    rows = table_rows(html, "tabel-capaian") + table_rows(html, "tabel-capaian-tujuan")[1:]
    header, body = rows[0], rows[1:]
    assert header == ["Kode Indikator", "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Target", "Realisasi",
                      "Capaian (%)", "Predikat"]
    seen = []
    for cells in body:  # merged Sasaran cells make some rows shorter: read from the right
        ident = by_name[cells[-6]]
        assert cells[0] == ident  # rows are named by the indicator id, as the charts and sections name them
        seen.append(ident)
        want = expected[ident]
        decimals = int(catalog.indicators.loc[ident, "desimal"])
        assert cells[-5] == want["satuan"]
        assert indonesian_number(cells[-4]) == rounded(want["target"], decimals), ident
        assert indonesian_number(cells[-3]) == rounded(want["nilai"], decimals), ident
        assert indonesian_number(cells[-2]) == rounded(want["capaian"], 2), ident
        assert cells[-1] == (want["predikat"] or "–"), ident
    assert sorted(seen) == sorted(catalog.ids)
    assert table_rows(html, "tabel-capaian-tujuan")[1][-6] == catalog.indicators.loc["IT-01", "nama"]


def test_one_section_per_indicator_with_its_desa_breakdown():
    html = _annual(shipped(), 2023)
    catalog = load_catalog()
    for ident, row in catalog.indicators.iterrows():  # the chapter's indicator headings (level 3: h5)
        assert f"<h5>{ident} {row['nama']}</h5>" in html
    assert html.count('<table class="data rincian"') == 11
    assert html.count("Dibandingkan tahun 2022") + html.count("sama dengan tahun 2022") == 11
    assert "Dibandingkan tahun 2018" not in _annual(shipped(), 2019)
    # 2023: Kwarakan and Getas reported no incident (laporan_kejadian = 0): no IKU-10 value, and the reason.
    section = html.split("<h5>IKU-10")[1].split("<h5>")[0]
    assert "Jumlah laporan kejadian = 0; nilai tidak dapat dihitung" in section
    assert "Sebanyak 2 desa tidak punya nilai untuk indikator ini (Kwarakan dan Getas)" in section


def test_three_charts_each_embedded_as_png():
    html = _annual(shipped(), 2023)
    images = re.findall(r'<img alt="([^"]*)" src="([^"]{0,40})', html)
    assert len(images) == 3
    assert all(src.startswith("data:image/png;base64,") for _, src in images)
    assert [alt for alt, _ in images] == ["Grafik capaian kinerja per indikator tahun 2023",
                                          "Grafik realisasi dan target per indikator tahun 2023",
                                          "Grafik serapan anggaran per program tahun 2023"]
    # Without anggaran.csv (the unseen data) there is no budget to chart.
    assert len(re.findall(r'<img alt="', _annual(unseen(), 2022))) == 2


def test_data_quality_section_lists_the_warnings_of_that_year():
    validate = run_iku("validate")
    html = _annual(shipped(), 2021)
    notes = [line.split(": ", 1)[1] for line in validate.stdout.splitlines()
             if line.startswith("PERINGATAN") and "tahun 2021" in line]
    assert len(notes) == 3
    section = html.split("Catatan Kualitas Data")[1].split("Asal Data dan Parameter")[0]
    for note in notes:
        assert note.replace("&", "&amp;") in section
    assert "tercatat 3 peringatan" in section


def test_provenance_lists_the_files_with_their_sha256():
    html = _annual(shipped(), 2023)
    section = html.split("Asal Data dan Parameter")[1]
    for path in [RAW / "desa.csv", RAW / "target.csv", *sorted((RAW / "2022").glob("*.csv")),
                 *sorted((RAW / "2023").glob("*.csv")), ROOT / "iku_lib" / "data" / "iku.yaml"]:
        assert hashlib.sha256(path.read_bytes()).hexdigest() in section, path
    assert "2021/pbb.csv" not in section
    from iku_lib import __version__
    assert f"<td>{__version__}</td>" in section
    assert re.search(rf"Waktu eksekusi</th><td>\d{{1,2}} ({MONTHS}) 20\d\d \d\d\.\d\d", section)


def test_executed_notebooks_are_kept_clean_and_parameterised():
    out = shipped().output_dir
    for path, params in [(out / "2023" / "evaluasi-tahunan-2023.ipynb", {"tahun": 2023}),
                         (out / "tren" / "tren-2019-2023.ipynb", {"tahun_awal": 2019, "tahun_akhir": 2023})]:
        nb = nbformat.read(path, as_version=4)
        given = dict(nb.metadata.papermill.parameters)
        when = given.pop("waktu_eksekusi")  # the batch's run time, shared by its reports
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", when)
        assert given == {**params, "data_dir": str(RAW)}
        assert nb.metadata.kernelspec.name == "python3"
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                assert output.output_type != "error"
                assert not (output.output_type == "stream" and output.name == "stderr"), output.text


def test_excel_export_equals_iku_compute():
    ws = openpyxl.load_workbook(shipped().output_dir / "2023" / "capaian-2023.xlsx")["Capaian"]
    expected = computed(RAW, 2023)
    rows = {r[2]: r for r in ws.iter_rows(min_row=4, max_row=13, values_only=True)}
    catalog = load_catalog()
    for ident in [f"IKU-{i:02d}" for i in range(1, 11)]:
        row = rows[catalog.indicators.loc[ident, "nama"]]
        assert row[0] == ident and row[8] == expected[ident]["kode_wilayah"]  # the keys to join on
        # In the unit the report shows (92.857..., not the fraction 0.9286), at full precision.
        assert row[5] == pytest.approx(float(expected[ident]["nilai"]), rel=1e-12)
        assert row[6] == pytest.approx(float(expected[ident]["capaian"]), rel=1e-12)
        assert row[7] == expected[ident]["predikat"]


def test_trend_report_tables_charts_and_period_end():
    html = _trend(shipped(), 2019, 2023)
    assert external_resources(html) == [] and "<script" not in html.lower()
    rows = table_rows(html, "tabel-tren")
    assert rows[0] == ["Indikator", "Satuan", "2019", "2020", "2021", "2022", "2023"]
    for year in YEARS:
        expected = computed(RAW, year)
        for cells in rows[1:]:
            ident = cells[0].split(" ")[0]
            real, target = re.fullmatch(r"(\S+) \((\S+)\)", cells[2 + YEARS.index(year)]).groups()
            assert indonesian_number(real) == rounded(expected[ident]["nilai"], 2)
            assert indonesian_number(target) == rounded(expected[ident]["target"], 2)
    changes = table_rows(html, "tabel-perubahan")
    assert changes[0][2:] == ["2019→2020", "2020→2021", "2021→2022", "2022→2023"]
    # The Renstra period ends in 2023 and 2023 has data: judged on it (no projection column).
    status = {r[0].split(" ")[0]: r[-1] for r in table_rows(html, "tabel-proyeksi")[1:]}
    expected_2023 = computed(RAW, 2023)
    for ident, text in status.items():
        met = Decimal(expected_2023[ident]["capaian"]) >= 100
        assert text == ("Tercapai" if met else "Belum tercapai"), ident  # the annual report's words
    assert "Proyeksi linear sederhana" in html
    assert len(re.findall(r'<img alt="Grafik tren ', html)) == 11
    assert len(re.findall(r'<img alt="Peta panas desa per tahun ', html)) == 11


def _text(html: str) -> str:
    """The page's text without tags, entities decoded, spaces squeezed."""
    import html as entities

    body = re.sub(r"<style.*?</style>|<img[^>]*>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", entities.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_target_reached_and_predikat_are_told_apart_in_the_same_words_in_both_reports():
    """Issue 11: 9 indicators graded Sangat Tinggi beside 4 of 10 targets reached, and IKU-02
    "Sangat Tinggi" in the annual report but not reached in the trend report. Both are true;
    each report says what each means where they first meet, in one vocabulary."""
    annual, trend = _text(_annual(shipped(), 2023)), _text(_trend(shipped(), 2019, 2023))
    definition = ("Target tercapai berarti realisasi sama dengan atau lebih baik daripada target: sama atau lebih "
                  "tinggi untuk indikator yang makin tinggi makin baik, sama atau lebih rendah untuk indikator yang "
                  "makin rendah makin baik (capaian 100% atau lebih); selain itu target belum tercapai.")
    summary = annual.split("A. Capaian Kinerja Organisasi")[1].split("Tabel Capaian Kinerja")[0]
    assert "9 indikator berpredikat Sangat Tinggi" in summary
    assert "Target tercapai pada 4 dari 10 indikator, dan belum tercapai pada 6 indikator lainnya." in summary
    assert definition in summary and "Predikat menilai besarnya capaian, bukan tercapai atau tidaknya target" in summary
    iku02 = annual.split("IKU-02 Persentase kepemilikan KTP-El di kecamatan Rumus:")[1].split("IKU-03 Persentase")[0]
    assert "dengan predikat Sangat Tinggi. Target tahun 2023 belum tercapai." in iku02
    overview = trend.split("Ringkasan Tren")[1].split("Realisasi dan Target per Tahun")[0]
    assert "target akhir periode tercapai pada 4 indikator dan belum tercapai pada 7 indikator" in overview
    assert definition in overview and "Predikat pada laporan evaluasi tahunan menilai besarnya capaian" in overview
    status = {r[0].split(" ")[0]: r[-1] for r in table_rows(_trend(shipped(), 2019, 2023), "tabel-proyeksi")[1:]}
    assert status["IKU-02"] == "Belum tercapai"
    for page in (annual, trend):  # no other words for the same thing
        for other in ("mencapai target", "mencapai atau melampaui target", "Tidak tercapai"):
            assert other not in page, other


def test_the_change_table_says_what_each_change_means():
    rows = {r[0].split(" ")[0]: r for r in table_rows(_trend(shipped(), 2019, 2023), "tabel-perubahan")[1:]}
    # IKU-03 (pelanggaran disiplin, lower is better) fell by 0,36 points: an improvement.
    assert rows["IKU-03"][-1] == "−0,36 (membaik)"
    assert rows["IKU-04"][-1] == "−0,02 (memburuk)"  # PBB, higher is better
    assert rows["IKU-06"][-1] == "0,00 (tetap)"
    for r in rows.values():
        assert all(re.fullmatch(r"(?:[+−]\S+ \((?:membaik|memburuk)\)|0,00 \(tetap\)|–)", c) for c in r[2:]), r


def test_tables_name_indicators_by_id_as_the_charts_do():
    html = _annual(shipped(), 2023)
    ids = [r[0] for r in table_rows(html, "tabel-capaian")[1:]] + [r[0] for r in
                                                                    table_rows(html, "tabel-capaian-tujuan")[1:]]
    assert ids == list(load_catalog().ids)
    for name in ("tabel-tren", "tabel-perubahan", "tabel-proyeksi"):
        rows = table_rows(_trend(shipped(), 2019, 2023), name)[1:]
        assert [r[0].split(" ")[0] for r in rows] == list(load_catalog().ids), name


@pytest.mark.parametrize("run", [shipped, unseen], ids=["proyek", "di-luar-proyek"])
def test_no_absolute_path_in_the_rendered_reports(run):
    """Provenance names the data relative to the project (data/raw), or outside a project by
    its folder's name only; no page or Excel sheet shows a local folder (a user name)."""
    out = run().output_dir
    folders = {str(ROOT), str(Path.home()), str(out), str(run().data_dir), str(out.parent), "/tmp/", "/home/"}
    shown = "data/raw" if run is shipped else run().data_dir.name
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 3
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not [f for f in folders if f in text], page
        if page.name != "index.html":
            assert f"<th>Direktori data</th><td>{shown}</td>" in text, page
    for path in sorted(out.rglob("*.xlsx")):
        cells = [str(c.value) for ws in openpyxl.load_workbook(path) for row in ws.iter_rows() for c in row
                 if c.value is not None]
        assert not [c for c in cells for f in folders if f in c], path
        assert shown in cells, path


def test_notebook_defaults_come_from_the_current_project():
    """No year or folder is written into a notebook: None means the latest year of the data of
    the current project (and, for the trend, the start of the Renstra period)."""
    for name, expected in (("01-evaluasi-tahunan.ipynb", {"tahun": None, "data_dir": None, "processed_dir": None,
                                                          "kode_wilayah": None, "waktu_eksekusi": None}),
                           ("02-tren.ipynb", {"tahun_awal": None, "tahun_akhir": None, "data_dir": None,
                                              "processed_dir": None, "waktu_eksekusi": None})):
        cells = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))["cells"]
        params = [c for c in cells if "parameters" in c["metadata"].get("tags", [])][0]
        values: dict = {}
        exec("".join(params["source"]), {}, values)  # the cell is plain assignments
        assert values == expected


def test_notebooks_run_as_they_are():
    """Top to bottom with their own defaults, as in JupyterLab opened in this project (no
    papermill parameters): the project is found from the notebook's folder, the year is the
    latest of its data."""
    from nbclient import NotebookClient

    from iku_lib.report.kernel import ThisPythonKernelManager

    for name in ("01-evaluasi-tahunan.ipynb", "02-tren.ipynb"):
        nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
        NotebookClient(nb, kernel_name="python3", timeout=300, kernel_manager_class=ThisPythonKernelManager,
                       resources={"metadata": {"path": str(ROOT / "notebooks")}},
                       extra_arguments=report.KERNEL_ARGUMENTS).execute()
        outputs = [o for c in nb.cells for o in c.get("outputs", [])]
        assert outputs and not [o for o in outputs if o.output_type == "error"]
        html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
        assert ("Tahun 2023" if name.startswith("01") else "Tahun 2019–2023") in html


# --- a data directory the project has never seen -----------------------------------------------------

def test_unseen_data_reports_succeed_and_the_index_grows():
    run = unseen()
    single, full = run.results
    assert single.returncode == 0, single.stderr
    assert full.returncode == 0, full.stderr
    assert "[1/1] evaluasi tahunan 2022" in single.stdout and "[3/3] tren 2021–2022" in full.stdout
    first = re.findall(r'href="([^"]+\.html)"', run.notes["index_after_single"])
    assert first == ["2022/evaluasi-tahunan-2022.html"]
    links = re.findall(r'href="([^"]+\.html)"', (run.output_dir / "index.html").read_text(encoding="utf-8"))
    assert links == ["2021/evaluasi-tahunan-2021.html", "2022/evaluasi-tahunan-2022.html", "tren/tren-2021-2022.html"]
    assert run.notes["data_unchanged"]
    assert not list(run.data_dir.rglob("*.html"))


@pytest.mark.parametrize("year", [2021, 2022])
def test_unseen_capaian_table_equals_iku_compute(year):
    _check_capaian_table(_annual(unseen(), year), unseen().data_dir, year)


def test_unseen_numbers_by_hand():
    rows = {r[-6]: r for r in table_rows(_annual(unseen(), 2022), "tabel-capaian")[1:]}
    # PBB 2022: (9,5 + 18 + 15,3 + 4,5) / (10 + 20 + 15 + 5) million = 94,60%; target 91 -> 103,96%.
    assert rows["Persentase realisasi penerimaan PBB"][-4:] == ["91,00", "94,60", "103,96", "Sangat Tinggi"]
    # KTP-el 2022: (690 + 1450 + 1000 + 395) / (710 + 1510 + 1005 + 405) = 3535 / 3630 = 97,38%.
    assert rows["Persentase kepemilikan KTP-El di kecamatan"][-3] == "97,38"


def test_unseen_desa_names_are_escaped_and_the_catalog_is_its_own():
    for html in (_annual(unseen(), 2021), _annual(unseen(), 2022), _trend(unseen(), 2021, 2022)):
        assert SCRIPT_DESA not in html and "<script" not in html.lower()
        assert "<i>miring</i>" not in html and "<b>Coba</b>" not in html
        assert "Kantor Kecamatan Uji &lt;b&gt;Coba&lt;/b&gt;" in html
        assert "<ol><li>Misi pertama</li><li>Misi kedua &lt;i&gt;miring&lt;/i&gt;</li></ol>" in html
    html = _annual(unseen(), 2022)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<td>=1+2</td>" in html and "<td>Delta &amp; Co</td>" in html
    assert "Kecamatan Uji &amp; Coba" in html


def test_unseen_trend_is_judged_against_its_own_period_without_a_two_point_projection():
    html = _trend(unseen(), 2021, 2022)
    rows = table_rows(html, "tabel-proyeksi")
    # Two years of data: no straight line is drawn through two points (issue 9); the table has
    # no projection column and says the data is too short.
    assert rows[0] == ["Indikator", "Satuan", "Realisasi terakhir", "Target akhir periode 2024", "Status"]
    pbb = [r for r in rows if r[0].startswith("IKU-04")][0]
    # 2022: 94,60%; the end-of-period (2024) target is 93.
    assert pbb[2:] == ["94,60 (2022)", "93,00", "Data belum cukup"]
    assert "Data belum cukup (kurang dari tiga tahun realisasi) untuk memproyeksikan nilai 2024." in html
    assert "Proyeksi linear sederhana (tren" not in html


def test_unseen_excel_keeps_formula_like_names_as_text():
    book = openpyxl.load_workbook(unseen().output_dir / "2022" / "capaian-2022.xlsx")
    cells = [c for row in book["Rincian Desa"].iter_rows() for c in row if c.value == FORMULA_DESA]
    assert len(cells) == 11 and all(c.data_type == "s" for c in cells)
    assert any(c.value == SCRIPT_DESA for row in book["Rincian Desa"].iter_rows() for c in row)


# --- parameters are checked before anything runs ----------------------------------------------------

def test_unknown_year_stops_with_the_validation_message(tmp_path):
    result = run_iku("report", "--year", "2030", "--output-dir", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.strip() == f"tahun 2030 tidak ada di {RAW}; tahun yang tersedia: 2019, 2020, 2021, 2022, 2023"
    assert not (tmp_path / "out").exists()


def test_a_data_directory_with_errors_stops_with_every_error(tmp_path):
    data = tmp_path / "data"
    for path in KECIL.rglob("*"):
        if path.is_file():
            (data / path.relative_to(KECIL)).parent.mkdir(parents=True, exist_ok=True)
            (data / path.relative_to(KECIL)).write_bytes(path.read_bytes())
    penduduk = data / "2022" / "penduduk.csv"
    penduduk.write_text(penduduk.read_text(encoding="utf-8").replace("Alpha,2000", "Alpha,20x0"), encoding="utf-8")
    result = run_iku("report", "--year", "2022", "--data-dir", str(data), "--output-dir", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith('GALAT: 2022/penduduk.csv, baris 2, kolom "penduduk", nilai "20x0"')
    missing = run_iku("report", "--all", "--data-dir", str(tmp_path / "tidak-ada"))
    assert missing.returncode == 1 and "tidak ada" in missing.stderr and "Traceback" not in missing.stderr
    # no report is made; the output folder holds only the list of the errors that stopped it
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["masalah-2022.csv"]
    listed = (tmp_path / "out" / "masalah-2022.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(listed) == 2 and listed[1].startswith("galat,nilai_tidak_sah,2022/penduduk.csv,,2,penduduk,20x0,2022,,")


def test_never_writes_into_the_data_directory():
    result = run_iku("report", "--year", "2022", "--data-dir", str(KECIL), "--output-dir", str(KECIL / "hasil"))
    assert result.returncode == 1 and "tidak boleh menulis ke direktori data mentah" in result.stderr
    assert not (KECIL / "hasil").exists()


def _notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell("tahun = 2000\ndata_dir = None", metadata={"tags": ["parameters"]})]
    nb.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def test_a_failing_notebook_names_the_cell_and_leaves_the_finished_report(tmp_path, monkeypatch, capsys):
    notebooks = tmp_path / "notebooks"
    _notebook(notebooks / report.ANNUAL_NOTEBOOK, "x = 1", "rasio = 1 / 0  # sengaja gagal")
    monkeypatch.setattr(report, "packaged_notebook", lambda name: notebooks / name)
    out = tmp_path / "out"
    finished = out / "2022" / "evaluasi-tahunan-2022.html"
    finished.parent.mkdir(parents=True)
    finished.write_text("laporan lama yang sudah selesai", encoding="utf-8")
    code = cli.main(["report", "--year", "2022", "--data-dir", str(KECIL), "--output-dir", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    # The third cell of the notebook as written; In [4] because papermill runs its injected parameters too.
    assert ("notebook 01-evaluasi-tahunan.ipynb gagal pada sel ke-3 (In [4] saat eksekusi; "
            "baris pertama: 'rasio = 1 / 0  # sengaja gagal'): ZeroDivisionError: division by zero") in err
    failed = out / "2022" / "evaluasi-tahunan-2022.gagal.ipynb"
    assert f"notebook yang gagal disimpan untuk diperiksa: {failed}" in err and failed.is_file()
    assert finished.read_text(encoding="utf-8") == "laporan lama yang sudah selesai"
    assert sorted(p.name for p in (out / "2022").iterdir()) == ["evaluasi-tahunan-2022.gagal.ipynb",
                                                                "evaluasi-tahunan-2022.html"]


def test_a_cell_over_the_time_limit_stops_the_run(tmp_path):
    notebook = _notebook(tmp_path / "lambat.ipynb", "import time\ntime.sleep(60)")
    with pytest.raises(report.NotebookError, match=r"notebook lambat.ipynb: sebuah sel melewati batas waktu 2 "
                                                   r"detik \(sel: 'import time'\)"):
        report.execute(notebook, tmp_path / "hasil.ipynb", {}, timeout=2)


def test_the_kernel_is_this_python_whatever_kernels_are_registered(tmp_path, monkeypatch):
    """A registered `python3` kernel pointing at another Python (or none at all) does not matter:
    the notebook runs in the interpreter of the `iku` command itself."""
    import sys

    kernels = tmp_path / "jupyter" / "kernels" / "python3"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": ["/opt/lain/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python lain", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter"))
    notebook = _notebook(tmp_path / "python.ipynb", "import sys\nprint(sys.executable)")
    executed = report.execute(notebook, tmp_path / "hasil.ipynb", {})
    printed = nbformat.read(executed, as_version=4).cells[-1].outputs[0]["text"].strip()
    assert printed == sys.executable


def test_report_help_is_in_indonesian():
    result = run_iku("report", "--help")
    assert result.returncode == 0
    assert "tahun laporan" in result.stdout and "semua tahun yang ada di data" in result.stdout


def test_word_chapter_numbers_equal_iku_compute():
    """The Word file `iku report` writes, read back with python-docx: every target, realisasi,
    capaian and predikat of the capaian tables is `iku compute`'s figure, rounded half up to the
    indicator's display decimals (an independent reading: Decimal, not iku's formatting)."""
    import docx

    path = shipped().output_dir / "2023" / "laporan-kinerja-2023.docx"
    catalog = load_catalog()
    expected = computed(RAW, 2023)
    tables = [t for t in docx.Document(str(path)).tables
              if [c.text for c in t.rows[0].cells][0] == "Kode Indikator" and "Predikat" in t.rows[0].cells[-1].text]
    rows = {r.cells[0].text: [c.text for c in r.cells] for t in tables for r in t.rows[1:]}
    assert sorted(rows) == sorted(catalog.ids)  # every indicator, IKU-01..IKU-10 and IT-01, once
    for ident, cells in rows.items():
        want, decimals = expected[ident], int(catalog.indicators.loc[ident, "desimal"])
        assert indonesian_number(cells[4]) == rounded(want["target"], decimals), ident
        assert indonesian_number(cells[5]) == rounded(want["nilai"], decimals), ident
        assert indonesian_number(cells[6]) == rounded(want["capaian"], 2), ident
        assert cells[7] == want["predikat"], ident
