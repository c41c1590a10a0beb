"""Does a report still match its data? What `iku verify FOLDER` checks.

An annual report folder (`outputs/2023/`, `outputs/kecamatan/332307/2023/`) holds
`provenance.json` (`provenance.provenance_record`): the iku version, the parameters and every
data file the run read, with its SHA-256. Verifying it means:

1. reading that record (`read_record`; a missing or foreign file is a `VerifyError`);
2. finding the data directory (`locate_data_dir`: `--data-dir`, else the recorded path in
   the project holding the folder, else in the current project);
3. comparing every recorded file with the file there now (`file_changes`: `berubah` with
   both SHA-256, `hilang`, and `baru` for a file read now that the record does not name);
4. computing the report's Excel workbook again from the data as it is now, with the same
   code path as `iku report` (`runner.write_workbook` with the LKjIP chapter), and comparing
   it with the report's own `capaian-<tahun>.xlsx` cell by cell (`compare_workbooks`):
   numbers at full precision as stored in the cells, text as text. Every sheet is compared
   but "Sumber", which records the run (time, version, hashes) rather than figures; the
   files' hashes are compared in step 3 instead.

Rows of a table are matched by their keys (Kode Indikator, Kode Wilayah, Tahun, and Tingkat,
Program, Kegiatan where a sheet has them), not by position, so a difference is named by
sheet, indicator, area and column. A report made by another iku version is still compared;
`Verification.version_note` says so.
"""

from __future__ import annotations

import datetime
import json
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..exceptions import IkuError
from ..hashing import sha256_of_file
from ..ingest.catalog import catalog_path
from ..ingest.dataset import Dataset, load_dataset
from ..project import find_project
from ..version import UNKNOWN
from .excel import AREA, ID
from .provenance import (ANNUAL, COMPUTE, PROVENANCE_FILE, PROVENANCE_FORMAT, relative_to_data)

SKIPPED_SHEETS = ("Sumber",)  # the run's own facts, not figures
KEY_HEADERS = (ID, AREA, "Tahun", "Tingkat", "Program", "Kegiatan")
NAME_HEADERS = ("Wilayah", "Desa")
ROW = "(baris)"  # the "column" of a row found on one side only


class VerifyError(IkuError):
    """A report folder that cannot be verified: no provenance.json, an unreadable one, no data."""


@dataclass(frozen=True)
class FileChange:
    """A data file that is not what the report read: `status` berubah, hilang or baru."""

    path: str
    status: str
    recorded: str | None  # SHA-256 in provenance.json
    now: str | None  # SHA-256 of the file now


@dataclass(frozen=True)
class CellDifference:
    """One value of the report's workbook that the data, computed again, does not give."""

    sheet: str
    indikator: str
    wilayah: str  # the area's (or desa's) code and name, as the row shows them
    where: str  # the rest of the row's key: "tahun 2022", a program or kegiatan
    column: str
    in_report: object
    recomputed: object


@dataclass
class Verification:
    """What `verify` found."""

    folder: Path
    record: dict
    data_dir: Path
    workbook: str
    version_note: str | None = None
    file_changes: list[FileChange] = field(default_factory=list)
    edited_outputs: list[str] = field(default_factory=list)  # report files changed since they were made
    differences: list[CellDifference] = field(default_factory=list)
    compared: int = 0  # cells compared

    @property
    def matches(self) -> bool:
        return not self.differences


# --- the record -----------------------------------------------------------------------------------

def read_record(folder: Path) -> dict:
    """`folder/provenance.json`, checked to be an annual report's record of a known format."""
    folder = Path(folder)
    if not folder.exists():
        raise VerifyError(f"folder {folder} tidak ada; berikan folder laporan, misalnya outputs/2023")
    if not folder.is_dir():
        raise VerifyError(f"{folder} bukan folder; berikan folder laporan tahunan, misalnya outputs/2023")
    path = folder / PROVENANCE_FILE
    if not path.is_file():
        raise VerifyError(f"{path} tidak ada: laporan ini tidak membawa catatan asal-usulnya (dibuat oleh iku "
                          f"versi lama, atau {PROVENANCE_FILE} tidak ikut disalin), sehingga tidak dapat diperiksa; "
                          "buat ulang laporannya dengan `iku report`")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VerifyError(f"{path} tidak dapat dibaca sebagai JSON: {exc}") from None
    shape = isinstance(record, dict) and isinstance(record.get("parameters"), dict) and isinstance(
        record.get("files"), list)
    fmt = record.get("format") if isinstance(record, dict) else None
    if fmt != PROVENANCE_FORMAT:
        if isinstance(fmt, str) and fmt.startswith(PROVENANCE_FORMAT.split("/")[0] + "/"):
            raise VerifyError(f"{path}: format {fmt} dibuat oleh iku yang lebih baru (iku {__version__} membaca "
                              f"{PROVENANCE_FORMAT}); perbarui iku")
        raise VerifyError(f"{path} bukan berkas asal-usul laporan iku (format {PROVENANCE_FORMAT})")
    if not shape:
        raise VerifyError(f"{path}: isinya tidak lengkap (bagian parameters atau files tidak ada)")
    if record.get("kind") == COMPUTE:
        raise VerifyError(f"{path} berasal dari `iku compute`; `iku verify` memeriksa folder laporan tahunan "
                          "(misalnya outputs/2023)")
    if record.get("kind") != ANNUAL or not record["parameters"].get("years"):
        raise VerifyError(f"{path}: bukan catatan laporan tahunan")
    return record


