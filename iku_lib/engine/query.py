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


def _text(value: object) -> str:
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"


def _number(value: float) -> str:
    return f"CAST('{float(value)!r}' AS DOUBLE)"


def prepare(db: duckdb.DuckDBPyConnection, register: pd.DataFrame, targets: pd.DataFrame, catalog: Catalog,
            levels: list[str]) -> None:
    """Tables the query reads besides `_obs`: `_wilayah` (each desa's position, code and name and
    those of its parents), `_indikator` and `_target`."""
    columns = {"p": range(len(register)), "kode_desa": register["kode_desa"], "nama_desa": register["nama_desa"]}
    for level in levels[1:]:
        _, code, name = next(p for p in PARENT_LEVELS if p[0] == level)
        columns[f"kode_{level}"] = register[code].astype(object)
        columns[f"nama_{level}"] = register[name].astype(object)
    frame = pd.DataFrame(columns)
    for column in frame.columns[1:]:
        frame[column] = frame[column].astype(object)
    db.register("_register_frame", frame)
    db.execute("CREATE OR REPLACE TEMP TABLE _wilayah AS SELECT * FROM _register_frame")
    db.unregister("_register_frame")
    tgt = pd.DataFrame({"indikator": targets["indikator"].astype(object), "tahun": targets["tahun"].astype(int),
                        "target": targets["target"].astype(float), "kode_wilayah": targets["kode_wilayah"].astype(object)})
    db.register("_target_frame", tgt)
    db.execute("CREATE OR REPLACE TEMP TABLE _target AS SELECT indikator, CAST(tahun AS INTEGER) AS tahun, target, "
               "CAST(kode_wilayah AS VARCHAR) AS kode_wilayah FROM _target_frame")
    db.unregister("_target_frame")


def prepare_values(db: duckdb.DuckDBPyConnection, catalog: Catalog, years: list[int]) -> None:
    """Table `_nilai`: one row per register desa and year of `years`, one column `x<v>` per variable
    an indicator uses (NULL where the desa gave no value), from `_obs`."""
    variables = list(catalog.variables)
    used = [variables.index(v) for v in catalog.used_variables()]
    year_list = ", ".join(str(int(y)) for y in years)
    pivot = ", ".join(f"max(nilai) FILTER (WHERE v = {i}) AS x{i}" for i in used)
    db.execute(f"""
        CREATE OR REPLACE TEMP TABLE _nilai AS
        SELECT y.tahun, w.p, o.* EXCLUDE (tahun, p)
        FROM (SELECT unnest([{year_list}]) AS tahun) y CROSS JOIN (SELECT p FROM _wilayah) w
        LEFT JOIN (SELECT tahun, p, {pivot} FROM _obs WHERE tahun IN ({year_list}) GROUP BY tahun, p) o
             USING (tahun, p)""")


OUTPUT_LIST = ", ".join(OUTPUT)


