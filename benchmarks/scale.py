"""The measurements behind docs/scale.md: DuckDB alone (benchmarks/duckdb_compute.py) on the
national data and on `--factor` times its rows, in and out of core.

    .venv/bin/python benchmarks/scale.py --work DIR [--factor 10] [--limits 1GB,256MB] [--repeat 1]

1. generate the national data (5 years) and the same desa over 5 x factor years
   (make_national.py --years), and copy the latter with every data file converted to
   Parquet (same columns; the conversion is timed);
2. run duckdb_compute.py at --level kecamatan and at all levels (CSV output, and Parquet
   output for all levels), on CSV input and on the Parquet copy, with DuckDB's default
   memory limit (80% of RAM) and with each of --limits (SET memory_limit, and a
   temp_directory under DIR where DuckDB spills what does not fit); also with all years in one
   pass (--years-per-pass 0, the baseline's default being passes of 5 years), to see DuckDB
   hold or spill what grows with the data; and, for CSV input and output, on one thread (SET
   threads = 1) to see what a core does;
3. report wall seconds (median of --repeat), peak resident memory of the process, the
   largest size the temp directory reached while it ran (polled every 20 ms: DuckDB's
   spill), the input and output sizes, and rows per second.

Writes DIR/scale.json and prints a table. Everything is written under DIR (outside the
repository); the large outputs are deleted after each run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = sys.executable
DUCK = HERE / "duckdb_compute.py"
sys.path.insert(0, str(HERE))

from run import LAUNCHER, peak_kib  # the harness's launcher: a fresh interpreter reporting the peak


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.stat(os.path.join(root, name)).st_size
            except FileNotFoundError:  # a spill file removed while we looked
                pass
    return total


def run(cmd: list, temp: Path | None) -> dict:
    """Run `cmd` through the launcher: wall seconds, peak RSS (MiB), peak size of `temp` (MiB)."""
    peak_temp = 0
    done = threading.Event()

    def poll():
        nonlocal peak_temp
        while not done.is_set():
            if temp is not None and temp.exists():
                peak_temp = max(peak_temp, size_of(temp))
            time.sleep(0.02)

    watcher = threading.Thread(target=poll, daemon=True)
    began = time.perf_counter()
    watcher.start()
    proc = subprocess.run([PY, "-S", "-c", LAUNCHER, *map(str, cmd)], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - began
    done.set()
    watcher.join()
    stderr = proc.stderr.decode(errors="replace")
    result = {"seconds": seconds, "peak_mib": peak_kib(stderr) / 1024, "spill_mib": peak_temp / 2**20}
    if proc.returncode != 0:  # e.g. DuckDB's "Out of Memory Error" under a tight memory_limit: recorded
        lines = [line for line in stderr.splitlines() if "Error" in line]
        result["error"] = lines[-1] if lines else f"exit status {proc.returncode}"
    return result


def generate(folder: Path, years: int) -> float:
    if (folder / "desa.csv").exists():
        return float("nan")
    began = time.perf_counter()
    subprocess.run([PY, str(HERE / "make_national.py"), str(folder), "--area-targets", "kabupaten",
                    "--years", str(years)], check=True)
    return time.perf_counter() - began


def to_parquet(source: Path, target: Path) -> float:
    """A copy of the data directory with every year file as Parquet (columns as in the CSV:
    desa as text, variables as DOUBLE); desa.csv and target.csv copied. Returns the seconds."""
    import duckdb

    sys.path.insert(0, str(HERE))
    from duckdb_compute import header, lit

    if (target / "desa.csv").exists():
        return float("nan")
    began = time.perf_counter()
    target.mkdir(parents=True, exist_ok=True)
    for name in ("desa.csv", "target.csv"):
        shutil.copy(source / name, target / name)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    for folder in sorted(p for p in source.iterdir() if p.is_dir()):
        (target / folder.name).mkdir(exist_ok=True)
        for path in sorted(folder.glob("*.csv")):
            cols = header(path)
            types = ", ".join(f"{lit(c)}: {lit('VARCHAR' if c == 'desa' else 'DOUBLE')}" for c in cols)
            con.execute(f"COPY (SELECT * FROM read_csv({lit(path)}, header = true, auto_detect = false, delim = ',', "
                        f"columns = {{{types}}})) TO {lit(target / folder.name / (path.stem + '.parquet'))} "
                        f"(FORMAT parquet)")
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", required=True, help="working directory, outside the repository")
    parser.add_argument("--factor", type=int, default=10, help="rows relative to the national 5-year data")
    parser.add_argument("--limits", default="1GB,256MB", help="DuckDB memory limits to run with (comma-separated)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--skip-1x", action="store_true", help="only the large data")
    args = parser.parse_args(argv)
    work = Path(args.work).resolve()
    if work == REPO or REPO in work.parents:
        raise SystemExit("--work must be outside the repository")
    work.mkdir(parents=True, exist_ok=True)
    limits = [None] + [x for x in args.limits.split(",") if x]
    results: dict = {"nproc": os.cpu_count(), "load": os.getloadavg(), "factor": args.factor, "runs": [],
                     "date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    sizes = ([] if args.skip_1x else [(1, 5)]) + [(args.factor, 5 * args.factor)]
    for factor, years in sizes:
        csv_dir = work / f"national-{years}y"
        pq_dir = work / f"national-{years}y-parquet"
        gen = generate(csv_dir, years)
        conv = to_parquet(csv_dir, pq_dir)
        data = {"factor": factor, "years": years, "csv_mib": size_of(csv_dir) / 2**20,
                "parquet_mib": size_of(pq_dir) / 2**20, "generate_s": gen, "to_parquet_s": conv,
                "input_rows": 82503 * years}
        results.setdefault("data", []).append(data)
        print(f"== {factor}x: {years} years, CSV {data['csv_mib']:.0f} MiB, Parquet {data['parquet_mib']:.0f} MiB "
              f"(conversion {conv:.1f} s)", flush=True)
        # (input, level, output, memory limit, threads, years per pass); None: the default
        cases = [(src, level, fmt, limit, None, None)
                 for src, level, fmt in (("csv", "kecamatan", "csv"), ("csv", "all", "csv"))
                 for limit in limits]
        cases += [("csv", level, "csv", limit, None, 0) for level in ("kecamatan", "all") for limit in limits]
        cases += [("csv", "all", "parquet", None, None, None), ("parquet", "kecamatan", "csv", None, None, None),
                  ("parquet", "all", "parquet", None, None, None),
                  ("csv", "kecamatan", "csv", None, 1, None), ("csv", "all", "csv", None, 1, None)]
        for source, level, out_format, limit, threads, per_pass in cases:
            if factor == 1 and (limit is not None or per_pass is not None):
                continue  # 1x (one pass of 5 years anyway): the reference only
            temp = work / "spill"
            shutil.rmtree(temp, ignore_errors=True)
            out = work / f"out.{out_format}"
            cmd = [PY, DUCK, pq_dir if source == "parquet" else csv_dir, out, "--format", out_format]
            if level != "all":
                cmd += ["--level", level]
            if limit is not None:
                cmd += ["--memory-limit", limit, "--temp-dir", temp]
            if threads is not None:
                cmd += ["--threads", str(threads)]
            if per_pass is not None:
                cmd += ["--years-per-pass", str(per_pass)]
            passes = "all" if per_pass == 0 else str(per_pass or 5)
            runs = []
            for _ in range(args.repeat):
                runs.append(run(cmd, temp if limit is not None else None))
                out_mib = size_of(out) / 2**20 if out.exists() else float("nan")
                out.unlink(missing_ok=True)
                for part in work.glob("out.*.part"):
                    part.unlink()
                if "error" in runs[-1]:
                    break
            shutil.rmtree(temp, ignore_errors=True)
            if "error" in runs[-1]:
                results["runs"].append({"factor": factor, "input": source, "level": level, "output": out_format,
                                        "memory_limit": limit, "threads": threads or os.cpu_count(),
                                        "years_per_pass": passes,
                                        "error": runs[-1]["error"], "seconds": runs[-1]["seconds"],
                                        "peak_mib": runs[-1]["peak_mib"], "spill_mib": runs[-1]["spill_mib"]})
                print(f"  {source:7} -> {level:9} {out_format:7} limit {limit or 'default':7} threads "
                      f"{threads or os.cpu_count()} years/pass {passes:3}: FAILED after {runs[-1]['seconds']:.1f} s: {runs[-1]['error']}",
                      flush=True)
                continue
            seconds = statistics.median(r["seconds"] for r in runs)
            record = {"factor": factor, "input": source, "level": level, "output": out_format,
                      "memory_limit": limit or "default (80% of RAM)", "threads": threads or os.cpu_count(),
                      "years_per_pass": passes,
                      "seconds": seconds, "times": [r["seconds"] for r in runs],
                      "peak_mib": max(r["peak_mib"] for r in runs), "spill_mib": max(r["spill_mib"] for r in runs),
                      "output_mib": out_mib, "input_rows_per_s": data["input_rows"] / seconds,
                      "load": os.getloadavg()[0]}
            results["runs"].append(record)
            print(f"  {source:7} -> {level:9} {out_format:7} limit {limit or 'default':7} threads "
                  f"{record['threads']} years/pass {passes:3}: {seconds:7.2f} s, peak {record['peak_mib']:6.0f} MiB, spill "
                  f"{record['spill_mib']:6.0f} MiB, output {out_mib:6.0f} MiB, "
                  f"{record['input_rows_per_s'] / 1e3:5.0f} k desa-years/s (load {record['load']:.1f})", flush=True)
    (work / "scale.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"results: {work / 'scale.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
