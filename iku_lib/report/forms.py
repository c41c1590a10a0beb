"""Data-entry forms the villages fill (`iku template`): Excel workbooks the reader reads back.

`write_forms` writes, for one year, the form for the desa variables (`formulir-iku-<tahun>.xlsx`,
or one workbook per desa) and, when the catalog has directly reported indicators, the form
for their values (`realisasi-<tahun>.xlsx`). A filled form dropped into the year folder is read
like any delivered spreadsheet (`reading`, `dataset`): it gives exactly the values typed in.

Layout of the data sheet ("Data <tahun>"; the realisasi sheet is laid out the same way):

- rows 1-3: title, instansi or desa, a one-line instruction;
- row 4 (`LABEL_ROW`): each column's Indonesian label;
- row 5 (`HEADER_ROW`): the technical names the reader uses (`desa`, `nama_desa`, variables);
- from row 6 (`FIRST_ROW`): one row per register desa, in register order. The `desa` column
  holds the desa's code as text (two desa sharing a name never matter); the code and name
  are locked, the input cells are yellow, unlocked and validated.

The reader takes the first row holding a cell that normalises to its key column (`desa`, or
`indikator` for directly reported values) as the header; no title, label or "Petunjuk" cell
normalises to one (`not_a_key`). Sheets are protected without a password (Tinjau > Buka
Proteksi Lembar unprotects them). Text from the register or the catalog is stored as text,
never as a formula (`excel.put`). Workbooks are dated `FIXED_TIME`, so the same inputs give
the same bytes.

>>> slug("Ngadimulyo (Kali Bening)")
'ngadimulyo-kali-bening'
>>> not_a_key("Desa"), not_a_key("Kode desa")
('Desa (isian)', 'Kode desa')
"""

from __future__ import annotations

import datetime
import numbers
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..ingest.catalog import NUMBER_OF_DESA, Catalog
from ..ingest.dataset import DESA_COLUMN, Dataset
from ..exceptions import ParameterError
from .excel import BORDER, HEADER_FILL, put, stamp_zip
from ..outputs import atomic_write, check_not_inside
from ..ingest.reading import normalise_header
from ..ingest.register import REGISTER_FILE

LABEL_ROW = 4
HEADER_ROW = 5
FIRST_ROW = 6
FIXED_TIME = datetime.datetime(2020, 1, 1)  # every form is dated so: same inputs, same bytes
GUIDE_SHEET = "Petunjuk"  # the reader skips it quietly (reading.is_guide_sheet)
KEYS = (DESA_COLUMN, "indikator")  # key columns of the readers: only a header row may hold one
KECAMATAN_COLUMN = "nama_kecamatan"
FLAG_CHOICES = ("Ya", "Tidak")
# How each input kind is shown, checked and explained.
KIND_WORDS = {"jumlah": "bilangan bulat", "rupiah": "rupiah tanpa sen", "flag": "Ya atau Tidak"}
NUMBER_FORMATS = {"jumlah": "#,##0", "rupiah": "#,##0", "flag": "General", "desimal": "General", "teks": "@"}
WIDTHS = {"jumlah": 15, "rupiah": 18, "flag": 14}  # the desa form's variable columns

INPUT_FILL = PatternFill("solid", fgColor="FFF2A8")  # light yellow: cells to fill
FIXED_FILL = PatternFill("solid", fgColor="F2F2F2")  # light grey: prefilled, locked
TECH_FILL = PatternFill("solid", fgColor="EDEDED")
TECH_FONT = Font(italic=True, size=9, color="595959")
TITLE_FONT = Font(bold=True, size=13)
NOTE_FONT = Font(italic=True, size=10)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
LINE_HEIGHT = 15.0  # points per line of 11-point text
CHARS_PER_WIDTH = 1.1  # characters of ordinary text per unit of column width


@dataclass(frozen=True)
class Column:
    """One column of a form: technical name, label, width, and `kind` for an input column."""

    name: str
    label: str
    width: float
    kind: str | None = None  # jumlah, rupiah, flag, desimal, teks; None: prefilled and locked
    hint: str = ""  # shown when an input cell is selected


