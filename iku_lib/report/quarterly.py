"""The quarterly (triwulan) monitoring report: what it shows, as one model.

`build_monitoring(dataset, year, quarter)` gathers, for the register's top level (the area the
annual report is about, e.g. Kecamatan Kaloran), from `engine.quarterly`:

- `rows`: every indicator cumulative to the quarter, the target it is measured against
  (`dasar_target`: the cumulative quarterly target, else the annual one), capaian and predikat:
  the top-level rows of `compute_quarter`, the numbers `iku compute --triwulan` writes;
- `path`: the same for every quarter 1..n with data (`quarter_path`), and `targets`, the target
  path: per indicator and quarter 1..4 the cumulative quarterly target where `target.csv` gives
  one, and the annual target;
- `pace`: the early warning (`quarterly_pace`: a straight-line projection for flows, the latest
  value for stocks);
- `completeness`: desa x quarter 1..n, reported or not, and the quarter's warnings
  (`quarter_problems`: each desa that has not reported, each gap);
- `files`: the quarter files read, beside the year's (`quarterly_sources`).

The `*_display` functions turn its parts into reader tables (text, numbers written by
`formatting`); `quarterly_html` lays them out, `quarterly_excel` writes them with full
precision, `quarterly_chart` draws the path.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..engine.compute import attach_targets
from ..engine.quarterly import (BASIS, BASIS_ANNUAL, BASIS_QUARTER, completeness, compute_quarter, quarter_path,
                                quarter_problems)
from ..exceptions import ParameterError
from ..formatting import EMPTY, angka
from ..ingest.dataset import Dataset, year_dirs
from ..ingest.quarters import QuarterData, read_quarters
from ..ingest.targets import TARGET_COLUMNS
from ..ingest.triwulan import COLUMN as QUARTER, QUARTERS
from ..problems import Problem
from .annual import areas, parse_run_time, register_meta
from .narrative import area_text, join_words
from .quarterly_names import quarter_phrase, quarter_range, roman
from .quarterly_pace import LATEST, WARNINGS, method_text, pace_table
from .quarterly_sources import quarter_files
from .tables import top_level

BASIS_WORDS = {BASIS_QUARTER: "target triwulan (kumulatif)", BASIS_ANNUAL: "target tahunan", "": "tidak ada target"}
ID = "Kode Indikator"


def basis_words(basis: str, quarter: int) -> str:
    """`dasar_target` in words, as the report says it.

    >>> basis_words("triwulan", 2), basis_words("tahunan", 2), basis_words("", 2)
    ('target triwulan II (kumulatif)', 'target tahunan', 'tidak ada target')
    """
    if basis == BASIS_QUARTER:
        return f"target triwulan {roman(quarter)} (kumulatif)"
    return BASIS_WORDS.get(basis or "", BASIS_WORDS[""])


# --- the period -------------------------------------------------------------------------------------

def quarters_of(dataset: Dataset, year: int) -> list[int]:
    """The quarters of `year` with data (`QuarterData.quarters`)."""
    return read_quarters(dataset, int(year)).quarters


def quarter_years(dataset: Dataset) -> list[int]:
    """The years that have quarter data, in order: year folders holding a quarter folder with
    data files, and (for directly reported indicators) the years of `realisasi.csv`'s quarter rows."""
    data_dir = dataset.data_dir
    candidates = set(dataset.years) | ({y for y, _ in year_dirs(data_dir)} if data_dir.is_dir() else set())
    return [y for y in sorted(candidates) if quarters_of(dataset, y)]


