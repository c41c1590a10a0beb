"""Files that could hang a run or take unbounded memory: read by what they hold, within limits.

A sheet declared huge (one formatted cell at XFD1048576) or with hundreds of thousands of
formatted empty rows is read by the cells that hold something; a value beyond
`MAX_SHEET_ROWS` x `MAX_SHEET_COLUMNS`, a text line longer than `MAX_LINE_LENGTH` or a row of
more than `MAX_TEXT_COLUMNS` cells refuses the file (`melebihi_batas`), with the same message
whichever reader (DuckDB or the careful one) reads it; a FIFO, a socket or a broken symlink in
the data directory is never opened and is named (`berkas_dilewati`). Each case runs `iku
validate` in a separate process with a timeout and checks its peak memory (ru_maxrss of the
children). The limits are in docs/data-quality.md ("Limits").
"""

from __future__ import annotations

import io
import os
import re
import resource
import shutil
import socket
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill

from iku_lib import load_dataset
from iku_lib.ingest import textsql
from iku_lib.ingest.reading import MAX_LINE_LENGTH, MAX_TEXT_COLUMNS, read_tables
from iku_lib.ingest.spreadsheets import MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, openpyxl_rows

from ..conftest import DATA, KECIL, ROOT

GIB_KB = 1024 * 1024  # ru_maxrss is in kilobytes on Linux
SECONDS = 30


def validate(data_dir: Path, cwd: Path) -> tuple[subprocess.CompletedProcess, float]:
    """`iku validate --data-dir data_dir`, as a user runs it; (result, seconds). Fails when it
    takes more than SECONDS or when the process peaks at 1 GiB or more."""
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "iku_lib", "validate", "--data-dir", str(data_dir)],
                            capture_output=True, text=True, cwd=cwd, timeout=SECONDS,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    seconds = time.monotonic() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child so far, this one included
    assert peak < GIB_KB, f"{peak / 1024:.0f} MiB"
    assert "Traceback" not in result.stderr
    return result, seconds


def kecil(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(KECIL, data)
    return data


def lines(result: subprocess.CompletedProcess, start: str) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if line.startswith(start)]


# --- spreadsheets ----------------------------------------------------------------------------

def test_limits_are_what_the_documentation_says():
    assert (MAX_SHEET_ROWS, MAX_SHEET_COLUMNS, MAX_LINE_LENGTH, MAX_TEXT_COLUMNS) == (200_000, 500, 100_000, 500)
    guide = (ROOT / "docs" / "data-quality.md").read_text(encoding="utf-8")
    assert "200.000 rows x 500 columns" in guide and "100.000 characters per line" in guide


def test_a_sheet_declared_huge_is_read_by_the_cells_it_holds(tmp_path):
    # one formatted cell at XFD1048576: the sheet's dimension is A1:XFD1048576
    book = DATA / "xlsx-lembar-raksasa" / "2022" / "lembar-raksasa.xlsx"
    with zipfile.ZipFile(book) as archive:
        assert b'<dimension ref="A1:XFD1048576"/>' in archive.read("xl/worksheets/sheet1.xml")
    assert openpyxl_rows(book) == [("Data", [(1, ["desa", "penduduk"]), (2, ["Alpha", 2000])])]
    data = kecil(tmp_path)
    shutil.copy(book, data / "2022")
    result, seconds = validate(data, tmp_path)
    assert result.returncode == 0 and seconds < SECONDS
    assert lines(result, "GALAT") == []


