"""The quarterly monitoring report's chart: each indicator's path through the year.

One small panel per indicator (per indicator and area when the top level holds several), in
rows of `charts.PANEL_COLUMNS`, each with its own axis in the indicator's own unit, so no axis
mixes units: the cumulative realisasi at the end of quarters 1..n (a line with its values), the
cumulative quarterly targets where `target.csv` gives them (dashed, squares, over all four
quarters: the target path), the annual target as a dotted reference line, and for a flow the
straight-line projection to quarter IV (`quarterly_pace`). One legend for all panels, below
them. Built like `charts` (a `Figure`, not pyplot; every text from the data through `literal`).
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..formatting import angka
from ..ingest.triwulan import COLUMN as QUARTER, QUARTERS
from .charts import PANEL_COLUMNS, PROJECTION_COLOR, REALISASI_COLOR, TARGET_COLOR, literal, unit_label
from .quarterly_names import roman
from .quarterly_pace import LATEST

ANNUAL_COLOR = "#7b3294"


def _limits(values: list[float]) -> tuple[float, float]:
    """The y range of a panel: every value shown, with room for the labels; from 0 when the
    values are close to it."""
    finite = [v for v in values if np.isfinite(v)]
    if not finite:
        return 0.0, 1.0
    low, high = min(finite), max(finite)
    span = high - low or (abs(high) * 0.2 or 1.0)
    bottom, top = low - 0.3 * span, high + 0.35 * span
    if low >= 0 and (bottom < 0 or low <= 0.35 * high):
        bottom = 0.0
    return bottom, top


def _label_place(y: float, lines: list[float], bottom: float, top: float) -> tuple[tuple[int, int], str, str]:
    """Where a value's label goes, as (offset in points, ha, va): above its point; below when a
    target line runs just above the point (the label would sit on it) and there is room below;
    else to its left."""
    span = top - bottom
    crowded = any(np.isfinite(t) and -0.04 * span <= t - y <= 0.18 * span for t in lines)
    if not crowded:
        return (0, 6), "center", "bottom"
    if y - bottom > 0.14 * span:
        return (0, -6), "center", "top"
    return (-7, 0), "right", "center"


def path_chart(model) -> Figure:
    """The path of every indicator of `model` (a `quarterly.Monitoring`) through the year."""
    rows = model.rows
    n = max(len(rows), 1)
    grid = -(-n // PANEL_COLUMNS)
    fig = Figure(figsize=(8.6, 2.35 * grid + 0.9), layout="constrained")
    fig.get_layout_engine().set(h_pad=0.08, w_pad=0.12, hspace=0.06, wspace=0.08)
    fig.suptitle(f"Nilai kumulatif per triwulan dibandingkan jalur target, per indikator dalam satuannya sendiri "
                 f"(sampai triwulan {roman(model.quarter)})", fontsize=10.5, x=0.01, ha="left")
    quarters = np.array(QUARTERS)
    shown = {"realisasi": False, "triwulan": False, "tahunan": False, "proyeksi": False}
    for k, r in enumerate(rows.itertuples(index=False)):
        ax = fig.add_subplot(grid, PANEL_COLUMNS, k + 1)
        spec = model.indicators.loc[r.indikator]
        d = int(spec["desimal"])
        path = model.path[(model.path["indikator"] == r.indikator) & (model.path["kode_wilayah"] == r.kode_wilayah)]
        xs, ys = path[QUARTER].to_numpy(dtype=int), path["nilai"].to_numpy(dtype=float)
        targets = model.targets[(model.targets["indikator"] == r.indikator)
                                & (model.targets["kode_wilayah"] == r.kode_wilayah)]
        quarterly = targets["target_triwulan"].to_numpy(dtype=float)
        annual = float(r.target_tahunan)
        values = list(ys) + list(quarterly) + [annual]
        if np.isfinite(quarterly).any():
            ax.plot(targets[QUARTER].to_numpy(dtype=int), quarterly, color=TARGET_COLOR, linestyle="--",
                    marker="s", markersize=4, linewidth=1.1, zorder=2)
            shown["triwulan"] = True
        if np.isfinite(annual):
            ax.axhline(annual, color=ANNUAL_COLOR, linestyle=":", linewidth=1.3, zorder=1)
            shown["tahunan"] = True
        pace = model.pace[(model.pace["indikator"] == r.indikator) & (model.pace["kode_wilayah"] == r.kode_wilayah)]
        if model.quarter < QUARTERS[-1] and len(pace) and pace["metode"].iloc[0] != LATEST and len(ys) \
                and np.isfinite(pace["proyeksi"].iloc[0]) and xs[-1] == model.quarter:
            projected = float(pace["proyeksi"].iloc[0])
            ax.plot([model.quarter, QUARTERS[-1]], [ys[-1], projected], color=PROJECTION_COLOR, linestyle=":",
                    linewidth=1.6, zorder=3)
            ax.plot([QUARTERS[-1]], [projected], marker="D", markersize=4.5, color=PROJECTION_COLOR, zorder=3)
            values.append(projected)
            shown["proyeksi"] = True
        valid = np.isfinite(ys)
        if valid.any():
            ax.plot(xs[valid], ys[valid], color=REALISASI_COLOR, marker="o", markersize=5, linewidth=2, zorder=4)
            shown["realisasi"] = True
        bottom, top = _limits(values)
        by_quarter = dict(zip(targets[QUARTER].astype(int), quarterly))
        for x, y in zip(xs, ys):
            if np.isfinite(y):
                offset, ha, va = _label_place(y, [by_quarter.get(int(x), np.nan), annual], bottom, top)
                ax.annotate(angka(y, d), (x, y), textcoords="offset points", xytext=offset, ha=ha, va=va,
                            fontsize=7.5, color=REALISASI_COLOR, zorder=5)
            else:
                ax.text(x, bottom + (top - bottom) * 0.06, "tidak ada\nnilai", ha="center", fontsize=7,
                        color="#555555")
        ax.set_ylim(bottom, top)
        ax.set_xlim(0.6, QUARTERS[-1] + 0.4)
        ax.set_xticks(quarters, [f"TW {roman(q)}" for q in quarters], fontsize=7.5)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
        decimals = 0 if top - bottom >= 10 else (1 if top - bottom >= 1 else 2)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _, k=decimals: angka(v, k)))
        ax.tick_params(axis="y", labelsize=7.5)
        ax.set_ylabel(literal(unit_label(r.satuan)), fontsize=7.5)
        name = f"{r.indikator} {spec['nama']}" + (f" – {r.nama_wilayah}" if model.several_areas else "")
        ax.set_title(literal("\n".join(textwrap.wrap(name, 50))), fontsize=8.3, loc="left")
        ax.axvspan(model.quarter + 0.5, QUARTERS[-1] + 0.4, color="#f2f2f2", zorder=0)
        ax.grid(axis="y", color="#eeeeee")
        ax.spines[["top", "right"]].set_visible(False)
    handles = []
    if shown["realisasi"]:
        handles.append(Line2D([], [], color=REALISASI_COLOR, marker="o", linewidth=2, label="Realisasi kumulatif"))
    if shown["triwulan"]:
        handles.append(Line2D([], [], color=TARGET_COLOR, marker="s", linestyle="--",
                              label="Target triwulan (kumulatif)"))
    if shown["tahunan"]:
        handles.append(Line2D([], [], color=ANNUAL_COLOR, linestyle=":", linewidth=1.3, label="Target tahunan"))
    if shown["proyeksi"]:
        handles.append(Line2D([], [], color=PROJECTION_COLOR, linestyle=":", marker="D", linewidth=1.6,
                              label="Proyeksi linear ke triwulan IV"))
    if handles:
        fig.legend(handles=handles, fontsize=8, loc="outside lower center", ncol=len(handles), frameon=False)
    return fig

