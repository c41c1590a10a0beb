"""The comparison report (`iku report --bandingkan`) on the shipped kabupaten sample: its
rankings and matrix against `iku compute` and against figures worked out by hand from the
sample's CSV files, the HTML page, the Excel workbook, the index; the level rules on other
registers; the sample itself against its generator."""

from __future__ import annotations

import csv
import filecmp
import io
import math
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from iku_lib import load_dataset
from iku_lib.engine.ranking import NO_DATA, NO_TARGET
from iku_lib.formatting import angka
from iku_lib.report import comparison
from iku_lib.report.comparison_chart import ranking_chart
from iku_lib.report.page import external_resources

from ..conftest import DATA, RAW, ROOT, run_iku

SAMPLE = ROOT / "data" / "contoh-kabupaten"
KARANGSARI, MEKARJAYA, SIDOMULYO, TIRTAASRI = "990101", "990102", "990103", "990104"
LABELS = ["Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah"]


@pytest.fixture(scope="module")
def sample():
    return load_dataset(SAMPLE)


@pytest.fixture(scope="module")
def computed(tmp_path_factory) -> pd.DataFrame:
    """`iku compute --year 2021-2023 --level kecamatan` of the sample, as the CLI writes it."""
    out = tmp_path_factory.mktemp("hitung") / "kecamatan.csv"
    done = run_iku("compute", "--year", "2021-2023", "--level", "kecamatan", "--data-dir", str(SAMPLE),
                   "--out", str(out))
    assert done.returncode == 0, done.stderr
    return pd.read_csv(out, dtype={"kode_wilayah": str})


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    """`iku report --bandingkan` of the sample for 2022, then for 2021-2023, into one folder."""
    out = tmp_path_factory.mktemp("perbandingan")
    for years in ("2022", "2021-2023"):
        done = run_iku("report", "--bandingkan", "--year", years, "--data-dir", str(SAMPLE), "--output-dir", str(out))
        assert done.returncode == 0, done.stdout + done.stderr
    return out


def ranks_of(model: comparison.Comparison, ident: str, year: int) -> list[tuple[str, int | None, str]]:
    rows = model.ranked[(model.ranked["indikator"] == ident) & (model.ranked["tahun"] == year)]
    return [(k, None if pd.isna(p) else int(p), t) for k, p, t in zip(rows["kode_wilayah"], rows["peringkat"],
                                                                       rows["keterangan"])]


# --- the model, against hand-worked figures and iku compute ----------------------------------------

def test_ties_share_the_lowest_rank_in_the_sample(sample):
    model = comparison.build_comparison(sample, 2023, 2023)
    assert model.level == "kecamatan" and model.reference_label == "Kabupaten Sukamakmur"
    # IKU-06, APB Desa on time, target 95 for every kecamatan (2023 files, apb_tepat_waktu):
    # Karangsari 6/6 = 100% -> 105.26; Sidomulyo 6/6 -> 105.26; Mekarjaya 7/8 = 87.5% -> 92.11;
    # Tirtaasri 6/9 = 66.67% -> 70.18: ranks 1, 1, 3, 4
    assert ranks_of(model, "IKU-06", 2023) == [(KARANGSARI, 1, ""), (SIDOMULYO, 1, ""), (MEKARJAYA, 3, ""),
                                               (TIRTAASRI, 4, "")]
    rows = model.last_year("IKU-06").set_index("kode_wilayah")
    assert rows.at[TIRTAASRI, "capaian"] == pytest.approx(6 / 9 * 100 / 95 * 100)
    assert rows.at[TIRTAASRI, "predikat"] == "Sedang"  # 70.18: 66 <= capaian < 76
    # the reference: the kabupaten's (6 + 7 + 5 + 9) / 29 desa = 93.10% of its kegiatan on time, target 90
    ref = model.reference_row("IKU-01")
    assert ref["nilai"] == pytest.approx(27 / 29 * 100) and ref["capaian"] == pytest.approx(27 / 29 * 100 / 90 * 100)


