"""The indicator table as one DuckDB query over a dataset's observations.

The same rules as `compute` (see its docstring and docs/methodology.md), written in SQL so
that national data is computed in the database, a level at a time, without a pandas copy:

- desa rows: numerator / denominator x factor, `kosong` policy, notes (`catatan`);
- every level above: sums of the counted desa rows' numerators and denominators, then divide;
- targets: the area's own, else the general one at the top level;
- capaian and predikat as `capaian.capaian_vector` and `capaian.grade_vector`, step by step in
  the same order of floating-point operations.

`indicator_query` covers the catalogs whose indicators are all computed from desa values; a
catalog with indicators reported directly (`nilai: langsung`) is computed by `compute_year`.
Rows come in the order `compute` gives them: year (in the order asked), level (desa first),
indicator (catalog order), area (register order; a parent area at its first desa).

The long table (about a million desa rows a national year) is never sorted: `prepare_values`
stores the desa values (`_nilai`, from the wide observations `_obs_wide`) in year and
register order, and each level's sums (`_lebar_<level>`, a row per year and area, a column per
indicator) in year and area order; the query is a UNION ALL of plain SELECTs from one table
each, which DuckDB keeps in order (its documentation, "Order Preservation": COPY, SELECT, WHERE
and UNION ALL keep the order; a JOIN, or an ORDER BY inside a subquery, does not; `export` also
says PRESERVE_ORDER on each COPY, see KEEP_ORDER there). Each level above desa is summed from
the wide desa rows in one GROUP BY by area number, a column per indicator, as the baseline in
benchmarks/duckdb_compute.py does; the levels above the lowest from its sums where that is
exact (`_whole_sums`).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from ..ingest.catalog import NUMBER_OF_DESA, Catalog
from ..ingest.register import PARENT_LEVELS
from .capaian import GRADE_TOLERANCE
from .compute import ABOVE_DENOMINATOR, MISSING_AS_ZERO, NO_DATA, ZERO_DENOMINATOR

OUTPUT = ["indikator", "nama_indikator", "tahun", "level", "kode_wilayah", "nama_wilayah", "pembilang", "penyebut",
          "nilai", "satuan", "target", "capaian", "predikat", "dihitung", "catatan", "sumber_nilai"]
OUTPUT_LIST = ", ".join(OUTPUT)


def _text(value: object) -> str:
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"


def _number(value: float) -> str:
    return f"CAST('{float(value)!r}' AS DOUBLE)"


def prepare(db: duckdb.DuckDBPyConnection, register: pd.DataFrame, targets: pd.DataFrame, catalog: Catalog,
            levels: list[str], wanted: list[str] | None = None) -> None:
    """Tables `prepare_values` reads besides `_obs_wide`: `_wilayah` (each desa's position, its code
    and name when desa rows are wanted, and `a_<level>`: each parent by the position of its first
    desa), `_area_<level>` (a, kode_wilayah, nama_wilayah: each area once) and `_target`. With
    `wanted` (the levels `prepare_values` will be asked for), only their columns and areas are
    made. The areas are found in numpy, and only each area's code and name are copied into
    DuckDB, not those of every desa (national, `--level kecamatan`: 0.1 -> 0.04 -> 0.02 s)."""
    wanted = levels if wanted is None else wanted
    frame = pd.DataFrame({"p": np.arange(len(register), dtype=np.int64)})
    if "desa" in wanted:
        frame["kode_desa"] = pd.Series(register["kode_desa"].to_numpy(dtype=object), dtype=object)
        frame["nama_desa"] = pd.Series(register["nama_desa"].to_numpy(dtype=object), dtype=object)
    areas = [level for level in levels[1:] if level in wanted]
    found = {}
    for level in areas:
        _, code, name = next(p for p in PARENT_LEVELS if p[0] == level)
        frame[f"a_{level}"], found[level] = _areas(register[code], register[name])
    db.register("_register_frame", frame)
    db.execute("CREATE OR REPLACE TEMP TABLE _wilayah AS SELECT * FROM _register_frame")
    db.unregister("_register_frame")
    for level, area in found.items():
        db.register("_area_frame", area)
        db.execute(f"CREATE OR REPLACE TEMP TABLE _area_{level} AS SELECT a, CAST(kode_wilayah AS VARCHAR) AS "
                   "kode_wilayah, CAST(nama_wilayah AS VARCHAR) AS nama_wilayah FROM _area_frame")
        db.unregister("_area_frame")
    tgt = pd.DataFrame({"indikator": targets["indikator"].astype(object), "tahun": targets["tahun"].astype(int),
                        "target": targets["target"].astype(float), "kode_wilayah": targets["kode_wilayah"].astype(object)})
    db.register("_target_frame", tgt)
    db.execute("CREATE OR REPLACE TEMP TABLE _target AS SELECT indikator, CAST(tahun AS INTEGER) AS tahun, target, "
               "CAST(kode_wilayah AS VARCHAR) AS kode_wilayah FROM _target_frame")
    db.unregister("_target_frame")


def _areas(codes: pd.Series, names: pd.Series) -> tuple[np.ndarray, pd.DataFrame]:
    """Each desa's area by the register position of the area's first desa (a missing code is one
    area, as in SQL's GROUP BY), and each area once: that position `a`, its code, and its name,
    that of its first desa that has one (None when none has).

    >>> codes, names = ["k2", "k1", "k2", None], [None, "Satu", "Dua", "X"]
    >>> a, area = _areas(pd.Series(codes, dtype=object), pd.Series(names, dtype=object))
    >>> a.tolist(), area.values.tolist()
    ([0, 1, 0, 3], [[0, 'k2', 'Dua'], [1, 'k1', 'Satu'], [3, None, 'X']])
    """
    labels, uniques = pd.factorize(codes.astype(object).to_numpy(), use_na_sentinel=False)
    _, first = np.unique(labels, return_index=True)  # labels count up in the order areas first appear
    named = np.flatnonzero(pd.notna(names.to_numpy(dtype=object)))
    with_name, at = np.unique(labels[named], return_index=True)
    name_of = np.full(len(uniques), None, dtype=object)
    name_of[with_name] = names.to_numpy(dtype=object)[named[at]]
    area = pd.DataFrame({"a": first.astype(np.int64),  # (Series of object: pandas would make str of an array)
                         "kode_wilayah": pd.Series([None if pd.isna(c) else c for c in uniques], dtype=object),
                         "nama_wilayah": pd.Series(name_of, dtype=object)})
    return first[labels].astype(np.int64), area


def _ratio(num: str, den: str, factor: str) -> str:
    """SQL of an indicator's value: numerator / denominator x factor, NULL unless the denominator
    is above 0 (as `compute`)."""
    return f"CASE WHEN {den} > 0 THEN {num} / {den} * {factor} END"


class _Terms:
    """SQL terms of one indicator over the columns `x<v>` of `_nilai`: numerator, denominator,
    factor, `nol` (a missing numerator counted as 0) and `dihitung` (counted in the sums)."""

    def __init__(self, spec: pd.Series, variables: list[str]) -> None:
        self.num = f"CAST(x{variables.index(spec['pembilang'])} AS DOUBLE)"
        self.den = ("CAST(1.0 AS DOUBLE)" if spec["penyebut"] == NUMBER_OF_DESA
                    else f"CAST(x{variables.index(spec['penyebut'])} AS DOUBLE)")
        self.factor = _number(spec["faktor"])
        self.zero = (f"({self.num} IS NULL AND {self.den} IS NOT NULL)" if spec["kosong"] == "tidak_tercapai"
                     else "FALSE")
        self.counted = f"(({self.num} IS NOT NULL AND {self.den} IS NOT NULL) OR {self.zero})"


def _indicators(catalog: Catalog) -> list[tuple[str, pd.Series, _Terms]]:
    """(indicator id, its catalog row, its terms) of every indicator computed from desa values, in
    catalog order."""
    variables = list(catalog.variables)
    return [(ident, spec, _Terms(spec, variables)) for ident, spec in catalog.indicators.loc[catalog.desa_ids].iterrows()]


def prepare_values(db: duckdb.DuckDBPyConnection, catalog: Catalog, years: list[int], levels: list[str],
                   wanted: list[str]) -> None:
    """Tables `_nilai` and `_lebar_<level>`, read by `indicator_query` for the same `years` and `wanted`.

    `_nilai`, made only when desa rows are wanted: one row per register desa and year of `years`,
    in table order, with `_urut` (the year's place in `years`), `p`, the desa's code and name and
    one column `x<v>` per variable an indicator uses (NULL where the desa gave no value), from
    `_obs_wide`.

    `_lebar_<level>` for each wanted level above desa: one row per year and area, in table order
    (`_urut`, then `ar`: the area's number, the register position of its first desa), with
    `tahun`, `kode_wilayah`, `nama_wilayah` and for each indicator r (catalog order) `c<r>` (its
    desa rows counted), `s<r>` and `t<r>` (the sums of their numerators and denominators), `g<r>`
    (the area's target, else at the top level the general one) and its finished cells
    (`_finished`). The long rows are made from it by `indicator_query` as they are written, never
    sorted: sorting and storing 84,000 finished rows a national year, texts and all, was more
    than half of this step (DuckDB's profile). A call with no level above desa wanted (`wanted`
    ["desa"]) leaves the `_lebar_<level>` tables as they are.
    """
    variables = list(catalog.variables)
    used = "".join(f", o.x{variables.index(v)}" for v in catalog.used_variables())
    year_list = ", ".join(str(int(y)) for y in years)
    areas = [level for level in wanted if level != "desa"]
    numbers = "".join(f", w.a_{level}" for level in areas)
    if "desa" in wanted and not (len(years) == 1 and _nilai_by_position(db, int(years[0]), used)):
        db.execute(f"""
            CREATE OR REPLACE TEMP TABLE _nilai AS
            SELECT y._urut, y.tahun, w.p, w.kode_desa, w.nama_desa{used}
            FROM {_years(years)} y CROSS JOIN _wilayah w
                 LEFT JOIN (SELECT * FROM _obs_wide WHERE tahun IN ({year_list})) o USING (tahun, p)
            ORDER BY y._urut, w.p""")
    if not areas:
        return
    values = f"""(SELECT y._urut, y.tahun, w.p{numbers}{used}
                  FROM {_years(years)} y CROSS JOIN _wilayah w
                       LEFT JOIN (SELECT * FROM _obs_wide WHERE tahun IN ({year_list})) o USING (tahun, p))"""
    indicators = _indicators(catalog)
    sums = ", ".join(f"count_if({t.counted}) AS c{r}, "
                     f"fsum(CASE WHEN {t.counted} THEN coalesce({t.num}, 0.0) ELSE 0.0 END) AS s{r}, "
                     f"fsum(CASE WHEN {t.counted} THEN {t.den} ELSE 0.0 END) AS t{r}"
                     for r, (_, _, t) in enumerate(indicators))
    if len(areas) > 1 and _whole_sums(db, catalog, years):
        # every sum exact in any order (whole numbers, well below 2^53): the levels are summed
        # from the sums of the smallest areas, not each from every desa row again, and by `sum`
        # (the same numbers as `fsum` then; grouped by every level at once, fsum took 2.3x longer)
        every = ", ".join(f"a_{level}" for level in areas)
        db.execute(f"CREATE OR REPLACE TEMP TABLE _halus AS SELECT _urut, tahun, {every}, "
                   f"{sums.replace('fsum(', 'sum(')} FROM {values} GROUP BY _urut, tahun, {every}")
        values = "_halus"
        sums = ", ".join(f"CAST(sum(c{r}) AS BIGINT) AS c{r}, sum(s{r}) AS s{r}, sum(t{r}) AS t{r}"
                         for r in range(len(indicators)))
    top = levels[-1]
    # the targets of the years asked only: a target for every kecamatan of ten national years is
    # 780,000 rows, and joining all of them ran DuckDB out of its memory (`iku validate`)
    for level in areas:
        own = ", ".join(f"max(target) FILTER (WHERE indikator = {_text(ident)}) AS o{r}"
                        for r, (ident, _, _) in enumerate(indicators))
        general = ", ".join(f"max(target) FILTER (WHERE indikator = {_text(ident)}) AS u{r}"
                            for r, (ident, _, _) in enumerate(indicators))
        targets = ", ".join((f"coalesce(o.o{r}, u.u{r})" if level == top else f"o.o{r}") + f" AS g{r}"
                            for r in range(len(indicators)))
        top_join = (f"""LEFT JOIN (SELECT tahun, {general} FROM _target WHERE kode_wilayah IS NULL
                                   AND tahun IN ({year_list}) GROUP BY tahun) u ON u.tahun = g.tahun"""
                    if level == top else "")
        summed = f"""
            SELECT g.*, n.kode_wilayah, n.nama_wilayah, {targets}
            FROM (SELECT _urut, tahun, a_{level} AS ar, {sums} FROM {values} GROUP BY _urut, tahun, a_{level}) g
                 JOIN _area_{level} n ON n.a = g.ar
                 LEFT JOIN (SELECT tahun, kode_wilayah, {own} FROM _target WHERE kode_wilayah IS NOT NULL
                            AND tahun IN ({year_list}) GROUP BY tahun, kode_wilayah) o
                      ON o.tahun = g.tahun AND o.kode_wilayah = n.kode_wilayah
                 {top_join}"""
        db.execute(f"CREATE OR REPLACE TEMP TABLE _lebar_{level} AS SELECT * EXCLUDE ({_working(len(indicators))}) "
                   f"FROM ({_finished(catalog, summed)}) ORDER BY _urut, ar")
    db.execute("DROP TABLE IF EXISTS _halus")


def _nilai_by_position(db: duckdb.DuckDBPyConnection, year: int, used: str) -> bool:
    """`_nilai` of one year made by position, when the year's rows of `_obs_wide` are one per
    register desa in register order (every desa delivered, as in a national year): each desa's
    row joined to the year's row at the same place (POSITIONAL JOIN), without the hash join
    and the sort of `prepare_values` (national: 0.13 -> 0.05 s a year). The table made is
    checked row by row (each row's `p` against its `_obs_wide` row's); False when a row does not
    match, and `prepare_values` makes it the general way."""
    db.execute(f"""
        CREATE OR REPLACE TEMP TABLE _nilai AS
        SELECT CAST(1 AS BIGINT) AS _urut, {year} AS tahun, w.p, w.kode_desa, w.nama_desa{used}, o.p AS _p
        FROM _wilayah w POSITIONAL JOIN (SELECT * FROM _obs_wide WHERE tahun = {year}) o""")
    return db.execute("SELECT count(*) FILTER (WHERE p IS DISTINCT FROM _p) = 0 FROM _nilai").fetchall()[0][0]


def _years(years: list[int]) -> str:
    """SQL of a table of `years`: `tahun` and `_urut` (its place in the list, from 1)."""
    year_list = ", ".join(str(int(y)) for y in years)
    return f"(SELECT unnest([{year_list}]) AS tahun, generate_subscripts([{year_list}], 1) AS _urut)"


WHOLE_LIMIT = 2.0 ** 53  # below it every whole number is a double, and so is every sum of them


def _whole_sums(db: duckdb.DuckDBPyConnection, catalog: Catalog, years: list[int]) -> bool:
    """True when every value of a variable an indicator uses, in `years`, is a whole number and the
    absolute values of each variable add up to less than 2^53: then every sum of them is exact,
    in whatever order or grouping (national data, counts of people and rupiah: always)."""
    variables = list(catalog.variables)
    columns = [f"x{variables.index(v)}" for v in catalog.used_variables()]
    if not columns:
        return True
    year_list = ", ".join(str(int(y)) for y in years)
    checks = ", ".join(f"coalesce(bool_and({c} = trunc({c})), true) AND coalesce(fsum(abs({c})), 0) < {WHOLE_LIMIT!r}"
                       for c in columns)
    found = db.execute(f"SELECT {checks} FROM _obs_wide WHERE tahun IN ({year_list})").fetchall()[0]
    return all(found)


def _working(count: int) -> str:
    """The columns of `_finished` that only lead to others (the counts and sums `c`, `s`, `t`,
    the capaian before its infinities are dropped `k0_`) of `count` indicators: left out of
    `_lebar_<level>`, which is stored with the 8 columns an indicator's rows are read from
    (national, `--level kecamatan`: 0.32 -> 0.23 s for the table of 35,000 areas x years).

    >>> _working(2)
    'c0, s0, t0, k0_0, c1, s1, t1, k0_1'
    """
    return ", ".join(f"c{r}, s{r}, t{r}, k0_{r}" for r in range(count))


def _finished(catalog: Catalog, summed: str) -> str:
    """SELECT, from `summed` (the SELECT of an area level's sums: `_urut`, `tahun`, `ar`,
    `kode_wilayah`, `nama_wilayah`, and per indicator r `c<r>`, `s<r>`, `t<r>`, `g<r>`), of each
    indicator's finished numbers: `d<r>` (dihitung), `p<r>` and `q<r>` (pembilang, penyebut),
    `v<r>` (nilai), `g<r>` (target), `k<r>` (capaian). The arithmetic is
    `capaian.capaian_vector`'s, step by step. Its texts, predikat and catatan, are written from
    them with each row (`_area_part`), not stored with them."""
    cap = catalog.cap
    capped = (lambda x: f"least({x}, {_number(cap)})") if cap is not None else (lambda x: x)
    first, second, third = [], [], []
    for r, (_, spec, t) in enumerate(_indicators(catalog)):
        value, target = f"v{r}", f"g{r}"
        if spec["polaritas"] != "negatif":
            reached = capped(f"{value} / {target} * 100")
        elif catalog.negative_variant == "2t-r":
            reached = capped(f"CASE WHEN (2 * {target} - {value}) / {target} * 100 IS NULL THEN NULL "
                             f"ELSE greatest(CAST(0.0 AS DOUBLE), (2 * {target} - {value}) / {target} * 100) END")
        else:
            reached = (f"CASE WHEN {value} = 0 THEN {_number(cap) if cap is not None else 'NULL'} "
                       f"ELSE {capped(f'{target} / {value} * 100')} END")
        first.append(f"c{r} > 0 AS d{r}, CASE WHEN c{r} > 0 THEN s{r} END AS p{r}, CASE WHEN c{r} > 0 THEN t{r} END AS q{r}")
        second.append(f"{_ratio(f'p{r}', f'q{r}', t.factor)} AS v{r}")
        third.append(f"""CASE WHEN {value} IS NULL OR {target} IS NULL THEN NULL
                              WHEN {target} = 0 THEN CASE WHEN {value} = 0 THEN {capped(_number(100.0))} END
                              ELSE {reached} END AS k0_{r}""")
    capaian = ", ".join(f"CASE WHEN isinf(k0_{r}) THEN NULL ELSE k0_{r} END AS k{r}" for r in range(len(first)))
    return f"""
        SELECT *, {capaian}
        FROM (SELECT *, {', '.join(third)}
              FROM (SELECT *, {', '.join(second)}
                    FROM (SELECT *, {', '.join(first)} FROM ({summed}))))"""


def _grade(catalog: Catalog, capaian: str) -> str:
    """SQL of the predikat of `capaian` (NULL where it is NULL), as `capaian.grade_vector`."""
    return "CASE " + " ".join(
        (f"WHEN {capaian} >= {_number(low - GRADE_TOLERANCE)} THEN {_text(label)}" if low is not None
         else f"WHEN {capaian} IS NOT NULL THEN {_text(label)}") for low, label in catalog.grades) + " END"


def _area_part(catalog: Catalog, level: str, r: int, ident: str, spec: pd.Series, rank: int) -> str:
    """SELECT of the rows (OUTPUT) of indicator number `r` at `level` for the year of `_urut`
    `rank`, from `_lebar_<level>` in its order: only projections, so DuckDB keeps it. The
    predikat and catatan are made here, from the capaian and the sums: a text column costs more
    to store in `_lebar_<level>` than to work out as the row is written (national, `--level
    kecamatan`: the table 0.24 -> 0.20 s)."""
    note = f"CASE WHEN NOT d{r} THEN '{NO_DATA}' WHEN q{r} = 0 THEN '{ZERO_DENOMINATOR}' ELSE '' END"
    return f"""
        SELECT {_text(ident)} AS indikator, {_text(spec['nama'])} AS nama_indikator, tahun, '{level}' AS level,
               kode_wilayah, nama_wilayah, p{r} AS pembilang, q{r} AS penyebut, v{r} AS nilai,
               {_text(spec['satuan'])} AS satuan, g{r} AS target, k{r} AS capaian,
               {_grade(catalog, f"k{r}")} AS predikat, d{r} AS dihitung, {note} AS catatan, '' AS sumber_nilai
        FROM _lebar_{level} WHERE _urut = {int(rank)}"""


def indicator_query(catalog: Catalog, years: list[int], levels: list[str], wanted: list[str],
                    where: str | None = None, select: str | None = None, area_rank: list[int] | None = None) -> str:
    """SELECT of the indicator table (columns OUTPUT) for `years` at the levels `wanted` (a subset of
    `levels`, the register's levels, lowest first), for a catalog without directly reported indicators,
    in table order (see the module docstring). It reads `_nilai` and `_lebar_<level>`, made by
    `prepare_values` for the same years and levels (after `prepare`).
    `where`, an SQL condition on those columns, keeps only the rows that meet it (in the same order).
    `select`, expressions over those columns (`export` makes its text cells safe there), replaces
    the plain column list. `area_rank`: each year's `_urut` in the `_lebar_<level>` tables when
    they were made for more years than `years` (`export` makes them once for a group of years and
    `_nilai` per year); by default 1, 2, ... as in `_nilai`."""
    every = _indicators(catalog)
    indicators = every if "desa" in wanted else []
    ranks = list(range(1, len(years) + 1)) if area_rank is None else area_rank
    parts = []
    for k in range(1, len(years) + 1):
        for ident, spec, t in indicators:
            parts.append(f"""
                    SELECT {_text(ident)} AS indikator, {_text(spec['nama'])} AS nama_indikator, tahun, 'desa' AS level,
                           kode_desa AS kode_wilayah, nama_desa AS nama_wilayah, {t.num} AS pembilang,
                           {t.den} AS penyebut, {_ratio(t.num, t.den, t.factor)} AS nilai,
                           {_text(spec['satuan'])} AS satuan, CAST(NULL AS DOUBLE) AS target,
                           CAST(NULL AS DOUBLE) AS capaian, CAST(NULL AS VARCHAR) AS predikat, {t.counted} AS dihitung,
                           CASE WHEN {t.zero} THEN '{MISSING_AS_ZERO}' WHEN NOT {t.counted} THEN '{NO_DATA}'
                                WHEN {t.den} = 0 THEN '{ZERO_DENOMINATOR}'
                                WHEN {t.num} > {t.den} THEN '{ABOVE_DENOMINATOR}' ELSE '' END AS catatan,
                           '' AS sumber_nilai
                    FROM _nilai WHERE _urut = {k}""")
        for level in (lv for lv in levels if lv in wanted and lv != "desa"):
            parts += [_area_part(catalog, level, r, ident, spec, ranks[k - 1])
                      for r, (ident, spec, _) in enumerate(every)]
    if where is not None:
        parts = [f"SELECT * FROM ({part}) WHERE {where}" for part in parts]
    return f"SELECT {OUTPUT_LIST if select is None else select} FROM ({' UNION ALL '.join(parts)})"


def query_frame(db: duckdb.DuckDBPyConnection, register: pd.DataFrame, targets: pd.DataFrame, catalog: Catalog,
                years: list[int], levels: list[str], wanted: list[str], where: str | None = None) -> pd.DataFrame:
    """The indicator table (columns OUTPUT) as pandas, with the dtypes `compute` promises (only the
    rows that meet `where`, when given; see `indicator_query`)."""
    prepare(db, register, targets, catalog, levels, wanted)
    prepare_values(db, catalog, years, levels, wanted)
    frame = db.execute(indicator_query(catalog, years, levels, wanted, where)).df()
    frame = frame.astype({"tahun": "int64", "dihitung": bool})
    for column in ("pembilang", "penyebut", "nilai", "target", "capaian"):
        frame[column] = frame[column].astype(float)
    text = ["indikator", "nama_indikator", "level", "kode_wilayah", "nama_wilayah", "satuan", "catatan",
            "sumber_nilai", "predikat"]
    # the text dtype pandas gives a frame built from Python strings (pandas 3: `str`; before: object)
    kind = pd.DataFrame({"x": ["a"]})["x"].dtype
    for column in text:
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None).astype(kind)
    return frame


def count_query(catalog: Catalog, years: list[int], levels: list[str], wanted: list[str],
                area_rank: list[int] | None = None) -> str:
    """The number of rows of `indicator_query` and of those with a note (`catatan`): what
    `iku compute` counts (reads the same tables)."""
    query = indicator_query(catalog, years, levels, wanted, area_rank=area_rank)
    return f"SELECT count(*), count_if(catatan <> '') FROM ({query})"
