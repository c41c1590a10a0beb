"""anggaran.csv (or .xlsx): the budget lines behind the indicators (optional); and the three
LKjIP inputs in a whole data directory: the shipped sample, the processed store, provenance,
and the fixtures being what tests/data/make_fixtures.py writes.

Fixture folders (kecil plus an anggaran.csv; `lkjip_*` in make_fixtures.py), header on line 1:

- anggaran-realisasi-lebih-dari-pagu: row 2 `Rp 50.000.000` / `Rp 48.500.000` for IKU-05;IKU-06;
  row 3 25.000.000 / 25.750.000 for `IKU-09; iku-10` -> a warning, the line is used.
- anggaran-uang-negatif: row 2 realisasi `-1.500.000`; row 3 pagu `Rp -5.000.000`.
- anggaran-uang-bukan-angka: row 2 pagu `tiga puluh juta`; row 3 realisasi `1,500`; row 4 `-`.
- anggaran-indikator-tidak-dikenal: row 2 `IKU-3`; row 3 `IKU-05, IKU-06`; row 4 `IT-01;SS-01`;
  row 5 no indicator (fine).
- anggaran-kegiatan-ganda: rows 2 and 4 one kegiatan, the same line (spaces, case, id order
  aside); rows 3 and 5 one kegiatan with realisasi 19.000.000 and 18.000.000; row 6 `Jumlah`.
"""

from __future__ import annotations

import hashlib
import shutil
import sys

import openpyxl
import pandas as pd
import pytest

from iku_lib import load_dataset
from iku_lib.ingest.anggaran import ANGGARAN_COLUMNS, LINK_COLUMNS, anggaran_links, empty_anggaran, read_anggaran
from iku_lib.report.provenance import files_used

from ..conftest import DATA, KECIL, RAW

KNOWN = "IKU-01, IKU-02, IKU-03, IKU-04, IKU-05, IKU-06, IKU-07, IKU-08, IKU-09, IKU-10, IT-01"
IDS = KNOWN.split(", ")
PEMBERDAYAAN = "Program Pemberdayaan Masyarakat Desa dan Kelurahan"
TRANTIB = "Program Koordinasi Ketentraman dan Ketertiban Umum"
UMUM = "Program Penyelenggaraan Urusan Pemerintahan Umum"
PENUNJANG = "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota"
RUPIAH = "diharapkan nilai rupiah 0 atau lebih, misalnya 1.234.567 atau Rp 1.234.567,50"


def formatted(case: str) -> list[str]:
    return [p.format() for p in load_dataset(DATA / case, store=False).problems]


def test_realisasi_above_pagu_is_a_warning_and_the_line_is_used():
    dataset = load_dataset(DATA / "anggaran-realisasi-lebih-dari-pagu", store=False)
    assert [p.format() for p in dataset.problems] == [
        'PERINGATAN: anggaran.csv, baris 3, kolom "realisasi", nilai "25.750.000": realisasi (Rp25.750.000) melebihi '
        "pagu (Rp25.000.000); periksa kembali angkanya (baris ini tetap dipakai)"]
    assert (dataset.problems[0].kode, dataset.problems[0].tahun) == ("anggaran_melebihi_pagu", 2022)
    assert dataset.anggaran.to_dict("list") == {
        "tahun": [2022, 2022], "program": [PEMBERDAYAAN, TRANTIB],
        "kegiatan": ["Fasilitasi Penyusunan APB Desa", "Koordinasi Trantib"],
        "indikator": ["IKU-05;IKU-06", "IKU-09;IKU-10"], "pagu": [50_000_000.0, 25_000_000.0],
        "realisasi": [48_500_000.0, 25_750_000.0], "baris": [2, 3]}
    links = anggaran_links(dataset.anggaran)
    assert links.values.tolist() == [
        [2022, "IKU-05", PEMBERDAYAAN, "Fasilitasi Penyusunan APB Desa", 50_000_000.0, 48_500_000.0],
        [2022, "IKU-06", PEMBERDAYAAN, "Fasilitasi Penyusunan APB Desa", 50_000_000.0, 48_500_000.0],
        [2022, "IKU-09", TRANTIB, "Koordinasi Trantib", 25_000_000.0, 25_750_000.0],
        [2022, "IKU-10", TRANTIB, "Koordinasi Trantib", 25_000_000.0, 25_750_000.0]]
    assert list(links.columns) == LINK_COLUMNS
    assert list(links.dtypes.astype(str)) == ["int64", "object", "object", "object", "float64", "float64"]