# --- public entry point ------------------------------------------------------------------

def write_forms(dataset: Dataset, year: int, out_dir: Path, per_desa: bool = False,
                progress: Callable[[str], None] | None = None) -> list[Path]:
    """Write the year's data-entry forms into `out_dir`; return the files written.

    One workbook for every desa (`formulir-iku-<tahun>.xlsx`) or, with `per_desa`, one per desa
    (`desa_file_names`); plus `realisasi-<tahun>.xlsx` when the catalog has directly reported
    indicators. `progress` gets one line per file when more than one file is written.
    Raises ParameterError for a bad year, an output folder inside the data directory, or a
    register that is empty or has errors.
    """
    year = _checked_year(year)
    out_dir = Path(out_dir)
    check_not_inside(out_dir, dataset.data_dir)
    register = _checked_register(dataset)
    catalog = dataset.catalog
    jobs: list[tuple[Path, Callable[[], Workbook]]] = []
    if catalog.used_variables():
        if per_desa:
            names = desa_file_names(register, year)
            for i in range(len(register)):
                one = register.iloc[[i]]
                jobs.append((out_dir / names[one["kode_desa"].iloc[0]],
                             lambda one=one: desa_workbook(catalog, year, one, whole=register)))
        else:
            jobs.append((out_dir / f"formulir-iku-{year}.xlsx", lambda: desa_workbook(catalog, year, register)))
    if catalog.direct_ids:
        jobs.append((out_dir / f"realisasi-{year}.xlsx", lambda: realisasi_workbook(catalog, year, register)))
    if not jobs:
        raise ParameterError("katalog IKU tidak memuat variabel desa maupun indikator yang dilaporkan langsung; "
                             "tidak ada formulir yang dapat dibuat")
    written = []
    for i, (path, build) in enumerate(jobs, start=1):
        written.append(save_workbook(build(), path))
        if progress is not None and len(jobs) > 1:
            progress(f"[{i}/{len(jobs)}] ditulis: {path}")
    return written


def _checked_year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, numbers.Integral) or not 1900 <= year <= 2999:
        raise ParameterError(f"tahun harus bilangan bulat empat angka, misalnya 2023 (bukan {year!r})")
    return int(year)


def _checked_register(dataset: Dataset) -> pd.DataFrame:
    """The register, or ParameterError when it is empty or has errors (a form needs every desa)."""
    wrong = [p for p in dataset.errors if p.berkas == REGISTER_FILE]
    detail = "; ".join(p.format() for p in wrong[:5]) + (" ..." if len(wrong) > 5 else "")
    if dataset.register.empty:
        raise ParameterError(f"daftar desa ({REGISTER_FILE}) tidak berisi satu desa pun, sehingga formulir tidak "
                             f"dapat dibuat; isi {REGISTER_FILE} dengan satu baris per desa (kode_desa,nama_desa)"
                             + (f". {detail}" if detail else ""))
    if wrong:
        raise ParameterError(f"daftar desa ({REGISTER_FILE}) berisi galat; perbaiki dahulu sebelum membuat "
                             f"formulir: {detail}")
    return dataset.register


# --- names -------------------------------------------------------------------------------

def slug(text: object, limit: int = 50) -> str:
    """`text` as a file-name part safe everywhere: lower-case ASCII letters, digits and dashes."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")


def desa_file_names(register: pd.DataFrame, year: int) -> dict[str, str]:
    """Per-desa form file names by desa code: `formulir-iku-<tahun>-<nama>.xlsx`; the code is
    added for every desa whose name gives the same slug as another's (or an empty one)."""
    slugs = {code: slug(name) for code, name in zip(register["kode_desa"], register["nama_desa"])}
    counts = Counter(slugs.values())
    names = {}
    for code, part in slugs.items():
        if not part or counts[part] > 1:
            part = "-".join(p for p in (part, slug(code)) if p)
        names[code] = f"formulir-iku-{year}-{part}.xlsx"
    return names


