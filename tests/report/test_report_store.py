"""`iku report` parses the raw data once: the CLI loads the dataset through the processed store,
and every notebook kernel and worker process loads that store (issue 10).

Every Python process of a run (the CLI, the papermill kernels, the `--jobs` workers) is counted:
a `sitecustomize` module on PYTHONPATH, used by these tests only, wraps `dataset._read_raw`
(the raw parse behind `load_dataset`) and `store.load` (a dataset loaded from the store) to
append one line per call to a log file; the store lines show the hook is alive in every
process.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from ..conftest import KECIL, RAW, ROOT

HOOK = '''
import os
if os.environ.get("IKU_UJI_LOG_PARSE"):
    from iku_lib.ingest import dataset as _dataset, store as _store

    def _log(what):
        with open(os.environ["IKU_UJI_LOG_PARSE"], "a", encoding="utf-8") as fh:
            fh.write(f"{what} {os.getpid()}\\n")

    _parse, _load = _dataset._read_raw, _store.load

    def _counted_parse(data_dir=None, **options):
        _log("parse")
        return _parse(data_dir, **options)

    def _counted_load(*args, **kwargs):
        found = _load(*args, **kwargs)
        if found is not None:
            _log("store")
        return found

    _dataset._read_raw, _store.load = _counted_parse, _counted_load
'''

YEARS_LEFT_OUT = {"2019", "2020"}  # of the shipped data, in `project_runs`
_ROOT = Path(tempfile.mkdtemp(prefix="iku-store-report-"))
atexit.register(shutil.rmtree, _ROOT, True)


def _iku(log: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    hook = _ROOT / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    env = dict(os.environ, IKU_UJI_LOG_PARSE=str(log), SOURCE_DATE_EPOCH="1700000000",
               PYTHONPATH=os.pathsep.join([str(hook), *filter(None, [os.environ.get("PYTHONPATH")])]))
    return subprocess.run([sys.executable, "-m", "iku_lib", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=900)


def _lines(log: Path) -> list[tuple[str, int]]:
    """(parse or store, process id) per call, in order."""
    if not log.exists():
        return []
    return [(what, int(pid)) for what, pid in (line.split() for line in log.read_text(encoding="utf-8").splitlines())]


@functools.cache
def project_runs():
    """A project holding the shipped data of 2021-2023 (three years and the trend: four kernels,
    enough to count and quicker than five years): `iku report --all`, then `iku report --year 2023`."""
    project = _ROOT / "proyek"
    project.mkdir()
    (project / "iku.toml").write_text('[proyek]\nnama = "Uji"\n', encoding="utf-8")
    shutil.copytree(RAW, project / "data" / "raw", ignore=lambda folder, names: [n for n in names if n in YEARS_LEFT_OUT])
    first_log, second_log = _ROOT / "pertama.log", _ROOT / "kedua.log"
    first = _iku(first_log, "report", "--all", "--jobs", "1", cwd=project)
    second = _iku(second_log, "report", "--year", "2023", "--jobs", "1", cwd=project)
    return project, first, _lines(first_log), second, _lines(second_log)


@functools.cache
def outside_run():
    """`iku report --all --jobs 2` on a data directory in no project."""
    data = _ROOT / "luar" / "data"
    shutil.copytree(KECIL, data)
    out = _ROOT / "luar" / "hasil"
    log = _ROOT / "luar.log"
    result = _iku(log, "report", "--all", "--data-dir", str(data), "--output-dir", str(out), "--jobs", "2",
                  cwd=_ROOT / "luar")
    return data, out, result, _lines(log)


def test_the_hook_sees_a_parse():
    log = _ROOT / "hook.log"
    result = _iku(log, "validate", "--data-dir", str(KECIL), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert [what for what, _ in _lines(log)] == ["parse"]


def test_report_all_parses_the_raw_data_once_in_total():
    _, first, lines, _, _ = project_runs()
    assert first.returncode == 0, first.stderr
    assert "[4/4] tren 2021–2023" in first.stdout
    (cli,) = [pid for what, pid in lines if what == "parse"]  # one parse, in the CLI
    kernels = [pid for what, pid in lines if what == "store"]
    assert len(kernels) == 4 and len(set(kernels)) == 4 and cli not in kernels  # 4 kernels, each from the store


def test_a_second_report_on_unchanged_data_parses_no_raw_file():
    _, _, _, second, lines = project_runs()
    assert second.returncode == 0, second.stderr
    assert [what for what, _ in lines] == ["store", "store"]  # the CLI and the one kernel


def test_the_report_names_the_processed_store_manifest_and_its_hash():
    project, _, _, _, _ = project_runs()
    (folder,) = (project / "data" / "processed").glob("dataset-*")
    manifest = folder / "manifest.json"
    digest = hashlib.sha256(manifest.read_bytes()).hexdigest()
    shown = f"data/processed/{folder.name}/manifest.json"
    for html in (project / "outputs" / "2023" / "evaluasi-tahunan-2023.html", project / "outputs" / "tren" /
                 "tren-2021-2023.html"):
        text = html.read_text(encoding="utf-8")
        assert re.search(rf"<th>Data olahan \(manifest\)</th><td>{re.escape(shown)}</td>", text), html
        assert re.search(rf"<th>SHA-256 manifest data olahan</th><td>{digest}</td>", text), html
    # the manifest holds the raw files' hashes the report lists
    inputs = json.loads(manifest.read_text(encoding="utf-8"))["inputs"]
    entries = {e["path"]: e["sha256"] for e in inputs if "sha256" in e}
    pbb = (project / "data" / "raw" / "2023" / "pbb.csv").read_bytes()
    assert entries["2023/pbb.csv"] == hashlib.sha256(pbb).hexdigest()
    assert hashlib.sha256(pbb).hexdigest() in (project / "outputs" / "2023" / "evaluasi-tahunan-2023.html").read_text(
        encoding="utf-8")


def test_outside_a_project_one_parse_feeds_the_workers_and_kernels():
    data, out, result, lines = outside_run()
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert [what for what, _ in lines].count("parse") == 1, lines  # the CLI
    # Each worker (two, or one that ran both jobs) once, and each of the two kernels: the run's store.
    loads = [pid for what, pid in lines if what == "store"]
    assert len(loads) in (3, 4) and len(set(loads)) == len(loads)


def test_outside_a_project_the_temporary_store_is_gone_and_nothing_is_written_beside_the_data():
    data, out, _, _ = outside_run()
    assert not [p for p in out.rglob("*") if p.name.startswith(".")]
    assert sorted(p.name for p in data.parent.iterdir()) == ["data", "hasil"]
    assert {p.relative_to(data) for p in data.rglob("*")} == {p.relative_to(KECIL) for p in KECIL.rglob("*")}


def test_the_kept_notebooks_do_not_name_the_run_s_store():
    data, out, _, _ = outside_run()
    for path in [*out.rglob("*.ipynb")]:
        nb = nbformat.read(path, as_version=4)
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert len(injected) == 1 and "processed_dir" not in injected[0].source, path
        assert "data_dir" in injected[0].source
        assert "processed_dir" not in nb.metadata["papermill"]["parameters"]
    html = (out / "2022" / "evaluasi-tahunan-2022.html").read_text(encoding="utf-8")
    assert re.search(r"<th>Data olahan \(manifest\)</th><td>dataset-[0-9a-f]{16}/manifest.json</td>", html)
