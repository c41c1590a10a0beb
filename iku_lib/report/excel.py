"""The Tabel Capaian Kinerja of a year as a formatted Excel workbook (openpyxl).

Sheet "Capaian": the sasaran indicators, then the tujuan indicators apart. Sheet "Rincian
Desa": every indicator's desa rows. With the LKjIP chapter (`chapter.build_chapter`), three
sheets from the same model (`chapter_sheets`): "Multi Tahun" (every indicator, every year of
the Renstra period up to the report's), "Efisiensi" (chapter III.A.6) and "Anggaran" (III.B,
per program and kegiatan with the total). Sheet "Sumber": provenance.

One convention in every sheet: numbers are stored as numbers at full precision, in the unit
the report shows (a percentage as 92.857..., never as the fraction 0.9286; the unit is in the
header, "Capaian (%)", or in the row's Satuan column), with a number format of the display
decimals (`#,##0.00`); counts and rupiah as whole numbers (`#,##0`). Every data table carries
"Kode Indikator" (IKU-01) and "Kode Wilayah" (the area's or desa's code, as text), the keys of
`iku compute`'s `indikator` and `kode_wilayah`, so sheets and files can be joined.

Text that Excel would read as a formula (starting with ``=``, ``+``, ``-`` or ``@``) is
stored as text, never as a formula.

>>> looks_like_formula("=SUM(A1:A3)"), looks_like_formula("Kaloran")
(True, False)
"""

from __future__ import annotations

import datetime
import math
import re
import threading
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .chapter_model import Chapter, Column

FORMULA_START = ("=", "+", "-", "@")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
THIN = Side(style="thin", color="A6B5C7")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
ID = "Kode Indikator"
AREA = "Kode Wilayah"
CAPAIAN_HEADERS = [ID, "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Target", "Realisasi", "Capaian (%)",
                   "Predikat", AREA, "Wilayah"]
TUJUAN_HEADERS = [ID, "Tujuan", "Indikator Tujuan", "Satuan", "Target", "Realisasi", "Capaian (%)", "Predikat",
                  AREA, "Wilayah"]
DESA_HEADERS = [ID, AREA, "Desa", "Pembilang", "Penyebut", "Nilai", "Satuan", "Keterangan"]
WIDTHS = {ID: 11, "Sasaran Strategis": 42, "Tujuan": 42, "Indikator Kinerja": 48, "Indikator Tujuan": 48,
          "Satuan": 20, "Target": 13, "Realisasi": 13, "Capaian (%)": 13, "Predikat": 15, AREA: 14, "Wilayah": 18}
WHOLE = "#,##0"
CAPAIAN_DECIMALS = 2  # as the reports show capaian


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
    """`#,##0.00` for 2 decimals (Excel shows it in the reader's locale: 1.234,56 in Indonesian).

    >>> decimal_format(2), decimal_format(0)
    ('#,##0.00', '#,##0')
    """
    return WHOLE + ("." + "0" * decimals if decimals else "")


def count_format(value: object) -> str:
    """A count's format: whole (`#,##0`, never `3,085.00`); two decimals for the rare value
    that is not whole, so nothing is hidden.

    >>> count_format(3085.0), count_format(2.5)
    ('#,##0', '#,##0.00')
    """
    try:
        whole = float(value).is_integer()
    except (TypeError, ValueError):
        whole = True
    return WHOLE if whole else decimal_format(2)


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _header(ws, row: int, headers: list[str]) -> None:
    for col, text in enumerate(headers, start=1):
        cell = put(ws, row, col, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _capaian_rows(ws, start: int, capaian: pd.DataFrame) -> int:
    row = start
    wrapped = {2, 3, 4, 10}
    for r in capaian.itertuples(index=False):
        fmt = decimal_format(int(r.desimal))  # target and realisasi in the indicator's unit (Satuan)
        values = [
            (str(r.indikator), None), (r.sasaran_strategis, None), (r.nama, None), (r.satuan, None),
            (_number(r.target), fmt), (_number(r.realisasi), fmt),
            (_number(r.capaian), decimal_format(CAPAIAN_DECIMALS)),
            (r.predikat if isinstance(r.predikat, str) else None, None),
            (str(r.kode_wilayah), None), (str(r.nama_wilayah), None),
        ]
        for col, (value, number_format) in enumerate(values, start=1):
            cell = put(ws, row, col, value, number_format)
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=col in wrapped)
        row += 1
    return row


