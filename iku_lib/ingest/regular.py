"""Regular tables: a clean plain text file read typed, as fast as a plain SQL query reads it.

A plain text file (`textsql`) is *regular* when every line below its header holds exactly as
many cells as the header. Its cells then form a matrix, and one look at the file's bytes with
numpy (`shape_of`) gives the width of every cell and the columns that hold nothing but the
digits 0-9. A regular table whose variable cells are all empty or digits only (at most 12; a
flag's at most one), whose desa cells are never empty and whose every row has a value gives
no problem on any row as long as each desa cell is a register code as written and each desa
is there once: the bulk of any delivery, and every file of a national one. Such a table is
read by DuckDB with its columns declared (`read_regular_values`) and kept wide (`_w<table>`,
`Stage.keep_wide`), so that `stage.widen_observations` joins them instead of pivoting every
value, and its long rows are written only when needed (see `stage`).

Anything else (a desa written by name, a desa twice, a flag of 2, a blank line, a total row)
sends the table to the line reader of `values.read_sql_values`, which gives the same
observations and problems: tests/ingest/test_regular.py reads every case both ways.

>>> import numpy as np
>>> from iku_lib.ingest.textsql import _Lines
>>> shape = shape_of(_Lines(b"desa,penduduk,rtlh\\n1,20,3\\n2,,4\\n"), ",", 1, 3)
>>> shape.widths.tolist(), shape.digits.tolist()
([[1, 2, 1], [1, 0, 1]], [True, True, True])
>>> shape_of(_Lines(b"desa,penduduk\\n1,20\\n\\n2,3\\n"), ",", 1, 2) is None  # a blank line
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import duckdb
import numpy as np

from .stage import Stage

ENABLED = True  # False reads every plain text table line by line (tests compare both ways)
PLAIN_DIGITS = 12  # as values._DIGITS and the SQL line reader: longer numbers go to parse_cell
_WORD_START = np.zeros(256, bool)  # a line starting with one of these is never blank (textsql._read_lines)
for _range in (("0", "9"), ("A", "Z"), ("a", "z")):
    _WORD_START[ord(_range[0]):ord(_range[1]) + 1] = True


@dataclass(frozen=True)
class Shape:
    """The cells of a regular table: `widths` (rows x columns, bytes, without a line's \\r) and
    `digits` (per column: every cell digits only or empty)."""

    widths: np.ndarray
    digits: np.ndarray

    def qualifies(self, desa: int, variables: list[int], flags: list[int]) -> bool:
        """True when no row can give a problem but by its desa code (0-based column positions):
        variable cells empty or digits (at most PLAIN_DIGITS, a flag's at most one), desa cells
        not empty, a value on every row."""
        cells = self.widths[:, variables]
        return bool(self.digits[variables].all() and cells.max(initial=0) <= PLAIN_DIGITS
                    and self.widths[:, flags].max(initial=0) <= 1
                    and (self.widths[:, desa] > 0).all() and (cells > 0).any(axis=1).all())


def shape_of(lines, delimiter: str, header_row: int, columns: int) -> Shape | None:
    """The `Shape` of the lines below line `header_row` of `lines` (a `textsql._Lines` of a plain
    text), or None when they are not regular: a line with more or fewer cells than `columns`
    (a blank line too), no line at all, or none that starts with a letter or digit (so that the
    line reader, should the table need it, always finds a line)."""
    data, ends = lines.bytes, lines.ends
    if len(ends) < header_row or columns < 2:
        return None
    body = data[int(ends[header_row - 1]) + 1:]
    if not len(body):
        return None
    newline = body == 10
    between = newline | (body == ord(delimiter))  # the bytes between cells
    stops = np.flatnonzero(between)  # where each cell ends
    if body[-1] != 10:  # a last line without its \n
        stops = np.append(stops, len(body))
    if len(stops) % columns:
        return None
    rows = len(stops) // columns
    line_ends = stops[columns - 1::columns]
    # (the body's line ends are the file's after the header's)
    if len(ends) - header_row != int((line_ends < len(body)).sum()) or not newline[line_ends[line_ends < len(body)]].all():
        return None  # a line end inside a row: a row shorter or longer than the header
    starts = np.concatenate(([0], stops[:-1] + 1))
    widths = (stops - starts).reshape(rows, columns)
    returns = lines.data.count(b"\r")
    if returns:  # all line ends are \r\n (textsql._plain_text): not part of the last cell
        widths[:, -1] -= (line_ends < len(body)) & (body[np.maximum(line_ends - 1, 0)] == 13)
    if not _WORD_START[body[starts[::columns]]].any():
        return None
    # bytes other than 0-9: below "0" wraps round to above 9 (uint8; 12x quicker than a table lookup)
    odd = ((body - np.uint8(ord("0"))) > 9) & ~between
    if returns:
        odd &= body != 13
    other = np.flatnonzero(odd)
    digits = np.ones(columns, bool)
    digits[np.unique(np.searchsorted(stops, other) % columns)] = False
    return Shape(widths, digits)


@dataclass(frozen=True)
class TypedRead:
    """How a regular table is read typed: `select` gives its rows (baris, tahun, kode_desa as
    written, p: the desa's register position where the row stands at the place of its code in
    `_kode`, else NULL, and x<v> for each variable v), `flags` the SQL of the largest flag value;
    `variables` the numbers v, in order."""

    select: str
    flags: str
    variables: tuple[int, ...]


class Found(NamedTuple):
    """The checks of a table read typed (`run_typed_read`), and whether every row stood at the
    place of its code in `_kode` (`placed`: the desa found by position, not by a join) with
    `rows` rows."""

    unknown: int
    twice: int
    flag: float | None
    placed: bool
    rows: int


def typed_read(table, year: int, variables: list[str], kinds: list[str], var_pos: dict[str, int]) -> TypedRead | None:
    """The `TypedRead` of `table` (a `textsql.SqlTable`) for `variables` of `kinds`, or None when
    a row could give a problem (see the module doc) and the line reader must read it.

    A delivery lists its desa in register order more often than not (every national file
    does): the rows are then put beside `_kode` (POSITIONAL JOIN) and each desa is its row's
    there when the codes are equal, without building a hash table of the register's codes for
    every file (national, a file: 0.05 -> 0.034 s). `run_typed_read` finds the others by a join."""
    from .textsql import sql_text
    from .values import DESA_COLUMN

    shape = table.shape
    at = [table.positions[v] - 1 for v in variables]
    desa = table.positions[DESA_COLUMN] - 1
    if not ENABLED or shape is None or not shape.qualifies(desa, at, [a for a, k in zip(at, kinds) if k == "flag"]):
        return None
    var_of = [var_pos[v] for v in variables]
    declared = {f"kol{i}": "VARCHAR" for i in range(shape.widths.shape[1])}
    declared.update({f"kol{a}": "DOUBLE" for a in at})
    columns = "{" + ", ".join(f"{sql_text(name)}: {sql_text(kind)}" for name, kind in declared.items()) + "}"
    select = f"""
        SELECT {table.header_row} + r.nomor AS baris, {int(year)} AS tahun, r.kode_desa,
               CASE WHEN r.kode_desa = k.kode THEN k.p END AS p, {', '.join(f'r.x{v}' for v in var_of)}
        FROM (SELECT ordinality AS nomor, kol{desa} AS kode_desa, {', '.join(f'kol{a} AS x{v}' for a, v in zip(at, var_of))}
              FROM read_csv({sql_text(str(table.path))}, delim = {sql_text(table.delimiter)}, quote = '', escape = '',
                            comment = '', header = false, skip = {table.header_row}, auto_detect = false,
                            columns = {columns}, encoding = 'utf-8') WITH ORDINALITY) r
             POSITIONAL JOIN (SELECT kode, p FROM _kode) k
        WHERE r.nomor IS NOT NULL"""
    flags = [f"max(x{v})" for v, k in zip(var_of, kinds) if k == "flag"] or ["0"]
    return TypedRead(select, f"greatest({', '.join(flags)})", tuple(var_of))


def run_typed_read(db, read: TypedRead, wide: str, temporary: bool = True) -> Found | None:
    """Create table `wide` by `read` and return its checks; None (no table left) when DuckDB
    cannot read the file this way (the line reader may). Rows not at the place of their code in
    `_kode` find their desa by their code (a join), and only then are codes unknown or given
    twice looked for (national: one query of a file instead of two, no DISTINCT)."""
    kind = "TEMP TABLE" if temporary else "TABLE"
    try:
        db.execute(f"CREATE OR REPLACE {kind} {wide} AS {read.select}")
    except duckdb.Error:
        db.execute(f"DROP TABLE IF EXISTS {wide}")
        return None
    rows, unplaced, flag = db.execute(f"SELECT count(*), count(*) - count(p), {read.flags} FROM {wide}").fetchall()[0]
    if not unplaced:
        # every row at the place of its code in `_kode`, whose places differ: no code unknown, none twice
        return Found(0, 0, flag, placed=True, rows=rows)
    values = ", ".join(f"w.x{v}" for v in read.variables)
    joined = f"{wide}_kode"
    db.execute(f"""CREATE OR REPLACE {kind} {joined} AS
                   SELECT w.baris, w.tahun, w.kode_desa, k.p, {values}
                   FROM {wide} w LEFT JOIN _kode k ON k.kode = w.kode_desa""")
    db.execute(f"DROP TABLE {wide}")
    db.execute(f"ALTER TABLE {joined} RENAME TO {wide.rsplit('.', 1)[-1]}")
    unknown, twice = db.execute(f"SELECT count(*) - count(p), count(p) - count(DISTINCT p) FROM {wide}").fetchall()[0]
    return Found(unknown, twice, flag, placed=False, rows=rows)


def read_regular_values(db, table, year: int, variables: list[str], kinds: list[str], stage: Stage,
                        order: int) -> bool:
    """Stage the observations of a regular `table` (a `textsql.SqlTable` with a `shape`) as table
    number `order`, read by DuckDB with its columns declared; False (nothing staged) when a row
    could give a problem (see the module doc), for the line reader to read it. A read started
    early for the same table (`ahead`) is used when it is this one, as is the worker's look at
    whether the table can be read typed."""
    ahead = stage.ahead
    read = (typed_read if ahead is None else ahead.typed_read)(table, year, variables, kinds, stage.var_pos)
    if read is None:
        return False
    taken = ahead.take(table, read) if ahead is not None else None
    if taken is not None:
        wide, found = taken
    else:
        wide = f"_w{order}"
        found = run_typed_read(db, read, wide)
    if found is None:
        return False
    if found.unknown or found.twice or (found.flag or 0) > 1:
        db.execute(f"DROP TABLE {wide}")
        return False
    stage.describe(order, year, table.berkas, None,
                   {v: table.columns_as_written[name] for v, name in zip(read.variables, variables)}, False)
    stage.keep_wide(order, wide, year, list(read.variables), in_order=found.placed and stage.is_register(found.rows))
    return True
