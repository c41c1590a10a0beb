"""standar.csv: national or provincial standards of the indicators (optional).

The fixture folder tests/data/standar-nilai-ganda is kecil plus a standar.csv
(tests/data/make_fixtures.py, `lkjip_standar_nilai_ganda`):

    row 2  IKU-02 2022 98,5  RPJMD Provinsi (ilustratif)
    row 3  IKU-08 2022 7.1   RPJMD Provinsi (ilustratif)
    row 4  IKU-02 2022 99    Renstra Dukcapil (ilustratif)   -> IKU-02 2022 twice, different: both rows errors
    row 5  IKU-08 2022 7,1   RPJMD Provinsi (ilustratif)     -> the same value and source again: used once
"""

from __future__ import annotations

import pandas as pd

from iku_lib import load_dataset
from iku_lib.ingest.standar import empty_standar, read_standar

from ..conftest import DATA, KECIL

IDS = ["IKU-01", "IKU-02", "IKU-03", "IKU-04", "IKU-05", "IKU-06", "IKU-07", "IKU-08"]
DUPLICATE = "tercantum lebih dari sekali dengan nilai atau sumber berbeda"


def read(tmp_path, text):
    (tmp_path / "standar.csv").write_text(text, encoding="utf-8")
    return read_standar(tmp_path, IDS)


def test_one_indicator_and_year_with_two_values_is_an_error_on_both_lines():
    dataset = load_dataset(DATA / "standar-nilai-ganda", store=False)
    assert [p.format() for p in dataset.problems] == [
        f'GALAT: standar.csv, baris 2, kolom "nilai", nilai "98,5": standar IKU-02 tahun 2022 {DUPLICATE} '
        "(juga di baris 4); tulis satu baris saja",
        f'GALAT: standar.csv, baris 4, kolom "nilai", nilai "99": standar IKU-02 tahun 2022 {DUPLICATE} '
        "(juga di baris 2); tulis satu baris saja",
    ]
    assert {(p.kode, p.indikator, p.tahun) for p in dataset.problems} == {("standar_ganda", "IKU-02", 2022)}
    assert dataset.standar.to_dict("list") == {
        "indikator": ["IKU-02", "IKU-08"], "tahun": [2022, 2022], "nilai": [98.5, 7.1],
        "sumber": ["RPJMD Provinsi (ilustratif)", "RPJMD Provinsi (ilustratif)"]}


def test_every_bad_line_is_reported(tmp_path):
    table, problems = read(tmp_path, "indikator,tahun,nilai,sumber\n"
                                     'IKU-01,2023,"97,5%",Standar pelayanan minimal (ilustratif)\n'
                                     "IKU-6,2023,90,RPJMD\n"
                                     "IKU-02,23,98,Dukcapil\n"
                                     "IKU-03,2023,sedikit,Perbup\n"
                                     "IKU-04,2023,-5,BPPKAD\n"
                                     "IKU-05,2023,80,\n"
                                     "IKU-06,2023,,RPJMD Provinsi\n"
                                     "IKU-07,2023,,\n"
                                     "iku-08 , 2023 ,7.1, RPJMD Provinsi Jawa Tengah \n")
    known = ", ".join(IDS)
    assert [p.format() for p in problems] == [
        f'GALAT: standar.csv, baris 3, kolom "indikator", nilai "IKU-6": indikator tidak dikenal; mungkin maksudnya '
        f"IKU-06? Yang dikenal: {known}",
        'GALAT: standar.csv, baris 4, kolom "tahun", nilai "23": tahun harus empat angka, misalnya 2023',
        'GALAT: standar.csv, baris 5, kolom "nilai", nilai "sedikit": nilai standar bukan angka; diharapkan angka, '
        "misalnya 97,5 atau 97,5%",
        'GALAT: standar.csv, baris 6, kolom "nilai", nilai "-5": nilai standar tidak boleh negatif',
        'GALAT: standar.csv, baris 7, kolom "sumber", nilai "": sumber standar kosong; tulis dari mana nilai standar '
        "ini (misalnya peraturan, RPJMD provinsi, atau publikasi BPS)",
        'PERINGATAN: standar.csv, baris 8, kolom "nilai", nilai "": nilai standar kosong; baris ini tidak dipakai '
        "(isi nilainya, atau hapus baris ini bila indikator ini tidak punya standar)",
    ]
    assert [p.kode for p in problems] == ["indikator_tidak_dikenal", "tahun_tidak_sah", "standar_bukan_angka",
                                          "standar_negatif", "standar_tanpa_sumber", "standar_kosong"]
    assert table.to_dict("list") == {"indikator": ["IKU-01", "IKU-08"], "tahun": [2023, 2023], "nilai": [97.5, 7.1],
                                     "sumber": ["Standar pelayanan minimal (ilustratif)",
                                                "RPJMD Provinsi Jawa Tengah"]}
    assert list(table.dtypes.astype(str)) == ["object", "int64", "float64", "object"]


def test_the_source_column_is_required(tmp_path):
    table, [problem] = read(tmp_path, "indikator,tahun,nilai\nIKU-01,2023,90\n")
    assert problem.format() == ("GALAT: standar.csv, baris 1: kolom wajib tidak ada: sumber; judul kolom harus "
                                "indikator,tahun,nilai,sumber")
    assert table.empty


def test_no_file_is_an_empty_table_and_no_problem():
    dataset = load_dataset(KECIL, store=False)
    assert dataset.problems == []
    pd.testing.assert_frame_equal(dataset.standar, empty_standar())
