"""Reading a delivered file (CSV or Excel) into tables of raw cells, with row numbers.

A table's header is the first row that holds the key column (``desa`` for data files);
rows above it are titles and are skipped. Row numbers are the ones the user sees in
Excel or a text editor (the first line is 1). Cells are kept as written (text for CSV,
typed values for Excel); `parsing` reads them by type later.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .problems import Problem, error, warning

DATA_SUFFIXES = (".csv", ".xlsx")
ENCODINGS = ("utf-8-sig", "cp1252")


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
    """Header as a key: case, spaces, hyphens and underscores do not matter.

    >>> normalise_header("  Wajib KTP ")
    'wajib_ktp'
    >>> normalise_header("PBB-Realisasi")
    'pbb_realisasi'
    """
    text = "" if name is None else str(name)
    return re.sub(r"[\s_\-]+", "_", text.strip().lower()).strip("_")


def read_tables(path: Path, label: str, key: str) -> tuple[list[RawTable], list[Problem]]:
    """All tables in `path` that have a `key` column; problems for what cannot be read."""
    try:
        if path.suffix.lower() == ".xlsx":
            sheets = _xlsx_rows(path)
        else:
            sheets = [(None, _csv_rows(path))]
    except _Unreadable as exc:
        return [], [error(str(exc), berkas=label, kode="berkas_tidak_terbaca")]
    tables: list[RawTable] = []
    problems: list[Problem] = []
    for sheet, rows in sheets:
        table, found = _table_from_rows(rows, label, sheet, key)
        problems.extend(found)
        if table is not None:
            tables.append(table)
    if not tables and not any(p.is_error for p in problems):
        where = "lembar mana pun" if path.suffix.lower() == ".xlsx" else "berkas ini"
        problems.append(error(f'tidak ada kolom "{key}" di {where}; baris judul harus memuat kolom "{key}"',
                              berkas=label, kode="tanpa_kolom_kunci"))
    return tables, problems


class _Unreadable(Exception):
    pass


def _decode(data: bytes, path: Path) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _Unreadable("berkas bukan teks UTF-8 atau Windows-1252; simpan ulang sebagai CSV UTF-8")


def _csv_rows(path: Path) -> list[tuple[int, list[object]]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _Unreadable(f"berkas tidak dapat dibuka: {exc.strerror}") from None
    text = _decode(data, path)
    if not text.strip():
        raise _Unreadable("berkas kosong")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
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


def _xlsx_rows(path: Path) -> list[tuple[str, list[tuple[int, list[object]]]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise _Unreadable(f"berkas Excel rusak atau tidak dapat dibaca ({type(exc).__name__})") from None
    try:
        sheets = []
        for ws in book.worksheets:
            rows = [(i, list(values)) for i, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1)]
            sheets.append((ws.title, rows))
        return sheets
    finally:
        book.close()


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "") or (isinstance(value, float) and value != value)


def _table_from_rows(rows, label, sheet, key) -> tuple[RawTable | None, list[Problem]]:
    header_at = next((i for i, (_, cells) in enumerate(rows)
                      if any(normalise_header(c) == key for c in cells if isinstance(c, str))), None)
    if header_at is None:
        return None, []
    header_row, header_cells = rows[header_at]
    problems: list[Problem] = []
    names: list[str | None] = []
    written: dict[str, str] = {}
    body = rows[header_at + 1:]
    for col, cell in enumerate(header_cells):
        name = normalise_header(cell) if not _blank(cell) else ""
        if not name:
            has_values = any(col < len(cells) and not _blank(cells[col]) for _, cells in body)
            if has_values:
                problems.append(warning("kolom tanpa judul berisi nilai; kolom ini diabaikan",
                                        berkas=label, lembar=sheet, baris=header_row,
                                        kolom=f"kolom ke-{col + 1}", kode="kolom_tanpa_judul"))
            names.append(None)
            continue
        if name in written:
            problems.append(error(f'judul kolom "{cell}" muncul dua kali', berkas=label, lembar=sheet,
                                  baris=header_row, kolom=str(cell), kode="kolom_ganda"))
            names.append(None)
            continue
        written[name] = str(cell).strip()
        names.append(name)
    records, index = [], []
    for number, cells in body:
        if all(_blank(c) for c in cells):
            continue  # blank line: carries no data
        records.append({n: (cells[i] if i < len(cells) else None) for i, n in enumerate(names) if n})
        index.append(number)
    frame = pd.DataFrame(records, index=pd.Index(index, name="baris"),
                         columns=[n for n in names if n], dtype=object)
    return RawTable(label, sheet, frame, header_row, written), problems
