"""Sentences in Bahasa Indonesia: expected texts written out by hand from the numbers given."""

from __future__ import annotations

import pandas as pd

from iku_lib import load_catalog
from iku_lib.report.narrative import (change_text, grading_text, in_sentence, indicator_paragraph, join_words,
                                      missing_desa_text, pulling_text, quality_paragraph, summary_paragraph,
                                      target_predikat_text, trend_paragraph, trend_summary)
from iku_lib.report.tables import capaian_table, desa_breakdown, problems_table
from iku_lib.problems import error, warning


AREA = "Kecamatan Kaloran"


def test_join_words_follows_puebi():
    assert join_words([]) == ""
    assert join_words(["A"]) == "A"
    assert join_words(["A", "B"]) == "A dan B"
    assert join_words(["A", "B", "C", "D"]) == "A, B, C, dan D"


def test_change_text_uses_points_for_percentages():
    assert change_text(7.142857, "%", 2) == "naik 7,14 persen poin"
    assert change_text(-0.4932, "per 10.000 penduduk", 2) == "turun 0,49 per 10.000 penduduk"
    assert change_text(-1234.5, "", 0) == "turun 1.235"


def test_in_sentence_keeps_acronyms():
    assert in_sentence("Angka kriminalitas kecamatan") == "angka kriminalitas kecamatan"
    assert in_sentence("KTP-el per desa") == "KTP-el per desa"


def _row(**values) -> pd.Series:
    base = {"indikator": "IKU-01", "nama": "Persentase kegiatan yang selesai tepat waktu", "satuan": "%",
            "desimal": 2, "polaritas": "positif", "realisasi": float("nan"), "target": float("nan"),
            "capaian": float("nan"), "predikat": None, "realisasi_sebelumnya": float("nan"),
            "selisih": float("nan"), "arah": ""}
    base.update(values)
    return pd.Series(base)


def test_indicator_paragraph_full():
    row = _row(realisasi=1300 / 14, target=90.0, capaian=1300 / 14 / 90 * 100, predikat="Sangat Tinggi",
               realisasi_sebelumnya=1200 / 14, selisih=100 / 14, arah="membaik")
    assert indicator_paragraph(row, 2023, AREA, True) == (
        "Pada tahun 2023, realisasi persentase kegiatan yang selesai tepat waktu di Kecamatan Kaloran sebesar "
        "92,86% dari target 90,00%, sehingga capaian kinerjanya 103,17% dengan predikat Sangat Tinggi. "
        "Target tahun 2023 tercapai. "
        "Dibandingkan tahun 2022 (85,71%), realisasi naik 7,14 persen poin; kinerja indikator ini membaik.")


def test_indicator_paragraph_negative_polarity():
    row = _row(nama="Angka kriminalitas kecamatan", satuan="per 10.000 penduduk", polaritas="negatif",
               realisasi=3.5569, target=4.0, capaian=111.078, predikat="Sangat Tinggi",
               realisasi_sebelumnya=4.05, selisih=3.5569 - 4.05, arah="membaik")
    assert indicator_paragraph(row, 2023, AREA, True) == (
        "Pada tahun 2023, realisasi angka kriminalitas kecamatan di Kecamatan Kaloran sebesar 3,56 per 10.000 "
        "penduduk dari target 4,00 per 10.000 penduduk, sehingga capaian kinerjanya 111,08% dengan predikat "
        "Sangat Tinggi. Target tahun 2023 tercapai. Dibandingkan tahun 2022 (4,05 per 10.000 penduduk), realisasi "
        "turun 0,49 per 10.000 "
        "penduduk; kinerja indikator ini membaik (makin rendah makin baik).")


def test_indicator_paragraph_without_target_or_with_target_zero():
    no_target = _row(realisasi=200 / 3)
    assert indicator_paragraph(no_target, 2022, AREA, False) == (
        "Pada tahun 2022, realisasi persentase kegiatan yang selesai tepat waktu di Kecamatan Kaloran sebesar "
        "66,67%. Target tahun 2022 tidak tersedia, sehingga capaian dan predikat tidak dihitung.")
    zero = _row(realisasi=200 / 3, target=0.0)
    assert indicator_paragraph(zero, 2022, AREA, False).endswith(
        "sebesar 66,67% dengan target 0,00%. Capaian tidak dapat dihitung karena targetnya 0.")


