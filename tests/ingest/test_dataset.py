"""A data directory read whole, as delivered (issue 4).

- Every accepted variant in tests/data/<case>/ is `kecil` re-expressed with one quirk and
  must compute exactly what `kecil` computes (kecil's numbers are worked by hand in
  test_compute.py).
- Every rejected case fails with the message written below, worked out from how the case
  was made (tests/data/make_fixtures.py): file, sheet, row as Excel or a text editor numbers
  it, column, value, and what was expected.
- Nothing is lost: every data row is used or reported; the raw directory is never written.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import stat
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pandas.testing as pdt
import pytest

from iku_lib import compute, load_dataset, validate
from iku_lib.cli.main import main
from iku_lib.exceptions import CatalogError, ParameterError

from ..conftest import DATA, KECIL

# --- accepted variants ---------------------------------------------------------------------

# case -> the reading warnings it adds to kecil's (kecil has none at reading time)
ACCEPTED = {
    "csv-utf8-bom": [],
    "csv-semicolon-cp1252": [],
    "csv-tab-delimited": [],
    "headers-case-and-spaces": [],
    "numbers-indonesian-style": [],
    "excel-float-integers": [],
    "desa-prefix-case-code": [],
    "flags-ya-tidak": [],
    "target-decimal-comma": [],
    "xlsx-title-rows-merged-cells": ["lembar_tidak_dibaca"],  # the "Catatan" sheet
    "desa-row-without-values": ["baris_tanpa_nilai"],
    "csv-title-rows": [],  # the title rows above the header are not the header (issue 12)
}
# kecil holds 52 values: lainnya 3 desa x 9 variables; pemerintahan 3 x 6 minus Gamma's blank
# rkp_tepat_waktu; penduduk 3 x 3 minus Gamma's blank wajib_ktp.
KECIL_VALUES = 27 + 17 + 8


@pytest.fixture(scope="module")
def kecil_table():
    return compute(load_dataset(KECIL), 2022)


@pytest.mark.parametrize("case", list(ACCEPTED))
def test_accepted_variant_computes_the_same_numbers_as_the_clean_form(case, kecil_table):
    dataset = load_dataset(DATA / case)
    assert dataset.errors == []
    assert [p.kode for p in dataset.problems] == ACCEPTED[case]
    assert len(dataset.observations) == KECIL_VALUES
    pdt.assert_frame_equal(compute(dataset, 2022), kecil_table)


def test_kecil_reads_without_problems():
    dataset = load_dataset(KECIL)
    assert dataset.problems == [] and len(dataset.observations) == KECIL_VALUES


def test_xlsx_values_remember_their_cell():
    obs = load_dataset(DATA / "xlsx-title-rows-merged-cells").observations.set_index(["kode_desa", "variabel"])
    alpha = obs.loc[("3301010001", "penduduk")]
    assert (alpha["berkas"], alpha["lembar"], alpha["baris"], alpha["kolom"], alpha["nilai"]) == \
        ("2022/data-desa-2022.xlsx", "Kependudukan", 7, "Penduduk", 2000.0)
    gamma = obs.loc[("3301010003", "laporan_ditindaklanjuti")]  # sheet Lainnya, header row 2, Gamma row 5
    assert (gamma["lembar"], gamma["baris"], gamma["nilai"]) == ("Lainnya", 5, 3.0)


# --- rejected cases ------------------------------------------------------------------------

COUNT = "bukan angka; diharapkan bilangan bulat 0 atau lebih, misalnya 1234 atau 1.234"
FLAG = "bukan tanda ya/tidak; diharapkan 1/0, Ya/Tidak, Y/T, Sudah/Belum, Benar/Salah atau TRUE/FALSE"
KNOWN = "IKU-01, IKU-02, IKU-03, IKU-04, IKU-05, IKU-06, IKU-07, IKU-08, IKU-09, IKU-10, IT-01"
SAME = "setiap nilai cukup ditulis sekali, atau samakan nilainya"

REJECTED = {
    "variabel-salah-ketik": [  # the unknown column most like the missing variable is named, where it is
        'GALAT: 2022/pemerintahan.csv, baris 1, kolom "rkp_tepatwaktu": indikator IKU-05 memerlukan variabel '
        "rkp_tepat_waktu, tetapi tidak ada berkas tahun 2022 yang memuat kolom rkp_tepat_waktu; indikator itu tidak "
        'dapat dihitung. Mungkin maksudnya kolom "rkp_tepatwaktu"? Ganti judul kolomnya menjadi rkp_tepat_waktu',
    ],
    "variabel-tidak-ada": [
        "GALAT: indikator IKU-02 memerlukan variabel ktp_el, tetapi tidak ada berkas tahun 2022 yang memuat kolom "
        "ktp_el; indikator itu tidak dapat dihitung; tambahkan kolom ktp_el ke salah satu berkas tahun 2022",
    ],
    "unknown-desa": [
        'GALAT: 2022/penduduk.csv, baris 3, kolom "desa", nilai "Betta": desa tidak ada di daftar desa; '
        "mungkin maksudnya Beta?",
    ],
    "desa-not-in-register": [
        'GALAT: 2022/lainnya.csv, baris 5, kolom "desa", nilai "Kaloran": desa tidak ada di daftar desa (desa.csv); '
        "periksa ejaannya, atau tambahkan desa ini ke desa.csv bila memang termasuk wilayah ini",
        'GALAT: 2022/pemerintahan.csv, baris 5, kolom "desa", nilai "3301010004": kode desa tidak ada di daftar desa '
        "(desa.csv); periksa kodenya, atau tambahkan desa ini ke desa.csv",
    ],
    "desa-twice-different-values": [
        'GALAT: 2022/penduduk.csv, baris 3, kolom "penduduk", nilai "3.000": nilai penduduk Desa Beta tahun 2022 '
        "berbeda di beberapa tempat (2022/penduduk.csv baris 3 kolom penduduk: 3.000; 2022/penduduk.csv baris 5 "
        f"kolom penduduk: 3.100); {SAME}",
    ],
    "register-duplicate-code": [
        'GALAT: desa.csv, baris 3, kolom "kode_desa", nilai "3301010002": kode desa tercantum lebih dari sekali '
        "(juga di baris 4)",
        'GALAT: desa.csv, baris 4, kolom "kode_desa", nilai "3301010002": kode desa tercantum lebih dari sekali '
        "(juga di baris 3)",
        'GALAT: 2022/pemerintahan.csv, baris 4, kolom "desa", nilai "3301010003": kode desa tidak ada di daftar desa '
        "(desa.csv); periksa kodenya, atau tambahkan desa ini ke desa.csv",
    ],
    "text-where-number": [
        f'GALAT: 2022/lainnya.csv, baris 3, kolom "rumah_tinggal", nilai "800 rumah": {COUNT}',
        f'GALAT: 2022/penduduk.csv, baris 2, kolom "penduduk", nilai "dua ribu": {COUNT}',
    ],
    "negative-count": [
        'GALAT: 2022/lainnya.csv, baris 4, kolom "rtlh", nilai "-30": nilai negatif; diharapkan bilangan bulat 0 '
        "atau lebih, misalnya 1234 atau 1.234",
    ],
    "bad-flag": [
        f'GALAT: 2022/pemerintahan.csv, baris 2, kolom "apb_tepat_waktu", nilai "2": {FLAG}',
        f'GALAT: 2022/pemerintahan.csv, baris 3, kolom "keuangan_tertib", nilai "mungkin": {FLAG}',
    ],
    "no-desa-column": [
        'GALAT: 2022/penduduk.csv: tidak ada kolom "desa" di berkas ini; baris judul tabel harus memuat kolom '
        'berjudul "desa"; ada kolom "Nama Desa" (baris 1): ganti judulnya menjadi "desa"',
    ],
    "empty-file": ["GALAT: 2022/lainnya.csv: berkas kosong (tidak ada satu sel pun yang terisi)"],
    "corrupt-xlsx": [
        "GALAT: 2022/lainnya.xlsx: berkas Excel rusak atau bukan berkas .xlsx (isinya bukan arsip Excel); simpan "
        "ulang dari Excel sebagai .xlsx",
    ],
    "binary-csv": [
        "GALAT: 2022/lainnya.csv: berkas bukan teks (berisi data biner); simpan ulang sebagai CSV UTF-8 atau .xlsx",
    ],
    "same-variable-two-files": [
        'GALAT: 2022/lainnya.csv, baris 3, kolom "penduduk", nilai "3.050": nilai penduduk Desa Beta tahun 2022 '
        "berbeda di beberapa tempat (2022/lainnya.csv baris 3 kolom penduduk: 3.050; 2022/penduduk.csv baris 3 "
        f"kolom penduduk: 3.000); {SAME}",
    ],
    "target-unknown-indicator": [
        'GALAT: target.csv, baris 12, kolom "indikator", nilai "IKU-6": indikator tidak dikenal; mungkin maksudnya '
        f"IKU-06? Yang dikenal: {KNOWN}",
        f'GALAT: target.csv, baris 13, kolom "indikator", nilai "SS-01": indikator tidak dikenal; yang dikenal: {KNOWN}',
    ],
    "target-not-a-number": [
        'GALAT: target.csv, baris 2, kolom "target", nilai "delapan puluh": target bukan angka; diharapkan angka, '
        "misalnya 97,5 atau 97,5%",
        'GALAT: target.csv, baris 12, kolom "target", nilai "≥ 90": target bukan angka; diharapkan angka, '
        "misalnya 97,5 atau 97,5%",
    ],
    "xlsx-bad-cell-row-number": [  # two blank rows, title, subtitle, blank, header at row 6: Beta is row 8
        f'GALAT: 2022/data-desa-2022.xlsx, lembar "Kependudukan", baris 8, kolom "KTP-el", nilai "2.010 jiwa": {COUNT}',
    ],
    "several-errors": [  # every error of the directory, in one run
        f'GALAT: target.csv, baris 12, kolom "indikator", nilai "IKU-11": indikator tidak dikenal; yang dikenal: {KNOWN}',
        "GALAT: 2022/kosong.csv: berkas kosong (tidak ada satu sel pun yang terisi)",
        'GALAT: 2022/lainnya.csv, baris 4, kolom "pbb_realisasi", nilai "1,500": tanda koma yang diikuti tepat tiga '
        "angka bermakna ganda (pemisah ribuan gaya Inggris atau tanda desimal); tulis ribuan dengan titik atau tanpa "
        "pemisah, misalnya 1.234 atau 1234",
        f'GALAT: 2022/pemerintahan.csv, baris 4, kolom "keuangan_tertib", nilai "belum tahu": {FLAG}',
        'GALAT: 2022/penduduk.csv, baris 2, kolom "ktp_el", nilai "1.450,5": bukan bilangan bulat; diharapkan '
        "bilangan bulat 0 atau lebih, misalnya 1234 atau 1.234",
        'GALAT: 2022/penduduk.csv, baris 3, kolom "desa", nilai "Betta": desa tidak ada di daftar desa; '
        "mungkin maksudnya Beta?",
    ],
}


@pytest.mark.parametrize("case", list(REJECTED))
def test_rejected_case_names_the_cell_and_what_was_expected(case):
    problems = validate(load_dataset(DATA / case))
    assert [p.format() for p in problems if p.is_error] == REJECTED[case]


@pytest.mark.parametrize("case", list(REJECTED))
def test_rejected_case_exits_1_listing_every_error(case, capsys):
    assert main(["validate", "--data-dir", str(DATA / case)]) == 1
    out = capsys.readouterr().out
    for line in REJECTED[case]:
        assert line in out.splitlines()
    assert out.splitlines()[-1].endswith(f"{len(REJECTED[case])} galat, "
                                         f"{len(out.splitlines()) - 1 - len(REJECTED[case])} peringatan (tahun: 2022)")


def test_compute_refuses_data_with_errors(capsys):
    assert main(["compute", "--year", "2022", "--data-dir", str(DATA / "several-errors")]) == 1
    err = capsys.readouterr().err
    assert err.count("GALAT:") == 6 and "Traceback" not in err


def test_side_warnings_of_rejected_cases():
    problems = load_dataset(DATA / "desa-twice-different-values").problems
    assert [p.format() for p in problems if not p.is_error] == [
        'PERINGATAN: 2022/penduduk.csv, baris 5, kolom "desa", nilai "Beta": desa Beta sudah tercantum di baris 3 '
        "berkas yang sama; setiap desa cukup satu baris"]
    # a register code listed twice: rows naming either desa wait for the register to be fixed
    problems = load_dataset(DATA / "register-duplicate-code").problems
    assert [(p.berkas, p.baris, p.nilai) for p in problems if p.kode == "desa_ganda_di_register"] == [
        ("2022/lainnya.csv", 3, "Beta"), ("2022/lainnya.csv", 4, "Gamma"), ("2022/pemerintahan.csv", 3, "3301010002"),
        ("2022/penduduk.csv", 3, "Beta"), ("2022/penduduk.csv", 4, "Gamma")]


# --- more messages a clerk needs -----------------------------------------------------------

def copy_kecil(tmp_path) -> Path:
    data = tmp_path / "d"
    shutil.copytree(KECIL, data)
    return data


def test_desa_cells_that_need_a_specific_message(tmp_path):
    data = copy_kecil(tmp_path)
    (data / "2022" / "x.csv").write_text(
        'desa,rtlh,keterangan\n"3,32307E+09",1,\nJUMLAH,95,\n,4,\n,,kosong\n,,\nAlpha,25,\n', encoding="utf-8")
    got = [p.format() for p in load_dataset(data).problems]
    assert got == [
        'GALAT: 2022/x.csv, baris 2, kolom "desa", nilai "3,32307E+09": kode desa tertulis dalam notasi ilmiah (E+..) '
        "sehingga angkanya terpotong; format kolom desa sebagai Teks di Excel lalu ketik ulang kodenya",
        'GALAT: 2022/x.csv, baris 3, kolom "desa", nilai "JUMLAH": baris jumlah/total tidak boleh ada; hapus baris '
        "ini (jumlah kecamatan dihitung oleh program)",
        'GALAT: 2022/x.csv, baris 4, kolom "desa", nilai "": kolom desa kosong, padahal baris ini berisi nilai; isi '
        "nama atau kode desanya",
        "PERINGATAN: 2022/x.csv, baris 5: baris ini tidak berisi desa maupun nilai IKU; diabaikan",
    ]
    (data / "2022" / "x.csv").write_text("desa,rtlh,no\n,,1\n,,2\nAlpha,25,3\n,,4\n", encoding="utf-8")
    [problem] = load_dataset(data).problems
    assert problem.format() == ("PERINGATAN: 2022/x.csv, baris 2: baris 2, 3, 5 tidak berisi desa maupun nilai IKU; "
                                "diabaikan")


def test_formula_without_stored_value_is_an_error(tmp_path):
    data = copy_kecil(tmp_path)
    book = openpyxl.Workbook()
    book.active.append(["desa", "rtlh"])
    book.active.append(["Alpha", "=10+15"])
    book.save(data / "2022" / "rumus.xlsx")
    [problem] = [p for p in load_dataset(data).problems if p.is_error]
    assert problem.format() == (
        'GALAT: 2022/rumus.xlsx, lembar "Sheet", baris 2, kolom "rtlh", nilai "=10+15": sel berisi rumus Excel tanpa '
        "hasil tersimpan; buka berkas di Excel lalu simpan ulang, atau ketik nilainya langsung")


def test_files_and_folders_that_are_not_read_are_reported(tmp_path):
    data = copy_kecil(tmp_path)
    (data / "2022-revisi").mkdir()
    (data / "data.xlsx").write_bytes(b"")
    (data / "README.md").write_text("catatan", encoding="utf-8")
    (data / ".DS_Store").write_bytes(b"\x00")
    (data / "2022" / "lama").mkdir()
    (data / "2022" / "surat.pdf").write_bytes(b"%PDF")
    (data / "2022" / "~$lainnya.xlsx").write_bytes(b"lock")
    (data / "2022" / "Rekap.XLS").write_bytes(b"\xd0\xcf\x11\xe0")
    got = [(p.tingkat, p.berkas, p.kode) for p in load_dataset(data).problems]
    assert got == [
        ("peringatan", ".DS_Store", "berkas_dilewati"),  # hidden: named, never read; README.md: silent
        ("peringatan", "2022-revisi/", "folder_tidak_dibaca"),
        ("peringatan", "data.xlsx", "berkas_tidak_dibaca"),
        ("peringatan", "2022/lama/", "folder_tidak_dibaca"),
        ("peringatan", "2022/surat.pdf", "berkas_tidak_dibaca"),
        ("peringatan", "2022/~$lainnya.xlsx", "berkas_dilewati"),  # Excel's lock file: the workbook may be open
        ("galat", "2022/Rekap.XLS", "berkas_tidak_terbaca"),  # .xls is read now; these 4 bytes are no workbook
    ]
    lock = [p.pesan for p in load_dataset(data).problems if p.berkas == "2022/~$lainnya.xlsx"]
    assert lock == ["berkas kunci Excel/LibreOffice tidak dibaca: berkas aslinya mungkin sedang dibuka; simpan dan "
                    "tutup berkas itu sebelum menjalankan iku agar perubahan terakhir ikut terbaca"]


def test_target_for_an_area_that_does_not_exist(tmp_path):
    data = copy_kecil(tmp_path)
    with open(data / "target.csv", "a", encoding="utf-8") as fh:
        fh.write("IKU-06,2022,90\n")
    text = (data / "target.csv").read_text(encoding="utf-8").replace("indikator,tahun,target\n",
                                                                   "indikator,tahun,target,kode_wilayah\n")
    (data / "target.csv").write_text(text.replace("IKU-06,2022,90\n", "IKU-06,2022,90,3301010001\n"),
                                     encoding="utf-8")
    [problem] = load_dataset(data).problems
    assert (problem.kode, problem.baris, problem.nilai) == ("wilayah_tidak_dikenal", 12, "3301010001")


# --- nothing lost --------------------------------------------------------------------------

def _decoded(path: Path) -> str | None:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if "\x00" in text else text
    return None


def data_rows(folder: Path):
    """(file, sheet, row) of every non-blank row below a header with a `desa` column, found
    without iku_lib: CSV with the csv module (first delimiter that shows a `desa` cell), Excel
    with openpyxl's normal (not read-only) mode."""
    rows = []
    for path in sorted(folder.glob("[0-9][0-9][0-9][0-9]/*")):
        label = path.relative_to(folder).as_posix()
        if path.suffix == ".csv":
            text = _decoded(path)
            for delimiter in (",", ";", "\t") if text else ():
                reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
                records, start = [], 1
                for record in reader:
                    records.append((start, record))
                    start = reader.line_num + 1
                header = next((i for i, (_, r) in enumerate(records)
                               if any(c.strip().lower() == "desa" for c in r)), None)
                if header is not None:
                    rows += [(label, None, n) for n, r in records[header + 1:] if any(c.strip() for c in r)]
                    break
        elif path.suffix == ".xlsx":
            try:
                book = openpyxl.load_workbook(path)
            except Exception:
                continue
            for ws in book.worksheets:
                header = None
                for r in ws.iter_rows():
                    values = [c.value for c in r]
                    if header is None:
                        if any(isinstance(v, str) and v.strip().lower() == "desa" for v in values):
                            header = r[0].row
                    elif any(v is not None and str(v).strip() for v in values):
                        rows.append((label, ws.title, r[0].row))
    return rows


