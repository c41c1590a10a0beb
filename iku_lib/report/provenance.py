"""Where a report's numbers come from: parameters, package version, the data files used
(with their SHA-256), the processed store they were loaded from (its manifest and the
manifest's SHA-256) and the date of the run.

>>> import hashlib
>>> sha256_of_bytes(b"") == hashlib.sha256(b"").hexdigest()
True
"""

from __future__ import annotations

import datetime
import platform
import re
from pathlib import Path

import pandas as pd

from .. import __version__
from ..formatting import angka, waktu
from ..hashing import sha256_of_bytes, sha256_of_file  # noqa: F401 (sha256_of_bytes: re-exported)
from ..ingest.dataset import Dataset
from ..ingest.store import Stored, data_dir_label
from ..project import find_project


def _in_year(path: Path, data_dir: Path) -> int | None:
    try:
        first = path.relative_to(data_dir).parts[0]
    except ValueError:
        return None
    return int(first) if re.fullmatch(r"\d{4}", first) and path.parent != data_dir else None


def display_path(path: Path, data_dir: Path, project_root: Path | None = None) -> str:
    """A file's path as the report shows it: relative to the data directory, or to the project
    root that holds it; else its name only (a report never shows a home folder)."""
    path = Path(path)
    for base in (data_dir, project_root):
        if base is None:
            continue
        try:
            return path.resolve().relative_to(Path(base).resolve()).as_posix()
        except ValueError:
            continue
    return path.name


def data_dir_display(data_dir: Path) -> str:
    """The data directory as a report shows it: relative to its project (`data/raw`), or its
    folder name when it is in no project."""
    return data_dir_label(data_dir)


def _stored(dataset: Dataset) -> Stored | None:
    """The processed store `dataset` was loaded from or kept in (`load_dataset`), if any."""
    return getattr(dataset, "store", None)


def _size_and_hash(path: Path, data_dir: Path, stored: Stored | None) -> tuple[int, str]:
    """A file's size and SHA-256: as the store's manifest records them (the bytes the data was
    read from), else read now."""
    if stored is not None:
        entry = None
        try:
            entry = stored.input(path.relative_to(data_dir).as_posix())
        except ValueError:  # outside the data directory: the package's default catalog
            catalog = stored.manifest.get("catalog", {})
            if catalog.get("default") and "sha256" in catalog:
                entry = catalog
        if entry is not None:
            return int(entry["size"]), str(entry["sha256"])
    return path.stat().st_size, sha256_of_file(path)


def files_used(dataset: Dataset, years: list[int]) -> pd.DataFrame:
    """The files a report for `years` read: the catalog, register, targets and those years'
    data files, with `berkas` (as shown), `ukuran` (bytes) and `sha256` (from the processed
    store's manifest when the dataset came through it)."""
    data_dir = Path(dataset.data_dir)
    paths = [Path(dataset.catalog.path)] + [p for p in dataset.files if Path(p) != Path(dataset.catalog.path)]
    chosen = [Path(p) for p in paths if _in_year(Path(p), data_dir) in (None, *years)]
    project = find_project(data_dir)  # once, not once per file
    root = project.root if project else None
    stored = _stored(dataset)
    found = [_size_and_hash(p, data_dir, stored) for p in chosen]
    return pd.DataFrame({
        "berkas": [display_path(p, data_dir, root) for p in chosen],
        "ukuran": [size for size, _ in found],
        "sha256": [digest for _, digest in found],
    })


def store_display(stored: Stored) -> str:
    """A store's manifest as a report shows it: relative to the project whose processed folder
    holds it (`data/processed/dataset-<kunci>/manifest.json`); else from the store's own folder
    on (a temporary store of one run, a folder the caller named: never a home folder)."""
    project = find_project(stored.folder)
    if project is not None:
        processed = project.processed_dir.resolve()
        if processed == stored.folder.resolve().parent:
            return project.relative(stored.manifest_path)
    return f"{stored.folder.name}/{stored.manifest_path.name}"


def store_facts(dataset: Dataset) -> list[tuple[str, str]]:
    """Label/value pairs naming the processed store the dataset was loaded from: its manifest
    and the manifest's SHA-256 (which lists every raw file's SHA-256); none without a store."""
    stored = _stored(dataset)
    if stored is None:
        return []
    return [("Data olahan (manifest)", store_display(stored)), ("SHA-256 manifest data olahan", stored.sha256)]


def run_facts(parameters: dict[str, object], when: datetime.datetime, data_dir: Path) -> list[tuple[str, str]]:
    """Label/value pairs for the provenance section (labels in Bahasa Indonesia)."""
    facts = [(f"Parameter {k}", "bawaan (data/raw proyek)" if v is None else
              (data_dir_display(Path(str(v))) if k == "data_dir" else str(v))) for k, v in parameters.items()]
    facts += [
        ("Direktori data", data_dir_display(Path(data_dir))),
        ("Versi paket iku", __version__),
        ("Python", platform.python_version()),
        ("Waktu eksekusi", waktu(when)),
    ]
    return facts


def files_display(files: pd.DataFrame) -> pd.DataFrame:
    """The files table for the reader: Berkas, Ukuran (bita), SHA-256."""
    return pd.DataFrame({
        "Berkas": files["berkas"].to_numpy(),
        "Ukuran (bita)": [angka(x) for x in files["ukuran"]],
        "SHA-256": files["sha256"].to_numpy(),
    })
