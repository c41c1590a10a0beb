"""Matplotlib figures for the reports (labels in Bahasa Indonesia, numbers via `formatting`).

Figures are built with `matplotlib.figure.Figure`, not pyplot, so a notebook shows only what
it embeds (see `markup.figure`) and nothing is left open. Every text that comes from the data or
the catalog (desa, indicator, program names, units, predikat labels, titles) goes through
`literal`, so that a `$` in a name is printed, never read as mathtext.

>>> predikat_colors([(91.0, "Sangat Tinggi"), (None, "Rendah")])["Sangat Tinggi"]
'#0c7f43'
"""

from __future__ import annotations

import textwrap

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..formatting import EMPTY, angka, nilai, persen

MISSING_COLOR = "#d9d9d9"
TARGET_COLOR = "#444444"
REALISASI_COLOR = "#2c7fb8"
PROJECTION_COLOR = "#e6550d"


# Five bands (the usual Permendagri 86/2017 scale): dark green to red, each readable on white.
FIVE_BANDS = ["#1b7837", "#7fbf3f", "#e6a817", "#e66101", "#b2182b"]


def predikat_colors(grades: list[tuple[float | None, str]]) -> dict[str, str]:
    """One colour per predikat label, green (top band) to red (bottom band)."""
    n = len(grades)
    if n == len(FIVE_BANDS):
        palette = FIVE_BANDS
    else:
        cmap = matplotlib.colormaps["RdYlGn"]
        palette = [to_hex(cmap(s)) for s in ([0.9] if n == 1 else np.linspace(0.95, 0.05, n))]
    return {label: color for (_, label), color in zip(grades, palette)}


def literal(text: object) -> str:
    r"""`text` as matplotlib prints it literally: each `$` escaped, so that a name such as
    `$x^2$ \alpha` is not typeset as mathtext (nor breaks a figure with a mathtext error).
    A backslash needs no escape: outside mathtext matplotlib prints it as it is.

    >>> print(literal(r"Rp $5 \alpha"))
    Rp \$5 \alpha
    """
    return "" if text is None else str(text).replace("$", r"\$")


def _label(ident: str, name: str, width: int = 40) -> str:
    return literal(f"{ident}  " + "\n".join(textwrap.wrap(str(name), width)))


def _number_axis(axis, decimals: int = 0) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _: angka(v, decimals)))


