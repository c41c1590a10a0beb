"""The comparison report (the Bappeda view): the areas of one level side by side.

`build_comparison(dataset, first, last, level)` computes the indicators of the areas at
`level` (default `default_level`: the level just below the register's top area) for the
years `first`..`last` and gathers what the report shows: every indicator's ranking
(`engine.ranking.rank_areas`), the summary matrix and predikat counts of the last year, the
top area's own values (the reference line of the charts) and, over several years, each
area's change from the first to the last year. The `*_display` functions turn its parts into
reader tables (text, numbers written by `formatting`); `comparison_html` lays them out,
`comparison_excel` writes them to Excel, `comparison_chart` draws the bars.

Where a register has one area at its top level (one kabupaten of kecamatan, one kecamatan of
desa), that area is the reference; where it has several (a national register of provinces),
there is none and the charts say so.

>>> comparison_name("kecamatan", 2023, 2023), comparison_name("kabupaten", 2021, 2023)
('perbandingan-kecamatan-2023', 'perbandingan-kabupaten-2021-2023')
>>> level_phrase("kecamatan"), level_phrase("desa")
('antarkecamatan', 'antardesa')
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..engine.compute import compute, levels_of, with_parents
from ..engine.ranking import (BY_CAPAIAN, NO_PREDIKAT, area_changes, matrix_indicators, predikat_counts,
                              rank_areas, summary_matrix)
from ..exceptions import ParameterError
from ..formatting import EMPTY, angka
from ..ingest.dataset import Dataset
from ..ingest.register import PARENT_LEVELS
from .annual import parse_run_time, register_meta
from .narrative import area_text, join_words
from .presentation import signed
from .tables import change_direction

LEVELS = ("desa",) + tuple(level for level, _, _ in PARENT_LEVELS)
NAME_PATTERN = re.compile(r"perbandingan-(desa|kecamatan|kabupaten|provinsi)-(\d{4})(?:-(\d{4}))?")
MANY = 40  # more ranked areas than this: tables and charts of the report show the top and bottom SHOWN
SHOWN = 15
RANK_HEADERS = ["Peringkat", "Kode", "Wilayah", "Nilai", "Target", "Capaian (%)", "Predikat"]
RANK_NUMERIC = ["Peringkat", "Nilai", "Target", "Capaian (%)"]


def comparison_name(level: str, first: int, last: int) -> str:
    """The file stem of a comparison: `perbandingan-<level>-<year>` or `...-<first>-<last>`."""
    return f"perbandingan-{level}-{first}" if first == last else f"perbandingan-{level}-{first}-{last}"


def level_phrase(level: str) -> str:
    """`antarkecamatan` (antar- is written joined to its word)."""
    return f"antar{level}"


def register_levels(dataset: Dataset) -> list[str]:
    """The levels the register adds up to, lowest first (`desa`, `kecamatan`, ...)."""
    return levels_of(with_parents(dataset.register, dataset.catalog))


def _area_count(dataset: Dataset, level: str) -> int:
    register = with_parents(dataset.register, dataset.catalog)
    column = "kode_desa" if level == "desa" else next(code for lvl, code, _ in PARENT_LEVELS if lvl == level)
    return int(register[column].nunique())


def default_level(dataset: Dataset) -> str:
    """The level just below the register's top area (kecamatan for one kabupaten, desa for one
    kecamatan); the top level itself when the register has several areas there."""
    levels = register_levels(dataset)
    top = levels[-1]
    if _area_count(dataset, top) > 1 or len(levels) == 1:
        return top
    return levels[-2]


def check_level(dataset: Dataset, level: str | None) -> str:
    """`level` (or the default) when the register has it; ParameterError in Indonesian otherwise."""
    if level is None:
        return default_level(dataset)
    level = str(level).strip().lower()
    present = register_levels(dataset)
    if level not in LEVELS:
        raise ParameterError(f"level '{level}' tidak dikenal; pilih salah satu: {', '.join(present)}")
    if level not in present:
        columns = next((f"kode_{lvl}/nama_{lvl}" for lvl, _, _ in PARENT_LEVELS if lvl == level), level)
        raise ParameterError(f"level '{level}' tidak ada pada data ini: desa.csv tidak memuat kolom {columns}; "
                             f"pilih salah satu: {', '.join(present)}")
    return level


def check_years(dataset: Dataset, years: list[int]) -> tuple[int, int]:
    """The first and last of `years`, each one the data has (ParameterError otherwise)."""
    if not years:
        raise ParameterError("berikan tahun perbandingan, misalnya --year 2023 atau --year 2021-2023")
    for year in years:
        dataset.check_year(year)
    return min(years), max(years)


@dataclass(frozen=True)
class Comparison:
    """Everything the comparison report shows (see `build_comparison`)."""

    level: str
    first: int
    last: int
    years: list[int]
    indicators: pd.DataFrame  # the catalog's indicators, in its order
    ranked: pd.DataFrame  # rank_areas of every year first..last
    reference: pd.DataFrame  # the top area's rows (indikator, tahun, nilai, target, capaian, predikat); may be empty
    reference_label: str  # "Kabupaten Sukamakmur", or "" without a single top area
    parent: str  # what the areas are part of, for titles: "Kabupaten Sukamakmur", "34 provinsi"
    grades: list[tuple[float | None, str]]
    meta: dict
    run_time: datetime.datetime
    changes: pd.DataFrame | None = None  # area_changes first -> last, when first < last
    matrix: pd.DataFrame = field(default_factory=pd.DataFrame)
    counts: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def labels(self) -> list[str]:
        return [label for _, label in self.grades]

    @property
    def title(self) -> str:
        return f"Perbandingan Indikator Kinerja Utama (IKU) {level_phrase(self.level)}"

    @property
    def period(self) -> str:
        return str(self.last) if self.first == self.last else f"{self.first}–{self.last}"

    @property
    def subtitle(self) -> str:
        return f"{self.parent} · Tahun {self.period}" if self.parent else f"Tahun {self.period}"

    @property
    def name(self) -> str:
        return comparison_name(self.level, self.first, self.last)

    @property
    def n_areas(self) -> int:
        return int(self.ranked["kode_wilayah"].nunique())

    def last_year(self, ident: str | None = None) -> pd.DataFrame:
        """The ranking of the last year (of one indicator)."""
        rows = self.ranked[self.ranked["tahun"] == self.last]
        return rows if ident is None else rows[rows["indikator"] == ident]

    def reference_row(self, ident: str, year: int | None = None) -> pd.Series | None:
        """The reference area's row of `ident` in `year` (default the last), or None."""
        year = self.last if year is None else year
        rows = self.reference[(self.reference["indikator"] == ident) & (self.reference["tahun"] == year)]
        return None if rows.empty else rows.iloc[0]

    def basis(self, ident: str) -> str:
        """What `ident` is ranked by in the last year: `capaian` or `nilai`."""
        rows = self.last_year(ident)
        return str(rows["dasar"].iloc[0]) if len(rows) else BY_CAPAIAN


