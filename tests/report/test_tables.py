"""Tables of the annual evaluation, on the hand-worked `kecil` data set (3 desa, 2022).

Expected values are worked out by hand from tests/data/kecil (see the comments), not copied
from output.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest

from iku_lib import load_dataset
from iku_lib.problems import error, warning
from iku_lib.report.tables import (capaian_table, change_direction, desa_breakdown, problems_per_year,
                                   problems_table, pulling_down, reaches_target, target_status, top_level,
                                   with_previous)

from ..conftest import DATA


def test_top_level_is_the_catalog_area_or_the_highest_register_level(kecil):
    assert top_level(kecil[0]) == "kecamatan"
    assert top_level(load_dataset(DATA / "hierarki")) == "provinsi"


def test_capaian_table_rows_by_hand(kecil):
    dataset, table = kecil
    cap = capaian_table(table, dataset.catalog, 2022, "kecamatan", "sasaran")
    assert list(cap["indikator"]) == [f"IKU-{i:02d}" for i in range(1, 11)]
    assert list(cap["no"]) == list(range(1, 11))
    row = cap.set_index("indikator")
    # IKU-01: Alpha and Gamma did their activities on time (1, 0, 1): 2/3 desa; target 80.
    assert row.at["IKU-01", "realisasi"] == pytest.approx(200 / 3)
    assert row.at["IKU-01", "target"] == 80
    assert row.at["IKU-01", "capaian"] == pytest.approx(200 / 3 / 80 * 100)  # 83,33 -> Tinggi
    assert row.at["IKU-01", "predikat"] == "Tinggi"
    # IKU-03, negative: (1 + 0 + 2) / (20 + 16 + 14) = 6%; target 5: (2*5 - 6) / 5 = 80% -> Tinggi.
    assert row.at["IKU-03", "realisasi"] == pytest.approx(6.0)
    assert row.at["IKU-03", "capaian"] == pytest.approx(80.0)
    assert row.at["IKU-03", "polaritas"] == "negatif"
    # IKU-06 has no target in target.csv: no capaian, no predikat.
    assert math.isnan(row.at["IKU-06", "target"]) and math.isnan(row.at["IKU-06", "capaian"])
    assert pd.isna(row.at["IKU-06", "predikat"])
    assert row.at["IKU-02", "sasaran_strategis"] == "Peningkatan pengelolaan tata pemerintahan di Kecamatan"
    assert row.at["IKU-09", "satuan"] == "per 10.000 penduduk"


def test_the_goal_indicator_is_apart(kecil):
    dataset, table = kecil
    tujuan = capaian_table(table, dataset.catalog, 2022, "kecamatan", "tujuan")
    assert list(tujuan["indikator"]) == ["IT-01"]
    assert list(tujuan["no"]) == [1]
    # keuangan_tertib 1, 1, 0 -> 2/3 desa; target 0 -> capaian undefined.
    assert tujuan["realisasi"].iloc[0] == pytest.approx(200 / 3)
    assert tujuan["target"].iloc[0] == 0 and math.isnan(tujuan["capaian"].iloc[0])
    everything = capaian_table(table, dataset.catalog, 2022, "kecamatan", jenis=None)
    assert len(everything) == 11 and everything["indikator"].iloc[-1] == "IT-01"


def test_capaian_table_does_not_change_its_input(kecil):
    dataset, table = kecil
    before = table.copy()
    capaian_table(table, dataset.catalog, 2022, "kecamatan")
    pd.testing.assert_frame_equal(table, before)


def _cap(csv: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(csv), dtype={"kode_wilayah": str})


def test_with_previous_change_and_direction_by_polarity():
    current = _cap("""indikator,kode_wilayah,realisasi,desimal,polaritas
A,1,92.857,2,positif
B,1,4.68,2,negatif
C,1,85.714,2,positif
D,1,50.0,2,positif
E,1,3.0,2,negatif
""")
    previous = _cap("""indikator,kode_wilayah,realisasi
