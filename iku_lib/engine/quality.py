"""Data-quality warnings that come from the computed table (not from reading a cell)."""

from __future__ import annotations

import pandas as pd

from .compute import (ABOVE_DENOMINATOR, MISSING_AS_ZERO, NO_DATA, ZERO_DENOMINATOR, compute, levels_of,
                      with_parents)
from ..ingest.dataset import Dataset
from ..formatting import angka
from ..problems import Problem, warning


def _fmt(x: float) -> str:
    return angka(x, 0) if float(x).is_integer() else angka(x, 4)


def quality_problems(table: pd.DataFrame, dataset: Dataset) -> list[Problem]:
    """Warnings for desa rows with no value, a zero denominator or a numerator above it, and
    for rows with a target issue (no target, target 0)."""
    ind = dataset.catalog.indicators
    top = levels_of(with_parents(dataset.register, dataset.catalog))[-1]
    problems: list[Problem] = []
    for row in table.itertuples(index=False):
        spec = ind.loc[row.indikator]
        where = {"tahun": int(row.tahun), "indikator": row.indikator,
                 "kode_desa": row.kode_wilayah if row.level == "desa" else None}
        who = f"{row.level.capitalize()} {row.nama_wilayah} ({row.kode_wilayah})"
        if row.level == "desa":
            if row.catatan == NO_DATA:
                gone = [v for v, x in ((spec["pembilang"], row.pembilang), (spec["penyebut"], row.penyebut))
                        if pd.isna(x)]
                problems.append(warning(
                    f"{who} tidak punya nilai {' / '.join(gone)} tahun {row.tahun}; "
                    f"{row.indikator}: desa dikecualikan dari pembilang dan penyebut", kode="data_tidak_ada", **where))
            elif row.catatan == MISSING_AS_ZERO:
                problems.append(warning(
                    f"{who} tidak punya nilai {spec['pembilang']} tahun {row.tahun}; "
                    f"{row.indikator}: desa dihitung tidak tercapai", kode="data_tidak_ada", **where))
            elif row.catatan == ZERO_DENOMINATOR:
                problems.append(warning(
                    f"{who}: {spec['penyebut']} = 0 tahun {row.tahun}; {row.indikator} desa ini tidak punya nilai",
                    kode="penyebut_nol", **where))
            elif row.catatan == ABOVE_DENOMINATOR:
                problems.append(warning(
                    f"{who}: {spec['pembilang']} ({_fmt(row.pembilang)}) melebihi {spec['penyebut']} "
                    f"({_fmt(row.penyebut)}) tahun {row.tahun}; nilai dipakai apa adanya ({row.indikator})",
                    kode="pembilang_melebihi_penyebut", **where))
        elif pd.notna(row.nilai) and pd.isna(row.target) and row.level == top:
            problems.append(warning(f"{row.indikator} tahun {row.tahun}: tidak ada target untuk {who}; capaian tidak dihitung",
                                    kode="target_tidak_ada", **where))
        elif row.target == 0 and pd.isna(row.capaian):
            problems.append(warning(f"{row.indikator} tahun {row.tahun}: target 0 dan realisasi {_fmt(row.nilai)}; "
                                    "capaian tidak dapat dihitung", kode="target_nol", **where))
    return problems


def validate(dataset: Dataset) -> list[Problem]:
    """Every problem of a data directory: reading errors and warnings, values far from the
    same desa's other years (`outliers`), then (when it can be computed) the data-quality
    warnings of every year."""
    problems = list(dataset.problems)  # includes the outlier warnings (see `load_dataset`)
    if not dataset.errors:
        for year in dataset.years:
            problems += quality_problems(compute(dataset, year), dataset)
    return problems
