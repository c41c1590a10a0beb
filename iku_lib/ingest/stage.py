"""The stage: the DuckDB table (`_obs`) that collects the observations of every table read, in
reading order, and settling it once every file is read (a value given twice: used once, or a
conflict when the values differ).

`values` fills it (`read_sql_values` in SQL, `stage_observations` from a pandas table);
`database` describes the tables it leaves for the engine.

A table read typed (`regular`) is kept wide and its long rows are only written when another
kind of table comes (`Stage.go_long`) or settling needs them. When every table was read typed
and no value can repeat (every national delivery), they are never written: `_obs` is then a
view over the wide observations (`_obs_wide`) and each table's line of each desa (`_asal`),
with the same rows, and `materialize_observations` makes it a table where one must be stored.
On national data this saves writing and compressing 7.4 M rows in a run that stores nothing
(1.2 s); a dataset to be stored is read with `lazy=False`, its rows written as they come (0.9 s
less than making the view a table afterwards, measured).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..formatting import angka
from ..problems import Problem, error
from .catalog import Catalog
from .register import DesaLookup, desa_keys


def _show(x: float) -> str:
    return angka(x, 0) if float(x).is_integer() else angka(x, 2)


def _conflicts(observations: pd.DataFrame, register: pd.DataFrame) -> list[Problem]:
    """The same variable for the same desa and year given with different values: one error
    naming every place (file, sheet, row) and the value found there."""
    key = ["tahun", "kode_desa", "variabel"]
    counts = observations.groupby(key, observed=True)["nilai"].transform("nunique")
    names = dict(zip(register["kode_desa"], register["nama_desa"]))
    problems = []
    for _, group in observations[counts > 1].groupby(key, sort=True, observed=True):
        places = "; ".join(f"{r.berkas}{'' if r.lembar is None else ' lembar ' + str(r.lembar)} baris {r.baris} "
                           f"kolom {r.kolom}: {_show(r.nilai)}" for r in group.itertuples())
        first = group.iloc[0]
        problems.append(error(f"nilai {first['variabel']} Desa {names.get(first['kode_desa'], first['kode_desa'])} "
                              f"tahun {first['tahun']} berbeda di beberapa tempat ({places}); setiap nilai cukup "
                              "ditulis sekali, atau samakan nilainya",
                              berkas=first["berkas"], lembar=first["lembar"], baris=int(first["baris"]),
                              kolom=first["kolom"], nilai=_show(first["nilai"]), tahun=int(first["tahun"]),
                              kode_desa=first["kode_desa"], kode="nilai_bertentangan"))
    return problems


# The observations of every table (`_obs`), in the order read (`urut`, see `reading_order`); the
# desa as its register position `p`, the variable as its catalog position `v`.
STAGE_COLUMNS = "urut BIGINT, tabel BIGINT, tahun INTEGER, p INTEGER, v INTEGER, nilai DOUBLE, baris BIGINT"


def long_rows(order: int, year: int, var_of: list[int], rows: str) -> str:
    """SELECT of the long rows (STAGE_COLUMNS) of table number `order` of `year`, from `rows` (a
    table, or a subquery in parentheses, with columns baris, p and x<v> for each of `var_of`):
    one row per value given, none for an empty cell."""
    return f"""
        SELECT {reading_order(order, "baris", "j")} AS urut, CAST({int(order)} AS BIGINT) AS tabel,
               CAST({int(year)} AS INTEGER) AS tahun, p, CAST([{', '.join(map(str, var_of))}][j] AS INTEGER) AS v,
               nilai, CAST(baris AS BIGINT) AS baris
        FROM (SELECT baris, p, unnest([{', '.join(f'x{int(v)}' for v in var_of)}]) AS nilai,
                     unnest(range(1, {len(var_of) + 1})) AS j FROM {rows})
        WHERE nilai IS NOT NULL"""


def reading_order(table: int, row: str, column: str) -> str:
    """SQL for the reading order as one number: table number, then row (or position) and
    column within it (exact for tables of fewer than 2^28 rows and 2^12 columns)."""
    return f"(CAST({int(table)} AS BIGINT) << 40) + (CAST({row} AS BIGINT) << 12) + CAST({column} AS BIGINT)"


class Stage:
    """The DuckDB table that collects the observations of every table read, in order, with the
    tables that name what its numbers stand for: `_desa` (p, kode_desa), `_variabel` (v,
    variabel), `_tabel` (tabel, berkas, lembar) and `_kolom` (tabel, v, kolom)."""

    _open: dict[tuple[int, str], "Stage"] = {}

    def __init__(self, db, register: pd.DataFrame, catalog: Catalog, name: str = "_obs", lazy: bool = True) -> None:
        self.db, self.name, self._count = db, name, 0
        # table number -> (table, year, variables) of the values kept wide (`regular`), for `widen_observations`
        self.wide: dict[int, tuple[str, int, list[int]]] = {}
        # the numbers of the tables kept wide that hold every register desa once, in register
        # order (p = 0, 1, ...), for `widen_observations` to put side by side
        self.in_order: set[int] = set()
        # True once the wide tables' rows are written to the long table too (`go_long`); from the
        # start when not `lazy` (a dataset to be stored keeps them all)
        self.long = not lazy
        self.ahead = None  # the `ahead.ReadAhead` reading this stage's files early, if any
        self.desa_pos = {code: i for i, code in enumerate(register["kode_desa"]) if code is not None}
        self.desa_code = list(register["kode_desa"])  # register position -> code
        self.var_pos = catalog.variable_positions
        db.execute(f"CREATE OR REPLACE TABLE {name} ({STAGE_COLUMNS})")
        # from a frame rather than two lists passed as parameters: 0.03 -> 0.01 s for a national register
        desa = pd.DataFrame({"p": np.fromiter(self.desa_pos.values(), dtype=np.int32, count=len(self.desa_pos)),
                             "kode_desa": np.array(list(self.desa_pos), dtype=object)})
        db.register("_desa_frame", desa)
        db.execute("CREATE OR REPLACE TABLE _desa AS SELECT p, CAST(kode_desa AS VARCHAR) AS kode_desa FROM _desa_frame")
        db.unregister("_desa_frame")
        db.execute("CREATE OR REPLACE TABLE _variabel AS SELECT unnest(?::INTEGER[]) AS v, "
                   "unnest(?::VARCHAR[]) AS variabel", [list(self.var_pos.values()), list(self.var_pos)])
        db.execute("CREATE OR REPLACE TABLE _tabel (tabel BIGINT, tahun INTEGER, berkas VARCHAR, lembar VARCHAR, "
                   "ganda BOOLEAN)")
        db.execute("CREATE OR REPLACE TABLE _kolom (tabel BIGINT, v INTEGER, kolom VARCHAR)")
        Stage._open[(id(db), name)] = self

    def exact_codes(self, lookup: DesaLookup) -> None:
        """Table `_kode` (kode, p) of the register codes a data row may give as written (those that
        name one desa only), made once; not a temporary table, so that the connections of
        `ahead` see it too."""
        if getattr(self, "_exact", False):
            return
        exact = [c for c in lookup.by_code if c not in lookup.ambiguous_codes and c in self.desa_pos]
        if lookup.ambiguous_names:  # a code that is also a name listed twice (all keys at once: 80,000 codes)
            exact = [c for c, key in zip(exact, desa_keys(pd.Series(exact, dtype=object)))
                     if key not in lookup.ambiguous_names]
        if len(exact) == len(self.desa_pos):  # every code (as nearly always): `_desa` holds them already
            self.db.execute("CREATE OR REPLACE TABLE _kode AS SELECT kode_desa AS kode, p FROM _desa")
        else:
            self.db.execute("CREATE OR REPLACE TABLE _kode AS SELECT unnest(?::VARCHAR[]) AS kode, "
                            "unnest(?::INTEGER[]) AS p", [exact, [self.desa_pos[c] for c in exact]])
        self._whole = len(exact) == len(self.desa_code)  # `_kode` is the register: p = 0, 1, ... in its order
        self._exact = True

    def is_register(self, rows: int) -> bool:
        """True when `rows` rows that stood at the places of their codes in `_kode` (`regular`) are
        every register desa once, in register order: `_kode` is the whole register and as long."""
        return bool(getattr(self, "_whole", False)) and rows == len(self.desa_code)

    def keep_wide(self, order: int, wide: str, year: int, variables: list[int], in_order: bool = False) -> None:
        """Keep table number `order`, read typed into the DuckDB table `wide` (`regular`: columns
        baris, tahun, p, x<v> for each of `variables`), for `widen_observations`; its long rows
        are written now only when the stage is long already (`go_long`). `in_order`: its rows are
        every register desa once, in register order, in the table's order."""
        self.wide[order] = (wide, int(year), list(variables))
        if in_order:
            self.in_order.add(order)
        if self.long:
            self._insert_wide(order)

    def go_long(self) -> None:
        """Write the long rows of every table kept wide so far, and of those to come: a table read
        otherwise is about to be staged long, or settling needs every value long."""
        if not self.long:
            self.long = True
            for order in sorted(self.wide):
                self._insert_wide(order)

    def _insert_wide(self, order: int) -> None:
        wide, year, var_of = self.wide[order]
        self.db.execute(f"INSERT INTO {self.name} {long_rows(order, year, var_of, wide)}")

    @classmethod
    def of(cls, db, name: str) -> "Stage":
        return cls._open[(id(db), name)]

    def next(self) -> int:
        """The number of the next table read."""
        self._count += 1
        return self._count

    def describe(self, order: int, year: int, berkas: str, lembar: str | None, columns: dict[int, str],
                 twice: bool) -> None:
        """Name table number `order`: its year, file, sheet, the column of each variable, and whether
        a desa is given twice in it (the only tables, with those sharing a variable and year, whose
        values can repeat)."""
        self.db.execute("INSERT INTO _tabel VALUES (?, ?, ?, ?, ?)", [order, year, berkas, lembar, twice])
        self.db.execute("INSERT INTO _kolom SELECT ?, unnest(?::INTEGER[]), unnest(?::VARCHAR[])",
                        [order, list(columns), list(columns.values())])

    def close(self) -> None:
        Stage._open.pop((id(self.db), self.name), None)