def _widths(ws, widths: list[float]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


# The chapter's sheets: name, the keys of the model's tables they gather (a prefix ends in
# "-"), and their columns (numbers as the model holds them; the unit in the header).
YEAR = "tahun"  # written as a whole number without thousands separator
CHAPTER_SHEETS: list[tuple[str, str, list[Column]]] = [
    ("Multi Tahun", "multitahun-", [
        Column("indikator", ID), Column("kode_wilayah", AREA), Column("nama_wilayah", "Wilayah"),
        Column("nama", "Indikator Kinerja"), Column("satuan", "Satuan"), Column(YEAR, "Tahun"),
        Column("target", "Target", "angka", decimals_key="desimal"),
        Column("realisasi", "Realisasi", "angka", decimals_key="desimal"),
        Column("capaian", "Capaian (%)", "angka", CAPAIAN_DECIMALS), Column("predikat", "Predikat"),
        Column("perubahan", "Perubahan dari Tahun Sebelumnya", "angka", decimals_key="desimal"),
        Column("arah", "Arah")]),
    ("Efisiensi", "efisiensi-", [
        Column("indikator", ID), Column("kode_wilayah", AREA), Column(YEAR, "Tahun"),
        Column("pagu", "Pagu (Rp)", "bulat"), Column("realisasi_anggaran", "Realisasi Anggaran (Rp)", "bulat"),
        Column("serapan", "Serapan (%)", "angka", 2), Column("capaian", "Capaian (%)", "angka", CAPAIAN_DECIMALS),
        Column("metode", "Metode"), Column("indeks", "Indeks Efisiensi", "angka", 2),
        Column("tingkat_efisiensi", "Tingkat Efisiensi (%)", "angka", 2),
        Column("selisih", "Selisih Capaian - Serapan (poin)", "angka", 2), Column("kategori", "Kategori"),
        Column("alasan", "Alasan")]),
    ("Anggaran", "tabel-anggaran", [
        Column("didukung", ID), Column("kode_wilayah", AREA), Column(YEAR, "Tahun"), Column("tingkat", "Tingkat"),
        Column("program", "Program"), Column("kegiatan", "Kegiatan"), Column("pagu", "Pagu (Rp)", "bulat"),
        Column("realisasi_anggaran", "Realisasi (Rp)", "bulat"), Column("serapan", "Serapan (%)", "angka", 2)]),
]
CHAPTER_WIDTHS = {ID: 14, AREA: 14, "Wilayah": 18, "Indikator Kinerja": 44, "Satuan": 18, "Tahun": 8, "Program": 44,
                  "Kegiatan": 44, "Alasan": 60, "Metode": 10, "Kategori": 16, "Tingkat": 10}


def chapter_frame(chapter: Chapter, key: str) -> pd.DataFrame:
    """The rows of the chapter's tables whose key is `key` (or starts with it, for a key
    ending in "-"), stacked in the chapter's order, as the model holds them."""
    found = [t.frame for t in chapter.tables() if (t.key.startswith(key) if key.endswith("-") else t.key == key)]
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame()


def chapter_sheets(chapter: Chapter) -> list[tuple[str, pd.DataFrame, list[Column]]]:
    """The chapter's sheets: (name, frame, columns), frames from the model's own tables."""
    return [(name, chapter_frame(chapter, key), columns) for name, key, columns in CHAPTER_SHEETS]


def _cell_format(column: Column, record: pd.Series) -> str | None:
    if column.kind in ("bulat", "rupiah"):
        return WHOLE
    if column.kind in ("angka", "persen"):
        return decimal_format(column.decimals_of(record))
    return None


def write_model_sheet(book: Workbook, name: str, frame: pd.DataFrame, columns: list[Column]) -> None:
    """One sheet of model rows: a header, then a row per frame row; numbers as numbers with
    the display decimals as format (money whole), codes and texts as text."""
    ws = book.create_sheet(name)
    _header(ws, 1, [c.header for c in columns])
    for i, (_, record) in enumerate(frame.iterrows(), start=2):
        for col, column in enumerate(columns, start=1):
            value = record.get(column.key)
            if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
                value = None
            elif column.key == YEAR:
                value = int(value)
            elif column.kind == "teks" or column.header in (ID, AREA):
                value = str(value)
            else:
                value = float(value)
            put(ws, i, col, value, _cell_format(column, record) if value is not None else None)
    _widths(ws, [CHAPTER_WIDTHS.get(c.header, 16) for c in columns])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(frame) + 1, 1)}"


