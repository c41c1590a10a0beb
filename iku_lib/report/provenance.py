"""Where a report's numbers come from: parameters, package version, the data files used
(with their SHA-256), the processed store they were loaded from (its manifest and the
manifest's SHA-256) and the date of the run; shown in the reports, and kept beside them as a
standalone record (`provenance.json`, format "iku-provenance/1", described below) that
`iku verify` reads.

>>> import hashlib
>>> sha256_of_bytes(b"") == hashlib.sha256(b"").hexdigest()
True
"""

from __future__ import annotations

import datetime
import json
import platform
import re
from pathlib import Path

import pandas as pd

from .. import __version__
from ..formatting import angka, waktu
from ..outputs import atomic_write
from ..hashing import known_sha256, sha256_of_bytes, sha256_of_file  # noqa: F401 (sha256_of_bytes: re-exported)
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


def _hashed(dataset: Dataset) -> dict[str, tuple[int, int, str]]:
    """The raw files as hashed while a dataset that was not stored was read (`Dataset.raw_hashes`)."""
    return dataset.raw_hashes() if _stored(dataset) is None else {}


def _size_and_hash(path: Path, data_dir: Path, stored: Stored | None,
                   hashed: dict[str, tuple[int, int, str]] | None = None) -> tuple[int, str]:
    """A file's size and SHA-256: as the store's manifest records them (the bytes the data was
    read from), else as hashed while the data was read (`hashed`, while the file is unchanged),
    else read now."""
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
    return known_sha256(path, hashed or {})


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
    hashed = _hashed(dataset)
    found = [_size_and_hash(p, data_dir, stored, hashed) for p in chosen]
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


# --- the standalone provenance file ----------------------------------------------------------------
#
# `provenance.json` beside each annual report (`<out>/<tahun>/`, `<out>/<level>/<kode>/<tahun>/`)
# and `<X>.provenance.json` beside `iku compute --out X`: what `iku verify` needs to recompute a
# report and say what changed since. JSON, UTF-8, keys in the fixed order below (the same run
# makes the same bytes). Format "iku-provenance/1":
#
#   format       "iku-provenance/1" (a change that breaks a reader gets a new number)
#   kind         "annual-report" (iku report) or "compute" (iku compute --out)
#   iku          the iku version (from git tags, see iku_lib/version.py)
#   python       the Python version; libraries: the versions of the libraries that read the data
#   created      the run time (ISO 8601, to the second; a batch's reports share it)
#   parameters   years (list), level (null: every level), kode_wilayah (null: the whole register),
#                data_dir (relative to the project holding it, e.g. "data/raw"; else only its
#                folder name), data_dir_in_project (whether data_dir is relative to a project)
#   catalog      path (relative to the data directory, or "iku_lib/data/iku.yaml" for the
#                package's default: then default is true), size (bytes), sha256
#   files        every file the run read, every year (the outlier check and the LKjIP chapter's
#                multi-year tables use the other years too), sorted by path: path (relative to
#                the data directory, "/"), size, sha256 (as the processed store's manifest has them)
#   store        the processed store the data came from: manifest (as the report shows it) and
#                sha256 of manifest.json; null without a store
#   outputs      the files of the run written before this record, beside it: path (name), size, sha256

PROVENANCE_FILE = "provenance.json"
PROVENANCE_FORMAT = "iku-provenance/1"
COMPUTE_SUFFIX = ".provenance.json"
DEFAULT_CATALOG = "iku_lib/data/iku.yaml"  # how a record names the package's default catalog
ANNUAL = "annual-report"
COMPUTE = "compute"


def relative_to_data(path: Path, data_dir: Path) -> str | None:
    """`path` relative to the data directory ("/"-separated), or None when outside it."""
    try:
        return Path(path).resolve().relative_to(Path(data_dir).resolve()).as_posix()
    except ValueError:
        return None


def data_dir_parameter(data_dir: Path) -> tuple[str, bool]:
    """(the data directory relative to the project holding it, True), or (its folder name, False)
    for one in no project (a record never holds a home folder)."""
    project = find_project(data_dir)
    if project is not None:
        shown = project.relative(data_dir)
        if not Path(shown).is_absolute():
            return shown, True
    return Path(data_dir).resolve().name, False


