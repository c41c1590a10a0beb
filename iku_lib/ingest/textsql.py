"""Plain delimited text files read by DuckDB: the fast way in for the bulk of a delivery.

A text data file is read here when nothing in it needs the careful reader of `reading`:
UTF-8 (with or without BOM), no quote character, no control character, line ends all
``\\n`` or all ``\\r\\n``, the header row within the first `reading.HEAD_LINES` lines, every
header cell named once, and no row wider than the header. DuckDB then reads its lines (one
VARCHAR per line, numbered by `WITH ORDINALITY`, so row numbers are the lines a text editor
shows) and splits them on the delimiter the careful reader would have chosen; without
quotes that is exactly what the `csv` module does. Any other file (and any file this reader
is unsure of) goes to `reading.read_tables`, which gives the same tables cell for cell.

A file beyond the careful reader's limits (a line longer than `reading.MAX_LINE_LENGTH`, a
row of more than `reading.MAX_TEXT_COLUMNS` cells: wider than its header, so not plain) goes
there too, so that it is refused with the same message whichever way it came; so does any
file DuckDB cannot read (its own limit on a line is 2 MB).
"""

from __future__ import annotations

import itertools
import re
from operator import methodcaller
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .parsing import is_blank
from .spreadsheets import Unreadable
from .reading import (DELIMITERS, HEAD_LINES, TEXT_SUFFIXES, _CONTROLS, _header_index, _split, long_line,
                      normalise_header)

# Characters Python's str.isspace() accepts (is_blank strips them), for SQL regular expressions.
WHITESPACE = r"\t\n\x{0b}\x{0c}\r\x{1c}-\x{1f} \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
_counter = itertools.count()
ENABLED = True  # False sends every file to `reading` (tests compare both ways)


@dataclass
class SqlTable:
    """A table read by DuckDB: `relation` has columns `baris` (the line number) and `c` (the
    line's cells, VARCHAR[]); only the rows below the header that are not blank."""

    berkas: str
    relation: str
    header_row: int
    positions: dict[str, int]  # normalised column name -> 1-based position in `c`
    columns_as_written: dict[str, str] = field(default_factory=dict)
    lembar: None = None

    @property
    def columns(self) -> list[str]:
        return list(self.positions)

    def where(self, **more) -> dict:
        return {"berkas": self.berkas, "lembar": None, **more}


def sql_text(value: str) -> str:
    """A string as an SQL literal."""
    return "'" + value.replace("'", "''") + "'"


def plain_text_table(db: duckdb.DuckDBPyConnection, path: Path, label: str, key: str) -> SqlTable | None:
    """The table of a plain text file, read by DuckDB; None when the file is not plain (see the
    module docstring) and must go to `reading.read_tables`."""
    path = Path(path)
    if not ENABLED or path.suffix.lower() not in TEXT_SUFFIXES or not path.is_file():  # never open a FIFO
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b'"' in data or b"\x00" in data or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    crs = data.count(b"\r")
    if crs and not crs == data.count(b"\r\n") == data.count(b"\n"):
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if not text.strip() or re.match(r"\s*<", text) or _CONTROLS.search(text) or long_line(text) is not None:
        return None  # a line beyond the limit is refused by the careful reader, whichever path reads it
    head = "".join(text.splitlines(keepends=True)[:HEAD_LINES])
    chosen = _delimiter(head, key)
    if chosen is None:
        return None
    delimiter, header_row, header_cells = chosen
    if max(map(methodcaller("count", delimiter), text.split("\n")[header_row:]), default=0) >= len(header_cells):
        return None  # a row wider than the header: the careful reader warns, or refuses one too wide to read
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    for i, cell in enumerate(header_cells):
        name = "" if is_blank(cell) else normalise_header(cell)
        if not name or name in positions:
            return None  # an unnamed or repeated column: the careful reader warns about it
        positions[name] = i + 1
        written[name] = str(cell).strip()
    relation = f"_teks_{next(_counter)}"
    blank_line = f"[{WHITESPACE}{re.escape(delimiter) if delimiter != chr(9) else ''}]*"
    try:
        db.execute(f"""
        CREATE OR REPLACE TEMP TABLE {relation} AS
        SELECT CAST(nomor AS BIGINT) AS baris, string_split(baris_teks, {sql_text(delimiter)}) AS c
        FROM read_csv({sql_text(str(path))}, delim = '\x01', quote = '', escape = '', header = false,
                      auto_detect = false, columns = {{'baris_teks': 'VARCHAR'}}, encoding = 'utf-8')
             WITH ORDINALITY AS t(baris_teks, nomor)
        WHERE nomor > {header_row} AND baris_teks IS NOT NULL
          AND NOT regexp_full_match(baris_teks, {sql_text(blank_line)})""")
    except duckdb.Error:  # a line beyond DuckDB's limits, or anything it cannot read: the careful reader
        db.execute(f"DROP TABLE IF EXISTS {relation}")
        return None
    rows, width = db.execute(f"SELECT count(*), coalesce(max(len(c)), 0) FROM {relation}").fetchall()[0]
    if rows == 0 or width > len(header_cells):
        db.execute(f"DROP TABLE {relation}")
        return None
    return SqlTable(label, relation, header_row, positions, written)


def _delimiter(head: str, key: str) -> tuple[str, int, list[str]] | None:
    """The delimiter `reading` would choose (the widest header with the key column), the header's
    line number and cells; None when the header is not in `head`."""
    best: tuple[int, str, int, list[str]] | None = None
    for delimiter in DELIMITERS:
        try:
            rows = _split(head, delimiter)
        except Unreadable:
            return None
        at = _header_index(rows, key)
        if at is not None:
            number, cells = rows[at]
            width = sum(1 for c in cells if not is_blank(c))
            if best is None or width > best[0]:
                best = (width, delimiter, number, cells)
    return None if best is None else best[1:]
