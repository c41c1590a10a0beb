"""The comparison report as an Excel workbook (openpyxl), beside its HTML page.

Sheets, each a plain table (one header row, autofilter, the header row frozen) so a reader
can sort and filter it, with the conventions of `excel`: numbers stored as numbers at full
precision with the display decimals as format, codes and texts as text, never a formula.

- "Peringkat": every area of every indicator and year of the comparison, complete (the HTML
  shows the top and bottom of a long ranking only);
- "Matriks <tahun>": areas x indicators of the last year, per indicator its capaian (cell
  coloured by predikat) and its predikat, then per area the count of indicators in each
  predikat; the reference area's row last;
- "Perubahan" (several years): each area's change from the first to the last year;
- "Sumber": parameters, versions, the data files with their SHA-256.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ..engine.ranking import BY_CAPAIAN, NO_PREDIKAT
from .charts import predikat_colors
from .comparison import Comparison, counts_headers, ink_on
from .excel import (AREA, CAPAIAN_DECIMALS, ID, WHOLE, decimal_format, put, save_workbook, write_sources_sheet,
                    write_table_sheet)
from .tables import change_direction

RANK_SHEET = "Peringkat"
CHANGE_SHEET = "Perubahan"
SOURCE_SHEET = "Sumber"
WIDTHS = {ID: 14, AREA: 14, "Wilayah": 22, "Indikator Kinerja": 44, "Satuan": 18, "Tahun": 8, "Dasar Peringkat": 30,
          "Peringkat": 10, "Keterangan": 26, "Predikat": 15}


def matrix_sheet(year: int) -> str:
    return f"Matriks {year}"


def basis_label(basis: str, polaritas: str) -> str:
    """What a ranking is by, in words.

    >>> basis_label("nilai", "negatif")
    'nilai (makin rendah makin baik)'
    """
    if basis == BY_CAPAIAN:
        return "capaian"
    return "nilai (makin rendah makin baik)" if polaritas == "negatif" else "nilai (makin tinggi makin baik)"


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _whole(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _table(ws, headers: list[str], rows) -> None:
    write_table_sheet(ws, headers, rows, WIDTHS, 13)


def _specs(model: Comparison) -> dict[str, dict[str, str]]:
    """Per indicator id: its name, unit, polarity and number format (looked up once, not per row)."""
    return {ident: {"nama": str(spec["nama"]), "satuan": str(spec["satuan"] or ""), "polaritas": spec["polaritas"],
                    "format": decimal_format(int(spec["desimal"]))}
            for ident, spec in model.indicators.iterrows()}


RANK_HEADERS = ["Tahun", ID, "Indikator Kinerja", "Satuan", "Dasar Peringkat", "Peringkat", AREA, "Wilayah", "Nilai",
                "Target", "Capaian (%)", "Predikat", "Keterangan"]


def rank_rows(model: Comparison) -> list[list[tuple[object, str | None]]]:
    """The "Peringkat" sheet's rows: every year, indicator and area of the comparison."""
    specs = _specs(model)
    out = []
    for r in model.ranked.itertuples(index=False):
        spec = specs[r.indikator]
        fmt = spec["format"]
        out.append([(int(r.tahun), "0"), (str(r.indikator), None), (spec["nama"], None),
                    (spec["satuan"], None), (basis_label(r.dasar, spec["polaritas"]), None),
                    (_whole(r.peringkat), "0"), (str(r.kode_wilayah), None), (str(r.nama_wilayah), None),
                    (_number(r.nilai), fmt), (_number(r.target), fmt),
                    (_number(r.capaian), decimal_format(CAPAIAN_DECIMALS)),
                    (r.predikat if isinstance(r.predikat, str) else None, None), (r.keterangan or None, None)])
    return out


