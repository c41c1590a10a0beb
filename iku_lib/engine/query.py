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
register order, and the area rows (`_luas`, a few percent of the table) finished and sorted;
the query is a UNION ALL of plain SELECTs from one table each, which DuckDB keeps in order
(its documentation, "Order Preservation": COPY, SELECT, WHERE and UNION ALL keep the order; a
JOIN, or an ORDER BY inside a subquery, does not; `export` also says PRESERVE_ORDER on each
COPY, see KEEP_ORDER there). Each level above desa is summed from the wide desa rows in one
GROUP BY by area number, a column per indicator, as the baseline in
benchmarks/duckdb_compute.py does.
"""

from __future__ import annotations

import duckdb
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
            levels: list[str]) -> None:
    """Tables `prepare_values` reads besides `_obs_wide`: `_wilayah` (each desa's position, code and
    name, those of its parents, and `a_<level>`: each parent by the position of its first desa),
    `_area_<level>` (a, kode_wilayah, nama_wilayah: each area once) and `_target`."""
    columns = {"p": range(len(register)), "kode_desa": register["kode_desa"], "nama_desa": register["nama_desa"]}
    for level in levels[1:]:
        _, code, name = next(p for p in PARENT_LEVELS if p[0] == level)
        columns[f"kode_{level}"] = register[code].astype(object)
        columns[f"nama_{level}"] = register[name].astype(object)
    frame = pd.DataFrame(columns)
    for column in frame.columns[1:]:
        frame[column] = frame[column].astype(object)
    # each desa's areas also by number: `a_<level>`, the register position of the area's first desa
    # (a missing code is one area, as in SQL's GROUP BY; pandas: 10x faster than a window in DuckDB)
    for level in levels[1:]:
        frame[f"a_{level}"] = frame.groupby(f"kode_{level}", dropna=False, sort=False)["p"].transform("min")
    db.register("_register_frame", frame)
    db.execute("CREATE OR REPLACE TEMP TABLE _wilayah AS SELECT * FROM _register_frame")
    db.unregister("_register_frame")
    for level in levels[1:]:  # each area once: its number, code, and name (that of its first desa that has one)
        db.execute(f"""CREATE OR REPLACE TEMP TABLE _area_{level} AS
                       SELECT min(p) AS a, kode_{level} AS kode_wilayah, arg_min(nama_{level}, p) AS nama_wilayah
                       FROM _wilayah GROUP BY kode_{level}""")
    tgt = pd.DataFrame({"indikator": targets["indikator"].astype(object), "tahun": targets["tahun"].astype(int),
                        "target": targets["target"].astype(float), "kode_wilayah": targets["kode_wilayah"].astype(object)})
    db.register("_target_frame", tgt)
    db.execute("CREATE OR REPLACE TEMP TABLE _target AS SELECT indikator, CAST(tahun AS INTEGER) AS tahun, target, "
               "CAST(kode_wilayah AS VARCHAR) AS kode_wilayah FROM _target_frame")
    db.unregister("_target_frame")


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
    """Tables `_nilai` and `_luas`, read by `indicator_query` for the same `years` and `wanted`.

    `_nilai`: one row per register desa and year of `years`, with `_urut` (the year's place in
    `years`), `p`, the number of each wanted area it lies in (`a_<level>`) and one column `x<v>`
    per variable an indicator uses (NULL where the desa gave no value), from `_obs_wide`; when
    desa rows are wanted, also the desa's code and name, in table order (`_urut`, then `p`); made
    only then. `_luas`: the finished rows (OUTPUT and `_urut`) of the wanted levels above desa,
    in table order.
    """
    variables = list(catalog.variables)
    used = "".join(f", o.x{variables.index(v)}" for v in catalog.used_variables())
    year_list = ", ".join(str(int(y)) for y in years)
    areas = [level for level in wanted if level != "desa"]
    numbers = "".join(f", w.a_{level}" for level in areas)
    # desa rows are written straight from `_nilai`: in table order, with their code and name; the
    # areas are summed by number (`a_<level>`), in any order (`_luas` is sorted)
    desa = ", w.kode_desa, w.nama_desa" if "desa" in wanted else ""
    values = f"""
        SELECT y._urut, y.tahun, w.p{desa}{numbers}{used}
        FROM (SELECT unnest([{year_list}]) AS tahun, generate_subscripts([{year_list}], 1) AS _urut) y
             CROSS JOIN _wilayah w
             LEFT JOIN (SELECT * FROM _obs_wide WHERE tahun IN ({year_list})) o USING (tahun, p)"""
    if "desa" in wanted:
        db.execute(f"CREATE OR REPLACE TEMP TABLE _nilai AS {values} ORDER BY y._urut, w.p")
    if areas:  # without desa rows, the values are summed as they are made, not stored (national: 0.3 s less)
        source = "_nilai" if "desa" in wanted else f"({values})"
        db.execute(f"CREATE OR REPLACE TEMP TABLE _luas AS {_area_rows(catalog, years, levels, areas, source)}")


def _area_rows(catalog: Catalog, years: list[int], levels: list[str], areas: list[str], values: str) -> str:
    """SELECT of the finished rows (OUTPUT, `_urut`) of the levels `areas` above desa, sorted:
    per level one GROUP BY over `values` (the table `_nilai`, or the SELECT that makes its rows,
    in parentheses) by area number sums every indicator's counted numerators and denominators
    (a column each), then one row per area and indicator."""
    indicators = _indicators(catalog)
    rank_of = {level: i for i, level in enumerate(levels)}
    wide, rows = [], []
    for level in areas:
        sums = ", ".join(f"count_if({t.counted}) AS c{r}, "
                         f"fsum(CASE WHEN {t.counted} THEN coalesce({t.num}, 0.0) ELSE 0.0 END) AS s{r}, "
                         f"fsum(CASE WHEN {t.counted} THEN {t.den} ELSE 0.0 END) AS t{r}"
                         for r, (_, _, t) in enumerate(indicators))
        wide.append(f"""_lebar_{level} AS (
            SELECT g.*, n.kode_wilayah, n.nama_wilayah
            FROM (SELECT _urut, tahun, a_{level} AS ar, {sums} FROM _desa_tahun GROUP BY _urut, tahun, a_{level}) g
                 JOIN _area_{level} n ON n.a = g.ar)""")
        rows += [f"""
            SELECT _urut, {rank_of[level]} AS lr, {r} AS ir, ar, {_text(ident)} AS indikator,
                   {_text(spec['nama'])} AS nama_indikator, tahun, '{level}' AS level, kode_wilayah, nama_wilayah,
                   CASE WHEN c{r} > 0 THEN s{r} END AS pembilang, CASE WHEN c{r} > 0 THEN t{r} END AS penyebut,
                   {t.factor} AS faktor, {_text(spec['satuan'])} AS satuan, c{r} > 0 AS dihitung
            FROM _lebar_{level}""" for r, (ident, spec, t) in enumerate(indicators)]
    top = levels[-1]
    # only the years asked: a target for every kecamatan of ten national years is 780,000 rows,
    # and joining all of them ran DuckDB out of its memory (`iku validate`, one year at a time)
    year_list = ", ".join(str(int(y)) for y in years)
    negative = catalog.indicators["polaritas"].eq("negatif")
    neg_ids = ", ".join(_text(i) for i in catalog.indicators.index[negative]) or "NULL"
    cap = catalog.cap
    capped = (lambda x: f"least({x}, {_number(cap)})") if cap is not None else (lambda x: x)
    if catalog.negative_variant == "2t-r":
        neg_value = capped("CASE WHEN (2 * target - nilai) / target * 100 IS NULL THEN NULL "
                           "ELSE greatest(CAST(0.0 AS DOUBLE), (2 * target - nilai) / target * 100) END")
    else:
        neg_value = (f"CASE WHEN nilai = 0 THEN {_number(cap) if cap is not None else 'NULL'} "
                     f"ELSE {capped('target / nilai * 100')} END")
    grade = "CASE " + " ".join(
        (f"WHEN capaian >= {_number(low - GRADE_TOLERANCE)} THEN {_text(label)}" if low is not None
         else f"WHEN capaian IS NOT NULL THEN {_text(label)}") for low, label in catalog.grades) + " END"
    return f"""
        WITH _desa_tahun AS (SELECT * FROM {values}), {', '.join(wide)},
        _baris AS ({' UNION ALL '.join(rows)}),
        _bertarget AS (
            SELECT b.*, {_ratio('b.pembilang', 'b.penyebut', 'b.faktor')} AS nilai,
                   coalesce(o.target, CASE WHEN b.level = '{top}' THEN g.target END) AS target
            FROM _baris b
            LEFT JOIN (SELECT * FROM _target WHERE kode_wilayah IS NOT NULL AND tahun IN ({year_list})) o
                 ON o.indikator = b.indikator AND o.tahun = b.tahun AND o.kode_wilayah = b.kode_wilayah
            LEFT JOIN (SELECT * FROM _target WHERE kode_wilayah IS NULL AND tahun IN ({year_list})) g
                 ON g.indikator = b.indikator AND g.tahun = b.tahun),
        _capaian AS (
            SELECT *, CASE WHEN nilai IS NULL OR target IS NULL THEN NULL
                           WHEN target = 0 THEN CASE WHEN nilai = 0 THEN {capped(_number(100.0))} END
                           WHEN indikator IN ({neg_ids}) THEN {neg_value}
                           ELSE {capped('nilai / target * 100')} END AS capaian0
            FROM _bertarget),
        _selesai AS (SELECT *, CASE WHEN isinf(capaian0) THEN NULL ELSE capaian0 END AS capaian FROM _capaian)
        SELECT indikator, nama_indikator, tahun, level, kode_wilayah, nama_wilayah, pembilang, penyebut, nilai, satuan,
               target, capaian,
               {grade} AS predikat, dihitung,
               CASE WHEN NOT dihitung THEN '{NO_DATA}' WHEN penyebut = 0 THEN '{ZERO_DENOMINATOR}' ELSE '' END
                   AS catatan, '' AS sumber_nilai, _urut
        FROM _selesai
        ORDER BY _urut, lr, ir, ar"""


def indicator_query(catalog: Catalog, years: list[int], levels: list[str], wanted: list[str],
                    where: str | None = None, select: str | None = None) -> str:
    """SELECT of the indicator table (columns OUTPUT) for `years` at the levels `wanted` (a subset of
    `levels`, the register's levels, lowest first), for a catalog without directly reported indicators,
    in table order (see the module docstring). It reads `_nilai` and `_luas`, made by
    `prepare_values` for the same years and levels (after `prepare`).
    `where`, an SQL condition on those columns, keeps only the rows that meet it (in the same order).
    `select`, expressions over those columns (`export` makes its text cells safe there), replaces
    the plain column list."""
    indicators = _indicators(catalog) if "desa" in wanted else []
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
        if any(level != "desa" for level in wanted):
            parts.append(f"SELECT {OUTPUT_LIST} FROM _luas WHERE _urut = {k}")
    if where is not None:
        parts = [f"SELECT * FROM ({part}) WHERE {where}" for part in parts]
    return f"SELECT {OUTPUT_LIST if select is None else select} FROM ({' UNION ALL '.join(parts)})"


def query_frame(db: duckdb.DuckDBPyConnection, register: pd.DataFrame, targets: pd.DataFrame, catalog: Catalog,
                years: list[int], levels: list[str], wanted: list[str], where: str | None = None) -> pd.DataFrame:
    """The indicator table (columns OUTPUT) as pandas, with the dtypes `compute` promises (only the
    rows that meet `where`, when given; see `indicator_query`)."""
    prepare(db, register, targets, catalog, levels)
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


def count_query(catalog: Catalog, years: list[int], levels: list[str], wanted: list[str]) -> str:
    """The number of rows of `indicator_query` and of those with a note (`catatan`): what
    `iku compute` counts (reads the same tables)."""
    return f"SELECT count(*), count_if(catatan <> '') FROM ({indicator_query(catalog, years, levels, wanted)})"
