"""Problems found in data: errors stop a run, warnings do not.

Every problem names where it is (file, sheet, row as the user sees it, column, value)
and says in Bahasa Indonesia what was expected.

>>> p = Problem("galat", "nilai bukan angka", berkas="2023/pbb.csv", baris=5,
...             kolom="pbb_realisasi", nilai="12a", kode="bukan_angka")
>>> p.format()
'GALAT: 2023/pbb.csv, baris 5, kolom "pbb_realisasi", nilai "12a": nilai bukan angka'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

ERROR = "galat"
WARNING = "peringatan"


@dataclass(frozen=True)
class Problem:
    """One problem in the data, located as precisely as it can be."""

    tingkat: str  # ERROR or WARNING
    pesan: str
    berkas: str | None = None
    lembar: str | None = None
    baris: int | None = None
    kolom: str | None = None
    nilai: str | None = None
    kode: str = ""
    tahun: int | None = None
    indikator: str | None = None
    kode_desa: str | None = None

    @property
    def is_error(self) -> bool:
        return self.tingkat == ERROR

    def location(self) -> str:
        parts = []
        if self.berkas:
            parts.append(self.berkas)
        if self.lembar:
            parts.append(f'lembar "{self.lembar}"')
        if self.baris is not None:
            parts.append(f"baris {self.baris}")
        if self.kolom:
            parts.append(f'kolom "{self.kolom}"')
        if self.nilai is not None:
            parts.append(f'nilai "{self.nilai}"')
        return ", ".join(parts)

    def format(self) -> str:
        where = self.location()
        head = self.tingkat.upper()
        return f"{head}: {where}: {self.pesan}" if where else f"{head}: {self.pesan}"


def error(pesan: str, **where) -> Problem:
    """An error: the run cannot go on until it is fixed."""
    return Problem(ERROR, pesan, **where)


def warning(pesan: str, **where) -> Problem:
    """A warning: reported, the run goes on."""
    return Problem(WARNING, pesan, **where)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.is_error]


def format_problems(problems: list[Problem]) -> str:
    return "\n".join(p.format() for p in problems)


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """The problems as a table (one row each), for reports and notebooks."""
    columns = list(Problem.__dataclass_fields__)
    return pd.DataFrame([asdict(p) for p in problems], columns=columns)
