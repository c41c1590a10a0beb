"""The indicator table written to a file (CSV or Parquet) or to the screen, as `iku compute` does.

A catalog computed from desa values is written by DuckDB straight from the query
(`engine.query`), so national data never becomes a pandas table; a catalog with indicators
reported directly goes through `compute` and pandas. Both write the same bytes for CSV: the
columns of `COLUMNS`, numbers at full precision (the shortest text that reads back to the same
number), empty for no value, `\\n` line ends.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import NamedTuple, TextIO

import pandas as pd

from ..exceptions import ParameterError
from ..ingest.dataset import Dataset
from ..growing import GrowingFile
from ..outputs import atomic_write
from ..problem_file import FORMULA_START, PLAIN_PATTERN, excel_safe
from .compute import COLUMNS, compute, levels_of, with_parents

FORMATS = {".csv": "csv", ".parquet": "parquet"}
# Without desa rows, the years whose desa values (one row per register desa and year) are summed
# in one pass: 6 national years (82,503 desa). Several years at once let DuckDB use every core
# (one national year, a single row group of 122,880 rows, is read by one thread); national,
# `--level kecamatan`: 0.9 s less than a pass per year. With desa rows a pass stays one year:
# writing five national years in one COPY took 7.1 s against 4.4 s in five (in order, see
# KEEP_ORDER), measured on DuckDB 2.0.1.
DESA_ROWS_PER_PASS = 500_000
# Said explicitly on every COPY: with the default (`preserve_insertion_order`) DuckDB 2.0.1 wrote
# the rows of a table of several row groups out of order once the query applied
# `_sql_formula_safe` (`regexp_full_match` in a CASE), in 8 of 8 runs on national data; with this
# option, in none (tests/engine/test_export.py checks the order at that size).
KEEP_ORDER = "PRESERVE_ORDER true"
# `atomic_write` writes to a hidden temporary file and renames it; DuckDB, writing over a file
# that exists (`GrowingFile` creates it first), would write its own `tmp_<name>` beside it, which
# a run killed during the COPY left behind (tests/test_outputs.py, kill at 0.8 s, once the run
# had become quick enough to be in its COPY then).
OWN_TMP_FILE = "USE_TMP_FILE false"


def output_format(path: Path | None) -> str:
    """`csv` or `parquet`, by the file's extension (the screen: csv); ParameterError otherwise."""
    if path is None:
        return "csv"
    found = FORMATS.get(Path(path).suffix.lower())
    if found is None:
        raise ParameterError(f"--out {path}: jenis berkas tidak dikenal; akhiri nama berkas dengan .csv atau .parquet")
    return found


class Exported(NamedTuple):
    """What `export_table` wrote: rows, rows with a note in `catatan`, and the SHA-256 of the file
    when it was hashed while written (a CSV from the query), else None."""

    rows: int
    notes: int
    sha256: str | None = None


