"""The processed store: a data directory read once, kept as Parquet in `data/processed`.

Reading a data directory (`dataset._read_raw`) parses every delivered file, checks every cell
and looks for outliers: seconds on the sample, much longer on national data. The store keeps
the result, a `Dataset`, so that the next command, every notebook kernel of `iku report` and
every worker process loads it instead of parsing the raw files again.

A store is the folder `<processed>/dataset-<key>/` (key: see below) holding

- `manifest.json`: what made it and what it holds: the store format (`FORMAT`), the iku
  version, a fingerprint of the code that reads data (`code`: the `ingest` modules and the
  shared top-level ones) and the versions of the libraries that read it, the data directory
  (as a report shows it), the catalog used, every file and folder of the data directory the
  reader may look at (`inputs`: path relative to the data directory, size and SHA-256), then
  the years, the files read, the tables and frames, the number of problems;
- one Parquet file per table of the dataset's DuckDB database (`<table>.parquet`; its views,
  `observations` and `repeated`, are made again over them by `database.create_views`), and
  `register`, `targets`, `direct`, `analisis`, `standar`, `anggaran` and `problems` `.parquet`, all written by DuckDB
  (`COPY ... TO ... (FORMAT parquet, COMPRESSION zstd)`; pyarrow is not needed).

The catalog is not stored: it is read again from its file (cheap), and its hash is part of
the key. A dataset with errors is stored too: its problems are part of what a parse gives,
so `iku validate` run twice on unchanged data parses once.

**Key.** The SHA-256 of the manifest's first part (everything up to `inputs`): a store is
used only when every input is byte for byte what made it, with the same code. Any change (a
raw file edited, added, removed or renamed, a year folder added, the catalog, iku's code or
version, a library version) gives another key: the store is rebuilt, the old one removed.
Hidden files (`.~lock.*#`) and Excel's `~$` lock files, which the reader skips, are not
inputs: opening a spreadsheet does not rebuild the store.

**Cheap check.** The key needs the SHA-256 of every input. `stat-cache.json`, beside the
stores, remembers size, mtime and ctime with each file's hash, so a file whose stat has not
changed is not read again: on the 42 MB of national data (82.503 desa x 5 years) hashing
takes 30-70 ms, the stat check 1 ms, per run and per notebook kernel; hashing grows with the
data. A file changed in the two seconds before it was hashed is not remembered (`RACY_NS`:
a later change within the clock's resolution could otherwise keep its size and mtime), so it
is hashed again next time.

**Safety.** The raw data directory is only read (a processed folder inside it is refused).
A store is built in a hidden temporary folder beside it (`.tmp-dataset-*`), read back and
compared with the dataset it holds, and only then renamed into place in one step: a run
killed at any moment leaves the last good store or none, never half a store. A store that is
missing, unreadable or corrupt is ignored and rebuilt, never an error for the user; deleting
the processed folder is always safe. Loading copies the Parquet files into the dataset's
in-memory database, except the observations (`PINNED`), read where they lie through private
hard links made for the dataset in a locked work folder beside the stores
(``.iku-tmp-data-olahan-<pid>-<random>``, `outputs.make_work_dir`): either way a store
replaced or removed while a dataset is in use does not matter. The links go with the
dataset; those of a process that was killed (a notebook kernel, say) are removed by the next
load (`outputs.clean_stale`: its lock is free).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import shutil
import tempfile
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from .. import __version__
from ..hashing import sha256_of_bytes, sha256_of_file
from .. import outputs
from ..outputs import atomic_write, check_not_inside, _fsync_dir
from ..problems import Problem
from ..project import find_project
from ..resources import package_dir
from . import database
from .catalog import CATALOG_FILE, catalog_path, load_catalog
from .database import connect
from .stage import materialize_observations

log = logging.getLogger(__name__)

# Tables a loaded dataset reads from their Parquet file instead of copying it into memory: the
# observations, long (7.4 M rows national, read only by `Dataset.observations` and `values`) and
# wide (read once per pass of `export`, a year's row groups only: the file is in year order).
# National warm run, `--level kecamatan`: about 0.8 s and 40 MB less than copying them (measured).
# Where a process cannot lock a file (Windows), they are copied into memory as the other tables:
# there a live dataset's links could not be told from a killed process's.
PINNED = ("_obs", "_obs_wide")
PIN_WORK = "data-olahan"  # the work folders of the links: .iku-tmp-data-olahan-<pid>-<random>

FORMAT = 1  # the store's layout; a new layout gets a new number (and so a new key)
PREFIX = "dataset-"
TMP_PREFIX = ".tmp-dataset-"
OLD_PREFIX = ".old-dataset-"
PARQUET = "(FORMAT parquet, COMPRESSION zstd)"  # national data: 37 MB instead of 101 MB (snappy), as fast
KEY_CHARS = 16  # hex digits of the key in the folder name (the manifest holds all 64)
MANIFEST = "manifest.json"
STAT_CACHE = "stat-cache.json"
RACY_NS = 2_000_000_000  # a file modified this close to its hashing is hashed again next time
STALE_SECONDS = 3600  # a temporary folder this old belongs to a run that was killed
YEAR = re.compile(r"\d{4}")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# The Dataset's pandas frames, stored one file each.
FRAMES = ("register", "targets", "direct", "analisis", "standar", "anggaran")
PROBLEMS = "problems"
# The libraries whose version can change what a parse gives.
LIBRARIES = ("duckdb", "pandas", "numpy", "python-calamine", "openpyxl", "xlrd", "olefile", "pyyaml")
# pandas dtypes stored as such (name -> DuckDB type); text and categories are handled apart.
PLAIN_TYPES = {"int64": "BIGINT", "int32": "INTEGER", "float64": "DOUBLE", "bool": "BOOLEAN", "Int64": "BIGINT",
               "Float64": "DOUBLE", "boolean": "BOOLEAN"}


class Unstorable(Exception):
    """The dataset holds something the store cannot keep exactly; it is then not stored."""


@dataclass(frozen=True)
class Inputs:
    """What a store for a data directory is made from, as found now.

    `identity` is the manifest's first part (JSON), `key` its SHA-256; `stats` is, per input
    file, (size, mtime, ctime) when it was hashed, to see whether it changed during a parse.
    """

    identity: dict[str, Any]
    key: str
    stats: dict[str, tuple[int, int, int]]


@dataclass(frozen=True)
class Stored:
    """Where a dataset is kept in the processed store (`Dataset.store`, set by `load_dataset`)."""

    processed_dir: Path  # the folder of stores (a project's data/processed)
    folder: Path  # this store: processed_dir / dataset-<key>
    manifest: dict[str, Any]  # manifest.json, read
    sha256: str  # SHA-256 of manifest.json, as the reports' provenance shows it
    reused: bool  # True: loaded from the store; False: parsed from the raw files and stored now

    @property
    def manifest_path(self) -> Path:
        return self.folder / MANIFEST

    def input(self, relative: str) -> dict[str, Any] | None:
        """The manifest's entry for an input file (path relative to the data directory), or None."""
        for entry in self.manifest.get("inputs", []):
            if entry.get("path") == relative and "sha256" in entry:
                return entry
        return None


