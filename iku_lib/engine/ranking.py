"""Areas side by side: each indicator's ranking of the areas of one level, the summary matrix
of capaian and predikat, and each area's change between two years.

Ranking rules (one ranking per indicator and year):

- by **capaian**, higher first, when at least one area has a capaian for the indicator that
  year (capaian already accounts for polarity: 100% is the target met, whichever way);
- otherwise (no targets at this level) by **nilai**, in the direction of the indicator's
  polarity: higher first for `positif`, lower first for `negatif`;
- ties share the lowest rank (1, 2, 2, 4: "competition" ranking); values equal to 9
  decimals are ties, so floating-point noise never splits two equal values;
- an area without a value has no rank and comes last, with `keterangan` saying why: `tidak
  ada data` (no nilai), or, when the ranking is by capaian, `tidak ada target` (a nilai but
  no target for this area) or `capaian tidak dapat dihitung` (target 0 and a nilai above 0).

Every function takes data frames and returns a new one; nothing is rounded for display.

>>> import pandas as pd
>>> rows = pd.DataFrame({"tahun": 2023, "indikator": "A", "kode_wilayah": ["1", "2", "3", "4"],
...     "nama_wilayah": ["P", "Q", "R", "S"], "nilai": [5.0, 9.0, 7.0, None], "target": float("nan"),
...     "capaian": float("nan"), "predikat": None})
>>> rank_areas(rows, {"A": "negatif"})[["kode_wilayah", "peringkat", "keterangan"]].values.tolist()
[['1', 1, ''], ['3', 2, ''], ['2', 3, ''], ['4', <NA>, 'tidak ada data']]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

BY_CAPAIAN = "capaian"
BY_NILAI = "nilai"
NO_DATA = "tidak ada data"
NO_TARGET = "tidak ada target"
NO_CAPAIAN = "capaian tidak dapat dihitung"
NO_PREDIKAT = "tanpa predikat"  # the count column of an area's indicators without a capaian
TIE_DECIMALS = 9  # values equal to this many decimals share a rank
NEGATIVE = "negatif"

RANK_COLUMNS = ["tahun", "indikator", "dasar", "peringkat", "kode_wilayah", "nama_wilayah", "nilai", "target",
                "capaian", "predikat", "keterangan"]
CHANGE_COLUMNS = ["indikator", "kode_wilayah", "nama_wilayah", "nilai_awal", "nilai_akhir", "selisih",
                  "capaian_awal", "capaian_akhir", "selisih_capaian", "peringkat_awal", "peringkat_akhir",
                  "naik_peringkat"]


def _indicator_order(idents: pd.Series, order: Sequence[str] | None) -> pd.Series:
    """Each row's position of its indicator in `order` (unlisted ones after, by first appearance)."""
    known = list(order or [])
    extra = [i for i in pd.unique(idents) if i not in set(known)]
    position = {ident: k for k, ident in enumerate(known + extra)}
    return idents.map(position)


