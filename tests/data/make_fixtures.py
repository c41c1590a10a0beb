"""Generate the test data directories of issue 4 from the clean `tests/data/kecil`.

Every case folder is `kecil` (3 desa, 2022) re-expressed with one quirk of data as it is
delivered. Accepted variants must compute exactly the same numbers as `kecil`
(tests/test_dataset.py); rejected ones must fail with the message the tests expect.

    .venv/bin/python tests/data/make_fixtures.py                 # every case folder below but the LibreOffice ones
    .venv/bin/python tests/data/make_fixtures.py --libreoffice   # those too (needs LibreOffice)
    .venv/bin/python tests/data/make_fixtures.py --sheetjs       # the .xlsb ones (needs Node.js, npm)

Deterministic: no randomness beyond a seeded generator, fixed timestamps inside the .xlsx
archives, so a second run writes byte-identical files (tests/test_dataset.py and
tests/test_formats.py check that the committed files are what this script writes), except the
files LibreOffice writes (see the end of this file). `kecil` itself is never touched.

Accepted (same numbers as kecil):
  csv-title-rows, csv-utf8-bom, csv-semicolon-cp1252, csv-tab-delimited, headers-case-and-spaces,
  numbers-indonesian-style, excel-float-integers, desa-prefix-case-code, flags-ya-tidak,
  target-decimal-comma, xlsx-title-rows-merged-cells, desa-row-without-values (+ warning)
Rejected (errors; the expected messages are in the tests):
  unknown-desa, desa-not-in-register, desa-twice-different-values, register-duplicate-code,
  text-where-number, negative-count, bad-flag, no-desa-column, empty-file, corrupt-xlsx,
  binary-csv, same-variable-two-files, target-unknown-indicator,
  target-not-a-number, xlsx-bad-cell-row-number, several-errors, variabel-salah-ketik,
  variabel-tidak-ada
Warning only:
  outlier-jump (four years; one value typed ten times too large)

The optional inputs of the LKjIP chapter (`generate_lkjip`; tests/ingest/test_analisis.py,
test_standar.py, test_anggaran.py): kecil plus one bad `analisis.csv`, `standar.csv` or
`anggaran.csv`:
  analisis-indikator-tidak-dikenal, standar-nilai-ganda, anggaran-realisasi-lebih-dari-pagu,
  anggaran-uang-negatif, anggaran-uang-bukan-angka, anggaran-indikator-tidak-dikenal,
  anggaran-kegiatan-ganda

Formats other than .csv and .xlsx (tests/test_formats.py; `generate_formats` and, with
LibreOffice, `generate_libreoffice`, both at the end of this file):
  Accepted (same numbers as kecil): xls-excel-97, ods-libreoffice, xlsm-values-only,
    txt-utf16-bom, txt-utf16-no-bom (written by LibreOffice), xlsx-named-xls
    xlsb-full-cell-records (written by SheetJS)
  Rejected: xls-bad-cell-row-number, ods-bad-cell-row-number, unreadable-password (written by
    LibreOffice, the .xlsx by msoffcrypto-tool), xlsb-bad-cell-row-number,
    unreadable-xlsb-short-cells (written by SheetJS), corrupt-xls (formerly unsupported-xls),
    corrupt-xlsb, xls-actually-html, unreadable-numbers
"""

from __future__ import annotations

import csv
import io
import random
import re
import shutil
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
KECIL = HERE / "kecil"
FIXED_ZIP_TIME = (2022, 1, 1, 0, 0, 0)
FIXED_ISO = "2022-01-01T00:00:00Z"


# --- kecil as lists of text cells ----------------------------------------------------------

