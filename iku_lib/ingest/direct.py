"""Values of indicators reported directly (`nilai: langsung` in the catalog).

Such a value (an IKM score, a percentage published by another agency, an index) is not
computed from desa data: the office types it in. It is read from

- `realisasi.csv` (or `realisasi.xlsx`, or any spreadsheet format the reader takes) at the top
  of the data directory: columns `indikator,tahun,nilai`, optional `kode_wilayah` (default:
  the catalog's `wilayah.kode`), `sumber` and `keterangan`;
- any file in a year folder whose header row has an `indikator` column instead of `desa`
  (the `realisasi-<tahun>.xlsx` form that `iku template` writes): the same columns, `tahun`
  optional (the folder's year).

`realisasi.csv` may have a `triwulan` column: a row with 1..4 there is the cumulative value to
that quarter (`quarterly=True` reads those rows, for quarter monitoring); an empty cell is the
annual value, as in a file without the column. In a (year or quarter) folder the folder says
the period, so the column must stay empty there.

Numbers are read like targets (``88,94``, ``82,5%``, ``88.94``). Columns `no`,
`nama_indikator`, `satuan` and `nama_wilayah` may stand beside them and are ignored.

>>> DIRECT_FILE_STEM
'realisasi'
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .catalog import Catalog
from ..formatting import angka
from .parsing import CellError, is_blank, parse_cell
from ..problems import Problem, error, warning
from .reading import RawTable, read_tables
from .register import code_text
from .targets import suggest_indicator
from .triwulan import COLUMN as QUARTER, quarter_cell

DIRECT_FILE_STEM = "realisasi"
KEY = "indikator"
DIRECT_COLUMNS = ["indikator", "tahun", "kode_wilayah", "nilai", "sumber", "keterangan", "berkas", "lembar", "baris"]
KNOWN_COLUMNS = {"indikator", "tahun", "kode_wilayah", "nilai", "sumber", "keterangan", QUARTER}
IGNORED_COLUMNS = {"no", "nomor", "nama_indikator", "satuan", "nama_wilayah"}


def empty_direct() -> pd.DataFrame:
    """A table of direct values with no row."""
    return pd.DataFrame(columns=DIRECT_COLUMNS).astype({"tahun": int, "nilai": float, "baris": int})


def _empty_read() -> pd.DataFrame:
    """A table of direct values as read, with no row (DIRECT_COLUMNS and `triwulan`)."""
    return pd.DataFrame(columns=DIRECT_COLUMNS + [QUARTER]).astype({"tahun": int, "nilai": float, "baris": int})


def is_direct_file(path: Path) -> bool:
    """True for `realisasi.<ext>` at the top of a data directory."""
    return path.stem.lower() == DIRECT_FILE_STEM


def read_direct(path: Path, label: str, catalog: Catalog, areas: dict[str, tuple[str, str]],
                year: int | None = None, tables: list[RawTable] | None = None,
                quarterly: bool = False) -> tuple[pd.DataFrame, list[Problem]]:
    """The direct values in one file (`year`: the year folder it is in, None at the top): the
    annual ones (DIRECT_COLUMNS), or with `quarterly` those of a quarter (DIRECT_COLUMNS and
    `triwulan`); the problems are those of the whole file either way.

    `areas` maps each area code above desa to (level, name); `tables` are the file's tables
    when already read with the key column `indikator`. Never raises for bad data.
    """
    problems: list[Problem] = []
    if tables is None:
        tables, problems = read_tables(path, label, KEY)
    parts = [_empty_read()]
    for table in tables:
        frame, found = _read_table(table, catalog, areas, year)
        parts.append(frame)
        problems += found
    frame = pd.concat(parts, ignore_index=True)
    if quarterly:
        return frame[frame[QUARTER].notna()].astype({QUARTER: int}).reset_index(drop=True), problems
    return frame[frame[QUARTER].isna()].drop(columns=QUARTER).reset_index(drop=True), problems


def _read_table(table: RawTable, catalog: Catalog, areas: dict[str, tuple[str, str]],
                year: int | None) -> tuple[pd.DataFrame, list[Problem]]:
    frame = table.frame
    problems: list[Problem] = []
    required = ["nilai"] if year is not None else ["tahun", "nilai"]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        problems.append(error(f"kolom wajib tidak ada: {', '.join(missing)}; judul kolom nilai yang dilaporkan "
                              "langsung harus indikator,tahun,nilai (kode_wilayah, sumber, keterangan boleh "
                              "ditambahkan)", kode="kolom_wajib_tidak_ada", **table.where(baris=table.header_row)))
        return _empty_read(), problems
    for column in frame.columns:
        if column not in KNOWN_COLUMNS | IGNORED_COLUMNS:
            problems.append(warning("kolom tidak dikenal untuk nilai yang dilaporkan langsung; kolom ini diabaikan",
                                    kolom=table.columns_as_written[column], kode="kolom_tidak_dikenal",
                                    **table.where(baris=table.header_row)))
    known = {i.upper(): i for i in catalog.ids}
    default_area = str(catalog.meta["wilayah"]["kode"])
    records = []
    for row, cells in zip(frame.index, frame.to_dict("records")):
        where = table.where(baris=int(row))
        if all(is_blank(cells.get(c)) for c in KNOWN_COLUMNS if c in cells):
            continue
        record, found = _read_row(cells, table, where, known, catalog, areas, default_area, year)
        problems += found
        if record is not None:
            records.append({**record, "berkas": table.berkas, "lembar": table.lembar, "baris": int(row)})
    out = pd.DataFrame(records, columns=DIRECT_COLUMNS + [QUARTER]) if records else _empty_read()
    return out.astype({"tahun": int, "nilai": float, "baris": int}), problems


def _text(value: object) -> str:
    return "" if is_blank(value) else str(value).strip()


def _read_row(cells: dict, table: RawTable, where: dict, known: dict[str, str], catalog: Catalog,
              areas: dict[str, tuple[str, str]], default_area: str, year: int | None):
    """One row as a record, or None with the problems that keep it out."""
    column = table.columns_as_written
    written = _text(cells.get(KEY))
    ident = known.get(written.upper())
    if ident is None:
        hint = suggest_indicator(written, catalog.direct_ids) if written else None
        maybe = f"mungkin maksudnya {hint}? Indikator" if hint else "indikator"
        direct = ", ".join(catalog.direct_ids) or "tidak ada (katalog tidak memuat indikator nilai: langsung)"
        return None, [error(f"indikator tidak dikenal; {maybe} yang dilaporkan langsung: {direct}",
                            kolom=column[KEY], nilai=written, kode="indikator_tidak_dikenal", **where)]
    if not catalog.is_direct(ident):
        return None, [error(f"indikator {ident} dihitung dari data desa, bukan dilaporkan langsung (nilai: langsung "
                            "di iku.yaml); hapus baris ini, atau isi data desanya di folder tahun",
                            kolom=column[KEY], nilai=written, indikator=ident, kode="bukan_nilai_langsung", **where)]
    raw_year = cells.get("tahun")
    if is_blank(raw_year) and year is not None:
        the_year = year
    else:
        text = code_text(raw_year) if not is_blank(raw_year) else ""
        if not (text.isascii() and text.isdigit() and len(text) == 4):
            return None, [error("tahun harus empat angka, misalnya 2023", kolom=column.get("tahun", "tahun"),
                                nilai=_text(raw_year), indikator=ident, kode="tahun_tidak_sah", **where)]
        the_year = int(text)
        if year is not None and the_year != year:
            return None, [error(f"tahun {the_year} berbeda dengan folder tahunnya ({year}/); pindahkan berkas ke "
                                f"folder {the_year}/ atau betulkan tahunnya", kolom=column["tahun"], nilai=text,
                                indikator=ident, tahun=the_year, kode="tahun_tidak_cocok", **where)]
    try:
        quarter = quarter_cell(cells.get(QUARTER))
    except ValueError as exc:
        return None, [error(f"{exc} (kosong untuk nilai tahunan)", kolom=column[QUARTER], nilai=_text(cells[QUARTER]),
                            indikator=ident, tahun=the_year, kode="triwulan_tidak_sah", **where)]
    if quarter is not None and year is not None:
        return None, [error("kolom triwulan hanya diisi di realisasi.csv; berkas di dalam folder sudah menyatakan "
                            "periodenya (folder tahun atau triwulan-<n>): kosongkan sel ini", kolom=column[QUARTER],
                            nilai=_text(cells[QUARTER]), indikator=ident, tahun=the_year, kode="triwulan_tidak_sah",
                            **where)]
    raw_area = cells.get("kode_wilayah")
    area = default_area if is_blank(raw_area) else code_text(raw_area)
    if area not in areas:
        known_areas = ", ".join(sorted(areas)) or "tidak ada"
        why = ("kode_wilayah kosong dan kode wilayah katalog (wilayah.kode di iku.yaml) bukan wilayah data ini; isi "
               "kode_wilayah" if is_blank(raw_area) else "kode_wilayah tidak dikenal")
        return None, [error(f"{why}; wilayah yang dikenal: {known_areas}", kolom=column.get("kode_wilayah", "kode_wilayah"),
                            nilai=_text(raw_area), indikator=ident, tahun=the_year, kode="wilayah_tidak_dikenal",
                            **where)]
    raw_value = cells.get("nilai")
    try:
        value = parse_cell(raw_value, "desimal")
    except CellError as exc:
        return None, [error(f"nilai {exc}", kolom=column["nilai"], nilai=_text(raw_value), indikator=ident,
                            tahun=the_year, kode="nilai_tidak_sah", **where)]
    if value is None:  # not reported yet (a form row left empty): `missing_years` says so for a year of data
        return None, []
    if value < 0:
        return None, [error("nilai tidak boleh negatif", kolom=column["nilai"], nilai=_text(raw_value),
                            indikator=ident, tahun=the_year, kode="nilai_tidak_sah", **where)]
    return {"indikator": ident, "tahun": the_year, "kode_wilayah": area, "nilai": value,
            "sumber": _text(cells.get("sumber")), "keterangan": _text(cells.get("keterangan")), QUARTER: quarter}, []


def shown(x: float) -> str:
    """A value as typed, the Indonesian way: no more decimals than it has (at most 6).

    >>> shown(78.4), shown(1234.0), shown(0.58)
    ('78,4', '1.234', '0,58')
    """
    text = f"{float(x):.6f}".rstrip("0").rstrip(".")
    return angka(x, len(text.split(".")[1]) if "." in text else 0)


def _place(row) -> str:
    sheet = "" if row.lembar is None or pd.isna(row.lembar) else f" lembar {row.lembar}"
    return f"{row.berkas}{sheet} baris {row.baris}"


def settle(direct: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """One value per indicator, year and area: a value given again with the same number is
    used once; given with a different number it is an error naming every place."""
    key = ["indikator", "tahun", "kode_wilayah"]
    if direct.empty:
        return direct.reset_index(drop=True), []
    problems = []
    for (ident, year, area), group in direct[direct.duplicated(subset=key, keep=False)].groupby(key, sort=True):
        if group["nilai"].nunique() > 1:
            places = "; ".join(f"{_place(r)}: {shown(r.nilai)}" for r in group.itertuples())
            first = group.iloc[0]
            problems.append(error(f"nilai {ident} tahun {year} untuk wilayah {area} berbeda di beberapa tempat "
                                  f"({places}); setiap nilai cukup ditulis sekali, atau samakan nilainya",
                                  berkas=first["berkas"], lembar=first["lembar"], baris=int(first["baris"]),
                                  kolom="nilai", nilai=shown(first["nilai"]), indikator=ident, tahun=int(year),
                                  kode="nilai_bertentangan"))
    return direct.drop_duplicates(subset=key).reset_index(drop=True), problems


def direct_areas(direct: pd.DataFrame, catalog: Catalog, ident: str, areas: dict[str, tuple[str, str]]) -> list[str]:
    """The areas a direct indicator has rows for: every area it has a value for (in the order
    of `areas`), or the catalog's own area when it has none."""
    given = set(direct.loc[direct["indikator"] == ident, "kode_wilayah"])
    if given:
        return [code for code in areas if code in given]
    default = str(catalog.meta["wilayah"]["kode"])
    return [default] if default in areas else []


def missing_years(direct: pd.DataFrame, catalog: Catalog, years: list[int],
                  areas: dict[str, tuple[str, str]]) -> list[Problem]:
    """A warning for every direct indicator, year of data and area without a value."""
    problems = []
    have = set(zip(direct["indikator"], direct["tahun"], direct["kode_wilayah"]))
    for ident in catalog.direct_ids:
        for code in direct_areas(direct, catalog, ident, areas):
            level, name = areas[code]
            for year in years:
                if (ident, year, code) not in have:
                    problems.append(warning(
                        f"{ident} tahun {year}: tidak ada nilai untuk {level.capitalize()} {name} ({code}) di "
                        f"{DIRECT_FILE_STEM}.csv maupun di berkas realisasi folder {year}/; indikator ini dilaporkan "
                        "langsung, sehingga tanpa nilai tidak ada realisasi maupun capaian", indikator=ident,
                        tahun=year, kode="nilai_langsung_tidak_ada"))
    return problems
