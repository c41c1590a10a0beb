"""`iku report` when its output folder cannot be written, and when it is killed.

- An output folder that is a file, a file where a report folder goes, a read-only folder, a
  full disk: one line naming the path and the reason, exit 1, no traceback, and the last good
  reports exactly as they were (a report folder is replaced only by a complete new one).
- `iku report --all --jobs 2` stopped with SIGTERM or Ctrl-C: no process it started (workers,
  their kernels) survives it, no temporary folder remains, nothing is written after; killed
  with SIGKILL, it leaves work folders that the next run removes.

The folder cases run in this process with papermill replaced by a stub (no kernel: seconds);
the kill cases run the real command on the Kaloran sample in a project (`iku init --contoh`).
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from iku_lib.cli import main as cli
from iku_lib.report import runner as report

from ..conftest import KECIL, ROOT, run_iku

OLD = {"evaluasi-tahunan-2022.html": "laporan lama yang sudah selesai",
       "evaluasi-tahunan-2022.ipynb": "{}",
       "capaian-2022.xlsx": "buku kerja lama"}
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


# --- helpers -----------------------------------------------------------------------------------------

@pytest.fixture
def stub_papermill(monkeypatch):
    """papermill replaced by a stub that writes an empty executed notebook: the runner's own
    work (folders, conversion, Excel, Word, index) runs for real, in seconds. The calls made."""
    import papermill

    calls = []

    def fake(input_path, output_path, **kwargs):
        calls.append(output_path)
        nbformat.write(nbformat.v4.new_notebook(), output_path)

    monkeypatch.setattr(papermill, "execute_notebook", fake)
    return calls


def old_outputs(out: Path) -> dict[str, bytes]:
    """A finished earlier report for 2022 and an index, as a previous run left them."""
    (out / "2022").mkdir(parents=True)
    for name, text in OLD.items():
        (out / "2022" / name).write_text(text, encoding="utf-8")
    (out / "index.html").write_text("indeks lama", encoding="utf-8")
    return tree(out)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def hidden(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.name.startswith("."))


def report_in_process(capsys, out: Path, *extra: str) -> tuple[int, str]:
    code = cli.main(["report", "--year", "2022", "--data-dir", str(KECIL), "--output-dir", str(out), "--jobs", "1",
                     *extra])
    return code, capsys.readouterr().err


def one_line(err: str) -> str:
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


# --- output folders that cannot be written -----------------------------------------------------------

def test_a_complete_report_replaces_the_folder_and_keeps_what_is_not_its_own(tmp_path, capsys, stub_papermill):
    out = tmp_path / "hasil"
    old_outputs(out)
    (out / "2022" / "catatan-analis.txt").write_text("jangan dihapus", encoding="utf-8")
    (out / "2022" / ".tmp-k3x9_abc").mkdir()  # what an older iku, killed, left inside the folder
    (out / "2022" / "evaluasi-tahunan-2022.gagal.ipynb").write_text("{}", encoding="utf-8")
    code, err = report_in_process(capsys, out)
    assert code == 0, err
    names = sorted(p.name for p in (out / "2022").iterdir())
    word = ["laporan-kinerja-2022.docx"] if report.word_writer() is not None else []
    assert names == sorted(["capaian-2022.xlsx", "catatan-analis.txt", "evaluasi-tahunan-2022.html",
                            "evaluasi-tahunan-2022.ipynb", "provenance.json", *word])
    assert (out / "2022" / "catatan-analis.txt").read_text(encoding="utf-8") == "jangan dihapus"
    assert "laporan lama" not in (out / "2022" / "evaluasi-tahunan-2022.html").read_text(encoding="utf-8")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((out / "2022").stat().st_mode) == 0o777 & ~umask  # not the work folder's 0700
    assert hidden(out) == []
    assert len(stub_papermill) == 1 and ".iku-tmp-2022-" in str(stub_papermill[0])  # built beside, not inside


def test_output_dir_that_is_a_file(tmp_path, capsys, stub_papermill):
    out = tmp_path / "hasil"
    out.write_text("bukan folder", encoding="utf-8")
    code, err = report_in_process(capsys, out)
    line = one_line(err)
    assert code == 1 and str(out) in line and "adalah sebuah berkas, bukan folder" in line
    assert out.read_text(encoding="utf-8") == "bukan folder" and stub_papermill == []


def test_output_dir_below_a_file(tmp_path, capsys, stub_papermill):
    (tmp_path / "berkas").write_text("x", encoding="utf-8")
    code, err = report_in_process(capsys, tmp_path / "berkas" / "hasil")
    line = one_line(err)
    assert code == 1 and f"{tmp_path / 'berkas'} adalah sebuah berkas" in line and stub_papermill == []


def test_a_file_where_the_year_folder_goes(tmp_path, capsys, stub_papermill):
    out = tmp_path / "hasil"
    out.mkdir()
    (out / "2022").write_text("berkas, bukan folder", encoding="utf-8")
    (out / "index.html").write_text("indeks lama", encoding="utf-8")
    before = tree(out)
    code, err = report_in_process(capsys, out)
    line = one_line(err)
    assert code == 1 and str(out / "2022") in line and "adalah sebuah berkas, bukan folder" in line
    assert stub_papermill == []  # refused before any kernel starts
    assert tree(out) == before and hidden(out) == []


def test_a_file_where_the_year_folder_goes_in_a_batch_stops_it_before_any_report(tmp_path):
    """With --all the whole batch is checked first: no report is made when one folder is blocked."""
    out = tmp_path / "hasil"
    out.mkdir()
    (out / "tren").write_text("x", encoding="utf-8")
    result = run_iku("report", "--all", "--data-dir", str(KECIL), "--output-dir", str(out), "--jobs", "1")
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert str(out / "tren") in line and "bukan folder" in line
    assert sorted(p.name for p in out.iterdir()) == ["tren"]


@pytest.mark.skipif(ROOT_USER, reason="sebagai root, chmod 555 tidak mencegah penulisan (lihat versi monkeypatch)")
@pytest.mark.parametrize("where", ["hasil", "hasil/2022"])
def test_read_only_folders(tmp_path, capsys, stub_papermill, where):
    out = tmp_path / "hasil"
    before = old_outputs(out)
    folder = tmp_path / where
    folder.chmod(0o555)
    try:
        code, err = report_in_process(capsys, out)
    finally:
        folder.chmod(0o755)
    line = one_line(err)
    assert code == 1 and str(folder) in line and "izin menulis ditolak" in line
    assert tree(out) == before and hidden(out) == [] and stub_papermill == []


@pytest.mark.parametrize("where", ["hasil", "hasil/2022"])
def test_read_only_folders_simulated(tmp_path, capsys, stub_papermill, monkeypatch, where):
    """The same as test_read_only_folders, for any user (root included): the permission check
    is told the folder is read-only."""
    out = tmp_path / "hasil"
    before = old_outputs(out)
    folder = tmp_path / where
    real_access = os.access

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and Path(path).resolve() == folder.resolve():
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    code, err = report_in_process(capsys, out)
    line = one_line(err)
    assert code == 1 and str(folder) in line and "izin menulis ditolak" in line
    assert tree(out) == before and hidden(out) == [] and stub_papermill == []


def _full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("when", ["html", "excel", "probe"])
def test_a_full_disk_keeps_the_last_good_report(tmp_path, capsys, stub_papermill, monkeypatch, when):
    """ENOSPC while the HTML page or the Excel workbook of the new report is written (in its
    work folder), or already when the output folder is checked."""
    out = tmp_path / "hasil"
    before = old_outputs(out)
    if when == "html":
        real_write_text = Path.write_text

        def write_text(self, *args, **kwargs):
            if self.suffix == ".html" and self.parent.name.startswith(".iku-tmp-"):
                _full_disk()
            return real_write_text(self, *args, **kwargs)

        monkeypatch.setattr(Path, "write_text", write_text)
    elif when == "excel":
        monkeypatch.setattr(report, "write_capaian_workbook", _full_disk)
    else:
        import iku_lib.outputs as outputs

        real_mkstemp = outputs.tempfile.mkstemp

        def mkstemp(*args, **kwargs):
            if str(kwargs.get("prefix", "")).startswith(".iku-tmp-uji-"):
                _full_disk()
            return real_mkstemp(*args, **kwargs)

        monkeypatch.setattr(outputs.tempfile, "mkstemp", mkstemp)
    code, err = report_in_process(capsys, out)
    line = one_line(err)
    assert code == 1 and "disk penuh" in line
    assert str(out / "2022") in line if when != "probe" else str(out) in line
    assert tree(out) == before  # the last good report and index, byte for byte
    assert hidden(out) == []  # no work folder, no temporary store left


def test_a_report_folder_is_never_half_replaced(tmp_path):
    """What readers of the folder can see while `replace_folder` runs: the old set or the new
    set of files, nothing else (the exchange is one step)."""
    from iku_lib.outputs import make_work_dir, remove_work_dir, replace_folder

    target = tmp_path / "2022"
    target.mkdir()
    (target / "a.html").write_text("lama", encoding="utf-8")
    for round_ in range(3):
        new = make_work_dir(tmp_path, "2022")
        (new / "a.html").write_text(f"baru {round_}", encoding="utf-8")
        (new / "b.xlsx").write_text(f"baru {round_}", encoding="utf-8")
        replace_folder(new, target)
        assert (new / "a.html").exists()  # the work folder now holds the previous version ...
        remove_work_dir(new)  # ... removed with it
        assert (target / "a.html").read_text(encoding="utf-8") == f"baru {round_}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2022"]


@pytest.mark.parametrize("command", [["validate"], ["compute", "--year", "2022"], ["report", "--year", "2022"],
                                     ["template", "--year", "2024", "--out", "formulir"]])
def test_an_empty_data_dir_is_refused_by_every_command(command, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # inside a project: an empty --data-dir must not fall back to its data/raw
    code = cli.main([*command, "--data-dir", ""])
    line = one_line(capsys.readouterr().err)
    assert code == 1 and line.startswith("--data-dir kosong")
    assert not (ROOT / "formulir").exists()


def test_an_empty_output_dir_is_refused(capsys, stub_papermill):
    code = cli.main(["report", "--year", "2022", "--data-dir", str(KECIL), "--output-dir", " "])
    assert code == 1 and one_line(capsys.readouterr().err).startswith("--output-dir kosong")
    assert stub_papermill == []


# --- killed ------------------------------------------------------------------------------------------

MARK = "IKU_UJI_PENANDA"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("robust") / "proyek"
    result = run_iku("init", "--contoh", str(folder))
    assert result.returncode == 0, result.stderr
    return folder


def marked(marker: str) -> list[tuple[int, str]]:
    """Every live process (not a zombie) whose environment holds MARK=marker: the command and
    everything it started, orphans included, as jupyter kernels inherit the environment."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if f"{MARK}={marker}".encode() not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            status = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if status not in ("Z", "X"):
            found.append((int(entry.name), command))
    return found