def report_period(dataset: Dataset, tahun: int | None, triwulan: int | None) -> tuple[int, int]:
    """The year and quarter of the report: the ones given, or the latest year with quarter data
    and its latest quarter with data (for the notebook run as it is). ParameterError in
    Indonesian when there is no quarter data."""
    if tahun is None:
        years = quarter_years(dataset)
        if not years:
            raise ParameterError(f"tidak ada data triwulan di {dataset.data_dir}: data triwulan diletakkan di "
                                 "<tahun>/triwulan-<n>/, misalnya 2023/triwulan-1/")
        tahun = years[-1]
    if triwulan is None:
        found = quarters_of(dataset, int(tahun))
        if not found:
            raise ParameterError(f"tidak ada data triwulan tahun {tahun} di {dataset.data_dir}: data triwulan "
                                 f"diletakkan di {tahun}/triwulan-<n>/")
        triwulan = found[-1]
    return int(tahun), int(triwulan)


# --- the model --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Monitoring:
    """Everything the quarterly monitoring report shows (see `build_monitoring`)."""

    year: int
    quarter: int
    level: str  # the register's top level
    indicators: pd.DataFrame  # the catalog's indicators, in its order
    table: pd.DataFrame  # compute_quarter(year, quarter): every level (QUARTER_API_COLUMNS)
    rows: pd.DataFrame  # its top-level rows, in catalog order, with `target_tahunan`
    path: pd.DataFrame  # top-level rows of every quarter 1..quarter with data, with `target_tahunan`
    targets: pd.DataFrame  # indikator, kode_wilayah, triwulan (1..4), target_triwulan, target_tahunan
    pace: pd.DataFrame  # quarterly_pace.PACE_COLUMNS, one row per top-level row
    completeness: pd.DataFrame  # kode_desa, nama_desa, triwulan (1..quarter), dilaporkan
    problems: list[Problem]  # the quarter's warnings (quarter_problems)
    files: pd.DataFrame  # the quarter files read: berkas, ukuran, sha256
    grades: list[tuple[float | None, str]]
    meta: dict
    run_time: datetime.datetime
    area: str  # "Kecamatan Kaloran"

    @property
    def title(self) -> str:
        return "Pemantauan Triwulanan Indikator Kinerja Utama (IKU)"

    @property
    def subtitle(self) -> str:
        return f"{self.area} · {quarter_phrase(self.year, self.quarter)}"

    @property
    def quarters(self) -> list[int]:
        """The quarters 1..quarter that have data (those of `path`)."""
        return sorted(int(q) for q in self.path[QUARTER].unique())

    @property
    def several_areas(self) -> bool:
        return self.rows["kode_wilayah"].nunique() > 1

    def warnings(self) -> pd.DataFrame:
        """The early-warning rows: a projection that misses the annual target, or a stock not there yet."""
        return self.pace[self.pace["status"].isin(WARNINGS)]


def annual_targets(dataset: Dataset, rows: pd.DataFrame, year: int, level: str) -> pd.Series:
    """The annual target of each row (area rows of `level`), NaN where there is none: what
    `compute` attaches for the year (the area's own target, else the general one)."""
    annual = dataset.targets[dataset.targets["tahun"] == int(year)][TARGET_COLUMNS]
    return attach_targets(rows.assign(tahun=int(year)), annual, level)["target"]


def target_path(dataset: Dataset, quarters: QuarterData, rows: pd.DataFrame, level: str) -> pd.DataFrame:
    """Per top-level row and quarter 1..4: the cumulative quarterly target `target.csv` gives
    for it (NaN where none) and the annual target."""
    year = quarters.year
    keys = rows[["indikator", "level", "kode_wilayah"]].assign(tahun=year).reset_index(drop=True)
    annual = annual_targets(dataset, keys, year, level).to_numpy(dtype=float)
    parts = []
    for q in QUARTERS:
        given = quarters.targets[quarters.targets[QUARTER] == q][TARGET_COLUMNS]
        target = attach_targets(keys, given, level)["target"].to_numpy(dtype=float)
        parts.append(pd.DataFrame({"indikator": keys["indikator"], "kode_wilayah": keys["kode_wilayah"], QUARTER: q,
                                   "target_triwulan": target, "target_tahunan": annual}))
    out = pd.concat(parts, ignore_index=True)
    order = {ident: i for i, ident in enumerate(dataset.catalog.ids)}
    return out.assign(_o=out["indikator"].map(order)).sort_values(["_o", "kode_wilayah", QUARTER], kind="stable") \
        .drop(columns="_o").reset_index(drop=True)