def test_negative_money_is_an_error():
    assert formatted("anggaran-uang-negatif") == [
        'GALAT: anggaran.csv, baris 2, kolom "realisasi", nilai "-1.500.000": realisasi tidak boleh negatif',
        'GALAT: anggaran.csv, baris 3, kolom "pagu", nilai "Rp -5.000.000": pagu tidak boleh negatif',
    ]
    assert load_dataset(DATA / "anggaran-uang-negatif", store=False).anggaran.empty


def test_money_that_is_not_a_number_is_an_error():
    assert formatted("anggaran-uang-bukan-angka") == [
        f'GALAT: anggaran.csv, baris 2, kolom "pagu", nilai "tiga puluh juta": pagu bukan angka; {RUPIAH}',
        'GALAT: anggaran.csv, baris 3, kolom "realisasi", nilai "1,500": realisasi: tanda koma yang diikuti tepat '
        "tiga angka bermakna ganda (pemisah ribuan gaya Inggris atau tanda desimal); tulis ribuan dengan titik atau "
        "tanpa pemisah, misalnya 1.234 atau 1234",
        'GALAT: anggaran.csv, baris 4, kolom "realisasi", nilai "-": realisasi: tanda "-" tidak dibaca sebagai 0; '
        "tulis 0 bila nihil, atau kosongkan sel bila datanya tidak ada",
    ]


def test_unknown_indicator_ids_are_errors_with_a_suggestion():
    dataset = load_dataset(DATA / "anggaran-indikator-tidak-dikenal", store=False)
    assert [p.format() for p in dataset.problems] == [
        f'GALAT: anggaran.csv, baris 2, kolom "indikator", nilai "IKU-3": indikator "IKU-3" tidak dikenal; mungkin '
        f"maksudnya IKU-03? Yang dikenal: {KNOWN}",
        f'GALAT: anggaran.csv, baris 3, kolom "indikator", nilai "IKU-05, IKU-06": indikator "IKU-05, IKU-06" tidak '
        f"dikenal; yang dikenal: {KNOWN}; pisahkan beberapa indikator dengan titik koma (;), misalnya IKU-01;IKU-02",
        f'GALAT: anggaran.csv, baris 4, kolom "indikator", nilai "IT-01;SS-01": indikator "SS-01" tidak dikenal; '
        f"yang dikenal: {KNOWN}",
    ]
    assert {p.kode for p in dataset.problems} == {"indikator_tidak_dikenal"}
    assert dataset.anggaran.to_dict("list") == {
        "tahun": [2022], "program": [PENUNJANG], "kegiatan": ["Administrasi Umum Perangkat Daerah"],
        "indikator": [""], "pagu": [100_000_000.0], "realisasi": [95_000_000.0], "baris": [5]}
    links = anggaran_links(dataset.anggaran)  # the one line supports no indicator
    assert links.empty and list(links.columns) == LINK_COLUMNS


