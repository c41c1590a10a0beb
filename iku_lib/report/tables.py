"""Tables of the annual evaluation, built from the `compute` table (numbers stay unrounded).

- `capaian_table`: the LKjIP "Tabel Capaian Kinerja" of one year at one level (one row per
  indicator: target, realisasi, capaian, predikat), sasaran and tujuan indicators apart;
- `with_previous`: the same table with the year before's realisasi, the change and what the
  change means for the indicator (`change_direction`: membaik / memburuk / tetap);
- `reaches_target`, `target_status`: whether realisasi is at or past the target for the
  indicator's polarity (target tercapai / belum tercapai), the one test both reports use;
- `desa_breakdown`: one indicator's desa rows with the reason a desa has no value;
- `pulling_down`: the desa that pull an indicator's top-level value down;
- `problems_table`: a year's data-quality notes for the report.

Rounding is left to `formatting`, at display. Every function returns a new frame.

>>> reason("penyebut_nol", "Laporan ditindaklanjuti", "Jumlah laporan kejadian")
'Jumlah laporan kejadian = 0; nilai tidak dapat dihitung'
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from ..ingest.catalog import DIRECT, NUMBER_OF_DESA, Catalog
from ..engine.compute import (ABOVE_DENOMINATOR, MISSING_AS_ZERO, NO_DATA, ZERO_DENOMINATOR, levels_of,
                      with_parents)
from ..ingest.dataset import Dataset
from ..problems import Problem

CAPAIAN_COLUMNS = ["no", "indikator", "jenis", "sasaran_strategis", "nama", "satuan", "polaritas", "desimal",
                   "kode_wilayah", "nama_wilayah", "target", "realisasi", "capaian", "predikat", "langsung",
                   "sumber_nilai"]
BREAKDOWN_COLUMNS = ["kode_desa", "desa", "pembilang", "penyebut", "nilai", "dihitung", "catatan", "keterangan"]


def top_level(dataset: Dataset) -> str:
    """The highest level the dataset's register adds up to (e.g. `kecamatan`)."""
    return levels_of(with_parents(dataset.register, dataset.catalog))[-1]


def capaian_table(table: pd.DataFrame, catalog: Catalog, year: int, level: str,
                  jenis: str | None = "sasaran") -> pd.DataFrame:
    """One row per indicator (of `jenis`; None for all) and area of `level` in `year`, in catalog order.

    Columns: CAPAIAN_COLUMNS; `no` numbers the rows 1..n (for ordering only: readers see the
    indicator id); `realisasi` is the computed `nilai`;
    `langsung` is True for an indicator reported directly, whose source is `sumber_nilai`.
    """
    ind = catalog.indicators
    if jenis is not None:
        ind = ind[ind["jenis"] == jenis]
    rows = table[(table["tahun"] == year) & (table["level"] == level) & table["indikator"].isin(ind.index)]
    order = {ident: i for i, ident in enumerate(ind.index)}
    rows = rows.assign(_order=rows["indikator"].map(order)).sort_values(["kode_wilayah", "_order"], kind="stable")
    spec = ind.loc[rows["indikator"]]
    out = pd.DataFrame({
        "no": np.arange(1, len(rows) + 1),
        "indikator": rows["indikator"].to_numpy(),
        "jenis": spec["jenis"].to_numpy(),
        "sasaran_strategis": spec["sasaran_strategis"].map(sentence_case).to_numpy(),
        "nama": spec["nama"].to_numpy(),
        "satuan": spec["satuan"].to_numpy(),
        "polaritas": spec["polaritas"].to_numpy(),
        "desimal": spec["desimal"].astype(int).to_numpy(),
        "kode_wilayah": rows["kode_wilayah"].to_numpy(),
        "nama_wilayah": rows["nama_wilayah"].to_numpy(),
        "target": rows["target"].astype(float).to_numpy(),
        "realisasi": rows["nilai"].astype(float).to_numpy(),
        "capaian": rows["capaian"].astype(float).to_numpy(),
        "predikat": rows["predikat"].to_numpy(),
        "langsung": (spec["nilai"] == DIRECT).to_numpy(),
        "sumber_nilai": rows["sumber_nilai"].to_numpy() if "sumber_nilai" in rows else "",
    })
    return out[CAPAIAN_COLUMNS]


def sentence_case(text: str) -> str:
    """The first letter in capitals, the rest as written.

    >>> sentence_case("peningkatan kesejahteraan masyarakat")
    'Peningkatan kesejahteraan masyarakat'
    """
    text = str(text).strip()
    return text[:1].upper() + text[1:]