def read(name: str) -> tuple[list[str], list[list[str]]]:
    with open(KECIL / name, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def _kependudukan_titles(ws):
    """Sheet "Kependudukan" with its two merged title rows (3 and 4) above the table."""
    from openpyxl.styles import Alignment, Font

    ws.title = "Kependudukan"
    ws["A3"] = "DATA KEPENDUDUKAN DESA SE-KECAMATAN KALORAN"
    ws.merge_cells("A3:E3")
    ws["A3"].font = Font(bold=True, size=14)
    ws["A3"].alignment = Alignment(horizontal="center")
    ws["A4"] = "Tahun 2022 (keadaan 31 Desember)"
    ws.merge_cells("A4:E4")
    return ws


def kecil() -> dict[str, tuple[list[str], list[list[str]]]]:
    names = ["desa.csv", "target.csv", "2022/lainnya.csv", "2022/pemerintahan.csv", "2022/penduduk.csv"]
    return {n: read(n) for n in names}


def csv_text(header, rows, delimiter=",", newline="\n") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def write_text(path: Path, text: str, encoding="utf-8", bom=False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def write_tables(folder: Path, tables: dict, **kwargs) -> None:
    fmt = {k: kwargs.pop(k) for k in ("delimiter", "newline") if k in kwargs}
    for name, (header, rows) in tables.items():
        write_text(folder / name, csv_text(header, rows, **fmt), **kwargs)


def cell(tables, name, desa, column, value=None):
    """Get (value None) or set one cell of `tables[name]`, by the row's desa and the column."""
    header, rows = tables[name]
    key = header[0]
    row = next(r for r in rows if r[0] == desa) if key in ("desa", "kode_desa") else rows[desa]
    col = header.index(column)
    if value is None:
        return row[col]
    row[col] = value


# --- .xlsx, deterministic ------------------------------------------------------------------

def save_workbook(book, path: Path) -> None:
    """Save with fixed timestamps so that a rerun writes the same bytes."""
    import datetime

    book.properties.created = datetime.datetime(2022, 1, 1)
    buf = io.BytesIO()
    book.save(buf)
    source = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + FIXED_ISO.encode() + rb"\2", data)
            fixed = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(fixed, data)


def as_number(text: str):
    """Clean kecil text as the number Excel would store (int), blank as None."""
    return None if text == "" else int(text)


def title_workbook(bad_cell: str | None = None):
    """All of kecil's 2022 data in one workbook, laid out as a kecamatan office would.

    - "Kependudukan": two blank rows, a merged title (row 3), a merged subtitle (row 4), a blank
      row, the header at row 6 (with a `No` column), data in rows 7-9, a styled but empty
      area down to row 40 and across to column L.
    - "Pemerintahan": header at row 1, desa by code as numbers, flags as numbers.
    - "Lainnya": a merged title in row 1, header in row 2, a blank column between groups.
    - "Catatan": notes, no `desa` column (not read; a warning says so).
    - "Sheet1": empty.
    `bad_cell`: text to put in Beta's KTP-el cell (Excel row 8, column E) instead of 2010.
    """
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    k = kecil()
    book = Workbook()
    ws = _kependudukan_titles(book.active)
    header, rows = k["2022/penduduk.csv"]
    ws.append([])  # row 5 blank
    ws.cell(row=6, column=1, value="No")
    labels = {"desa": "Desa", "penduduk": "Penduduk", "wajib_ktp": "Wajib KTP", "ktp_el": "KTP-el"}
    for j, name in enumerate(header, start=2):
        ws.cell(row=6, column=j, value=labels[name])
    for i, r in enumerate(rows, start=7):
        ws.cell(row=i, column=1, value=i - 6)
        ws.cell(row=i, column=2, value=r[0])
        for j, text in enumerate(r[1:], start=3):
            ws.cell(row=i, column=j, value=as_number(text))
    if bad_cell is not None:
        ws["E8"] = bad_cell
    grey = PatternFill("solid", fgColor="DDDDDD")
    for row in range(10, 41):  # empty trailing rows and columns that carry only formatting
        ws.cell(row=row, column=12).fill = grey
    ws.cell(row=40, column=1).fill = grey

    ws = book.create_sheet("Pemerintahan")
    header, rows = k["2022/pemerintahan.csv"]
    ws.append(header)
    for r in rows:
        ws.append([int(r[0])] + [as_number(t) for t in r[1:]])

    ws = book.create_sheet("Lainnya")
    header, rows = k["2022/lainnya.csv"]
    ws["A1"] = "PBB, RUMAH IBADAH, RUMAH TINGGAL, KETERTIBAN"
    ws.merge_cells("A1:L1")
    wide = header[:3] + [None] + header[3:]  # a blank column D between PBB and the rest
    for j, name in enumerate(wide, start=1):
        ws.cell(row=2, column=j, value=name)
    for i, r in enumerate(rows, start=3):
        values = [r[0]] + [as_number(t) for t in r[1:3]] + [None] + [as_number(t) for t in r[3:]]
        for j, v in enumerate(values, start=1):
            ws.cell(row=i, column=j, value=v)

    ws = book.create_sheet("Catatan")
    ws["A1"] = "Catatan"
    ws["A2"] = "Data dihimpun oleh Kasi Pemerintahan dari laporan desa."
    book.create_sheet("Sheet1")
    return book


# --- the cases -----------------------------------------------------------------------------

def case_csv_utf8_bom(folder):
    write_tables(folder, kecil(), bom=True)


def case_csv_semicolon_cp1252(folder):
    k = kecil()
    header, rows = k["2022/lainnya.csv"]
    k["2022/lainnya.csv"] = (header + ["keterangan"],
                             [r + [note] for r, note in zip(rows, ["PBB lunas – tepat waktu", "Café desa baru",
                                                                   "Rumah ibadah ½ selesai"])])
    write_tables(folder, k, delimiter=";", newline="\r\n", encoding="cp1252")


def case_csv_title_rows(folder):
    """Two title rows above lainnya.csv's header, the second naming the desa column (`Desa:`):
    the real header is the wider row below them."""
    write_tables(folder, kecil())
    path = folder / "2022" / "lainnya.csv"
    path.write_bytes(b"Kecamatan:,Kaloran\nDesa:,Semua desa\n" + path.read_bytes())


def case_csv_tab_delimited(folder):
    write_tables(folder, kecil(), delimiter="\t")


def case_headers_case_and_spaces(folder):
    k = kecil()
    rename = {"desa": "DESA", "kode_desa": "Kode Desa", "nama_desa": " Nama  Desa ", "indikator": "Indikator",
              "tahun": "TAHUN", "target": "Target ", "penduduk": "Penduduk", "wajib_ktp": "Wajib KTP",
              "ktp_el": " KTP-el ", "perangkat_desa": "Perangkat Desa", "perangkat_melanggar": "perangkat MELANGGAR",
              "kegiatan_tepat_waktu": "Kegiatan Tepat_Waktu", "rkp_tepat_waktu": "RKP tepat waktu",
              "apb_tepat_waktu": "APB-Tepat-Waktu", "keuangan_tertib": "Keuangan Tertib",
              "pbb_ketetapan": "PBB Ketetapan", "pbb_realisasi": "pbb_REALISASI", "rumah_ibadah": "Rumah  Ibadah",
              "rumah_ibadah_baik": "Rumah Ibadah Baik", "rumah_tinggal": "Rumah Tinggal", "rtlh": "RTLH",
              "tindak_kriminal": "Tindak Kriminal", "laporan_kejadian": "Laporan Kejadian",
              "laporan_ditindaklanjuti": "Laporan\nDitindaklanjuti"}
    write_tables(folder, {n: ([rename[h] for h in header], rows) for n, (header, rows) in k.items()})


def case_numbers_indonesian_style(folder):
    k = kecil()
    for desa, num in (("Alpha", "2.000"), ("Beta", "3.000"), ("Gamma", "1.000")):
        cell(k, "2022/penduduk.csv", desa, "penduduk", num)
    cell(k, "2022/penduduk.csv", "Alpha", "wajib_ktp", "1.500")
    cell(k, "2022/penduduk.csv", "Alpha", "ktp_el", "1.450")
    cell(k, "2022/penduduk.csv", "Beta", "wajib_ktp", "2.000")
    cell(k, "2022/penduduk.csv", "Beta", "ktp_el", "2.010")
    cell(k, "2022/lainnya.csv", "Alpha", "pbb_ketetapan", "Rp 50.000.000")
    cell(k, "2022/lainnya.csv", "Alpha", "pbb_realisasi", "Rp. 45.000.000,00")
    cell(k, "2022/lainnya.csv", "Beta", "pbb_ketetapan", "30.000.000")
    cell(k, "2022/lainnya.csv", "Beta", "pbb_realisasi", "Rp 30.000.000,-")
    cell(k, "2022/lainnya.csv", "Gamma", "pbb_ketetapan", "20 000 000")
    cell(k, "2022/lainnya.csv", "Gamma", "pbb_realisasi", "15000000,00")
    write_tables(folder, k)


def case_excel_float_integers(folder):
    from openpyxl import Workbook

    k = kecil()
    floats = {}
    for name in ("desa.csv", "2022/pemerintahan.csv", "2022/lainnya.csv"):
        header, rows = k[name]
        floats[name] = (header, [[f"{t}.0" if t.isdigit() else t for t in r] for r in rows])
    target_header, target_rows = k["target.csv"]
    floats["target.csv"] = (target_header, [[r[0], r[1] + ".0", r[2] + ".0"] for r in target_rows])
    write_tables(folder, floats)
    header, rows = k["2022/penduduk.csv"]
    book = Workbook()
    ws = book.active
    ws.title = "penduduk"
    ws.append(header)
    register = dict((n, c) for c, n in k["desa.csv"][1])
    for r in rows:  # desa by code as an Excel number (float), counts as floats
        ws.append([float(register[r[0]])] + [None if t == "" else float(t) for t in r[1:]])
    save_workbook(book, folder / "2022" / "penduduk.xlsx")


def case_desa_prefix_case_code(folder):
    k = kecil()
    header, rows = k["2022/penduduk.csv"]
    for r, written in zip(rows, ["Desa Alpha", "BETA", "  gamma  "]):
        r[0] = written
    header, rows = k["2022/lainnya.csv"]
    for r, written in zip(rows, ["desa  ALPHA", "3301010002", "Ds. Gamma"]):
        r[0] = written
    header, rows = k["2022/pemerintahan.csv"]
    for r, written in zip(rows, ["3301010001.0", "Desa\u00a0Beta", " 3301010003 "]):
        r[0] = written
    write_tables(folder, k)


def case_flags_ya_tidak(folder):
    k = kecil()
    header, rows = k["2022/pemerintahan.csv"]
    words = {  # kecil: Alpha 1,1,1,1; Beta 0,1,0,1; Gamma 1,(blank),1,0
        "3301010001": ["Ya", "Sudah", "TRUE", "y"],
        "3301010002": ["Tidak", "sudah", "false", "Benar"],
        "3301010003": ["YA", "", "true", "Belum"],
    }
    assert header[3:7] == ["kegiatan_tepat_waktu", "rkp_tepat_waktu", "apb_tepat_waktu", "keuangan_tertib"]
    for r in rows:
        r[3:7] = words[r[0]]
    write_tables(folder, k)
    # the same kind of answers also written as T / Salah in a second file for one flag each
    write_text(folder / "2022" / "tambahan.csv", "desa,kegiatan_tepat_waktu,apb_tepat_waktu\nBeta,T,Salah\n")


def case_target_decimal_comma(folder):
    k = kecil()
    header, rows = k["target.csv"]
    written = {"80": "80,0", "95": "95,00", "5": "5,0%", "85": "85 %", "4": "4,00", "140": "140,0", "100": "100",
               "0": "0,0"}
    rows = [[r[0], r[1], written[r[2]]] for r in rows]
    k["target.csv"] = (header, rows)
    write_tables(folder, k, delimiter=";")


def case_xlsx_title_rows_merged_cells(folder):
    k = kecil()
    write_tables(folder, {n: k[n] for n in ("desa.csv", "target.csv")})
    save_workbook(title_workbook(), folder / "2022" / "data-desa-2022.xlsx")


def case_desa_row_without_values(folder):
    write_tables(folder, kecil())
    write_text(folder / "2022" / "tambahan.csv", "desa,rtlh,tindak_kriminal\nAlpha,,\n")


# rejected

def case_unknown_desa(folder):
    k = kecil()
    k["2022/penduduk.csv"][1][1][0] = "Betta"
    write_tables(folder, k)


def case_desa_not_in_register(folder):
    k = kecil()
    k["2022/lainnya.csv"][1].append(["Kaloran", "1000000", "900000", "5", "5", "300", "10", "0", "1", "1"])
    k["2022/pemerintahan.csv"][1].append(["3301010004", "10", "0", "1", "1", "1", "1"])
    write_tables(folder, k)


def case_desa_twice_different_values(folder):
    k = kecil()
    k["2022/penduduk.csv"][1].append(["Beta", "3100", "2000", "2010"])
    write_tables(folder, k)


def case_register_duplicate_code(folder):
    k = kecil()
    k["desa.csv"][1][2][0] = "3301010002"
    write_tables(folder, k)


def case_text_where_number(folder):
    k = kecil()
    cell(k, "2022/penduduk.csv", "Alpha", "penduduk", "dua ribu")
    cell(k, "2022/lainnya.csv", "Beta", "rumah_tinggal", "800 rumah")
    write_tables(folder, k)


def case_negative_count(folder):
    k = kecil()
    cell(k, "2022/lainnya.csv", "Gamma", "rtlh", "-30")
    write_tables(folder, k)


def case_bad_flag(folder):
    k = kecil()
    cell(k, "2022/pemerintahan.csv", "3301010002", "keuangan_tertib", "mungkin")
    cell(k, "2022/pemerintahan.csv", "3301010001", "apb_tepat_waktu", "2")
    write_tables(folder, k)


def case_no_desa_column(folder):
    k = kecil()
    header, rows = k["2022/penduduk.csv"]
    k["2022/penduduk.csv"] = (["Nama Desa"] + header[1:], rows)
    write_tables(folder, k)


def case_variabel_salah_ketik(folder):
    """A header typed `rkp_tepatwaktu` for `rkp_tepat_waktu`: IKU-05 has no variable that year."""
    k = kecil()
    header, rows = k["2022/pemerintahan.csv"]
    k["2022/pemerintahan.csv"] = ([("rkp_tepatwaktu" if h == "rkp_tepat_waktu" else h) for h in header], rows)
    write_tables(folder, k)


def case_variabel_tidak_ada(folder):
    """No file of 2022 has the column ktp_el (IKU-02), nor anything like it."""
    k = kecil()
    header, rows = k["2022/penduduk.csv"]
    keep = [i for i, h in enumerate(header) if h != "ktp_el"]
    k["2022/penduduk.csv"] = ([header[i] for i in keep], [[r[i] for i in keep] for r in rows])
    write_tables(folder, k)


def case_empty_file(folder):
    write_tables(folder, kecil())
    write_text(folder / "2022" / "lainnya.csv", "")


def case_corrupt_xlsx(folder):
    k = kecil()
    del k["2022/lainnya.csv"]
    write_tables(folder, k)
    path = folder / "2022" / "lainnya.xlsx"
    save_workbook(title_workbook(), path)
    path.write_bytes(path.read_bytes()[:1500])  # cut off mid-archive, as an interrupted copy leaves it


def case_binary_csv(folder):
    k = kecil()
    write_tables(folder, k)
    rng = random.Random(4)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(400))
    (folder / "2022" / "lainnya.csv").write_bytes(png)


