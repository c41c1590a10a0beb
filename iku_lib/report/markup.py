"""HTML fragments for the reports: tables, figures, headings, paragraphs, the title block.

Every piece of text that reaches HTML goes through `esc` here, so a desa named
``<script>`` shows as text. Notebooks show a fragment with ``display(HTML(fragment))``.

>>> esc('<script>alert("x")</script>')
'&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
>>> import pandas as pd
>>> print(table(pd.DataFrame({"Desa": ["A&B"], "Nilai": ["1,5"]}), numeric=["Nilai"]))
<table class="data">
<thead><tr><th>Desa</th><th class="angka">Nilai</th></tr></thead>
<tbody>
<tr><td>A&amp;B</td><td class="angka">1,5</td></tr>
</tbody>
</table>
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable, Sequence

import pandas as pd
from matplotlib.figure import Figure

FIGURE_DPI = 144


def esc(value: object) -> str:
    """Text as HTML-safe text (quotes too, so it can stand in an attribute)."""
    return html.escape("" if value is None else str(value), quote=True)


def _attr(name: str, value: str | None) -> str:
    return "" if not value else f' {name}="{esc(value)}"'


def table(frame: pd.DataFrame, *, numeric: Iterable[str] = (), table_id: str | None = None,
          caption: str | None = None, css_class: str = "data", merge: Iterable[str] = (),
          nowrap: Iterable[str] = ()) -> str:
    """`frame` (cells already formatted as text) as an HTML table.

    `numeric` columns are right-aligned; in `merge` columns, equal consecutive cells become one
    cell spanning those rows (as LKjIP tables show one sasaran for its indicators); `nowrap`
    columns keep their text on one line.
    """
    numeric, merge, nowrap = set(numeric), set(merge), set(nowrap)

    def classes(column: str) -> str | None:
        names = (["angka"] if column in numeric else []) + (["nowrap"] if column in nowrap else [])
        return " ".join(names) or None

    columns = list(frame.columns)
    head = "".join(f"<th{_attr('class', classes(c))}>{esc(c)}</th>" for c in columns)
    values = frame.astype(object).where(frame.notna(), "").to_numpy().tolist()
    spans: dict[tuple[int, int], int] = {}
    for j, column in enumerate(columns):
        if column not in merge:
            continue
        i = 0
        while i < len(values):
            k = i + 1
            while k < len(values) and values[k][j] == values[i][j]:
                spans[(k, j)] = 0
                k += 1
            spans[(i, j)] = k - i
            i = k
    body = []
    for i, row in enumerate(values):
        cells = []
        for j, (column, value) in enumerate(zip(columns, row)):
            span = spans.get((i, j), 1)
            if span == 0:
                continue
            attrs = _attr("class", classes(column))
            if span > 1:
                attrs += f' rowspan="{span}"'
            cells.append(f"<td{attrs}>{esc(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>\n" if caption else ""
    return (f'<table class="{esc(css_class)}"{_attr("id", table_id)}>\n{cap}<thead><tr>{head}</tr></thead>\n'
            "<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>")


def figure_png(fig: Figure, dpi: int = FIGURE_DPI) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


def figure(fig: Figure, alt: str, caption: str | None = None, css_class: str = "grafik") -> str:
    """A matplotlib figure as an embedded PNG (a data: URI, so the page needs no other file)."""
    data = base64.b64encode(figure_png(fig)).decode("ascii")
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return (f'<figure class="{esc(css_class)}"><img alt="{esc(alt)}" src="data:image/png;base64,{data}">'
            f"{cap}</figure>")


def heading(text: str, level: int = 2, anchor: str | None = None) -> str:
    """A heading `<hN>`."""
    return f"<h{level}{_attr('id', anchor)}>{esc(text)}</h{level}>"


def paragraph(text: str, css_class: str | None = None) -> str:
    """One paragraph of text."""
    return f"<p{_attr('class', css_class)}>{esc(text)}</p>"


def paragraphs(texts: Iterable[str]) -> str:
    """Several paragraphs (empty texts skipped)."""
    return "\n".join(paragraph(t) for t in texts if t)


def bullet_list(texts: Iterable[str]) -> str:
    """An unordered list."""
    return "<ul>" + "".join(f"<li>{esc(t)}</li>" for t in texts) + "</ul>"


def definitions(pairs: Sequence[tuple[str, str]], css_class: str = "definisi") -> str:
    """Label: value pairs as a two-column table without a header."""
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in pairs)
    return f'<table class="{esc(css_class)}"><tbody>{rows}</tbody></table>'


def title_block(meta: dict, title: str, subtitle: str, date_text: str) -> str:
    """The title page: instansi, report title and year, visi/misi/tujuan, date of the report.

    `meta` is the catalog's `meta` (instansi, visi, misi, tujuan; each may be text or a list).
    """
    def text_of(value: object) -> list[str]:
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]

    rows = []
    for label, key in (("Visi", "visi"), ("Misi", "misi"), ("Tujuan", "tujuan")):
        texts = text_of(meta.get(key))
        if not texts:
            continue
        value = esc(texts[0]) if len(texts) == 1 else "<ol>" + "".join(f"<li>{esc(t)}</li>" for t in texts) + "</ol>"
        rows.append(f"<tr><th>{label}</th><td>{value}</td></tr>")
    statement = f'<table class="visi-misi"><tbody>{"".join(rows)}</tbody></table>' if rows else ""
    return (f'<header class="sampul">\n<p class="instansi">{esc(meta.get("instansi", ""))}</p>\n'
            f"<h1>{esc(title)}</h1>\n<p class=\"subjudul\">{esc(subtitle)}</p>\n{statement}\n"
            f'<p class="tanggal">Tanggal laporan: {esc(date_text)}</p>\n</header>')


def note(text: str) -> str:
    """A boxed note for the reader (e.g. how a figure is computed)."""
    return f'<p class="catatan">{esc(text)}</p>'
