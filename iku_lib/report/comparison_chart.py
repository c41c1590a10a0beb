"""The comparison report's chart: one indicator's areas as sorted horizontal bars.

Capaian (%) when the indicator is ranked by capaian, bars coloured by predikat, with the
100% line (target met); its nilai otherwise (no target at this level), in one colour. The
reference area's own value (the kabupaten's, for its kecamatan) is a labelled dashed line.
With many areas (`comparison.MANY`), the first and the last `comparison.SHOWN` ranked areas
are drawn, with a gap row saying how many are left out between them. Built like the figures
of `charts` (a `Figure`, not pyplot; every text from the data through `charts.literal`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from ..engine.ranking import BY_CAPAIAN
from ..formatting import angka
from .charts import FIVE_BANDS, MISSING_COLOR, REALISASI_COLOR, TARGET_COLOR, literal, predikat_colors

REFERENCE_COLOR = "#7b3294"
DARK_BARS = (FIVE_BANDS[0], FIVE_BANDS[3], FIVE_BANDS[4], REALISASI_COLOR)


def _number_axis(axis, decimals: int) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _: angka(v, decimals)))


def _labels(rows: pd.DataFrame) -> list[str]:
    """`rank. name` per area (the code after a name shown twice; no rank: the name alone)."""
    names = rows["nama_wilayah"].astype(str)
    twice = names.duplicated(keep=False)
    return [literal((f"{int(r)}. " if pd.notna(r) else "") + (f"{n} ({k})" if t else n))
            for r, n, k, t in zip(rows["peringkat"], names, rows["kode_wilayah"], twice)]


def ranking_chart(top: pd.DataFrame, bottom: pd.DataFrame, left_out: int, basis: str, satuan: str, desimal: int,
                  grades: list[tuple[float | None, str]], reference: tuple[str, float] | None, title: str) -> Figure:
    """The bars of `top` then `bottom` (rows of `rank_areas`, in rank order; `bottom` empty
    when every area is shown), `left_out` ranked areas between them standing as one gap row.

    `basis` is `capaian` or `nilai`; `reference` is (label, value) of the reference area in
    the same measure, or None.
    """
    by_capaian = basis == BY_CAPAIAN
    gap = left_out > 0
    rows = pd.concat([top, bottom]) if gap else top
    column = "capaian" if by_capaian else "nilai"
    values = rows[column].to_numpy(dtype=float)
    colors = predikat_colors(grades)
    if by_capaian:
        bar_colors = [colors.get(p, MISSING_COLOR) if isinstance(p, str) else MISSING_COLOR for p in rows["predikat"]]
    else:
        bar_colors = [REALISASI_COLOR] * len(rows)
    labels = _labels(rows)
    positions = list(range(len(top))) + ([len(top) + 1 + i for i in range(len(bottom))] if gap else [])
    slots = (positions[-1] + 1) if positions else 1
    y = slots - 1 - np.asarray(positions, dtype=float)
    fig = Figure(figsize=(8.6, 0.3 * slots + 2.2), layout="constrained")
    ax = fig.add_subplot()
    ax.barh(y, np.nan_to_num(values), color=bar_colors, edgecolor="white", height=0.72)
    finite = values[np.isfinite(values)]
    high = max([float(finite.max()) if finite.size else 0.0] + ([reference[1]] if reference else []))
    right = max(125.0, high * 1.15) if by_capaian else (high * 1.18 if high > 0 else 1.0)
    unit = "%" if by_capaian else ("%" if satuan == "%" else "")
    digits = 2 if by_capaian else desimal
    for yi, v, color in zip(y, values, bar_colors):
        if not np.isfinite(v):
            ax.text(right * 0.01, yi, "tidak ada data" if not by_capaian else "tidak ada capaian", va="center",
                    fontsize=8, color="#555555")
        elif v >= right * 0.25:
            ax.text(v - right * 0.01, yi, f"{angka(v, digits)}{unit}", va="center", ha="right", fontsize=8,
                    color="white" if color in DARK_BARS else "black", fontweight="bold")
        else:
            ax.text(v + right * 0.01, yi, f"{angka(v, digits)}{unit}", va="center", fontsize=8)
    if gap:
        ax.text(right * 0.01, slots - 1 - len(top), f"… {angka(left_out)} wilayah lain tidak digambar …",
                va="center", fontsize=8.5, color="#555555", style="italic")
    handles = []
    if by_capaian:
        ax.axvline(100, color=TARGET_COLOR, linestyle=":", linewidth=1.1)
        handles.append(Line2D([], [], color=TARGET_COLOR, linestyle=":", label="100% = target tercapai"))
    if reference is not None and np.isfinite(reference[1]):
        label, value = reference
        ax.axvline(value, color=REFERENCE_COLOR, linestyle="--", linewidth=1.4)
        shown = f"{angka(value, digits)}{unit}"
        ax.text(value, slots - 0.35, literal(f" {label}: {shown}"), color=REFERENCE_COLOR, fontsize=8.5,
                va="bottom", ha="left" if value <= right * 0.6 else "right", fontweight="bold")
        handles.append(Line2D([], [], color=REFERENCE_COLOR, linestyle="--", label=literal(f"{label}: {shown}")))
    ax.set_yticks(y, labels, fontsize=8.5 if len(rows) <= 25 else 7.5)
    ax.set_xlim(0, right)
    ax.set_ylim(-0.7, slots + 0.2)
    _number_axis(ax.xaxis, 0 if right >= 10 else 1)
    ax.set_xlabel("Capaian (%)" if by_capaian else literal(f"Nilai ({satuan})" if satuan else "Nilai"))
    ax.set_title(literal(title), fontsize=10.5, loc="left")
    if by_capaian:
        handles += [Patch(color=c, label=literal(p)) for p, c in colors.items()]
    if handles:
        fig.legend(handles=handles, fontsize=8, loc="outside lower center", ncol=min(len(handles), 4),
                   frameon=False)
    ax.grid(axis="x", color="#eeeeee")
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    return fig
