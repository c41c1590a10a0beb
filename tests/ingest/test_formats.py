"""Every spreadsheet an office receives: .xls, .ods, .xlsm, .xlsb, UTF-16 text (.txt, .tsv),
files whose name does not say what they hold, and what still cannot be read.

- Each accepted folder under tests/data/ holds kecil's values in another format, written by
  a program that writes that format (LibreOffice; SheetJS for .xlsb, which no other program
  here writes; tests/data/make_fixtures.py says how), and must compute exactly kecil's table
  (worked by hand in test_compute.py).
- Each rejected folder fails with the message below: file, sheet, row as LibreOffice or
  Excel shows it, column, value; or, for a file that cannot be read, what it is and what to
  do. `iku validate` exits 1 without a traceback.
"""

from __future__ import annotations

import io
import random
import shutil
import sys
import zipfile
from pathlib import Path

import pandas.testing as pdt
import pytest

from iku_lib import compute, load_dataset, validate
from iku_lib.cli.main import main
from iku_lib.ingest.parsing import FormulaWithoutValue
from iku_lib.ingest.reading import read_tables

from ..conftest import DATA, KECIL

sys.path.insert(0, str(DATA))
try:
    import make_fixtures
finally:
    sys.path.remove(str(DATA))

WORKBOOK = "2022/data-desa-2022"
COUNT = "bukan angka; diharapkan bilangan bulat 0 atau lebih, misalnya 1234 atau 1.234"
LOCKED = ("berkas ini terkunci kata sandi (terenkripsi) sehingga tidak dapat dibaca; buka di {} dengan kata sandinya, "
          "hapus kata sandi itu, lalu simpan ulang sebagai .xlsx")

# --- the same values in every format ---------------------------------------------------------

# case -> the reading warnings it has
ACCEPTED = {
    "xls-excel-97": ["lembar_tidak_dibaca"],  # the "Catatan" sheet
    "ods-libreoffice": ["lembar_tidak_dibaca"],
    "xlsm-values-only": ["lembar_tidak_dibaca"],
    "txt-utf16-bom": [],
    "txt-utf16-no-bom": [],
    "xlsx-named-xls": ["ekstensi_tidak_sesuai", "lembar_tidak_dibaca"],
    "xlsb-full-cell-records": ["lembar_tidak_dibaca"],
}
KECIL_VALUES = 52  # as in test_dataset.py


@pytest.mark.parametrize("case", list(ACCEPTED))
def test_format_computes_the_same_numbers_as_the_clean_csv(case, kecil):
    _, kecil_table = kecil
    dataset = load_dataset(DATA / case)
    assert dataset.errors == []
    assert [p.kode for p in dataset.problems] == ACCEPTED[case]
    assert len(dataset.observations) == KECIL_VALUES
    pdt.assert_frame_equal(compute(dataset, 2022), kecil_table)


SPREADSHEETS = {"xls-excel-97": ".xls", "ods-libreoffice": ".ods", "xlsm-values-only": ".xlsm",
                "xlsx-named-xls": ".xls", "xlsb-full-cell-records": ".xlsb"}


@pytest.mark.parametrize("case", list(SPREADSHEETS))
def test_spreadsheet_values_remember_their_cell_as_the_program_shows_it(case):
    obs = load_dataset(DATA / case).observations.set_index(["kode_desa", "variabel"])

    def at(desa, variable):
        row = obs.loc[(desa, variable)]
        return row["berkas"], row["lembar"], row["baris"], row["kolom"], row["nilai"]

    name = WORKBOOK + SPREADSHEETS[case]
    # title rows 1-5 skipped; Alpha's population typed as the text "2.000"
    assert at("3301010001", "penduduk") == (name, "Kependudukan", 7, "Penduduk", 2000.0)
    if case != "xlsx-named-xls":  # =1500+500, its result stored by LibreOffice
        assert at("3301010002", "wajib_ktp") == (name, "Kependudukan", 8, "Wajib KTP", 2000.0)
    # row 9 is blank: Gamma stays on row 10
    assert at("3301010003", "ktp_el") == (name, "Kependudukan", 10, "KTP-el", 700.0)
    # second sheet, desa by code as a number, the flag as TRUE/FALSE
    assert at("3301010002", "apb_tepat_waktu") == (name, "Pemerintahan", 3, "apb_tepat_waktu", 0.0)
    assert at("3301010003", "apb_tepat_waktu")[-1] == 1.0


