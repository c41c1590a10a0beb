"""LKjIP chapter III.A.3: realisasi against the Renstra end target, and the linear projection.

The default catalog: period 2019-2023 (end target = the 2023 target), negative-polarity
variant 2t-r, no cap, 2 display decimals. Every expectation is worked out by hand in the
comment beside it.
"""

import dataclasses
import math
import shutil

import pandas as pd
import pytest

from iku_lib import compute, load_catalog, load_dataset
from iku_lib.engine.renstra import RENSTRA_COLUMNS, end_targets, reaches, renstra_progress

from ..conftest import KECIL
from .test_multiyear import AREA, computed


def targets(rows):
    """A target.csv-like frame: (indikator, tahun, target, kode_wilayah or None)."""
    return pd.DataFrame(rows, columns=["indikator", "tahun", "target", "kode_wilayah"]).astype({"tahun": int})


def values(*rows):
    """Computed rows of the area with a value only: (indikator, tahun, nilai)."""
    return computed([(i, t, v, None, None, None) for i, t, v in rows])


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def progress(catalog):
    table = values(
        ("IKU-02", 2019, 90.0), ("IKU-02", 2020, 92.0), ("IKU-02", 2021, 94.0),
        ("IKU-04", 2019, 80.0), ("IKU-04", 2021, 84.0),           # 2020 missing
        ("IKU-08", 2020, 6.0), ("IKU-08", 2021, 5.0),             # 2019 missing: the pace starts in 2020
        ("IKU-07", 2021, 87.4),                                   # one year only
        ("IKU-05", 2019, 50.0), ("IKU-05", 2021, 60.0),           # no end target
        ("IKU-09", 2019, 3.0), ("IKU-09", 2021, 1.0),             # the line falls below 0 by 2023
        ("IKU-10", 2019, 70.0),                                   # no realisasi in 2021
    )
    ends = targets([("IKU-02", 2023, 98.0, None), ("IKU-04", 2023, 95.0, None), ("IKU-08", 2023, 4.0, None),
                    ("IKU-07", 2023, 92.0, None), ("IKU-09", 2023, 4.0, None), ("IKU-10", 2023, 100.0, None),
                    ("IKU-05", 2022, 70.0, None)])  # a 2022 target is not the end target
    return renstra_progress(table, ends, catalog, 2021).set_index("indikator")


def test_columns_and_one_row_per_indicator(progress, catalog):
    assert list(progress.reset_index().columns) == RENSTRA_COLUMNS
    assert progress.index.tolist() == catalog.ids
    assert set(progress["tahun"]) == {2021} and set(progress["tahun_akhir"]) == {2023}


def test_positive_indicator_on_pace(progress):
    row = progress.loc["IKU-02"]
    assert row["target_akhir"] == 98.0
    assert row["progres"] == pytest.approx(94 / 98 * 100)    # 95.918...: realisasi / end target x 100
    assert row["tahun_awal"] == 2019
    assert row["laju"] == pytest.approx(2.0)                 # (94 - 90) / (2021 - 2019)
    assert row["proyeksi_akhir"] == pytest.approx(98.0)      # 94 + 2 x (2023 - 2021): exactly the target
    assert row["tercapai_pada_laju_ini"]
    assert row["keterangan"] == ("proyeksi linear dengan laju rata-rata 2019-2021 (+2,00 poin per tahun): 98,00% "
                                 "pada 2023, mencapai target akhir periode Renstra (2023) sebesar 98,00%")


def test_positive_indicator_off_pace_with_a_gap_year(progress):
    row = progress.loc["IKU-04"]
    assert row["progres"] == pytest.approx(84 / 95 * 100)    # 88.42...
    assert row["laju"] == pytest.approx(2.0)                 # (84 - 80) / 2: the missing 2020 is no obstacle
    assert row["proyeksi_akhir"] == pytest.approx(88.0)      # 84 + 2 x 2 < 95
    assert not row["tercapai_pada_laju_ini"]
    assert "tidak mencapai target akhir" in row["keterangan"]


