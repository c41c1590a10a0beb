"""Reader tables: numeric frames from `tables`/`trend` turned into text with Indonesian
headings, every number rounded and written by `formatting` (1.234.567; 97,44).

>>> import pandas as pd
>>> cap = pd.DataFrame({"indikator": ["IKU-01"], "sasaran_strategis": ["S"], "nama": ["N"], "satuan": ["%"],
...     "desimal": [2], "target": [90.0], "realisasi": [92.857142], "capaian": [103.1746], "predikat": ["Sangat Tinggi"]})
>>> capaian_display(cap).iloc[0].tolist()
['IKU-01', 'S', 'N', '%', '90,00', '92,86', '103,17', 'Sangat Tinggi']
"""

from __future__ import annotations

import pandas as pd

from ..ingest.catalog import NUMBER_OF_DESA, Catalog
from ..engine.compute import MISSING_AS_ZERO
from ..formatting import EMPTY, angka, rupiah

ID_HEADER = "Kode Indikator"  # every table and chart names an indicator by its id (IKU-01), never a row number
CAPAIAN_HEADERS = [ID_HEADER, "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Target", "Realisasi",
                   "Capaian (%)", "Predikat"]
CAPAIAN_NUMERIC = ["Target", "Realisasi", "Capaian (%)"]
TUJUAN_HEADERS = [ID_HEADER, "Tujuan", "Indikator Tujuan", "Satuan", "Target", "Realisasi", "Capaian (%)",
                  "Predikat"]


def capaian_display(capaian: pd.DataFrame, tujuan: bool = False) -> pd.DataFrame:
    """The Tabel Capaian Kinerja as text: Kode Indikator (IKU-01), Sasaran Strategis, Indikator
    Kinerja, Satuan, Target, Realisasi, Capaian (%), Predikat (for `tujuan`: Tujuan, Indikator Tujuan).

    A `nama_wilayah` column, when the table holds more than one area, is shown as Wilayah.
    """
    out = pd.DataFrame({
        ID_HEADER: capaian["indikator"].astype(str).to_numpy(),
        "Sasaran Strategis": capaian["sasaran_strategis"].to_numpy(),
        "Indikator Kinerja": capaian["nama"].to_numpy(),
        "Satuan": capaian["satuan"].to_numpy(),
        "Target": [angka(x, d) for x, d in zip(capaian["target"], capaian["desimal"])],
        "Realisasi": [angka(x, d) for x, d in zip(capaian["realisasi"], capaian["desimal"])],
        "Capaian (%)": [angka(x, 2) for x in capaian["capaian"]],
        "Predikat": [p if isinstance(p, str) and p else EMPTY for p in capaian["predikat"]],
    })
    if tujuan:
        out.columns = TUJUAN_HEADERS
    if "nama_wilayah" in capaian and capaian["nama_wilayah"].nunique() > 1:
        out.insert(1, "Wilayah", capaian["nama_wilayah"].to_numpy())
    return out


def variable_value(x: float, kind: str) -> str:
    """A raw variable value: rupiah as `Rp1.234`, a flag as Ya/Tidak, a count as `1.234`."""
    if pd.isna(x):
        return EMPTY
    if kind == "rupiah":
        return rupiah(x)
    if kind == "flag":
        return "Ya" if x >= 1 else "Tidak"
    return angka(x, 0) if float(x).is_integer() else angka(x, 2)


def breakdown_display(breakdown: pd.DataFrame, catalog: Catalog, indikator: str) -> pd.DataFrame:
    """A desa breakdown as text. "Number of desa" indicators show the desa's Ya/Tidak;
    ratio indicators show numerator, denominator and value. Keterangan says why a desa has
    no value."""
    spec = catalog.indicators.loc[indikator]
    num_label = catalog.variables[spec["pembilang"]]["label"]
    num_kind = catalog.variable_kind(spec["pembilang"])
    out = pd.DataFrame({"Desa": breakdown["desa"].to_numpy()})
    if spec["penyebut"] == NUMBER_OF_DESA:
        out[num_label] = [("Tidak" if c == MISSING_AS_ZERO else variable_value(x, num_kind))
                          for x, c in zip(breakdown["pembilang"], breakdown["catatan"])]
    else:
        den_label = catalog.variables[spec["penyebut"]]["label"]
        den_kind = catalog.variable_kind(spec["penyebut"])
        out[num_label] = [variable_value(x, num_kind) for x in breakdown["pembilang"]]
        out[den_label] = [variable_value(x, den_kind) for x in breakdown["penyebut"]]
        out[f"Nilai ({spec['satuan']})"] = [angka(x, int(spec["desimal"])) for x in breakdown["nilai"]]
    out["Keterangan"] = breakdown["keterangan"].to_numpy()
    return out