FIXTURES = sorted(p.name for p in DATA.iterdir() if p.is_dir() and (p / "desa.csv").exists())


@pytest.mark.parametrize("case", FIXTURES)
def test_every_row_read_is_used_or_reported(case):
    folder = DATA / case
    dataset = load_dataset(folder)
    read = pd.concat([dataset.observations, dataset.repeated])
    used = {(r.berkas, r.lembar, r.baris) for r in read.itertuples()}
    reported = {(p.berkas, p.lembar, p.baris) for p in dataset.problems}
    whole_file = {p.berkas for p in dataset.problems if p.baris is None and p.is_error}
    rows = data_rows(folder)
    assert rows, "the fixture has data rows"
    lost = [r for r in rows if r not in used and r not in reported and r[0] not in whole_file]
    assert lost == []


def test_row_accounting_counts_the_rows_it_should():
    # the independent counter itself, on kecil: 3 rows in each of the three files
    assert data_rows(KECIL) == [("2022/lainnya.csv", None, n) for n in (2, 3, 4)] + \
        [("2022/pemerintahan.csv", None, n) for n in (2, 3, 4)] + [("2022/penduduk.csv", None, n) for n in (2, 3, 4)]
    assert data_rows(DATA / "xlsx-title-rows-merged-cells") == \
        [("2022/data-desa-2022.xlsx", "Kependudukan", n) for n in (7, 8, 9)] + \
        [("2022/data-desa-2022.xlsx", "Pemerintahan", n) for n in (2, 3, 4)] + \
        [("2022/data-desa-2022.xlsx", "Lainnya", n) for n in (3, 4, 5)]


