"""Aggregation invariants, checked on generated data (hypothesis)."""

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from iku_lib.ingest.catalog import load_catalog
from iku_lib.engine.compute import aggregate, desa_table, with_parents

CATALOG = load_catalog()
RATIO = "IKU-03"  # perangkat_melanggar / perangkat_desa x 100, dikecualikan
FLAG = "IKU-05"   # rkp_tepat_waktu / number of desa x 100, tidak_tercapai

counts = st.one_of(st.none(), st.integers(min_value=0, max_value=10_000))
desa_rows = st.lists(st.tuples(counts, counts, st.one_of(st.none(), st.sampled_from([0, 1]))),
                     min_size=1, max_size=30)


def frames(rows):
    codes = [f"99{i:08d}" for i in range(len(rows))]
    register = pd.DataFrame({"kode_desa": codes, "nama_desa": [f"Desa {i}" for i in range(len(rows))]})
    values = pd.DataFrame(np.nan, index=pd.Index(codes, name="kode_desa"), columns=list(CATALOG.variables))
    for code, (num, den, flag) in zip(codes, rows):
        values.loc[code, ["perangkat_melanggar", "perangkat_desa", "rkp_tepat_waktu"]] = [
            np.nan if v is None else float(v) for v in (num, den, flag)]
    return values, with_parents(register, CATALOG)


def kecamatan(values, register):
    desa = desa_table(values, register, CATALOG, 2022)
    return aggregate(desa, register, CATALOG, "kecamatan").set_index("indikator")


@settings(max_examples=200, deadline=None)
@given(desa_rows)
def test_kecamatan_value_is_ratio_of_sums(rows):
    values, register = frames(rows)
    kec = kecamatan(values, register)
    # separate, simpler computation: plain Python over the rows
    both = [(n, d) for n, d, _ in rows if n is not None and d is not None]
    num, den = sum(n for n, _ in both), sum(d for _, d in both)
    got = kec.loc[RATIO, "nilai"]
    if not both or den == 0:
        assert math.isnan(got)
    else:
        assert got == num / den * 100
    flags = sum(f for _, _, f in rows if f is not None)
    assert kec.loc[FLAG, "nilai"] == flags / len(rows) * 100  # missing flag = not achieved


@settings(max_examples=100, deadline=None)
@given(desa_rows, st.randoms(use_true_random=False))
def test_permuting_desa_changes_nothing(rows, rnd):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    a = kecamatan(*frames(rows))
    b = kecamatan(*frames(shuffled))
    for ident in (RATIO, FLAG):
        for column in ("pembilang", "penyebut"):
            assert a.loc[ident, column] == b.loc[ident, column] or (
                math.isnan(a.loc[ident, column]) and math.isnan(b.loc[ident, column]))
        assert math.isclose(a.loc[ident, "nilai"], b.loc[ident, "nilai"], rel_tol=1e-12) or (
            math.isnan(a.loc[ident, "nilai"]) and math.isnan(b.loc[ident, "nilai"]))


@settings(max_examples=100, deadline=None)
@given(desa_rows)
def test_kecamatan_sums_are_the_sums_of_counted_desa_rows(rows):
    values, register = frames(rows)
    desa = desa_table(values, register, CATALOG, 2022)
    kec = aggregate(desa, register, CATALOG, "kecamatan").set_index("indikator")
    for ident in (RATIO, FLAG):
        counted = desa[(desa["indikator"] == ident) & desa["dihitung"]]
        if counted.empty:
            assert math.isnan(kec.loc[ident, "pembilang"])
        else:
            assert kec.loc[ident, "pembilang"] == counted["pembilang"].fillna(0).sum()
            assert kec.loc[ident, "penyebut"] == counted["penyebut"].sum()


@settings(max_examples=100, deadline=None)
@given(desa_rows)
def test_desa_values_are_never_infinite(rows):
    values, register = frames(rows)
    desa = desa_table(values, register, CATALOG, 2022)
    assert not np.isinf(desa["nilai"]).any()