def stage_observations(db, sink: str, frame: pd.DataFrame, order: int) -> None:
    """Add the observations `read_values` made of table number `order` (in their order) to `sink`."""
    stage = Stage.of(db, sink)
    if frame.empty:
        return
    stage.go_long()
    variables = list(dict.fromkeys(frame["variabel"].astype(object)))
    columns = dict(zip(frame["variabel"].astype(object), frame["kolom"].astype(object)))
    first = frame.iloc[0]
    stage.describe(order, int(first["tahun"]), first["berkas"], first["lembar"],
                   {stage.var_pos[v]: columns[v] for v in variables},
                   bool(frame.duplicated(subset=["kode_desa", "variabel"]).any()))
    data = pd.DataFrame({"urut": (np.int64(order) << 40) + (np.arange(len(frame), dtype=np.int64) << 12),
                         "tabel": order, "tahun": frame["tahun"].to_numpy(dtype=np.int64),
                         "p": frame["kode_desa"].map(stage.desa_pos).to_numpy(dtype=np.int64),
                         "v": frame["variabel"].astype(object).map(stage.var_pos).to_numpy(dtype=np.int64),
                         "nilai": frame["nilai"].to_numpy(dtype=float),
                         "baris": frame["baris"].to_numpy(dtype=np.int64)})
    db.register("_bingkai", data)
    db.execute(f"INSERT INTO {sink} SELECT * FROM _bingkai")
    db.unregister("_bingkai")