@pytest.mark.parametrize("case, files", [("txt-utf16-bom", ("penduduk.txt", "pemerintahan.txt")),
                                         ("txt-utf16-no-bom", ("penduduk.txt", "pemerintahan.tsv"))])
def test_utf16_text_rows_are_the_lines_of_the_file(case, files):
    obs = load_dataset(DATA / case).observations.set_index(["kode_desa", "variabel"])
    alpha = obs.loc[("3301010001", "penduduk")]
    assert (alpha["berkas"], alpha["lembar"], alpha["baris"], alpha["nilai"]) == (f"2022/{files[0]}", None, 7, 2000.0)
    assert obs.loc[("3301010003", "ktp_el"), "baris"] == 10
    assert obs.loc[("3301010002", "apb_tepat_waktu"), ["berkas", "baris"]].tolist() == [f"2022/{files[1]}", 3]


def test_utf16_fixtures_are_what_libreoffice_wrote_with_and_without_bom():
    for name, other in (("penduduk.txt", "penduduk.txt"), ("pemerintahan.txt", "pemerintahan.tsv")):
        with_bom = (DATA / "txt-utf16-bom" / "2022" / name).read_bytes()
        assert with_bom.startswith(b"\xff\xfe") and with_bom[3:4] == b"\x00"  # UTF-16 LE
        assert (DATA / "txt-utf16-no-bom" / "2022" / other).read_bytes() == with_bom[2:]
    lines = (DATA / "txt-utf16-bom" / "2022" / "penduduk.txt").read_bytes().decode("utf-16").splitlines()
    assert lines[2].startswith("DATA KEPENDUDUKAN") and lines[5] == "No\tDesa\tPenduduk\tWajib KTP\tKTP-el"
    assert lines[6:10] == ["1\tAlpha\t2.000\t1500\t1450", "2\tBeta\t3000\t2000\t2010", "\t\t\t\t",
                           "3\tGamma\t1000\t\t700"]  # the text typed, the formula's result, the blank row


# --- what cannot be read -------------------------------------------------------------------

REJECTED = {
    "xls-bad-cell-row-number": [  # the cell as Excel shows it: sheet, row 8, column header; the error value
        f'GALAT: {WORKBOOK}.xls, lembar "Kependudukan", baris 8, kolom "KTP-el", nilai "2.010 jiwa": {COUNT}',
        f'GALAT: {WORKBOOK}.xls, lembar "Pemerintahan", baris 3, kolom "perangkat_desa", nilai "#DIV/0!": {COUNT}',
    ],
    "ods-bad-cell-row-number": [
        f'GALAT: {WORKBOOK}.ods, lembar "Kependudukan", baris 8, kolom "KTP-el", nilai "2.010 jiwa": {COUNT}',
        f'GALAT: {WORKBOOK}.ods, lembar "Pemerintahan", baris 3, kolom "perangkat_desa", nilai "#DIV/0!": {COUNT}',
    ],
    "xlsb-bad-cell-row-number": [
        f'GALAT: {WORKBOOK}.xlsb, lembar "Kependudukan", baris 8, kolom "KTP-el", nilai "2.010 jiwa": {COUNT}',
        f'GALAT: {WORKBOOK}.xlsb, lembar "Pemerintahan", baris 3, kolom "perangkat_desa", nilai "#DIV/0!": {COUNT}',
    ],
    "unreadable-xlsb-short-cells": [  # calamine would drop every cell after the first of a row
        f"GALAT: {WORKBOOK}.xlsb: berkas Excel biner (.xlsb) ini ditulis oleh program selain Excel dalam bentuk sel "
        "ringkas yang tidak dapat dibaca utuh (sebagian nilainya akan hilang); buka di Excel atau LibreOffice lalu "
        "simpan ulang sebagai .xlsx",
    ],
    "corrupt-xls": [
        "GALAT: 2022/rekap.xls: berkas Excel 97-2003 (.xls) rusak atau terkunci kata sandi (wadah OLE2-nya tidak "
        "terbaca); buka di Excel (lepaskan kata sandinya bila ada) lalu simpan ulang sebagai .xlsx",
    ],
    "corrupt-xlsb": [
        "GALAT: 2022/rekap.xlsb: berkas Excel biner (.xlsb) rusak atau tidak dapat dibaca; buka di Excel lalu simpan "
        "ulang sebagai .xlsx",
    ],
    "xls-actually-html": [
        "GALAT: 2022/penduduk.xls: berkas ini sebenarnya halaman web (HTML) yang diberi nama .xls, bukan berkas Excel; "
        "buka di Excel lalu simpan ulang sebagai .xlsx atau .csv",
    ],
    "unreadable-numbers": [
        "GALAT: 2022/rekap.numbers: format Apple Numbers (.numbers) tidak dapat dibaca; di Numbers pilih Ekspor ke > "
        "Excel (atau CSV), lalu letakkan berkas .xlsx atau .csv hasilnya di folder ini",
    ],
    "unreadable-password": [
        "GALAT: 2022/terkunci.ods: " + LOCKED.format("LibreOffice Calc"),
        "GALAT: 2022/terkunci.xls: " + LOCKED.format("Excel"),
        "GALAT: 2022/terkunci.xlsx: " + LOCKED.format("Excel"),
    ],
}


