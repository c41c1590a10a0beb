"""Shared rules of the optional inputs of the LKjIP chapter: `analisis`, `standar`, `anggaran`.

Each is a table at the top of the data directory, beside `desa.csv` and `target.csv`, named
`<stem>.csv` or `<stem>.<ext>` in any format `reading.read_tables` takes (`.xlsx`, `.ods`,
...). All three are optional: a data directory without them reads as before. Their readers
(modules `analisis`, `standar`, `anggaran`) share the rules here, which are those of
`targets`: an indicator id matches ignoring case and surrounding spaces, an unknown id is an
error with a suggestion, a year is four digits (`2023.0` from Excel is 2023). Several files
with one stem (`anggaran.csv` and `anggaran.xlsx`) are all read, in name order, and every
sheet with the key column of a workbook. A file with a header and no row (a form not filled
yet) is empty without a warning. Columns `no`, `nomor`, `nama_indikator`, `satuan`,
`keterangan`, `catatan` may stand beside the known ones; any other is ignored with a warning.

>>> is_lkjip_file(Path("Anggaran.xlsx")), is_lkjip_file(Path("analisis.pdf"))
(True, False)
>>> year_of("2023"), year_of(2023.0), year_of("23"), year_of("2023a")
(2023, 2023, None, None)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from .parsing import is_blank
from ..problems import Problem, error, warning
from .reading import DATA_SUFFIXES, RawTable, read_tables
from .register import code_text
from .targets import suggest_indicator

STEMS = ("analisis", "standar", "anggaran")
IGNORED_COLUMNS = frozenset({"no", "nomor", "nama_indikator", "satuan", "keterangan", "catatan"})


def is_lkjip_file(path: Path) -> bool:
    """True for `analisis.<ext>`, `standar.<ext>`, `anggaran.<ext>` with a data file's extension."""
    return path.stem.lower() in STEMS and path.suffix.lower() in DATA_SUFFIXES


def input_paths(data_dir: Path | str, stem: str) -> list[Path]:
    """The files `<stem>.<ext>` at the top of `data_dir`, in name order."""
    folder = Path(data_dir)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.stem.lower() == stem and p.suffix.lower() in DATA_SUFFIXES)


def all_input_paths(data_dir: Path | str) -> list[Path]:
    """Every LKjIP input file of `data_dir` (analisis, standar, anggaran, in that order)."""
    return [p for stem in STEMS for p in input_paths(data_dir, stem)]


def read_input(data_dir: Path | str, stem: str, key: str) -> tuple[list[RawTable], list[Problem]]:
    """Every table of every `<stem>.<ext>` file; a header without rows is no problem here."""
    tables: list[RawTable] = []
    problems: list[Problem] = []
    for path in input_paths(data_dir, stem):
        found_tables, found = read_tables(path, path.name, key)
        tables += found_tables
        for problem in found:
            if problem.kode == "lembar_tidak_dibaca":  # the reader's words name the desa column
                problem = dataclasses.replace(problem, pesan=f'lembar ini tidak punya kolom "{key}" sehingga tidak '
                                                             f'dibaca; bila berisi data, beri judul "{key}" pada '
                                                             "kolomnya")
            if problem.kode != "tanpa_baris_data":
                problems.append(problem)
    return tables, problems


def check_columns(table: RawTable, required: Iterable[str], known: Iterable[str], header: str,
                  one_of: Iterable[str] = ()) -> tuple[bool, list[Problem]]:
    """Whether `table` has the `required` columns and at least one of `one_of` (if given): an
    error when not; and a warning for each column that is neither `known` nor ignored.
    `header` is the expected header line."""
    columns = list(table.frame.columns)
    problems: list[Problem] = []
    missing = [c for c in required if c not in columns]
    one_of = list(one_of)
    if one_of and not any(c in columns for c in one_of):
        missing.append(f"paling sedikit satu dari {', '.join(one_of)}")
    if missing:
        problems.append(error(f"kolom wajib tidak ada: {', '.join(missing)}; judul kolom harus {header}",
                              kode="kolom_wajib_tidak_ada", **table.where(baris=table.header_row)))
    allowed = set(known) | IGNORED_COLUMNS
    for column in columns:
        if column not in allowed:
            problems.append(warning(f"kolom tidak dikenal; kolom ini diabaikan (judul kolom yang dikenal: {header})",
                                    kolom=table.columns_as_written.get(column, column), kode="kolom_tidak_dikenal",
                                    **table.where(baris=table.header_row)))
    return not missing, problems


def text(value: object) -> str:
    """A cell as text, spaces around it removed; "" for a blank cell."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def cell_message(name: str, reason: object) -> str:
    """`name` and why its cell cannot be read: "pagu bukan angka; ...", "realisasi: tanda ..."."""
    reason = str(reason)
    return f"{name} {reason}" if reason.startswith("bukan ") else f"{name}: {reason}"


def year_of(value: object) -> int | None:
    """A four-digit year (text, or a number as Excel stores it), or None."""
    written = "" if is_blank(value) else code_text(value)
    return int(written) if written.isascii() and written.isdigit() and len(written) == 4 else None


def year_error(value: object, column: str, **where) -> Problem:
    return error("tahun harus empat angka, misalnya 2023", kolom=column, nilai=text(value), kode="tahun_tidak_sah",
                 **where)


def indicator_of(written: str, known: dict[str, str]) -> str | None:
    """The catalog's id for `written` (case and surrounding spaces ignored), or None.
    `known` maps each id in capitals to the id (`known_ids`)."""
    return known.get(written.strip().upper()) if written else None


def known_ids(indicator_ids: Iterable[str]) -> dict[str, str]:
    return {i.upper(): i for i in indicator_ids}


def indicator_error(written: str, indicator_ids: list[str], column: str, extra: str = "", **where) -> Problem:
    """The error for an unknown (or empty) indicator id, with a suggestion as `targets` gives."""
    if not written:
        example = indicator_ids[0] if indicator_ids else "IKU-01"
        return error(f"indikator kosong; isi id indikator dari katalog, misalnya {example}", kolom=column, nilai="",
                     kode="indikator_tidak_dikenal", **where)
    hint = suggest_indicator(written, indicator_ids)
    maybe = f"mungkin maksudnya {hint}? Yang" if hint else "yang"
    return error(f"indikator{extra} tidak dikenal; {maybe} dikenal: {', '.join(indicator_ids)}", kolom=column,
                 nilai=written, kode="indikator_tidak_dikenal", **where)


def row_key(cells: dict, written_as: dict[str, str], known: dict[str, str], indicator_ids: list[str],
            where: dict) -> tuple[str | None, int | None, list[Problem]]:
    """The indicator id (column `indikator`) and year (`tahun`) of one line of an LKjIP input,
    and an error for each that is unknown or not a year (None in its place)."""
    written = text(cells.get("indikator"))
    ident = indicator_of(written, known)
    year = year_of(cells.get("tahun"))
    problems = []
    if ident is None:
        problems.append(indicator_error(written, indicator_ids, written_as["indikator"], **where))
    if year is None:
        problems.append(year_error(cells.get("tahun"), written_as["tahun"], indikator=ident, **where))
    return ident, year, problems


def place(where: dict, other: dict) -> str:
    """Where `other` is, as seen from `where`: `baris 5` in the same table, else with its file
    (and sheet)."""
    if (other.get("berkas"), other.get("lembar")) == (where.get("berkas"), where.get("lembar")):
        return f"baris {other['baris']}"
    sheet = f' lembar "{other["lembar"]}"' if other.get("lembar") else ""
    return f"{other['berkas']}{sheet} baris {other['baris']}"
