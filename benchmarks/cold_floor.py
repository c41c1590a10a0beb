"""What a cold validating run must pay before it computes anything, measured with DuckDB alone:
the lower part of a floor for `iku compute` on a data directory it has not seen (issue 10).

    python benchmarks/cold_floor.py DATA_DIR [--repeat N]

Steps, each timed (median of N runs in this process after the first import):
- imports: pandas and DuckDB (iku's API returns DataFrames; the DuckDB baseline,
  duckdb_compute.py, imports no pandas). Timed once, in this fresh process;
- register: desa.csv read as text, its codes checked unique and non-empty;
- year files: every year file read with its columns declared (as the baseline reads them),
  joined to the register codes, and checked for unknown codes and desa given twice.

No Python runs per row. What a cold run adds beyond these (the outlier test, computing and
writing the table) is measured on iku itself: see benchmarks/RESULTS.md. It assumes the
clean files benchmarks/make_national.py writes (a `desa` column of register codes, digits).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

began = time.perf_counter()
import duckdb  # noqa: E402
import pandas  # noqa: E402,F401  (the cost of iku's public face)

IMPORTS = time.perf_counter() - began


def lit(text) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def register(db, data: Path) -> None:
    db.execute("CREATE OR REPLACE TABLE reg AS SELECT row_number() OVER () AS p, * FROM "
               f"read_csv({lit(data / 'desa.csv')}, all_varchar = true, header = true)")
    twice, empty = db.execute("SELECT count(*) - count(DISTINCT kode_desa), count(*) FILTER "
                              "(WHERE kode_desa IS NULL OR nama_desa IS NULL) FROM reg").fetchone()
    if twice or empty:
        raise SystemExit(f"desa.csv: {twice} codes twice, {empty} empty cells")


def year_files(db, data: Path) -> int:
    n = 0
    for folder in sorted(p for p in data.iterdir() if p.is_dir() and p.name.isdigit()):
        for path in sorted(folder.glob("*.csv")):
            with open(path, encoding="utf-8", newline="") as fh:
                columns = next(csv.reader(fh))
            declared = ", ".join(["'desa': 'VARCHAR'"] + [f"{lit(c)}: 'BIGINT'" for c in columns[1:]])
            db.execute(f"CREATE OR REPLACE TABLE w{n} AS SELECT {int(folder.name)} AS tahun, r.p, t.* EXCLUDE (desa) "
                       f"FROM read_csv({lit(path)}, header = true, columns = {{{declared}}}) t "
                       "LEFT JOIN reg r ON r.kode_desa = t.desa")
            unknown, twice = db.execute(f"SELECT count(*) FILTER (WHERE p IS NULL), count(p) - count(DISTINCT p) "
                                        f"FROM w{n}").fetchone()
            if unknown or twice:
                raise SystemExit(f"{path}: {unknown} unknown desa, {twice} given twice")
            n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    times: dict[str, list[float]] = {"register": [], "year files": []}
    for _ in range(args.repeat):
        db = duckdb.connect()
        t = time.perf_counter()
        register(db, args.data_dir)
        times["register"].append(time.perf_counter() - t)
        t = time.perf_counter()
        files = year_files(db, args.data_dir)
        times["year files"].append(time.perf_counter() - t)
        db.close()
    medians = {"imports": IMPORTS, **{k: statistics.median(v) for k, v in times.items()}}
    for step, seconds in medians.items():
        print(f"{step:12} {seconds:6.2f} s")
    print(f"{'sum':12} {sum(medians.values()):6.2f} s ({files} year files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