# --- where the store is ---------------------------------------------------------------------------

def _project(start: Path | None):
    try:
        return find_project(start)
    except Exception:  # noqa: BLE001 - an unreadable iku.toml elsewhere only means: no store from it
        return None


def default_processed_dir(data_dir: Path | str) -> Path | None:
    """The processed folder of the project whose raw folder `data_dir` is (the project that
    holds it, or the current one); None when it is no project's raw folder, or when that
    project's processed folder would lie inside the raw data."""
    target = Path(data_dir).resolve()
    for project in (_project(target), _project(None)):
        if project is not None and project.raw_dir.resolve() == target:
            processed = project.processed_dir.resolve()
            if processed == target or target in processed.parents:
                return None
            return project.processed_dir
    return None


def choose_processed_dir(data_dir: Path | str, processed_dir: Path | str | None) -> Path | None:
    """The processed folder `load_dataset` uses: the one named (ParameterError inside the raw
    data), else the project's (`default_processed_dir`), else None (no store)."""
    if processed_dir is not None:
        check_not_inside(Path(processed_dir), Path(data_dir))
        return Path(processed_dir)
    return default_processed_dir(data_dir)


def data_dir_label(data_dir: Path | str) -> str:
    """The data directory as reports and manifests show it: relative to its project
    (`data/raw`), or its folder name when it is in no project (never a home folder)."""
    project = _project(Path(data_dir))
    if project is not None:
        shown = project.relative(data_dir)
        if not Path(shown).is_absolute():
            return shown
    return Path(data_dir).resolve().name