def case_same_variable_two_files(folder):
    k = kecil()
    header, rows = k["2022/lainnya.csv"]
    k["2022/lainnya.csv"] = (header + ["penduduk"], [r + [p] for r, p in zip(rows, ["2000", "3050", "1000"])])
    write_tables(folder, k)


def case_target_unknown_indicator(folder):
    k = kecil()
    k["target.csv"][1].extend([["IKU-6", "2022", "90"], ["SS-01", "2022", "75"]])
    write_tables(folder, k)


def case_target_not_a_number(folder):
    k = kecil()
    k["target.csv"][1][0][2] = "delapan puluh"
    k["target.csv"][1].append(["IKU-06", "2022", "≥ 90"])
    write_tables(folder, k)


def case_xlsx_bad_cell_row_number(folder):
    k = kecil()
    write_tables(folder, {n: k[n] for n in ("desa.csv", "target.csv")})
    save_workbook(title_workbook(bad_cell="2.010 jiwa"), folder / "2022" / "data-desa-2022.xlsx")


def case_several_errors(folder):
    k = kecil()
    k["2022/penduduk.csv"][1][1][0] = "Betta"  # unknown desa (row 3)
    cell(k, "2022/penduduk.csv", "Alpha", "ktp_el", "1.450,5")  # not a whole number (row 2)
    cell(k, "2022/pemerintahan.csv", "3301010003", "keuangan_tertib", "belum tahu")  # bad flag (row 4)
    cell(k, "2022/lainnya.csv", "Gamma", "pbb_realisasi", "1,500")  # ambiguous comma (row 4)
    k["target.csv"][1].append(["IKU-11", "2022", "50"])  # unknown indicator (row 12)
    write_tables(folder, k)
    write_text(folder / "2022" / "kosong.csv", "")  # empty file