def write_capaian_workbook(path: Path, title: str, sasaran: pd.DataFrame, tujuan: pd.DataFrame,
                           desa: pd.DataFrame, sources: list[tuple[str, str]], files: pd.DataFrame,
                           when: datetime.datetime | None = None, decimals: dict[str, int] | None = None,
                           chapter: Chapter | None = None) -> Path:
    """Write the workbook to `path` (use with `outputs.atomic_write`).

    `sasaran`/`tujuan` are `tables.capaian_table` frames; `desa` has the columns DESA_HEADERS
    (`runner.desa_rows`), its Nilai shown with `decimals[kode indikator]` (default 2);
    `sources` label/value pairs and `files` (berkas, ukuran, sha256) go to the "Sumber" sheet.
    With `chapter`, the chapter's sheets (`chapter_sheets`) come before "Sumber".
    With `when`, the workbook's creation/modification dates and the zip entries' dates are
    `when`, so the same inputs give the same bytes (reports made in a batch are compared byte
    for byte).
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
    decimals = decimals or {}
    for i, record in enumerate(desa.itertuples(index=False), start=2):
        ident = str(record[headers.index(ID)]) if ID in headers else ""
        for col, value in enumerate(record, start=1):
            value = value.item() if hasattr(value, "item") else value
            header = headers[col - 1]
            fmt = (count_format(value) if header in ("Pembilang", "Penyebut")
                   else decimal_format(int(decimals.get(ident, 2))) if header == "Nilai" else None)
            if header in (ID, AREA) and value is not None:
                value = str(value)  # codes are text: 0332... keeps its zero, and joins as text
            put(ws, i, col, value, fmt)
    _widths(ws, [{ID: 11, AREA: 14, "Desa": 18, "Satuan": 20, "Keterangan": 60}.get(h, 16) for h in headers])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(desa) + 1, 1)}"

    if chapter is not None:
        for name, frame, columns in chapter_sheets(chapter):
            write_model_sheet(book, name, frame, columns)

    write_sources_sheet(book, sources, files)
    return save_workbook(book, path, when)


def write_table_sheet(ws, headers: list[str], rows: list[list[tuple[object, str | None]]],
                      widths: dict[str, float], default_width: float = 14) -> None:
    """A plain, sortable table: a styled header row, then the rows as (value, number format)
    pairs; column widths by header (`widths`, else `default_width`), frozen header, autofilter."""
    for col, text in enumerate(headers, start=1):
        cell = put(ws, 1, col, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, row in enumerate(rows, start=2):
        for col, (value, number_format) in enumerate(row, start=1):
            put(ws, i, col, value, number_format)
    for col, text in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(text, default_width)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"


def write_sources_sheet(book, sources, files: pd.DataFrame, title: str = "Sumber") -> None:
    """The sheet naming where a workbook's numbers come from: label/value pairs (`sources`), then
    the files read (`berkas`, `ukuran`, `sha256`), as every workbook of iku has it."""
    ws = book.create_sheet(title)
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


def save_workbook(book, path: Path, when: datetime.datetime | None) -> Path:
    """Save `book` at `path`, every number to full precision (`_full_precision`); with `when`,
    dated `when` inside and out (the same bytes each run)."""
    if when is not None:
        book.properties.created = when.replace(microsecond=0)
    with _full_precision():
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


_WRITING = threading.Lock()


@contextmanager
def _full_precision():
    """While saving: each float cell written so that it reads back to the same number: where
    openpyxl's own text does not, as the shortest text that does (Python's repr, as `iku
    compute`'s CSV does). openpyxl 3.1 writes `"%.16g" % value`,
    16 significant digits, which changed the last bit of 5 of the sample's 33 figures of 2023
    (103.17460317460319 became 103.1746031746032), so the workbook did not equal `iku compute`.
    Its cell writer takes the text from `openpyxl.cell._writer.safe_string`, replaced here for
    the duration of the save (tests/report/test_excel.py reads the numbers back)."""
    from openpyxl.cell import _writer

    def text(value):
        written = plain(value)
        if isinstance(value, float) and math.isfinite(value) and float(written) != value:
            return float.__repr__(value)  # also for numpy's float64, whose own repr names its type
        return written  # openpyxl's text where it reads back the same (2273, not 2273.0)

    with _WRITING:
        plain = _writer.safe_string
        _writer.safe_string = text
        try:
            yield
        finally:
            _writer.safe_string = plain
