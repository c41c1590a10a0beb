"""Quarter (triwulan) data of one year, read with the annual readers.

A year folder may hold quarter folders `triwulan-1` .. `triwulan-4` (names: `triwulan`); each
holds that quarter's own values (not cumulated), in the same formats and layouts as the year's
files: desa tables (key column `desa`) and realisasi forms (key column `indikator`). The annual
reader never takes them as annual data (`dataset._not_read` passes them over and refuses a
folder such as `triwulan-5` by name). They are read here, file by file, by the very functions
that read a year folder (`dataset._read_year_file`, `stage.settle_observations`), one quarter at
a time, so every rule of the annual data (formats, cells, desa names, repeated values) holds.

Besides the quarter folders: `realisasi.csv` rows with a `triwulan` (cumulative directly reported
values to that quarter) and `target.csv` rows with a `triwulan` (cumulative quarterly targets).
Their problems are the dataset's own (`load_dataset` reads the whole files), so they are not
repeated here.

Quarter data is read from the raw files on every call (it is small: a few files a quarter) and
is not kept in the processed store. How quarters add up to date is `engine.quarterly`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..problems import Problem, error, errors, warning
from .database import OBSERVATION_COLUMNS, connect, observation_frame
from .dataset import Dataset, _not_read, _read_year_file, area_index, data_files, year_dirs
from .direct import DIRECT_COLUMNS, empty_direct, is_direct_file, read_direct, settle
from .reading import DATA_SUFFIXES
from .register import DesaLookup
from .targets import TARGET_COLUMNS, read_targets
from .triwulan import COLUMN as QUARTER, folder_name, folder_quarter, is_quarter_like
from .stage import Stage, settle_observations

# One row per value read from a quarter folder: the quarter's own value (not cumulated).
QUARTER_OBSERVATION_COLUMNS = OBSERVATION_COLUMNS[:1] + [QUARTER] + OBSERVATION_COLUMNS[1:]


def empty_observations() -> pd.DataFrame:
    """A table of quarter observations with no row."""
    return pd.DataFrame(columns=QUARTER_OBSERVATION_COLUMNS).astype(
        {"tahun": int, QUARTER: int, "nilai": float, "baris": int})


@dataclass
class QuarterData:
    """The quarter data of one year of a data directory."""

    year: int
    year_folder: Path | None  # `<tahun>/`, None when the data directory has none
    folders: dict[int, Path]  # quarter -> its folder, for every quarter folder there (with files or not)
    observations: pd.DataFrame  # QUARTER_OBSERVATION_COLUMNS, in the order read
    direct: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DIRECT_COLUMNS + [QUARTER]))
    targets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TARGET_COLUMNS + [QUARTER]))
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    with_files: tuple[int, ...] = ()  # the quarters whose folder holds data files
    desa_based: bool = True  # the catalog has indicators computed from desa data

    @property
    def quarters(self) -> list[int]:
        """The quarters with data: those whose folder holds data files; for a catalog of directly
        reported indicators only, also those `realisasi.csv` gives a value for (as with years)."""
        given = set() if self.desa_based else {int(q) for q in self.direct[QUARTER]}
        return sorted(set(self.with_files) | given)

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)

    def complete_year(self) -> bool:
        """All four quarter folders hold data files (then the year's values must equal quarter 4's)."""
        return set(self.with_files) == {1, 2, 3, 4}


def quarter_dirs(year_folder: Path, data_dir: Path, year: int) -> tuple[dict[int, Path], list[Problem]]:
    """The quarter folders of a year folder, quarter -> folder, and an error for two folders of
    one quarter (`triwulan-1` and `Triwulan 1`: read twice, its values would count twice). A
    folder such as `triwulan-5` is left out here: the year folder's check refuses it by name."""
    found: dict[int, Path] = {}
    problems: list[Problem] = []
    for path in sorted(year_folder.iterdir()):
        if not path.is_dir() or not is_quarter_like(path.name):
            continue
        quarter = folder_quarter(path.name)
        if quarter is None:
            continue
        if quarter in found:
            problems.append(error(f'folder "{found[quarter].name}" dan "{path.name}" sama-sama triwulan {quarter} '
                                  f"tahun {year}; satukan isinya dalam satu folder {folder_name(quarter)}",
                                  berkas=path.relative_to(data_dir).as_posix() + "/", tahun=year,
                                  kode="folder_triwulan_ganda"))
            continue
        found[quarter] = path
    return found, problems


def _year_quarter_dirs(data_dir: Path, year: int) -> tuple[Path | None, dict[int, Path], list[Problem]]:
    """The year folder of `year` (None when there is none), its quarter folders, their problems."""
    year_folder = dict(year_dirs(data_dir)).get(year) if data_dir.is_dir() else None
    folders, problems = quarter_dirs(year_folder, data_dir, year) if year_folder is not None else ({}, [])
    return year_folder, folders, problems


