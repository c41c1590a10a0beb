"""LKjIP chapter III.A.2: the multi-year table of one area and the change from the year before.

Every expected figure is worked out by hand from the small tables below (the working is in
the comment beside it); the default catalog has the Renstra period 2019-2023 and 2 display
decimals for every indicator.
"""

import dataclasses
import math

import pandas as pd
import pytest

from iku_lib import compute, load_catalog, load_dataset
from iku_lib.engine.multiyear import (MULTIYEAR_COLUMNS, area_rows, change_phrase, direction, multiyear_table,
                                      period_years, renstra_period)
from iku_lib.exceptions import ParameterError

from ..conftest import KECIL

AREA = "3323070"


def computed(rows, kode=AREA, level="kecamatan"):
    """A computed-table-like frame: (indikator, tahun, nilai, target, capaian, predikat) per row."""
    frame = pd.DataFrame(rows, columns=["indikator", "tahun", "nilai", "target", "capaian", "predikat"])
    frame.insert(2, "level", level)
    frame.insert(3, "kode_wilayah", kode)
    return frame


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_one_row_per_indicator_and_period_year_with_a_missing_year_kept(catalog):
    table = pd.concat([
        computed([("IKU-02", 2019, 90.0, 95.0, 94.7368, "Sangat Tinggi"),
                  ("IKU-02", 2020, 92.5, 96.0, 96.3542, "Sangat Tinggi"),
                  ("IKU-02", 2022, 96.0, 98.0, 97.9592, "Sangat Tinggi")]),
        # a desa of the area with other values: never taken for the area
        computed([("IKU-02", 2021, 50.0, None, None, None)], kode="3323070001", level="desa"),
    ], ignore_index=True)
    out = multiyear_table(table, catalog, 2022)
    assert list(out.columns) == MULTIYEAR_COLUMNS
    # 11 indicators of the catalog x the period's years 2019..2022 (4)
    assert len(out) == 44
    assert out["indikator"].drop_duplicates().tolist() == catalog.ids
    iku02 = out[out["indikator"] == "IKU-02"].set_index("tahun")
    assert iku02.index.tolist() == [2019, 2020, 2021, 2022]
    assert iku02.loc[2020, "target"] == 96.0 and iku02.loc[2020, "predikat"] == "Sangat Tinggi"
    # 2021 has no data in the area (the desa row does not count): present, empty
    assert math.isnan(iku02.loc[2021, "nilai"]) and math.isnan(iku02.loc[2021, "target"])
    assert math.isnan(iku02.loc[2021, "capaian"]) and pd.isna(iku02.loc[2021, "predikat"])
    assert iku02.loc[2021, "keterangan"] == "realisasi 2021 tidak tersedia"
    # 2020: 92.5 - 90.0 = 2.5, up for a positive indicator
    assert iku02.loc[2020, "perubahan"] == pytest.approx(2.5)
    assert iku02.loc[2020, "arah"] == "membaik"
    assert iku02.loc[2020, "keterangan"] == "naik 2,50 poin dari 2019 (membaik)"
    # 2022: the year before (2021) has no value
    assert math.isnan(iku02.loc[2022, "perubahan"]) and pd.isna(iku02.loc[2022, "arah"])
    assert iku02.loc[2022, "keterangan"] == "realisasi 2021 tidak tersedia; perubahan tidak dapat dihitung"
    # 2019: 2018 is not in the table
    assert math.isnan(iku02.loc[2019, "perubahan"])
    # an indicator without any data: 4 empty rows
    assert out[out["indikator"] == "IKU-10"]["nilai"].isna().all()


@pytest.mark.parametrize("ident, before, now, change, arah, phrase", [
    # IKU-08 negative: 5.5 - 6.0 = -0.5, a fall is better
    ("IKU-08", 6.0, 5.5, -0.5, "membaik", "turun 0,50 poin dari 2021 (membaik)"),
    # IKU-03 negative: 1.25 - 1.0 = 0.25, a rise is worse
    ("IKU-03", 1.0, 1.25, 0.25, "memburuk", "naik 0,25 poin dari 2021 (memburuk)"),
    # IKU-04 positive: 93 - 95 = -2, a fall is worse
    ("IKU-04", 95.0, 93.0, -2.0, "memburuk", "turun 2,00 poin dari 2021 (memburuk)"),
    # IKU-01 positive: 80.004 - 80 = 0.004, shown with 2 decimals as 0,00: unchanged
    ("IKU-01", 80.0, 80.004, 0.004, "tetap", "sama dengan 2021 (tetap)"),
])
def test_direction_follows_the_polarity(catalog, ident, before, now, change, arah, phrase):
    table = computed([(ident, 2021, before, None, None, None), (ident, 2022, now, None, None, None)])
    row = multiyear_table(table, catalog, 2022).set_index(["indikator", "tahun"]).loc[(ident, 2022)]
    assert row["perubahan"] == pytest.approx(change)
    assert row["arah"] == arah
    assert row["keterangan"] == phrase


def test_phrases_use_the_display_decimals():
    # 2.5 with 0 decimals is shown rounded half away from zero: 3
    assert change_phrase(2.5, 2022, "membaik", 0) == "naik 3 poin dari 2022 (membaik)"
    # 1234.5 with 1 decimal: thousands with '.', decimals with ','
    assert change_phrase(-1234.5, 2020, "memburuk", 1) == "turun 1.234,5 poin dari 2020 (memburuk)"
    # 0.005 with 2 decimals shows as 0,01: a change; 0.004 shows as 0,00: none
    assert direction(0.005, "positif", 2) == "membaik" and direction(0.004, "negatif", 2) == "tetap"
    assert direction(float("nan"), "positif", 2) is None


def test_period_years(catalog):
    # catalog periode [2019, 2023]
    assert renstra_period(catalog) == (2019, 2023)
    assert period_years(catalog, 2019) == [2019]
    assert period_years(catalog, 2023) == [2019, 2020, 2021, 2022, 2023]
    # a report year after the period keeps its own row
    assert period_years(catalog, 2025) == [2019, 2020, 2021, 2022, 2023, 2025]
    # without a period: the years of data up to the report year
    bare = dataclasses.replace(catalog, meta={k: v for k, v in catalog.meta.items() if k != "periode"})
    assert renstra_period(bare) is None
    assert period_years(bare, 2022, [2020, 2022, 2023]) == [2020, 2022]


def test_the_area_must_be_named_when_the_top_level_has_several():
    table = pd.concat([computed([("IKU-02", 2022, 90.0, None, None, None)], kode="332307"),
                       computed([("IKU-02", 2022, 80.0, None, None, None)], kode="332306")], ignore_index=True)
    with pytest.raises(ParameterError, match="kode_wilayah"):
        area_rows(table)
    rows, kode, level = area_rows(table, "332306")
    assert (kode, level, rows["nilai"].tolist()) == ("332306", "kecamatan", [80.0])
    with pytest.raises(ParameterError, match="9999"):
        area_rows(table, "9999")


def test_on_the_computed_table_of_kecil():
    dataset = load_dataset(KECIL)
    out = multiyear_table(compute(dataset), dataset.catalog, 2022).set_index(["indikator", "tahun"])
    # kecil has 2022 only: 2019-2021 are there, empty; IKU-02 2022 = (1450 + 2010) / (1500 + 2000) x 100
    assert out.loc["IKU-02"].index.tolist() == [2019, 2020, 2021, 2022]
    assert out.loc[("IKU-02", 2022), "nilai"] == pytest.approx(98.857142857)
    assert out.loc["IKU-02"]["nilai"].iloc[:3].isna().all()
