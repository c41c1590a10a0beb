"""Ranking areas, the summary matrix and the change between years: small frames made by hand,
expected ranks and counts worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from iku_lib.engine.ranking import (BY_CAPAIAN, BY_NILAI, NO_CAPAIAN, NO_DATA, NO_PREDIKAT, NO_TARGET,
                                    area_changes, matrix_indicators, predikat_counts, rank_areas, summary_matrix)

NAN = float("nan")
LABELS = ["Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah"]


def rows(indikator: str, values: list[tuple], tahun: int = 2023) -> pd.DataFrame:
    """One indicator's area rows: (kode, nilai, target, capaian, predikat) each."""
    return pd.DataFrame({
        "tahun": tahun, "indikator": indikator,
        "kode_wilayah": [v[0] for v in values], "nama_wilayah": [f"Wilayah {v[0]}" for v in values],
        "nilai": [v[1] for v in values], "target": [v[2] for v in values],
        "capaian": [v[3] for v in values], "predikat": [v[4] for v in values]})


def ranks(ranked: pd.DataFrame, indikator: str | None = None, tahun: int | None = None) -> list[tuple]:
    """(kode, rank or None, keterangan) in the ranking's order."""
    if indikator is not None:
        ranked = ranked[ranked["indikator"] == indikator]
    if tahun is not None:
        ranked = ranked[ranked["tahun"] == tahun]
    return [(k, None if pd.isna(p) else int(p), t)
            for k, p, t in zip(ranked["kode_wilayah"], ranked["peringkat"], ranked["keterangan"])]


def test_by_capaian_higher_first_ties_share_the_lowest_rank_missing_last():
    table = rows("IKU-01", [
        ("01", 80.0, 100.0, 80.0, "Tinggi"),
        ("02", 95.0, 100.0, 95.0, "Sangat Tinggi"),
        ("03", NAN, 100.0, NAN, None),             # no value: no rank, last
        ("04", 100.0, 100.0, 100.0, "Sangat Tinggi"),
        ("05", 95.0, 100.0, 95.0, "Sangat Tinggi"),
    ])
    ranked = rank_areas(table, {"IKU-01": "positif"})
    # 100 > 95 = 95 > 80: ranks 1, 2, 2, 4 (the tie takes the lowest rank, the next one skips 3)
    assert ranks(ranked) == [("04", 1, ""), ("02", 2, ""), ("05", 2, ""), ("01", 4, ""), ("03", None, NO_DATA)]
    assert set(ranked["dasar"]) == {BY_CAPAIAN}
    assert str(ranked["peringkat"].dtype) == "Int64"


def test_negative_polarity_is_ranked_by_capaian_not_by_nilai():
    # lower is better, but capaian already says so: area 01 has the lower nilai (2) and still
    # ranks second, because against its own target 1 its capaian is (2 x 1 - 2) / 1 x 100 = 0;
    # area 02's nilai 4 against target 4 is (8 - 4) / 4 x 100 = 100
    table = rows("IKU-09", [("01", 2.0, 1.0, 0.0, "Sangat Rendah"), ("02", 4.0, 4.0, 100.0, "Sangat Tinggi")])
    assert ranks(rank_areas(table, {"IKU-09": "negatif"})) == [("02", 1, ""), ("01", 2, "")]


def test_without_targets_by_nilai_in_the_direction_of_polarity():
    values = [("01", 3.0, NAN, NAN, None), ("02", 1.5, NAN, NAN, None), ("03", 2.0, NAN, NAN, None),
              ("04", 1.5, NAN, NAN, None), ("05", NAN, NAN, NAN, None)]
    down = rank_areas(rows("IKU-08", values), {"IKU-08": "negatif"})
    # lower first: 1.5 = 1.5 < 2.0 < 3.0 -> 1, 1, 3, 4; no value last
    assert ranks(down) == [("02", 1, ""), ("04", 1, ""), ("03", 3, ""), ("01", 4, ""), ("05", None, NO_DATA)]
    assert set(down["dasar"]) == {BY_NILAI}
    up = rank_areas(rows("IKU-08", values), {"IKU-08": "positif"})
    # higher first: 3.0 > 2.0 > 1.5 = 1.5 -> 1, 2, 3, 3
    assert ranks(up) == [("01", 1, ""), ("03", 2, ""), ("02", 3, ""), ("04", 3, ""), ("05", None, NO_DATA)]


