"""analisis.csv: the analyst's text per indicator and year for LKjIP chapter III (optional).

The fixture folder tests/data/analisis-indikator-tidak-dikenal is kecil plus an analisis.csv
(tests/data/make_fixtures.py, `lkjip_analisis_indikator_tidak_dikenal`):

    row 2  IKU-01   2022  Pendampingan desa | Dana desa terlambat | Pemantauan bulanan | PEMBERDAYAAN
    row 3  IKU-1    2022  Pelayanan keliling                     -> unknown id, IKU-01 meant
    row 4  "iku-02 " 2022  - | Alat perekaman rusak | Perbaikan alat |  -> IKU-02
    row 5  IKU-02   22    Sosialisasi                            -> not a four-digit year
"""

from __future__ import annotations

import pandas as pd

from iku_lib import load_dataset
from iku_lib.ingest.analisis import ANALISIS_COLUMNS, empty_analisis, read_analisis

from ..conftest import DATA, KECIL

KNOWN = "IKU-01, IKU-02, IKU-03, IKU-04, IKU-05, IKU-06, IKU-07, IKU-08, IKU-09, IKU-10, IT-01"
PEMBERDAYAAN = "Program Pemberdayaan Masyarakat Desa dan Kelurahan"
IDS = ["IKU-01", "IKU-02", "IKU-03"]
HEADER = "indikator,tahun,faktor_pendukung,faktor_penghambat,solusi,program_pendukung"


def read(tmp_path, text, name="analisis.csv"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return read_analisis(tmp_path, IDS)


def test_unknown_indicator_and_bad_year_are_errors_and_the_other_lines_are_read():
    dataset = load_dataset(DATA / "analisis-indikator-tidak-dikenal", store=False)
    assert [p.format() for p in dataset.problems] == [
        f'GALAT: analisis.csv, baris 3, kolom "indikator", nilai "IKU-1": indikator tidak dikenal; mungkin maksudnya '
        f"IKU-01? Yang dikenal: {KNOWN}",
        'GALAT: analisis.csv, baris 5, kolom "tahun", nilai "22": tahun harus empat angka, misalnya 2023',
    ]
    assert [(p.kode, p.indikator, p.tahun) for p in dataset.problems] == [
        ("indikator_tidak_dikenal", None, None), ("tahun_tidak_sah", "IKU-02", None)]
    assert dataset.analisis.to_dict("list") == {
        "indikator": ["IKU-01", "IKU-02"], "tahun": [2022, 2022],
        "faktor_pendukung": ["Pendampingan desa", ""],
        "faktor_penghambat": ["Dana desa terlambat", "Alat perekaman rusak"],
        "solusi": ["Pemantauan bulanan", "Perbaikan alat"],
        "program_pendukung": [PEMBERDAYAAN, ""],
    }
    assert "analisis.csv" in [p.name for p in dataset.files]


def test_lines_of_one_indicator_and_year_are_joined_in_file_order(tmp_path):
    table, problems = read(tmp_path, f"{HEADER}\n"
                                     "IKU-02,2023,Perekaman keliling,Alat rusak,Perbaikan alat,Program A\n"
                                     "IKU-01,2023,Pendampingan,,,\n"
                                     "IKU-02,2023,,Penduduk merantau,Perbaikan alat,Program A\n"
                                     "IKU-02,2022,Blangko cukup,,,\n"
                                     "iku-02,2023.0,Perekaman keliling,Jaringan putus,,Program B\n"
                                     "IKU-03,2023,,,,\n")
    assert problems == []
    # catalog order, then year; each distinct text once; a line without text (IKU-03) is no row
    assert table.to_dict("records") == [
        {"indikator": "IKU-01", "tahun": 2023, "faktor_pendukung": "Pendampingan", "faktor_penghambat": "",
         "solusi": "", "program_pendukung": ""},
        {"indikator": "IKU-02", "tahun": 2022, "faktor_pendukung": "Blangko cukup", "faktor_penghambat": "",
         "solusi": "", "program_pendukung": ""},
        {"indikator": "IKU-02", "tahun": 2023, "faktor_pendukung": "Perekaman keliling",
         "faktor_penghambat": "Alat rusak\nPenduduk merantau\nJaringan putus", "solusi": "Perbaikan alat",
         "program_pendukung": "Program A\nProgram B"},
    ]
    assert list(table.columns) == ANALISIS_COLUMNS
    assert list(table.dtypes.astype(str)) == ["object", "int64", "object", "object", "object", "object"]


def test_missing_columns(tmp_path):
    _, [problem] = read(tmp_path, "indikator,faktor_pendukung\nIKU-01,Pendampingan\n")
    assert problem.format() == ("GALAT: analisis.csv, baris 1: kolom wajib tidak ada: tahun; judul kolom harus "
                                f"{HEADER}")
    assert problem.kode == "kolom_wajib_tidak_ada"
    table, problems = read(tmp_path, "Indikator,Tahun,Faktor Pendorong\nIKU-01,2023,Pendampingan\n")
    assert [p.format() for p in problems] == [
        "GALAT: analisis.csv, baris 1: kolom wajib tidak ada: paling sedikit satu dari faktor_pendukung, "
        f"faktor_penghambat, solusi, program_pendukung; judul kolom harus {HEADER}",
        'PERINGATAN: analisis.csv, baris 1, kolom "Faktor Pendorong": kolom tidak dikenal; kolom ini diabaikan '
        f"(judul kolom yang dikenal: {HEADER})",
    ]
    assert table.empty


def test_a_text_column_left_out_is_empty_text(tmp_path):
    table, problems = read(tmp_path, "no,indikator,tahun,solusi\n1,IKU-03,2023,Teguran tertulis\n")
    assert problems == []
    assert table.to_dict("records") == [{"indikator": "IKU-03", "tahun": 2023, "faktor_pendukung": "",
                                         "faktor_penghambat": "", "solusi": "Teguran tertulis",
                                         "program_pendukung": ""}]


def test_no_file_or_a_header_only_file_is_an_empty_table_without_problems(tmp_path):
    table, problems = read_analisis(tmp_path, IDS)
    assert problems == [] and table.empty
    pd.testing.assert_frame_equal(table, empty_analisis())
    table, problems = read(tmp_path, HEADER + "\n")
    assert problems == [] and table.empty
    assert list(table.dtypes.astype(str)) == ["object", "int64", "object", "object", "object", "object"]


def test_a_directory_without_the_file_reads_as_before():
    dataset = load_dataset(KECIL, store=False)
    assert dataset.problems == []
    pd.testing.assert_frame_equal(dataset.analisis, empty_analisis())
