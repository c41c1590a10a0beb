"""Targets (`target.csv`): `indikator,tahun,target` (+ optional `kode_wilayah`).

Targets are read as ``desimal`` cells (see `parsing`): ``97,5``, ``97.5`` and ``97,5%`` are
all 97.5, and a target lies within the range of ``desimal`` (`parsing.LIMITS`: at most 10^9, at
least 10^-9 when not 0). The year is four digits 0-9 (fullwidth ``２０２３`` is read as 2023; any
other digit, such as ``²⁰²³``, is an error). Indicator ids are matched ignoring case and
surrounding spaces (``iku-01``).

An optional `triwulan` column holds cumulative quarterly targets (`triwulan` 1..4, see
`triwulan.quarter_cell`); empty means an annual target, as in a file without the column. The
fourth quarter's target must equal the annual target of the same indicator, year and area (a
different one is an error at the quarter's line). `read_targets` gives the annual targets (what
the annual computation uses, unchanged by the column), or with `quarterly=True` the quarterly
ones, with a `triwulan` column.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ..formatting import angka
from .parsing import LIMITS, SMALLEST_DESIMAL, CellError, foreign_digit, is_blank, parse_cell
from ..problems import Problem, error, warning
from .reading import csv_only_hint, read_tables
from .register import code_text, plain_table
from .triwulan import COLUMN as QUARTER, quarter_cell

TARGET_FILE = "target.csv"
TARGET_COLUMNS = ["indikator", "tahun", "kode_wilayah", "target"]
RECORD_COLUMNS = TARGET_COLUMNS + ["baris", QUARTER]  # a row read, before duplicates are settled


def suggest_indicator(text: str, indicator_ids: list[str]) -> str | None:
    """The known id a mistyped one most likely means (`IKU-1` -> `IKU-01`), or None.

    >>> suggest_indicator("IKU 1", ["IKU-01", "IKU-10"]), suggest_indicator("xyz", ["IKU-01"])
    ('IKU-01', None)
    >>> suggest_indicator("IKU-11", ["IKU-01", "IKU-10"]) is None  # equally close to both
    True
    """
    def parts(ident: str):
        m = re.fullmatch(r"\s*([A-Za-z]+)\W*0*(\d+)\s*", ident)
        return (m.group(1).upper(), int(m.group(2))) if m else None

    wanted = parts(text)
    if wanted is not None:
        same = [i for i in indicator_ids if parts(i) == wanted]
        if same:
            return same[0]
    scored = sorted(((difflib.SequenceMatcher(None, text.upper(), i.upper()).ratio(), i) for i in indicator_ids),
                    reverse=True)
    if not scored or scored[0][0] < 0.75 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None  # nothing close, or two equally close: no suggestion rather than a guess
    return scored[0][1]


def read_targets(data_dir: Path, indicator_ids: list[str], area_codes: Iterable[str] | None = None,
                 top_codes: Iterable[str] = (), quarterly: bool = False) -> tuple[pd.DataFrame, list[Problem]]:
    """Targets as a table; `kode_wilayah` is None where a target applies to the top level.
    The annual targets (TARGET_COLUMNS), or with `quarterly` the quarterly ones (TARGET_COLUMNS
    and `triwulan`); the problems are those of the whole file either way.

    `area_codes`, when given, are the codes a `kode_wilayah` may name (the areas above desa);
    a target for any other code could never be used and is an error. `top_codes` are the codes
    of the register's top level: where a general target (no `kode_wilayah`) and a target for one
    of them are both given for an indicator and year, a warning says which one is used there.
    """
    path = Path(data_dir) / TARGET_FILE
    empty = pd.DataFrame(columns=TARGET_COLUMNS + ([QUARTER] if quarterly else []))
    if not path.is_file():
        hint = csv_only_hint(data_dir, TARGET_FILE)
        return empty, [error(f"berkas target tidak ada{hint}; buat berkas {TARGET_FILE} dengan kolom "
                             "indikator,tahun,target", berkas=TARGET_FILE, kode="berkas_target_tidak_ada")]
    plain = plain_table(path, TARGET_FILE, "indikator")
    tables, problems = ([plain], []) if plain is not None else read_tables(path, TARGET_FILE, "indikator")
    if not tables:
        return empty, problems
    table = tables[0]
    missing = [c for c in ("tahun", "target") if c not in table.frame.columns]
    if missing:
        problems.append(error(f"kolom wajib tidak ada: {', '.join(missing)}; judul kolom harus indikator,tahun,target",
                              berkas=TARGET_FILE, baris=table.header_row, kode="kolom_wajib_tidak_ada"))
        return empty, problems
    known = {i.upper(): i for i in indicator_ids}
    areas = None if area_codes is None else {str(c) for c in area_codes}
    frame = table.frame
    columns = [c for c in ("indikator", "tahun", "target", "kode_wilayah", QUARTER) if c in frame.columns]
    cells = {c: frame[c].tolist() for c in columns}
    keep, found = _plain_rows(cells, known, areas)
    rows = frame.index.to_numpy()
    for i in np.flatnonzero(~keep):  # the rare rows that are not plain, in file order: as the user reads the file
        record, problem = _check_row(int(rows[i]), {c: cells[c][i] for c in columns}, known, indicator_ids, areas)
        if problem is not None:
            problems.append(problem)
            continue
        keep[i] = True
        for column, value in record.items():
            found[column][i] = value
    found["baris"] = rows.tolist()
    out = pd.DataFrame({c: np.array(found[c], dtype=object)[keep] for c in RECORD_COLUMNS},
                       columns=RECORD_COLUMNS, dtype=object).astype({"tahun": int, "target": float, "baris": int})
    key = ["indikator", "tahun", "kode_wilayah", QUARTER]
    dup = out.duplicated(subset=key, keep=False)
    for _, rec in out[dup].iterrows():
        same = out[dup & (out["indikator"] == rec["indikator"]) & (out["tahun"] == rec["tahun"])
                   & (out["kode_wilayah"].fillna("") == (rec["kode_wilayah"] or ""))
                   & (out[QUARTER].fillna(0) == (rec[QUARTER] or 0))]
        others = [str(b) for b in same["baris"] if b != rec["baris"]]
        problems.append(error(f"target untuk {rec['indikator']} tahun {rec['tahun']}{_of_quarter(rec[QUARTER])} "
                              "tercantum lebih dari sekali "
                              f"(juga di baris {', '.join(others)})", berkas=TARGET_FILE, baris=int(rec["baris"]),
                              kolom="indikator", nilai=rec["indikator"], tahun=int(rec["tahun"]),
                              indikator=rec["indikator"], kode="target_ganda"))
    for quarter, group in out.groupby(out[QUARTER].fillna(0), sort=True):
        problems += _ambiguous(group, {str(c) for c in top_codes}, int(quarter) or None)
    problems += _fourth_quarter(out)
    out = out.drop_duplicates(subset=key)
    out = out[out[QUARTER].notna()] if quarterly else out[out[QUARTER].isna()].drop(columns=QUARTER)
    if quarterly:
        out = out.astype({QUARTER: int})
    return out.drop(columns="baris").reset_index(drop=True), problems


def _check_row(row: int, cells: dict[str, object], known: dict[str, str], indicator_ids: list[str],
               areas: set[str] | None) -> tuple[dict | None, Problem | None]:
    """One row's cells checked in turn (indicator, year, target, area, quarter): its record, or
    the problem of the first check it fails. Every row that is not plain (`_plain_rows`) comes here."""
    where = {"berkas": TARGET_FILE, "baris": row}
    written = "" if is_blank(cells["indikator"]) else str(cells["indikator"]).strip()
    ident = known.get(written.upper())
    if ident is None:
        hint = suggest_indicator(written, indicator_ids) if written else None
        maybe = f"mungkin maksudnya {hint}? Yang" if hint else "yang"
        return None, error(f"indikator tidak dikenal; {maybe} dikenal: {', '.join(indicator_ids)}",
                           kolom="indikator", nilai=written, kode="indikator_tidak_dikenal", **where)
    year = "" if is_blank(cells["tahun"]) else code_text(cells["tahun"])  # fullwidth digits as ASCII
    if not re.fullmatch("[0-9]{4}", year):  # ASCII only: str.isdigit() also takes "²⁰²³", which int() refuses
        digit = foreign_digit(year)
        detail = f" (angka {digit} bukan angka 0-9 biasa)" if digit else ""
        return None, error(f"tahun harus empat angka, misalnya 2023{detail}", kolom="tahun", indikator=ident,
                           nilai="" if is_blank(cells["tahun"]) else str(cells["tahun"]), kode="tahun_tidak_sah",
                           **where)
    raw = cells["target"]
    try:
        value = parse_cell(raw, "desimal")
    except CellError as exc:
        return None, error(f"target {exc}", kolom="target", nilai=str(raw), tahun=int(year), indikator=ident,
                           kode="target_bukan_angka", **where)
    if value is None:
        return None, warning(f"target {ident} tahun {year} kosong; capaian tidak dihitung", kolom="target", nilai="",
                             tahun=int(year), indikator=ident, kode="target_kosong", **where)
    if value < 0:
        return None, error("target tidak boleh negatif", kolom="target", nilai=str(raw), tahun=int(year),
                           indikator=ident, kode="target_negatif", **where)
    area = cells.get("kode_wilayah")
    area = None if is_blank(area) else code_text(area)
    if area is not None and areas is not None and area not in areas:
        return None, error(f"kode_wilayah tidak dikenal; target hanya untuk wilayah di atas desa "
                           f"({', '.join(sorted(areas))}) atau kosong untuk wilayah teratas",
                           kolom="kode_wilayah", nilai=area, tahun=int(year), indikator=ident,
                           kode="wilayah_tidak_dikenal", **where)
    try:
        quarter = quarter_cell(cells.get(QUARTER))
    except ValueError as exc:
        return None, error(f"{exc} (kosong untuk target tahunan)", kolom=QUARTER, nilai=str(cells[QUARTER]),
                           tahun=int(year), indikator=ident, kode="triwulan_tidak_sah", **where)
    return {"indikator": ident, "tahun": int(year), "kode_wilayah": area, "target": value, QUARTER: quarter}, None


_PLAIN_YEAR = re.compile("[0-9]{4}")
_PLAIN_TARGET = re.compile(r"[0-9]+(?:\.[0-9]+)?")  # 97, 97.5: what parse_cell reads as float(text)
_PLAIN_AREA = re.compile("[0-9]+")


def _plain_rows(cells: dict[str, list], known: dict[str, str],
                areas: set[str] | None) -> tuple[np.ndarray, dict[str, list]]:
    """Which rows are plain, and their records column by column (RECORD_COLUMNS but `baris`;
    anything where a row is not plain).

    A row is plain when every cell is text as `_check_row` would accept it without a word: a
    known indicator, four ASCII digits for the year, a target of ASCII digits with at most one
    decimal point within `parsing.LIMITS`, an empty area or one of `areas` written in ASCII
    digits, and an empty quarter. Nationally (28,000 rows) checking these once per distinct cell
    is what keeps the file quick; every other row goes through `_check_row`."""
    n = len(cells["indikator"])
    ident = _per_value(cells["indikator"], lambda v: known.get(v.strip().upper()) if type(v) is str else None)
    year = _per_value(cells["tahun"], lambda v: int(v) if type(v) is str and _PLAIN_YEAR.fullmatch(v) else None)
    target = _per_value(cells["target"], _plain_target)
    plain = _given(ident) & _given(year) & _given(target)
    area = [None] * n
    if "kode_wilayah" in cells:
        area = _per_value(cells["kode_wilayah"], lambda v: _plain_area(v, areas))
        plain &= np.array([a is not _NOT_PLAIN for a in area], dtype=bool)
    if QUARTER in cells:
        plain &= np.array(_per_value(cells[QUARTER], lambda v: v is None or (type(v) is str and not v.strip())),
                          dtype=bool)
    return plain, {"indikator": ident, "tahun": year, "kode_wilayah": area, "target": target, QUARTER: [None] * n}


def _given(values: list) -> np.ndarray:
    """True where a value is not None."""
    return np.array([v is not None for v in values], dtype=bool)


def _plain_target(value: object) -> float | None:
    """A target cell written as plain digits (97, 97.5) within the range of `desimal`, as
    `parse_cell` reads it; None for any other cell (the row's own checks read it)."""
    if type(value) is not str or not _PLAIN_TARGET.fullmatch(value):
        return None
    number = float(value)
    if number > LIMITS["desimal"] or 0 < number < SMALLEST_DESIMAL:
        return None
    return number


_NOT_PLAIN = object()  # a `kode_wilayah` cell that is not plain (None is a plain empty one)


def _plain_area(value: object, areas: set[str] | None) -> object:
    """The code of a plain `kode_wilayah` cell: None for an empty cell (no area), the code for
    ASCII digits naming one of `areas` (any code when `areas` is None); else _NOT_PLAIN."""
    if value is None or (type(value) is str and not value.strip()):
        return None
    if type(value) is str and _PLAIN_AREA.fullmatch(value) and (areas is None or value in areas):
        return value
    return _NOT_PLAIN


def _per_value(values: list, read) -> list:
    """`read(v)` of every cell, worked out once per distinct cell (a column of targets holds few
    distinct values: 11 indicators, 5 years). Cells are told apart by type as well (`1` and `True`
    are equal in Python but not the same cell)."""
    if set(map(type, values)) <= {str, type(None)}:  # text (every text file): the value tells a cell
        done = {value: read(value) for value in dict.fromkeys(values)}
        return list(map(done.__getitem__, values))
    keys = list(zip(map(type, values), values))
    done = {key: read(key[1]) for key in dict.fromkeys(keys)}
    return list(map(done.__getitem__, keys))


def _shown(x: float) -> str:
    """A target as typed, the Indonesian way (`97,5`, `100`)."""
    text = f"{float(x):.6f}".rstrip("0").rstrip(".")
    return angka(x, len(text.split(".")[1]) if "." in text else 0)


def _of_quarter(quarter) -> str:
    """` triwulan 2` for a quarterly target, "" for an annual one (in messages)."""
    return "" if quarter is None or pd.isna(quarter) else f" triwulan {int(quarter)}"


def _fourth_quarter(targets: pd.DataFrame) -> list[Problem]:
    """An error for each fourth-quarter target that differs from the annual target of the same
    indicator, year and area: the cumulative target at the end of the year is the annual target
    (Banjarnegara's and LLDIKTI's cumulative quarterly targets end there)."""
    fourth = targets[targets[QUARTER] == 4]
    if fourth.empty:
        return []  # no quarterly targets (the usual file): no need to index the annual ones
    annual = {(r.indikator, r.tahun, r.kode_wilayah or ""): r for r in targets[targets[QUARTER].isna()].itertuples()}
    problems = []
    for r in fourth.itertuples():
        year_target = annual.get((r.indikator, r.tahun, r.kode_wilayah or ""))
        if year_target is not None and r.target != year_target.target:
            problems.append(error(
                f"target triwulan 4 {r.indikator} tahun {r.tahun} ({_shown(r.target)}) berbeda dengan target "
                f"tahunannya ({_shown(year_target.target)}, baris {year_target.baris}); target triwulan bersifat "
                "kumulatif, sehingga target triwulan 4 harus sama dengan target tahunan", berkas=TARGET_FILE,
                baris=int(r.baris), kolom="target", nilai=_shown(r.target), tahun=int(r.tahun), indikator=r.indikator,
                kode="target_triwulan_4_berbeda"))
    return problems


def _ambiguous(targets: pd.DataFrame, top_codes: set[str], quarter: int | None = None) -> list[Problem]:
    """A warning for each target of a top-level area given beside a general target of the same
    indicator and year: the area's own target is the one used for it (said, never silent); the
    general one stays for the other top-level areas, if any."""
    # (columns zipped rather than itertuples, which builds a namedtuple class at every call)
    rows = targets[targets["kode_wilayah"].isna()]
    general = {(i, t): b for i, t, b in zip(rows["indikator"], rows["tahun"], rows["baris"])}
    problems = []
    rows = targets[targets["kode_wilayah"].isin(top_codes)]
    for ident, year, area, row in zip(rows["indikator"], rows["tahun"], rows["kode_wilayah"], rows["baris"]):
        if (ident, year) in general:
            problems.append(warning(
                f"{ident} tahun {year}{_of_quarter(quarter)} punya target umum (baris "
                f"{general[(ident, year)]}) dan target "
                f"khusus wilayah {area} (baris ini); untuk wilayah {area} yang dipakai target "
                "khusus ini, target umum hanya untuk wilayah teratas lainnya", berkas=TARGET_FILE,
                baris=int(row), kolom="kode_wilayah", nilai=area, tahun=int(year),
                indikator=ident, kode="target_wilayah_dipakai"))
    return problems
