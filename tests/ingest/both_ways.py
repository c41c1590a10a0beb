"""A dataset read with a reader's fast path (`ENABLED`) and without it, and the comparison of
the two: shared by the tests of `textsql`, `regular` and `ahead`."""

from __future__ import annotations

import pandas as pd

from iku_lib import load_dataset


def read_both_ways(data_dir, monkeypatch, module):
    """The dataset of `data_dir` read with `module.ENABLED` (outside any store), then without."""
    fast = load_dataset(data_dir, store=False)
    monkeypatch.setattr(module, "ENABLED", False)
    slow = load_dataset(data_dir, store=False)
    monkeypatch.setattr(module, "ENABLED", True)
    return fast, slow


def assert_same_dataset(a, b):
    """The same problems, observations, repeated values, wide table and years."""
    assert a.problems == b.problems
    pd.testing.assert_frame_equal(a.observations, b.observations)
    pd.testing.assert_frame_equal(a.repeated, b.repeated)
    pd.testing.assert_frame_equal(a.db.execute("SELECT * FROM _obs_wide").df(),
                                  b.db.execute("SELECT * FROM _obs_wide").df())
    assert a.years == b.years
