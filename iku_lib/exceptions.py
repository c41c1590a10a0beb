"""Exceptions raised by iku_lib. Each carries a message in Bahasa Indonesia for the user."""

from __future__ import annotations


class IkuError(Exception):
    """Base class: a user-facing problem; the CLI prints it and exits 1 without a traceback."""


class CatalogError(IkuError):
    """Raised when the indicator catalog (iku.yaml) is missing, unreadable or inconsistent."""


class DataError(IkuError):
    """Raised when a data directory has errors; `problems` lists every one found.

    The message lists them in full, one line each; when there are more than
    `problems.SUMMARY_LIMIT` it is a summary (counts per kind and per file, the first few of
    each kind) that points at `problems`. The `iku` command prints the same summary and writes
    every error to a CSV file (`problem_file`).
    """

    def __init__(self, problems: list) -> None:
        self.problems = problems
        from .problems import SUMMARY_LIMIT, format_problems, summary_lines

        if len(problems) > SUMMARY_LIMIT:
            message = "\n".join(summary_lines(problems, FULL_LIST_IN_PROBLEMS))
        else:
            message = format_problems(problems)
        super().__init__(message)

    def __reduce__(self):  # pickled with its problems (e.g. from a report worker process), not its message
        return type(self), (self.problems,)


# Where the whole list is, for a DataError met in Python (a notebook, a script).
FULL_LIST_IN_PROBLEMS = ("Daftar lengkap: atribut `problems` dari DataError ini "
                         "(`iku_lib.problems_frame(e.problems)` menjadikannya tabel).")


class ParameterError(IkuError):
    """Raised when a parameter (year, level, path) is not valid for the data."""
