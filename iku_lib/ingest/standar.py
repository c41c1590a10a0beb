"""National or provincial standards (benchmarks) of the indicators (`standar.csv`, optional).

Columns `indikator,tahun,nilai,sumber`, all required: the value of a standard the indicator's
realisation is compared with in LKjIP chapter III ("realisasi against a national standard,
where one exists", PermenPAN-RB 53/2014), in the indicator's unit, and where it comes from.
`nilai` is read like a target (`97,5`, `97.5`, `97,5%`); it cannot be negative; `sumber` is
required when `nilai` is given. A line with neither `nilai` nor `sumber` (a form not filled
yet) is skipped; a `sumber` without `nilai` is a warning. One indicator and year given twice
with the same `nilai` and `sumber` is used once; with different ones it is an error naming
both lines. The rules shared with `analisis` and `anggaran` are in `lkjip`.

>>> empty_standar().dtypes.astype(str).tolist()
['object', 'int64', 'float64', 'object']
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .parsing import CellError, is_blank, parse_cell
from ..problems import Problem, error, warning
from .lkjip import cell_message, check_columns, known_ids, place, read_input, row_key, text

STEM = "standar"
KEY = "indikator"
STANDAR_COLUMNS = ["indikator", "tahun", "nilai", "sumber"]
HEADER = ",".join(STANDAR_COLUMNS)


def empty_standar() -> pd.DataFrame:
    """A table of standards with no row (STANDAR_COLUMNS)."""
    return pd.DataFrame({"indikator": pd.Series(dtype=object), "tahun": pd.Series(dtype="int64"),
                         "nilai": pd.Series(dtype="float64"), "sumber": pd.Series(dtype=object)})


def read_standar(data_dir: Path | str, indicator_ids: list[str]) -> tuple[pd.DataFrame, list[Problem]]:
    """One row per indicator and year with a standard, in catalog order then year; ids as the
    catalog spells them, `tahun` int, `nilai` float, `sumber` str. Never raises for bad data."""
    tables, problems = read_input(data_dir, STEM, KEY)
    known = known_ids(indicator_ids)
    found_rows: list[dict] = []
    for table in tables:
        ok, found = check_columns(table, STANDAR_COLUMNS, STANDAR_COLUMNS, HEADER)
        problems += found
        if not ok:
            continue
        written_as = table.columns_as_written
        frame = table.frame
        for row, cells in zip(frame.index, frame.to_dict("records")):
            record, found = _read_row(cells, table.where(baris=int(row)), written_as, known, indicator_ids)
            problems += found
            if record is not None:
                found_rows.append(record)
    kept, found = _one_per_key(found_rows)
    problems += found
    order = {ident: n for n, ident in enumerate(indicator_ids)}
    kept.sort(key=lambda r: (order[r["indikator"]], r["tahun"]))
    if not kept:
        return empty_standar(), problems
    out = pd.DataFrame([{c: r[c] for c in STANDAR_COLUMNS} for r in kept], columns=STANDAR_COLUMNS, dtype=object)
    return out.astype({"tahun": "int64", "nilai": "float64"}), problems


def _read_row(cells: dict, where: dict, written_as: dict[str, str], known: dict[str, str],
              indicator_ids: list[str]) -> tuple[dict | None, list[Problem]]:
    """One line as a record (with where it is and its value as written), or None and why."""
    raw, source = cells.get("nilai"), text(cells.get("sumber"))
    if is_blank(raw) and not source:
        return None, []  # a line not filled yet
    ident, year, problems = row_key(cells, written_as, known, indicator_ids, where)
    about = {"indikator": ident, "tahun": year}
    column = written_as["nilai"]
    if is_blank(raw):
        problems.append(warning("nilai standar kosong; baris ini tidak dipakai (isi nilainya, atau hapus baris ini "
                                "bila indikator ini tidak punya standar)", kolom=column, nilai="",
                                kode="standar_kosong", **about, **where))
        return None, problems
    value = None
    try:
        value = parse_cell(raw, "desimal")
    except CellError as exc:
        problems.append(error(cell_message("nilai standar", exc), kolom=column, nilai=text(raw),
                              kode="standar_bukan_angka", **about, **where))
    if value is not None and value < 0:
        problems.append(error("nilai standar tidak boleh negatif", kolom=column, nilai=text(raw),
                              kode="standar_negatif", **about, **where))
    if not source:
        problems.append(error("sumber standar kosong; tulis dari mana nilai standar ini (misalnya peraturan, "
                              "RPJMD provinsi, atau publikasi BPS)", kolom=written_as["sumber"], nilai="",
                              kode="standar_tanpa_sumber", **about, **where))
    if problems:
        return None, problems
    return {"indikator": ident, "tahun": year, "nilai": value, "sumber": source, "ditulis": text(raw),
            "kolom": column, "where": where}, []


def _one_per_key(rows: list[dict]) -> tuple[list[dict], list[Problem]]:
    """The first line of each indicator and year; an error on every line of a key given with
    different values or sources."""
    groups: dict[tuple[str, int], list[dict]] = {}
    for r in rows:
        groups.setdefault((r["indikator"], r["tahun"]), []).append(r)
    problems = []
    for (ident, year), group in groups.items():
        if len(group) > 1 and len({(r["nilai"], r["sumber"]) for r in group}) > 1:
            for r in group:
                others = ", ".join(place(r["where"], o["where"]) for o in group if o is not r)
                problems.append(error(f"standar {ident} tahun {year} tercantum lebih dari sekali dengan nilai atau "
                                      f"sumber berbeda (juga di {others}); tulis satu baris saja",
                                      kolom=r["kolom"], nilai=r["ditulis"], indikator=ident, tahun=year,
                                      kode="standar_ganda", **r["where"]))
    return [group[0] for group in groups.values()], problems
