"""The budget of the programs and activities behind the indicators (`anggaran.csv`, optional).

Columns `tahun,program,kegiatan,indikator,pagu,realisasi`: one line per budget line
(a kegiatan, or sub kegiatan, of a program; `kegiatan` may be empty for a line of the program
itself), its budget ceiling (`pagu`) and what was spent (`realisasi`), in rupiah, and the
indicators it supports (`indikator`: zero or more catalog ids separated by `;`). This is the
"Realisasi Anggaran" of LKjIP chapter III and the efficiency of the resources used
(PermenPAN-RB 53/2014). `tahun`, `program`, `pagu` and `realisasi` are required columns;
`kegiatan` and `indikator` may be left out (empty).

Money is read as the desa's rupiah variables are (`parsing`: `1.234.567`, `Rp 1.234.567`,
`Rp 50.000,-`, `1.234.567,50`). Errors: a year that is not four digits, a line without
program, an unknown indicator id (with a suggestion), money that is not a number, negative
money, one kegiatan (year, program, kegiatan; case and spaces ignored) given twice with
different values. Warnings: `realisasi` above `pagu` (the line is used), an empty `pagu` or
`realisasi` (the line is not used: write 0 for nothing), a `Jumlah`/`Total` line (not used:
the sums are made from the lines), a line repeated exactly (used once). The rules shared
with `analisis` and `standar` are in `lkjip`.

>>> empty_anggaran().dtypes.astype(str).tolist()
['int64', 'object', 'object', 'object', 'float64', 'float64', 'int64']
"""

from __future__ import annotations

import dataclasses
import numbers
import re
from pathlib import Path

import pandas as pd

from ..formatting import rupiah
from .parsing import DASHES, CellError, is_blank, parse_cell
from ..problems import Problem, error, warning
from .lkjip import (cell_message, check_columns, indicator_error, indicator_of, known_ids, place, read_input, text,
                    year_error, year_of)

STEM = "anggaran"
KEY = "program"
ANGGARAN_COLUMNS = ["tahun", "program", "kegiatan", "indikator", "pagu", "realisasi", "baris"]
LINK_COLUMNS = ["tahun", "indikator", "program", "kegiatan", "pagu", "realisasi"]
REQUIRED = ["tahun", "program", "pagu", "realisasi"]
KNOWN = ["tahun", "program", "kegiatan", "indikator", "pagu", "realisasi"]
# Columns budget tables often carry beside the known ones; ignored without a warning.
IGNORED = ["kode", "kode_program", "kode_kegiatan", "kode_rekening", "serapan", "sisa", "sisa_anggaran"]
HEADER = ",".join(KNOWN)
SEPARATOR = ";"
MONEY = ("pagu", "realisasi")
_TOTAL = re.compile(r"(jumlah|total|sub\s*total)\b", re.IGNORECASE)


def empty_anggaran() -> pd.DataFrame:
    """A budget table with no row (ANGGARAN_COLUMNS)."""
    dtypes = {"tahun": "int64", "pagu": "float64", "realisasi": "float64", "baris": "int64"}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, object)) for c in ANGGARAN_COLUMNS})


def empty_links() -> pd.DataFrame:
    """A table of budget lines per indicator with no row (LINK_COLUMNS)."""
    dtypes = {"tahun": "int64", "pagu": "float64", "realisasi": "float64"}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, object)) for c in LINK_COLUMNS})


def anggaran_links(anggaran: pd.DataFrame) -> pd.DataFrame:
    """One row per (budget line, indicator it supports), in the budget's order: LINK_COLUMNS.

    A line supporting two indicators appears under each with its whole pagu and realisasi, so
    the rows of one indicator add up, but the rows of several indicators must not be added.

    >>> lines = pd.DataFrame({"tahun": [2023, 2023], "program": ["P", "Q"], "kegiatan": ["K", ""],
    ...                       "indikator": ["IKU-01;IKU-02", ""], "pagu": [10.0, 5.0],
    ...                       "realisasi": [9.0, 5.0], "baris": [2, 3]})
    >>> anggaran_links(lines)[["indikator", "program", "pagu"]].values.tolist()
    [['IKU-01', 'P', 10.0], ['IKU-02', 'P', 10.0]]
    """
    rows = [{"tahun": r.tahun, "indikator": ident, "program": r.program, "kegiatan": r.kegiatan, "pagu": r.pagu,
             "realisasi": r.realisasi}
            for r in anggaran.itertuples(index=False) for ident in str(r.indikator).split(SEPARATOR) if ident]
    if not rows:
        return empty_links()
    links = pd.DataFrame(rows, columns=LINK_COLUMNS, dtype=object)
    return links.astype({"tahun": "int64", "pagu": "float64", "realisasi": "float64"})


