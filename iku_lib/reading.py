"""Reading a delivered file (text or spreadsheet) into tables of raw cells, with row numbers.

A table's header is the first row that holds the key column (``desa`` for data files);
rows above it are titles and are skipped. Row numbers are the ones the user sees in
Excel, LibreOffice or a text editor (the first line is 1). Cells are kept as written (text
for text files, typed values for spreadsheets); `parsing` reads them by type later.

A file is read by what it holds, not by its name: a spreadsheet named ``.xls`` that is
really an ``.xlsx`` (or one named ``.csv``) is read as what it is, with a warning
(``ekstensi_tidak_sesuai``); content that cannot be read (a web page or an XML Spreadsheet
2003 named ``.xls``, Apple Numbers, a password-protected or corrupt workbook) is an error
that says what the file is and what to do.

Text (.csv, .txt, .tsv): UTF-8 (with or without BOM), UTF-16 with or without BOM (Excel's
"Unicode Text"; without BOM it is recognised by the NUL high bytes of its characters, all
at odd or all at even positions), or Windows-1252; the delimiter (comma, semicolon or tab)
is the one under which a header row with the key column appears.

Spreadsheets: every sheet that has the key column is a table; only values are read, no
macro is ever loaded or run.

- .xlsx and .xlsm: openpyxl. The file's recorded sheet dimensions are ignored (some
  programs write them wrong, and openpyxl's read-only mode would then drop rows); a formula
  whose result was never stored is kept as a `FormulaWithoutValue` so that it is reported,
  not read as blank; an error value (``#DIV/0!``) is its text.
- .xls, .xlsb and .ods: python-calamine, rows numbered from A1. Calamine reads an error
  value, and in .ods a formula without stored result, as an empty cell; those cells are
  found by a scan of the file (BIFF8 records of .xls, BIFF12 records of .xlsb, content.xml of
  .ods) and kept as openpyxl keeps them for .xlsx. Calamine skips the short cell records some
  programs (not Excel) write in .xlsb: such a file is refused rather than read with holes.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import posixpath
import re
import struct
import sys
import threading
import warnings as _warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd

from .parsing import FormulaWithoutValue, is_blank
from .problems import Problem, error, warning

GUIDE_SHEETS = {"petunjuk"}  # instruction sheets, never data (normalised names)
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
DATA_SUFFIXES = TEXT_SUFFIXES + SPREADSHEET_SUFFIXES
# Spreadsheet files a clerk may deliver that cannot be read (an error, since they hold data): what to do.
UNSUPPORTED_SPREADSHEETS = {
    ".numbers": "format Apple Numbers (.numbers) tidak dapat dibaca; di Numbers pilih Ekspor ke > Excel "
                "(atau CSV), lalu letakkan berkas .xlsx atau .csv hasilnya di folder ini",
    ".et": "format WPS Spreadsheets (.et) tidak dapat dibaca; di WPS simpan ulang sebagai .xlsx atau .csv",
    ".gsheet": "berkas .gsheet hanya tautan ke Google Sheets (datanya tidak ada di sini); buka di Google Sheets, "
               "pilih File > Download > Microsoft Excel (.xlsx) atau CSV, lalu letakkan hasilnya di folder ini",
}
ENCODINGS = ("utf-8-sig", "cp1252")
DELIMITERS = (",", ";", "\t")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or a password-protected .xlsx
_HEAD = 4096  # bytes looked at to tell what a spreadsheet-named file holds
_FORMAT_NAMES = {".xlsx": "Excel (.xlsx)", ".xlsm": "Excel (.xlsm)", ".xls": "Excel 97-2003 (.xls)",
                 ".xlsb": "Excel biner (.xlsb)", ".ods": "OpenDocument (.ods)"}


@dataclass
class RawTable:
    """One table read from a file (one sheet for a spreadsheet)."""

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


def is_guide_sheet(sheet: str | None) -> bool:
    """True for an instruction sheet ("Petunjuk", as the forms of `iku template` have, or
    "Petunjuk (2)"): it is skipped without a warning when it has no key column. A sheet with
    that name that does have the key column is read like any other.

    >>> is_guide_sheet("Petunjuk"), is_guide_sheet("petunjuk (2)"), is_guide_sheet("Data 2024")
    (True, True, False)
    """
    name = normalise_header(sheet)
    return any(name == g or name.startswith(g + "_") for g in GUIDE_SHEETS)


def unsupported_message(suffix: str) -> str:
    """What to do with a file of a format that is not read (a key of UNSUPPORTED_SPREADSHEETS)."""
    return UNSUPPORTED_SPREADSHEETS.get(suffix.lower(), f"format {suffix} tidak dapat dibaca; simpan ulang "
                                                        "sebagai .xlsx atau .csv")


def csv_only_hint(folder: Path, wanted: str) -> str:
    """For a file that must be the CSV `wanted` (desa.csv, target.csv) and is missing: the files
    of the same name with another extension and what to do with each, or "".

    A text file (.txt, .tsv) is read as it is once renamed; a spreadsheet must be saved as CSV.
    """
    others = sorted(p.name for p in Path(folder).glob(f"{Path(wanted).stem}.*") if p.name != wanted)
    advice = []
    for name in others:
        text = Path(name).suffix.lower() in TEXT_SUFFIXES
        advice.append(f"{name}: {'ganti namanya menjadi' if text else 'simpan ulang sebagai CSV bernama'} {wanted}")
    return f" (ada {'; '.join(advice)})" if advice else ""


class _Unreadable(Exception):
    def __init__(self, message: str, kode: str = "berkas_tidak_terbaca") -> None:
        super().__init__(message)
        self.kode = kode


Rows = list[tuple[int, list[object]]]  # (row number as the user sees it, cells)


def read_tables(path: Path, label: str, key: str) -> tuple[list[RawTable], list[Problem]]:
    """All tables in `path` that have a `key` column; problems for what cannot be read.

    Never raises for a bad file: an unreadable or empty file, or one without the key
    column, is an error in the returned problems.
    """
    path = Path(path)
    try:
        sheets, spreadsheet, notes = _read_rows(path, key)
    except _Unreadable as exc:
        return [], [error(str(exc), berkas=label, kode=exc.kode)]
    problems: list[Problem] = [warning(n, berkas=label, kode="ekstensi_tidak_sesuai") for n in notes]
    if all(_all_blank(rows) for _, rows in sheets):
        problems.append(error("berkas kosong (tidak ada satu sel pun yang terisi)", berkas=label,
                              kode="berkas_kosong"))
        return [], problems
    tables: list[RawTable] = []
    skipped: list[str] = []
    for sheet, rows in sheets:
        table, found = _table_from_rows(rows, label, sheet, key, excel=spreadsheet)
        problems.extend(found)
        if table is not None:
            tables.append(table)
        elif not _all_blank(rows) and not is_guide_sheet(sheet):
            skipped.append(sheet)
    if not tables:
        hint = _header_hint(sheets, key)
        where = (f"lembar mana pun ({', '.join(s for s, _ in sheets)})" if spreadsheet else "berkas ini")
        notes_hint = ('; bila berkas ini catatan, bukan tabel data, beri nama yang diawali "README" atau simpan '
                      "di luar folder data") if path.suffix.lower() == ".txt" else ""
        problems.append(error(f'tidak ada kolom "{key}" di {where}; baris judul tabel harus memuat kolom '
                              f'berjudul "{key}"{hint}{notes_hint}', berkas=label, kode="tanpa_kolom_kunci"))
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


# --- what a file holds ---------------------------------------------------------------------

def _read_rows(path: Path, key: str) -> tuple[list[tuple[str | None, Rows]], bool, list[str]]:
    """The rows of every sheet (one sheet, named None, for text), whether the file is a
    spreadsheet, and a note when its name does not say what it holds."""
    suffix = path.suffix.lower()
    data = _read_bytes(path, whole=suffix not in SPREADSHEET_SUFFIXES)
    if not data and suffix in SPREADSHEET_SUFFIXES:
        raise _Unreadable("berkas kosong (0 byte)", "berkas_kosong")
    held = _content_format(path, data)
    if held in SPREADSHEET_SUFFIXES:
        notes = [] if _family(held) == _family(suffix) else [
            f"isi berkas ini berformat {_FORMAT_NAMES[held]}, bukan {suffix} seperti namanya; dibaca menurut isinya "
            f"(sebaiknya ganti ekstensinya menjadi {held})"]
        rows = _openpyxl_rows(path) if _family(held) == ".xlsx" else _calamine_rows(path, held, by_name=not notes)
        return rows, True, notes
    if held is not None:
        raise _Unreadable(_content_message(held, suffix))
    if suffix in SPREADSHEET_SUFFIXES:
        raise _Unreadable(_not_a_spreadsheet(suffix, data))
    return [(None, _csv_rows(data, key, suffix))], False, []


def _read_bytes(path: Path, whole: bool) -> bytes:
    try:
        if whole:
            return path.read_bytes()
        with open(path, "rb") as fh:
            return fh.read(_HEAD)
    except OSError as exc:
        raise _Unreadable(f"berkas tidak dapat dibuka: {exc.strerror}") from None


def _family(suffix: str) -> str:
    """.xlsx and .xlsm are one format to the reader (a macro is never loaded)."""
    return ".xlsx" if suffix == ".xlsm" else suffix


def _content_format(path: Path, head: bytes) -> str | None:
    """What the file holds: a suffix of SPREADSHEET_SUFFIXES, a kind that cannot be read
    (see `_content_message`), or None for anything else (text, or bytes of no known kind)."""
    if head.startswith(_ZIP_MAGIC):
        return _zip_format(path)
    if head.startswith(_OLE2_MAGIC):
        return _ole_format(path)
    return _markup_format(head)


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except Exception:  # any failure to open the archive: cut short or damaged
        return "zip_rusak"
    if b"sheet.binary.macroEnabled.main" in types or "xl/workbook.bin" in names:
        return ".xlsb"
    if b"ms-excel.sheet.macroEnabled.main+xml" in types:
        return ".xlsm"
    if b"spreadsheetml.sheet.main+xml" in types or "xl/workbook.xml" in names:
        return ".xlsx"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return ".ods"
    if any(n.startswith("Index/") and n.endswith(".iwa") for n in names):
        return "numbers"
    if mimetype or "word/document.xml" in names or "ppt/presentation.xml" in names:
        return "dokumen"
    return "zip"


def _ole_format(path: Path) -> str:
    try:
        names = _Ole(_read_bytes(path, whole=True)).names()
    except ValueError:
        return "ole_rusak"
    if "EncryptedPackage" in names:  # an .xlsx (or .xlsm, .xlsb) locked with a password
        return "terkunci"
    if "Workbook" in names or "Book" in names:
        return ".xls"
    return "dokumen"  # a Word or PowerPoint 97-2003 file, or another OLE2 document


def _markup_format(head: bytes) -> str | None:
    """A web page or an XML Spreadsheet 2003, both of which web applications name .xls."""
    head = head[:_HEAD]
    start = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"mime-version:"):  # Excel's "Single File Web Page" (.mht)
        return "html"
    if not start.startswith(b"<"):
        return None
    if b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "xml2003"
    if re.search(rb"<(html|table|!doctype html|body)\b", start):
        return "html"
    return None


def _content_message(held: str, suffix: str) -> str:
    """The error for a file whose content cannot be read, saying what it is and what to do."""
    text = suffix in TEXT_SUFFIXES
    kind = "CSV" if text else _kind(suffix)
    if held == "zip_rusak":
        if text:
            return (f"berkas ini sebenarnya berkas Excel (.xlsx) yang diberi nama {suffix}, tetapi arsipnya rusak atau "
                    "terpotong; simpan ulang dari Excel sebagai .xlsx atau CSV UTF-8")
        return _not_a_spreadsheet(suffix, b"")
    if held == "ole_rusak":
        if text:
            return (f"berkas ini sebenarnya berkas Excel lama (.xls) yang diberi nama {suffix}, tetapi rusak atau "
                    "terkunci kata sandi; buka di Excel lalu simpan ulang sebagai .xlsx atau CSV UTF-8")
        return (f"berkas {_FORMAT_NAMES[suffix]} rusak atau terkunci kata sandi (wadah OLE2-nya tidak terbaca); buka "
                f"di {_app(suffix)} (lepaskan kata sandinya bila ada) lalu simpan ulang sebagai .xlsx")
    if held == "terkunci":
        return _locked("Excel")
    if held == "numbers":
        return (f"berkas ini sebenarnya berkas Apple Numbers yang diberi nama {suffix}; "
                f"{UNSUPPORTED_SPREADSHEETS['.numbers']}")
    if held == "html":
        return (f"berkas ini sebenarnya halaman web (HTML) yang diberi nama {suffix}, bukan berkas {kind}; buka di "
                "Excel lalu simpan ulang sebagai .xlsx atau .csv")
    if held == "xml2003":
        return (f"berkas ini berformat XML Spreadsheet 2003 (diberi nama {suffix}), yang tidak dapat dibaca; buka di "
                "Excel lalu simpan ulang sebagai .xlsx atau .csv")
    if held == "dokumen":
        return (f"berkas ini dokumen (misalnya Word atau PowerPoint) yang diberi nama {suffix}, bukan lembar kerja; "
                "salin tabelnya ke Excel lalu simpan sebagai .xlsx atau .csv")
    if text:
        return (f"berkas ini sebenarnya arsip ZIP (bukan lembar kerja) yang diberi nama {suffix}; ekstrak isinya, atau "
                "simpan ulang datanya sebagai .csv atau .xlsx")
    return (f"berkas {kind} rusak atau tidak dapat dibaca (arsip ZIP tanpa lembar kerja); buka di {_app(suffix)} lalu "
            "simpan ulang sebagai .xlsx")


def _kind(suffix: str) -> str:
    return "OpenDocument" if suffix == ".ods" else "Excel"


def _app(suffix: str) -> str:
    return "LibreOffice Calc" if suffix == ".ods" else "Excel"


def _not_a_spreadsheet(suffix: str, head: bytes) -> str:
    """A spreadsheet-named file whose content is no spreadsheet container."""
    container = {".xls": "berkas Excel 97-2003", ".ods": "arsip OpenDocument"}.get(suffix, "arsip Excel")
    if head and not head.startswith(_ZIP_MAGIC) and _looks_like_text(head):
        return (f"berkas {_kind(suffix)} rusak atau bukan berkas {suffix} (isinya teks biasa, bukan {container}); "
                "bila isinya tabel data, ganti ekstensinya menjadi .csv")
    return (f"berkas {_kind(suffix)} rusak atau bukan berkas {suffix} (isinya bukan {container}); simpan ulang dari "
            f"{_app(suffix)} sebagai .xlsx")


def _looks_like_text(head: bytes) -> bool:
    """Lines of text (Windows-1252 decodes nearly any bytes: no control character is allowed)."""
    try:
        text = _decode(head)
    except _Unreadable:
        return False
    return not _CONTROLS.search(text) and any(c in text for c in "\n,;\t")


# --- text ----------------------------------------------------------------------------------

def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _Unreadable("berkas UTF-16 rusak; simpan ulang sebagai CSV UTF-8") from None
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise _Unreadable("berkas bukan teks (berisi data biner); simpan ulang sebagai CSV UTF-8 atau .xlsx")
        return text
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        _refuse_controls(text)
        return text
    raise _Unreadable("berkas bukan teks UTF-8 atau Windows-1252; simpan ulang sebagai CSV UTF-8")


def _refuse_controls(text: str) -> None:
    controls = len(_CONTROLS.findall(text))
    if controls > max(2, len(text) // 100):
        raise _Unreadable("berkas bukan teks (berisi karakter kendali); simpan ulang sebagai CSV UTF-8 atau .xlsx")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text written without BOM, or None when `data` is not such text.

    A table's characters are nearly all below U+0100 (letters, digits, tab, line breaks), so
    in UTF-16 their high byte is NUL: at the odd positions of little-endian text, at the even
    ones of big-endian text. Binary data has NULs at both or at neither. The text must then
    decode strictly and hold no NUL character (a NUL byte pair: padding in binary files).
    """
    if len(data) % 2:
        return None
    chars = len(data) // 2
    high_odd, high_even = data[1::2].count(0), data[0::2].count(0)
    if high_odd >= chars / 2 and high_even <= chars / 100:
        encoding = "utf-16-le"
    elif high_even >= chars / 2 and high_odd <= chars / 100:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    _refuse_controls(text)
    return text