def export_table(dataset: Dataset, years: list[int], level: str | None, path: Path | None,
                 screen: TextIO | None = None) -> Exported:
    """Write the table of `years` (all levels, or `level`) to `path` (atomically) or to `screen`
    (stdout)."""
    kind = output_format(path)
    if dataset.catalog.direct_ids or path is None:
        table = compute(dataset, years, level)
        return Exported(len(table), write_frame(dataset, table, COLUMNS, path, screen))
    from .query import count_query, indicator_query, prepare, prepare_values

    dataset.require_valid()
    years = [dataset.check_year(y) for y in years]
    catalog = dataset.catalog
    register = with_parents(dataset.register, catalog)
    levels = levels_of(register)
    if level is not None and level not in levels:
        raise ParameterError(f"level '{level}' tidak ada pada data ini; pilih salah satu: {', '.join(levels)}")
    db = dataset.db
    wanted = levels if level is None else [level]
    prepare(db, register, dataset.targets, catalog, levels, wanted)
    quoted = _formula_columns(catalog, register, levels, wanted) if kind == "csv" else set()
    text = ", ".join((_sql_formula_safe(f"nullif({c}, '')") if c in quoted else f"nullif({c}, '')") + f" AS {c}"
                     if c in TEXT_COLUMNS else c for c in COLUMNS)
    counts = [0, 0]
    digest: list[str | None] = [None]

    # Passes of years, in the order asked (the table's own order): memory stays that of one pass
    # however many years there are (docs/scale.md). The first pass is written straight into the
    # output; each pass after it goes to a part file appended to the output.
    passes = year_passes(years, len(register), "desa" in wanted)
    # With desa rows (a pass a year), the sums of the levels above desa are still made for a group
    # of years at once, as without them, and each year's pass reads its own rows from them
    areas = [lv for lv in wanted if lv != "desa"]
    area_size = len(year_passes(years, len(register), False)[0]) if "desa" in wanted and areas else 0

    def write(tmp: Path) -> None:
        # A CSV grows a pass at a time; each pass is put on disk and hashed in the background
        # while the next is computed (`GrowingFile`). A Parquet file is written at the end.
        grown = GrowingFile(tmp) if kind == "csv" else None
        try:
            with tempfile.TemporaryDirectory(prefix=f"{tmp.name}.", dir=tmp.parent) as folder:  # named as the output's temp file
                parts = []
                for i, group in enumerate(passes):
                    rank = None
                    if area_size:  # one year a pass (year_passes), its rank in its group of years
                        if i % area_size == 0:
                            prepare_values(db, catalog, years[i:i + area_size], levels, areas)
                        prepare_values(db, catalog, group, levels, ["desa"])
                        rank = [i % area_size + 1]
                    else:
                        prepare_values(db, catalog, group, levels, wanted)
                    part = tmp if i == 0 and kind == "csv" else Path(folder) / f"{i:05d}.{kind}"
                    query = indicator_query(catalog, group, levels, wanted, select=text, area_rank=rank)
                    options = "FORMAT parquet" if kind == "parquet" else f"HEADER {'true' if i == 0 else 'false'}, DELIMITER ','"
                    db.execute(f"COPY ({query}) TO '{_sql_path(part)}' ({options}, {KEEP_ORDER}, {OWN_TMP_FILE})"
                               ).fetchall()
                    rows, notes = db.execute(count_query(catalog, group, levels, wanted, rank)).fetchall()[0]
                    counts[0] += int(rows)
                    counts[1] += int(notes)
                    if grown is None:
                        parts.append(part)
                    elif part == tmp:
                        grown.grew()
                    else:
                        grown.append(part)
                if grown is None:
                    files = "[" + ", ".join(f"'{_sql_path(p)}'" for p in parts) + "]"
                    db.execute(f"COPY (SELECT * FROM read_parquet({files})) TO '{_sql_path(tmp)}' "
                               f"(FORMAT parquet, {KEEP_ORDER}, {OWN_TMP_FILE})").fetchall()
                else:
                    digest[0] = grown.finish()[1]
        finally:
            if grown is not None:
                grown.close()

    atomic_write(path, write)
    return Exported(counts[0], counts[1], digest[0])


# The text columns of `COLUMNS`. In a CSV, a text cell a spreadsheet would run as a formula
# (starting with = + - @, tab, carriage return or NUL, and not a plain number) is written with a
# leading apostrophe, as `problem_file.excel_safe` does (OWASP's advice against CSV injection);
# numbers stay numbers. Parquet keeps the text as it is (no spreadsheet opens it directly).
TEXT_COLUMNS = ("indikator", "level", "kode_wilayah", "nama_wilayah", "satuan", "predikat")
APOSTROPHE = "''''"  # SQL for the text "'"


