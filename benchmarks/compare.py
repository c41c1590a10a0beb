"""Compare two indicator tables (CSV with the columns of `iku compute`) row by row.

    python benchmarks/compare.py A.csv B.csv

Checks, in this order: the same header (columns and their order); the same rows in the same
order (the key indikator, tahun, level, kode_wilayah of row k of A is that of row k of B);
then, matching rows on that key (so that a difference of order does not hide a difference of
values), numbers equal to `rel` relative (|a - b| <= rel x |b|; both empty counts as equal,
one empty as different) and texts (nama_wilayah, satuan, predikat) exactly equal.

Done in DuckDB (any size, little memory: the growth benchmark compares 20 M rows).
"""

from __future__ import annotations

import csv
import sys

KEYS = ["indikator", "tahun", "level", "kode_wilayah"]
NUMBERS = ["pembilang", "penyebut", "nilai", "target", "capaian"]
TEXTS = ["nama_wilayah", "satuan", "predikat"]
COLUMNS = ["indikator", "tahun", "level", "kode_wilayah", "nama_wilayah", "pembilang", "penyebut", "nilai",
           "satuan", "target", "capaian", "predikat"]


def _lit(text) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _source(path) -> str:
    """The table as DuckDB reads it: numbers as DOUBLE (empty = NULL), everything else as text."""
    types = ", ".join(f"{_lit(c)}: {_lit('DOUBLE' if c in NUMBERS else 'VARCHAR')}" for c in COLUMNS)
    return (f"read_csv({_lit(path)}, header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
            f"columns = {{{types}}})")


def _header(path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh), [])


def _value_checks(rel: float) -> list[tuple[str, str]]:
    """(column, SQL condition true when a row's a and b differ in it)."""
    checks = [(col, f"NOT ((a.{col} IS NULL AND b.{col} IS NULL) OR abs(a.{col} - b.{col}) <= {rel!r} * abs(b.{col}))")
              for col in NUMBERS]
    return checks + [(col, f"a.{col} IS DISTINCT FROM b.{col}") for col in TEXTS]


def _counted(con, checks: list[tuple[str, str]], source: str) -> list[str]:
    """Count the rows failing each check over `source` (a FROM clause binding a and b), with one example each."""
    key_a = ", ".join(f"a.{k}" for k in KEYS)
    select = ", ".join(f"count(*) FILTER (WHERE {cond}), "
                       f"any_value(struct_pack(k := [{key_a}], a := CAST(a.{col} AS VARCHAR), b := CAST(b.{col} AS VARCHAR))) "
                       f"FILTER (WHERE {cond})" for col, cond in checks)
    found = con.execute(f"SELECT {select} FROM {source}").fetchone()
    out = []
    for j, (col, _) in enumerate(checks):
        count, example = found[2 * j], found[2 * j + 1]
        if count:
            out.append(f"{col}: {count} rows differ, e.g. {example['k']}: {example['a']!r} vs {example['b']!r}")
    return out


def differences(a_path, b_path, rel: float = 1e-9) -> list[str]:
    """What differs between the two tables (empty list: same rows, same order, same values)."""
    import duckdb

    problems = [f"columns of {path}: {cols} (expected {COLUMNS})"
                for path, cols in ((a_path, _header(a_path)), (b_path, _header(b_path))) if cols != COLUMNS]
    if problems:
        return problems
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    # Row k of a against row k of b, streaming: the common case (everything equal) in one pass.
    key_a, key_b = (", ".join(f"{t}.{k}" for k in KEYS) for t in ("a", "b"))
    key_differs = f"({key_a}) IS DISTINCT FROM ({key_b})"
    positional = f"{_source(a_path)} a POSITIONAL JOIN {_source(b_path)} b"
    n_a, n_b, misplaced, example_a, example_b = con.execute(
        f"SELECT count(a.indikator), count(b.indikator), count(*) FILTER (WHERE {key_differs}), "
        f"any_value([{key_a}]) FILTER (WHERE {key_differs}), any_value([{key_b}]) FILTER (WHERE {key_differs}) "
        f"FROM {positional}").fetchone()
    if n_a != n_b:
        problems.append(f"rows differ: {n_a} vs {n_b}")
    if not misplaced:
        return problems + _counted(con, _value_checks(rel), positional)
    problems.append(f"row order differs: {misplaced} rows hold another key than at the same place in the other "
                    f"table, e.g. {example_a} vs {example_b}")
    # Rows matched on their key, so that values are compared whatever the order.
    on = " AND ".join(f"a.{k} = b.{k}" for k in KEYS)
    for name, path in (("ta", a_path), ("tb", b_path)):
        con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {_source(path)}")
    only = con.execute(f"""SELECT count(*) FILTER (WHERE b.indikator IS NULL), count(*) FILTER (WHERE a.indikator IS NULL),
                                  any_value([{key_a}]) FILTER (WHERE b.indikator IS NULL),
                                  any_value([{key_b}]) FILTER (WHERE a.indikator IS NULL)
                           FROM ta a FULL OUTER JOIN tb b ON {on}""").fetchone()
    if only[0] or only[1]:
        problems.append(f"only in first: {only[0]} rows (e.g. {only[2]}), only in second: {only[1]} rows (e.g. {only[3]})")
    for name in ("ta", "tb"):
        repeated = con.execute(f"SELECT count(*) FROM (SELECT {', '.join(KEYS)} FROM {name} GROUP BY ALL "
                               f"HAVING count(*) > 1)").fetchone()[0]
        if repeated:
            problems.append(f"{repeated} keys repeated in {a_path if name == 'ta' else b_path}")
    return problems + _counted(con, _value_checks(rel), f"ta a JOIN tb b ON {on}")


def rows(path) -> int:
    """Data rows of a CSV table."""
    import duckdb

    return duckdb.connect().execute(f"SELECT count(*) FROM {_source(path)}").fetchone()[0]


if __name__ == "__main__":
    found = differences(sys.argv[1], sys.argv[2])
    print("\n".join(found) or f"same rows in the same order, same numbers (1e-9 relative) and texts: "
                               f"{sys.argv[1]} and {sys.argv[2]}")
    sys.exit(1 if found else 0)