def test_indicator_paragraph_previous_year_cases():
    missing = _row(realisasi=50.0, target=50.0, capaian=100.0, predikat="Sangat Tinggi")
    assert indicator_paragraph(missing, 2021, AREA, True).endswith(
        "Realisasi tahun 2020 tidak tersedia sebagai pembanding.")
    same = _row(realisasi=50.0, target=50.0, capaian=100.0, predikat="Sangat Tinggi",
                realisasi_sebelumnya=50.001, selisih=-0.001, arah="tetap")
    assert indicator_paragraph(same, 2021, AREA, True).endswith("Realisasi ini sama dengan tahun 2020 (50,00%).")
    worse = _row(realisasi=40.0, target=50.0, capaian=80.0, predikat="Tinggi",
                 realisasi_sebelumnya=45.0, selisih=-5.0, arah="memburuk")
    assert indicator_paragraph(worse, 2021, AREA, True).endswith(
        "Dibandingkan tahun 2020 (45,00%), realisasi turun 5,00 persen poin; kinerja indikator ini memburuk.")
    nodata = _row()
    assert indicator_paragraph(nodata, 2021, AREA, True) == (
        "Pada tahun 2021, indikator persentase kegiatan yang selesai tepat waktu di Kecamatan Kaloran belum dapat "
        "dihitung karena tidak ada data desa yang lengkap untuk indikator ini.")


def test_summary_paragraph_on_kecil(kecil):
    dataset, table = kecil
    cap = capaian_table(table, dataset.catalog, 2022, "kecamatan")
    # By hand (tests/data/kecil): capaian IKU-01 83,33 Tinggi; 02 104,06 ST; 03 80 Tinggi; 04 94,74 ST;
    # 05 66,67 Sedang; 06 no target; 07 100 ST; 08 41,67 SR; 09 100 ST; 10 50 SR.
    assert summary_paragraph(cap, 2022, dataset.catalog.grades, AREA) == (
        "Pada tahun 2022, Kecamatan Kaloran diukur dengan 10 indikator kinerja sasaran. Hasilnya: 4 indikator "
        "berpredikat Sangat Tinggi, 2 indikator berpredikat Tinggi, 1 indikator berpredikat Sedang, dan 2 "
        "indikator berpredikat Sangat Rendah. Sebanyak 1 indikator belum dapat diberi capaian (IKU-06); "
        "alasannya diuraikan pada bagian per indikator. Target tercapai pada 3 dari 9 indikator yang punya "
        "realisasi dan target, dan belum tercapai pada 6 indikator lainnya.")


def test_grading_text_from_the_catalog():
    assert grading_text(load_catalog()) == (
        "Capaian dihitung sebagai realisasi / target × 100 untuk indikator yang makin tinggi makin baik, dan "
        "(2 × target − realisasi) / target × 100 (paling rendah 0) untuk indikator yang makin rendah makin baik. "
        "Predikat: Sangat Tinggi 91% atau lebih, Tinggi 76% sampai di bawah 91%, Sedang 66% sampai di bawah 76%, "
        "Rendah 51% sampai di bawah 66%, dan Sangat Rendah di bawah 51%.")


def test_pulling_text_cases():
    per_desa = pd.DataFrame({"desa": ["Gamma", "Beta"], "nilai": [float("nan"), 0.0],
                             "catatan": ["kosong_dihitung_tidak_tercapai", ""]})
    assert pulling_text(per_desa, True, "positif", "%", 2, AREA) == (
        "Desa yang belum memenuhi indikator ini: Gamma (tidak melapor, dihitung tidak tercapai) dan Beta.")
    low = pd.DataFrame({"desa": ["Gamma"], "nilai": [75.0], "catatan": [""]})
    assert pulling_text(low, False, "positif", "%", 2, AREA) == (
        "Desa dengan nilai terendah, yang paling menurunkan nilai Kecamatan Kaloran: Gamma (75,00%).")
    high = pd.DataFrame({"desa": ["Gamma", "Alpha"], "nilai": [15.0, 7.25], "catatan": ["", ""]})
    assert pulling_text(high, False, "negatif", "%", 2, AREA) == (
        "Desa dengan nilai tertinggi, yang paling memberatkan nilai Kecamatan Kaloran (untuk indikator ini makin "
        "rendah makin baik): Gamma (15,00%) dan Alpha (7,25%).")
    empty = low.iloc[0:0]
    assert pulling_text(empty, True, "positif", "%", 2, AREA) == "Semua desa telah memenuhi indikator ini."
    assert pulling_text(empty, False, "negatif", "%", 2, AREA) == (
        "Tidak ada desa dengan nilai di atas nilai Kecamatan Kaloran.")


