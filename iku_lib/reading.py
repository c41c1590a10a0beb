"""Reading a delivered file (CSV or Excel) into tables of raw cells, with row numbers.

A table's header is the first row that holds the key column (``desa`` for data files);
rows above it are titles and are skipped. Row numbers are the ones the user sees in
Excel or a text editor (the first line is 1). Cells are kept as written (text for CSV,
typed values for Excel); `parsing` reads them by type later.

CSV: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252; the delimiter (comma,
semicolon or tab) is the one under which a header row with the key column appears.
Excel (.xlsx): every sheet that has the key column is a table; the file's recorded sheet
dimensions are ignored (some programs write them wrong, and openpyxl's read-only mode
would then drop rows); a formula whose result was never stored is kept as a
`FormulaWithoutValue` so that it is reported, not read as blank.
"""

from __future__ import annotations

import csv
import io
import re
import warnings as _warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .parsing import FormulaWithoutValue, is_blank
from .problems import Problem, error, warning

DATA_SUFFIXES = (".csv", ".xlsx")
# Spreadsheet formats a clerk may deliver that are not read: an error, since they hold data.
UNSUPPORTED_SPREADSHEETS = (".xls", ".xlsm", ".xlsb", ".ods", ".numbers")
ENCODINGS = ("utf-8-sig", "cp1252")
DELIMITERS = (",", ";", "\t")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or a password-protected .xlsx


@dataclass
class RawTable:
    """One table read from a file (one sheet for Excel)."""

    berkas: str
    lembar: str | None
    frame: pd.DataFrame  # columns: normalised header names; index: row numbers as the user sees them
    header_row: int
    columns_as_written: dict[str, str] = field(default_factory=dict)

    def where(self, **more) -> dict:
        return {"berkas": self.berkas, "lembar": self.lembar, **more}


def normalise_header(name: object) -> str:
    """Header as a key: case, spaces, punctuation and underscores do not matter.

    >>> normalise_header("  Wajib KTP ")
    'wajib_ktp'
    >>> normalise_header("PBB-Realisasi")
    'pbb_realisasi'
    >>> normalise_header("No.")
    'no'
    """
    text = "" if name is None else str(name)
    return re.sub(r"[\W_]+", "_", text.strip().lower()).strip("_")


