"""The `iku` command as a user runs it: output columns, the sample data's numbers, exit codes."""

import csv
import io
import shutil
import stat
import sys

import duckdb
import pytest

from iku_lib.cli import main as cli

from ..conftest import KECIL, run_iku

HEADER = "indikator,tahun,level,kode_wilayah,nama_wilayah,pembilang,penyebut,nilai,satuan,target,capaian,predikat"

# Kecamatan Kaloran 2023 from the shipped sample data, worked out separately: the year's CSV
# files summed with the csv module and divided with fractions.Fraction (no iku_lib code), then
# capaian by hand from data/raw/target.csv. (indikator, pembilang, penyebut, nilai, target, capaian, predikat)
KALORAN_2023 = [
    ("IKU-01", 13, 14, 92.85714285714286, 90.0, 103.17460317460318, "Sangat Tinggi"),
    ("IKU-02", 30098, 30865, 97.51498461040013, 99.0, 98.49998445494963, "Sangat Tinggi"),
    ("IKU-03", 3, 275, 1.0909090909090908, 1.5, 127.27272727272727, "Sangat Tinggi"),
    ("IKU-04", 1171125219, 1246685279, 93.9391231072682, 100.0, 93.9391231072682, "Sangat Tinggi"),
    ("IKU-05", 13, 14, 92.85714285714286, 90.0, 103.17460317460318, "Sangat Tinggi"),
    ("IKU-06", 13, 14, 92.85714285714286, 95.0, 97.74436090225564, "Sangat Tinggi"),
    ("IKU-07", 145, 164, 88.41463414634147, 92.0, 96.10286320254507, "Sangat Tinggi"),
    ("IKU-08", 548, 11709, 4.680160560252797, 4.0, 82.99598599368008, "Tinggi"),
    ("IKU-09", 15, 42172, 3.5568623731385753, 4.0, 111.07844067153562, "Sangat Tinggi"),
    ("IKU-10", 32, 33, 96.96969696969697, 100.0, 96.96969696969697, "Sangat Tinggi"),
    ("IT-01", 13, 14, 92.85714285714286, 100.0, 92.85714285714286, "Sangat Tinggi"),
]


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_compute_sample_data_matches_hand_checked_table():
    result = run_iku("compute", "--year", "2023", "--level", "kecamatan")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == HEADER
    got = rows(result.stdout)
    assert [r["indikator"] for r in got] == [r[0] for r in KALORAN_2023]
    for r, (ident, num, den, value, target, capaian, predikat) in zip(got, KALORAN_2023):
        assert (r["tahun"], r["level"], r["kode_wilayah"], r["nama_wilayah"]) == ("2023", "kecamatan", "3323070", "Kaloran")
        assert float(r["pembilang"]) == num and float(r["penyebut"]) == den
        assert float(r["nilai"]) == pytest.approx(value, rel=1e-12)
        assert float(r["target"]) == target
        assert float(r["capaian"]) == pytest.approx(capaian, rel=1e-12)
        assert r["predikat"] == predikat


def test_compute_both_levels_by_default():
    result = run_iku("compute", "--year", "2023")
    got = rows(result.stdout)
    assert len(got) == 11 * 14 + 11
    desa = [r for r in got if r["level"] == "desa"]
    assert {r["kode_wilayah"] for r in desa} == {f"33230700{i:02d}" for i in range(1, 15)}
    assert all(r["target"] == r["capaian"] == r["predikat"] == "" for r in desa)


def test_compute_full_precision_in_output():
    result = run_iku("compute", "--year", "2022", "--data-dir", str(KECIL), "--level", "kecamatan")
    iku02 = next(r for r in rows(result.stdout) if r["indikator"] == "IKU-02")
    assert float(iku02["nilai"]) == 346000 / 3500  # 98.857142857142..., not rounded
    assert len(iku02["nilai"]) > 10


