"""Achievement and grade rules, worked by hand."""

import math

import pandas as pd
import pytest

from iku_lib.engine.capaian import achievement, add_capaian, grade
from iku_lib.ingest.catalog import load_catalog

SCALE = load_catalog().grades


@pytest.mark.parametrize(
    "realisasi, target, polaritas, expected",
    [
        (97.44, 96.0, "positif", 101.5),            # 97.44 / 96 = 1.015
        (45.0, 90.0, "positif", 50.0),
        (1.5, 4.75, "negatif", 168.42105263157896),  # (9.5 - 1.5) / 4.75 x 100; Temanggung LKjIP 2016 reports 168
        (6.0, 5.0, "negatif", 80.0),                 # (10 - 6) / 5
        (5.0, 5.0, "negatif", 100.0),
        (12.0, 5.0, "negatif", 0.0),                 # (10 - 12) / 5 < 0: floored at 0
        (0.0, 5.0, "negatif", 200.0),                # nothing happened at all: (10 - 0) / 5
    ],
)
def test_achievement_by_polarity(realisasi, target, polaritas, expected):
    assert achievement(realisasi, target, polaritas) == pytest.approx(expected, rel=1e-12)


def test_no_cap_by_default_and_cap_when_set():
    assert achievement(206.25, 100.0, "positif") == pytest.approx(206.25)
    assert achievement(206.25, 100.0, "positif", cap=120.0) == 120.0
    assert achievement(0.0, 5.0, "negatif", cap=150.0) == 150.0


def test_variant_target_over_realisation():
    assert achievement(8.0, 4.0, "negatif", variant="t/r") == pytest.approx(50.0)
    assert achievement(2.0, 4.0, "negatif", variant="t/r") == pytest.approx(200.0)
    # t/r with realisasi 0 is undefined unless a cap says what to use
    assert math.isnan(achievement(0.0, 4.0, "negatif", variant="t/r"))
    assert achievement(0.0, 4.0, "negatif", variant="t/r", cap=200.0) == 200.0


@pytest.mark.parametrize("polaritas", ["positif", "negatif"])
def test_missing_values_give_no_capaian(polaritas):
    assert math.isnan(achievement(float("nan"), 90.0, polaritas))
    assert math.isnan(achievement(90.0, float("nan"), polaritas))


@pytest.mark.parametrize("polaritas", ["positif", "negatif"])
def test_target_zero(polaritas):
    # target 0 met exactly (realisasi 0) is 100%; any other realisasi has no defined ratio
    assert achievement(0.0, 0.0, polaritas) == 100.0
    assert math.isnan(achievement(3.0, 0.0, polaritas))


@pytest.mark.parametrize(
    "capaian, expected",
    [
        (250.0, "Sangat Tinggi"), (91.0, "Sangat Tinggi"), (90.99, "Tinggi"),
        (76.0, "Tinggi"), (75.999, "Sedang"), (66.0, "Sedang"), (65.99, "Rendah"),
        (51.0, "Rendah"), (50.99, "Sangat Rendah"), (0.0, "Sangat Rendah"),
        (90.99999999999999, "Sangat Tinggi"),  # floating-point noise of 91 is 91
    ],
)
def test_grade_boundaries(capaian, expected):
    assert grade(capaian, SCALE) == expected


def test_grade_of_missing_capaian_is_none():
    assert grade(float("nan"), SCALE) is None


def test_grade_scale_is_a_setting():
    six_bands = [(85.0, "Memuaskan"), (70.0, "Sangat Baik"), (55.0, "Baik"), (None, "Kurang")]
    assert grade(85.0, six_bands) == "Memuaskan"
    assert grade(69.9, six_bands) == "Baik"
    assert grade(10.0, six_bands) == "Kurang"


def test_add_capaian_uses_each_indicators_polarity():
    catalog = load_catalog()
    table = pd.DataFrame({"indikator": ["IKU-02", "IKU-08"], "nilai": [90.0, 6.0], "target": [100.0, 4.0]})
    out = add_capaian(table, catalog)
    assert out["capaian"].tolist() == pytest.approx([90.0, 50.0])  # 90/100; (8-6)/4
    assert out["predikat"].tolist() == ["Tinggi", "Sangat Rendah"]
    assert "capaian" not in table.columns  # input not mutated
