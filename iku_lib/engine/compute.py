"""Indicator values per desa and for every level above it, with targets and grades.

Desa level: value = numerator / denominator x factor (denominator 1 for "number of desa"
indicators). Every level above: sum the numerators, sum the denominators, then divide
(DHIS2 practice; never an average of percentages). A zero denominator gives no value.
Missing values follow the indicator's policy (`kosong` in the catalog).

An indicator reported directly (`nilai: langsung`) has no desa rows and is not added up:
it has one row per year for each area it is reported for (`direct`), with its value as
`nilai` and no `pembilang`/`penyebut`; target, capaian and predikat as for any indicator.

`compute` returns the columns of `COLUMNS` (what `iku compute` writes) and, for the API,
`nama_indikator` beside the id and `dihitung`, `catatan`, `sumber_nilai` at the end
(`API_COLUMNS`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .capaian import add_capaian
from ..ingest.catalog import NUMBER_OF_DESA, Catalog
from ..ingest.dataset import Dataset, area_index
from ..ingest.direct import direct_areas
from ..exceptions import ParameterError
from ..ingest.register import PARENT_LEVELS
from .schemas import indicator_table_schema

COLUMNS = ["indikator", "tahun", "level", "kode_wilayah", "nama_wilayah", "pembilang", "penyebut",
           "nilai", "satuan", "target", "capaian", "predikat"]
# What the API returns: COLUMNS with the indicator's name beside its id, and at the end
# `dihitung` (the row counts in the sums above it), `catatan` (why a row has no value or
# needs a look: NO_DATA, ...) and `sumber_nilai` (where a directly reported value comes from).
API_COLUMNS = (COLUMNS[:1] + ["nama_indikator"] + COLUMNS[1:] + ["dihitung", "catatan", "sumber_nilai"])
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
    for ident, ind in catalog.indicators.loc[catalog.desa_ids].iterrows():
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


def direct_table(dataset: Dataset, year: int) -> pd.DataFrame:
    """The rows of the directly reported indicators for `year`: one per indicator and area it
    is reported for (`direct.direct_areas`), in catalog order; NO_DATA where the year has no value."""
    catalog = dataset.catalog
    areas = area_index(dataset.register, catalog)
    given = dataset.direct[dataset.direct["tahun"] == year].set_index(["indikator", "kode_wilayah"])
    records = []
    for ident in catalog.direct_ids:
        spec = catalog.indicators.loc[ident]
        for code in direct_areas(dataset.direct, catalog, ident, areas):
            level, name = areas[code]
            found = (ident, code) in given.index
            row = given.loc[(ident, code)] if found else None
            records.append({
                "indikator": ident, "tahun": year, "level": level, "kode_wilayah": code, "nama_wilayah": name,
                "pembilang": np.nan, "penyebut": np.nan, "nilai": float(row["nilai"]) if found else np.nan,
                "satuan": spec["satuan"], "dihitung": found, "catatan": "" if found else NO_DATA,
                "sumber_nilai": (row["sumber"] or spec["sumber_data"]) if found else "",
            })
    columns = ["indikator", "tahun", "level", "kode_wilayah", "nama_wilayah", "pembilang", "penyebut", "nilai",
               "satuan", "dihitung", "catatan", "sumber_nilai"]
    return pd.DataFrame(records, columns=columns).astype({"tahun": int, "nilai": float, "dihitung": bool})


def _in_catalog_order(table: pd.DataFrame, catalog: Catalog, levels: list[str]) -> pd.DataFrame:
    """Rows by level (desa first), then indicator in catalog order; the order within stays."""
    level_rank = table["level"].map({lvl: i for i, lvl in enumerate(levels)}).to_numpy()
    ind_rank = table["indikator"].map({ident: i for i, ident in enumerate(catalog.ids)}).to_numpy()
    order = np.lexsort((ind_rank, level_rank))  # stable: the last key sorts first
    return table.iloc[order].reset_index(drop=True)


def compute_year(dataset: Dataset, year: int) -> pd.DataFrame:
    """Every indicator at every level for one year (columns API_COLUMNS)."""
    catalog = dataset.catalog
    register = with_parents(dataset.register, catalog)
    levels = levels_of(register)
    parts = []
    if catalog.desa_ids:
        desa = desa_table(dataset.values(year), register, catalog, year)
        parts = [desa] + [aggregate(desa, register, catalog, lvl) for lvl in levels[1:]]
    if catalog.direct_ids:
        parts.append(direct_table(dataset, year))
    table = pd.concat(parts, ignore_index=True)
    if catalog.direct_ids:
        table = _in_catalog_order(table, catalog, levels)
    table["sumber_nilai"] = table["sumber_nilai"].fillna("") if "sumber_nilai" in table else ""
    table["nama_indikator"] = table["indikator"].map(catalog.indicators["nama"])
    table = attach_targets(table, dataset.targets, levels[-1])
    table = add_capaian(table, catalog)
    table = table[API_COLUMNS]
    return indicator_table_schema([label for _, label in catalog.grades]).validate(table)


def compute(dataset: Dataset, years: int | Iterable[int] | None = None, level: str | None = None) -> pd.DataFrame:
    """The indicator table for `years` (one or several; default: every year of the data),
    all levels or only `level`, with the columns of `API_COLUMNS`.

    Raises DataError when the data has errors and ParameterError for an unknown year or level.

    >>> from iku_lib import load_dataset
    >>> table = compute(load_dataset("tests/data/kecil"))
    >>> row = table[(table["indikator"] == "IKU-02") & (table["level"] == "kecamatan")].iloc[0]
    >>> row["nama_indikator"], int(row["tahun"]), round(float(row["nilai"]), 4)  # (1450 + 2010) / (1500 + 2000) x 100
    ('Persentase kepemilikan KTP-El di kecamatan', 2022, 98.8571)
    """
    dataset.require_valid()
    if years is None:
        years = dataset.years
    years = [years] if isinstance(years, (int, np.integer, str)) else list(years)
    years = [dataset.check_year(y) for y in years]
    levels = levels_of(with_parents(dataset.register, dataset.catalog))
    if level is not None and level not in levels:
        raise ParameterError(f"level '{level}' tidak ada pada data ini; pilih salah satu: {', '.join(levels)}")
    if dataset.catalog.direct_ids:  # indicators reported directly: computed a year at a time in pandas
        table = pd.concat([compute_year(dataset, y) for y in years], ignore_index=True)
        if level is not None:
            table = table[table["level"] == level].reset_index(drop=True)
        return table
    from .query import query_frame

    catalog = dataset.catalog
    register = with_parents(dataset.register, catalog)
    table = query_frame(dataset.db, register, dataset.targets, catalog, years, levels,
                        levels if level is None else [level])
    table = table[API_COLUMNS]
    return indicator_table_schema([label for _, label in catalog.grades]).validate(table)
