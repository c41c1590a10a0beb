"""Rows of a data table turned into observations, and every row that gives nothing to use.

A table comes from `reading` (`RawTable`: cells as Python values, for spreadsheets and any
text file that needs the careful reader) or from `textsql` (`SqlTable`: a plain text file
held by DuckDB). Both give the same observations and the same problems, in the same order:
`read_values` works on pandas cells, `read_sql_values` lets DuckDB read the plain rows (a
register code, then digits and blanks: the bulk of any delivery) and reads every other row
in Python, each cell by `parsing.parse_cell`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..problems import Problem, error, warning
from .catalog import Catalog
from .parsing import CONTROL_CHARACTERS, CellError, describe_character, is_blank, parse_cell
from .register import PARENT_LEVELS, REGISTER_FILE, DesaLookup, desa_key
from .stage import Stage, reading_order

DESA_COLUMN = "desa"
# Columns that often stand beside the data in delivered sheets and carry no value to use.
IGNORED_COLUMNS = {"no", "nomor", "no_urut", "keterangan", "ket", "catatan", "kode_desa", "nama_desa",
                   *(c for _, code, name in PARENT_LEVELS for c in (code, name))}


TOTAL_ROW_WORDS = {"jumlah", "total", "jumlah total", "total kecamatan", "jumlah kecamatan", "kecamatan"}


def _unknown_desa_message(raw: object, lookup: DesaLookup) -> str:
    text = str(raw).strip()
    if re.fullmatch(r"\d+(?:[.,]\d+)?[eE][+-]?\d+", text):
        return ("kode desa tertulis dalam notasi ilmiah (E+..) sehingga angkanya terpotong; format kolom desa "
                "sebagai Teks di Excel lalu ketik ulang kodenya")
    if desa_key(text) in TOTAL_ROW_WORDS:
        return "baris jumlah/total tidak boleh ada; hapus baris ini (jumlah kecamatan dihitung oleh program)"
    if re.fullmatch(r"\d+(?:\.0+)?", text):
        return (f"kode desa tidak ada di daftar desa ({REGISTER_FILE}); periksa kodenya, atau tambahkan desa ini "
                f"ke {REGISTER_FILE}")
    controls = CONTROL_CHARACTERS.findall(text)
    if controls:  # refused, not stripped: a desa name is matched only as the office typed it
        shown = ", ".join(dict.fromkeys(describe_character(c) for c in controls))
        clean = lookup.find(CONTROL_CHARACTERS.sub("", text))
        hint = f"; tanpa karakter itu namanya {lookup.names[clean]}" if clean else ""
        return f"nama desa berisi karakter kendali tak terlihat {shown}{hint}; ketik ulang nama desanya"
    hint = lookup.suggest(raw)
    if hint:
        return f"desa tidak ada di daftar desa; mungkin maksudnya {hint}?"
    return (f"desa tidak ada di daftar desa ({REGISTER_FILE}); periksa ejaannya, atau tambahkan desa ini ke "
            f"{REGISTER_FILE} bila memang termasuk wilayah ini")


def _blank_mask(column: pd.Series) -> np.ndarray:
    """True where a cell is blank (None, NaN, or only spaces), for a whole column at once."""
    cells = column.to_numpy(dtype=object)
    missing = pd.isna(cells)
    spaces = np.fromiter((isinstance(v, str) and (not v or v.isspace()) for v in cells), bool, len(cells))
    return missing | spaces


_DIGITS = re.compile(r"[0-9]{1,12}")  # as in SQL: ASCII, below every limit (parsing.LIMITS); others to parse_cell


def _parse_column(column: pd.Series, kind: str, wanted: np.ndarray) -> tuple[np.ndarray, list[tuple[int, object, str]]]:
    """Values of `column` as floats (NaN where blank or not wanted) and the cells that fail.

    Plain digit strings, the bulk of any delivery, are converted at once (for a flag only "0"
    and "1"); `parse_cell` reads every other cell, with its rules and messages.
    """
    values = np.full(len(column), np.nan)
    cells = column.tolist()
    failures = []
    for i in np.flatnonzero(wanted).tolist():
        v = cells[i]
        if isinstance(v, str) and _DIGITS.fullmatch(v) and (kind != "flag" or v in ("0", "1")):
            values[i] = float(v)
            continue
        try:
            parsed = parse_cell(v, kind)
        except CellError as exc:
            failures.append((i, v, str(exc)))
            continue
        if parsed is not None:
            values[i] = parsed
    return values, failures


def header_problems(columns: list[str], table, year: int, catalog: Catalog) -> tuple[list[str], list[Problem]]:
    """The table's variable columns, and a warning for each column that is neither one nor known to be
    ignored, or for a table without any variable column."""
    problems: list[Problem] = []
    variables = [c for c in columns if c in catalog.variables]
    for column in columns:
        if column != DESA_COLUMN and column not in catalog.variables and column not in IGNORED_COLUMNS:
            problems.append(warning("kolom tidak dikenal sebagai variabel IKU; kolom ini diabaikan",
                                    kolom=table.columns_as_written[column], tahun=year,
                                    kode="kolom_tidak_dikenal", **table.where(baris=table.header_row)))
    if not variables:
        problems.append(warning("tidak ada kolom variabel IKU; berkas ini tidak dipakai", tahun=year,
                                kode="tanpa_variabel", **table.where(baris=table.header_row)))
    return variables, problems


def read_values(table, year: int, catalog: Catalog, lookup: DesaLookup,
                 records: list[pd.DataFrame]) -> list[Problem]:
    """Turn a table's rows into observations; report every row that gives nothing to use."""
    variables, problems = header_problems(list(table.frame.columns), table, year, catalog)
    if not variables:
        return problems
    frame = table.frame
    n = len(frame)
    rows = frame.index.to_numpy()
    raw_desa = frame[DESA_COLUMN].tolist()
    blank_desa = np.fromiter((is_blank(v) for v in raw_desa), bool, n)
    blank_cells = np.column_stack([_blank_mask(frame[v]) for v in variables])
    has_values = ~blank_cells.all(axis=1)
    ambiguous = np.zeros(n, bool)
    codes: list[str | None] = [None] * n
    for i, v in enumerate(raw_desa):
        if not blank_desa[i]:
            ambiguous[i], codes[i] = lookup.resolve(v)
    read = ~blank_desa & ~ambiguous  # rows whose cells are read
    code_array = np.array(codes, dtype=object)
    failures: list[tuple[int, int, object, str]] = []
    parts = []
    for j, variable in enumerate(variables):
        column = table.columns_as_written[variable]
        values, failed = _parse_column(frame[variable], catalog.variable_kind(variable), read & ~blank_cells[:, j])
        failures += [(i, j, raw, message) for i, raw, message in failed]
        keep = np.flatnonzero(~np.isnan(values) & (code_array != None))  # noqa: E711 (element-wise)
        parts.append(pd.DataFrame({"_pos": keep, "_var": j, "tahun": year, "kode_desa": code_array[keep],
                                   "variabel": variable, "nilai": values[keep], "berkas": table.berkas,
                                   "lembar": table.lembar, "baris": rows[keep].astype(int), "kolom": column}))
    found = pd.concat(parts, ignore_index=True).sort_values(["_pos", "_var"], kind="stable")
    records.append(found.drop(columns=["_pos", "_var"]))
    return problems + _row_problems(table, year, lookup, rows, np.array(raw_desa + [None], dtype=object)[:-1],
                                    code_array, blank_desa, ambiguous, has_values, variables, failures)


