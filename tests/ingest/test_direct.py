"""Indicators reported directly (`nilai: langsung`), issue 9.

Expectations are worked by hand from the files in tests/data/langsung-*:

langsung-campuran (kecamatan Sukamaju 3301010, 2022; the kecil desa):
- KS-01 (desa, positif): ktp_el / wajib_ktp = (1450 + 2010) / (1500 + 2000) x 100 = 98,857142...
  (Gamma has no wajib_ktp: left out); target 95: capaian 98,857142 / 95 x 100 = 104,060150 -> Sangat Tinggi.
- KS-02 (desa, negatif): rtlh / rumah_tinggal = (25 + 40 + 30) / (500 + 800 + 200) x 100 = 6,3333...;
  target 5: capaian (2 x 5 - 6,3333) / 5 x 100 = 73,3333 -> Sedang (66 to 76).
- KS-03 (langsung, positif): "88,94", target 85: capaian 88,94 / 85 x 100 = 104,635294 -> Sangat Tinggi.
- KS-04 (langsung, negatif): "16,2%", target 14: capaian (28 - 16,2) / 14 x 100 = 84,285714 -> Tinggi.
- KS-05 (langsung, tujuan): no value for 2022 -> warning, row without nilai/capaian; its 2023 value
  has no 2023 folder -> warning, not used.

langsung-saja (no desa.csv, no year folders; years from realisasi.csv):
- IKM 2021: 78,4 / 80 x 100 = 98 (Sangat Tinggi); 2022: 83,15 / 82 x 100 = 101,402439 (Sangat Tinggi).
- KRIM (negatif) 2021: (2 x 3 - 3,6) / 3 x 100 = 80 (Tinggi); 2022: (2 x 2,5 - 1,25) / 2,5 x 100 = 150.
"""

from __future__ import annotations

import math

import pandas as pd
import pandas.testing as pdt
import pytest

from iku_lib import compute, load_catalog, load_dataset
from iku_lib.exceptions import CatalogError, DataError

from ..conftest import DATA, run_iku

CAMPURAN = DATA / "langsung-campuran"
SAJA = DATA / "langsung-saja"
AREA = "3301010"


def one(table, indikator, tahun=2022, level="kecamatan"):
    found = table[(table["indikator"] == indikator) & (table["tahun"] == tahun) & (table["level"] == level)]
    assert len(found) == 1, found
    return found.iloc[0]


@pytest.fixture(scope="module")
def campuran():
    dataset = load_dataset(CAMPURAN)
    return dataset, compute(dataset)


# indicator -> (nilai, target, capaian, predikat)
CAMPURAN_2022 = {
    "KS-01": (3460 / 3500 * 100, 95.0, 3460 / 3500 * 100 / 95 * 100, "Sangat Tinggi"),
    "KS-02": (95 / 1500 * 100, 5.0, (10 - 95 / 1500 * 100) / 5 * 100, "Sedang"),
    "KS-03": (88.94, 85.0, 88.94 / 85 * 100, "Sangat Tinggi"),
    "KS-04": (16.2, 14.0, (28 - 16.2) / 14 * 100, "Tinggi"),
}


@pytest.mark.parametrize("indikator", sorted(CAMPURAN_2022))
def test_a_catalog_mixing_both_kinds_grades_every_indicator_as_worked_by_hand(campuran, indikator):
    _, table = campuran
    r = one(table, indikator)
    nilai, target, capaian, predikat = CAMPURAN_2022[indikator]
    assert (r["kode_wilayah"], r["nama_wilayah"]) == (AREA, "Sukamaju")
    assert r["nilai"] == pytest.approx(nilai, rel=1e-12)
    assert r["target"] == target
    assert r["capaian"] == pytest.approx(capaian, rel=1e-12)
    assert r["predikat"] == predikat


def test_hand_worked_capaian_in_plain_numbers(campuran):
    _, table = campuran
    assert round(one(table, "KS-02")["capaian"], 6) == 73.333333
    assert round(one(table, "KS-03")["capaian"], 6) == 104.635294
    assert round(one(table, "KS-04")["capaian"], 6) == 84.285714


def test_direct_rows_have_no_desa_rows_and_no_numerator(campuran):
    _, table = campuran
    direct = table[table["indikator"].isin(["KS-03", "KS-04", "KS-05"])]
    assert set(direct["level"]) == {"kecamatan"} and len(direct) == 3
    assert direct["pembilang"].isna().all() and direct["penyebut"].isna().all()
    assert len(table[table["level"] == "desa"]) == 2 * 3  # KS-01 and KS-02 for 3 desa


def test_rows_follow_catalog_order_and_name_their_source(campuran):
    _, table = campuran
    above = table[table["level"] == "kecamatan"]
    assert list(above["indikator"]) == ["KS-01", "KS-02", "KS-03", "KS-04", "KS-05"]
    assert one(table, "KS-03")["sumber_nilai"] == "Survei IKM Kecamatan Sukamaju 2022"
    assert one(table, "KS-04")["sumber_nilai"] == "Puskesmas Sukamaju"  # blank sumber: the catalog's sumber_data
    assert one(table, "KS-01")["sumber_nilai"] == ""


def test_a_year_without_a_value_is_a_warning_and_a_row_without_capaian(campuran):
    dataset, table = campuran
    r = one(table, "KS-05")
    assert math.isnan(r["nilai"]) and math.isnan(r["capaian"]) and pd.isna(r["predikat"])
    assert r["target"] == 0.7 and r["catatan"] == "tidak_ada_data" and not r["dihitung"]
    kinds = [(p.tingkat, p.kode, p.indikator, p.tahun) for p in dataset.problems]
    assert kinds == [("peringatan", "nilai_langsung_tanpa_data", None, 2023),
                     ("peringatan", "nilai_langsung_tidak_ada", "KS-05", 2022)]
    assert dataset.years == [2022]