# --- the inputs and the key -----------------------------------------------------------------------

@cache
def code_fingerprint() -> str:
    """SHA-256 of the modules that make a dataset: `ingest/` and the shared top-level ones
    (an edited reader, even with the same version number, makes a new key)."""
    package = package_dir()
    parts = []
    for path in sorted(package.glob("*.py")) + sorted((package / "ingest").glob("*.py")):
        parts.append(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return sha256_of_bytes(b"".join(parts))


@cache
def library_versions() -> dict[str, str]:
    found = {}
    for name in LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = ""
    return found


def _quiet(name: str) -> bool:
    """Hidden files and Excel's `~$` lock files: the reader skips them (naming each in a warning),
    so only their names are an input, never their bytes."""
    return name.startswith((".", "~$"))


def _kind(path: Path) -> str:
    return "folder" if path.is_dir() else "file" if path.is_file() else "other"


def listing(data_dir: Path) -> list[tuple[str, Path, str]]:
    """Every entry of the data directory the reader may look at, as (path relative to the data
    directory, path, kind: file, folder or other): the top level, and the inside of every year
    folder; a folder's own content below that is never read, only its name counts."""
    found = []
    for path in sorted(Path(data_dir).iterdir()):
        if _quiet(path.name):  # skipped with a warning: its name is an input (the warning), not its bytes
            found.append((path.name, path, "hidden"))
            continue
        kind = _kind(path)
        found.append((path.name + ("/" if kind == "folder" else ""), path, kind))
        if kind == "folder" and YEAR.fullmatch(path.name):
            for inner in sorted(path.iterdir()):
                inner_kind = "hidden" if _quiet(inner.name) else _kind(inner)
                found.append((f"{path.name}/{inner.name}" + ("/" if inner_kind == "folder" else ""), inner,
                              inner_kind))
    return found


def _stat(path: Path) -> tuple[int, int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns


class StatCache:
    """SHA-256 of files, remembered with their (size, mtime, ctime) in `stat-cache.json`."""

    def __init__(self, processed_dir: Path) -> None:
        self.path = Path(processed_dir) / STAT_CACHE
        self.started = time.time_ns()
        self.old = self._read()
        self.new: dict[str, list] = {}
        self.hashed = 0  # files read and hashed (the others came from the cache)

    def _read(self) -> dict[str, list]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            entries = data["files"] if data.get("format") == FORMAT else {}
            return {str(k): list(v) for k, v in entries.items() if isinstance(v, list) and len(v) == 4}
        except Exception:  # noqa: BLE001 - missing or damaged: every file is hashed
            return {}

    def sha256(self, path: Path) -> tuple[tuple[int, int, int], str]:
        """(stat, SHA-256) of a file, hashed only when its stat is not the remembered one."""
        name = str(Path(path).absolute())
        stat = _stat(path)
        old = self.old.get(name)
        if old is not None and tuple(old[:3]) == stat:
            digest = old[3]
        else:
            digest = sha256_of_file(path)
            self.hashed += 1
        if stat[1] < self.started - RACY_NS and stat[2] < self.started - RACY_NS:
            self.new[name] = [*stat, digest]
        return stat, digest

    def save(self) -> None:
        """Write the cache when it changed (atomically; a failure only means hashing next time)."""
        if self.new == self.old:
            return
        text = json.dumps({"format": FORMAT, "files": self.new}, indent=0, sort_keys=True)
        try:
            atomic_write(self.path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        except Exception as exc:  # noqa: BLE001
            log.debug("stat-cache.json tidak ditulis: %s", exc)


def fingerprint(data_dir: Path | str, processed_dir: Path | str) -> Inputs:
    """The inputs of a store of `data_dir` in `processed_dir`, hashed (see the module docstring)."""
    data_dir, processed = Path(data_dir), Path(processed_dir)
    hashes = StatCache(processed)
    inputs, stats = [], {}
    for relative, path, kind in listing(data_dir):
        if kind == "file":
            stat, digest = hashes.sha256(path)
            stats[str(path)] = stat
            inputs.append({"path": relative, "size": stat[0], "sha256": digest})
        else:
            inputs.append({"path": relative, "kind": kind})
    catalog = catalog_path(data_dir)
    if catalog == data_dir / CATALOG_FILE:
        used = {"path": CATALOG_FILE}
    else:  # the package's default catalog
        stat, digest = hashes.sha256(catalog)
        stats[str(catalog)] = stat
        used = {"default": True, "size": stat[0], "sha256": digest}
    hashes.save()
    identity = {"format": FORMAT, "iku": __version__, "code": code_fingerprint(), "libraries": library_versions(),
                "data_dir": data_dir_label(data_dir), "catalog": used, "inputs": inputs}
    log.debug("%d berkas di-hash untuk kunci data olahan %s", hashes.hashed, data_dir)
    return Inputs(identity, sha256_of_bytes(_canonical(identity)), stats)


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def unchanged(inputs: Inputs) -> bool:
    """Whether every input file still has the stat it had when `inputs` was taken."""
    try:
        return all(_stat(Path(p)) == stat for p, stat in inputs.stats.items())
    except OSError:
        return False


def store_folder(processed_dir: Path | str, key: str) -> Path:
    return Path(processed_dir) / f"{PREFIX}{key[:KEY_CHARS]}"


# --- writing --------------------------------------------------------------------------------------

def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _text_column(values: pd.Series) -> pd.Series:
    """A text column for DuckDB: str, and None where missing."""
    return values.astype(object).where(values.notna(), None)


def _frame_spec(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """How each column of a frame is stored and restored; Unstorable for what is not kept exactly."""
    index = frame.index
    if not (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1 and index.name is None):
        raise Unstorable("indeks bukan RangeIndex dari 0")
    if len(set(frame.columns)) != len(frame.columns) or not all(isinstance(c, str) for c in frame.columns):
        raise Unstorable("nama kolom bukan teks yang unik")
    spec = []
    for name in frame.columns:
        column = frame[name]
        dtype = column.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            categories = list(dtype.categories)
            if not all(isinstance(c, str) for c in categories):
                raise Unstorable(f"kolom {name}: kategori bukan teks")
            spec.append({"name": name, "dtype": "category", "categories": categories, "ordered": bool(dtype.ordered)})
        elif dtype == object:
            missing = set()
            for value in column.tolist():
                if value is None:
                    missing.add("none")
                elif isinstance(value, float) and value != value:
                    missing.add("nan")
                elif not isinstance(value, str):
                    raise Unstorable(f"kolom {name}: nilai {type(value).__name__}")
            if len(missing) > 1:
                raise Unstorable(f"kolom {name}: None dan NaN bercampur")
            spec.append({"name": name, "dtype": "object", "missing": missing.pop() if missing else "none"})
        elif isinstance(dtype, pd.StringDtype):
            spec.append({"name": name, "dtype": str(dtype)})
        elif str(dtype) in PLAIN_TYPES:
            spec.append({"name": name, "dtype": str(dtype)})
        else:
            raise Unstorable(f"kolom {name}: tipe {dtype}")
    return spec


def _write_frame(db: duckdb.DuckDBPyConnection, frame: pd.DataFrame, path: Path) -> list[dict[str, Any]]:
    spec = _frame_spec(frame)
    data = pd.DataFrame({f"c{i}": (_text_column(frame[s["name"]]) if s["dtype"] not in PLAIN_TYPES
                                   else frame[s["name"]]) for i, s in enumerate(spec)}, index=frame.index)
    casts = ", ".join(f"CAST(c{i} AS {PLAIN_TYPES.get(s['dtype'], 'VARCHAR')}) AS c{i}" for i, s in enumerate(spec))
    db.register("_frame", data)
    try:
        db.execute(f"COPY (SELECT {casts or '1 AS _kosong'} FROM _frame) TO {_sql_path(path)} {PARQUET}")
    finally:
        db.unregister("_frame")
    return spec


def _read_frame(db: duckdb.DuckDBPyConnection, path: Path, spec: list[dict[str, Any]], rows: int) -> pd.DataFrame:
    raw = db.execute(f"SELECT * FROM read_parquet({_sql_path(path)})").df()
    if len(raw) != rows:
        raise ValueError(f"{path.name}: {len(raw)} baris, manifest {rows}")
    columns = {}
    for i, s in enumerate(spec):
        values = raw[f"c{i}"]
        kind = s["dtype"]
        if kind == "object":
            columns[s["name"]] = _text_column(values).where(values.notna(), None if s["missing"] == "none" else np.nan)
        elif kind == "category":
            columns[s["name"]] = pd.Series(pd.Categorical(_text_column(values), categories=s["categories"],
                                                          ordered=s["ordered"]))
        else:
            columns[s["name"]] = values.astype(kind)
    frame = pd.DataFrame(columns, index=pd.RangeIndex(rows))
    if not spec:
        frame = pd.DataFrame(index=pd.RangeIndex(rows))
    return frame


def _problem_fields() -> list[str]:
    return [f.name for f in dataclasses.fields(Problem) if f.init]


def _write_problems(db: duckdb.DuckDBPyConnection, problems: list[Problem], path: Path) -> dict[str, str]:
    """Every problem, one row each in order, every field kept (None apart from "", int fields as BIGINT)."""
    types, data = {}, {"i": np.arange(len(problems), dtype=np.int64)}
    for name in _problem_fields():
        values = [getattr(p, name) for p in problems]
        given = [v for v in values if v is not None]
        if all(isinstance(v, str) for v in given):
            types[name], data[name] = "VARCHAR", pd.Series(values, dtype=object)
        elif all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in given):
            types[name], data[name] = "BIGINT", pd.array(values, dtype="Int64")
        else:
            raise Unstorable(f"masalah: isian {name} bukan teks atau bilangan bulat")
    casts = ", ".join(["i"] + [f'CAST("{n}" AS {t}) AS "{n}"' for n, t in types.items()])
    db.register("_problems", pd.DataFrame(data))
    try:
        db.execute(f"COPY (SELECT {casts} FROM _problems) TO {_sql_path(path)} {PARQUET}")
    finally:
        db.unregister("_problems")
    return types


def _read_problems(db: duckdb.DuckDBPyConnection, path: Path, types: dict[str, str], rows: int) -> list[Problem]:
    names = list(types)
    if names != _problem_fields():
        raise ValueError("isian masalah berbeda dengan manifest")
    columns = ", ".join(f'"{n}"' for n in names)
    found = db.execute(f"SELECT {columns} FROM read_parquet({_sql_path(path)}) ORDER BY i").fetchall()
    if len(found) != rows:
        raise ValueError(f"{path.name}: {len(found)} baris, manifest {rows}")
    return [Problem(*row) for row in found]


def _tables(db: duckdb.DuckDBPyConnection) -> list[str]:
    """The dataset's own tables (temporary tables of the reading are not part of it)."""
    names = [r[0] for r in db.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main' "
        "AND database_name = current_database() ORDER BY table_name").fetchall()]
    for name in names:
        if not NAME.fullmatch(name) or name in (*FRAMES, PROBLEMS):
            raise Unstorable(f"nama tabel {name!r}")
    return names


def _views(db: duckdb.DuckDBPyConnection) -> list[str]:
    """The dataset's views: not stored as such, made again over the loaded tables by
    `database.create_views` (the store keeps their names and columns to check them)."""
    return [r[0] for r in db.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND NOT temporary AND schema_name = 'main' "
        "AND database_name = current_database() ORDER BY view_name").fetchall()]


def _columns(db: duckdb.DuckDBPyConnection, name: str) -> list[list[str]]:
    """(name, type) of every column of a table or view."""
    return [[str(r[0]), str(r[1])] for r in db.execute(f"DESCRIBE {name}").fetchall()]


def _digest(db: duckdb.DuckDBPyConnection, name: str) -> tuple:
    """Columns, row count and a hash of every row of a table or view, in any order (DuckDB keeps
    a table's insertion order through COPY and CREATE TABLE AS, `preserve_insertion_order`;
    the order of the values is anyway the `urut` column's business)."""
    rows = db.execute(f"SELECT count(*), sum(hash(r)::HUGEINT), bit_xor(hash(r)) FROM {name} r").fetchall()[0]
    return _columns(db, name), tuple(rows)


def _make_views(db: duckdb.DuckDBPyConnection, views: dict[str, list[list[str]]], tables: list[str]) -> None:
    """Make the dataset's views again (`database.create_views`) over its `tables` and check them
    against the manifest."""
    if not views:
        return
    create = getattr(database, "create_views", None)
    if create is None:
        raise ValueError("tidak ada database.create_views untuk membuat view")
    create(db)
    made = [name for name in _views(db) if name not in tables]
    if made != sorted(views) or any(_columns(db, name) != columns for name, columns in views.items()):
        raise ValueError("view tidak sesuai manifest")


def _write(dataset, folder: Path, inputs: Inputs) -> dict[str, Any]:
    """Write the dataset's files into `folder` and return the manifest (not yet written)."""
    data_dir = Path(dataset.data_dir)
    files = []
    for path in dataset.files:
        relative = Path(path).relative_to(data_dir)  # ValueError: a file outside the data directory
        if data_dir / relative != Path(path):
            raise Unstorable(f"berkas {path}")
        files.append(relative.as_posix())
    db = dataset.db
    # the outlier warnings of a dataset read without a store may still be being found, from the
    # tables `materialize_observations` rewrites: wait for them first (`outliers.start_outliers`)
    problems = dataset.problems
    materialize_observations(db)  # a lazy `_obs` (stage) is stored as the table it stands for
    tables = {}
    for name in _tables(db):
        db.execute(f"COPY {name} TO {_sql_path(folder / f'{name}.parquet')} {PARQUET}")
        rows = db.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
        tables[name] = {"file": f"{name}.parquet", "rows": int(rows), "columns": _columns(db, name)}
    views = {name: _columns(db, name) for name in _views(db)}
    scratch = connect()
    try:
        frames = {}
        for name in FRAMES:
            frame = getattr(dataset, name)
            spec = _write_frame(scratch, frame, folder / f"{name}.parquet")
            frames[name] = {"file": f"{name}.parquet", "rows": len(frame), "columns": spec}
        types = _write_problems(scratch, problems, folder / f"{PROBLEMS}.parquet")
    finally:
        scratch.close()
    years = [int(y) for y in dataset.years]
    if [type(y) for y in dataset.years] != [int] * len(years):
        raise Unstorable("tahun bukan bilangan bulat Python")
    return {**inputs.identity, "key": inputs.key, "years": years, "files": files, "tables": tables,
            "views": views, "frames": frames, PROBLEMS: {"file": f"{PROBLEMS}.parquet", "rows": len(problems),
                                         "errors": sum(p.is_error for p in problems), "fields": types}}


def _same_frame(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Equal columns, dtypes, index and values; in text columns the same type of each value
    (None is not NaN, "" is not None)."""
    if list(a.columns) != list(b.columns) or list(a.dtypes) != list(b.dtypes) or not a.index.equals(b.index):
        return False
    if type(a.index) is not type(b.index):
        return False
    for name in a.columns:
        x, y = a[name], b[name]
        if x.dtype == object:
            pairs = zip(x.tolist(), y.tolist(), strict=True)
            if any(type(u) is not type(v) or (u != v and not (u != u and v != v)) for u, v in pairs):
                return False
        else:
            try:
                pd.testing.assert_series_equal(x, y, check_exact=True)
            except AssertionError:
                return False
    return True


def _verify(dataset, parts: dict[str, Any], manifest: dict[str, Any]) -> None:
    """Unstorable unless what was read back from a new store is the dataset it was written from."""
    for name in FRAMES:
        if not _same_frame(getattr(dataset, name), parts[name]):
            raise Unstorable(f"{name} tidak sama sesudah dibaca kembali")
    if parts["problems"] != list(dataset.problems):
        raise Unstorable("masalah tidak sama sesudah dibaca kembali")
    if parts["files"] != [Path(p) for p in dataset.files] or parts["years"] != list(dataset.years):
        raise Unstorable("berkas atau tahun tidak sama sesudah dibaca kembali")
    for name in manifest["tables"]:  # the views are made again by the same code over them (their columns checked)
        if _digest(dataset.db, name) != _digest(parts["db"], name):
            raise Unstorable(f"tabel {name} tidak sama sesudah dibaca kembali")


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
    _fsync_dir(folder)


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _tidy(processed: Path, keep: Path) -> None:
    """Remove the other stores (made from inputs that are no more) and what killed runs left."""
    now = time.time()
    for path in processed.iterdir():
        if not path.is_dir() or path == keep:
            continue
        if path.name.startswith(PREFIX):
            _remove(path)
        elif path.name.startswith((TMP_PREFIX, OLD_PREFIX)):
            try:
                if now - path.stat().st_mtime > STALE_SECONDS:
                    _remove(path)
            except OSError:
                pass


def save(dataset, processed_dir: Path | str, inputs: Inputs | None = None) -> Stored | None:
    """Store `dataset` (read from its data directory, as `load_dataset` gives it) in
    `processed_dir`, atomically, and record it in `dataset.store`; None when it cannot be
    stored (the reason is logged): storing is never an error for the user."""
    processed = Path(processed_dir)
    try:
        check_not_inside(processed, Path(dataset.data_dir))
        processed.mkdir(parents=True, exist_ok=True)
        if inputs is None:
            inputs = fingerprint(dataset.data_dir, processed)
        stored = _save(dataset, processed, inputs)
    except Exception as exc:  # noqa: BLE001 - see the docstring
        log.info("data olahan tidak disimpan di %s: %s", processed, exc, exc_info=not isinstance(exc, Unstorable))
        return None
    dataset.store = stored
    return stored


def _save(dataset, processed: Path, inputs: Inputs) -> Stored:
    final = store_folder(processed, inputs.key)
    tmp: Path | None = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=processed))
    try:
        manifest = _write(dataset, tmp, inputs)
        parts = _read_parts(tmp, manifest, Path(dataset.data_dir), checking=True)
        try:
            _verify(dataset, parts, manifest)
        finally:
            parts["db"].close()
        text = json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
        (tmp / MANIFEST).write_text(text, encoding="utf-8")
        _fsync_tree(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; a store is as readable as its project
        try:
            os.rename(tmp, final)
        except OSError:
            if not final.exists():
                raise
            # The same inputs stored by another run meanwhile, or a damaged store in the way: ours
            # replaces it (a reader of the one moved away falls back to parsing).
            old = Path(tempfile.mkdtemp(prefix=OLD_PREFIX, dir=processed))
            os.replace(final, old / "store")
            os.rename(tmp, final)
            _remove(old)
        tmp = None
        _fsync_dir(processed)
    finally:
        if tmp is not None:
            _remove(tmp)
    _tidy(processed, final)
    return Stored(processed, final, manifest, sha256_of_bytes(text.encode("utf-8")), reused=False)


# --- reading --------------------------------------------------------------------------------------

def _read_parts(folder: Path, manifest: dict[str, Any], data_dir: Path, checking: bool = False) -> dict[str, Any]:
    """The fields of a Dataset from a store's files, the catalog read from its file.

    `checking` (a new store read back to compare it with its dataset): no catalog, and the
    tables left as views over their Parquet files, so that comparing them streams the files
    instead of holding a second copy of the data in memory."""
    db = connect()
    pins = None if checking or outputs.fcntl is None else _pin_folder(folder.parent, db)
    try:
        for name, table in manifest["tables"].items():
            if not NAME.fullmatch(name):
                raise ValueError(f"nama tabel {name!r}")
            source = folder / table["file"]
            pinned = pins is not None and name in PINNED
            if pinned:  # a link the dataset owns; a store's files are never changed in place, only removed
                outputs.link_or_copy(source, pins / source.name)
                source = pins / source.name
            kind = "VIEW" if checking or pinned else "TABLE"
            db.execute(f"CREATE {kind} {name} AS SELECT * FROM read_parquet({_sql_path(source)})")
            rows = db.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
            if rows != table["rows"] or _columns(db, name) != table["columns"]:
                raise ValueError(f"tabel {name} tidak sesuai manifest")
        _make_views(db, manifest["views"], list(manifest["tables"]))
        parts: dict[str, Any] = {name: _read_frame(db, folder / spec["file"], spec["columns"], spec["rows"])
                                 for name, spec in manifest["frames"].items()}
        if set(parts) != set(FRAMES):
            raise ValueError("bingkai data tidak lengkap")
        found = manifest[PROBLEMS]
        parts["problems"] = _read_problems(db, folder / found["file"], found["fields"], found["rows"])
    except BaseException:
        db.close()
        raise
    parts.update(data_dir=data_dir, db=db, years=[int(y) for y in manifest["years"]],
                 files=[data_dir / f for f in manifest["files"]])
    if not checking:
        parts["catalog"] = load_catalog(data_dir)
    return parts


def _pin_folder(processed: Path, db: duckdb.DuckDBPyConnection) -> Path | None:
    """A locked work folder in `processed` for the links of one dataset, removed with the
    connection `db` (or at exit); the folders of killed processes removed first. None when it
    cannot be made (the tables are then copied into memory)."""
    outputs.clean_stale(processed)
    try:
        pins = outputs.make_work_dir(processed, PIN_WORK)
    except OSError as exc:
        log.info("tautan data olahan tidak dapat dibuat di %s: %s", processed, exc)
        return None
    weakref.finalize(db, outputs.remove_work_dir, pins)
    return pins


def read_manifest(folder: Path) -> tuple[dict[str, Any], str]:
    """A store's manifest and its SHA-256 (OSError, ValueError when missing or damaged)."""
    data = (Path(folder) / MANIFEST).read_bytes()
    manifest = json.loads(data.decode("utf-8"))
    if not isinstance(manifest, dict):
        raise ValueError("manifest bukan objek JSON")
    return manifest, sha256_of_bytes(data)


def load(data_dir: Path | str, processed_dir: Path | str, inputs: Inputs) -> tuple[dict[str, Any], Stored] | None:
    """The fields of a Dataset (keyword arguments) and where they were kept, from the store of
    `inputs` in `processed_dir`; None when there is none, or it is damaged (the reason is logged)."""
    folder = store_folder(processed_dir, inputs.key)
    if not (folder / MANIFEST).is_file():
        log.debug("tidak ada data olahan %s", folder)
        return None
    try:
        manifest, digest = read_manifest(folder)
        if manifest.get("key") != inputs.key:
            raise ValueError("kunci manifest berbeda")
        parts = _read_parts(folder, manifest, Path(data_dir))
    except Exception as exc:  # noqa: BLE001 - a damaged store is rebuilt, never an error for the user
        log.info("data olahan %s diabaikan (rusak atau tidak terbaca): %s", folder, exc)
        return None
    return parts, Stored(Path(processed_dir), folder, manifest, digest, reused=True)


def read_through(data_dir: Path, processed_dir: Path, parse: Callable[[Path], Any],
                 make: Callable[..., Any]) -> tuple[Any, Stored | None]:
    """The dataset of `data_dir` from its store in `processed_dir` when that is valid (`make`
    builds it from the stored fields); else `parse(data_dir)`, then stored. Returns the dataset
    and where it is stored (None when it could not be)."""
    try:
        inputs = fingerprint(data_dir, processed_dir)
    except Exception as exc:  # noqa: BLE001 - e.g. an unreadable file: parsing reports it
        log.info("kunci data olahan tidak dapat dihitung: %s", exc)
        inputs = None
    if inputs is not None:
        found = load(data_dir, processed_dir, inputs)
        if found is not None:
            parts, stored = found
            try:
                return make(**parts), stored
            except Exception as exc:  # noqa: BLE001 - a store of another shape: parsed again
                parts["db"].close()
                log.info("data olahan %s tidak dapat dipakai: %s", stored.folder, exc)
    dataset = parse(data_dir)
    if inputs is None or not unchanged(inputs):  # a file changed while it was parsed: not stored
        return dataset, None
    return dataset, save(dataset, processed_dir, inputs)