def with_previous(current: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """`current` (a capaian table) with `realisasi_sebelumnya` and `selisih` from `previous`.

    `arah` says whether the change is good for the indicator's polarity (`change_direction`):
    `membaik`, `memburuk`, `tetap`, or '' when either year has no value.
    """
    out = current.copy()
    if previous is None or previous.empty:
        prev = pd.Series(np.nan, index=out.index)
    else:
        keyed = previous.set_index(["indikator", "kode_wilayah"])["realisasi"]
        prev = pd.Series(keyed.reindex(pd.MultiIndex.from_arrays([out["indikator"], out["kode_wilayah"]])).to_numpy(),
                         index=out.index, dtype=float)
    out["realisasi_sebelumnya"] = prev
    out["selisih"] = out["realisasi"] - prev
    out["arah"] = change_direction(out["selisih"], out["desimal"], out["polaritas"])
    return out


IMPROVED = "membaik"
WORSENED = "memburuk"
UNCHANGED = "tetap"


def _rounds_to_zero(x: float, decimals: int) -> bool:
    """True when `x` shows as 0 at `decimals` (half away from zero, as `formatting` shows it)."""
    return abs(Decimal(repr(float(x)))) < Decimal(5).scaleb(-int(decimals) - 1)


def change_direction(selisih, desimal, polaritas) -> np.ndarray:
    """Per row, what a change of realisasi means for the indicator: `membaik` (up for a
    positive polarity, down for a negative one), `memburuk` (the other way), `tetap` (the
    change shows as 0 at the indicator's decimals), or '' when the change is missing.

    >>> change_direction([-0.36, -0.36, 0.004, float("nan")], [2, 2, 2, 2],
    ...                  ["negatif", "positif", "positif", "positif"]).tolist()
    ['membaik', 'memburuk', 'tetap', '']
    """
    out = []
    for d, n, pol in zip(selisih, desimal, polaritas):
        if pd.isna(d):
            out.append("")
        elif _rounds_to_zero(d, n):
            out.append(UNCHANGED)
        else:
            out.append(IMPROVED if (d > 0) != (pol == "negatif") else WORSENED)
    return np.array(out, dtype=object)


REACHED = "tercapai"
NOT_REACHED = "belum tercapai"


def reaches_target(realisasi: float, target: float, polaritas: str) -> bool | None:
    """True when realisasi is at or past the target for the indicator's polarity (at or above
    for a positive one, at or below for a negative one), which is capaian 100% or more; None
    when either is missing. A difference of float noise (relative 1e-9) counts as equal.

    >>> reaches_target(1.09, 1.5, "negatif"), reaches_target(97.51, 99.0, "positif"), reaches_target(90, None, "")
    (True, False, None)
    """
    if realisasi is None or target is None or pd.isna(realisasi) or pd.isna(target):
        return None
    if np.isclose(realisasi, target, rtol=1e-9, atol=0.0):
        return True
    return bool(realisasi < target) if polaritas == "negatif" else bool(realisasi > target)


def target_status(capaian: pd.DataFrame) -> list[str]:
    """Per row of a capaian table: `tercapai`, `belum tercapai`, or '' without realisasi or target."""
    out = []
    for r, t, pol in zip(capaian["realisasi"], capaian["target"], capaian["polaritas"]):
        reached = reaches_target(r, t, pol)
        out.append("" if reached is None else REACHED if reached else NOT_REACHED)
    return out


def reason(catatan: str, pembilang_label: str, penyebut_label: str) -> str:
    """The reader's text for a desa row's `catatan` code ('' when there is nothing to say)."""
    texts = {
        NO_DATA: "data tidak dilaporkan; desa tidak ikut dihitung",
        MISSING_AS_ZERO: f"{pembilang_label} tidak dilaporkan; dihitung tidak tercapai",
        ZERO_DENOMINATOR: f"{penyebut_label} = 0; nilai tidak dapat dihitung",
        ABOVE_DENOMINATOR: f"{pembilang_label} melebihi {penyebut_label.lower()}; nilai dipakai apa adanya",
    }
    return texts.get(catatan, "")


def desa_breakdown(table: pd.DataFrame, catalog: Catalog, indikator: str, year: int) -> pd.DataFrame:
    """The desa rows of one indicator and year, in register order, with `keterangan` (why a
    desa has no value or needs a look) in Bahasa Indonesia. An indicator reported directly
    has no desa rows (an empty frame)."""
    if catalog.is_direct(indikator):
        return pd.DataFrame({c: pd.Series(dtype=object if c in ("kode_desa", "desa", "catatan", "keterangan")
                                          else bool if c == "dihitung" else float) for c in BREAKDOWN_COLUMNS})
    spec = catalog.indicators.loc[indikator]
    rows = table[(table["tahun"] == year) & (table["level"] == "desa") & (table["indikator"] == indikator)]
    num_label = catalog.variables[spec["pembilang"]]["label"]
    den_label = ("Jumlah desa" if spec["penyebut"] == NUMBER_OF_DESA
                 else catalog.variables[spec["penyebut"]]["label"])
    notes = []
    for r in rows.itertuples(index=False):
        text = reason(r.catatan, num_label, den_label)
        if r.catatan == NO_DATA:
            missing = [label for label, x in ((num_label, r.pembilang), (den_label, r.penyebut)) if pd.isna(x)]
            text = f"{' dan '.join(missing)} tidak dilaporkan; desa tidak ikut dihitung"
        notes.append(sentence_case(text) if text else "")
    out = pd.DataFrame({
        "kode_desa": rows["kode_wilayah"].to_numpy(),
        "desa": rows["nama_wilayah"].to_numpy(),
        "pembilang": rows["pembilang"].astype(float).to_numpy(),
        "penyebut": rows["penyebut"].astype(float).to_numpy(),
        "nilai": rows["nilai"].astype(float).to_numpy(),
        "dihitung": rows["dihitung"].astype(bool).to_numpy(),
        "catatan": rows["catatan"].to_numpy(),
        "keterangan": notes,
    })
    return out[BREAKDOWN_COLUMNS]


def pulling_down(breakdown: pd.DataFrame, polaritas: str, top_value: float, n: int = 3) -> pd.DataFrame:
    """The desa worse than the top-level value, worst first: the `n` worst, with ties kept.

    Worse means lower for positive polarity, higher for negative. A desa counted as not
    achieved because it did not report is worst of all (its numerator counts as 0).
    """
    counted = breakdown[breakdown["dihitung"]]
    missing = counted[counted["catatan"] == MISSING_AS_ZERO]
    valued = counted[counted["nilai"].notna()]
    if pd.isna(top_value):
        worse = valued.iloc[0:0]
    elif polaritas == "negatif":
        worse = valued[valued["nilai"] > top_value].sort_values("nilai", ascending=False, kind="stable")
    else:
        worse = valued[valued["nilai"] < top_value].sort_values("nilai", ascending=True, kind="stable")
    ranked = pd.concat([missing, worse])
    if len(ranked) > n:
        cut = ranked.iloc[n - 1]
        if cut["catatan"] == MISSING_AS_ZERO:
            ranked = ranked[ranked["catatan"] == MISSING_AS_ZERO]
        else:
            keep = ranked["nilai"] <= cut["nilai"] if polaritas != "negatif" else ranked["nilai"] >= cut["nilai"]
            ranked = ranked[(ranked["catatan"] == MISSING_AS_ZERO) | keep]
    return ranked.reset_index(drop=True)


def problems_table(problems: list[Problem], year: int) -> pd.DataFrame:
    """The problems that concern `year` (or no year in particular), for the report:
    columns `tingkat, indikator, kode_desa, lokasi, pesan`, one row per distinct problem."""
    chosen = [p for p in problems if p.tahun is None or int(p.tahun) == year]
    out = pd.DataFrame({
        "tingkat": [p.tingkat for p in chosen],
        "indikator": [p.indikator or "" for p in chosen],
        "kode_desa": [p.kode_desa or "" for p in chosen],
        "lokasi": [p.location() for p in chosen],
        "pesan": [p.pesan for p in chosen],
    }, columns=["tingkat", "indikator", "kode_desa", "lokasi", "pesan"])
    return out.drop_duplicates().reset_index(drop=True)


def problems_per_year(problems: list[Problem], years: list[int]) -> pd.DataFrame:
    """Count of errors and warnings per year: columns `tahun, galat, peringatan`."""
    rows = []
    for year in years:
        mine = [p for p in problems if p.tahun is not None and int(p.tahun) == year]
        rows.append({"tahun": year, "galat": sum(p.is_error for p in mine),
                     "peringatan": sum(not p.is_error for p in mine)})
    return pd.DataFrame(rows, columns=["tahun", "galat", "peringatan"])
