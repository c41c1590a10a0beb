"""The processed store (data/processed): a dataset loaded from it is the dataset a fresh parse
gives; unchanged inputs reuse it, any change rebuilds it; it is written atomically, a damaged
one is rebuilt, the raw files are never written.

Whether the raw files were parsed is seen by counting the calls of `dataset._read_raw`, the
parse behind `load_dataset`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from iku_lib import load_dataset
from iku_lib.exceptions import ParameterError
from iku_lib.ingest import dataset as dataset_module
from iku_lib.ingest import store

from ..conftest import DATA, KECIL, RAW, ROOT

CASES = ["kecil", "hierarki", "langsung-campuran", "langsung-saja", "several-errors", "same-variable-two-files",
         "outlier-jump", "xlsx-title-rows-merged-cells", "ods-libreoffice", "desa-twice-different-values"]
FRAMES = ["register", "targets", "direct", "analisis", "standar", "anggaran", "observations", "repeated"]


@pytest.fixture
def parses(monkeypatch) -> list[Path]:
    """Every raw parse from now on, by data directory."""
    seen: list[Path] = []
    original = dataset_module._read_raw

    def counted(data_dir=None, **options):
        seen.append(Path(data_dir))
        return original(data_dir, **options)

    monkeypatch.setattr(dataset_module, "_read_raw", counted)
    return seen


def make_project(root: Path, source: Path = KECIL) -> Path:
    """A project at `root` whose data/raw is a copy of `source`; returns its raw folder."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "iku.toml").write_text('[proyek]\nnama = "Uji"\n', encoding="utf-8")
    raw = root / "data" / "raw"
    shutil.copytree(source, raw)
    return raw


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below `folder`: content and mtime."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def stores(processed: Path) -> list[str]:
    return sorted(p.name for p in processed.iterdir() if p.name.startswith("dataset-")) if processed.is_dir() else []


def assert_same_dataset(fresh, loaded) -> None:
    """Every frame equal with the same dtypes, text cells of the same type (None is not NaN,
    "" is not None), problems equal field by field with the same types, years and files equal."""
    for name in FRAMES:
        a, b = getattr(fresh, name), getattr(loaded, name)
        pd.testing.assert_frame_equal(a, b, check_exact=True)
        for column in a.columns:
            if a[column].dtype == object:
                assert [type(v) for v in a[column]] == [type(v) for v in b[column]], (name, column)
    tables = "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name"
    names = [t for (t,) in fresh.db.execute(tables).fetchall()]
    # a loaded dataset reads the observations from the store's files (views, `store.PINNED`)
    views = "SELECT view_name FROM duckdb_views() WHERE NOT internal AND NOT temporary"
    pinned = [v for (v,) in loaded.db.execute(views).fetchall() if v in store.PINNED]
    assert sorted([t for (t,) in loaded.db.execute(tables).fetchall()] + pinned) == names
    for table in names:  # every table of the database, row for row in the same order
        query = f"SELECT * FROM {table}"
        assert loaded.db.execute(query).fetchall() == fresh.db.execute(query).fetchall(), table
    assert loaded.problems == fresh.problems
    assert [[type(v) for v in dataclasses.astuple(p)] for p in loaded.problems] == \
           [[type(v) for v in dataclasses.astuple(p)] for p in fresh.problems]
    assert loaded.years == fresh.years and [type(y) for y in loaded.years] == [int] * len(fresh.years)
    assert loaded.files == fresh.files
    assert loaded.data_dir == fresh.data_dir and loaded.catalog.path == fresh.catalog.path
    assert loaded.catalog.ids == fresh.catalog.ids


# --- a store load is a fresh parse --------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_a_dataset_loaded_from_the_store_equals_a_fresh_parse(case, tmp_path, parses):
    data_dir = DATA / case
    fresh = load_dataset(data_dir, store=False)
    first = load_dataset(data_dir, processed_dir=tmp_path / "olahan")
    assert first.store is not None and not first.store.reused
    second = load_dataset(data_dir, processed_dir=tmp_path / "olahan")
    assert second.store is not None and second.store.reused
    assert parses == [data_dir, data_dir]  # the fresh parse and the first load; the second came from the store
    assert_same_dataset(fresh, second)
    assert second.store.folder == first.store.folder and second.store.sha256 == first.store.sha256


