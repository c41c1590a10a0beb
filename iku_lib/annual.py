"""What the annual evaluation notebook shows, for the whole register or for one area in it.

`annual_inputs(dataset, year)` is the whole register at its top level (the one-kecamatan
report, e.g. Kaloran). `annual_inputs(dataset, year, kode_wilayah)` is one area of a
multi-area register (a kecamatan, or a kabupaten/provinsi): its desa, its own row as
realisasi, and only the targets `target.csv` gives for that area's code. A target given for
a higher level (or for the register's top level) is never used for the area: such an
indicator has no target, no capaian and no predikat, and the report says so
(`missing_target_text`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pandas as pd

from .compute import compute, with_parents
from .dataset import Dataset
from .exceptions import ParameterError
from .narrative import area_text, join_words
from .problems import Problem, warning
from .quality import quality_problems
from .register import PARENT_LEVELS
from .tables import capaian_table, problems_table, top_level, with_previous


@dataclass(frozen=True)
class Area:
    """One area of the register above desa."""

    level: str
    kode: str
    nama: str
    desa: tuple[str, ...]  # kode_desa of its desa, in register order
    parent: str = ""  # e.g. "Kabupaten Temanggung" for a kecamatan, when the register says


def parse_run_time(text: str | None) -> datetime.datetime:
    """The run time shown in a report: `text` (ISO 8601, shared by a batch of reports) or now.

    >>> parse_run_time("2024-03-01T10:20:30")
    datetime.datetime(2024, 3, 1, 10, 20, 30)
    """
    return datetime.datetime.fromisoformat(text) if text else datetime.datetime.now()


def areas(dataset: Dataset, level: str = "kecamatan") -> list[Area]:
    """The areas of `level` in the register, in the order they first appear (none when the
    register has no column for that level)."""
    register = dataset.register
    spec = next((p for p in PARENT_LEVELS if p[0] == level), None)
    if spec is None:
        raise ParameterError(f"level wilayah '{level}' tidak dikenal")
    _, code_col, name_col = spec
    if code_col not in register.columns:
        return []
    above = [p for p in PARENT_LEVELS[PARENT_LEVELS.index(spec) + 1:] if p[1] in register.columns]
    out = []
    for kode, rows in register.groupby(code_col, sort=False):
        parent = f"{above[0][0].capitalize()} {rows[above[0][2]].iloc[0]}" if above else ""
        out.append(Area(level, str(kode), str(rows[name_col].iloc[0]), tuple(rows["kode_desa"]), parent))
    return out


def find_area(dataset: Dataset, kode: str) -> Area:
    """The area with code `kode` at any level of the register; ParameterError if none."""
    for lvl, code_col, _ in PARENT_LEVELS:
        if code_col in dataset.register.columns:
            for area in areas(dataset, lvl):
                if area.kode == str(kode):
                    return area
    raise ParameterError(f"kode wilayah '{kode}' tidak ada pada desa.csv (kolom kode_kecamatan/kode_kabupaten/"
                         "kode_provinsi)")


def report_areas(dataset: Dataset) -> list[Area]:
    """The areas that get their own annual report: every kecamatan when the register has more
    than one; none (one report for the whole register) otherwise."""
    found = areas(dataset, "kecamatan")
    return found if len(found) > 1 else []


def area_table(table: pd.DataFrame, area: Area) -> pd.DataFrame:
    """The rows of the computed table that belong to `area`: its desa and its own row."""
    desa = (table["level"] == "desa") & table["kode_wilayah"].isin(area.desa)
    own = (table["level"] == area.level) & (table["kode_wilayah"] == area.kode)
    return table[desa | own].reset_index(drop=True)


def area_meta(meta: dict, area: Area | None) -> dict:
    """The catalog's meta for the title page: as it is for the whole register; for an area
    other than the catalog's own, `instansi` names that area (the catalog names one kecamatan)."""
    if area is None:
        return meta
    own = meta.get("wilayah") or {}
    if str(own.get("nama", "")).lower() == area.nama.lower() and own.get("level", "kecamatan") == area.level:
        return meta
    return dict(meta, instansi=f"Kantor {area_text(area.level, area.nama)} {area.parent}".strip())