def settle_observations(db, stage: str, register: pd.DataFrame) -> list[Problem]:
    """Tables `observations` and `repeated` from the staged values, and the conflicts.

    A desa, variable and year given more than once: with different values, an error naming
    every place (`_conflicts`); with the same value, the first is used and the others go to
    `repeated`. Both tables have OBSERVATION_COLUMNS, `urut` (the order in which the values
    were read) and `p`, `v` (the register position of the desa, the catalog position of the
    variable).
    """
    from .database import OBSERVATION_COLUMNS, create_views

    staged = Stage.of(db, stage)
    wide = staged.wide
    db.execute("DROP TABLE IF EXISTS _kode")
    key = "tahun, p, v"
    # values can repeat only within a table that gives a desa twice, or across tables of a year
    # that share a variable: only those (table, variable) pairs are grouped, found first in the
    # small tables that name them (a table holds one year), and none at all in most datasets
    pairs = db.execute("""
        SELECT tabel, v FROM _kolom JOIN _tabel USING (tabel)
        WHERE ganda OR (tahun, v) IN (SELECT (tahun, v) FROM _kolom JOIN _tabel USING (tabel) GROUP BY tahun, v
                                      HAVING count(*) > 1)""").fetchall()
    if pairs:
        staged.go_long()
    lazy = bool(wide) and not staged.long  # every table kept wide, none repeating a value: no long rows written
    staged.close()
    if lazy:
        db.execute(f"DROP TABLE {stage}")
    elif stage != "_obs":
        db.execute(f"ALTER TABLE {stage} RENAME TO _obs")
    db.execute(f"CREATE OR REPLACE TABLE _repeated ({STAGE_COLUMNS})")
    if not pairs:
        if lazy:
            _keep_lines(db, wide)
        widen_observations(db, wide, in_order=staged.in_order)
        if lazy:
            _create_long_views(db, wide)
        create_views(db)
        return []
    tables = sorted({t for t, _ in pairs})
    db.execute("CREATE OR REPLACE TEMP TABLE _pasangan AS SELECT unnest(?::BIGINT[]) AS tabel, "
               "unnest(?::INTEGER[]) AS v", [[t for t, _ in pairs], [v for _, v in pairs]])
    # `tabel IN` (constants) lets DuckDB skip the row groups of other tables before the join
    db.execute(f"""
        CREATE OR REPLACE TEMP TABLE _calon AS
        SELECT * FROM _obs SEMI JOIN _pasangan USING (tabel, v)
        WHERE tabel IN ({', '.join(map(str, tables))})""")
    db.execute("DROP TABLE _pasangan")
    db.execute(f"""
        CREATE OR REPLACE TEMP TABLE _ganda AS
        SELECT {key}, min(nilai) <> max(nilai) AS beda FROM _calon GROUP BY ALL HAVING count(*) > 1""")
    problems: list[Problem] = []
    if db.execute("SELECT count(*) FROM _ganda").fetchall()[0][0]:
        db.execute(f"""
            CREATE OR REPLACE TEMP TABLE _lagi AS
            SELECT urut FROM (SELECT urut, row_number() OVER (PARTITION BY {key} ORDER BY urut) AS ke
                              FROM _calon SEMI JOIN _ganda USING ({key})) WHERE ke > 1""")
        twice = db.execute(f"""
            SELECT o.tahun, d.kode_desa, x.variabel, o.nilai, t.berkas, t.lembar, o.baris, k.kolom
            FROM _calon o SEMI JOIN (SELECT {key} FROM _ganda WHERE beda) USING ({key})
                 JOIN _desa d USING (p) JOIN _variabel x USING (v) JOIN _tabel t USING (tabel)
                 JOIN _kolom k USING (tabel, v)
            ORDER BY o.urut""").df()
        if len(twice):
            twice["lembar"] = twice["lembar"].astype(object).where(twice["lembar"].notna(), None)
            twice = twice.astype({"tahun": "int64", "baris": "int64"})
            problems = _conflicts(twice[OBSERVATION_COLUMNS], register)
        db.execute("INSERT INTO _repeated SELECT * FROM _calon SEMI JOIN _lagi USING (urut) ORDER BY urut")
        db.execute("DELETE FROM _obs WHERE urut IN (SELECT urut FROM _lagi)")
        db.execute("DROP TABLE _lagi")
    db.execute("DROP TABLE _ganda; DROP TABLE _calon")
    widen_observations(db, wide, settled=False)
    create_views(db)
    return problems