def case_outlier_jump(folder):
    """Four years: 2022 is kecil; earlier years move a little; Alpha's penduduk 2021 is typed
    as 20000 (a zero too many)."""
    k = kecil()
    write_tables(folder, {n: k[n] for n in ("desa.csv",)})
    header, rows = k["target.csv"]
    write_text(folder / "target.csv", csv_text(header, [[r[0], y, r[2]] for y in ("2019", "2020", "2021", "2022")
                                                        for r in rows]))
    for year, shift in (("2019", -30), ("2020", -20), ("2021", -10), ("2022", 0)):
        for name in ("2022/lainnya.csv", "2022/pemerintahan.csv", "2022/penduduk.csv"):
            header, rows = k[name]
            out = [list(r) for r in rows]
            if name.endswith("penduduk.csv"):
                for r in out:
                    r[1] = str(int(r[1]) + shift)
                if year == "2021":
                    out[0][1] = "20000"
            write_text(folder / year / Path(name).name, csv_text(header, out))


CASES = {name[len("case_"):].replace("_", "-"): fn for name, fn in sorted(globals().items())
         if name.startswith("case_")}
ACCEPTED = ["csv-utf8-bom", "csv-semicolon-cp1252", "csv-tab-delimited", "headers-case-and-spaces",
            "numbers-indonesian-style", "excel-float-integers", "desa-prefix-case-code", "flags-ya-tidak",
            "target-decimal-comma", "xlsx-title-rows-merged-cells", "desa-row-without-values", "csv-title-rows"]


def write_cases(cases: dict, root: Path) -> list[Path]:
    """Write each case folder of `cases` (name -> maker) under `root`, replacing an existing one."""
    written = []
    for name, make in cases.items():
        folder = root / name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        make(folder)
        written.append(folder)
    return written


def generate(root: Path = HERE) -> list[Path]:
    """Write every case folder under `root` (existing case folders are replaced)."""
    return write_cases(CASES, root)


# --- formats beyond .csv and .xlsx (tests/test_formats.py) ---------------------------------
#
# Every folder holds kecil's values. The spreadsheet cases put penduduk and pemerintahan in one
# workbook, `data-desa-2022.<ext>` (`spreadsheet_book`), and keep lainnya.csv as it is: a mixed
# delivery, and rows that the independent row counter of tests/test_dataset.py (CSV and .xlsx
# only) can count.

SPREADSHEET = "data-desa-2022"


