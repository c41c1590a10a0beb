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
>>> angka(float("nan")), angka(float("inf"))
('–', '–')

`angka` never raises for a number: not finite (NaN, infinity) is `–`, and a number of any size
is written in full (the readers refuse values out of range, `parsing.LIMITS`; this is the second
line of defence).
"""

from __future__ import annotations

import datetime
import functools
import math
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from babel.dates import format_date, format_datetime
from babel import Locale
from babel.numbers import (NumberPattern, get_decimal_symbol, get_group_symbol, get_minus_sign_symbol,
                           parse_pattern)

LOCALE = "id_ID"
EMPTY = "–"


def _rounded(x: float, decimals: int) -> Decimal:
    exact = Decimal(x) if isinstance(x, int) else Decimal(repr(float(x)))  # an int may be beyond any float
    # enough digits for the whole number and its decimals: the default context's 28 would raise
    # InvalidOperation from 10^26 up with two decimals
    context = Context(prec=max(28, exact.adjusted() + max(decimals, 0) + 3), rounding=ROUND_HALF_UP)
    return exact.quantize(Decimal(1).scaleb(-decimals), context=context)


def _missing(x: object) -> bool:
    """None, or a number that is not finite (NaN, infinity; also numpy's and Decimal's)."""
    if x is None or isinstance(x, int):
        return x is None
    try:
        return not math.isfinite(x)
    except (TypeError, ValueError, OverflowError):
        return False


def angka(x: float | int | None, decimals: int = 0) -> str:
    """A number with `.` for thousands and `,` for decimals; `–` when missing or not finite."""
    if _missing(x):
        return EMPTY
    # Babel's pattern `#,##0.00` on a number already rounded comes down to Python's own grouping
    # with the locale's symbols swapped in, at a third of the cost (outlier messages format
    # hundreds of thousands of numbers); tests/test_formatting.py checks both give the same text.
    return format(_rounded(x, decimals), f",.{decimals}f").translate(number_symbols())


def angka_babel(x: float | int | None, decimals: int = 0) -> str:
    """`angka` as Babel's number pattern writes it (the reference `angka` is tested against)."""
    if _missing(x):
        return EMPTY
    rounded = _rounded(x, decimals)
    with localcontext(prec=max(28, rounded.adjusted() + max(decimals, 0) + 3)):  # Babel quantizes again
        return _pattern(decimals).apply(rounded, _locale(), decimal_quantization=True)


@functools.cache
def _locale() -> Locale:
    return Locale.parse(LOCALE)


@functools.cache
def number_symbols() -> dict[int, str]:
    """Python's grouping `,` and decimal `.` to the locale's symbols (Babel's locale data)."""
    return str.maketrans({",": get_group_symbol(LOCALE), ".": get_decimal_symbol(LOCALE),
                          "-": get_minus_sign_symbol(LOCALE)})


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