@dataclass
class AnnualInputs:
    """Everything the annual notebook needs (see `annual_inputs`)."""

    table: pd.DataFrame
    level: str
    sasaran: pd.DataFrame
    tujuan: pd.DataFrame
    previous_in_data: bool
    years: list[int]
    indicators: pd.DataFrame
    area: str
    area_info: Area | None
    meta: dict
    run_time: datetime.datetime


def annual_inputs(dataset: Dataset, year: int, kode_wilayah: str | None = None,
                  run_time: str | None = None) -> AnnualInputs:
    """The tables of the annual report for `year`: the whole register (kode_wilayah None) or one area."""
    dataset.check_year(year)
    catalog = dataset.catalog
    info = None if kode_wilayah is None else find_area(dataset, str(kode_wilayah))
    previous_in_data = (year - 1) in dataset.years
    years = [year - 1, year] if previous_in_data else [year]
    table = compute(dataset, years)
    if info is None:
        level = top_level(dataset)
    else:
        level = info.level
        table = area_table(table, info)
    sasaran = capaian_table(table, catalog, year, level, "sasaran")
    tujuan = capaian_table(table, catalog, year, level, "tujuan")
    previous = capaian_table(table, catalog, year - 1, level, jenis=None) if previous_in_data else None
    indicators = with_previous(capaian_table(table, catalog, year, level, jenis=None), previous)
    area = area_text(level, join_words(list(indicators["nama_wilayah"].unique())))
    return AnnualInputs(table, level, sasaran, tujuan, previous_in_data, years, indicators, area, info,
                        area_meta(catalog.meta, info), parse_run_time(run_time))


def missing_target_text(indicators: pd.DataFrame, year: int, area: str, kode: str | None) -> str:
    """For an area report: a plain statement when `target.csv` has no target for the area
    (all or some indicators); '' when every indicator has one or for the whole register."""
    if kode is None:
        return ""
    missing = indicators[indicators["target"].isna()]
    if missing.empty:
        return ""
    where = f"{area} (kode {kode})"
    if len(missing) == len(indicators):
        return (f"Berkas target.csv tidak memuat target tahun {year} untuk {where}. Target wilayah lain, termasuk "
                "wilayah di atasnya, tidak dipakai untuk wilayah ini; karena itu capaian dan predikat tidak "
                "dihitung dan tabel hanya menunjukkan realisasi.")
    return (f"Berkas target.csv tidak memuat target tahun {year} untuk {where} pada {len(missing)} indikator "
            f"({join_words(list(missing['indikator']))}); capaian dan predikat indikator itu tidak dihitung. "
            "Target wilayah di atasnya tidak dipakai.")


def report_problems(dataset: Dataset, inputs: AnnualInputs, year: int) -> pd.DataFrame:
    """The data-quality notes of the report (`tables.problems_table`): for the whole register
    as before; for an area only the problems of its desa (and those about no desa in
    particular), plus a note for each indicator without a target for the area."""
    rows = inputs.table[inputs.table["tahun"] == year]
    info = inputs.area_info
    if info is None:
        return problems_table(dataset.problems + quality_problems(rows, dataset), year)
    desa = set(info.desa)
    mine: list[Problem] = [p for p in dataset.problems + quality_problems(rows, dataset)
                           if p.kode_desa is None or p.kode_desa in desa]
    who = f"{area_text(info.level, info.nama)} ({info.kode})"
    for r in rows[(rows["level"] == info.level) & rows["target"].isna() & rows["nilai"].notna()].itertuples():
        mine.append(warning(f"{r.indikator} tahun {r.tahun}: tidak ada target untuk {who}; capaian tidak dihitung",
                            kode="target_tidak_ada", tahun=int(r.tahun), indikator=r.indikator))
    return problems_table(mine, year)


def register_names(dataset: Dataset) -> dict[str, str]:
    """kode_desa -> nama_desa."""
    return dict(zip(dataset.register["kode_desa"], dataset.register["nama_desa"]))


def provenance_parameters(year: int, data_dir, kode_wilayah: str | None) -> dict[str, object]:
    """The parameters listed in the provenance section (kode_wilayah only for an area report)."""
    params: dict[str, object] = {"tahun": year, "data_dir": data_dir}
    if kode_wilayah is not None:
        params["kode_wilayah"] = kode_wilayah
    return params


__all__ = ["Area", "AnnualInputs", "annual_inputs", "area_meta", "area_table", "areas", "find_area",
           "missing_target_text", "parse_run_time", "provenance_parameters", "register_names", "report_areas",
           "report_problems", "with_parents"]
