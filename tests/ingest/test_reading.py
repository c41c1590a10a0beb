"""Reading delivered files into tables: headers, row numbers as the user sees them, encodings,
delimiters, Excel layouts, and files that cannot be read. Other spreadsheet formats and files
whose name does not say what they hold: test_formats.py."""

import random
import re
import zipfile

import openpyxl
import pytest

from iku_lib.ingest.parsing import FormulaWithoutValue
from iku_lib.ingest.reading import column_letter, normalise_header, read_tables


def kinds(problems):
    return [p.kode for p in problems]


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


# --- headers -------------------------------------------------------------------------------

@pytest.mark.parametrize("written, key", [
    ("Wajib KTP", "wajib_ktp"), ("wajib_ktp", "wajib_ktp"), ("  WAJIB   ktp ", "wajib_ktp"),
    ("KTP-el", "ktp_el"), ("Laporan\nDitindaklanjuti", "laporan_ditindaklanjuti"), ("No.", "no"),
    ("DESA", "desa"), ("Kode Desa", "kode_desa"), (None, ""), (2022, "2022"),
])
def test_normalise_header(written, key):
    assert normalise_header(written) == key


def test_column_letters():
    assert [column_letter(i) for i in (0, 1, 25, 26, 51, 52, 701, 702)] == \
        ["A", "B", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


# --- CSV -----------------------------------------------------------------------------------

def test_csv_title_rows_above_the_header_and_row_numbers(tmp_path):
    path = write(tmp_path / "a.csv", "Data penduduk 2022\n\nDesa,Penduduk\nAlpha,10\n\nBeta,20\n")
    [table], problems = read_tables(path, "2022/a.csv", "desa")
    assert problems == []
    assert table.header_row == 3
    assert list(table.frame.index) == [4, 6]  # the blank line 5 is skipped, numbering kept
    assert list(table.frame.columns) == ["desa", "penduduk"]
    assert table.columns_as_written == {"desa": "Desa", "penduduk": "Penduduk"}
    assert table.frame.loc[6, "penduduk"] == "20"


def test_csv_row_numbers_count_lines_of_a_quoted_multiline_cell(tmp_path):
    path = write(tmp_path / "a.csv", 'desa,keterangan,penduduk\nAlpha,"baris satu\nbaris dua",10\nBeta,,20\n')
    [table], _ = read_tables(path, "a.csv", "desa")
    assert list(table.frame.index) == [2, 4]  # Beta is on line 4 of the file


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters(tmp_path, delimiter):
    path = write(tmp_path / "a.csv", delimiter.join(["desa", "penduduk", "rtlh"]) + "\nAlpha" + delimiter + "10"
                 + delimiter + "2\n")
    [table], problems = read_tables(path, "a.csv", "desa")
    assert problems == []
    assert table.frame.loc[2].tolist() == ["Alpha", "10", "2"]


def test_csv_delimiter_is_the_one_that_gives_a_desa_header(tmp_path):
    # the title line has commas; the table is semicolon-delimited with decimal commas
    path = write(tmp_path / "a.csv", "Rekap, Kecamatan Kaloran, 2022\ndesa;pbb_ketetapan;pbb_realisasi\n"
                                     "Alpha;50.000.000;45.000.000,50\n")
    [table], _ = read_tables(path, "a.csv", "desa")
    assert table.header_row == 2
    assert table.frame.loc[3].tolist() == ["Alpha", "50.000.000", "45.000.000,50"]


@pytest.mark.parametrize("encoding, prefix", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b""),
                                              ("utf-16", b"")])
def test_csv_encodings(tmp_path, encoding, prefix):
    text = "desa,keterangan\r\nAlpha,Café – ½ jadi\r\n"
    path = tmp_path / "a.csv"
    path.write_bytes(prefix + text.encode(encoding))  # Python's utf-16 codec writes a BOM
    [table], problems = read_tables(path, "a.csv", "desa")
    assert problems == []
    assert list(table.frame.columns) == ["desa", "keterangan"]  # no BOM glued to "desa"
    assert table.frame.loc[2, "keterangan"] == "Café – ½ jadi"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("name", ["a.txt", "a.tsv", "a.csv"])