def not_a_key(text: str) -> str:
    """`text` changed just enough that it never reads as a key column (`desa`, `indikator`)."""
    return f"{text} (isian)" if normalise_header(text) in KEYS else text


# --- the desa form -----------------------------------------------------------------------

def several_kecamatan(register: pd.DataFrame) -> bool:
    return "kode_kecamatan" in register.columns and register["kode_kecamatan"].nunique() > 1


def _kecamatan_names(register: pd.DataFrame) -> list[str]:
    column = KECAMATAN_COLUMN if KECAMATAN_COLUMN in register.columns else "kode_kecamatan"
    return [str(v) for v in register[column]]


def desa_columns(catalog: Catalog, register: pd.DataFrame) -> list[Column]:
    """The data sheet's columns: code, name (and kecamatan), then every used variable."""
    columns = [Column(DESA_COLUMN, "Kode desa", 14)]
    longest = max(len(str(name)) for name in register["nama_desa"])
    columns.append(Column("nama_desa", "Nama desa", min(max(16, longest * 1.05 + 2), 40)))
    if several_kecamatan(register):  # the reader ignores it (values.IGNORED_COLUMNS)
        columns.append(Column(KECAMATAN_COLUMN, "Kecamatan", 18))
    for name in catalog.used_variables():
        spec = catalog.variables[name]
        kind = spec["jenis"]
        columns.append(Column(name, spec["label"], WIDTHS[kind], kind, spec.get("keterangan") or ""))
    return columns


def desa_rows(register: pd.DataFrame, whole: pd.DataFrame) -> list[dict[str, object]]:
    """The prefilled cells of each desa of `register` (`whole`: the full register, which decides
    whether the kecamatan is shown)."""
    separate = several_kecamatan(whole)
    rows = []
    for record in register.to_dict("records"):
        row: dict[str, object] = {DESA_COLUMN: str(record["kode_desa"]), "nama_desa": str(record["nama_desa"])}
        if separate:
            row[KECAMATAN_COLUMN] = record.get(KECAMATAN_COLUMN)
        rows.append(row)
    return rows


def _area_line(catalog: Catalog, register: pd.DataFrame, single: bool) -> str:
    """Second title line: the instansi and the number of desa, or (`single`) the one desa."""
    instansi = str(catalog.meta.get("instansi") or catalog.meta["wilayah"].get("nama") or "")
    if not single:
        return f"{instansi} · {len(register)} desa" if instansi else f"{len(register)} desa"
    record = register.iloc[0]
    kecamatan = (_kecamatan_names(register)[0] if "kode_kecamatan" in register.columns
                 else catalog.meta["wilayah"].get("nama"))
    parts = [f"Desa {record['nama_desa']} (kode {record['kode_desa']})"]
    if kecamatan:
        parts.append(f"Kecamatan {kecamatan}")
    if instansi:
        parts.append(instansi)
    return " · ".join(parts)


def desa_workbook(catalog: Catalog, year: int, register: pd.DataFrame,
                  whole: pd.DataFrame | None = None) -> Workbook:
    """The desa data form for the desa of `register` (`whole`: the full register, when
    `register` is one desa of it)."""
    single = whole is not None
    whole = register if whole is None else whole
    book = Workbook()
    ws = book.active
    ws.title = f"Data {year}"
    columns = desa_columns(catalog, whole)
    titles = [f"Formulir Data Indikator Kinerja Utama (IKU) Tahun {year}",
              _area_line(catalog, register, single),
              "Isi sel berwarna kuning. Kosongkan bila tidak diketahui, tulis 0 bila nihil; jangan ubah "
              f"baris {HEADER_ROW}. Lihat lembar {GUIDE_SHEET}."]
    form_sheet(ws, titles, columns, desa_rows(register, whole))
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=3).coordinate
    ws.print_title_cols = "A:B"  # code and name on every printed page
    desa_guide(book.create_sheet(GUIDE_SHEET), catalog, year, ws.title)
    _properties(book, f"Formulir data IKU {year}")
    return book


