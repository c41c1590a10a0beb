"""The cells of a spreadsheet file, once `reading` has told which format it holds.

Every worksheet is read; only values, no macro is ever loaded or run. Rows are numbered as
Excel and LibreOffice show them (the first row is 1) and empty cells are None.

- .xlsx and .xlsm: openpyxl's parser, on the cells written in the sheet's XML (`_xlsx_sheet`).
  The recorded sheet dimensions are ignored (some programs write them wrong, one formatted
  cell at XFD1048576 makes them A1:XFD1048576), formatted empty cells and rows cost next to
  nothing, and a value beyond `MAX_SHEET_ROWS` x `MAX_SHEET_COLUMNS` refuses the file
  (`melebihi_batas`); a formula whose result was never stored is kept as a
  `FormulaWithoutValue` so that it is reported, not read as blank; an error value
  (``#DIV/0!``) is its text.
- .xls, .xlsb and .ods: python-calamine, rows numbered from A1. Calamine reads an error
  value, and in .ods a formula without stored result, as an empty cell; those cells are
  found apart and kept as openpyxl keeps them for .xlsx: in .xls by xlrd (on the workbook
  stream that olefile takes out of the OLE2 container), in .xlsb by a walk of its BIFF12
  records, in .ods in content.xml. Calamine skips the short cell records some programs (not
  Excel) write in .xlsb, and no library reads them: the walk finds them, and such a file is
  refused rather than read with holes. Calamine holds a sheet as one dense block, so how far
  each sheet reaches is found first (`extent`), and a far value refuses the file.
"""

from __future__ import annotations

import contextlib
import io
import os
import posixpath
import re
import struct
import sys
import threading
import warnings as _warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from .parsing import FormulaWithoutValue, is_blank

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
FORMAT_NAMES = {".xlsx": "Excel (.xlsx)", ".xlsm": "Excel (.xlsm)", ".xls": "Excel 97-2003 (.xls)",
                ".xlsb": "Excel biner (.xlsb)", ".ods": "OpenDocument (.ods)"}

Rows = list[tuple[int, list[object]]]  # (row number as the user sees it, cells)


class Unreadable(Exception):
    """A delivered file that cannot be read: `str()` is the message for the user."""

    def __init__(self, message: str, kode: str = "berkas_tidak_terbaca", **where) -> None:
        super().__init__(message)
        self.kode = kode
        self.where = where  # where in the file, as Problem fields (lembar, baris), when known


def app(suffix: str) -> str:
    """The program that opens and saves again a file of this format."""
    return "LibreOffice Calc" if suffix == ".ods" else "Excel"


def locked(program: str) -> str:
    return (f"berkas ini terkunci kata sandi (terenkripsi) sehingga tidak dapat dibaca; buka di {program} dengan kata "
            "sandinya, hapus kata sandi itu, lalu simpan ulang sebagai .xlsx")


def _broken(held: str) -> str:
    return (f"berkas {FORMAT_NAMES[held]} rusak atau tidak dapat dibaca; buka di {app(held)} lalu simpan ulang "
            "sebagai .xlsx")


# --- .xlsx and .xlsm: openpyxl ----------------------------------------------------------------

MAX_SHEET_ROWS = 200_000  # a sheet's rows read at most (a national desa file has about 85.000)
MAX_SHEET_COLUMNS = 500  # a sheet's columns read at most (column SF)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"  # the namespace of a worksheet's XML
_ROW_TAG, _CELL_TAG, _FORMULA_TAG = f"{{{_MAIN}}}row", f"{{{_MAIN}}}c", f"{{{_MAIN}}}f"


class TooLarge(Unreadable):
    """A sheet or a text file beyond the limits of what is read (`MAX_SHEET_ROWS`, ...)."""

    def __init__(self, message: str, **where) -> None:
        super().__init__(message, "melebihi_batas", **where)


def ribuan(number: int) -> str:
    """A whole number with Indonesian thousands separators.

    >>> ribuan(1048576)
    '1.048.576'
    """
    return f"{number:,}".replace(",", ".")


def sheet_too_large(sheet: str, row: int, column: int) -> TooLarge:
    """The refusal of a sheet holding a value at (`row`, `column`), 1-based, beyond the limits."""
    return TooLarge(f'lembar "{sheet}" berisi nilai di sel {_letters(column)}{row}, di luar batas yang dibaca '
                    f"({ribuan(MAX_SHEET_ROWS)} baris x {MAX_SHEET_COLUMNS} kolom per lembar, sampai sel "
                    f"{_letters(MAX_SHEET_COLUMNS)}{ribuan(MAX_SHEET_ROWS).replace('.', '')}); hapus isi sel di luar "
                    "tabel itu, atau bagi datanya ke beberapa berkas, lalu simpan ulang", lembar=sheet)