def spreadsheet_book(formula: bool = True, bad: bool = False):
    """kecil's penduduk and pemerintahan in one workbook, laid out as an office would.

    - "Kependudukan": blank rows 1-2, a merged title (row 3) and subtitle (row 4), a blank
      row 5, the header at row 6 (`No`, `Desa`, `Penduduk`, `Wajib KTP`, `KTP-el`), Alpha at
      row 7 with its population typed as the text "2.000", Beta at row 8 with `Wajib KTP` as
      the formula =1500+500 (`formula`: a program that saves the file stores its result,
      2000), a blank row 9 inside the table, Gamma at row 10.
    - "Pemerintahan": header at row 1, desa by code as numbers, apb_tepat_waktu as TRUE/FALSE.
    - "Catatan": notes without a `desa` column (not read; a warning says so). "Kosong": empty.
    `bad`: Beta's KTP-el (row 8, column E) is the text "2.010 jiwa", and Beta's perangkat_desa
    (Pemerintahan, row 3, column B) is the formula =16/0, whose stored result is #DIV/0!.
    """
    from openpyxl import Workbook

    k = kecil()
    book = Workbook()
    ws = _kependudukan_titles(book.active)
    for j, name in enumerate(["No", "Desa", "Penduduk", "Wajib KTP", "KTP-el"], start=1):
        ws.cell(row=6, column=j, value=name)
    _, rows = k["2022/penduduk.csv"]
    for no, (row, r) in enumerate(zip((7, 8, 10), rows), start=1):
        ws.cell(row=row, column=1, value=no)
        ws.cell(row=row, column=2, value=r[0])
        for j, text in enumerate(r[1:], start=3):
            ws.cell(row=row, column=j, value=as_number(text))
    assert (ws["C7"].value, ws["D8"].value) == (2000, 2000)
    ws["C7"] = "2.000"
    if formula:
        ws["D8"] = "=1500+500"
    if bad:
        ws["E8"] = "2.010 jiwa"

    ws = book.create_sheet("Pemerintahan")
    header, rows = k["2022/pemerintahan.csv"]
    ws.append(header)
    flag = header.index("apb_tepat_waktu")
    for r in rows:
        values = [int(r[0])] + [as_number(t) for t in r[1:]]
        values[flag] = None if r[flag] == "" else r[flag] == "1"
        ws.append(values)
    if bad:
        assert ws["B3"].value == 16
        ws["B3"] = "=16/0"

    ws = book.create_sheet("Catatan")
    ws["A1"] = "Catatan"
    ws["A2"] = "Data dihimpun oleh Kasi Pemerintahan dari laporan desa."
    book.create_sheet("Kosong")
    return book


def only_sheet(book, title: str):
    """`book` with the sheet `title` alone (one sheet per text file)."""
    for ws in list(book.worksheets):
        if ws.title != title:
            book.remove(ws)
    return book


def with_lainnya_csv(folder: Path) -> None:
    """The register, the targets and lainnya.csv of kecil; the rest comes in another format."""
    k = kecil()
    write_tables(folder, {n: k[n] for n in ("desa.csv", "target.csv", "2022/lainnya.csv")})


def write_zip(path: Path, members: dict[str, bytes]) -> None:
    """A zip archive with fixed timestamps (a rerun writes the same bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, data)


def format_xlsx_named_xls(folder):
    """An .xlsx named .xls (as some systems export it): read by its content, with a warning.
    No formula: openpyxl stores none of their results."""
    with_lainnya_csv(folder)
    save_workbook(spreadsheet_book(formula=False), folder / "2022" / f"{SPREADSHEET}.xls")


def format_corrupt_xls(folder):
    """An .xls with a valid OLE2 signature and nothing valid after it. Was `unsupported-xls`
    while .xls was refused by name; now .xls is read, and the same bytes are a damaged one."""
    write_tables(folder, kecil())
    rng = random.Random(5)
    (folder / "2022" / "rekap.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
                                                + bytes(rng.randrange(256) for _ in range(504)))


def format_xls_actually_html(folder):
    """penduduk as a web page named .xls, as web applications export "Excel"."""
    k = kecil()
    header, rows = k.pop("2022/penduduk.csv")
    write_tables(folder, k)
    cells = lambda tag, values: "<tr>" + "".join(f"<{tag}>{v}</{tag}>" for v in values) + "</tr>\n"  # noqa: E731
    html = ('<html xmlns:x="urn:schemas-microsoft-com:office:excel">\n<head><meta charset="utf-8">'
            "<title>Rekap Penduduk 2022</title></head>\n<body><table border=\"1\">\n"
            + cells("th", header) + "".join(cells("td", r) for r in rows) + "</table></body></html>\n")
    write_text(folder / "2022" / "penduduk.xls", html)


def format_corrupt_xlsb(folder):
    """An .xlsb whose workbook part is damaged (no program here writes a real .xlsb)."""
    write_tables(folder, kecil())
    rng = random.Random(6)
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats'
             '.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
             'package.relationships+xml"/><Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.'
             'sheet.binary.macroEnabled.main"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
            'org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>')
    write_zip(folder / "2022" / "rekap.xlsb", {"[Content_Types].xml": types.encode(), "_rels/.rels": rels.encode(),
                                                "xl/workbook.bin": bytes(rng.randrange(256) for _ in range(300))})


def format_unreadable_numbers(folder):
    """An Apple Numbers file in a year folder (the zip layout of Numbers 2013 and later)."""
    write_tables(folder, kecil())
    rng = random.Random(7)
    write_zip(folder / "2022" / "rekap.numbers", {
        "Index/Document.iwa": bytes(rng.randrange(256) for _ in range(300)),
        "Metadata/DocumentIdentifier": b"6C1E3D2A-0000-4000-8000-000000000000",
        "Metadata/Properties.plist": b"bplist00",
    })


FORMAT_CASES = {name[len("format_"):].replace("_", "-"): fn for name, fn in sorted(globals().items())
                if name.startswith("format_")}


def generate_formats(root: Path = HERE) -> list[Path]:
    """Write the format cases that need no other program (existing folders are replaced)."""
    return write_cases(FORMAT_CASES, root)


# --- formats written by LibreOffice --------------------------------------------------------
#
#     .venv/bin/python tests/data/make_fixtures.py --libreoffice
#
# rewrites the folders below with LibreOffice (`soffice --headless --convert-to`), from
# workbooks made here with openpyxl, so that the files are what a real program writes. The
# output is not byte-identical from run to run (LibreOffice stamps the time), so these files
# are committed and CI, which has no LibreOffice, reads the committed ones; tests/test_formats.py
# regenerates them when LibreOffice is installed and checks that they read the same. Made with
# LibreOffice 7.4.
#
# The password-protected workbooks also need LibreOffice's Python bridge (`uno`, in the
# system Python: Debian's python3-uno) for .xls and .ods, and msoffcrypto-tool (pip) for .xlsx;
# without them that folder is left as it is.

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SYSTEM_PYTHON = "/usr/bin/python3"  # the Python that has LibreOffice's `uno` module
# tab-delimited, double quote as text delimiter, character set 65535 = Unicode (UTF-16 LE with BOM)
UTF16_TEXT = "txt:Text - txt - csv (StarCalc):9,34,65535"
LIBREOFFICE_CASES = {
    "xls-excel-97": {f"{SPREADSHEET}.xls": "xls/good.xls"},
    "ods-libreoffice": {f"{SPREADSHEET}.ods": "ods/good.ods"},
    "xlsm-values-only": {f"{SPREADSHEET}.xlsm": "xlsm/good.xlsm"},
    "xls-bad-cell-row-number": {f"{SPREADSHEET}.xls": "xls/bad.xls"},
    "ods-bad-cell-row-number": {f"{SPREADSHEET}.ods": "ods/bad.ods"},
    "txt-utf16-bom": {"penduduk.txt": "txt/penduduk.txt", "pemerintahan.txt": "txt/pemerintahan.txt"},
    "txt-utf16-no-bom": {"penduduk.txt": "txt/penduduk.txt", "pemerintahan.tsv": "txt/pemerintahan.txt"},
}
PASSWORD_CASE = "unreadable-password"


def convert(sources: list[Path], target: str, outdir: Path, profile: Path) -> None:
    """LibreOffice's own conversion of `sources` to `target` (a filter spec) into `outdir`."""
    import subprocess

    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", target, "--outdir", str(outdir), *map(str, sources)],
                   check=True, capture_output=True, timeout=600)