def _matrix(ws, model: Comparison) -> None:
    """Areas x indicators of the last year: Kode Wilayah, Wilayah, per indicator "<id>
    Capaian (%)" and "<id> Predikat", then the predikat counts."""
    matrix, counts = model.matrix, model.counts
    idents = [c for c in matrix.columns.get_level_values(0).unique() if c != "nama_wilayah"]
    labels = model.labels
    headers = [AREA, "Wilayah"] + [h for i in idents for h in (f"{i} Capaian (%)", f"{i} Predikat")] \
        + [f"Jumlah {h}" for h in counts_headers(labels)]
    capaian_format = decimal_format(CAPAIAN_DECIMALS)
    rows = []
    for kode, row in matrix.iterrows():
        cells: list[tuple[object, str | None]] = [(str(kode), None), (str(row[("nama_wilayah", "")]), None)]
        for i in idents:
            p = row[(i, "predikat")]
            cells += [(_number(row[(i, "capaian")]), capaian_format), (p if isinstance(p, str) else None, None)]
        cells += [(int(counts.at[kode, label]), WHOLE) for label in [*labels, NO_PREDIKAT]]
        rows.append(cells)
    _table(ws, headers, rows)
    for col in range(3, 3 + 2 * len(idents)):
        ws.column_dimensions[get_column_letter(col)].width = 12
    colors = {label: color.lstrip("#").upper() for label, color in predikat_colors(model.grades).items()}
    for i in range(len(rows)):  # each capaian cell on its predikat's colour, the predikat beside it in words
        for k in range(len(idents)):
            cell = ws.cell(row=i + 2, column=3 + 2 * k)
            label = ws.cell(row=i + 2, column=4 + 2 * k).value
            if label in colors:
                cell.fill = PatternFill("solid", fgColor=colors[label])
                cell.font = Font(color=ink_on(colors[label]).lstrip("#").upper(), bold=True)
    if model.reference_label:  # the reference area below the table, outside the filtered range
        at = len(rows) + 3
        put(ws, at, 2, f"{model.reference_label} (acuan)").font = Font(italic=True)
        for k, ident in enumerate(idents):
            ref = model.reference_row(ident)
            if ref is not None:
                put(ws, at, 3 + 2 * k, _number(ref["capaian"]), capaian_format)
                put(ws, at, 4 + 2 * k, ref["predikat"] if isinstance(ref["predikat"], str) else None)


def change_headers(first: int, last: int) -> list[str]:
    return [ID, "Indikator Kinerja", "Satuan", AREA, "Wilayah", f"Nilai {first}", f"Nilai {last}", "Perubahan Nilai",
            "Arah", f"Capaian {first} (%)", f"Capaian {last} (%)", "Perubahan Capaian (poin)", f"Peringkat {first}",
            f"Peringkat {last}", "Naik Peringkat"]


def change_rows(model: Comparison) -> list[list[tuple[object, str | None]]]:
    """The "Perubahan" sheet's rows (several years only)."""
    ind = model.indicators
    changes = model.changes
    specs = _specs(model)
    arah = change_direction(changes["selisih"], ind.loc[changes["indikator"], "desimal"].astype(int).to_numpy(),
                            ind.loc[changes["indikator"], "polaritas"].to_numpy())
    capaian_format = decimal_format(CAPAIAN_DECIMALS)
    out = []
    for r, a in zip(changes.itertuples(index=False), arah):
        spec = specs[r.indikator]
        fmt = spec["format"]
        out.append([(str(r.indikator), None), (spec["nama"], None), (spec["satuan"], None),
                    (str(r.kode_wilayah), None), (str(r.nama_wilayah), None), (_number(r.nilai_awal), fmt),
                    (_number(r.nilai_akhir), fmt), (_number(r.selisih), fmt), (a or None, None),
                    (_number(r.capaian_awal), capaian_format), (_number(r.capaian_akhir), capaian_format),
                    (_number(r.selisih_capaian), capaian_format), (_whole(r.peringkat_awal), "0"),
                    (_whole(r.peringkat_akhir), "0"), (_whole(r.naik_peringkat), "0")])
    return out


def write_comparison_workbook(path: Path, model: Comparison, sources: list[tuple[str, str]], files: pd.DataFrame,
                              when: datetime.datetime | None = None) -> Path:
    """Write the workbook to `path` (use with `outputs.atomic_write`). `sources` (label, value)
    and `files` (berkas, ukuran, sha256) go to "Sumber"; with `when`, the workbook's dates are
    `when` (same inputs, same bytes)."""
    book = Workbook()
    ws = book.active
    ws.title = RANK_SHEET
    _table(ws, RANK_HEADERS, rank_rows(model))
    if not model.matrix.empty and len(model.matrix.columns) > 1:
        _matrix(book.create_sheet(matrix_sheet(model.last)), model)
    if model.changes is not None:
        _table(book.create_sheet(CHANGE_SHEET), change_headers(model.first, model.last), change_rows(model))
    write_sources_sheet(book, sources, files, SOURCE_SHEET)
    return save_workbook(book, path, when)