# --- the realisasi form ------------------------------------------------------------------

REALISASI_COLUMNS = [
    Column("no", "No", 5), Column("indikator", "Kode indikator", 12),
    Column("nama_indikator", "Nama indikator", 44), Column("satuan", "Satuan", 11),
    Column("tahun", "Tahun", 8), Column("kode_wilayah", "Kode wilayah", 13),
    Column("nama_wilayah", "Nama wilayah", 16),
    Column("nilai", "Nilai (realisasi)", 14, "desimal",
           "Tulis nilai dalam satuan indikator (kolom Satuan), tanpa tanda %: misalnya 82,5 untuk 82,5%. "
           "Kosongkan bila belum ada."),
    Column("sumber", "Sumber data", 28, "teks", "Dari mana nilai ini: misalnya laporan survei IKM, BPS."),
    Column("keterangan", "Keterangan", 30, "teks", "Catatan bila perlu."),
]


def realisasi_areas(catalog: Catalog, register: pd.DataFrame) -> list[tuple[str, str]]:
    """(code, name) of each area a direct value is reported for: each kecamatan of the
    register (register order) when it has kecamatan columns, else the catalog's area."""
    if "kode_kecamatan" in register.columns:
        names = _kecamatan_names(register)
        return list(dict.fromkeys((str(c), n) for c, n in zip(register["kode_kecamatan"], names)))
    area = catalog.meta["wilayah"]
    return [(str(area["kode"]), str(area.get("nama") or ""))]


def realisasi_rows(catalog: Catalog, year: int, register: pd.DataFrame) -> list[dict[str, object]]:
    """One prefilled row per area and directly reported indicator."""
    rows = []
    for code, name in realisasi_areas(catalog, register):
        for ident in catalog.direct_ids:
            ind = catalog.indicators.loc[ident]
            rows.append({"no": len(rows) + 1, "indikator": ident, "nama_indikator": ind["nama"],
                         "satuan": ind["satuan"], "tahun": year, "kode_wilayah": code, "nama_wilayah": name})
    return rows


def realisasi_workbook(catalog: Catalog, year: int, register: pd.DataFrame) -> Workbook:
    """The form for the values of directly reported indicators (read from `realisasi.*`)."""
    book = Workbook()
    ws = book.active
    ws.title = f"Realisasi {year}"
    instansi = str(catalog.meta.get("instansi") or catalog.meta["wilayah"].get("nama") or "")
    titles = [f"Formulir Realisasi IKU yang Dilaporkan Langsung Tahun {year}", instansi,
              "Isi sel berwarna kuning: nilai dalam satuan indikator (tanpa %), sumber data, keterangan; "
              f"jangan ubah baris {HEADER_ROW}. Lihat lembar {GUIDE_SHEET}."]
    form_sheet(ws, titles, REALISASI_COLUMNS, realisasi_rows(catalog, year, register))
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=1).coordinate
    _fit_width(ws)
    realisasi_guide(book.create_sheet(GUIDE_SHEET), catalog, year, ws.title)
    _properties(book, f"Formulir realisasi IKU {year}")
    return book


# --- sheets ------------------------------------------------------------------------------

