"""A data directory, read whole: catalog, register, targets and every year's values.

`load_dataset` never raises for bad data: it returns a `Dataset` whose `problems` list
every error and warning found, so that one run reports them all, including values far from
the same desa's other years (`outliers`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import duckdb

from .catalog import CATALOG_FILE, Catalog, load_catalog
from .database import OBSERVATION_COLUMNS, connect, observation_frame, store_observations
from .direct import KEY as DIRECT_KEY
from .direct import empty_direct, is_direct_file, missing_years, read_direct, settle
from ..exceptions import DataError, ParameterError
from ..formatting import angka
from .outliers import find_outliers
from .parsing import CellError, is_blank, parse_cell
from ..project import default_raw_dir
from ..problems import Problem, error, errors, warning
from .reading import DATA_SUFFIXES, UNSUPPORTED_SPREADSHEETS, read_tables, unsupported_message
from .register import PARENT_LEVELS, REGISTER_FILE, DesaLookup, desa_key, read_register
from .targets import TARGET_FILE, read_targets

DESA_COLUMN = "desa"
# Columns that often stand beside the data in delivered sheets and carry no value to use.
IGNORED_COLUMNS = {"no", "nomor", "no_urut", "keterangan", "ket", "catatan", "kode_desa", "nama_desa",
                   *(c for _, code, name in PARENT_LEVELS for c in (code, name))}



@dataclass
class Dataset:
    """Everything read from one data directory.

    The observations live in an in-process DuckDB database (`db`, tables `observations` and
    `repeated`, see `engine_db`); `observations` and `repeated` give them as pandas DataFrames.
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
        return errors(self.problems)

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
        obs = self.observations[self.observations["tahun"] == year]
        desa = pd.Index(self.register["kode_desa"], name="kode_desa")
        variables = list(self.catalog.variables)
        rows = desa.get_indexer(obs["kode_desa"])
        cols = pd.Index(variables).get_indexer(obs["variabel"].astype(object))
        keep = np.flatnonzero((rows >= 0) & (cols >= 0))[::-1]  # reversed: the first value given wins
        wide = np.full((len(desa), len(variables)), np.nan)
        wide[rows[keep], cols[keep]] = obs["nilai"].to_numpy(dtype=float)[keep]
        return pd.DataFrame(wide, index=desa, columns=variables)


def year_dirs(data_dir: Path) -> list[tuple[int, Path]]:
    return sorted((int(p.name), p) for p in Path(data_dir).iterdir()
                  if p.is_dir() and re.fullmatch(r"\d{4}", p.name))


def _skipped_quietly(path: Path) -> bool:
    """Hidden files (LibreOffice's `.~lock.*#` among them), Excel's `~$` lock files and READMEs carry no data."""
    return path.name.startswith(("~$", ".")) or path.name.lower().startswith("readme")


