"""The analyst's analysis of each indicator and year (`analisis.csv`, optional).

Columns `indikator,tahun,faktor_pendukung,faktor_penghambat,solusi,program_pendukung`: the
causes of success or failure, the solutions taken and the programs that supported the result,
as LKjIP chapter III asks for each sasaran (PermenPAN-RB 53/2014), in free text. `indikator`
and `tahun` are required, and at least one of the four text columns; a missing text column is
empty text. Several lines for one indicator and year are joined: in each column, the
non-empty texts in file order, separated by a line break; a text already given for that
indicator, year and column is not repeated (a line copied twice adds nothing). A line
without any text (a form not filled yet) is skipped. The file's rules shared with `standar`
and `anggaran` are in `lkjip`.

>>> empty_analisis().dtypes.astype(str).tolist()
['object', 'int64', 'object', 'object', 'object', 'object']
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..problems import Problem
from .lkjip import check_columns, known_ids, read_input, row_key, text

STEM = "analisis"
KEY = "indikator"
TEXT_COLUMNS = ["faktor_pendukung", "faktor_penghambat", "solusi", "program_pendukung"]
ANALISIS_COLUMNS = ["indikator", "tahun", *TEXT_COLUMNS]
HEADER = ",".join(ANALISIS_COLUMNS)


def empty_analisis() -> pd.DataFrame:
    """An analysis table with no row (ANALISIS_COLUMNS; `tahun` int64, the rest text)."""
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "tahun" else object) for c in ANALISIS_COLUMNS})


def read_analisis(data_dir: Path | str, indicator_ids: list[str]) -> tuple[pd.DataFrame, list[Problem]]:
    """One row per indicator and year with analysis text, in catalog order then year; ids as
    the catalog spells them, `tahun` int, texts str ("" when none). Never raises for bad data."""
    tables, problems = read_input(data_dir, STEM, KEY)
    known = known_ids(indicator_ids)
    joined: dict[tuple[str, int], dict[str, list[str]]] = {}
    for table in tables:
        ok, found = check_columns(table, [KEY, "tahun"], ANALISIS_COLUMNS, HEADER, one_of=TEXT_COLUMNS)
        problems += found
        if not ok:
            continue
        frame = table.frame
        present = [c for c in TEXT_COLUMNS if c in frame.columns]
        written_as = table.columns_as_written
        for row, cells in zip(frame.index, frame.to_dict("records")):
            texts = {c: text(cells.get(c)) for c in present}
            if not any(texts.values()):
                continue  # a line not written yet
            where = table.where(baris=int(row))
            ident, year, found = row_key(cells, written_as, known, indicator_ids, where)
            problems += found
            if ident is None or year is None:
                continue
            bucket = joined.setdefault((ident, year), {c: [] for c in TEXT_COLUMNS})
            for column, value in texts.items():
                if value and value not in bucket[column]:
                    bucket[column].append(value)
    order = {ident: n for n, ident in enumerate(indicator_ids)}
    records = [{"indikator": ident, "tahun": year, **{c: "\n".join(v) for c, v in columns.items()}}
               for (ident, year), columns in sorted(joined.items(), key=lambda kv: (order[kv[0][0]], kv[0][1]))]
    if not records:
        return empty_analisis(), problems
    return pd.DataFrame(records, columns=ANALISIS_COLUMNS, dtype=object).astype({"tahun": "int64"}), problems