def test_one_kegiatan_twice_total_lines_and_exact_repeats():
    dataset = load_dataset(DATA / "anggaran-kegiatan-ganda", store=False)
    twice = ("kegiatan Fasilitasi Kerukunan Umat Beragama tahun 2022 tercantum lebih dari sekali dengan pagu, "
             "realisasi atau indikator berbeda")
    advice = "tulis satu baris per kegiatan, atau bedakan nama kegiatannya"
    assert [p.format() for p in dataset.problems] == [
        'PERINGATAN: anggaran.csv, baris 6, kolom "program", nilai "Jumlah": baris jumlah tidak dibaca; iku menjumlahkan sendiri '
        "baris-baris anggaran (hapus baris ini bila mau)",
        'PERINGATAN: anggaran.csv, baris 4, kolom "kegiatan", nilai "koordinasi  trantib": baris ini sama dengan '
        "baris 2 (tahun, program, kegiatan, indikator, pagu dan realisasi); dipakai sekali",
        f'GALAT: anggaran.csv, baris 3, kolom "kegiatan", nilai "Fasilitasi Kerukunan Umat Beragama": {twice} '
        f"(juga di baris 5); {advice}",
        f'GALAT: anggaran.csv, baris 5, kolom "kegiatan", nilai "Fasilitasi Kerukunan Umat Beragama": {twice} '
        f"(juga di baris 3); {advice}",
    ]
    assert [p.kode for p in dataset.problems] == ["anggaran_baris_jumlah", "anggaran_terulang", "anggaran_ganda",
                                                  "anggaran_ganda"]
    assert dataset.anggaran["baris"].tolist() == [2, 3]
    assert dataset.anggaran["indikator"].tolist() == ["IKU-09;IKU-10", "IKU-07"]


def test_other_bad_lines(tmp_path):
    (tmp_path / "anggaran.csv").write_text(
        "tahun,program,kegiatan,indikator,pagu,realisasi\n"
        "2023,,Rapat koordinasi,IKU-01,10.000.000,9.000.000\n"
        "2023.0,Program A,,IKU-01,,9.000.000\n"
        "23,Program A,Kegiatan B,iku-01;IKU-01,\"10.000.000,50\",0\n"
        "2023,Program A,Kegiatan C,IKU-02 ; ;IKU-01,\"Rp 50.000,-\",Rp. 49.999\n", encoding="utf-8")
    table, problems = read_anggaran(tmp_path, IDS)
    assert [p.format() for p in problems] == [
        'GALAT: anggaran.csv, baris 2, kolom "program", nilai "": program kosong; setiap baris anggaran perlu nama '
        "programnya (tulis juga pada baris kegiatan di bawah program yang sama)",
        'PERINGATAN: anggaran.csv, baris 3, kolom "pagu", nilai "": pagu kosong; baris anggaran ini tidak dipakai '
        "(tulis 0 bila memang nol)",
        'GALAT: anggaran.csv, baris 4, kolom "tahun", nilai "23": tahun harus empat angka, misalnya 2023',
    ]
    assert [p.kode for p in problems] == ["anggaran_tanpa_program", "anggaran_kosong", "tahun_tidak_sah"]
    assert table.to_dict("records") == [{"tahun": 2023, "program": "Program A", "kegiatan": "Kegiatan C",
                                         "indikator": "IKU-02;IKU-01", "pagu": 50_000.0, "realisasi": 49_999.0,
                                         "baris": 5}]


def test_missing_required_columns(tmp_path):
    (tmp_path / "anggaran.csv").write_text("Program,Kegiatan,Pagu Anggaran,Realisasi\nProgram A,B,10,9\n",
                                           encoding="utf-8")
    table, problems = read_anggaran(tmp_path, IDS)
    assert [p.format() for p in problems] == [
        "GALAT: anggaran.csv, baris 1: kolom wajib tidak ada: tahun, pagu; judul kolom harus "
        "tahun,program,kegiatan,indikator,pagu,realisasi",
        'PERINGATAN: anggaran.csv, baris 1, kolom "Pagu Anggaran": kolom tidak dikenal; kolom ini diabaikan (judul '
        "kolom yang dikenal: tahun,program,kegiatan,indikator,pagu,realisasi)",
    ]
    assert table.empty and list(table.columns) == ANGGARAN_COLUMNS