def capaian_chart(capaian: pd.DataFrame, grades: list[tuple[float | None, str]]) -> Figure:
    """Capaian (%) per indicator as horizontal bars coloured by predikat, with the 100% line.

    `capaian` is a `tables.capaian_table` frame. One axis, one unit: capaian in percent
    (whatever each indicator's own unit). The predikat legend sits below the axis label, in
    the figure's own space, so the two never overlap whatever the number of indicators.
    """
    colors = predikat_colors(grades)
    n = len(capaian)
    fig = Figure(figsize=(8.6, 0.55 * n + 2.3), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(n)[::-1]
    values = capaian["capaian"].to_numpy(dtype=float)
    bar_colors = [colors.get(p, MISSING_COLOR) if isinstance(p, str) else MISSING_COLOR for p in capaian["predikat"]]
    ax.barh(y, np.nan_to_num(values), color=bar_colors, edgecolor="white", height=0.7)
    top = np.nanmax(values) if np.isfinite(values).any() else 100.0
    right = max(125.0, top * 1.12)
    for yi, v, color in zip(y, values, bar_colors):
        if not np.isfinite(v):
            ax.text(right * 0.01, yi, "tidak ada capaian", va="center", fontsize=8.5, color="#555555")
        elif v >= right * 0.22:  # inside the bar, clear of the 100% line
            ax.text(v - right * 0.012, yi, f"{angka(v, 2)}%", va="center", ha="right", fontsize=9,
                    color="white" if color in (FIVE_BANDS[0], FIVE_BANDS[3], FIVE_BANDS[4]) else "black",
                    fontweight="bold")
        else:
            ax.text(v + right * 0.012, yi, f"{angka(v, 2)}%", va="center", fontsize=8.5)
    ax.axvline(100, color=TARGET_COLOR, linestyle="--", linewidth=1.2)
    ax.text(100, n - 0.45, " 100% = target tercapai", fontsize=8.5, color=TARGET_COLOR, va="bottom")
    ax.set_yticks(y, [_label(i, nm) for i, nm in zip(capaian["indikator"], capaian["nama"])], fontsize=9)
    ax.set_xlim(0, right)
    ax.set_ylim(-0.6, n - 0.05)
    _number_axis(ax.xaxis)
    ax.set_xlabel("Capaian (%)")
    ax.set_title("Capaian kinerja per indikator terhadap target", fontsize=11, loc="left")
    handles = [Patch(color=c, label=literal(p)) for p, c in colors.items()]
    fig.legend(handles=handles, title="Predikat", fontsize=8, title_fontsize=8.5, loc="outside lower center",
               ncol=len(handles), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


PANEL_COLUMNS = 2


def unit_label(satuan: str) -> str:
    """An axis label naming the one unit its numbers are in.

    >>> unit_label("%"), unit_label("per 10.000 penduduk"), unit_label("")
    ('Nilai (%)', 'Nilai (per 10.000 penduduk)', 'Nilai')
    """
    return f"Nilai ({satuan})" if isinstance(satuan, str) and satuan.strip() else "Nilai"


def realisasi_target_chart(capaian: pd.DataFrame) -> Figure:
    """Realisasi beside target, one small panel per indicator (in rows of PANEL_COLUMNS), each
    with its own axis in the indicator's own unit: no axis holds two units, and a small value
    (1,09% against 1,50%) is as readable as a large one. Every panel names its indicator by
    id and its bars Realisasi and Target, so no legend is needed."""
    n = max(len(capaian), 1)
    rows = -(-n // PANEL_COLUMNS)
    fig = Figure(figsize=(8.6, 1.75 * rows + 0.5), layout="constrained")
    fig.get_layout_engine().set(h_pad=0.08, w_pad=0.12, hspace=0.04, wspace=0.06)
    fig.suptitle("Realisasi dibandingkan target, per indikator dalam satuannya sendiri", fontsize=11, x=0.01,
                 ha="left")
    for k, r in enumerate(capaian.itertuples(index=False)):
        ax = fig.add_subplot(rows, PANEL_COLUMNS, k + 1)
        real, target, unit, d = float(r.realisasi), float(r.target), r.satuan, int(r.desimal)
        values = [real, target]
        ax.barh([1, 0], np.nan_to_num(values), height=0.62, color=[REALISASI_COLOR, "#bdbdbd"])
        top = max([v for v in values if np.isfinite(v)] + [0.0])
        right = top * 1.45 if top > 0 else 1.0
        for yi, v, empty, ink in ((1, real, "tidak ada data", "black"), (0, target, "tidak ada target", "#555555")):
            shown = (nilai(v, "%", d) if unit == "%" else angka(v, d)) if np.isfinite(v) else empty  # unit: on the axis
            ax.text((v if np.isfinite(v) else 0.0) + right * 0.015, yi, shown, va="center", fontsize=8, color=ink)
        ax.set_yticks([1, 0], ["Realisasi", "Target"], fontsize=8)
        ax.set_ylim(-0.55, 1.55)
        ax.set_xlim(0, right)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
        _number_axis(ax.xaxis, 0 if right >= 10 else 1)
        ax.tick_params(axis="x", labelsize=7.5)
        ax.set_xlabel(literal(unit_label(unit)), fontsize=8)
        ax.set_title(literal("\n".join(textwrap.wrap(f"{r.indikator} {r.nama}", 46))), fontsize=8.5, loc="left")
        ax.spines[["top", "right"]].set_visible(False)
    return fig


def trend_chart(series: pd.DataFrame, projection: pd.Series, title: str, satuan: str, desimal: int) -> Figure:
    """Realisasi and target by year, with the simple linear projection to the end of the period.

    `series` has `tahun, realisasi, target`; `projection` is a row of `trend.projections`.
    """
    fig = Figure(figsize=(8.5, 3.6))
    ax = fig.add_subplot()
    years = series["tahun"].to_numpy(dtype=int)
    ax.plot(years, series["realisasi"], marker="o", color=REALISASI_COLOR, linewidth=2, label="Realisasi")
    ax.plot(years, series["target"], marker="s", color=TARGET_COLOR, linestyle="--", linewidth=1.3, label="Target")
    for x, v, t in zip(years, series["realisasi"], series["target"]):
        if np.isfinite(v):
            below = np.isfinite(t) and v < t  # keep the label clear of the target line
            ax.annotate(angka(v, desimal), (x, v), textcoords="offset points", xytext=(0, -13 if below else 7),
                        ha="center", fontsize=8, color=REALISASI_COLOR)
    end_year = projection.get("tahun_akhir_periode")
    if pd.notna(projection.get("proyeksi")) and pd.notna(end_year):
        start, slope, intercept = int(projection["tahun_dasar"]), projection["kemiringan"], projection["intersep"]
        xs = np.linspace(years.min(), int(end_year), 61)
        ax.plot(xs, np.maximum(0.0, intercept + slope * xs), color=PROJECTION_COLOR, linestyle=":", linewidth=1.8,
                label=f"Proyeksi linear sederhana (tren {start}–{years.max()})")
        ax.plot([int(end_year)], [projection["proyeksi"]], marker="D", color=PROJECTION_COLOR)
        ax.annotate(angka(projection["proyeksi"], desimal), (int(end_year), projection["proyeksi"]),
                    textcoords="offset points", xytext=(0, -14), ha="center", fontsize=8, color=PROJECTION_COLOR)
    if pd.notna(projection.get("target_akhir")) and pd.notna(end_year):
        ax.plot([int(end_year)], [projection["target_akhir"]], marker="*", markersize=12, color=TARGET_COLOR,
                linestyle="none", label=f"Target akhir periode {int(end_year)}")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{int(v)}"))
    _number_axis(ax.yaxis, 1 if desimal else 0)
    ax.set_ylabel(literal(satuan))
    ax.set_xlabel("Tahun")
    ax.set_title(literal("\n".join(textwrap.wrap(title, 80))), fontsize=10.5, loc="left")
    ax.margins(y=0.25)
    ax.grid(axis="y", color="#eeeeee")
    ax.legend(fontsize=8, loc="best", framealpha=0.95)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def _ink(rgba) -> str:
    """Black or white text, whichever reads better on the colour `rgba`."""
    r, g, b = rgba[:3]
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.45 else "black"


def heatmap(matrix: pd.DataFrame, polaritas: str, satuan: str, desimal: int, title: str,
            per_desa: bool = False) -> Figure:
    """Desa (rows) x year (columns) values, green for good and red for bad; `–` for no value.

    For a "number of desa" indicator (`per_desa`), a desa's value is 100 (achieved) or 0, and
    cells say Ya/Tidak instead of a scale.
    """
    values = matrix.to_numpy(dtype=float)
    rows, cols = values.shape
    fig = Figure(figsize=(min(1.1 * cols + 3.2, 9.5), 0.32 * rows + 1.5))
    ax = fig.add_subplot()
    cmap = matplotlib.colormaps["RdYlGn_r" if polaritas == "negatif" else "RdYlGn"].with_extremes(bad=MISSING_COLOR)
    finite = values[np.isfinite(values)]
    low, high = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
    if per_desa:
        low, high = 0.0, 100.0
    if low == high:
        low, high = low - 1, high + 1
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=low, vmax=high, aspect="auto")
    for i in range(rows):
        for j in range(cols):
            v = values[i, j]
            if not np.isfinite(v):
                text, ink = EMPTY, "black"
            else:
                text = ("Ya" if v >= 100 else "Tidak") if per_desa else angka(v, desimal)
                ink = _ink(cmap(image.norm(v)))
            ax.text(j, i, text, ha="center", va="center", fontsize=7.5, color=ink)
    ax.set_xticks(range(cols), [literal(c) for c in matrix.columns], fontsize=8.5)
    ax.set_yticks(range(rows), [literal(r) for r in matrix.index], fontsize=8)
    ax.set_title(literal("\n".join(textwrap.wrap(title, 70))), fontsize=10, loc="left")
    if not per_desa:
        bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
        bar.set_label(literal(satuan), fontsize=8)
        _number_axis(bar.ax.yaxis, 1 if desimal else 0)
        bar.ax.tick_params(labelsize=7.5)
    fig.tight_layout()
    return fig


SERAPAN_COLOR = "#2c7fb8"


def serapan_chart(programs: pd.DataFrame, total: float | None = None, title: str = "") -> Figure:
    """Serapan anggaran (%) per program as horizontal bars, in the order given (top down).

    `programs` has `program` (the name, wrapped to several lines), `serapan` (in percent,
    NaN when it cannot be computed), `pagu` and `realisasi` (rupiah). Each bar carries its
    percentage; `total` (the serapan of all programs) is a dashed line named in the legend,
    which sits below the axis so it never covers a bar.
    """
    n = max(len(programs), 1)
    fig = Figure(figsize=(8.6, 0.62 * n + 2.0), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(programs))[::-1]
    values = programs["serapan"].to_numpy(dtype=float)
    ax.barh(y, np.nan_to_num(values), color=SERAPAN_COLOR, edgecolor="white", height=0.62)
    right = 115.0 if not np.isfinite(values).any() else max(115.0, float(np.nanmax(values)) * 1.12)
    for yi, v in zip(y, values):
        if not np.isfinite(v):
            ax.text(right * 0.01, yi, "tidak dapat dihitung", va="center", fontsize=8.5, color="#555555")
        elif v >= right * 0.2:  # inside the bar
            ax.text(v - right * 0.012, yi, persen(v, 2), va="center", ha="right", fontsize=8.5, color="white",
                    fontweight="bold")
        else:
            ax.text(v + right * 0.012, yi, persen(v, 2), va="center", fontsize=8.5)
    handles = []
    if total is not None and np.isfinite(total):
        handles.append(ax.axvline(total, color=TARGET_COLOR, linestyle="--", linewidth=1.2,
                                  label=f"Serapan seluruh program: {persen(total, 2)}"))
    ax.set_yticks(y, [literal("\n".join(textwrap.wrap(str(p), 42))) for p in programs["program"]], fontsize=8.5)
    ax.set_xlim(0, right)
    ax.set_ylim(-0.6, len(programs) - 0.4)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{angka(v, 0)}%"))
    ax.set_xlabel("Serapan anggaran (%)")
    ax.set_title(literal(title or "Serapan anggaran per program"), fontsize=11, loc="left")
    if handles:
        fig.legend(handles=handles, fontsize=8.5, loc="outside lower center", frameon=False)
    ax.grid(axis="x", color="#eeeeee")
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    return fig
