"""The Tabel Capaian Kinerja of a year as a formatted Excel workbook (openpyxl).

Sheet "Capaian": the sasaran indicators, then the tujuan indicators apart, with numbers
stored as numbers (percentages as Excel percentages) and shown with the indicator's
decimals. Sheet "Rincian Desa": every indicator's desa rows. Sheet "Sumber": provenance.

Text that Excel would read as a formula (starting with ``=``, ``+``, ``-`` or ``@``) is
stored as text, never as a formula.

>>> looks_like_formula("=SUM(A1:A3)"), looks_like_formula("Kaloran")
(True, False)
"""

from __future__ import annotations

import datetime
import re
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
THIN = Side(style="thin", color="A6B5C7")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CAPAIAN_HEADERS = ["No", "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Target", "Realisasi",
                   "Capaian (%)", "Predikat"]
TUJUAN_HEADERS = ["No", "Tujuan", "Indikator Tujuan", "Satuan", "Target", "Realisasi", "Capaian (%)", "Predikat"]
WIDTHS = {"No": 5, "Sasaran Strategis": 42, "Tujuan": 42, "Indikator Kinerja": 48, "Indikator Tujuan": 48,
          "Satuan": 20, "Target": 13, "Realisasi": 13, "Capaian (%)": 13, "Predikat": 15}


def looks_like_formula(value: object) -> bool:
    """True for text Excel would take as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def put(ws, row: int, col: int, value: object, number_format: str | None = None):
    """Write one cell; text is always stored as text (a leading `=` stays visible, not evaluated)."""
    cell = ws.cell(row=row, column=col)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        cell.value = None
    elif isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl would otherwise store '=...' as a formula
        if looks_like_formula(value):
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited
    else:
        cell.value = value
    if number_format and cell.value is not None and not isinstance(cell.value, str):
        cell.number_format = number_format
    return cell


def decimal_format(decimals: int) -> str:
    """`#,##0.00` for 2 decimals (Excel shows it in the reader's locale: 1.234,56 in Indonesian)."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def percent_format(decimals: int) -> str:
    """`0.00%` for 2 decimals."""
    return "0" + ("." + "0" * decimals if decimals else "") + "%"


def _header(ws, row: int, headers: list[str]) -> None:
    for col, text in enumerate(headers, start=1):
        cell = put(ws, row, col, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _capaian_rows(ws, start: int, capaian: pd.DataFrame) -> int:
    row = start
    for r in capaian.itertuples(index=False):
        percent_unit = r.satuan == "%"
        scale = 100.0 if percent_unit else 1.0
        fmt = percent_format(int(r.desimal)) if percent_unit else decimal_format(int(r.desimal))
        values = [
            (int(r.no), "0"), (r.sasaran_strategis, None), (r.nama, None), (r.satuan, None),
            (None if pd.isna(r.target) else float(r.target) / scale, fmt),
            (None if pd.isna(r.realisasi) else float(r.realisasi) / scale, fmt),
            (None if pd.isna(r.capaian) else float(r.capaian) / 100.0, "0.00%"),
            (r.predikat if isinstance(r.predikat, str) else None, None),
        ]
        for col, (value, number_format) in enumerate(values, start=1):
            cell = put(ws, row, col, value, number_format)
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=col in (2, 3, 4))
        row += 1
    return row


def _widths(ws, widths: list[float]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def write_capaian_workbook(path: Path, title: str, sasaran: pd.DataFrame, tujuan: pd.DataFrame,
                           desa: pd.DataFrame, sources: list[tuple[str, str]], files: pd.DataFrame,
                           when: datetime.datetime | None = None) -> Path:
    """Write the workbook to `path` (use with `outputs.atomic_write`).

    `sasaran`/`tujuan` are `tables.capaian_table` frames; `desa` has columns Indikator, Kode
    Desa, Desa, Pembilang, Penyebut, Nilai, Satuan, Keterangan; `sources` label/value pairs
    and `files` (berkas, ukuran, sha256) go to the "Sumber" sheet. With `when`, the workbook's
    creation/modification dates and the zip entries' dates are `when`, so the same inputs give
    the same bytes (reports made in a batch are compared byte for byte).
    """
    book = Workbook()
    ws = book.active
    ws.title = "Capaian"
    put(ws, 1, 1, title).font = Font(bold=True, size=13)
    _header(ws, 3, CAPAIAN_HEADERS)
    row = _capaian_rows(ws, 4, sasaran)
    ws.freeze_panes = "A4"
    if len(tujuan):
        row += 1
        put(ws, row, 1, "Indikator Tujuan").font = Font(bold=True, size=12)
        _header(ws, row + 1, TUJUAN_HEADERS)
        _capaian_rows(ws, row + 2, tujuan)
    _widths(ws, [WIDTHS[h] for h in CAPAIAN_HEADERS])
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "3:3"

    ws = book.create_sheet("Rincian Desa")
    headers = list(desa.columns)
    _header(ws, 1, headers)
    for i, record in enumerate(desa.itertuples(index=False), start=2):
        for col, value in enumerate(record, start=1):
            fmt = "#,##0.00" if headers[col - 1] in ("Pembilang", "Penyebut", "Nilai") else None
            put(ws, i, col, value.item() if hasattr(value, "item") else value, fmt)
    _widths(ws, [{"Indikator": 10, "Kode Desa": 13, "Desa": 18, "Satuan": 20, "Keterangan": 60}.get(h, 16)
                 for h in headers])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(desa) + 1, 1)}"

    ws = book.create_sheet("Sumber")
    _header(ws, 1, ["Keterangan", "Nilai"])
    for i, (label, value) in enumerate(sources, start=2):
        put(ws, i, 1, label)
        put(ws, i, 2, value)
    start = len(sources) + 3
    _header(ws, start, ["Berkas", "Ukuran (bita)", "SHA-256"])
    for i, f in enumerate(files.itertuples(index=False), start=start + 1):
        put(ws, i, 1, f.berkas)
        put(ws, i, 2, int(f.ukuran), "#,##0")
        put(ws, i, 3, f.sha256)
    _widths(ws, [34, 40, 70])
    if when is not None:
        book.properties.created = when.replace(microsecond=0)
    book.save(path)
    if when is not None:
        stamp_zip(Path(path), when)
    return Path(path)


def stamp_zip(path: Path, when: datetime.datetime) -> None:
    """Rewrite the xlsx at `path` with every zip entry dated `when` and the document's
    `modified` date (openpyxl writes the time of saving) set to `when`."""
    stamp = when.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w") as out:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              lambda m: m.group(1) + stamp.encode() + m.group(2), data)
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type, fixed.external_attr = info.compress_type, info.external_attr
            out.writestr(fixed, data)