@pytest.mark.parametrize("case", list(REJECTED))
def test_rejected_format_says_where_and_what_to_do(case):
    problems = validate(load_dataset(DATA / case))
    assert [p.format() for p in problems if p.is_error] == REJECTED[case]


@pytest.mark.parametrize("case", list(REJECTED))
def test_rejected_format_exits_1_without_traceback(case, capsys):
    assert main(["validate", "--data-dir", str(DATA / case)]) == 1
    captured = capsys.readouterr()
    for line in REJECTED[case]:
        assert line in captured.out.splitlines()
    assert "Traceback" not in captured.out + captured.err


# --- files whose name does not say what they hold -------------------------------------------

def copy_to(tmp_path: Path, case: str, name: str, as_name: str) -> Path:
    target = tmp_path / as_name
    shutil.copyfile(DATA / case / "2022" / name, target)
    return target


@pytest.mark.parametrize("case, name, as_name, held, suffix", [
    ("xls-excel-97", "data-desa-2022.xls", "rekap.xlsx", "Excel 97-2003 (.xls)", ".xls"),
    ("xls-excel-97", "data-desa-2022.xls", "rekap.csv", "Excel 97-2003 (.xls)", ".xls"),
    ("ods-libreoffice", "data-desa-2022.ods", "rekap.xls", "OpenDocument (.ods)", ".ods"),
    ("xlsm-values-only", "data-desa-2022.xlsm", "rekap.txt", "Excel (.xlsm)", ".xlsm"),
    ("xlsx-named-xls", "data-desa-2022.xls", "rekap.ods", "Excel (.xlsx)", ".xlsx"),
])
def test_a_spreadsheet_is_read_by_its_content_with_a_warning(tmp_path, case, name, as_name, held, suffix):
    expected, _ = read_tables(DATA / case / "2022" / name, "x", "desa")
    tables, problems = read_tables(copy_to(tmp_path, case, name, as_name), as_name, "desa")
    assert problems[0].kode == "ekstensi_tidak_sesuai" and problems[0].tingkat == "peringatan"
    assert problems[0].pesan == (f"isi berkas ini berformat {held}, bukan {Path(as_name).suffix} seperti namanya; "
                                 f"dibaca menurut isinya (sebaiknya ganti ekstensinya menjadi {suffix})")
    assert [t.lembar for t in tables] == ["Kependudukan", "Pemerintahan"]
    for got, want in zip(tables, expected):
        pdt.assert_frame_equal(got.frame, want.frame)


