"""Achievement (capaian, %) of a realisation against its target, and its grade (predikat).

Rules (sources in docs/methodology.md):

- positive polarity: realisasi / target x 100;
- negative polarity, variant ``2t-r`` (Central Java practice): (2 x target - realisasi) /
  target x 100, floored at 0; variant ``t/r``: target / realisasi x 100;
- no cap unless the catalog sets ``capaian.batas_atas``;
- missing target or realisasi: no capaian;
- target 0: capaian 100 when realisasi is 0 too (the target is met exactly), otherwise
  none (a ratio to 0 is undefined; reported as a warning);
- variant ``t/r`` with realisasi 0: the cap when one is set, otherwise none.

>>> achievement(97.44, 95.0, "positif")
102.56842105263158
>>> achievement(5.0, 4.0, "negatif")
75.0
>>> achievement(9.0, 4.0, "negatif")
0.0
>>> grade(91.0, [(91.0, "Sangat Tinggi"), (None, "Tinggi")])
'Sangat Tinggi'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Floating-point noise below this does not change a grade (e.g. 90.99999999999999 is 91).
GRADE_TOLERANCE = 1e-9


def achievement(realisasi: float, target: float, polaritas: str,
                variant: str = "2t-r", cap: float | None = None) -> float:
    """Capaian in percent for one realisation; NaN where it is not defined."""
    return float(capaian_vector([realisasi], [target], [polaritas == "negatif"], variant, cap)[0])


def capaian_vector(realisasi, target, negative, variant: str = "2t-r",
                   cap: float | None = None) -> np.ndarray:
    """Capaian for arrays of realisasi, target and negative-polarity flags."""
    r = np.asarray(realisasi, dtype=float)
    t = np.asarray(target, dtype=float)
    neg = np.asarray(negative, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = r / t * 100
        if variant == "2t-r":
            negv = np.maximum(0.0, (2 * t - r) / t * 100)
        else:
            negv = np.where(r == 0, np.inf, t / r * 100)
        value = np.where(neg, negv, pos)
    value = np.where(t == 0, np.where(r == 0, 100.0, np.nan), value)
    if cap is not None:
        value = np.minimum(value, cap)  # NaN stays NaN
    return np.where(np.isinf(value), np.nan, value)


def grade(capaian: float, grades: list[tuple[float | None, str]]) -> str | None:
    """The predikat of a capaian: the first band (top down) whose `min` it reaches."""
    label = grade_vector([capaian], grades)[0]
    return None if pd.isna(label) else label


def grade_vector(capaian, grades: list[tuple[float | None, str]]) -> np.ndarray:
    """Predikat for an array of capaian; None where capaian is missing."""
    c = np.asarray(capaian, dtype=float)
    out = np.full(c.shape, None, dtype=object)
    for low, label in reversed(grades):  # bottom band first, higher bands overwrite
        reached = ~np.isnan(c) if low is None else c >= low - GRADE_TOLERANCE
        out[reached] = label
    return out


def add_capaian(table: pd.DataFrame, catalog) -> pd.DataFrame:
    """Return `table` with `capaian` and `predikat` computed from `nilai` and `target`."""
    out = table.copy()
    negative = out["indikator"].map(catalog.indicators["polaritas"]).eq("negatif")
    out["capaian"] = capaian_vector(out["nilai"], out["target"], negative, catalog.negative_variant, catalog.cap)
    out["predikat"] = grade_vector(out["capaian"], catalog.grades)
    return out