def generate_libreoffice(root: Path = HERE) -> list[Path]:
    """Write the LIBREOFFICE_CASES (and PASSWORD_CASE when its tools are there) under `root`."""
    import tempfile

    if SOFFICE is None:
        raise SystemExit("LibreOffice (soffice) is not installed")
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        profile, src, out = tmp / "profile", tmp / "src", tmp / "out"
        save_workbook(spreadsheet_book(), src / "good.xlsx")
        save_workbook(spreadsheet_book(bad=True), src / "bad.xlsx")
        save_workbook(only_sheet(spreadsheet_book(), "Kependudukan"), src / "tables" / "penduduk.xlsx")
        save_workbook(only_sheet(spreadsheet_book(), "Pemerintahan"), src / "tables" / "pemerintahan.xlsx")
        for target, outdir in (("xls", "xls"), ("ods", "ods"), ("xlsm:Calc MS Excel 2007 VBA XML", "xlsm")):
            convert([src / "good.xlsx", src / "bad.xlsx"], target, out / outdir, profile)
        convert(sorted((src / "tables").glob("*.xlsx")), UTF16_TEXT, out / "txt", profile)
        for name, files in LIBREOFFICE_CASES.items():
            folder = root / name
            if folder.exists():
                shutil.rmtree(folder)
            with_lainnya_csv(folder)
            for target, made in files.items():
                data = (out / made).read_bytes()
                if name == "txt-utf16-no-bom":
                    assert data.startswith(b"\xff\xfe"), "LibreOffice writes UTF-16 LE with a BOM"
                    data = data[2:]
                (folder / "2022" / target).write_bytes(data)
            written.append(folder)
        folder = root / PASSWORD_CASE
        if _write_locked(src / "good.xlsx", tmp / "locked", profile):
            if folder.exists():
                shutil.rmtree(folder)
            write_tables(folder, kecil())
            for made in sorted((tmp / "locked").iterdir()):
                shutil.copyfile(made, folder / "2022" / made.name)
            written.append(folder)
    return written


# Run by the system Python: saves argv[1] as .xls and .ods locked with a password, into argv[2].
UNO_SAVE_LOCKED = r'''
import os, subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

source, outdir, profile = sys.argv[1:4]
office = subprocess.Popen([sys.argv[4], "-env:UserInstallation=" + profile, "--headless", "--invisible",
                           "--norestore", "--accept=pipe,name=ikufixtures;urp;"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(300):
        try:
            ctx = resolver.resolve("uno:pipe,name=ikufixtures;urp;StarOffice.ComponentContext")
            break
        except Exception:
            time.sleep(0.2)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
    for ext, name in (("xls", "MS Excel 97"), ("ods", "calc8")):
        url = uno.systemPathToFileUrl(os.path.join(outdir, "terkunci." + ext))
        doc.storeToURL(url, (prop("FilterName", name), prop("Password", "rahasia")))
    doc.close(True)
    desktop.terminate()
finally:
    office.wait(timeout=60)
'''


def _write_locked(source: Path, outdir: Path, profile: Path) -> bool:
    """terkunci.xls and terkunci.ods (LibreOffice, through uno) and terkunci.xlsx
    (msoffcrypto-tool), all with the password "rahasia"; False when a tool is missing."""
    import subprocess

    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        print(f"{PASSWORD_CASE}: msoffcrypto-tool is not installed; folder left as it is")
        return False
    if subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode != 0:
        print(f"{PASSWORD_CASE}: {SYSTEM_PYTHON} has no uno module (python3-uno); folder left as it is")
        return False
    outdir.mkdir(parents=True)
    subprocess.run([SYSTEM_PYTHON, "-c", UNO_SAVE_LOCKED, str(source), str(outdir),
                    (profile.parent / "uno-profile").as_uri(), SOFFICE], check=True, timeout=600)
    with open(source, "rb") as plain, open(outdir / "terkunci.xlsx", "wb") as locked:
        OOXMLFile(plain).encrypt("rahasia", locked)
    return True



# --- .xlsb written by SheetJS ----------------------------------------------------------------
#
#     .venv/bin/python tests/data/make_fixtures.py --sheetjs
#
# No program here writes .xlsb but SheetJS (npm package `xlsx`, 0.18.5, installed by this
# function with npm into a temporary folder; needs Node.js). It converts the .xls files that
# LibreOffice wrote above. SheetJS writes every cell after the first of a row as a "short"
# record (column left out), which Excel never writes and calamine skips: as it comes that file
# is the refused case; for the read cases a copy of SheetJS is patched to write every cell
# in full, as Excel does. Not Excel's own .xlsb, then, but the same records.