def test_negative_indicator_uses_the_catalogs_capaian_formula(progress, catalog):
    row = progress.loc["IKU-08"]
    assert row["progres"] == pytest.approx(75.0)             # 2t-r: (2 x 4 - 5) / 4 x 100
    assert row["tahun_awal"] == 2020                         # the first year of the period with a value
    assert row["laju"] == pytest.approx(-1.0)                # (5 - 6) / (2021 - 2020)
    assert row["proyeksi_akhir"] == pytest.approx(3.0)       # 5 - 1 x 2 <= 4: lower is better
    assert row["tercapai_pada_laju_ini"]
    assert "(-1,00 poin per tahun)" in row["keterangan"]
    # with the t/r variant: 4 / 5 x 100
    table = values(("IKU-08", 2020, 6.0), ("IKU-08", 2021, 5.0))
    ends = targets([("IKU-08", 2023, 4.0, None)])
    other = renstra_progress(table, ends, dataclasses.replace(catalog, negative_variant="t/r"), 2021)
    assert other.set_index("indikator").loc["IKU-08", "progres"] == pytest.approx(80.0)


def test_target_zero_follows_the_capaian_rule(catalog):
    # IKU-03 (negative), end target 0: realisasi 0 meets it exactly (100); 0.5 gives no ratio (NaN)
    ends = targets([("IKU-03", 2023, 0.0, None)])
    met = renstra_progress(values(("IKU-03", 2021, 0.0)), ends, catalog, 2021).set_index("indikator")
    missed = renstra_progress(values(("IKU-03", 2021, 0.5)), ends, catalog, 2021).set_index("indikator")
    assert met.loc["IKU-03", "progres"] == 100.0
    assert math.isnan(missed.loc["IKU-03", "progres"])


def test_projection_never_below_zero(progress):
    row = progress.loc["IKU-09"]
    assert row["laju"] == pytest.approx(-1.0)                # (1 - 3) / 2
    assert row["proyeksi_akhir"] == 0.0                      # 1 - 1 x 2 = -1, floored at 0
    assert row["tercapai_pada_laju_ini"]                     # 0 <= 4


def test_not_computable_cases_say_why(progress):
    one = progress.loc["IKU-07"]
    assert one["progres"] == pytest.approx(87.4 / 92 * 100)  # 95: progress is known without a pace
    assert pd.isna(one["tercapai_pada_laju_ini"]) and math.isnan(one["proyeksi_akhir"])
    assert one["keterangan"] == "hanya ada data satu tahun (2021); proyeksi linear tidak dapat dihitung"
    none = progress.loc["IKU-05"]
    assert math.isnan(none["target_akhir"]) and math.isnan(none["progres"])
    assert pd.isna(none["tercapai_pada_laju_ini"])
    assert none["proyeksi_akhir"] == pytest.approx(70.0)     # 60 + (60 - 50) / 2 x 2, shown but not judged
    assert none["keterangan"].startswith("tidak ada target akhir periode Renstra (2023) di target.csv")
    gone = progress.loc["IKU-10"]
    assert math.isnan(gone["nilai"]) and pd.isna(gone["tercapai_pada_laju_ini"])
    assert gone["keterangan"].startswith("realisasi 2021 tidak tersedia")