def test_the_cases_cover_errors_warnings_repeats_and_direct_values():
    """The cases above hold what must survive the store: errors, warnings, None and "" apart,
    repeated values, directly reported values, sheet names, a register with parents."""
    loaded = {case: load_dataset(DATA / case, store=False) for case in CASES}
    assert loaded["several-errors"].errors and any(not p.is_error for p in loaded["langsung-campuran"].problems)
    assert len(loaded["same-variable-two-files"].repeated) > 0
    assert len(loaded["langsung-campuran"].direct) > 0 and len(loaded["langsung-saja"].register) == 0
    assert loaded["xlsx-title-rows-merged-cells"].observations["lembar"].notna().any()
    assert "kode_kecamatan" in loaded["hierarki"].register.columns
    fields = {(k, v is None) for p in loaded["several-errors"].problems for k, v in dataclasses.asdict(p).items()}
    assert ("baris", True) in fields and ("baris", False) in fields and ("tahun", True) in fields


def test_the_shipped_data_loaded_from_the_store_equals_a_fresh_parse(tmp_path, parses):
    raw = make_project(tmp_path / "proyek", RAW)
    fresh = load_dataset(raw, store=False)
    load_dataset(raw)
    loaded = load_dataset(raw)
    assert loaded.store.reused and len(parses) == 2
    assert_same_dataset(fresh, loaded)


def test_a_dataset_with_errors_is_stored_and_keeps_them(tmp_path, parses):
    data_dir = DATA / "several-errors"
    first = load_dataset(data_dir, processed_dir=tmp_path)
    again = load_dataset(data_dir, processed_dir=tmp_path)
    assert again.store.reused and len(parses) == 1
    assert again.errors == first.errors and len(again.errors) > 0
    assert json.loads(again.store.manifest_path.read_text(encoding="utf-8"))["problems"]["errors"] == len(first.errors)


# --- which store --------------------------------------------------------------------------------------

def test_a_project_raw_folder_is_stored_in_the_project_processed_folder(tmp_path, parses, monkeypatch):
    raw = make_project(tmp_path / "proyek")
    processed = tmp_path / "proyek" / "data" / "processed"
    dataset = load_dataset(raw)
    assert dataset.store.processed_dir == processed and dataset.store.folder.parent == processed
    monkeypatch.chdir(tmp_path / "proyek" / "data")  # the current project, its default data directory
    again = load_dataset()
    assert again.store.reused and again.store.folder == dataset.store.folder and len(parses) == 1


def test_a_data_dir_in_no_project_is_parsed_every_time_and_nothing_is_written(tmp_path, parses):
    data_dir = tmp_path / "data"
    shutil.copytree(KECIL, data_dir)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    first, second = load_dataset(data_dir), load_dataset(data_dir)
    assert first.store is None and second.store is None and len(parses) == 2
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_a_data_dir_inside_a_project_that_is_not_its_raw_folder_has_no_store(parses):
    """tests/data/kecil lies in this repository, a project whose raw folder is data/raw."""
    assert load_dataset(KECIL).store is None
    assert store.default_processed_dir(KECIL) is None
    assert store.default_processed_dir(RAW) == ROOT / "data" / "processed"


