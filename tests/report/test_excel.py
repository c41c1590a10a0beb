"""The Excel export: numbers as numbers with formats (one convention in every sheet), the
indicator id and area code in every table, a bold header, widths, and text that looks like
a formula stored as text."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from iku_lib import compute, load_dataset
from iku_lib.report.excel import count_format, decimal_format, write_capaian_workbook
from iku_lib.report.runner import desa_rows
from iku_lib.report.tables import capaian_table

from ..conftest import KECIL

FORMULAS = ["=SUM(A1:A9)", "+62-811", "-1+2", "@HYPERLINK(\"http://x\")"]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    dataset = load_dataset(KECIL)
    table = compute(dataset, 2022)
    sasaran = capaian_table(table, dataset.catalog, 2022, "kecamatan", "sasaran")
    tujuan = capaian_table(table, dataset.catalog, 2022, "kecamatan", "tujuan")
    desa = desa_rows(table, dataset.catalog, 2022)
    desa.loc[desa.index[:4], "Desa"] = FORMULAS
    path = tmp_path_factory.mktemp("xlsx") / "capaian-2022.xlsx"
    files = pd.DataFrame({"berkas": ["=cmd|' /C calc'!A0"], "ukuran": [10], "sha256": ["ab"]})
    write_capaian_workbook(path, "Tabel Capaian Kinerja Uji Tahun 2022", sasaran, tujuan, desa,
                           [("Parameter tahun", "2022"), ("Catatan", "-dimulai tanda minus")], files)
    return path


def test_capaian_sheet_values_and_formats(workbook):
    ws = openpyxl.load_workbook(workbook)["Capaian"]
    assert ws["A1"].value == "Tabel Capaian Kinerja Uji Tahun 2022"
    assert [c.value for c in ws[3]] == ["Kode Indikator", "Sasaran Strategis", "Indikator Kinerja", "Satuan",
                                        "Target", "Realisasi", "Capaian (%)", "Predikat", "Kode Wilayah", "Wilayah"]
    assert all(c.font.bold for c in ws[3])
    # Row 4 = IKU-01: target 80 (%); realisasi 2/3 desa = 66,67 (%); capaian 83,33 (%): numbers in
    # percent, as the report shows them, never Excel fractions; the display decimals as the format.
    assert ws["A4"].value == "IKU-01"
    assert ws["E4"].value == pytest.approx(80.0) and ws["E4"].number_format == "#,##0.00"
    assert ws["F4"].value == pytest.approx(200 / 3) and ws["F4"].number_format == "#,##0.00"
    assert ws["G4"].value == pytest.approx(200 / 3 / 80 * 100) and ws["G4"].number_format == "#,##0.00"
    assert ws["H4"].value == "Tinggi"
    assert ws["I4"].value == "3323070" and ws["I4"].data_type == "s" and ws["J4"].value == "Kaloran"
    # Row 12 = IKU-09, per 10.000 penduduk: a plain number with 2 decimals.
    assert ws["A12"].value == "IKU-09" and ws["C12"].value == "Angka kriminalitas kecamatan"
    assert ws["F12"].value == pytest.approx(5.0) and ws["F12"].number_format == "#,##0.00"
    # IKU-06 has no target: empty cells, not zero.
    assert ws["E9"].value is None and ws["G9"].value is None
    assert ws.column_dimensions["C"].width == 48 and ws.column_dimensions["A"].width == 11
    # The goal indicator comes apart, below, with its own header.
    assert ws["A15"].value == "Indikator Tujuan"
    assert [c.value for c in ws[16]][:3] == ["Kode Indikator", "Tujuan", "Indikator Tujuan"]
    assert ws["A17"].value == "IT-01" and ws["I17"].value == "3323070"
    assert ws["C17"].value.startswith("Prosentase desa dengan pengelolaan keuangan")


def test_text_that_looks_like_a_formula_stays_text(workbook):
    book = openpyxl.load_workbook(workbook)
    ws = book["Rincian Desa"]
    assert [ws.cell(row=r, column=3).value for r in range(2, 6)] == FORMULAS  # the Desa column
    assert all(ws.cell(row=r, column=3).data_type == "s" for r in range(2, 6))
    assert book["Sumber"]["A6"].value == "=cmd|' /C calc'!A0" and book["Sumber"]["A6"].data_type == "s"
    with zipfile.ZipFile(workbook) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(re.search(r"<f[ >]", z.read(n).decode("utf-8")) for n in sheets)


def test_desa_sheet_has_every_indicator_and_desa(workbook):
    ws = openpyxl.load_workbook(workbook)["Rincian Desa"]
    assert [c.value for c in ws[1]] == ["Kode Indikator", "Kode Wilayah", "Desa", "Pembilang", "Penyebut", "Nilai",
                                        "Satuan", "Keterangan"]
    assert ws.max_row == 1 + 11 * 3
    assert ws.auto_filter.ref == "A1:H34"


def _sheet_rows(ws, header_row: int) -> list[dict]:
    """The rows under `header_row` until the first empty one, as {header: cell}."""
    headers = [c.value for c in ws[header_row]]
    out = []
    for cells in ws.iter_rows(min_row=header_row + 1):
        if cells[0].value is None:
            break
        out.append({h: c for h, c in zip(headers, cells) if h})
    return out


def test_one_number_convention_and_join_keys_in_every_sheet(workbook):
    """Read back with openpyxl: no Excel percentage (a fraction with a % format) anywhere; a
    percentage is a number like 66.67 under a header saying (%) or beside Satuan %; counts
    and rupiah are whole numbers (not 3,085.00); every data table has Kode Indikator and
    Kode Wilayah, as text, and they join the two sheets and `iku compute`."""
    book = openpyxl.load_workbook(workbook)
    formats = {c.number_format for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, float)}
    assert not [f for f in formats if "%" in f], formats
    capaian = _sheet_rows(book["Capaian"], 3)
    desa = _sheet_rows(book["Rincian Desa"], 1)
    for rows in (capaian, desa):
        assert all(isinstance(r["Kode Indikator"].value, str) and r["Kode Indikator"].data_type == "s" for r in rows)
        assert all(isinstance(r["Kode Wilayah"].value, str) and r["Kode Wilayah"].data_type == "s" for r in rows)
    assert {r["Kode Indikator"].value for r in capaian} == {f"IKU-{i:02d}" for i in range(1, 11)}
    for r in capaian:
        for column in ("Target", "Realisasi", "Capaian (%)"):
            if r[column].value is not None:
                assert r[column].number_format == "#,##0.00", (r["Kode Indikator"].value, column)
    for r in desa:
        for column in ("Pembilang", "Penyebut"):
            if r[column].value is not None:
                assert float(r[column].value).is_integer() and r[column].number_format == "#,##0", column
        if r["Nilai"].value is not None:
            assert r["Nilai"].number_format == "#,##0.00"
    # Joined on (Kode Indikator, Kode Wilayah) with `compute`, numbers equal at full precision.
    dataset = load_dataset(KECIL)
    table = compute(dataset, 2022).set_index(["indikator", "kode_wilayah"])
    for r in capaian:
        key = (r["Kode Indikator"].value, r["Kode Wilayah"].value)
        assert r["Realisasi"].value == pytest.approx(table.at[key, "nilai"], rel=1e-12), key
    for r in desa:
        key = (r["Kode Indikator"].value, r["Kode Wilayah"].value)
        if r["Nilai"].value is not None:
            assert r["Nilai"].value == pytest.approx(table.at[key, "nilai"], rel=1e-12), key
        if r["Pembilang"].value is not None:
            assert r["Pembilang"].value == table.at[key, "pembilang"], key


def test_counts_that_are_not_whole_keep_their_decimals():
    assert count_format(3085.0) == "#,##0" and count_format(12.5) == "#,##0.00"
    assert decimal_format(1) == "#,##0.0" and decimal_format(0) == "#,##0"


def test_nilai_uses_the_indicator_s_display_decimals(tmp_path):
    dataset = load_dataset(KECIL)
    table = compute(dataset, 2022)
    desa = desa_rows(table, dataset.catalog, 2022)
    cap = capaian_table(table, dataset.catalog, 2022, "kecamatan", "sasaran")
    path = write_capaian_workbook(tmp_path / "x.xlsx", "Uji", cap, cap.iloc[0:0], desa, [], pd.DataFrame(
        {"berkas": [], "ukuran": [], "sha256": []}), decimals={"IKU-09": 1})
    rows = _sheet_rows(openpyxl.load_workbook(path)["Rincian Desa"], 1)
    shown = {r["Nilai"].number_format for r in rows if r["Kode Indikator"].value == "IKU-09" and r["Nilai"].value}
    assert shown == {"#,##0.0"}


# --- the LKjIP chapter's sheets ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def chapter_book(tmp_path_factory):
    from iku_lib.report.chapter import build_chapter

    from ..conftest import RAW

    dataset = load_dataset(RAW)
    chapter = build_chapter(dataset, 2023, figures_dir=tmp_path_factory.mktemp("gambar"))
    table = compute(dataset, 2023)
    sasaran = capaian_table(table, dataset.catalog, 2023, "kecamatan", "sasaran")
    path = tmp_path_factory.mktemp("xlsx-bab") / "capaian-2023.xlsx"
    write_capaian_workbook(path, "Uji", sasaran, sasaran.iloc[0:0], desa_rows(table, dataset.catalog, 2023), [],
                           pd.DataFrame({"berkas": [], "ukuran": [], "sha256": []}), chapter=chapter)
    return chapter, openpyxl.load_workbook(path)


def _all_rows(ws) -> list[dict]:
    """Every row under the header (row 1) as {header: cell}; empty cells included."""
    headers = [c.value for c in ws[1]]
    return [dict(zip(headers, cells)) for cells in ws.iter_rows(min_row=2)]


def _model_rows(chapter, prefix):
    return [row for t in chapter.tables() if (t.key.startswith(prefix) if prefix.endswith("-") else t.key == prefix)
            for _, row in t.frame.iterrows()]


def _equal(cell, value):
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return cell.value is None
    if isinstance(value, str):
        return cell.value == value and cell.data_type == "s"
    return cell.value == pytest.approx(float(value), rel=1e-15)  # openpyxl writes 16 significant digits


def test_chapter_sheets_come_before_the_sources(chapter_book):
    _, book = chapter_book
    assert book.sheetnames == ["Capaian", "Rincian Desa", "Multi Tahun", "Efisiensi", "Anggaran", "Sumber"]


@pytest.mark.parametrize("sheet, prefix, keys", [
    ("Multi Tahun", "multitahun-", {"Kode Indikator": "indikator", "Kode Wilayah": "kode_wilayah", "Tahun": "tahun",
                                    "Target": "target", "Realisasi": "realisasi", "Capaian (%)": "capaian",
                                    "Predikat": "predikat", "Perubahan dari Tahun Sebelumnya": "perubahan",
                                    "Arah": "arah"}),
    ("Efisiensi", "efisiensi-", {"Kode Indikator": "indikator", "Kode Wilayah": "kode_wilayah", "Tahun": "tahun",
                                 "Pagu (Rp)": "pagu", "Realisasi Anggaran (Rp)": "realisasi_anggaran",
                                 "Serapan (%)": "serapan", "Capaian (%)": "capaian", "Indeks Efisiensi": "indeks",
                                 "Tingkat Efisiensi (%)": "tingkat_efisiensi", "Kategori": "kategori",
                                 "Alasan": "alasan"}),
    ("Anggaran", "tabel-anggaran", {"Kode Indikator": "didukung", "Kode Wilayah": "kode_wilayah", "Tahun": "tahun",
                                    "Tingkat": "tingkat", "Program": "program", "Kegiatan": "kegiatan",
                                    "Pagu (Rp)": "pagu", "Realisasi (Rp)": "realisasi_anggaran",
                                    "Serapan (%)": "serapan"}),
])
def test_chapter_sheets_hold_the_model_s_numbers(chapter_book, sheet, prefix, keys):
    chapter, book = chapter_book
    rows = _all_rows(book[sheet])
    model = _model_rows(chapter, prefix)
    assert len(rows) == len(model) > 0
    for got, want in zip(rows, model):
        for header, key in keys.items():
            assert _equal(got[header], want[key]), (sheet, header, want.get("indikator"), got[header].value)
        assert got["Kode Wilayah"].value == "3323070" and got["Kode Wilayah"].data_type == "s"
        assert got["Tahun"].value == 2023 or sheet == "Multi Tahun"


def test_chapter_sheets_number_convention(chapter_book):
    _, book = chapter_book
    years = _all_rows(book["Multi Tahun"])
    assert len(years) == 11 * 5  # every indicator, 2019-2023
    assert [r["Tahun"].value for r in years[:5]] == [2019, 2020, 2021, 2022, 2023]
    assert all(isinstance(r["Tahun"].value, int) and r["Tahun"].number_format == "General" for r in years)
    for r in years:
        for header in ("Target", "Realisasi", "Capaian (%)"):
            if r[header].value is not None:
                assert r[header].number_format == "#,##0.00", header
    budget = _all_rows(book["Anggaran"])
    assert budget[-1]["Tingkat"].value == "jumlah" and budget[-1]["Pagu (Rp)"].value == 1_031_416_000
    assert all(r["Pagu (Rp)"].number_format == "#,##0" and r["Serapan (%)"].number_format == "#,##0.00"
               for r in budget)
    efficiency = {r["Kode Indikator"].value: r for r in _all_rows(book["Efisiensi"])}
    # IKU-01: pagu 77.003.000 + 50.315.000, realisasi 70.737.900 + 46.694.500 (anggaran.csv 2023).
    assert efficiency["IKU-01"]["Pagu (Rp)"].value == 127_318_000
    assert efficiency["IKU-01"]["Serapan (%)"].value == pytest.approx(117_432_400 * 100 / 127_318_000, rel=1e-12)
    formats = {c.number_format for name in ("Multi Tahun", "Efisiensi", "Anggaran") for row in book[name].iter_rows()
               for c in row if isinstance(c.value, float)}
    assert formats <= {"#,##0", "#,##0.00"}  # no Excel percentage anywhere


def test_numbers_are_saved_to_full_precision(tmp_path):
    """Each float reads back as the same double: 103.17460317460319 (a capaian of the sample
    data) needs 17 significant digits, which openpyxl's own "%.16g" cuts to 103.1746031746032;
    numpy's floats too; integers, texts and empty cells as they were."""
    import numpy as np

    from iku_lib.report.excel import save_workbook

    values = [103.17460317460319, 0.1 + 0.2, 1 / 3, 2 ** 53 + 0.0, 1e-300, -0.0, float(np.float64(92.85714285714286)),
              np.float64(127.27272727272727)]
    book = openpyxl.Workbook()
    sheet = book.active
    for row, value in enumerate(values, start=1):
        sheet.cell(row, 1, value)
    sheet.cell(1, 2, 7)
    sheet.cell(2, 2, "teks 0.30000000000000004")
    path = save_workbook(book, tmp_path / "x.xlsx", None)
    back = openpyxl.load_workbook(path).active
    assert [back.cell(row, 1).value for row in range(1, len(values) + 1)] == [float(v) for v in values]
    assert repr(back.cell(1, 1).value) == "103.17460317460319"
    assert (back.cell(1, 2).value, back.cell(2, 2).value, back.cell(3, 2).value) == (7, "teks 0.30000000000000004", None)
    from openpyxl.cell import _writer
    assert _writer.safe_string(0.1 + 0.2) == "0.3"  # openpyxl's own writer is back as it was