def indicator_query(catalog: Catalog, years: list[int], levels: list[str], wanted: list[str],
                    where: str | None = None, select: str | None = None) -> str:
    """SELECT of the indicator table (columns OUTPUT) for `years` at the levels `wanted` (a subset of
    `levels`, the register's levels, lowest first), for a catalog without directly reported indicators.
    It reads `_wilayah`, `_target` (`prepare`) and `_nilai` (`prepare_values`, for the same years).
    `where`, an SQL condition on those columns, keeps only the rows that meet it (in the same order).
    `select`, expressions over those columns (`export` makes its text cells safe there), replaces
    the plain column list in the same SELECT as the ORDER BY: wrapping this query in another
    SELECT would not keep its order (DuckDB keeps a subquery's order only by chance; measured: a
    national year written by COPY came out in interleaved chunks)."""
    variables = list(catalog.variables)
    ind = catalog.indicators.loc[catalog.desa_ids]
    desa_parts = []
    for rank, (ident, spec) in enumerate(ind.iterrows()):
        num = f"x{variables.index(spec['pembilang'])}"
        den = "CAST(1.0 AS DOUBLE)" if spec["penyebut"] == NUMBER_OF_DESA else f"x{variables.index(spec['penyebut'])}"
        as_zero = f"({num} IS NULL AND {den} IS NOT NULL)" if spec["kosong"] == "tidak_tercapai" else "FALSE"
        desa_parts.append(f"""
            SELECT {rank} AS ir, {_text(ident)} AS indikator, tahun, p, CAST({num} AS DOUBLE) AS pembilang,
                   CAST({den} AS DOUBLE) AS penyebut, {_number(spec['faktor'])} AS faktor, {as_zero} AS nol,
                   (({num} IS NOT NULL AND {den} IS NOT NULL) OR {as_zero}) AS dihitung
            FROM _nilai""")
    desa = " UNION ALL ".join(desa_parts)
    parts = []
    rank_of = {lvl: i for i, lvl in enumerate(levels)}
    if "desa" in wanted:
        parts.append(f"""
            SELECT d.tahun, 0 AS lr, d.ir, d.p AS ar, d.indikator, 'desa' AS level, w.kode_desa AS kode_wilayah,
                   w.nama_desa AS nama_wilayah, d.pembilang, d.penyebut,
                   CASE WHEN d.penyebut > 0 THEN d.pembilang / d.penyebut * d.faktor END AS nilai, d.dihitung,
                   CASE WHEN d.nol THEN '{MISSING_AS_ZERO}' WHEN NOT d.dihitung THEN '{NO_DATA}'
                        WHEN d.penyebut = 0 THEN '{ZERO_DENOMINATOR}'
                        WHEN d.pembilang > d.penyebut THEN '{ABOVE_DENOMINATOR}' ELSE '' END AS catatan
            FROM _desa_rows d JOIN _wilayah w USING (p)""")
    for level in wanted:
        if level == "desa":
            continue
        parts.append(f"""
            SELECT tahun, {rank_of[level]} AS lr, ir, ar, indikator, '{level}' AS level, kode_wilayah, nama_wilayah,
                   pembilang, penyebut, CASE WHEN penyebut > 0 THEN pembilang / penyebut * faktor END AS nilai,
                   dihitung, CASE WHEN NOT dihitung THEN '{NO_DATA}' WHEN penyebut = 0 THEN '{ZERO_DENOMINATOR}'
                                  ELSE '' END AS catatan
            FROM (
                SELECT d.tahun, d.ir, min(d.p) AS ar, any_value(d.indikator) AS indikator,
                       w.kode_{level} AS kode_wilayah, any_value(a.nama) AS nama_wilayah,
                       CASE WHEN count_if(d.dihitung) > 0
                            THEN fsum(CASE WHEN d.dihitung THEN coalesce(d.pembilang, 0.0) ELSE 0.0 END) END AS pembilang,
                       CASE WHEN count_if(d.dihitung) > 0
                            THEN fsum(CASE WHEN d.dihitung THEN d.penyebut ELSE 0.0 END) END AS penyebut,
                       any_value(d.faktor) AS faktor, count_if(d.dihitung) > 0 AS dihitung
                FROM _desa_rows d JOIN _wilayah w USING (p)
                     JOIN (SELECT kode_{level} AS kode, arg_min(nama_{level}, p) AS nama FROM _wilayah GROUP BY 1) a
                     ON a.kode = w.kode_{level}
                GROUP BY d.tahun, d.ir, w.kode_{level})""")
    top = levels[-1]
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
    names = pd.Series(catalog.indicators["nama"]).to_dict()
    units = pd.Series(catalog.indicators["satuan"]).to_dict()
    name_case = "CASE indikator " + " ".join(f"WHEN {_text(k)} THEN {_text(v)}" for k, v in names.items()) + " END"
    unit_case = "CASE indikator " + " ".join(f"WHEN {_text(k)} THEN {_text(v)}" for k, v in units.items()) + " END"
    order = "CASE tahun " + " ".join(f"WHEN {int(y)} THEN {i}" for i, y in enumerate(years)) + " END"
    return f"""
        WITH _desa_rows AS ({desa}),
        _baris AS ({' UNION ALL '.join(parts)}),
        _bertarget AS (
            SELECT b.*, CASE WHEN b.level = 'desa' THEN NULL
                             ELSE coalesce(o.target, CASE WHEN b.level = '{top}' THEN g.target END) END AS target
            FROM _baris b
            LEFT JOIN (SELECT * FROM _target WHERE kode_wilayah IS NOT NULL) o
                 ON o.indikator = b.indikator AND o.tahun = b.tahun AND o.kode_wilayah = b.kode_wilayah
            LEFT JOIN (SELECT * FROM _target WHERE kode_wilayah IS NULL) g
                 ON g.indikator = b.indikator AND g.tahun = b.tahun),
        _capaian AS (
            SELECT *, CASE WHEN nilai IS NULL OR target IS NULL THEN NULL
                           WHEN target = 0 THEN CASE WHEN nilai = 0 THEN {capped(_number(100.0))} END
                           WHEN indikator IN ({neg_ids}) THEN {neg_value}
                           ELSE {capped('nilai / target * 100')} END AS capaian0
            FROM _bertarget)
        SELECT {OUTPUT_LIST if select is None else select}
        FROM (SELECT indikator, {name_case} AS nama_indikator, tahun, level, kode_wilayah, nama_wilayah, pembilang,
                     penyebut, nilai, {unit_case} AS satuan, target, capaian, {grade} AS predikat,
                     dihitung, catatan, '' AS sumber_nilai, {order} AS _urut, lr AS _lr, ir AS _ir, ar AS _ar
              FROM (SELECT *, CASE WHEN isinf(capaian0) THEN NULL ELSE capaian0 END AS capaian FROM _capaian)
              {'' if where is None else f'WHERE {where}'})
        ORDER BY _urut, _lr, _ir, _ar"""


def query_frame(db: duckdb.DuckDBPyConnection, register: pd.DataFrame, targets: pd.DataFrame, catalog: Catalog,
                years: list[int], levels: list[str], wanted: list[str], where: str | None = None) -> pd.DataFrame:
    """The indicator table (columns OUTPUT) as pandas, with the dtypes `compute` promises (only the
    rows that meet `where`, when given; see `indicator_query`)."""
    prepare(db, register, targets, catalog, levels)
    prepare_values(db, catalog, years)
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


def notes_query(catalog: Catalog, years: list[int], levels: list[str], wanted: list[str]) -> str:
    """The rows and notes (`catatan`) of `indicator_query`, without targets, capaian or order:
    the part `iku compute` counts."""
    full = indicator_query(catalog, years, levels, wanted)
    return full[:full.index("        _bertarget AS (")].rstrip().rstrip(",") + "\n        SELECT catatan FROM _baris"