def test_an_indicator_without_kecamatan_targets_is_ranked_by_nilai_lower_first(sample):
    model = comparison.build_comparison(sample, 2022, 2023)
    # IKU-09, tindak_kriminal per 10.000 penduduk, a target for the kabupaten only; 2023:
    # Sidomulyo 6/19100 = 3.14, Mekarjaya 12/30356 = 3.95, Tirtaasri 12/29838 = 4.02, Karangsari 10/20968 = 4.77
    assert ranks_of(model, "IKU-09", 2023) == [(SIDOMULYO, 1, ""), (MEKARJAYA, 2, ""), (TIRTAASRI, 3, ""),
                                               (KARANGSARI, 4, "")]
    # 2022: Tirtaasri sent no tindak_kriminal column: no value, no rank, last; Karangsari 7/20810 = 3.36,
    # Sidomulyo 9/18972 = 4.74, Mekarjaya 19/30133 = 6.31
    assert ranks_of(model, "IKU-09", 2022) == [(KARANGSARI, 1, ""), (SIDOMULYO, 2, ""), (MEKARJAYA, 3, ""),
                                               (TIRTAASRI, None, NO_DATA)]
    assert model.basis("IKU-09") == "nilai" and model.basis("IKU-01") == "capaian"
    assert "IKU-09" not in model.matrix.columns.get_level_values(0)
    # the change 2022 -> 2023 of IKU-09 (lower is better): Karangsari 3.36 -> 4.77 is the largest rise
    changes = model.changes[model.changes["indikator"] == "IKU-09"]
    assert changes["kode_wilayah"].tolist()[-2:] == [KARANGSARI, TIRTAASRI]  # worst change, then none
    assert changes.set_index("kode_wilayah").at[KARANGSARI, "selisih"] == pytest.approx(
        10 / 20968 * 1e4 - 7 / 20810 * 1e4)


def test_rankings_and_matrix_hold_the_numbers_of_iku_compute(sample, computed):
    model = comparison.build_comparison(sample, 2021, 2023)
    both = model.ranked.merge(computed, on=["indikator", "tahun", "kode_wilayah"], suffixes=("", "_cli"))
    assert len(both) == len(model.ranked) == len(computed) == 4 * 11 * 3
    for column in ("nilai", "target", "capaian"):
        left, right = both[column].to_numpy(dtype=float), both[f"{column}_cli"].to_numpy(dtype=float)
        assert all((math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12) for a, b in zip(left, right))
    assert (both["predikat"].fillna("") == both["predikat_cli"].fillna("")).all()
    last = computed[computed["tahun"] == 2023]
    for ident in model.matrix.columns.get_level_values(0).unique().drop("nama_wilayah"):
        cli = last[last["indikator"] == ident].set_index("kode_wilayah")
        assert model.matrix[(ident, "capaian")].to_numpy() == pytest.approx(cli.loc[model.matrix.index, "capaian"])
    # the counts per predikat are the compute table's predikat counted over the indicators with a capaian
    counted = last[last["indikator"] != "IKU-09"]
    expected = pd.crosstab(counted["kode_wilayah"], counted["predikat"]).reindex(columns=LABELS, fill_value=0)
    assert (model.counts[LABELS] == expected.loc[model.counts.index, LABELS]).all().all()
    assert (model.counts[LABELS + ["tanpa predikat"]].sum(axis=1) == 10).all()


# --- the level ------------------------------------------------------------------------------------

def test_default_level_is_just_below_the_top_area(sample):
    assert comparison.default_level(sample) == "kecamatan"  # one kabupaten
    assert comparison.default_level(load_dataset(RAW)) == "desa"  # one kecamatan (Kaloran)
    assert comparison.default_level(load_dataset(DATA / "hierarki")) == "kabupaten"  # one provinsi


