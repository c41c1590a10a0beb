"""LKjIP chapter III as one model (`report.chapter.build_chapter`): its sections in order, the
seven analyses of an indicator, chapter III.B and the appendices, a data directory without
the optional inputs, and every number against `compute` (the API of `iku compute`).

The sample is data/raw (Kaloran 2019-2023). Expected figures are worked out by hand from the
raw files in the comment beside them, or by a separate, simpler computation.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from iku_lib import compute, load_dataset
from iku_lib.exceptions import ParameterError
from iku_lib.report.chapter import build_chapter
from iku_lib.report.chapter_model import Figure, Paragraph, Table

from ..conftest import RAW
from ..report_runs import make_two_kecamatan

IDS = [f"IKU-{i:02d}" for i in range(1, 11)]
WITH_STANDARD = ["IKU-02", "IKU-08", "IKU-09"]  # standar.csv of the sample
ANALYSES = [f"/{n}" for n in range(1, 8)]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    dataset = load_dataset(RAW)
    return dataset, build_chapter(dataset, 2023, figures_dir=tmp_path_factory.mktemp("gambar"))


@pytest.fixture(scope="module")
def bare_dir(tmp_path_factory):
    """The sample without analisis.csv, standar.csv and anggaran.csv."""
    data = tmp_path_factory.mktemp("tanpa-masukan") / "raw"
    shutil.copytree(RAW, data)
    for name in ("analisis.csv", "standar.csv", "anggaran.csv"):
        (data / name).unlink()
    return data


@pytest.fixture(scope="module")
def bare(bare_dir, tmp_path_factory):
    dataset = load_dataset(bare_dir)
    return dataset, build_chapter(dataset, 2021, figures_dir=tmp_path_factory.mktemp("gambar-tanpa"))


def _texts(section, voice=None):
    return [b.text for b in section.blocks if isinstance(b, Paragraph) and (voice is None or b.voice == voice)]


def _table(section, key=None) -> Table:
    return next(b for b in section.blocks if isinstance(b, Table) and (key is None or b.key == key))


def _shown(table: Table) -> list[list[str]]:
    return [[table.shown(i, c) for c in table.columns] for i in range(len(table.frame))]


# --- structure -------------------------------------------------------------------------------------


def test_parts_sasaran_and_indicators_in_order(sample):
    _, chapter = sample
    assert chapter.title == "Bab III Akuntabilitas Kinerja" and chapter.year == 2023
    assert chapter.area == "Kecamatan Kaloran" and chapter.missing == []
    assert [s.key for s in chapter.sections] == ["III.A", "III.B", "lampiran-pk", "lampiran-iku"]
    assert [s.level for s in chapter.sections] == [1, 1, 1, 1]
    part_a = chapter.sections[0]
    # Five sasaran in the IKU document's order (seed, BAB IV), then the goal (BAB III.B).
    assert [s.key for s in part_a.sections] == ["sasaran-1", "sasaran-2", "sasaran-3", "sasaran-4", "sasaran-5",
                                                "tujuan-1"]
    assert part_a.sections[0].title == "Sasaran 1: Meningkatnya kualitas manajemen pemerintahan"
    assert {s.level for s in part_a.sections} == {2}
    members = [[i.key for i in s.sections] for s in part_a.sections]
    assert members == [["IKU-01"], ["IKU-02", "IKU-03", "IKU-04"], ["IKU-05", "IKU-06"], ["IKU-07", "IKU-08"],
                       ["IKU-09", "IKU-10"], ["IT-01"]]
    assert part_a.sections[1].sections[0].title == "IKU-02 Persentase kepemilikan KTP-El di kecamatan"
    assert {i.level for s in part_a.sections for i in s.sections} == {3}


@pytest.mark.parametrize("ident", WITH_STANDARD)
def test_an_indicator_with_a_standard_has_all_seven_analyses_in_order(sample, ident):
    _, chapter = sample
    section = chapter.section(ident)
    assert [s.key for s in section.sections] == [ident + a for a in ANALYSES]
    assert [s.level for s in section.sections] == [4] * 7
    assert [s.title for s in section.sections] == [
        "Target dan realisasi tahun 2023", "Perbandingan dengan tahun-tahun sebelumnya (2019–2023)",
        "Realisasi terhadap target akhir Renstra (2023)", "Perbandingan dengan standar nasional/provinsi",
        "Penyebab keberhasilan atau kegagalan dan solusinya", "Efisiensi penggunaan sumber daya",
        "Program dan kegiatan pendukung"]


@pytest.mark.parametrize("ident", ["IKU-01", "IKU-07", "IT-01"])
def test_without_a_standard_analysis_4_is_left_out(sample, ident):
    _, chapter = sample
    assert [s.key for s in chapter.section(ident).sections] == [ident + a for a in ANALYSES if a != "/4"]
    assert not any("standar nasional" in s.title for s in chapter.section(ident).sections)


# --- the analyses of IKU-02 (KTP-el), 2023 ------------------------------------------------------------

# 2023/kependudukan.csv: 30.098 of 30.865 penduduk wajib KTP have a KTP-el; target.csv: 99 (2023), 98 (2022).
KTP_2023 = 30098 / 30865 * 100


def test_1_target_and_realisasi_of_the_year(sample):
    _, chapter = sample
    section = chapter.section("IKU-02/1")
    assert _texts(section)[0] == (
        "Pada tahun 2023, realisasi persentase kepemilikan KTP-El di kecamatan di Kecamatan Kaloran sebesar 97,51% "
        "dari target 99,00%, sehingga capaian kinerjanya 98,50% dengan predikat Sangat Tinggi. "
        "Target tahun 2023 belum tercapai.")
    desa = _table(section, "rincian-IKU-02")
    assert len(desa.frame) == 14 and [c.header for c in desa.columns][0] == "Desa"
    assert desa.frame["pembilang"].sum() == 30098 and desa.frame["penyebut"].sum() == 30865
    assert _shown(desa)[0][:4] == ["Gandulan", "2.273", "2.311", "98,36"]  # 2273 / 2311 = 98,355...


def test_2_multiyear_table_and_the_change_in_words(sample):
    _, chapter = sample
    section = chapter.section("IKU-02/2")
    table = _table(section, "multitahun-IKU-02")
    assert [c.header for c in table.columns] == ["Tahun", "Target (%)", "Realisasi (%)", "Capaian (%)", "Predikat",
                                                 "Perubahan dari tahun sebelumnya (persen poin)", "Arah"]
    assert table.frame["tahun"].tolist() == [2019, 2020, 2021, 2022, 2023]
    assert table.frame["target"].tolist() == [95.0, 96.0, 97.0, 98.0, 99.0]  # target.csv
    last = table.frame.iloc[-1]
    assert last["realisasi"] == pytest.approx(KTP_2023, rel=1e-12)
    assert last["capaian"] == pytest.approx(KTP_2023 / 99 * 100, rel=1e-12)
    assert last["arah"] == "membaik" and _shown(table)[-1][-2:] == ["0,81", "membaik"]
    assert _shown(table)[0][-2:] == ["–", "–"]  # 2018 is not in the data
    # 96,71% (2022) -> 97,51% (2023): up 0,81 points, an improvement (higher is better).
    assert _texts(section)[0] == ("Dibandingkan tahun 2022 (96,71%), realisasi tahun 2023 (97,51%) naik 0,81 persen "
                                  "poin; kinerja indikator ini membaik.")
    assert "Target tahunan belum tercapai pada satu pun dari 5 tahun" in _texts(section)[1]


def test_3_against_the_renstra_end_target(sample):
    _, chapter = sample
    section = chapter.section("IKU-02/3")
    table = _table(section, "renstra-IKU-02")
    row = table.frame.iloc[0]
    assert row["target_akhir"] == 99.0 and row["realisasi"] == pytest.approx(KTP_2023, rel=1e-12)
    assert row["progres"] == pytest.approx(KTP_2023 / 99 * 100, rel=1e-12)
    assert _shown(table)[0] == ["99,00", "97,51", "98,50", "Belum tercapai"]  # 2023 is the period's last year
    assert _texts(section)[0].endswith("Target akhir periode belum tercapai.")


def test_4_against_the_national_standard(sample):
    _, chapter = sample
    section = chapter.section("IKU-02/4")
    table = _table(section, "standar-IKU-02")
    row = table.frame.iloc[0]
    assert row["standar"] == 99.0  # standar.csv: IKU-02,2023,99
    assert row["sumber"] == "Target perekaman KTP-el nasional, Ditjen Dukcapil Kemendagri (ilustratif)"
    assert row["selisih"] == pytest.approx(KTP_2023 - 99, rel=1e-12)
    assert row["posisi"] == "lebih buruk daripada standar"
    assert "di bawah standar" in _texts(section)[0]
    # IKU-08 (RTLH, lower is better): 4,68% below the provincial 6,3 is better; IKU-09: 3,56 above 3 is worse.
    assert _table(chapter.section("IKU-08/4")).frame.iloc[0]["posisi"] == "lebih baik daripada standar"
    assert _table(chapter.section("IKU-09/4")).frame.iloc[0]["posisi"] == "lebih buruk daripada standar"


def test_5_the_analyst_s_words_apart_from_the_generated_text(sample):
    _, chapter = sample
    section = chapter.section("IKU-02/5")
    analyst = [(b.label, b.text) for b in section.blocks if isinstance(b, Paragraph) and b.voice == "analis"]
    assert analyst == [  # analisis.csv, IKU-02 2023
        ("Faktor pendukung", "Pelayanan perekaman KTP-el di kantor kecamatan setiap hari kerja"),
        ("Faktor penghambat", "Penduduk yang bekerja di luar daerah belum merekam data"),
        ("Solusi", "Pendataan penduduk wajib KTP yang belum merekam melalui perangkat desa")]
    assert _texts(section, "narasi") == ["Target tahun 2023 untuk persentase kepemilikan KTP-El di kecamatan belum "
                                         "tercapai (capaian 98,50%). Penyebab kegagalan dan solusinya menurut analis:"]
    # Two lines of analisis.csv for IKU-02 2021 are joined, each text once.
    dataset, _ = sample
    assert "PPKM" in dataset.analisis.set_index(["indikator", "tahun"]).at[("IKU-02", 2021), "faktor_penghambat"]


def test_6_efficiency_worked_by_hand(sample):
    _, chapter = sample
    # anggaran.csv 2023, lines linked to IKU-01: "Koordinasi Penyelenggaraan Kegiatan Pemerintahan di Tingkat
    # Kecamatan" (IKU-01) pagu 77.003.000, realisasi 70.737.900; "Pembinaan dan Pengawasan Pengelolaan Keuangan
    # Desa" (IT-01;IKU-01) pagu 50.315.000, realisasi 46.694.500. Sums: 127.318.000 and 117.432.400;
    # serapan 117.432.400 / 127.318.000 = 92,2355%. Capaian: 13 of 14 desa on time (2023/pemerintahan.csv,
    # Getas not) = 92,857% against target 90 -> 103,1746%. IE = 103,1746 / 92,2355 = 1,1186 (rasio): efisien.
    row = _table(chapter.section("IKU-01/6"), "efisiensi-IKU-01").frame.iloc[0]
    assert row["pagu"] == 127_318_000 and row["realisasi_anggaran"] == 117_432_400
    serapan = 117_432_400 * 100 / 127_318_000
    capaian = 13 / 14 * 100 / 90 * 100
    assert row["serapan"] == pytest.approx(serapan, rel=1e-12) and row["serapan"] == pytest.approx(92.2355, abs=5e-5)
    assert row["capaian"] == pytest.approx(capaian, rel=1e-12)
    assert row["indeks"] == pytest.approx(capaian / serapan, rel=1e-12) and row["indeks"] == pytest.approx(1.1186,
                                                                                                      abs=5e-5)
    assert row["tingkat_efisiensi"] == pytest.approx((capaian / serapan - 1) * 100, rel=1e-9)
    assert row["kategori"] == "efisien" and row["metode"] == "rasio"
    shown = _shown(_table(chapter.section("IKU-01/6")))[0]
    assert shown == ["127.318.000", "117.432.400", "92,24", "103,17", "1,12", "11,86", "efisien"]
    # IKU-02: one line, "Pelayanan Administrasi Kependudukan di Kecamatan", 45.785.000 / 40.763.100.
    row = _table(chapter.section("IKU-02/6")).frame.iloc[0]
    assert (row["pagu"], row["realisasi_anggaran"]) == (45_785_000, 40_763_100)
    assert row["serapan"] == pytest.approx(40_763_100 * 100 / 45_785_000, rel=1e-12)  # 89,03%


def test_7_programs_and_activities(sample):
    _, chapter = sample
    section = chapter.section("IKU-01/7")
    table = _table(section, "program-IKU-01")
    assert table.frame["kegiatan"].tolist()[:2] == ["Koordinasi Penyelenggaraan Kegiatan Pemerintahan di Tingkat "
                                                    "Kecamatan", "Pembinaan dan Pengawasan Pengelolaan Keuangan Desa"]
    assert table.frame["didukung"].tolist() == ["IKU-01", "IT-01, IKU-01", ""]
    assert table.total_row and table.frame.iloc[-1]["pagu"] == 77_003_000 + 50_315_000
    assert table.frame.iloc[-1]["realisasi_anggaran"] == 70_737_900 + 46_694_500
    named = [(b.label, b.text) for b in section.blocks if isinstance(b, Paragraph) and b.voice == "analis"]
    assert named == [("Program pendukung", "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik; Program "
                                           "Pemberdayaan Masyarakat Desa dan Kelurahan")]


# --- III.A, III.B and the appendices ------------------------------------------------------------------


def test_part_a_has_the_capaian_tables_and_both_charts(sample):
    _, chapter = sample
    part_a = chapter.section("III.A")
    capaian = _table(part_a, "tabel-capaian")
    assert capaian.frame["indikator"].tolist() == IDS and capaian.merge == ["sasaran_strategis"]
    assert _table(part_a, "tabel-capaian-tujuan").frame["indikator"].tolist() == ["IT-01"]
    assert "Target tercapai pada 4 dari 10 indikator" in _texts(part_a)[0]
    figures = [b for b in part_a.blocks if isinstance(b, Figure)]
    assert [f.path.name for f in figures] == ["capaian-2023.png", "realisasi-target-2023.png"]
    assert all(f.path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for f in figures)


# anggaran.csv, the 13 lines of 2023 (pagu, realisasi), each counted once even when it supports two indicators.
PAGU_2023 = [199_754_000, 250_512_000, 105_733_000, 77_003_000, 45_785_000, 37_018_000, 59_013_000, 50_315_000,
             32_710_000, 56_178_000, 28_793_000, 40_529_000, 48_073_000]
SPENT_2023 = [190_724_700, 228_563_400, 96_120_600, 70_737_900, 40_763_100, 32_767_100, 52_416_300, 46_694_500,
              32_227_200, 53_294_400, 27_426_300, 39_136_900, 43_485_400]


def test_part_b_budget_per_program_with_the_total_and_a_chart(sample):
    _, chapter = sample
    part_b = chapter.section("III.B")
    table = _table(part_b, "tabel-anggaran")
    frame = table.frame
    assert table.total_row and frame.iloc[-1]["tingkat"] == "jumlah"
    assert frame.iloc[-1]["pagu"] == sum(PAGU_2023) == 1_031_416_000
    assert frame.iloc[-1]["realisasi_anggaran"] == sum(SPENT_2023)
    assert frame.iloc[-1]["serapan"] == pytest.approx(sum(SPENT_2023) * 100 / sum(PAGU_2023), rel=1e-12)
    programs = frame[frame["tingkat"] == "program"]
    assert len(programs) == 6 and programs["pagu"].sum() == sum(PAGU_2023)
    # Program Penunjang: its three lines, linked to no indicator.
    assert programs.iloc[0]["pagu"] == 199_754_000 + 250_512_000 + 105_733_000 and programs.iloc[0]["didukung"] == ""
    assert _shown(table)[1][0] == "– Administrasi Umum Perangkat Daerah"
    assert _shown(table)[-1][0] == "Jumlah"
    figure = next(b for b in part_b.blocks if isinstance(b, Figure))
    assert figure.path.name == "serapan-program-2023.png" and figure.path.stat().st_size > 10_000


def test_appendices_perjanjian_kinerja_and_iku(sample):
    _, chapter = sample
    pk = _table(chapter.section("lampiran-pk"), "lampiran-pk")
    assert [c.header for c in pk.columns] == ["No", "Sasaran Strategis", "Kode Indikator", "Indikator Kinerja",
                                              "Satuan", "Target 2023"]
    assert pk.frame["indikator"].tolist() == IDS
    assert pk.frame["no"].tolist() == ["1", "2", "2", "2", "3", "3", "4", "4", "5", "5"]  # per sasaran, as the seed
    assert pk.frame["target"].tolist() == [90, 99, 1.5, 100, 90, 95, 92, 4, 4, 100]  # target.csv 2023
    iku = _table(chapter.section("lampiran-iku"), "lampiran-iku")
    assert [c.header for c in iku.columns] == ["No", "Sasaran Strategis", "Kode Indikator", "Indikator Kinerja",
                                               "Rumus", "Sumber Data"]
    row = iku.frame.set_index("indikator").loc["IKU-09"]
    assert row["rumus"] == "jumlah tindak kriminal dibagi jumlah penduduk dikali 10.000"  # the seed, BAB IV
    assert row["sumber_data"] == "KECAMATAN KALORAN"
    assert row["sasaran"] == "Peningkatan ketrentaman dan ketertiban masyarakat dan desa di Kecamatan"


# --- every number is iku compute's ------------------------------------------------------------------


def _same(got, want) -> bool:
    if pd.isna(want):
        return pd.isna(got)
    return float(got) == float(want)  # full precision: not approx


@pytest.mark.parametrize("which", ["sample", "bare"])
def test_every_number_of_the_model_equals_compute(which, request):
    dataset, chapter = request.getfixturevalue(which)
    table = compute(dataset).set_index(["indikator", "tahun", "kode_wilayah"])
    ids = set(dataset.catalog.ids)
    checked = 0
    for t in chapter.tables():
        frame = t.frame
        if not {"indikator", "tahun", "kode_wilayah"} <= set(frame.columns):
            continue
        for _, row in frame.iterrows():
            if row["indikator"] not in ids:
                continue
            key = (row["indikator"], int(row["tahun"]), str(row["kode_wilayah"]))
            for mine, theirs in (("target", "target"), ("realisasi", "nilai"), ("capaian", "capaian"),
                                 ("nilai", "nilai"), ("pembilang", "pembilang"), ("penyebut", "penyebut")):
                if mine in frame.columns:
                    assert _same(row[mine], table.at[key, theirs]), (t.key, key, mine)
                    checked += 1
    # at least: 11 indicators x 5 years x 3 (multi-year) + 14 desa x 11 x 3 (breakdowns)
    assert checked > 11 * 5 * 3 + 14 * 11 * 3


# --- without the optional inputs -----------------------------------------------------------------------


def test_without_the_optional_inputs_the_chapter_says_what_is_missing(bare):
    _, chapter = bare
    assert [m.split(" ")[0] for m in chapter.missing] == ["analisis.csv", "standar.csv", "anggaran.csv"]
    assert all(" belum ada: " in m for m in chapter.missing)
    for ident in IDS + ["IT-01"]:
        keys = [s.key for s in chapter.section(ident).sections]
        assert keys == [ident + a for a in ANALYSES if a != "/4"]  # no standard: no fake one
        assert "Analisis penyebab belum diisi (analisis.csv)" in _texts(chapter.section(f"{ident}/5"), "belum_ada")
        efficiency = chapter.section(f"{ident}/6")
        row = _table(efficiency).frame.iloc[0]
        assert row["kategori"] == "tidak dapat dihitung" and row["alasan"].startswith("tidak ada program/kegiatan")
        assert _texts(efficiency, "belum_ada")[0].startswith("anggaran.csv belum ada, sehingga efisiensi tidak dapat "
                                                             "dihitung")
        assert _texts(chapter.section(f"{ident}/7"), "belum_ada")
        assert not any(isinstance(b, Paragraph) and b.voice == "analis"
                       for s in chapter.section(ident).sections for b in s.blocks)
    assert _texts(chapter.section("III.B"), "belum_ada")[0].startswith(
        "Realisasi anggaran belum dapat disajikan: anggaran.csv belum ada")
    assert not chapter.section("III.B").sections and not any(isinstance(b, Table)
                                                             for b in chapter.section("III.B").blocks)


def test_before_the_last_year_the_pace_is_a_linear_projection(bare):
    dataset, chapter = bare
    section = chapter.section("IKU-02/3")
    row = _table(section).frame.iloc[0]
    values = compute(dataset, [2019, 2021], level="kecamatan").set_index(["indikator", "tahun"])["nilai"]
    pace = (values[("IKU-02", 2021)] - values[("IKU-02", 2019)]) / 2  # average yearly change 2019-2021
    assert row["laju"] == pytest.approx(pace, rel=1e-12)
    assert row["proyeksi_akhir"] == pytest.approx(values[("IKU-02", 2021)] + 2 * pace, rel=1e-12)  # to 2023
    assert row["target_akhir"] == 99.0  # target.csv, the period's last year
    assert "proyeksi linear sederhana" in _texts(section)[0] and "bukan ramalan" in _texts(section)[0]
    assert [c.header for c in _table(section).columns][3:5] == ["Laju per tahun (persen poin)",
                                                               "Proyeksi linear 2023 (%)"]


def test_a_partly_filled_analysis_names_what_is_missing(bare_dir, tmp_path):
    data = tmp_path / "raw"
    shutil.copytree(bare_dir, data)
    (data / "analisis.csv").write_text("indikator,tahun,faktor_pendukung,faktor_penghambat,solusi,program_pendukung\n"
                                       "IKU-03,2021,Presensi <b>harian</b>,,,\n", encoding="utf-8")
    chapter = build_chapter(load_dataset(data), 2021, figures_dir=tmp_path / "gambar")
    section = chapter.section("IKU-03/5")
    assert [(b.voice, b.label, b.text) for b in section.blocks[1:]] == [
        ("analis", "Faktor pendukung", "Presensi <b>harian</b>"),
        ("belum_ada", "", "Faktor penghambat belum diisi (analisis.csv)"),
        ("belum_ada", "", "Solusi belum diisi (analisis.csv)")]
    assert chapter.missing[0].startswith("standar.csv")  # analisis.csv is given now


# --- areas ------------------------------------------------------------------------------------------


def test_an_area_report_uses_the_area_s_own_rows_and_targets(tmp_path):
    data = tmp_path / "dua"
    make_two_kecamatan(data)
    dataset = load_dataset(data)
    kaloran = build_chapter(dataset, 2023, "332307", figures_dir=tmp_path / "g1")
    assert kaloran.area == "Kecamatan Kaloran"
    row = _table(kaloran.section("IKU-02/2")).frame.set_index("tahun").loc[2023]
    assert row["realisasi"] == pytest.approx(2040 / 2210 * 100, rel=1e-12)  # (690 + 1350) / (710 + 1500)
    assert row["target"] == 80 and row["kode_wilayah"] == "332307"
    kandangan = build_chapter(dataset, 2023, "332306", figures_dir=tmp_path / "g2")
    capaian = _table(kandangan.section("III.A"), "tabel-capaian").frame
    assert capaian["target"].isna().all() and capaian["capaian"].isna().all()  # only the area's own targets
    assert "Berkas target.csv tidak memuat target tahun 2023 untuk Kecamatan Kandangan (kode 332306)" in \
        _texts(kandangan.section("III.A"))[2]


def test_a_register_of_two_top_areas_needs_the_area_code(tmp_path):
    data = tmp_path / "dua"
    make_two_kecamatan(data)
    register = (data / "desa.csv").read_text(encoding="utf-8").splitlines()
    (data / "desa.csv").write_text("\n".join(",".join(line.split(",")[:4]) for line in register) + "\n",
                                   encoding="utf-8")
    dataset = load_dataset(data)
    with pytest.raises(ParameterError, match="berikan kode_wilayah salah satunya \\(332307, 332306\\)"):
        build_chapter(dataset, 2023, figures_dir=tmp_path / "g")
    assert build_chapter(dataset, 2023, "332306", figures_dir=tmp_path / "g").area == "Kecamatan Kandangan"


def test_the_first_page_names_the_desa_without_data_and_what_each_indicator_did(tmp_path):
    """tests/data/kecil 2022: Gamma's wajib_ktp is blank (IKU-02, kosong: dikecualikan) and its
    rkp_tepat_waktu is blank (IKU-05, kosong: tidak_tercapai); Alpha and Beta gave every value."""
    from iku_lib.report.chapter_docx import build_document, chapter_date
    from iku_lib.report.chapter_html import render_chapter

    from ..conftest import KECIL

    chapter = build_chapter(load_dataset(KECIL), 2022, figures_dir=tmp_path / "gambar")
    line = ("Desa Gamma (3301010003): tanpa nilai wajib_ktp, sehingga IKU-02 tidak menghitung desa ini (dikecualikan "
            "dari pembilang dan penyebut); tanpa nilai rkp_tepat_waktu, sehingga IKU-05 menghitung desa ini tidak "
            "tercapai (nilai IKU-05 wilayah ikut turun)")
    assert chapter.missing_desa == [line]
    html = render_chapter(chapter)
    box = html.index('<div class="belum-ada desa-kosong"><strong>Desa tanpa data tahun 2022:</strong>')
    assert box < html.index("<section")  # before the chapter's first section: on its first page
    assert f"<li>{line}</li>" in html
    texts = [p.text for p in build_document(chapter, chapter_date(chapter)).paragraphs]
    title = texts.index("Desa tanpa data tahun 2022: desa berikut tidak melaporkan nilai yang diperlukan indikator; "
                        "begini perlakuannya.")
    assert texts[title + 1] == f"\u2022 {line}"


def test_a_chapter_of_desa_that_all_reported_has_no_such_list(sample):
    assert sample[1].missing_desa == []  # the Kaloran sample 2023: every desa gave every value