def test_a_workbook_with_title_rows_and_a_sheet_per_year(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "2022"
    ws["A1"] = "REALISASI ANGGARAN KECAMATAN KALORAN TAHUN 2022"
    ws.append([])
    ws.append(["No", "Tahun", "Program", "Kegiatan", "Indikator", "Pagu", "Realisasi"])  # row 3
    ws.append([1, 2022, PEMBERDAYAAN, "Pembinaan Perangkat Desa", "IKU-03", 50_000_000, 48_500_000.5])
    ws.append([2, 2022, TRANTIB, "Koordinasi Trantib", "IKU-09;IKU-10", "Rp 25.000.000", 24_000_000])
    ws.append(["Jumlah", None, None, None, None, 75_000_000, 72_500_000.5])  # row 6
    ws = book.create_sheet("2023")
    ws.append(["tahun", "program", "kegiatan", "indikator", "pagu", "realisasi"])
    ws.append([2023.0, UMUM, "Fasilitasi Kerukunan Umat Beragama", "iku-07", 40_000_000, 41_000_000])
    book.create_sheet("Catatan")["A1"] = "Sumber: DPA Kecamatan Kaloran"
    data = tmp_path / "data"
    shutil.copytree(KECIL, data)
    book.save(data / "anggaran.xlsx")
    dataset = load_dataset(data, store=False)
    assert [p.format() for p in dataset.problems] == [  # the file's sheets first, then its lines
        'PERINGATAN: anggaran.xlsx, lembar "Catatan": lembar ini tidak punya kolom "program" sehingga tidak dibaca; '
        'bila berisi data, beri judul "program" pada kolomnya',
        'PERINGATAN: anggaran.xlsx, lembar "2022", baris 6, kolom "No", nilai "Jumlah": baris jumlah tidak dibaca; iku '
        "menjumlahkan sendiri baris-baris anggaran (hapus baris ini bila mau)",
        'PERINGATAN: anggaran.xlsx, lembar "2023", baris 2, kolom "realisasi", nilai "41000000": realisasi '
        "(Rp41.000.000) melebihi pagu (Rp40.000.000); periksa kembali angkanya (baris ini tetap dipakai)",
    ]  # and no "berkas data di luar folder tahun" warning: anggaran.xlsx is read
    assert dataset.anggaran.to_dict("list") == {
        "tahun": [2022, 2022, 2023], "program": [PEMBERDAYAAN, TRANTIB, UMUM],
        "kegiatan": ["Pembinaan Perangkat Desa", "Koordinasi Trantib", "Fasilitasi Kerukunan Umat Beragama"],
        "indikator": ["IKU-03", "IKU-09;IKU-10", "IKU-07"], "pagu": [50_000_000.0, 25_000_000.0, 40_000_000.0],
        "realisasi": [48_500_000.5, 24_000_000.0, 41_000_000.0], "baris": [4, 5, 2]}
    assert data / "anggaran.xlsx" in dataset.files


def test_no_file_or_a_header_only_file_is_an_empty_table(tmp_path):
    table, problems = read_anggaran(tmp_path, IDS)
    assert problems == []
    pd.testing.assert_frame_equal(table, empty_anggaran())
    (tmp_path / "anggaran.csv").write_text("tahun,program,kegiatan,indikator,pagu,realisasi\n", encoding="utf-8")
    table, problems = read_anggaran(tmp_path, IDS)
    assert problems == [] and table.empty
    assert list(table.dtypes.astype(str)) == ["int64", "object", "object", "object", "float64", "float64", "int64"]
    pd.testing.assert_frame_equal(anggaran_links(table), anggaran_links(empty_anggaran()))


# --- the three inputs in a data directory: sample, store, provenance -------------------------------

def test_the_sample_has_the_three_inputs_and_no_problem():
    dataset = load_dataset(RAW, store=False)
    assert dataset.problems == []
    # 11 indicators x 5 years analysed; 3 indicators x 5 years of standards; 13 budget lines x 5 years
    assert (len(dataset.analisis), len(dataset.standar), len(dataset.anggaran)) == (55, 15, 65)
    assert (dataset.analisis[["faktor_pendukung", "faktor_penghambat", "solusi"]] != "").all().all()
    assert set(dataset.standar["indikator"]) == {"IKU-02", "IKU-08", "IKU-09"}
    assert (dataset.standar["sumber"].str.contains("ilustratif")).all()
    assert set(anggaran_links(dataset.anggaran)["indikator"]) == set(IDS)
    assert (dataset.anggaran["realisasi"] <= dataset.anggaran["pagu"]).all()
    assert [p.name for p in dataset.files[2:5]] == ["analisis.csv", "standar.csv", "anggaran.csv"]
    assert list(dataset.analisis.dtypes.astype(str)) == ["object", "int64"] + ["object"] * 4
    assert list(dataset.standar.dtypes.astype(str)) == ["object", "int64", "float64", "object"]
    assert list(dataset.anggaran.dtypes.astype(str)) == ["int64", "object", "object", "object", "float64", "float64",
                                                         "int64"]


def test_the_sample_loaded_from_the_store_has_the_three_frames(tmp_path):
    fresh = load_dataset(RAW, store=False)
    first = load_dataset(RAW, processed_dir=tmp_path)
    second = load_dataset(RAW, processed_dir=tmp_path)
    assert not first.store.reused and second.store.reused
    for name in ("analisis", "standar", "anggaran"):
        pd.testing.assert_frame_equal(getattr(second, name), getattr(fresh, name), check_exact=True)
    assert len(second.anggaran) == 65 and second.problems == [] and second.files == fresh.files


def test_a_changed_budget_file_makes_a_new_store_and_provenance_sees_it(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(KECIL, data)
    budget = data / "anggaran.csv"
    budget.write_text("tahun,program,kegiatan,indikator,pagu,realisasi\n2022,Program A,Kegiatan B,IKU-01,100,90\n",
                      encoding="utf-8")
    first = load_dataset(data, processed_dir=tmp_path / "olahan")
    budget.write_text("tahun,program,kegiatan,indikator,pagu,realisasi\n2022,Program A,Kegiatan B,IKU-01,100,95\n",
                      encoding="utf-8")
    second = load_dataset(data, processed_dir=tmp_path / "olahan")
    assert not second.store.reused and second.store.folder != first.store.folder
    assert second.anggaran["realisasi"].tolist() == [95.0]
    shown = files_used(second, [2022]).set_index("berkas")
    assert shown.loc["anggaran.csv", "sha256"] == hashlib.sha256(budget.read_bytes()).hexdigest()
    with_store = load_dataset(data, processed_dir=tmp_path / "olahan")
    assert with_store.store.reused and with_store.anggaran["realisasi"].tolist() == [95.0]


def test_the_fixtures_are_what_the_generator_writes(tmp_path):
    sys.path.insert(0, str(DATA))
    try:
        import make_fixtures
    finally:
        sys.path.remove(str(DATA))
    made = make_fixtures.generate_lkjip(tmp_path)
    assert sorted(p.name for p in made) == [
        "analisis-indikator-tidak-dikenal", "anggaran-indikator-tidak-dikenal", "anggaran-kegiatan-ganda",
        "anggaran-realisasi-lebih-dari-pagu", "anggaran-uang-bukan-angka", "anggaran-uang-negatif",
        "standar-nilai-ganda"]
    for folder in made:
        files = {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()}
        assert files == {p.relative_to(DATA / folder.name) for p in (DATA / folder.name).rglob("*") if p.is_file()}
        for relative in files:
            assert (folder / relative).read_bytes() == (DATA / folder.name / relative).read_bytes(), relative


@pytest.mark.parametrize("name", ["analisis.csv", "standar.xlsx", "Anggaran.ods"])
def test_top_level_inputs_are_not_reported_as_files_not_read(tmp_path, name):
    data = tmp_path / "data"
    shutil.copytree(KECIL, data)
    (data / name).write_bytes(b"")  # empty: an error of its own, never "berkas data di luar folder tahun"
    kinds = [p.kode for p in load_dataset(data, store=False).problems]
    assert "berkas_tidak_dibaca" not in kinds and kinds == ["berkas_kosong"]