_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x19\x1b-\x1f]")  # below 32, except \t \n \f \r \x1a
HEAD_LINES = 50  # the delimiter is chosen from the lines up to the header, looked for this far


def _split(text: str, delimiter: str) -> Rows:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: Rows = []
    start = 1
    try:
        for record in reader:
            rows.append((start, list(record)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _Unreadable(f"CSV rusak di baris {reader.line_num}: {exc}") from None
    return rows


def _csv_rows(data: bytes, key: str, suffix: str = ".csv") -> Rows:
    text = _decode(data)
    if not text.strip():
        raise _Unreadable("berkas kosong (tidak ada satu sel pun yang terisi)", "berkas_kosong")
    if re.match(r"\s*<", text):
        markup = _markup_format(text[:_HEAD].encode("utf-8"))
        if markup is not None:
            raise _Unreadable(_content_message(markup, suffix))
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


# --- .xlsx and .xlsm: openpyxl ----------------------------------------------------------------

def _sheet_values(path: Path, data_only: bool) -> list[tuple[str, list[list[object]]]]:
    import openpyxl

    with _warnings.catch_warnings(), open(path, "rb") as fh:  # a file object: the name may say .xls or .csv
        _warnings.simplefilter("ignore")  # openpyxl warns about features it does not keep
        book = openpyxl.load_workbook(fh, read_only=True, data_only=data_only)  # keep_vba off: no macro loaded
        try:
            sheets = []
            for ws in book.worksheets:
                if hasattr(ws, "reset_dimensions"):
                    ws.reset_dimensions()  # recorded dimensions may be wrong: read every row written
                sheets.append((ws.title, [list(r) for r in ws.iter_rows(min_row=1, values_only=True)]))
            return sheets
        finally:
            book.close()


def _openpyxl_rows(path: Path) -> list[tuple[str, Rows]]:
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


# --- .xls, .xlsb and .ods: calamine ------------------------------------------------------------

def _calamine_rows(path: Path, held: str, by_name: bool) -> list[tuple[str, Rows]]:
    """Every worksheet, rows from A1 (`skip_empty_area=False`) so that positions are row numbers.

    `by_name`: the file's name says its format (calamine then picks its reader by the name);
    otherwise calamine is given the bytes and tells the format by itself.
    """
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

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
        raise _Unreadable(_locked(_app(held))) from None
    except Exception:  # any failure to parse a delivered file means it cannot be read
        raise _Unreadable(_broken(held)) from None
    except BaseException as exc:  # a panic inside calamine (PanicException) on a malformed file
        if type(exc).__name__ != "PanicException":
            raise
        raise _Unreadable(_broken(held)) from None
    special = _special_cells(path, held)
    return [(name, _numbered(rows, special.get(name, {}))) for name, rows in sheets]


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


def _broken(held: str) -> str:
    return (f"berkas {_FORMAT_NAMES[held]} rusak atau tidak dapat dibaca; buka di {_app(held)} lalu simpan ulang "
            "sebagai .xlsx")


def _locked(app: str) -> str:
    return (f"berkas ini terkunci kata sandi (terenkripsi) sehingga tidak dapat dibaca; buka di {app} dengan kata "
            "sandinya, hapus kata sandi itu, lalu simpan ulang sebagai .xlsx")


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


def _special_cells(path: Path, held: str) -> dict[str, dict[tuple[int, int], object]]:
    """Cells calamine reads as empty that are not: {sheet: {(row, column): value}}.

    Best effort on a file calamine has read: a scan that fails finds nothing. For .xlsb the
    scan also looks for cells calamine skips (`_xlsb_cells`), so there it must succeed:
    _Unreadable otherwise.
    """
    try:
        if held == ".xls":
            return _biff_errors(_Ole(_read_bytes(path, whole=True)).stream("Workbook", "Book"))
        if held == ".xlsb":
            return _xlsb_special_cells(path)
        if held == ".ods":
            return _ods_special_cells(path)
    except _Unreadable:
        raise
    except Exception:  # the file itself was read; the scan only adds to it, except in .xlsb,
        if held == ".xlsb":  # where it also makes sure that calamine skipped no cell
            raise _Unreadable(_broken(held)) from None
    return {}


_MAX_ROWS, _MAX_COLUMNS = 1_048_576, 16_384  # a sheet's size in Excel and LibreOffice
_BIFF_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
                0x2A: "#N/A", 0x2B: "#GETTING_DATA"}


def _biff_errors(stream: bytes) -> dict[str, dict[tuple[int, int], object]]:
    """Error values in a BIFF8 workbook stream: FORMULA records with an error result and
    BOOLERR records holding an error, by sheet (BOUNDSHEET gives each sheet's offset)."""
    found: dict[str, dict[tuple[int, int], object]] = {}
    names: dict[int, str] = {}
    sheet: str | None = None
    pos = 0
    while pos + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4:pos + 4 + size]
        if kind == 0x0809 and pos == 0 and body[:2] != b"\x00\x06":
            return {}  # not BIFF8 (Excel 95 or older): no scan
        if kind == 0x0085 and len(body) >= 8:  # BOUNDSHEET: offset of the sheet's BOF, name
            length, wide = body[6], body[7] & 1
            raw = body[8:8 + length * (2 if wide else 1)]
            names[struct.unpack_from("<I", body)[0]] = raw.decode("utf-16-le" if wide else "latin-1")
        elif kind == 0x0809:  # BOF: a sheet starts
            sheet = names.get(pos)
        elif sheet is not None and kind == 0x0006 and len(body) >= 14 and body[12:14] == b"\xff\xff" and body[6] == 2:
            row, col = struct.unpack_from("<HH", body)
            found.setdefault(sheet, {})[(row, col)] = _BIFF_ERRORS.get(body[8], "#ERROR!")
        elif sheet is not None and kind == 0x0205 and len(body) >= 8 and body[7] == 1:  # BOOLERR holding an error
            row, col = struct.unpack_from("<HH", body)
            found.setdefault(sheet, {})[(row, col)] = _BIFF_ERRORS.get(body[6], "#ERROR!")
        pos += 4 + size
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

    Raises _Unreadable when the sheet holds values in short cell records (BrtShort*: the
    column left out, one after the previous cell), which SheetJS and others write and
    calamine does not read: those cells would be lost without a word. Excel writes full ones.
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
                raise _Unreadable(_XLSB_SHORT_CELLS)
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


