"""LKjIP chapter III.A.6 (efficiency of the resources used) and III.B (realisasi anggaran).

The budget comes as links (`ingest.anggaran.anggaran_links`): one row per budget line x
indicator it supports, with columns `tahun, indikator, program, kegiatan, pagu, realisasi`
and `baris` (the budget line; a line linked to several indicators appears once per
indicator, with the same `baris`).

Serapan (absorption) of an indicator in a year = sum(realisasi) / sum(pagu) x 100 over the
budget lines linked to it. Efficiency, by the catalog's `efisiensi` setting
(`ingest.catalog.EfficiencySetting`; sources in docs/methodology.md):

- `rasio` (Badan POM): indeks efisiensi IE = capaian / serapan, efisien when IE >= 1,
  otherwise tidak efisien; tingkat efisiensi TE = (IE - 1) x 100, in percent;
- `selisih` (Kabupaten Banjarnegara): capaian - serapan in points; above `batas` efisien,
  -batas to batas (inclusive) cukup efisien, below -batas tidak efisien.

Pagu 0, realisasi anggaran 0 (serapan 0), no linked budget line, incomplete budget figures or
no capaian: `tidak dapat dihitung`, with the reason(s) in `alasan`.

>>> cap = pd.DataFrame({"indikator": ["IKU-01"], "tahun": [2023], "capaian": [95.0]})
>>> links = pd.DataFrame({"tahun": [2023], "indikator": ["IKU-01"], "program": ["P"], "kegiatan": ["K"],
...                       "pagu": [200e6], "realisasi": [180e6], "baris": [2]})
>>> row = efficiency_table(cap, links).iloc[0]
>>> float(row["serapan"]), round(float(row["indeks"]), 4), row["kategori"]
(90.0, 1.0556, 'efisien')

Pure functions: DataFrames in, a new DataFrame out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import ParameterError
from ..ingest.catalog import EFFICIENCY_DIFFERENCE, EFFICIENCY_RATIO, Catalog, EfficiencySetting
from .capaian import GRADE_TOLERANCE

LINK_COLUMNS = ["tahun", "indikator", "program", "kegiatan", "pagu", "realisasi"]
EFFICIENCY_COLUMNS = ["indikator", "tahun", "pagu", "realisasi_anggaran", "serapan", "capaian", "metode", "indeks",
                      "tingkat_efisiensi", "selisih", "kategori", "alasan"]
PROGRAM_COLUMNS = ["tahun", "tingkat", "program", "kegiatan", "indikator", "pagu", "realisasi", "serapan"]
EFFICIENT = "efisien"
FAIRLY_EFFICIENT = "cukup efisien"
NOT_EFFICIENT = "tidak efisien"
NOT_COMPUTABLE = "tidak dapat dihitung"
# `tingkat` of a program_serapan row
PROGRAM, ACTIVITY, TOTAL = "program", "kegiatan", "jumlah"


def _check_columns(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ParameterError(f"{what}: kolom wajib tidak ada: {', '.join(missing)}")


def absorption(pagu: float, realisasi: float) -> float:
    """Serapan in percent: realisasi / pagu x 100; NaN when pagu is 0 or either is missing.

    >>> absorption(200_000_000, 180_000_000), absorption(0, 0)
    (90.0, nan)
    """
    if pd.isna(pagu) or pd.isna(realisasi) or pagu == 0:
        return float("nan")
    return float(realisasi) * 100 / float(pagu)  # x 100 first: 180e6 * 100 / 200e6 is exactly 90


def _sum(values: pd.Series) -> float:
    """A sum that is NaN when any value is missing (an incomplete budget is not a smaller one)."""
    return float(values.sum()) if values.notna().all() else float("nan")


def indicator_budget(anggaran: pd.DataFrame) -> pd.DataFrame:
    """Per indicator and year: pagu, realisasi_anggaran (sums over its linked budget lines),
    serapan and `baris_anggaran`, the number of lines. A line listed twice for the same
    indicator (same `baris`, when the column is there) counts once."""
    _check_columns(anggaran, LINK_COLUMNS, "tabel tautan anggaran")
    links = anggaran
    if "baris" in links.columns:
        links = links.drop_duplicates(["tahun", "indikator", "baris"])
    records = []
    for (ident, year), lines in links.groupby(["indikator", "tahun"], sort=False):
        pagu, spent = _sum(lines["pagu"]), _sum(lines["realisasi"])
        records.append({"indikator": ident, "tahun": int(year), "pagu": pagu, "realisasi_anggaran": spent,
                        "serapan": absorption(pagu, spent), "baris_anggaran": len(lines)})
    return pd.DataFrame(records, columns=["indikator", "tahun", "pagu", "realisasi_anggaran", "serapan",
                                          "baris_anggaran"])


def _one_area(capaian: pd.DataFrame) -> pd.DataFrame:
    _check_columns(capaian, ["indikator", "tahun", "capaian"], "tabel capaian")
    if "kode_wilayah" in capaian.columns and capaian["kode_wilayah"].nunique() > 1:
        raise ParameterError("tabel capaian memuat lebih dari satu wilayah; efisiensi dihitung untuk satu "
                             "wilayah: pilih dulu baris wilayah laporan")
    if capaian.duplicated(["indikator", "tahun"]).any():
        raise ParameterError("tabel capaian memuat lebih dari satu baris untuk indikator dan tahun yang sama")
    return capaian


def judge(capaian: float, serapan: float, setting: EfficiencySetting) -> tuple[float, float, float, str]:
    """(indeks, tingkat_efisiensi, selisih, kategori) of one capaian and serapan, both known and
    serapan > 0. Only the method's own figures are given; the others are NaN.

    >>> judge(95.0, 90.0, EfficiencySetting("selisih", 5.0))
    (nan, nan, 5.0, 'cukup efisien')
    """
    if setting.metode == EFFICIENCY_RATIO:
        index = capaian / serapan
        category = EFFICIENT if index >= 1 - GRADE_TOLERANCE else NOT_EFFICIENT
        return index, (index - 1) * 100, float("nan"), category
    gap = capaian - serapan
    margin = float(setting.batas)
    if gap > margin + GRADE_TOLERANCE:
        category = EFFICIENT
    elif gap < -margin - GRADE_TOLERANCE:
        category = NOT_EFFICIENT
    else:  # -batas to batas, both ends included (Banjarnegara: "-5 to 5 cukup efisien")
        category = FAIRLY_EFFICIENT
    return float("nan"), float("nan"), gap, category


def _reasons(year: int, linked: bool, pagu: float, spent: float, capaian: float) -> list[str]:
    reasons = []
    if not linked:
        reasons.append(f"tidak ada program/kegiatan yang ditautkan ke indikator ini pada anggaran {year}")
    elif np.isnan(pagu) or np.isnan(spent):
        reasons.append(f"data pagu atau realisasi anggaran {year} tidak lengkap")
    elif pagu == 0:
        reasons.append("pagu anggaran 0, sehingga serapan tidak dapat dihitung")
    elif spent == 0:
        reasons.append("realisasi anggaran 0 (serapan 0%), sehingga efisiensi tidak dapat dihitung")
    if np.isnan(capaian):
        reasons.append(f"capaian kinerja {year} tidak tersedia (realisasi atau target tidak ada)")
    return reasons


def efficiency_table(capaian: pd.DataFrame, anggaran: pd.DataFrame, catalog: Catalog | None = None,
                     setting: EfficiencySetting | None = None) -> pd.DataFrame:
    """Efficiency per indicator and year of the report area (columns EFFICIENCY_COLUMNS).

    `capaian`: the area's rows of the computed table (at least `indikator, tahun, capaian`;
    one area). `anggaran`: the budget links (LINK_COLUMNS, and `baris` when known). The method
    is `setting`, else the catalog's `efisiensi`, else `rasio`. Rows: every indicator and year
    of `capaian` and of `anggaran`, in catalog order (when a catalog is given) and by year.
    """
    capaian = _one_area(capaian)
    setting = setting or (catalog.efficiency if catalog is not None else EfficiencySetting())
    budget = indicator_budget(anggaran)
    keys = pd.concat([capaian[["indikator", "tahun"]], budget[["indikator", "tahun"]]], ignore_index=True)
    keys = keys.astype({"tahun": int}).drop_duplicates().reset_index(drop=True)
    order = {ident: i for i, ident in enumerate(catalog.ids)} if catalog is not None else {}
    keys["_order"] = keys["indikator"].map(lambda i: order.get(i, len(order)))
    keys = keys.sort_values(["_order", "indikator", "tahun"], kind="stable").drop(columns="_order")
    index = pd.MultiIndex.from_frame(keys)
    got = capaian.astype({"tahun": int}).set_index(["indikator", "tahun"])["capaian"].reindex(index)
    money = budget.set_index(["indikator", "tahun"]).reindex(index)
    linked = money["baris_anggaran"].notna().to_numpy()

    records = []
    for i, (ident, year) in enumerate(index):
        pagu = float(money["pagu"].iloc[i])
        spent = float(money["realisasi_anggaran"].iloc[i])
        serapan = float(money["serapan"].iloc[i])
        achieved = float(got.iloc[i])
        reasons = _reasons(year, bool(linked[i]), pagu, spent, achieved)
        if reasons:
            figures, category = (np.nan, np.nan, np.nan), NOT_COMPUTABLE
        else:
            *figures, category = judge(achieved, serapan, setting)
        records.append({"indikator": ident, "tahun": int(year), "pagu": pagu, "realisasi_anggaran": spent,
                        "serapan": serapan, "capaian": achieved, "metode": setting.metode,
                        "indeks": figures[0], "tingkat_efisiensi": figures[1], "selisih": figures[2],
                        "kategori": category, "alasan": "; ".join(reasons)})
    return pd.DataFrame(records, columns=EFFICIENCY_COLUMNS).astype({"tahun": int})


def program_serapan(anggaran: pd.DataFrame, tahun: int | None = None) -> pd.DataFrame:
    """Realisasi anggaran per program, and per kegiatan within it, with a total per year
    (chapter III.B; columns PROGRAM_COLUMNS).

    `anggaran` is the full budget links frame (LINK_COLUMNS and `baris`); a budget line linked
    to several indicators is counted once (by `tahun` and `baris`). Per year: each program
    (`tingkat` program, in order of first appearance) followed by its kegiatan (`tingkat`
    kegiatan), then the year's total (`tingkat` jumlah, program and kegiatan empty).
    `indikator` lists the indicators a program or kegiatan is linked to.
    """
    _check_columns(anggaran, LINK_COLUMNS + ["baris"], "tabel tautan anggaran")
    links = anggaran if tahun is None else anggaran[anggaran["tahun"] == int(tahun)]
    links = links.assign(program=links["program"].fillna("").astype(str),
                         kegiatan=links["kegiatan"].fillna("").astype(str))
    line_key = ["tahun", "baris"]
    figures = links.drop_duplicates(line_key + ["program", "kegiatan", "pagu", "realisasi"])
    clash = figures[figures.duplicated(line_key, keep=False)]
    if len(clash):
        year, line = clash.iloc[0][line_key]
        raise ParameterError(f"baris anggaran {line} tahun {year} tercantum dengan program, kegiatan, pagu atau "
                             "realisasi yang berbeda; satu baris anggaran harus sama untuk setiap indikatornya")
    lines = links.drop_duplicates(line_key)
    linked = links.groupby(line_key, sort=False)["indikator"].agg(lambda s: sorted({str(i) for i in s.dropna()}))

    def ids_of(part: pd.DataFrame) -> str:
        found = set()
        for key in zip(part["tahun"], part["baris"]):
            found.update(linked.loc[key])
        return ", ".join(sorted(found))

    def row(year, level, program, activity, part):
        pagu, spent = _sum(part["pagu"]), _sum(part["realisasi"])
        return {"tahun": int(year), "tingkat": level, "program": program, "kegiatan": activity,
                "indikator": ids_of(part) if level != TOTAL else "", "pagu": pagu, "realisasi": spent,
                "serapan": absorption(pagu, spent)}

    records = []
    for year in sorted(lines["tahun"].unique()):
        of_year = lines[lines["tahun"] == year]
        for program, part in of_year.groupby("program", sort=False):
            records.append(row(year, PROGRAM, program, "", part))
            for activity, sub in part[part["kegiatan"] != ""].groupby("kegiatan", sort=False):
                records.append(row(year, ACTIVITY, program, activity, sub))
        records.append(row(year, TOTAL, "", "", of_year))
    return pd.DataFrame(records, columns=PROGRAM_COLUMNS).astype({"tahun": int})
