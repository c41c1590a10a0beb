"""The Excel export: numbers as numbers with formats, a bold header, widths, and text that
looks like a formula stored as text."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from iku_lib import compute, load_dataset
from iku_lib.report.excel import write_capaian_workbook
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
    assert [c.value for c in ws[3]] == ["No", "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Target",
                                        "Realisasi", "Capaian (%)", "Predikat"]
    assert all(c.font.bold for c in ws[3])
    # Row 4 = IKU-01: target 80% -> 0,8; realisasi 2/3 desa; capaian 83,33% -> 0,8333.
    assert ws["E4"].value == pytest.approx(0.8) and ws["E4"].number_format == "0.00%"
    assert ws["F4"].value == pytest.approx(2 / 3)
    assert ws["G4"].value == pytest.approx(200 / 3 / 80) and ws["G4"].number_format == "0.00%"
    assert ws["H4"].value == "Tinggi"
    # Row 12 = IKU-09, per 10.000 penduduk: a plain number with 2 decimals.
    assert ws["C12"].value == "Angka kriminalitas kecamatan"
    assert ws["F12"].value == pytest.approx(5.0) and ws["F12"].number_format == "#,##0.00"
    # IKU-06 has no target: empty cells, not zero.
    assert ws["E9"].value is None and ws["G9"].value is None
    assert ws.column_dimensions["C"].width == 48 and ws.column_dimensions["A"].width == 5
    # The goal indicator comes apart, below, with its own header.
    assert ws["A15"].value == "Indikator Tujuan"
    assert [c.value for c in ws[16]][:3] == ["No", "Tujuan", "Indikator Tujuan"]
    assert ws["C17"].value.startswith("Prosentase desa dengan pengelolaan keuangan")


def test_text_that_looks_like_a_formula_stays_text(workbook):
    book = openpyxl.load_workbook(workbook)
    ws = book["Rincian Desa"]
    assert [ws.cell(row=r, column=3).value for r in range(2, 6)] == FORMULAS
    assert all(ws.cell(row=r, column=3).data_type == "s" for r in range(2, 6))
    assert book["Sumber"]["A6"].value == "=cmd|' /C calc'!A0" and book["Sumber"]["A6"].data_type == "s"
    with zipfile.ZipFile(workbook) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(re.search(r"<f[ >]", z.read(n).decode("utf-8")) for n in sheets)


def test_desa_sheet_has_every_indicator_and_desa(workbook):
    ws = openpyxl.load_workbook(workbook)["Rincian Desa"]
    assert [c.value for c in ws[1]] == ["Indikator", "Kode Desa", "Desa", "Pembilang", "Penyebut", "Nilai",
                                        "Satuan", "Keterangan"]
    assert ws.max_row == 1 + 11 * 3
    assert ws.auto_filter.ref == "A1:H34"
