"""Indicators to date within a year, from quarter (triwulan) data (`ingest.quarters`).

Rules (docs/methodology.md, "Quarters"):

- **Cumulation** (`cumulate`), per desa and variable, to quarter n, by the variable's `sifat`:
  `alir` (a flow) is the sum of quarters 1..n, and only when every one of them has a value: a
  quarter not reported is unknown, never a silent 0, so the desa has no value to date (its
  indicator's `kosong` policy applies, as for a missing annual value); `stok` (a stock) is the
  value of the latest quarter <= n that has one: a stock does not start again each quarter, so
  the last state reported stands until a newer one comes, and the quarter it comes from is kept
  (`triwulan_dipakai`) and said in a warning when it is not quarter n.
- **Completeness** (`completeness`, `quarter_problems`): desa x quarter, reported (at least one
  value in the quarter's folder) or not; every desa that has not reported a quarter to date is
  named in a warning, as is every gap in a variable of a desa that did report.
- **The year and its fourth quarter** (`annual_check`): where the year folder and all four quarter
  folders hold data, every annual value must equal the cumulative fourth quarter; a difference
  is an error naming the desa, the variable, the annual file and the quarter files.
- **Computation** (`compute_quarter`): the annual computation itself (`compute.compute_year`: the
  formulas, aggregation, targets, capaian and predikat) run on the cumulative values to quarter
  n and the directly reported values to quarter n, against the cumulative quarterly target where
  `target.csv` gives one (`dasar_target` = `triwulan`), else against the annual target (progress
  towards it, `dasar_target` = `tahunan`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..exceptions import CatalogError, DataError, ParameterError
from ..formatting import angka
from ..ingest.catalog import FLOW, STOCK, Catalog
from ..ingest.dataset import Dataset
from ..ingest.quarters import QuarterData, read_quarters
from ..ingest.targets import TARGET_COLUMNS
from ..ingest.triwulan import COLUMN as QUARTER, QUARTERS, folder_name
from ..problems import Problem, error, warning
from .capaian import add_capaian
from .compute import API_COLUMNS, COLUMNS, attach_targets, compute_year, levels_of, with_parents
from .schemas import indicator_table_schema

BASIS = "dasar_target"
BASIS_QUARTER = "triwulan"  # capaian against the cumulative quarterly target
BASIS_ANNUAL = "tahunan"  # progress against the annual target (no quarterly target given)


def with_quarter_columns(columns: list[str]) -> list[str]:
    """`columns` with `triwulan` after `tahun` and `dasar_target` after `target`.

    >>> with_quarter_columns(["indikator", "tahun", "nilai", "target", "capaian"])
    ['indikator', 'tahun', 'triwulan', 'nilai', 'target', 'dasar_target', 'capaian']
    """
    out = []
    for column in columns:
        out.append(column)
        if column == "tahun":
            out.append(QUARTER)
        elif column == "target":
            out.append(BASIS)
    return out


# What `iku compute --triwulan` writes, and what the API gives: the annual columns plus these two.
QUARTER_COLUMNS = with_quarter_columns(COLUMNS)
QUARTER_API_COLUMNS = with_quarter_columns(API_COLUMNS)
CUMULATIVE_COLUMNS = ["kode_desa", "variabel", "sifat", "nilai", "triwulan_dipakai", "triwulan_kurang"]
# The quarters a bit set stands for (quarter q: bit q - 1), e.g. 0b0101 -> (1, 3).
_QUARTERS_OF = {bits: tuple(q for q in QUARTERS if bits >> (q - 1) & 1) for bits in range(16)}


def check_quarter(triwulan: object) -> int:
    """`triwulan` as 1..4; ParameterError otherwise."""
    if isinstance(triwulan, bool) or not isinstance(triwulan, (int, np.integer)) or int(triwulan) not in QUARTERS:
        raise ParameterError(f"triwulan harus 1, 2, 3 atau 4 (bukan {triwulan!r})")
    return int(triwulan)


def natures(catalog: Catalog) -> dict[str, str]:
    """The `sifat` of every variable that has one; CatalogError naming each variable an indicator
    uses whose `sifat` is not set (a count or an amount of money can be either: no guess)."""
    unset = [name for name in catalog.used_variables() if catalog.nature(name) is None]
    if unset:
        listed = ", ".join(f"variabel.{name}.sifat" for name in unset)
        raise CatalogError(f"{catalog.path}: data triwulan memerlukan sifat setiap variabel yang dipakai indikator; "
                           f"belum diisi: {listed}. Tulis 'sifat: {FLOW}' bila nilainya dijumlahkan dari triwulan ke "
                           f"triwulan (penerimaan, jumlah kejadian, laporan) atau 'sifat: {STOCK}' bila yang berlaku "
                           "nilai triwulan terakhir (jumlah penduduk, rumah, status ya/tidak)")
    return {name: catalog.nature(name) for name in catalog.variables if catalog.nature(name) is not None}


def cumulate(observations: pd.DataFrame, sifat: dict[str, str], triwulan: int) -> pd.DataFrame:
    """The value to quarter `triwulan` of every desa and variable with a value in quarters 1..n
    (CUMULATIVE_COLUMNS), from quarter observations (`kode_desa`, `variabel`, `triwulan`,
    `nilai`; one per desa, variable and quarter) and each variable's `sifat` (variables without
    one are left out). `triwulan_dipakai`: the quarters the value comes from; `triwulan_kurang`:
    for `alir` the quarters 1..n without a value (then `nilai` is NaN), for `stok` the quarters
    after the one used, up to n. Rows by desa, then variable, as they sort.

    >>> obs = pd.DataFrame({"kode_desa": ["A"] * 4, "variabel": ["x", "x", "s", "s"],
    ...                     "triwulan": [1, 2, 1, 3], "nilai": [10.0, 5.0, 100.0, 90.0]})
    >>> cumulate(obs, {"x": "alir", "s": "stok"}, 2)[["variabel", "nilai", "triwulan_dipakai", "triwulan_kurang"]]
      variabel  nilai triwulan_dipakai triwulan_kurang
    0        s  100.0             (1,)            (2,)
    1        x   15.0           (1, 2)              ()
    """
    n = check_quarter(triwulan)
    obs = observations[(observations[QUARTER] <= n) & observations["variabel"].astype(object).isin(list(sifat))]
    obs = obs.assign(variabel=obs["variabel"].astype(object), sifat=obs["variabel"].astype(object).map(sifat),
                     bit=np.left_shift(1, obs[QUARTER].to_numpy(dtype=int) - 1))  # quarter q: bit q - 1
    obs = obs.sort_values(["kode_desa", "variabel", QUARTER], kind="stable")
    key = ["kode_desa", "variabel"]
    flows = obs[obs["sifat"] == FLOW].groupby(key, sort=True).agg(nilai=("nilai", "sum"), bits=("bit", "sum"))
    wanted = (1 << n) - 1  # quarters 1..n
    bits = flows["bits"].to_numpy(dtype=int)
    flows = pd.DataFrame({"nilai": np.where(bits == wanted, flows["nilai"].to_numpy(dtype=float), np.nan),
                          "triwulan_dipakai": [_QUARTERS_OF[b] for b in bits],
                          "triwulan_kurang": [_QUARTERS_OF[wanted & ~b] for b in bits]}, index=flows.index)
    stocks = obs[obs["sifat"] == STOCK].groupby(key, sort=True).tail(1).set_index(key)  # the latest quarter
    stocks = pd.DataFrame({"nilai": stocks["nilai"], "triwulan_dipakai": [(int(q),) for q in stocks[QUARTER]],
                           "triwulan_kurang": [tuple(range(int(q) + 1, n + 1)) for q in stocks[QUARTER]]},
                          index=stocks.index)
    out = pd.concat([flows.assign(sifat=FLOW), stocks.assign(sifat=STOCK)]).sort_index(kind="stable").reset_index()
    if out.empty:
        return pd.DataFrame(columns=CUMULATIVE_COLUMNS).astype({"nilai": float})
    return out[CUMULATIVE_COLUMNS].astype({"nilai": float})


def values_frame(cumulative: pd.DataFrame, register: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """The cumulative values as `Dataset.values` gives a year's: one row per register desa (in
    register order), one column per catalog variable, NaN where there is no value."""
    desa = pd.Index(register["kode_desa"], name="kode_desa")
    wide = pd.DataFrame(np.nan, index=desa, columns=list(catalog.variables))
    if not cumulative.empty:
        table = cumulative.pivot(index="kode_desa", columns="variabel", values="nilai")
        wide.update(table.reindex(index=desa, columns=wide.columns))
    return wide


def completeness(quarters: QuarterData, register: pd.DataFrame) -> pd.DataFrame:
    """Desa x quarter (1..4): `dilaporkan` when the desa has at least one value in the quarter's
    folder (a quarter without folder: not reported by anyone). Register order, then quarter."""
    given = set(zip(quarters.observations["kode_desa"], quarters.observations[QUARTER].astype(int)))
    rows = [(code, name, q, (code, q) in given)
            for code, name in zip(register["kode_desa"], register["nama_desa"]) for q in QUARTERS]
    return pd.DataFrame(rows, columns=["kode_desa", "nama_desa", QUARTER, "dilaporkan"])


def _who(name: object, code: str) -> str:
    return f"Desa {name} ({code})"


def _quarters_text(quarters: tuple[int, ...]) -> str:
    return ", ".join(map(str, quarters))


def quarter_problems(dataset: Dataset, quarters: QuarterData, triwulan: int) -> list[Problem]:
    """Warnings for quarter `triwulan`: a quarter to date without data; a variable an indicator
    uses that a quarter's files do not give at all (named once, not per desa); every desa that has
    not reported a quarter to date (named); and, for a desa that did report, every such variable
    it left empty: a flow without a value to date, a stock taken from an earlier quarter (the
    quarter and value named) or not given at all."""
    n = check_quarter(triwulan)
    year = quarters.year
    if not dataset.catalog.desa_ids:
        return []
    problems: list[Problem] = []
    for q in range(1, n + 1):
        if q not in quarters.with_files:
            problems.append(warning(
                f"belum ada data triwulan {q} tahun {year} (folder {year}/{folder_name(q)}/ tidak ada atau kosong); "
                f"variabel alir tidak punya nilai kumulatif sampai triwulan {n}", tahun=year,
                kode="triwulan_tidak_ada"))
    register = dataset.register
    codes = list(register["kode_desa"])
    names = dict(zip(codes, register["nama_desa"]))
    table = completeness(quarters, register)
    reported = table["dilaporkan"].to_numpy().reshape(len(codes), len(QUARTERS))[:, :n]  # desa x quarter 1..n
    folder = {q: f"{year}/{quarters.folders[q].name}/" for q in quarters.with_files}
    for i, q in zip(*np.nonzero(~reported)):
        if q + 1 in quarters.with_files:
            effect = (f"nilai alir desa ini tidak dihitung sampai triwulan {n}"
                      + (", nilai stoknya dari triwulan terakhir yang dilaporkan" if q + 1 == n else ""))
            problems.append(warning(f"{_who(names[codes[i]], codes[i])} belum melaporkan triwulan {q + 1} tahun {year} "
                                    f"(tidak ada satu nilai pun di folder {folder[q + 1]}); {effect}",
                                    berkas=folder[q + 1], tahun=year, kode_desa=codes[i],
                                    kode="triwulan_belum_dilaporkan"))
    sifat = natures(dataset.catalog)
    used = [v for v in dataset.catalog.used_variables() if v in sifat]
    has = _given(quarters.observations, codes, used, n)  # desa x variable x quarter 1..n
    given = has.any(axis=0)  # variable x quarter: the quarter's files give it for some desa
    for j, variable in enumerate(used):
        absent = [q for q in range(1, n + 1) if q in quarters.with_files and not given[j, q - 1]]
        if absent:
            effect = (f"variabel alir ini tidak punya nilai kumulatif sampai triwulan {n}" if sifat[variable] == FLOW
                      else "variabel stok ini memakai nilai triwulan sebelumnya, bila ada" if absent[-1] == n else "")
            problems.append(warning(
                f"tidak ada nilai {variable} di triwulan {_quarters_text(tuple(absent))} tahun {year}: kolom "
                f"{variable} tidak ada atau kosong di semua berkas folder {', '.join(folder[q] for q in absent)}"
                + (f"; {effect}" if effect else ""), tahun=year, kode="variabel_triwulan_tidak_ada"))
    lacking = ~has & reported[:, None, :] & given[None, :, :]  # a desa that reported leaves a given variable empty
    flows = np.array([sifat[v] == FLOW for v in used], dtype=bool)
    flagged = (lacking.any(axis=2) & flows[None, :]) | (lacking[:, :, n - 1] & ~flows[None, :])
    if not flagged.any():
        return problems
    cumulative = cumulate(quarters.observations, sifat, n).set_index(["kode_desa", "variabel"])
    for i, j in zip(*np.nonzero(flagged)):
        code, variable = codes[i], used[j]
        who = _who(names[code], code)
        if flows[j]:
            missing = ", ".join(str(q + 1) for q in np.flatnonzero(lacking[i, j]))
            problems.append(warning(f"{who}: {variable} tidak diisi di triwulan {missing} tahun {year}; variabel alir "
                                    f"ini tidak punya nilai kumulatif sampai triwulan {n}", tahun=year, kode_desa=code,
                                    kode="kumulatif_tidak_lengkap"))
        elif (code, variable) in cumulative.index:
            found = cumulative.loc[(code, variable)]
            problems.append(warning(f"{who}: {variable} tidak diisi di triwulan {n} tahun {year}; dipakai nilai stok "
                                    f"triwulan {found['triwulan_dipakai'][-1]} ({_show(found['nilai'])})", tahun=year,
                                    kode_desa=code, kode="stok_triwulan_sebelumnya"))
        else:
            problems.append(warning(f"{who}: {variable} tidak diisi di triwulan mana pun sampai triwulan {n} tahun "
                                    f"{year}; tidak ada nilai", tahun=year, kode_desa=code,
                                    kode="kumulatif_tidak_lengkap"))
    return problems


def _given(observations: pd.DataFrame, codes: list[str], variables: list[str], n: int) -> np.ndarray:
    """desa x variable x quarter 1..n: whether the quarter's files give a value (register order)."""
    out = np.zeros((len(codes), len(variables), n), dtype=bool)
    obs = observations[observations[QUARTER] <= n]
    desa = pd.Index(codes).get_indexer(obs["kode_desa"])
    variable = pd.Index(variables).get_indexer(obs["variabel"].astype(object))
    keep = (desa >= 0) & (variable >= 0)
    out[desa[keep], variable[keep], obs[QUARTER].to_numpy(dtype=int)[keep] - 1] = True
    return out