def quarter_file_paths(dataset: Dataset, year: int) -> list[Path]:
    """The files `read_quarters(dataset, year)` reads (its `files`), in its order, found without
    reading them: for a report's list of files used."""
    _, folders, _ = _year_quarter_dirs(Path(dataset.data_dir), int(year))
    return [path for _, folder in sorted(folders.items()) for path in data_files(folder)]


def read_quarters(dataset: Dataset, year: int) -> QuarterData:
    """The quarter data of `year` in the dataset's data directory: every quarter folder read,
    the quarterly rows of `realisasi.csv` and `target.csv`. Never raises for bad data: the
    problems of the quarter folders are in `problems`."""
    data_dir, catalog, register = Path(dataset.data_dir), dataset.catalog, dataset.register
    year = int(year)
    year_folder, folders, problems = _year_quarter_dirs(data_dir, year)
    areas = area_index(register, catalog)
    lookup = DesaLookup(register)
    parts, direct_parts, files, with_files = [empty_observations()], [], [], []
    for quarter, folder in sorted(folders.items()):
        problems += _not_read(data_dir, folder, year)
        paths = data_files(folder)
        if not paths:
            problems.append(warning(f"folder triwulan tidak berisi berkas data ({', '.join(DATA_SUFFIXES)})",
                                    berkas=folder.relative_to(data_dir).as_posix() + "/", tahun=year,
                                    kode="triwulan_kosong"))
            continue
        with_files.append(quarter)
        observations, direct, found = _read_quarter(dataset, year, paths, areas, lookup)
        files += paths
        problems += found
        observations.insert(1, QUARTER, quarter)
        parts.append(observations)
        direct_parts += [frame.assign(**{QUARTER: quarter}) for frame in direct]
    direct, found = _direct(data_dir, dataset, year, areas, direct_parts)
    problems += found
    top = list(areas.values())[-1][0] if areas else None
    targets, _ = read_targets(data_dir, catalog.ids, set(areas), top_codes=[c for c, (lvl, _) in areas.items()
                                                                             if lvl == top], quarterly=True)
    targets = targets[targets["tahun"] == year].reset_index(drop=True)
    observations = pd.concat(parts, ignore_index=True)
    return QuarterData(year, year_folder, folders, observations, direct, targets, files, problems,
                       tuple(with_files), bool(catalog.desa_ids))


def _read_quarter(dataset: Dataset, year: int, paths: list[Path], areas: dict, lookup: DesaLookup
                  ) -> tuple[pd.DataFrame, list[pd.DataFrame], list[Problem]]:
    """One quarter folder's files, read as a year folder's are (in a database of their own, so
    that a value given twice is settled within the quarter): observations, realisasi forms, problems."""
    db = connect()
    try:
        stage = Stage(db, dataset.register, dataset.catalog)
        problems: list[Problem] = []
        direct: list[pd.DataFrame] = []
        for path in paths:
            label = path.relative_to(dataset.data_dir).as_posix()
            problems += _read_year_file(path, label, year, dataset.catalog, lookup, areas, stage, direct, set())
        problems += settle_observations(db, stage.name, dataset.register)
        return observation_frame(db, "observations"), direct, problems
    finally:
        db.close()


def _direct(data_dir: Path, dataset: Dataset, year: int, areas: dict,
            from_folders: list[pd.DataFrame]) -> tuple[pd.DataFrame, list[Problem]]:
    """The directly reported values of the year's quarters: the `triwulan` rows of `realisasi.<ext>`
    and the realisasi forms of the quarter folders, one per indicator, area and quarter (a value
    given twice with different numbers is an error naming every place, as for a year)."""
    parts = [empty_direct().assign(**{QUARTER: pd.Series(dtype=int)})] + from_folders
    for path in sorted(p for p in data_dir.iterdir()
                       if p.is_file() and is_direct_file(p) and p.suffix.lower() in DATA_SUFFIXES):
        frame, _ = read_direct(path, path.name, dataset.catalog, areas, quarterly=True)  # its problems: the dataset's
        parts.append(frame)
    given = pd.concat(parts, ignore_index=True)
    given = given[given["tahun"] == year]
    settled, problems = [], []
    for quarter, group in given.groupby(QUARTER, sort=True):
        frame, found = settle(group.drop(columns=QUARTER).reset_index(drop=True))
        settled.append(frame.assign(**{QUARTER: int(quarter)}))
        problems += found
    out = pd.concat([parts[0], *settled], ignore_index=True) if settled else parts[0]
    return out.astype({QUARTER: int}).reset_index(drop=True), problems
