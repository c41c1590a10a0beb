"""Reading one cell by its type: the rules of data/raw/README.md ("Reading rules"), case by case.

Every expected value below is what the rule says the cell means, worked out by hand.
"""

import datetime

import pytest

from iku_lib.ingest.parsing import CellError, FormulaWithoutValue, is_blank, parse_cell

ACCEPTED = [
    # counts (jumlah): dots group thousands, a comma is a decimal mark, Excel's float form
    ("1234", "jumlah", 1234),
    ("1.234", "jumlah", 1234),
    ("1.234.567", "jumlah", 1234567),
    ("0.000", "jumlah", 0),
    ("1.234,0", "jumlah", 1234),
    ("1234,00", "jumlah", 1234),
    ("1234.0", "jumlah", 1234),
    ("3323070001.0", "jumlah", 3323070001),
    ("1 234 567", "jumlah", 1234567),
    ("1\u00a0234", "jumlah", 1234),
    ("  42 ", "jumlah", 42),
    ("0", "jumlah", 0),
    (1450, "jumlah", 1450),
    (1450.0, "jumlah", 1450),
    # rupiah: Rp prefix, ",-" suffix, at most two decimals
    ("Rp 1.234.567", "rupiah", 1234567),
    ("Rp. 45.000.000,00", "rupiah", 45000000),
    ("rp1.234.567,50", "rupiah", 1234567.5),
    ("Rp 50.000,-", "rupiah", 50000),
    ("1.234", "rupiah", 1234),
    ("1234567.5", "rupiah", 1234567.5),
    ("1234567,25", "rupiah", 1234567.25),
    ("15000000", "rupiah", 15000000),
    (89233525.5, "rupiah", 89233525.5),
    # flags
    ("1", "flag", 1), ("0", "flag", 0), ("Ya", "flag", 1), ("TIDAK", "flag", 0), ("y", "flag", 1),
    ("T", "flag", 0), ("Sudah", "flag", 1), ("belum", "flag", 0), ("TRUE", "flag", 1), ("false", "flag", 0),
    ("Benar", "flag", 1), ("salah", "flag", 0), (" ya ", "flag", 1), ("1.0", "flag", 1), ("0,0", "flag", 0),
    (True, "flag", 1), (False, "flag", 0), (1, "flag", 1), (0.0, "flag", 0),
    # targets (desimal): comma or lone dot is a decimal mark; % allowed
    ("97,5", "desimal", 97.5),
    ("97.5", "desimal", 97.5),
    ("97,5%", "desimal", 97.5),
    ("97,5 %", "desimal", 97.5),
    ("1.234", "desimal", 1.234),
    ("1,234", "desimal", 1.234),
    ("1.234,5", "desimal", 1234.5),
    ("80,0", "desimal", 80),
    ("0", "desimal", 0),
    ("-5", "desimal", -5),
    (95, "desimal", 95),
]


@pytest.mark.parametrize("value, kind, expected", ACCEPTED)
def test_accepted_cells(value, kind, expected):
    got = parse_cell(value, kind)
    assert got == expected
    assert isinstance(got, float)


REJECTED = [
    # ambiguous or not whole counts
    ("1,5", "jumlah", "bukan bilangan bulat"),
    ("1.5", "jumlah", "bukan bilangan bulat"),
    ("1.234,5", "jumlah", "bukan bilangan bulat"),
    ("1,000", "jumlah", "bermakna ganda"),
    ("1,234", "jumlah", "bermakna ganda"),
    ("12,345,678", "jumlah", "bukan angka"),
    ("1234.567", "jumlah", "bukan bilangan bulat"),
    (1450.5, "jumlah", "bukan bilangan bulat"),
    ("12 5", "jumlah", "bukan angka"),
    ("12.34.567", "jumlah", "bukan angka"),
    ("dua ribu", "jumlah", "bukan angka"),
    ("800 rumah", "jumlah", "bukan angka"),
    ("97%", "jumlah", "bukan angka"),
    ("-1", "jumlah", "nilai negatif"),
    (-3, "jumlah", "nilai negatif"),
    ("\u22125", "jumlah", "nilai negatif"),  # Unicode minus sign
    ("-", "jumlah", 'tanda "-" tidak dibaca sebagai 0'),
    ("\u2013", "rupiah", 'tanda "-" tidak dibaca sebagai 0'),
    (True, "jumlah", "TRUE/FALSE"),
    (float("inf"), "jumlah", "bukan angka"),
    (datetime.datetime(2022, 5, 1), "jumlah", "tanggal"),
    (FormulaWithoutValue("=SUM(B2:B4)"), "jumlah", "rumus Excel tanpa hasil tersimpan"),
    # rupiah
    ("1,234", "rupiah", "bermakna ganda"),
    ("1234,567", "rupiah", "dua angka desimal"),
    ("1234.567", "rupiah", "dua angka desimal"),
    ("Rp -5.000", "rupiah", "nilai negatif"),
    ("Rp1,234,567", "rupiah", "bukan angka"),
    ("USD 5", "rupiah", "bukan angka"),
    # flags
    ("mungkin", "flag", "bukan tanda ya/tidak"),
    ("2", "flag", "bukan tanda ya/tidak"),
    (2, "flag", "bukan tanda ya/tidak"),
    ("-", "flag", 'tanda "-"'),
    ("F", "flag", "bukan tanda ya/tidak"),
    # targets
    ("1.234.567", "desimal", "bukan angka"),
    ("delapan puluh", "desimal", "bukan angka"),
    ("≥ 90", "desimal", "bukan angka"),
    ("95%%", "desimal", "bukan angka"),
    ("1,234.5", "desimal", "bukan angka"),
]


@pytest.mark.parametrize("value, kind, message", REJECTED)
def test_rejected_cells_say_why(value, kind, message):
    with pytest.raises(CellError, match=message):
        parse_cell(value, kind)


def test_same_text_is_read_by_the_column_type():
    # the documented ambiguity: "1.234" is a thousand-and-something as a count, 1.234 as a target
    assert parse_cell("1.234", "jumlah") == 1234.0
    assert parse_cell("1.234", "rupiah") == 1234.0
    assert parse_cell("1.234", "desimal") == 1.234
    # "1,5" is one and a half as a target, an error as a count
    assert parse_cell("1,5", "desimal") == 1.5
    with pytest.raises(CellError):
        parse_cell("1,5", "jumlah")


def test_messages_say_what_was_expected():
    with pytest.raises(CellError) as exc:
        parse_cell("dua ribu", "jumlah")
    assert str(exc.value) == "bukan angka; diharapkan bilangan bulat 0 atau lebih, misalnya 1234 atau 1.234"
    with pytest.raises(CellError) as exc:
        parse_cell("mungkin", "flag")
    assert str(exc.value) == ("bukan tanda ya/tidak; diharapkan 1/0, Ya/Tidak, Y/T, Sudah/Belum, Benar/Salah "
                              "atau TRUE/FALSE")


@pytest.mark.parametrize("value", [None, "", "   ", float("nan"), "\t"])
def test_blank_cells_are_no_value(value):
    assert is_blank(value)
    for kind in ("jumlah", "rupiah", "flag", "desimal"):
        assert parse_cell(value, kind) is None


def test_a_formula_without_value_is_not_blank():
    assert not is_blank(FormulaWithoutValue("=B2"))


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown cell kind"):
        parse_cell("1", "persen")


def test_zero_is_never_negative_zero():
    assert str(parse_cell("-0", "desimal")) == "0.0"
    assert str(parse_cell(-0.0, "jumlah")) == "0.0"
