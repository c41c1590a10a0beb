"""Many problems: `iku validate`, `iku compute` and `iku report` show a summary and write every
problem to a CSV file; few problems print as before. The data directory is generated below,
so that each count is known by construction."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from iku_lib.cli.main import main

from ..conftest import KECIL, run_iku, write_catalog
from ..engine.test_quality import KECIL_2022

HEADER = ["tingkat", "kode", "berkas", "lembar", "baris", "kolom", "nilai", "tahun", "indikator", "kode_desa", "pesan"]
N_DESA = 120
DANGER = "=cmd|' /C calc'!A0"  # a desa cell a spreadsheet would run as a formula


def make_project(root: Path) -> Path:
    """A project whose data/raw has 2022 only, with N_DESA desa ("Sukamaju 001" ... "Sukamaju 120",
    codes 3301010001 ... 3301010120) and, in two files, bad cells placed so that every count is known:

    2022/lainnya.csv (columns desa, pbb_ketetapan, pbb_realisasi, keterangan_lain), rows 2-121 one per desa:
      - `keterangan_lain` is no variable: 1 warning `kolom_tidak_dikenal` (row 1);
      - desa 1-20 (rows 2-21) pbb_realisasi "1,500" (ambiguous): 20 errors `nilai_tidak_sah`.
    2022/penduduk.csv (columns desa, penduduk, wajib_ktp, ktp_el), rows 2-121 one per desa, then row 122:
      - desa 1-100 (rows 2-101) penduduk "banyak": 100 errors `nilai_tidak_sah`;
      - desa 101-110 (rows 102-111) penduduk "-5" (negative): 10 errors `nilai_tidak_sah`;
      - desa 111-115 (rows 112-116) wajib_ktp "-": 5 errors `nilai_tidak_sah`;
      - desa 116 (row 117) ktp_el "=1+2" and desa 117 (row 118) ktp_el "@SUM(A1)": 2 errors `nilai_tidak_sah`;
      - row 122, desa DANGER (not in the register), valid numbers: 1 error `desa_tidak_dikenal`.
    In all: 137 `nilai_tidak_sah` + 1 `desa_tidak_dikenal` = 138 errors, and 1 warning: 139 problems.
    Errors mean no indicator is computed, so no warning comes from the computed table.
    """
    raw = root / "data" / "raw"
    (raw / "2022").mkdir(parents=True)
    (root / "iku.toml").write_text('[proyek]\nnama = "Banyak masalah"\n', encoding="utf-8")
    shutil.copy(KECIL / "target.csv", raw / "target.csv")
    write_catalog(raw, ["IKU-02", "IKU-04"])  # the indicators whose variables the two files hold
    desa = [(f"33010100{i:02d}" if i < 100 else f"3301010{i:03d}", f"Sukamaju {i:03d}") for i in range(1, N_DESA + 1)]
    write_csv(raw / "desa.csv", ["kode_desa", "nama_desa"], desa)
    write_csv(raw / "2022" / "lainnya.csv", ["desa", "pbb_ketetapan", "pbb_realisasi", "keterangan_lain"],
              [(name, "1000", "1,500" if i <= 20 else "900", "catatan") for i, (_, name) in enumerate(desa, start=1)])
    rows = []
    for i, (_, name) in enumerate(desa, start=1):
        penduduk = "banyak" if i <= 100 else "-5" if i <= 110 else "1000"
        wajib = "-" if 111 <= i <= 115 else "700"
        ktp = {116: "=1+2", 117: "@SUM(A1)"}.get(i, "600")
        rows.append((name, penduduk, wajib, ktp))
    rows.append((DANGER, "10", "5", "5"))
    write_csv(raw / "2022" / "penduduk.csv", ["desa", "penduduk", "wajib_ktp", "ktp_el"], rows)
    return root


def write_csv(path: Path, header: list[str], rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def read_problems(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == HEADER
        return list(reader)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("proyek"))


@pytest.fixture(scope="module")
def validated(project):
    """`iku validate` in the project: (result, problem file)."""
    return run_iku("validate", cwd=project), project / "outputs" / "masalah-semua-tahun.csv"


def test_validate_summarises_many_problems_and_exits_1(validated):
    result, path = validated
    assert result.returncode == 1
    out = result.stdout.splitlines()
    assert out[0] == ("Ada 139 masalah (138 galat, 1 peringatan), terlalu banyak untuk ditampilkan satu per satu; "
                      "berikut ringkasannya.")
    kinds = out[out.index("Jumlah menurut jenis:") + 1:out.index("Jumlah menurut berkas:") - 1]
    assert kinds == ["  137  GALAT       nilai_tidak_sah      nilai tidak sah",
                     "    1  GALAT       desa_tidak_dikenal   desa tidak dikenal",
                     "    1  PERINGATAN  kolom_tidak_dikenal  kolom tidak dikenal"]
    files = out[out.index("Jumlah menurut berkas:") + 1:out.index("3 masalah pertama setiap jenis:") - 1]
    assert files == ["  118  2022/penduduk.csv", "   21  2022/lainnya.csv"]
    assert len(out) < 40  # not 139 lines
    assert out[-2] == "Daftar lengkap 139 masalah (satu baris per masalah): outputs/masalah-semua-tahun.csv"
    assert out[-1] == f"{path.parent.parent / 'data' / 'raw'}: 138 galat, 1 peringatan (tahun: 2022)"
    assert "Traceback" not in result.stderr


def test_validate_shows_the_first_three_of_each_kind_in_full(validated):
    result, _ = validated
    out = result.stdout.splitlines()
    # lainnya.csv is read before penduduk.csv: its unknown column (row 1) comes before its rows
    first = out.index("nilai_tidak_sah (nilai tidak sah), 3 dari 137:")
    for k, row in enumerate((2, 3, 4), start=1):
        assert out[first + k].startswith(
            f'  GALAT: 2022/lainnya.csv, baris {row}, kolom "pbb_realisasi", nilai "1,500": ')
    unknown = out.index("desa_tidak_dikenal (desa tidak dikenal), 1 dari 1:")
    assert out[unknown + 1].startswith(f'  GALAT: 2022/penduduk.csv, baris 122, kolom "desa", nilai "{DANGER}": ')
    column = out.index("kolom_tidak_dikenal (kolom tidak dikenal), 1 dari 1:")
    assert out[column + 1] == ('  PERINGATAN: 2022/lainnya.csv, baris 1, kolom "keterangan_lain": kolom tidak dikenal '
                               "sebagai variabel IKU; kolom ini diabaikan")


def test_validate_writes_every_problem_to_the_file(validated):
    _, path = validated
    rows = read_problems(path)
    assert len(rows) == 139
    assert sum(r["tingkat"] == "galat" for r in rows) == 138
    bad = [(r["berkas"], int(r["baris"]), r["kolom"]) for r in rows if r["kode"] == "nilai_tidak_sah"]
    expected = ([("2022/lainnya.csv", row, "pbb_realisasi") for row in range(2, 22)]
                + [("2022/penduduk.csv", row, "penduduk") for row in range(2, 112)]
                + [("2022/penduduk.csv", row, "wajib_ktp") for row in range(112, 117)]
                + [("2022/penduduk.csv", 117, "ktp_el"), ("2022/penduduk.csv", 118, "ktp_el")])
    assert sorted(bad) == sorted(expected)
    by_row = {(r["berkas"], r["baris"], r["kolom"]): r for r in rows}
    assert by_row[("2022/penduduk.csv", "2", "penduduk")]["nilai"] == "banyak"
    assert by_row[("2022/penduduk.csv", "2", "penduduk")]["kode_desa"] == "3301010001"
    assert by_row[("2022/penduduk.csv", "2", "penduduk")]["tahun"] == "2022"
    # values a spreadsheet would run as formulas carry an apostrophe; numbers and a lone dash do not
    assert by_row[("2022/penduduk.csv", "117", "ktp_el")]["nilai"] == "'=1+2"
    assert by_row[("2022/penduduk.csv", "118", "ktp_el")]["nilai"] == "'@SUM(A1)"
    assert by_row[("2022/penduduk.csv", "122", "desa")]["nilai"] == "'" + DANGER
    assert by_row[("2022/penduduk.csv", "102", "penduduk")]["nilai"] == "-5"
    assert by_row[("2022/penduduk.csv", "112", "wajib_ktp")]["nilai"] == "-"
    assert by_row[("2022/lainnya.csv", "1", "keterangan_lain")]["tingkat"] == "peringatan"


def test_validate_file_for_some_years_or_where_asked(project, tmp_path):
    result = run_iku("validate", "--year", "2022", cwd=project)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-2].endswith(": outputs/masalah-2022.csv")
    assert len(read_problems(project / "outputs" / "masalah-2022.csv")) == 139
    out = tmp_path / "daftar.csv"
    result = run_iku("validate", "--out", str(out), cwd=project)
    assert result.returncode == 1 and len(read_problems(out)) == 139
    assert result.stdout.splitlines()[-2].endswith(f": {out}")
    result = run_iku("validate", "--output-dir", str(tmp_path / "hasil"), "--year", "2022", cwd=project)
    assert len(read_problems(tmp_path / "hasil" / "masalah-2022.csv")) == 139


def test_validate_refuses_a_file_in_the_raw_data_before_reading(project):
    raw = project / "data" / "raw"
    before = sorted(p.name for p in raw.rglob("*"))
    result = run_iku("validate", "--out", str(raw / "masalah.csv"), cwd=project)
    assert result.returncode == 1 and "tidak boleh menulis ke direktori data mentah" in result.stderr
    assert result.stdout == "" and sorted(p.name for p in raw.rglob("*")) == before


def test_compute_stops_summarising_its_errors_with_the_file_beside_out(project, tmp_path):
    out = tmp_path / "iku-2022.csv"
    result = run_iku("compute", "--year", "2022", "--out", str(out), cwd=project)
    assert result.returncode == 1 and result.stdout == ""
    err = result.stderr.splitlines()
    assert err[0].startswith("Ada 138 masalah (138 galat, 0 peringatan)")
    assert err[-1] == f"Daftar lengkap 138 masalah (satu baris per masalah): {tmp_path / 'iku-2022-masalah.csv'}"
    assert len(err) < 40 and not out.exists()
    rows = read_problems(tmp_path / "iku-2022-masalah.csv")
    assert len(rows) == 138 and {r["tingkat"] for r in rows} == {"galat"}  # what stopped the run


def test_compute_to_the_screen_and_report_write_it_in_the_outputs_folder(tmp_path):
    project = make_project(tmp_path / "p")  # its own: this writes outputs/masalah-semua-tahun.csv too
    result = run_iku("compute", "--all-years", cwd=project)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines()[-1].endswith(": outputs/masalah-semua-tahun.csv")
    assert len(read_problems(project / "outputs" / "masalah-semua-tahun.csv")) == 138
    result = run_iku("report", "--year", "2022", "--output-dir", str(tmp_path / "laporan"), cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(read_problems(tmp_path / "laporan" / "masalah-2022.csv")) == 138
    assert [p.name for p in (tmp_path / "laporan").iterdir()] == ["masalah-2022.csv"]


def test_outside_a_project_the_file_goes_to_the_current_folder(project, tmp_path):
    shutil.copytree(project / "data" / "raw", tmp_path / "d")  # no iku.toml above it, nor above tmp_path
    work = tmp_path / "kerja"
    work.mkdir()
    result = run_iku("validate", "--data-dir", str(tmp_path / "d"), cwd=work)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-2].endswith(": masalah-semua-tahun.csv")
    assert len(read_problems(work / "masalah-semua-tahun.csv")) == 139


# --- few problems: as before ---------------------------------------------------------------------

def test_few_problems_print_in_full_exactly_as_before(tmp_path):
    data = tmp_path / "d"
    shutil.copytree(KECIL, data)
    (data / "2022" / "salah.csv").write_text("desa,rtlh\nAlpha,=1+1\nBeta,-1\n", encoding="utf-8")
    result = run_iku("validate", "--data-dir", str(data), "--out", str(tmp_path / "m.csv"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        'GALAT: 2022/salah.csv, baris 2, kolom "rtlh", nilai "=1+1": bukan angka; diharapkan bilangan bulat 0 atau '
        "lebih, misalnya 1234 atau 1.234",
        'GALAT: 2022/salah.csv, baris 3, kolom "rtlh", nilai "-1": nilai negatif; diharapkan bilangan bulat 0 atau '
        "lebih, misalnya 1234 atau 1.234"]
    assert result.stdout.splitlines()[-1] == f"{data}: 2 galat, 0 peringatan (tahun: 2022)"
    assert len(result.stdout.splitlines()) == 3  # kecil has no warning of its own, errors stop the quality checks
    assert result.stderr == "daftar masalah ditulis: m.csv (2 masalah)\n"
    rows = read_problems(tmp_path / "m.csv")
    assert [(r["baris"], r["nilai"]) for r in rows] == [("2", "'=1+1"), ("3", "-1")]


@pytest.mark.parametrize("n, summarised", [(50, False), (51, True)])
def test_up_to_fifty_problems_are_shown_in_full(tmp_path, capsys, monkeypatch, n, summarised):
    data = tmp_path / "d"
    shutil.copytree(KECIL, data)
    # n rows with a value and no desa: n errors `desa_kosong` (their cells are not read); kecil has no other problem
    (data / "2022" / "salah.csv").write_text("desa,rtlh\n" + ",5\n" * n, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # no project here: a file only for a summary, in this folder
    assert main(["validate", "--data-dir", str(data)]) == 1
    out = capsys.readouterr()
    lines = out.out.splitlines()
    if summarised:
        assert lines[0].startswith(f"Ada {n} masalah ({n} galat, 0 peringatan)") and out.out.count("GALAT:") == 3
        assert lines[-2] == f"Daftar lengkap {n} masalah (satu baris per masalah): masalah-semua-tahun.csv"
        assert len(read_problems(tmp_path / "masalah-semua-tahun.csv")) == n
    else:
        assert lines[:n] == [f'GALAT: 2022/salah.csv, baris {r}, kolom "desa", nilai "": kolom desa kosong, padahal '
                             "baris ini berisi nilai; isi nama atau kode desanya" for r in range(2, n + 2)]
        assert len(lines) == n + 1 and out.err == ""
        assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]


def test_warnings_only_exit_0_and_are_in_the_file(tmp_path):
    result = run_iku("validate", "--data-dir", str(KECIL), "--out", str(tmp_path / "m.csv"), cwd=tmp_path)
    assert result.returncode == 0
    # kecil's six warnings, worked out by hand in tests/engine/test_quality.py
    assert [p.format() for p in KECIL_2022] == result.stdout.splitlines()[:-1]
    assert [(r["kode"], r["indikator"], r["kode_desa"], r["pesan"]) for r in read_problems(tmp_path / "m.csv")] == [
        (p.kode, p.indikator, p.kode_desa or "", p.pesan) for p in KECIL_2022]
    assert result.stdout.splitlines()[-1] == f"{KECIL}: 0 galat, 6 peringatan (tahun: 2022)"
    assert result.stderr == "daftar masalah ditulis: m.csv (6 masalah)\n"
