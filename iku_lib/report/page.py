"""The HTML page around a report: a small embedded stylesheet (screen and A4 print), no
external resource of any kind, so the file opens the same with no network.

>>> html = page("Judul <1>", "<p>isi</p>")
>>> "<title>Judul &lt;1&gt;</title>" in html and "@page" in html
True
>>> external_resources('<img src="https://cdn.example/x.png"><a href="https://bappeda.example">x</a>')
['https://cdn.example/x.png']
"""

from __future__ import annotations

import re

from .markup import esc

CSS = """
:root { --biru: #1f4e79; --garis: #c9d3df; --muda: #eef3f8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font-family: "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 15px;
       line-height: 1.5; color: #1d1d1d; background: #fff; margin: 0 auto; max-width: 1040px; padding: 24px 28px 48px; }
h1, h2, h3, h4 { color: var(--biru); line-height: 1.25; break-after: avoid; page-break-after: avoid; }
h1 { font-size: 1.9em; margin: .4em 0 .2em; }
h2 { font-size: 1.4em; margin-top: 1.8em; padding-bottom: .2em; border-bottom: 2px solid var(--biru); }
h3 { font-size: 1.12em; margin-top: 1.5em; }
p { margin: .45em 0 .8em; }
a.anchor-link { display: none; }
.prompt, .input, .input_prompt, .output_prompt { display: none; }
.output_wrapper, .output, .output_area, .output_subarea, .inner_cell, .text_cell_render { margin: 0; padding: 0; }
.output_subarea pre { white-space: pre-wrap; }
.sampul { border: 1px solid var(--garis); border-top: 8px solid var(--biru); padding: 28px 32px;
          margin: 0 0 28px; background: #fbfcfe; break-after: page; page-break-after: always; }
.sampul .instansi { font-size: 1.05em; font-weight: 600; letter-spacing: .02em; text-transform: uppercase;
                    color: #444; margin: 0; }
.sampul .subjudul { font-size: 1.15em; margin: 0 0 1.2em; }
.sampul .tanggal { margin-top: 1.4em; color: #444; }
table { border-collapse: collapse; width: 100%; margin: .6em 0 1.2em; font-size: 13px; }
table.data th, table.data td { border: 1px solid var(--garis); padding: 5px 7px; vertical-align: top; text-align: left; }
table.data thead th { background: var(--muda); color: #123; font-weight: 600; }
table.data tbody tr:nth-child(even) td { background: #fafbfd; }
table.data td.angka, table.data th.angka { text-align: right; font-variant-numeric: tabular-nums; }
table.data td.angka { white-space: nowrap; }
table.data td.nowrap { white-space: nowrap; }
table.rincian td.angka { width: 1%; }
table.rincian td:last-child { width: 36%; }
table.data caption { caption-side: top; text-align: left; font-weight: 600; padding: 0 0 .3em; color: #333; }
table.visi-misi th, table.definisi th { text-align: left; vertical-align: top; width: 11em; padding: 4px 10px 4px 0;
                                        color: var(--biru); }
table.visi-misi td, table.definisi td { padding: 4px 0; vertical-align: top; }
table.visi-misi ol { margin: 0; padding-left: 1.2em; }
table.definisi td { word-break: break-word; }
table.berkas td:last-child { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 11px; word-break: break-all; }
thead { display: table-header-group; }
tr, td, th { break-inside: avoid; page-break-inside: avoid; }
figure { margin: .8em 0 1.4em; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { font-size: .9em; color: #444; margin-top: .3em; }
.catatan { background: #fff8e5; border-left: 4px solid #e0a800; padding: 8px 12px; font-size: .95em; }
.indikator { break-inside: avoid-page; }
ul.laporan { padding-left: 1.2em; } ul.laporan li { margin: .35em 0; }
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  table { font-size: 9pt; }
  table.data th, table.data td { padding: 3px 4px; }
  table.data td.nowrap { white-space: normal; }
  h2 { break-before: auto; }
  a { color: inherit; text-decoration: none; }
  .sampul { min-height: 240mm; }
}
@media (max-width: 700px) { body { padding: 12px; } table { font-size: 12px; } }
"""

_EXTERNAL = re.compile(
    r"""<(?:script|img|link|iframe|source|video|audio|embed|object)\b[^>]*?\b(?:src|href|data)\s*=\s*["']?"""
    r"""((?:https?:)?//[^"'\s>]+)""", re.IGNORECASE)
_CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])((?:https?:)?//[^"')\s]+)""", re.IGNORECASE)


def page(title: str, body: str) -> str:
    """A complete HTML5 document in Bahasa Indonesia around `body` (already HTML)."""
    return ("<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def external_resources(html: str) -> list[str]:
    """Addresses the page would fetch from the network (scripts, images, styles, frames, CSS
    urls); plain links a reader may click are not resources."""
    return _EXTERNAL.findall(html) + _CSS_URL.findall(html)