def test_missing_desa_text(kecil):
    dataset, table = kecil
    assert missing_desa_text(desa_breakdown(table, dataset.catalog, "IKU-10", 2022)) == (
        "Sebanyak 1 desa tidak punya nilai untuk indikator ini (Beta); alasannya tercantum pada kolom Keterangan.")
    # Gamma did not report rkp_tepat_waktu: counted as not achieved, so it is not "without value".
    assert missing_desa_text(desa_breakdown(table, dataset.catalog, "IKU-05", 2022)) == ""


def test_quality_paragraph():
    empty = problems_table([], 2022)
    assert quality_paragraph(empty, 2022) == "Tidak ada catatan kualitas data untuk tahun 2022."
    some = problems_table([error("x", tahun=2022), warning("y", tahun=2022), warning("z", tahun=2022)], 2022)
    assert quality_paragraph(some, 2022).startswith("Untuk tahun 2022 tercatat 1 galat dan 2 peringatan tentang data.")


def _trend_rows() -> pd.DataFrame:
    return pd.DataFrame({"tahun": [2019, 2020, 2021], "realisasi": [70.0, 75.0, 80.0],
                         "target": [72.0, 76.0, 78.0], "capaian": [70 / 72 * 100, 75 / 76 * 100, 80 / 78 * 100]})


def _projection(**values) -> pd.Series:
    base = {"indikator": "IKU-01", "nama": "Persentase kegiatan yang selesai tepat waktu", "satuan": "%",
            "desimal": 2, "tahun_akhir_periode": 2023, "target_akhir": 85.0, "proyeksi": 90.0,
            "tahun_dasar": 2019, "tahun_terakhir": 2021, "status": "sesuai jalur"}
    base.update(values)
    return pd.Series(base)


def test_trend_paragraph_with_projection():
    assert trend_paragraph(_trend_rows(), _projection()) == (
        "Realisasi persentase kegiatan yang selesai tepat waktu bergerak dari 70,00% (2019) menjadi 80,00% (2021), "
        "rata-rata naik 5,00 persen poin per tahun. Target tahunan tercapai pada 1 dari 3 tahun yang punya target. "
        "Menurut proyeksi linear sederhana (garis lurus dari tren 2019–2021), nilai pada 2023 diperkirakan 90,00%, "
        "memenuhi target akhir periode 85,00%; indikator ini sesuai jalur.")


def test_trend_paragraph_at_the_end_of_the_period():
    text = trend_paragraph(_trend_rows(), _projection(tahun_akhir_periode=2021, proyeksi=float("nan"),
                                                      target_akhir=78.0, status="tercapai"))
    assert text.endswith("Target akhir periode Renstra (2021) sebesar 78,00% tercapai.")
    one = _trend_rows().iloc[[2]]
    assert trend_paragraph(one, _projection(status="data belum cukup", proyeksi=float("nan"))) == (
        "Realisasi persentase kegiatan yang selesai tepat waktu hanya tersedia untuk tahun 2021: 80,00%. "
        "Target tahunan tercapai pada 1 dari 1 tahun yang punya target. Data belum cukup (kurang dari tiga tahun "
        "realisasi) "
        "untuk memproyeksikan nilai 2023.")


def test_trend_summary_counts_statuses():
    proj = pd.DataFrame({"status": ["tercapai", "belum tercapai", "tercapai", "tidak ada target akhir periode"],
                         "tahun_akhir_periode": 2023})
    assert trend_summary(proj, 2019, 2023, AREA) == (
        "Laporan ini menelusuri 4 indikator Kecamatan Kaloran dari tahun 2019 sampai 2023. Untuk tahun akhir "
        "periode Renstra (2023), target akhir periode tercapai pada 2 indikator dan belum tercapai pada 1 indikator. "
        "Sebanyak 1 indikator tidak punya target akhir periode.")
    assert "target akhir periode tercapai pada 1 indikator." in trend_summary(proj.iloc[[0]], 2019, 2023, AREA)


def test_summary_paragraph_when_no_indicator_reached_its_target():
    # Two indicators, capaian 88,89 (Tinggi) and 97,02 (Sangat Tinggi): graded, none reached.
    cap = pd.DataFrame({"indikator": ["A", "B"], "capaian": [88.89, 97.02], "predikat": ["Tinggi", "Sangat Tinggi"],
                        "realisasi": [80.0, 97.02], "target": [90.0, 100.0], "polaritas": ["positif", "positif"]})
    text = summary_paragraph(cap, 2024, load_catalog().grades, "Kecamatan Sukamaju")
    assert text.endswith("Dari 2 indikator, belum ada yang targetnya tercapai.")
    assert "Sebanyak 0" not in text
    assert summary_paragraph(cap.assign(target=[80.0, 95.0]), 2024, load_catalog().grades, "K").endswith(
        "Target tercapai pada seluruh 2 indikator.")


