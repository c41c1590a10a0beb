"""The quarterly monitoring report as an Excel workbook (openpyxl), beside its HTML page.

Sheets, each a plain table (one header row, autofilter, the header row frozen), with the
conventions of `excel`: numbers stored as numbers at full precision with the display decimals as
format (capaian with 2, counts whole), codes and texts as text, never a formula.

- "Capaian Triwulan": per indicator (top level) the cumulative realisasi to the quarter with its
  numerator and denominator, the target it is measured against and its basis in words, capaian,
  predikat and the annual target: the numbers of `iku compute --year Y --triwulan N`;
- "Jalur Triwulan": per indicator and quarter 1..4 the cumulative realisasi (quarters to date),
  the cumulative quarterly target where given, the annual target, capaian and predikat;
- "Peringatan Dini": per indicator the value to date, how the year is foreseen, the projection,
  the annual target, the projection's capaian and the status (`quarterly_pace`);
- "Rincian Desa": every indicator's desa rows to the quarter;
- "Kelengkapan": desa x quarter, reported (Ya) or not (Belum);
- "Catatan Data": the quarter's warnings;
- "Sumber": parameters, versions, the data files (the quarter files among them) with SHA-256.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from ..ingest.triwulan import COLUMN as QUARTER
from .excel import (AREA, CAPAIAN_DECIMALS, ID, count_format, decimal_format, save_workbook, write_sources_sheet,
                    write_table_sheet)
from .quarterly import Monitoring, basis_words
from .quarterly_names import roman
from .quarterly_pace import WARNINGS, method_text
from .tables import problems_table

CAPAIAN_SHEET = "Capaian Triwulan"
PATH_SHEET = "Jalur Triwulan"
PACE_SHEET = "Peringatan Dini"
DESA_SHEET = "Rincian Desa"
COMPLETENESS_SHEET = "Kelengkapan"
NOTES_SHEET = "Catatan Data"
SOURCE_SHEET = "Sumber"
WIDTHS = {ID: 14, AREA: 14, "Wilayah": 18, "Desa": 18, "Indikator Kinerja": 44, "Satuan": 18, "Tahun": 8,
          "Triwulan": 9, "Dasar Target": 28, "Predikat": 15, "Cara Memperkirakan": 44, "Status": 28,
          "Keterangan": 50, "Catatan": 90, "Lokasi": 36, "Tingkat": 11}
CAPAIAN_HEADERS = ["Tahun", "Triwulan", ID, "Indikator Kinerja", "Satuan", AREA, "Wilayah", "Pembilang", "Penyebut",
                   "Realisasi", "Target", "Dasar Target", "Capaian (%)", "Predikat", "Target Tahunan"]
PATH_HEADERS = [ID, "Satuan", AREA, "Wilayah", "Triwulan", "Realisasi Kumulatif", "Target Triwulan (Kumulatif)",
                "Target Tahunan", "Dasar Target", "Capaian (%)", "Predikat"]
PACE_HEADERS = [ID, "Satuan", AREA, "Wilayah", "Nilai s.d. Triwulan", "Cara Memperkirakan", "Faktor Proyeksi",
                "Perkiraan Akhir Tahun", "Target Tahunan", "Capaian Perkiraan (%)", "Status", "Peringatan Dini"]

Row = list[tuple[object, str | None]]


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _table(ws, headers: list[str], rows) -> None:
    write_table_sheet(ws, headers, rows, WIDTHS, 14)


def _format(model: Monitoring, ident: str) -> str:
    return decimal_format(int(model.indicators.loc[ident, "desimal"]))


def capaian_rows(model: Monitoring) -> list[Row]:
    """The "Capaian Triwulan" sheet's rows."""
    capaian = decimal_format(CAPAIAN_DECIMALS)
    out = []
    for r in model.rows.itertuples(index=False):
        fmt = _format(model, r.indikator)
        out.append([(int(r.tahun), "0"), (int(getattr(r, QUARTER)), "0"), (str(r.indikator), None),
                    (str(model.indicators.loc[r.indikator, "nama"]), None), (str(r.satuan or ""), None),
                    (str(r.kode_wilayah), None), (str(r.nama_wilayah), None),
                    (_number(r.pembilang), count_format(r.pembilang)), (_number(r.penyebut), count_format(r.penyebut)),
                    (_number(r.nilai), fmt), (_number(r.target), fmt),
                    (basis_words(r.dasar_target, model.quarter) if r.dasar_target else None, None),
                    (_number(r.capaian), capaian), (_text(r.predikat), None), (_number(r.target_tahunan), fmt)])
    return out


def path_rows(model: Monitoring) -> list[Row]:
    """The "Jalur Triwulan" sheet's rows: every indicator (and area) x quarter 1..4."""
    capaian = decimal_format(CAPAIAN_DECIMALS)
    path = model.path.set_index(["indikator", "kode_wilayah", QUARTER])
    names = dict(zip(model.rows["kode_wilayah"], model.rows["nama_wilayah"]))
    out = []
    for t in model.targets.itertuples(index=False):
        fmt = _format(model, t.indikator)
        key = (t.indikator, t.kode_wilayah, int(getattr(t, QUARTER)))
        done = key in path.index
        p = path.loc[key] if done else None
        out.append([(str(t.indikator), None), (str(model.indicators.loc[t.indikator, "satuan"] or ""), None),
                    (str(t.kode_wilayah), None), (str(names.get(t.kode_wilayah, "")), None), (key[2], "0"),
                    (_number(p["nilai"]) if done else None, fmt), (_number(t.target_triwulan), fmt),
                    (_number(t.target_tahunan), fmt),
                    (basis_words(p["dasar_target"], key[2]) if done and p["dasar_target"] else None, None),
                    (_number(p["capaian"]) if done else None, capaian), (_text(p["predikat"]) if done else None, None)])
    return out


