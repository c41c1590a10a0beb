"""Which variables each year's files provide: a variable a desa-based indicator needs that no
file of a year has as a column is an error naming the indicator and the variable, with the
closest column of that year that iku did not know (a header typed `anak_berakte` for
`anak_ber_akte`), so an indicator never goes without a value unseen.

>>> closest("anak_ber_akte", ["anak_berakte", "keterangan"])
'anak_berakte'
>>> closest("penduduk", ["keterangan"]) is None
True
"""

from __future__ import annotations

import difflib
import re

from .catalog import Catalog
from ..problems import Problem, error

# Counts per desa with no column of their own (`penyebut: jumlah_desa`).
NO_COLUMN = {"jumlah_desa"}
UNKNOWN_COLUMN = "kolom_tidak_dikenal"


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def closest(variable: str, columns: list[str]) -> str | None:
    """The column most like `variable` (ignoring case, spaces, `_` and `-`), if any is close."""
    keys = {_key(c): c for c in columns}
    found = difflib.get_close_matches(_key(variable), list(keys), n=1, cutoff=0.75)
    return keys[found[0]] if found else None


def needed(catalog: Catalog) -> dict[str, list[str]]:
    """Variable -> the desa-based indicators that need it, in catalog order."""
    out: dict[str, list[str]] = {}
    for ident in catalog.desa_ids:
        for role in ("pembilang", "penyebut"):
            name = catalog.indicators.at[ident, role]
            if isinstance(name, str) and name not in NO_COLUMN and ident not in out.get(name, []):
                out.setdefault(name, []).append(ident)
    return out


def unread_years(files: dict[int, list[str]], problems: list[Problem]) -> set[int]:
    """The years with a file that an error kept from being read as a whole (an error not tied
    to a row: no desa column, an unreadable or oversized file)."""
    failed = {p.berkas for p in problems if p.is_error and p.baris is None}
    return {year for year, labels in files.items() if failed.intersection(labels)}


def missing_variables(columns: dict[int, set[str]], files: dict[int, list[str]], years: list[int],
                      catalog: Catalog, problems: list[Problem]) -> list[Problem]:
    """An error per year and variable that an indicator needs and no file of the year has as a
    column (`columns`: year -> the column names of every desa table read that year; `files`: year ->
    the labels of its files), suggesting
    the closest unknown column of that year (from the `kolom_tidak_dikenal` warnings)."""
    have = columns
    out = []
    for year in years:
        if year in unread_years(files, problems):
            continue  # a file of the year could not be read: its columns are unknown, its error says why
        unknown = [p for p in problems if p.kode == UNKNOWN_COLUMN and p.tahun == year and p.kolom]
        for variable, indicators in needed(catalog).items():
            if variable in have.get(year, set()):
                continue
            names = ", ".join(indicators)
            message = (f"indikator {names} memerlukan variabel {variable}, tetapi tidak ada berkas tahun {year} "
                       f"yang memuat kolom {variable}; indikator itu tidak dapat dihitung")
            guess = closest(variable, [p.kolom for p in unknown])
            where: dict = {"tahun": year, "kode": "variabel_tidak_ada"}
            if guess is not None:
                first = next(p for p in unknown if p.kolom == guess)
                message += f'. Mungkin maksudnya kolom "{guess}"? Ganti judul kolomnya menjadi {variable}'
                where.update(berkas=first.berkas, lembar=first.lembar, baris=first.baris, kolom=guess)
            else:
                message += f"; tambahkan kolom {variable} ke salah satu berkas tahun {year}"
            out.append(error(message, **where))
    return out