def _parent(dataset: Dataset, levels: list[str], level: str) -> tuple[str, str, bool]:
    """(reference label, parent text, counted): the single top area (the reference when the
    areas are below it), else the top areas named (up to three) or counted."""
    register = with_parents(dataset.register, dataset.catalog)
    top = levels[-1]
    _, code_col, name_col = next(p for p in PARENT_LEVELS if p[0] == top)
    tops = register.drop_duplicates(code_col)
    names = [area_text(top, n) for n in tops[name_col]]
    if len(tops) == 1:
        return (names[0], names[0], False) if level != top else ("", names[0], False)
    if len(names) <= 3:
        return "", join_words(names), False
    return "", f"{len(names)} {top}", True


def build_comparison(dataset: Dataset, first: int, last: int, level: str | None = None,
                     run_time: str | None = None) -> Comparison:
    """The comparison of the areas at `level` (default `default_level`) for `first`..`last`
    (one year when equal): rankings of every year of the range, the last year's summary
    matrix and predikat counts, the change from `first` to `last` when they differ."""
    dataset.require_valid()
    first, last = check_years(dataset, [first, last])
    level = check_level(dataset, level)
    years = [y for y in dataset.years if first <= y <= last]
    catalog = dataset.catalog
    ind = catalog.indicators
    polaritas = ind["polaritas"].to_dict()
    table = compute(dataset, years, level=level)
    ranked = rank_areas(table, polaritas, list(ind.index))
    levels = register_levels(dataset)
    reference_label, parent, counted = _parent(dataset, levels, level)
    if reference_label:
        top = compute(dataset, years, level=levels[-1])
        reference = top[["indikator", "tahun", "nama_wilayah", "nilai", "target", "capaian", "predikat"]]
        reference = reference.reset_index(drop=True)
    else:
        reference = pd.DataFrame(columns=["indikator", "tahun", "nama_wilayah", "nilai", "target", "capaian",
                                          "predikat"])
    final = ranked[ranked["tahun"] == last]
    labels = [label for _, label in catalog.grades]
    changes = area_changes(ranked, first, last, polaritas, list(ind.index)) if first < last else None
    meta = register_meta(dataset)
    if counted:  # many top areas (a national register): counted on the title page, not listed
        meta = dict(meta, instansi=parent)
    return Comparison(level, first, last, years, ind, ranked, reference, reference_label, parent, catalog.grades,
                      meta, parse_run_time(run_time), changes, summary_matrix(final), predikat_counts(final, labels))