def read_anggaran(data_dir: Path | str, indicator_ids: list[str]) -> tuple[pd.DataFrame, list[Problem]]:
    """Every budget line used, in file order (ANGGARAN_COLUMNS; `indikator` the catalog's ids
    joined by ";", "" for none; `baris` the line as the user sees it). Never raises for bad data."""
    tables, problems = read_input(data_dir, STEM, KEY)
    known = known_ids(indicator_ids)
    lines: list[dict] = []
    for table in tables:
        ok, found = check_columns(table, REQUIRED, KNOWN + IGNORED, HEADER)
        problems += found
        if not ok:
            continue
        frame = table.frame
        for row, cells in zip(frame.index, frame.to_dict("records")):
            line, found = _read_line(cells, table.where(baris=int(row)), table.columns_as_written, known,
                                     indicator_ids)
            problems += found
            if line is not None:
                lines.append(line)
    kept, found = _one_per_kegiatan(lines)
    problems += found
    if not kept:
        return empty_anggaran(), problems
    out = pd.DataFrame([{c: line[c] for c in ANGGARAN_COLUMNS} for line in kept], columns=ANGGARAN_COLUMNS,
                       dtype=object)
    return out.astype({"tahun": "int64", "pagu": "float64", "realisasi": "float64", "baris": "int64"}), problems


def _read_line(cells: dict, where: dict, written_as: dict[str, str], known: dict[str, str],
               indicator_ids: list[str]) -> tuple[dict | None, list[Problem]]:
    """One budget line as a record, or None and the problems that keep it out."""
    if all(is_blank(cells.get(c)) for c in KNOWN):
        return None, []  # only ignored columns (a number in `no`): nothing to read
    column = {c: written_as.get(c, c) for c in KNOWN}
    labels = [(c, text(cells.get(c))) for c in ("no", "nomor", "program", "kegiatan")]
    total = next(((c, t) for c, t in labels if _TOTAL.match(t)), None)
    if total is not None:
        return None, [warning("baris jumlah tidak dibaca; iku menjumlahkan sendiri baris-baris anggaran (hapus baris "
                              "ini bila mau)", kolom=written_as.get(total[0], total[0]), nilai=total[1],
                              kode="anggaran_baris_jumlah", **where)]
    problems: list[Problem] = []
    program, kegiatan = text(cells.get("program")), text(cells.get("kegiatan"))
    year = year_of(cells.get("tahun"))
    if year is None:
        problems.append(year_error(cells.get("tahun"), column["tahun"], **where))
    about = {"tahun": year}
    if not program:
        problems.append(error("program kosong; setiap baris anggaran perlu nama programnya (tulis juga pada baris "
                              "kegiatan di bawah program yang sama)", kolom=column["program"], nilai="",
                              kode="anggaran_tanpa_program", **about, **where))
    ids, found = _indicators(text(cells.get("indikator")), known, indicator_ids, column["indikator"],
                             {**about, **where})
    problems += found
    money = {}
    for name in MONEY:
        money[name], found = _money(cells.get(name), name, column[name], {**about, **where})
        problems += found
    if problems:
        return None, problems
    if money["realisasi"] > money["pagu"]:
        problems.append(warning(f"realisasi ({rupiah(money['realisasi'])}) melebihi pagu ({rupiah(money['pagu'])}); "
                                "periksa kembali angkanya (baris ini tetap dipakai)", kolom=column["realisasi"],
                                nilai=text(cells.get("realisasi")), kode="anggaran_melebihi_pagu", **about, **where))
    return {"tahun": year, "program": program, "kegiatan": kegiatan, "indikator": SEPARATOR.join(ids),
            "pagu": money["pagu"], "realisasi": money["realisasi"], "baris": where["baris"], "where": where,
            "kolom": column["kegiatan"] if kegiatan else column["program"]}, problems


