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

from ..engine.compute import compute, with_parents
from ..ingest.dataset import Dataset
from ..exceptions import ParameterError
from ..report import markup
from .narrative import (area_text, indicator_paragraph, join_words, missing_desa_text, per_desa_indicator,
                        pulling_text)
from .presentation import breakdown_display, breakdown_numeric
from ..problems import Problem, warning
from ..engine.quality import quality_problems
from ..ingest.register import PARENT_LEVELS
from .tables import capaian_table, desa_breakdown, problems_table, pulling_down, top_level, with_previous


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


def is_own_area(meta: dict, level: str, kode: str, nama: str) -> bool:
    """True when the area is the catalog's own (`wilayah`): same code, or same level and name."""
    own = meta.get("wilayah") or {}
    if str(own.get("kode", "")) and str(own.get("kode")) == str(kode):
        return True
    return str(own.get("nama", "")).lower() == str(nama).lower() and own.get("level", "kecamatan") == level


def area_meta(meta: dict, area: Area | None, top: list[tuple[str, str, str]] | None = None) -> dict:
    """The catalog's meta for the title page. For one area other than the catalog's own,
    `instansi` names that area (the catalog names one office). For the whole register
    (`area` None), `top` lists its top areas as (level, kode, nama): when they are not just
    the catalog's own area (a kabupaten- or province-wide register), `instansi` names them."""
    if area is None:
        if not top or (len(top) == 1 and is_own_area(meta, *top[0])):
            return meta
        return dict(meta, instansi=join_words([area_text(level, nama) for level, _, nama in top]))
    if is_own_area(meta, area.level, area.kode, area.nama):
        return meta
    return dict(meta, instansi=f"Kantor {area_text(area.level, area.nama)} {area.parent}".strip())


def register_meta(dataset: Dataset) -> dict:
    """The title-page meta for a report on the whole register (see `area_meta`)."""
    top = [(a.level, a.kode, a.nama) for a in areas(dataset, top_level(dataset))]
    return area_meta(dataset.catalog.meta, None, top)  # no parent columns: no top areas, the catalog's own


def report_year(dataset: Dataset, tahun: int | None) -> int:
    """The year of the annual report: `tahun`, or the latest year of the data when None."""
    if tahun is None:
        if not dataset.years:
            raise ParameterError(f"tidak ada tahun data di {dataset.data_dir}")
        return max(dataset.years)
    return dataset.check_year(tahun)


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
    meta = register_meta(dataset) if info is None else area_meta(catalog.meta, info)
    return AnnualInputs(table, level, sasaran, tujuan, previous_in_data, years, indicators, area, info, meta,
                        parse_run_time(run_time))


def indicator_section(inputs: AnnualInputs, catalog, row: pd.Series, year: int) -> str:
    """One indicator's section of the annual report (HTML): heading, the paragraph on its
    realisasi, target, capaian and change; for an indicator computed from desa data the desa
    that pull it down and the desa breakdown table; for one reported directly, its source."""
    ident = row["indikator"]
    head = markup.heading(f"{ident} {row['nama']}", 3)
    texts = [indicator_paragraph(row, year, inputs.area, inputs.previous_in_data)]
    if catalog.is_direct(ident):
        return head + markup.paragraphs(texts)
    breakdown = desa_breakdown(inputs.table, catalog, ident, year)
    pulling = pulling_down(breakdown, row["polaritas"], row["realisasi"])
    texts += [pulling_text(pulling, per_desa_indicator(catalog, ident), row["polaritas"], row["satuan"],
                           int(row["desimal"]), inputs.area),
              missing_desa_text(breakdown)]
    shown = breakdown_display(breakdown, catalog, ident)
    return (head + markup.paragraphs(texts)
            + markup.table(shown, numeric=breakdown_numeric(shown), caption=f"Rincian per desa: {ident} tahun {year}",
                           css_class="data rincian"))


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
           "indicator_section", "is_own_area", "missing_target_text", "parse_run_time", "provenance_parameters",
           "register_names", "report_areas", "report_problems", "report_year", "with_parents"]
