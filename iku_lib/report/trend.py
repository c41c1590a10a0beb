"""Trends over several years: realisasi against target per year, the year-to-year change,
the end-of-period target and a simple linear projection towards it, and desa x year values.

The projection is deliberately simple: a straight line fitted by least squares through the
realisasi of the years shown, extended to the last year of the Renstra period and never
below 0 (no indicator value can be negative). It needs at least three years with a
realisasi (`MIN_PROJECTION_YEARS`: a line through two points says nothing about a trend),
and is used only while the period has not ended; once the last year has data, its realisasi
is judged against the end-of-period target directly.

>>> linear_fit([2019, 2020, 2021], [70.0, 75.0, 80.0])
(5.0, -10025.0)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..ingest.catalog import Catalog
from ..exceptions import ParameterError
from .tables import NOT_REACHED, REACHED, capaian_table, change_direction, reaches_target

ON_TRACK = "sesuai jalur"
OFF_TRACK = "tidak sesuai jalur"
MET = REACHED  # "tercapai": the words of the annual report too (`tables.reaches_target`)
NOT_MET = NOT_REACHED  # "belum tercapai"
TOO_FEW = "data belum cukup"
NO_TARGET = "tidak ada target akhir periode"
MIN_PROJECTION_YEARS = 3


def by_year(table: pd.DataFrame, catalog: Catalog, level: str, years: list[int]) -> pd.DataFrame:
    """Every indicator's row of the capaian table for each year (`tahun` added), catalog order."""
    parts = [capaian_table(table, catalog, year, level, jenis=None).assign(tahun=year) for year in years]
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["no", "tahun"], kind="stable").reset_index(drop=True)


def yearly_changes(long: pd.DataFrame) -> pd.DataFrame:
    """`long` (from `by_year`) with `selisih`: realisasi minus the previous year's (NaN for the
    first year and after a gap), and `arah`: membaik / memburuk / tetap by the indicator's
    polarity ('' without a change; `tables.change_direction`)."""
    out = long.sort_values(["indikator", "kode_wilayah", "tahun"], kind="stable").copy()
    previous = out.groupby(["indikator", "kode_wilayah"], sort=False)["realisasi"].shift(1)
    gap = out.groupby(["indikator", "kode_wilayah"], sort=False)["tahun"].diff()
    out["selisih"] = (out["realisasi"] - previous).where(gap == 1)
    out["arah"] = change_direction(out["selisih"], out["desimal"], out["polaritas"])
    return out.sort_values(["no", "tahun"], kind="stable").reset_index(drop=True)


def linear_fit(years, values) -> tuple[float, float]:
    """Slope and intercept of the least-squares line through the points (NaN when fewer than 2)."""
    x = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    keep = np.isfinite(y)
    if keep.sum() < 2:
        return float("nan"), float("nan")
    x, y = x[keep], y[keep]
    mx, my = x.mean(), y.mean()  # centred: no loss of precision from years around 2000
    slope = float(((x - mx) * (y - my)).sum() / ((x - mx) ** 2).sum())
    return slope, float(my - slope * mx)


def end_target(targets: pd.DataFrame, indikator: str, end_year: int) -> float:
    """The general (top-level) target of `indikator` for `end_year`, NaN when there is none."""
    rows = targets[(targets["indikator"] == indikator) & (targets["tahun"] == end_year)
                   & targets["kode_wilayah"].isna()]
    return float(rows["target"].iloc[0]) if len(rows) else float("nan")


def projections(long: pd.DataFrame, targets: pd.DataFrame, end_year: int) -> pd.DataFrame:
    """Per indicator: the end-of-period target, the linear projection to `end_year` and the status.

    Status: `tercapai`/`belum tercapai` (`tables.reaches_target`) when `end_year` has a
    realisasi; otherwise `sesuai jalur`/`tidak sesuai jalur` by the projection; `data belum
    cukup` with fewer than MIN_PROJECTION_YEARS years of realisasi; `tidak ada target akhir
    periode` without a target.
    """
    records = []
    for (ident, area), rows in long.groupby(["indikator", "kode_wilayah"], sort=False):
        rows = rows.sort_values("tahun")
        first = rows.iloc[0]
        observed = rows[rows["realisasi"].notna()]
        target = end_target(targets, ident, end_year)
        slope, intercept = linear_fit(rows["tahun"], rows["realisasi"])
        at_end = observed[observed["tahun"] == end_year]
        projected = float("nan")
        if len(at_end):
            value = float(at_end["realisasi"].iloc[0])
            status = NO_TARGET if np.isnan(target) else (
                MET if reaches_target(value, target, first["polaritas"]) else NOT_MET)
        elif len(observed) < MIN_PROJECTION_YEARS:
            status = TOO_FEW
        else:
            projected = max(0.0, intercept + slope * end_year)  # no indicator value is below 0
            status = NO_TARGET if np.isnan(target) else (
                ON_TRACK if reaches_target(projected, target, first["polaritas"]) else OFF_TRACK)
        records.append({
            "no": first["no"], "indikator": ident, "nama": first["nama"], "satuan": first["satuan"],
            "desimal": first["desimal"], "polaritas": first["polaritas"], "kode_wilayah": area,
            "tahun_dasar": int(observed["tahun"].min()) if len(observed) else np.nan,
            "tahun_terakhir": int(observed["tahun"].max()) if len(observed) else np.nan,
            "realisasi_terakhir": float(observed["realisasi"].iloc[-1]) if len(observed) else np.nan,
            "kemiringan": slope, "intersep": intercept, "tahun_akhir_periode": end_year,
            "proyeksi": projected, "target_akhir": target, "status": status,
        })
    return pd.DataFrame(records).sort_values("no", kind="stable").reset_index(drop=True)


def report_years(catalog: Catalog, data_years: list[int], start: int | None = None,
                 end: int | None = None) -> tuple[int, int]:
    """The years of a trend report: `start` (default: the Renstra period's first year when the
    data has it, else the first year of data) to `end` (default: the last year of data).

    >>> from iku_lib import load_catalog
    >>> report_years(load_catalog(), [2018, 2019, 2020]), report_years(load_catalog(), [2021, 2022], end=2021)
    ((2019, 2020), (2021, 2021))
    """
    if not data_years:
        raise ParameterError("tidak ada tahun data untuk laporan tren")
    period = catalog.meta.get("periode") or []
    if start is None:
        first = int(period[0]) if len(period) else None
        start = first if first in data_years else min(data_years)
    return int(start), int(end if end is not None else max(data_years))


def period_end(catalog: Catalog, last_year: int) -> int:
    """The last year of the Renstra period (catalog `periode`), or `last_year` when later or unset."""
    period = catalog.meta.get("periode") or []
    end = int(period[-1]) if len(period) else last_year
    return max(end, last_year)


def desa_matrix(table: pd.DataFrame, indikator: str, years: list[int], register: pd.DataFrame) -> pd.DataFrame:
    """Desa (rows, register order, by name) x year (columns): the indicator's desa values."""
    rows = table[(table["level"] == "desa") & (table["indikator"] == indikator) & table["tahun"].isin(years)]
    wide = rows.pivot_table(index="kode_wilayah", columns="tahun", values="nilai", aggfunc="first", dropna=False)
    wide = wide.reindex(index=register["kode_desa"], columns=list(years))
    wide.index = register["nama_desa"].to_numpy()
    wide.columns.name = None
    return wide.astype(float)