def form_sheet(ws, titles: list[str], columns: list[Column], rows: list[dict[str, object]]) -> None:
    """Titles, label row, header row, prefilled rows with input cells, validation, protection."""
    for i, text in enumerate(titles, start=1):
        put(ws, i, 1, not_a_key(text)).font = TITLE_FONT if i == 1 else NOTE_FONT
    for col, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = column.width
        label = put(ws, LABEL_ROW, col, not_a_key(column.label))
        label.font, label.fill, label.border = Font(bold=True), HEADER_FILL, BORDER
        label.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        tech = put(ws, HEADER_ROW, col, column.name)
        tech.font, tech.fill, tech.border = TECH_FONT, TECH_FILL, BORDER
        tech.alignment = Alignment(horizontal="center", shrink_to_fit=True)
    ws.row_dimensions[LABEL_ROW].height = _height([c.label for c in columns], [c.width for c in columns])
    for r, values in enumerate(rows, start=FIRST_ROW):
        for col, column in enumerate(columns, start=1):
            _body_cell(ws, r, col, column, values.get(column.name))
        texts = [str(values.get(c.name) or "") for c in columns if c.kind is None]
        ws.row_dimensions[r].height = _height(texts, [c.width for c in columns if c.kind is None])
    last = FIRST_ROW + len(rows) - 1
    for col, column in enumerate(columns, start=1):
        if column.kind is not None and rows:
            letter = get_column_letter(col)
            validation = input_validation(column)
            if validation is not None:
                validation.add(f"{letter}{FIRST_ROW}:{letter}{last}")
                ws.add_data_validation(validation)
    _protect(ws)
    _page_setup(ws, f"{LABEL_ROW}:{HEADER_ROW}")


def _body_cell(ws, row: int, col: int, column: Column, value: object):
    """One data cell: a locked prefilled value, or an empty unlocked yellow input cell."""
    cell = put(ws, row, col, value)
    cell.border = BORDER
    if column.kind is None:
        cell.fill = FIXED_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str) and column.width > 20)
        if isinstance(value, str):
            cell.number_format = "@"
    else:
        cell.fill = INPUT_FILL
        cell.protection = Protection(locked=False)
        cell.number_format = NUMBER_FORMATS[column.kind]
        cell.alignment = Alignment(vertical="top", wrap_text=column.kind == "teks",
                                   horizontal="center" if column.kind == "flag" else None)
    return cell


def _clip(text: str, limit: int) -> str:
    """Excel refuses validation titles over 32 characters and messages over 255."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def input_validation(column: Column) -> DataValidation | None:
    """The data validation of an input column (None for free text), with Indonesian messages."""
    kind = column.kind
    if kind in ("jumlah", "rupiah"):
        rule = dict(type="whole", operator="greaterThanOrEqual", formula1="0")
        expected = ("bilangan bulat 0 atau lebih, tanpa titik atau koma desimal" if kind == "jumlah"
                    else "rupiah tanpa sen, 0 atau lebih; tulis angkanya saja, tanpa Rp")
    elif kind == "flag":
        rule = dict(type="list", formula1='"' + ",".join(FLAG_CHOICES) + '"')
        expected = "Ya atau Tidak (pilih dari daftar)"
    elif kind == "desimal":
        rule = dict(type="decimal", operator="greaterThanOrEqual", formula1="0")
        expected = "angka 0 atau lebih, tanpa tanda %"
    else:
        return None
    rule_text = f"Isian: {expected}. Kosongkan bila tidak diketahui."
    prompt = f"{_clip(column.hint, 254 - len(rule_text))} {rule_text}" if column.hint else rule_text
    return DataValidation(
        **rule, allow_blank=True, showInputMessage=True, showErrorMessage=True, errorStyle="stop",
        promptTitle=_clip(column.label, 32), prompt=prompt, errorTitle="Isian tidak sah",
        error=_clip(f"Isian harus {expected}. Kosongkan sel bila angkanya tidak diketahui; tulis 0 bila nihil.", 255))


def _protect(ws) -> None:
    """Sheet protection without a password; column widths and row heights stay adjustable."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _page_setup(ws, title_rows: str | None = None) -> None:
    """A4 landscape; a form wider than the page prints on several pages, each repeating the
    label rows (text stays readable when printed)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if title_rows:
        ws.print_title_rows = title_rows


def _fit_width(ws) -> None:
    """Print on pages one sheet wide (the Petunjuk sheets)."""
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _height(texts: list[str], widths: list[float], minimum: int = 1) -> float:
    """Row height (points) that shows every wrapped text of a row whole."""
    lines = minimum
    for text, width in zip(texts, widths):
        per_line = max(1, int(width * CHARS_PER_WIDTH) - 1)
        lines = max(lines, sum(_wrapped_lines(part, per_line) for part in str(text).split("\n")))
    return LINE_HEIGHT * lines + 3


def _wrapped_lines(text: str, per_line: int) -> int:
    """Lines `text` takes when wrapped at word boundaries, `per_line` characters a line."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > per_line:
            lines, used = lines + 1, 0
        used += (1 if used else 0) + len(word)
        while used > per_line:  # a word longer than the line breaks inside it
            lines, used = lines + 1, used - per_line
    return lines