def column_letter(index: int) -> str:
    """Excel's letter for a 0-based column index.

    >>> column_letter(0), column_letter(25), column_letter(27)
    ('A', 'Z', 'AB')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Unreadable(Exception):
    def __init__(self, message: str, kode: str = "berkas_tidak_terbaca") -> None:
        super().__init__(message)
        self.kode = kode


def read_tables(path: Path, label: str, key: str) -> tuple[list[RawTable], list[Problem]]:
    """All tables in `path` that have a `key` column; problems for what cannot be read.

    Never raises for a bad file: an unreadable or empty file, or one without the key
    column, is an error in the returned problems.
    """
    path = Path(path)
    is_excel = path.suffix.lower() == ".xlsx"
    try:
        sheets = _xlsx_rows(path) if is_excel else [(None, _csv_rows(path, key))]
    except _Unreadable as exc:
        return [], [error(str(exc), berkas=label, kode=exc.kode)]
    if all(_all_blank(rows) for _, rows in sheets):
        return [], [error("berkas kosong (tidak ada satu sel pun yang terisi)", berkas=label, kode="berkas_kosong")]
    tables: list[RawTable] = []
    problems: list[Problem] = []
    skipped: list[str] = []
    for sheet, rows in sheets:
        table, found = _table_from_rows(rows, label, sheet, key, excel=is_excel)
        problems.extend(found)
        if table is not None:
            tables.append(table)
        elif not _all_blank(rows):
            skipped.append(sheet)
    if not tables:
        hint = _header_hint(sheets, key)
        where = (f"lembar mana pun ({', '.join(s for s, _ in sheets)})" if is_excel else "berkas ini")
        problems.append(error(f'tidak ada kolom "{key}" di {where}; baris judul tabel harus memuat kolom '
                              f'berjudul "{key}"{hint}', berkas=label, kode="tanpa_kolom_kunci"))
        return [], problems
    for sheet in skipped:
        problems.append(warning(f'lembar ini tidak punya kolom "{key}" sehingga tidak dibaca; bila berisi data, '
                                f'beri judul "{key}" pada kolom nama/kode desa', berkas=label, lembar=sheet,
                                kode="lembar_tidak_dibaca"))
    return tables, problems


def _all_blank(rows) -> bool:
    return all(is_blank(c) for _, cells in rows for c in cells)


def _header_hint(sheets, key: str) -> str:
    """Point at a header that looks like the key column (`Nama Desa` for `desa`)."""
    for sheet, rows in sheets:
        for number, cells in rows[:50]:
            for col, cell in enumerate(cells):
                name = normalise_header(cell) if isinstance(cell, str) else ""
                if name and name != key and key in name.split("_"):
                    at = f'lembar "{sheet}", ' if sheet else ""
                    return f'; ada kolom "{str(cell).strip()}" ({at}baris {number}): ganti judulnya menjadi "{key}"'
    return ""


# --- CSV ---------------------------------------------------------------------------------

def _decode(data: bytes) -> str:
    if data.startswith(_ZIP_MAGIC):
        raise _Unreadable("berkas ini sebenarnya berkas Excel (.xlsx) yang diberi nama .csv; "
                          "ganti ekstensinya menjadi .xlsx")
    if data.startswith(_OLE2_MAGIC):
        raise _Unreadable("berkas ini sebenarnya berkas Excel lama (.xls) yang diberi nama .csv; simpan ulang "
                          "di Excel sebagai .xlsx atau CSV UTF-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _Unreadable("berkas UTF-16 rusak; simpan ulang sebagai CSV UTF-8") from None
    if b"\x00" in data:
        raise _Unreadable("berkas bukan teks (berisi data biner); simpan ulang sebagai CSV UTF-8 atau .xlsx")
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = len(_CONTROLS.findall(text))
        if controls > max(2, len(text) // 100):
            raise _Unreadable("berkas bukan teks (berisi karakter kendali); simpan ulang sebagai CSV UTF-8 atau .xlsx")
        return text
    raise _Unreadable("berkas bukan teks UTF-8 atau Windows-1252; simpan ulang sebagai CSV UTF-8")


_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x19\x1b-\x1f]")  # below 32, except \t \n \f \r \x1a
HEAD_LINES = 50  # the delimiter is chosen from the lines up to the header, looked for this far


def _split(text: str, delimiter: str) -> list[tuple[int, list[object]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[object]]] = []
    start = 1
    try:
        for record in reader:
            rows.append((start, list(record)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _Unreadable(f"CSV rusak di baris {reader.line_num}: {exc}") from None
    return rows


def _csv_rows(path: Path, key: str) -> list[tuple[int, list[object]]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _Unreadable(f"berkas tidak dapat dibuka: {exc.strerror}") from None
    text = _decode(data)
    if not text.strip():
        raise _Unreadable("berkas kosong (tidak ada satu sel pun yang terisi)", "berkas_kosong")
    lines = text.splitlines(keepends=True)
    for sample in ("".join(lines[:HEAD_LINES]), text) if len(lines) > HEAD_LINES else (text,):
        best: tuple[int, str] | None = None
        for delimiter in DELIMITERS:
            rows = _split(sample, delimiter)
            header = _header_index(rows, key)
            if header is not None:
                width = sum(1 for c in rows[header][1] if not is_blank(c))
                if best is None or width > best[0]:
                    best = (width, delimiter)
        if best is not None:
            return _split(text, best[1])
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(DELIMITERS, key=first.count)
    return _split(text, delimiter)


# --- Excel -------------------------------------------------------------------------------

def _sheet_values(path: Path, data_only: bool) -> list[tuple[str, list[list[object]]]]:
    import openpyxl

    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")  # openpyxl warns about features it does not keep
        book = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
        try:
            sheets = []
            for ws in book.worksheets:
                if hasattr(ws, "reset_dimensions"):
                    ws.reset_dimensions()  # recorded dimensions may be wrong: read every row written
                sheets.append((ws.title, [list(r) for r in ws.iter_rows(min_row=1, values_only=True)]))
            return sheets
        finally:
            book.close()


def _xlsx_rows(path: Path) -> list[tuple[str, list[tuple[int, list[object]]]]]:
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise _Unreadable(f"berkas tidak dapat dibuka: {exc.strerror}") from None
    if not head:
        raise _Unreadable("berkas kosong (0 byte)", "berkas_kosong")
    if head.startswith(_OLE2_MAGIC):
        raise _Unreadable("berkas ini berformat Excel lama (.xls) atau terkunci kata sandi; buka kuncinya lalu "
                          "simpan ulang sebagai .xlsx")
    if not zipfile.is_zipfile(path):
        raise _Unreadable("berkas Excel rusak atau bukan berkas .xlsx (isinya bukan arsip Excel); "
                          "simpan ulang dari Excel sebagai .xlsx")
    try:
        values = _sheet_values(path, data_only=True)
        formulas = _sheet_values(path, data_only=False)
    except Exception as exc:  # any failure to parse a delivered file means it cannot be read
        raise _Unreadable(f"berkas Excel rusak atau tidak dapat dibaca ({type(exc).__name__}); "
                          "buka di Excel lalu simpan ulang sebagai .xlsx") from None
    sheets = []
    for (title, rows), (_, frows) in zip(values, formulas):
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                if value is None and r < len(frows) and c < len(frows[r]) and frows[r][c] is not None:
                    raw = frows[r][c]
                    text = getattr(raw, "text", raw)
                    if isinstance(text, str) and text.startswith("="):
                        cells[c] = FormulaWithoutValue(text)
        # iter_rows starts at row 1 and yields every row (empty ones included), so the
        # position in the list is the row number Excel shows.
        sheets.append((title, [(i, cells) for i, cells in enumerate(rows, start=1)]))
    return sheets


# --- tables ------------------------------------------------------------------------------

def _header_index(rows, key: str) -> int | None:
    return next((i for i, (_, cells) in enumerate(rows)
                 if any(normalise_header(c) == key for c in cells if isinstance(c, str))), None)


def _table_from_rows(rows, label, sheet, key, excel: bool = False) -> tuple[RawTable | None, list[Problem]]:
    header_at = _header_index(rows, key)
    if header_at is None:
        return None, []
    header_row, header_cells = rows[header_at]
    body = rows[header_at + 1:]
    width = max([len(header_cells)] + [len(cells) for _, cells in body])
    problems: list[Problem] = []
    names: list[str | None] = []
    written: dict[str, str] = {}
    for col in range(width):
        cell = header_cells[col] if col < len(header_cells) else None
        name = "" if is_blank(cell) else normalise_header(cell)
        if not name:
            has_values = any(col < len(cells) and not is_blank(cells[col]) for _, cells in body)
            if has_values:
                where = f"kolom {column_letter(col)}" if excel else f"kolom ke-{col + 1}"
                problems.append(warning(f"{where} tidak punya judul tetapi berisi nilai; kolom ini diabaikan (beri "
                                        "judul bila berisi data)", berkas=label, lembar=sheet, baris=header_row,
                                        kolom=where, kode="kolom_tanpa_judul"))
            names.append(None)
            continue
        if name in written:
            problems.append(error(f'judul kolom "{str(cell).strip()}" muncul dua kali (juga kolom "{written[name]}"); '
                                  "kolom kedua diabaikan sampai salah satunya diganti", berkas=label, lembar=sheet,
                                  baris=header_row, kolom=str(cell).strip(), kode="kolom_ganda"))
            names.append(None)
            continue
        written[name] = str(cell).strip()
        names.append(name)
    records, index = [], []
    for number, cells in body:
        if all(is_blank(c) for c in cells):
            continue  # blank line: carries no data
        records.append({n: (cells[i] if i < len(cells) else None) for i, n in enumerate(names) if n})
        index.append(number)
    if not records:
        problems.append(warning("tidak ada baris data di bawah baris judul kolom", berkas=label, lembar=sheet,
                                baris=header_row, kode="tanpa_baris_data"))
    frame = pd.DataFrame(records, index=pd.Index(index, name="baris", dtype=int),
                         columns=[n for n in names if n], dtype=object)
    return RawTable(label, sheet, frame, header_row, written), problems
