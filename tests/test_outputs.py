"""Derived files are replaced atomically: a failed or killed run leaves the previous good file."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from iku_lib.exceptions import IkuError, ParameterError
from iku_lib.outputs import OutputError, atomic_write, check_not_inside

from .conftest import ROOT

OLD = "indikator,tahun\nIKU-01,2022\n"


def others(folder, name):
    return sorted(p.name for p in folder.iterdir() if p.name != name)


def test_writes_and_replaces(tmp_path):
    path = tmp_path / "sub" / "hasil.csv"
    atomic_write(path, lambda tmp: tmp.write_text(OLD, encoding="utf-8"))
    atomic_write(path, lambda tmp: tmp.write_text("baru\n", encoding="utf-8"))
    assert path.read_text(encoding="utf-8") == "baru\n"
    assert others(path.parent, "hasil.csv") == []
    assert oct(path.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("exc", [RuntimeError("gagal di tengah"), KeyboardInterrupt()])
def test_a_failing_writer_leaves_the_previous_file(tmp_path, exc):
    path = tmp_path / "hasil.csv"
    path.write_text(OLD, encoding="utf-8")

    def half_then_fail(tmp):
        tmp.write_text("indikator,tah", encoding="utf-8")
        raise exc

    with pytest.raises(type(exc)):
        atomic_write(path, half_then_fail)
    assert path.read_text(encoding="utf-8") == OLD
    assert others(tmp_path, "hasil.csv") == []  # the temporary file is removed


def test_unwritable_targets_are_user_errors(tmp_path):
    (tmp_path / "folder").mkdir()
    with pytest.raises(OutputError, match="itu sebuah folder"):
        atomic_write(tmp_path / "folder", lambda tmp: tmp.write_text("x"))
    (tmp_path / "berkas.txt").write_text("x")
    with pytest.raises(OutputError, match="tidak dapat menulis"):
        atomic_write(tmp_path / "berkas.txt" / "hasil.csv", lambda tmp: tmp.write_text("x"))
    assert issubclass(OutputError, IkuError)  # the CLI prints it without a traceback


def test_check_not_inside(tmp_path):
    raw = tmp_path / "raw"
    (raw / "2022").mkdir(parents=True)
    for bad in (raw, raw / "x.csv", raw / "2022" / "x.csv", tmp_path / "raw" / ".." / "raw" / "y.csv"):
        with pytest.raises(ParameterError, match="tidak boleh menulis ke direktori data mentah"):
            check_not_inside(bad, raw)
    (tmp_path / "link").symlink_to(raw)
    with pytest.raises(ParameterError):
        check_not_inside(tmp_path / "link" / "x.csv", raw)
    check_not_inside(tmp_path / "outputs" / "x.csv", raw)
    check_not_inside(tmp_path / "raw2" / "x.csv", raw)


def test_killed_mid_write_leaves_the_previous_file(tmp_path):
    """A writer that has written half of the new file and hangs is killed with SIGKILL."""
    path = tmp_path / "hasil.csv"
    path.write_text(OLD, encoding="utf-8")
    ready = tmp_path / "setengah"
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from iku_lib.outputs import atomic_write

        def writer(tmp):
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write("indikator,tahun\\n" + "IKU-01,2022\\n" * 50000)
                fh.flush()
                Path({str(ready)!r}).touch()
                time.sleep(60)
                fh.write("selesai\\n")

        atomic_write(Path({str(path)!r}), writer)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert proc.poll() is None, "the writer ended early"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        leftovers = others(tmp_path, "hasil.csv")
        assert len(leftovers) == 2 and leftovers[0].startswith(".hasil.csv.") and leftovers[0].endswith(".tmp")
        assert os.path.getsize(tmp_path / leftovers[0]) > 500000  # half the new file is on disk ...
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert path.read_text(encoding="utf-8") == OLD  # ... yet the file has its previous content
    # what is left is hidden and never has the output's name
    assert [p for p in others(tmp_path, "hasil.csv") if p != "setengah"][0].startswith(".hasil.csv.")


def big_data_dir(folder, n_desa=3000):
    """A generated data directory large enough for `iku compute` to take a noticeable time."""
    (folder / "2022").mkdir(parents=True)
    lines = ["kode_desa,nama_desa"] + [f"{3300000000 + i},Desa {i}" for i in range(n_desa)]
    (folder / "desa.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "target.csv").write_text("indikator,tahun,target\nIKU-01,2022,80\n", encoding="utf-8")
    header = ("desa,penduduk,wajib_ktp,ktp_el,perangkat_desa,perangkat_melanggar,pbb_ketetapan,pbb_realisasi,"
              "rumah_ibadah,rumah_ibadah_baik,rumah_tinggal,rtlh,tindak_kriminal,laporan_kejadian,"
              "laporan_ditindaklanjuti,kegiatan_tepat_waktu,rkp_tepat_waktu,apb_tepat_waktu,keuangan_tertib")
    rows = [f"{3300000000 + i},{3000 + i % 7},2000,1900,20,1,50.000.000,45.000.000,10,9,800,30,2,5,4,Ya,1,0,Sudah"
            for i in range(n_desa)]
    (folder / "2022" / "data.csv").write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return 11 * n_desa + 11 + 1  # lines of the full output: desa rows, kecamatan rows, header


@pytest.mark.parametrize("delay", [0.3, 0.5, 0.8, 1.0, 1.3, 1.8])
def test_iku_compute_killed_at_any_moment_leaves_old_or_complete_output(tmp_path, delay):
    data = tmp_path / "data"
    full = big_data_dir(data)
    out = tmp_path / "hasil.csv"
    out.write_text(OLD, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "iku_lib", "compute", "--year", "2022", "--data-dir", str(data),
                             "--out", str(out)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    text = out.read_text(encoding="utf-8")
    assert text == OLD or (text.startswith("indikator,tahun,level,") and text.count("\n") == full)
    # besides temporary files, only the complete provenance record written after the table (`iku verify`)
    record = tmp_path / "hasil.csv.provenance.json"
    assert all(name.startswith(".hasil.csv.") for name in others(tmp_path, "hasil.csv")
               if name not in ("data", record.name))
    if record.exists():
        assert json.loads(record.read_text(encoding="utf-8"))["format"] == "iku-provenance/1"


# --- work folders, folder replacement and what killed runs leave ------------------------------------

def test_atomic_write_says_why_in_indonesian(tmp_path, monkeypatch):
    import errno

    def full(tmp):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    path = tmp_path / "hasil.csv"
    path.write_text(OLD, encoding="utf-8")
    with pytest.raises(OutputError, match=rf"^tidak dapat menulis {path}: disk penuh"):
        atomic_write(path, full)
    assert path.read_text(encoding="utf-8") == OLD and others(tmp_path, "hasil.csv") == []


def _holder(parent, what="lain"):
    """A separate process holding a work folder in `parent` (as a live run does)."""
    proc = subprocess.Popen([sys.executable, "-c", (
        "import time; from pathlib import Path; from iku_lib.outputs import make_work_dir\n"
        f"print(make_work_dir(Path({str(parent)!r}), {what!r}), flush=True); time.sleep(120)")],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    return proc, Path(proc.stdout.readline().strip())


def test_clean_stale_keeps_a_live_process_s_work_folder_and_removes_a_killed_one_s(tmp_path):
    from iku_lib.outputs import clean_stale

    proc, folder = _holder(tmp_path)
    try:
        assert folder.is_dir() and folder.name.startswith(f".iku-tmp-lain-{proc.pid}-")
        assert (tmp_path / f"{folder.name}.kunci").is_file()
        (folder / "setengah.html").write_text("...", encoding="utf-8")
        assert clean_stale(tmp_path) == [] and folder.is_dir()  # its process lives: kept, however old
        os.utime(folder, (0, 0))
        assert clean_stale(tmp_path) == [] and folder.is_dir()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert clean_stale(tmp_path) == [folder]  # killed: its lock is free
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_clean_stale_by_age_without_a_lock_file(tmp_path):
    from iku_lib.outputs import STALE_AGE, clean_stale

    young, old = tmp_path / ".iku-tmp-2022-1-muda", tmp_path / ".iku-tmp-2022-1-tua"
    young.mkdir()
    old.mkdir()
    leftover = tmp_path / ".index.html.abcd1234.tmp"  # an atomic_write killed with SIGKILL
    leftover.write_text("x", encoding="utf-8")
    legacy = tmp_path / ".tmp-olahan-abcd1234"  # what an older iku used
    legacy.mkdir()
    long_ago = time.time() - STALE_AGE - 60
    for path in (old, leftover, legacy):
        os.utime(path, (long_ago, long_ago))
    (tmp_path / "2022").mkdir()
    assert sorted(clean_stale(tmp_path)) == sorted([old, leftover, legacy])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["2022", young.name])


def test_a_folder_set_aside_by_a_killed_swap_is_put_back(tmp_path):
    """Where the atomic exchange is missing, replace_folder renames twice; killed between the
    two, the previous folder is set aside under .iku-lama-*: the next clean-up puts it back."""
    from iku_lib.outputs import clean_stale

    aside = tmp_path / ".iku-lama-0123abcd-2022"
    aside.mkdir()
    (aside / "laporan.html").write_text("lama", encoding="utf-8")
    assert clean_stale(tmp_path) == [aside]
    assert (tmp_path / "2022" / "laporan.html").read_text(encoding="utf-8") == "lama"
    again = tmp_path / ".iku-lama-4567abcd-2022"  # the swap went through: the old one goes
    again.mkdir()
    assert clean_stale(tmp_path) == [again] and sorted(p.name for p in tmp_path.iterdir()) == ["2022"]


@pytest.mark.parametrize("exchange", [True, False])
def test_replace_folder(tmp_path, monkeypatch, exchange):
    import iku_lib.outputs as outputs

    if not exchange:
        monkeypatch.setattr(outputs, "_exchange", lambda a, b: False)
    target = tmp_path / "2022"
    new = outputs.make_work_dir(tmp_path, "2022")
    (new / "a.html").write_text("pertama", encoding="utf-8")
    outputs.replace_folder(new, target)  # no previous folder: one rename
    outputs.remove_work_dir(new)
    new = outputs.make_work_dir(tmp_path, "2022")
    (new / "a.html").write_text("kedua", encoding="utf-8")
    outputs.replace_folder(new, target)
    assert (new / "a.html").read_text(encoding="utf-8") == "pertama"  # the previous version, to remove
    outputs.remove_work_dir(new)
    assert (target / "a.html").read_text(encoding="utf-8") == "kedua"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2022"]
