"""The computed table's schema rejects what must never reach a report."""

import math

import pandera.errors
import pytest

from iku_lib import compute, load_dataset
from iku_lib.engine.schemas import indicator_table_schema

from ..conftest import KECIL

SCHEMA = indicator_table_schema(["Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah"])


@pytest.fixture(scope="module")
def table():
    return compute(load_dataset(KECIL), 2022)


def test_computed_table_passes(table):
    SCHEMA.validate(table)


@pytest.mark.parametrize(
    "column, value",
    [("nilai", math.inf), ("penyebut", -1.0), ("level", "dusun"), ("predikat", "Luar Biasa")],
)
def test_schema_rejects(table, column, value):
    bad = table.copy()
    bad.loc[bad.index[-1], column] = value
    with pytest.raises(pandera.errors.SchemaError):
        SCHEMA.validate(bad)


def test_schema_rejects_a_grade_without_capaian(table):
    bad = table.copy()
    bad.loc[bad["capaian"].isna() & (bad["level"] == "kecamatan"), "predikat"] = "Tinggi"
    with pytest.raises(pandera.errors.SchemaError):
        SCHEMA.validate(bad)