def read_sql_values(table, year: int, catalog: Catalog, lookup: DesaLookup, db, sink: str,
                    order: int) -> list[Problem] | None:
    """`read_values` for a `textsql.SqlTable`: the observations go into DuckDB table `sink`
    (see `stage_observations`), the problems are returned, both exactly as `read_values` gives them.

    DuckDB sorts the rows (`_sort_rows`): a row is plain when its desa cell is a register code
    as written and each of its variable cells is empty or digits only (for a flag only 0 or 1).
    The plain rows, the bulk of any delivery, become observations without leaving DuckDB;
    Python reads only the other rows (`_odd_rows`, by the rules of `read_values`) and looks
    at the rows of a desa given twice. A regular table none of whose rows can give a problem is
    read typed instead (`regular`). None (nothing staged): DuckDB cannot read the table's lines
    after all, and `reading.read_tables` must read it.
    """
    from .regular import read_regular_values
    from .textsql import drop, read_lines

    variables, problems = header_problems(table.columns, table, year, catalog)
    if not variables:
        drop(db, table)
        return problems
    stage = Stage.of(db, sink)
    stage.exact_codes(lookup)
    kinds = [catalog.variable_kind(v) for v in variables]
    if read_regular_values(db, table, year, variables, kinds, stage, order):
        return problems
    if not read_lines(db, table):
        return None
    _sort_rows(db, table, kinds_at={table.positions[v]: k for v, k in zip(variables, kinds)})
    odd = db.execute("SELECT baris, p, polos, kosong, d, c FROM _sel WHERE p IS NULL OR NOT polos OR kosong "
                     "ORDER BY baris").fetchall()
    rows, failures, values = _odd_rows(odd, table, variables, kinds, lookup, stage)
    found = [(b, stage.desa_pos[row.code]) for b, row in rows.items() if row.code is not None and not row.exact]
    if found:  # desa Python found (by name, or a code written otherwise): their rows' plain cells are read in SQL
        db.execute("CREATE OR REPLACE TEMP TABLE _kode_baris AS SELECT unnest(?::BIGINT[]) AS baris, "
                   "unnest(?::INTEGER[]) AS p", [[b for b, _ in found], [p for _, p in found]])
        db.execute("UPDATE _sel SET p = k.p FROM _kode_baris k WHERE _sel.baris = k.baris")
        db.execute("DROP TABLE _kode_baris")
    # the rows of a desa given more than once, however written (`_row_problems` warns from the second on)
    twice = db.execute("SELECT baris, p FROM _sel WHERE p IN (SELECT p FROM _sel WHERE p IS NOT NULL GROUP BY p "
                       "HAVING count(*) > 1)").fetchall()
    for b, p in twice:
        if b not in rows:  # a plain row: its desa cell is the code, and it has a value
            rows[b] = _Row(stage.desa_code[p], stage.desa_code[p], exact=True)
    problems += _sql_row_problems(table, year, lookup, rows, variables, failures)
    stage.describe(order, year, table.berkas, None, {stage.var_pos[v]: table.columns_as_written[v] for v in variables},
                   bool(twice))
    _insert_values(db, table, variables, stage, sink, order, year, values)
    db.execute("DROP TABLE _sel")
    drop(db, table)
    return problems


