"""Indonesian number formatting: `angka` against hand-written texts and against Babel."""

import random

import pytest

from iku_lib.formatting import EMPTY, angka, angka_babel, persen, rupiah


@pytest.mark.parametrize("x, decimals, text", [
    (1234567, 0, "1.234.567"),
    (-1234567.5, 0, "-1.234.568"),  # half away from zero
    (97.445, 2, "97,45"),  # 97.445 is written so; rounded as Excel shows it, not as binary float
    (0.5, 0, "1"),
    (2.5, 0, "3"),
    (-0.004, 2, "-0,00"),
    (1000, 2, "1.000,00"),
    (999.995, 2, "1.000,00"),
    (12, 1, "12,0"),
    (float("nan"), 2, EMPTY),
    (None, 0, EMPTY),
])
def test_angka_by_hand(x, decimals, text):
    assert angka(x, decimals) == text


def test_persen_and_rupiah():
    assert persen(92.857142) == "92,86%"
    assert rupiah(1234567.5) == "Rp1.234.568"


def test_angka_is_babels_pattern():
    """The quick path gives Babel's text for every number: random magnitudes and signs, whole and
    rounded values, at 0 to 4 decimals."""
    rng = random.Random(20261202)
    values = [0.0, -0.0, 0.005, -0.005, 1e15, -1e15, 10**18, 123456789012.345, 99.995, 1e-9]
    for _ in range(20000):
        v = rng.uniform(-1, 1) * 10 ** rng.randint(-6, 16)
        values += [v, round(v), round(v, 2)]
    differ = [(v, d) for v in values for d in range(5) if angka(v, d) != angka_babel(v, d)]
    assert differ == []
