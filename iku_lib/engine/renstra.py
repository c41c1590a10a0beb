"""LKjIP chapter III.A.3: realisasi to date against the Renstra end target.

The end target (`target_akhir`) of an indicator is its target for the last year of the
catalog's `periode`, for the area, resolved as `compute` resolves every target (the area's
own target, else the general one for the top level: `compute.attach_targets`).

`progres` is the realisasi of report year Y against that end target, in percent, by the
same formula, polarity variant, zero handling and cap as the year's capaian
(`capaian.capaian_vector`: realisasi / target x 100 when higher is better; the catalog's
`capaian.negatif` variant when lower is better).

Whether the current pace reaches the end target is a **simple linear projection**: the
average yearly change from the first year of the period with a realisasi to Y
(`laju` = (nilai Y - nilai first year) / (Y - first year)), carried on to the last year of the
period from nilai Y (never below 0: no indicator value is negative). It needs two years with
a realisasi; once Y is the last year of the period (or later) the realisasi of Y is judged
against the end target directly. `keterangan` says in Indonesian what was done, or why
nothing could be.

Pure functions: DataFrames in, a new DataFrame out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..formatting import angka, nilai as shown
from ..ingest.catalog import Catalog
from .capaian import GRADE_TOLERANCE, capaian_vector
from .compute import attach_targets
from .multiyear import area_rows, renstra_period, top_level_of

RENSTRA_COLUMNS = ["indikator", "tahun", "target_akhir", "tahun_akhir", "nilai", "progres", "tahun_awal", "laju",
                   "proyeksi_akhir", "tercapai_pada_laju_ini", "keterangan"]


def reaches(value: float, target: float, polaritas: str) -> bool:
    """True when `value` meets `target` by polarity (at least it, or at most it when lower is
    better); floating-point noise below GRADE_TOLERANCE does not decide it."""
    if polaritas == "negatif":
        return bool(value <= target + GRADE_TOLERANCE)
    return bool(value >= target - GRADE_TOLERANCE)


def end_targets(rows: pd.DataFrame, targets: pd.DataFrame, indicators: list[str], end_year: int,
                kode_wilayah: str, level: str, top_level: str) -> pd.Series:
    """The end target of each indicator for one area, indexed by indicator (NaN: none).

    `rows` are the area's rows of the computed table: when the end year is among them, its
    target is the one `compute` attached; otherwise `targets` (the dataset's target.csv) is
    resolved for the end year the same way (`attach_targets`).
    """
    frame = pd.DataFrame({"indikator": indicators, "tahun": end_year, "level": level,
                          "kode_wilayah": kode_wilayah})
    resolved = attach_targets(frame, targets, top_level).set_index("indikator")["target"]
    computed = rows[rows["tahun"] == end_year].drop_duplicates("indikator").set_index("indikator")["target"]
    has_row = pd.Index(indicators).isin(computed.index)
    values = np.where(has_row, computed.reindex(indicators).to_numpy(dtype=float),
                      resolved.reindex(indicators).to_numpy(dtype=float))
    return pd.Series(values, index=indicators, dtype=float)


def renstra_progress(table: pd.DataFrame, targets: pd.DataFrame, catalog: Catalog, year: int,
                     kode_wilayah: str | None = None, top_level: str | None = None) -> pd.DataFrame:
    """Per indicator of `catalog` (catalog order): the end target, the progress of report year
    `year` towards it and whether the current pace reaches it (columns RENSTRA_COLUMNS).

    `table` is the computed indicator table (`compute`) holding the years of the period up to
    `year`; `targets` the dataset's targets (`dataset.targets`: indikator, tahun,
    kode_wilayah, target). The area is `kode_wilayah`, or the one area of the table's top
    level; `top_level` is the level general targets apply to (`report.tables.top_level`),
    by default the highest level in `table`.
    `tercapai_pada_laju_ini` is True/False, or NA when it cannot be said.
    """
    year = int(year)
    rows, kode, level = area_rows(table, kode_wilayah)
    top_level = top_level or top_level_of(table)
    ids = catalog.ids
    period = renstra_period(catalog)
    if period is not None:
        start, end = period
        target_end = end_targets(rows, targets, ids, end, kode, level, top_level)
    else:
        start, end = None, None
        target_end = pd.Series(np.nan, index=ids, dtype=float)
    values = rows[rows["tahun"] <= year].drop_duplicates(["indikator", "tahun"]).set_index(["indikator", "tahun"])
    values.index = values.index.set_names(["indikator", "tahun"])
    value_now = values["nilai"].reindex(pd.MultiIndex.from_product([ids, [year]])).to_numpy(dtype=float)
    negative = catalog.indicators.loc[ids, "polaritas"].eq("negatif").to_numpy()
    progress = capaian_vector(value_now, target_end.to_numpy(), negative, catalog.negative_variant, catalog.cap)

    records = []
    for i, ident in enumerate(ids):
        spec = catalog.indicators.loc[ident]
        own = values.index.get_level_values("indikator") == ident
        series = pd.Series(values["nilai"].to_numpy(dtype=float)[own],
                           index=values.index.get_level_values("tahun")[own])
        observed = series[series.notna()]
        if start is not None:  # the pace starts in the first year of the period with a realisasi
            observed = observed[observed.index >= start]
        record = _judge(spec, year, end, float(target_end.iloc[i]), float(value_now[i]), observed)
        records.append({"indikator": ident, "tahun": year, "target_akhir": float(target_end.iloc[i]),
                        "tahun_akhir": end, "nilai": float(value_now[i]), "progres": float(progress[i]),
                        **record})
    out = pd.DataFrame(records, columns=RENSTRA_COLUMNS)
    out["tahun_akhir"] = out["tahun_akhir"].astype("Int64")
    out["tahun_awal"] = out["tahun_awal"].astype("Int64")
    out["tercapai_pada_laju_ini"] = out["tercapai_pada_laju_ini"].astype("boolean")
    return out


def _judge(spec: pd.Series, year: int, end: int | None, target: float, value: float,
           observed: pd.Series) -> dict:
    """tahun_awal, laju, proyeksi_akhir, tercapai_pada_laju_ini and keterangan of one indicator."""
    decimals, unit, polarity = int(spec["desimal"]), str(spec["satuan"]), str(spec["polaritas"])
    out = {"tahun_awal": None, "laju": np.nan, "proyeksi_akhir": np.nan, "tercapai_pada_laju_ini": None}
    no_target = np.isnan(target)
    if end is None:
        return {**out, "keterangan": "katalog tidak menyebut periode Renstra (periode), sehingga target akhir "
                                     "tidak diketahui"}
    if np.isnan(value):
        return {**out, "keterangan": f"realisasi {year} tidak tersedia; kemajuan terhadap target akhir "
                                     "tidak dapat dihitung"}
    target_text = f"target akhir periode Renstra ({end}) sebesar {shown(target, unit, decimals)}"
    if year >= end:
        if no_target:
            return {**out, "keterangan": f"tidak ada target untuk tahun akhir periode Renstra ({end}) di target.csv"}
        met = reaches(value, target, polarity)
        when = "" if year == end else f"periode Renstra berakhir pada {end}; "
        verdict = "telah mencapai" if met else "belum mencapai"
        return {**out, "tercapai_pada_laju_ini": met,
                "keterangan": f"{when}realisasi {year} ({shown(value, unit, decimals)}) {verdict} {target_text}"}
    first = int(observed.index.min()) if len(observed) else year
    out["tahun_awal"] = first
    if first >= year:
        reason = f"hanya ada data satu tahun ({year}); proyeksi linear tidak dapat dihitung"
        if no_target:
            reason = f"tidak ada target akhir periode Renstra ({end}) di target.csv; {reason}"
        return {**out, "keterangan": reason}
    pace = (value - float(observed.loc[first])) / (year - first)
    projected = max(0.0, value + pace * (end - year))  # no indicator value is below 0
    out.update(laju=pace, proyeksi_akhir=projected)
    sign = "+" if pace > 0 and angka(pace, decimals) != angka(0, decimals) else ""
    projection = (f"proyeksi linear dengan laju rata-rata {first}-{year} ({sign}{angka(pace, decimals)} poin per "
                  f"tahun): {shown(projected, unit, decimals)} pada {end}")
    if no_target:
        return {**out, "keterangan": f"tidak ada target akhir periode Renstra ({end}) di target.csv; {projection}"}
    met = reaches(projected, target, polarity)
    out["tercapai_pada_laju_ini"] = met
    verdict = "mencapai" if met else "tidak mencapai"
    return {**out, "keterangan": f"{projection}, {verdict} {target_text}"}