@dataclass
class _Row:
    """What `_row_problems` needs of a row read in Python: its desa cell as written, the code
    found (None: blank, ambiguous or unknown), and whether it has a value."""

    written: object
    code: str | None
    blank: bool = False
    ambiguous: bool = False
    has_values: bool = True
    exact: bool = False  # the desa cell is a register code as written (found in SQL)


def _line_pattern(delimiter: str, cells: dict[int, str]) -> str:
    """An RE2 pattern that a whole line matches when its cell at each position (1-based) of
    `cells` matches the pattern given there; any other cell may hold anything but the delimiter.
    The line may end after any cell (a short row, whose missing cells are empty)."""
    d = r"\t" if delimiter == "\t" else delimiter  # , and ; stand for themselves
    other = f"[^{d}]*"
    last = max(cells)
    pattern = cells.get(1, other) + "".join(f"(?:{d}{cells.get(k, other)}" for k in range(2, last + 1))
    return pattern + f"(?:{d}.*)?" + ")?" * (last - 1)  # the cells after the last variable: anything


def _sort_rows(db, table, kinds_at: dict[int, str]) -> None:
    """Table `_sel` (baris, p, polos, kosong, d, c), one row per line of `table`: `p` the register
    position of its desa when the desa cell is an exact code (`_kode`), `polos` whether every
    variable cell is empty or plain (digits only, as `_DIGITS`; for a flag 0 or 1), `kosong`
    whether a `polos` row has no value at all, `d` the desa cell where `p` is NULL, and `c` the
    cells of the rows that are not `polos` (NULL for the others: Python reads only those cells).
    Two regular expressions over each whole line cost less than one per cell."""
    from .textsql import sql_text

    plain = _line_pattern(table.delimiter, {at: "[01]?" if kind == "flag" else "[0-9]{0,12}"
                                            for at, kind in kinds_at.items()})
    empty = _line_pattern(table.delimiter, {at: "" for at in kinds_at})
    d = sql_text(table.delimiter)
    desa_at = table.positions[DESA_COLUMN]
    # the desa cell; in the first column (as nearly always) cut from the line, twice as fast as a split
    desa = (f"CASE WHEN instr(teks, {d}) > 0 THEN left(teks, instr(teks, {d}) - 1) ELSE teks END" if desa_at == 1
            else f"string_split(teks, {d})[{desa_at}]")
    db.execute(f"""
        CREATE OR REPLACE TEMP TABLE _sel AS
        SELECT baris, p, polos,
               CASE WHEN polos THEN regexp_full_match(teks, {sql_text(empty)}) ELSE false END AS kosong,
               CASE WHEN p IS NULL THEN d END AS d, CASE WHEN NOT polos THEN string_split(teks, {d}) END AS c
        FROM (SELECT l.baris, l.teks, l.d, k.p, regexp_full_match(l.teks, {sql_text(plain)}) AS polos
              FROM (SELECT baris, teks, {desa} AS d FROM {table.lines}) l LEFT JOIN _kode k ON k.kode = l.d)""")


