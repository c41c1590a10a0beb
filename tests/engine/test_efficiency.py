"""LKjIP chapter III.A.6 (efficiency) and III.B (realisasi anggaran per program).

The budget links frames are built here by hand, in the shape `ingest.anggaran.anggaran_links`
gives (tahun, indikator, program, kegiatan, pagu, realisasi, baris); every expected figure is
worked out by hand in the comment beside it.
"""

import math

import pandas as pd
import pytest

from iku_lib import load_catalog
from iku_lib.engine.efficiency import (EFFICIENCY_COLUMNS, PROGRAM_COLUMNS, absorption, efficiency_table, judge,
                                       program_serapan)
from iku_lib.exceptions import ParameterError
from iku_lib.ingest.catalog import EfficiencySetting

RASIO = EfficiencySetting("rasio")
SELISIH = EfficiencySetting("selisih", 5.0)


def links(*rows):
    """Budget links: (tahun, indikator, program, kegiatan, pagu, realisasi, baris)."""
    return pd.DataFrame(rows, columns=["tahun", "indikator", "program", "kegiatan", "pagu", "realisasi", "baris"])


def capaian(*rows):
    """The report area's capaian: (indikator, tahun, capaian)."""
    return pd.DataFrame(rows, columns=["indikator", "tahun", "capaian"])


ONE_LINE = links((2023, "IKU-01", "Program A", "Kegiatan A1", 200_000_000, 180_000_000, 1))


def test_ratio_method_hand_worked():
    row = efficiency_table(capaian(("IKU-01", 2023, 95.0)), ONE_LINE, setting=RASIO).iloc[0]
    assert row["pagu"] == 200_000_000 and row["realisasi_anggaran"] == 180_000_000
    assert row["serapan"] == 90.0                               # 180.000.000 / 200.000.000 x 100
    assert row["indeks"] == pytest.approx(1.0556, abs=5e-5)      # 95 / 90 = 1,05556
    assert row["tingkat_efisiensi"] == pytest.approx(5.56, abs=5e-3)  # (1,05556 - 1) x 100 = 5,556%
    assert math.isnan(row["selisih"])
    assert (row["metode"], row["kategori"], row["alasan"]) == ("rasio", "efisien", "")


def test_difference_method_hand_worked_boundary_inclusive():
    row = efficiency_table(capaian(("IKU-01", 2023, 95.0)), ONE_LINE, setting=SELISIH).iloc[0]
    assert row["selisih"] == pytest.approx(5.0)                 # 95 - 90: on the boundary 5
    assert row["kategori"] == "cukup efisien"                   # "-5 to 5 cukup efisien"
    assert math.isnan(row["indeks"]) and row["metode"] == "selisih"


@pytest.mark.parametrize("achieved, expected", [
    (95.01, "efisien"),         # 95,01 - 90 = 5,01 > 5
    (95.0, "cukup efisien"),    # 5: upper end included
    (85.0, "cukup efisien"),    # 85 - 90 = -5: lower end included
    (84.99, "tidak efisien"),   # -5,01 < -5
])
def test_difference_boundaries(achieved, expected):
    assert judge(achieved, 90.0, SELISIH)[3] == expected


def test_difference_margin_is_the_catalogs():
    # batas 3: 95 - 90 = 5 > 3
    assert judge(95.0, 90.0, EfficiencySetting("selisih", 3.0))[3] == "efisien"


@pytest.mark.parametrize("achieved, index, level, expected", [
    (90.0, 1.0, 0.0, "efisien"),                         # 90 / 90 = 1: efficient from 1 (inclusive)
    (89.9, 89.9 / 90, (89.9 / 90 - 1) * 100, "tidak efisien"),  # 0,99889; TE -0,111%
    (0.0, 0.0, -100.0, "tidak efisien"),                 # nothing achieved with money spent
])
def test_ratio_boundary(achieved, index, level, expected):
    got_index, got_level, gap, category = judge(achieved, 90.0, RASIO)
    assert got_index == pytest.approx(index) and got_level == pytest.approx(level)
    assert math.isnan(gap) and category == expected


