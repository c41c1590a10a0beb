"""The contract of the computed indicator table, as a pandera schema.

`compute` checks its result against it, so every consumer (CLI, notebooks, reports) can rely
on these columns, types and invariants.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pandera is imported when a schema is first made (it takes a quarter of a second)
    import pandera.pandas as pa

LEVELS = ["desa", "kecamatan", "kabupaten", "provinsi"]


def _finite_or_missing(s: pd.Series) -> pd.Series:
    return ~np.isinf(s.astype(float))


def indicator_table_schema(grade_labels: list[str]) -> pa.DataFrameSchema:
    """Schema of `compute`'s result for a catalog whose grades are `grade_labels`."""
    import pandera.pandas as pa

    number = dict(nullable=True, coerce=False)
    return pa.DataFrameSchema(
        {
            "indikator": pa.Column(str),
            "nama_indikator": pa.Column(str),
            "tahun": pa.Column(int, pa.Check.in_range(1900, 2200)),
            "level": pa.Column(str, pa.Check.isin(LEVELS)),
            "kode_wilayah": pa.Column(str),
            "nama_wilayah": pa.Column(str, nullable=True),
            "pembilang": pa.Column(float, pa.Check.ge(0), **number),
            "penyebut": pa.Column(float, pa.Check.ge(0), **number),
            "nilai": pa.Column(float, [pa.Check.ge(0), pa.Check(_finite_or_missing)], **number),
            "satuan": pa.Column(str),
            "target": pa.Column(float, **number),
            "capaian": pa.Column(float, [pa.Check.ge(0), pa.Check(_finite_or_missing)], **number),
            "predikat": pa.Column(str, pa.Check.isin(grade_labels), nullable=True),
            "dihitung": pa.Column(bool),
            "catatan": pa.Column(str),
            "sumber_nilai": pa.Column(str),
        },
        checks=[
            # targets, capaian and grades belong to the levels above desa
            pa.Check(lambda df: (df["level"] != "desa") | df["capaian"].isna(), name="capaian_bukan_desa"),
            pa.Check(lambda df: df["capaian"].isna() == df["predikat"].isna(), name="predikat_dengan_capaian"),
        ],
        strict=True,
        ordered=True,
    )