def start(project: Path, marker: str, *args: str) -> subprocess.Popen:
    env = dict(os.environ, **{MARK: marker})
    return subprocess.Popen([sys.executable, "-m", "iku_lib", "report", *args], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_for(condition, what: str, proc: subprocess.Popen, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while True:
        found = condition()
        if found:
            return found
        if proc.poll() is not None:
            raise AssertionError(f"iku report ended before {what}: {proc.communicate()}")
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def kernels(marker: str) -> list[int]:
    return [pid for pid, command in marked(marker) if "ipykernel_launcher" in command]


def gone(marker: str, seconds: float) -> list[tuple[int, str]]:
    deadline = time.monotonic() + seconds
    while (left := marked(marker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*")}


pytestmark_linux = pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="membaca proses dari /proc")


@pytestmark_linux
@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C"])
def test_stopping_report_jobs_2_stops_workers_and_kernels(project, how):
    out = project / "outputs"
    (out / "2019").mkdir(parents=True, exist_ok=True)
    (out / "2019" / "evaluasi-tahunan-2019.html").write_text("laporan lama", encoding="utf-8")
    marker = uuid.uuid4().hex
    proc = start(project, marker, "--all", "--jobs", "2")
    try:
        wait_for(lambda: len(kernels(marker)) >= 2, "two kernels (grandchildren) running", proc)
        started = marked(marker)
        assert len(started) >= 5  # the command, two workers, two kernels (and the resource tracker)
        if how == "SIGTERM":
            proc.send_signal(signal.SIGTERM)
            signum = signal.SIGTERM
        else:  # a terminal's Ctrl-C: SIGINT to the whole foreground process group
            os.killpg(proc.pid, signal.SIGINT)
            signum = signal.SIGINT
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 128 + signum, stderr
    line = one_line(stderr)
    assert line.startswith("iku report dihentikan") and "folder sementara dihapus" in line
    assert gone(marker, 5) == [], f"processes outlived iku report: {marked(marker)} (started: {started})"
    assert hidden(out) == []  # the work folders were removed on the way out
    # the report folders hold the last good report or a complete new one
    done_2019 = sorted(p.name for p in (out / "2019").iterdir())
    assert done_2019 == ["evaluasi-tahunan-2019.html"] or "capaian-2019.xlsx" in done_2019
    before = snapshot(out)
    time.sleep(1.0)
    assert snapshot(out) == before  # nothing goes on writing


@pytestmark_linux
def test_a_run_killed_with_sigkill_leaves_work_folders_the_next_run_removes(project):
    out = project / "outputs"
    marker = uuid.uuid4().hex
    proc = start(project, marker, "--all", "--jobs", "2")

    def work_folders():
        return sorted(p.name for p in out.glob(".iku-tmp-*") if p.is_dir()) if out.is_dir() else []

    def locked_folders():  # a folder gets its lock file just after it appears (outputs.make_work_dir)
        return [name for name in work_folders() if (out / f"{name}.kunci").exists()]

    try:
        wait_for(lambda: len(locked_folders()) >= 2, "the workers' work folders, each with its lock file", proc)
        os.killpg(proc.pid, signal.SIGKILL)  # the command and its workers, at once: nothing can clean up
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert gone(marker, 5) == []  # the kernels end by themselves once their worker is gone
    stale = work_folders()
    assert len(stale) >= 2 and all((out / f"{name}.kunci").exists() for name in stale)
    # A folder someone else is still using (its lock file held) is not touched by the next run.
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from iku_lib.outputs import make_work_dir\n"
        f"print(make_work_dir(Path({str(out)!r}), 'lain'), flush=True); time.sleep(120)")],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        busy = Path(holder.stdout.readline().strip())
        result = run_iku("report", "--year", "2023", "--jobs", "1", cwd=project)
        assert result.returncode == 0, result.stderr
        assert busy.is_dir()
        left = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
        assert left == sorted([busy.name, busy.name + ".kunci"])  # the killed run's folders are gone
    finally:
        holder.kill()
        holder.wait()
    assert (out / "2023" / "evaluasi-tahunan-2023.html").is_file()
