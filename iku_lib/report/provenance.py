"""Where a report's numbers come from: parameters, package version, the data files used
(with their SHA-256) and the date of the run.

>>> import hashlib
>>> sha256_of_bytes(b"") == hashlib.sha256(b"").hexdigest()
True
"""

from __future__ import annotations

import datetime
import hashlib
import platform
import re
from pathlib import Path

import pandas as pd

from .. import __version__
from ..ingest.dataset import Dataset
from ..formatting import angka, waktu
from ..project import find_project

CHUNK = 1 << 20


def sha256_of_bytes(data: bytes) -> str:
    """SHA-256 of bytes, as hex."""
    return hashlib.sha256(data).hexdigest()


def sha256_of_file(path: Path) -> str:
    """SHA-256 of a file's content, as hex (read in chunks)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


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
    project = find_project(data_dir)
    if project is not None:
        shown = project.relative(data_dir)
        if not Path(shown).is_absolute():
            return shown
    return Path(data_dir).resolve().name


def files_used(dataset: Dataset, years: list[int]) -> pd.DataFrame:
    """The files a report for `years` read: the catalog, register, targets and those years'
    data files, with `berkas` (as shown), `ukuran` (bytes) and `sha256`."""
    data_dir = Path(dataset.data_dir)
    paths = [Path(dataset.catalog.path)] + [p for p in dataset.files if Path(p) != Path(dataset.catalog.path)]
    chosen = [p for p in paths if _in_year(Path(p), data_dir) in (None, *years)]
    project = find_project(data_dir)  # once, not once per file
    root = project.root if project else None
    return pd.DataFrame({
        "berkas": [display_path(p, data_dir, root) for p in chosen],
        "ukuran": [Path(p).stat().st_size for p in chosen],
        "sha256": [sha256_of_file(Path(p)) for p in chosen],
    })


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