def version_note(record: dict, installed: str = __version__) -> str | None:
    """A warning when the report was made by another iku version than the one running (None
    when the same). The report is compared all the same.

    >>> version_note({"iku": "0.2.0"}, "0.2.0") is None
    True
    >>> version_note({"iku": "0.2.0"}, "0.3.0").startswith("laporan dibuat dengan iku 0.2.0")
    True
    >>> version_note({"iku": "0.0.0+unknown"}, "0.0.0+unknown").startswith("versi iku yang membuat")
    True
    """
    made = str(record.get("iku", ""))
    if made == installed and made != UNKNOWN:
        return None
    if made in ("", UNKNOWN):  # built outside git: the version says nothing about the code
        return (f"versi iku yang membuat laporan ini tidak diketahui ({made or 'tidak tercatat'}); yang terpasang iku "
                f"{installed}. Angka yang berbeda bisa berasal dari perubahan kode iku, bukan dari data")
    return (f"laporan dibuat dengan iku {made}, yang terpasang iku {installed}; angka yang berbeda bisa berasal dari "
            f"perubahan kode iku, bukan dari data. Untuk memeriksa dengan versi yang sama, pasang iku {made} "
            "(lihat panduan, bagian Memeriksa laporan)")


def locate_data_dir(folder: Path, record: dict, data_dir: Path | str | None = None) -> Path:
    """The data directory to check the report against: `data_dir` when given; else the recorded
    path (relative to a project) in the project holding `folder`, then in the current project."""
    if data_dir is not None:
        found = Path(data_dir)
        if not found.is_dir():
            raise VerifyError(f"--data-dir {data_dir}: folder itu tidak ada")
        return found
    parameters = record["parameters"]
    recorded = str(parameters.get("data_dir") or "")
    if parameters.get("data_dir_in_project") and recorded:
        tried = []
        for project in (find_project(folder), find_project()):
            if project is None or project.root in tried:
                continue
            tried.append(project.root)
            candidate = project.root / recorded
            if candidate.is_dir():
                return candidate
        where = " atau ".join(str(p) for p in tried) or "proyek mana pun (tidak ada iku.toml di atas folder ini)"
        raise VerifyError(f"folder data {recorded} yang tercatat di {PROVENANCE_FILE} tidak ditemukan di {where}; "
                          "berikan folder datanya dengan --data-dir DIR")
    raise VerifyError(f"laporan ini dibuat dari folder data '{recorded}' di luar proyek iku, sehingga letaknya tidak "
                      "tercatat; berikan folder datanya dengan --data-dir DIR")


# --- the data files -------------------------------------------------------------------------------

def file_changes(record: dict, data_dir: Path, dataset: Dataset | None = None) -> list[FileChange]:
    """Recorded files that changed or are gone, and (given the dataset read now) files read now
    that the record does not name; the package's default catalog when it is not the one used."""
    data_dir = Path(data_dir)
    changes = []
    recorded = {}
    for entry in record.get("files", []):
        rel = str(entry.get("path", ""))
        recorded[rel] = entry
        path = data_dir / rel
        if not path.is_file():
            changes.append(FileChange(rel, "hilang", entry.get("sha256"), None))
            continue
        digest = sha256_of_file(path)
        if digest != entry.get("sha256"):
            changes.append(FileChange(rel, "berubah", entry.get("sha256"), digest))
    catalog = record.get("catalog") or {}
    if catalog.get("default"):
        used = catalog_path(data_dir)
        if relative_to_data(used, data_dir) is None:  # still the default: has it changed with iku?
            digest = sha256_of_file(used)
            if digest != catalog.get("sha256"):
                changes.append(FileChange(str(catalog.get("path")), "berubah", catalog.get("sha256"), digest))
    if dataset is not None:
        for path in sorted({Path(p) for p in dataset.files}):
            rel = relative_to_data(path, data_dir)
            if rel is not None and rel not in recorded:
                changes.append(FileChange(rel, "baru", None, sha256_of_file(path)))
    return changes


