"""The DuckDB query (`engine.query`, used by `compute`) gives the table `compute_year` gives.

`compute_year` is the pandas reference: a year at a time, array by array. Every data case
under tests/data that can be computed, and the shipped data, is computed both ways: the
tables must be equal, row for row, to the last bit of every number.
"""

from __future__ import annotations

import pandas as pd
import pytest

from iku_lib import compute, compute_year, load_dataset
from iku_lib.exceptions import IkuError

from ..conftest import DATA, RAW

CASES = sorted(p for p in DATA.iterdir() if p.is_dir() and (p / "desa.csv").exists())


def _computable(data_dir):
    try:
        dataset = load_dataset(data_dir, store=False)
    except IkuError:
        return None
    if dataset.errors or not dataset.years or dataset.catalog.direct_ids:
        return None
    return dataset


@pytest.mark.parametrize("data_dir", CASES + [RAW], ids=lambda p: p.name)
def test_the_query_gives_the_reference_table(data_dir):
    dataset = _computable(data_dir)
    if dataset is None:
        pytest.skip("errors in the data, or indicators reported directly (computed by compute_year)")
    reference = pd.concat([compute_year(dataset, y) for y in dataset.years], ignore_index=True)
    pd.testing.assert_frame_equal(compute(dataset), reference, check_exact=True)


@pytest.mark.parametrize("level", ["desa", "kecamatan", "kabupaten", "provinsi"])
def test_one_level_is_the_reference_filtered(level):
    dataset = _computable(DATA / "hierarki")
    years = list(reversed(dataset.years))  # the order asked is kept
    reference = pd.concat([compute_year(dataset, y) for y in years], ignore_index=True)
    reference = reference[reference["level"] == level].reset_index(drop=True)
    assert len(reference)
    pd.testing.assert_frame_equal(compute(dataset, years, level=level), reference, check_exact=True)