def _show(x: float) -> str:
    return angka(x, 0) if float(x).is_integer() else angka(x, 2)


def _place(row) -> str:
    sheet = "" if row.lembar is None or pd.isna(row.lembar) else f" lembar {row.lembar}"
    return f"{row.berkas}{sheet} baris {row.baris}"


def annual_check(dataset: Dataset, quarters: QuarterData) -> list[Problem]:
    """Where the year has annual data and all four quarters, an error for every desa and variable
    whose annual value differs from its cumulative fourth quarter (beyond floating-point noise:
    relative 1e-9), naming the annual file (the error's place) and each quarter file the
    cumulative value comes from, with their values. In the order of the annual files."""
    year = quarters.year
    if year not in dataset.years or not quarters.complete_year():
        return []
    sifat = natures(dataset.catalog)
    cumulative = cumulate(quarters.observations, sifat, 4)
    annual = dataset.db.execute("SELECT kode_desa, variabel, nilai, berkas, lembar, baris, kolom FROM observations "
                                "WHERE tahun = ? ORDER BY urut", [year]).df()
    both = annual.merge(cumulative, on=["kode_desa", "variabel"], how="inner", suffixes=("", "_q4"))
    differ = both["nilai_q4"].notna() & ~np.isclose(both["nilai"], both["nilai_q4"].astype(float), rtol=1e-9,
                                                     atol=1e-9)
    names = dict(zip(dataset.register["kode_desa"], dataset.register["nama_desa"]))
    obs = quarters.observations.assign(variabel=quarters.observations["variabel"].astype(object))
    problems = []
    for row in both[differ].itertuples():
        sources = obs[(obs["kode_desa"] == row.kode_desa) & (obs["variabel"] == row.variabel)
                      & obs[QUARTER].isin(row.triwulan_dipakai)].sort_values(QUARTER)
        places = "; ".join(f"{_place(s)}: {_show(s.nilai)}" for s in sources.itertuples())
        how = "jumlah triwulan 1-4" if row.sifat == FLOW else f"nilai stok triwulan {row.triwulan_dipakai[-1]}"
        lembar = None if row.lembar is None or pd.isna(row.lembar) else row.lembar
        problems.append(error(
            f"{row.variabel} {_who(names.get(row.kode_desa, row.kode_desa), row.kode_desa)} tahun {year}: nilai "
            f"tahunan {_show(row.nilai)} berbeda dengan kumulatif triwulan 4 {_show(row.nilai_q4)} ({how}: {places}); "
            "nilai tahunan harus sama dengan kumulatif triwulan 4: betulkan berkas tahunan atau berkas triwulannya",
            berkas=row.berkas, lembar=lembar, baris=int(row.baris), kolom=row.kolom, nilai=_show(row.nilai),
            tahun=year, kode_desa=row.kode_desa, kode="triwulan_tidak_cocok"))
    return problems


