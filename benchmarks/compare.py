"""Compare two indicator tables (CSV with the columns of `iku compute`) row by row.

Rows are matched on (indikator, tahun, level, kode_wilayah); numbers must agree to `rel`
relative (both empty counts as agreeing), texts (nama_wilayah, satuan, predikat) exactly.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

KEYS = ["indikator", "tahun", "level", "kode_wilayah"]
NUMBERS = ["pembilang", "penyebut", "nilai", "target", "capaian"]
TEXTS = ["nama_wilayah", "satuan", "predikat"]


def read(path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype={"kode_wilayah": str, "nama_wilayah": str, "predikat": str, "satuan": str},
                        keep_default_na=False, na_values={c: [""] for c in NUMBERS})
    return frame.set_index(KEYS).sort_index()


def differences(a_path, b_path, rel: float = 1e-9) -> list[str]:
    """What differs between the two tables (empty list: the same numbers for every row)."""
    a, b = read(a_path), read(b_path)
    problems = []
    if len(a) != len(b) or not a.index.equals(b.index):
        only_a, only_b = a.index.difference(b.index), b.index.difference(a.index)
        problems.append(f"rows differ: {len(a)} vs {len(b)}; only in first {list(only_a[:3])}, "
                        f"only in second {list(only_b[:3])}")
        common = a.index.intersection(b.index)
        a, b = a.loc[common], b.loc[common]
    for col in NUMBERS:
        x, y = a[col].to_numpy(float), b[col].to_numpy(float)
        both_nan = np.isnan(x) & np.isnan(y)
        close = np.isclose(x, y, rtol=rel, atol=0.0) | both_nan
        if not close.all():
            bad = np.flatnonzero(~close)
            problems.append(f"{col}: {len(bad)} rows differ, e.g. {a.index[bad[0]]}: {x[bad[0]]!r} vs {y[bad[0]]!r}")
    for col in TEXTS:
        x, y = a[col].fillna(""), b[col].fillna("")
        if not (x.to_numpy() == y.to_numpy()).all():
            bad = np.flatnonzero(x.to_numpy() != y.to_numpy())
            problems.append(f"{col}: {len(bad)} rows differ, e.g. {a.index[bad[0]]}: {x.iloc[bad[0]]!r} vs "
                            f"{y.iloc[bad[0]]!r}")
    return problems


if __name__ == "__main__":
    found = differences(sys.argv[1], sys.argv[2])
    print("\n".join(found) or f"same numbers (1e-9 relative) for every row of {sys.argv[1]} and {sys.argv[2]}")
    sys.exit(1 if found else 0)