def test_compute_to_file(tmp_path):
    out = tmp_path / "hasil" / "kaloran.csv"
    result = run_iku("compute", "--year", "2022", "--data-dir", str(KECIL), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").splitlines()[0] == HEADER
    # no temp file left; beside the table, its provenance record (tests/report/test_verify.py)
    assert sorted(p.name for p in out.parent.iterdir()) == ["kaloran.csv", "kaloran.csv.provenance.json"]


def test_compute_refuses_to_write_into_the_data_directory(tmp_path):
    data = tmp_path / "d"
    shutil.copytree(KECIL, data)
    result = run_iku("compute", "--year", "2022", "--data-dir", str(data), "--out", str(data / "x.csv"))
    assert result.returncode == 1
    assert "tidak boleh menulis ke direktori data mentah" in result.stderr
    assert not (data / "x.csv").exists()


def test_compute_on_a_read_only_directory(tmp_path):
    data = tmp_path / "d"
    shutil.copytree(KECIL, data)
    for p in [data, *data.rglob("*")]:
        p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
        assert run_iku("validate", "--data-dir", str(data)).returncode == 0
        assert run_iku("compute", "--year", "2022", "--data-dir", str(data)).returncode == 0
        assert {p: p.read_bytes() for p in data.rglob("*") if p.is_file()} == before
    finally:
        for p in [data, *data.rglob("*")]:
            p.chmod(p.stat().st_mode | stat.S_IWUSR)


def test_validate_sample_data_has_warnings_but_no_errors():
    result = run_iku("validate")
    assert result.returncode == 0
    assert "0 galat" in result.stdout.splitlines()[-1]
    assert "Desa Tleter (3323070007): ktp_el (1.557) melebihi wajib_ktp (1.553) tahun 2021" in result.stdout
    assert "Desa Keblukan (3323070003) tidak punya nilai rkp_tepat_waktu tahun 2021" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["compute", "--year", "2031"], "tahun 2031 tidak ada"),
        (["compute", "--year", "dua ribu"], "tahun 'dua ribu' tidak sah"),
        (["compute", "--year", "2023", "--level", "dusun"], "level 'dusun' tidak ada"),
        (["compute", "--year", "2023", "--data-dir", "/tidak/ada"], "direktori data /tidak/ada tidak ada"),
        (["validate", "--data-dir", "/tidak/ada"], "direktori data /tidak/ada tidak ada"),
    ],
)
def test_user_mistakes_exit_1_without_traceback(args, message):
    result = run_iku(*args)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_lists_every_error_and_exits_1(tmp_path):
    data = tmp_path / "d"
    shutil.copytree(KECIL, data)
    (data / "2022" / "salah.csv").write_text("desa,rtlh,penduduk\nAlfa,3,10\nBeta,-1,x\n", encoding="utf-8")
    result = run_iku("validate", "--data-dir", str(data))
    assert result.returncode == 1
    out = result.stdout
    assert 'GALAT: 2022/salah.csv, baris 2, kolom "desa", nilai "Alfa": desa tidak ada di daftar desa; mungkin maksudnya Alpha?' in out
    assert 'GALAT: 2022/salah.csv, baris 3, kolom "rtlh", nilai "-1": nilai negatif' in out
    assert 'GALAT: 2022/salah.csv, baris 3, kolom "penduduk", nilai "x": bukan angka' in out
    assert "Traceback" not in result.stderr


def test_help_is_in_bahasa_indonesia():
    result = run_iku("compute", "--help")
    assert "hanya satu level" in result.stdout and "semua tahun" in result.stdout


def test_usage_mistakes_are_explained_in_bahasa_indonesia_with_exit_1():
    result = run_iku("compute")
    assert result.returncode == 1
    assert "cara pakai: iku compute" in result.stderr
    assert "iku compute: galat: salah satu dari --year --all-years wajib diberikan" in result.stderr
    assert "usage" not in result.stderr and "error" not in result.stderr
    assert "tampilkan bantuan ini lalu keluar" in run_iku("validate", "--help").stdout


# --- --ketat: every warning an error ----------------------------------------------------------

KECIL_WARNINGS = 6  # tests/engine/test_quality.py KECIL_2022: Beta ktp_el > wajib_ktp, Gamma wajib_ktp and
# rkp_tepat_waktu blank, Beta laporan_kejadian 0, IKU-06 without target, IT-01 target 0


