"""Indicator values per desa and for every level above it, with targets and grades.

Desa level: value = numerator / denominator x factor (denominator 1 for "number of desa"
indicators). Every level above: sum the numerators, sum the denominators, then divide
(DHIS2 practice; never an average of percentages). A zero denominator gives no value.
Missing values follow the indicator's policy (`kosong` in the catalog).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .capaian import add_capaian
from .catalog import NUMBER_OF_DESA, Catalog
from .dataset import Dataset
from .exceptions import ParameterError
from .register import PARENT_LEVELS
from .schemas import indicator_table_schema

COLUMNS = ["indikator", "tahun", "level", "kode_wilayah", "nama_wilayah", "pembilang", "penyebut",
           "nilai", "satuan", "target", "capaian", "predikat"]
# Why a desa row has no value or needs a look (empty when nothing to say).
NO_DATA = "tidak_ada_data"
MISSING_AS_ZERO = "kosong_dihitung_tidak_tercapai"
ZERO_DENOMINATOR = "penyebut_nol"
ABOVE_DENOMINATOR = "pembilang_melebihi_penyebut"


def levels_of(register: pd.DataFrame) -> list[str]:
    """The levels a register adds up to, lowest first: always `desa`, then its parents."""
    present = [lvl for lvl, code, name in PARENT_LEVELS if code in register.columns and name in register.columns]
    return ["desa"] + (present or ["kecamatan"])


def with_parents(register: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """The register with parent columns; a register without them is one area from the catalog."""
    out = register.copy()
    if not any(code in out.columns for _, code, _ in PARENT_LEVELS):
        area = catalog.meta["wilayah"]
        level = area.get("level", "kecamatan")
        out[f"kode_{level}"] = area["kode"]
        out[f"nama_{level}"] = area["nama"]
    return out


def desa_table(values: pd.DataFrame, register: pd.DataFrame, catalog: Catalog, year: int) -> pd.DataFrame:
    """One row per indicator per desa, with `dihitung` (counted in the sums) and `catatan`.

    `values` is indexed by kode_desa with one column per variable (NaN = no value).
    """
    names = register.set_index("kode_desa")["nama_desa"]
    frames = []
    for ident, ind in catalog.indicators.iterrows():
        num = values[ind["pembilang"]].to_numpy(dtype=float)
        per_desa = ind["penyebut"] == NUMBER_OF_DESA
        den = np.ones(len(values)) if per_desa else values[ind["penyebut"]].to_numpy(dtype=float)
        num_missing, den_missing = np.isnan(num), np.isnan(den)
        as_zero = (ind["kosong"] == "tidak_tercapai") & num_missing & ~den_missing
        counted = (~num_missing & ~den_missing) | as_zero
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(den > 0, num / den * ind["faktor"], np.nan)
        note = np.select(
            [as_zero, ~counted, den == 0, num > den],
            [MISSING_AS_ZERO, NO_DATA, ZERO_DENOMINATOR, ABOVE_DENOMINATOR], default="")
        frames.append(pd.DataFrame({
            "indikator": ident, "tahun": year, "level": "desa",
            "kode_wilayah": values.index.to_numpy(), "nama_wilayah": names.reindex(values.index).to_numpy(),
            "pembilang": num, "penyebut": den, "nilai": value, "satuan": ind["satuan"],
            "dihitung": counted, "catatan": note,
        }))
    return pd.concat(frames, ignore_index=True)


def aggregate(desa: pd.DataFrame, register: pd.DataFrame, catalog: Catalog, level: str) -> pd.DataFrame:
    """Sum numerators and denominators of counted desa rows into `level`, then divide.

    Areas come in register order within each indicator and year; groups are formed on
    integer positions (the register's areas, the indicators), not on the text codes.
    """
    _, code_col, name_col = next(p for p in PARENT_LEVELS if p[0] == level)
    area_of_desa, area_codes = pd.factorize(register[code_col], sort=False, use_na_sentinel=False)
    _, first_row = np.unique(area_of_desa, return_index=True)  # each area's first desa (codes are 0, 1, ...)
    area_names = register[name_col].to_numpy()[first_row]
    desa_pos = pd.Index(register["kode_desa"]).get_indexer(desa["kode_wilayah"])
    area = area_of_desa[desa_pos]
    counted = desa["dihitung"].to_numpy(dtype=bool)
    num = np.where(counted, np.nan_to_num(desa["pembilang"].to_numpy(dtype=float)), 0.0)
    den = np.where(counted, desa["penyebut"].to_numpy(dtype=float), 0.0)
    keys = [desa["indikator"].to_numpy(), desa["tahun"].to_numpy(), area]
    sums = (pd.DataFrame({"pembilang": num, "penyebut": den, "n": counted.astype(int)})
            .groupby(keys, sort=False).sum())
    sums.index.names = ["indikator", "tahun", "_area"]
    sums = sums.reset_index()
    sums["kode_wilayah"] = area_codes.to_numpy()[sums["_area"].to_numpy()]
    sums["nama_wilayah"] = area_names[sums["_area"].to_numpy()]
    sums = sums[["indikator", "tahun", "kode_wilayah", "pembilang", "penyebut", "n", "nama_wilayah"]]
    none_counted = sums["n"] == 0
    sums.loc[none_counted, ["pembilang", "penyebut"]] = np.nan
    factor = sums["indikator"].map(catalog.indicators["faktor"])
    with np.errstate(divide="ignore", invalid="ignore"):
        sums["nilai"] = np.where(sums["penyebut"] > 0, sums["pembilang"] / sums["penyebut"] * factor, np.nan)
    sums["level"] = level
    sums["satuan"] = sums["indikator"].map(catalog.indicators["satuan"])
    sums["dihitung"] = ~none_counted
    sums["catatan"] = np.where(none_counted, NO_DATA, np.where(sums["penyebut"] == 0, ZERO_DENOMINATOR, ""))
    return sums.drop(columns="n")


def attach_targets(table: pd.DataFrame, targets: pd.DataFrame, top_level: str) -> pd.DataFrame:
    """Targets for rows above desa: one for the area's own code, else the top level's general one."""
    out = table.copy()
    by_area = targets.dropna(subset=["kode_wilayah"]).set_index(["indikator", "tahun", "kode_wilayah"])["target"]
    general = targets[targets["kode_wilayah"].isna()].set_index(["indikator", "tahun"])["target"]
    areas = out[out["level"] != "desa"]  # desa rows have no target: not looked up
    own = by_area.reindex(pd.MultiIndex.from_arrays([areas["indikator"], areas["tahun"], areas["kode_wilayah"]]))
    top = general.reindex(pd.MultiIndex.from_arrays([areas["indikator"], areas["tahun"]]))
    top = pd.Series(top.to_numpy(), index=areas.index).where(areas["level"] == top_level)
    target = pd.Series(own.to_numpy(), index=areas.index).fillna(top)
    out["target"] = target.reindex(out.index).astype(float)
    return out


def compute_year(dataset: Dataset, year: int) -> pd.DataFrame:
    """Every indicator at every level for one year (columns COLUMNS + dihitung, catatan)."""
    catalog = dataset.catalog
    register = with_parents(dataset.register, catalog)
    desa = desa_table(dataset.values(year), register, catalog, year)
    levels = levels_of(register)
    parts = [desa] + [aggregate(desa, register, catalog, lvl) for lvl in levels[1:]]
    table = pd.concat(parts, ignore_index=True)
    table = attach_targets(table, dataset.targets, levels[-1])
    table = add_capaian(table, catalog)
    table = table[COLUMNS + ["dihitung", "catatan"]]
    return indicator_table_schema([label for _, label in catalog.grades]).validate(table)


def compute(dataset: Dataset, years: int | Iterable[int], level: str | None = None) -> pd.DataFrame:
    """The indicator table for `years` (one or several), all levels or only `level`.

    Raises DataError when the data has errors and ParameterError for an unknown year or level.
    """
    dataset.require_valid()
    years = [years] if isinstance(years, (int, np.integer, str)) else list(years)
    years = [dataset.check_year(y) for y in years]
    levels = levels_of(with_parents(dataset.register, dataset.catalog))
    if level is not None and level not in levels:
        raise ParameterError(f"level '{level}' tidak ada pada data ini; pilih salah satu: {', '.join(levels)}")
    table = pd.concat([compute_year(dataset, y) for y in years], ignore_index=True)
    if level is not None:
        table = table[table["level"] == level].reset_index(drop=True)
    return table