# --- Petunjuk ------------------------------------------------------------------------------

GUIDE_WIDTHS = [24, 30, 52, 20, 24]


def desa_guide(ws, catalog: Catalog, year: int, data_sheet: str) -> None:
    """The "Petunjuk" sheet of the desa form: how to fill, every input column, every indicator."""
    steps = [
        f'Isi lembar "{data_sheet}": satu baris untuk setiap desa. Kode dan nama desa sudah terisi dan '
        "tidak dapat diubah; isi hanya sel berwarna kuning.",
        "Tulis angkanya saja, tanpa Rp dan tanpa satuan. Jumlah (orang, rumah, laporan, ...) adalah bilangan "
        "bulat; rupiah ditulis tanpa sen.",
        'Kosongkan sel bila angkanya tidak diketahui. Tulis 0 bila memang nihil (jangan menulis "-").',
        "Kolom Ya/Tidak: pilih Ya atau Tidak dari daftar pilihan pada sel.",
        f"Jangan mengubah, menghapus atau memindahkan baris {HEADER_ROW} (nama teknis, huruf kecil miring): "
        "program membaca kolom menurut baris itu. Jangan menambah atau menghapus baris dan kolom.",
        "Simpan sebagai Buku Kerja Excel (.xlsx), bukan .xls, .ods atau PDF, lalu kirim kembali berkas ini "
        "ke kantor kecamatan.",
        "Lembar dilindungi tanpa kata sandi agar kode dan judul tidak terubah tanpa sengaja. Bila perlu, "
        "buka di Excel: Tinjau > Buka Proteksi Lembar (Review > Unprotect Sheet).",
    ]
    row = _guide_head(ws, f"Petunjuk Pengisian Formulir Data IKU Tahun {year}", catalog, steps)
    used_by = _used_by(catalog)
    rows = [[name, spec["label"], spec.get("keterangan") or "", KIND_WORDS[spec["jenis"]],
             ", ".join(used_by.get(name, []))]
            for name in catalog.used_variables() for spec in [catalog.variables[name]]]
    row = _guide_table(ws, row + 1, f'Daftar isian (kolom lembar "{data_sheet}")',
                       ["Nama teknis (baris 5)", "Label", "Arti", "Jenis isian", "Dipakai untuk"], rows)
    rows = [[ident, ind["nama"], ind["rumus"], ind["satuan"], _formula_vars(ind)]
            for ident, ind in catalog.indicators.loc[catalog.desa_ids].iterrows()]
    _guide_table(ws, row + 1, "Indikator yang dihitung dari isian ini",
                 ["Kode", "Nama indikator", "Rumus", "Satuan", "Dari isian"], rows)
    _finish_guide(ws)