def test_utf16_without_bom_is_text(tmp_path, encoding, name):
    # Excel's "Unicode Text" is tab-separated UTF-16; some programs write it without the BOM
    text = "Rekap 2022\r\ndesa\tketerangan\r\nAlpha\tCafé – ½ jadi\r\n"
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    [table], problems = read_tables(path, name, "desa")
    assert problems == []
    assert table.header_row == 2 and table.frame.loc[3, "keterangan"] == "Café – ½ jadi"


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(random.Random(1).randrange(256) for _ in range(400)),
    bytes(random.Random(2).randrange(256) for _ in range(4000)),  # NULs at both parities
    b"\x00" * 200,  # a NUL character is no text
    "desa,penduduk\nAlpha,1\n".encode("utf-16-le") + b"\x00",  # odd length: not UTF-16
    "desa,penduduk\nAlpha,1\n".encode("utf-32-le"),  # NUL high bytes at both parities
    "desa\tpenduduk\n".encode("utf-16-le") + b"\x00\x00" * 30 + b"\x01\x00" * 30,  # padding, control characters
    b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"\x02\x00\x3e\x00" * 100,  # an executable
])
def test_binary_is_not_mistaken_for_utf16_without_bom(tmp_path, content):
    path = tmp_path / "a.txt"
    path.write_bytes(content)
    tables, [problem] = read_tables(path, "a.txt", "desa")
    assert tables == [] and problem.kode == "berkas_tidak_terbaca"
    assert problem.pesan.startswith("berkas bukan teks (berisi ")


def test_csv_row_wider_than_the_header_is_refused_at_its_line(tmp_path):
    """An unquoted decimal comma (10,5 -> two cells) shifts the values: an error at that row, not
    a warning at the header (issue 12); the row is not used, the other rows are."""
    path = write(tmp_path / "a.csv", "desa,penduduk\nAlpha,10,5\nBeta,20\n")
    [table], problems = read_tables(path, "a.csv", "desa")
    assert [p.format() for p in problems] == [
        'GALAT: a.csv, baris 2, kolom "kolom ke-3", nilai "5": baris ini berisi 3 sel, lebih banyak dari 2 judul '
        "kolom, sehingga nilainya bergeser ke kolom yang salah; periksa koma desimal tanpa tanda kutip (tulis 97.5 "
        'atau "97,5") atau pemisah yang berlebih']
    assert table.frame.index.tolist() == [3]


def test_csv_duplicate_header_is_an_error(tmp_path):
    path = write(tmp_path / "a.csv", "desa,Wajib KTP,wajib_ktp\nAlpha,1,2\n")
    [table], problems = read_tables(path, "a.csv", "desa")
    assert [(p.tingkat, p.kode, p.kolom) for p in problems] == [("galat", "kolom_ganda", "wajib_ktp")]
    assert list(table.frame.columns) == ["desa", "wajib_ktp"]


def test_csv_header_only_is_a_warning(tmp_path):
    path = write(tmp_path / "a.csv", "desa,penduduk\n\n")
    [table], problems = read_tables(path, "a.csv", "desa")
    assert table.frame.empty
    assert [(p.tingkat, p.kode, p.baris) for p in problems] == [("peringatan", "tanpa_baris_data", 1)]


def test_csv_without_key_column_points_at_a_lookalike(tmp_path):
    path = write(tmp_path / "a.csv", "No,Nama Desa,penduduk\n1,Alpha,10\n")
    tables, [problem] = read_tables(path, "2022/a.csv", "desa")
    assert tables == []
    assert problem.format() == ('GALAT: 2022/a.csv: tidak ada kolom "desa" di berkas ini; baris judul tabel harus '
                                'memuat kolom berjudul "desa"; ada kolom "Nama Desa" (baris 1): ganti judulnya '
                                'menjadi "desa"')


@pytest.mark.parametrize("content, message", [
    (b"", "berkas kosong"),
    (b"  \r\n\n ", "berkas kosong"),
    (b"desa,penduduk\x00\x00\x01\x02", "berkas bukan teks (berisi data biner)"),
    (b"PK\x03\x04" + b"\x00" * 40, "sebenarnya berkas Excel (.xlsx) yang diberi nama .csv"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "sebenarnya berkas Excel lama (.xls)"),
    (bytes(range(1, 32)) * 20, "berkas bukan teks (berisi karakter kendali)"),
    (b"desa\x81\x8d\x8f\x90\x9d", "bukan teks UTF-8 atau Windows-1252"),
])
def test_unreadable_csv(tmp_path, content, message):
    path = tmp_path / "a.csv"
    path.write_bytes(content)
    tables, [problem] = read_tables(path, "2022/a.csv", "desa")
    assert tables == []
    assert problem.is_error and problem.berkas == "2022/a.csv"
    assert message in problem.pesan


def test_missing_file_is_unreadable_not_a_crash(tmp_path):
    tables, [problem] = read_tables(tmp_path / "tidak-ada.csv", "tidak-ada.csv", "desa")
    assert problem.kode == "berkas_tidak_terbaca" and "tidak dapat dibuka" in problem.pesan


# --- Excel ---------------------------------------------------------------------------------