_WATCHED: list[Path] = []
_WRITES: list[tuple] = []
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_CHANGING_EVENTS = {"os.rename", "os.remove", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.utime",
                    "os.truncate", "os.link", "os.symlink", "shutil.rmtree", "shutil.move", "shutil.copyfile"}


def _audit(event, args):
    if not _WATCHED:
        return
    if event == "open":
        path, mode, flags = args
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (flags or 0) & _WRITE_FLAGS
    elif event in _CHANGING_EVENTS:
        path, writing = args[0], True
    else:
        return
    if writing and isinstance(path, (str, bytes, os.PathLike)):
        try:
            resolved = Path(os.fsdecode(path)).resolve()
        except (OSError, ValueError):
            return
        if any(resolved == w or w in resolved.parents for w in _WATCHED):
            _WRITES.append((event, str(resolved)))


sys.addaudithook(_audit)


def snapshot(folder: Path):
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None, p.stat().st_mtime_ns)
            for p in [folder, *folder.rglob("*")]}


@pytest.mark.parametrize("case", ["kecil", "xlsx-title-rows-merged-cells", "several-errors", "outlier-jump"])
def test_raw_directory_is_never_written(tmp_path, case, capsys):
    data = tmp_path / case
    shutil.copytree(DATA / case, data)
    for p in [data, *data.rglob("*")]:
        p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    before = snapshot(data)
    _WATCHED.append(data.resolve())
    try:
        dataset = load_dataset(data)
        validate(dataset)
        main(["validate", "--data-dir", str(data)])
        if not dataset.errors:
            compute(dataset, dataset.years)
            assert main(["compute", "--all-years", "--data-dir", str(data), "--out", str(tmp_path / "o.csv")]) == 0
    finally:
        _WATCHED.clear()
        for p in [data, *data.rglob("*")]:
            p.chmod(p.stat().st_mode | stat.S_IWUSR)
    assert _WRITES == []
    assert snapshot(data) == before