def _odd_rows(odd: list[tuple], table, variables: list[str], kinds: list[str], lookup: DesaLookup, stage: "Stage"):
    """The rows Python reads (`_sort_rows`), as `read_values` reads them: baris -> `_Row`, the
    cells that fail (baris, variable index, cell, message), and the values of the rows that are
    not `polos` (baris, 1-based variable index, register position, value). The plain cells of a
    `polos` row are read in SQL (`_insert_values`)."""
    columns = [(j, table.positions[v] - 1, kind) for j, (v, kind) in enumerate(zip(variables, kinds))]
    rows: dict[int, _Row] = {}
    failures: list[tuple[int, int, object, str]] = []
    values: list[tuple[int, int, int, float]] = []
    for b, p, polos, kosong, raw, cells in odd:
        if p is not None:
            row = _Row(stage.desa_code[p], stage.desa_code[p], exact=True)
        elif raw is None or is_blank(raw):
            row = _Row(raw, None, blank=True)
        else:
            ambiguous, code = lookup.resolve(raw)
            row = _Row(raw, code, ambiguous=ambiguous)
        rows[b] = row
        if polos:
            row.has_values = not kosong
            continue
        read = not row.blank and not row.ambiguous
        target = stage.desa_pos[row.code] if read and row.code is not None else None
        row.has_values = False
        for j, at, kind in columns:
            x = cells[at] if at < len(cells) else None
            if x is None or x == "":
                continue
            plain = x in ("0", "1") if kind == "flag" else _DIGITS.fullmatch(x) is not None  # as `_sort_rows`
            if plain:
                row.has_values = True
                if target is not None:
                    values.append((b, j + 1, target, float(x)))
                continue
            if is_blank(x):
                continue
            row.has_values = True
            if not read:
                continue
            try:
                parsed = parse_cell(x, kind)
            except CellError as exc:
                failures.append((b, j, x, str(exc)))
                continue
            if parsed is not None and target is not None:
                values.append((b, j + 1, target, parsed))
    return rows, failures, values


def _sql_row_problems(table, year: int, lookup: DesaLookup, rows: dict[int, _Row], variables: list[str],
                      failures: list[tuple[int, int, object, str]]) -> list[Problem]:
    """`_row_problems` of the rows Python looked at: every other row (a plain row of a desa
    given once, with a value) has none."""
    numbers = sorted(rows)
    at = {b: i for i, b in enumerate(numbers)}
    ordered = [rows[b] for b in numbers]

    def column(name: str, dtype) -> np.ndarray:
        out = np.empty(len(ordered), dtype=dtype)
        out[:] = [getattr(r, name) for r in ordered]
        return out

    return _row_problems(table, year, lookup, np.array(numbers, dtype=np.int64), column("written", object),
                         column("code", object), column("blank", bool), column("ambiguous", bool),
                         column("has_values", bool), variables,
                         [(at[b], j, raw, message) for b, j, raw, message in failures])


def _insert_values(db, table, variables: list[str], stage: "Stage", sink: str, order: int, year: int,
                   values: list[tuple[int, int, int, float]]) -> None:
    """Add the observations of `table` to `sink`: the plain cells of its `polos` rows whose desa
    is known, unnested in SQL, and `values` read in Python (`_odd_rows`); `urut` keeps the
    reading order whatever order they are inserted in."""
    from .textsql import sql_text

    stage.go_long()
    var_of = "[" + ", ".join(str(stage.var_pos[v]) for v in variables) + "]"
    # the 1-based variable index of each column (NULL: not a variable), to pick the variables' cells
    index = {table.positions[v]: j for j, v in enumerate(variables, start=1)}
    j_of = "[" + ", ".join(str(index.get(at, "NULL")) for at in range(1, len(table.positions) + 1)) + "]"
    python = ""
    if values:
        b, j, p, x = zip(*values)
        db.execute("CREATE OR REPLACE TEMP TABLE _lain AS SELECT unnest(?::BIGINT[]) AS baris, "
                   "unnest(?::INTEGER[]) AS j, unnest(?::INTEGER[]) AS p, unnest(?::DOUBLE[]) AS nilai",
                   [list(b), list(j), list(p), list(x)])
        python = "UNION ALL SELECT baris, j, p, nilai FROM _lain"
    db.execute(f"""
        INSERT INTO {sink}
        SELECT {reading_order(order, "baris", "j")} AS urut, {order} AS tabel, {year} AS tahun, p, {var_of}[j] AS v,
               nilai, baris
        FROM (
            SELECT baris, {j_of}[kol] AS j, p, CAST(x AS DOUBLE) AS nilai FROM (
                SELECT baris, p, unnest(string_split(teks, {sql_text(table.delimiter)})) AS x,
                       unnest(range(1, {len(table.positions) + 1})) AS kol
                FROM {table.lines} JOIN (SELECT baris, p FROM _sel WHERE polos AND p IS NOT NULL) USING (baris))
            WHERE x <> '' AND {j_of}[kol] IS NOT NULL
            {python})""")
    if values:
        db.execute("DROP TABLE _lain")