def year_passes(years: list[int], desa: int, with_desa_rows: bool) -> list[list[int]]:
    """`years` in the passes `export_table` writes: one year each when desa rows are written,
    else as many years as DESA_ROWS_PER_PASS rows of `desa` desa allow (at least one).

    >>> year_passes([2019, 2020, 2021], 200_000, with_desa_rows=False)
    [[2019, 2020], [2021]]
    >>> year_passes([2019, 2020], 14, with_desa_rows=True)
    [[2019], [2020]]
    """
    size = 1 if with_desa_rows else max(1, DESA_ROWS_PER_PASS // max(1, desa))
    return [years[i:i + size] for i in range(0, len(years), size)]


def _formula_columns(catalog, register: pd.DataFrame, levels: list[str], wanted: list[str]) -> set[str]:
    """The TEXT_COLUMNS whose cells could start like a formula, judged from where their texts
    come from (the catalog, the names of the levels `wanted`, their areas' codes and names in the
    register). Only those get `_sql_formula_safe` in the COPY: the same bytes, without a regular
    expression on each of the five million cells of a national table when, as nearly always, no
    text needs it."""
    areas = [("kode_desa", "nama_desa")] if "desa" in wanted else []
    areas += [(f"kode_{level}", f"nama_{level}") for level in levels[1:] if level in wanted]
    sources = {"indikator": [list(catalog.indicators.index)], "level": [wanted],
               "satuan": [catalog.indicators["satuan"].tolist()], "predikat": [[label for _, label in catalog.grades]],
               "kode_wilayah": [pd.unique(register[code]).tolist() for code, _ in areas],
               "nama_wilayah": [pd.unique(register[name]).tolist() for _, name in areas]}
    # each text once (an area's code and name repeat at each of its desa), joined by line ends,
    # then a substring search per formula start (national register: 20 ms for every level; a
    # regular expression over the same texts 90 ms, pandas' str methods 0.5-0.9 s); a line end
    # inside a name can only add a column, never miss one
    return {column for column, parts in sources.items() if any(_starts_a_line(_joined(part)) for part in parts)}


def _starts_a_line(text: str) -> bool:
    """True when a line of `text` starts with a character of FORMULA_START.

    >>> _starts_a_line("Alpha\\n=1+2"), _starts_a_line("-x"), _starts_a_line("a-b\\nc")
    (True, True, False)
    """
    return text[:1] in FORMULA_START_SET or any("\n" + c in text for c in FORMULA_START)


def _joined(texts: list) -> str:
    """The texts of `texts` joined by line ends, anything else (None, a number) left out; a list of
    texts only (a register column, as nearly always) is joined without a look at each item.

    >>> _joined(["a", None, "b", 3.0])
    'a\\nb'
    """
    try:
        return "\n".join(texts)
    except TypeError:
        return "\n".join(v for v in texts if isinstance(v, str))


FORMULA_START_SET = frozenset(FORMULA_START)


def write_frame(dataset: Dataset, table, columns: list[str], path: Path | None, screen: TextIO | None = None) -> int:
    """Write a computed `table` (its `columns`) to `path` (CSV or Parquet by extension, atomically)
    or to `screen` (stdout, CSV); return the rows with a note in `catatan`."""
    kind = output_format(path)
    notes = int((table["catatan"] != "").sum())
    if kind == "csv":
        table = _formula_safe(table)
    if path is None:
        table.to_csv(screen or sys.stdout, columns=columns, index=False, lineterminator="\n")
    elif kind == "csv":
        atomic_write(path, lambda tmp: table.to_csv(tmp, encoding="utf-8", columns=columns, index=False,
                                                    lineterminator="\n"))
    else:
        db = dataset.db
        db.register("_tabel_keluar", table[columns])
        try:
            atomic_write(path, lambda tmp: db.execute(
                f"COPY (SELECT * FROM _tabel_keluar) TO '{_sql_path(tmp)}' (FORMAT parquet, {OWN_TMP_FILE})").fetchall())
        finally:
            db.unregister("_tabel_keluar")
    return notes


def _formula_safe(table):
    """`table` with its text cells made safe for a spreadsheet (`problem_file.excel_safe`)."""
    table = table.copy()
    for column in TEXT_COLUMNS:
        table[column] = table[column].map(lambda v: excel_safe(v) if isinstance(v, str) else v)
    return table


def _sql_formula_safe(expr: str) -> str:
    """SQL for `excel_safe(expr)`: the same rule, so both ways of writing give the same bytes."""
    starts = ", ".join(f"chr({ord(c)})" for c in FORMULA_START)
    plain = PLAIN_PATTERN.replace("'", "''")
    return (f"CASE WHEN left({expr}, 1) IN ({starts}) AND NOT regexp_full_match({expr}, '{plain}') "
            f"THEN {APOSTROPHE} || {expr} ELSE {expr} END")


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