# --- OLE2 compound file (the container of .xls) ----------------------------------------------

_FREE, _END_OF_CHAIN, _LAST_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFF9


class _Ole:
    """The named streams of an OLE2 compound file, laid out as [MS-CFB] describes.

    Raises ValueError for anything that is not a well-formed compound file.
    """

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(_OLE2_MAGIC):
            raise ValueError("not an OLE2 compound file")
        shift, mini_shift = struct.unpack_from("<HH", data, 30)
        if shift not in (9, 12) or mini_shift != 6:
            raise ValueError("unexpected sector size")
        self.data, self.sector_size = data, 1 << shift
        self.cutoff = struct.unpack_from("<I", data, 56)[0]
        fat_sectors = list(struct.unpack_from("<109I", data, 76))
        per_difat = self.sector_size // 4 - 1
        difat, count = struct.unpack_from("<II", data, 68)
        for _ in range(min(count, len(data) // self.sector_size)):
            if difat in (_FREE, _END_OF_CHAIN):
                break
            entries = struct.unpack(f"<{per_difat + 1}I", self._sector(difat))
            fat_sectors += entries[:-1]
            difat = entries[-1]
        self.fat = [n for s in fat_sectors if s <= _LAST_SECTOR
                    for n in struct.unpack(f"<{self.sector_size // 4}I", self._sector(s))]
        directory = self._chain(struct.unpack_from("<I", data, 48)[0], self.fat, self._sector)
        self.entries = {}
        for at in range(0, len(directory) - 127, 128):
            entry = directory[at:at + 128]
            length, kind = struct.unpack_from("<HB", entry, 64)
            if kind in (1, 2, 5) and 2 <= length <= 64:
                name = entry[:length - 2].decode("utf-16-le", "replace")
                start, size = struct.unpack_from("<IQ", entry, 116)
                self.entries.setdefault(name if at else "\x00root", (start, size & 0xFFFFFFFF if shift == 9 else size))
        root_start, root_size = self.entries.get("\x00root", (_END_OF_CHAIN, 0))
        self.mini_stream = self._chain(root_start, self.fat, self._sector)[:root_size]
        minifat_start = struct.unpack_from("<I", data, 60)[0]
        minifat = self._chain(minifat_start, self.fat, self._sector)
        self.minifat = list(struct.unpack(f"<{len(minifat) // 4}I", minifat[:len(minifat) // 4 * 4]))

    def names(self) -> set[str]:
        return set(self.entries)

    def stream(self, *names: str) -> bytes:
        """The first of `names` that the file holds; ValueError when it holds none."""
        name = next((n for n in names if n in self.entries), None)
        if name is None:
            raise ValueError(f"no stream {names}")
        start, size = self.entries[name]
        if size < self.cutoff:
            data = self._chain(start, self.minifat, self._mini_sector)
        else:
            data = self._chain(start, self.fat, self._sector)
        if len(data) < size:
            raise ValueError("stream cut short")
        return data[:size]

    def _sector(self, n: int) -> bytes:
        at = (n + 1) * self.sector_size
        chunk = self.data[at:at + self.sector_size]
        if len(chunk) < self.sector_size:
            raise ValueError("sector beyond the end of the file")
        return chunk

    def _mini_sector(self, n: int) -> bytes:
        chunk = self.mini_stream[n * 64:(n + 1) * 64]
        if len(chunk) < 64:
            raise ValueError("mini sector beyond the mini stream")
        return chunk

    @staticmethod
    def _chain(start: int, table: list[int], read) -> bytes:
        parts, seen, n = [], set(), start
        while n not in (_FREE, _END_OF_CHAIN):
            if n >= len(table) or n in seen:
                raise ValueError("sector chain out of range or looping")
            seen.add(n)
            parts.append(read(n))
            n = table[n]
        return b"".join(parts)


# --- tables --------------------------------------------------------------------------------

def _header_index(rows, key: str) -> int | None:
    return next((i for i, (_, cells) in enumerate(rows)
                 if any(normalise_header(c) == key for c in cells if isinstance(c, str))), None)


def _table_from_rows(rows, label, sheet, key, excel: bool = False) -> tuple[RawTable | None, list[Problem]]:
    """`excel`: the rows come from a spreadsheet (columns are named by their letter)."""
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