def pace_rows(model: Monitoring) -> list[Row]:
    """The "Peringatan Dini" sheet's rows."""
    capaian = decimal_format(CAPAIAN_DECIMALS)
    out = []
    for r in model.pace.itertuples(index=False):
        fmt = _format(model, r.indikator)
        out.append([(str(r.indikator), None), (str(model.indicators.loc[r.indikator, "satuan"] or ""), None),
                    (str(r.kode_wilayah), None), (str(r.nama_wilayah), None), (_number(r.nilai), fmt),
                    (method_text(r.metode, model.quarter), None), (_number(r.faktor_proyeksi), "0.00"),
                    (_number(r.proyeksi), fmt), (_number(r.target_tahunan), fmt),
                    (_number(r.capaian_proyeksi), capaian),
                    (str(r.status), None), ("Ya" if r.status in WARNINGS else "Tidak", None)])
    return out


def desa_rows(model: Monitoring, desa: pd.DataFrame) -> tuple[list[str], list[Row]]:
    """The "Rincian Desa" sheet (`desa`: `runner.desa_rows` of the quarter's table)."""
    headers = list(desa.columns)
    out = []
    for record in desa.itertuples(index=False):
        values = dict(zip(headers, record))
        ident = str(values.get(ID, ""))
        row = []
        for header in headers:
            value = values[header]
            value = value.item() if hasattr(value, "item") else value
            if header in (ID, AREA) and value is not None:
                row.append((str(value), None))
            elif header in ("Pembilang", "Penyebut"):
                row.append((_number(value), count_format(value)))
            elif header == "Nilai":
                row.append((_number(value), _format(model, ident) if ident in model.indicators.index else None))
            else:
                row.append((value if value != "" else None, None))
        out.append(row)
    return headers, out


def completeness_rows(model: Monitoring) -> tuple[list[str], list[Row]]:
    """The "Kelengkapan" sheet: Kode Wilayah, Desa, Triwulan I..n (Ya / Belum)."""
    table = model.completeness
    quarters = sorted(int(q) for q in table[QUARTER].unique())
    headers = [AREA, "Desa"] + [f"Triwulan {roman(q)}" for q in quarters]
    out = []
    for (code, name), group in table.groupby(["kode_desa", "nama_desa"], sort=False):
        done = dict(zip(group[QUARTER].astype(int), group["dilaporkan"]))
        out.append([(str(code), None), (str(name), None)]
                   + [("Ya" if done.get(q) else "Belum", None) for q in quarters])
    return headers, out


def notes_rows(model: Monitoring, names: dict[str, str]) -> tuple[list[str], list[Row]]:
    """The "Catatan Data" sheet: Tingkat, Kode Indikator, Kode Wilayah, Desa, Lokasi, Catatan."""
    table = problems_table(model.problems, model.year)
    headers = ["Tingkat", ID, AREA, "Desa", "Lokasi", "Catatan"]
    return headers, [[(r.tingkat.capitalize(), None), (r.indikator or None, None), (r.kode_desa or None, None),
                      (names.get(r.kode_desa) if r.kode_desa else None, None), (r.lokasi or None, None),
                      (r.pesan, None)] for r in table.itertuples(index=False)]


def write_monitoring_workbook(path: Path, model: Monitoring, desa: pd.DataFrame, names: dict[str, str],
                              sources: list[tuple[str, str]], files: pd.DataFrame,
                              when: datetime.datetime | None = None) -> Path:
    """Write the workbook to `path` (use with `outputs.atomic_write`). `desa` is the quarter's
    desa rows (`runner.desa_rows`), `names` kode_desa -> nama_desa; `sources` (label, value) and
    `files` (berkas, ukuran, sha256) go to "Sumber"; with `when`, the workbook's dates are `when`
    (same inputs, same bytes)."""
    book = Workbook()
    ws = book.active
    ws.title = CAPAIAN_SHEET
    _table(ws, CAPAIAN_HEADERS, capaian_rows(model))
    _table(book.create_sheet(PATH_SHEET), PATH_HEADERS, path_rows(model))
    headers = [f"Nilai s.d. Triwulan {roman(model.quarter)}" if h == "Nilai s.d. Triwulan" else h for h in PACE_HEADERS]
    _table(book.create_sheet(PACE_SHEET), headers, pace_rows(model))
    _table(book.create_sheet(DESA_SHEET), *desa_rows(model, desa))
    _table(book.create_sheet(COMPLETENESS_SHEET), *completeness_rows(model))
    _table(book.create_sheet(NOTES_SHEET), *notes_rows(model, names))
    write_sources_sheet(book, sources, files, SOURCE_SHEET)
    return save_workbook(book, path, when)