def test_a_processed_folder_inside_the_raw_data_is_refused(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(KECIL, data_dir)
    with pytest.raises(ParameterError, match="data mentah"):
        load_dataset(data_dir, processed_dir=data_dir / "olahan")
    assert not (data_dir / "olahan").exists()


def test_a_project_whose_processed_folder_is_inside_its_raw_folder_gets_no_store(tmp_path):
    raw = make_project(tmp_path / "proyek")
    (tmp_path / "proyek" / "iku.toml").write_text('[folder]\nolahan = "data/raw/olahan"\n', encoding="utf-8")
    before = snapshot(raw)
    assert load_dataset(raw).store is None and snapshot(raw) == before


def test_store_false_reads_and_writes_no_store(tmp_path, parses):
    raw = make_project(tmp_path / "proyek")
    load_dataset(raw)
    processed = tmp_path / "proyek" / "data" / "processed"
    before = snapshot(processed)
    cold = load_dataset(raw, store=False)
    assert cold.store is None and len(parses) == 2 and snapshot(processed) == before


def test_a_processed_folder_that_cannot_be_written_is_no_error(tmp_path, parses):
    (tmp_path / "olahan").write_text("a file where the folder should be", encoding="utf-8")
    dataset = load_dataset(KECIL, processed_dir=tmp_path / "olahan")
    assert dataset.store is None and not dataset.errors
    assert_same_dataset(load_dataset(KECIL, store=False), dataset)


# --- what rebuilds it -----------------------------------------------------------------------------------

def test_unchanged_inputs_reuse_the_store_and_any_change_rebuilds_it(tmp_path, parses):
    raw = make_project(tmp_path / "proyek")
    processed = tmp_path / "proyek" / "data" / "processed"
    load_dataset(raw)
    seen = stores(processed)
    assert len(seen) == 1 and len(parses) == 1

    def rebuilt(change) -> bool:
        before = len(parses)
        change()
        dataset = load_dataset(raw)
        assert len(stores(processed)) == 1 and stores(processed) == [dataset.store.folder.name]  # old one removed
        return len(parses) > before

    penduduk = raw / "2022" / "penduduk.csv"
    assert not rebuilt(lambda: None)
    assert rebuilt(lambda: penduduk.write_text(penduduk.read_text(encoding="utf-8").replace("1000", "1001"),
                                               encoding="utf-8"))  # a value edited
    assert rebuilt(lambda: (raw / "2022" / "tambahan.csv").write_text("desa,penduduk\n", encoding="utf-8"))  # added
    assert rebuilt(lambda: (raw / "2022" / "tambahan.csv").rename(raw / "2022" / "lain.csv"))  # renamed
    assert rebuilt(lambda: (raw / "2022" / "lain.csv").unlink())  # removed
    assert rebuilt(lambda: (raw / "2023").mkdir())  # an (empty) year folder added
    assert rebuilt(lambda: (raw / "catatan.txt").write_text("x", encoding="utf-8"))  # a file the reader warns about
    catalog = (ROOT / "iku_lib" / "data" / "iku.yaml").read_text(encoding="utf-8")
    assert rebuilt(lambda: (raw / "iku.yaml").write_text(catalog, encoding="utf-8"))  # its own catalog
    assert rebuilt(lambda: (raw / "iku.yaml").write_text(catalog.replace("Kaloran", "Kalorän", 1), encoding="utf-8"))
    # a lock file is named in a warning: its arrival rebuilds (the warnings change), its bytes never count
    assert rebuilt(lambda: (raw / "2022" / ".~lock.penduduk.csv#").write_text("lock", encoding="utf-8"))
    assert not rebuilt(lambda: (raw / "2022" / ".~lock.penduduk.csv#").write_text("lock 2", encoding="utf-8"))
    assert rebuilt(lambda: (raw / "2022" / "~$lainnya.xlsx").write_bytes(b"lock"))
    assert not rebuilt(lambda: (raw / "2022" / "~$lainnya.xlsx").write_bytes(b"lock, saved again"))


def test_a_new_iku_version_or_reading_code_rebuilds_the_store(tmp_path, parses, monkeypatch):
    raw = make_project(tmp_path / "proyek")
    first = load_dataset(raw)
    monkeypatch.setattr(store, "__version__", "99.0")
    second = load_dataset(raw)
    assert len(parses) == 2 and second.store.folder != first.store.folder
    assert json.loads(second.store.manifest_path.read_text(encoding="utf-8"))["iku"] == "99.0"
    monkeypatch.setattr(store, "code_fingerprint", lambda: "0" * 64)
    third = load_dataset(raw)
    assert len(parses) == 3 and third.store.folder not in (first.store.folder, second.store.folder)


def test_the_same_size_and_mtime_with_other_bytes_still_rebuilds(tmp_path, parses, monkeypatch):
    """The stat cache compares ctime too: content changed and mtime put back is seen."""
    monkeypatch.setattr(store, "RACY_NS", 0)  # remember even files written just now
    raw = make_project(tmp_path / "proyek")
    load_dataset(raw)
    penduduk = raw / "2022" / "penduduk.csv"
    text, stat = penduduk.read_text(encoding="utf-8"), penduduk.stat()
    changed = text.replace("1000", "1001")
    assert changed != text and len(changed) == len(text)
    time.sleep(0.01)
    penduduk.write_text(changed, encoding="utf-8")
    os.utime(penduduk, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    dataset = load_dataset(raw)
    assert len(parses) == 2 and not dataset.store.reused


# --- the manifest and the cheap check -----------------------------------------------------------------

def test_the_manifest_lists_every_input_with_size_and_sha256(tmp_path):
    raw = make_project(tmp_path / "proyek")
    dataset = load_dataset(raw)
    data = dataset.store.manifest_path.read_bytes()
    manifest = json.loads(data)
    assert dataset.store.sha256 == hashlib.sha256(data).hexdigest()
    assert manifest["format"] == store.FORMAT and manifest["iku"] == store.__version__
    assert manifest["data_dir"] == "data/raw" and manifest["years"] == [2022]
    expected = {"2022/": None, **{f"2022/{n}": n for n in ("lainnya.csv", "pemerintahan.csv", "penduduk.csv")},
                "desa.csv": "desa.csv", "target.csv": "target.csv"}
    assert [e["path"] for e in manifest["inputs"]] == list(expected)
    for entry in manifest["inputs"]:
        if entry["path"].endswith("/"):
            assert entry["kind"] == "folder"
            continue
        content = (raw / entry["path"]).read_bytes()
        assert entry["size"] == len(content) and entry["sha256"] == hashlib.sha256(content).hexdigest()
    default = (ROOT / "iku_lib" / "data" / "iku.yaml").read_bytes()
    assert manifest["catalog"] == {"default": True, "size": len(default), "sha256": hashlib.sha256(default).hexdigest()}
    assert manifest["files"] == ["desa.csv", "target.csv", "2022/lainnya.csv", "2022/pemerintahan.csv",
                                 "2022/penduduk.csv"]
    assert dataset.store.folder.name == "dataset-" + manifest["key"][:16]
    for name, table in manifest["tables"].items():  # every table of the dataset's database, whole
        assert table["rows"] == dataset.db.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        assert (dataset.store.folder / table["file"]).is_file()
    assert "observations" in {*manifest["tables"], *manifest["views"]}
    # The key is the hash of the manifest's first part: recomputed here from the manifest itself.
    identity = {k: manifest[k] for k in ("format", "iku", "code", "libraries", "data_dir", "catalog", "inputs")}
    canonical = json.dumps(identity, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    assert manifest["key"] == hashlib.sha256(canonical).hexdigest()


def test_the_same_inputs_make_the_same_manifest_wherever_the_project_is(tmp_path):
    one = load_dataset(make_project(tmp_path / "satu"))
    two = load_dataset(make_project(tmp_path / "dua"))
    assert one.store.sha256 == two.store.sha256
    assert one.store.manifest_path.read_bytes() == two.store.manifest_path.read_bytes()


def test_unchanged_files_are_not_hashed_again(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "RACY_NS", 0)
    raw = make_project(tmp_path / "proyek")
    processed = tmp_path / "proyek" / "data" / "processed"
    hashed: list[str] = []
    original = store.sha256_of_file
    monkeypatch.setattr(store, "sha256_of_file", lambda path: hashed.append(Path(path).name) or original(path))
    load_dataset(raw)
    assert sorted(hashed) == ["desa.csv", "iku.yaml", "lainnya.csv", "pemerintahan.csv", "penduduk.csv",
                              "target.csv"]
    hashed.clear()
    assert load_dataset(raw).store.reused and hashed == []
    (raw / "desa.csv").write_text((raw / "desa.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    load_dataset(raw)
    assert hashed == ["desa.csv"]
    (processed / "stat-cache.json").write_text("{rusak", encoding="utf-8")  # a damaged cache: hash everything
    hashed.clear()
    assert load_dataset(raw).store.reused and len(hashed) == 6


def test_a_file_changed_just_before_hashing_is_hashed_again(tmp_path, monkeypatch):
    raw = make_project(tmp_path / "proyek")  # every file written just now
    hashed: list[str] = []
    original = store.sha256_of_file
    monkeypatch.setattr(store, "sha256_of_file", lambda path: hashed.append(Path(path).name) or original(path))
    load_dataset(raw)
    hashed.clear()
    load_dataset(raw)
    assert "desa.csv" in hashed  # too recent to trust its mtime (RACY_NS)


# --- safety ---------------------------------------------------------------------------------------------

def test_the_raw_files_are_never_written(tmp_path):
    raw = make_project(tmp_path / "proyek", RAW)
    before = snapshot(raw)
    load_dataset(raw)
    load_dataset(raw)
    shutil.rmtree(tmp_path / "proyek" / "data" / "processed")
    load_dataset(raw)
    assert snapshot(raw) == before


def test_deleting_the_processed_folder_is_safe(tmp_path, parses):
    raw = make_project(tmp_path / "proyek")
    first = load_dataset(raw)
    shutil.rmtree(tmp_path / "proyek" / "data" / "processed")
    again = load_dataset(raw)
    assert len(parses) == 2 and not again.store.reused
    assert_same_dataset(first, again)


@pytest.mark.skipif(store.outputs.fcntl is None, reason="no file locks (Windows): the tables are copied")
def test_a_loaded_dataset_outlives_its_store_and_leaves_no_private_files(tmp_path, parses):
    """The observations a loaded dataset reads from the store's files (`store.PINNED`) are read
    through private links in a locked work folder: removing the stores (as a newer store does)
    changes nothing for a dataset in use; the links go with the dataset, and those of a killed
    process go at the next load."""
    import gc

    raw = make_project(tmp_path / "proyek")
    processed = tmp_path / "proyek" / "data" / "processed"
    fresh = load_dataset(raw, store=False)
    load_dataset(raw)
    loaded = load_dataset(raw)
    assert loaded.store.reused and len(parses) == 2
    (pins,) = [p for p in processed.glob(".iku-tmp-data-olahan-*") if p.is_dir()]  # beside it: its lock file
    assert sorted(f.name for f in pins.iterdir()) == sorted(f"{t}.parquet" for t in store.PINNED)
    for folder in processed.glob("dataset-*"):
        shutil.rmtree(folder)
    pd.testing.assert_frame_equal(loaded.observations, fresh.observations, check_exact=True)
    pd.testing.assert_frame_equal(loaded.values(fresh.years[0]), fresh.values(fresh.years[0]), check_exact=True)
    del loaded
    gc.collect()
    assert not list(processed.glob(".iku-tmp-*"))
    # a process killed while it held a dataset: its folder's lock is free, the next load removes it
    load_dataset(raw)  # the store again
    gc.collect()
    script = (f"import os, sys; sys.path.insert(0, {str(ROOT)!r}); from iku_lib import load_dataset; "
              f"held = load_dataset({str(raw)!r}); os.kill(os.getpid(), 9)")
    subprocess.run([sys.executable, "-c", script], check=False)
    assert len(list(processed.glob(".iku-tmp-data-olahan-*"))) == 2  # the folder and its lock file, left
    again = load_dataset(raw)
    assert len(list(processed.glob(".iku-tmp-data-olahan-*"))) == 2  # only this dataset's own
    del again


@pytest.mark.parametrize("damage", ["truncated", "garbage-manifest", "missing-file", "other-key", "empty-manifest"])
def test_a_damaged_store_is_rebuilt_never_an_error(damage, tmp_path, parses):
    raw = make_project(tmp_path / "proyek")
    fresh = load_dataset(raw)
    folder = fresh.store.folder
    if damage == "truncated":  # the table holding the values, whatever its name
        tables = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["tables"].values()
        values = folder / max(tables, key=lambda t: t["rows"])["file"]
        values.write_bytes(values.read_bytes()[: values.stat().st_size // 2])
    elif damage == "garbage-manifest":
        (folder / "manifest.json").write_bytes(b"\x00\xff not json")
    elif damage == "missing-file":
        (folder / "problems.parquet").unlink()
    elif damage == "other-key":
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        manifest["key"] = "0" * 64
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    else:
        (folder / "manifest.json").write_text("", encoding="utf-8")
    rebuilt = load_dataset(raw)
    assert len(parses) == 2 and not rebuilt.store.reused
    assert_same_dataset(fresh, rebuilt)
    reused = load_dataset(raw)  # the rebuilt store is whole again
    assert reused.store.reused and len(parses) == 2
    assert_same_dataset(fresh, reused)


def test_a_failed_build_leaves_the_last_good_store_and_no_half_store(tmp_path, parses, monkeypatch):
    raw = make_project(tmp_path / "proyek")
    processed = tmp_path / "proyek" / "data" / "processed"
    good = load_dataset(raw).store.folder
    before = snapshot(good)

    def fail(folder):
        raise OSError("disk penuh")

    monkeypatch.setattr(store, "_fsync_tree", fail)  # everything written, then the build fails
    (raw / "2022" / "penduduk.csv").write_text("desa,penduduk\nAlpha,1\n", encoding="utf-8")
    dataset = load_dataset(raw)
    assert dataset.store is None and len(parses) == 2  # the data is still given, from a parse
    assert stores(processed) == [good.name] and snapshot(good) == before
    assert not [p for p in processed.iterdir() if p.name.startswith(".")]


def test_a_run_killed_while_writing_leaves_no_store_under_its_name(tmp_path):
    """SIGKILL while the store is being written: only a hidden temporary folder is left, and the
    next load parses and stores as if nothing had happened."""
    raw = make_project(tmp_path / "proyek")
    processed = tmp_path / "proyek" / "data" / "processed"
    flag = tmp_path / "menulis"
    script = (
        "import time, pathlib\n"
        "from iku_lib.ingest import store\n"
        "def hang(folder):\n"
        f"    pathlib.Path({str(flag)!r}).write_text(str(folder))\n"
        "    time.sleep(120)\n"
        "store._fsync_tree = hang\n"
        "from iku_lib import load_dataset\n"
        f"load_dataset({str(raw)!r})\n")
    child = subprocess.Popen([sys.executable, "-c", script], cwd=tmp_path)
    try:
        for _ in range(600):
            if flag.exists() or child.poll() is not None:
                break
            time.sleep(0.1)
        assert flag.exists(), "the child never reached the write"
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(30)
    assert stores(processed) == []
    left = [p.name for p in processed.iterdir() if p.is_dir()]
    assert len(left) == 1 and left[0].startswith(".tmp-dataset-")
    dataset = load_dataset(raw)
    assert not dataset.store.reused and load_dataset(raw).store.reused
    assert_same_dataset(load_dataset(raw, store=False), dataset)


def test_what_the_store_cannot_keep_exactly_is_not_stored(tmp_path):
    dataset = load_dataset(KECIL, store=False)
    dataset.register.loc[0, "nama_desa"] = 7  # an int among the names: Parquet would make it text
    assert store.save(dataset, tmp_path) is None and dataset.store is None
    assert stores(tmp_path) == [] and not [p for p in tmp_path.iterdir() if p.is_dir()]


def test_a_store_that_reads_back_differently_is_not_kept(tmp_path, monkeypatch):
    """Every new store is read back and compared with the dataset before it is renamed into place."""
    dataset = load_dataset(DATA / "several-errors", store=False)
    original = store._read_problems
    monkeypatch.setattr(store, "_read_problems", lambda *args: original(*args)[:-1])
    assert store.save(dataset, tmp_path) is None
    assert stores(tmp_path) == [] and not [p for p in tmp_path.iterdir() if p.is_dir()]
    monkeypatch.setattr(store, "_read_problems", original)
    stored = store.save(dataset, tmp_path)
    assert stored is not None and stores(tmp_path) == [stored.folder.name] and dataset.store == stored


def test_a_dataset_whose_outliers_are_still_being_found_is_stored_after_them(tmp_path, monkeypatch):
    """A dataset read without a store finds its outlier warnings on another thread, from the
    tables that storing rewrites (`materialize_observations`): storing waits for them first, and
    stores them. Here the thread is held until storing has begun."""
    from concurrent.futures import ThreadPoolExecutor
    import threading

    from iku_lib.ingest.outliers import find_outliers_sql

    storing = threading.Event()
    seen: list[object] = []

    def held(db, register, catalog):
        cursor = db.cursor()
        cursor.execute("USE iku")

        def find():
            storing.wait(10)
            return find_outliers_sql(cursor, register, catalog)

        return ThreadPoolExecutor(1).submit(find)

    monkeypatch.setattr(dataset_module, "start_outliers", held)
    dataset = load_dataset(DATA / "outlier-jump", store=False)
    materialize = store.materialize_observations

    def spy(db):
        seen.append(dataset.later)
        materialize(db)

    monkeypatch.setattr(store, "materialize_observations", spy)
    original = store._write

    def write(*args):
        storing.set()
        return original(*args)

    monkeypatch.setattr(store, "_write", write)
    stored = store.save(dataset, tmp_path / "olahan")
    assert stored is not None and seen == [None]  # the warnings were in before the tables were rewritten
    assert [p.kode for p in dataset.problems] == ["nilai_melonjak"]
    assert [p.kode for p in load_dataset(DATA / "outlier-jump", processed_dir=tmp_path / "olahan").problems] == [
        "nilai_melonjak"]
