"""Text tables whose cells may be quoted, read by DuckDB's CSV reader: the register and targets.

A register exported by a spreadsheet quotes every name that holds the delimiter
(`"Banjar (Banjar, Buleleng)"`), which sends the whole file to the careful reader of `reading`
(`textsql` reads only files without a quote). A national register of 80,000 desa then takes
0.6 s instead of 0.35 s. Such a file is read here instead when its quotes are *simple*, the
case where DuckDB's CSV reader and Python's `csv` module (the careful reader's) split every line
alike: each quote opens a cell (at the start of a line or right after a delimiter) or closes
it (right before a delimiter or the line's end), with no quote and no line break between.
The file must also be plain but for its quotes (`textsql._plain_text`), every header cell
named once, and every line below the header start with a letter or digit (no blank line, so
row numbers are line numbers) and hold exactly as many cells as the header. Anything else
(`"a""b"`, `ab"c`, a line break inside quotes, a short row) goes to `reading.read_tables`,
which gives the same table cell for cell (tests/ingest/test_quoted.py reads every case both
ways).

>>> _simple_quotes(b'kode,nama\\n1,"A, B"\\n', ",")
True
>>> _simple_quotes(b'kode,nama\\n1,"A ""B"" C"\\n', ","), _simple_quotes(b'kode,nama\\n1,A"B\\n', ",")
(False, False)
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .reading import RawTable
from . import textsql
from .regular import _WORD_START  # a line below the header must start with one of these

QUOTE = ord('"')


def quoted_table(path: Path, label: str, key: str, head: textsql.TextHead | None = None) -> RawTable | None:
    """The table of `path` (key column `key`) read by DuckDB when its quotes are simple (see the
    module doc): text cells, "" where a cell is empty, indexed by line number; None when the
    file is not such a file, for `reading.read_tables` to read. `head`: its `text_head` (with
    quotes) when already looked at."""
    head = textsql.text_head(path, key, quotes=True) if head is None else head
    if head is None or b'"' not in head.lines.data:
        return None  # no quote at all: `textsql`'s file
    data, names = head.lines.data, list(head.written)
    rows = _body_rows(data, head.lines.ends, head.delimiter, head.header_row, len(names))
    if rows is None or not _simple_quotes(data, head.delimiter):
        return None
    return _read(head.path, label, head.delimiter, head.header_row, names, head.written, rows)


def _simple_quotes(data: bytes, delimiter: str) -> bool:
    """True when every quote of `data` opens a cell or closes it, with no quote or line break
    between (the module doc); one look at the bytes with numpy."""
    body = np.frombuffer(data, np.uint8)
    quotes = np.flatnonzero(body == QUOTE)
    if len(quotes) % 2:
        return False
    opens, closes = quotes[0::2], quotes[1::2]
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    cell_start = (opens == start) | np.isin(body[np.maximum(opens - 1, 0)], (10, ord(delimiter)))
    at_end = closes + 1 >= len(body)
    cell_end = at_end | np.isin(body[np.minimum(closes + 1, len(body) - 1)], (10, 13, ord(delimiter)))
    if not (cell_start & (opens >= start)).all() or not cell_end.all():
        return False
    breaks = np.flatnonzero(body == 10)
    return bool((np.searchsorted(breaks, opens) == np.searchsorted(breaks, closes)).all())


def _body_rows(data: bytes, ends: np.ndarray, delimiter: str, header_row: int, width: int) -> int | None:
    """The number of lines below line `header_row` when each starts with a letter or digit and
    holds `width` cells (delimiters outside quotes; quotes already known to be simple, else the
    count is thrown away); None otherwise."""
    body = np.frombuffer(data, np.uint8)
    first = int(ends[header_row - 1]) + 1 if header_row <= len(ends) else len(body)
    line_ends = ends[header_row:]
    if first >= len(body):
        return None
    if line_ends.size == 0 or line_ends[-1] != len(body) - 1:  # a last line without its \n
        line_ends = np.append(line_ends, len(body))
    starts = np.concatenate(([first], line_ends[:-1] + 1))
    if not _WORD_START[body[starts]].all():
        return None  # a blank line (or one starting otherwise): the careful reader decides
    quotes = np.flatnonzero(body == QUOTE)
    found = np.flatnonzero(body == ord(delimiter))
    outside = found[np.searchsorted(quotes, found) % 2 == 0]
    per_line = np.diff(np.searchsorted(outside, np.concatenate(([first], line_ends))))
    if not (per_line == width - 1).all():
        return None
    return len(starts)


def _read(path: Path, label: str, delimiter: str, header_row: int, names: list[str], written: dict[str, str],
          rows: int) -> RawTable | None:
    """The lines below `header_row` read by DuckDB's CSV reader, checked to be `rows` rows."""
    from .database import scratch

    columns = "{" + ", ".join(f"'k{i}': 'VARCHAR'" for i in range(len(names))) + "}"
    cells = ", ".join(f"coalesce(k{i}, '') AS k{i}" for i in range(len(names)))  # an empty cell: "" as `csv` gives
    db = scratch()
    try:
        found = db.execute(f"""
            SELECT {header_row} + ordinality AS baris, {cells}
            FROM read_csv({textsql.sql_text(str(path))}, delim = {textsql.sql_text(delimiter)}, quote = '"',
                          escape = '"', comment = '', header = false, skip = {header_row}, auto_detect = false,
                          columns = {columns}, encoding = 'utf-8') WITH ORDINALITY
            ORDER BY baris""").fetchnumpy()
    except duckdb.Error:  # whatever DuckDB cannot read this way, the careful reader may
        return None
    finally:
        db.close()
    if len(found["baris"]) != rows:
        return None
    frame = pd.DataFrame({name: np.asarray(found[f"k{i}"], dtype=object) for i, name in enumerate(names)},
                         index=pd.Index(np.asarray(found["baris"], dtype=np.int64), name="baris", dtype=int),
                         dtype=object)
    return RawTable(label, None, frame, header_row, written)
