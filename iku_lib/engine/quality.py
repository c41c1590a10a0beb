"""Data-quality warnings that come from the computed table (not from reading a cell).

`quality_problems` finds the flagged rows with boolean masks over whole columns (national
data: about a million rows a year) and builds a `Problem` only for those rows, in table order.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .compute import (ABOVE_DENOMINATOR, MISSING_AS_ZERO, NO_DATA, ZERO_DENOMINATOR, compute, levels_of,
                      with_parents)
from ..ingest.dataset import Dataset
from ..formatting import angka
from ..problems import Problem, warning

# What each flagged row is, in `_kinds` (0: nothing to say).
_NO_DATA, _AS_ZERO, _ZERO_DEN, _ABOVE_DEN, _NO_TARGET, _ZERO_TARGET = range(1, 7)


def _fmt(x: float) -> str:
    return angka(x, 0) if float(x).is_integer() else angka(x, 4)


def _kinds(table: pd.DataFrame, top: str) -> np.ndarray:
    """Per row, which warning it gives (one at most; 0 for none).

    Desa rows: by `catatan`. Rows above desa: a value without a target at the top level,
    else a target of 0 with no capaian.
    """
    desa = (table["level"] == "desa").to_numpy(dtype=bool)
    catatan = table["catatan"]
    target = table["target"]
    no_target = ~desa & (table["nilai"].notna() & target.isna() & (table["level"] == top)).to_numpy(dtype=bool)
    zero_target = ~desa & ~no_target & ((target == 0) & table["capaian"].isna()).to_numpy(dtype=bool)
    return np.select(
        [desa & (catatan == NO_DATA).to_numpy(dtype=bool),
         desa & (catatan == MISSING_AS_ZERO).to_numpy(dtype=bool),
         desa & (catatan == ZERO_DENOMINATOR).to_numpy(dtype=bool),
         desa & (catatan == ABOVE_DENOMINATOR).to_numpy(dtype=bool),
         no_target, zero_target],
        [_NO_DATA, _AS_ZERO, _ZERO_DEN, _ABOVE_DEN, _NO_TARGET, _ZERO_TARGET], default=0)


def quality_problems(table: pd.DataFrame, dataset: Dataset) -> list[Problem]:
    """Warnings for desa rows with no value, a zero denominator or a numerator above it, and
    for rows with a target issue (no target, target 0)."""
    if table.empty:
        return []
    top = levels_of(with_parents(dataset.register, dataset.catalog))[-1]
    kinds = _kinds(table, top)
    flagged = np.flatnonzero(kinds)
    if not len(flagged):
        return []
    ind = dataset.catalog.indicators
    numerator, denominator = ind["pembilang"].to_dict(), ind["penyebut"].to_dict()
    rows = table.iloc[flagged]
    columns = ["indikator", "tahun", "level", "kode_wilayah", "nama_wilayah", "pembilang", "penyebut", "nilai"]
    problems: list[Problem] = []
    for kind, (indikator, tahun, level, kode, nama, pembilang, penyebut, nilai) in zip(
            kinds[flagged].tolist(), zip(*(rows[c].tolist() for c in columns))):
        where = {"tahun": int(tahun), "indikator": indikator, "kode_desa": kode if level == "desa" else None}
        who = f"{level.capitalize()} {nama} ({kode})"
        if kind == _NO_DATA:
            gone = [v for v, x in ((numerator[indikator], pembilang), (denominator[indikator], penyebut))
                    if pd.isna(x)]
            problems.append(warning(
                f"{who} tidak punya nilai {' / '.join(gone)} tahun {tahun}; "
                f"{indikator}: desa dikecualikan dari pembilang dan penyebut", kode="data_tidak_ada", **where))
        elif kind == _AS_ZERO:
            problems.append(warning(
                f"{who} tidak punya nilai {numerator[indikator]} tahun {tahun}; "
                f"{indikator}: desa dihitung tidak tercapai", kode="data_tidak_ada", **where))
        elif kind == _ZERO_DEN:
            problems.append(warning(
                f"{who}: {denominator[indikator]} = 0 tahun {tahun}; {indikator} desa ini tidak punya nilai",
                kode="penyebut_nol", **where))
        elif kind == _ABOVE_DEN:
            problems.append(warning(
                f"{who}: {numerator[indikator]} ({_fmt(pembilang)}) melebihi {denominator[indikator]} "
                f"({_fmt(penyebut)}) tahun {tahun}; nilai dipakai apa adanya ({indikator})",
                kode="pembilang_melebihi_penyebut", **where))
        elif kind == _NO_TARGET:
            problems.append(warning(f"{indikator} tahun {tahun}: tidak ada target untuk {who}; capaian tidak dihitung",
                                    kode="target_tidak_ada", **where))
        else:
            problems.append(warning(f"{indikator} tahun {tahun}: target 0 dan realisasi {_fmt(nilai)}; "
                                    "capaian tidak dapat dihitung", kode="target_nol", **where))
    return problems


def validate(dataset: Dataset, years: int | Iterable[int] | None = None) -> list[Problem]:
    """Every problem of a data directory: reading errors and warnings, values far from the
    same desa's other years (`outliers`), then (when it can be computed) the data-quality
    warnings of every year.

    `years` narrows it to those years: the data-quality warnings of those years only, and of
    the reading problems every error (an error anywhere stops every run) but only the warnings
    of those years or of no year in particular (register, targets, catalog).

    The quarter folders (`<tahun>/triwulan-<n>/`) of those years (of every year when `years` is
    None) are read too, last (`quarterly.quarter_validation`): a bad quarter cell is an error
    with its file, line, column and value. A year asked may have quarter folders only (a year
    being monitored before its annual data exists).
    """
    from .quarterly import quarter_folder_years, quarter_validation

    monitored = quarter_folder_years(dataset)
    if years is None:
        chosen = list(dataset.years)
        quarter_years = monitored
        problems = list(dataset.problems)  # includes the outlier warnings (see `load_dataset`)
    else:
        years = [years] if isinstance(years, (int, np.integer)) else list(years)
        quarter_years = [int(y) for y in years if y in monitored and not isinstance(y, bool)]
        chosen = [dataset.check_year(y) for y in years if y not in quarter_years or y in dataset.years]
        problems = [p for p in dataset.problems if p.is_error or p.tahun is None or p.tahun in chosen + quarter_years]
    if not dataset.errors:
        for year in chosen:
            problems += quality_problems(_candidates(dataset, year), dataset)
    for year in quarter_years:
        problems += quarter_validation(dataset, year)
    return problems


# The rows `_kinds` can flag, and more: desa rows with a note, rows above desa without a target or
# with a target of 0. Only these are brought into pandas (nationally a year has a million rows).
CANDIDATES = (f"(level = 'desa' AND catatan IN ('{NO_DATA}', '{MISSING_AS_ZERO}', '{ZERO_DENOMINATOR}', "
              f"'{ABOVE_DENOMINATOR}')) OR (level <> 'desa' AND (target IS NULL OR target = 0))")


def _candidates(dataset: Dataset, year: int) -> pd.DataFrame:
    """The rows of `compute(dataset, year)` that may give a warning (`CANDIDATES`), in table order."""
    if dataset.catalog.direct_ids:  # computed in pandas anyway
        return compute(dataset, year)
    from .query import query_frame

    dataset.require_valid()
    register = with_parents(dataset.register, dataset.catalog)
    levels = levels_of(register)
    return query_frame(dataset.db, register, dataset.targets, dataset.catalog, [dataset.check_year(year)], levels,
                       levels, where=CANDIDATES)