def report_years(dataset: Dataset, first: int | None, last: int | None) -> tuple[int, int]:
    """The years of the notebook's parameters: `last` (default the latest year of the data)
    and `first` (default `last`: one year)."""
    if last is None:
        if not dataset.years:
            raise ParameterError(f"tidak ada tahun data di {dataset.data_dir}")
        last = max(dataset.years)
    return check_years(dataset, [int(last)] if first is None else [int(first), int(last)])


def parameters(model: Comparison, data_dir) -> dict[str, object]:
    """The parameters listed in the provenance section."""
    params: dict[str, object] = {"tahun": model.last}
    if model.first != model.last:
        params["tahun_awal"] = model.first
    params.update({"level": model.level, "data_dir": data_dir})
    return params


# --- what the reader sees ---------------------------------------------------------------------------

def shown_rows(rows: pd.DataFrame, many: int = MANY, shown: int = SHOWN) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """(top, bottom, left out) of one indicator's ranking as the report shows it: every area
    when at most `many` are ranked (top holds them all, areas without a rank included);
    otherwise the first `shown` and the last `shown` ranked areas, and how many ranked areas
    are left out between them (areas without a rank are then counted, not listed)."""
    ranked = rows[rows["peringkat"].notna()]
    if len(ranked) <= many:
        return rows, rows.iloc[0:0], 0
    return ranked.iloc[:shown], ranked.iloc[-shown:], len(ranked) - 2 * shown


def _rank_text(rank, keterangan: str) -> str:
    return str(int(rank)) if pd.notna(rank) else (keterangan or EMPTY)


def ranking_display(rows: pd.DataFrame, desimal: int) -> pd.DataFrame:
    """One indicator's ranking as text: Peringkat, Kode, Wilayah, Nilai, Target, Capaian (%),
    Predikat. An area without a rank says why in the Peringkat column (`tidak ada data`)."""
    return pd.DataFrame({
        "Peringkat": [_rank_text(r, k) for r, k in zip(rows["peringkat"], rows["keterangan"])],
        "Kode": rows["kode_wilayah"].astype(str).to_numpy(),
        "Wilayah": rows["nama_wilayah"].astype(str).to_numpy(),
        "Nilai": [angka(x, desimal) for x in rows["nilai"]],
        "Target": [angka(x, desimal) for x in rows["target"]],
        "Capaian (%)": [angka(x, 2) for x in rows["capaian"]],
        "Predikat": [p if isinstance(p, str) and p else EMPTY for p in rows["predikat"]],
    }, columns=RANK_HEADERS)


def gap_row(left_out: int) -> pd.DataFrame:
    """The row standing for the ranked areas a long table leaves out."""
    return pd.DataFrame([["…", "", f"{angka(left_out)} wilayah lain (lihat berkas Excel)", "", "", "", ""]],
                        columns=RANK_HEADERS)


def unranked_note(rows: pd.DataFrame) -> str:
    """`3 wilayah tanpa peringkat: 2 tidak ada data, 1 tidak ada target.` ('' when none)."""
    unranked = rows[rows["peringkat"].isna()]
    if unranked.empty:
        return ""
    counts = unranked["keterangan"].value_counts()
    parts = [f"{angka(n)} {why}" for why, n in counts.items()]
    return f"{angka(len(unranked))} wilayah tanpa peringkat: {join_words(parts)}."


def basis_text(model: Comparison, ident: str) -> str:
    """How an indicator is ranked, in one sentence for the reader."""
    spec = model.indicators.loc[ident]
    if model.basis(ident) == BY_CAPAIAN:
        return ("Diurutkan menurut capaian terhadap target masing-masing wilayah, tertinggi lebih dulu "
                "(capaian sudah memperhitungkan arah indikator).")
    way = "terendah" if spec["polaritas"] == "negatif" else "tertinggi"
    return (f"Tidak ada target {model.level} untuk indikator ini, sehingga diurutkan menurut nilainya, "
            f"{way} lebih dulu ({'makin rendah makin baik' if way == 'terendah' else 'makin tinggi makin baik'}).")