def edited_outputs(folder: Path, record: dict) -> list[str]:
    """Files of the report (the workbook, the Word file) whose bytes are not those it was made with."""
    edited = []
    for entry in record.get("outputs", []):
        path = Path(folder) / str(entry.get("path", ""))
        if path.is_file() and sha256_of_file(path) != entry.get("sha256"):
            edited.append(path.name)
    return edited


def workbook_name(record: dict) -> str:
    """The report's Excel file, as the record names it (`capaian-<tahun>.xlsx` by default)."""
    for entry in record.get("outputs", []):
        if str(entry.get("path", "")).endswith(".xlsx"):
            return str(entry["path"])
    return f"capaian-{int(record['parameters']['years'][0])}.xlsx"


# --- the workbook ---------------------------------------------------------------------------------

def recompute_workbook(dataset: Dataset, record: dict, path: Path) -> Path:
    """The report's workbook made again from `dataset` at `path`, as `iku report` makes it."""
    from .chapter import build_chapter
    from .runner import write_workbook

    parameters = record["parameters"]
    year = dataset.check_year(int(parameters["years"][0]))
    kode = parameters.get("kode_wilayah")
    try:
        when = datetime.datetime.fromisoformat(str(record.get("created")))
    except ValueError:
        when = datetime.datetime(2000, 1, 1)
    with tempfile.TemporaryDirectory(prefix=".tmp-gambar-", dir=Path(path).parent) as figures:
        chapter = build_chapter(dataset, year, kode, figures_dir=Path(figures))
        write_workbook(dataset, year, Path(path), when, kode, chapter)
    return Path(path)


def _rows(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's rows of cell values (as stored), padded to the sheet's width."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - a damaged or foreign file: said, not raised
        raise VerifyError(f"{path} tidak dapat dibaca sebagai buku kerja Excel: {exc}") from None
    try:
        sheets = {}
        for ws in book.worksheets:
            rows = [tuple(row) for row in ws.iter_rows(values_only=True)]
            width = max((len(r) for r in rows), default=0)
            sheets[ws.title] = [r + (None,) * (width - len(r)) for r in rows]
        return sheets
    finally:
        book.close()


def _empty(value: object) -> bool:
    return value is None or value == ""


def _segments(rows: list[tuple]) -> list[tuple[str, object]]:
    """A sheet as a sequence of ("teks", non-empty cells outside tables) and ("tabel", (header,
    rows)): a table starts at a row whose first cell is "Kode Indikator" and ends at an empty
    row or the next table."""
    segments: list[tuple[str, object]] = []
    loose: list[object] = []
    table: tuple[list[str], list[tuple]] | None = None
    for row in rows:
        if row and row[0] == ID:
            if loose:
                segments.append(("teks", loose))
                loose = []
            table = ([str(c) if c is not None else "" for c in row], [])
            segments.append(("tabel", table))
        elif table is not None and any(not _empty(c) for c in row):
            table[1].append(row)
        else:
            table = None
            loose += [c for c in row if not _empty(c)]
    if loose:
        segments.append(("teks", loose))
    return segments


def same(a: object, b: object) -> bool:
    """Whether two stored cell values are equal: numbers by value at full precision, text as text.

    >>> same(92.5, 92.5), same(3, 3.0), same(92.5, 92.50000000000001), same("1", 1), same(None, "")
    (True, True, False, False, True)
    """
    if _empty(a) or _empty(b):
        return _empty(a) and _empty(b)
    numbers = (int, float)
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, numbers) and isinstance(b, numbers):
        return float(a) == float(b) or (a != a and b != b)
    return type(a) is type(b) and a == b


def _keyed(header: list[str], rows: list[tuple]) -> dict[tuple, tuple]:
    """Rows by their key (KEY_HEADERS present in the header, plus the occurrence of that key)."""
    columns = [header.index(h) for h in KEY_HEADERS if h in header]
    seen: Counter = Counter()
    keyed = {}
    for row in rows:
        key = tuple("" if _empty(row[i]) else str(row[i]) for i in columns)
        seen[key] += 1
        keyed[key + (seen[key],)] = row
    return keyed


