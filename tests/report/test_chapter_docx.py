"""The LKjIP chapter as a Word file: read back with python-docx, every table cell is the
model's `Table.shown` text (so the numbers equal the HTML), headings follow the sections'
levels in order, the header row repeats, the analyst's words and the missing inputs stand
apart, figures are embedded, the same chapter gives the same bytes, and a failed write
leaves the last good file. LibreOffice, when installed, turns the file into a PDF."""

from __future__ import annotations

import datetime
import importlib.util
import math
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pandas as pd
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as DocxTable
from matplotlib.figure import Figure as MplFigure

from iku_lib.outputs import OutputError
from iku_lib.report import chapter_docx
from iku_lib.report.chapter_docx import write_chapter_docx
from iku_lib.report.chapter_model import Chapter, Column, Figure, Paragraph, Section, Table

from ..conftest import RAW

CHAPTER_BUILDER = importlib.util.find_spec("iku_lib.report.chapter") is not None
SOFFICE = shutil.which("soffice")

COLUMNS = [Column("indikator", "Kode Indikator"), Column("nama", "Indikator Kinerja"),
           Column("realisasi", "Realisasi", "angka", 2), Column("capaian", "Capaian (%)", "persen", 2),
           Column("pagu", "Pagu (Rp)", "rupiah"), Column("desa", "Jumlah Desa", "bulat")]
# The cells as an Indonesian reader expects them, worked out by hand from the frame below:
# 1234,5 with 2 decimals; 92,857142% rounded to 2; Rp rounded to whole rupiah half up
# (1.234.567,5 -> 1.234.568); 95,005% half up -> 95,01%; a missing value is the dash.
EXPECTED_CELLS = [
    ["Kode Indikator", "Indikator Kinerja", "Realisasi", "Capaian (%)", "Pagu (Rp)", "Jumlah Desa"],
    ["IKU-01", "Persentase desa dengan APB Desa ditetapkan tepat waktu", "1.234,50", "92,86%", "Rp1.234.568", "14"],
    ["IKU-02", "Indeks kepuasan masyarakat", "97,44", "–", "Rp250.000.000", "3.085"],
    ["Jumlah", "", "–", "95,01%", "Rp251.234.568", "3.099"],
]
ANALYST_TEXT = "Pendampingan desa dilakukan sejak Januari.\nRapat koordinasi tiap triwulan."
YEARS = [2019, 2020, 2021, 2022, 2023]


def capaian_table() -> Table:
    frame = pd.DataFrame({
        "indikator": ["IKU-01", "IKU-02", "Jumlah"],
        "nama": ["Persentase desa dengan APB Desa ditetapkan tepat waktu", "Indeks kepuasan masyarakat", ""],
        "realisasi": [1234.5, 97.444, math.nan],
        "capaian": [92.857142, math.nan, 95.005],
        "pagu": [1234567.5, 250000000.0, 251234567.5],
        "desa": [14.0, 3085.0, 3099.0],
    })
    return Table("Capaian Kinerja Sasaran 1", frame, COLUMNS, note="Sumber: data desa 2023 (diolah).", total_row=True)


def wide_table() -> Table:
    """Target, realisasi and capaian for five years and the Renstra end target: 17 columns,
    too wide for a portrait page."""
    frame = pd.DataFrame({"nama": ["Persentase desa dengan APB Desa tepat waktu"]})
    columns = [Column("nama", "Indikator Kinerja")]
    for year in YEARS:
        for key, header, kind in (("t", "Target", "persen"), ("r", "Realisasi", "persen"), ("c", "Capaian", "persen")):
            frame[f"{key}{year}"] = [10000.0 / 3]
            columns.append(Column(f"{key}{year}", f"{header} {year}", kind, 2))
    frame["akhir"] = [100.0]
    columns.append(Column("akhir", "Target Akhir Renstra", "persen", 2))
    return Table("Target, realisasi dan capaian 2019-2023", frame, columns)


