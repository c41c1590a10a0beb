"""How the `iku` command shows problems: every one in full when there are few, a summary when
there are many (more than `problems.SUMMARY_LIMIT`), and every one in a CSV file
(`problem_file`) so that nothing is lost.

Where the file goes:
- `iku validate`: `--out FILE`, else `masalah-<tahun>.csv` in `--output-dir DIR`, else in the
  project's outputs folder; written on every run (with no problem, a file with the header
  only), so it always lists what the last run found;
- `iku compute --out X`: `X-masalah.csv` beside X (`<name>-masalah.csv`);
- `iku compute` to the screen, `iku report`: `masalah-<tahun>.csv` in `--output-dir` or the
  project's outputs folder;
and `compute` and `report` write it when errors stop them. Outside a project with no folder
given, the file is written only when the screen shows a summary, then in the current folder.
The raw data directory is never written: a place inside it is refused.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

from ..exceptions import IkuError
from ..formatting import angka
from ..outputs import check_not_inside
from ..problem_file import outputs_folder, problem_file_beside, problem_file_name, write_problem_file
from ..problems import SUMMARY_LIMIT, Problem, summary_lines


def problem_path(args, data_dir: Path | None, years: list[int] | None) -> Path | None:
    """Where this command writes its problem file (see the module docstring); None when no
    folder is known (outside a project, no folder given)."""
    if args.command == "validate" and args.out:
        return Path(args.out)
    if args.command == "compute" and getattr(args, "out", None):
        return problem_file_beside(Path(args.out))
    name = problem_file_name(years)
    if getattr(args, "output_dir", None):
        return Path(args.output_dir) / name
    folder = outputs_folder(data_dir)
    return folder / name if folder is not None else None


def shown(path: Path) -> str:
    """`path` relative to the working directory when it is below it, else absolute."""
    path = Path(path).absolute()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return os.fspath(path)


def show_problems(problems: list[Problem], path: Path | None, data_dir: Path | None, stream: TextIO,
                  fallback_name: str) -> bool:
    """Print `problems` to `stream` and write them all to `path`.

    Up to SUMMARY_LIMIT problems: every one in full, exactly as before, and a note on stderr
    naming the file. More: the summary, ending with the file's name. With no `path`, the file
    is written only for a summary, as `fallback_name` in the working directory. If the file
    cannot be written, every problem is printed in full (nothing is lost) and stderr says
    why; the result is then False (True otherwise).
    """
    many = len(problems) > SUMMARY_LIMIT
    if path is None and many:
        path = Path.cwd() / fallback_name
    written, failure = None, None
    if path is not None:
        try:
            if data_dir is not None:
                check_not_inside(path, data_dir)
            written = write_problem_file(problems, path)
        except IkuError as exc:
            failure = str(exc)
    if many and written is not None:
        full_list = f"Daftar lengkap {angka(len(problems))} masalah (satu baris per masalah): {shown(written)}"
        stream.write("\n".join(summary_lines(problems, full_list)) + "\n")
    else:
        stream.write("".join(p.format() + "\n" for p in problems))
        if written is not None:
            stream.flush()
            print(f"daftar masalah ditulis: {shown(written)} ({angka(len(problems))} masalah)", file=sys.stderr)
    if failure is not None:
        stream.flush()
        print(f"daftar masalah tidak dapat ditulis ke berkas ({failure})"
              + ("; karena itu semua masalah ditampilkan satu per satu di atas" if many else ""), file=sys.stderr)
    return failure is None
