"""Charts: one bar per indicator coloured by predikat, the 100% line, Indonesian labels;
realisasi against target one panel per indicator; no axis mixes units and no text overlaps."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from iku_lib import compute, load_catalog, load_dataset
from iku_lib.report.charts import (FIVE_BANDS, capaian_chart, heatmap, predikat_colors, realisasi_target_chart,
                                   trend_chart, unit_label)
from iku_lib.report.tables import capaian_table
from iku_lib.ingest.catalog import NUMBER_OF_DESA
from iku_lib.report.trend import by_year, desa_matrix, projections

from ..conftest import KECIL, RAW


def _capaian():
    dataset = load_dataset(KECIL)
    return dataset, capaian_table(compute(dataset, 2022), dataset.catalog, 2022, "kecamatan", jenis=None)


def test_predikat_colours_follow_the_bands():
    colors = predikat_colors(load_catalog().grades)
    assert list(colors) == ["Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah"]
    assert list(colors.values()) == FIVE_BANDS
    six = predikat_colors([(90, "A"), (80, "B"), (70, "C"), (60, "D"), (50, "E"), (None, "F")])
    assert len(set(six.values())) == 6


def test_capaian_chart_bars_and_target_line():
    dataset, cap = _capaian()
    fig = capaian_chart(cap, dataset.catalog.grades)
    ax = fig.axes[0]
    bars = ax.patches[:len(cap)]
    assert len(bars) == 11
    # bars in row order (IKU-01 first, drawn at the top)
    widths = [b.get_width() for b in bars]
    assert np.allclose(widths[:5], [200 / 3 / 80 * 100, 3460 / 3500 * 100 / 95 * 100, 80.0, 90 / 95 * 100,
                                    200 / 3], rtol=1e-9)
    assert bars[0].get_y() > bars[-1].get_y()
    colors = [to_hex(b.get_facecolor()) for b in bars]
    assert colors[0] == FIVE_BANDS[1]  # IKU-01 Tinggi
    assert colors[1] == FIVE_BANDS[0]  # IKU-02 Sangat Tinggi
    assert colors[7] == FIVE_BANDS[4]  # IKU-08 Sangat Rendah
    assert colors[5] == "#d9d9d9" and colors[10] == "#d9d9d9"  # IKU-06, IT-01: no capaian
    assert any(line.get_xdata()[0] == 100 for line in ax.lines)
    texts = [t.get_text() for t in ax.texts]
    assert "83,33%" in texts and texts.count("tidak ada capaian") == 2
    assert ax.get_xlabel() == "Capaian (%)"


def test_realisasi_target_chart_one_panel_per_indicator_in_its_own_unit():
    _, cap = _capaian()
    fig = realisasi_target_chart(cap)
    assert len(fig.axes) == 11
    panels = {ax.get_title(loc="left").split()[0]: ax for ax in fig.axes}
    assert list(panels) == list(cap["indikator"])  # the indicator ids, in catalog order
    crime = panels["IKU-09"]  # 3 / 6.000 x 10.000 = 5 per 10.000 penduduk; its unit on its own axis
    assert crime.get_xlabel() == "Nilai (per 10.000 penduduk)"
    assert [t.get_text() for t in crime.texts][0] == "5,00"
    assert panels["IKU-01"].get_xlabel() == "Nilai (%)"
    assert [t.get_text() for t in panels["IKU-01"].texts] == ["66,67%", "80,00%"]
    assert "tidak ada target" in [t.get_text() for t in panels["IKU-06"].texts]
    assert [t.get_text() for t in crime.get_yticklabels()] == ["Realisasi", "Target"]  # no legend to hide a label
    assert all(ax.get_legend() is None for ax in fig.axes) and not fig.legends


# --- no axis mixes units, no text overlaps (what a reader sees in the PNG) ------------------------------

def _shipped_capaian():
    dataset = load_dataset(RAW)
    table = compute(dataset, [2023])
    return dataset, capaian_table(table, dataset.catalog, 2023, "kecamatan", jenis=None)


IDS = re.compile(r"\b(?:IKU|IT)-\d\d\b")


def _bar_units(ax, cap: pd.DataFrame) -> list[set[str]]:
    """For every bar on `ax`, the units it can be in: the indicator is the one named in the
    panel's title, or in the tick label at the bar's height; the quantity is whichever of that
    indicator's realisasi, target (in its satuan) or capaian (percent of target) the bar's
    length equals (a realisasi against a target of 100 equals its capaian: both)."""
    rows = cap.set_index("indikator")
    titled = IDS.findall(ax.get_title(loc="left"))
    ticks = {round(float(t), 6): IDS.findall(label.get_text())
             for t, label in zip(ax.get_yticks(), ax.get_yticklabels())}
    units = []
    for bar in ax.patches:
        width, middle = bar.get_width(), bar.get_y() + bar.get_height() / 2
        if width == 0:
            continue
        named = titled or min(ticks.items(), key=lambda kv: abs(kv[0] - middle))[1]
        assert len(named) == 1, (named, ax.get_title(loc="left"))
        row = rows.loc[named[0]]
        found = [unit for value, unit in ((row["realisasi"], row["satuan"]), (row["target"], row["satuan"]),
                                          (row["capaian"], "capaian (% dari target)"))
                 if np.isfinite(value) and np.isclose(width, value, rtol=1e-12)]
        assert found, (named, width)
        units.append(set(found))
    return units


def _axis_unit(ax, cap: pd.DataFrame) -> set[str]:
    """The units that every bar on `ax` can share (empty: the axis mixes units)."""
    candidates = _bar_units(ax, cap)
    return set.intersection(*candidates) if candidates else set()


def test_no_axis_of_the_annual_charts_mixes_units():
    dataset, cap = _shipped_capaian()
    assert set(cap["satuan"]) == {"%", "per 10.000 penduduk"}  # the data mixes units
    for fig in (realisasi_target_chart(cap), capaian_chart(cap, dataset.catalog.grades)):
        for ax in fig.axes:
            units = _axis_unit(ax, cap)
            assert units, ax.get_title(loc="left")
            labels = {"Capaian (%)" if unit.startswith("capaian") else unit_label(unit) for unit in units}
            assert ax.get_xlabel() in labels, (ax.get_xlabel(), labels)


def test_the_old_single_axis_chart_would_have_failed_the_unit_check():
    """The check itself: bars of two units on one axis are caught."""
    _, cap = _shipped_capaian()
    fig = Figure()
    ax = fig.add_subplot()
    ax.barh([1, 0], [cap.iloc[2]["realisasi"], cap.iloc[8]["realisasi"]])  # IKU-03 (%), IKU-09 (per 10.000)
    ax.set_yticks([1, 0], ["IKU-03", "IKU-09"])
    assert _bar_units(ax, cap) == [{"%"}, {"per 10.000 penduduk"}] and _axis_unit(ax, cap) == set()


def _texts(fig: Figure) -> list[tuple[str, object]]:
    """Every piece of text drawn (legends as one box each), with its box on the canvas."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    out = [(f"legenda {i}", legend.get_window_extent(renderer)) for i, legend in enumerate(legends)]
    texts = list(fig.texts) + ([fig._suptitle] if fig._suptitle is not None else [])
    for ax in fig.axes:
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ax.texts,
                  *ax.get_xticklabels(), *ax.get_yticklabels()]
    for text in dict.fromkeys(texts):  # each once (the suptitle is also among the figure's texts)
        if text.get_visible() and text.get_text().strip():
            out.append((text.get_text(), text.get_window_extent(renderer)))
    return out


