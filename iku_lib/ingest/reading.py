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
macro is ever loaded or run. How each format's cells are read (openpyxl for .xlsx and .xlsm,
python-calamine for .xls, .xlsb and .ods, and the cells calamine reads as empty) is in
`spreadsheets`; what an OLE2 container holds is told by olefile.
"""

from __future__ import annotations

import csv
import gc
import io
import os
import re
import stat
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .parsing import is_blank
from ..problems import Problem, error, warning
from .spreadsheets import (FORMAT_NAMES, MAX_SHEET_COLUMNS, SPREADSHEET_SUFFIXES, Rows, TooLarge, Unreadable, app,
                           calamine_rows, locked, openpyxl_rows, ribuan)

GUIDE_SHEETS = {"petunjuk"}  # instruction sheets, never data (normalised names)
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
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
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, a password-protected .xlsx, a Word 97-2003 file
_HEAD = 4096  # bytes looked at to tell what a spreadsheet-named file holds
MAX_LINE_LENGTH = 100_000  # characters in a line of a text file, at most (a row of 500 cells of 200 characters)
MAX_TEXT_COLUMNS = MAX_SHEET_COLUMNS  # cells in a row of a text file, at most (500)


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


def not_a_regular_file(path: Path) -> str | None:
    """What `path` is when it is neither a regular file nor a folder, symlinks followed: a FIFO,
    a socket, a device, or a symlink that leads nowhere (`SKIPPED` says why it is not read);
    None for a regular file or a folder, or for a path that cannot be looked at (opening it then
    says why). Such a file is never opened: reading a FIFO or a device can wait forever."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "tautan simbolik (symlink) yang tujuannya tidak ada" if os.path.islink(path) else None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "pipa bernama (FIFO)"
    if stat.S_ISSOCK(mode):
        return "soket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "berkas perangkat"
    return "berkas khusus"


def skipped_message(kind: str) -> str:
    """The warning (`berkas_dilewati`) for a file `not_a_regular_file` describes."""
    return f"berkas ini dilewati tanpa dibuka karena bukan berkas biasa, melainkan {kind}"


def read_tables(path: Path, label: str, key: str) -> tuple[list[RawTable], list[Problem]]:
    """All tables in `path` that have a `key` column; problems for what cannot be read.

    Never raises for a bad file: an unreadable or empty file, or one without the key
    column, is an error in the returned problems.
    """
    with _cycle_collector_paused():
        return _read_tables(path, label, key)


