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

import gc
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..formatting import angka, number_symbols
from ..problems import WARNING, Problem, warning
from .stage import observation_places

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
EXACT_INTEGERS = 2.0 ** 53  # below this every whole float is an int that Python writes digit for digit


def _row_medians(x: np.ndarray, n: np.ndarray | None = None) -> np.ndarray:
    """The median of each row's values (NaN = no value), as `np.median` gives it: the middle value,
    or the mean of the two middle ones (NaN for a row without values). `n`: the number of values
    of each row, when known.

    >>> _row_medians(np.array([[3.0, 1.0, 2.0, np.nan], [4.0, 1.0, 2.0, 3.0], [np.nan] * 4])).tolist()
    [2.0, 2.5, nan]
    """
    ordered = np.sort(x, axis=1).ravel()  # NaN last
    if n is None:
        n = np.count_nonzero(~np.isnan(x), axis=1)
    start = np.arange(len(x)) * x.shape[1]  # each row's first value in `ordered`
    return (ordered[start + np.maximum(n - 1, 0) // 2] + ordered[start + n // 2]) / 2


@dataclass
class _Far:
    """The series (desa p, variable v) that hold a value far from the others, and those values.

    Per series: `p`, `v`, its `values` (one column per year, NaN = no value) and `median`.
    Per far value: `series` (its row above), `year` (its column) and `score`.
    """

    p: np.ndarray
    v: np.ndarray
    values: np.ndarray
    median: np.ndarray
    series: np.ndarray
    year: np.ndarray
    score: np.ndarray


def _far_values(db, n_desa: int, tested: np.ndarray, first_year: int, n_years: int) -> _Far:
    """`outlier_scores` on `_obs_wide` (the settled values), a block of desa at a time
    (CHUNK_CELLS values: memory stays bounded at any size), keeping only the series with a far
    value. The arithmetic is `outlier_scores`'s, operation for operation, so every score and
    median is the same float.

    A block is a year x series array: a column for each desa and each variable from the first to
    the last tested one (`v` minus the first: a flag between them keeps an empty column, never
    scored), a row for each year from the first to the last (a year without values keeps an
    empty row, which changes no median). Each fetched column of values goes to its cells in one
    numpy step; a year is a contiguous row, so that going over the years is fast."""
    low, n_variables = int(tested.min()), int(tested.max() - tested.min()) + 1
    chunk = max(1, CHUNK_CELLS // (n_variables * n_years))  # fewer desa at a time with more years
    width = chunk * n_variables  # series in a block
    columns_sql = ", ".join(f"x{int(v)}" for v in tested)  # catalog positions: numbers, safe in the SQL text
    sql = f"SELECT tahun, p, {columns_sql} FROM _obs_wide WHERE p >= $first AND p < $first + {chunk}"
    parts = []
    for first in range(0, n_desa, chunk):
        part = db.execute(sql, {"first": first}).fetchnumpy()
        block = np.full((n_years, width), np.nan)
        base = (np.asarray(part["tahun"], dtype=np.int64) - first_year) * width \
            + (np.asarray(part["p"], dtype=np.int64) - first) * n_variables - low
        for v in tested.tolist():
            block.ravel()[base + v] = np.ma.filled(np.ma.asarray(part[f"x{v}"], dtype=float), np.nan)
        columns, count = _may_be_far(block)
        x = np.ascontiguousarray(block[:, columns].T)  # a row per series that may be far
        med, z = _scores(x, count)
        with np.errstate(invalid="ignore"):
            far_row, year = np.nonzero(np.abs(z) > THRESHOLD)
        hit, series = np.unique(far_row, return_inverse=True)  # the rows of x with a far value
        column = columns[hit]  # their columns in the block
        parts.append((first + column // n_variables, low + column % n_variables, x[hit], med[hit], series.ravel(),
                      year, z[far_row, year]))
    if not parts:
        return _Far(*(np.empty(0, dtype=np.int64),) * 2, np.empty((0, n_years)), *(np.empty(0),) * 4)
    offsets = np.cumsum([0] + [len(part[0]) for part in parts[:-1]])  # series numbered across blocks
    joined = [np.concatenate(column) for column in zip(*parts)]
    joined[4] = np.concatenate([part[4] + offset for part, offset in zip(parts, offsets)])
    return _Far(*joined)


def _may_be_far(block: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The columns of `block` (a row per year, NaN = no value) that can hold a far value, and
    their number of values.

    A series needs MIN_YEARS values. It also needs a range (largest minus smallest value) that
    can reach the threshold: no value is farther than the range from the median (which lies
    between them), and the scale is at least max(2% of the smallest possible |median|, 1). Each
    step of the score rounds monotonically, so when CONSISTENCY x range / that least scale is
    at most THRESHOLD, computed the same way, no score of the series can exceed it: the series
    is left out unscored (on national data two in three, whose counts hardly move)."""
    low, high = np.fmin.reduce(block, axis=0), np.fmax.reduce(block, axis=0)  # fmin/fmax pass over NaN
    count = len(block) - np.isnan(block).sum(axis=0)
    least_median = np.maximum(np.maximum(low, -high), 0)  # |median| is at least this
    with np.errstate(invalid="ignore"):
        reach = CONSISTENCY * (high - low) / np.maximum(RELATIVE_FLOOR * least_median, ABSOLUTE_FLOOR)
        columns = np.flatnonzero((count >= MIN_YEARS) & (reach > THRESHOLD))
    return columns, count[columns]


def _scores(x: np.ndarray, count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The median and the modified z-scores of each row of `x` (NaN = no value; `count` values),
    worked out as `outlier_scores` does."""
    med = _row_medians(x, count)
    deviation = x - med[:, None]
    mad = _row_medians(np.abs(deviation), count)
    scale = np.maximum(np.maximum(mad, RELATIVE_FLOOR * np.abs(med)), ABSOLUTE_FLOOR)
    return med, CONSISTENCY * deviation / scale[:, None]


def _warning_order(far: _Far, codes: np.ndarray, variables: list[str]) -> np.ndarray:
    """The far values in `outlier_scores` order: by desa code, variable name, then year.

    Only the desa and variables that occur are compared as text (a rank each), the rest is a
    numeric sort. A desa code the register lists twice would tie, but its values are never read
    (`DesaLookup.ambiguous_codes`), so no two series tie."""
    desa = np.unique(far.p)
    desa_codes = codes[desa].tolist()
    desa_rank = np.empty(len(desa), dtype=np.int64)
    desa_rank[sorted(range(len(desa)), key=desa_codes.__getitem__)] = np.arange(len(desa))
    variable_rank = np.empty(len(variables), dtype=np.int64)
    variable_rank[sorted(range(len(variables)), key=variables.__getitem__)] = np.arange(len(variables))
    series_rank = np.lexsort((variable_rank[far.v], desa_rank[np.searchsorted(desa, far.p)]))
    place = np.empty(len(series_rank), dtype=np.int64)
    place[series_rank] = np.arange(len(series_rank))
    return np.lexsort((far.year, place[far.series]))


def _shown_numbers(x: np.ndarray) -> np.ndarray:
    """`_show` of each number of `x`, as an object array. Hundreds of thousands of distinct numbers
    can be shown (every value of every series with a far value), so whole numbers below
    EXACT_INTEGERS take Python's grouping of the int, all in one string with the locale's
    symbols put in at once: what `angka(x, 0)` gives for them (its Decimal of `repr(x)` is that
    int), at a tenth of the cost. The others (fractions, beyond 2**53, negative numbers and -0.0,
    which shows "-0", not finite) go through `_show`.

    >>> _shown_numbers(np.array([0.0, 1234567.0, 2.5, 1e16])).tolist()
    ['0', '1.234.567', '2,50', '10.000.000.000.000.000']
    """
    out = np.empty(len(x), dtype=object)
    with np.errstate(invalid="ignore"):
        whole = (np.abs(x) < EXACT_INTEGERS) & (np.floor(x) == x) & ~np.signbit(x)
    ints = x[whole].astype(np.int64).tolist()
    if ints:
        out[whole] = "\n".join(map("{:,}".format, ints)).translate(number_symbols()).split("\n")
    out[~whole] = [_show(v) for v in x[~whole].tolist()]
    return out


def _score_texts(score: np.ndarray) -> np.ndarray:
    """`angka(score, 1)` of each score, as an object array.

    `angka` rounds the decimal `repr(score)` half away from zero. That decimal is within an ulp
    of the float, so rounding |score| x 10 in floating point gives the same tenths unless its
    fraction is within a few ulps of one half: those scores (rare), and scores too large or
    too small for that margin, go through `angka`. The rest are written once per distinct
    tenths value (scores repeat to one decimal).

    >>> _score_texts(np.array([305.2197, -4.05, 3.55, 1e30])).tolist()
    ['305,2', '-4,1', '3,6', '1.000.000.000.000.000.000.000.000.000.000,0']
    """
    tenths = np.abs(score) * 10
    with np.errstate(invalid="ignore"):
        whole = np.floor(tenths)
        fraction = tenths - whole
        sure = (tenths >= 1) & (tenths < 2.0 ** 40) & (np.abs(fraction - 0.5) > tenths * 2.0 ** -40)
    rounded = np.where(score[sure] < 0, -1, 1) * (whole[sure] + (fraction[sure] > 0.5))
    out = np.empty(len(score), dtype=object)
    distinct, at = np.unique(rounded, return_inverse=True)
    out[sure] = np.array([angka(t / 10, 1) for t in distinct.tolist()] + [""], dtype=object)[at.ravel()]
    out[~sure] = [angka(s, 1) for s in score[~sure].tolist()]
    return out


def _series_texts(value_at: np.ndarray, number_text: np.ndarray, years: list[int]) -> np.ndarray:
    """'2019: 1.970; 2020: 1.980; ...' for each row of `value_at`: the years that have a value, in
    order, each value written `number_text[value_at[i, j]]` (-1: no value).

    There can be 100,000s of rows, so instead of a Python call per row every piece is laid out
    in one array (a year label and a value per cell, empty where there is no value, a line
    break after each row), joined into one string and split at the line breaks; no piece
    holds a line break (years and numbers only)."""
    present = value_at >= 0
    n_series, n_years = value_at.shape
    first = np.argmax(present, axis=1)  # each row's first year with a value: no "; " before it
    pieces = np.empty((n_series, 2 * n_years + 1), dtype=object)
    pieces[:, 0:-1:2] = np.where(present, np.array([f"; {year}: " for year in years], dtype=object), "")
    pieces[np.arange(n_series), 2 * first] = np.array([f"{year}: " for year in years], dtype=object)[first]
    pieces[:, 1:-1:2] = np.where(present, number_text[value_at], "")
    pieces[:, -1] = "\n"
    texts = "".join(pieces.ravel().tolist()).split("\n")[:-1]
    if len(texts) != n_series:  # cannot happen (see above); never a wrong series in a message
        raise RuntimeError("outlier check: a value is written with a line break")
    return np.array(texts, dtype=object)


def _number_texts(far: _Far) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every number the warnings show, each distinct one written once (`_shown_numbers`): the texts,
    then for each value of the far series (-1: no value) and for each median, its text's place."""
    known = ~np.isnan(far.values)
    at, numbers = pd.factorize(np.concatenate([far.values[known], far.median]))
    value_at = np.full(far.values.shape, -1, dtype=np.int64)
    value_at[known] = at[:known.sum()]
    return _shown_numbers(numbers), value_at, at[known.sum():]


def _series_heads(far: _Far, register: pd.DataFrame, variables: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """'nilai <variable> Desa <name>' and the desa code of each far series."""
    desa, at = np.unique(far.p, return_inverse=True)
    all_codes = register["kode_desa"].to_numpy()
    codes = all_codes[desa]
    named = register["kode_desa"].isin(set(codes.tolist())).to_numpy()  # (a dict of all 80,000 desa costs more)
    # as `find_outliers`: the name of a code's last row (a code the register lists twice is an error)
    names = dict(zip(all_codes[named].tolist(), register["nama_desa"].to_numpy()[named].tolist()))
    labels = [names.get(code, code) for code in codes.tolist()]
    heads = [f"nilai {variables[v]} Desa {labels[i]}" for i, v in zip(at.ravel().tolist(), far.v.tolist())]
    return np.array(heads, dtype=object), codes[at.ravel()]


@contextmanager
def _collector_paused():
    """Python's cycle collector paused, as it was before on exit. Building 100,000s of warnings
    (none in a reference cycle) otherwise runs it over and over on every young object, which
    costs a third of the building time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def find_outliers_sql(db, register: pd.DataFrame, catalog) -> list[Problem]:
    """`find_outliers` on a dataset's DuckDB tables (`_obs_wide`, `_obs`, see `database`): the same scores as
    `outlier_scores` (`_far_values`) and the same warnings in the same order.

    There can be hundreds of thousands of warnings (one per far value, each with the whole
    series of its desa and variable), so the text is made from parts prepared once: each
    distinct number written once (`_shown_numbers`, `_score_texts`), each series once
    (`_series_texts`), each desa's name and each table's file, sheet and column once."""
    scored = _scored(db, register, catalog)
    return [] if scored is None else _warnings(db, register, catalog, *scored)


def _scored(db, register: pd.DataFrame, catalog) -> tuple[_Far, int, int] | None:
    """The far values of `find_outliers_sql` (`_far_values`) with the first and last year; None
    when there is none, or no variable or too few years to test."""
    variables = list(catalog.variables)
    tested = np.array([i for i, name in enumerate(variables) if catalog.variables[name]["jenis"] in TESTED_KINDS],
                      dtype=np.int64)
    [(first_year, last_year)] = db.execute("SELECT min(tahun), max(tahun) FROM _obs_wide").fetchall()
    if not len(tested) or first_year is None or last_year - first_year + 1 < MIN_YEARS:
        return None
    far = _far_values(db, len(register), tested, first_year, last_year - first_year + 1)
    return (far, first_year, last_year) if len(far.score) else None


def _warnings(db, register: pd.DataFrame, catalog, far: _Far, first_year: int, last_year: int) -> list[Problem]:
    """The warnings of the far values `far` (`_scored`), in `outlier_scores` order, each at its cell."""
    variables = list(catalog.variables)
    order = _warning_order(far, register["kode_desa"].to_numpy(), variables)
    series, column, score = far.series[order], far.year[order], far.score[order]
    tabel, baris = observation_places(db, pd.DataFrame({"tahun": first_year + column, "p": far.p[series],
                                                        "v": far.v[series]}))
    number_text, value_at, median_at = _number_texts(far)
    series_text = _series_texts(value_at, number_text, list(range(first_year, last_year + 1)))
    head, code = _series_heads(far, register, variables)
    place_of = {t: (berkas, lembar)
                for t, berkas, lembar in db.execute("SELECT tabel, berkas, lembar FROM _tabel").fetchall()}
    kolom_of = {(t, v): k for t, v, k in db.execute("SELECT tabel, v, kolom FROM _kolom").fetchall()}
    limit = angka(THRESHOLD, 1)
    problems = []
    with _collector_paused():
        for head_, code_, v, year, value, text, med, score_, t, row in zip(
                head[series].tolist(), code[series].tolist(), far.v[series].tolist(), (first_year + column).tolist(),
                number_text[value_at[series, column]].tolist(), series_text[series].tolist(),
                number_text[median_at[series]].tolist(),
                _score_texts(score).tolist(), tabel.tolist(), baris.tolist()):
            berkas, lembar = place_of[t]
            problems.append(Problem(
                WARNING,
                f"{head_} tahun {year} ({value}) jauh dari nilai tahun-tahun lainnya ({text}; median {med}); "
                f"skor-z termodifikasi {score_}, batas ±{limit}. Periksa apakah salah ketik; bila benar, nilai "
                "dipakai apa adanya",
                berkas=berkas, lembar=lembar, baris=row, kolom=kolom_of[t, v], nilai=value, tahun=year,
                kode_desa=code_, kode="nilai_melonjak"))
    return problems


class LaterWarnings(Sequence):
    """The outlier warnings of far values found on another thread (`start_outliers`), written out
    when first looked at: their number is known before (`len`), so `iku compute`, which only
    counts them, never writes 12,000 of them (national: 0.07 s of the thread's 0.3 s). Written
    out with `db`, the dataset's connection, which reads the tables they point into."""

    def __init__(self, db, register: pd.DataFrame, catalog, scored: tuple[_Far, int, int] | None) -> None:
        self._db, self._register, self._catalog, self._scored = db, register, catalog, scored
        self._count = 0 if scored is None else len(scored[0].score)
        self._written: list[Problem] | None = None

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, at):
        return self._list()[at]

    def __iter__(self):
        return iter(self._list())

    def _list(self) -> list[Problem]:
        if self._written is None:
            self._written = ([] if self._scored is None
                             else _warnings(self._db, self._register, self._catalog, *self._scored))
        return self._written


def start_outliers(db, register: pd.DataFrame, catalog) -> Future:
    """The far values of `find_outliers_sql` found on a thread of its own, with its own connection
    to `db`'s database; the future gives them as `LaterWarnings` (or raises its error). The
    caller goes on meanwhile: `iku compute` writes its table while the outliers are found
    (national, `--level kecamatan`: 0.9 -> 0.73 s for both, measured), and `Dataset.problems`
    waits for them when first read. Nothing may write to the tables they read (`_obs_wide`,
    `_obs`, `_asal`, `_tabel`, `_kolom`) until their warnings are written out."""
    from .database import use_database_of

    cursor = use_database_of(db, db.cursor())

    def find() -> LaterWarnings:
        try:
            return LaterWarnings(db, register, catalog, _scored(cursor, register, catalog))
        finally:
            cursor.close()

    pool = ThreadPoolExecutor(1, thread_name_prefix="iku-pencilan")
    try:
        return pool.submit(find)
    finally:
        pool.shutdown(wait=False)  # the thread ends with its one job