def breakdown_numeric(display: pd.DataFrame) -> list[str]:
    """The columns of a breakdown display that hold numbers (right-aligned); Ya/Tidak columns
    are not numbers."""
    words = {"Ya", "Tidak", EMPTY}
    return [c for c in display.columns
            if c not in ("Desa", "Keterangan") and not set(display[c]).issubset(words)]


def problems_display(problems: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Data-quality notes as text: Tingkat, Indikator, Desa, Lokasi (only when some note has
    one), Catatan."""
    out = pd.DataFrame({
        "Tingkat": [t.capitalize() for t in problems["tingkat"]],
        "Indikator": [i or EMPTY for i in problems["indikator"]],
        "Desa": [names.get(k, k) or EMPTY for k in problems["kode_desa"]],
        "Lokasi": [loc or EMPTY for loc in problems["lokasi"]],
        "Catatan": problems["pesan"].to_numpy(),
    })
    if (out["Lokasi"] == EMPTY).all():
        out = out.drop(columns="Lokasi")
    return out


def signed(x: float, decimals: int) -> str:
    """A change with its sign: `+7,14`, `−0,50`, `0,00`; `–` when missing."""
    text = angka(x, decimals)
    if text == EMPTY:
        return text
    if text.lstrip("-").strip("0,.") == "":  # shows as zero: no sign (−0,00 would read as a fall)
        return text.lstrip("-")
    return ("+" + text) if x > 0 else text.replace("-", "−")


def trend_display(long: pd.DataFrame) -> pd.DataFrame:
    """Realisasi per year with the year's target in brackets: one row per indicator."""
    years = sorted(long["tahun"].unique())
    first = long.drop_duplicates("indikator").set_index("indikator")
    out = pd.DataFrame({"Indikator": [f"{i} {first.at[i, 'nama']}" for i in first.index],
                        "Satuan": first["satuan"].to_numpy()})
    for year in years:
        rows = long[long["tahun"] == year].set_index("indikator").reindex(first.index)
        out[str(year)] = [f"{angka(r, int(d))} ({angka(t, int(d))})"
                          for r, t, d in zip(rows["realisasi"], rows["target"], first["desimal"])]
    return out


def changes_display(changes: pd.DataFrame) -> pd.DataFrame:
    """Year-to-year change of realisasi: one row per indicator, a column per year pair; each
    change with what it means for the indicator (`tables.change_direction`), e.g.
    `−0,36 (membaik)` for a fall of an indicator where lower is better."""
    years = sorted(changes["tahun"].unique())
    first = changes.drop_duplicates("indikator").set_index("indikator")
    out = pd.DataFrame({"Indikator": [f"{i} {first.at[i, 'nama']}" for i in first.index],
                        "Satuan": [("persen poin" if s == "%" else s) for s in first["satuan"]]})
    for before, year in zip(years, years[1:]):
        rows = changes[changes["tahun"] == year].set_index("indikator").reindex(first.index)
        arah = rows["arah"] if "arah" in rows else pd.Series("", index=rows.index)
        out[f"{before}→{year}"] = [signed(x, int(d)) + (f" ({a})" if isinstance(a, str) and a else "")
                                   for x, d, a in zip(rows["selisih"], first["desimal"], arah)]
    return out


def projections_display(proj: pd.DataFrame) -> pd.DataFrame:
    """The end-of-period table: last realisasi, end target, linear projection, status.

    The projection column is left out when no indicator has one (the period has ended).
    """
    end = int(proj["tahun_akhir_periode"].iloc[0]) if len(proj) else 0
    out = pd.DataFrame({
        "Indikator": [f"{i} {n}" for i, n in zip(proj["indikator"], proj["nama"])],
        "Satuan": proj["satuan"].to_numpy(),
        "Realisasi terakhir": [EMPTY if pd.isna(y) else f"{angka(r, int(d))} ({int(y)})"
                               for r, y, d in zip(proj["realisasi_terakhir"], proj["tahun_terakhir"], proj["desimal"])],
        f"Target akhir periode {end}": [angka(t, int(d)) for t, d in zip(proj["target_akhir"], proj["desimal"])],
        f"Proyeksi linear {end}": [angka(p, int(d)) for p, d in zip(proj["proyeksi"], proj["desimal"])],
        "Status": [s.capitalize() for s in proj["status"]],
    })
    if proj["proyeksi"].isna().all():
        out = out.drop(columns=f"Proyeksi linear {end}")
    return out


def problems_per_year_display(counts: pd.DataFrame) -> pd.DataFrame:
    """Errors and warnings per year: Tahun, Galat, Peringatan."""
    return pd.DataFrame({"Tahun": counts["tahun"].astype(str).to_numpy(),
                         "Galat": [angka(x) for x in counts["galat"]],
                         "Peringatan": [angka(x) for x in counts["peringatan"]]})
