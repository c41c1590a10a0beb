"""Charts: one bar per indicator coloured by predikat, the 100% line, Indonesian labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import to_hex

from iku_lib import compute, load_catalog, load_dataset
from iku_lib.report.charts import (FIVE_BANDS, capaian_chart, heatmap, predikat_colors, realisasi_target_chart,
                            trend_chart)
from iku_lib.report.tables import capaian_table

from ..conftest import KECIL


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


def test_realisasi_target_chart_labels_in_units():
    _, cap = _capaian()
    texts = [t.get_text() for t in realisasi_target_chart(cap).axes[0].texts]
    assert "5,00 per 10.000 penduduk" in texts  # IKU-09: 3 / 6.000 x 10.000
    assert "tidak ada target" in texts  # IKU-06


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
