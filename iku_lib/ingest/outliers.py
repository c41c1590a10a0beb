"""Values that jump far from the same desa's other years: a robust outlier rule.

For each desa and each count or rupiah variable, take the desa's values across the years of
the data directory and compute the modified z-score of Iglewicz and Hoaglin (1993, "How to
Detect and Handle Outliers", ASQC Basic References in Quality Control vol. 16, p. 11-13):

    M = 0.6745 * (x - median) / MAD,   MAD = median(|x_i - median|)

A value with |M| > 3.5 is reported as a warning (never changed, never dropped). The median
and MAD resist the outlier itself, unlike a mean and standard deviation.

Choices the method leaves open (documented in data/raw/README.md and docs/data-quality.md):

- Fewer than 3 years with a value: no test (with two values neither can be called the odd one).
- Flags (1/0) are not tested: a yes/no answer has no "far".
- MAD floor. MAD is 0 when most years hold the same value (PBB assessments often stay
  unchanged, small counts are often 0), and M is then undefined or infinite for any change,
  however small. The scale is therefore ``max(MAD, 2% of |median|, 1)``: in an otherwise flat
  series a value is flagged only when it is more than 3.5 / 0.6745 x 2% = 10.4% (and more
  than 5 units) away from the median. The floor only ever lowers |M|, so a value flagged
  with the floor would be flagged without it.
"""

from __future__ import annotations

import itertools
import sys

import numpy as np
import pandas as pd

from ..formatting import angka
from ..problems import Problem, warning

CONSISTENCY = 0.6745  # Phi^-1(0.75): makes MAD estimate the standard deviation of normal data
THRESHOLD = 3.5  # Iglewicz & Hoaglin's recommended cut-off
MIN_YEARS = 3
RELATIVE_FLOOR = 0.02  # the MAD used is at least 2% of |median| ...
ABSOLUTE_FLOOR = 1.0  # ... and at least one unit (one person, one house, one rupiah)
TESTED_KINDS = ("jumlah", "rupiah")
SCORE_COLUMNS = ["kode_desa", "variabel", "tahun", "nilai", "n_tahun", "median", "mad", "skala", "skor",
                 "pencilan"]


def modified_z(values: np.ndarray | list[float]) -> tuple[np.ndarray, float, float, float]:
    """Modified z-scores of `values`, with the median, the raw MAD and the scale used.

    >>> z, med, mad, scale = modified_z([100, 102, 98, 101, 200])
    >>> (med, mad, scale), [round(float(v), 3) for v in z]
    ((101.0, 1.0, 2.02), [-0.334, 0.334, -1.002, 0.0, 33.057])
    """
    x = np.asarray(values, dtype=float)
    med = float(np.median(x))
    mad = float(np.median(np.abs(x - med)))
    scale = max(mad, RELATIVE_FLOOR * abs(med), ABSOLUTE_FLOOR)
    return CONSISTENCY * (x - med) / scale, med, mad, scale