def _letters(column: int) -> str:
    """Excel's letters of a 1-based column."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def openpyxl_rows(path: Path) -> list[tuple[str, Rows]]:
    """Every worksheet of an .xlsx or .xlsm, by the cells it holds (`_xlsx_sheet`).

    openpyxl's reader gives the workbook's parts (sheets, shared strings, date formats); its
    worksheet objects are not made, since a read-only one walks the whole sheet once more when
    the sheet records no dimension.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    try:
        with _warnings.catch_warnings(), open(path, "rb") as fh:  # a file object: the name may say .xls or .csv
            _warnings.simplefilter("ignore")  # openpyxl warns about features it does not keep
            reader = ExcelReader(fh, read_only=True, keep_vba=False, data_only=True, keep_links=False)
            try:  # keep_vba off: no macro is loaded
                reader.read_manifest()
                reader.read_strings()
                reader.read_workbook()
                apply_stylesheet(reader.archive, reader.wb)
                sheets = []
                for sheet, rel in reader.parser.find_sheets():
                    if rel.target in reader.valid_files and "chartsheet" not in rel.Type:
                        with reader.archive.open(rel.target) as src:
                            sheets.append((sheet.name, _xlsx_sheet(reader, src, sheet.name)))
                return sheets
            finally:
                reader.archive.close()
    except Unreadable:
        raise
    except Exception as exc:  # any failure to parse a delivered file means it cannot be read
        raise Unreadable(f"berkas Excel rusak atau tidak dapat dibaca ({type(exc).__name__}); "
                         "buka di Excel lalu simpan ulang sebagai .xlsx") from None