def test_several_top_areas_are_compared_themselves_without_a_reference(tmp_path):
    data = tmp_path / "dua"
    (data / "2022").mkdir(parents=True)
    (data / "desa.csv").write_text("kode_desa,nama_desa,kode_kecamatan,nama_kecamatan\n"
                                   "1,Alpha,11,Satu\n2,Beta,11,Satu\n3,Gamma,12,Dua\n", encoding="utf-8")
    (data / "2022" / "data.csv").write_text("desa,wajib_ktp,ktp_el\n1,100,90\n2,100,80\n3,50,50\n", encoding="utf-8")
    (data / "target.csv").write_text("indikator,tahun,target\nIKU-02,2022,95\n", encoding="utf-8")
    catalog = yaml.safe_load((ROOT / "iku_lib" / "data" / "iku.yaml").read_text(encoding="utf-8"))
    catalog["indikator"] = [i for i in catalog["indikator"] if i["id"] == "IKU-02"]  # the one the data holds
    (data / "iku.yaml").write_text(yaml.safe_dump(catalog, allow_unicode=True, sort_keys=False), encoding="utf-8")
    dataset = load_dataset(data)
    assert comparison.default_level(dataset) == "kecamatan"
    model = comparison.build_comparison(dataset, 2022, 2022)
    assert model.reference_label == "" and model.parent == "Kecamatan Satu dan Kecamatan Dua"
    # IKU-02: the general target applies to the top level, here each kecamatan: Dua 50/50 = 100% -> 105.26;
    # Satu (90 + 80) / 200 = 85% -> 89.47
    assert ranks_of(model, "IKU-02", 2022) == [("12", 1, ""), ("11", 2, "")]


def test_an_area_without_its_own_target_is_not_ranked_by_capaian():
    model = comparison.build_comparison(load_dataset(DATA / "hierarki"), 2022, 2022)
    # IKU-02 per kabupaten: Temanggung (90 + 240 + 200 + 380) / 1000 = 91% against its own 95 -> 95.79;
    # Magelang (45 + 1010) / (50 + 1000) = 100.48% has no target of its own (the general one is the provinsi's)
    assert ranks_of(model, "IKU-02", 2022) == [("3323", 1, ""), ("3308", None, NO_TARGET)]
    ref = model.reference_row("IKU-02")  # Jawa Tengah: 1965 / 2050 = 95.85% against the general 96
    assert model.reference_label == "Provinsi Jawa Tengah" and ref["capaian"] == pytest.approx(1965 / 2050 * 100 / 96 * 100)


def test_level_errors_in_indonesian(sample):
    with pytest.raises(Exception, match="level 'provinsi' tidak ada pada data ini"):
        comparison.check_level(sample, "provinsi")
    with pytest.raises(Exception, match="level 'rt' tidak dikenal"):
        comparison.check_level(sample, "rt")
    assert comparison.check_level(sample, " Desa ") == "desa"


# --- many areas -----------------------------------------------------------------------------------

def _many(n: int, missing: int = 0) -> pd.DataFrame:
    """`n` areas of one indicator ranked by nilai (area k has nilai n - k), `missing` more without a value."""
    from iku_lib.engine.ranking import rank_areas

    rows = pd.DataFrame({"tahun": 2023, "indikator": "X", "kode_wilayah": [f"{k:03d}" for k in range(n + missing)],
                         "nama_wilayah": [f"Wilayah {k}" for k in range(n + missing)],
                         "nilai": [float(n - k) if k < n else float("nan") for k in range(n + missing)],
                         "target": float("nan"), "capaian": float("nan"), "predikat": None})
    return rank_areas(rows, {"X": "positif"})


def test_a_long_ranking_shows_its_top_and_bottom():
    top, bottom, left_out = comparison.shown_rows(_many(514, missing=3))
    assert (len(top), len(bottom), left_out) == (15, 15, 484)  # 514 - 2 x 15
    assert top["peringkat"].tolist() == list(range(1, 16)) and bottom["peringkat"].tolist() == list(range(500, 515))
    rows = _many(20, missing=2)
    top, bottom, left_out = comparison.shown_rows(rows)
    assert len(top) == 22 and bottom.empty and left_out == 0  # every area, those without a value last
    shown = comparison.ranking_display(top, 2)
    assert shown["Peringkat"].tolist()[-2:] == [NO_DATA, NO_DATA] and shown["Nilai"].iloc[0] == "20,00"
    assert comparison.unranked_note(rows) == "2 wilayah tanpa peringkat: 2 tidak ada data."


