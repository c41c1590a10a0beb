"""Targets (`target.csv`): `indikator,tahun,target` (+ optional `kode_wilayah`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .parsing import CellError, is_blank, parse_cell
from .problems import Problem, error
from .reading import read_tables
from .register import code_text

TARGET_FILE = "target.csv"
TARGET_COLUMNS = ["indikator", "tahun", "kode_wilayah", "target"]


def read_targets(data_dir: Path, indicator_ids: list[str]) -> tuple[pd.DataFrame, list[Problem]]:
    """Targets as a table; `kode_wilayah` is None where a target applies to the top level."""
    path = Path(data_dir) / TARGET_FILE
    empty = pd.DataFrame(columns=TARGET_COLUMNS)
    if not path.is_file():
        return empty, [error("berkas target tidak ada; buat berkas dengan kolom indikator,tahun,target",
                             berkas=TARGET_FILE, kode="target_tidak_ada")]
    tables, problems = read_tables(path, TARGET_FILE, "indikator")
    if not tables:
        return empty, problems
    table = tables[0]
    missing = [c for c in ("tahun", "target") if c not in table.frame.columns]
    if missing:
        problems.append(error(f"kolom wajib tidak ada: {', '.join(missing)}", berkas=TARGET_FILE,
                              baris=table.header_row, kode="kolom_wajib_tidak_ada"))
        return empty, problems
    known = set(indicator_ids)
    records = []
    for row, cells in table.frame.iterrows():
        where = {"berkas": TARGET_FILE, "baris": int(row)}
        ident = "" if is_blank(cells["indikator"]) else str(cells["indikator"]).strip()
        if ident not in known:
            problems.append(error(f"indikator tidak dikenal; yang dikenal: {', '.join(indicator_ids)}",
                                  kolom="indikator", nilai=ident, kode="indikator_tidak_dikenal", **where))
            continue
        year = code_text(cells["tahun"])
        if not year.isdigit() or len(year) != 4:
            problems.append(error("tahun harus empat angka, misalnya 2023", kolom="tahun",
                                  nilai=str(cells["tahun"]), kode="tahun_tidak_sah", **where))
            continue
        try:
            value = parse_cell(cells["target"], "desimal")
        except CellError as exc:
            problems.append(error(f"target {exc}", kolom="target", nilai=str(cells["target"]),
                                  kode="target_bukan_angka", **where))
            continue
        if value is None:
            continue  # a blank target: no capaian for that indicator and year
        area = cells.get("kode_wilayah")
        records.append({"indikator": ident, "tahun": int(year),
                        "kode_wilayah": None if is_blank(area) else code_text(area),
                        "target": value, "baris": int(row)})
    out = pd.DataFrame(records, columns=TARGET_COLUMNS + ["baris"])
    key = ["indikator", "tahun", "kode_wilayah"]
    dup = out.duplicated(subset=key, keep=False)
    for _, rec in out[dup].iterrows():
        same = out[dup & (out["indikator"] == rec["indikator"]) & (out["tahun"] == rec["tahun"])
                   & (out["kode_wilayah"].fillna("") == (rec["kode_wilayah"] or ""))]
        others = [str(b) for b in same["baris"] if b != rec["baris"]]
        problems.append(error(f"target untuk {rec['indikator']} tahun {rec['tahun']} tercantum lebih dari sekali "
                              f"(juga di baris {', '.join(others)})", berkas=TARGET_FILE, baris=int(rec["baris"]),
                              kolom="indikator", nilai=rec["indikator"], kode="target_ganda"))
    return out.drop(columns="baris").drop_duplicates(subset=key).reset_index(drop=True), problems