def test_report_year_is_the_end_year(catalog):
    # the table has the end year: its rows carry the targets compute attached
    table = computed([("IKU-02", 2021, 94.0, None, None, None), ("IKU-02", 2023, 97.0, 98.0, None, None),
                      ("IKU-08", 2023, 3.5, 4.0, None, None)])
    ends = targets([("IKU-02", 2023, 98.0, None), ("IKU-08", 2023, 4.0, None)])
    out = renstra_progress(table, ends, catalog, 2023).set_index("indikator")
    assert not out.loc["IKU-02", "tercapai_pada_laju_ini"]   # 97 < 98
    assert math.isnan(out.loc["IKU-02", "proyeksi_akhir"])
    assert out.loc["IKU-02", "keterangan"] == ("realisasi 2023 (97,00%) belum mencapai target akhir periode "
                                               "Renstra (2023) sebesar 98,00%")
    assert out.loc["IKU-08", "tercapai_pada_laju_ini"]       # 3.5 <= 4, lower is better
    assert out.loc["IKU-08", "progres"] == pytest.approx(112.5)  # (2 x 4 - 3.5) / 4 x 100
    # a report year after the period: still judged against the end target, and said so
    later = pd.concat([table, computed([("IKU-02", 2024, 98.5, None, None, None)])], ignore_index=True)
    row = renstra_progress(later, ends, catalog, 2024).set_index("indikator").loc["IKU-02"]
    assert row["tercapai_pada_laju_ini"] and row["progres"] == pytest.approx(98.5 / 98 * 100)
    assert row["keterangan"] == ("periode Renstra berakhir pada 2023; realisasi 2024 (98,50%) telah mencapai "
                                 "target akhir periode Renstra (2023) sebesar 98,00%")


def test_end_target_is_resolved_as_compute_resolves_targets():
    rows = values(("IKU-02", 2021, 94.0))
    ends = targets([("IKU-02", 2023, 98.0, None), ("IKU-02", 2023, 97.0, AREA), ("IKU-04", 2023, 95.0, None)])
    # the area's own target wins over the general one; the general one applies at the top level
    got = end_targets(rows, ends, ["IKU-02", "IKU-04"], 2023, AREA, "kecamatan", "kecamatan")
    assert got.to_dict() == {"IKU-02": 97.0, "IKU-04": 95.0}
    # below the top level only the area's own target applies
    got = end_targets(rows, ends, ["IKU-02", "IKU-04"], 2023, AREA, "kecamatan", "kabupaten")
    assert got["IKU-02"] == 97.0 and math.isnan(got["IKU-04"])
    # when the table has the end year, the target compute attached to it is the one
    with_end = computed([("IKU-02", 2023, 96.0, 99.0, None, None)])
    assert end_targets(with_end, ends, ["IKU-02"], 2023, AREA, "kecamatan", "kecamatan")["IKU-02"] == 99.0


def test_reaches_by_polarity():
    assert reaches(98.0, 98.0, "positif") and not reaches(97.99, 98.0, "positif")
    assert reaches(4.0, 4.0, "negatif") and not reaches(4.01, 4.0, "negatif")
    assert reaches(90.99999999999999, 91.0, "positif")  # floating-point noise does not decide


def test_on_kecil_with_an_end_target_in_target_csv(tmp_path, catalog):
    data = tmp_path / "kecil"
    shutil.copytree(KECIL, data)
    with (data / "target.csv").open("a", encoding="utf-8") as f:
        f.write("IKU-02,2023,99\n")
    dataset = load_dataset(data)
    out = renstra_progress(compute(dataset), dataset.targets, dataset.catalog, 2022).set_index("indikator")
    row = out.loc["IKU-02"]
    assert row["target_akhir"] == 99.0
    # nilai (1450 + 2010) / (1500 + 2000) x 100 = 98.857142..., / 99 x 100 = 99.855699...
    assert row["progres"] == pytest.approx(3460 / 3500 * 100 / 99 * 100)
    assert pd.isna(row["tercapai_pada_laju_ini"])            # kecil has 2022 only
    assert math.isnan(out.loc["IKU-04", "target_akhir"])     # no 2023 target for it


def test_without_a_period_nothing_is_judged(catalog):
    bare = dataclasses.replace(catalog, meta={k: v for k, v in catalog.meta.items() if k != "periode"})
    out = renstra_progress(values(("IKU-02", 2021, 94.0)), targets([("IKU-02", 2023, 98.0, None)]), bare, 2021)
    row = out.set_index("indikator").loc["IKU-02"]
    assert math.isnan(row["target_akhir"]) and pd.isna(row["tahun_akhir"]) and pd.isna(row["tercapai_pada_laju_ini"])
    assert row["keterangan"].startswith("katalog tidak menyebut periode Renstra")