SHEETJS = "xlsx@0.18.5"
SHEETJS_CASES = {  # case -> (the .xls it is made from, cells in full)
    "xlsb-full-cell-records": ("xls-excel-97", True),
    "xlsb-bad-cell-row-number": ("xls-bad-cell-row-number", True),
    "unreadable-xlsb-short-cells": ("xls-excel-97", False),
}
SHEETJS_CONVERT = """
const [module, source, target] = process.argv.slice(1);
const XLSX = require(module);
XLSX.writeFile(XLSX.readFile(source), target, {bookType: "xlsb", compression: true});
"""


def generate_sheetjs(root: Path = HERE) -> list[Path]:
    """Write SHEETJS_CASES under `root` from the committed .xls of the LibreOffice cases."""
    import subprocess
    import tempfile

    if not (shutil.which("node") and shutil.which("npm")):
        raise SystemExit("Node.js (node, npm) is not installed")
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(tmp), SHEETJS], check=True,
                       capture_output=True, timeout=600)
        short = tmp / "node_modules" / "xlsx" / "xlsx.js"
        full = short.with_name("xlsx-full-cells.js")
        code = short.read_text(encoding="utf-8")
        seen = "last_seen = write_ws_bin_cell(ba, cell, R, C, opts, ws, last_seen);"
        assert code.count(seen) == 1, "SheetJS changed: look again at write_CELLTABLE"
        full.write_text(code.replace(seen, "write_ws_bin_cell(ba, cell, R, C, opts, ws, false);"), encoding="utf-8")
        for name, (source, in_full) in SHEETJS_CASES.items():
            folder = root / name
            if folder.exists():
                shutil.rmtree(folder)
            with_lainnya_csv(folder)
            subprocess.run(["node", "-e", SHEETJS_CONVERT, str(full if in_full else short),
                            str(HERE / source / "2022" / f"{SPREADSHEET}.xls"),
                            str(folder / "2022" / f"{SPREADSHEET}.xlsb")], check=True, capture_output=True, timeout=600)
            written.append(folder)
    return written

# --- the optional inputs of the LKjIP chapter (tests/ingest/test_analisis.py, test_standar.py, test_anggaran.py)
#
# kecil as it is, plus one of `analisis.csv`, `standar.csv`, `anggaran.csv` with the quirk the
# folder is named after; the expected messages are in those tests.

ANALISIS_HEADER = ["indikator", "tahun", "faktor_pendukung", "faktor_penghambat", "solusi", "program_pendukung"]
STANDAR_HEADER = ["indikator", "tahun", "nilai", "sumber"]
ANGGARAN_HEADER = ["tahun", "program", "kegiatan", "indikator", "pagu", "realisasi"]
PEMBERDAYAAN = "Program Pemberdayaan Masyarakat Desa dan Kelurahan"
PELAYANAN = "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik"
TRANTIB = "Program Koordinasi Ketentraman dan Ketertiban Umum"
UMUM = "Program Penyelenggaraan Urusan Pemerintahan Umum"


