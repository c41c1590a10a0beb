"""The indicator table of one quarter written to a file or to the screen, as `iku compute
--triwulan` does: the columns of `quarterly.QUARTER_COLUMNS` (the annual columns plus
`triwulan` and `dasar_target`), written as `export` writes the annual table (full precision,
empty for no value, text cells made safe for a spreadsheet in CSV)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from ..exceptions import ParameterError
from ..ingest.dataset import Dataset
from ..ingest.quarters import read_quarters
from ..problems import Problem
from .compute import levels_of, with_parents
from .export import output_format, write_frame
from .quarterly import QUARTER_COLUMNS, compute_quarter, quarter_problems


def export_quarter(dataset: Dataset, year: int, triwulan: int, level: str | None, path: Path | None,
                   screen: TextIO | None = None) -> tuple[int, int, list[Problem]]:
    """Write the table of quarter `triwulan` of `year` (all levels, or `level`) to `path`
    (atomically) or to `screen` (stdout); return (rows written, rows with a note in `catatan`,
    the quarter's warnings: `quarterly.quarter_problems`)."""
    output_format(path)  # an unknown extension is refused before anything is computed
    levels = levels_of(with_parents(dataset.register, dataset.catalog))
    if level is not None and level not in levels:
        raise ParameterError(f"level '{level}' tidak ada pada data ini; pilih salah satu: {', '.join(levels)}")
    quarters = read_quarters(dataset, year)
    table = compute_quarter(dataset, year, triwulan, quarters)
    if level is not None:
        table = table[table["level"] == level].reset_index(drop=True)
    notes = write_frame(dataset, table, QUARTER_COLUMNS, path, screen)
    return len(table), notes, quarter_problems(dataset, quarters, triwulan)