def _xlsx_sheet(reader, src, title: str) -> Rows:
    """The rows of one worksheet that hold a cell with a value or a formula, numbered as Excel
    shows them, each as long as its last such cell.

    The sheet's XML is walked once and only the cells written in it count: its recorded
    dimension (wrong in some files, or A1:XFD1048576 for one formatted cell) is never
    materialised, and formatted cells and rows without a value are dropped from the XML before
    it is parsed (`_without_empty_cells`), so they cost next to nothing. openpyxl's parser reads
    each cell's value (shared strings, dates, error values as text); a formula whose result was
    never stored is kept as a `FormulaWithoutValue`. A non-blank cell beyond `MAX_SHEET_ROWS` x
    `MAX_SHEET_COLUMNS` refuses the file (`sheet_too_large`).
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    book = reader.wb
    parser = WorkSheetParser(None, reader.shared_strings, data_only=True, epoch=book.epoch,
                             date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
    rows: Rows = []
    last = 0
    xml = ElementTree.XMLPullParser(events=("end",))
    for chunk in _without_empty_cells(src):
        xml.feed(chunk)
        for _, elem in xml.read_events():
            if elem.tag != _ROW_TAG:
                continue  # a cell's parts are read with its row; the rest of the sheet is small
            number = elem.get("r")
            number = int(float(number)) if number else last + 1
            if number > last:  # a row written twice or out of order is read once, as openpyxl does
                last = number
                cells = _xlsx_row(parser, elem, number, title)
                if cells:
                    values = [None] * max(cells)
                    for column, value in cells.items():
                        values[column - 1] = value
                    rows.append((number, values))
            elem.clear()
    xml.close()
    return rows


# A cell or a row with a reference (r="B7") and nothing inside: formatting only. Excel writes
# <c r="B7" s="3"/>, openpyxl <c r="B7" s="3"></c>. One with no reference is kept (the cells
# after it are placed by counting).
_EMPTY_CELL = re.compile(rb'<c\s[^>]*?\br="[A-Za-z]{1,3}[0-9]{1,7}"[^>]*?(?:/>|>\s*</c>)')
_EMPTY_ROW = re.compile(rb'<row\s[^>]*?\br="[0-9]{1,7}"[^>]*?(?:/>|>\s*</row>)')


def _without_empty_cells(src, size: int = 1 << 20):
    """The bytes of a sheet's XML, in chunks cut after a ">", without the empty cells and rows
    (`_EMPTY_CELL`, `_EMPTY_ROW`) that a chunk holds whole."""
    rest = b""
    while True:
        chunk = src.read(size)
        if not chunk:
            if rest:
                yield rest
            return
        chunk = rest + chunk
        cut = chunk.rfind(b">") + 1
        chunk, rest = chunk[:cut], chunk[cut:]
        yield _EMPTY_ROW.sub(b"", _EMPTY_CELL.sub(b"", chunk))


def _xlsx_row(parser, row, number: int, sheet: str) -> dict[int, object]:
    """{column (1-based): value} of the cells of one <row> element that hold a value or a
    formula; formatted cells without either are passed over without being parsed."""
    cells: dict[int, object] = {}
    parser.row_counter, parser.col_counter, pending = number, 0, None
    for cell in row:
        if cell.tag != _CELL_TAG:
            continue
        if not len(cell):  # no value, no formula: formatting only
            ref = cell.get("r")
            if ref is None:
                parser.col_counter += 1
            else:
                pending = ref
            continue
        if pending is not None and cell.get("r") is None:  # after formatted cells that gave their reference
            from openpyxl.utils.cell import coordinate_to_tuple

            parser.col_counter = coordinate_to_tuple(pending)[1]
        pending = None
        found = parser.parse_cell(cell)
        value = found["value"]
        if cell.find(_FORMULA_TAG) is not None:
            formula = parser.parse_formula(cell)  # every one: a shared formula is given by its first cell
            text = getattr(formula, "text", formula)
            if value is None and isinstance(text, str) and text.startswith("="):
                value = FormulaWithoutValue(text)
        if value is None:
            continue
        column = found["column"]
        if found["row"] > MAX_SHEET_ROWS or column > MAX_SHEET_COLUMNS:
            if is_blank(value):
                continue
            raise sheet_too_large(sheet, found["row"], column)
        cells[column] = value
    return cells


# --- .xls, .xlsb and .ods: calamine ------------------------------------------------------------

def calamine_rows(path: Path, held: str, by_name: bool) -> tuple[list[tuple[str, Rows]], list[str]]:
    """Every worksheet, rows from A1 (`skip_empty_area=False`) so that positions are row numbers.

    `by_name`: the file's name says its format (calamine then picks its reader by the name);
    otherwise calamine is given the bytes and tells the format by itself. Also returns the
    notes for the reader: `SCAN_INCOMPLETE` when the scan for cells calamine reads as empty
    (`_special_cells`) could not finish.
    """
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

    from .extent import check_extent

    check_extent(path, held)  # before calamine builds each sheet as one dense block
    try:
        with _quiet_stderr():
            if by_name:
                book = CalamineWorkbook.from_path(str(path))
            else:
                with open(path, "rb") as fh:
                    book = CalamineWorkbook.from_filelike(fh)
            with book:
                sheets = [(m.name, book.get_sheet_by_name(m.name).to_python(skip_empty_area=False))
                          for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    except PasswordError:
        raise Unreadable(locked(app(held))) from None
    except Exception:  # any failure to parse a delivered file means it cannot be read
        raise Unreadable(_broken(held)) from None
    except BaseException as exc:  # a panic inside calamine (PanicException) on a malformed file
        if type(exc).__name__ != "PanicException":
            raise
        raise Unreadable(_broken(held)) from None
    special, complete = _special_cells(path, held)
    notes = [] if complete else [SCAN_INCOMPLETE]
    return [(name, _numbered(rows, special.get(name, {}))) for name, rows in sheets], notes


_STDERR_LOCK = threading.Lock()  # file descriptor 2 is the process's: one redirection at a time


@contextlib.contextmanager
def _quiet_stderr():
    """Keep calamine's panic report off the user's terminal: on a malformed file its Rust code
    prints one to the process's stderr before the panic reaches Python as an exception (which
    is then reported as an unreadable file)."""
    with _STDERR_LOCK:
        if sys.stderr is not None:
            sys.stderr.flush()
        try:
            saved = os.dup(2)
        except OSError:  # no stderr to protect
            yield
            return
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _numbered(rows: list[list[object]], special: dict[tuple[int, int], object]) -> Rows:
    """Rows numbered from 1, empty cells None, cells calamine read as empty but that hold an
    error value or a formula without result (`special`, by 0-based row and column) filled in."""
    rows = [list(cells) for cells in rows]
    for (r, c), value in special.items():
        if r >= _MAX_ROWS or c >= _MAX_COLUMNS:
            continue
        while len(rows) <= r:
            rows.append([])
        cells = rows[r]
        cells.extend([""] * (c + 1 - len(cells)))
        if cells[c] == "" or cells[c] is None:
            cells[c] = value
    return [(i, [None if v == "" else v for v in cells]) for i, cells in enumerate(rows, start=1)]


SCAN_INCOMPLETE = ("pemeriksaan sel galat (#DIV/0!, #REF!, ...) dan rumus tanpa hasil di berkas ini tidak dapat "
                   "diselesaikan (berkas mungkin rusak sebagian), sehingga sel seperti itu bisa terbaca kosong; buka "
                   "berkas di Excel atau LibreOffice lalu simpan ulang")


def _special_cells(path: Path, held: str) -> tuple[dict[str, dict[tuple[int, int], object]], bool]:
    """Cells calamine reads as empty that are not, {sheet: {(row, column): value}}, and whether
    the scan finished.

    On a file calamine has read, a scan that fails finds nothing and says so (the reader then
    warns `SCAN_INCOMPLETE`: a blank cell may be an error value). For .xlsb the scan also
    looks for cells calamine skips (`_xlsb_cells`), so there it must succeed: Unreadable
    otherwise.
    """
    try:
        if held == ".xls":
            return _xls_errors(path), True
        if held == ".xlsb":
            return _xlsb_special_cells(path), True
        if held == ".ods":
            return _ods_special_cells(path), True
    except Unreadable:
        raise
    except Exception:  # the file itself was read; the scan only adds to it, except in .xlsb,
        if held == ".xlsb":  # where it also makes sure that calamine skipped no cell
            raise Unreadable(_broken(held)) from None
        return {}, False
    return {}, True


_MAX_ROWS, _MAX_COLUMNS = 1_048_576, 16_384  # a sheet's size in Excel and LibreOffice
_BIFF_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
                0x2A: "#N/A", 0x2B: "#GETTING_DATA"}  # error codes, the same in .xls (BIFF8) and .xlsb (BIFF12)


def _xls_errors(path: Path) -> dict[str, dict[tuple[int, int], object]]:
    """Error values in an .xls's worksheets (formula results and constants), by sheet name.

    olefile takes the workbook stream out of the OLE2 container (``Workbook``; ``Book`` in
    Excel 5.0/95 files) and xlrd reads its cells (`ragged_rows`: a damaged row number costs
    no padding of every row).
    """
    import olefile
    import xlrd

    with open(path, "rb") as fh, olefile.OleFileIO(fh) as ole:
        stream = ole.openstream("Workbook" if ole.exists("Workbook") else "Book").read()
    book = xlrd.open_workbook(file_contents=stream, formatting_info=False, on_demand=True, ragged_rows=True,
                              logfile=io.StringIO())  # xlrd writes its warnings to the log file
    found: dict[str, dict[tuple[int, int], object]] = {}
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            for row in range(sheet.nrows):
                for col, kind in enumerate(sheet.row_types(row)):
                    if kind == xlrd.XL_CELL_ERROR:
                        code = sheet.cell_value(row, col)
                        found.setdefault(sheet.name, {})[(row, col)] = _BIFF_ERRORS.get(code, "#ERROR!")
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return found


_XLSB_SHORT_CELLS = ("berkas Excel biner (.xlsb) ini ditulis oleh program selain Excel dalam bentuk sel ringkas yang "
                     "tidak dapat dibaca utuh (sebagian nilainya akan hilang); buka di Excel atau LibreOffice lalu "
                     "simpan ulang sebagai .xlsx")


def _xlsb_special_cells(path: Path) -> dict[str, dict[tuple[int, int], object]]:
    """Error values in an .xlsb's sheets, by sheet name (see `_xlsb_cells`)."""
    with zipfile.ZipFile(path) as archive:
        try:
            names = _xlsb_sheet_names(archive)
        except Exception:  # no names, no error values to place; short cells are still looked for
            names = {}
        found = {}
        for part in sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".bin")):
            cells = _xlsb_cells(archive.read(part))
            if cells and part in names:
                found[names[part]] = cells
    return found