@contextmanager
def _cycle_collector_paused():
    """Python's cycle collector paused while a file is read, then resumed (when it was running).

    Reading a text file makes one list per row, all alive until its table is built; their number
    alone sets the collector off again and again, walking every row each time (a fifth of the
    time of reading an 80,000-row register) to free nothing: rows hold only text. Whatever a
    read leaves behind is collected as usual once it is resumed."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _read_tables(path: Path, label: str, key: str) -> tuple[list[RawTable], list[Problem]]:
    path = Path(path)
    kind = not_a_regular_file(path)
    if kind is not None:
        return [], [error(skipped_message(kind), berkas=label, kode="berkas_dilewati")]
    try:
        sheets, spreadsheet, notes = _read_rows(path, key)
    except Unreadable as exc:
        return [], [error(str(exc), berkas=label, kode=exc.kode, **exc.where)]
    problems: list[Problem] = [warning(text, berkas=label, kode=kode) for kode, text in notes]
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

def _read_rows(path: Path, key: str) -> tuple[list[tuple[str | None, Rows]], bool, list[tuple[str, str]]]:
    """The rows of every sheet (one sheet, named None, for text), whether the file is a
    spreadsheet, and notes (kode, message) for warnings: its name does not say what it holds
    (`ekstensi_tidak_sesuai`), or cells calamine reads as empty could not all be checked
    (`pemeriksaan_tidak_selesai`)."""
    suffix = path.suffix.lower()
    data = _read_bytes(path, whole=suffix not in SPREADSHEET_SUFFIXES)
    if not data and suffix in SPREADSHEET_SUFFIXES:
        raise Unreadable("berkas kosong (0 byte)", "berkas_kosong")
    held = _content_format(path, data)
    if held in SPREADSHEET_SUFFIXES:
        notes = [] if _family(held) == _family(suffix) else [(
            "ekstensi_tidak_sesuai",
            f"isi berkas ini berformat {FORMAT_NAMES[held]}, bukan {suffix} seperti namanya; dibaca menurut isinya "
            f"(sebaiknya ganti ekstensinya menjadi {held})")]
        if _family(held) == ".xlsx":
            return openpyxl_rows(path), True, notes
        rows, scan_notes = calamine_rows(path, held, by_name=not notes)
        return rows, True, notes + [("pemeriksaan_tidak_selesai", n) for n in scan_notes]
    if held is not None:
        raise Unreadable(_content_message(held, suffix))
    if suffix in SPREADSHEET_SUFFIXES:
        raise Unreadable(_not_a_spreadsheet(suffix, data))
    return [(None, _csv_rows(data, key, suffix))], False, []


def _read_bytes(path: Path, whole: bool) -> bytes:
    try:
        if whole:
            return path.read_bytes()
        with open(path, "rb") as fh:
            return fh.read(_HEAD)
    except OSError as exc:
        raise Unreadable(f"berkas tidak dapat dibuka: {exc.strerror}") from None


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
    """What an OLE2 compound file holds, by the streams at its root (olefile reads the container)."""
    import olefile

    try:
        with open(path, "rb") as fh, olefile.OleFileIO(fh) as ole:
            streams = {name for name in ("EncryptedPackage", "Workbook", "Book")
                       if ole.get_type(name) == olefile.STGTY_STREAM}
    except Exception:  # any failure to read the container: damaged, cut short, or not OLE2 after all
        return "ole_rusak"
    if "EncryptedPackage" in streams:  # an .xlsx (or .xlsm, .xlsb) locked with a password
        return "terkunci"
    if streams:  # Workbook (Excel 97 and later) or Book (Excel 5.0/95)
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
        return (f"berkas {FORMAT_NAMES[suffix]} rusak atau terkunci kata sandi (wadah OLE2-nya tidak terbaca); buka "
                f"di {app(suffix)} (lepaskan kata sandinya bila ada) lalu simpan ulang sebagai .xlsx")
    if held == "terkunci":
        return locked("Excel")
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
    return (f"berkas {kind} rusak atau tidak dapat dibaca (arsip ZIP tanpa lembar kerja); buka di {app(suffix)} lalu "
            "simpan ulang sebagai .xlsx")


def _kind(suffix: str) -> str:
    return "OpenDocument" if suffix == ".ods" else "Excel"


def _not_a_spreadsheet(suffix: str, head: bytes) -> str:
    """A spreadsheet-named file whose content is no spreadsheet container."""
    container = {".xls": "berkas Excel 97-2003", ".ods": "arsip OpenDocument"}.get(suffix, "arsip Excel")
    if head and not head.startswith(_ZIP_MAGIC) and _looks_like_text(head):
        return (f"berkas {_kind(suffix)} rusak atau bukan berkas {suffix} (isinya teks biasa, bukan {container}); "
                "bila isinya tabel data, ganti ekstensinya menjadi .csv")
    return (f"berkas {_kind(suffix)} rusak atau bukan berkas {suffix} (isinya bukan {container}); simpan ulang dari "
            f"{app(suffix)} sebagai .xlsx")


def _looks_like_text(head: bytes) -> bool:
    """Lines of text (Windows-1252 decodes nearly any bytes: no control character is allowed)."""
    try:
        text = _decode(head)
    except Unreadable:
        return False
    return not _CONTROLS.search(text) and any(c in text for c in "\n,;\t")


# --- text ----------------------------------------------------------------------------------

def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise Unreadable("berkas UTF-16 rusak; simpan ulang sebagai CSV UTF-8") from None
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise Unreadable("berkas bukan teks (berisi data biner); simpan ulang sebagai CSV UTF-8 atau .xlsx")
        return text
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        _refuse_controls(text)
        return text
    raise Unreadable("berkas bukan teks UTF-8 atau Windows-1252; simpan ulang sebagai CSV UTF-8")


def _refuse_controls(text: str) -> None:
    controls = len(_CONTROLS.findall(text))
    if controls > max(2, len(text) // 100):
        raise Unreadable("berkas bukan teks (berisi karakter kendali); simpan ulang sebagai CSV UTF-8 atau .xlsx")


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


def long_line(text: str) -> TooLarge | None:
    """The refusal of a text whose line (ended by \\r\\n, \\r or \\n, as the csv module and a text
    editor count them) is longer than MAX_LINE_LENGTH characters, or None."""
    if len(text) <= MAX_LINE_LENGTH:
        return None
    lines = text.split("\n") if "\r" not in text else re.split(r"\r\n|\r|\n", text)  # the same lines, split quicker
    if max(map(len, lines)) <= MAX_LINE_LENGTH:
        return None
    number, line = next((i, line) for i, line in enumerate(lines, start=1) if len(line) > MAX_LINE_LENGTH)
    return TooLarge(f"baris ini terlalu panjang ({ribuan(len(line))} karakter; batas yang dibaca "
                    f"{ribuan(MAX_LINE_LENGTH)} karakter per baris): berkas ini mungkin bukan tabel data, atau baris-barisnya "
                    "tidak dipisah ganti baris; periksa isinya lalu simpan ulang sebagai CSV", baris=number)


def too_many_columns(number: int, cells: int) -> TooLarge:
    """The refusal of a text whose row at line `number` has `cells` > MAX_TEXT_COLUMNS cells."""
    return TooLarge(f"baris ini terbagi menjadi {ribuan(cells)} kolom, melebihi batas yang dibaca ({MAX_TEXT_COLUMNS} "
                    "kolom per baris); periksa pemisah kolomnya (koma, titik koma atau tab) lalu simpan ulang",
                    baris=number)


def _split(text: str, delimiter: str, strict: bool = True) -> Rows:
    """The rows of `text`, numbered by the line each starts on. A row of more than
    MAX_TEXT_COLUMNS cells refuses the text (`strict`), or is cut there (when only trying
    delimiters)."""
    rows = _one_line_records(text, delimiter)
    if rows is not None:
        return rows
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    start = 1
    try:
        for record in reader:
            if len(record) > MAX_TEXT_COLUMNS:
                if strict:
                    raise too_many_columns(start, len(record))
                record = record[:MAX_TEXT_COLUMNS + 1]
            rows.append((start, list(record)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise Unreadable(f"CSV rusak di baris {reader.line_num}: {exc}") from None
    return rows


def _one_line_records(text: str, delimiter: str) -> Rows | None:
    """The rows of `text` read at once (`_split` without its loop over 80,000 records of a
    national register), when every record is one line and none is wider than MAX_TEXT_COLUMNS;
    None otherwise (a line break inside quotes, a row too wide, CSV the reader refuses), and
    `_split` reads record by record to number, cut or refuse them.

    Every record takes at least one line, so when there are as many records as lines read, each
    took exactly one: record i starts on line i."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error:
        return None
    if reader.line_num != len(records) or max(map(len, records), default=0) > MAX_TEXT_COLUMNS:
        return None
    return list(zip(range(1, len(records) + 1), records))