def test_summary_of_the_shipped_2023_says_reached_and_predikat_apart():
    """The reader's puzzle of issue 11: 9 indicators graded Sangat Tinggi, 4 of 10 targets reached.
    Both are said, in the words the trend report uses, with the sentence that tells them apart."""
    from iku_lib import compute, load_dataset

    from ..conftest import RAW

    dataset = load_dataset(RAW)
    cap = capaian_table(compute(dataset, [2023]), dataset.catalog, 2023, "kecamatan")
    text = summary_paragraph(cap, 2023, dataset.catalog.grades, AREA)
    assert "9 indikator berpredikat Sangat Tinggi dan 1 indikator berpredikat Tinggi" in text
    assert text.endswith("Target tercapai pada 4 dari 10 indikator, dan belum tercapai pada 6 indikator lainnya.")


def test_target_and_predikat_are_told_apart_with_the_catalog_s_scale():
    grades = load_catalog().grades
    annual = target_predikat_text(grades)
    assert annual == (
        "Target tercapai berarti realisasi sama dengan atau lebih baik daripada target: sama atau lebih tinggi untuk "
        "indikator yang makin tinggi makin baik, sama atau lebih rendah untuk indikator yang makin rendah makin baik "
        "(capaian 100% atau lebih); selain itu target belum tercapai. Predikat menilai besarnya capaian, bukan "
        "tercapai atau tidaknya target, sehingga indikator yang targetnya belum tercapai tetap dapat berpredikat "
        "Sangat Tinggi (capaian 91% atau lebih).")
    trend = target_predikat_text(grades, trend=True)
    assert "Predikat pada laporan evaluasi tahunan menilai besarnya capaian" in trend
    assert trend.split(" Predikat")[0] == annual.split(" Predikat")[0]  # the same definition in both reports
    # A scale whose top band starts at 100% or more: no such case to explain.
    assert target_predikat_text([(100.0, "Baik"), (None, "Kurang")]).endswith("bukan tercapai atau tidaknya target.")


def test_one_vocabulary_for_target_status_in_both_reports():
    """`tercapai` / `belum tercapai` in the annual paragraph, the trend's status and its sentences."""
    from iku_lib.report.presentation import projections_display
    from iku_lib.report.trend import MET, NOT_MET

    assert (MET, NOT_MET) == ("tercapai", "belum tercapai")
    row = _row(realisasi=97.51, target=99.0, capaian=97.51 / 99 * 100, predikat="Sangat Tinggi")
    assert "dengan predikat Sangat Tinggi. Target tahun 2023 belum tercapai." in indicator_paragraph(row, 2023, AREA,
                                                                                                     False)
    proj = pd.DataFrame({"indikator": ["IKU-02"], "nama": ["KTP"], "satuan": ["%"], "desimal": [2],
                         "realisasi_terakhir": [97.51], "tahun_terakhir": [2023], "target_akhir": [99.0],
                         "proyeksi": [float("nan")], "tahun_akhir_periode": [2023], "status": [NOT_MET]})
    assert projections_display(proj)["Status"].tolist() == ["Belum tercapai"]
    text = trend_paragraph(_trend_rows(), _projection(tahun_akhir_periode=2021, target_akhir=81.0, status=NOT_MET))
    assert text.endswith("Target akhir periode Renstra (2021) sebesar 81,00% belum tercapai.")
    for words in ("tidak tercapai", "mencapai target", "melampaui target"):
        assert words not in text and words not in target_predikat_text(load_catalog().grades)


def test_trend_paragraph_counts_reached_years_by_polarity():
    # Lower is better: 2,55 <= 3, 2,19 <= 2,5, 2,10 > 2: reached in 2 of 3 years.
    rows = pd.DataFrame({"tahun": [2019, 2020, 2021], "realisasi": [2.55, 2.19, 2.10], "target": [3.0, 2.5, 2.0],
                         "capaian": [115.0, 112.4, 95.0]})
    text = trend_paragraph(rows, _projection(polaritas="negatif", status="data belum cukup"))
    assert "Target tahunan tercapai pada 2 dari 3 tahun yang punya target." in text
