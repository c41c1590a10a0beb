"""Shared fixtures: paths to the test data sets and a runner for the `iku` command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = TESTS / "data"
KECIL = DATA / "kecil"  # 3 desa, 2022: worked by hand in test_compute.py
RAW = ROOT / "data" / "raw"


def write_catalog(folder: Path, ids: list[str]) -> Path:
    """Write `folder/iku.yaml`: the default catalog with only the indicators `ids` (every variable
    kept), and keep only their rows in `folder/target.csv` if there is one. A data set that measures only some indicators says so: a year's files must hold the
    variables of every indicator of the catalog (`ingest.coverage`)."""
    import yaml

    catalog = yaml.safe_load((ROOT / "iku_lib" / "data" / "iku.yaml").read_text(encoding="utf-8"))
    catalog["indikator"] = [i for i in catalog["indikator"] if i["id"] in ids]
    path = Path(folder) / "iku.yaml"
    path.write_text(f"# The default catalog with only {', '.join(ids)} (tests/conftest.py write_catalog).\n"
                    + yaml.safe_dump(catalog, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8")
    targets = Path(folder) / "target.csv"
    if targets.exists():  # the targets of the other indicators would be unknown indicators
        head, *rows = targets.read_text(encoding="utf-8").splitlines(keepends=True)
        targets.write_text(head + "".join(r for r in rows if r.split(",", 1)[0] in ids), encoding="utf-8")
    return path


def run_iku(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the `iku` command as a user would (a separate process)."""
    return subprocess.run([sys.executable, "-m", "iku_lib", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=300)


@pytest.fixture
def iku():
    return run_iku


@pytest.fixture(scope="module")
def kecil():
    """`kecil` read and computed for 2022: (dataset, indicator table). Tests only read it."""
    from iku_lib import compute, load_dataset

    dataset = load_dataset(KECIL)
    return dataset, compute(dataset, 2022)


# `make test` runs the suite with pytest-xdist (`--dist loadfile`: a test file runs whole on one
# worker, its module fixtures made once). The longest files go first (measured with
# `--durations`, minutes each on 2 cores), so that no worker starts one while the other idles.
# The report runs two files share (`report_runs.shipped`, `unseen`) are made once for all
# workers, in a folder this process makes for them (`report_runs.SHARED_VARIABLE`); the other
# of the two, test_browser.py, keeps its place, so that it rarely waits for them.
LONGEST_FIRST = ["tests/test_installed.py", "tests/test_benchmarks.py", "tests/report/test_report_store.py",
                 "tests/report/test_report.py", "tests/report/test_report_areas.py",
                 "tests/report/test_report_robust.py", "tests/report/test_comparison.py",
                 "tests/report/test_quarterly_report.py", "tests/cli/test_verify_cli.py"]


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable: the rest keep their order


def pytest_configure(config):
    from .report_runs import SHARED_VARIABLE

    if not hasattr(config, "workerinput") and SHARED_VARIABLE not in os.environ:  # the main process
        config._iku_shared_runs = tempfile.mkdtemp(prefix="iku-report-runs-")
        os.environ[SHARED_VARIABLE] = config._iku_shared_runs


def pytest_unconfigure(config):
    from .report_runs import SHARED_VARIABLE

    folder = getattr(config, "_iku_shared_runs", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop(SHARED_VARIABLE, None)
