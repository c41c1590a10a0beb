"""Showing numbers and dates the Indonesian way (Babel, locale `id`).

Rounding happens only here, for display: half away from zero, as Excel shows it.

>>> angka(1234567)
'1.234.567'
>>> angka(97.444, 2)
'97,44'
>>> persen(97.445)
'97,45%'
>>> rupiah(1234567.5)
'Rp1.234.568'
>>> tanggal(datetime.date(2026, 11, 24))
'24 November 2026'
>>> angka(float("nan"))
'–'
"""

from __future__ import annotations

import datetime
import functools
import math
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date, format_datetime
from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

LOCALE = "id_ID"
EMPTY = "–"


def _rounded(x: float, decimals: int) -> Decimal:
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def angka(x: float | int | None, decimals: int = 0) -> str:
    """A number with `.` for thousands and `,` for decimals; `–` when missing."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return EMPTY
    return _pattern(decimals).apply(_rounded(x, decimals), _locale(), decimal_quantization=True)


@functools.cache
def _locale() -> Locale:
    return Locale.parse(LOCALE)


@functools.cache
def _pattern(decimals: int) -> NumberPattern:
    """Babel's pattern, parsed once (what `format_decimal` does on every call)."""
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


def persen(x: float | None, decimals: int = 2) -> str:
    """A percentage: `97,44%`."""
    text = angka(x, decimals)
    return text if text == EMPTY else f"{text}%"


def rupiah(x: float | None) -> str:
    """Rupiah, whole: `Rp1.234.568`."""
    text = angka(x, 0)
    return text if text == EMPTY else f"Rp{text}"


def nilai(x: float | None, satuan: str, decimals: int = 2) -> str:
    """A value in its unit: `%` is written after the number, other units after a space."""
    if satuan == "%":
        return persen(x, decimals)
    text = angka(x, decimals)
    return text if text == EMPTY or not satuan else f"{text} {satuan}"


def tanggal(d: datetime.date) -> str:
    """A date with the Indonesian month name: `24 November 2026`."""
    return format_date(d, format="d MMMM y", locale=LOCALE)


def waktu(t: datetime.datetime) -> str:
    """Date and time: `24 November 2026 17.05`."""
    return format_datetime(t, format="d MMMM y HH.mm", locale=LOCALE)