def test_an_area_without_its_own_target_has_no_rank_when_others_have_capaian():
    table = rows("IKU-02", [
        ("01", 99.0, NAN, NAN, None),        # a value, no target: not comparable by capaian
        ("02", 90.0, 95.0, 90 / 95 * 100, "Sangat Tinggi"),
        ("03", 5.0, 0.0, NAN, None),         # target 0 and a value above 0: capaian undefined
        ("04", NAN, 95.0, NAN, None),
    ])
    assert ranks(rank_areas(table, {"IKU-02": "positif"})) == [
        ("02", 1, ""), ("01", None, NO_TARGET), ("03", None, NO_CAPAIAN), ("04", None, NO_DATA)]


def test_floating_point_noise_does_not_split_a_tie():
    # 0.1 + 0.2 = 0.30000000000000004 and 0.3 are the same value to 9 decimals
    table = rows("X", [("01", 0.1 + 0.2, NAN, NAN, None), ("02", 0.3, NAN, NAN, None),
                       ("03", 0.2, NAN, NAN, None)])
    assert ranks(rank_areas(table, {"X": "positif"})) == [("01", 1, ""), ("02", 1, ""), ("03", 3, "")]


def test_every_indicator_and_year_ranked_apart_in_catalog_order():
    table = pd.concat([
        rows("B", [("01", 1.0, NAN, NAN, None), ("02", 2.0, NAN, NAN, None)], 2023),
        rows("A", [("01", 1.0, NAN, NAN, None), ("02", 2.0, NAN, NAN, None)], 2023),
        rows("A", [("01", 5.0, NAN, NAN, None), ("02", 4.0, NAN, NAN, None)], 2022),
    ])
    ranked = rank_areas(table, {"A": "positif", "B": "negatif"}, order=["A", "B"])
    assert list(zip(ranked["tahun"], ranked["indikator"])) == [(2022, "A")] * 2 + [(2023, "A")] * 2 + [(2023, "B")] * 2
    assert ranks(ranked, "A", 2022) == [("01", 1, ""), ("02", 2, "")]  # 5 > 4
    assert ranks(ranked, "A", 2023) == [("02", 1, ""), ("01", 2, "")]  # 2 > 1
    assert ranks(ranked, "B", 2023) == [("01", 1, ""), ("02", 2, "")]  # lower first: 1 < 2


def _year() -> pd.DataFrame:
    """Three areas, three indicators: A and B have capaian, C has no target anywhere."""
    return pd.concat([
        rows("A", [("01", 95.0, 90.0, 105.0, "Sangat Tinggi"), ("02", 72.0, 90.0, 80.0, "Tinggi"),
                   ("03", 45.0, 90.0, 50.0, "Sangat Rendah")]),
        rows("B", [("01", 60.0, 75.0, 80.0, "Tinggi"), ("02", NAN, 75.0, NAN, None),
                   ("03", 75.0, 75.0, 100.0, "Sangat Tinggi")]),
        rows("C", [("01", 3.0, NAN, NAN, None), ("02", 2.0, NAN, NAN, None), ("03", 1.0, NAN, NAN, None)]),
    ])


def test_summary_matrix_holds_capaian_and_predikat_of_indicators_with_targets():
    ranked = rank_areas(_year(), {"A": "positif", "B": "positif", "C": "negatif"}, order=["A", "B", "C"])
    assert matrix_indicators(ranked) == ["A", "B"]  # C has no capaian anywhere
    matrix = summary_matrix(ranked)
    assert list(matrix.index) == ["01", "02", "03"]
    assert list(matrix.columns) == [("nama_wilayah", ""), ("A", "capaian"), ("A", "predikat"), ("B", "capaian"),
                                    ("B", "predikat")]
    assert matrix[("A", "capaian")].tolist() == [105.0, 80.0, 50.0]
    assert matrix[("B", "predikat")].tolist() == ["Tinggi", None, "Sangat Tinggi"]
    assert pd.isna(matrix.at["02", ("B", "capaian")])