def test_serapan_sums_the_linked_lines_of_the_year():
    frame = links((2023, "IKU-02", "Program A", "Kegiatan A1", 100_000_000, 90_000_000, 1),
                  (2023, "IKU-02", "Program B", "Kegiatan B1", 300_000_000, 210_000_000, 2),
                  (2023, "IKU-02", "Program B", "Kegiatan B1", 300_000_000, 210_000_000, 2),  # listed twice
                  (2022, "IKU-02", "Program A", "Kegiatan A1", 100_000_000, 100_000_000, 1))
    out = efficiency_table(capaian(("IKU-02", 2023, 80.0)), frame, setting=RASIO).set_index("tahun")
    # 2023: (90 + 210) / (100 + 300) million x 100 = 75 (line 2 once); IE 80 / 75 = 1,0667
    assert out.loc[2023, "pagu"] == 400_000_000 and out.loc[2023, "serapan"] == 75.0
    assert out.loc[2023, "indeks"] == pytest.approx(80 / 75)
    # 2022 has a budget but no capaian row: not computable, serapan still shown (100)
    assert out.loc[2022, "serapan"] == 100.0 and out.loc[2022, "kategori"] == "tidak dapat dihitung"
    assert out.loc[2022, "alasan"] == "capaian kinerja 2022 tidak tersedia (realisasi atau target tidak ada)"


def test_not_computable_cases_give_the_reason():
    frame = links((2023, "IKU-01", "Program A", "Kegiatan A1", 50_000_000, 0, 1),           # spent nothing
                  (2023, "IKU-02", "Program A", "Kegiatan A2", 0, 0, 2),                    # pagu 0
                  (2023, "IKU-04", "Program B", "Kegiatan B1", 10_000_000, None, 3),        # realisasi missing
                  (2023, "IKU-07", "Program B", "Kegiatan B2", 10_000_000, 9_000_000, 4))   # no capaian
    cap = capaian(("IKU-01", 2023, 95.0), ("IKU-02", 2023, 95.0), ("IKU-04", 2023, 95.0),
                  ("IKU-05", 2023, 95.0),                                                  # no linked program
                  ("IKU-07", 2023, float("nan")))
    out = efficiency_table(cap, frame, setting=SELISIH).set_index("indikator")
    assert set(out["kategori"]) == {"tidak dapat dihitung"}
    assert out[["indeks", "tingkat_efisiensi", "selisih"]].isna().all().all()
    assert out.loc["IKU-01", "serapan"] == 0.0
    assert out.loc["IKU-01", "alasan"] == "realisasi anggaran 0 (serapan 0%), sehingga efisiensi tidak dapat dihitung"
    assert math.isnan(out.loc["IKU-02", "serapan"])
    assert out.loc["IKU-02", "alasan"] == "pagu anggaran 0, sehingga serapan tidak dapat dihitung"
    assert out.loc["IKU-04", "alasan"] == "data pagu atau realisasi anggaran 2023 tidak lengkap"
    assert out.loc["IKU-05", "alasan"] == ("tidak ada program/kegiatan yang ditautkan ke indikator ini pada "
                                           "anggaran 2023")
    assert math.isnan(out.loc["IKU-05", "pagu"])
    assert out.loc["IKU-07", "serapan"] == 90.0                # 9 / 10 million
    assert out.loc["IKU-07", "alasan"].startswith("capaian kinerja 2023 tidak tersedia")


def test_columns_order_and_method_from_the_catalog():
    catalog = load_catalog()  # efisiensi: {metode: rasio}
    cap = capaian(("IT-01", 2023, 90.0), ("IKU-02", 2023, 90.0), ("IKU-02", 2022, 90.0))
    out = efficiency_table(cap, ONE_LINE, catalog)
    assert list(out.columns) == EFFICIENCY_COLUMNS
    # catalog order (IKU-01, IKU-02, ..., IT-01), then by year
    assert list(zip(out["indikator"], out["tahun"])) == [("IKU-01", 2023), ("IKU-02", 2022), ("IKU-02", 2023),
                                                         ("IT-01", 2023)]
    assert set(out["metode"]) == {"rasio"}