def test_values_in_a_year_folder_form_compute_the_same(campuran):
    _, table = campuran
    in_folder = load_dataset(DATA / "langsung-di-folder-tahun")
    assert in_folder.errors == []
    same = compute(in_folder)
    pdt.assert_frame_equal(same.drop(columns="sumber_nilai"), table.drop(columns="sumber_nilai"))
    assert one(same, "KS-03")["sumber_nilai"] == "Survei IKM Kecamatan Sukamaju 2022"


def test_a_catalog_of_direct_indicators_only_needs_no_desa_register():
    dataset = load_dataset(SAJA)
    assert dataset.problems == [] and dataset.years == [2021, 2022]
    table = compute(dataset)
    expected = {("IKM", 2021): (78.4, 98.0, "Sangat Tinggi"), ("IKM", 2022): (83.15, 83.15 / 82 * 100, "Sangat Tinggi"),
                ("KRIM", 2021): (3.6, 80.0, "Tinggi"), ("KRIM", 2022): (1.25, 150.0, "Sangat Tinggi")}
    assert len(table) == 4
    for (ident, year), (nilai, capaian, predikat) in expected.items():
        r = one(table, ident, year)
        assert r["nilai"] == nilai and r["capaian"] == pytest.approx(capaian, rel=1e-12) and r["predikat"] == predikat
    assert one(table, "KRIM", 2021)["sumber_nilai"] == "Polsek"


def test_compute_command_writes_direct_rows(tmp_path):
    out = tmp_path / "hasil.csv"
    result = run_iku("compute", "--year", "2022", "--data-dir", str(CAMPURAN), "--out", str(out))
    assert result.returncode == 0, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "indikator,tahun,level,kode_wilayah,nama_wilayah,pembilang,penyebut,nilai,satuan,target,capaian,predikat"
    # 88,94 / 85 x 100 in double precision: 104.63529411764705
    assert "KS-03,2022,kecamatan,3301010,Sukamaju,,,88.94,indeks,85.0,104.63529411764705,Sangat Tinggi" in lines
    assert "KS-05,2022,kecamatan,3301010,Sukamaju,,,,indeks,0.7,," in lines


# --- bad input ------------------------------------------------------------------------------

REJECTED = {
    "langsung-indikator-tidak-dikenal":
        'GALAT: realisasi.csv, baris 3, kolom "indikator", nilai "IKMM": indikator tidak dikenal; mungkin maksudnya '
        "IKM? Indikator yang dilaporkan langsung: IKM, KRIM",
    "langsung-bukan-angka":
        'GALAT: realisasi.csv, baris 2, kolom "nilai", nilai "delapan puluh": nilai bukan angka; diharapkan angka, '
        "misalnya 97,5 atau 97,5%",
    "langsung-untuk-indikator-desa":
        'GALAT: realisasi.csv, baris 3, kolom "indikator", nilai "KS-01": indikator KS-01 dihitung dari data desa, '
        "bukan dilaporkan langsung (nilai: langsung di iku.yaml); hapus baris ini, atau isi data desanya di folder "
        "tahun",
    "langsung-nilai-bertentangan":
        'GALAT: realisasi.csv, baris 2, kolom "nilai", nilai "78,4": nilai IKM tahun 2021 untuk wilayah 3301010 '
        "berbeda di beberapa tempat (realisasi.csv baris 2: 78,4; realisasi.csv baris 4: 87,4); setiap nilai cukup "
        "ditulis sekali, atau samakan nilainya",
    "langsung-tahun-beda-folder":
        'GALAT: 2022/realisasi-2022.csv, baris 2, kolom "tahun", nilai "2021": tahun 2021 berbeda dengan folder '
        "tahunnya (2022/); pindahkan berkas ke folder 2021/ atau betulkan tahunnya",
}


@pytest.mark.parametrize("case", sorted(REJECTED))
def test_bad_direct_values_are_errors_naming_file_line_and_value(case):
    dataset = load_dataset(DATA / case)
    assert [p.format() for p in dataset.errors] == [REJECTED[case]]
    with pytest.raises(DataError):
        compute(dataset)
    result = run_iku("validate", "--data-dir", str(DATA / case))
    assert result.returncode == 1 and REJECTED[case] in result.stdout and "Traceback" not in result.stderr


def test_a_direct_indicator_with_desa_fields_is_a_catalog_error_naming_it():
    with pytest.raises(CatalogError, match=r"indikator KRIM dilaporkan langsung \(nilai: langsung\) sehingga tidak "
                                           r"memakai pembilang; hapus kolom itu"):
        load_catalog(DATA / "langsung-katalog-dengan-pembilang")
    result = run_iku("compute", "--year", "2021", "--data-dir", str(DATA / "langsung-katalog-dengan-pembilang"))
    assert result.returncode == 1 and "indikator KRIM" in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_value_kind_is_a_catalog_error(tmp_path):
    text = (SAJA / "iku.yaml").read_text(encoding="utf-8").replace("nilai: langsung", "nilai: manual", 1)
    (tmp_path / "iku.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match=r"indikator IKM: nilai 'manual' harus 'desa' .* atau 'langsung'"):
        load_catalog(tmp_path)