def test_predikat_counts_per_area_add_up_to_the_indicators():
    ranked = rank_areas(_year(), {"A": "positif", "B": "positif", "C": "negatif"}, order=["A", "B", "C"])
    counts = predikat_counts(ranked, LABELS)
    assert list(counts.columns) == ["nama_wilayah", *LABELS, NO_PREDIKAT]
    # 01: A Sangat Tinggi, B Tinggi; 02: A Tinggi, B none; 03: A Sangat Rendah, B Sangat Tinggi
    assert counts.loc["01", LABELS + [NO_PREDIKAT]].tolist() == [1, 1, 0, 0, 0, 0]
    assert counts.loc["02", LABELS + [NO_PREDIKAT]].tolist() == [0, 1, 0, 0, 0, 1]
    assert counts.loc["03", LABELS + [NO_PREDIKAT]].tolist() == [1, 0, 0, 0, 1, 0]
    # over every indicator, C (no predikat anywhere) adds one "tanpa predikat" to each area
    every = predikat_counts(ranked, LABELS, ["A", "B", "C"])
    assert every[NO_PREDIKAT].tolist() == [1, 2, 1]


def test_the_matrix_is_of_one_year():
    two = pd.concat([_year(), _year().assign(tahun=2022)])
    with pytest.raises(ValueError):
        summary_matrix(rank_areas(two, {}))


def test_change_from_the_first_to_the_last_year():
    first = pd.concat([
        rows("A", [("01", 80.0, 90.0, 80 / 90 * 100, "Tinggi"), ("02", 85.0, 90.0, 85 / 90 * 100, "Tinggi"),
                   ("03", NAN, 90.0, NAN, None)], 2021),
        rows("N", [("01", 4.0, NAN, NAN, None), ("02", 2.0, NAN, NAN, None), ("03", 3.0, NAN, NAN, None)], 2021),
    ])
    last = pd.concat([
        rows("A", [("01", 92.0, 95.0, 92 / 95 * 100, "Sangat Tinggi"), ("02", 84.0, 95.0, 84 / 95 * 100, "Tinggi"),
                   ("03", 70.0, 95.0, 70 / 95 * 100, "Sedang")], 2023),
        rows("N", [("01", 1.0, NAN, NAN, None), ("02", 2.5, NAN, NAN, None), ("03", 3.0, NAN, NAN, None)], 2023),
    ])
    polaritas = {"A": "positif", "N": "negatif"}
    changes = area_changes(rank_areas(pd.concat([first, last]), polaritas, ["A", "N"]), 2021, 2023, polaritas)
    a = changes[changes["indikator"] == "A"]
    # A (higher is better): 01 +12 (80 -> 92), 02 -1 (85 -> 84); 03 has no value in 2021: no change, last
    assert a["kode_wilayah"].tolist() == ["01", "02", "03"]
    assert a["selisih"].tolist()[:2] == pytest.approx([12.0, -1.0])
    assert pd.isna(a["selisih"].iloc[2]) and a["nilai_akhir"].iloc[2] == 70.0
    # capaian 01: 92/95 x 100 - 80/90 x 100 = 96.8421 - 88.8889 = 7.9532 points
    assert a["selisih_capaian"].iloc[0] == pytest.approx(92 / 95 * 100 - 80 / 90 * 100)
    # ranks 2021: 02 (94.4) 1, 01 (88.9) 2; 2023: 01 (96.8) 1, 02 (88.4) 2, 03 (73.7) 3
    assert a["peringkat_awal"].tolist()[:2] == [2, 1] and pd.isna(a["peringkat_awal"].iloc[2])
    assert a["peringkat_akhir"].tolist() == [1, 2, 3]
    assert a["naik_peringkat"].tolist()[:2] == [1, -1]
    n = changes[changes["indikator"] == "N"]
    # N (lower is better): 01 -3 (4 -> 1, the largest improvement), 03 0, 02 +0.5 (worse)
    assert n["kode_wilayah"].tolist() == ["01", "03", "02"]
    assert n["selisih"].tolist() == pytest.approx([-3.0, 0.0, 0.5])