def catalog_entry(dataset: Dataset) -> dict[str, object]:
    """The catalog the dataset was read with: path, default, size, sha256."""
    data_dir, path = Path(dataset.data_dir), Path(dataset.catalog.path)
    size, digest = _size_and_hash(path, data_dir, _stored(dataset), _hashed(dataset))
    relative = relative_to_data(path, data_dir)
    return {"path": relative or DEFAULT_CATALOG, "default": relative is None, "size": size, "sha256": digest}


def data_file_entries(dataset: Dataset) -> list[dict[str, object]]:
    """Every file the dataset was read from inside its data directory, every year: path, size,
    sha256, sorted by path."""
    data_dir, stored, hashed = Path(dataset.data_dir), _stored(dataset), _hashed(dataset)
    entries = {}
    for path in map(Path, dataset.files):
        relative = relative_to_data(path, data_dir)
        if relative is not None and relative not in entries:
            size, digest = _size_and_hash(data_dir / relative, data_dir, stored, hashed)
            entries[relative] = {"path": relative, "size": size, "sha256": digest}
    return [entries[k] for k in sorted(entries)]


def output_entries(folder: Path, names: list[str], known: dict[str, str] | None = None) -> list[dict[str, object]]:
    """Files written by the run in `folder`: path (name), size, sha256 (from `known`, name ->
    digest, for a file hashed as it was written)."""
    known = known or {}
    return [{"path": name, "size": (Path(folder) / name).stat().st_size,
             "sha256": known.get(name) or sha256_of_file(Path(folder) / name)} for name in names]


def provenance_record(dataset: Dataset, kind: str, years: list[int], level: str | None,
                      kode_wilayah: str | None, when: datetime.datetime,
                      outputs: list[dict[str, object]] | None = None) -> dict[str, object]:
    """The provenance record of a run (format PROVENANCE_FORMAT, see above)."""
    from ..ingest.store import library_versions

    data_dir, in_project = data_dir_parameter(Path(dataset.data_dir))
    stored = _stored(dataset)
    return {
        "format": PROVENANCE_FORMAT,
        "kind": kind,
        "iku": __version__,
        "python": platform.python_version(),
        "libraries": dict(library_versions()),
        "created": when.replace(microsecond=0).isoformat(),
        "parameters": {"years": [int(y) for y in years], "level": level,
                       "kode_wilayah": None if kode_wilayah is None else str(kode_wilayah),
                       "data_dir": data_dir, "data_dir_in_project": in_project},
        "catalog": catalog_entry(dataset),
        "files": data_file_entries(dataset),
        "store": None if stored is None else {"manifest": store_display(stored), "sha256": stored.sha256},
        "outputs": list(outputs or []),
    }


def provenance_text(record: dict[str, object]) -> str:
    """The record as the file holds it: indented JSON, keys in the record's order, UTF-8 text."""
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


def write_provenance(path: Path, record: dict[str, object]) -> Path:
    """Write `record` to `path` (atomically)."""
    text = provenance_text(record)
    return atomic_write(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_report_provenance(dataset: Dataset, year: int, folder: Path, when: datetime.datetime,
                            kode_wilayah: str | None = None, outputs: list[str] | None = None) -> str:
    """`folder/provenance.json` for the annual report of `year` (the whole register, or the area
    `kode_wilayah`), naming the files `outputs` already written in `folder`; its name."""
    from .annual import find_area
    from .tables import top_level

    level = top_level(dataset) if kode_wilayah is None else find_area(dataset, str(kode_wilayah)).level
    record = provenance_record(dataset, ANNUAL, [year], level, kode_wilayah, when,
                               output_entries(folder, list(outputs or [])))
    write_provenance(Path(folder) / PROVENANCE_FILE, record)
    return PROVENANCE_FILE


def compute_provenance_path(out: Path) -> Path:
    """Where `iku compute --out X` writes its record: `X.provenance.json` beside X."""
    return Path(out).with_name(Path(out).name + COMPUTE_SUFFIX)


def write_compute_provenance(dataset: Dataset, years: list[int], level: str | None, out: Path,
                             when: datetime.datetime | None = None, sha256: str | None = None) -> Path:
    """`X.provenance.json` beside the table `iku compute` wrote to `out` (`sha256`: its digest, when
    it was hashed as it was written)."""
    out = Path(out)
    record = provenance_record(dataset, COMPUTE, years, level, None, when or datetime.datetime.now(),
                               output_entries(out.parent, [out.name], {out.name: sha256} if sha256 else None))
    return write_provenance(compute_provenance_path(out), record)
