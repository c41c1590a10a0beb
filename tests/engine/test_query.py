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


@pytest.mark.parametrize("whole", [True, False], ids=["rolled-up", "each-from-desa"])
def test_levels_are_the_reference_however_they_are_summed(monkeypatch, whole):
    """Levels above the lowest are summed from its sums when `_whole_sums` allows it, else each
    from the desa rows: the same table either way, at every level."""
    from iku_lib.engine import query

    dataset = _computable(DATA / "hierarki")
    assert query._whole_sums(dataset.db, dataset.catalog, dataset.years)  # its counts: the rolled-up way
    monkeypatch.setattr(query, "_whole_sums", lambda *args: whole)
    reference = pd.concat([compute_year(dataset, y) for y in dataset.years], ignore_index=True)
    assert set(reference["level"]) == {"desa", "kecamatan", "kabupaten", "provinsi"}
    pd.testing.assert_frame_equal(compute(dataset), reference, check_exact=True)


def _whole(values: dict[str, list]) -> bool:
    """`_whole_sums` of a tiny `_obs_wide` holding `values` (x<v> columns) in 2022."""
    import duckdb

    from iku_lib.engine.query import _whole_sums

    class Catalog:  # the two things `_whole_sums` asks of a catalog
        variables = [f"v{i}" for i in range(len(values))]

        @staticmethod
        def used_variables():
            return Catalog.variables

    db = duckdb.connect()
    rows = len(next(iter(values.values())))
    frame = pd.DataFrame({"tahun": [2022] * rows, **{f"x{i}": v for i, v in enumerate(values.values())}},
                         dtype=object).astype({"tahun": int, **{f"x{i}": str for i in range(len(values))}})
    db.register("_frame", frame)
    casts = ", ".join(f"CAST(nullif(x{i}, 'None') AS DOUBLE) AS x{i}" for i in range(len(values)))
    db.execute(f"CREATE TABLE _obs_wide AS SELECT tahun, {casts} FROM _frame")
    db.execute("INSERT INTO _obs_wide SELECT 2021, * EXCLUDE (tahun) FROM _frame")  # another year: not looked at
    db.execute("UPDATE _obs_wide SET x0 = 0.5 WHERE tahun = 2021")
    return _whole_sums(db, Catalog, [2022])


def test_whole_sums_only_for_whole_numbers_whose_sums_are_exact():
    assert _whole({"a": [1, 2, None], "b": [0, -7, 3]})
    assert _whole({"a": [None, None]})  # no value at all: nothing to sum
    assert not _whole({"a": [1, 2.5]})  # a fraction: sums of parts can round differently
    # |values| adding up to 2^53: a partial sum may no longer be a double (2^53 + 1 is not)
    assert _whole({"a": [2.0 ** 52, 2.0 ** 52 - 1]})
    assert not _whole({"a": [2.0 ** 52, 2.0 ** 52]})
    assert not _whole({"a": [2.0 ** 52, -(2.0 ** 52)]})  # sums to 0, but not every partial sum is small
    assert not _whole({"a": [1, 2], "b": [float("inf"), 1]})
    assert not _whole({"a": [1, 2], "b": ["NaN", 1]})  # (a float NaN in pandas would reach DuckDB as NULL)