def hand_chapter(png: Path) -> Chapter:
    return Chapter("BAB III AKUNTABILITAS KINERJA", 2023, "Kecamatan Contoh",
                   missing=["analisis.csv: penyebab dan solusi", "anggaran.csv: pagu dan realisasi"], sections=[
        Section("A. Capaian Kinerja Organisasi", 1, key="A", blocks=[
            Paragraph("Bagian ini menyajikan capaian kinerja Kecamatan Contoh tahun 2023.\nBaris kedua.")], sections=[
            Section("Sasaran 1: Meningkatnya kualitas pelayanan publik", 2, key="S1", blocks=[capaian_table()],
                    sections=[
                Section("IKU-01 Persentase desa dengan APB Desa tepat waktu", 3, key="IKU-01", sections=[
                    Section("1. Target dan realisasi", 4, key="IKU-01/target", blocks=[
                        Paragraph("Realisasi 92,86% dari target 100%."),
                        Figure("Capaian IKU-01", png, alt="Batang capaian per indikator")]),
                    Section("2. Perbandingan antartahun", 4, key="IKU-01/tahun", blocks=[wide_table()]),
                    Section("5. Penyebab keberhasilan atau kegagalan", 4, key="IKU-01/penyebab", blocks=[
                        Paragraph(ANALYST_TEXT, "analis", "Faktor pendukung"),
                        Paragraph("Solusi belum diisi kantor (analisis.csv, kolom solusi).", "belum_ada", "Solusi")]),
                ])])]),
        Section("B. Realisasi Anggaran", 1, key="B", blocks=[
            Paragraph("Anggaran belum tersedia: isi anggaran.csv.", "belum_ada")]),
    ])


def draw_png(path: Path) -> Path:
    """A 600 x 300 px chart (6 x 3 in at 100 dpi)."""
    fig = MplFigure(figsize=(6, 3), dpi=100)
    fig.add_subplot().bar(["IKU-01", "IKU-02"], [92.86, 97.44])
    fig.savefig(path, dpi=100)
    return path


@pytest.fixture(scope="module")
def png(tmp_path_factory) -> Path:
    return draw_png(tmp_path_factory.mktemp("gambar") / "capaian.png")


@pytest.fixture(scope="module")
def chapter(png) -> Chapter:
    return hand_chapter(png)


@pytest.fixture(scope="module")
def written(chapter, tmp_path_factory) -> Path:
    return write_chapter_docx(chapter, tmp_path_factory.mktemp("docx") / "bab-iii-2023.docx")


@pytest.fixture(scope="module")
def document(written):
    return docx.Document(str(written))


# --- helpers ---------------------------------------------------------------------------------

def cell_texts(table: DocxTable) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def model_texts(table: Table) -> list[list[str]]:
    return [[c.header for c in table.columns]] + [[table.shown(r, c) for c in table.columns]
                                                  for r in range(len(table.frame))]


def alignment(paragraph):
    """The paragraph's alignment, its own or its style's (or the styles it is based on)."""
    if paragraph.alignment is not None:
        return paragraph.alignment
    style = paragraph.style
    while style is not None:
        if style.paragraph_format.alignment is not None:
            return style.paragraph_format.alignment
        style = style.base_style
    return None


def headings(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs
            if p.style.name == "Title" or p.style.name.startswith("Heading ")]


def styled(document, name: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == name]


def pdf_pages(path: Path) -> list[tuple[float, float]]:
    """(width, height) in points of every page of a PDF written by LibreOffice."""
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/Type\s*/Page\b(?!s).*?/MediaBox\s*\[\s*[\d.]+\s+[\d.]+\s+([\d.]+)\s+([\d.]+)\s*\]",
                       data, re.DOTALL)
    return [(float(w), float(h)) for w, h in boxes]


def to_pdf(path: Path, tmp: Path) -> Path:
    out = tmp / "pdf"
    profile = (tmp / "lo-profile").as_uri()  # its own profile: runs beside other LibreOffice runs
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(out), str(path)], capture_output=True, text=True, timeout=300)
    pdf = out / (path.stem + ".pdf")
    assert done.returncode == 0 and pdf.is_file(), done.stdout + done.stderr
    return pdf


# --- tables ----------------------------------------------------------------------------------