def with_kecil(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> None:
    write_tables(folder, kecil())
    write_text(folder / name, csv_text(header, rows))


def lkjip_analisis_indikator_tidak_dikenal(folder):
    """Row 3: IKU-1 (meant IKU-01); row 4: `iku-02 ` matches IKU-02; row 5: year 22."""
    with_kecil(folder, "analisis.csv", ANALISIS_HEADER, [
        ["IKU-01", "2022", "Pendampingan desa", "Dana desa terlambat", "Pemantauan bulanan", PEMBERDAYAAN],
        ["IKU-1", "2022", "Pelayanan keliling", "", "", ""],
        ["iku-02 ", "2022", "", "Alat perekaman rusak", "Perbaikan alat", ""],
        ["IKU-02", "22", "Sosialisasi", "", "", ""],
    ])


def lkjip_standar_nilai_ganda(folder):
    """IKU-02 2022 twice with different values (rows 2, 4); IKU-08 2022 twice with the same value
    written two ways (rows 3, 5)."""
    with_kecil(folder, "standar.csv", STANDAR_HEADER, [
        ["IKU-02", "2022", "98,5", "RPJMD Provinsi (ilustratif)"],
        ["IKU-08", "2022", "7.1", "RPJMD Provinsi (ilustratif)"],
        ["IKU-02", "2022", "99", "Renstra Dukcapil (ilustratif)"],
        ["IKU-08", "2022", "7,1", "RPJMD Provinsi (ilustratif)"],
    ])


def lkjip_anggaran_realisasi_lebih_dari_pagu(folder):
    """Row 3 spends 25.750.000 of a pagu of 25.000.000."""
    with_kecil(folder, "anggaran.csv", ANGGARAN_HEADER, [
        ["2022", PEMBERDAYAAN, "Fasilitasi Penyusunan APB Desa", "IKU-05;IKU-06", "Rp 50.000.000", "Rp 48.500.000"],
        ["2022", TRANTIB, "Koordinasi Trantib", "IKU-09; iku-10", "25.000.000", "25.750.000"],
    ])


def lkjip_anggaran_uang_negatif(folder):
    """Row 2: a negative realisasi; row 3: a negative pagu after `Rp`."""
    with_kecil(folder, "anggaran.csv", ANGGARAN_HEADER, [
        ["2022", PELAYANAN, "Pelayanan KTP-el", "IKU-02", "40.000.000", "-1.500.000"],
        ["2022", PELAYANAN, "Fasilitasi PBB", "IKU-04", "Rp -5.000.000", "0"],
    ])


def lkjip_anggaran_uang_bukan_angka(folder):
    """Row 2: a pagu in words; row 3: an ambiguous `1,500`; row 4: `-` alone."""
    with_kecil(folder, "anggaran.csv", ANGGARAN_HEADER, [
        ["2022", PELAYANAN, "Rapat koordinasi", "IKU-01", "tiga puluh juta", "25.000.000"],
        ["2022", PELAYANAN, "Pelayanan KTP-el", "IKU-02", "40.000.000", "1,500"],
        ["2022", PELAYANAN, "Fasilitasi PBB", "IKU-04", "30.000.000", "-"],
    ])


def lkjip_anggaran_indikator_tidak_dikenal(folder):
    """Row 2: IKU-3 (meant IKU-03); row 3: two ids separated by a comma; row 4: SS-01 beside
    IT-01; row 5: a line supporting no indicator (fine)."""
    with_kecil(folder, "anggaran.csv", ANGGARAN_HEADER, [
        ["2022", PEMBERDAYAAN, "Pembinaan Perangkat Desa", "IKU-3", "30.000.000", "28.000.000"],
        ["2022", PEMBERDAYAAN, "Fasilitasi APB Desa", "IKU-05, IKU-06", "50.000.000", "45.000.000"],
        ["2022", PEMBERDAYAAN, "Pembinaan Keuangan Desa", "IT-01;SS-01", "40.000.000", "39.000.000"],
        ["2022", "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota", "Administrasi Umum Perangkat Daerah",
         "", "100.000.000", "95.000.000"],
    ])


def lkjip_anggaran_kegiatan_ganda(folder):
    """Rows 2 and 4: one kegiatan twice, the same (case, spaces and the order of the ids aside);
    rows 3 and 5: one kegiatan twice with different realisasi; row 6: a total line."""
    with_kecil(folder, "anggaran.csv", ANGGARAN_HEADER, [
        ["2022", TRANTIB, "Koordinasi Trantib", "IKU-09;IKU-10", "25.000.000", "24.000.000"],
        ["2022", UMUM, "Fasilitasi Kerukunan Umat Beragama", "IKU-07", "20.000.000", "19.000.000"],
        ["2022", TRANTIB, "koordinasi  trantib", "IKU-10;IKU-09", "25.000.000", "24.000.000"],
        ["2022", UMUM, "Fasilitasi Kerukunan Umat Beragama", "IKU-07", "20.000.000", "18.000.000"],
        ["", "Jumlah", "", "", "90.000.000", "85.000.000"],
    ])


LKJIP_CASES = {name[len("lkjip_"):].replace("_", "-"): fn for name, fn in sorted(globals().items())
               if name.startswith("lkjip_")}


def generate_lkjip(root: Path = HERE) -> list[Path]:
    """Write the LKjIP input cases (existing folders are replaced)."""
    return write_cases(LKJIP_CASES, root)


# --- out-of-range numbers, digits other than 0-9, control characters (issue 12) -----------
#
# tests/ingest/test_bad_input.py holds the expected messages; docs/data-quality.md ("Ranges,
# digits and control characters") the rules.

def bad_angka_terlalu_besar(folder):
    """Numbers far beyond their type's range: a 40-digit count (plain digits, which the SQL
    reader sends to Python), Rp 10^28, `inf` in a count, a target of 10^-28, a target `1e400`."""
    k = kecil()
    cell(k, "2022/penduduk.csv", "Alpha", "penduduk", "1" * 40)
    cell(k, "2022/lainnya.csv", "Beta", "pbb_ketetapan", "1" + "0" * 28)
    cell(k, "2022/lainnya.csv", "Gamma", "rumah_tinggal", "inf")
    k["target.csv"][1][2][2] = "0," + "0" * 27 + "1"  # IKU-03, row 4
    k["target.csv"][1][3][2] = "1e400"  # IKU-04, row 5
    write_tables(folder, k)


def bad_digit_bukan_ascii(folder):
    """Fullwidth digits (read as 0-9: a count, a desa code, a flag, a register code, a target
    year) beside digits that are refused: Arabic-Indic in a count, a superscript in a count, a
    target year in superscripts."""
    k = kecil()
    cell(k, "2022/penduduk.csv", "Alpha", "penduduk", "２０００")  # fullwidth: 2000
    cell(k, "2022/penduduk.csv", "Beta", "wajib_ktp", "٢٠٠٠")  # Arabic-Indic: refused
    cell(k, "2022/lainnya.csv", "Alpha", "rumah_ibadah", "10²")  # superscript: refused (not 102)
    k["2022/pemerintahan.csv"][1][0][0] = "３３０１０１０００１"  # fullwidth desa code: Alpha
    cell(k, "2022/pemerintahan.csv", "3301010002", "rkp_tepat_waktu", "１")  # fullwidth flag
    k["desa.csv"][1][2][0] = "３３０１０１０００３"  # fullwidth register code: Gamma
    k["target.csv"][1][4][1] = "²⁰²²"  # IKU-05, row 6: refused
    k["target.csv"][1][5][1] = "２０２２"  # IKU-07, row 7: 2022
    write_tables(folder, k)


def bad_nama_dengan_karakter_kendali(folder):
    """Control characters: ESC and a vertical tab inside register names, a C1 CSI in the
    kecamatan name (removed, with warnings); ESC inside a data file's desa cell and a BEL inside
    a count (errors)."""
    k = kecil()
    header, rows = k["desa.csv"]
    kecamatan = "Kalo\x9bran"
    k["desa.csv"] = (header + ["kode_kecamatan", "nama_kecamatan"],
                     [r + ["330101", kecamatan] for r in rows])
    cell(k, "desa.csv", "3301010001", "nama_desa", "Al\x1bpha")
    cell(k, "desa.csv", "3301010002", "nama_desa", "Be\x0bta")
    k["2022/penduduk.csv"][1][2][0] = "Gam\x1bma"
    cell(k, "2022/lainnya.csv", "Beta", "rtlh", "4\x070")
    write_tables(folder, k)


BAD_INPUT_CASES = {name[len("bad_"):].replace("_", "-"): fn for name, fn in sorted(globals().items())
                   if name.startswith("bad_")}


def generate_bad_input(root: Path = HERE) -> list[Path]:
    """Write the cases of out-of-range numbers, non-ASCII digits and control characters."""
    return write_cases(BAD_INPUT_CASES, root)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    target = Path(args[0]) if args else HERE
    made = generate(target) + generate_formats(target) + generate_lkjip(target) + generate_bad_input(target)
    if "--libreoffice" in sys.argv:
        made += generate_libreoffice(target)
    if "--sheetjs" in sys.argv:
        made += generate_sheetjs(target)
    for folder in made:
        print(folder.relative_to(target))