def _top(table: pd.DataFrame, level: str) -> pd.DataFrame:
    return table[table["level"] == level].reset_index(drop=True)


def build_monitoring(dataset: Dataset, year: int, quarter: int, run_time: str | None = None) -> Monitoring:
    """The monitoring report of quarter `quarter` of `year` for the register's top level.
    Raises what `compute_quarter` raises (ParameterError for a quarter without data, DataError
    for errors in the quarter data, CatalogError for a variable without `sifat`)."""
    dataset.require_valid()
    quarters = read_quarters(dataset, int(year))
    table = compute_quarter(dataset, int(year), quarter, quarters)
    year, quarter = quarters.year, int(table[QUARTER].iloc[0]) if len(table) else int(quarter)
    level = top_level(dataset)
    rows = _top(table, level)
    rows = rows.assign(target_tahunan=annual_targets(dataset, rows, year, level).to_numpy(dtype=float))
    path = _top(quarter_path(dataset, year, quarter, quarters), level)
    path = path.assign(target_tahunan=annual_targets(dataset, path, year, level).to_numpy(dtype=float))
    register = dataset.register
    reported = completeness(quarters, register)
    reported = reported[reported[QUARTER] <= quarter].reset_index(drop=True)
    names = [str(a.nama) for a in areas(dataset, level)] if level != "desa" else []
    area = area_text(level, join_words(names or list(rows["nama_wilayah"].astype(str).unique())))
    return Monitoring(year, quarter, level, dataset.catalog.indicators, table, rows, path,
                      target_path(dataset, quarters, rows, level),
                      pace_table(rows, rows["target_tahunan"], dataset.catalog, quarter), reported,
                      quarter_problems(dataset, quarters, quarter), quarter_files(dataset, quarters.files),
                      dataset.catalog.grades, register_meta(dataset), parse_run_time(run_time), area)


def parameters(model: Monitoring, data_dir) -> dict[str, object]:
    """The parameters listed in the provenance section."""
    return {"tahun": model.year, "triwulan": model.quarter, "data_dir": data_dir}


# --- what the reader sees ---------------------------------------------------------------------------

SUMMARY_NUMERIC = ["Realisasi", "Target", "Capaian (%)"]


def _spec(model: Monitoring, ident: str) -> pd.Series:
    return model.indicators.loc[ident]


def _text(x: object) -> str:
    return x if isinstance(x, str) and x else EMPTY


def summary_display(model: Monitoring) -> pd.DataFrame:
    """Per indicator: Kode Indikator, Indikator Kinerja, Satuan, Realisasi (cumulative to the
    quarter), Target (the one it is measured against), Dasar Target (in words), Capaian (%),
    Predikat; Wilayah after the id when the top level holds several areas."""
    r = model.rows
    d = [int(_spec(model, i)["desimal"]) for i in r["indikator"]]
    out = pd.DataFrame({
        ID: r["indikator"].astype(str).to_numpy(),
        "Indikator Kinerja": [str(_spec(model, i)["nama"]) for i in r["indikator"]],
        "Satuan": r["satuan"].astype(str).to_numpy(),
        "Realisasi": [angka(x, k) for x, k in zip(r["nilai"], d)],
        "Target": [angka(x, k) for x, k in zip(r["target"], d)],
        "Dasar Target": [basis_words(b, model.quarter) for b in r[BASIS]],
        "Capaian (%)": [angka(x, 2) for x in r["capaian"]],
        "Predikat": [_text(p) for p in r["predikat"]],
    })
    if model.several_areas:
        out.insert(1, "Wilayah", r["nama_wilayah"].astype(str).to_numpy())
    return out


