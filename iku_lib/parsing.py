"""Reading one cell as a number, by the type of what it holds.

Rules (documented in data/raw/README.md), chosen per type so that no cell is guessed:

- ``jumlah`` (a count): a whole number >= 0. A dot between groups of three digits is a
  thousands separator (``1.234.567``); ``1234.0`` or ``1234,0`` (Excel's float form) is
  1234. Anything with a fractional part is an error: ``1,5`` is not a count.
- ``rupiah``: >= 0, optional ``Rp`` prefix. Indonesian style: ``.`` groups thousands,
  ``,`` is the decimal mark (``Rp 1.234.567,50``). A single dot not followed by exactly
  three digits is a decimal point (Excel's float form ``1234567.5``).
- ``flag``: 1/0, Ya/Tidak, Y/T, Sudah/Belum, TRUE/FALSE, Benar/Salah (any case).
- ``desimal`` (targets): a decimal number, optional ``%``. ``,`` is the decimal mark;
  a dot is a thousands separator only when a comma follows (``1.234,5``), otherwise it
  is a decimal point (``97.5``), since a target is never written with thousands only.

>>> parse_cell("1.234.567", "jumlah")
1234567.0
>>> parse_cell("Rp 1.234.567", "rupiah")
1234567.0
>>> parse_cell("97,5%", "desimal")
97.5
>>> parse_cell("Sudah", "flag")
1.0
>>> parse_cell("", "jumlah") is None
True
"""

from __future__ import annotations

import math
import re

FLAG_TRUE = {"1", "ya", "y", "sudah", "true", "benar", "1.0", "1,0"}
FLAG_FALSE = {"0", "tidak", "t", "belum", "false", "salah", "0.0", "0,0"}
EXPECTED = {
    "jumlah": "bilangan bulat >= 0",
    "rupiah": "nilai rupiah >= 0, misalnya 1.234.567 atau Rp 1.234.567",
    "flag": "1/0, Ya/Tidak, Y/T, Sudah/Belum atau TRUE/FALSE",
    "desimal": "angka, misalnya 97,5",
}

_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_THOUSANDS_DEC = re.compile(r"^\d{1,3}(\.\d{3})*,\d+$")
_PLAIN_INT = re.compile(r"^\d+$")
_COMMA_DEC = re.compile(r"^\d+,\d+$")
_DOT_DEC = re.compile(r"^\d+\.\d+$")
_WHOLE_FLOAT = re.compile(r"^(\d+)[.,]0+$")


class CellError(ValueError):
    """A cell that cannot be read as its type; the message says what was expected."""


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def parse_cell(value: object, kind: str) -> float | None:
    """Parse one cell as `kind`; None for a blank cell; CellError when it is not valid."""
    if is_blank(value):
        return None
    if kind == "flag":
        return _parse_flag(value)
    if isinstance(value, bool):
        raise CellError(f"bukan angka, diharapkan {EXPECTED[kind]}")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        number = _parse_text_number(str(value), kind)
    if not math.isfinite(number):
        raise CellError(f"bukan angka, diharapkan {EXPECTED[kind]}")
    if kind in ("jumlah", "rupiah") and number < 0:
        raise CellError(f"nilai negatif, diharapkan {EXPECTED[kind]}")
    if kind == "jumlah" and number != int(number):
        raise CellError(f"bukan bilangan bulat, diharapkan {EXPECTED[kind]}")
    return number


def _parse_flag(value: object) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)) and value in (0, 1):
        return float(value)
    text = str(value).strip().lower()
    if text in FLAG_TRUE:
        return 1.0
    if text in FLAG_FALSE:
        return 0.0
    raise CellError(f"bukan tanda ya/tidak, diharapkan {EXPECTED['flag']}")


def _parse_text_number(text: str, kind: str) -> float:
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    negative = s.startswith("-")
    if negative:
        s = s[1:]
    if kind == "rupiah" and s.lower().startswith("rp"):
        s = s[2:].lstrip(".")
    if kind == "desimal" and s.endswith("%"):
        s = s[:-1]
    number = _number_by_kind(s, kind)
    if number is None:
        raise CellError(f"bukan angka, diharapkan {EXPECTED[kind]}")
    return -number if negative else number


def _number_by_kind(s: str, kind: str) -> float | None:
    if _PLAIN_INT.match(s):
        return float(s)
    if _THOUSANDS_DEC.match(s):
        return float(s.replace(".", "").replace(",", "."))
    if kind == "jumlah":
        if _THOUSANDS.match(s):
            return float(s.replace(".", ""))
        whole = _WHOLE_FLOAT.match(s)
        if whole:
            return float(whole.group(1))
        if _COMMA_DEC.match(s) or _DOT_DEC.match(s):
            raise CellError(f"bukan bilangan bulat, diharapkan {EXPECTED[kind]}")
        return None
    if kind == "rupiah":
        if _THOUSANDS.match(s):
            return float(s.replace(".", ""))
        if _COMMA_DEC.match(s):
            return float(s.replace(",", "."))
        if _DOT_DEC.match(s):
            return float(s)
        return None
    # desimal
    if _COMMA_DEC.match(s):
        return float(s.replace(",", "."))
    if _DOT_DEC.match(s):
        return float(s)
    return None