def _indicators(cell: str, known: dict[str, str], indicator_ids: list[str], column: str,
                where: dict) -> tuple[list[str], list[Problem]]:
    """The catalog ids named in an `indikator` cell (`;`-separated, each once, in order)."""
    ids: list[str] = []
    problems: list[Problem] = []
    for part in (p.strip() for p in cell.split(SEPARATOR)):
        if not part:
            continue
        ident = indicator_of(part, known)
        if ident is None:
            problem = indicator_error(part, indicator_ids, column, extra=f' "{part}"', **where)
            advice = ("; pisahkan beberapa indikator dengan titik koma (;), misalnya IKU-01;IKU-02"
                      if re.search(r"[,/]", part) else "")
            problems.append(dataclasses.replace(problem, pesan=problem.pesan + advice, nilai=cell))
        elif ident not in ids:
            ids.append(ident)
    return ids, problems


def _negative(raw: object) -> bool:
    """Whether a money cell is a valid amount with a minus sign (`-5.000`, `Rp -5.000`, -5000)."""
    if isinstance(raw, bool):
        return False
    if isinstance(raw, numbers.Real):
        return raw < 0
    written = re.sub(r"^rp\.?\s*", "", str(raw).strip(), flags=re.IGNORECASE)
    if len(written) < 2 or written[0] not in DASHES:
        return False
    try:
        return parse_cell(written[1:], "rupiah") is not None
    except CellError:
        return False


def _money(raw: object, name: str, column: str, where: dict) -> tuple[float | None, list[Problem]]:
    """A `pagu` or `realisasi` cell in rupiah, or None and the problem with it."""
    if is_blank(raw):
        return None, [warning(f"{name} kosong; baris anggaran ini tidak dipakai (tulis 0 bila memang nol)",
                              kolom=column, nilai="", kode="anggaran_kosong", **where)]
    try:
        return parse_cell(raw, "rupiah"), []
    except CellError as exc:
        if _negative(raw):
            return None, [error(f"{name} tidak boleh negatif", kolom=column, nilai=text(raw),
                                kode="anggaran_negatif", **where)]
        return None, [error(cell_message(name, exc), kolom=column, nilai=text(raw), kode="anggaran_bukan_angka",
                            **where)]


def _same_kegiatan(line: dict) -> tuple[int, str, str]:
    return (line["tahun"], " ".join(line["program"].split()).casefold(), " ".join(line["kegiatan"].split()).casefold())


def _one_per_kegiatan(lines: list[dict]) -> tuple[list[dict], list[Problem]]:
    """The first line of each kegiatan (year, program, kegiatan); a warning on a later line that
    repeats it exactly, an error on every line of a kegiatan given with different values."""
    groups: dict[tuple[int, str, str], list[dict]] = {}
    for line in lines:
        groups.setdefault(_same_kegiatan(line), []).append(line)
    problems = []
    for group in groups.values():
        if len(group) == 1:
            continue
        first = group[0]
        values = {(frozenset(g["indikator"].split(SEPARATOR)) - {""}, g["pagu"], g["realisasi"]) for g in group}
        if len(values) == 1:
            for line in group[1:]:
                problems.append(warning(f"baris ini sama dengan {place(line['where'], first['where'])} (tahun, "
                                        "program, kegiatan, indikator, pagu dan realisasi); dipakai sekali",
                                        kolom=line["kolom"], nilai=line["kegiatan"] or line["program"],
                                        tahun=line["tahun"], kode="anggaran_terulang", **line["where"]))
            continue
        for line in group:
            others = ", ".join(place(line["where"], o["where"]) for o in group if o is not line)
            what = f"kegiatan {line['kegiatan']}" if line["kegiatan"] else f"program {line['program']} (tanpa kegiatan)"
            problems.append(error(f"{what} tahun {line['tahun']} tercantum lebih dari sekali dengan pagu, realisasi "
                                  f"atau indikator berbeda (juga di {others}); tulis satu baris per kegiatan, atau "
                                  "bedakan nama kegiatannya", kolom=line["kolom"],
                                  nilai=line["kegiatan"] or line["program"], tahun=line["tahun"],
                                  kode="anggaran_ganda", **line["where"]))
    return [group[0] for group in groups.values()], problems
