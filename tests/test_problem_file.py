"""The problem list as a CSV file for Excel: columns, encoding, formula injection, names."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from iku_lib.outputs import OutputError
from iku_lib.problem_file import (PROBLEM_COLUMNS, excel_safe, problem_file_beside, problem_file_name,
                                  write_problem_file)
from iku_lib.problems import error, warning

HEADER = "tingkat,kode,berkas,lembar,baris,kolom,nilai,tahun,indikator,kode_desa,pesan"


def read_back(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_every_field_in_its_column_with_a_bom(tmp_path):
    problems = [
        error('bukan angka; diharapkan bilangan bulat 0 atau lebih, misalnya 1234 atau 1.234', berkas="2022/data.xlsx",
              lembar="Kependudukan", baris=8, kolom="KTP-el", nilai="2.010 jiwa", tahun=2022, kode_desa="3301010001",
              kode="nilai_tidak_sah"),
        warning("Desa Gamma (3301010003) tidak punya nilai wajib_ktp tahun 2022", tahun=2022, indikator="IKU-02",
                kode_desa="3301010003", kode="data_tidak_ada"),
    ]
    path = write_problem_file(problems, tmp_path / "masalah-2022.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + HEADER.encode() + b"\n")  # UTF-8 BOM, then the header
    assert raw.count(b"\n") == 3 and b"\r" not in raw  # rows end as in `iku compute`'s CSV
    assert read_back(path) == [
        HEADER.split(","),
        ["galat", "nilai_tidak_sah", "2022/data.xlsx", "Kependudukan", "8", "KTP-el", "2.010 jiwa", "2022", "",
         "3301010001", "bukan angka; diharapkan bilangan bulat 0 atau lebih, misalnya 1234 atau 1.234"],
        ["peringatan", "data_tidak_ada", "", "", "", "", "", "2022", "IKU-02", "3301010003",
         "Desa Gamma (3301010003) tidak punya nilai wajib_ktp tahun 2022"],
    ]
    assert PROBLEM_COLUMNS == HEADER.split(",")


def test_characters_outside_ascii_survive(tmp_path):
    path = write_problem_file([error("nilai “–” bukan angka", berkas="2022/Sukamaju Ĳ.csv", nilai="–")],
                              tmp_path / "m.csv")
    assert read_back(path)[1][2] == "2022/Sukamaju Ĳ.csv" and read_back(path)[1][-1] == "nilai “–” bukan angka"


@pytest.mark.parametrize("text, written", [
    ("=HYPERLINK(\"http://contoh.invalid\",\"klik\")", "'=HYPERLINK(\"http://contoh.invalid\",\"klik\")"),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("+62 812", "'+62 812"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    # a number as typed, or a lone dash, is never a formula: kept as the clerk typed it
    ("-5", "-5"), ("+7", "+7"), ("-1.234,5", "-1.234,5"), ("-", "-"),
    # not at the start, or not one of the four: plain text
    ("Alpha = Beta", "Alpha = Beta"), ("'sudah", "'sudah"), ("", ""), ("–5", "–5"),
])
def test_formula_injection_is_quoted(text, written):
    assert excel_safe(text) == written


def test_text_cells_are_quoted_in_every_column(tmp_path):
    p = error("=1+1", berkas="=a.csv", lembar="@b", kolom="+c", nilai="-d", indikator="=e", kode_desa="-f")
    row = read_back(write_problem_file([p], tmp_path / "m.csv"))[1]
    assert dict(zip(PROBLEM_COLUMNS, row)) == {
        "tingkat": "galat", "kode": "", "berkas": "'=a.csv", "lembar": "'@b", "baris": "", "kolom": "'+c",
        "nilai": "'-d", "tahun": "", "indikator": "'=e", "kode_desa": "'-f", "pesan": "'=1+1"}


def test_an_empty_list_is_the_header_alone(tmp_path):
    assert read_back(write_problem_file([], tmp_path / "m.csv")) == [HEADER.split(",")]


def test_written_atomically_and_a_folder_in_the_way_is_a_user_error(tmp_path):
    path = tmp_path / "m.csv"
    write_problem_file([error("lama")], path)
    write_problem_file([error("baru")], path)
    assert read_back(path)[1][-1] == "baru" and [p.name for p in tmp_path.iterdir()] == ["m.csv"]
    with pytest.raises(OutputError, match="itu sebuah folder"):
        write_problem_file([], tmp_path)


@pytest.mark.parametrize("years, name", [
    (None, "masalah-semua-tahun.csv"),
    ([2023], "masalah-2023.csv"),
    ([2019, 2020, 2021, 2022, 2023], "masalah-2019-2023.csv"),
    ([2023, 2019], "masalah-2019_2023.csv"),
    ([2019, 2020, 2022], "masalah-2019-2020_2022.csv"),
])
def test_file_name_says_the_years(years, name):
    assert problem_file_name(years) == name


def test_file_beside_an_output():
    assert problem_file_beside(Path("outputs/iku-2023.csv")) == Path("outputs/iku-2023-masalah.csv")
    assert problem_file_beside(Path("/tmp/hasil")) == Path("/tmp/hasil-masalah.csv")
    assert problem_file_beside(Path("x.parquet")) == Path("x-masalah.csv")
