"""Rows of a data table turned into observations, and every row that gives nothing to use.

A table comes from `reading` (`RawTable`: cells as Python values, for spreadsheets and any
text file that needs the careful reader) or from `textsql` (`SqlTable`: a plain text file
held by DuckDB). Both give the same observations and the same problems, in the same order:
`read_values` works on pandas cells, `read_sql_values` lets DuckDB read the plain cells (digits
and blanks, the bulk of any delivery) and hands every other cell to `parsing.parse_cell`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..formatting import angka
from ..problems import Problem, error, warning
from .catalog import Catalog
from .parsing import CellError, is_blank, parse_cell
from .register import PARENT_LEVELS, REGISTER_FILE, DesaLookup, desa_key

DESA_COLUMN = "desa"
# Columns that often stand beside the data in delivered sheets and carry no value to use.
IGNORED_COLUMNS = {"no", "nomor", "no_urut", "keterangan", "ket", "catatan", "kode_desa", "nama_desa",
                   *(c for _, code, name in PARENT_LEVELS for c in (code, name))}


TOTAL_ROW_WORDS = {"jumlah", "total", "jumlah total", "total kecamatan", "jumlah kecamatan", "kecamatan"}


def _unknown_desa_message(raw: object, lookup: DesaLookup) -> str:
    text = str(raw).strip()
    if re.fullmatch(r"\d+(?:[.,]\d+)?[eE][+-]?\d+", text):
        return ("kode desa tertulis dalam notasi ilmiah (E+..) sehingga angkanya terpotong; format kolom desa "
                "sebagai Teks di Excel lalu ketik ulang kodenya")
    if desa_key(text) in TOTAL_ROW_WORDS:
        return "baris jumlah/total tidak boleh ada; hapus baris ini (jumlah kecamatan dihitung oleh program)"
    if re.fullmatch(r"\d+(?:\.0+)?", text):
        return (f"kode desa tidak ada di daftar desa ({REGISTER_FILE}); periksa kodenya, atau tambahkan desa ini "
                f"ke {REGISTER_FILE}")
    hint = lookup.suggest(raw)
    if hint:
        return f"desa tidak ada di daftar desa; mungkin maksudnya {hint}?"
    return (f"desa tidak ada di daftar desa ({REGISTER_FILE}); periksa ejaannya, atau tambahkan desa ini ke "
            f"{REGISTER_FILE} bila memang termasuk wilayah ini")


def _blank_mask(column: pd.Series) -> np.ndarray:
    """True where a cell is blank (None, NaN, or only spaces), for a whole column at once."""
    cells = column.to_numpy(dtype=object)
    missing = pd.isna(cells)
    spaces = np.fromiter((isinstance(v, str) and (not v or v.isspace()) for v in cells), bool, len(cells))
    return missing | spaces


_DIGITS = re.compile(r"\d+")


def _parse_column(column: pd.Series, kind: str, wanted: np.ndarray) -> tuple[np.ndarray, list[tuple[int, object, str]]]:
    """Values of `column` as floats (NaN where blank or not wanted) and the cells that fail.

    Plain digit strings, the bulk of any delivery, are converted at once (for a flag only "0"
    and "1"); `parse_cell` reads every other cell, with its rules and messages.
    """
    values = np.full(len(column), np.nan)
    cells = column.tolist()
    failures = []
    for i in np.flatnonzero(wanted).tolist():
        v = cells[i]
        if isinstance(v, str) and _DIGITS.fullmatch(v) and (kind != "flag" or v in ("0", "1")):
            values[i] = float(v)
            continue
        try:
            parsed = parse_cell(v, kind)
        except CellError as exc:
            failures.append((i, v, str(exc)))
            continue
        if parsed is not None:
            values[i] = parsed
    return values, failures


def read_values(table, year: int, catalog: Catalog, lookup: DesaLookup,
                 records: list[pd.DataFrame]) -> list[Problem]:
    """Turn a table's rows into observations; report every row that gives nothing to use."""
    problems: list[Problem] = []
    variables = [c for c in table.frame.columns if c in catalog.variables]
    for column in table.frame.columns:
        if column != DESA_COLUMN and column not in catalog.variables and column not in IGNORED_COLUMNS:
            problems.append(warning("kolom tidak dikenal sebagai variabel IKU; kolom ini diabaikan",
                                    kolom=table.columns_as_written[column], tahun=year,
                                    kode="kolom_tidak_dikenal", **table.where(baris=table.header_row)))
    if not variables:
        problems.append(warning("tidak ada kolom variabel IKU; berkas ini tidak dipakai", tahun=year,
                                kode="tanpa_variabel", **table.where(baris=table.header_row)))
        return problems
    register_empty = not lookup.by_code
    frame = table.frame
    n = len(frame)
    rows = frame.index.to_numpy()
    desa_col = table.columns_as_written[DESA_COLUMN]
    raw_desa = frame[DESA_COLUMN].tolist()
    blank_desa = np.fromiter((is_blank(v) for v in raw_desa), bool, n)
    blank_cells = np.column_stack([_blank_mask(frame[v]) for v in variables])
    has_values = ~blank_cells.all(axis=1)
    ambiguous = np.zeros(n, bool)
    codes: list[str | None] = [None] * n
    for i, v in enumerate(raw_desa):
        if not blank_desa[i]:
            ambiguous[i], codes[i] = lookup.resolve(v)
    read = ~blank_desa & ~ambiguous  # rows whose cells are read
    ordered: list[tuple[int, int, Problem]] = []  # (row position, order within the row, problem)
    seen: dict[str, int] = {}
    leftover: list[int] = []  # rows with neither a desa nor an IKU value, but something else
    for i in range(n):
        row, raw, code = int(rows[i]), raw_desa[i], codes[i]
        where = table.where(baris=row)
        if blank_desa[i]:
            if has_values[i]:
                ordered.append((i, 0, error("kolom desa kosong, padahal baris ini berisi nilai; isi nama atau kode "
                                            "desanya", kolom=desa_col, nilai="", tahun=year, kode="desa_kosong",
                                            **where)))
            else:
                leftover.append(row)
            continue
        if ambiguous[i]:
            ordered.append((i, 0, warning(f"desa ini tercantum lebih dari sekali di {REGISTER_FILE} (kode atau nama "
                                          f"ganda) sehingga baris ini tidak dibaca; betulkan {REGISTER_FILE} dahulu",
                                          kolom=desa_col, nilai=str(raw).strip(), tahun=year,
                                          kode="desa_ganda_di_register", **where)))
            continue
        if code is None:
            if lookup.shared_codes(raw):
                ordered.append((i, 0, error(
                    "nama desa ini dipakai oleh lebih dari satu desa di daftar desa (kode "
                    f"{', '.join(lookup.shared_codes(raw))}); tulis kode desanya di kolom desa", kolom=desa_col,
                    nilai=str(raw).strip(), tahun=year, kode="nama_desa_tidak_unik", **where)))
            elif not register_empty:
                ordered.append((i, 0, error(_unknown_desa_message(raw, lookup), kolom=desa_col,
                                            nilai=str(raw).strip(), tahun=year, kode="desa_tidak_dikenal", **where)))
            continue
        if code in seen:
            ordered.append((i, 0, warning(f"desa {lookup.names[code]} sudah tercantum di baris {seen[code]} "
                                          f"{'lembar' if table.lembar else 'berkas'} yang sama; setiap desa cukup satu "
                                          "baris", kolom=desa_col, nilai=str(raw).strip(), tahun=year,
                                          kode_desa=code, kode="desa_ganda", **where)))
        else:
            seen[code] = row
        if not has_values[i]:
            ordered.append((i, 0, warning(f"baris desa {lookup.names[code]} tidak berisi satu nilai pun; tidak ada "
                                          "yang dipakai dari baris ini", kolom=desa_col, nilai=str(raw).strip(),
                                          tahun=year, kode_desa=code, kode="baris_tanpa_nilai", **where)))
    code_array = np.array(codes, dtype=object)
    parts = []
    for j, variable in enumerate(variables):
        column = table.columns_as_written[variable]
        values, failures = _parse_column(frame[variable], catalog.variable_kind(variable), read & ~blank_cells[:, j])
        for i, raw, message in failures:
            ordered.append((i, 1 + j, error(message, kolom=column, nilai=str(raw).strip(), tahun=year,
                                            kode_desa=codes[i], kode="nilai_tidak_sah",
                                            **table.where(baris=int(rows[i])))))
        keep = np.flatnonzero(~np.isnan(values) & (code_array != None))  # noqa: E711 (element-wise)
        parts.append(pd.DataFrame({"_pos": keep, "_var": j, "tahun": year, "kode_desa": code_array[keep],
                                   "variabel": variable, "nilai": values[keep], "berkas": table.berkas,
                                   "lembar": table.lembar, "baris": rows[keep].astype(int), "kolom": column}))
    found = pd.concat(parts, ignore_index=True).sort_values(["_pos", "_var"], kind="stable")
    records.append(found.drop(columns=["_pos", "_var"]))
    ordered.sort(key=lambda t: (t[0], t[1]))
    problems += [p for _, _, p in ordered]
    if leftover:
        shown = ", ".join(map(str, leftover[:20])) + (" ..." if len(leftover) > 20 else "")
        which = "baris ini" if len(leftover) == 1 else f"baris {shown}"
        problems.append(warning(f"{which} tidak berisi desa maupun nilai IKU; diabaikan", tahun=year,
                                kode="baris_diabaikan", **table.where(baris=leftover[0])))
    return problems