def shown_changes(model: Comparison, ident: str, many: int = MANY, shown: int = SHOWN) -> tuple[pd.DataFrame, int]:
    """(rows, left out) of one indicator's changes as the report shows them: every area when at
    most `many` have a change; otherwise the `shown` largest improvements and the `shown` largest
    declines, and how many areas are left out (those without a change among them)."""
    rows = model.changes[model.changes["indikator"] == ident]
    changed = rows[rows["selisih"].notna()]
    if len(changed) <= many:
        return rows, 0
    return pd.concat([changed.iloc[:shown], changed.iloc[-shown:]]), len(rows) - 2 * shown


def changes_display(model: Comparison, ident: str, rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """One indicator's change from the first to the last year, per area (`rows` of
    `model.changes`, default all of the indicator's), as text: Kode, Wilayah, Nilai <first>,
    Nilai <last>, Perubahan (with membaik / memburuk / tetap by polarity), Capaian <first>,
    Capaian <last> (when there is any), Peringkat <first> -> <last>."""
    spec = model.indicators.loc[ident]
    d = int(spec["desimal"])
    if rows is None:
        rows = model.changes[model.changes["indikator"] == ident]
    arah = change_direction(rows["selisih"], [d] * len(rows), [spec["polaritas"]] * len(rows))
    a, b = model.first, model.last

    def rank(x) -> str:
        return EMPTY if pd.isna(x) else str(int(x))

    out = pd.DataFrame({
        "Kode": rows["kode_wilayah"].astype(str).to_numpy(),
        "Wilayah": rows["nama_wilayah"].astype(str).to_numpy(),
        f"Nilai {a}": [angka(x, d) for x in rows["nilai_awal"]],
        f"Nilai {b}": [angka(x, d) for x in rows["nilai_akhir"]],
        "Perubahan": [signed(x, d) + (f" ({w})" if w else "") for x, w in zip(rows["selisih"], arah)],
        f"Capaian {a} (%)": [angka(x, 2) for x in rows["capaian_awal"]],
        f"Capaian {b} (%)": [angka(x, 2) for x in rows["capaian_akhir"]],
        "Peringkat": [f"{rank(p)} → {rank(q)}" for p, q in zip(rows["peringkat_awal"], rows["peringkat_akhir"])],
    })
    if not np.isfinite(rows["capaian_awal"].to_numpy(dtype=float)).any() and \
            not np.isfinite(rows["capaian_akhir"].to_numpy(dtype=float)).any():
        out = out.drop(columns=[f"Capaian {a} (%)", f"Capaian {b} (%)"])
    return out


def predikat_abbreviations(labels: list[str]) -> dict[str, str]:
    """Short forms of the predikat labels for the matrix cells: their initials (`Sangat
    Tinggi` -> `ST`) when those tell every label apart, else the labels themselves.

    >>> predikat_abbreviations(["Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah"])["Sangat Rendah"]
    'SR'
    >>> predikat_abbreviations(["Baik", "Buruk"])
    {'Baik': 'Baik', 'Buruk': 'Buruk'}
    """
    short = {label: "".join(w[0].upper() for w in label.split() if w) for label in labels}
    if len(set(short.values())) < len(labels) or any(not s for s in short.values()):
        return {label: label for label in labels}
    return short


def ink_on(hex_color: str) -> str:
    """Black or white text, whichever reads better on the background `hex_color`.

    >>> ink_on("#1b7837"), ink_on("#e6a817")
    ('#ffffff', '#000000')
    """
    r, g, b = (int(hex_color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return "#ffffff" if 0.299 * r + 0.587 * g + 0.114 * b < 0.55 else "#000000"


def counts_headers(labels: list[str]) -> list[str]:
    """The count columns' headers: the labels, then `Tanpa predikat`."""
    return [*labels, NO_PREDIKAT.capitalize()]


def matrix_note(model: Comparison) -> str:
    """Which indicators the matrix leaves out (no capaian for any area), for the reader."""
    inside = set(matrix_indicators(model.last_year()))
    out = [i for i in model.indicators.index if i not in inside]
    if not out:
        return ""
    return (f"Indikator tanpa target {model.level} tahun {model.last} ({join_words(out)}) tidak dimuat di matriks; "
            "peringkatnya menurut nilai ada di bagian per indikator.")
