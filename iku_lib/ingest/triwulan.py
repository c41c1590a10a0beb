"""Quarter (triwulan) numbers, as a folder name, a cell or a command-line value.

Quarter data lives in `<tahun>/triwulan-<n>/` (n = 1..4). A folder name is read leniently in
case and separator (`triwulan-2`, `Triwulan 2`, `TRIWULAN_2`, `triwulan2`) and takes the
number as a digit or a Roman numeral (`Triwulan II`, as e-SAKIP applications write it); any
other folder whose name starts with `triwulan` (`triwulan-5`, `triwulan-x`) is refused by
name, never skipped unseen. The same numbers are read from the `triwulan` column of
`target.csv` and `realisasi.csv` (empty there: an annual value) and from `--triwulan`.

>>> [folder_quarter(n) for n in ("triwulan-1", "Triwulan II", "TRIWULAN_4", "triwulan-5", "dokumen")]
[1, 2, 4, None, None]
>>> is_quarter_like("triwulan-x"), is_quarter_like("tw1")
(True, False)
>>> quarter_cell(2.0), quarter_cell(" III "), quarter_cell(None)
(2, 3, None)
"""

from __future__ import annotations

import re

from .parsing import ascii_text, is_blank

QUARTERS = (1, 2, 3, 4)
FOLDER_PREFIX = "triwulan"
COLUMN = "triwulan"  # the column of target.csv and realisasi.csv
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_LIKE = re.compile(r"\s*triwulan(.*)", re.I)
_NUMBER = re.compile(r"[\s_-]*(\d+|[ivx]+)\s*", re.I)
FOLDER_RULE = ("nama folder triwulan harus triwulan-1, triwulan-2, triwulan-3 atau triwulan-4 (satu folder per "
               "triwulan di dalam folder tahunnya, misalnya 2023/triwulan-2/)")
CELL_RULE = "triwulan harus 1, 2, 3 atau 4 (atau I-IV)"


def folder_name(quarter: int) -> str:
    """The folder of a quarter, as iku writes it.

    >>> folder_name(3)
    'triwulan-3'
    """
    return f"{FOLDER_PREFIX}-{int(quarter)}"


def is_quarter_like(name: str) -> bool:
    """True for a folder name meant as a quarter folder (it starts with `triwulan`)."""
    return _LIKE.fullmatch(ascii_text(name)) is not None


def _number(text: str) -> int | None:
    m = _NUMBER.fullmatch(text)
    if m is None:
        return None
    token = m.group(1).lower()
    number = int(token) if token.isdigit() else ROMAN.get(token)
    return number if number in QUARTERS else None


def folder_quarter(name: str) -> int | None:
    """The quarter a folder name gives (1..4), or None when it is not a valid quarter folder."""
    m = _LIKE.fullmatch(ascii_text(name))
    return None if m is None else _number(m.group(1))


def quarter_cell(value: object) -> int | None:
    """The quarter in a cell: None when blank (an annual value); ValueError (CELL_RULE) when it
    is not 1..4 (a whole number, `2`, `II`, `Triwulan 2` or `TW 2`)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(CELL_RULE)
    if isinstance(value, (int, float)):
        if float(value).is_integer() and int(value) in QUARTERS:
            return int(value)
        raise ValueError(CELL_RULE)
    text = re.sub(r"^\s*(triwulan|tw)", "", ascii_text(str(value)), flags=re.I)
    text = re.sub(r"^([0-9]+)\.0+\s*$", r"\1", text.strip())  # 2.0, as a spreadsheet may give it as text
    number = _number(text)
    if number is None:
        raise ValueError(CELL_RULE)
    return number
