"""Where quarterly numbers come from: the quarter files read, and the provenance record of
`iku compute --triwulan N --out X`.

Quarter files (`<tahun>/triwulan-<n>/`) are read from the raw folder on each quarter
computation and are not in the processed store (`ingest.quarters`), so `dataset.files` does not
name them; here they are hashed where they lie.

`iku compute --year Y --triwulan N --out X` writes `X.provenance.json` as `iku compute --out X`
does (`provenance.write_compute_provenance`, format "iku-provenance/1", kind "compute"), with
two additions: `parameters` holds `triwulan` (after `years`), and `files` holds the year's
quarter files too (path, size, sha256, sorted by path with the others).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd

from ..hashing import sha256_of_file
from ..ingest.dataset import Dataset
from ..ingest.quarters import QuarterData
from ..project import find_project
from .provenance import (COMPUTE, compute_provenance_path, display_path, output_entries, provenance_record,
                         relative_to_data, write_provenance)


def quarter_files(dataset: Dataset, files: list[Path]) -> pd.DataFrame:
    """The quarter files read (`QuarterData.files`), in the order read: `berkas` (as a report
    shows it), `ukuran` (bytes), `sha256`."""
    data_dir = Path(dataset.data_dir)
    project = find_project(data_dir)
    root = project.root if project else None
    paths = [Path(p) for p in files]
    return pd.DataFrame({"berkas": [display_path(p, data_dir, root) for p in paths],
                         "ukuran": [p.stat().st_size for p in paths],
                         "sha256": [sha256_of_file(p) for p in paths]}, columns=["berkas", "ukuran", "sha256"])


def with_quarter_files(files: pd.DataFrame, quarter: pd.DataFrame) -> pd.DataFrame:
    """A report's files table (`provenance.files_used`) followed by the quarter files."""
    return pd.concat([files, quarter], ignore_index=True)


def quarter_compute_record(dataset: Dataset, quarters: QuarterData, triwulan: int, level: str | None, out: Path,
                           when: datetime.datetime) -> dict[str, object]:
    """The provenance record of `iku compute --year <quarters.year> --triwulan <triwulan> --out <out>`."""
    out = Path(out)
    record = provenance_record(dataset, COMPUTE, [quarters.year], level, None, when,
                               output_entries(out.parent, [out.name]))
    parameters = {}
    for key, value in record["parameters"].items():
        parameters[key] = value
        if key == "years":
            parameters["triwulan"] = int(triwulan)
    record["parameters"] = parameters
    entries = {e["path"]: e for e in record["files"]}
    data_dir = Path(dataset.data_dir)
    for path in map(Path, quarters.files):
        relative = relative_to_data(path, data_dir)
        if relative is not None:
            entries[relative] = {"path": relative, "size": path.stat().st_size, "sha256": sha256_of_file(path)}
    record["files"] = [entries[k] for k in sorted(entries)]
    return record


def write_quarter_compute_provenance(dataset: Dataset, quarters: QuarterData, triwulan: int, level: str | None,
                                     out: Path, when: datetime.datetime | None = None) -> Path:
    """`X.provenance.json` beside the quarter table `iku compute --triwulan` wrote to `out`."""
    record = quarter_compute_record(dataset, quarters, triwulan, level, out, when or datetime.datetime.now())
    return write_provenance(compute_provenance_path(out), record)


def files_with_quarters(dataset: Dataset, years: list[int], year: int) -> pd.DataFrame:
    """`provenance.files_used(dataset, years)`, followed by the quarter files of `year` (none
    when it has no quarter folder): the files of an annual report that shows the quarterly path."""
    from ..ingest.quarters import quarter_file_paths
    from .provenance import files_used

    # the paths only: the files are not parsed again for their list (the report's quarterly section read them)
    return with_quarter_files(files_used(dataset, years), quarter_files(dataset, quarter_file_paths(dataset, year)))
