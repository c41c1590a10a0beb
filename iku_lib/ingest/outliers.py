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


def find_outliers_sql(db, register: pd.DataFrame, catalog) -> list[Problem]:
    """`find_outliers` on the `observations` table of a dataset's DuckDB database: the same
    scores (`outlier_scores`) in SQL, the same warnings in the same order."""
    tested = [name for name, spec in catalog.variables.items() if spec["jenis"] in TESTED_KINDS]
    if not tested:
        return []
    # medians are held whole per group and cannot spill: one thread keeps them within the memory limit
    db.execute("SET threads = 1")
    db.execute("""
        CREATE OR REPLACE TEMP TABLE _skor AS
        WITH t AS (SELECT p, v, tahun, nilai FROM _obs
                   WHERE v IN (SELECT v FROM _variabel WHERE variabel IN (SELECT unnest(?::VARCHAR[])))),
             g AS (SELECT p, v, median(nilai) AS med FROM t GROUP BY ALL HAVING count(*) >= ?),
             m AS (SELECT p, v, median(abs(t.nilai - g.med)) AS mad FROM t JOIN g USING (p, v) GROUP BY ALL)
        SELECT t.p, t.v, t.tahun, t.nilai, g.med,
               ? * (t.nilai - g.med) / greatest(greatest(m.mad, ? * abs(g.med)), ?) AS skor
        FROM t JOIN g USING (p, v) JOIN m USING (p, v)""",
               [tested, MIN_YEARS, CONSISTENCY, RELATIVE_FLOOR, ABSOLUTE_FLOOR])
    db.execute("RESET threads")
    db.execute("CREATE OR REPLACE TEMP TABLE _lonjak AS SELECT DISTINCT p, v FROM _skor WHERE abs(skor) > ?",
               [THRESHOLD])
    series = db.execute("""
        SELECT d.kode_desa, x.variabel, s.tahun, s.nilai FROM _skor s SEMI JOIN _lonjak USING (p, v)
        JOIN _desa d USING (p) JOIN _variabel x USING (v) ORDER BY d.kode_desa, x.variabel, s.tahun""").fetchall()
    if not series:
        db.execute("DROP TABLE _skor; DROP TABLE _lonjak")
        return []
    series_of: dict[tuple[str, str], list[str]] = {}
    for code, variable, year, value in series:
        series_of.setdefault((code, variable), []).append(f"{year}: {_show(value)}")
    cells = db.execute("""
        SELECT d.kode_desa, x.variabel, s.tahun, s.nilai, s.med, s.skor, t.berkas, t.lembar, o.baris, k.kolom
        FROM (SELECT * FROM _skor WHERE abs(skor) > ?) s JOIN _obs o USING (p, v, tahun)
             JOIN _desa d USING (p) JOIN _variabel x USING (v) JOIN _tabel t USING (tabel) JOIN _kolom k USING (tabel, v)
        ORDER BY d.kode_desa, x.variabel, s.tahun""", [THRESHOLD]).fetchall()
    db.execute("DROP TABLE _skor; DROP TABLE _lonjak")
    names = dict(zip(register["kode_desa"], register["nama_desa"]))
    problems = []
    for code, variable, year, value, med, score, berkas, lembar, baris, kolom in cells:
        problems.append(warning(
            f"nilai {variable} Desa {names.get(code, code)} tahun {year} ({_show(value)}) jauh "
            f"dari nilai tahun-tahun lainnya ({'; '.join(series_of[(code, variable)])}; median {_show(med)}); "
            f"skor-z termodifikasi {angka(score, 1)}, batas ±{angka(THRESHOLD, 1)}. Periksa apakah salah ketik; "
            "bila benar, nilai dipakai apa adanya",
            berkas=berkas, lembar=lembar, baris=int(baris), kolom=kolom, nilai=_show(value), tahun=int(year),
            kode_desa=code, kode="nilai_melonjak"))
    return problems