def data_files(folder: Path) -> list[Path]:
    """Delivered data files (DATA_SUFFIXES: text and spreadsheets) in a year folder (Excel's `~$` lock
    files and hidden files skipped)."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in DATA_SUFFIXES and not _skipped_quietly(p))


def _not_read(data_dir: Path, folder: Path | None, year: int | None) -> list[Problem]:
    """Report what sits in the data directory but is not read, so nothing is dropped unseen.

    `folder` None: the top level; else a year folder.
    """
    problems: list[Problem] = []
    base = folder if folder is not None else data_dir
    for p in sorted(base.iterdir()):
        if _skipped_quietly(p):
            continue
        label = p.relative_to(data_dir).as_posix() + ("/" if p.is_dir() else "")
        suffix = p.suffix.lower()
        if folder is None:
            if p.is_dir():
                if not re.fullmatch(r"\d{4}", p.name):
                    problems.append(warning("folder ini tidak dibaca: nama folder data harus tahun empat angka, "
                                            "misalnya 2023", berkas=label, kode="folder_tidak_dibaca"))
            elif p.name not in (REGISTER_FILE, TARGET_FILE, CATALOG_FILE) and not (is_direct_file(p) and suffix in DATA_SUFFIXES) and (
                    suffix in DATA_SUFFIXES or suffix in UNSUPPORTED_SPREADSHEETS):
                problems.append(warning("berkas data di luar folder tahun tidak dibaca; pindahkan ke folder "
                                        "tahunnya (misalnya 2023/)", berkas=label, kode="berkas_tidak_dibaca"))
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
            for c, n in zip(register[code], register[name]):
                if c is not None and str(c) not in areas:
                    areas[str(c)] = (level, "" if n is None else str(n))
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
                    areas: dict[str, tuple[str, str]], records: list[pd.DataFrame],
                    direct: list[pd.DataFrame]) -> list[Problem]:
    """One file of a year folder: desa values (key column `desa`), or else directly reported
    values (key column `indikator`, e.g. the realisasi form of `iku template`)."""
    tables, found = read_tables(path, label, DESA_COLUMN)
    if not tables and any(p.kode == "tanpa_kolom_kunci" for p in found):
        direct_tables, direct_found = read_tables(path, label, DIRECT_KEY)
        if direct_tables:
            frame, found_in_rows = read_direct(path, label, catalog, areas, year, direct_tables)
            direct.append(frame)
            return direct_found + found_in_rows
    problems = list(found)
    for table in tables:
        problems += _read_values(table, year, catalog, lookup, records)
    return problems


def load_dataset(data_dir: Path | str | None = None) -> Dataset:
    """Read a data directory (default: the current project's `data/raw`, see `project`).

    Raises ParameterError when the directory does not exist and CatalogError for an
    unusable catalog; every problem in the data itself is returned in `problems`.
    """
    data_dir = Path(data_dir) if data_dir is not None else default_raw_dir()
    if not data_dir.exists():
        raise ParameterError(f"direktori data {data_dir} tidak ada")
    if not data_dir.is_dir():
        raise ParameterError(f"{data_dir} bukan direktori; berikan direktori data (berisi desa.csv, target.csv "
                             "dan folder tahun)")
    catalog = load_catalog(data_dir)
    problems: list[Problem] = []
    if catalog.desa_ids or (data_dir / REGISTER_FILE).exists():
        register, found = read_register(data_dir)
        problems += found
    else:  # a catalog of directly reported indicators only needs no desa register
        register = pd.DataFrame(columns=["kode_desa", "nama_desa"], dtype=object)
    areas = area_index(register, catalog)
    targets, found = read_targets(data_dir, catalog.ids, set(areas))
    problems += found
    problems += _not_read(data_dir, None, None)
    files = [data_dir / name for name in (REGISTER_FILE, TARGET_FILE) if (data_dir / name).is_file()]
    if catalog.path.parent == data_dir:
        files.insert(0, catalog.path)
    direct_parts, found = _read_top_direct(data_dir, catalog, areas, files)
    problems += found
    lookup = DesaLookup(register)
    records: list[pd.DataFrame] = []
    years = []
    for year, folder in year_dirs(data_dir):
        problems += _not_read(data_dir, folder, year)
        paths = data_files(folder)
        if not paths:
            problems.append(warning(f"folder tahun tidak berisi berkas data ({', '.join(DATA_SUFFIXES)})",
                                    berkas=f"{folder.name}/",
                                    tahun=year, kode="tahun_kosong"))
            continue
        years.append(year)
        for path in paths:
            files.append(path)
            label = path.relative_to(data_dir).as_posix()
            problems += _read_year_file(path, label, year, catalog, lookup, areas, records, direct_parts)
    # object columns keep None as None (pandas would otherwise infer a string dtype with NaN)
    if records:
        observations = pd.concat(records, ignore_index=True)
        records.clear()
        observations["lembar"] = observations["lembar"].astype(object).where(observations["lembar"].notna(), None)
    else:
        observations = pd.DataFrame(columns=OBSERVATION_COLUMNS, dtype=object)
    for column, dtype in (("tahun", int), ("nilai", float), ("baris", int)):
        observations[column] = observations[column].astype(dtype)
    # file, column and variable names repeat on every row: held once each (memory)
    for column in ("variabel", "berkas", "kolom"):
        observations[column] = observations[column].astype("category")
    key = ["tahun", "kode_desa", "variabel"]
    given_twice = observations.duplicated(subset=key, keep=False)
    twice = observations[given_twice]
    problems += _conflicts(twice, register)
    again = pd.Series(False, index=observations.index)
    again[twice.index[twice.duplicated(subset=key)]] = True
    repeated = observations[again].reset_index(drop=True)
    observations = observations[~again].reset_index(drop=True)
    problems += find_outliers(observations, register, catalog)
    direct, found = settle(pd.concat([empty_direct(), *direct_parts], ignore_index=True))
    problems += found
    years, found = _years_with_direct(years, direct, catalog)
    problems += found
    problems += missing_years(direct, catalog, years, areas)
    problems += _targets_without_data(targets, years, catalog)
    db = connect()
    store_observations(db, "observations", observations)
    store_observations(db, "repeated", repeated)
    return Dataset(data_dir, catalog, register, targets, db, years, files, problems, direct)


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


TOTAL_ROW_WORDS = {"jumlah", "total", "jumlah total", "total kecamatan", "jumlah kecamatan", "kecamatan"}


def _unknown_desa_message(raw: object, lookup: DesaLookup) -> str:
    text = str(raw).strip()
    if re.fullmatch(r"\d+(?:[.,]\d+)?[eE][+-]?\d+", text):
        return ("kode desa tertulis dalam notasi ilmiah (E+..) sehingga angkanya terpotong; format kolom desa "
                "sebagai Teks di Excel lalu ketik ulang kodenya")
    if desa_key(text) in TOTAL_ROW_WORDS:
        return "baris jumlah/total tidak boleh ada; hapus baris ini (jumlah kecamatan dihitung oleh program)"
    if re.fullmatch(r"\d+(?:\.0+)?", text):
        return (f"kode desa tidak ada di daftar desa ({REGISTER_FILE}); periksa kodenya, atau tambahkan desa ini "
                f"ke {REGISTER_FILE}")
    hint = lookup.suggest(raw)
    if hint:
        return f"desa tidak ada di daftar desa; mungkin maksudnya {hint}?"
    return (f"desa tidak ada di daftar desa ({REGISTER_FILE}); periksa ejaannya, atau tambahkan desa ini ke "
            f"{REGISTER_FILE} bila memang termasuk wilayah ini")


def _blank_mask(column: pd.Series) -> np.ndarray:
    """True where a cell is blank (None, NaN, or only spaces), for a whole column at once."""
    cells = column.to_numpy(dtype=object)
    missing = pd.isna(cells)
    spaces = np.fromiter((isinstance(v, str) and (not v or v.isspace()) for v in cells), bool, len(cells))
    return missing | spaces


_DIGITS = re.compile(r"\d+")


def _parse_column(column: pd.Series, kind: str, wanted: np.ndarray) -> tuple[np.ndarray, list[tuple[int, object, str]]]:
    """Values of `column` as floats (NaN where blank or not wanted) and the cells that fail.

    Plain digit strings, the bulk of any delivery, are converted at once (for a flag only "0"
    and "1"); `parse_cell` reads every other cell, with its rules and messages.
    """
    values = np.full(len(column), np.nan)
    cells = column.tolist()
    failures = []
    for i in np.flatnonzero(wanted).tolist():
        v = cells[i]
        if isinstance(v, str) and _DIGITS.fullmatch(v) and (kind != "flag" or v in ("0", "1")):
            values[i] = float(v)
            continue
        try:
            parsed = parse_cell(v, kind)
        except CellError as exc:
            failures.append((i, v, str(exc)))
            continue
        if parsed is not None:
            values[i] = parsed
    return values, failures


def _read_values(table, year: int, catalog: Catalog, lookup: DesaLookup,
                 records: list[pd.DataFrame]) -> list[Problem]:
    """Turn a table's rows into observations; report every row that gives nothing to use."""
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
        return problems
    register_empty = not lookup.by_code
    frame = table.frame
    n = len(frame)
    rows = frame.index.to_numpy()
    desa_col = table.columns_as_written[DESA_COLUMN]
    raw_desa = frame[DESA_COLUMN].tolist()
    blank_desa = np.fromiter((is_blank(v) for v in raw_desa), bool, n)
    blank_cells = np.column_stack([_blank_mask(frame[v]) for v in variables])
    has_values = ~blank_cells.all(axis=1)
    ambiguous = np.zeros(n, bool)
    codes: list[str | None] = [None] * n
    for i, v in enumerate(raw_desa):
        if not blank_desa[i]:
            ambiguous[i], codes[i] = lookup.resolve(v)
    read = ~blank_desa & ~ambiguous  # rows whose cells are read
    ordered: list[tuple[int, int, Problem]] = []  # (row position, order within the row, problem)
    seen: dict[str, int] = {}
    leftover: list[int] = []  # rows with neither a desa nor an IKU value, but something else
    for i in range(n):
        row, raw, code = int(rows[i]), raw_desa[i], codes[i]
        where = table.where(baris=row)
        if blank_desa[i]:
            if has_values[i]:
                ordered.append((i, 0, error("kolom desa kosong, padahal baris ini berisi nilai; isi nama atau kode "
                                            "desanya", kolom=desa_col, nilai="", tahun=year, kode="desa_kosong",
                                            **where)))
            else:
                leftover.append(row)
            continue
        if ambiguous[i]:
            ordered.append((i, 0, warning(f"desa ini tercantum lebih dari sekali di {REGISTER_FILE} (kode atau nama "
                                          f"ganda) sehingga baris ini tidak dibaca; betulkan {REGISTER_FILE} dahulu",
                                          kolom=desa_col, nilai=str(raw).strip(), tahun=year,
                                          kode="desa_ganda_di_register", **where)))
            continue
        if code is None:
            if lookup.shared_codes(raw):
                ordered.append((i, 0, error(
                    "nama desa ini dipakai oleh lebih dari satu desa di daftar desa (kode "
                    f"{', '.join(lookup.shared_codes(raw))}); tulis kode desanya di kolom desa", kolom=desa_col,
                    nilai=str(raw).strip(), tahun=year, kode="nama_desa_tidak_unik", **where)))
            elif not register_empty:
                ordered.append((i, 0, error(_unknown_desa_message(raw, lookup), kolom=desa_col,
                                            nilai=str(raw).strip(), tahun=year, kode="desa_tidak_dikenal", **where)))
            continue
        if code in seen:
            ordered.append((i, 0, warning(f"desa {lookup.names[code]} sudah tercantum di baris {seen[code]} "
                                          f"{'lembar' if table.lembar else 'berkas'} yang sama; setiap desa cukup satu "
                                          "baris", kolom=desa_col, nilai=str(raw).strip(), tahun=year,
                                          kode_desa=code, kode="desa_ganda", **where)))
        else:
            seen[code] = row
        if not has_values[i]:
            ordered.append((i, 0, warning(f"baris desa {lookup.names[code]} tidak berisi satu nilai pun; tidak ada "
                                          "yang dipakai dari baris ini", kolom=desa_col, nilai=str(raw).strip(),
                                          tahun=year, kode_desa=code, kode="baris_tanpa_nilai", **where)))
    code_array = np.array(codes, dtype=object)
    parts = []
    for j, variable in enumerate(variables):
        column = table.columns_as_written[variable]
        values, failures = _parse_column(frame[variable], catalog.variable_kind(variable), read & ~blank_cells[:, j])
        for i, raw, message in failures:
            ordered.append((i, 1 + j, error(message, kolom=column, nilai=str(raw).strip(), tahun=year,
                                            kode_desa=codes[i], kode="nilai_tidak_sah",
                                            **table.where(baris=int(rows[i])))))
        keep = np.flatnonzero(~np.isnan(values) & (code_array != None))  # noqa: E711 (element-wise)
        parts.append(pd.DataFrame({"_pos": keep, "_var": j, "tahun": year, "kode_desa": code_array[keep],
                                   "variabel": variable, "nilai": values[keep], "berkas": table.berkas,
                                   "lembar": table.lembar, "baris": rows[keep].astype(int), "kolom": column}))
    found = pd.concat(parts, ignore_index=True).sort_values(["_pos", "_var"], kind="stable")
    records.append(found.drop(columns=["_pos", "_var"]))
    ordered.sort(key=lambda t: (t[0], t[1]))
    problems += [p for _, _, p in ordered]
    if leftover:
        shown = ", ".join(map(str, leftover[:20])) + (" ..." if len(leftover) > 20 else "")
        which = "baris ini" if len(leftover) == 1 else f"baris {shown}"
        problems.append(warning(f"{which} tidak berisi desa maupun nilai IKU; diabaikan", tahun=year,
                                kode="baris_diabaikan", **table.where(baris=leftover[0])))
    return problems


def _show(x: float) -> str:
    return angka(x, 0) if float(x).is_integer() else angka(x, 2)


def _conflicts(observations: pd.DataFrame, register: pd.DataFrame) -> list[Problem]:
    """The same variable for the same desa and year given with different values: one error
    naming every place (file, sheet, row) and the value found there."""
    key = ["tahun", "kode_desa", "variabel"]
    counts = observations.groupby(key, observed=True)["nilai"].transform("nunique")
    names = dict(zip(register["kode_desa"], register["nama_desa"]))
    problems = []
    for _, group in observations[counts > 1].groupby(key, sort=True, observed=True):
        places = "; ".join(f"{r.berkas}{'' if r.lembar is None else ' lembar ' + str(r.lembar)} baris {r.baris} "
                           f"kolom {r.kolom}: {_show(r.nilai)}" for r in group.itertuples())
        first = group.iloc[0]
        problems.append(error(f"nilai {first['variabel']} Desa {names.get(first['kode_desa'], first['kode_desa'])} "
                              f"tahun {first['tahun']} berbeda di beberapa tempat ({places}); setiap nilai cukup "
                              "ditulis sekali, atau samakan nilainya",
                              berkas=first["berkas"], lembar=first["lembar"], baris=int(first["baris"]),
                              kolom=first["kolom"], nilai=_show(first["nilai"]), tahun=int(first["tahun"]),
                              kode_desa=first["kode_desa"], kode="nilai_bertentangan"))
    return problems