def test_xlsm_named_xlsx_is_the_same_format(tmp_path):
    tables, problems = read_tables(copy_to(tmp_path, "xlsm-values-only", "data-desa-2022.xlsm", "a.xlsx"),
                                   "a.xlsx", "desa")
    assert len(tables) == 2 and [p.kode for p in problems] == ["lembar_tidak_dibaca"]


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("name, content, message", [
    ("a.xls", b"desa\tpenduduk\r\nAlpha\t2000\r\n",
     "berkas Excel rusak atau bukan berkas .xls (isinya teks biasa, bukan berkas Excel 97-2003); bila isinya tabel "
     "data, ganti ekstensinya menjadi .csv"),
    ("a.xls", b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns='
              b'"urn:schemas-microsoft-com:office:spreadsheet"><Worksheet/></Workbook>',
     "berkas ini berformat XML Spreadsheet 2003 (diberi nama .xls), yang tidak dapat dibaca; buka di Excel lalu "
     "simpan ulang sebagai .xlsx atau .csv"),
    ("a.xls", b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n",
     "berkas ini sebenarnya halaman web (HTML) yang diberi nama .xls, bukan berkas Excel"),
    ("a.csv", b"<!DOCTYPE html>\n<html><body><table><tr><td>desa</td></tr></table></body></html>",
     "berkas ini sebenarnya halaman web (HTML) yang diberi nama .csv, bukan berkas CSV"),
    ("a.txt", "<html><table><tr><td>desa</td></tr></table></html>".encode("utf-16"),
     "berkas ini sebenarnya halaman web (HTML) yang diberi nama .txt"),
    ("a.xlsx", zip_bytes({"Index/Document.iwa": b"\x00" * 40}),
     "berkas ini sebenarnya berkas Apple Numbers yang diberi nama .xlsx; format Apple Numbers (.numbers) tidak "
     "dapat dibaca"),
    ("a.xlsx", zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
     "berkas ini dokumen (misalnya Word atau PowerPoint) yang diberi nama .xlsx, bukan lembar kerja"),
    ("a.csv", zip_bytes({"foto.jpg": b"\xff\xd8"}),
     "berkas ini sebenarnya arsip ZIP (bukan lembar kerja) yang diberi nama .csv"),
    ("a.ods", b"\x00\x01" * 300, "berkas OpenDocument rusak atau bukan berkas .ods (isinya bukan arsip OpenDocument); "
                                 "simpan ulang dari LibreOffice Calc sebagai .xlsx"),
])
def test_content_that_cannot_be_read_gets_a_precise_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    tables, [problem] = read_tables(path, name, "desa")
    assert tables == [] and problem.is_error and problem.kode == "berkas_tidak_terbaca"
    assert message in problem.pesan, problem.pesan


def test_a_password_protected_xlsx_named_anything_is_reported_as_locked(tmp_path):
    for as_name in ("a.xlsx", "a.xls", "a.csv"):
        path = copy_to(tmp_path, "unreadable-password", "terkunci.xlsx", as_name)
        _, [problem] = read_tables(path, as_name, "desa")
        assert problem.pesan == LOCKED.format("Excel"), as_name


# --- the cells calamine reads as empty -------------------------------------------------------

def test_ods_formula_without_stored_result_is_reported_like_xlsx(tmp_path):
    # a program that writes .ods may leave out the result (no office:value-type), as for .xlsx
    source = DATA / "ods-libreoffice" / "2022" / "data-desa-2022.ods"
    path = tmp_path / "rumus.ods"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "content.xml":
                start = data.index(b'table:formula="of:=1500+500"')
                cell_start = data.rindex(b"<table:table-cell", 0, start)
                cell_end = data.index(b"</table:table-cell>", start) + len(b"</table:table-cell>")
                data = data[:cell_start] + b'<table:table-cell table:formula="of:=1500+500"/>' + data[cell_end:]
            out.writestr(item, data)
    [table, _], _ = read_tables(path, "rumus.ods", "desa")
    cell = table.frame.loc[8, "wajib_ktp"]
    assert isinstance(cell, FormulaWithoutValue) and cell == "=1500+500"