def _xlsb_sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet part -> sheet name, from workbook.bin (BrtBundleSh) and its relationships."""
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.bin.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    names = {}
    for kind, body in _biff12_records(archive.read("xl/workbook.bin")):
        if kind == 0x009C:  # BrtBundleSh: state, tab id, relationship id, name
            rel, at = _wide_string(body, 8)
            name, _ = _wide_string(body, at)
            target = targets.get(rel, "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            names[part] = name
    return names


def _xlsb_cells(sheet: bytes) -> dict[tuple[int, int], object]:
    """Error values of one .xlsb sheet (BrtCellError, BrtFmlaError, BrtShortError) by (row, column).

    Raises Unreadable when the sheet holds values in short cell records (BrtShort*: the
    column left out, one after the previous cell), which SheetJS and others write and
    calamine does not read: those cells would be lost without a word. Excel writes full ones.
    No library tells of them (pyxlsb and pyxlsb2 skip them as calamine does), hence this walk.
    """
    found: dict[tuple[int, int], object] = {}
    row, col = 0, -1
    for kind, body in _biff12_records(sheet):
        if kind == 0x0000 and len(body) >= 4:  # BrtRowHdr
            row, col = struct.unpack_from("<I", body)[0], -1
        elif (0x0001 <= kind <= 0x000B or kind == 0x003E) and len(body) >= 8:  # a cell with its column
            col = struct.unpack_from("<I", body)[0]
            if kind in (0x0003, 0x000B) and len(body) >= 9:
                found[(row, col)] = _BIFF_ERRORS.get(body[8], "#ERROR!")
        elif 0x000C <= kind <= 0x0012:  # a short cell
            col += 1
            if kind == 0x000E and len(body) >= 5:
                found[(row, col)] = _BIFF_ERRORS.get(body[4], "#ERROR!")
            elif kind != 0x000C:  # not a blank
                raise Unreadable(_XLSB_SHORT_CELLS)
    return found


def _biff12_records(data: bytes):
    """(type, body) of each record of a BIFF12 part: type and size as 7-bit varints."""
    pos = 0
    while pos < len(data):
        kind, pos = _varint(data, pos, 2)
        size, pos = _varint(data, pos, 4)
        yield kind, data[pos:pos + size]
        pos += size


def _varint(data: bytes, pos: int, most: int) -> tuple[int, int]:
    value = 0
    for i in range(most):
        if pos >= len(data):
            raise ValueError("record cut short")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << (7 * i)
        if not byte & 0x80:
            break
    return value, pos


def _wide_string(body: bytes, at: int) -> tuple[str | None, int]:
    """An XLWideString (or a null XLNullableWideString) at `at`, and the position after it."""
    length = struct.unpack_from("<I", body, at)[0]
    if length == 0xFFFFFFFF:
        return None, at + 4
    end = at + 4 + 2 * length
    return body[at + 4:end].decode("utf-16-le"), end


_ODS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"}


def _ods_attr(elem, ns: str, name: str) -> str | None:
    return elem.get(f"{{{_ODS[ns]}}}{name}")


def _ods_special_cells(path: Path) -> dict[str, dict[tuple[int, int], object]]:
    """Formula cells of an .ods without stored result (no value type) or with an error result."""
    with zipfile.ZipFile(path) as archive:
        content = archive.read("content.xml")
    if b"table:formula" not in content:
        return {}
    table, row_tag = f"{{{_ODS['table']}}}table", f"{{{_ODS['table']}}}table-row"
    cell_tags = {f"{{{_ODS['table']}}}table-cell", f"{{{_ODS['table']}}}covered-table-cell"}
    found: dict[str, dict[tuple[int, int], object]] = {}
    sheet, row, col, in_row = "", 0, 0, []
    for event, elem in ElementTree.iterparse(io.BytesIO(content), events=("start", "end")):
        if event == "start":
            if elem.tag == table:
                sheet, row = _ods_attr(elem, "table", "name") or "", 0
            elif elem.tag == row_tag:
                col, in_row = 0, []
            continue
        if elem.tag in cell_tags:
            span = int(_ods_attr(elem, "table", "number-columns-repeated") or 1)
            value = _ods_special_value(elem)
            if value is not None:
                in_row += [(c, value) for c in range(col, min(col + span, _MAX_COLUMNS))]
            col += span
            elem.clear()
        elif elem.tag == row_tag:
            repeated = int(_ods_attr(elem, "table", "number-rows-repeated") or 1)
            if in_row:
                for r in range(row, min(row + repeated, _MAX_ROWS)):
                    found.setdefault(sheet, {}).update(((r, c), value) for c, value in in_row)
            row += repeated
            elem.clear()
    return found


def _ods_special_value(cell) -> object | None:
    formula = _ods_attr(cell, "table", "formula")
    if not formula:
        return None
    if _ods_attr(cell, "calcext", "value-type") == "error":
        return "".join(cell.itertext()).strip() or "#ERROR!"
    if _ods_attr(cell, "office", "value-type") is None:
        return FormulaWithoutValue(re.sub(r"^[a-z]+:(?==)", "", formula))  # "of:=B2*2" -> "=B2*2"
    return None