def rank_areas(table: pd.DataFrame, polaritas: Mapping[str, str], order: Sequence[str] | None = None) -> pd.DataFrame:
    """The ranking of the areas in `table` for every indicator and year it holds.

    `table` holds the rows of one level (columns `tahun, indikator, kode_wilayah,
    nama_wilayah, nilai, target, capaian, predikat`, as `compute` gives them); `polaritas`
    maps an indicator id to `positif`/`negatif`; `order` is the indicators' order (the
    catalog's). Returns RANK_COLUMNS, sorted by year, indicator, rank (areas without a rank
    last), then kode_wilayah; `peringkat` is a nullable integer, `dasar` says what the
    indicator was ranked by (`capaian` or `nilai`).
    """
    out = pd.DataFrame({
        "tahun": table["tahun"].astype(int).to_numpy(),
        "indikator": table["indikator"].astype(str).to_numpy(),
        "kode_wilayah": table["kode_wilayah"].astype(str).to_numpy(),
        "nama_wilayah": table["nama_wilayah"].astype(object).to_numpy(),
        "nilai": table["nilai"].to_numpy(dtype=float),
        "target": table["target"].to_numpy(dtype=float),
        "capaian": table["capaian"].to_numpy(dtype=float),
        "predikat": table["predikat"].astype(object).where(table["predikat"].notna(), None).to_numpy(),
    })
    groups = [out["tahun"], out["indikator"]]
    has_capaian = pd.Series(np.isfinite(out["capaian"]), index=out.index).groupby(groups).transform("any")
    by_capaian = has_capaian.to_numpy(dtype=bool)
    out["dasar"] = np.where(by_capaian, BY_CAPAIAN, BY_NILAI)
    negative = out["indikator"].map(lambda i: polaritas.get(i) == NEGATIVE).to_numpy(dtype=bool)
    value = np.where(negative, -out["nilai"].to_numpy(), out["nilai"].to_numpy())
    key = pd.Series(np.round(np.where(by_capaian, out["capaian"].to_numpy(), value), TIE_DECIMALS), index=out.index)
    key = key.where(np.isfinite(key))
    out["peringkat"] = key.groupby(groups).rank(method="min", ascending=False).astype("Int64")
    no_value = ~np.isfinite(out["nilai"].to_numpy())
    no_target = ~np.isfinite(out["target"].to_numpy())
    out["keterangan"] = np.select(
        [no_value, by_capaian & key.isna().to_numpy() & no_target, by_capaian & key.isna().to_numpy()],
        [NO_DATA, NO_TARGET, NO_CAPAIAN], default="")
    out["_ind"] = _indicator_order(out["indikator"], order)
    out["_unranked"] = out["peringkat"].isna()
    out = out.sort_values(["tahun", "_ind", "_unranked", "peringkat", "kode_wilayah"], kind="stable")
    return out[RANK_COLUMNS].reset_index(drop=True)


def _one_year(ranked: pd.DataFrame) -> None:
    if ranked["tahun"].nunique() > 1:
        raise ValueError("the summary matrix is of one year; pass the ranking of one year")


def matrix_indicators(ranked: pd.DataFrame) -> list[str]:
    """The indicators of the summary matrix: those ranked by capaian (some area has one), in
    the ranking's order."""
    return list(pd.unique(ranked.loc[ranked["dasar"] == BY_CAPAIAN, "indikator"]))


def summary_matrix(ranked: pd.DataFrame, indicators: Sequence[str] | None = None) -> pd.DataFrame:
    """Areas x indicators for one year: one row per area (index `kode_wilayah`, sorted, with
    `nama_wilayah` as first column), then per indicator the columns `(<id>, "capaian")` and
    `(<id>, "predikat")` (a two-level column index; the name column is `("nama_wilayah", "")`).

    `ranked` is `rank_areas` of one year; `indicators` default to `matrix_indicators`.
    """
    _one_year(ranked)
    idents = list(indicators) if indicators is not None else matrix_indicators(ranked)
    rows = ranked[ranked["indikator"].isin(idents)]
    names = ranked.drop_duplicates("kode_wilayah").set_index("kode_wilayah")["nama_wilayah"].sort_index()
    out = pd.DataFrame({("nama_wilayah", ""): names.to_numpy()}, index=names.index)
    for ident in idents:
        one = rows[rows["indikator"] == ident].set_index("kode_wilayah").reindex(names.index)
        out[(ident, "capaian")] = one["capaian"].to_numpy(dtype=float)
        out[(ident, "predikat")] = pd.Series([p if isinstance(p, str) else None for p in one["predikat"]],
                                             index=names.index, dtype=object)
    out.columns = pd.MultiIndex.from_tuples(out.columns)
    out.index.name = "kode_wilayah"
    return out