def test_the_write_watch_sees_writes(tmp_path):
    # the audit hook above would catch a write into the watched directory
    _WATCHED.append(tmp_path.resolve())
    try:
        (tmp_path / "x.txt").write_text("x")
    finally:
        _WATCHED.clear()
    assert _WRITES == [("open", str((tmp_path / "x.txt").resolve()))]
    _WRITES.clear()


# --- safe parameters and catalog -----------------------------------------------------------

def test_unknown_year_asked_of_compute():
    dataset = load_dataset(KECIL)
    with pytest.raises(ParameterError) as exc:
        compute(dataset, 2030)
    assert str(exc.value) == f"tahun 2030 tidak ada di {KECIL}; tahun yang tersedia: 2022"
    for bad in ("2022", True, 2022.0, None):
        with pytest.raises(ParameterError, match="tahun harus bilangan bulat"):
            dataset.check_year(bad)
    assert dataset.check_year(2022) == 2022


def test_unknown_year_on_the_command_line(capsys):
    assert main(["compute", "--year", "2030", "--data-dir", str(KECIL)]) == 1
    assert capsys.readouterr().err.strip() == f"tahun 2030 tidak ada di {KECIL}; tahun yang tersedia: 2022"


def test_data_dir_must_be_a_directory(tmp_path):
    with pytest.raises(ParameterError, match="tidak ada"):
        load_dataset(tmp_path / "tidak-ada")
    (tmp_path / "f.csv").write_text("x")
    with pytest.raises(ParameterError, match="bukan direktori"):
        load_dataset(tmp_path / "f.csv")