def test_capaian_of_one_area_only():
    cap = capaian(("IKU-01", 2023, 95.0), ("IKU-01", 2023, 90.0)).assign(kode_wilayah=["332307", "332306"])
    with pytest.raises(ParameterError, match="lebih dari satu wilayah"):
        efficiency_table(cap, ONE_LINE)
    with pytest.raises(ParameterError, match="kolom wajib tidak ada: pagu"):
        efficiency_table(capaian(("IKU-01", 2023, 95.0)), ONE_LINE.drop(columns="pagu"))


def test_absorption():
    assert absorption(200_000_000, 180_000_000) == 90.0
    assert math.isnan(absorption(0, 0)) and math.isnan(absorption(100, None))


BUDGET = links(
    (2023, "IKU-01", "Program A", "Kegiatan A1", 100_000_000, 90_000_000, 1),
    (2023, "IKU-02", "Program A", "Kegiatan A1", 100_000_000, 90_000_000, 1),   # line 1 again, second indicator
    (2023, "IKU-02", "Program A", "Kegiatan A2", 50_000_000, 25_000_000, 2),
    (2023, "IKU-04", "Program B", "Kegiatan B1", 50_000_000, 50_000_000, 3),
    (2022, "IKU-04", "Program B", "Kegiatan B1", 40_000_000, 30_000_000, 1),
)


def test_program_serapan_counts_each_line_once():
    out = program_serapan(BUDGET)
    assert list(out.columns) == PROGRAM_COLUMNS
    rows = [tuple(r) for r in out[["tahun", "tingkat", "program", "kegiatan", "indikator", "pagu", "realisasi"]]
            .itertuples(index=False)]
    assert rows == [
        # 2022: one line of 40 / 30 million
        (2022, "program", "Program B", "", "IKU-04", 40_000_000, 30_000_000),
        (2022, "kegiatan", "Program B", "Kegiatan B1", "IKU-04", 40_000_000, 30_000_000),
        (2022, "jumlah", "", "", "", 40_000_000, 30_000_000),
        # 2023 Program A: line 1 (100 / 90, linked to two indicators, once) + line 2 (50 / 25) = 150 / 115
        (2023, "program", "Program A", "", "IKU-01, IKU-02", 150_000_000, 115_000_000),
        (2023, "kegiatan", "Program A", "Kegiatan A1", "IKU-01, IKU-02", 100_000_000, 90_000_000),
        (2023, "kegiatan", "Program A", "Kegiatan A2", "IKU-02", 50_000_000, 25_000_000),
        (2023, "program", "Program B", "", "IKU-04", 50_000_000, 50_000_000),
        (2023, "kegiatan", "Program B", "Kegiatan B1", "IKU-04", 50_000_000, 50_000_000),
        # total 2023: 150 + 50 = 200 / 115 + 50 = 165, not 300 / 255 with line 1 twice
        (2023, "jumlah", "", "", "", 200_000_000, 165_000_000),
    ]
    # serapan: 30/40 = 75; 115/150 = 76,67; 90/100 = 90; 25/50 = 50; 50/50 = 100; 165/200 = 82,5
    assert out["serapan"].tolist() == pytest.approx([75.0, 75.0, 75.0, 115 / 150 * 100, 90.0, 50.0, 100.0, 100.0,
                                                     82.5])
    only = program_serapan(BUDGET, tahun=2022)
    assert only["tahun"].unique().tolist() == [2022] and len(only) == 3


def test_program_serapan_refuses_a_line_with_two_different_figures():
    clash = pd.concat([BUDGET, links((2023, "IKU-07", "Program A", "Kegiatan A1", 120_000_000, 90_000_000, 1))])
    with pytest.raises(ParameterError, match="baris anggaran 1 tahun 2023"):
        program_serapan(clash)
    with pytest.raises(ParameterError, match="kolom wajib tidak ada: baris"):
        program_serapan(BUDGET.drop(columns="baris"))
