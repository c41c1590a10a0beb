"""A data directory, read whole: catalog, register, targets and every year's values.

`load_dataset` never raises for bad data: it returns a `Dataset` whose `problems` list
every error and warning found, so that one run reports them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .catalog import Catalog, load_catalog
from .exceptions import DataError, ParameterError
from .parsing import CellError, is_blank, parse_cell
from .paths import RAW_DIR
from .problems import Problem, error, errors, warning
from .reading import DATA_SUFFIXES, read_tables
from .register import REGISTER_FILE, DesaLookup, read_register
from .targets import TARGET_FILE, read_targets

DESA_COLUMN = "desa"
# Columns that often stand beside the data in delivered sheets and carry no value to use.
IGNORED_COLUMNS = {"no", "nomor", "no_urut", "keterangan", "ket", "catatan", "kode_desa", "nama_desa"}
OBSERVATION_COLUMNS = ["tahun", "kode_desa", "variabel", "nilai", "berkas", "lembar", "baris", "kolom"]


@dataclass
class Dataset:
    """Everything read from one data directory."""

    data_dir: Path
    catalog: Catalog
    register: pd.DataFrame
    targets: pd.DataFrame
    observations: pd.DataFrame
    years: list[int]
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)

    def require_valid(self) -> "Dataset":
        """Raise DataError listing every error, if there is any."""
        if self.errors:
            raise DataError(self.errors)
        return self

    def check_year(self, year: int) -> int:
        if year not in self.years:
            known = ", ".join(map(str, self.years)) or "tidak ada"
            raise ParameterError(f"tahun {year} tidak ada di {self.data_dir}; tahun yang tersedia: {known}")
        return year

    def values(self, year: int) -> pd.DataFrame:
        """That year's values, one row per register desa (register order), one column per variable.

        A register desa with no value for a variable holds NaN there.
        """
        obs = self.observations[self.observations["tahun"] == year]
        wide = obs.pivot_table(index="kode_desa", columns="variabel", values="nilai", aggfunc="first")
        wide = wide.reindex(index=self.register["kode_desa"], columns=list(self.catalog.variables))
        wide.columns.name = None
        return wide.astype(float)


def year_dirs(data_dir: Path) -> list[tuple[int, Path]]:
    return sorted((int(p.name), p) for p in Path(data_dir).iterdir()
                  if p.is_dir() and re.fullmatch(r"\d{4}", p.name))


def data_files(folder: Path) -> list[Path]:
    """Delivered files in a year folder (Excel's `~$` lock files and hidden files skipped)."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in DATA_SUFFIXES and not p.name.startswith(("~$", ".")))


def load_dataset(data_dir: Path | str | None = None) -> Dataset:
    """Read a data directory (default: the project's data/raw)."""
    data_dir = Path(data_dir) if data_dir is not None else RAW_DIR
    if not data_dir.is_dir():
        raise ParameterError(f"direktori data {data_dir} tidak ada")
    catalog = load_catalog(data_dir)
    problems: list[Problem] = []
    register, found = read_register(data_dir)
    problems += found
    targets, found = read_targets(data_dir, catalog.ids)
    problems += found
    files = [data_dir / name for name in (REGISTER_FILE, TARGET_FILE) if (data_dir / name).is_file()]
    if catalog.path.parent == data_dir:
        files.insert(0, catalog.path)
    lookup = DesaLookup(register)
    records: list[dict] = []
    years = []
    for year, folder in year_dirs(data_dir):
        paths = data_files(folder)
        if not paths:
            problems.append(warning("folder tahun tidak berisi berkas .csv atau .xlsx", berkas=f"{folder.name}/",
                                    tahun=year, kode="tahun_kosong"))
            continue
        years.append(year)
        for path in paths:
            files.append(path)
            label = path.relative_to(data_dir).as_posix()
            tables, found = read_tables(path, label, DESA_COLUMN)
            problems += found
            for table in tables:
                problems += _read_values(table, year, catalog, lookup, records)
    observations = pd.DataFrame(records, columns=OBSERVATION_COLUMNS)
    problems += _conflicts(observations)
    observations = observations.drop_duplicates(subset=["tahun", "kode_desa", "variabel"]).reset_index(drop=True)
    for year in {int(y) for y in targets["tahun"]} - set(years):
        problems.append(warning(f"ada target untuk tahun {year} tetapi tidak ada folder data {year}/",
                                berkas=TARGET_FILE, tahun=year, kode="target_tanpa_data"))
    return Dataset(data_dir, catalog, register, targets, observations, years, files, problems)


def _read_values(table, year: int, catalog: Catalog, lookup: DesaLookup, records: list[dict]) -> list[Problem]:
    problems: list[Problem] = []
    variables = [c for c in table.frame.columns if c in catalog.variables]
    for column in table.frame.columns:
        if column != DESA_COLUMN and column not in catalog.variables and column not in IGNORED_COLUMNS:
            problems.append(warning("kolom tidak dikenal sebagai variabel IKU; kolom ini diabaikan",
                                    kolom=table.columns_as_written[column], tahun=year,
                                    kode="kolom_tidak_dikenal", **table.where(baris=table.header_row)))
    if not variables:
        problems.append(warning("tidak ada kolom variabel IKU; berkas ini tidak dipakai", tahun=year,
                                kode="tanpa_variabel", **table.where(baris=table.header_row)))
    for row, cells in table.frame.iterrows():
        raw_desa = cells[DESA_COLUMN]
        where = table.where(baris=int(row))
        if is_blank(raw_desa):
            if any(not is_blank(cells[v]) for v in variables):
                problems.append(error("kolom desa kosong, padahal baris ini berisi nilai", kolom="desa",
                                      nilai="", tahun=year, kode="desa_kosong", **where))
            continue
        code = lookup.find(raw_desa)
        if code is None:
            hint = lookup.suggest(raw_desa)
            more = f"; mungkin maksudnya {hint}?" if hint else f"; periksa {REGISTER_FILE}"
            problems.append(error(f"desa tidak ada di daftar desa{more}", kolom="desa", nilai=str(raw_desa),
                                  tahun=year, kode="desa_tidak_dikenal", **where))
            continue
        for variable in variables:
            raw = cells[variable]
            try:
                value = parse_cell(raw, catalog.variable_kind(variable))
            except CellError as exc:
                problems.append(error(str(exc), kolom=table.columns_as_written[variable], nilai=str(raw),
                                      tahun=year, kode_desa=code, kode="nilai_tidak_sah", **where))
                continue
            if value is not None:
                records.append({"tahun": year, "kode_desa": code, "variabel": variable, "nilai": value,
                                "berkas": table.berkas, "lembar": table.lembar, "baris": int(row),
                                "kolom": table.columns_as_written[variable]})
    return problems


def _conflicts(observations: pd.DataFrame) -> list[Problem]:
    """The same variable for the same desa and year given with different values."""
    key = ["tahun", "kode_desa", "variabel"]
    counts = observations.groupby(key)["nilai"].transform("nunique")
    problems = []
    for _, group in observations[counts > 1].groupby(key, sort=True):
        places = "; ".join(f"{r.berkas}{'' if r.lembar is None else ' lembar ' + r.lembar} baris {r.baris}: {r.nilai:g}"
                           for r in group.itertuples())
        first = group.iloc[0]
        problems.append(error(f"nilai {first['variabel']} untuk desa yang sama berbeda antarbaris/berkas ({places})",
                              berkas=first["berkas"], lembar=first["lembar"], baris=int(first["baris"]),
                              kolom=first["kolom"], tahun=int(first["tahun"]), kode_desa=first["kode_desa"],
                              kode="nilai_bertentangan"))
    return problems