def test_error_values_are_their_text_in_every_spreadsheet_format():
    for case, suffix in (("xls-bad-cell-row-number", ".xls"), ("ods-bad-cell-row-number", ".ods"),
                         ("xlsb-bad-cell-row-number", ".xlsb")):
        tables, _ = read_tables(DATA / case / "2022" / f"data-desa-2022{suffix}", "x", "desa")
        assert tables[1].lembar == "Pemerintahan" and tables[1].frame.loc[3, "perangkat_desa"] == "#DIV/0!"


XLS_ERRORS = ["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"]  # every error value of Excel 97
# writer -> (its program, None when not installed; how it writes an .xlsx as .xls)
XLS_WRITERS = {
    "LibreOffice": (make_fixtures.SOFFICE, None),
    "Gnumeric, Excel 97": (shutil.which("ssconvert"), "Gnumeric_Excel:excel_biff8"),
    "Gnumeric, Excel 5.0/95": (shutil.which("ssconvert"), "Gnumeric_Excel:excel_biff7"),  # a "Book" stream, BIFF5
}


@pytest.mark.parametrize("writer", list(XLS_WRITERS))
def test_every_error_value_in_an_xls_is_its_text(tmp_path, writer):
    # typed as values on one sheet (Gnumeric keeps them so, a BOOLERR record; LibreOffice writes =#N/A and the
    # like), a formula's result on the other
    import subprocess

    import openpyxl

    program, filter_name = XLS_WRITERS[writer]
    if program is None:
        pytest.skip(f"{writer} is not installed")
    book = openpyxl.Workbook()
    typed = book.active
    typed.title = "Galat"
    typed.append(["desa", "nilai"])
    for row, text in enumerate(XLS_ERRORS, start=2):
        typed.cell(row, 1, f"Desa {row}")
        typed.cell(row, 2, text).data_type = "e"
    book.create_sheet("Rumus").append(["desa", "nilai"])
    book["Rumus"].append(["Alpha", 5])
    book["Rumus"].append(["Beta", "=1/0"])
    book.save(tmp_path / "galat.xlsx")
    if filter_name is None:
        make_fixtures.convert([tmp_path / "galat.xlsx"], "xls", tmp_path, tmp_path / "profile")
    else:
        subprocess.run([program, "-T", filter_name, str(tmp_path / "galat.xlsx"), str(tmp_path / "galat.xls")],
                       check=True, capture_output=True, timeout=300)
    (typed, formulas), problems = read_tables(tmp_path / "galat.xls", "galat.xls", "desa")
    assert problems == []
    assert list(typed.frame["nilai"]) == XLS_ERRORS
    assert formulas.frame["nilai"].to_dict() == {2: 5, 3: "#DIV/0!"}


def test_an_ole2_file_without_a_workbook_is_a_document(tmp_path):
    # the container of a Word or PowerPoint 97-2003 file: here an .xls whose Workbook stream is renamed
    data = (DATA / "xls-excel-97" / "2022" / "data-desa-2022.xls").read_bytes()
    path = tmp_path / "a.xls"
    path.write_bytes(data.replace("Workbook".encode("utf-16-le"), "Wordbook".encode("utf-16-le")))
    tables, [problem] = read_tables(path, "a.xls", "desa")
    assert tables == [] and problem.pesan.startswith("berkas ini dokumen (misalnya Word atau PowerPoint) yang "
                                                     "diberi nama .xls, bukan lembar kerja")


# --- damaged files: a message, never a crash ---------------------------------------------------

