"""Reading one cell as a number, by the type of what it holds.

The rules are chosen per type so that no cell is guessed: a cell that could mean two
different numbers is an error, never a silent choice. They are documented for users in
`data/raw/README.md` ("Reading rules"). Text cells are read as follows (a number cell from
Excel is taken as it is, then checked the same way):

- ``jumlah`` (a count): a whole number >= 0.
  A dot followed by groups of exactly three digits is a thousands separator
  (``1.234`` = 1234, ``1.234.567`` = 1234567). A comma is a decimal mark, so
  ``1.234,0`` and ``1234,0`` are 1234 and ``1,5`` is an error (not whole). A dot followed by
  anything other than three digits is the decimal point of Excel's float form
  (``1234.0`` = 1234, ``3.5`` is an error). ``1,234`` and ``1,000`` are errors: a comma
  followed by exactly three digits may be an English thousands separator or an Indonesian
  decimal mark, so it is not guessed.
- ``rupiah``: a number >= 0, optional ``Rp`` / ``Rp.`` prefix and ``,-`` suffix
  (``Rp 50.000,-``), at most two decimals (sen).
  Dots followed by three digits group thousands (``Rp 1.234.567``); the comma is the decimal
  mark (``1.234.567,50``); a single dot followed by one or two digits is Excel's decimal
  point (``1234567.5``). ``1,234`` (three decimals) is an error for the same reason as above.
- ``flag``: 1/0, Ya/Tidak, Y/T, Sudah/Belum, Benar/Salah, TRUE/FALSE (any case); ``T`` is
  *Tidak*.
- ``desimal`` (targets): a number, optional ``%`` after it. The comma is the decimal mark
  (``97,5``); a lone dot is a decimal point too (``97.5``, and ``1.234`` = 1.234), because a
  target is never written with thousands separators alone; dots group thousands only
  before a decimal comma (``1.234,5`` = 1234.5).

Every number must lie in the range of its type (``LIMITS``; a value outside it is an error,
never a number too large to show): ``jumlah`` at most 1.000.000.000.000 (10^12), ``rupiah``
at most Rp 1.000.000.000.000.000 (10^15), ``desimal`` at most 1.000.000.000 (10^9) in size and,
when not 0, at least 0,000000001 (10^-9). Digits are the ASCII digits 0-9; fullwidth forms
(``１２``, ``９７，５％``, typed by East Asian input methods) are first read as their ASCII
twins (NFKC), and any other digit (superscript ``²``, Arabic-Indic ``٣``, circled ``①``) is an
error naming it: NFKC would turn ``10²`` into 102. A control character (ESC, vertical tab
inside the text, C1) is an error too.

For every type: a blank cell is "no value" (None); spaces around the number are ignored,
spaces inside it only between groups of three digits (``1 234 567``); ``-`` alone is an
error (it is not read as 0: write 0 for nothing, or leave the cell empty for no data); a
date, a formula without a stored result, ``TRUE``/``FALSE`` in a number column are errors.

>>> parse_cell("1.234.567", "jumlah")
1234567.0
>>> parse_cell("1.234", "jumlah"), parse_cell("1.234", "desimal")
(1234.0, 1.234)
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

import datetime
import math
import numbers
import re
import unicodedata

KINDS = ("jumlah", "rupiah", "flag", "desimal")
FLAG_TRUE = {"1", "ya", "y", "sudah", "true", "benar", "1.0", "1,0"}
FLAG_FALSE = {"0", "tidak", "t", "belum", "false", "salah", "0.0", "0,0"}
EXPECTED = {
    "jumlah": "bilangan bulat 0 atau lebih, misalnya 1234 atau 1.234",
    "rupiah": "nilai rupiah 0 atau lebih, misalnya 1.234.567 atau Rp 1.234.567,50",
    "flag": "1/0, Ya/Tidak, Y/T, Sudah/Belum, Benar/Salah atau TRUE/FALSE",
    "desimal": "angka, misalnya 97,5 atau 97,5%",
}
DASHES = {"-", "\u2013", "\u2014", "\u2212"}  # hyphen, en dash, em dash, minus sign

# The largest value of each type, and the smallest non-zero `desimal` (see docs/data-quality.md,
# "Ranges"). Every one is far above what a desa, a kecamatan or a target can hold, and far
# below where a float loses whole units (2^53, about 9 x 10^15) or a report cannot show it.
LIMITS = {"jumlah": 1e12, "rupiah": 1e15, "desimal": 1e9}
SMALLEST_DESIMAL = 1e-9
LIMIT_TEXT = {"jumlah": "1.000.000.000.000", "rupiah": "1.000.000.000.000.000", "desimal": "1.000.000.000"}

# ASCII digits only: Python's \d and float() also take every Unicode digit (Arabic-Indic, ...).
_D = "[0-9]"
_INT = rf"{_D}+"
_GROUPED = rf"{_D}{{1,3}}(?:\.{_D}{{3}})+"  # 1.234 / 1.234.567: dots group thousands
_SPACE_GROUPED = re.compile(rf"{_D}{{1,3}}(?: {_D}{{3}})+(?:[.,]{_D}+)?")
_RP_PREFIX = re.compile(r"^rp\.?\s*", re.IGNORECASE)


# Fullwidth forms (U+FF01-U+FF5E) and the ideographic space, as East Asian input methods type
# them, read as their ASCII twins (their NFKC form): `１２` is 12, `９７，５％` is 97,5%.
_FULLWIDTH = {c: unicodedata.normalize("NFKC", chr(c)) for c in range(0xFF01, 0xFF5F)} | {0x3000: " "}
# C0 and C1 control characters but tab, line feed and carriage return (which the readers handle).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def ascii_text(text: str) -> str:
    """`text` with its fullwidth forms read as ASCII.

    >>> ascii_text("１２３４"), ascii_text("９７，５％")
    ('1234', '97,5%')
    """
    return text.translate(_FULLWIDTH)


def foreign_digit(text: str) -> str | None:
    """The first digit of `text` that is not ASCII 0-9 (after `ascii_text`), described, or None.

    >>> foreign_digit("10²"), foreign_digit("１２"), foreign_digit("12")
    ('"²" (U+00B2 SUPERSCRIPT TWO)', None, None)
    """
    for ch in ascii_text(text):
        if not ch.isascii() and unicodedata.category(ch) in ("Nd", "No", "Nl"):
            return describe_character(ch)
    return None


_C0_NAMES = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM "
             "SUB ESC FS GS RS US").split()


def describe_character(ch: str) -> str:
    """A character for a message: itself in quotes (when visible), its code point and name.

    >>> describe_character("\x1b"), describe_character("\x9b")
    ('(U+001B ESC)', '(U+009B C1)')
    """
    code = ord(ch)
    name = unicodedata.name(ch, "") or (_C0_NAMES[code] if code < 32 else "DEL" if code == 127
                                         else "C1" if code < 160 else "")
    shown = "" if CONTROL_CHARACTERS.match(ch) else f'"{ch}" '
    return f"{shown}(U+{ord(ch):04X}{' ' + name if name else ''})"


class CellError(ValueError):
    """A cell that cannot be read as its type; the message says what was expected."""


class FormulaWithoutValue(str):
    """An Excel formula whose result was never stored in the file (the text is the formula).

    Files written by programs (not by Excel or LibreOffice) may hold formulas without their
    computed value; reading them as blank would lose data silently.
    """


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, FormulaWithoutValue):
        return False
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def parse_cell(value: object, kind: str) -> float | None:
    """Parse one cell as `kind`; None for a blank cell; CellError when it is not valid."""
    if kind not in KINDS:
        raise ValueError(f"unknown cell kind {kind!r}; expected one of {KINDS}")
    if is_blank(value):
        return None
    _refuse_special(value)
    if kind == "flag":
        return _parse_flag(value)
    if isinstance(value, bool):
        raise CellError(f"berisi TRUE/FALSE, bukan angka; diharapkan {EXPECTED[kind]}")
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number):
            raise CellError(f"bukan angka; diharapkan {EXPECTED[kind]}")
    else:
        number = _parse_text_number(str(value), kind)
    if kind in ("jumlah", "rupiah") and number < 0:
        raise CellError(f"nilai negatif; diharapkan {EXPECTED[kind]}")
    _check_range(number, kind)
    if kind == "jumlah" and not number.is_integer():
        raise CellError(f"bukan bilangan bulat; diharapkan {EXPECTED[kind]}")
    return number + 0.0  # -0.0 -> 0.0


def _check_range(number: float, kind: str) -> None:
    """A number beyond its type's range (LIMITS) is an error: it is a typing slip, and no report
    could show it."""
    size = abs(number)
    if size > LIMITS[kind]:
        what = "" if kind == "desimal" else f"{kind} "
        raise CellError(f"terlalu besar: {what}paling besar {LIMIT_TEXT[kind]}; periksa apakah ada angka yang "
                        "terketik berlebih")
    if kind == "desimal" and 0 < size < SMALLEST_DESIMAL:
        raise CellError("terlalu kecil: selain 0, paling kecil 0,000000001; tulis 0 bila memang nol")


def _refuse_text(text: str) -> str:
    """`text` with fullwidth forms read as ASCII; an error for any other digit and for a control
    character, each named."""
    s = ascii_text(text)
    digit = foreign_digit(s)
    if digit:
        raise CellError(f"berisi angka {digit} yang bukan angka 0-9 biasa; ketik ulang nilainya dengan angka 0-9")
    control = CONTROL_CHARACTERS.search(s.strip())
    if control:
        raise CellError(f"berisi karakter kendali tak terlihat {describe_character(control.group())}; "
                        "ketik ulang nilainya")
    return s


def _refuse_special(value: object) -> None:
    if isinstance(value, FormulaWithoutValue):
        raise CellError("sel berisi rumus Excel tanpa hasil tersimpan; buka berkas di Excel lalu simpan ulang, "
                        "atau ketik nilainya langsung")
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        raise CellError("sel berformat tanggal/waktu, bukan angka; ubah format sel menjadi Angka (Number) "
                        "lalu ketik ulang nilainya")
    if isinstance(value, str) and value.strip() in DASHES:
        raise CellError('tanda "-" tidak dibaca sebagai 0; tulis 0 bila nihil, atau kosongkan sel bila '
                        "datanya tidak ada")


def _parse_flag(value: object) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, numbers.Real):
        if value in (0, 1):
            return float(value)
        raise CellError(f"bukan tanda ya/tidak; diharapkan {EXPECTED['flag']}")
    text = _refuse_text(str(value)).strip().lower()
    if text in FLAG_TRUE:
        return 1.0
    if text in FLAG_FALSE:
        return 0.0
    raise CellError(f"bukan tanda ya/tidak; diharapkan {EXPECTED['flag']}")


def _parse_text_number(text: str, kind: str) -> float:
    s = re.sub(r"[\u00a0\u202f\u2007]", " ", _refuse_text(text)).strip()
    negative = False
    if s[:1] in DASHES:
        negative, s = True, s[1:].strip()
    if kind == "rupiah":
        s = _RP_PREFIX.sub("", s)
        if s[:1] in DASHES and not negative:  # "Rp -5.000"
            negative, s = True, s[1:].strip()
        s = re.sub(r"[.,]-$", "", s)  # "Rp 50.000,-": no sen
    if kind == "desimal" and s.endswith("%"):
        s = s[:-1].rstrip()
    if " " in s:
        if not _SPACE_GROUPED.fullmatch(s):
            raise CellError(f"bukan angka; diharapkan {EXPECTED[kind]}")
        s = s.replace(" ", "")
    number = _number_by_kind(s, kind)
    return -number if negative else number


def _bad(kind: str) -> CellError:
    return CellError(f"bukan angka; diharapkan {EXPECTED[kind]}")


_AMBIGUOUS_COMMA = ("tanda koma yang diikuti tepat tiga angka bermakna ganda (pemisah ribuan gaya Inggris "
                    "atau tanda desimal); ")


def _number_by_kind(s: str, kind: str) -> float:
    if re.fullmatch(_INT, s):
        return float(s)
    if kind == "desimal":
        m = re.fullmatch(rf"({_INT}|{_GROUPED}),({_D}+)", s)
        if m:
            return float(m.group(1).replace(".", "") + "." + m.group(2))
        if re.fullmatch(rf"{_INT}\.{_D}+", s):
            return float(s)
        raise _bad(kind)

    # jumlah and rupiah: dots followed by exactly three digits group thousands
    if re.fullmatch(_GROUPED, s):
        return float(s.replace(".", ""))
    m = re.fullmatch(rf"({_INT}|{_GROUPED}),({_D}+)", s)  # decimal comma
    if m:
        whole, decimals = m.group(1), m.group(2)
        if "." not in whole and len(whole) <= 3 and len(decimals) == 3:
            raise CellError(_AMBIGUOUS_COMMA + "tulis ribuan dengan titik atau tanpa pemisah, misalnya 1.234 atau 1234")
        if kind == "rupiah" and len(decimals) > 2:
            raise CellError(f"rupiah paling banyak dua angka desimal (sen); diharapkan {EXPECTED[kind]}")
        return float(whole.replace(".", "") + "." + decimals)
    m = re.fullmatch(rf"({_INT})\.({_D}+)", s)  # Excel's float form: 1234.0, 1234567.5
    if m:
        if kind == "rupiah" and len(m.group(2)) > 2:
            raise CellError("rupiah paling banyak dua angka desimal (sen); titik dibaca sebagai pemisah ribuan "
                            f"hanya bila diikuti tepat tiga angka; diharapkan {EXPECTED[kind]}")
        return float(s)
    raise _bad(kind)