def styled_empty_rows(path: Path, rows: int, columns: int = 3) -> None:
    """A small workbook (a header, one desa) followed by `rows` formatted empty rows, each with
    `columns` formatted empty cells, as Excel writes them (<c r="A9" s="1"/>); written with
    openpyxl, the empty rows then added to the sheet's XML (openpyxl takes minutes to write them)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(["desa", "penduduk"])
    sheet.append(["Alpha", 2000])
    sheet["A3"].fill = PatternFill("solid", fgColor="FFFF00")  # the style the empty cells use (s="1")
    buffer = io.BytesIO()
    book.save(buffer)
    letters = [openpyxl.utils.get_column_letter(c) for c in range(1, columns + 1)]
    empty = "".join(f'<row r="{r}" s="1" customFormat="1">' + "".join(f'<c r="{c}{r}" s="1"/>' for c in letters)
                    + "</row>" for r in range(4, 4 + rows))
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                text = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{letters[-1]}{3 + rows}"/>', text)
                data = text.replace("</sheetData>", empty + "</sheetData>").encode("utf-8")
            target.writestr(item, data)


def test_hundreds_of_thousands_of_formatted_empty_rows_cost_nothing(tmp_path):
    data = kecil(tmp_path)
    path = data / "2022" / "berformat.xlsx"
    styled_empty_rows(path, 400_000)
    assert path.stat().st_size < 10_000_000
    assert openpyxl_rows(path) == [("Data", [(1, ["desa", "penduduk"]), (2, ["Alpha", 2000])])]
    result, seconds = validate(data, tmp_path)
    assert result.returncode == 0 and seconds < SECONDS
    assert lines(result, "GALAT") == []


def test_openpyxl_positions_cells_without_reference_and_skips_formatting(tmp_path):
    # cells without r= are placed by counting, formatted ones included; a formula without a stored
    # result is kept (reported later), a shared formula is read from its first cell
    path = tmp_path / "tanpa-referensi.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["desa", "penduduk"])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = ('<row r="2"><c t="inlineStr"><is><t>Beta</t></is></c><c s="1"/><c><v>7</v></c></row>'
            '<row r="3"><c r="A3" s="1"/><c r="B3"><f>1+1</f></c></row>')
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
            target.writestr(item, data)
    [(_, got)] = openpyxl_rows(path)
    assert got == [(1, ["desa", "penduduk"]), (2, ["Beta", None, 7]), (3, [None, "=1+1"])]
    assert type(got[2][1][1]).__name__ == "FormulaWithoutValue"


@pytest.mark.parametrize(("cell", "message"), [
    ("B200001", 'lembar "Data" berisi nilai di sel B200001, di luar batas yang dibaca (200.000 baris x 500 kolom per '
                "lembar, sampai sel SF200000); hapus isi sel di luar tabel itu, atau bagi datanya ke beberapa berkas, "
                "lalu simpan ulang"),
    ("SG2", 'lembar "Data" berisi nilai di sel SG2, di luar batas yang dibaca (200.000 baris x 500 kolom per lembar, '
            "sampai sel SF200000); hapus isi sel di luar tabel itu, atau bagi datanya ke beberapa berkas, lalu simpan "
            "ulang"),
])
def test_a_value_beyond_the_limits_refuses_the_file(tmp_path, cell, message):
    data = kecil(tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(["desa", "penduduk"])
    sheet.append(["Alpha", 2000])
    sheet[cell] = "x"
    sheet["XFD1048576"].font = Font(bold=True)  # formatting beyond the limits is no value: not what is refused
    book.save(data / "2022" / "jauh.xlsx")
    [problem] = read_tables(data / "2022" / "jauh.xlsx", "2022/jauh.xlsx", "desa")[1]
    assert (problem.kode, problem.lembar, problem.pesan) == ("melebihi_batas", "Data", message)
    result, seconds = validate(data, tmp_path)
    assert result.returncode == 1 and seconds < SECONDS
    assert lines(result, "GALAT") == [f'GALAT: 2022/jauh.xlsx, lembar "Data": {message}']


ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
    '<office:spreadsheet><table:table table:name="Data">'
    '<table:table-row><table:table-cell office:value-type="string"><text:p>desa</text:p></table:table-cell>'
    '<table:table-cell office:value-type="string"><text:p>penduduk</text:p></table:table-cell></table:table-row>'
    '<table:table-row><table:table-cell office:value-type="string"><text:p>Alpha</text:p></table:table-cell>'
    '<table:table-cell office:value-type="float" office:value="2000"><text:p>2000</text:p></table:table-cell>'
    '</table:table-row>'
    '<table:table-row table:number-rows-repeated="{gap}"><table:table-cell table:number-columns-repeated="2"/>'
    '</table:table-row>'
    '<table:table-row><table:table-cell table:number-columns-repeated="{before}"/>'
    '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
    '</table:table></office:spreadsheet></office:body></office:document-content>')


def write_ods(path: Path, row: int, column: int) -> None:
    """An .ods (as LibreOffice stores it: repeated empty rows and cells written once) with
    desa/penduduk, one row of Alpha, and "x" at (`row`, `column`), 1-based."""
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", ODS_CONTENT.format(gap=row - 3, before=column - 1), zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)


FAR_ODS = ('lembar "Data" membentang dari A1 sampai sel CV100000 (100.000 baris x 100 kolom = 10.000.000 sel); berkas '
           "OpenDocument (.ods) dibaca utuh sebagai satu blok, paling banyak 4.000.000 sel per lembar. Hapus isi sel "
           "yang jauh dari tabel, atau simpan berkas sebagai .xlsx (yang dibaca per sel berisi), lalu coba lagi")


@pytest.mark.parametrize(("row", "column", "message"), [
    (100_000, 100, FAR_ODS),  # within 200.000 x 500, but 10 million cells as one block: 640 MB in calamine
    (1_000_000, 16_000, 'lembar "Data" berisi nilai di sel WQJ1000000, di luar batas yang dibaca (200.000 baris x 500 '
                        "kolom per lembar, sampai sel SF200000); hapus isi sel di luar tabel itu, atau bagi datanya ke "
                        "beberapa berkas, lalu simpan ulang"),
])
def test_an_ods_with_a_far_value_is_refused_before_calamine_builds_its_block(tmp_path, row, column, message):
    data = kecil(tmp_path)
    write_ods(data / "2022" / "jauh.ods", row, column)
    [problem] = read_tables(data / "2022" / "jauh.ods", "2022/jauh.ods", "desa")[1]
    assert (problem.kode, problem.lembar, problem.pesan) == ("melebihi_batas", "Data", message)
    result, seconds = validate(data, tmp_path)  # seconds and peak memory checked there
    assert result.returncode == 1
    assert lines(result, "GALAT") == [f'GALAT: 2022/jauh.ods, lembar "Data": {message}']


def test_an_ods_reaching_just_under_the_block_limit_is_read(tmp_path):
    # 40.000 rows x 100 columns = 4.000.000 cells, the most read as one block
    data = kecil(tmp_path)
    write_ods(data / "2022" / "dekat.ods", 40_000, 100)
    tables, problems = read_tables(data / "2022" / "dekat.ods", "2022/dekat.ods", "desa")
    assert [p.kode for p in problems] == ["kolom_tanpa_judul"]  # the "x" at CV40000 has no header: named
    assert tables[0].frame["desa"].tolist()[:1] == ["Alpha"]


def test_an_xls_reaching_iv65536_is_refused(tmp_path):
    # lembar-jauh-xls: kecil, plus 2022/jauh.xls, LibreOffice's .xls of desa/penduduk with a value at IV65536 (the
    # last cell of an .xls): 16.777.216 cells, 1 GiB as calamine's block (measured)
    case = DATA / "lembar-jauh-xls"
    message = ('lembar "Data" membentang dari A1 sampai sel IV65536 (65.536 baris x 256 kolom = 16.777.216 sel); '
               "berkas Excel 97-2003 (.xls) dibaca utuh sebagai satu blok, paling banyak 4.000.000 sel per lembar. "
               "Hapus isi sel yang jauh dari tabel, atau simpan berkas sebagai .xlsx (yang dibaca per sel berisi), lalu "
               "coba lagi")
    result, seconds = validate(case, tmp_path)
    assert result.returncode == 1
    assert lines(result, "GALAT") == [f'GALAT: 2022/jauh.xls, lembar "Data": {message}']


def test_an_xlsb_sheet_extent_counts_value_cells_only():
    from iku_lib.ingest.extent import xlsb_sheet_extent

    def record(kind: int, body: bytes) -> bytes:
        return bytes([kind, len(body)]) + body  # kind and size below 128: one byte each

    row = record(0x00, struct.pack("<I", 199_999))  # BrtRowHdr, row 200.000
    blank = record(0x01, struct.pack("<II", 9_999, 0))  # BrtCellBlank at column 10.000: formatting, no value
    real = record(0x05, struct.pack("<IId", 41, 0, 2.5))  # BrtCellReal at column 42
    assert xlsb_sheet_extent(row + blank + real) == (200_000, 42)
    assert xlsb_sheet_extent(row + blank) == (0, 0)


# --- text ------------------------------------------------------------------------------------

LONG = ("baris ini terlalu panjang ({} karakter; batas yang dibaca 100.000 karakter per baris): berkas ini mungkin "
        "bukan tabel data, atau baris-barisnya tidak dipisah ganti baris; periksa isinya lalu simpan ulang sebagai CSV")
WIDE = ("baris ini terbagi menjadi {} kolom, melebihi batas yang dibaca (500 kolom per baris); periksa pemisah "
        "kolomnya (koma, titik koma atau tab) lalu simpan ulang")


def test_one_enormous_line_is_refused_with_its_line_number(tmp_path):
    data = kecil(tmp_path)
    with open(data / "2022" / "panjang.csv", "w", encoding="utf-8") as fh:
        fh.write("desa,penduduk\nAlpha,1\n")
        fh.write("Beta," + "9" * 50_000_000)  # 50 MB without a newline
    (data / "2022" / "satu-baris.txt").write_text("x" * 50_000_000, encoding="utf-8")
    (data / "2022" / "pemisah.csv").write_text("desa,penduduk\n" + "Beta" + "," * 100_000 + "\n", encoding="utf-8")
    result, seconds = validate(data, tmp_path)
    assert result.returncode == 1 and seconds < SECONDS
    assert lines(result, "GALAT") == [
        f"GALAT: 2022/panjang.csv, baris 3: {LONG.format('50.000.005')}",
        f"GALAT: 2022/pemisah.csv, baris 2: {LONG.format('100.004')}",  # 100.000 commas: too long already
        f"GALAT: 2022/satu-baris.txt, baris 1: {LONG.format('50.000.000')}",
    ]


def test_far_more_columns_than_any_layout_is_refused_with_its_line_number(tmp_path):
    data = kecil(tmp_path)
    (data / "2022" / "lebar.csv").write_text("desa,penduduk\nAlpha,2000\nBeta" + "," * 20_000 + "\n",
                                             encoding="utf-8")
    (data / "2022" / "judul.csv").write_text("judul\n" + ";".join(["desa"] + [f"v{i}" for i in range(600)]) + "\n",
                                             encoding="utf-8")
    result, seconds = validate(data, tmp_path)
    assert result.returncode == 1 and seconds < SECONDS
    assert lines(result, "GALAT") == [
        f"GALAT: 2022/judul.csv, baris 2: {WIDE.format(601)}",
        f"GALAT: 2022/lebar.csv, baris 3: {WIDE.format('20.001')}",
    ]


def test_the_refusal_is_the_same_whichever_reader_reads_the_file(tmp_path, monkeypatch):
    data = kecil(tmp_path)
    # plain text the DuckDB reader would take (a header within its limits, no quote) ...
    (data / "2022" / "panjang.csv").write_text("desa,penduduk\nAlpha,2000\nBeta," + "9" * (MAX_LINE_LENGTH + 1)
                                               + "\n", encoding="utf-8")
    (data / "2022" / "lebar.csv").write_text("desa,penduduk\nAlpha,2000\nBeta" + "," * MAX_TEXT_COLUMNS + "\n",
                                             encoding="utf-8")
    (data / "desa.csv").write_text((KECIL / "desa.csv").read_text(encoding="utf-8") + "x" * 200_000 + "\n",
                                   encoding="utf-8")
    fast = load_dataset(data, store=False).problems
    monkeypatch.setattr(textsql, "ENABLED", False)
    careful = load_dataset(data, store=False).problems
    assert fast == careful
    assert [(p.berkas, p.baris, p.pesan) for p in fast if p.kode == "melebihi_batas"] == [
        ("desa.csv", 5, LONG.format("200.000")), ("2022/lebar.csv", 3, WIDE.format(501)),
        ("2022/panjang.csv", 3, LONG.format("100.006"))]
    # ... and the largest text within the limits is read, the same both ways
    ok = tmp_path / "ok"
    shutil.copytree(KECIL, ok)
    (ok / "2022" / "lebar.csv").write_text(",".join(["desa"] + [f"v{i}" for i in range(MAX_TEXT_COLUMNS - 1)])
                                           + "\nAlpha" + "," * (MAX_TEXT_COLUMNS - 1) + "\n", encoding="utf-8")
    monkeypatch.setattr(textsql, "ENABLED", True)
    assert not [p for p in load_dataset(ok, store=False).problems if p.kode == "melebihi_batas"]


# --- files that are not regular files --------------------------------------------------------

SKIPPED = "berkas ini dilewati tanpa dibuka karena bukan berkas biasa, melainkan {}"


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not hasattr(socket, "AF_UNIX"), reason="POSIX only")
def test_a_fifo_a_socket_or_a_broken_symlink_never_blocks_a_run(tmp_path):
    data = kecil(tmp_path)
    os.mkfifo(data / "2022" / "pipa.csv")
    os.mkfifo(data / "2022" / "pipa.pdf")
    os.mkfifo(data / "realisasi.csv")  # a name the reader looks for at the top
    os.mkfifo(data / ".tersembunyi.csv")  # hidden: skipped quietly, as always, and never opened
    (data / "2022" / "ke-pipa.xlsx").symlink_to("pipa.csv")
    (data / "2022" / "rusak.csv").symlink_to("tidak-ada.csv")
    server = socket.socket(socket.AF_UNIX)
    here = os.getcwd()
    try:
        os.chdir(data / "2022")  # a socket's path is limited to about 100 bytes: bind it by its name
        server.bind("soket.csv")
    finally:
        os.chdir(here)
    try:
        result, seconds = validate(data, tmp_path)
        assert result.returncode == 0 and seconds < SECONDS
        assert lines(result, "PERINGATAN: 2022/") + lines(result, "PERINGATAN: realisasi") == [
            f"PERINGATAN: 2022/ke-pipa.xlsx: {SKIPPED.format('pipa bernama (FIFO)')}",
            f"PERINGATAN: 2022/pipa.csv: {SKIPPED.format('pipa bernama (FIFO)')}",
            f"PERINGATAN: 2022/pipa.pdf: {SKIPPED.format('pipa bernama (FIFO)')}",
            f"PERINGATAN: 2022/rusak.csv: {SKIPPED.format('tautan simbolik (symlink) yang tujuannya tidak ada')}",
            f"PERINGATAN: 2022/soket.csv: {SKIPPED.format('soket')}",
            f"PERINGATAN: realisasi.csv: {SKIPPED.format('pipa bernama (FIFO)')}",
        ]
        # the processed store's fingerprint of the inputs opens none of them either
        script = ("import sys; from iku_lib.ingest.store import fingerprint; "
                  "fingerprint(sys.argv[1], sys.argv[2]); print('selesai')")
        done = subprocess.run([sys.executable, "-c", script, str(data), str(tmp_path / "olahan")],
                              capture_output=True, text=True, timeout=SECONDS, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert done.stdout == "selesai\n" and "Traceback" not in done.stderr
    finally:
        server.close()
