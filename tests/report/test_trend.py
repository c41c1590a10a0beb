"""Trends: year-to-year change, the end-of-period status and the simple linear projection."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest

from iku_lib import compute, load_catalog, load_dataset
from iku_lib.report.trend import (MET, NO_TARGET, NOT_MET, OFF_TRACK, ON_TRACK, TOO_FEW, by_year, desa_matrix, end_target,
                           linear_fit, period_end, projections, yearly_changes)

from ..conftest import KECIL, RAW


def test_linear_fit_by_hand():
    # y = 2x + 1 through (0,1), (1,3), (2,5); a missing point is skipped.
    assert linear_fit([0, 1, 2, 3], [1.0, 3.0, 5.0, float("nan")]) == (2.0, 1.0)
    # Least squares through (2019, 70), (2020, 76), (2021, 79): slope = ((-1)(-5) + 0 + (1)(4)) / 2 = 4,5;
    # intercept = 75 - 4,5 * 2020.
    slope, intercept = linear_fit([2019, 2020, 2021], [70.0, 76.0, 79.0])
    assert slope == pytest.approx(4.5) and intercept == pytest.approx(75 - 4.5 * 2020)
    assert all(math.isnan(v) for v in linear_fit([2019, 2020], [70.0, float("nan")]))


def _long(csv: str) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(csv), dtype={"kode_wilayah": str})
    frame["nama"] = frame["indikator"]
    frame["satuan"] = "%"
    frame["desimal"] = 2
    return frame


LONG = """no,indikator,kode_wilayah,polaritas,tahun,realisasi
1,A,1,positif,2019,70
1,A,1,positif,2020,76
1,A,1,positif,2021,79
2,B,1,negatif,2019,10
2,B,1,negatif,2020,9
2,B,1,negatif,2021,8
3,C,1,positif,2019,
3,C,1,positif,2020,
3,C,1,positif,2021,50
4,D,1,positif,2019,10
4,D,1,positif,2020,20
4,D,1,positif,2021,30
"""
TARGETS = pd.DataFrame({"indikator": ["A", "B", "C"], "tahun": [2023, 2023, 2023],
                        "kode_wilayah": [None, None, None], "target": [88.0, 7.0, 60.0]})


def test_projections_mid_period():
    out = projections(_long(LONG), TARGETS, 2023).set_index("indikator")
    # A: 75 + 4,5 * (2023 - 2020) = 88,5 >= 88 -> on track.
    assert out.at["A", "proyeksi"] == pytest.approx(88.5)
    assert out.at["A", "status"] == ON_TRACK
    # B (lower is better): 9 - 1 * 3 = 6 <= 7 -> on track.
    assert out.at["B", "proyeksi"] == pytest.approx(6.0) and out.at["B", "status"] == ON_TRACK
    assert out.at["C", "status"] == TOO_FEW and math.isnan(out.at["C", "proyeksi"])
    assert out.at["D", "status"] == NO_TARGET
    assert out.at["A", "tahun_dasar"] == 2019 and out.at["C", "tahun_dasar"] == 2021
    assert out.at["A", "realisasi_terakhir"] == 79


def test_projections_off_track_and_at_period_end():
    off = projections(_long(LONG), TARGETS.assign(target=[90.0, 5.0, 60.0]), 2023).set_index("indikator")
    assert off.at["A", "status"] == OFF_TRACK and off.at["B", "status"] == OFF_TRACK
    ended = projections(_long(LONG), TARGETS.assign(tahun=2021, target=[79.0, 7.5, 60.0]), 2021).set_index("indikator")
    # The end year has data: judged on it, no projection.
    assert ended.at["A", "status"] == MET and math.isnan(ended.at["A", "proyeksi"])
    assert ended.at["B", "status"] == NOT_MET  # 8 > 7,5
    assert ended.at["C", "status"] == NOT_MET  # 50 < 60


def test_projection_never_goes_below_zero():
    long = _long("no,indikator,kode_wilayah,polaritas,tahun,realisasi\n1,A,1,negatif,2020,3\n1,A,1,negatif,2021,2\n"
                 "1,A,1,negatif,2022,1\n")
    targets = pd.DataFrame({"indikator": ["A"], "tahun": [2024], "kode_wilayah": [None], "target": [0.5]})
    out = projections(long, targets, 2024)
    # 1 - 1 x 2 = -1 -> 0, which reaches the target 0,5 (lower is better).
    assert out["proyeksi"].tolist() == [0.0] and out["status"].tolist() == [ON_TRACK]


def test_two_years_are_too_few_for_a_projection():
    long = _long("no,indikator,kode_wilayah,polaritas,tahun,realisasi\n1,A,1,positif,2021,70\n1,A,1,positif,2022,80\n")
    targets = pd.DataFrame({"indikator": ["A"], "tahun": [2026], "kode_wilayah": [None], "target": [90.0]})
    out = projections(long, targets, 2026)
    # A line through two points would say 120 in 2026; with fewer than three years none is drawn.
    assert out["status"].tolist() == [TOO_FEW] and math.isnan(out["proyeksi"].iloc[0])


def test_yearly_changes_only_between_consecutive_years():
    long = _long(LONG)
    long = long[~((long["indikator"] == "A") & (long["tahun"] == 2020))]
    out = yearly_changes(long)
    a = out[out["indikator"] == "A"]["selisih"].tolist()
    assert math.isnan(a[0]) and math.isnan(a[1])  # 2019, then 2021 after a gap: no change shown
    b = out[out["indikator"] == "B"]["selisih"].tolist()
    assert math.isnan(b[0]) and b[1:] == [-1.0, -1.0]
    # What each change means: B falls and lower is better; D rises and higher is better.
    assert out[out["indikator"] == "B"]["arah"].tolist() == ["", "membaik", "membaik"]
    assert out[out["indikator"] == "D"]["arah"].tolist() == ["", "membaik", "membaik"]
    assert out[out["indikator"] == "A"]["arah"].tolist() == ["", ""]


def test_end_target_uses_the_general_target():
    targets = pd.DataFrame({"indikator": ["A", "A"], "tahun": [2023, 2023], "kode_wilayah": ["9", None],
                            "target": [1.0, 2.0]})
    assert end_target(targets, "A", 2023) == 2.0
    assert math.isnan(end_target(targets, "A", 2024))


def test_period_end_from_the_catalog():
    catalog = load_catalog()  # periode [2019, 2023]
    assert period_end(catalog, 2021) == 2023
    assert period_end(catalog, 2025) == 2025


def test_by_year_and_desa_matrix_on_kecil():
    dataset = load_dataset(KECIL)
    table = compute(dataset, 2022)
    long = by_year(table, dataset.catalog, "kecamatan", [2022])
    assert len(long) == 11 and set(long["tahun"]) == {2022}
    matrix = desa_matrix(table, "IKU-10", [2022], dataset.register)
    assert list(matrix.index) == ["Alpha", "Beta", "Gamma"]
    assert matrix[2022].iloc[0] == 100.0 and math.isnan(matrix[2022].iloc[1]) and matrix[2022].iloc[2] == 50.0


def test_projection_of_the_shipped_data_matches_a_separate_fit():
    dataset = load_dataset(RAW)
    years = dataset.years
    table = compute(dataset, years)
    long = by_year(table, dataset.catalog, "kecamatan", years[:3])
    out = projections(long, dataset.targets, 2023).set_index("indikator")
    ktp = table[(table["indikator"] == "IKU-02") & (table["level"] == "kecamatan") & table["tahun"].isin(years[:3])]
    ktp = ktp.sort_values("tahun")
    expected = np.polyval(np.polyfit(ktp["tahun"], ktp["nilai"], 1), 2023)  # numpy's own fit, separately
    assert out.at["IKU-02", "proyeksi"] == pytest.approx(expected, rel=1e-9)
