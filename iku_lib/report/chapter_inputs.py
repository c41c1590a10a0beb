"""Everything LKjIP chapter III needs for one area and year, computed once (`chapter_inputs`).

The area follows `annual.annual_inputs`: without `kode_wilayah` the whole register at its top
level (which must be one area, e.g. Kecamatan Kaloran), otherwise the area with that code (its
desa, its own row, and only the targets given for it). The indicator table is `compute` for
every year of the Renstra period up to the report year that has data (and the year before the
report year), so every number is `iku compute`'s own, unrounded.

The optional inputs (`Dataset.analisis`, `standar`, `anggaran`) are taken for the report year;
`missing_inputs` names those the data directory does not give, in words for the reader.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..engine.compute import compute
from ..engine.efficiency import efficiency_table
from ..engine.multiyear import multiyear_table, period_years
from ..engine.renstra import renstra_progress
from ..exceptions import ParameterError
from ..ingest.anggaran import SEPARATOR, anggaran_links
from ..ingest.catalog import Catalog
from ..ingest.dataset import Dataset
from .annual import area_meta, area_table, find_area, register_meta
from .narrative import area_text
from .tables import capaian_table, top_level, with_previous

ANALISIS_FILE = "analisis.csv"
STANDAR_FILE = "standar.csv"
ANGGARAN_FILE = "anggaran.csv"
LINE_COLUMNS = ["tahun", "indikator", "program", "kegiatan", "pagu", "realisasi", "baris", "didukung"]


@dataclass
class ChapterInputs:
    """The computed tables of one chapter: one area (`kode`, `level`, `area` in words), one year."""

    dataset: Dataset
    catalog: Catalog
    year: int
    kode: str
    level: str
    area: str  # e.g. "Kecamatan Kaloran"
    meta: dict  # the title-page meta of the area (instansi)
    table: pd.DataFrame  # `compute` for the years shown, the area's rows (and its desa)
    indicators: pd.DataFrame  # the capaian table of the year, every indicator, with the year before; by id
    sasaran: pd.DataFrame  # the capaian table of the sasaran indicators (tables.capaian_table)
    tujuan: pd.DataFrame  # ... and of the tujuan indicators
    multiyear: pd.DataFrame  # engine.multiyear.multiyear_table
    renstra: pd.DataFrame  # engine.renstra.renstra_progress (its `nilai` named `realisasi`), by id
    efficiency: pd.DataFrame  # engine.efficiency.efficiency_table of the year, by id
    links: pd.DataFrame  # the year's budget lines per indicator (ingest.anggaran.anggaran_links)
    lines: pd.DataFrame  # the year's budget lines, every one (LINE_COLUMNS), for chapter III.B
    analisis: pd.DataFrame  # the year's analysis rows, by id
    standar: pd.DataFrame  # the year's standards, by id
    kode_wilayah: str | None = None  # as given: None for the whole register

    @property
    def has_analisis(self) -> bool:
        return not self.dataset.analisis.empty

    @property
    def has_standar(self) -> bool:
        return not self.dataset.standar.empty

    @property
    def has_anggaran(self) -> bool:
        return not self.dataset.anggaran.empty

    def spec(self, ident: str) -> pd.Series:
        """The catalog's row of an indicator."""
        return self.catalog.indicators.loc[ident]


def shown_years(catalog: Catalog, year: int, data_years: list[int]) -> list[int]:
    """The years computed for the chapter: those of `period_years` that have data, and the year
    before `year` (for the change from last year) when it has data.

    >>> from iku_lib import load_catalog
    >>> shown_years(load_catalog(), 2021, [2019, 2020, 2021, 2022])
    [2019, 2020, 2021]
    >>> shown_years(load_catalog(), 2025, [2022, 2023, 2024, 2025])
    [2022, 2023, 2024, 2025]
    """
    wanted = set(period_years(catalog, year, data_years)) | {year - 1}
    return sorted(y for y in data_years if y in wanted)


def budget_lines(anggaran: pd.DataFrame, year: int) -> pd.DataFrame:
    """The year's budget lines as `engine.efficiency.program_serapan` takes them: one row per
    line and indicator it supports, and one row without indicator (None) for a line that
    supports none, which still counts in the totals. `baris` numbers the lines of the whole
    budget (one line, one number, whatever file or sheet it came from); `didukung` lists the
    indicators of the line ("IKU-05, IKU-06")."""
    rows = []
    for number, r in enumerate(anggaran.itertuples(index=False), start=1):
        if int(r.tahun) != int(year):
            continue
        ids = [i for i in (r.indikator if isinstance(r.indikator, str) else "").split(SEPARATOR) if i]
        for ident in ids or [None]:
            rows.append({"tahun": int(r.tahun), "indikator": ident, "program": r.program, "kegiatan": r.kegiatan,
                         "pagu": float(r.pagu), "realisasi": float(r.realisasi), "baris": number,
                         "didukung": ", ".join(ids)})
    frame = pd.DataFrame(rows, columns=LINE_COLUMNS)
    return frame.astype({"tahun": "int64", "pagu": "float64", "realisasi": "float64", "baris": "int64"})


