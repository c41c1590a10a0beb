"""The in-process DuckDB database that holds a dataset's observations.

One connection per `Dataset`, in memory; DuckDB spills to a temporary folder beyond its
memory limit (`MEMORY_LIMIT`), so national data fits an ordinary laptop. Tables:

- `_obs`: one value per desa, variable and year, by number: `tahun`, `p` (the desa's row in the
  register, from 0), `v` (the variable's place in the catalog), `nilai`, `tabel` (which table
  of which file), `baris`, and `urut` (the order in which the files gave the values); a view
  over `_obs_wide` and `_asal` (tabel, p, baris) when every file was read typed (`stage`), a
  table in a processed store;
- `_obs_wide`: the same values one row per desa and year (`tahun`, `p`), a column `x<v>` per
  variable: what the engine computes from (`stage.widen_observations`);
- `_repeated`: values given again with the same value (used once), in the same shape;
- `_desa` (p, kode_desa), `_variabel` (v, variabel), `_tabel` (tabel, tahun, berkas, lembar,
  ganda), `_kolom` (tabel, v, kolom): what the numbers stand for;
- views `observations` and `repeated`: the same values named (OBSERVATION_COLUMNS, `urut`, `p`, `v`).

The engine computes on `_obs_wide`; `TABLES` is what a processed store keeps (then `create_views`).
"""

from __future__ import annotations

import os
import re
import tempfile
import threading

import duckdb
import pandas as pd

from ..exceptions import ParameterError

OBSERVATION_COLUMNS = ["tahun", "kode_desa", "variabel", "nilai", "berkas", "lembar", "baris", "kolom"]
MEMORY_LIMIT = "300MB"  # beyond this DuckDB spills to disk (keeps iku under 1 GiB at 4x national data; docs/scale.md)
MEMORY_VARIABLE = "IKU_BATAS_MEMORI"  # another limit, e.g. 1GB on a machine with memory to spare (docs/scale.md)
SMALLEST_LIMIT_MB = 100
CATEGORIES = ("variabel", "berkas", "kolom")  # repeat on every row: held once each in pandas
TABLES = ("_obs", "_obs_wide", "_repeated", "_desa", "_variabel", "_tabel", "_kolom")


def create_views(db: duckdb.DuckDBPyConnection) -> None:
    """The views `observations` and `repeated` over the tables of TABLES."""
    for view, table in (("observations", "_obs"), ("repeated", "_repeated")):
        db.execute(f"""
            CREATE OR REPLACE VIEW {view} AS
            SELECT o.tahun, d.kode_desa, x.variabel, o.nilai, t.berkas, t.lembar, o.baris, k.kolom, o.urut, o.p, o.v
            FROM {table} o JOIN _desa d USING (p) JOIN _variabel x USING (v) JOIN _tabel t USING (tabel)
                 JOIN _kolom k USING (tabel, v)""")


def memory_limit() -> str:
    """DuckDB's memory limit: the environment variable IKU_BATAS_MEMORI when set (`1GB`,
    `500MB`, at least 100MB), else MEMORY_LIMIT; ParameterError for anything else.

    >>> memory_limit() if MEMORY_VARIABLE not in os.environ else MEMORY_LIMIT
    '300MB'
    """
    given = os.environ.get(MEMORY_VARIABLE, "").strip()
    if not given:
        return MEMORY_LIMIT
    found = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([MG])(i?)B", given, flags=re.IGNORECASE)
    if found is None or float(found[1]) * (1024 if found[2].upper() == "G" else 1) < SMALLEST_LIMIT_MB:
        raise ParameterError(f"{MEMORY_VARIABLE}={given}: batas memori tidak dikenal; tulis misalnya 1GB atau "
                             f"500MB (paling kecil {SMALLEST_LIMIT_MB}MB)")
    return f"{found[1]}{found[2].upper()}{found[3].lower()}B"


def connect() -> duckdb.DuckDBPyConnection:
    """A new in-memory database with iku's settings.

    The tables live in an attached in-memory database with compression (`COMPRESS`), which
    DuckDB applies at a CHECKPOINT (`dataset` makes one after each year folder): the national
    observations (7.4 M rows) take 47 MB instead of 410 MB, so they no longer spill past
    MEMORY_LIMIT (measured: `iku compute --all-years --level kecamatan` on national data 5.6 ->
    5.3 s, peak 600 -> 420 MB)."""
    db = duckdb.connect(":memory:", config={"memory_limit": memory_limit(),
                                            "temp_directory": tempfile.gettempdir() + "/iku-duckdb"})
    db.execute("ATTACH ':memory:' AS iku (COMPRESS)")
    db.execute("USE iku")
    try:  # no progress bar on a terminal; in a Jupyter kernel DuckDB's bar (which needs ipywidgets) is already off
        db.execute("SET enable_progress_bar = false")
    except duckdb.Error:
        pass
    return db