def predikat_counts(ranked: pd.DataFrame, labels: Sequence[str], indicators: Sequence[str] | None = None
                    ) -> pd.DataFrame:
    """Per area (index `kode_wilayah`, sorted, with `nama_wilayah`), how many of `indicators`
    (default `matrix_indicators`) have each predikat of `labels` (in that order), and how
    many have none (`tanpa predikat`: no capaian for that area); the counts add up to the
    number of indicators."""
    _one_year(ranked)
    idents = list(indicators) if indicators is not None else matrix_indicators(ranked)
    names = ranked.drop_duplicates("kode_wilayah").set_index("kode_wilayah")["nama_wilayah"].sort_index()
    rows = ranked[ranked["indikator"].isin(idents)]
    label = rows["predikat"].where(rows["predikat"].isin(list(labels)), NO_PREDIKAT)
    counts = pd.crosstab(rows["kode_wilayah"], label).reindex(index=names.index, columns=[*labels, NO_PREDIKAT],
                                                              fill_value=0)
    counts = counts.fillna(0).astype(int)
    counts[NO_PREDIKAT] += len(idents) - counts.sum(axis=1)  # an area with no row for an indicator
    counts.insert(0, "nama_wilayah", names.to_numpy())
    counts.columns.name = None
    counts.index.name = "kode_wilayah"
    return counts


def area_changes(ranked: pd.DataFrame, first: int, last: int, polaritas: Mapping[str, str],
                 order: Sequence[str] | None = None) -> pd.DataFrame:
    """Each area's change from `first` to `last` per indicator (CHANGE_COLUMNS): nilai and
    capaian in both years and their difference (`last - first`), both ranks and
    `naik_peringkat` (places moved up: first rank minus last rank).

    Sorted per indicator by the improvement (the change in the direction of the indicator's
    polarity, the largest first), areas without a change last, then kode_wilayah.
    """
    keys = ["indikator", "kode_wilayah"]
    cols = keys + ["nama_wilayah", "nilai", "capaian", "peringkat"]
    before = ranked.loc[ranked["tahun"] == first, cols]
    after = ranked.loc[ranked["tahun"] == last, cols]
    both = before.merge(after, on=keys, how="outer", suffixes=("_awal", "_akhir"))
    out = pd.DataFrame({
        "indikator": both["indikator"].to_numpy(),
        "kode_wilayah": both["kode_wilayah"].to_numpy(),
        "nama_wilayah": both["nama_wilayah_akhir"].fillna(both["nama_wilayah_awal"]).to_numpy(),
        "nilai_awal": both["nilai_awal"].to_numpy(dtype=float),
        "nilai_akhir": both["nilai_akhir"].to_numpy(dtype=float),
        "capaian_awal": both["capaian_awal"].to_numpy(dtype=float),
        "capaian_akhir": both["capaian_akhir"].to_numpy(dtype=float),
        "peringkat_awal": both["peringkat_awal"].astype("Int64").to_numpy(),
        "peringkat_akhir": both["peringkat_akhir"].astype("Int64").to_numpy(),
    })
    out["selisih"] = out["nilai_akhir"] - out["nilai_awal"]
    out["selisih_capaian"] = out["capaian_akhir"] - out["capaian_awal"]
    out["peringkat_awal"] = out["peringkat_awal"].astype("Int64")
    out["peringkat_akhir"] = out["peringkat_akhir"].astype("Int64")
    out["naik_peringkat"] = (out["peringkat_awal"] - out["peringkat_akhir"]).astype("Int64")
    sign = np.where(out["indikator"].map(lambda i: polaritas.get(i) == NEGATIVE).to_numpy(dtype=bool), -1.0, 1.0)
    out["_gain"] = -(out["selisih"].to_numpy() * sign)  # ascending sort: the largest improvement first
    out["_none"] = out["selisih"].isna()
    out["_ind"] = _indicator_order(out["indikator"], order)
    out = out.sort_values(["_ind", "_none", "_gain", "kode_wilayah"], kind="stable")
    return out[CHANGE_COLUMNS].reset_index(drop=True)
