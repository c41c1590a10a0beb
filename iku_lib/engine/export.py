"""The indicator table written to a file (CSV or Parquet) or to the screen, as `iku compute` does.

A catalog computed from desa values is written by DuckDB straight from the query
(`engine.query`), so national data never becomes a pandas table; a catalog with indicators
reported directly goes through `compute` and pandas. Both write the same bytes for CSV: the
columns of `COLUMNS`, numbers at full precision (the shortest text that reads back to the same
number), empty for no value, `\\n` line ends.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from ..exceptions import ParameterError
from ..ingest.dataset import Dataset
from ..outputs import atomic_write
from ..problem_file import FORMULA_START, PLAIN_PATTERN, excel_safe
from .compute import COLUMNS, compute, levels_of, with_parents

FORMATS = {".csv": "csv", ".parquet": "parquet"}


def output_format(path: Path | None) -> str:
    """`csv` or `parquet`, by the file's extension (the screen: csv); ParameterError otherwise."""
    if path is None:
        return "csv"
    found = FORMATS.get(Path(path).suffix.lower())
    if found is None:
        raise ParameterError(f"--out {path}: jenis berkas tidak dikenal; akhiri nama berkas dengan .csv atau .parquet")
    return found


def export_table(dataset: Dataset, years: list[int], level: str | None, path: Path | None,
                 screen: TextIO | None = None) -> tuple[int, int]:
    """Write the table of `years` (all levels, or `level`) to `path` (atomically) or to `screen`
    (stdout); return (rows written, rows with a note in `catatan`)."""
    kind = output_format(path)
    if dataset.catalog.direct_ids or path is None:
        table = compute(dataset, years, level)
        return len(table), write_frame(dataset, table, COLUMNS, path, screen)
    from .query import count_query, indicator_query, prepare, prepare_values

    dataset.require_valid()
    years = [dataset.check_year(y) for y in years]
    catalog = dataset.catalog
    register = with_parents(dataset.register, catalog)
    levels = levels_of(register)
    if level is not None and level not in levels:
        raise ParameterError(f"level '{level}' tidak ada pada data ini; pilih salah satu: {', '.join(levels)}")
    db = dataset.db
    prepare(db, register, dataset.targets, catalog, levels)
    wanted = levels if level is None else [level]
    text = ", ".join((_sql_formula_safe(f"nullif({c}, '')") if kind == "csv" else f"nullif({c}, '')") + f" AS {c}"
                     if c in TEXT_COLUMNS else c for c in COLUMNS)
    counts = [0, 0]

    def write(tmp: Path) -> None:
        # One pass per year, in the order asked (the table's own order), each written to a part
        # file: memory stays that of one year however many years there are (docs/scale.md).
        with tempfile.TemporaryDirectory(prefix=f"{tmp.name}.", dir=tmp.parent) as folder:  # named as the output's temp file
            parts = []
            for i, year in enumerate(years):
                prepare_values(db, catalog, [year], levels, wanted)
                part = Path(folder) / f"{i:05d}.{kind}"
                query = indicator_query(catalog, [year], levels, wanted, select=text)
                options = "FORMAT parquet" if kind == "parquet" else f"HEADER {'true' if i == 0 else 'false'}, DELIMITER ','"
                db.execute(f"COPY ({query}) TO '{_sql_path(part)}' ({options})").fetchall()
                rows, notes = db.execute(count_query(catalog, [year], levels, wanted)).fetchall()[0]
                counts[0] += int(rows)
                counts[1] += int(notes)
                parts.append(part)
            if kind == "parquet":
                files = "[" + ", ".join(f"'{_sql_path(p)}'" for p in parts) + "]"
                db.execute(f"COPY (SELECT * FROM read_parquet({files})) TO '{_sql_path(tmp)}' (FORMAT parquet)").fetchall()
            else:
                with open(tmp, "wb") as out:
                    for part in parts:
                        with open(part, "rb") as piece:
                            shutil.copyfileobj(piece, out, 1 << 20)

    atomic_write(path, write)
    return counts[0], counts[1]


# The text columns of `COLUMNS`. In a CSV, a text cell a spreadsheet would run as a formula
# (starting with = + - @, tab, carriage return or NUL, and not a plain number) is written with a
# leading apostrophe, as `problem_file.excel_safe` does (OWASP's advice against CSV injection);
# numbers stay numbers. Parquet keeps the text as it is (no spreadsheet opens it directly).
TEXT_COLUMNS = ("indikator", "level", "kode_wilayah", "nama_wilayah", "satuan", "predikat")
APOSTROPHE = "''''"  # SQL for the text "'"


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
                f"COPY (SELECT * FROM _tabel_keluar) TO '{_sql_path(tmp)}' (FORMAT parquet)").fetchall())
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