def _show(x: float) -> str:
    return angka(x, 0) if float(x).is_integer() else angka(x, 2)


def _conflicts(observations: pd.DataFrame, register: pd.DataFrame) -> list[Problem]:
    """The same variable for the same desa and year given with different values: one error
    naming every place (file, sheet, row) and the value found there."""
    key = ["tahun", "kode_desa", "variabel"]
    counts = observations.groupby(key, observed=True)["nilai"].transform("nunique")
    names = dict(zip(register["kode_desa"], register["nama_desa"]))
    problems = []
    for _, group in observations[counts > 1].groupby(key, sort=True, observed=True):
        places = "; ".join(f"{r.berkas}{'' if r.lembar is None else ' lembar ' + str(r.lembar)} baris {r.baris} "
                           f"kolom {r.kolom}: {_show(r.nilai)}" for r in group.itertuples())
        first = group.iloc[0]
        problems.append(error(f"nilai {first['variabel']} Desa {names.get(first['kode_desa'], first['kode_desa'])} "
                              f"tahun {first['tahun']} berbeda di beberapa tempat ({places}); setiap nilai cukup "
                              "ditulis sekali, atau samakan nilainya",
                              berkas=first["berkas"], lembar=first["lembar"], baris=int(first["baris"]),
                              kolom=first["kolom"], nilai=_show(first["nilai"]), tahun=int(first["tahun"]),
                              kode_desa=first["kode_desa"], kode="nilai_bertentangan"))
    return problems
