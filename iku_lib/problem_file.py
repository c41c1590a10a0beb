"""The list of problems as a CSV file to open in Excel or LibreOffice: every problem, one row.

`iku validate` writes it on every run (`masalah-<tahun>.csv` in the project's outputs
folder); `iku compute` and `iku report` write the errors that stop them. Then the screen may
show only a summary (`problems.summary_lines`) and nothing is lost.

- Columns PROBLEM_COLUMNS (the fields of `Problem`, the message last), in the order the
  problems were found; an empty cell where a field has no value.
- UTF-8 with a byte order mark: Excel reads a CSV without one in the Windows code page and
  would garble any character outside ASCII. Rows end with a line feed, as in `iku compute`'s CSV.
- Formula injection: a spreadsheet may run a cell that starts with `=`, `+`, `-` or `@` as a
  formula, and the values and file names come from files typed by others. A text cell that
  starts with one of those, or with a tab, a carriage return or a NUL (OWASP "CSV Injection";
  OWASP ASVS requirement 1.2.10), is written with a leading apostrophe, which makes it text. Not a cell
  that is only a number (`-1`, `+62`, `-1.234,5`) or only `-`: a spreadsheet reads those as a
  number or as text, never as a formula, and they are the commonest bad values in village
  data (a negative count, `-` for "none"), which the list must show as they were typed.
- Written atomically (`outputs.atomic_write`): a run that fails leaves the previous list.

>>> excel_safe('=HYPERLINK("http://x")'), excel_safe("-1"), excel_safe("-"), excel_safe("-2+3"), excel_safe("Alfa")
('\\'=HYPERLINK("http://x")', '-1', '-', "'-2+3", 'Alfa')
>>> problem_file_name([2023]), problem_file_name([2019, 2020, 2021]), problem_file_name([2019, 2021, 2022])
('masalah-2023.csv', 'masalah-2019-2021.csv', 'masalah-2019_2021-2022.csv')
>>> problem_file_name(None), problem_file_beside(Path("outputs/iku-2023.csv")).as_posix()
('masalah-semua-tahun.csv', 'outputs/iku-2023-masalah.csv')
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from .outputs import atomic_write
from .problems import Problem
from .project import find_project

PROBLEM_COLUMNS = ["tingkat", "kode", "berkas", "lembar", "baris", "kolom", "nilai", "tahun", "indikator",
                   "kode_desa", "pesan"]
ALL_YEARS = "semua-tahun"  # in the file's name when every year of the data is checked
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
PLAIN_PATTERN = r"[+-]?[0-9][0-9.,]*|-"  # a number as typed, or a lone dash: never a formula
_PLAIN = re.compile(PLAIN_PATTERN)


def excel_safe(text: str) -> str:
    """`text` as a spreadsheet shows it, never run as a formula (see the module docstring)."""
    if text.startswith(FORMULA_START) and not _PLAIN.fullmatch(text):
        return "'" + text
    return text


def _cell(value: object) -> object:
    if value is None:
        return ""
    return excel_safe(value) if isinstance(value, str) else value


def write_problem_file(problems: Iterable[Problem], path: Path) -> Path:
    """Write every problem to `path` (see the module docstring); OutputError if it cannot."""
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(PROBLEM_COLUMNS)
            out.writerows([_cell(getattr(p, c)) for c in PROBLEM_COLUMNS] for p in problems)

    return atomic_write(Path(path), write)


def problem_file_name(years: Iterable[int] | None) -> str:
    """`masalah-<tahun>.csv`: one year (`2023`), a run of years (`2019-2023`), runs joined by `_`
    (`2019_2021-2023`), or `semua-tahun` (None: every year of the data)."""
    if years is None:
        return f"masalah-{ALL_YEARS}.csv"
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return "masalah-" + "_".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs) + ".csv"


def problem_file_beside(out: Path) -> Path:
    """The problem file of a run writing `out`: `<name>-masalah.csv` in the same folder."""
    out = Path(out)
    return out.with_name(f"{out.stem}-masalah.csv")


def outputs_folder(data_dir: Path | None) -> Path | None:
    """The outputs folder of the current project, else of the project holding `data_dir`
    (as `iku report` chooses it), else None."""
    project = find_project() or (find_project(data_dir) if data_dir is not None else None)
    return project.outputs_dir if project is not None else None