def identifier(name: str) -> str:
    """An SQL identifier, quoted.

    >>> identifier('a"b')
    '"a""b"'
    """
    return '"' + name.replace('"', '""') + '"'


def current_database(db: duckdb.DuckDBPyConnection) -> str:
    """The database `db` uses (its `USE`): where `connect` keeps a dataset's tables."""
    return db.execute("SELECT current_database()").fetchall()[0][0]


def use_database_of(db: duckdb.DuckDBPyConnection, cursor: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """`cursor` (another connection to `db`'s database, `db.cursor()`) made to use the database
    `db` uses, so that it sees the dataset's tables by their names; returned."""
    cursor.execute(f"USE {identifier(current_database(db))}")
    return cursor


_UNITS = {"bytes": 1, "KiB": 2 ** 10, "MiB": 2 ** 20, "GiB": 2 ** 30, "TiB": 2 ** 40, "PiB": 2 ** 50}


def compress_when_large(db: duckdb.DuckDBPyConnection) -> bool:
    """A CHECKPOINT, which compresses the tables (`connect`), when those held in memory or
    spilled from it take more than half of DuckDB's memory limit; True when it was made.

    Only a dataset to be stored is compressed as it is read (`dataset`); a cold run's wide table
    is otherwise left as it was made, which at 1x the national data (96 MB) is the quicker way
    (compressing took 0.2 s and saved 0.1 s in computing), but at 4x (190 MB in memory and 116
    MB spilled to disk) made every later statement read from the spill: compressed (0.8 s, 32
    MB), `--level kecamatan` took 9.1 instead of 10.1 s, at 2x 4.3 instead of 4.6 s (measured)."""
    limit = re.fullmatch(r"([\d.]+) (\w+)", str(db.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]))
    if limit is None or limit[2] not in _UNITS:
        return False
    held = db.execute("SELECT coalesce(sum(memory_usage_bytes + temporary_storage_bytes), 0) FROM duckdb_memory() "
                      "WHERE tag = 'IN_MEMORY_TABLE'").fetchall()[0][0]
    if held <= float(limit[1]) * _UNITS[limit[2]] / 2:
        return False
    db.execute("CHECKPOINT")
    return True


_SCRATCH: dict[int, duckdb.DuckDBPyConnection] = {}  # process id -> the database of `scratch`
_SCRATCH_LOCK = threading.Lock()


def scratch() -> duckdb.DuckDBPyConnection:
    """A new connection to one in-memory database the small reads of a process share (the
    register and the targets, `register.plain_table`, `quoted`): opening a database costs about
    10 ms, a connection to an open one nothing (national: 3 databases opened, 0.03 s, measured).
    Close it after use; its temporary tables and views go with it. A process made by fork gets
    a database of its own (DuckDB's threads do not survive a fork)."""
    with _SCRATCH_LOCK:
        shared = _SCRATCH.get(os.getpid())
        if shared is None:
            shared = _SCRATCH[os.getpid()] = connect()
        return shared.cursor()


def store_observations(db: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    """Create table `name` from a frame with OBSERVATION_COLUMNS, keeping its row order in `urut`."""
    data = frame[OBSERVATION_COLUMNS].copy()
    for column in CATEGORIES:
        data[column] = data[column].astype(object)
    data["urut"] = range(len(data))
    db.register("_incoming", data)
    db.execute(f"""CREATE OR REPLACE TABLE {name} AS
        SELECT CAST(tahun AS INTEGER) AS tahun, CAST(kode_desa AS VARCHAR) AS kode_desa,
               CAST(variabel AS VARCHAR) AS variabel, CAST(nilai AS DOUBLE) AS nilai,
               CAST(berkas AS VARCHAR) AS berkas, CAST(lembar AS VARCHAR) AS lembar,
               CAST(baris AS BIGINT) AS baris, CAST(kolom AS VARCHAR) AS kolom, CAST(urut AS BIGINT) AS urut
        FROM _incoming""")
    db.unregister("_incoming")


def observation_frame(db: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    """Table `name` as pandas, in file order: tahun and baris int64, nilai float, text as object
    (None for a missing sheet name), variabel/berkas/kolom as categories."""
    frame = db.execute(f"SELECT {', '.join(OBSERVATION_COLUMNS)} FROM {name} ORDER BY urut").df()
    frame = frame.astype({"tahun": "int64", "baris": "int64", "nilai": "float64"})
    frame["kode_desa"] = frame["kode_desa"].astype(object)
    frame["lembar"] = frame["lembar"].astype(object).where(frame["lembar"].notna(), None)
    for column in CATEGORIES:
        frame[column] = frame[column].astype(object).astype("category")
    return frame