def test_every_cell_is_the_models_shown_text(chapter, document):
    assert len(document.tables) == len(chapter.tables()) == 2
    assert cell_texts(document.tables[0]) == EXPECTED_CELLS
    for ours, model in zip(document.tables, chapter.tables()):
        assert cell_texts(ours) == model_texts(model)
    wide = cell_texts(document.tables[1])
    assert wide[0][:4] == ["Indikator Kinerja", "Target 2019", "Realisasi 2019", "Capaian 2019"]
    assert wide[1][1:] == ["3.333,33%"] * 15 + ["100,00%"]  # 10000/3 = 3333,333...


def test_tables_are_real_word_tables_with_a_repeated_header_row(document):
    for table in document.tables:
        assert table.style.name == "Table Grid"
        rows = table.rows
        assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in rows[1:])
        assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)  # rows never split
        assert all(run.bold for cell in rows[0].cells for p in cell.paragraphs for run in p.runs)
    assert not document.inline_shapes[0]._inline.xpath("ancestor::w:tbl")  # the figure is no table


def test_numbers_right_aligned_text_left_total_row_bold(document):
    table = document.tables[0]
    kinds = ["teks", "teks", "angka", "persen", "rupiah", "bulat"]
    for row in table.rows[1:]:
        for kind, cell in zip(kinds, row.cells):
            expected = WD_ALIGN_PARAGRAPH.LEFT if kind == "teks" else WD_ALIGN_PARAGRAPH.RIGHT
            assert alignment(cell.paragraphs[0]) == expected, (kind, cell.text)
    runs = lambda row: [run for cell in row.cells for p in cell.paragraphs for run in p.runs]  # noqa: E731
    assert all(run.bold for run in runs(table.rows[3]))  # Jumlah
    assert not any(run.bold for row in table.rows[1:3] for run in runs(row))


def test_equal_consecutive_cells_of_merge_columns_are_one_cell(tmp_path):
    """As LKjIP tables show one sasaran for its indicators: the merge columns' equal cells
    become one cell; a sasaran never spans two numbers (the merge column before it)."""
    frame = pd.DataFrame({"no": ["1", "2", "2", "3"],
                          "sasaran": ["Pelayanan", "Tata kelola", "Tata kelola", "Tata kelola"],
                          "indikator": ["IKU-01", "IKU-02", "IKU-03", "IKU-04"]})
    table = Table("Perjanjian Kinerja", frame, [Column("no", "No"), Column("sasaran", "Sasaran Strategis"),
                                                Column("indikator", "Kode Indikator")], merge=["no", "sasaran"])
    chapter = Chapter("Bab III", 2023, "Kecamatan Contoh", sections=[Section("Lampiran", 1, blocks=[table])])
    [ours] = docx.Document(str(write_chapter_docx(chapter, tmp_path / "pk.docx"))).tables
    merges = [[(tc.tcPr.find(qn("w:vMerge")).get(qn("w:val"), "continue")
                if tc.tcPr.find(qn("w:vMerge")) is not None else None) for tc in tr.tc_lst]
              for tr in ours._tbl.tr_lst[1:]]
    assert merges == [[None, None, None], ["restart", "restart", None], ["continue", "continue", None],
                      [None, None, None]]
    assert "".join(ours._tbl.tr_lst[3].tc_lst[1].itertext()) == ""  # the text is written once
    assert cell_texts(ours) == [["No", "Sasaran Strategis", "Kode Indikator"], ["1", "Pelayanan", "IKU-01"],
                                ["2", "Tata kelola", "IKU-02"], ["2", "Tata kelola", "IKU-03"],
                                ["3", "Tata kelola", "IKU-04"]]


def test_table_widths_fill_the_text_width(document):
    grid = document.tables[0]._tbl.tblGrid
    widths = [int(col.get(qn("w:w"))) for col in grid.findall(qn("w:gridCol"))]
    assert abs(sum(widths) - 8788) <= 6  # 15,5 cm = 8788 twips (rounded per column)
    name, text = widths[1], widths[0]
    assert name > text  # the long indicator name gets the widest column