def _csv_rows(data: bytes, key: str, suffix: str = ".csv") -> Rows:
    text = _decode(data)
    if not text.strip():
        raise Unreadable("berkas kosong (tidak ada satu sel pun yang terisi)", "berkas_kosong")
    if re.match(r"\s*<", text):
        markup = _markup_format(text[:_HEAD].encode("utf-8"))
        if markup is not None:
            raise Unreadable(_content_message(markup, suffix))
    refusal = long_line(text)
    if refusal is not None:
        raise refusal
    lines = text.splitlines(keepends=True)
    for sample in ("".join(lines[:HEAD_LINES]), text) if len(lines) > HEAD_LINES else (text,):
        best: tuple[int, str] | None = None
        for delimiter in DELIMITERS:
            rows = _split(sample, delimiter, strict=False)
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


# --- tables --------------------------------------------------------------------------------

def _header_index(rows, key: str) -> int | None:
    """The header row: of the rows that hold the key column (`desa`), the one with the most
    named cells, the first of equals, looking up to HEAD_LINES rows past the first candidate.
    Title rows above a table (`Kecamatan:,Kaloran` then `Desa:,Semua desa`) also hold the key,
    but are narrower than the table's own header."""
    best: tuple[int, int] | None = None  # (named cells, index)
    for i, (_, cells) in enumerate(rows):
        if best is not None and i > best[1] + HEAD_LINES:
            break  # title rows sit just above their table: no need to look through the data
        if any(normalise_header(c) == key for c in cells if isinstance(c, str)):
            named = sum(1 for c in cells if not is_blank(c))
            if best is None or named > best[0]:
                best = (named, i)
    return None if best is None else best[1]


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
            if has_values and (excel or col < len(header_cells)):  # text rows wider than the header: below
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
    frame = None if excel else _same_width_frame(body, names, len(header_cells))
    if frame is not None:
        return RawTable(label, sheet, frame, header_row, written), problems
    records, index = [], []
    for number, cells in body:
        if all(is_blank(c) for c in cells):
            continue  # blank line: carries no data
        if not excel and any(not is_blank(c) for c in cells[len(header_cells):]):
            # more cells than the header in a text file: the values have shifted (typically an
            # unquoted decimal comma, 97,5), so none of the row can be trusted
            extra = next(c for c in cells[len(header_cells):] if not is_blank(c))
            used = max(i for i, c in enumerate(cells) if not is_blank(c)) + 1
            problems.append(error(f"baris ini berisi {used} sel, lebih banyak dari {len(header_cells)} judul kolom, "
                                  "sehingga nilainya bergeser ke kolom yang salah; periksa koma desimal tanpa tanda "
                                  'kutip (tulis 97.5 atau "97,5") atau pemisah yang berlebih', berkas=label,
                                  lembar=sheet, baris=number, kolom=f"kolom ke-{len(header_cells) + 1}",
                                  nilai=str(extra).strip(), kode="baris_terlalu_lebar"))
            continue
        records.append({n: (cells[i] if i < len(cells) else None) for i, n in enumerate(names) if n})
        index.append(number)
    if not records:
        problems.append(warning("tidak ada baris data di bawah baris judul kolom", berkas=label, lembar=sheet,
                                baris=header_row, kode="tanpa_baris_data"))
    frame = pd.DataFrame(records, index=pd.Index(index, name="baris", dtype=int),
                         columns=[n for n in names if n], dtype=object)
    return RawTable(label, sheet, frame, header_row, written), problems


def _same_width_frame(body: Rows, names: list[str | None], width: int) -> pd.DataFrame | None:
    """The table of a text file whose rows all have as many cells as its header (a blank line:
    none), built at once rather than row by row (a national register has 80,000 rows): the
    frame the loop of `_table_from_rows` builds, which reads any other text (a row shorter or
    wider than the header, or no row of data at all) and every spreadsheet."""
    cells = [row for _, row in body]
    if not set(map(len, cells)) <= {0, width}:
        return None
    # A text cell is blank when it is only spaces, so a row is blank when its cells joined are.
    kept = [i for i, row in enumerate(cells) if "".join(row).strip()]
    if not kept:
        return None
    named = [i for i, name in enumerate(names) if name]
    table = np.array(cells if len(kept) == len(cells) else [cells[i] for i in kept], dtype=object)
    if len(named) < width:  # a column without a name, or named twice, is not read
        table = table[:, named]
    return pd.DataFrame(table, index=pd.Index([body[i][0] for i in kept], name="baris", dtype=int),
                        columns=[names[i] for i in named], dtype=object)
