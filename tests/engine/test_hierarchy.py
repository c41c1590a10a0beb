"""Aggregation at every level of the hierarchy, on tests/data/hierarki (worked by hand).

Provinsi 33 Jawa Tengah
  Kabupaten 3323 Temanggung: Kec 332307 Kaloran (Gandulan, Tegowanuh), Kec 332306 Kandangan (Kandangan, Baledu)
  Kabupaten 3308 Magelang:   Kec 330801 Salaman (Salaman, Kalisalak), Kec 330802 Borobudur (Borobudur)

            wajib_ktp ktp_el rkp
  Gandulan     100      90    1
  Tegowanuh    300     240    0
  Kandangan    200     200    1
  Baledu       400     380    -     (missing flag: not achieved)
  Salaman       50      45    1
  Kalisalak     -       70    1     (no wajib_ktp: out of IKU-02's sums)
  Borobudur   1000    1010    0
"""

import math

import pytest

from iku_lib import compute, load_dataset

from ..conftest import DATA

# (indikator, level, kode): (pembilang, penyebut, nilai)
EXPECTED = {
    ("IKU-02", "kecamatan", "332307"): (330, 400, 82.5),
    ("IKU-02", "kecamatan", "332306"): (580, 600, 58000 / 600),
    ("IKU-02", "kecamatan", "330801"): (45, 50, 90.0),
    ("IKU-02", "kecamatan", "330802"): (1010, 1000, 101.0),
    ("IKU-02", "kabupaten", "3323"): (910, 1000, 91.0),
    ("IKU-02", "kabupaten", "3308"): (1055, 1050, 105500 / 1050),
    ("IKU-02", "provinsi", "33"): (1965, 2050, 196500 / 2050),  # not the mean of 91 and 100.48
    ("IKU-05", "kecamatan", "332307"): (1, 2, 50.0),
    ("IKU-05", "kecamatan", "332306"): (1, 2, 50.0),
    ("IKU-05", "kecamatan", "330801"): (2, 2, 100.0),
    ("IKU-05", "kecamatan", "330802"): (0, 1, 0.0),
    ("IKU-05", "kabupaten", "3323"): (2, 4, 50.0),
    ("IKU-05", "kabupaten", "3308"): (2, 3, 200 / 3),
    ("IKU-05", "provinsi", "33"): (4, 7, 400 / 7),
}
# targets: IKU-02 96 for the top level, 95 for kabupaten 3323 (kode_wilayah); IKU-05 60 top level
CAPAIAN = {
    ("IKU-02", "3323"): (95, 91 / 95 * 100, "Sangat Tinggi"),
    ("IKU-02", "3308"): (None, None, None),  # no target of its own, and not the top level
    ("IKU-02", "33"): (96, 196500 / 2050 / 96 * 100, "Sangat Tinggi"),
    ("IKU-05", "33"): (60, 400 / 7 / 60 * 100, "Sangat Tinggi"),
    ("IKU-05", "332307"): (None, None, None),
}


@pytest.fixture(scope="module")
def table():
    return compute(load_dataset(DATA / "hierarki"), 2022).set_index(["indikator", "kode_wilayah"])


def test_every_level_present(table):
    counts = table[table.index.get_level_values(0) == "IKU-02"]["level"].value_counts().to_dict()
    assert counts == {"desa": 7, "kecamatan": 4, "kabupaten": 2, "provinsi": 1}
    assert table.loc[("IKU-02", "3308"), "nama_wilayah"] == "Magelang"
    assert table.loc[("IKU-02", "33"), "nama_wilayah"] == "Jawa Tengah"


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_sum_of_numerators_over_sum_of_denominators(table, key):
    ident, level, code = key
    row = table.loc[(ident, code)]
    num, den, value = EXPECTED[key]
    assert row["level"] == level
    assert (row["pembilang"], row["penyebut"]) == (num, den)
    assert row["nilai"] == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("key", sorted(CAPAIAN))
def test_targets_per_area_and_top_level(table, key):
    row = table.loc[key]
    target, capaian, predikat = CAPAIAN[key]
    if target is None:
        assert math.isnan(row["target"]) and math.isnan(row["capaian"])
    else:
        assert row["target"] == target
        assert row["capaian"] == pytest.approx(capaian, rel=1e-12)
        assert row["predikat"] == predikat


def test_level_filter(table):
    only = compute(load_dataset(DATA / "hierarki"), 2022, level="kabupaten")
    assert set(only["level"]) == {"kabupaten"} and len(only) == 2 * 2  # 2 kabupaten x IKU-02, IKU-05 (iku.yaml)
