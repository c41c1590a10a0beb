"""A data directory, read whole: catalog, register, targets and every year's values.

`load_dataset` never raises for bad data: it returns a `Dataset` whose `problems` list
every error and warning found, so that one run reports them all, including values far from
the same desa's other years (`outliers`).
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import duckdb

from .catalog import CATALOG_FILE, Catalog, load_catalog
from .database import compress_when_large, connect, observation_frame
from .direct import KEY as DIRECT_KEY
from .direct import empty_direct, is_direct_file, missing_years, read_direct, settle
from .ahead import ReadAhead
from .analisis import empty_analisis, read_analisis
from .anggaran import empty_anggaran, read_anggaran
from .coverage import missing_variables
from .lkjip import all_input_paths, is_lkjip_file
from .standar import empty_standar, read_standar
from ..exceptions import DataError, ParameterError
from ..hashing import start_file_hashes
from .outliers import find_outliers_sql, start_outliers
from ..project import default_raw_dir
from ..problems import Problem, error, errors, warning, warnings
from .reading import (DATA_SUFFIXES, UNSUPPORTED_SPREADSHEETS, not_a_regular_file, read_tables, skipped_message,
                      unsupported_message)
from .register import PARENT_LEVELS, REGISTER_FILE, DesaLookup, read_register_keys
from .targets import TARGET_FILE, read_targets
from .textsql import plain_text_table
from .triwulan import FOLDER_RULE, folder_quarter, is_quarter_like
from .stage import Stage, settle_observations, stage_observations
from .values import DESA_COLUMN, read_sql_values, read_values




@dataclass
class Dataset:
    """Everything read from one data directory.

    The observations live in an in-process DuckDB database (`db`, tables `observations` and
    `repeated`, see `database`); `observations` and `repeated` give them as pandas DataFrames.
    """

    data_dir: Path
    catalog: Catalog
    register: pd.DataFrame
    targets: pd.DataFrame
    db: "duckdb.DuckDBPyConnection"
    years: list[int]
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Values of the indicators reported directly (`direct.DIRECT_COLUMNS`), one per indicator,
    # year and area.
    direct: pd.DataFrame = field(default_factory=empty_direct)
    # The optional inputs of the LKjIP chapter (`analisis`, `standar`, `anggaran` modules): the
    # analyst's analysis per indicator and year, national/provincial standards, budget lines.
    analisis: pd.DataFrame = field(default_factory=empty_analisis)
    standar: pd.DataFrame = field(default_factory=empty_standar)
    anggaran: pd.DataFrame = field(default_factory=empty_anggaran)
    # Where the dataset is kept in the processed store (`store.Stored`), or None (not stored).
    store: object = field(default=None, repr=False, compare=False)
    # Warnings still being found on another thread (`outliers.start_outliers`) and their place in
    # `problems`; `problems` puts them there when first read.
    later: tuple[Future, int] | None = field(default=None, repr=False, compare=False)
    # The raw files hashed on another thread (`hashing.start_file_hashes`) in a run that stores
    # nothing, for its provenance record (`raw_hashes`); None otherwise.
    hashing: Future | None = field(default=None, repr=False, compare=False)

    def raw_hashes(self) -> dict[str, tuple[int, int, str]]:
        """What `hashing` found (`hashing.file_hashes`), waited for; {} without it."""
        return {} if self.hashing is None else self.hashing.result()

    @property
    def observations(self) -> pd.DataFrame:
        """One row per value read (OBSERVATION_COLUMNS), in the order the files give them."""
        return observation_frame(self.db, "observations")

    @property
    def repeated(self) -> pd.DataFrame:
        """Values given again, with the same value, for a desa, variable and year already read
        (e.g. `penduduk` in two files): used once; where the repeats were (OBSERVATION_COLUMNS)."""
        return observation_frame(self.db, "repeated")

    @property
    def errors(self) -> list[Problem]:
        """The errors among `problems`, without waiting for the warnings still being found (`later`)."""
        return errors(self._problems)

    def warning_count(self) -> int:
        """The number of warnings among `problems`, without writing out the outlier warnings still
        to be put in place (`later`: their number is known first, `outliers.LaterWarnings`)."""
        with _LATER:
            pending = len(self.later[0].result()) if self.later is not None else 0
        return len(warnings(self._problems)) + pending

    def require_valid(self) -> "Dataset":
        """Raise DataError listing every error, if there is any."""
        if self.errors:
            raise DataError(self.errors)
        return self

    def check_year(self, year: int) -> int:
        """`year` if the directory has data for it; ParameterError (naming the years there are) if not."""
        if isinstance(year, bool) or not isinstance(year, (int, np.integer)):
            raise ParameterError(f"tahun harus bilangan bulat empat angka, misalnya 2023 (bukan {year!r})")
        year = int(year)
        if year not in self.years:
            known = ", ".join(map(str, self.years)) or "tidak ada"
            raise ParameterError(f"tahun {year} tidak ada di {self.data_dir}; tahun yang tersedia: {known}")
        return year

    def values(self, year: int) -> pd.DataFrame:
        """That year's values, one row per register desa (register order), one column per variable.

        A register desa with no value for a variable holds NaN there.
        """
        desa = pd.Index(self.register["kode_desa"], name="kode_desa")
        variables = list(self.catalog.variables)
        columns = "".join(f", x{v}" for v in range(len(variables)))
        found = self.db.execute(f"SELECT p{columns} FROM _obs_wide WHERE tahun = ?", [int(year)]).fetchnumpy()
        wide = np.full((len(desa), len(variables)), np.nan)
        at = np.asarray(found["p"], dtype=np.int64)
        for v in range(len(variables)):
            wide[at, v] = np.ma.filled(np.ma.asarray(found[f"x{v}"], dtype=float), np.nan)
        return pd.DataFrame(wide, index=desa, columns=variables)


_LATER = threading.Lock()


def _problems(self: Dataset) -> list[Problem]:
    """Every error and warning found, in order (the outlier warnings of a run that stores nothing
    are put in their place, after the other warnings of reading, when first asked for)."""
    if self.later is not None:
        with _LATER:
            if self.later is not None:
                future, at = self.later
                self._problems[at:at] = future.result()
                self.later = None
    return self._problems


def _set_problems(self: Dataset, problems: list[Problem]) -> None:
    self._problems = problems


Dataset.problems = property(_problems, _set_problems, doc=_problems.__doc__)  # (a field: in `Dataset(...)`, eq, repr)


def year_dirs(data_dir: Path) -> list[tuple[int, Path]]:
    """The year folders: four digits 0-9; fullwidth digits (`２０２３`) are read as ASCII
    (`parsing.ascii_text`). Any other four digits (Arabic-Indic `٢٠٢٣`, which `int()` would
    quietly read) are refused with a message rather than guessed or skipped unseen."""
    from ..exceptions import IkuError
    from .parsing import ascii_text

    found = []
    for p in Path(data_dir).iterdir():
        name = ascii_text(p.name)
        if not p.is_dir() or not re.fullmatch(r"\d{4}", name):
            continue
        if not re.fullmatch("[0-9]{4}", name):
            raise IkuError(f'folder "{p.name}" di {data_dir}: nama folder tahun harus ditulis dengan angka 0-9, '
                           "misalnya 2023; ganti nama foldernya")
        found.append((int(name), p))
    found.sort()
    for (year, first), (other, second) in zip(found, found[1:]):
        if year == other:  # `2023` and `２０２３`: one year read twice would count its values twice
            raise IkuError(f'folder "{first.name}" dan "{second.name}" di {data_dir} sama-sama tahun {year}; '
                           f"satukan isinya dalam satu folder {year}")
    return found


def _skipped_quietly(path: Path) -> bool:
    """Hidden files (LibreOffice's `.~lock.*#` among them), Excel's `~$` lock files and READMEs carry no data
    (READMEs are skipped unseen; the others are named in a warning, `_hidden_message`)."""
    return path.name.startswith(("~$", ".")) or path.name.lower().startswith("readme")


def _hidden_message(path: Path) -> str | None:
    """Why a skipped hidden or lock file is not read (None for a README, which is expected there)."""
    name = path.name
    if name.lower().startswith("readme"):
        return None
    if name.startswith(("~$", ".~lock.")):
        return ("berkas kunci Excel/LibreOffice tidak dibaca: berkas aslinya mungkin sedang dibuka; simpan dan tutup "
                "berkas itu sebelum menjalankan iku agar perubahan terakhir ikut terbaca")
    kind = "folder" if path.is_dir() else "berkas"
    return f"{kind} tersembunyi (namanya diawali titik) tidak dibaca"


def data_files(folder: Path) -> list[Path]:
    """Delivered data files (DATA_SUFFIXES: text and spreadsheets) in a year folder (Excel's `~$` lock
    files and hidden files skipped). Only regular files (symlinks followed): a FIFO, socket,
    device or broken symlink is never opened (`_not_read` names it, `berkas_dilewati`)."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in DATA_SUFFIXES and not _skipped_quietly(p))  # S_ISREG


def _not_read(data_dir: Path, folder: Path | None, year: int | None) -> list[Problem]:
    """Report what sits in the data directory but is not read, so nothing is dropped unseen.

    `folder` None: the top level; else a year folder.
    """
    problems: list[Problem] = []
    base = folder if folder is not None else data_dir
    for p in sorted(base.iterdir()):
        if _skipped_quietly(p):
            hidden = _hidden_message(p)
            if hidden is not None:
                label = p.relative_to(data_dir).as_posix() + ("/" if p.is_dir() else "")
                problems.append(warning(hidden, berkas=label, tahun=year, kode="berkas_dilewati"))
            continue
        special = not_a_regular_file(p)  # a FIFO, socket, device or broken symlink: never opened
        if special is not None:
            problems.append(warning(skipped_message(special), berkas=p.relative_to(data_dir).as_posix(), tahun=year,
                                    kode="berkas_dilewati"))
            continue
        label = p.relative_to(data_dir).as_posix() + ("/" if p.is_dir() else "")
        suffix = p.suffix.lower()
        if folder is None:
            if p.is_dir():
                if not re.fullmatch(r"\d{4}", p.name):
                    problems.append(warning("folder ini tidak dibaca: nama folder data harus tahun empat angka, "
                                            "misalnya 2023", berkas=label, kode="folder_tidak_dibaca"))
            elif p.name not in (REGISTER_FILE, TARGET_FILE, CATALOG_FILE) and not is_lkjip_file(p) and not (
                    is_direct_file(p) and suffix in DATA_SUFFIXES) and (
                    suffix in DATA_SUFFIXES or suffix in UNSUPPORTED_SPREADSHEETS):
                problems.append(warning("berkas data di luar folder tahun tidak dibaca; pindahkan ke folder "
                                        "tahunnya (misalnya 2023/)", berkas=label, kode="berkas_tidak_dibaca"))
        elif p.is_dir() and folder.parent == data_dir and is_quarter_like(p.name):  # read by `quarters`, not here
            if folder_quarter(p.name) is None:
                problems.append(error(f'folder "{p.name}" tidak sah: {FOLDER_RULE}; ganti nama foldernya',
                                      berkas=label, tahun=year, kode="folder_triwulan_tidak_sah"))
        elif p.is_dir():
            problems.append(warning("subfolder tidak dibaca; letakkan berkasnya langsung di folder tahun",
                                    berkas=label, tahun=year, kode="folder_tidak_dibaca"))
        elif suffix in UNSUPPORTED_SPREADSHEETS:
            problems.append(error(unsupported_message(suffix), berkas=label, tahun=year, kode="format_tidak_didukung"))
        elif suffix not in DATA_SUFFIXES:
            problems.append(warning(f"berkas ini bukan berkas data ({', '.join(DATA_SUFFIXES)}) sehingga tidak dibaca",
                                    berkas=label, tahun=year, kode="berkas_tidak_dibaca"))
    return problems


def area_index(register: pd.DataFrame, catalog: Catalog) -> dict[str, tuple[str, str]]:
    """Every area above desa, code -> (level, name), lowest level first and in register order
    within a level; a register without parent columns is the catalog's one area."""
    areas: dict[str, tuple[str, str]] = {}
    for level, code, name in PARENT_LEVELS:
        if code in register.columns and name in register.columns:
            first = register.loc[register[code].notna(), [code, name]].drop_duplicates(code)  # (a look per area)
            for c, n in zip(map(str, first[code].tolist()), first[name].tolist()):
                if c not in areas:
                    areas[c] = (level, "" if n is None else str(n))
    if not areas:
        own = catalog.meta["wilayah"]
        areas[str(own["kode"])] = (own.get("level", "kecamatan"), str(own.get("nama", "")))
    return areas


def _read_top_direct(data_dir: Path, catalog: Catalog, areas: dict[str, tuple[str, str]],
                     files: list[Path]) -> tuple[list[pd.DataFrame], list[Problem]]:
    """The directly reported values in `realisasi.<ext>` at the top of the data directory."""
    parts, problems = [], []
    for path in sorted(p for p in data_dir.iterdir()
                       if p.is_file() and is_direct_file(p) and p.suffix.lower() in DATA_SUFFIXES):
        files.append(path)
        frame, found = read_direct(path, path.name, catalog, areas)
        if frame.empty and not catalog.direct_ids and not [p for p in found if p.is_error]:
            continue  # a header-only realisasi.csv (as `iku init` writes it) where nothing is expected
        parts.append(frame)
        problems += found
    return parts, problems


def _read_year_file(path: Path, label: str, year: int, catalog: Catalog, lookup: DesaLookup,
                    areas: dict[str, tuple[str, str]], stage: Stage, direct: list[pd.DataFrame],
                    columns: set[str]) -> list[Problem]:
    """One file of a year folder: desa values (key column `desa`), or else directly reported
    values (key column `indikator`, e.g. the realisasi form of `iku template`). A plain text
    file is read by DuckDB (`textsql`), any other by `reading`; the observations go to `stage`,
    the column names of its desa tables to `columns`."""
    plain = stage.ahead.table(path) if stage.ahead is not None else None
    if plain is None:
        plain = plain_text_table(stage.db, path, label, DESA_COLUMN, regular=True)
    if plain is not None:
        found = read_sql_values(plain, year, catalog, lookup, stage.db, stage.name, stage.next())
        if found is not None:
            columns.update(plain.columns)
            return found
    tables, found = read_tables(path, label, DESA_COLUMN)
    if not tables and any(p.kode == "tanpa_kolom_kunci" for p in found):
        direct_tables, direct_found = read_tables(path, label, DIRECT_KEY)
        if direct_tables:
            frame, found_in_rows = read_direct(path, label, catalog, areas, year, direct_tables)
            direct.append(frame)
            return direct_found + found_in_rows
    problems = list(found)
    for table in tables:
        columns.update(table.frame.columns)
        records: list[pd.DataFrame] = []
        problems += read_values(table, year, catalog, lookup, records)
        for frame in records:
            stage_observations(stage.db, stage.name, frame, stage.next())
    return problems


def load_dataset(data_dir: Path | str | None = None, *, processed_dir: Path | str | None = None,
                 store: bool = True) -> Dataset:
    """Read a data directory (default: the current project's `data/raw`, see `project`).

    Raises ParameterError when the directory does not exist and CatalogError for an
    unusable catalog; every problem in the data itself is returned in `problems`.

    The dataset comes from the processed store (`ingest.store`) when the data directory, the
    catalog and iku are unchanged since it was stored; otherwise the raw files are parsed
    (`_read_raw`) and the result stored. The store is kept in `processed_dir` when given
    (ParameterError when it lies inside the raw data), else in the processed folder of the
    project whose raw folder `data_dir` is (`data/processed`); a data directory that is no
    project's raw folder is parsed every time and nothing is written for it. `store=False`
    parses the raw files and reads or writes no store (a cold run). The dataset's `store`
    attribute says where it is kept (`store.Stored`: manifest, its SHA-256, whether it was
    reused), or is None.
    """
    from .store import choose_processed_dir, read_through

    data_dir = Path(data_dir) if data_dir is not None else default_raw_dir()
    processed = choose_processed_dir(data_dir, processed_dir) if store and data_dir.is_dir() else None
    if processed is None:
        dataset, stored = _read_raw(data_dir), None
    else:  # to be stored: the long observations written as they are read (`stage`), cheaper than later
        dataset, stored = read_through(data_dir, processed, partial(_read_raw, lazy=False), Dataset)
    dataset.store = stored
    return dataset


def _read_raw(data_dir: Path | str | None = None, lazy: bool = True) -> Dataset:
    """Read a data directory (default: the current project's `data/raw`, see `project`).

    Raises ParameterError when the directory does not exist and CatalogError for an
    unusable catalog; every problem in the data itself is returned in `problems`. `lazy`: the
    long observations of files read typed may be left unwritten (`stage`).
    """
    data_dir = Path(data_dir) if data_dir is not None else default_raw_dir()
    if not data_dir.exists():
        raise ParameterError(f"direktori data {data_dir} tidak ada")
    if not data_dir.is_dir():
        raise ParameterError(f"{data_dir} bukan direktori; berikan direktori data (berisi desa.csv, target.csv "
                             "dan folder tahun)")
    catalog = load_catalog(data_dir)
    problems: list[Problem] = []
    folders = [(year, folder, data_files(folder)) for year, folder in year_dirs(data_dir)]
    ahead = [(path, path.relative_to(data_dir).as_posix(), year) for year, _, paths in folders for path in paths]
    db = connect()
    # The year files are looked at (`ahead`) while the register is read, and read typed once its
    # codes are known, while the targets and the other small files are read here.
    with ReadAhead(db, catalog, ahead) as early:
        if catalog.desa_ids or (data_dir / REGISTER_FILE).exists():
            register, found, name_keys = read_register_keys(data_dir)
            problems += found
        else:  # a catalog of directly reported indicators only needs no desa register
            register, name_keys = pd.DataFrame(columns=["kode_desa", "nama_desa"], dtype=object), None
        lookup = DesaLookup(register, name_keys)
        stage = Stage(db, register, catalog, lazy=lazy)
        early.start(stage, lookup)
        areas = area_index(register, catalog)
        top = list(areas.values())[-1][0] if areas else None  # areas are lowest level first
        targets, found = read_targets(data_dir, catalog.ids, set(areas),
                                      top_codes=[c for c, (level, _) in areas.items() if level == top])
        problems += found
        problems += _not_read(data_dir, None, None)
        files = [data_dir / name for name in (REGISTER_FILE, TARGET_FILE) if (data_dir / name).is_file()]
        if catalog.path.parent == data_dir:
            files.insert(0, catalog.path)
        direct_parts, found = _read_top_direct(data_dir, catalog, areas, files)
        problems += found
        lkjip = {}  # the LKjIP chapter's optional inputs
        for name, read_inputs in (("analisis", read_analisis), ("standar", read_standar), ("anggaran", read_anggaran)):
            lkjip[name], found = read_inputs(data_dir, catalog.ids)
            problems += found
        files += all_input_paths(data_dir)
        years = []
        columns: dict[int, set[str]] = {}  # year -> the columns of its desa tables
        read: dict[int, list[str]] = {}  # year -> its files (labels)
        for year, folder, paths in folders:
            problems += _not_read(data_dir, folder, year)
            if not paths and any(q.is_dir() and folder_quarter(q.name) for q in folder.iterdir()):
                continue  # a year being monitored: its quarter folders only (read by `quarters`), no annual data yet
            if not paths:
                problems.append(warning(f"folder tahun tidak berisi berkas data ({', '.join(DATA_SUFFIXES)})",
                                        berkas=f"{folder.name}/",
                                        tahun=year, kode="tahun_kosong"))
                continue
            years.append(year)
            for path in paths:
                files.append(path)
                label = path.relative_to(data_dir).as_posix()
                read.setdefault(year, []).append(label)
                problems += _read_year_file(path, label, year, catalog, lookup, areas, stage, direct_parts,
                                            columns.setdefault(year, set()))
            if stage.long:  # rows written to the long table (stage): compress them (database.connect)
                db.execute("CHECKPOINT")
    problems += missing_variables(columns, read, years, catalog, problems)
    # the raw files hashed for the provenance record while settling keeps one core busy (a
    # stored dataset's manifest holds the hashes of what was read)
    hashing = start_file_hashes(files) if lazy else None
    problems += settle_observations(db, stage.name, register)
    compress_when_large(db)
    # Found on another thread in a run that stores nothing (it reads the tables, which only a
    # store writes again); put in place by `Dataset.problems`
    later = (start_outliers(db, register, catalog), len(problems)) if lazy else None
    if not lazy:
        problems += find_outliers_sql(db, register, catalog)
    direct, found = settle(pd.concat([empty_direct(), *direct_parts], ignore_index=True))
    problems += found
    years, found = _years_with_direct(years, direct, catalog)
    problems += found
    problems += missing_years(direct, catalog, years, areas)
    problems += _targets_without_data(targets, years, catalog)
    return Dataset(data_dir, catalog, register, targets, db, years, files, problems, direct, **lkjip, later=later,
                   hashing=hashing)


def _targets_without_data(targets: pd.DataFrame, years: list[int], catalog: Catalog) -> list[Problem]:
    """A warning for a target of a year that has no data although it should: a year before the
    latest year of data (a missing or misnamed folder), or after the Renstra period. A target
    for a later year of the period is a plan, not a problem."""
    period = catalog.meta.get("periode") or []
    end = int(period[-1]) if len(period) and str(period[-1]).isdigit() else None
    latest = max(years) if years else None
    problems = []
    for year in sorted({int(y) for y in targets["tahun"]} - set(years)):
        if (latest is not None and year < latest) or (end is not None and year > end):
            problems.append(warning(f"ada target untuk tahun {year} tetapi tidak ada folder data {year}/",
                                    berkas=TARGET_FILE, tahun=year, kode="target_tanpa_data"))
    return problems


def _years_with_direct(years: list[int], direct: pd.DataFrame, catalog: Catalog) -> tuple[list[int], list[Problem]]:
    """The years of the data: the year folders with files, and, for a catalog of directly
    reported indicators only, every year `realisasi` gives a value for. With desa-based
    indicators too, a direct value for a year without a folder is reported, not used."""
    given = sorted({int(y) for y in direct["tahun"]} - set(years))
    if not catalog.desa_ids:
        return sorted(set(years) | set(given)), []
    return years, [warning(f"ada nilai yang dilaporkan langsung untuk tahun {year} tetapi tidak ada folder data "
                           f"{year}/; nilai itu belum dipakai sampai data desa tahun {year} ada", tahun=year,
                           kode="nilai_langsung_tanpa_data") for year in given]