def test_the_chart_of_many_areas_draws_the_top_and_bottom_with_their_ranks():
    top, bottom, left_out = comparison.shown_rows(_many(514))
    fig = ranking_chart(top, bottom, left_out, "nilai", "%", 2, [(91.0, "Sangat Tinggi"), (None, "Rendah")],
                        ("Kabupaten X", 250.0), "X")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(ax.patches) == 30 and labels[0] == "1. Wilayah 0" and labels[-1] == "514. Wilayah 513"
    texts = [t.get_text() for t in ax.texts]
    assert any("484 wilayah lain" in t for t in texts) and any(t.strip() == "Kabupaten X: 250,00%" for t in texts)


# --- the report files -----------------------------------------------------------------------------

class Tables(HTMLParser):
    """Every table of a page: its caption and rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": [], "id": dict(attrs).get("id")})
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th", "caption"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "caption" and self._cell is not None:
            self.tables[-1]["caption"] = "".join(self._cell).strip()
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables_of(html: Path) -> list[dict]:
    parser = Tables()
    parser.feed(html.read_text(encoding="utf-8"))
    return parser.tables


def test_html_report_of_one_year(reports, sample):
    html = reports / "2022" / "perbandingan-kecamatan-2022.html"
    text = html.read_text(encoding="utf-8")
    assert not external_resources(text) and "Perbandingan Indikator Kinerja Utama (IKU) antarkecamatan" in text
    tables = tables_of(html)
    iku09 = next(t for t in tables if t["caption"].startswith("Peringkat kecamatan: IKU-09 tahun 2022"))
    assert iku09["rows"][0] == ["Peringkat", "Kode", "Wilayah", "Nilai", "Target", "Capaian (%)", "Predikat"]
    # 7/20810 x 10.000 = 3.36; 9/18972 x 10.000 = 4.74; 19/30133 x 10.000 = 6.31; Tirtaasri: no data
    assert [r[:4] for r in iku09["rows"][1:]] == [["1", KARANGSARI, "Karangsari", "3,36"],
                                                  ["2", SIDOMULYO, "Sidomulyo", "4,74"],
                                                  ["3", MEKARJAYA, "Mekarjaya", "6,31"],
                                                  [NO_DATA, TIRTAASRI, "Tirtaasri", "–"]]
    matrix = next(t for t in tables if t["id"] == "matriks-capaian")
    model = comparison.build_comparison(sample, 2022, 2022)
    short = comparison.predikat_abbreviations(LABELS)
    row = next(r for r in matrix["rows"] if r[0] == KARANGSARI)
    expected = [f"{angka(model.matrix.at[KARANGSARI, (i, 'capaian')], 2)} {short[model.matrix.at[KARANGSARI, (i, 'predikat')]]}"
                for i in model.matrix.columns.get_level_values(0).unique().drop("nama_wilayah")]
    assert row[2:] == expected
    assert matrix["rows"][-1][0] == "Kabupaten Sukamakmur (acuan)"
    counts = next(t for t in tables if t["id"] == "jumlah-predikat")
    assert counts["rows"][0] == ["Kode", "Wilayah", *LABELS, "Tanpa predikat"]
    assert text.count("<figure") == 11  # one chart per indicator


def test_html_report_of_several_years_has_the_changes(reports):
    html = reports / "tren" / "perbandingan-kecamatan-2021-2023.html"
    tables = tables_of(html)
    change = next(t for t in tables if t["caption"].startswith("Perubahan IKU-09 dari 2021 ke 2023"))
    assert change["rows"][0] == ["Kode", "Wilayah", "Nilai 2021", "Nilai 2023", "Perubahan", "Peringkat"]
    assert all(r[4].endswith(("(membaik)", "(memburuk)", "(tetap)")) for r in change["rows"][1:])


def test_excel_workbook(reports):
    book = openpyxl.load_workbook(reports / "2022" / "perbandingan-kecamatan-2022.xlsx")
    assert book.sheetnames == ["Peringkat", "Matriks 2022", "Sumber"]
    ws = book["Peringkat"]
    assert ws.auto_filter.ref == "A1:M45" and ws.freeze_panes == "A2"  # 4 kecamatan x 11 indicators + header
    header = [c.value for c in ws[1]]
    assert header[:6] == ["Tahun", "Kode Indikator", "Indikator Kinerja", "Satuan", "Dasar Peringkat", "Peringkat"]
    rows = [dict(zip(header, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]
    iku09 = [r for r in rows if r["Kode Indikator"] == "IKU-09"]
    assert [(r["Peringkat"], r["Kode Wilayah"]) for r in iku09] == [(1, KARANGSARI), (2, SIDOMULYO), (3, MEKARJAYA),
                                                                     (None, TIRTAASRI)]
    assert iku09[0]["Nilai"] == pytest.approx(7 / 20810 * 1e4) and iku09[-1]["Keterangan"] == NO_DATA
    assert iku09[0]["Dasar Peringkat"] == "nilai (makin rendah makin baik)"
    cell = ws.cell(row=2, column=header.index("Capaian (%)") + 1)
    assert cell.data_type == "n" and cell.number_format == "#,##0.00"
    assert ws.cell(row=2, column=header.index("Kode Wilayah") + 1).data_type == "s"
    ws = book["Matriks 2022"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["Kode Wilayah", "Wilayah", "IKU-01 Capaian (%)", "IKU-01 Predikat"]
    assert header[-6:] == ["Jumlah Sangat Tinggi", "Jumlah Tinggi", "Jumlah Sedang", "Jumlah Rendah",
                           "Jumlah Sangat Rendah", "Jumlah Tanpa predikat"]
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}5"
    first = ws.cell(row=2, column=3)
    assert first.data_type == "n" and first.fill.fgColor.rgb.endswith(
        {"Sangat Tinggi": "1B7837", "Tinggi": "7FBF3F", "Sedang": "E6A817", "Rendah": "E66101",
         "Sangat Rendah": "B2182B"}[ws.cell(row=2, column=4).value])
    assert all(isinstance(ws.cell(row=r, column=len(header)).value, int) for r in range(2, 6))
    book = openpyxl.load_workbook(reports / "tren" / "perbandingan-kecamatan-2021-2023.xlsx")
    assert book.sheetnames == ["Peringkat", "Matriks 2023", "Perubahan", "Sumber"]
    assert book["Peringkat"].auto_filter.ref == "A1:M133"  # 4 x 11 x 3 years + header
    assert book["Perubahan"].auto_filter.ref == "A1:O45"


def test_index_links_both_comparisons(reports):
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="2022/perbandingan-kecamatan-2022.html">Perbandingan antarkecamatan 2022</a>' in index
    assert 'href="tren/perbandingan-kecamatan-2021-2023.html">Perbandingan antarkecamatan 2021–2023</a>' in index
    assert 'href="2022/perbandingan-kecamatan-2022.xlsx">tabel perbandingan (Excel)</a>' in index


# --- the sample ------------------------------------------------------------------------------------

def test_the_shipped_sample_is_what_its_generator_writes(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_kabupaten_sample.py"), "--out",
                           str(tmp_path / "contoh")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    made = sorted(p.relative_to(tmp_path / "contoh") for p in (tmp_path / "contoh").rglob("*") if p.is_file())
    shipped = sorted(p.relative_to(SAMPLE) for p in SAMPLE.rglob("*") if p.is_file())
    assert made == shipped
    assert all(filecmp.cmp(tmp_path / "contoh" / p, SAMPLE / p, shallow=False) for p in made)


def test_the_sample_is_valid_and_plausible(sample):
    assert sample.years == [2021, 2022, 2023] and not [p for p in sample.problems if p.tingkat == "galat"]
    register = sample.register
    assert register.groupby("kode_kecamatan").size().tolist() == [6, 8, 6, 9]
    assert set(register["kode_kabupaten"]) == {"9901"}  # no BPS province has code 99: clearly fictional
    rows = list(csv.DictReader(io.StringIO((SAMPLE / "2023" / "kecamatan-tirtaasri.csv").read_text(encoding="utf-8"))))
    assert all(int(r["ktp_el"]) <= int(r["wajib_ktp"]) and int(r["pbb_realisasi"]) <= int(r["pbb_ketetapan"])
               for r in rows)