def summary_text(model: Monitoring) -> str:
    """One paragraph: how many indicators are measured against which target, and how many
    reach it so far."""
    r = model.rows
    n = len(r)
    quarter_based = int((r[BASIS] == BASIS_QUARTER).sum())
    annual_based = int((r[BASIS] == BASIS_ANNUAL).sum())
    reached = int((r["capaian"] >= 100 - 1e-9).sum())
    with_capaian = int(r["capaian"].notna().sum())
    where = model.area
    parts = [f"Sampai akhir triwulan {roman(model.quarter)} tahun {model.year}, {angka(n)} indikator {where} "
             f"dihitung dari nilai kumulatif {quarter_range(model.quarter)}."]
    if quarter_based:
        parts.append(f"{angka(quarter_based)} indikator diukur terhadap target triwulan {roman(model.quarter)} "
                     "yang ditetapkan (kumulatif).")
    if annual_based:
        parts.append(f"{angka(annual_based)} indikator tidak memiliki target triwulan, sehingga capaiannya adalah "
                     "kemajuan terhadap target tahunan.")
    if n - quarter_based - annual_based:
        parts.append(f"{angka(n - quarter_based - annual_based)} indikator tidak memiliki target.")
    if with_capaian:
        parts.append(f"{angka(reached)} dari {angka(with_capaian)} indikator dengan capaian sudah mencapai 100% "
                     "atau lebih terhadap targetnya.")
    return " ".join(parts)


def path_display(model: Monitoring) -> pd.DataFrame:
    """Per indicator its cumulative value at the end of every quarter 1..n with data, then the
    quarterly target of quarter n (where given) and the annual target: Kode Indikator,
    Satuan, Triwulan I, ..., Target Triwulan <n>, Target Tahunan."""
    path = model.path
    out_rows = []
    for r in model.rows.itertuples(index=False):
        d = int(_spec(model, r.indikator)["desimal"])
        mine = path[(path["indikator"] == r.indikator) & (path["kode_wilayah"] == r.kode_wilayah)]
        by_q = dict(zip(mine[QUARTER].astype(int), mine["nilai"]))
        row = {ID: r.indikator}
        if model.several_areas:
            row["Wilayah"] = r.nama_wilayah
        row["Satuan"] = r.satuan
        for q in model.quarters:
            row[f"Triwulan {roman(q)}"] = angka(by_q.get(q, np.nan), d)
        targets = model.targets[(model.targets["indikator"] == r.indikator)
                                & (model.targets["kode_wilayah"] == r.kode_wilayah)]
        quarter_target = targets.loc[targets[QUARTER] == model.quarter, "target_triwulan"]
        row[f"Target Triwulan {roman(model.quarter)}"] = angka(quarter_target.iloc[0] if len(quarter_target)
                                                               else np.nan, d)
        row["Target Tahunan"] = angka(r.target_tahunan, d)
        out_rows.append(row)
    return pd.DataFrame(out_rows)


def pace_display(model: Monitoring, pace: pd.DataFrame | None = None) -> pd.DataFrame:
    """The early warning (rows of `pace`, default all) as text: Kode Indikator, Satuan, Nilai
    s.d. Triwulan <n>, Cara Memperkirakan, Perkiraan Akhir Tahun, Target Tahunan, Capaian
    Perkiraan (%), Status."""
    pace = model.pace if pace is None else pace
    d = [int(_spec(model, i)["desimal"]) for i in pace["indikator"]]
    out = pd.DataFrame({
        ID: pace["indikator"].astype(str).to_numpy(),
        "Satuan": [str(_spec(model, i)["satuan"]) for i in pace["indikator"]],
        f"Nilai s.d. Triwulan {roman(model.quarter)}": [angka(x, k) for x, k in zip(pace["nilai"], d)],
        "Cara Memperkirakan": [method_text(m, model.quarter) for m in pace["metode"]],
        "Perkiraan Akhir Tahun": [angka(x, k) for x, k in zip(pace["proyeksi"], d)],
        "Target Tahunan": [angka(x, k) for x, k in zip(pace["target_tahunan"], d)],
        "Capaian Perkiraan (%)": [angka(x, 2) for x in pace["capaian_proyeksi"]],
        "Status": pace["status"].astype(str).to_numpy(),
    })
    if model.several_areas:
        out.insert(1, "Wilayah", pace["nama_wilayah"].astype(str).to_numpy())
    return out


