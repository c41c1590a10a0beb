"""Values that jump far from the same desa's other years (modified z-score, Iglewicz & Hoaglin).

Scores below are worked by hand: M = 0.6745 (x - median) / max(MAD, 2% |median|, 1).
"""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iku_lib import compute, load_dataset, validate
from iku_lib.cli.main import main
from iku_lib.ingest.outliers import modified_z, outlier_problems, outlier_scores

from ..conftest import DATA, RAW


def test_modified_z_with_a_real_spread():
    # median 1200; |x - median| = 200, 100, 0, 100, 3800 -> MAD 100 (above both floors)
    z, med, mad, scale = modified_z([1000, 1100, 1200, 1300, 5000])
    assert (med, mad, scale) == (1200.0, 100.0, 100.0)
    assert list(z) == pytest.approx([-1.349, -0.6745, 0.0, 0.6745, 25.631])


def test_modified_z_floor_two_percent_of_median():
    # median 101, MAD 1 < 2% of 101 = 2.02; M(200) = 0.6745 * 99 / 2.02
    z, med, mad, scale = modified_z([100, 102, 98, 101, 200])
    assert (med, mad, scale) == (101.0, 1.0, pytest.approx(2.02))
    assert z[-1] == pytest.approx(33.0571782)


@pytest.mark.parametrize("values, last_score, flagged", [
    # a PBB assessment unchanged for four years, then +12.5%: MAD 0, scale 2% of 80 million = 1.6 million
    ([80e6, 80e6, 80e6, 80e6, 90e6], 0.6745 * 10e6 / 1.6e6, True),
    # ... then +5%: not far
    ([80e6, 80e6, 80e6, 80e6, 84e6], 0.6745 * 4e6 / 1.6e6, False),
    # a count that is always 0, then 6: scale is one unit
    ([0, 0, 0, 0, 6], 0.6745 * 6, True),
    ([0, 0, 0, 0, 5], 0.6745 * 5, False),
    # one new place of worship after years of 16: 0.6745 * 1 / 1
    ([16, 16, 16, 16, 17], 0.6745, False),
    # three years are enough: median 101, MAD 1, scale 2.02, M(115) = 0.6745 * 14 / 2.02
    ([100, 101, 115], 0.6745 * 14 / 2.02, True),
])
def test_flat_series_use_the_floor(values, last_score, flagged):
    z, *_ = modified_z(values)
    assert z[-1] == pytest.approx(last_score)
    assert (abs(z[-1]) > 3.5) == flagged


def obs(rows):
    return pd.DataFrame(rows, columns=["tahun", "kode_desa", "variabel", "nilai"])


KINDS = {"penduduk": "jumlah", "pbb_realisasi": "rupiah", "keuangan_tertib": "flag"}


def test_scores_only_for_counts_and_rupiah_with_three_years_or_more():
    rows = [(y, "A", "penduduk", v) for y, v in zip((2019, 2020, 2021, 2022), (1970, 1980, 20000, 2000))]
    rows += [(y, "A", "keuangan_tertib", v) for y, v in zip((2019, 2020, 2021, 2022), (1, 1, 1, 0))]
    rows += [(y, "B", "pbb_realisasi", v) for y, v in zip((2021, 2022), (1e6, 9e6))]  # two years only
    scores = outlier_scores(obs(rows), KINDS)
    assert scores["variabel"].unique().tolist() == ["penduduk"]
    # median of 1970, 1980, 2000, 20000 = 1990; deviations 20, 10, 18010, 10 -> MAD 15;
    # 2% of 1990 = 39.8 is the scale; M(20000) = 0.6745 * 18010 / 39.8
    row = scores.set_index("tahun").loc[2021]
    assert (row["median"], row["mad"], row["n_tahun"]) == (1990.0, 15.0, 4)
    assert row["skala"] == pytest.approx(39.8)
    assert row["skor"] == pytest.approx(305.2197, abs=1e-4)  # 12147.745 / 39.8
    assert scores["pencilan"].tolist() == [False, False, True, False]


def test_outlier_warning_points_at_the_cell():
    dataset = load_dataset(DATA / "outlier-jump")
    [problem] = outlier_problems(dataset)
    assert problem.format() == (
        'PERINGATAN: 2021/penduduk.csv, baris 2, kolom "penduduk", nilai "20.000": nilai penduduk Desa Alpha tahun '
        "2021 (20.000) jauh dari nilai tahun-tahun lainnya (2019: 1.970; 2020: 1.980; 2021: 20.000; 2022: 2.000; "
        "median 1.990); skor-z termodifikasi 305,2, batas ±3,5. Periksa apakah salah ketik; bila benar, nilai "
        "dipakai apa adanya")
    assert (problem.tahun, problem.kode_desa, problem.kode) == (2021, "3301010001", "nilai_melonjak")


def test_outliers_are_warnings_in_validate_and_do_not_stop_a_run(capsys):
    dataset = load_dataset(DATA / "outlier-jump")
    # in Dataset.problems, which validate() and the report notebooks' data-quality section use
    assert [(p.kode, p.tahun) for p in dataset.problems if p.kode == "nilai_melonjak"] == [("nilai_melonjak", 2021)]
    assert [p.kode for p in validate(dataset)].count("nilai_melonjak") == 1  # not twice
    assert main(["validate", "--data-dir", str(DATA / "outlier-jump")]) == 0
    assert "skor-z termodifikasi 305,2" in capsys.readouterr().out
    table = compute(dataset, 2021, level="kecamatan")
    # the jump is kept as it is: IKU-09 2021 uses 20000 + 2990 + 990 residents (Beta, Gamma: 3000 - 10, 1000 - 10)
    iku09 = table.set_index("indikator").loc["IKU-09"]
    assert iku09["penyebut"] == 20000 + 2990 + 990


def test_shipped_sample_data_has_no_absurd_number_of_outliers():
    dataset = load_dataset(RAW)
    kinds = {n: s["jenis"] for n, s in dataset.catalog.variables.items()}
    scores = outlier_scores(dataset.observations, kinds)
    assert len(scores) > 900  # 14 desa x 14 counts/rupiah x 5 years = 980 values tested
    assert scores["pencilan"].sum() <= len(scores) // 100  # at most 1% flagged


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=3, max_size=8), st.randoms())
def test_year_order_does_not_matter_and_the_floor_only_lowers_scores(values, rnd):
    z, med, mad, scale = modified_z(values)
    shuffled = list(values)
    rnd.shuffle(shuffled)
    z2, *_ = modified_z(shuffled)
    assert sorted(z) == pytest.approx(sorted(z2))
    assert scale >= mad and scale >= 1
    if mad > 0:
        raw = [0.6745 * (v - med) / mad for v in values]
        assert all(abs(a) <= abs(b) + 1e-9 for a, b in zip(z, raw))
