"""Shared fixtures: paths to the test data sets and a runner for the `iku` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = TESTS / "data"
KECIL = DATA / "kecil"  # 3 desa, 2022: worked by hand in test_compute.py
RAW = ROOT / "data" / "raw"


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
