"""Indicator values on tests/data/kecil, every expectation worked out by hand.

The data (2022, three desa):
            penduduk wajib_ktp ktp_el perangkat melanggar pbb_ket  pbb_real ibadah baik tinggal rtlh krim lap tindak  keg rkp apb keu
  Alpha       2000     1500    1450     20        1       50 jt    45 jt     10     9    500    25   2    4    4     1   1   1   1
  Beta        3000     2000    2010     16        0       30 jt    30 jt      8     6    800    40   1    0    0     0   1   0   1
  Gamma       1000      -       700     14        2       20 jt    15 jt      2     2    200    30   0    6    3     1   -   1   0
"""

import math

import pandas as pd
import pytest

from iku_lib import COLUMNS, compute, load_dataset
from iku_lib.exceptions import DataError, ParameterError

from ..conftest import KECIL

ALPHA, BETA, GAMMA = "3301010001", "3301010002", "3301010003"
nan = math.nan

# indikator: (pembilang, penyebut, nilai) for the kecamatan, summed by hand
KECAMATAN = {
    "IKU-01": (2, 3, 200 / 3),             # kegiatan: 1 + 0 + 1 of 3 desa
    "IKU-02": (3460, 3500, 346000 / 3500),  # Gamma has no wajib_ktp: left out of both sums
    "IKU-03": (3, 50, 6.0),
    "IKU-04": (90e6, 100e6, 90.0),
    "IKU-05": (2, 3, 200 / 3),             # Gamma's missing rkp counts as not achieved
    "IKU-06": (2, 3, 200 / 3),
    "IKU-07": (17, 20, 85.0),
    "IKU-08": (95, 1500, 9500 / 1500),
    "IKU-09": (3, 6000, 5.0),              # 3 / 6000 x 10.000
    "IKU-10": (7, 10, 70.0),               # Beta's 0/0 adds nothing
    "IT-01": (2, 3, 200 / 3),
}
# indikator: (target, capaian, predikat), by hand from the targets in kecil/target.csv
CAPAIAN = {
    "IKU-01": (80, 250 / 3, "Tinggi"),                 # 66.67 / 80 = 83.33
    "IKU-02": (95, 346000 / 3500 / 95 * 100, "Sangat Tinggi"),  # 104.06
    "IKU-03": (5, 80.0, "Tinggi"),                      # negative: (10 - 6) / 5
    "IKU-04": (95, 9000 / 95, "Sangat Tinggi"),         # 94.74
    "IKU-05": (100, 200 / 3, "Sedang"),                 # 66.67
    "IKU-06": (nan, nan, None),                         # no target in target.csv
    "IKU-07": (85, 100.0, "Sangat Tinggi"),
    "IKU-08": (4, (8 - 19 / 3) / 4 * 100, "Sangat Rendah"),  # 41.67
    "IKU-09": (5, 100.0, "Sangat Tinggi"),              # (10 - 5) / 5
    "IKU-10": (140, 50.0, "Sangat Rendah"),             # 70 / 140 = 50 < 51
    "IT-01": (0, nan, None),                            # target 0 with realisasi 66.67: undefined
}


@pytest.fixture(scope="module")
def table():
    return compute(load_dataset(KECIL), 2022)


def row(table, indikator, kode):
    found = table[(table["indikator"] == indikator) & (table["kode_wilayah"] == kode)]
    assert len(found) == 1
    return found.iloc[0]


def test_columns_and_shape(table):
    # The CSV's columns (COLUMNS), with the API's extras: the name beside the id, notes at the end.
    assert list(table.columns) == ["indikator", "nama_indikator", "tahun", "level", "kode_wilayah", "nama_wilayah",
                                   "pembilang", "penyebut", "nilai", "satuan", "target", "capaian", "predikat",
                                   "dihitung", "catatan", "sumber_nilai"]
    assert [c for c in table.columns if c in COLUMNS] == COLUMNS
    assert table.loc[table["indikator"] == "IKU-09", "nama_indikator"].unique().tolist() == \
        ["Angka kriminalitas kecamatan"]
    assert (table["sumber_nilai"] == "").all()  # nothing is reported directly in kecil
    assert len(table) == 11 * 3 + 11
    assert table["level"].value_counts().to_dict() == {"desa": 33, "kecamatan": 11}