A,1,85.714
B,1,5.28
C,1,85.7141
E,1,2.0
""")
    out = with_previous(current, previous)
    assert out["selisih"].round(3).tolist()[:3] == [7.143, -0.6, -0.0]
    # A up (good), B down with negative polarity (good), C changes by 0.0001: shown 0,00 -> tetap,
    # D has no previous value, E up with negative polarity (bad).
    assert out["arah"].tolist() == ["membaik", "membaik", "tetap", "", "memburuk"]
    assert math.isnan(out.loc[3, "realisasi_sebelumnya"])
    assert "selisih" not in current.columns


def test_with_previous_without_a_previous_year():
    current = _cap("indikator,kode_wilayah,realisasi,desimal,polaritas\nA,1,1.0,2,positif\n")
    out = with_previous(current, None)
    assert out["arah"].tolist() == [""] and math.isnan(out["selisih"].iloc[0])


def test_change_direction_words_by_polarity_by_hand():
    """The change table's signs in words: a fall of 0,36 on an indicator where lower is better
    (IKU-03, pelanggaran disiplin) is an improvement; the same fall where higher is better is
    a worsening; a change that shows as 0,00 (or 0 at 0 decimals) is `tetap`."""
    selisih = [-0.36, -0.36, 0.36, 0.36, 0.004, -0.004, 0.4, 0.6, float("nan")]
    desimal = [2, 2, 2, 2, 2, 2, 0, 0, 2]
    polaritas = ["negatif", "positif", "negatif", "positif", "positif", "negatif", "positif", "negatif", "positif"]
    assert change_direction(selisih, desimal, polaritas).tolist() == [
        "membaik", "memburuk", "memburuk", "membaik", "tetap", "tetap", "tetap", "memburuk", ""]
    # 0,005 shows as 0,01 (half away from zero, as the table writes it): a change, not `tetap`.
    assert change_direction([0.005, -0.005], [2, 2], ["positif", "positif"]).tolist() == ["membaik", "memburuk"]


def test_target_reached_by_polarity_by_hand():
    # Higher is better: at or above the target; lower is better: at or below it.
    assert reaches_target(92.86, 90.0, "positif") is True
    assert reaches_target(97.51, 99.0, "positif") is False  # IKU-02 2023: capaian 98,50 (Sangat Tinggi), not reached
    assert reaches_target(1.09, 1.5, "negatif") is True
    assert reaches_target(4.68, 4.0, "negatif") is False
    assert reaches_target(90.0, 90.0, "positif") is True and reaches_target(4.0, 4.0, "negatif") is True
    assert reaches_target(0.1 + 0.2, 0.3, "positif") is True  # float noise is equality
    assert reaches_target(float("nan"), 90.0, "positif") is None and reaches_target(90.0, None, "positif") is None
    cap = _cap("realisasi,target,polaritas\n92.86,90,positif\n97.51,99,positif\n1.09,1.5,negatif\n5,,positif\n")
    assert target_status(cap) == ["tercapai", "belum tercapai", "tercapai", ""]


def test_target_reached_agrees_with_capaian_of_100_or_more(kecil):
    dataset, table = kecil
    cap = capaian_table(table, dataset.catalog, 2022, "kecamatan", jenis=None)
    graded = cap[cap["capaian"].notna()]
    assert [s == "tercapai" for s in target_status(graded)] == (graded["capaian"] >= 100 - 1e-9).tolist()


def test_desa_breakdown_gives_the_reason_a_desa_has_no_value(kecil):
    dataset, table = kecil
    ktp = desa_breakdown(table, dataset.catalog, "IKU-02", 2022)
    assert ktp["desa"].tolist() == ["Alpha", "Beta", "Gamma"]
    assert ktp["keterangan"].tolist() == [
        "",
        # Beta: ktp_el 2010 > wajib_ktp 2000
        "Penduduk wajib KTP yang memiliki KTP-el melebihi penduduk usia 17 tahun ke atas atau telah menikah; "
        "nilai dipakai apa adanya",
        # Gamma: wajib_ktp blank
        "Penduduk usia 17 tahun ke atas atau telah menikah tidak dilaporkan; desa tidak ikut dihitung",
    ]
    assert ktp["nilai"].iloc[0] == pytest.approx(1450 / 1500 * 100)
    assert ktp["dihitung"].tolist() == [True, True, False]

    reports = desa_breakdown(table, dataset.catalog, "IKU-10", 2022)
    assert reports["keterangan"].iloc[1] == "Jumlah laporan kejadian = 0; nilai tidak dapat dihitung"
    rkp = desa_breakdown(table, dataset.catalog, "IKU-05", 2022)
    assert rkp["keterangan"].iloc[2] == "RKP Desa selesai tepat waktu tidak dilaporkan; dihitung tidak tercapai"


def test_pulling_down_positive_negative_and_per_desa(kecil):
    dataset, table = kecil
    cat = dataset.catalog
    # IKU-04: kecamatan 90%; desa 90, 100, 75 -> only Gamma is below.
    pbb = pulling_down(desa_breakdown(table, cat, "IKU-04", 2022), "positif", 90.0)
    assert pbb["desa"].tolist() == ["Gamma"]
    # IKU-08 (negative): kecamatan 95/1500 = 6,33%; desa 5, 5, 15 -> Gamma is above.
    rtlh = pulling_down(desa_breakdown(table, cat, "IKU-08", 2022), "negatif", 95 / 1500 * 100)
    assert rtlh["desa"].tolist() == ["Gamma"]
    # IKU-05: Gamma did not report (counted as not achieved) -> listed first; Alpha, Beta achieved.
    rkp = pulling_down(desa_breakdown(table, cat, "IKU-05", 2022), "positif", 200 / 3)
    assert rkp["desa"].tolist() == ["Gamma"]
    # IKU-10: Beta has no value (zero denominator) and is not listed; Gamma 50% < 70%.
    lap = pulling_down(desa_breakdown(table, cat, "IKU-10", 2022), "positif", 70.0)
    assert lap["desa"].tolist() == ["Gamma"]


def test_pulling_down_keeps_ties_and_orders_worst_first():
    b = pd.DataFrame({"desa": list("PQRST"), "nilai": [60.0, 50.0, 60.0, 70.0, 95.0],
                      "dihitung": True, "catatan": ""})
    assert pulling_down(b, "positif", 80.0, n=2)["desa"].tolist() == ["Q", "P", "R"]
    assert pulling_down(b, "negatif", 65.0, n=3)["desa"].tolist() == ["T", "S"]  # highest first
    assert pulling_down(b, "positif", float("nan")).empty
    assert pulling_down(b, "positif", 40.0).empty


def test_problems_table_keeps_the_year_and_general_problems():
    problems = [
        warning("a", tahun=2021, indikator="IKU-01", kode_desa="1"),
        warning("b", tahun=2022, indikator="IKU-02", kode_desa="2"),
        error("c", berkas="desa.csv", baris=3),
        warning("b", tahun=2022, indikator="IKU-02", kode_desa="2"),  # the same note twice
    ]
    out = problems_table(problems, 2022)
    assert out["pesan"].tolist() == ["b", "c"]
    assert out["lokasi"].tolist() == ["", "desa.csv, baris 3"]
    assert out["tingkat"].tolist() == ["peringatan", "galat"]


def test_problems_per_year_counts():
    problems = [warning("a", tahun=2021), warning("b", tahun=2021), error("c", tahun=2022), warning("d")]
    out = problems_per_year(problems, [2021, 2022, 2023])
    assert out.to_dict("list") == {"tahun": [2021, 2022, 2023], "galat": [0, 1, 0], "peringatan": [2, 0, 0]}


def test_breakdown_of_a_desa_without_values_keeps_register_order(kecil):
    dataset, table = kecil
    out = desa_breakdown(table, dataset.catalog, "IKU-09", 2022)
    assert out["kode_desa"].tolist() == ["3301010001", "3301010002", "3301010003"]
    assert np.allclose(out["nilai"], [2 / 2000 * 1e4, 1 / 3000 * 1e4, 0.0])