WIDEN_ROWS = 500_000  # desa rows (register desa x years) joined and sorted in one statement by `widen_observations`


def widen_observations(db, wide: dict[int, tuple[str, int, list[int]]] | None = None, settled: bool = True,
                       in_order: set[int] | frozenset[int] = frozenset()) -> None:
    """Table `_obs_wide`: the settled `_obs` as the files give them, one row per desa and year
    (`tahun`, `p`) that has a value, in that order, and one column `x<v>` per catalog variable
    (NULL where the desa gave none). The engine computes from it (`engine.query`); made once
    here and kept in the processed store, so no later run pivots the long table again.

    When every table read is also kept wide (`wide`: table number -> (table, year, its variables),
    see `regular`) and
    settling dropped no value (`settled`: no desa, variable and year given twice), their rows
    are joined: each (year, desa) has at most one value per variable among them. Otherwise the
    long table is pivoted: `max(CASE ...)`, one value per desa, variable and year after settling,
    so max picks it; 2.5x faster than `FILTER` on a national year (measured, DuckDB 2.0). The
    wide tables are dropped either way.

    A year whose tables all hold every register desa once in register order (`in_order`, as
    `regular` found them), as every national year does, has its tables put side by side
    (POSITIONAL JOIN) instead: the same rows without the hash join and, when a whole statement's
    years are such, without the sort (national: 0.17 -> 0.08 s); each table's `p` and the order
    of the rows written are checked (`_counting_up`, `_check_order`)."""
    wide = wide or {}
    variables = [v for (v,) in db.execute("SELECT v FROM _variabel ORDER BY v").fetchall()]
    tables = [t for (t,) in db.execute("SELECT tabel FROM _tabel ORDER BY tabel").fetchall()]
    if settled and wide and sorted(wide) == tables:
        # In groups of years of at most WIDEN_ROWS desa rows (national: 6 years, so one statement
        # at 5), each group's wide tables dropped once joined: sorting every year at once beside
        # all of them ran DuckDB out of its memory now and then at 20 national years (2 runs in
        # 8), and a statement per year took 0.3 s more at 5 (measured).
        desa = db.execute("SELECT count(*) FROM _desa").fetchall()[0][0]
        joined = sorted(_joined(wide, variables, _counting_up(db, wide, in_order, desa)).items())
        size = max(1, WIDEN_ROWS // max(1, desa))
        for i in range(0, len(joined), size):
            group = joined[i:i + size]
            select = " UNION ALL ".join(sql for _, (sql, _, _) in group)
            ordered = all(side_by_side for _, (_, _, side_by_side) in group)  # then no sort
            db.execute(("CREATE OR REPLACE TABLE _obs_wide AS " if i == 0 else "INSERT INTO _obs_wide ")
                       + (select if ordered else f"SELECT * FROM ({select}) ORDER BY tahun, p"))
            if ordered:
                _check_order(db, [year for year, _ in group], desa)
            for _, (_, names, _) in group:
                for name in names:
                    db.execute(f"DROP TABLE {name}")
    else:
        pivot = "".join(f", max(CASE WHEN v = {int(v)} THEN nilai END) AS x{int(v)}" for v in variables)
        db.execute(f"CREATE OR REPLACE TABLE _obs_wide AS SELECT tahun, p{pivot} FROM _obs GROUP BY tahun, p "
                   "ORDER BY tahun, p")
    for name, _, _ in wide.values():
        db.execute(f"DROP TABLE IF EXISTS {name}")


def _check_order(db, years: list[int], desa: int) -> None:
    """Make sure the rows of `years` in `_obs_wide` (each year every desa, put side by side) are
    in (year, desa) order as DuckDB scans them, as UNION ALL keeps them; sorted again if not."""
    wanted = (f"SELECT CAST([{', '.join(map(str, years))}][i // {int(desa)} + 1] AS INTEGER) AS tahun, "
              f"CAST(i % {int(desa)} AS INTEGER) AS p FROM range({len(years) * int(desa)}) t(i)")
    where = f"tahun IN ({', '.join(map(str, years))})"
    if db.execute(f"SELECT count(*) FILTER (WHERE w.tahun IS DISTINCT FROM e.tahun OR w.p IS DISTINCT FROM e.p) = 0 "
                  f"FROM (SELECT tahun, p FROM _obs_wide WHERE {where}) w POSITIONAL JOIN ({wanted}) e").fetchall()[0][0]:
        return
    db.execute(f"CREATE OR REPLACE TEMP TABLE _urut AS SELECT * FROM _obs_wide WHERE {where} ORDER BY tahun, p")
    db.execute(f"DELETE FROM _obs_wide WHERE {where}")
    db.execute("INSERT INTO _obs_wide SELECT * FROM _urut")
    db.execute("DROP TABLE _urut")


def _counting_up(db, wide: dict[int, tuple[str, int, list[int]]], in_order: set[int] | frozenset[int],
                 desa: int) -> set[int]:
    """The tables of `in_order` whose column `p` reads 0, 1, ..., `desa` - 1 as DuckDB scans them
    (each checked: the rows side by side must be the same desa)."""
    return {table for table in in_order if table in wide and db.execute(
        f"SELECT count(*) FILTER (WHERE w.p IS DISTINCT FROM r.i) = 0 FROM (SELECT p FROM {wide[table][0]}) w "
        f"POSITIONAL JOIN (SELECT CAST(range AS INTEGER) AS i FROM range({int(desa)})) r").fetchall()[0][0]}


def _joined(wide: dict[int, tuple[str, int, list[int]]], variables: list[int],
            in_order: set[int] | frozenset[int] = frozenset()) -> dict[int, tuple[str, list[str], bool]]:
    """Per year, SQL for the rows of its tables kept wide (`regular`), a row per desa, those
    tables, and whether the rows come in (year, desa) order: the tables joined on the desa (FULL
    JOIN: a desa may be in one file only), or put side by side when each holds every register
    desa in register order (`in_order`); each variable taken from the one table of that year
    that has it (settled: never two)."""
    years: dict[int, list[tuple[int, str, list[int]]]] = {}
    for table in sorted(wide):
        name, year, own = wide[table]
        years.setdefault(year, []).append((table, name, own))
    parts = {}
    for year, tables in years.items():
        side_by_side = all(table in in_order for table, _, _ in tables)
        if side_by_side:
            first = tables[0][1]
            source = first + "".join(f" POSITIONAL JOIN {name}" for _, name, _ in tables[1:])
            keys = f"{first}.tahun, {first}.p"
        else:
            source = tables[0][1] + "".join(f" FULL JOIN {name} USING (tahun, p)" for _, name, _ in tables[1:])
            keys = "tahun, p"
        picked = [next((f"{name}.x{v}" for _, name, own in tables if v in own), "CAST(NULL AS DOUBLE)") + f" AS x{v}"
                  for v in variables]
        parts[year] = (f"SELECT {keys}, {', '.join(picked)} FROM {source}", [name for _, name, _ in tables],
                       side_by_side)
    return parts


def _keep_lines(db, wide: dict[int, tuple[str, int, list[int]]]) -> None:
    """Table `_asal` (tabel, p, baris): the line of each desa in each table kept wide."""
    db.execute("CREATE OR REPLACE TABLE _asal AS " + " UNION ALL ".join(
        f"SELECT CAST({int(order)} AS BIGINT) AS tabel, p, baris FROM {name}" for order, (name, _, _) in sorted(wide.items())))


def _create_long_views(db, wide: dict[int, tuple[str, int, list[int]]]) -> None:
    """The view `_obs`: the long rows (STAGE_COLUMNS) of the tables kept wide, the rows
    `Stage.go_long` would have written, from `_obs_wide` and `_asal`; a view `_obs_t<table>` per
    table, which `_obs` joins (UNION ALL; `urut` is the order). Only when no (year, variable) is
    in two tables and no desa twice in one, so that each value of `_obs_wide` is its table's."""
    for order, (_, year, var_of) in sorted(wide.items()):
        rows = (f"(SELECT a.baris, w.* FROM (SELECT * FROM _obs_wide WHERE tahun = {int(year)}) w "
                f"JOIN _asal a ON a.tabel = {int(order)} AND a.p = w.p)")
        db.execute(f"CREATE VIEW {LONG_VIEW}{int(order)} AS {long_rows(order, year, var_of, rows)}")
    db.execute("CREATE VIEW _obs AS " + " UNION ALL ".join(f"SELECT * FROM {LONG_VIEW}{int(order)}"
                                                           for order in sorted(wide)))


LONG_VIEW = "_obs_t"  # the view of one table's long rows: _obs_t<table number>


def _lazy(db) -> bool:
    """True when `_obs` is the view of the module doc."""
    return bool(db.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = '_obs' AND NOT temporary "
                           "AND database_name = current_database()").fetchall()[0][0])