def overlapping_texts(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap by more than a pixel."""
    boxes = _texts(fig)
    found = []
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1:]:
            inner = box_a.padded(-1)
            if inner.width > 0 and inner.height > 0 and inner.overlaps(box_b.padded(-1)):
                found.append((a, b))
    return found


@pytest.mark.parametrize("n", [1, 2, 5, 11])
def test_no_text_overlaps_in_the_annual_charts(n):
    """Whatever the number of indicators: the capaian chart's axis label and its predikat legend
    (title included) never overlap, nor do the realisasi/target panels' titles, ticks and labels."""
    dataset, cap = _shipped_capaian()
    part = cap.iloc[:n]
    for fig in (capaian_chart(part, dataset.catalog.grades), realisasi_target_chart(part)):
        assert overlapping_texts(fig) == []


def test_the_overlap_check_sees_an_overlap():
    fig = Figure()
    ax = fig.add_subplot()
    ax.set_xlabel("Capaian (%)")
    ax.legend(handles=[], title="Predikat", loc="upper center", bbox_to_anchor=(0.5, -0.02), frameon=False)
    assert ("legenda 0", "Capaian (%)") in overlapping_texts(fig)


def test_no_text_overlaps_in_the_trend_charts():
    dataset = load_dataset(RAW)
    years = dataset.years
    long = by_year(compute(dataset, years), dataset.catalog, "kecamatan", years)
    proj = projections(long, dataset.targets, 2023)
    mid = projections(long[long["tahun"] <= 2021], dataset.targets, 2023)  # with a projection drawn
    for table in (proj, mid):
        for _, p in table.iterrows():
            rows = long[(long["indikator"] == p["indikator"]) & (long["tahun"] <= p["tahun_terakhir"])]
            fig = trend_chart(rows, p, f"{p['indikator']} {p['nama']}", p["satuan"], int(p["desimal"]))
            assert overlapping_texts(fig) == [], p["indikator"]
            assert fig.axes[0].get_ylabel() == p["satuan"]  # one indicator, its unit
    table = compute(dataset, years)
    for ident in dataset.catalog.desa_ids:
        spec = dataset.catalog.indicators.loc[ident]
        fig = heatmap(desa_matrix(table, ident, years, dataset.register), spec["polaritas"], spec["satuan"],
                      int(spec["desimal"]), f"{ident} per desa dan tahun ({spec['satuan']})",
                      per_desa=spec["penyebut"] == NUMBER_OF_DESA)
        assert overlapping_texts(fig) == [], ident


def test_trend_chart_shows_the_projection_labelled():
    series = pd.DataFrame({"tahun": [2021, 2022], "realisasi": [80.0, 82.0], "target": [79.0, 84.0]})
    proj = pd.Series({"tahun_akhir_periode": 2024, "proyeksi": 86.0, "tahun_dasar": 2021, "kemiringan": 2.0,
                      "intersep": 80.0 - 2.0 * 2021, "target_akhir": 90.0})
    ax = trend_chart(series, proj, "IKU-01 Uji", "%", 2).axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Proyeksi linear sederhana (tren 2021–2022)" in labels and "Target akhir periode 2024" in labels
    projection = [line for line in ax.lines if line.get_label().startswith("Proyeksi")][0]
    xs, ys = projection.get_xdata(), projection.get_ydata()
    assert (xs[0], xs[-1]) == (2021, 2024) and np.allclose(ys, 80.0 + 2.0 * (xs - 2021))


def test_trend_chart_projection_stops_at_zero():
    series = pd.DataFrame({"tahun": [2021, 2022], "realisasi": [2.0, 1.0], "target": [2.0, 1.5]})
    proj = pd.Series({"tahun_akhir_periode": 2024, "proyeksi": 0.0, "tahun_dasar": 2021, "kemiringan": -1.0,
                      "intersep": 2.0 + 2021.0, "target_akhir": 1.0})
    ax = trend_chart(series, proj, "IKU-03 Uji", "%", 2).axes[0]
    projection = [line for line in ax.lines if line.get_label().startswith("Proyeksi")][0]
    assert projection.get_ydata().min() == 0.0 and projection.get_ydata()[-1] == 0.0


def test_heatmap_cells_say_ya_tidak_or_the_value():
    matrix = pd.DataFrame({2021: [100.0, 0.0], 2022: [np.nan, 100.0]}, index=["A", "B"])
    ax = heatmap(matrix, "positif", "%", 2, "Uji", per_desa=True).axes[0]
    assert [t.get_text() for t in ax.texts] == ["Ya", "–", "Tidak", "Ya"]
    values = pd.DataFrame({2021: [1.5, 2.25]}, index=["A", "B"])
    fig = heatmap(values, "negatif", "%", 2, "Uji")
    assert [t.get_text() for t in fig.axes[0].texts] == ["1,50", "2,25"]
    assert len(fig.axes) == 2  # with its colour bar