def _label(header: list[str], row: tuple) -> tuple[str, str, str]:
    """(indikator, wilayah, rest of the key) naming a row for the reader."""
    def cell(name: str) -> str:
        return "" if name not in header or _empty(row[header.index(name)]) else str(row[header.index(name)])

    wilayah = " ".join(part for part in (cell(AREA), next((cell(n) for n in NAME_HEADERS if cell(n)), "")) if part)
    rest = [f"tahun {cell('Tahun')}" if cell("Tahun") else ""] + [cell(h) for h in ("Tingkat", "Program", "Kegiatan")]
    return cell(ID), wilayah, ", ".join(part for part in rest if part)


def _compare_table(sheet: str, report: tuple[list[str], list[tuple]], again: tuple[list[str], list[tuple]],
                   found: list[CellDifference]) -> int:
    """Differences between two tables of one sheet, appended to `found`; the cells compared."""
    header, rows = report
    header2, rows2 = again
    ours, theirs = _keyed(header, rows), _keyed(header2, rows2)
    columns = [h for h in header if h and h in header2]
    for name in [h for h in header if h and h not in header2]:
        found.append(CellDifference(sheet, "", "", "", name, "kolom ada", "kolom tidak ada"))
    for name in [h for h in header2 if h and h not in header]:
        found.append(CellDifference(sheet, "", "", "", name, "kolom tidak ada", "kolom ada"))
    compared = 0
    for key, row in ours.items():
        other = theirs.get(key)
        if other is None:
            found.append(CellDifference(sheet, *_label(header, row), ROW, "ada", "tidak ada"))
            continue
        for name in columns:
            a, b = row[header.index(name)], other[header2.index(name)]
            compared += 1
            if not same(a, b):
                found.append(CellDifference(sheet, *_label(header, row), name, a, b))
    for key, row in theirs.items():
        if key not in ours:
            found.append(CellDifference(sheet, *_label(header2, row), ROW, "tidak ada", "ada"))
    return compared


def compare_workbooks(report: Path, recomputed: Path) -> tuple[list[CellDifference], int]:
    """Every difference between the report's workbook and the one made again (sheets but
    SKIPPED_SHEETS), and the number of cells compared."""
    ours, theirs = _rows(report), _rows(recomputed)
    found: list[CellDifference] = []
    compared = 0
    for sheet in [s for s in ours if s not in SKIPPED_SHEETS and s not in theirs]:
        found.append(CellDifference(sheet, "", "", "", "(lembar)", "ada", "tidak ada"))
    for sheet in [s for s in theirs if s not in SKIPPED_SHEETS and s not in ours]:
        found.append(CellDifference(sheet, "", "", "", "(lembar)", "tidak ada", "ada"))
    for sheet in [s for s in ours if s not in SKIPPED_SHEETS and s in theirs]:
        a, b = _segments(ours[sheet]), _segments(theirs[sheet])
        for i in range(max(len(a), len(b))):
            if i >= len(a) or i >= len(b) or a[i][0] != b[i][0]:
                found.append(CellDifference(sheet, "", "", "", "(susunan lembar)", "berbeda", "berbeda"))
                break
            kind, left = a[i]
            right = b[i][1]
            if kind == "tabel":
                compared += _compare_table(sheet, left, right, found)
            else:
                compared += len(left)
                if len(left) != len(right) or not all(same(x, y) for x, y in zip(left, right)):
                    found.append(CellDifference(sheet, "", "", "", "(judul)", " | ".join(map(str, left)),
                                                " | ".join(map(str, right))))
    return found, compared


# --- all together ---------------------------------------------------------------------------------

def verify(folder: Path | str, data_dir: Path | str | None = None) -> Verification:
    """Check the report in `folder` against the data as it is now (see the module docstring).

    Raises VerifyError for a folder that cannot be checked; DataError when the data now has
    errors, ParameterError when the report's year or area is no longer in it (both with the
    file changes found attached as `changes`)."""
    folder = Path(folder)
    record = read_record(folder)
    data = locate_data_dir(folder, record, data_dir)
    name = workbook_name(record)
    if not (folder / name).is_file():
        raise VerifyError(f"{folder / name} tidak ada: buku kerja Excel laporan ini yang dibandingkan angkanya")
    result = Verification(folder, record, data, name, version_note(record))
    result.edited_outputs = edited_outputs(folder, record)
    dataset = load_dataset(data)
    result.file_changes = file_changes(record, data, dataset)
    try:
        dataset.require_valid()
        with tempfile.TemporaryDirectory(prefix="iku-verify-") as tmp:
            again = recompute_workbook(dataset, record, Path(tmp) / name)
            result.differences, result.compared = compare_workbooks(folder / name, again)
    except IkuError as exc:  # the data now has errors, or no longer the report's year or area
        exc.changes = result.file_changes  # type: ignore[attr-defined]
        raise
    return result