def observation_places(db, wanted: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The table (`_tabel`) and line of the value of each row of `wanted` (columns tahun, p, v: a
    year, desa and variable that have a value, each once): its row of `_obs`, found without
    unfolding `_obs` when it is a view (one table of the year has the variable, `_asal` the line).
    RuntimeError when a row has no value or two."""
    frame = pd.DataFrame({"i": np.arange(len(wanted), dtype=np.int64),
                          "tahun": wanted["tahun"].to_numpy(dtype=np.int32),
                          "p": wanted["p"].to_numpy(dtype=np.int32), "v": wanted["v"].to_numpy(dtype=np.int32)})
    if _lazy(db):
        sql = ("SELECT l.i, k.tabel, a.baris FROM _lonjak l "
               "JOIN (SELECT tabel, tahun, v FROM _kolom JOIN _tabel USING (tabel)) k USING (tahun, v) "
               "JOIN _asal a ON a.tabel = k.tabel AND a.p = l.p ORDER BY l.i")
    else:
        sql = "SELECT l.i, o.tabel, o.baris FROM _lonjak l JOIN _obs o USING (tahun, p, v) ORDER BY l.i"
    db.register("_lonjak", frame)
    try:
        found = db.execute(sql).fetchnumpy()
    finally:
        db.unregister("_lonjak")
    if not np.array_equal(found["i"], frame["i"].to_numpy()):
        raise RuntimeError("a value without its place in _obs, or with two")
    return np.asarray(found["tabel"]), np.asarray(found["baris"])


def materialize_observations(db) -> None:
    """Make `_obs` a table when it is a view (see the module doc), as a dataset's store keeps it,
    and drop `_asal`; the same rows, in reading order."""
    if not _lazy(db):
        return
    parts = sorted(int(name[len(LONG_VIEW):]) for (name,) in db.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT temporary AND database_name = current_database() "
        f"AND starts_with(view_name, '{LONG_VIEW}')").fetchall())
    db.execute(f"CREATE TABLE _obs_tabel ({STAGE_COLUMNS})")
    for order in parts:  # a table at a time, each compressed once written: 7.4 M national rows stay in memory
        db.execute(f"INSERT INTO _obs_tabel SELECT * FROM {LONG_VIEW}{order} ORDER BY urut")
        db.execute("CHECKPOINT")  # (database.connect)
    db.execute("DROP VIEW _obs")
    for order in parts:
        db.execute(f"DROP VIEW {LONG_VIEW}{order}")
    db.execute("ALTER TABLE _obs_tabel RENAME TO _obs")
    db.execute("DROP TABLE _asal")