def _row_problems(table, year, lookup, baris, written, codes, blank_desa, ambiguous, has_values, variables,
                  failures) -> list[Problem]:
    """The problems of the rows of a table, as `read_values` words and orders them (only the rows
    that have one are looked at)."""
    register_empty = not lookup.by_code
    desa_col = table.columns_as_written[DESA_COLUMN]
    n = len(baris)
    valid = ~blank_desa & ~ambiguous & (codes != None)  # noqa: E711 (element-wise)
    first_row: dict[str, int] = {}
    twice = np.zeros(n, bool)
    for i in np.flatnonzero(valid & pd.Series(codes).duplicated(keep=False).to_numpy()):
        if codes[i] in first_row:
            twice[i] = True
        else:
            first_row[codes[i]] = int(baris[i])
    ordered: list[tuple[int, int, Problem]] = []
    leftover: list[int] = []
    for i in np.flatnonzero(blank_desa | ambiguous | (codes == None) | twice | ~has_values):  # noqa: E711
        row, raw, code = int(baris[i]), written[i], codes[i]
        where = table.where(baris=row)
        if blank_desa[i]:
            if has_values[i]:
                ordered.append((i, 0, error("kolom desa kosong, padahal baris ini berisi nilai; isi nama atau kode "
                                            "desanya", kolom=desa_col, nilai="", tahun=year, kode="desa_kosong",
                                            **where)))
            else:
                leftover.append(row)
            continue
        if ambiguous[i]:
            ordered.append((i, 0, warning(f"desa ini tercantum lebih dari sekali di {REGISTER_FILE} (kode atau nama "
                                          f"ganda) sehingga baris ini tidak dibaca; betulkan {REGISTER_FILE} dahulu",
                                          kolom=desa_col, nilai=str(raw).strip(), tahun=year,
                                          kode="desa_ganda_di_register", **where)))
            continue
        if code is None:
            if lookup.shared_codes(raw):
                ordered.append((i, 0, error(
                    "nama desa ini dipakai oleh lebih dari satu desa di daftar desa (kode "
                    f"{', '.join(lookup.shared_codes(raw))}); tulis kode desanya di kolom desa", kolom=desa_col,
                    nilai=str(raw).strip(), tahun=year, kode="nama_desa_tidak_unik", **where)))
            elif not register_empty:
                ordered.append((i, 0, error(_unknown_desa_message(raw, lookup), kolom=desa_col,
                                            nilai=str(raw).strip(), tahun=year, kode="desa_tidak_dikenal", **where)))
            continue
        if twice[i]:
            ordered.append((i, 0, warning(f"desa {lookup.names[code]} sudah tercantum di baris {first_row[code]} "
                                          f"{'lembar' if table.lembar else 'berkas'} yang sama; setiap desa cukup satu "
                                          "baris", kolom=desa_col, nilai=str(raw).strip(), tahun=year,
                                          kode_desa=code, kode="desa_ganda", **where)))
        if not has_values[i]:
            ordered.append((i, 0, warning(f"baris desa {lookup.names[code]} tidak berisi satu nilai pun; tidak ada "
                                          "yang dipakai dari baris ini", kolom=desa_col, nilai=str(raw).strip(),
                                          tahun=year, kode_desa=code, kode="baris_tanpa_nilai", **where)))
    for i, j, raw, message in failures:
        ordered.append((i, 1 + j, error(message, kolom=table.columns_as_written[variables[j]], nilai=str(raw).strip(),
                                        tahun=year, kode_desa=codes[i], kode="nilai_tidak_sah",
                                        **table.where(baris=int(baris[i])))))
    ordered.sort(key=lambda t: (t[0], t[1]))
    problems = [p for _, _, p in ordered]
    if leftover:
        shown = ", ".join(map(str, leftover[:20])) + (" ..." if len(leftover) > 20 else "")
        which = "baris ini" if len(leftover) == 1 else f"baris {shown}"
        problems.append(warning(f"{which} tidak berisi desa maupun nilai IKU; diabaikan", tahun=year,
                                kode="baris_diabaikan", **table.where(baris=leftover[0])))
    return problems