@dataclass
class _QuarterView:
    """What `compute_year` reads of a dataset, for one quarter: the cumulative values to it, its
    directly reported values and its quarterly targets (TARGET_COLUMNS)."""

    catalog: Catalog
    register: pd.DataFrame
    targets: pd.DataFrame
    direct: pd.DataFrame
    cumulative: pd.DataFrame  # `values_frame`

    def values(self, year: int) -> pd.DataFrame:
        return self.cumulative


def _check_available(dataset: Dataset, quarters: QuarterData, n: int) -> None:
    year = quarters.year
    if quarters.year_folder is None and not quarters.quarters:
        raise ParameterError(f"tidak ada folder tahun {year} di {dataset.data_dir}; data triwulan diletakkan di "
                             f"{year}/{folder_name(n)}/")
    if n not in quarters.quarters:
        known = ", ".join(map(str, quarters.quarters)) or "tidak ada"
        raise ParameterError(f"belum ada data triwulan {n} tahun {year}: folder {year}/{folder_name(n)}/ tidak ada "
                             f"atau tidak berisi berkas data; triwulan yang tersedia: {known}")


def compute_quarter(dataset: Dataset, year: int, triwulan: int, quarters: QuarterData | None = None) -> pd.DataFrame:
    """Every indicator at every level, cumulative to quarter `triwulan` of `year` (columns
    QUARTER_API_COLUMNS): the annual computation on the cumulative values, against the quarterly
    target where one is given, else the annual target (`dasar_target`; empty where there is none).

    Raises ParameterError for a quarter without data, CatalogError for a used variable without
    `sifat`, DataError for errors in the data directory, its quarter folders, or between the
    annual values and the fourth quarter (`annual_check`). `quarters`: the year's quarter data
    when already read (`read_quarters`).
    """
    n = check_quarter(triwulan)
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)):
        raise ParameterError(f"tahun harus bilangan bulat empat angka, misalnya 2023 (bukan {year!r})")
    dataset.require_valid()
    quarters = quarters if quarters is not None else read_quarters(dataset, int(year))
    if quarters.year != int(year):
        raise ParameterError(f"data triwulan yang diberikan untuk tahun {quarters.year}, bukan {int(year)}")
    _check_available(dataset, quarters, n)
    catalog = dataset.catalog
    sifat = natures(catalog)
    found = quarters.errors + annual_check(dataset, quarters)
    if found:
        raise DataError(found)
    year = quarters.year
    targets = quarters.targets[quarters.targets[QUARTER] == n][TARGET_COLUMNS].reset_index(drop=True)
    direct = quarters.direct[quarters.direct[QUARTER] == n].drop(columns=QUARTER).reset_index(drop=True)
    cumulative = values_frame(cumulate(quarters.observations, sifat, n), dataset.register, catalog)
    table = compute_year(_QuarterView(catalog, dataset.register, targets, direct, cumulative), year)
    top = levels_of(with_parents(dataset.register, catalog))[-1]
    annual = attach_targets(table, dataset.targets[dataset.targets["tahun"] == year], top)["target"]
    own = table["target"].notna()
    fallback = ~own & annual.notna()
    table.loc[fallback, "target"] = annual[fallback]
    table = add_capaian(table, catalog)[API_COLUMNS]
    table = indicator_table_schema([label for _, label in catalog.grades]).validate(table)
    table.insert(table.columns.get_loc("tahun") + 1, QUARTER, n)
    basis = np.where(own, BASIS_QUARTER, np.where(fallback, BASIS_ANNUAL, ""))
    table.insert(table.columns.get_loc("target") + 1, BASIS, pd.Series(basis, index=table.index, dtype=object))
    return table