@pytest.mark.parametrize("case, name", [
    ("xls-excel-97", "data-desa-2022.xls"), ("ods-libreoffice", "data-desa-2022.ods"),
    ("xlsm-values-only", "data-desa-2022.xlsm"), ("xlsb-full-cell-records", "data-desa-2022.xlsb"),
    ("txt-utf16-no-bom", "penduduk.txt"),
])
def test_damaged_files_are_reported_never_raise(tmp_path, case, name):
    good = (DATA / case / "2022" / name).read_bytes()
    rng = random.Random(name)
    variants = [good[:n] for n in sorted(rng.sample(range(1, len(good)), 12))]
    for _ in range(12):
        damaged = bytearray(good)
        for at in rng.sample(range(len(good)), 8):
            damaged[at] = rng.randrange(256)
        variants.append(bytes(damaged))
    for i, data in enumerate(variants):
        path = tmp_path / f"{i}{Path(name).suffix}"
        path.write_bytes(data)
        tables, problems = read_tables(path, path.name, "desa")  # must not raise
        assert tables or any(p.is_error for p in problems)


BROKEN_XLS = "berkas Excel 97-2003 (.xls) rusak atau tidak dapat dibaca; buka di Excel lalu simpan ulang sebagai .xlsx"


def test_a_panic_inside_calamine_is_an_unreadable_file_kept_off_the_terminal(tmp_path, capfd):
    # one byte of the Workbook stream changed: python-calamine 0.9.1 panics (raised in Python as
    # PanicException, a BaseException) and its Rust code prints a report to stderr
    data = bytearray((DATA / "xls-excel-97" / "2022" / "data-desa-2022.xls").read_bytes())
    data[4678] = 155
    path = tmp_path / "rusak.xls"
    path.write_bytes(bytes(data))
    tables, [problem] = read_tables(path, "rusak.xls", "desa")
    assert tables == [] and problem.pesan == BROKEN_XLS
    assert capfd.readouterr().err == ""


def test_calamine_panics_are_caught_and_interrupts_are_not(tmp_path, monkeypatch, capfd):
    import os

    import python_calamine

    class PanicException(BaseException):  # pyo3's, which cannot be imported
        pass

    class Workbook:
        raised: type[BaseException] = PanicException

        @classmethod
        def from_path(cls, path):
            os.write(2, b"thread '<unnamed>' panicked at src/xls.rs\n")
            raise cls.raised("index out of bounds")

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Workbook)
    path = copy_to(tmp_path, "xls-excel-97", "data-desa-2022.xls", "a.xls")
    _, [problem] = read_tables(path, "a.xls", "desa")
    assert problem.pesan == BROKEN_XLS and capfd.readouterr().err == ""
    Workbook.raised = KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        read_tables(path, "a.xls", "desa")


# --- extensions in a year folder --------------------------------------------------------------

