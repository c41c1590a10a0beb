"""Plain delimited text files read by DuckDB: the fast way in for the bulk of a delivery.

A text data file is read here when nothing in it needs the careful reader of `reading`:
UTF-8 (with or without BOM), no quote character, no control character, line ends all
``\\n`` or all ``\\r\\n``, the header row within the first `reading.HEAD_LINES` lines, every
header cell named once, and no row wider than the header. DuckDB then reads its lines (one
VARCHAR per line, numbered by `WITH ORDINALITY`, so row numbers are the lines a text editor
shows), split on the delimiter the careful reader would have chosen where they are used;
without quotes that is exactly what the `csv` module does. Any other file (and any file this
reader is unsure of) goes to `reading.read_tables`, which gives the same tables cell for cell.
These checks look at the file's bytes (`_plain_text`, `_Lines`), each in one pass.

A file beyond the careful reader's limits (a line longer than `reading.MAX_LINE_LENGTH`, a
row of more than `reading.MAX_TEXT_COLUMNS` cells: wider than its header, so not plain) goes
there too, so that it is refused with the same message whichever way it came; so does any
file DuckDB cannot read (its own limit on a line is 2 MB).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np

from .parsing import is_blank
from .regular import shape_of
from .spreadsheets import Unreadable
from .reading import (DELIMITERS, HEAD_LINES, MAX_LINE_LENGTH, TEXT_SUFFIXES, _CONTROLS, _header_index, _split,
                      long_line, normalise_header)

# Characters Python's str.isspace() accepts (is_blank strips them), for SQL regular expressions.
WHITESPACE = r"\t\n\x{0b}\x{0c}\r\x{1c}-\x{1f} \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
_counter = itertools.count()
ENABLED = True  # False sends every file to `reading` (tests compare both ways)


@dataclass
class SqlTable:
    """A table read by DuckDB: `relation` (a view) has columns `baris` (the line number), `c` (the
    line's cells, VARCHAR[]) and `teks` (the line); only the rows below the header that are not
    blank. The lines are held in table `lines` (baris, teks); `drop` forgets both."""

    berkas: str
    relation: str
    header_row: int
    positions: dict[str, int]  # normalised column name -> 1-based position in `c`
    columns_as_written: dict[str, str] = field(default_factory=dict)
    lembar: None = None
    delimiter: str = ","
    path: Path | None = None
    shape: object = None  # `regular.Shape` of a regular table, whose lines are read only if needed (`read_lines`)
    lines_read: bool = True

    @property
    def columns(self) -> list[str]:
        return list(self.positions)

    @property
    def lines(self) -> str:
        return f"{self.relation}_baris"

    def where(self, **more) -> dict:
        return {"berkas": self.berkas, "lembar": None, **more}


def sql_text(value: str) -> str:
    """A string as an SQL literal."""
    return "'" + value.replace("'", "''") + "'"


def plain_text_table(db: duckdb.DuckDBPyConnection | None, path: Path, label: str, key: str,
                     regular: bool = False, irregular: bool = True, head: "TextHead | None" = None) -> SqlTable | None:
    """The table of a plain text file, read by DuckDB; None when the file is not plain (see the
    module docstring) and must go to `reading.read_tables`. With `regular`, a regular table
    (`regular.shape_of`) comes with its shape and its lines unread: `regular.read_regular_values`
    may read it typed, else `read_lines` reads them. Without `irregular`, a table that is not
    regular is None too, and `db` is not used (`ahead`). `head`: the file's `text_head` when it
    was already looked at (a file without a quote)."""
    head = text_head(path, key) if head is None else head
    if head is None:
        return None
    positions = {name: i + 1 for i, name in enumerate(head.written)}
    # (a regular table's every row is as wide as its header: no row wider to look for)
    shape = shape_of(head.lines, head.delimiter, head.header_row, len(positions)) if regular else None
    if shape is None and not irregular:
        return None
    if shape is None and head.lines.most(head.delimiter, after=head.header_row) >= len(head.written):
        return None  # a row wider than the header: the careful reader warns, or refuses one too wide to read
    relation = f"_teks_{next(_counter)}"
    if shape is None and not _read_lines(db, head.path, relation, head.delimiter, head.header_row):
        return None
    return SqlTable(label, relation, head.header_row, positions, head.written, delimiter=head.delimiter,
                    path=head.path, shape=shape, lines_read=shape is None)


@dataclass(frozen=True)
class TextHead:
    """What `text_head` found: the file's bytes by line, its delimiter, its header's line number
    and its columns (normalised name -> as written, in order)."""

    path: Path
    lines: "_Lines"
    delimiter: str
    header_row: int
    written: dict[str, str]


def text_head(path: Path, key: str, quotes: bool = False) -> TextHead | None:
    """The head of a text file that may be plain (`_plain_text`; quotes allowed with `quotes`,
    for `quoted`): within the line limit, a header with the key column found the careful
    reader's way, every header cell named once; None otherwise (the careful reader's file)."""
    path = Path(path)
    if not ENABLED or path.suffix.lower() not in TEXT_SUFFIXES or not path.is_file():  # never open a FIFO
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    text = _plain_text(data, quotes)
    if text is None:
        return None
    lines = _Lines(data)
    if lines.longest() > MAX_LINE_LENGTH and long_line(text) is not None:
        return None  # a line beyond the limit is refused by the careful reader, whichever path reads it
    chosen = _delimiter(lines.head(HEAD_LINES), key)
    if chosen is None:
        return None
    delimiter, header_row, header_cells = chosen
    written: dict[str, str] = {}
    for cell in header_cells:
        name = "" if is_blank(cell) else normalise_header(cell)
        if not name or name in written:
            return None  # an unnamed or repeated column: the careful reader warns about it
        written[name] = str(cell).strip()
    return TextHead(path, lines, delimiter, header_row, written)


def read_lines(db: duckdb.DuckDBPyConnection, table: SqlTable) -> bool:
    """Make sure the lines of `table` are read (a regular table's are not at first); False when
    DuckDB cannot read them, and the table must go to `reading.read_tables` after all."""
    if not table.lines_read:
        table.lines_read = _read_lines(db, table.path, table.relation, table.delimiter, table.header_row)
    return table.lines_read


# The bytes a plain text holds none of (a quote; NUL and the other characters below 32 that
# `reading._CONTROLS` refuses), with \r; and every other byte, deleted to find them.
_SPECIAL_BYTES = b'"\r' + bytes(b for b in range(32) if _CONTROLS.match(chr(b)))
_OTHER_BYTES = bytes(b for b in range(256) if b not in _SPECIAL_BYTES)


def _plain_text(data: bytes, quotes: bool = False) -> str | None:
    """The text of `data` when it may be plain: UTF-8 without quote (unless `quotes`, for
    `quoted`), NUL or control character, line ends all ``\\n`` or all ``\\r\\n``, not blank
    and not markup; else None.

    The characters are looked for in the bytes, all in one pass: UTF-8 writes a character below
    32 as that byte alone and uses only bytes from 0x80 in longer sequences, so the bytes hold
    one exactly where the text does."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    special = data.translate(None, _OTHER_BYTES)
    crs = special.count(b"\r")
    if crs + (special.count(b'"') if quotes else 0) != len(special):  # a quote, NUL or control character
        return None
    if crs and not crs == data.count(b"\r\n") == data.count(b"\n"):
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if not text or text.isspace() or re.match(r"\s*<", text):  # isspace: what `not text.strip()` tells, unstripped
        return None
    return text


class _Lines:
    """The lines of a plain text's bytes (ended by ``\\n``; a ``\\r`` before it, if any, belongs to
    the line), found once with numpy. The delimiters are ASCII, which UTF-8 never uses inside a
    longer sequence, so counting bytes counts characters."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.bytes = np.frombuffer(data, np.uint8)
        self.ends = np.flatnonzero(self.bytes == 10)  # the position of each line's \n

    def longest(self) -> int:
        """The bytes of the longest line (with its \\r): never fewer than its characters."""
        bounds = np.concatenate(([-1], self.ends, [len(self.data)]))
        return int(np.diff(bounds).max()) - 1

    def head(self, count: int) -> str:
        """The first `count` lines as the careful reader takes them (`str.splitlines`, which also
        breaks at a few other characters, so its lines end at the latest at each ``\\n``)."""
        cut = len(self.data) if len(self.ends) < count else int(self.ends[count - 1]) + 1
        return "".join(self.data[:cut].decode("utf-8-sig").splitlines(keepends=True)[:count])

    def most(self, delimiter: str, after: int) -> int:
        """The most `delimiter` characters in one line below line number `after` (blank lines too)."""
        found = np.flatnonzero(self.bytes == ord(delimiter))
        # the delimiters before the end of each line, from line `after` + 1 on (the last line has no \n)
        ends = np.concatenate((self.ends[after - 1:after], self.ends[after:], [len(self.data)]))
        per_line = np.diff(np.searchsorted(found, ends))
        return int(per_line.max()) if len(per_line) else 0


def _read_lines(db: duckdb.DuckDBPyConnection, path: Path, relation: str, delimiter: str, header_row: int) -> bool:
    """Table `<relation>_baris` (baris, teks: the lines below the header that are not blank) and
    view `relation` (baris, c: their cells, teks); False (nothing made) when DuckDB cannot read
    the file or there is no such line. The lines are kept whole: splitting them into a list
    column costs three times as much as reading them, and the readers split only the cells they use.
    A line that starts with a letter or digit is not blank: the regular expression sees only the others."""
    blank_line = f"[{WHITESPACE}{re.escape(delimiter) if delimiter != chr(9) else ''}]*"
    lines = f"{relation}_baris"
    try:
        db.execute(f"""
        CREATE OR REPLACE TEMP TABLE {lines} AS
        SELECT CAST(nomor AS BIGINT) AS baris, baris_teks AS teks
        FROM read_csv({sql_text(str(path))}, delim = '\x01', quote = '', escape = '', header = false,
                      auto_detect = false, columns = {{'baris_teks': 'VARCHAR'}}, encoding = 'utf-8')
             WITH ORDINALITY AS t(baris_teks, nomor)
        WHERE nomor > {header_row} AND baris_teks IS NOT NULL
          AND (baris_teks GLOB '[0-9A-Za-z]*' OR NOT regexp_full_match(baris_teks, {sql_text(blank_line)}))""")
    except duckdb.Error:  # a line beyond DuckDB's limits, or anything it cannot read: the careful reader
        db.execute(f"DROP TABLE IF EXISTS {lines}")
        return False
    if db.execute(f"SELECT count(*) FROM {lines}").fetchall()[0][0] == 0:
        db.execute(f"DROP TABLE {lines}")
        return False
    db.execute(f"CREATE OR REPLACE TEMP VIEW {relation} AS "
               f"SELECT baris, string_split(teks, {sql_text(delimiter)}) AS c, teks FROM {lines}")
    return True


def drop(db: duckdb.DuckDBPyConnection, table: SqlTable) -> None:
    """Forget what DuckDB holds of `table`."""
    db.execute(f"DROP VIEW IF EXISTS {table.relation}; DROP TABLE IF EXISTS {table.lines}")


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
