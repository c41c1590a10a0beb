"""Problems on screen: every one in full when few, a summary when many (`summary_lines`)."""

from __future__ import annotations

import pickle
import re

from iku_lib.exceptions import DataError
from iku_lib.problems import (EXAMPLES_PER_KIND, FILES_SHOWN, KIND_LABELS, SUMMARY_LIMIT, error, kind_label,
                              summary_lines, warning)

from .conftest import ROOT


def bad_cell(row: int, berkas: str = "2022/penduduk.csv") -> object:
    return error("bukan angka", berkas=berkas, baris=row, kolom="penduduk", nilai="x", tahun=2022,
                 kode="nilai_tidak_sah")


def test_summary_counts_kinds_and_files_and_shows_the_first_of_each_kind():
    # 60 bad cells (rows 2-61) in penduduk.csv, 4 in lainnya.csv (rows 2-5), 2 unknown desa, 1 warning
    problems = ([bad_cell(r) for r in range(2, 62)] + [bad_cell(r, "2022/lainnya.csv") for r in range(2, 6)]
                + [error("desa tidak ada di daftar desa", berkas="2022/lainnya.csv", baris=r, kolom="desa",
                         nilai="Zeta", kode="desa_tidak_dikenal") for r in (7, 8)]
                + [warning("Desa Beta (3301010002) tidak punya nilai wajib_ktp tahun 2022; IKU-02: ...",
                           kode="data_tidak_ada", tahun=2022)])
    lines = summary_lines(problems, "Daftar lengkap: di sini")
    assert lines == [
        "Ada 67 masalah (66 galat, 1 peringatan), terlalu banyak untuk ditampilkan satu per satu; berikut "
        "ringkasannya.",
        "",
        "Jumlah menurut jenis:",
        "  64  GALAT       nilai_tidak_sah     nilai tidak sah",
        "   2  GALAT       desa_tidak_dikenal  desa tidak dikenal",
        "   1  PERINGATAN  data_tidak_ada      desa tanpa nilai",
        "",
        "Jumlah menurut berkas:",
        "  60  2022/penduduk.csv",
        "   6  2022/lainnya.csv",
        "   1  (tanpa berkas)",
        "",
        "3 masalah pertama setiap jenis:",
        "nilai_tidak_sah (nilai tidak sah), 3 dari 64:",
        '  GALAT: 2022/penduduk.csv, baris 2, kolom "penduduk", nilai "x": bukan angka',
        '  GALAT: 2022/penduduk.csv, baris 3, kolom "penduduk", nilai "x": bukan angka',
        '  GALAT: 2022/penduduk.csv, baris 4, kolom "penduduk", nilai "x": bukan angka',
        "desa_tidak_dikenal (desa tidak dikenal), 2 dari 2:",
        '  GALAT: 2022/lainnya.csv, baris 7, kolom "desa", nilai "Zeta": desa tidak ada di daftar desa',
        '  GALAT: 2022/lainnya.csv, baris 8, kolom "desa", nilai "Zeta": desa tidak ada di daftar desa',
        "data_tidak_ada (desa tanpa nilai), 1 dari 1:",
        "  PERINGATAN: Desa Beta (3301010002) tidak punya nilai wajib_ktp tahun 2022; IKU-02: ...",
        "",
        "Daftar lengkap: di sini",
    ]


def test_errors_come_first_then_the_most_frequent_and_large_counts_use_dots():
    problems = ([warning("w", kode="data_tidak_ada")] * 1500 + [warning("k", kode="kolom_tidak_dikenal")] * 2
                + [error("e", kode="desa_kosong")])
    lines = summary_lines(problems, "-")
    assert lines[0].startswith("Ada 1.503 masalah (1 galat, 1.502 peringatan)")
    assert lines[3:6] == ["      1  GALAT       desa_kosong          kolom desa kosong",
                          "  1.500  PERINGATAN  data_tidak_ada       desa tanpa nilai",
                          "      2  PERINGATAN  kolom_tidak_dikenal  kolom tidak dikenal"]


def test_files_beyond_the_first_ten_are_counted_together():
    # file i (1..14) has i problems, 105 in all (counts 3 wide): the ten largest are shown, 14 down
    # to 5; 1 + 2 + 3 + 4 = 10 in the 4 other files
    problems = [bad_cell(r, f"2022/f{i:02d}.csv") for i in range(1, 15) for r in range(i)]
    lines = summary_lines(problems, "-")
    start = lines.index("Jumlah menurut berkas:") + 1
    assert lines[start:start + FILES_SHOWN + 2] == (
        [f"  {i:>3}  2022/f{i:02d}.csv" for i in range(14, 4, -1)] + ["   10  (4 berkas lain)", ""])
    assert EXAMPLES_PER_KIND == 3 and FILES_SHOWN == 10


def test_every_kind_the_package_reports_has_a_label():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "iku_lib").rglob("*.py"))
    kinds = set(re.findall(r'\bkode="([a-z_]+)"', source)) - {"bukan_angka"}  # that one is a docstring example
    kinds |= {"register_kode_ganda", "register_nama_ganda", "berkas_tidak_terbaca"}  # built from parts
    assert kinds - set(KIND_LABELS) == set()
    assert kind_label("sesuatu_yang_baru") == "sesuatu yang baru" and kind_label("") == "lain-lain"


def test_data_error_message_is_full_up_to_the_limit_then_a_summary():
    few = [bad_cell(r) for r in range(2, 2 + SUMMARY_LIMIT)]
    assert str(DataError(few)).splitlines() == [p.format() for p in few]
    many = [bad_cell(r) for r in range(2, 3 + SUMMARY_LIMIT)]
    message = str(DataError(many)).splitlines()
    assert message[0].startswith(f"Ada {SUMMARY_LIMIT + 1} masalah")
    assert len(message) < 20 and message[-1].startswith("Daftar lengkap: atribut `problems`")
    again = pickle.loads(pickle.dumps(DataError(many)))  # as from a report worker process
    assert again.problems == many and str(again) == str(DataError(many))


def test_the_limit_is_documented_for_users():
    guide = (ROOT / "docs" / "panduan.md").read_text(encoding="utf-8")
    assert f"lebih dari {SUMMARY_LIMIT} masalah" in guide