def realisasi_guide(ws, catalog: Catalog, year: int, data_sheet: str) -> None:
    """The "Petunjuk" sheet of the realisasi form: how to fill, every directly reported indicator."""
    steps = [
        f'Isi lembar "{data_sheet}": satu baris untuk setiap indikator (dan wilayah). Kode, nama, satuan, '
        "tahun dan wilayah sudah terisi; isi hanya sel berwarna kuning.",
        "Nilai: tulis dalam satuan indikator, tanpa tanda %: 82,5 untuk 82,5% (bukan 0,825); "
        "88,94 untuk indeks 88,94.",
        "Kosongkan nilai bila belum ada. Sumber data: dari mana nilai itu (misalnya laporan survei IKM). "
        "Keterangan: catatan bila perlu.",
        f"Jangan mengubah, menghapus atau memindahkan baris {HEADER_ROW} (nama teknis, huruf kecil miring). "
        "Jangan menambah atau menghapus baris dan kolom.",
        "Simpan sebagai Buku Kerja Excel (.xlsx), lalu letakkan di folder tahunnya atau kirim kembali ke "
        "kantor kecamatan.",
        "Lembar dilindungi tanpa kata sandi. Bila perlu, buka di Excel: Tinjau > Buka Proteksi Lembar "
        "(Review > Unprotect Sheet).",
    ]
    row = _guide_head(ws, f"Petunjuk Pengisian Formulir Realisasi IKU Tahun {year}", catalog, steps)
    rows = [[ident, ind["nama"], ind["rumus"], ind["satuan"], ind["sumber_data"]]
            for ident, ind in catalog.indicators.loc[catalog.direct_ids].iterrows()]
    _guide_table(ws, row + 1, "Indikator yang dilaporkan langsung",
                 ["Kode", "Nama indikator", "Rumus", "Satuan", "Sumber data"], rows)
    _finish_guide(ws)


def _finish_guide(ws) -> None:
    """Protect the Petunjuk sheet and set it up for printing."""
    _protect(ws)
    _page_setup(ws)
    _fit_width(ws)


def _guide_head(ws, title: str, catalog: Catalog, steps: list[str]) -> int:
    """Title, instansi and numbered steps, each merged across the sheet; the next free row."""
    for col, width in enumerate(GUIDE_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    put(ws, 1, 1, not_a_key(title)).font = TITLE_FONT
    put(ws, 2, 1, not_a_key(str(catalog.meta.get("instansi") or ""))).font = NOTE_FONT
    put(ws, 4, 1, "Cara mengisi").font = Font(bold=True, size=12)
    row = 5
    for i, step in enumerate(steps, start=1):
        cell = put(ws, row, 1, not_a_key(f"{i}. {step}"))
        cell.alignment = WRAP_TOP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(GUIDE_WIDTHS))
        ws.row_dimensions[row].height = _height([cell.value], [sum(GUIDE_WIDTHS)])
        row += 1
    return row


def _guide_table(ws, row: int, title: str, headers: list[str], rows: list[list[object]]) -> int:
    """A titled table with a bold header and wrapped cells; the next free row."""
    put(ws, row, 1, not_a_key(title)).font = Font(bold=True, size=12)
    row += 1
    for col, text in enumerate(headers, start=1):
        cell = put(ws, row, col, not_a_key(text))
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for values in rows:
        row += 1
        texts = [not_a_key("" if v is None else str(v)) for v in values]
        for col, text in enumerate(texts, start=1):
            cell = put(ws, row, col, text or None)
            cell.border, cell.alignment = BORDER, WRAP_TOP
        ws.row_dimensions[row].height = _height(texts, GUIDE_WIDTHS)
    return row + 1


def _used_by(catalog: Catalog) -> dict[str, list[str]]:
    """Variable name -> ids of the desa-based indicators that use it."""
    out: dict[str, list[str]] = {}
    for ident in catalog.desa_ids:
        ind = catalog.indicators.loc[ident]
        for name in dict.fromkeys((ind["pembilang"], ind["penyebut"])):
            out.setdefault(name, []).append(ident)
    return out


def _formula_vars(ind: pd.Series) -> str:
    denominator = "jumlah desa" if ind["penyebut"] == NUMBER_OF_DESA else ind["penyebut"]
    return f"{ind['pembilang']} / {denominator}"


# --- saving ------------------------------------------------------------------------------

def _properties(book: Workbook, title: str) -> None:
    book.properties.creator = "iku template"
    book.properties.title = title
    book.properties.created = FIXED_TIME


def save_workbook(book: Workbook, path: Path) -> Path:
    """Save atomically, with every date fixed (`FIXED_TIME`): the same book gives the same bytes."""
    def write(tmp: Path) -> None:
        book.save(tmp)
        stamp_zip(tmp, FIXED_TIME)

    return atomic_write(Path(path), write)
