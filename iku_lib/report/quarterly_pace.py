"""The early warning of the quarterly monitoring report: will an indicator's pace reach its
annual target?

Only the quarters to date are known, so the year's value is projected, and how depends on what
the indicator is made of (the `sifat` of its numerator and denominator, docs/methodology.md,
"Quarters"). Each part of the ratio is carried to the fourth quarter on its own:

- a flow (`alir`: receipts, cases, reports) goes on at its average pace per quarter so far,
  its cumulative value to quarter n divided by n, for the 4 - n quarters left: x 4/n. This is a
  **straight line from zero at the start of the year through the cumulative value to quarter
  n**, the "linear projection" (a line through the origin because a flow's cumulative value is
  0 when the year begins);
- a stock (`stok`: residents, houses, a yes/no status, and `jumlah_desa`) stays at its latest
  value: it does not grow with time, and a straight line through a stock's quarters (or a
  status that flips once, such as an RKP Desa set in the third quarter) says little about its
  value at the end of the year.

Hence three methods, named in the report:

- `linear` (a flow over a stock, e.g. PBB receipts / assessment, crimes per 10.000 residents):
  the value to date x 4/n;
- `rasio` (a flow over a flow, e.g. reports handled / reports received): both parts projected
  alike leave the ratio as it is, so the value to date is the projection;
- `terakhir` (a stock or a status over a stock, and indicators reported directly, whose
  `sifat` is unknown): no projection; the latest value is held against the annual target, and
  the report says plainly that a straight line would mean little.

The projected (or latest) value is graded against the annual target with the catalog's own
capaian formula and polarity (`engine.capaian.achievement`); `tables.reaches_target` says
whether it reaches it. The early-warning list is every indicator whose projection misses the
annual target (`diperkirakan tidak tercapai`) and, apart, every stock whose latest value has
not reached it yet (`belum mencapai target tahunan`).

>>> projection_factor("alir", "stok", 2), projection_factor("alir", "alir", 1), projection_factor("stok", "stok", 3)
(2.0, 1.0, 1.0)
>>> method_of("alir", "stok"), method_of("alir", "alir"), method_of("stok", "stok"), method_of(None, None)
('linear', 'rasio', 'terakhir', 'terakhir')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..engine.capaian import achievement
from ..ingest.catalog import FLOW, NUMBER_OF_DESA, STOCK, Catalog
from ..ingest.triwulan import QUARTERS
from .quarterly_names import roman
from .tables import reaches_target

LINEAR = "linear"
RATIO = "rasio"
LATEST = "terakhir"

MISS = "diperkirakan tidak tercapai"
HIT = "diperkirakan tercapai"
NOT_YET = "belum mencapai target tahunan"
REACHED = "sudah mencapai target tahunan"
UNKNOWN = "tidak dapat diproyeksikan"
WARNINGS = (MISS, NOT_YET)  # the statuses of the early-warning list

PACE_COLUMNS = ["indikator", "kode_wilayah", "nama_wilayah", "metode", "nilai", "faktor_proyeksi", "proyeksi",
                "target_tahunan", "capaian_proyeksi", "status"]
LAST = QUARTERS[-1]


def _part(nature: str | None, quarter: int) -> float:
    return LAST / quarter if nature == FLOW else 1.0


def projection_factor(numerator: str | None, denominator: str | None, quarter: int) -> float:
    """What the value to quarter `quarter` is multiplied by to project the fourth quarter, for
    a numerator and denominator of these `sifat` (a flow x 4/n, a stock x 1)."""
    return _part(numerator, quarter) / _part(denominator, quarter)


def method_of(numerator: str | None, denominator: str | None) -> str:
    """`linear`, `rasio` or `terakhir` for a numerator and denominator of these `sifat` (None:
    an indicator reported directly)."""
    if numerator == FLOW and denominator == FLOW:
        return RATIO
    if FLOW in (numerator, denominator):
        return LINEAR
    return LATEST


def natures_of(catalog: Catalog, ident: str) -> tuple[str | None, str | None]:
    """The `sifat` of an indicator's numerator and denominator (`jumlah_desa` is a stock);
    (None, None) for an indicator reported directly."""
    if catalog.is_direct(ident):
        return None, None
    spec = catalog.indicators.loc[ident]
    denominator = STOCK if spec["penyebut"] == NUMBER_OF_DESA else catalog.nature(spec["penyebut"])
    return catalog.nature(spec["pembilang"]), denominator


def status_of(method: str, value: float, target: float, polaritas: str) -> str:
    """The early-warning status of a projected (or latest) value against the annual target.

    >>> status_of("linear", 67.3, 100.0, "positif"), status_of("terakhir", 3.9, 4.0, "negatif")
    ('diperkirakan tidak tercapai', 'sudah mencapai target tahunan')
    >>> status_of("rasio", float("nan"), 100.0, "positif")
    'tidak dapat diproyeksikan'
    """
    reached = reaches_target(value, target, polaritas)
    if reached is None:
        return UNKNOWN
    if method == LATEST:
        return REACHED if reached else NOT_YET
    return HIT if reached else MISS


def pace_table(rows: pd.DataFrame, annual_targets: pd.Series, catalog: Catalog, quarter: int) -> pd.DataFrame:
    """The early warning of every row of `rows` (the top-level rows of `compute_quarter` for
    `quarter`, in catalog order): PACE_COLUMNS. `annual_targets` is the annual target of each
    row (same index), NaN where there is none."""
    records = []
    for i, r in rows.iterrows():
        numerator, denominator = natures_of(catalog, r["indikator"])
        method = method_of(numerator, denominator)
        factor = projection_factor(numerator, denominator, quarter)
        value = float(r["nilai"])
        projected = value * factor
        target = float(annual_targets.get(i, np.nan))
        polaritas = catalog.indicators.at[r["indikator"], "polaritas"]
        records.append({
            "indikator": r["indikator"], "kode_wilayah": r["kode_wilayah"], "nama_wilayah": r["nama_wilayah"],
            "metode": method, "nilai": value, "faktor_proyeksi": factor, "proyeksi": projected,
            "target_tahunan": target,
            "capaian_proyeksi": achievement(projected, target, polaritas, catalog.negative_variant, catalog.cap),
            "status": status_of(method, projected, target, polaritas)})
    return pd.DataFrame(records, columns=PACE_COLUMNS)


def method_text(method: str, quarter: int) -> str:
    """How an indicator's year is foreseen, for the reader.

    >>> method_text("linear", 2)
    'proyeksi linear: nilai sampai triwulan II × 4/2'
    """
    if quarter == LAST:
        return "nilai tahunan (triwulan IV)"
    if method == LINEAR:
        return f"proyeksi linear: nilai sampai triwulan {roman(quarter)} × {LAST}/{quarter}"
    if method == RATIO:
        return "rasio dua variabel alir: nilai sampai saat ini"
    return "nilai terakhir (stok/status, tanpa proyeksi)"
