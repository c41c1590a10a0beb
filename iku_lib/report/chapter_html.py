"""LKjIP chapter III (`chapter_model.Chapter`) as HTML, through one Jinja2 template.

`render_chapter(chapter)` gives an HTML fragment (for a notebook's `display(HTML(...))`, and so
for the annual report page); `chapter_page(chapter)` a whole page (`page.page`). Every table
cell is `Table.shown(...)`, the text the Word file shows too; every text is escaped (Jinja2
autoescape). The analyst's own words (voice `analis`) stand in a bordered block headed
"Analisis (ditulis oleh analis)", apart from the generated text; an input not given (voice
`belum_ada`) in a dashed yellow box opened by "Perlu dilengkapi". Figures are embedded from
their PNG files (data: URIs), so the page needs no other file.

>>> from .chapter_model import Chapter, Section, Paragraph
>>> chapter = Chapter("Bab III", 2023, "Kecamatan <Uji>", [Section("A. Bagian", 1, [
...     Paragraph("Dari analis", voice="analis", label="Solusi"), Paragraph("Belum diisi", voice="belum_ada")])])
>>> html = render_chapter(chapter)
>>> "Kecamatan &lt;Uji&gt;" in html, '<div class="analis">' in html, "Perlu dilengkapi:" in html
(True, True, True)
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from .chapter_model import Block, Chapter, Figure, Paragraph, Section, Table
from .page import page

ANALYST_LABEL = "Analisis (ditulis oleh analis)"
MISSING_LABEL = "Perlu dilengkapi"
MISSING_TITLE = "Masukan yang belum tersedia"
MISSING_DESA_TITLE = "Desa tanpa data"  # the chapter's `missing_desa`
MISSING_DESA_LEAD = "desa berikut tidak melaporkan nilai yang diperlukan indikator; begini perlakuannya."
NOWRAP = ("indikator", "predikat")  # column keys kept on one line (an id, a short grade)
LONG_TEXT = 40  # a table with a longer text in a cell takes the page's width; others only what they need

CSS = """
.bab { --bab-biru: #1f4e79; --bab-garis: #c9d3df; }
.bab h2.bab-judul { color: var(--bab-biru); font-size: 1.55em; margin: 1.6em 0 .1em;
                   border-bottom: 3px solid var(--bab-biru); }
.bab p.bab-wilayah { margin: 0 0 1.2em; color: #444; }
.bab h3 { color: var(--bab-biru); font-size: 1.3em; margin: 1.8em 0 .5em; padding-bottom: .15em;
          border-bottom: 2px solid var(--bab-biru); }
.bab h4 { color: var(--bab-biru); font-size: 1.15em; margin: 1.6em 0 .4em; }
.bab h5 { color: #123; font-size: 1.05em; margin: 1.4em 0 .4em; padding: 5px 9px; background: #eef3f8;
          border-left: 4px solid var(--bab-biru); }
.bab h6 { color: var(--bab-biru); font-size: .98em; margin: 1.1em 0 .3em; }
.bab h3, .bab h4, .bab h5, .bab h6 { break-after: avoid; page-break-after: avoid; }
.bab table.data { border-collapse: collapse; width: auto; max-width: 100%; margin: .5em 0 .9em;
                  font-size: 13px; }
.bab table.data.lebar, .bab table.data.rincian { width: 100%; }
.bab table.data th, .bab table.data td { border: 1px solid var(--bab-garis); padding: 4px 7px; vertical-align: top;
                                         text-align: left; }
.bab table.data thead th { background: #eef3f8; font-weight: 600; }
.bab table.data .angka { text-align: right; font-variant-numeric: tabular-nums; }
.bab table.data td.angka, .bab table.data .nowrap { white-space: nowrap; }
.bab table.data caption { caption-side: top; text-align: left; font-weight: 600; padding: 0 0 .3em; }
.bab table.data tr.jumlah td { font-weight: 700; background: #f2f2f2; }
.bab p.catatan-tabel { font-size: .85em; color: #555; margin: -.5em 0 1em; }
.bab .analis { border: 1px solid #2e75b6; border-left: 6px solid #2e75b6; background: #eaf1fb; border-radius: 3px;
               padding: 8px 14px 4px; margin: .6em 0 1em; break-inside: avoid; page-break-inside: avoid; }
.bab .analis p { margin: .2em 0 .5em; }
.bab .analis p.analis-judul { font-size: .78em; font-weight: 700; letter-spacing: .05em; text-transform: uppercase;
                              color: #2e75b6; margin: 0 0 .3em; }
.bab .analis .analis-label { font-weight: 600; }
.bab .belum-ada { border: 1px dashed #c00000; background: #fff2cc; color: #7a1d00; border-radius: 3px;
                  padding: 6px 12px; margin: .5em 0 1em; }
.bab .belum-ada ul { margin: .2em 0 .2em 1.2em; padding: 0; }
.bab figure { margin: .8em 0 1.4em; break-inside: avoid; page-break-inside: avoid; }
.bab figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.bab figcaption { font-size: .9em; color: #444; margin-top: .3em; }
"""

TEMPLATE = """\
{%- macro paragraph_text(text) -%}
{%- for line in text.split("\\n") %}{{ line }}{% if not loop.last %}<br>{% endif %}{% endfor -%}
{%- endmacro -%}
{%- macro section(s) -%}
<section class="bagian tingkat-{{ s.level }}" id="{{ s.anchor }}">
<h{{ s.heading }}>{{ s.title }}</h{{ s.heading }}>
{% for item in s.parts -%}
{% if item.kind == "narasi" -%}
<p>{{ paragraph_text(item.block.text) }}</p>
{% elif item.kind == "belum_ada" -%}
<p class="belum-ada"><strong>{{ missing_label }}\
{% if item.block.label %} ({{ item.block.label }}){% endif %}:</strong> {{ paragraph_text(item.block.text) }}</p>
{% elif item.kind == "analis" -%}
<div class="analis">
<p class="analis-judul">{{ analyst_label }}</p>
{% for p in item.blocks -%}
<p>{% if p.label %}<span class="analis-label">{{ p.label }}:</span> {% endif %}{{ paragraph_text(p.text) }}</p>
{% endfor -%}
</div>
{% elif item.kind == "tabel" -%}
<table class="{{ item.css }}"{% if item.id %} id="{{ item.id }}"{% endif %}>
<caption>{{ item.title }}</caption>
<thead><tr>{% for h in item.header %}<th{% if h.css %} class="{{ h.css }}"{% endif %}>{{ h.text }}</th>\
{% endfor %}</tr></thead>
<tbody>
{% for row in item.rows -%}
<tr{% if row.total %} class="jumlah"{% endif %}>{% for c in row.cells %}\
<td{% if c.css %} class="{{ c.css }}"{% endif %}\
{% if c.span > 1 %} rowspan="{{ c.span }}"{% endif %}>{{ c.text }}</td>{% endfor %}</tr>
{% endfor -%}
</tbody>
</table>
{% if item.note %}<p class="catatan-tabel">{{ item.note }}</p>
{% endif -%}
{% elif item.kind == "gambar" -%}
<figure class="grafik"><img alt="{{ item.alt }}" src="data:image/png;base64,{{ item.data }}">\
<figcaption>{{ item.title }}</figcaption></figure>
{% endif -%}
{% endfor -%}
{% for child in s.children %}{{ section(child) }}{% endfor -%}
</section>
{% endmacro -%}
<div class="bab">
<style>{{ css }}</style>
<h2 class="bab-judul">{{ chapter.title }}</h2>
<p class="bab-wilayah">{{ chapter.area }} · Tahun {{ chapter.year }}</p>
{% if chapter.missing -%}
<div class="belum-ada masukan"><strong>{{ missing_title }}:</strong>
<ul>{% for m in chapter.missing %}<li>{{ m }}</li>{% endfor %}</ul></div>
{% endif -%}
{% if chapter.missing_desa -%}
<div class="belum-ada desa-kosong"><strong>{{ missing_desa_title }}:</strong> {{ missing_desa_lead }}
<ul>{% for m in chapter.missing_desa %}<li>{{ m }}</li>{% endfor %}</ul></div>
{% endif -%}
{% for s in sections %}{{ section(s) }}{% endfor -%}
</div>
"""

_ENV = jinja2.Environment(autoescape=True, trim_blocks=False, lstrip_blocks=False, undefined=jinja2.StrictUndefined)


@dataclass
class _Cell:
    text: str
    css: str = ""
    span: int = 1


def _table_view(table: Table) -> dict:
    """A table as the template lays it out: header, rows of cells (merged cells with their
    rowspan, the cells they cover left out)."""
    numeric = ["angka" if c.kind != "teks" else "" for c in table.columns]
    css = [" ".join(x for x in (n, "nowrap" if c.key in NOWRAP else "") if x) for n, c in zip(numeric, table.columns)]
    texts = [[table.shown(i, c) for c in table.columns] for i in range(len(table.frame))]
    spans = [[1] * len(table.columns) for _ in texts]
    for j, column in enumerate(table.columns):
        if column.key not in table.merge:
            continue
        i = 0
        while i < len(texts):
            k = i + 1
            while k < len(texts) and texts[k][j] == texts[i][j] and not (table.total_row and k == len(texts) - 1):
                spans[k][j] = 0
                k += 1
            spans[i][j] = k - i
            i = k
    rows = []
    for i, row in enumerate(texts):
        cells = [_Cell(text, css[j], spans[i][j]) for j, text in enumerate(row) if spans[i][j]]
        rows.append({"cells": cells, "total": table.total_row and i == len(texts) - 1})
    long_text = any(len(row[j]) > LONG_TEXT for row in texts for j, c in enumerate(table.columns) if c.kind == "teks")
    kinds = ["data", "rincian"] if table.key.startswith("rincian-") else ["data"] + (["lebar"] if long_text else [])
    return {"kind": "tabel", "id": table.key, "title": table.title, "note": table.note, "css": " ".join(kinds),
            "header": [_Cell(c.header, css[j]) for j, c in enumerate(table.columns)], "rows": rows}


def _figure_view(figure: Figure) -> dict:
    data = base64.b64encode(Path(figure.path).read_bytes()).decode("ascii")
    return {"kind": "gambar", "title": figure.title, "alt": figure.alt or figure.title, "data": data}


def _items(blocks: list[Block]) -> list[dict]:
    """The blocks in order; consecutive analyst paragraphs become one block."""
    items: list[dict] = []
    for block in blocks:
        if isinstance(block, Paragraph) and block.voice == "analis":
            if items and items[-1]["kind"] == "analis":
                items[-1]["blocks"].append(block)
            else:
                items.append({"kind": "analis", "blocks": [block]})
        elif isinstance(block, Paragraph):
            items.append({"kind": block.voice, "block": block})
        elif isinstance(block, Table):
            items.append(_table_view(block))
        else:
            items.append(_figure_view(block))
    return items


def anchor(key: str) -> str:
    """The HTML id of a section.

    >>> anchor("IKU-02/4"), anchor("III.A")
    ('bagian-IKU-02-4', 'bagian-III-A')
    """
    return "bagian-" + key.replace("/", "-").replace(".", "-").replace(" ", "-")


def _section_view(section: Section) -> dict:
    return {"title": section.title, "level": section.level, "heading": min(section.level + 2, 6),
            "anchor": anchor(section.key or section.title), "parts": _items(section.blocks),
            "children": [_section_view(s) for s in section.sections]}


def render_chapter(chapter: Chapter) -> str:
    """The chapter as an HTML fragment (its own small stylesheet included)."""
    template = _ENV.from_string(TEMPLATE)
    return template.render(chapter=chapter, sections=[_section_view(s) for s in chapter.sections], css=Markup(CSS),
                           analyst_label=ANALYST_LABEL, missing_label=MISSING_LABEL, missing_title=MISSING_TITLE,
                           missing_desa_title=f"{MISSING_DESA_TITLE} tahun {chapter.year}",
                           missing_desa_lead=MISSING_DESA_LEAD[0].upper() + MISSING_DESA_LEAD[1:])


def chapter_page(chapter: Chapter, title: str | None = None) -> str:
    """The chapter as a whole HTML page (A4 print, no external resource)."""
    return page(title or f"{chapter.title} – {chapter.area} {chapter.year}", render_chapter(chapter))