def test_validate_ketat_makes_every_warning_an_error(tmp_path):
    plain = run_iku("validate", "--data-dir", str(KECIL), "--out", str(tmp_path / "a.csv"))
    assert plain.returncode == 0 and plain.stdout.splitlines()[-1].endswith(
        f"0 galat, {KECIL_WARNINGS} peringatan (tahun: 2022)")
    strict = run_iku("validate", "--data-dir", str(KECIL), "--out", str(tmp_path / "b.csv"), "--ketat")
    out = strict.stdout.splitlines()
    assert strict.returncode == 1
    assert out[0] == "Mode ketat (--ketat): setiap peringatan diperlakukan sebagai galat"
    assert out[-1].endswith(f"{KECIL_WARNINGS} galat, 0 peringatan (tahun: 2022)")
    assert ("GALAT: Desa Gamma (3301010003) tidak punya nilai rkp_tepat_waktu tahun 2022; IKU-05: desa dihitung "
            "tidak tercapai") in out


def test_compute_and_report_ketat_stop_before_writing_anything(tmp_path):
    out = tmp_path / "hasil.csv"
    strict = run_iku("compute", "--year", "2022", "--data-dir", str(KECIL), "--out", str(out), "--ketat")
    assert strict.returncode == 1 and not out.exists()
    assert strict.stderr.splitlines()[0] == "Mode ketat (--ketat): setiap peringatan diperlakukan sebagai galat"
    assert "GALAT: IKU-06 tahun 2022: tidak ada target untuk Kecamatan Kaloran (3323070); capaian tidak dihitung" in (
        strict.stderr.splitlines())
    assert run_iku("compute", "--year", "2022", "--data-dir", str(KECIL), "--out", str(out)).returncode == 0
    report_dir = tmp_path / "laporan"
    strict = run_iku("report", "--year", "2022", "--data-dir", str(KECIL), "--output-dir", str(report_dir), "--ketat")
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    assert not list(report_dir.rglob("*.html")) and not list(report_dir.rglob("*.xlsx"))


def test_ctrl_c_while_writing_ends_with_one_line_and_keeps_the_last_output(monkeypatch, capsys, tmp_path):
    """Ctrl-C in the middle of writing the table: exit status 130, one line instead of a
    traceback, the table written before left as it was and nothing half-written beside it."""
    from iku_lib.engine import export

    out = tmp_path / "x.csv"
    out.write_text("tabel sebelumnya\n", encoding="utf-8")

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(export.GrowingFile, "grew", interrupted)
    assert cli.main(["compute", "--year", "2022", "--data-dir", str(KECIL), "--out", str(out)]) == 130
    err = capsys.readouterr().err
    assert err == cli.INTERRUPTED + "\n"
    assert out.read_text(encoding="utf-8") == "tabel sebelumnya\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]


@pytest.mark.parametrize("stopped", [RuntimeError("Query interrupted"), duckdb.InterruptException("INTERRUPT Error")])
def test_ctrl_c_during_a_query_ends_with_the_same_line(monkeypatch, capsys, stopped):
    """Ctrl-C while DuckDB runs a query reaches Python as DuckDB's interruption, not as
    KeyboardInterrupt (seen with a real SIGINT during `iku compute` on national data)."""
    monkeypatch.setattr(cli, "export_table", lambda *a, **k: (_ for _ in ()).throw(stopped))
    assert cli.main(["compute", "--year", "2022", "--data-dir", str(KECIL)]) == 130
    assert capsys.readouterr().err == cli.INTERRUPTED + "\n"


def test_the_command_freezes_what_is_loaded_then_runs_main(monkeypatch):
    """`iku` (and `python -m iku_lib`) is `run`: what is loaded is moved out of the collector's
    sight (`gc.freeze`) before `main`, and `main`'s status is the process's."""
    import gc

    from iku_lib.cli import main as cli

    calls: list[str] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(cli, "main", lambda argv=None: calls.append("main") or 3)
    with pytest.raises(SystemExit) as stopped:
        cli.run()
    assert calls == ["freeze", "main"] and stopped.value.code == 3


def test_python_m_iku_lib_gives_main_s_status(tmp_path):
    """A user's mistake ends `python -m iku_lib` with status 1 and one line, as `main` returns."""
    import subprocess

    command = [sys.executable, "-m", "iku_lib", "compute", "--all-years", "--data-dir", str(tmp_path / "tidak-ada")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("direktori data")