def quarter_path(dataset: Dataset, year: int, upto: int, quarters: QuarterData | None = None) -> pd.DataFrame:
    """`compute_quarter` for every quarter 1..`upto` that has data, one after the other (the path
    of each indicator through the year, e.g. for a chart against the target path)."""
    n = check_quarter(upto)
    quarters = quarters if quarters is not None else read_quarters(dataset, int(year))
    parts = [compute_quarter(dataset, year, q, quarters) for q in quarters.quarters if q <= n]
    if not parts:
        _check_available(dataset, quarters, n)
    return pd.concat(parts, ignore_index=True)


def quarter_folder_years(dataset: Dataset) -> list[int]:
    """The years whose folder holds at least one quarter folder (`triwulan-<n>`), in order:
    those `iku validate` reads quarter data of (a year being monitored may have no annual data yet)."""
    from ..ingest.dataset import year_dirs
    from ..ingest.quarters import quarter_dirs

    data_dir = dataset.data_dir
    if not data_dir.is_dir():
        return []
    return [year for year, folder in year_dirs(data_dir) if quarter_dirs(folder, data_dir, year)[0]]


def quarter_validation(dataset: Dataset, year: int) -> list[Problem]:
    """What `iku validate` says about the quarter data of `year` (`quality.validate`): the
    problems of reading its quarter folders (a bad cell with its file, line, column and value; a
    quarter in two folders), then, when neither the data directory nor those folders have an
    error, the year-versus-fourth-quarter check (`annual_check`) and the warnings of the latest
    quarter with data (`quarter_problems`: every desa that has not reported a quarter, every
    gap). A used variable without `sifat` is an error here, as it stops every quarter
    computation. Nothing for a year without quarter folders."""
    quarters = read_quarters(dataset, int(year))
    if not quarters.folders:
        return []
    problems = list(quarters.problems)
    if dataset.errors or quarters.errors or not quarters.with_files:
        return problems
    try:
        natures(dataset.catalog)
    except CatalogError as exc:
        return problems + [error(str(exc), tahun=quarters.year, kode="sifat_belum_diisi")]
    return problems + annual_check(dataset, quarters) + quarter_problems(dataset, quarters, max(quarters.with_files))
