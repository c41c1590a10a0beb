"""HTML fragments: everything from data is escaped; merged cells; embedded figures."""

from __future__ import annotations

import base64
import re

import pandas as pd
from matplotlib.figure import Figure

from iku_lib.report.markup import definitions, figure, heading, paragraph, table, title_block

EVIL = "<script>alert(1)</script>"


def test_table_escapes_headers_cells_and_caption():
    html = table(pd.DataFrame({EVIL: [EVIL, 'a"b']}), caption=EVIL, table_id='x" onload="y')
    assert "<script>" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3
    assert "a&quot;b" in html and 'id="x&quot; onload=&quot;y"' in html


def test_table_merges_equal_consecutive_cells():
    frame = pd.DataFrame({"S": ["a", "a", "b", "a"], "N": ["1", "2", "3", "4"]})
    html = table(frame, merge=["S"], numeric=["N"])
    rows = re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>")[1])
    assert rows == ['<td rowspan="2">a</td><td class="angka">1</td>', '<td class="angka">2</td>',
                    '<td>b</td><td class="angka">3</td>', '<td>a</td><td class="angka">4</td>']


def test_missing_cells_are_empty_and_nowrap_is_a_class():
    html = table(pd.DataFrame({"P": [None, "Sangat Tinggi"]}), nowrap=["P"])
    assert '<td class="nowrap"></td>' in html and '<th class="nowrap">P</th>' in html


def test_title_block_from_the_catalog_meta():
    meta = {"instansi": "Kantor <Uji>", "visi": "V", "misi": ["M1", "M2 & M3"], "tujuan": None}
    html = title_block(meta, "Judul", "Kecamatan X · Tahun 2023", "24 November 2026")
    assert "Kantor &lt;Uji&gt;" in html
    assert "<tr><th>Visi</th><td>V</td></tr>" in html
    assert "<ol><li>M1</li><li>M2 &amp; M3</li></ol>" in html
    assert "Tujuan" not in html
    assert "Tanggal laporan: 24 November 2026" in html


def test_figure_is_an_embedded_png_with_escaped_alt():
    fig = Figure(figsize=(2, 1))
    fig.add_subplot().plot([0, 1], [0, 1])
    html = figure(fig, alt=EVIL, caption="Gambar & keterangan")
    data = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
    assert base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n"
    assert 'alt="&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "<figcaption>Gambar &amp; keterangan</figcaption>" in html


def test_small_fragments_escape():
    assert heading("A<B", 3, "x") == '<h3 id="x">A&lt;B</h3>'
    assert paragraph("1 < 2") == "<p>1 &lt; 2</p>"
    assert definitions([("K<", "V>")]) == '<table class="definisi"><tbody><tr><th>K&lt;</th><td>V&gt;</td></tr></tbody></table>'
