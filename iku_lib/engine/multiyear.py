"""LKjIP chapter III.A.2: an area's realisasi over the years of the Renstra period, and the
change from the year before.

For one area and a report year Y, every indicator of the catalog gets one row per year of
the catalog's `periode` up to Y (`period_years`), taken from the computed indicator table
(`compute`): target, nilai (the realisasi), capaian and predikat. A year without data keeps
its row, with NaN. `perubahan` is nilai(t) - nilai(t - 1), the year before looked up in the
same table (so the first year of the period is compared with the year before it when the
table has it); `arah` judges it by the indicator's polarity (`membaik`, `memburuk`, or
`tetap` when the change shows as 0 at the indicator's display decimals), and `keterangan`
says it in a short Indonesian phrase, numbers shown as everywhere else (`formatting`):

>>> change_phrase(2.5, 2022, "membaik", 2)
'naik 2,50 poin dari 2022 (membaik)'
>>> direction(-0.004, "positif", 2), direction(-0.5, "negatif", 2)
('tetap', 'membaik')

Pure functions: DataFrames in, a new DataFrame out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import ParameterError
from ..formatting import angka
from ..ingest.catalog import Catalog
from ..ingest.register import PARENT_LEVELS

IMPROVING = "membaik"
WORSENING = "memburuk"
UNCHANGED = "tetap"
MULTIYEAR_COLUMNS = ["indikator", "tahun", "target", "nilai", "capaian", "predikat", "perubahan", "arah",
                     "keterangan"]


def renstra_period(catalog: Catalog) -> tuple[int, int] | None:
    """The first and last year of the catalog's Renstra period (`periode: [2019, 2023]`), or None
    when the catalog gives none (or one that is not a list of years).

    >>> from iku_lib import load_catalog
    >>> renstra_period(load_catalog())
    (2019, 2023)
    """
    period = catalog.meta.get("periode")
    if not isinstance(period, (list, tuple)) or not period:
        return None
    try:
        years = [int(str(y)) for y in period]
    except ValueError:
        return None
    return min(years), max(years)


def period_years(catalog: Catalog, year: int, data_years=()) -> list[int]:
    """The years a multi-year table for report year `year` shows: those of the Renstra period up
    to `year`, and `year` itself when it lies outside the period. Without a period in the
    catalog: the `data_years` up to `year` (and `year`).

    >>> from iku_lib import load_catalog
    >>> period_years(load_catalog(), 2021), period_years(load_catalog(), 2025)
    ([2019, 2020, 2021], [2019, 2020, 2021, 2022, 2023, 2025])
    """
    year = int(year)
    period = renstra_period(catalog)
    if period is None:
        years = {int(y) for y in data_years if int(y) <= year}
    else:
        years = set(range(period[0], min(period[1], year) + 1))
    return sorted(years | {year})


def top_level_of(table: pd.DataFrame) -> str:
    """The highest level above desa in a computed table (where general targets apply)."""
    present = set(table["level"])
    levels = [level for level, _, _ in PARENT_LEVELS if level in present]
    if not levels:
        raise ParameterError("tabel indikator tidak memuat wilayah di atas desa")
    return levels[-1]


def area_rows(table: pd.DataFrame, kode_wilayah: str | None = None) -> tuple[pd.DataFrame, str, str]:
    """The rows of one area above desa in a computed table, with its code and level.

    Without `kode_wilayah`, the one area of the table's top level; several areas there need
    the code to be named.
    """
    above = table[table["level"] != "desa"]
    if kode_wilayah is None:
        top = above[above["level"] == top_level_of(table)]
        codes = list(dict.fromkeys(top["kode_wilayah"].astype(str)))
        if len(codes) != 1:
            raise ParameterError(f"tabel memuat {len(codes)} wilayah tingkat {top_level_of(table)}; sebutkan "
                                 f"kode_wilayah salah satunya: {', '.join(codes[:10])}")
        kode_wilayah = codes[0]
    kode_wilayah = str(kode_wilayah)
    rows = above[above["kode_wilayah"].astype(str) == kode_wilayah]
    if rows.empty:
        raise ParameterError(f"wilayah {kode_wilayah} tidak ada di atas tingkat desa pada tabel indikator")
    return rows, kode_wilayah, str(rows["level"].iloc[0])


def _shows_as_zero(change: float, decimals: int) -> bool:
    """True when `change` is shown as 0 at `decimals` (so it must not be called a rise or fall)."""
    return angka(abs(change), decimals) == angka(0, decimals)


def direction(change: float, polaritas: str, decimals: int) -> str | None:
    """`membaik`, `memburuk` or `tetap` for a change in value, by polarity; None when unknown."""
    if change is None or pd.isna(change):
        return None
    if _shows_as_zero(change, decimals):
        return UNCHANGED
    better = change < 0 if polaritas == "negatif" else change > 0
    return IMPROVING if better else WORSENING


def change_phrase(change: float, previous_year: int, arah: str | None, decimals: int) -> str:
    """`naik 2,50 poin dari 2022 (membaik)`, `turun ...`, or `sama dengan 2022 (tetap)`."""
    if arah is None or change is None or pd.isna(change):
        return ""
    if arah == UNCHANGED:
        return f"sama dengan {previous_year} ({UNCHANGED})"
    verb = "naik" if change > 0 else "turun"
    return f"{verb} {angka(abs(change), decimals)} poin dari {previous_year} ({arah})"


def multiyear_table(table: pd.DataFrame, catalog: Catalog, year: int,
                    kode_wilayah: str | None = None) -> pd.DataFrame:
    """Every indicator of `catalog` (catalog order) x every year of `period_years` for one area.

    `table` is the computed indicator table (`compute`, all or some years); the area is
    `kode_wilayah`, or the one area of the table's top level. Columns: MULTIYEAR_COLUMNS.
    """
    rows, _, _ = area_rows(table, kode_wilayah)
    years = period_years(catalog, year, rows["tahun"].unique())
    by_key = rows.drop_duplicates(["indikator", "tahun"]).set_index(["indikator", "tahun"])
    ids = catalog.ids
    keys = pd.MultiIndex.from_product([ids, years], names=["indikator", "tahun"])
    out = pd.DataFrame({
        "indikator": keys.get_level_values(0).astype(object),
        "tahun": keys.get_level_values(1).astype(int),
    })
    found = by_key.reindex(keys)
    for column in ("target", "nilai", "capaian"):
        out[column] = found[column].to_numpy(dtype=float)
    out["predikat"] = [None if pd.isna(p) else str(p) for p in found["predikat"]]
    previous = by_key["nilai"].reindex(pd.MultiIndex.from_arrays([out["indikator"], out["tahun"] - 1]))
    out["perubahan"] = out["nilai"].to_numpy() - previous.to_numpy(dtype=float)
    polarity = out["indikator"].map(catalog.indicators["polaritas"])
    decimals = out["indikator"].map(catalog.indicators["desimal"]).astype(int)
    arah, phrases = [], []
    for change, pol, dec, t, value, before in zip(out["perubahan"], polarity, decimals, out["tahun"],
                                                  out["nilai"], previous.to_numpy(dtype=float)):
        a = direction(change, pol, dec)
        arah.append(a)
        if np.isnan(value):
            phrases.append(f"realisasi {t} tidak tersedia")
        elif np.isnan(before):
            phrases.append(f"realisasi {t - 1} tidak tersedia; perubahan tidak dapat dihitung")
        else:
            phrases.append(change_phrase(change, t - 1, a, dec))
    out["arah"] = arah
    out["keterangan"] = phrases
    return out[MULTIYEAR_COLUMNS]

