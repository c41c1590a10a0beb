"""Exceptions raised by iku_lib. Each carries a message in Bahasa Indonesia for the user."""

from __future__ import annotations


class IkuError(Exception):
    """Base class: a user-facing problem; the CLI prints it and exits 1 without a traceback."""


class CatalogError(IkuError):
    """Raised when the indicator catalog (iku.yaml) is missing, unreadable or inconsistent."""


class DataError(IkuError):
    """Raised when a data directory has errors; `problems` lists every one found."""

    def __init__(self, problems: list) -> None:
        self.problems = problems
        from .problems import format_problems

        super().__init__(format_problems(problems))


class ParameterError(IkuError):
    """Raised when a parameter (year, level, path) is not valid for the data."""