def _area(dataset: Dataset, year: int, kode_wilayah: str | None, table: pd.DataFrame):
    """(table of the area, level, code, area in words, meta) as `annual.annual_inputs` chooses them."""
    if kode_wilayah is not None:
        info = find_area(dataset, str(kode_wilayah))
        return (area_table(table, info), info.level, info.kode, area_text(info.level, info.nama),
                area_meta(dataset.catalog.meta, info))
    level = top_level(dataset)
    own = table[(table["level"] == level) & (table["tahun"] == year)]
    codes = list(dict.fromkeys(own["kode_wilayah"].astype(str)))
    if len(codes) != 1:
        raise ParameterError(f"data memuat {len(codes)} wilayah tingkat {level}; bab kinerja disusun untuk satu "
                             f"wilayah: berikan kode_wilayah salah satunya ({', '.join(codes[:10])})")
    name = str(own["nama_wilayah"].iloc[0])
    return table, level, codes[0], area_text(level, name), register_meta(dataset)


def _by_id(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    rows = frame[frame["tahun"] == year] if "tahun" in frame else frame
    return rows.drop_duplicates("indikator").set_index("indikator")


def chapter_inputs(dataset: Dataset, year: int, kode_wilayah: str | None = None) -> ChapterInputs:
    """Compute everything the chapter shows for `year` and the area (see the module's doc)."""
    year = dataset.check_year(year)
    catalog = dataset.catalog
    full = compute(dataset, shown_years(catalog, year, dataset.years))
    table, level, kode, area, meta = _area(dataset, year, kode_wilayah, full)
    mine = table[(table["level"] != level) | (table["kode_wilayah"].astype(str) == kode)]

    def capaian(y: int, jenis: str | None) -> pd.DataFrame:
        found = capaian_table(mine, catalog, y, level, jenis)
        return found[found["kode_wilayah"].astype(str) == kode].reset_index(drop=True)

    previous = capaian(year - 1, None) if (year - 1) in set(mine["tahun"]) else None
    indicators = with_previous(capaian(year, None), previous).set_index("indikator", drop=False)
    indicators.index.name = None
    own = mine[(mine["level"] == level) & (mine["tahun"] == year)]
    links = anggaran_links(dataset.anggaran)
    links = links[links["tahun"] == year].reset_index(drop=True)
    efficiency = efficiency_table(own[["indikator", "tahun", "capaian", "kode_wilayah"]], links, catalog)
    return ChapterInputs(
        dataset=dataset, catalog=catalog, year=year, kode=kode, level=level, area=area, meta=meta, table=mine,
        indicators=indicators, sasaran=capaian(year, "sasaran"), tujuan=capaian(year, "tujuan"),
        multiyear=multiyear_table(mine, catalog, year, kode),
        renstra=renstra_progress(mine, dataset.targets, catalog, year, kode, top_level(dataset))
        .rename(columns={"nilai": "realisasi"}).set_index("indikator"),
        efficiency=_by_id(efficiency, year), links=links, lines=budget_lines(dataset.anggaran, year),
        analisis=_by_id(dataset.analisis, year), standar=_by_id(dataset.standar, year),
        kode_wilayah=None if kode_wilayah is None else str(kode_wilayah))


def missing_inputs(inputs: ChapterInputs) -> list[str]:
    """The optional inputs the chapter goes without, each said in words for the reader."""
    year = inputs.year
    out = []
    checks = [
        (ANALISIS_FILE, inputs.has_analisis, not inputs.analisis.empty,
         "analisis penyebab keberhasilan/kegagalan, solusi dan program pendukung per indikator"),
        (STANDAR_FILE, inputs.has_standar, not inputs.standar.empty,
         "standar nasional/provinsi sebagai pembanding realisasi"),
        (ANGGARAN_FILE, inputs.has_anggaran, not inputs.lines.empty,
         "pagu dan realisasi anggaran program/kegiatan, untuk efisiensi dan realisasi anggaran"),
    ]
    for name, given, this_year, what in checks:
        if not given:
            out.append(f"{name} belum ada: {what}")
        elif not this_year:
            out.append(f"{name} tidak memuat tahun {year}: {what}")
    return out


def missing_desa(inputs: ChapterInputs) -> list[str]:
    """The desa of the area that gave no value an indicator needs in the year, one line each
    (register order), saying what the indicator did with the desa: counted as not achieved
    (`kosong: tidak_tercapai`, which lowers the area's value) or left out of numerator and
    denominator (`kosong: dikecualikan`). Empty when every desa reported."""
    from ..engine.compute import MISSING_AS_ZERO, NO_DATA

    rows = inputs.table[(inputs.table["tahun"] == inputs.year) & (inputs.table["level"] == "desa")
                        & inputs.table["catatan"].isin([NO_DATA, MISSING_AS_ZERO])]
    if rows.empty:
        return []
    ind = inputs.catalog.indicators
    order = {code: i for i, code in enumerate(inputs.dataset.register["kode_desa"])}
    lines = []
    for kode, group in sorted(rows.groupby("kode_wilayah", sort=False), key=lambda g: order.get(g[0], len(order))):
        parts = []
        for r in group.itertuples():
            numerator, denominator = ind.at[r.indikator, "pembilang"], ind.at[r.indikator, "penyebut"]
            if r.catatan == MISSING_AS_ZERO:
                parts.append(f"tanpa nilai {numerator}, sehingga {r.indikator} menghitung desa ini tidak tercapai "
                             f"(nilai {r.indikator} wilayah ikut turun)")
            else:
                gone = [v for v, x in ((numerator, r.pembilang), (denominator, r.penyebut)) if pd.isna(x)]
                parts.append(f"tanpa nilai {' / '.join(gone)}, sehingga {r.indikator} tidak menghitung desa ini "
                             "(dikecualikan dari pembilang dan penyebut)")
        lines.append(f"{area_text('desa', group['nama_wilayah'].iloc[0])} ({kode}): " + "; ".join(parts))
    return lines