def test_formats_that_cannot_be_read_and_files_that_are_not_data(tmp_path):
    data = tmp_path / "d"
    shutil.copytree(KECIL, data)
    (data / "2022" / "rekap.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    (data / "2022" / "rekap.gsheet").write_text('{"url": "https://docs.google.com/spreadsheets/d/x"}')
    (data / "2022" / "surat.pdf").write_bytes(b"%PDF")
    got = [(p.tingkat, p.berkas, p.kode, p.pesan) for p in load_dataset(data).problems]
    assert got == [
        ("galat", "2022/rekap.et", "format_tidak_didukung",
         "format WPS Spreadsheets (.et) tidak dapat dibaca; di WPS simpan ulang sebagai .xlsx atau .csv"),
        ("galat", "2022/rekap.gsheet", "format_tidak_didukung",
         "berkas .gsheet hanya tautan ke Google Sheets (datanya tidak ada di sini); buka di Google Sheets, pilih "
         "File > Download > Microsoft Excel (.xlsx) atau CSV, lalu letakkan hasilnya di folder ini"),
        ("peringatan", "2022/surat.pdf", "berkas_tidak_dibaca",
         "berkas ini bukan berkas data (.csv, .txt, .tsv, .xlsx, .xlsm, .xls, .xlsb, .ods) sehingga tidak dibaca"),
    ]


def test_txt_and_tsv_are_data_files_and_a_note_is_told_how_to_stay(tmp_path):
    data = tmp_path / "d"
    shutil.copytree(KECIL, data)
    (data / "2022" / "tambahan.tsv").write_text("desa\trtlh\nAlpha\t25\n", encoding="utf-8")
    (data / "2022" / "catatan.txt").write_text("Catatan: data diterima bulan Januari.\n", encoding="utf-8")
    (data / "2022" / "README.txt").write_text("catatan\n", encoding="utf-8")
    dataset = load_dataset(data)
    assert "2022/tambahan.tsv" in set(dataset.repeated["berkas"])  # Alpha's rtlh again, same value
    [problem] = dataset.problems
    assert problem.format() == (
        'GALAT: 2022/catatan.txt: tidak ada kolom "desa" di berkas ini; baris judul tabel harus memuat kolom berjudul '
        '"desa"; bila berkas ini catatan, bukan tabel data, beri nama yang diawali "README" atau simpan di luar folder '
        "data")


def test_register_as_text_is_told_to_be_renamed(tmp_path):
    data = tmp_path / "d"
    shutil.copytree(KECIL, data)
    (data / "desa.csv").rename(data / "desa.txt")
    (data / "desa.xls").write_bytes(b"")
    [problem] = [p for p in load_dataset(data).problems if p.kode == "register_tidak_ada"]
    assert problem.pesan.startswith("daftar desa tidak ada (ada desa.txt: ganti namanya menjadi desa.csv; desa.xls: "
                                    "simpan ulang sebagai CSV bernama desa.csv)")


# --- the fixtures are what the generator writes ---------------------------------------------

def test_format_fixtures_without_libreoffice_are_reproducible(tmp_path):
    made = make_fixtures.generate_formats(tmp_path)
    assert sorted(p.name for p in made) == ["corrupt-xls", "corrupt-xlsb", "unreadable-numbers", "xls-actually-html",
                                            "xlsx-named-xls"]
    for folder in made:
        files = {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()}
        assert files == {p.relative_to(DATA / folder.name) for p in (DATA / folder.name).rglob("*") if p.is_file()}
        for path in files:
            assert (folder / path).read_bytes() == (DATA / folder.name / path).read_bytes(), path


def test_every_format_case_is_tested():
    cases = (set(make_fixtures.FORMAT_CASES) | set(make_fixtures.LIBREOFFICE_CASES) | {make_fixtures.PASSWORD_CASE}
             | set(make_fixtures.SHEETJS_CASES))
    assert cases == set(ACCEPTED) | set(REJECTED)


@pytest.mark.skipif(make_fixtures.SOFFICE is None, reason="LibreOffice is not installed (CI reads the committed files)")
def test_libreoffice_writes_fixtures_that_read_the_same(tmp_path, kecil):
    made = make_fixtures.generate_libreoffice(tmp_path)
    assert {p.name for p in made} >= set(make_fixtures.LIBREOFFICE_CASES)
    for folder in made:
        dataset = load_dataset(folder)
        if folder.name in ACCEPTED:
            assert [p.kode for p in dataset.problems] == ACCEPTED[folder.name]
            pdt.assert_frame_equal(compute(dataset, 2022), kecil[1])
        else:
            assert [p.format() for p in validate(dataset) if p.is_error] == REJECTED[folder.name]


@pytest.mark.parametrize("case, scan", [("xls-excel-97", "_xls_errors"), ("ods-libreoffice", "_ods_special_cells")])
def test_a_scan_for_error_cells_that_cannot_finish_is_a_warning_not_a_silence(monkeypatch, case, scan):
    """calamine reads error values (#DIV/0!) as empty cells; a separate scan puts them back.
    When that scan fails on a file calamine did read (a damaged file), the values are still
    used, but the reader says that a blank cell may hide an error value."""
    from iku_lib.ingest import spreadsheets

    def broken(path):
        raise ValueError("damaged record")

    monkeypatch.setattr(spreadsheets, scan, broken)
    (data,) = (DATA / case / "2022").glob("data-desa-2022.*")
    tables, problems = read_tables(data, f"2022/{data.name}", "desa")
    assert tables
    assert [(p.tingkat, p.kode) for p in problems if p.kode == "pemeriksaan_tidak_selesai"] == \
        [("peringatan", "pemeriksaan_tidak_selesai")]
    assert "sel seperti itu bisa terbaca kosong" in next(p.pesan for p in problems if p.kode == "pemeriksaan_tidak_selesai")
