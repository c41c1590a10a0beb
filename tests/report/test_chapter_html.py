"""The chapter model rendered as HTML (`report.chapter_html`): every cell is the model's
`Table.shown`, read back by parsing the HTML; the analyst's words stand apart from the
generated text; missing inputs are marked; text is escaped; figures are embedded."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser

import pytest

from iku_lib import load_dataset
from iku_lib.report.chapter import build_chapter
from iku_lib.report.chapter_html import ANALYST_LABEL, chapter_page, render_chapter
from iku_lib.report.chapter_model import Chapter, Column, Paragraph, Section, Table
from iku_lib.report.page import external_resources

from ..conftest import RAW


class _Page(HTMLParser):
    """Every table (id, classes, caption, header, body rows as written, with rowspans), the
    headings, and the text inside the analyst's blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.headings: list[tuple[str, str]] = []
        self.analyst: list[str] = []
        self._cell = self._heading = None
        self._part = ""
        self._div_depth = 0  # >0 inside <div class="analis">

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"id": attrs.get("id"), "class": attrs.get("class", ""), "caption": "", "head": [],
                                "rows": []})
        elif tag == "caption":
            self._part = "caption"
        elif tag == "thead":
            self._part = "head"
        elif tag == "tbody":
            self._part = "body"
        elif tag == "tr" and self._part == "body":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = {"text": "", "span": int(attrs.get("rowspan", 1)), "class": attrs.get("class", "")}
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = [tag, ""]
        elif tag == "div" and (self._div_depth or attrs.get("class") == "analis"):
            self._div_depth += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            target = self.tables[-1]["head"] if self._part == "head" else self.tables[-1]["rows"][-1]
            target.append(self._cell)
            self._cell = None
        elif tag == "caption":
            self._part = ""
        elif re.fullmatch(r"h[1-6]", tag) and self._heading:
            self.headings.append(tuple(self._heading))
            self._heading = None
        elif tag == "div" and self._div_depth:
            self._div_depth -= 1

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data
        elif self._part == "caption" and self.tables:
            self.tables[-1]["caption"] += data
        if self._heading is not None:
            self._heading[1] += data
        if self._div_depth:
            self.analyst.append(data)


def parse(html: str) -> _Page:
    parser = _Page()
    parser.feed(html)
    return parser


def grid(rows: list[list[dict]], width: int) -> list[list[str]]:
    """Body rows with every merged cell repeated in the rows it spans."""
    out: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still covered)
    for cells in rows:
        row, it = [], iter(cells)
        for j in range(width):
            if j in pending:
                text, left = pending[j]
                row.append(text)
                pending[j] = (text, left - 1)
                if left - 1 == 0:
                    del pending[j]
                continue
            cell = next(it)
            row.append(cell["text"])
            if cell["span"] > 1:
                pending[j] = (cell["text"], cell["span"] - 1)
        out.append(row)
    return out


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_chapter(load_dataset(RAW), 2023, figures_dir=tmp_path_factory.mktemp("gambar"))


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    data = tmp_path_factory.mktemp("tanpa") / "raw"
    shutil.copytree(RAW, data)
    for name in ("analisis.csv", "standar.csv", "anggaran.csv"):
        (data / name).unlink()
    return build_chapter(load_dataset(data), 2023, figures_dir=tmp_path_factory.mktemp("gambar-tanpa"))


@pytest.mark.parametrize("which", ["sample", "bare"])
def test_every_html_cell_is_the_model_s_shown_text(which, request):
    chapter = request.getfixturevalue(which)
    page = parse(render_chapter(chapter))
    tables = chapter.tables()
    assert len(page.tables) == len(tables) > 20
    for model, html in zip(tables, page.tables):
        assert html["id"] == model.key and html["caption"] == model.title
        assert [c["text"] for c in html["head"]] == [c.header for c in model.columns]
        expected = [[model.shown(i, c) for c in model.columns] for i in range(len(model.frame))]
        assert grid(html["rows"], len(model.columns)) == expected, model.key
        numeric = [c.kind != "teks" for c in model.columns]
        for cells in html["rows"]:
            if len(cells) == len(model.columns):  # a row without merged cells: classes line up with columns
                assert ["angka" in c["class"] for c in cells] == numeric, model.key