def titled_workbook(path):
    """Blank rows 1-2, a merged title in row 3, header in row 5, data in rows 6, 7 and 9."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Penduduk"
    ws["A3"] = "DATA PENDUDUK 2022"
    ws.merge_cells("A3:D3")
    for col, name in enumerate(["No", "Desa", "Penduduk", "Wajib KTP"], start=1):
        ws.cell(row=5, column=col, value=name)
    ws.append([1, "Alpha", 2000, 1500])  # row 6
    ws.append([2, "Beta", 3000, 2000])  # row 7
    ws.cell(row=9, column=2, value="Gamma")
    ws.cell(row=9, column=3, value=1000)
    ws.cell(row=30, column=10).number_format = "0.00"  # a styled empty cell far away
    other = book.create_sheet("Catatan")
    other["A1"] = "hanya catatan"
    book.create_sheet("Kosong")
    book.save(path)
    return path


def test_xlsx_row_numbers_are_excel_rows(tmp_path):
    path = titled_workbook(tmp_path / "a.xlsx")
    [table], problems = read_tables(path, "2022/a.xlsx", "desa")
    assert table.lembar == "Penduduk"
    assert table.header_row == 5
    assert list(table.frame.index) == [6, 7, 9]
    assert table.frame.loc[9, "penduduk"] == 1000
    assert table.frame.loc[7, "wajib_ktp"] == 2000
    # a sheet with content but no desa column is reported; an empty sheet is not
    assert [(p.tingkat, p.kode, p.lembar) for p in problems] == [("peringatan", "lembar_tidak_dibaca", "Catatan")]


def test_xlsx_wrong_recorded_dimensions_do_not_drop_rows(tmp_path):
    path = titled_workbook(tmp_path / "a.xlsx")
    # rewrite the sheet's <dimension> to "A1", as some programs do
    broken = tmp_path / "b.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
                assert n == 1
            dst.writestr(item, data)
    # the premise: openpyxl's read-only mode trusts the recorded dimension and sees one cell
    book = openpyxl.load_workbook(broken, read_only=True)
    assert [list(r) for r in book["Penduduk"].iter_rows(values_only=True)] == [[None]]
    book.close()
    [table], _ = read_tables(broken, "b.xlsx", "desa")
    assert list(table.frame.index) == [6, 7, 9]
    assert table.frame.loc[9, "desa"] == "Gamma"


def test_xlsx_formula_without_stored_value_is_kept_for_reporting(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["desa", "penduduk", "wajib_ktp"])
    ws.append(["Alpha", 2000, "=B2*0.75"])  # openpyxl stores the formula, not its result
    path = tmp_path / "a.xlsx"
    book.save(path)
    [table], _ = read_tables(path, "a.xlsx", "desa")
    cell = table.frame.loc[2, "wajib_ktp"]
    assert isinstance(cell, FormulaWithoutValue) and cell == "=B2*0.75"


def test_xlsx_unnamed_column_is_named_by_its_letter(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["desa", "penduduk", None, None])
    ws.append(["Alpha", 2000, None, 17])
    path = tmp_path / "a.xlsx"
    book.save(path)
    _, [problem] = read_tables(path, "a.xlsx", "desa")
    assert (problem.kode, problem.kolom, problem.lembar, problem.baris) == ("kolom_tanpa_judul", "kolom D", "Sheet", 1)


def test_xlsx_without_desa_column_in_any_sheet(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Nama Desa", "penduduk"])
    book.active.append(["Alpha", 1])
    book.create_sheet("Lain")["B2"] = "catatan"
    path = tmp_path / "a.xlsx"
    book.save(path)
    tables, [problem] = read_tables(path, "a.xlsx", "desa")
    assert tables == []
    assert problem.pesan == ('tidak ada kolom "desa" di lembar mana pun (Sheet, Lain); baris judul tabel harus memuat '
                             'kolom berjudul "desa"; ada kolom "Nama Desa" (lembar "Sheet", baris 1): ganti judulnya '
                             'menjadi "desa"')


def test_xlsx_with_no_cells_is_empty(tmp_path):
    path = tmp_path / "a.xlsx"
    openpyxl.Workbook().save(path)
    tables, [problem] = read_tables(path, "a.xlsx", "desa")
    assert (problem.tingkat, problem.kode) == ("galat", "berkas_kosong")


def test_unreadable_xlsx(tmp_path):
    good = titled_workbook(tmp_path / "good.xlsx").read_bytes()
    cases = {
        "truncated.xlsx": (good[:1500], "berkas Excel rusak atau bukan berkas .xlsx"),
        "zero.xlsx": (b"", "berkas kosong"),
        "text.xlsx": (b"desa,penduduk\nAlpha,1\n", "berkas Excel rusak atau bukan berkas .xlsx"),
        "locked.xlsx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "terkunci kata sandi"),
    }
    wrong_zip = tmp_path / "wrongzip.xlsx"
    with zipfile.ZipFile(wrong_zip, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    for name, (content, _) in cases.items():
        (tmp_path / name).write_bytes(content)
    cases["wrongzip.xlsx"] = (None, "berkas Excel rusak atau tidak dapat dibaca")
    for name, (_, message) in cases.items():
        tables, [problem] = read_tables(tmp_path / name, name, "desa")
        assert tables == [] and problem.is_error, name
        assert message in problem.pesan, (name, problem.pesan)
        assert "Traceback" not in problem.pesan