PACE_NUMERIC_PREFIXES = ("Nilai s.d.", "Perkiraan Akhir Tahun", "Target Tahunan", "Capaian Perkiraan")


def latest_stock_note(model: Monitoring) -> str:
    """The plain statement about stocks and statuses, naming those indicators ('' when none)."""
    stocks = list(model.pace.loc[model.pace["metode"] == LATEST, "indikator"].unique())
    if not stocks or model.quarter == QUARTERS[-1]:
        return ""
    return (f"Untuk indikator yang pembilangnya variabel stok atau status ({join_words(stocks)}), garis lurus "
            "tidak banyak berarti: nilainya tidak bertambah seiring waktu seperti penerimaan atau jumlah kejadian, "
            "dan sebuah status (misalnya RKP Desa yang baru ditetapkan pada triwulan III) dapat berubah sekaligus. "
            f"Karena itu yang dibandingkan dengan target tahunan adalah nilai terakhir (sampai triwulan "
            f"{roman(model.quarter)}), tanpa proyeksi; statusnya ditulis \"belum mencapai target tahunan\" atau "
            "\"sudah mencapai target tahunan\", bukan perkiraan.")


def completeness_display(model: Monitoring) -> pd.DataFrame:
    """The desa that have not reported a quarter to date: Kode Wilayah, Desa, Triwulan Belum
    Dilaporkan (`I, II`)."""
    missing = model.completeness[~model.completeness["dilaporkan"]]
    rows = []
    for (code, name), group in missing.groupby(["kode_desa", "nama_desa"], sort=False):
        rows.append({"Kode Wilayah": str(code), "Desa": str(name),
                     "Triwulan Belum Dilaporkan": ", ".join(roman(q) for q in group[QUARTER])})
    return pd.DataFrame(rows, columns=["Kode Wilayah", "Desa", "Triwulan Belum Dilaporkan"])


def completeness_counts(model: Monitoring) -> pd.DataFrame:
    """Per quarter 1..n: how many desa reported, of how many: Triwulan, Desa Melapor, Jumlah
    Desa, Belum Melapor."""
    table = model.completeness
    rows = []
    for q, group in table.groupby(QUARTER, sort=True):
        done = int(group["dilaporkan"].sum())
        rows.append({"Triwulan": roman(q), "Desa Melapor": angka(done), "Jumlah Desa": angka(len(group)),
                     "Belum Melapor": angka(len(group) - done)})
    return pd.DataFrame(rows, columns=["Triwulan", "Desa Melapor", "Jumlah Desa", "Belum Melapor"])


def completeness_text(model: Monitoring) -> str:
    """One sentence on who has reported the quarters to date."""
    table = model.completeness
    n_desa = table["kode_desa"].nunique()
    missing = table[~table["dilaporkan"]]
    span = quarter_range(model.quarter)
    if missing.empty:
        return f"Semua {angka(n_desa)} desa sudah melaporkan data {span} tahun {model.year}."
    who = missing["kode_desa"].nunique()
    return (f"{angka(who)} dari {angka(n_desa)} desa belum melaporkan sedikitnya satu triwulan ({span} tahun "
            f"{model.year}); desa itu tercantum di bawah. Variabel alir desa yang belum melapor tidak punya nilai "
            "kumulatif (tidak dianggap nol), sehingga desa itu tidak ikut dihitung pada indikatornya; variabel "
            "stok memakai nilai triwulan terakhir yang dilaporkan.")
