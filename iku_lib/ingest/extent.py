"""How far the sheets of an .xls, .xlsb or .ods reach, found before calamine reads them.

Calamine holds a sheet as one dense block from its first to its last value (about 64 bytes a
cell, measured: a sheet reaching A1:IV65536 took 1 GiB before any value was used). A value far
from the table (one cell at row 190.000, column 499) would make a tiny file cost gigabytes. So
the cells that hold something are walked first, cheaply and without building the block: in
.ods the XML of content.xml (streamed), in .xls the records xlrd reads (ragged rows), in .xlsb
the BIFF12 records. A sheet reaching beyond `MAX_SHEET_ROWS` x `MAX_SHEET_COLUMNS` is refused
as in .xlsx; one whose block would be larger than `MAX_DENSE_CELLS` is refused with the advice
to save it as .xlsx, which is read by the cells that exist.

>>> dense_refusal("Data", 100_000, 100).startswith('lembar "Data" membentang dari A1 sampai sel CV100000')
True
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from .spreadsheets import (_ODS, FORMAT_NAMES, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, TooLarge, _biff12_records,
                           _letters, _ods_attr, _xlsb_sheet_names, ribuan, sheet_too_large)

MAX_DENSE_CELLS = 4_000_000  # rows x columns of one calamine sheet, from A1 (about 250 MB in calamine)

# BIFF12 cell records that hold a value (BrtCellBlank 0x0001 holds none): RK, error, bool, real,
# string, shared string, the four formula kinds, rich string.
_XLSB_VALUE_CELLS = frozenset(range(0x0002, 0x000C)) | {0x003E}


def dense_refusal(sheet: str, rows: int, columns: int, held: str = ".ods") -> str:
    """The message for a sheet whose block from A1 to (`rows`, `columns`) is too large."""
    return (f'lembar "{sheet}" membentang dari A1 sampai sel {_letters(columns)}{rows} ({ribuan(rows)} baris x '
            f"{ribuan(columns)} kolom = {ribuan(rows * columns)} sel); berkas {FORMAT_NAMES[held]} dibaca utuh "
            f"sebagai satu blok, paling banyak {ribuan(MAX_DENSE_CELLS)} sel per lembar. Hapus isi sel yang jauh "
            "dari tabel, atau simpan berkas sebagai .xlsx (yang dibaca per sel berisi), lalu coba lagi")


def check_extent(path: Path, held: str) -> None:
    """Raise TooLarge when a sheet of the .xls/.xlsb/.ods at `path` reaches too far (see above).
    A file the walk cannot read is left to calamine, whose own error then says so."""
    try:
        extents = _EXTENTS[held](path)
    except TooLarge:
        raise
    except Exception:  # a damaged file: calamine reports it as unreadable
        return
    for sheet, (rows, columns) in extents.items():
        if rows > MAX_SHEET_ROWS or columns > MAX_SHEET_COLUMNS:
            raise sheet_too_large(sheet, rows, columns)
        if rows * columns > MAX_DENSE_CELLS:
            raise TooLarge(dense_refusal(sheet, rows, columns, held), lembar=sheet)


def _ods_extents(path: Path) -> dict[str, tuple[int, int]]:
    """Sheet -> (last row, last column), 1-based, of the cells of an .ods that hold something."""
    table, row_tag = f"{{{_ODS['table']}}}table", f"{{{_ODS['table']}}}table-row"
    cell_tags = {f"{{{_ODS['table']}}}table-cell", f"{{{_ODS['table']}}}covered-table-cell"}
    found: dict[str, tuple[int, int]] = {}
    sheet, row, col, last_col = "", 0, 0, 0
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        for event, elem in ElementTree.iterparse(content, events=("start", "end")):
            if event == "start":
                if elem.tag == table:
                    sheet, row = _ods_attr(elem, "table", "name") or "", 0
                elif elem.tag == row_tag:
                    col, last_col = 0, 0
                continue
            if elem.tag in cell_tags:
                span = int(_ods_attr(elem, "table", "number-columns-repeated") or 1)
                if _ods_attr(elem, "office", "value-type") or _ods_attr(elem, "table", "formula") or len(elem):
                    last_col = col + span
                col += span
                elem.clear()
            elif elem.tag == row_tag:
                repeated = int(_ods_attr(elem, "table", "number-rows-repeated") or 1)
                if last_col:
                    rows, columns = found.get(sheet, (0, 0))
                    found[sheet] = (max(rows, row + repeated), max(columns, last_col))
                row += repeated
                elem.clear()
    return found


def _xls_extents(path: Path) -> dict[str, tuple[int, int]]:
    """Sheet -> (last row, last column), 1-based, of the cells of an .xls that hold a value
    (xlrd without formatting skips blank cells; ragged rows cost no padding)."""
    import olefile
    import xlrd

    with open(path, "rb") as fh, olefile.OleFileIO(fh) as ole:
        stream = ole.openstream("Workbook" if ole.exists("Workbook") else "Book").read()
    book = xlrd.open_workbook(file_contents=stream, formatting_info=False, on_demand=True, ragged_rows=True,
                              logfile=io.StringIO())
    found = {}
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            columns = max((sheet.row_len(r) for r in range(sheet.nrows)), default=0)
            if sheet.nrows and columns:
                found[sheet.name] = (sheet.nrows, columns)
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return found


def xlsb_sheet_extent(sheet: bytes) -> tuple[int, int]:
    """(last row, last column), 1-based, of the value cells of one .xlsb sheet part; (0, 0) if none.

    >>> row = bytes([0x00, 4]) + struct.pack("<I", 99_999)          # BrtRowHdr: row 100.000
    >>> real = bytes([0x05, 16]) + struct.pack("<IId", 299, 0, 1.5)  # BrtCellReal: column 300
    >>> xlsb_sheet_extent(row + real)
    (100000, 300)
    """
    row, rows, columns = 0, 0, 0
    for kind, body in _biff12_records(sheet):
        if kind == 0x0000 and len(body) >= 4:  # BrtRowHdr
            row = struct.unpack_from("<I", body)[0]
        elif kind in _XLSB_VALUE_CELLS and len(body) >= 4:
            rows, columns = max(rows, row + 1), max(columns, struct.unpack_from("<I", body)[0] + 1)
    return rows, columns


def _xlsb_extents(path: Path) -> dict[str, tuple[int, int]]:
    with zipfile.ZipFile(path) as archive:
        names = _xlsb_sheet_names(archive)
        found = {}
        for part in sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".bin")):
            rows, columns = xlsb_sheet_extent(archive.read(part))
            if rows:
                found[names.get(part, part)] = (rows, columns)
    return found


_EXTENTS = {".ods": _ods_extents, ".xls": _xls_extents, ".xlsb": _xlsb_extents}