@pytest.mark.parametrize("indikator", sorted(KECAMATAN))
def test_kecamatan_values(table, indikator):
    r = row(table, indikator, "3323070")
    num, den, value = KECAMATAN[indikator]
    assert (r["level"], r["nama_wilayah"], r["tahun"]) == ("kecamatan", "Kaloran", 2022)
    assert r["pembilang"] == num and r["penyebut"] == den
    assert r["nilai"] == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("indikator", sorted(CAPAIAN))
def test_kecamatan_capaian_and_predikat(table, indikator):
    r = row(table, indikator, "3323070")
    target, capaian, predikat = CAPAIAN[indikator]
    assert r["target"] == pytest.approx(target, nan_ok=True)
    assert r["capaian"] == pytest.approx(capaian, rel=1e-12, nan_ok=True)
    assert (r["predikat"] if isinstance(r["predikat"], str) else None) == predikat


@pytest.mark.parametrize(
    "indikator, kode, nilai",
    [
        ("IKU-01", BETA, 0.0), ("IKU-01", GAMMA, 100.0),
        ("IKU-02", ALPHA, 1450 / 1500 * 100), ("IKU-02", BETA, 100.5),
        ("IKU-03", GAMMA, 2 / 14 * 100), ("IKU-04", GAMMA, 75.0),
        ("IKU-07", BETA, 75.0), ("IKU-08", GAMMA, 15.0),
        ("IKU-09", ALPHA, 10.0), ("IKU-09", BETA, 1 / 3000 * 10000), ("IKU-09", GAMMA, 0.0),
        ("IKU-10", GAMMA, 50.0), ("IT-01", GAMMA, 0.0),
    ],
)
def test_desa_values(table, indikator, kode, nilai):
    r = row(table, indikator, kode)
    assert r["level"] == "desa"
    assert r["nilai"] == pytest.approx(nilai, rel=1e-12)
    # targets, capaian and grades belong to the kecamatan level only
    assert math.isnan(r["target"]) and math.isnan(r["capaian"]) and pd.isna(r["predikat"])


def test_zero_denominator_gives_no_value_not_inf(table):
    r = row(table, "IKU-10", BETA)
    assert (r["pembilang"], r["penyebut"]) == (0, 0)
    assert math.isnan(r["nilai"]) and r["catatan"] == "penyebut_nol"


def test_numerator_above_denominator_is_kept(table):
    r = row(table, "IKU-02", BETA)
    assert (r["pembilang"], r["penyebut"]) == (2010, 2000)
    assert r["catatan"] == "pembilang_melebihi_penyebut"


def test_missing_value_policies(table):
    ratio = row(table, "IKU-02", GAMMA)  # ratio indicator: left out of both sums
    assert ratio["pembilang"] == 700 and math.isnan(ratio["penyebut"]) and math.isnan(ratio["nilai"])
    assert not ratio["dihitung"] and ratio["catatan"] == "tidak_ada_data"
    flag = row(table, "IKU-05", GAMMA)  # number-of-desa indicator: counts as not achieved
    assert math.isnan(flag["pembilang"]) and flag["penyebut"] == 1 and math.isnan(flag["nilai"])
    assert flag["dihitung"] and flag["catatan"] == "kosong_dihitung_tidak_tercapai"


def test_level_filter_and_several_years(table):
    data = load_dataset(KECIL)
    only = compute(data, [2022], level="kecamatan")
    assert set(only["level"]) == {"kecamatan"} and len(only) == 11
    with pytest.raises(ParameterError, match="level 'kabupaten' tidak ada"):
        compute(data, 2022, level="kabupaten")
    with pytest.raises(ParameterError, match="tahun 2021 tidak ada"):
        compute(data, [2021, 2022])


def test_compute_refuses_data_with_errors(tmp_path):
    import shutil

    shutil.copytree(KECIL, tmp_path / "d")
    (tmp_path / "d" / "2022" / "lainnya.csv").write_text("desa,rtlh\nAlpha,banyak\n", encoding="utf-8")
    with pytest.raises(DataError, match='baris 2, kolom "rtlh", nilai "banyak"'):
        compute(load_dataset(tmp_path / "d"), 2022)


def test_input_frames_are_not_mutated():
    data = load_dataset(KECIL)
    before = data.observations.copy()
    compute(data, 2022)
    pd.testing.assert_frame_equal(data.observations, before)


def test_a_year_given_as_text_is_refused_clearly():
    with pytest.raises(ParameterError, match="tahun harus bilangan bulat"):
        compute(load_dataset(KECIL), "2022")