def test_yaml_with_python_tags_is_refused(tmp_path, capsys):
    data = copy_kecil(tmp_path)
    marker = tmp_path / "dijalankan"
    (data / "iku.yaml").write_text(f'x: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="katalog IKU tidak dapat dibaca"):
        load_dataset(data)
    assert main(["validate", "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert "katalog IKU tidak dapat dibaca" in err and "Traceback" not in err
    assert not marker.exists()


# --- the fixtures are what the generator writes --------------------------------------------

def test_fixtures_are_reproducible(tmp_path):
    sys.path.insert(0, str(DATA))
    try:
        import make_fixtures
    finally:
        sys.path.remove(str(DATA))
    made = make_fixtures.generate(tmp_path)
    assert sorted(p.name for p in made) == sorted(set(ACCEPTED) | set(REJECTED) | {"outlier-jump"})
    for folder in made:
        for path in folder.rglob("*"):
            if path.is_file():
                committed = DATA / path.relative_to(tmp_path)
                assert committed.read_bytes() == path.read_bytes(), committed
        committed_files = {p.relative_to(DATA / folder.name) for p in (DATA / folder.name).rglob("*") if p.is_file()}
        assert committed_files == {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()}


def test_observations_frame_types():
    obs = load_dataset(DATA / "xlsx-title-rows-merged-cells").observations
    assert obs["nilai"].dtype == float and obs["tahun"].dtype == int and obs["baris"].dtype == int
    kecil = load_dataset(KECIL).observations
    assert kecil["lembar"].map(lambda v: v is None).all()  # CSV: no sheet, None (not NaN)


def test_a_value_repeated_with_the_same_value_is_used_once_and_remembered():
    # flags-ya-tidak/2022/tambahan.csv repeats Beta's two "not on time" flags (T, Salah)
    dataset = load_dataset(DATA / "flags-ya-tidak")
    assert sorted((r.berkas, r.baris, r.kolom, r.nilai) for r in dataset.repeated.itertuples()) == [
        ("2022/tambahan.csv", 2, "apb_tepat_waktu", 0.0), ("2022/tambahan.csv", 2, "kegiatan_tepat_waktu", 0.0)]
    assert dataset.observations.duplicated(subset=["tahun", "kode_desa", "variabel"]).sum() == 0


# --- the shipped sample data, re-delivered the way offices deliver it -----------------------

def _indonesian(text: str, kind: str) -> object:
    if text == "":
        return None
    if kind == "rupiah":
        return "Rp " + f"{int(text):,}".replace(",", ".")
    if kind == "jumlah":
        return f"{int(text):,}".replace(",", ".")  # 1.553 as text
    return {"1": "Ya", "0": "Tidak"}[text]


def test_sample_data_as_messy_workbooks_computes_the_same(tmp_path):
    """Every year of data/raw rewritten as one workbook per year: a title row, one sheet per
    file, `Desa NAME` in capitals, Indonesian-style numbers as text, Ya/Tidak flags, and a
    semicolon cp1252 register and target file."""
    from ..conftest import RAW

    raw = load_dataset(RAW)
    kinds = {n: s["jenis"] for n, s in raw.catalog.variables.items()}
    messy = tmp_path / "messy"
    messy.mkdir()
    for name in ("desa.csv", "target.csv"):
        text = (RAW / name).read_text(encoding="utf-8").replace(",", ";")
        (messy / name).write_bytes(text.replace("\n", "\r\n").encode("cp1252"))
    for year in raw.years:
        book = openpyxl.Workbook()
        book.remove(book.active)
        for path in sorted((RAW / str(year)).glob("*.csv")):
            with open(path, encoding="utf-8", newline="") as fh:
                header, *rows = list(csv.reader(fh))
            ws = book.create_sheet(path.stem.capitalize())
            ws["A1"] = f"REKAP {path.stem.upper()} TAHUN {year}"
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
            ws.append([])
            ws.append([h.replace("_", " ").title() for h in header])
            for r in rows:
                desa = r[0] if r[0].isdigit() else f"Desa {r[0].upper()}"
                ws.append([desa] + [_indonesian(v, kinds[h]) for h, v in zip(header[1:], r[1:])])
        (messy / str(year)).mkdir()
        book.save(messy / str(year) / f"data-{year}.xlsx")
    dataset = load_dataset(messy)
    assert dataset.errors == []
    pdt.assert_frame_equal(compute(dataset, dataset.years), compute(raw, raw.years))


# --- the wide table of one year ------------------------------------------------------------

def test_values_one_row_per_register_desa_in_register_order():
    wide = load_dataset(KECIL).values(2022)
    assert list(wide.index) == ["3301010001", "3301010002", "3301010003"]
    assert wide.index.name == "kode_desa"
    # read off tests/data/kecil/2022/*.csv by eye
    assert wide.loc["3301010002", "ktp_el"] == 2010.0
    assert wide.loc["3301010001", "pbb_ketetapan"] == 50000000.0
    assert wide.loc["3301010003", "perangkat_melanggar"] == 2.0
    # blank cells are no value
    assert pd.isna(wide.loc["3301010003", "wajib_ktp"])
    assert pd.isna(wide.loc["3301010003", "rkp_tepat_waktu"])
    assert wide.dtypes.eq(float).all()


def test_values_desa_without_data_holds_nan(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(KECIL, data)
    with open(data / "desa.csv", "a", encoding="utf-8") as fh:
        fh.write("\n3301010004,Delta\n")
    wide = load_dataset(data).values(2022)
    assert list(wide.index)[-1] == "3301010004"
    assert wide.loc["3301010004"].isna().all()


def test_a_target_without_data_is_reported_only_where_data_should_be(tmp_path):
    """kecil has 2022 only; the catalog's Renstra period is 2019-2023. A 2021 target (a year
    before the latest data) and a 2030 target (after the period) point at missing or misnamed
    data; a 2023 target is the plan for a year still to come."""
    data = tmp_path / "d"
    shutil.copytree(KECIL, data)
    with open(data / "target.csv", "a", encoding="utf-8") as fh:
        fh.write("IKU-01,2021,78\nIKU-01,2023,85\nIKU-01,2030,90\n")
    found = [(p.kode, p.tahun) for p in load_dataset(data).problems]
    assert found == [("target_tanpa_data", 2021), ("target_tanpa_data", 2030)]


def test_a_year_with_quarter_folders_only_is_no_empty_year(tmp_path):
    # a year being monitored before its annual data exists: 2023/ holds triwulan-1/ only
    data = copy_kecil(tmp_path)
    (data / "2023" / "triwulan-1").mkdir(parents=True)
    shutil.copy(data / "2022" / "penduduk.csv", data / "2023" / "triwulan-1" / "penduduk.csv")
    assert [p.kode for p in load_dataset(data, store=False).problems if p.tahun == 2023] == []
    (data / "2024").mkdir()  # a year folder with nothing at all still is
    assert [p.kode for p in load_dataset(data, store=False).problems if p.tahun == 2024] == ["tahun_kosong"]
