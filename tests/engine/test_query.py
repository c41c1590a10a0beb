"""The DuckDB query (`engine.query`, used by `compute`) gives the table `compute_year` gives.

`compute_year` is the pandas reference: a year at a time, array by array. Every data case
under tests/data that can be computed, and the shipped data, is computed both ways: the
tables must be equal, row for row, to the last bit of every number.
"""

from __future__ import annotations

import pandas as pd
import pytest

from iku_lib import compute, compute_year, load_dataset
from iku_lib.exceptions import DataError

from ..conftest import DATA, RAW

# The cases whose catalog has directly reported indicators are computed by `compute_year` itself
# (`compute` does not use the query for them), so they are not compared here.
CASES = sorted(p for p in DATA.iterdir() if p.is_dir() and (p / "desa.csv").exists()
               and "langsung" not in ((p / "iku.yaml").read_text(encoding="utf-8") if (p / "iku.yaml").exists() else ""))


@pytest.mark.parametrize("data_dir", CASES + [RAW], ids=lambda p: p.name)
def test_the_query_gives_the_reference_table(data_dir):
    dataset = load_dataset(data_dir, store=False)
    assert not dataset.catalog.direct_ids
    if dataset.errors:  # nothing is computed from data with errors
        with pytest.raises(DataError):
            compute(dataset)
        return
    reference = pd.concat([compute_year(dataset, y) for y in dataset.years], ignore_index=True)
    pd.testing.assert_frame_equal(compute(dataset), reference, check_exact=True)


def _computable(data_dir):
    dataset = load_dataset(data_dir, store=False)
    assert not dataset.errors and dataset.years and not dataset.catalog.direct_ids
    return dataset


@pytest.mark.parametrize("level", ["desa", "kecamatan", "kabupaten", "provinsi"])
def test_one_level_is_the_reference_filtered(level):
    dataset = _computable(DATA / "hierarki")
    years = list(reversed(dataset.years))  # the order asked is kept
    reference = pd.concat([compute_year(dataset, y) for y in years], ignore_index=True)
    reference = reference[reference["level"] == level].reset_index(drop=True)
    assert len(reference)
    pd.testing.assert_frame_equal(compute(dataset, years, level=level), reference, check_exact=True)