def test_caption_above_table_and_note_below(document):
    body = list(document.iter_inner_content())
    first = next(i for i, item in enumerate(body) if isinstance(item, DocxTable))
    assert (body[first - 1].style.name, body[first - 1].text) == ("Caption", "Tabel 1. Capaian Kinerja Sasaran 1")
    assert (body[first + 1].style.name, body[first + 1].text) == ("Catatan Tabel", "Sumber: data desa 2023 (diolah).")
    instructions = [t.text for t in document.element.body.iter(qn("w:instrText"))]
    assert " SEQ Tabel \\* ARABIC " in instructions and " SEQ Gambar \\* ARABIC " in instructions


def test_a_too_wide_table_gets_a_landscape_page_with_its_heading(document):
    sections = document.sections
    assert [s.orientation for s in sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    assert round(sections[1].page_width.cm, 1) == 29.7 and round(sections[1].page_height.cm, 1) == 21.0
    body = list(document.iter_inner_content())
    breaks = [i for i, item in enumerate(body)
              if not isinstance(item, DocxTable) and item._p.find(qn("w:pPr") + "/" + qn("w:sectPr")) is not None]
    heading = next(i for i, item in enumerate(body)
                   if not isinstance(item, DocxTable) and item.text == "2. Perbandingan antartahun")
    wide = [i for i, item in enumerate(body) if isinstance(item, DocxTable)][1]
    assert len(breaks) == 2 and breaks[0] < heading < wide < breaks[1]  # the heading moved with its table
    sizes = {run.font.size for row in document.tables[1].rows for c in row.cells for p in c.paragraphs
             for run in p.runs}
    assert sizes <= {Pt(8), Pt(7)}  # smaller than the 9 pt of ordinary tables


# --- headings and text -----------------------------------------------------------------------

def test_headings_follow_the_section_levels_in_order(document):
    assert headings(document) == [
        ("Title", "BAB III AKUNTABILITAS KINERJA"),
        ("Heading 1", "A. Capaian Kinerja Organisasi"),
        ("Heading 2", "Sasaran 1: Meningkatnya kualitas pelayanan publik"),
        ("Heading 3", "IKU-01 Persentase desa dengan APB Desa tepat waktu"),
        ("Heading 4", "1. Target dan realisasi"),
        ("Heading 4", "2. Perbandingan antartahun"),
        ("Heading 4", "5. Penyebab keberhasilan atau kegagalan"),
        ("Heading 1", "B. Realisasi Anggaran"),
    ]
    for level in (1, 2, 3, 4):  # Word's table of contents reads the outline level of each style
        outline = document.styles[f"Heading {level}"].element.pPr.find(qn("w:outlineLvl"))
        assert outline.get(qn("w:val")) == str(level - 1)


def test_toc_field_updated_when_word_opens_the_file(document):
    instructions = [t.text for t in document.element.body.iter(qn("w:instrText"))]
    assert ' TOC \\o "1-4" \\h \\z \\u ' in instructions
    assert document.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    [hint] = styled(document, "Petunjuk")
    assert hint.startswith("Daftar isi diisi oleh Microsoft Word saat dokumen dibuka")


def test_analyst_text_stands_apart_with_its_label(document):
    assert styled(document, "Analisis Analis") == [
        "Analisis (ditulis oleh analis): Faktor pendukung\n"
        "Pendampingan desa dilakukan sejak Januari.\nRapat koordinasi tiap triwulan."]
    [paragraph] = [p for p in document.paragraphs if p.style.name == "Analisis Analis"]
    assert paragraph.runs[0].bold and paragraph.runs[0].text == "Analisis (ditulis oleh analis): Faktor pendukung\n"  # the label, then a line break
    style = paragraph.style
    assert round(style.paragraph_format.left_indent.cm, 2) == 0.75
    p_pr = style.element.pPr
    assert p_pr.find(qn("w:shd")).get(qn("w:fill")) == "EAF1FB"
    assert p_pr.find(qn("w:pBdr")).find(qn("w:left")) is not None
    normal = document.styles["Normal"].element.pPr
    assert normal.find(qn("w:shd")) is None and normal.find(qn("w:pBdr")) is None


def test_missing_inputs_are_marked_for_the_office(document):
    assert styled(document, "Belum Ada") == [
        "Masukan yang belum tersedia:",
        "• analisis.csv: penyebab dan solusi",
        "• anggaran.csv: pagu dan realisasi",
        "Perlu dilengkapi (Solusi): Solusi belum diisi kantor (analisis.csv, kolom solusi).",
        "Perlu dilengkapi: Anggaran belum tersedia: isi anggaran.csv.",
    ]
    style = document.styles["Belum Ada"]
    assert style.font.italic and style.font.color.rgb == RGBColor(0xC0, 0x00, 0x00)


def test_generated_text_is_plain_body_text_one_paragraph_per_line(document):
    normal = styled(document, "Normal")
    assert "Bagian ini menyajikan capaian kinerja Kecamatan Contoh tahun 2023." in normal
    assert "Baris kedua." in normal
    assert "Realisasi 92,86% dari target 100%." in normal


# --- figure ----------------------------------------------------------------------------------

def test_figure_embedded_at_text_width_with_caption(document, png):
    [shape] = document.inline_shapes
    assert shape.width == Cm(15.5)  # A4 21 cm - 3 cm - 2,5 cm
    assert shape.height == Cm(15.5) // 2  # the PNG is 600 x 300 px
    r_id = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert document.part.related_parts[r_id].blob == png.read_bytes()
    doc_pr = shape._inline.docPr
    assert doc_pr.get("descr") == "Batang capaian per indikator" and doc_pr.get("title") == "Capaian IKU-01"
    body = list(document.iter_inner_content())
    at = next(i for i, item in enumerate(body) if not isinstance(item, DocxTable) and item._p.xpath(".//w:drawing"))
    assert (body[at + 1].style.name, body[at + 1].text) == ("Caption", "Gambar 1. Capaian IKU-01")


def test_pasted_control_characters_and_an_empty_table(tmp_path):
    """Text pasted from Word or Excel may hold a vertical tab (a line break there) or other
    control characters XML cannot hold; a table may have no rows (only its header)."""
    empty = Table("Program pendukung", pd.DataFrame({"program": pd.Series([], dtype=object)}),
                  [Column("program", "Program")])
    chapter = Chapter("Bab III", 2022, "Kecamatan Contoh", sections=[Section("A. Capaian", 1, blocks=[
        Paragraph("Koordinasi rutin\x0bdengan desa\x01.", "analis", "Faktor pendukung"), empty])])
    document = docx.Document(str(write_chapter_docx(chapter, tmp_path / "bab.docx")))
    assert styled(document, "Analisis Analis") == [
        "Analisis (ditulis oleh analis): Faktor pendukung\nKoordinasi rutin\ndengan desa."]
    [table] = document.tables
    assert cell_texts(table) == [["Program"]]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_a_missing_figure_file_is_said_in_indonesian(png, tmp_path):
    chapter = hand_chapter(tmp_path / "tidak-ada.png")
    with pytest.raises(OutputError, match="tidak ditemukan"):
        write_chapter_docx(chapter, tmp_path / "bab.docx")
    assert list(tmp_path.iterdir()) == []


# --- the page and the file -------------------------------------------------------------------

def test_a4_portrait_margins_font_and_language(document):
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert [round(x.cm, 2) for x in (section.left_margin, section.right_margin, section.top_margin,
                                     section.bottom_margin)] == [3.0, 2.5, 2.5, 2.5]
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:ascii")) == "Arial"
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "id-ID"
    assert document.styles["Normal"].font.size == Pt(11)
    props = document.core_properties
    assert (props.title, props.language, props.subject) == (
        "BAB III AKUNTABILITAS KINERJA", "id-ID", "Kecamatan Contoh, Tahun 2023")
    assert props.created == props.modified == datetime.datetime(2023, 12, 31, tzinfo=datetime.timezone.utc)


def test_same_chapter_same_bytes(chapter, written, tmp_path):
    again = write_chapter_docx(chapter, tmp_path / "lagi.docx")
    assert again.read_bytes() == written.read_bytes()
    with zipfile.ZipFile(written) as z:
        assert {info.date_time for info in z.infolist()} == {(2023, 12, 31, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
        assert "docProps/thumbnail.jpeg" not in z.namelist()
    assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core) == ["2023-12-31T00:00:00Z"] * 2


def test_a_given_time_dates_the_document(chapter, tmp_path):
    wib = datetime.timezone(datetime.timedelta(hours=7))
    path = write_chapter_docx(chapter, tmp_path / "bab.docx", when=datetime.datetime(2024, 3, 1, 8, 30, tzinfo=wib))
    with zipfile.ZipFile(path) as z:
        assert {info.date_time for info in z.infolist()} == {(2024, 3, 1, 1, 30, 0)}
        core = z.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core) == ["2024-03-01T01:30:00Z"] * 2


def test_a_failed_write_leaves_the_last_good_file(chapter, written, tmp_path, monkeypatch):
    path = tmp_path / "bab.docx"
    shutil.copy(written, path)
    good = path.read_bytes()

    def broken_save(self, target):
        Path(target).write_bytes(b"PK\x03\x04 setengah tertulis")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(docx.document.Document, "save", broken_save)
    with pytest.raises(OutputError, match="tidak dapat menulis"):
        write_chapter_docx(chapter, path)
    assert path.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == ["bab.docx"]  # no temporary file left


def test_a_failed_stamp_leaves_the_last_good_file(chapter, written, tmp_path, monkeypatch):
    path = tmp_path / "bab.docx"
    shutil.copy(written, path)
    good = path.read_bytes()

    def broken_stamp(target, when):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(chapter_docx, "stamp_zip", broken_stamp)
    with pytest.raises(OutputError):
        write_chapter_docx(chapter, path)
    assert path.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == ["bab.docx"]


# --- the real sample chapter -------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The Kaloran sample's chapter for 2023 (`data/raw`) and its Word file."""
    if not CHAPTER_BUILDER:
        pytest.skip("iku_lib/report/chapter.py (build_chapter) is not written yet")
    from iku_lib import load_dataset
    from iku_lib.report.chapter import build_chapter

    folder = tmp_path_factory.mktemp("contoh")
    chapter = build_chapter(load_dataset(RAW), 2023, figures_dir=folder / "gambar")
    return chapter, write_chapter_docx(chapter, folder / "bab-iii-2023.docx")


def test_sample_chapter_tables_headings_and_figures(sample):
    chapter, path = sample
    document = docx.Document(str(path))
    assert len(document.tables) == len(chapter.tables()) > 0
    for ours, model in zip(document.tables, chapter.tables()):
        assert cell_texts(ours) == model_texts(model), model.title
    expected = [("Title", chapter.title)] + [(f"Heading {s.level}", s.title) for s in chapter.walk()]
    assert headings(document) == expected
    blocks = [b for s in chapter.walk() for b in s.blocks]
    assert len(document.inline_shapes) == sum(isinstance(b, Figure) for b in blocks)
    analyst = [b for b in blocks if isinstance(b, Paragraph) and b.voice == "analis"]
    assert len(styled(document, "Analisis Analis")) == len(analyst)


def test_sample_chapter_same_bytes(sample, tmp_path):
    chapter, path = sample
    assert write_chapter_docx(chapter, tmp_path / "lagi.docx").read_bytes() == path.read_bytes()


# --- LibreOffice -------------------------------------------------------------------------------

@pytest.mark.skipif(SOFFICE is None,
                    reason="LibreOffice (soffice) is not on PATH: the Word file cannot be turned into a PDF here")
def test_libreoffice_turns_the_chapter_into_pages(written, tmp_path):
    pages = pdf_pages(to_pdf(written, tmp_path))
    # The title page, the chapter's text, the landscape page of the wide table, the text after it.
    assert len(pages) >= 4
    assert any(w > h for w, h in pages) and any(w < h for w, h in pages)
    assert all(round(min(w, h)) == 595 and round(max(w, h)) == 842 for w, h in pages)  # A4 in points


@pytest.mark.skipif(SOFFICE is None,
                    reason="LibreOffice (soffice) is not on PATH: the Word file cannot be turned into a PDF here")
def test_libreoffice_turns_the_sample_chapter_into_pages(sample, tmp_path):
    _, path = sample
    pages = pdf_pages(to_pdf(path, tmp_path))
    assert len(pages) >= 2  # the title page and at least one page of the chapter