def outlier_scores(observations: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    """One row per tested value (desa, variable, year) with its score; `pencilan` marks |M| > 3.5.

    `observations` has columns tahun, kode_desa, variabel, nilai (as `Dataset.observations`);
    `kinds` maps a variable to its type (jumlah, rupiah, flag). Same arithmetic as
    `modified_z`, applied to every (desa, variable) group at once.
    """
    tested = observations[observations["variabel"].map(kinds).isin(TESTED_KINDS)]
    tested = tested[["kode_desa", "variabel", "tahun", "nilai"]].sort_values(["kode_desa", "variabel", "tahun"])
    keys = [tested["kode_desa"], tested["variabel"]]
    values = tested["nilai"].astype(float)
    n_years = values.groupby(keys, sort=False).transform("size")
    tested, values, n_years = tested[n_years >= MIN_YEARS], values[n_years >= MIN_YEARS], n_years[n_years >= MIN_YEARS]
    keys = [tested["kode_desa"], tested["variabel"]]
    med = values.groupby(keys, sort=False).transform("median")
    mad = (values - med).abs().groupby(keys, sort=False).transform("median")
    scale = np.maximum(np.maximum(mad, RELATIVE_FLOOR * med.abs()), ABSOLUTE_FLOOR)
    score = CONSISTENCY * (values - med) / scale
    out = tested.assign(tahun=tested["tahun"].astype(int), nilai=values, n_tahun=n_years.astype(int), median=med,
                        mad=mad, skala=scale, skor=score, pencilan=score.abs() > THRESHOLD)
    return out[SCORE_COLUMNS].reset_index(drop=True)


def _show(x: float) -> str:
    return angka(x, 0) if float(x).is_integer() else angka(x, 2)


def outlier_problems(dataset) -> list[Problem]:
    """Warnings for values far from the same desa's other years, each pointing at its cell.

    `load_dataset` already adds these to `Dataset.problems` (so every consumer of the
    problems, `validate` and the reports, shows them); this is for a dataset built otherwise.
    """
    return find_outliers(dataset.observations, dataset.register, dataset.catalog)


def find_outliers(obs: pd.DataFrame, register: pd.DataFrame, catalog) -> list[Problem]:
    """`outlier_problems` from the parts of a dataset."""
    kinds = {name: spec["jenis"] for name, spec in catalog.variables.items()}
    scores = outlier_scores(obs, kinds)
    names = dict(zip(register["kode_desa"], register["nama_desa"]))
    flagged = scores[scores["pencilan"]]
    if flagged.empty:
        return []
    series_of = {key: "; ".join(f"{t}: {_show(v)}" for t, v in zip(g["tahun"], g["nilai"]))
                 for key, g in scores.merge(flagged[["kode_desa", "variabel"]].drop_duplicates())
                 .groupby(["kode_desa", "variabel"], sort=False)}
    cells = flagged.merge(obs[["kode_desa", "variabel", "tahun", "berkas", "lembar", "baris", "kolom"]],
                          on=["kode_desa", "variabel", "tahun"], how="left")
    problems = []
    for r in cells.itertuples(index=False):
        series = series_of[(r.kode_desa, r.variabel)]
        problems.append(warning(
            f"nilai {r.variabel} Desa {names.get(r.kode_desa, r.kode_desa)} tahun {r.tahun} ({_show(r.nilai)}) jauh "
            f"dari nilai tahun-tahun lainnya ({series}; median {_show(r.median)}); skor-z termodifikasi "
            f"{angka(r.skor, 1)}, batas ±{angka(THRESHOLD, 1)}. Periksa apakah salah ketik; bila benar, "
            "nilai dipakai apa adanya",
            berkas=r.berkas, lembar=None if pd.isna(r.lembar) else r.lembar, baris=int(r.baris), kolom=r.kolom,
            nilai=_show(r.nilai), tahun=int(r.tahun), kode_desa=r.kode_desa, kode="nilai_melonjak"))
    return problems


CHUNK_CELLS = 1 << 20  # desa x variable x year cells scored at a time by `find_outliers_sql` (bounds its memory)
PAIRS_AT_ONCE = 4000  # flagged series whose values `find_outliers_sql` holds at a time


def _row_medians(x: np.ndarray) -> np.ndarray:
    """The median of each row's values (NaN = no value), as `np.median` gives it: the middle value,
    or the mean of the two middle ones.

    >>> _row_medians(np.array([[3.0, 1.0, 2.0, np.nan], [4.0, 1.0, 2.0, 3.0]])).tolist()
    [2.0, 2.5]
    """
    ordered = np.sort(x, axis=1)  # NaN last
    n = (~np.isnan(x)).sum(axis=1)
    rows = np.arange(len(x))
    return (ordered[rows, (n - 1) // 2] + ordered[rows, n // 2]) / 2


def find_outliers_sql(db, register: pd.DataFrame, catalog) -> list[Problem]:
    """`find_outliers` on a dataset's DuckDB tables (`_obs`, see `database`): the same scores as
    `outlier_scores`, worked out on a desa x variable x year array, a block of desa at a time,
    and the same warnings in the same order."""
    names_of = list(catalog.variables)
    tested = [i for i, name in enumerate(names_of) if catalog.variables[name]["jenis"] in TESTED_KINDS]
    years = [int(y) for (y,) in db.execute("SELECT DISTINCT tahun FROM _obs ORDER BY tahun").fetchall()]
    if not tested or len(years) < MIN_YEARS:
        return []
    slot = np.full(max(tested) + 1, -1)
    slot[tested] = np.arange(len(tested))
    year_at = {y: i for i, y in enumerate(years)}
    # (p, v, tahun, score, median of its series) of every value far from its series
    flagged: list[tuple[int, int, int, float, float]] = []
    n_desa = len(register)
    chunk = max(1, CHUNK_CELLS // (len(tested) * len(years)))  # fewer desa at a time with more years
    for first in range(0, n_desa, chunk):
        part = db.execute("SELECT p, v, tahun, nilai FROM _obs WHERE p >= ? AND p < ? AND v IN (SELECT unnest(?::INTEGER[]))",
                          [first, first + chunk, tested]).fetchnumpy()
        if not len(part["p"]):
            continue
        rows = (part["p"].astype(np.int64) - first) * len(tested) + slot[part["v"].astype(np.int64)]
        cols = np.array([year_at[int(y)] for y in np.unique(part["tahun"])])[
            np.searchsorted(np.unique(part["tahun"]), part["tahun"])]
        series = np.full((chunk * len(tested), len(years)), np.nan)
        series[rows, cols] = part["nilai"].astype(float)
        enough = np.flatnonzero((~np.isnan(series)).sum(axis=1) >= MIN_YEARS)
        if not len(enough):
            continue
        x = series[enough]
        med = _row_medians(x)
        mad = _row_medians(np.abs(x - med[:, None]))
        scale = np.maximum(np.maximum(mad, RELATIVE_FLOOR * np.abs(med)), ABSOLUTE_FLOOR)
        with np.errstate(invalid="ignore"):
            z = CONSISTENCY * (x - med[:, None]) / scale[:, None]
            far_r, far_c = np.nonzero(np.abs(z) > THRESHOLD)
        row = enough[far_r]
        flagged += zip((first + row // len(tested)).tolist(), np.asarray(tested)[row % len(tested)].tolist(),
                       np.asarray(years)[far_c].tolist(), z[far_r, far_c].tolist(), med[far_r].tolist())
    if not flagged:
        return []
    p_, v_, y_, z_, m_ = (list(x) for x in zip(*flagged))
    db.execute("CREATE OR REPLACE TEMP TABLE _lonjak AS SELECT unnest(?::INTEGER[]) AS p, unnest(?::INTEGER[]) AS v, "
               "unnest(?::INTEGER[]) AS tahun, unnest(?::DOUBLE[]) AS skor, unnest(?::DOUBLE[]) AS median",
               [p_, v_, y_, z_, m_])
    # the series with a value far from the others, in `outlier_scores` order (desa code, variable),
    # a batch at a time so that their values are never all held in Python at once
    codes = register["kode_desa"].tolist()
    pairs = sorted(set(zip(p_, v_)), key=lambda pv: (codes[pv[0]], names_of[pv[1]]))
    names = dict(zip(register["kode_desa"], register["nama_desa"]))
    problems = []
    shown_of: dict[float, str] = {}  # each value written once (counts repeat across desa and years)
    for first in range(0, len(pairs), PAIRS_AT_ONCE):
        batch = pairs[first:first + PAIRS_AT_ONCE]
        db.execute("CREATE OR REPLACE TEMP TABLE _deret AS SELECT unnest(?::INTEGER[]) AS p, unnest(?::INTEGER[]) AS v, "
                   "unnest(?::INTEGER[]) AS urutan", [[p for p, _ in batch], [v for _, v in batch],
                                                       list(range(len(batch)))])
        # every value of each series, with the score and median of those far from the others
        found = db.execute("""
            SELECT s.urutan, o.tahun, o.nilai, t.berkas, t.lembar, o.baris, k.kolom, l.skor, l.median
            FROM _obs o JOIN _deret s USING (p, v) JOIN _tabel t USING (tabel) JOIN _kolom k USING (tabel, v)
                 LEFT JOIN _lonjak l ON l.p = o.p AND l.v = o.v AND l.tahun = o.tahun
            ORDER BY s.urutan, o.tahun""").fetchall()
        limit = angka(THRESHOLD, 1)
        for at, rows in itertools.groupby(found, key=lambda r: r[0]):
            rows = list(rows)
            code, variable = codes[batch[at][0]], names_of[batch[at][1]]
            shown = [shown_of[r[2]] if r[2] in shown_of else shown_of.setdefault(r[2], _show(r[2])) for r in rows]
            series = "; ".join(f"{r[1]}: {s}" for r, s in zip(rows, shown))
            for r, value in zip(rows, shown):
                _, year, _, berkas, lembar, baris, kolom, score, med = r
                if score is None:
                    continue
                # one string for every warning of the same file, sheet, column (there can be 100,000s)
                berkas, kolom = sys.intern(berkas), sys.intern(kolom)
                lembar = None if lembar is None else sys.intern(lembar)
                problems.append(warning(
                    f"nilai {variable} Desa {names.get(code, code)} tahun {year} ({value}) jauh "
                    f"dari nilai tahun-tahun lainnya ({series}; median {_show(med)}); skor-z termodifikasi "
                    f"{angka(score, 1)}, batas ±{limit}. Periksa apakah salah ketik; bila benar, "
                    "nilai dipakai apa adanya",
                    berkas=berkas, lembar=lembar, baris=int(baris), kolom=kolom, nilai=value, tahun=int(year),
                    kode_desa=code, kode="nilai_melonjak"))
    db.execute("DROP TABLE IF EXISTS _deret; DROP TABLE _lonjak")
    return problems