def test_merged_sasaran_cells_span_their_indicators(sample):
    page = parse(render_chapter(sample))
    capaian = next(t for t in page.tables if t["id"] == "tabel-capaian")
    # IKU-02..IKU-04 share one sasaran: one cell spanning three rows.
    assert capaian["rows"][1][1]["text"] == "Peningkatan pengelolaan tata pemerintahan di Kecamatan"
    assert capaian["rows"][1][1]["span"] == 3 and len(capaian["rows"][2]) == len(capaian["rows"][1]) - 1
    budget = next(t for t in page.tables if t["id"] == "tabel-anggaran")
    assert budget["rows"][-1][0]["text"] == "Jumlah"


def test_headings_follow_the_levels(sample):
    page = parse(render_chapter(sample))
    assert page.headings[0] == ("h2", "Bab III Akuntabilitas Kinerja")
    assert ("h3", "A. Capaian Kinerja Organisasi") in page.headings
    assert ("h4", "Sasaran 2: Peningkatan pengelolaan tata pemerintahan di Kecamatan") in page.headings
    assert ("h5", "IKU-02 Persentase kepemilikan KTP-El di kecamatan") in page.headings
    assert ("h6", "Perbandingan dengan standar nasional/provinsi") in page.headings
    assert [h for h in page.headings if h[0] == "h3"] == [
        ("h3", "A. Capaian Kinerja Organisasi"), ("h3", "B. Realisasi Anggaran"),
        ("h3", "Lampiran 1. Perjanjian Kinerja Tahun 2023"), ("h3", "Lampiran 2. Indikator Kinerja Utama")]


def test_the_analyst_s_words_stand_apart_under_their_label(sample):
    html = render_chapter(sample)
    page = parse(html)
    inside = re.sub(r"\s+", " ", "".join(page.analyst))
    analyst = [b for s in sample.walk() for b in s.blocks if isinstance(b, Paragraph) and b.voice == "analis"]
    generated = [b for s in sample.walk() for b in s.blocks if isinstance(b, Paragraph) and b.voice == "narasi"]
    assert analyst and all(f"{b.label}: {b.text}" in inside for b in analyst)
    assert not any(b.text in inside for b in generated)
    assert html.count(f'<p class="analis-judul">{ANALYST_LABEL}</p>') == html.count('<div class="analis">')
    # IKU-02's causes: one block, three labelled paragraphs, after the generated lead.
    section = html.split('id="bagian-IKU-02-5"')[1].split("</section>")[0]
    assert section.index("belum tercapai (capaian 98,50%)") < section.index('<div class="analis">')
    assert section.count('<div class="analis">') == 1 and section.count('class="analis-label"') == 3


def test_missing_inputs_are_marked(bare):
    html = render_chapter(bare)
    head = html.split("<h3>")[0]
    assert "Masukan yang belum tersedia" in head and head.count("<li>") == 3
    assert html.count("Perlu dilengkapi:</strong> Analisis penyebab belum diisi (analisis.csv)") == 11
    assert html.count("<td>tidak dapat dihitung</td>") == 11
    assert '<div class="analis">' not in html


def test_text_is_escaped_and_line_breaks_kept(tmp_path):
    frame = __import__("pandas").DataFrame({"x": ["<b>tebal</b>"], "n": [1.5]})
    chapter = Chapter("Bab <III>", 2023, "Desa & Co", [Section("A. <Bagian>", 1, [
        Paragraph("baris satu\nbaris <dua>", voice="analis", label="Solusi"),
        Paragraph("<script>alert(1)</script>"),
        Table("Tabel <uji>", frame, [Column("x", "Teks <x>"), Column("n", "Angka", "angka", 1)], key="uji")])])
    html = render_chapter(chapter)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Bab &lt;III&gt;" in html and "Desa &amp; Co" in html and "&lt;b&gt;tebal&lt;/b&gt;" in html
    assert "baris satu<br>baris &lt;dua&gt;" in html
    assert '<td class="angka">1,5</td>' in html


def test_a_whole_page_is_self_contained(sample):
    html = chapter_page(sample)
    assert external_resources(html) == []
    images = re.findall(r'<img alt="([^"]*)" src="([^"]{0,30})', html)
    assert [alt for alt, _ in images] == ["Grafik capaian kinerja per indikator tahun 2023",
                                          "Grafik realisasi dan target per indikator tahun 2023",
                                          "Grafik serapan anggaran per program tahun 2023"]
    assert all(src.startswith("data:image/png;base64,") for _, src in images)
    assert '<html lang="id">' in html and "<script" not in html.lower()
