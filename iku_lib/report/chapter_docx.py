"""The LKjIP performance chapter as an editable Word file (python-docx).

`write_chapter_docx(chapter, path)` lays out the chapter model (`chapter_model.Chapter`) and
nothing else: every table cell holds exactly `Table.shown(...)`, the text the HTML shows, so
the numbers of the Word file and the HTML report cannot differ.

The document, as a kecamatan office edits it further:
- A4 portrait, margins 3 cm left (binding) and 2,5 cm elsewhere, Arial 11 pt, justified;
  language Indonesian (id-ID) for Word's spelling check;
- the chapter title (style "Title") and a title page, then each section as "Heading 1".."Heading 4" by its
  level, so Word's navigation pane and table of contents follow the chapter; a TOC field
  after the title, which Word fills when the document is opened (the settings ask it to
  update fields; until then a visible line says how);
- real Word tables (style "Table Grid"): a shaded header row repeated on every page
  (`w:tblHeader`), rows never split across pages, numbers right-aligned, the total row bold,
  equal consecutive cells of `Table.merge` columns one merged cell (as the HTML's rowspan);
  column widths from the cells' text, at 9 pt (8 pt, then a landscape page, for tables too
  wide); a table of up to 20 rows kept on one page with its note; captions "Tabel n." above
  tables and "Gambar n." below figures, numbered by SEQ fields;
- the analyst's text (voice `analis`) in its own style "Analisis Analis" (indented, shaded,
  a blue bar on the left), opened by the label "Analisis (ditulis oleh analis): <label>";
  an input the office has not given (voice `belum_ada`) in the style "Belum Ada" (italic,
  dark red, a dashed bar), opened by "Perlu dilengkapi:"; the chapter's `missing` inputs
  listed in that style on the title page, under "Masukan yang belum tersedia:";
- figures embedded from their PNG, as wide as the text (lower when very tall), alt text set.

Same chapter, same bytes: the document's dates are `when` (by default 31 December of the
chapter's year), and every zip entry is dated `when` (`excel.stamp_zip`). The file is written
atomically (`outputs.atomic_write`): a failed write leaves the last good file.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import docx
import pandas as pd
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

from ..formatting import EMPTY
from ..outputs import OutputError, atomic_write
from .chapter_model import Chapter, Column, Figure, Paragraph, Section, Table
from .excel import stamp_zip

LANGUAGE = "id-ID"
FONT = "Arial"
BODY_PT = 11
TABLE_PT = 9  # the table font
# (landscape, font size) tried in turn until a table's longest words fit the text width.
TABLE_FITS = ((False, 9), (False, 8), (True, 8), (True, 7))
PAGE = (Cm(21), Cm(29.7))  # A4
MARGIN_LEFT, MARGIN_OTHER = Cm(3), Cm(2.5)
CELL_PADDING = Cm(0.1)  # left and right inside every table cell
HEADER_FILL = "DCE6F1"  # as the Excel workbook's header cells
TOTAL_FILL = "F2F2F2"
ANALYST_FILL, ANALYST_BAR = "EAF1FB", "2E75B6"
MISSING_FILL, MISSING_COLOR = "FFF2CC", "C00000"
HEADING_COLOR = "1F3864"
HEADING_PT = {1: 14, 2: 13, 3: 12, 4: 11}
FIGURE_MAX_HEIGHT = 0.8  # of the text height (room left for the caption)
SHORT_TEXT = 20  # a cell text this short is kept on one line where the table has room
KEEP_TOGETHER_ROWS = 20  # a table up to this many rows is kept on one page when it fits
NUMERIC = {"angka", "persen", "rupiah", "bulat"}

# Styles the document adds (their names show in Word's style pane).
ANALYST_STYLE = "Analisis Analis"
MISSING_STYLE = "Belum Ada"
CELL_STYLE = "Sel Tabel"
NUMBER_STYLE = "Sel Angka"
NOTE_STYLE = "Catatan Tabel"
FIGURE_STYLE = "Gambar"
HINT_STYLE = "Petunjuk"

ANALYST_LABEL = "Analisis (ditulis oleh analis)"
MISSING_LABEL = "Perlu dilengkapi"
TABLE_LABEL, FIGURE_LABEL = "Tabel", "Gambar"
TOC_TITLE = "Daftar Isi"
TOC_HINT = ("Daftar isi diisi oleh Microsoft Word saat dokumen dibuka (jawab \"Ya\" bila Word bertanya "
            "tentang memperbarui bidang), atau klik kanan di sini lalu pilih \"Perbarui Bidang\" (F9). "
            "Di LibreOffice: menu Alat > Perbarui > Perbarui Semua.")
MISSING_TITLE = "Masukan yang belum tersedia"  # the chapter's `missing`, as the HTML says it
MISSING_DESA_TITLE = "Desa tanpa data"  # the chapter's `missing_desa`, as the HTML says it
MISSING_DESA_LEAD = "desa berikut tidak melaporkan nilai yang diperlukan indikator; begini perlakuannya."
PAGE_LABEL = "Halaman "

# Children of w:pPr after w:pBdr, in the schema's order (ECMA-376 CT_PPrBase), so that
# borders and shading land where Word expects them.
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
               "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
               "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
               "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_VMERGE = ("w:tcBorders", "w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
                 "w:hideMark", "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")
_AFTER_TCSHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
                "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")
_AFTER_TBLCELLMAR = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
_AFTER_UPDATEFIELDS = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars",
                       "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang")


def write_chapter_docx(chapter: Chapter, path: Path, when: datetime.datetime | None = None) -> Path:
    """Write `chapter` to the Word file `path` atomically; return `path`.

    The document's creation and modification dates, and its zip entries' dates, are `when`
    (by default `chapter_date(chapter)`), so the same chapter gives the same bytes. Raises
    OutputError (a message in Bahasa Indonesia) when the file or a figure cannot be read or
    written; any previous file at `path` is then left as it was.
    """
    when = _naive_utc(when or chapter_date(chapter))

    def write(tmp: Path) -> None:
        build_document(chapter, when).save(str(tmp))
        stamp_zip(tmp, when)

    return atomic_write(Path(path), write)


def chapter_date(chapter: Chapter) -> datetime.datetime:
    """The document date used when none is given: the last day of the chapter's year.

    >>> chapter_date(Chapter("Bab III", 2023, "Kecamatan Kaloran"))
    datetime.datetime(2023, 12, 31, 0, 0)
    """
    return datetime.datetime(chapter.year, 12, 31)


def build_document(chapter: Chapter, when: datetime.datetime) -> docx.document.Document:
    """The chapter as a python-docx Document (not saved)."""
    document = docx.Document()
    _drop_thumbnail(document)
    _settings(document)
    _styles(document)
    _core_properties(document, chapter, when)
    section = document.sections[0]
    _page(section, landscape=False)
    _header_footer(section, chapter)

    document.add_paragraph(_plain(chapter.title), style="Title")
    document.add_paragraph(_plain(f"{chapter.area} \u2013 Tahun {chapter.year}"), style="Subtitle")
    _toc(document)
    if chapter.missing:
        _missing_list(document, chapter.missing)
    if chapter.missing_desa:
        _missing_list(document, chapter.missing_desa,
                      f"{MISSING_DESA_TITLE} tahun {chapter.year}: {MISSING_DESA_LEAD}")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    writer = _Writer(document)
    for part in chapter.sections:
        writer.section(part)
    return document


# --- the chapter's blocks --------------------------------------------------------------------

@dataclass
class _Layout:
    """How one table is laid out: its font size, column widths (EMU) and page orientation."""

    size: int
    widths: list[int]
    landscape: bool


class _Writer:
    """Adds sections and their blocks to a document, numbering tables and figures."""

    def __init__(self, document) -> None:
        self.document = document
        self.tables = 0
        self.figures = 0
        self.headings: list = []  # heading paragraphs with no block after them yet
        self.style_ids: dict[str, str] = {}

    def style_id(self, name: str) -> str:
        """The id of the style named `name` (python-docx looks styles up by a slow scan)."""
        if name not in self.style_ids:
            self.style_ids[name] = self.document.styles[name].style_id
        return self.style_ids[name]

    def add(self, text: str = "", style: str | None = None):
        """A new paragraph at the end of the document, in the style named `style`."""
        p = self.document.add_paragraph(text)
        if style is not None:
            p._p.get_or_add_pPr().style = self.style_id(style)
        return p

    def section(self, section: Section) -> None:
        level = min(max(section.level, 1), 9)
        heading = self.add(_plain(section.title), f"Heading {level}")
        self.headings.append(heading._p)
        for block in section.blocks:
            if isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Figure):
                self.figure(block)
            elif isinstance(block, Paragraph):
                self.paragraph(block)
            else:
                raise TypeError(f"unknown block in section {section.title!r}: {type(block).__name__}")
            self.headings = []
        for sub in section.sections:
            self.section(sub)

    def paragraph(self, paragraph: Paragraph) -> None:
        if paragraph.voice == "analis":
            p = self.add(style=ANALYST_STYLE)
            label = f"{ANALYST_LABEL}: {paragraph.label}" if paragraph.label else ANALYST_LABEL
            head = p.add_run(_plain(label))
            head.bold = True
            head.add_break()
            p.add_run(_plain(paragraph.text))  # run.text turns "\n" into line breaks
        elif paragraph.voice == "belum_ada":
            p = self.add(style=MISSING_STYLE)
            label = f"{MISSING_LABEL} ({paragraph.label}): " if paragraph.label else f"{MISSING_LABEL}: "
            p.add_run(_plain(label)).bold = True
            p.add_run(_plain(paragraph.text))
        else:  # generated text: one Word paragraph per line (a line break would be justified)
            for line in _plain(paragraph.text).split("\n"):
                if line.strip():
                    self.add(line)

    def table(self, table: Table) -> None:
        self.tables += 1
        texts = [[_plain(table.shown(r, c)) for c in table.columns] for r in range(len(table.frame))]
        layout = table_layout(table.columns, texts, text_area()[0], text_area(landscape=True)[0])
        if layout.landscape:
            self._turn(landscape=True)
        caption = self.add(style="Caption")
        _caption(caption, TABLE_LABEL, self.tables, _plain(table.title))
        caption.paragraph_format.keep_with_next = True
        _fill_table(self.document, table, texts, layout, self.style_id)
        if table.note:
            self.add(_plain(table.note), NOTE_STYLE)
        else:
            self.add(style=NOTE_STYLE)  # a little room before what follows
        if layout.landscape:
            self._turn(landscape=False)

    def figure(self, figure: Figure) -> None:
        self.figures += 1
        path = Path(figure.path)
        if not path.is_file():
            raise OutputError(f"gambar \"{figure.title}\" tidak ditemukan: {path}")
        width, height = _picture_size(path, *text_area())
        p = self.add(style=FIGURE_STYLE)
        run = p.add_run()
        run.add_picture(str(path), width=width, height=height)
        doc_pr = run._r.find(".//" + qn("wp:docPr"))
        doc_pr.set("descr", _plain(figure.alt or figure.title))
        doc_pr.set("title", _plain(figure.title))
        caption = self.add(style="Caption")
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _caption(caption, FIGURE_LABEL, self.figures, _plain(figure.title))

    def _turn(self, landscape: bool) -> None:
        """Start a new page in the other orientation (headers and footers carry on). Headings
        just written, with nothing under them yet, move to the new page with what follows."""
        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        _page(section, landscape)
        if landscape and self.headings:
            anchor = self.document.element.body.findall(qn("w:p"))[-1]  # holds the previous section's end
            for heading in reversed(self.headings):
                anchor.addnext(heading)


def table_layout(columns: list[Column], texts: list[list[str]], width: int, landscape_width: int) -> _Layout:
    """Font size, column widths (EMU, summing to `width`) and orientation for a table.

    Each column gets at least its longest word (a number never wraps), then its short texts
    whole where they fit, then the room left is shared by how much more each column's longest
    text wants. At 9 pt, else 8 pt; a table whose words do not fit even then goes on a
    landscape page, at 8 pt, else 7 pt (scaled down if still too wide: words may then break).

    >>> cols = [Column("a", "Kode"), Column("b", "Nilai", "angka")]
    >>> lay = table_layout(cols, [["IKU-01", "1.234,50"]], int(Cm(15.5)), int(Cm(24.2)))
    >>> lay.size, lay.landscape, sum(lay.widths) == int(Cm(15.5))
    (9, False, True)
    """
    cells = [[_plain(c.header) for c in columns]] + texts
    pad = 2 * int(CELL_PADDING) + int(Pt(1))
    for n, (landscape, size) in enumerate(TABLE_FITS):
        avail = landscape_width if landscape else width
        least, short, most = [], [], []
        for j, _ in enumerate(columns):
            header, body = cells[0][j], [row[j] for row in cells[1:]]
            words = [_string_width(w, size, bold=True) for w in header.split()]
            words += [_string_width(w, size) for text in body for w in text.split()]
            lines = [_string_width(header, size, bold=True)] + [_string_width(t, size) for t in body]
            whole = [_string_width(t, size) for t in body if len(t) <= SHORT_TEXT]
            least.append(max(words, default=0) + pad)
            short.append(max(whole + [least[-1] - pad]) + pad)
            most.append(max(lines, default=0) + pad)
        if sum(least) <= avail or n == len(TABLE_FITS) - 1:
            return _Layout(size, _share(least, short, most, avail), landscape)
    raise AssertionError("unreachable")


def _share(least: list[int], short: list[int], most: list[int], avail: int) -> list[int]:
    """Widths from each column's least (its longest word), short (its short texts on one line)
    and most (every text on one line) wanted width, summing exactly to `avail`.

    Short texts ("Sangat Tinggi", "IT-01, IKU-01") are kept whole where the room allows,
    cheapest first; the rest is shared by how much more each column wants.

    >>> _share([10, 10, 10], [10, 30, 10], [50, 30, 10], 100)  # all fit whole: 10 left, shared by width
    [55, 33, 12]
    >>> _share([10, 10, 10], [10, 30, 10], [90, 30, 10], 100)
    [60, 30, 10]
    """
    if sum(least) >= avail:  # too wide even at its words: scale down (words may break)
        widths = [w * avail / sum(least) for w in least]
    else:
        widths = list(least)
        for j in sorted(range(len(least)), key=lambda j: (short[j] - least[j], j)):
            if sum(widths) - widths[j] + short[j] <= avail:
                widths[j] = short[j]
        extra = avail - sum(widths)
        want = [max(m - w, 0) for w, m in zip(widths, most)]
        if sum(want) <= extra:  # everything fits on one line: spread the rest by width
            widths = [m + (extra - sum(want)) * m / sum(most) for m in most]
        else:
            widths = [w + x * extra / sum(want) for w, x in zip(widths, want)]
    whole = [int(w) for w in widths]
    whole[-1] += avail - sum(whole)
    return whole


# Arial's advance widths in thousandths of an em, grouped (enough to size columns).
_NARROW = set("iljtfI.,:;'!|()[] /-")
_WIDE = set("mwMW%@")


def _string_width(text: str, size: float, bold: bool = False) -> int:
    """Estimated width of `text` in EMU at `size` points (Arial)."""
    em = 0.0
    for ch in text:
        if ch in _NARROW:
            em += 0.30
        elif ch in _WIDE:
            em += 0.86
        elif ch.isupper():
            em += 0.68
        elif ch.isdigit():
            em += 0.556
        else:
            em += 0.54
    return int(Pt(em * size * (1.08 if bold else 1.0)))


def _fill_table(document, table: Table, texts: list[list[str]], layout: _Layout, style_id) -> None:
    columns = table.columns
    grid = document.add_table(rows=len(texts) + 1, cols=len(columns))
    grid._tbl.tblPr.style = style_id("Table Grid")
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    tbl_pr = grid._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(Emu(sum(layout.widths)).twips))
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(Emu(int(CELL_PADDING)).twips))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    tbl_pr.insert_element_before(margins, *_AFTER_TBLCELLMAR)
    caption = OxmlElement("w:tblCaption")  # accessibility: the table's name for screen readers
    caption.set(qn("w:val"), _plain(table.title)[:255])
    tbl_pr.append(caption)
    for j, w in enumerate(layout.widths):
        grid.columns[j].width = Emu(w)

    keep = len(texts) <= KEEP_TOGETHER_ROWS
    last = len(texts)
    merged = merged_cells(table, texts)
    for i, row in enumerate(grid.rows):
        header = i == 0
        total = table.total_row and i == last and i > 0
        _row_properties(row, header)
        values = [_plain(c.header) for c in columns] if header else texts[i - 1]
        for j, (cell, text) in enumerate(zip(row.cells, values)):
            cell.width = Emu(layout.widths[j])
            if header or total:
                _shade(cell, HEADER_FILL if header else TOTAL_FILL)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER if header else WD_CELL_VERTICAL_ALIGNMENT.TOP
            p = cell.paragraphs[0]
            numeric = columns[j].kind in NUMERIC
            p._p.get_or_add_pPr().style = style_id(NUMBER_STYLE if numeric and not header else CELL_STYLE)
            if header:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if keep and (i < last or table.note):  # the table on one page, with its note
                p.paragraph_format.keep_with_next = True
            span = merged.get((i - 1, j))
            if span is not None:
                _vmerge(cell, span)
                if span == "continue":
                    continue  # the merged cell shows the text of its first row
            run = p.add_run(text)
            if header or total:
                run.bold = True
            if layout.size != TABLE_PT:
                run.font.size = Pt(layout.size)


def merged_cells(table: Table, texts: list[list[str]]) -> dict[tuple[int, int], str]:
    """The body cells (row, column) of `table.merge` columns shown as one cell: "restart" on
    the first of equal consecutive texts, "continue" on the others. A column's runs also end
    where those of the merge columns before it end (a sasaran never spans two numbers); empty
    cells and the total row are never merged.

    >>> t = Table("PK", pd.DataFrame({"no": ["1", "2", "2"], "s": ["A", "A", "A"]}),
    ...           [Column("no", "No"), Column("s", "Sasaran")], merge=["no", "s"])
    >>> merged_cells(t, [["1", "A"], ["2", "A"], ["2", "A"]])
    {(1, 0): 'restart', (2, 0): 'continue', (1, 1): 'restart', (2, 1): 'continue'}
    """
    rows = len(texts) - (1 if table.total_row and texts else 0)
    starts = {0}
    spans: dict[tuple[int, int], str] = {}
    for key in table.merge:
        j = next((j for j, c in enumerate(table.columns) if c.key == key), None)
        if j is None:
            continue
        alone = {r for r in range(rows) if texts[r][j] in ("", EMPTY)}
        starts |= alone | {r + 1 for r in alone}
        starts |= {r for r in range(1, rows) if texts[r][j] != texts[r - 1][j]}
        bounds = sorted(r for r in starts if r < rows) + [rows]
        for a, b in zip(bounds, bounds[1:]):
            if b - a > 1:
                spans[(a, j)] = "restart"
                spans.update({(r, j): "continue" for r in range(a + 1, b)})
    return spans


def _vmerge(cell, value: str) -> None:
    merge = OxmlElement("w:vMerge")
    if value == "restart":
        merge.set(qn("w:val"), "restart")
    cell._tc.get_or_add_tcPr().insert_element_before(merge, *_AFTER_VMERGE)


def _row_properties(row, header: bool) -> None:
    """Rows never split across pages; the header row repeats on every page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))  # after cantSplit, as the schema orders them


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    tc_pr.insert_element_before(_shd(fill), *_AFTER_TCSHD)


def _shd(fill: str):
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    return shd


def _caption(paragraph, label: str, number: int, title: str) -> None:
    """`<label> <n>. <title>`, the number a SEQ field (Word renumbers; a list of tables finds it)."""
    paragraph.add_run(f"{label} ")
    _field(paragraph, f" SEQ {label} \\* ARABIC ", str(number))
    paragraph.add_run(f". {title}")


def _field(paragraph, instruction: str, shown: str, dress=None) -> None:
    """A complex field: `instruction`, showing `shown` until Word updates it."""
    def run_with(child):
        r = OxmlElement("w:r")
        r.append(child)
        paragraph._p.append(r)
        return r

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    run = paragraph.add_run(shown)
    if dress is not None:
        dress(run)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _picture_size(path: Path, width: int, text_height: int) -> tuple[Emu, Emu]:
    """The picture as wide as the text, unless that makes it taller than FIGURE_MAX_HEIGHT of
    the page's text height (then as high as that)."""
    image = Image.from_file(str(path))
    ratio = image.px_height / image.px_width
    height = width * ratio
    limit = text_height * FIGURE_MAX_HEIGHT
    if height > limit:
        width, height = limit / ratio, limit
    return Emu(int(width)), Emu(int(height))


# --- the document around the chapter ---------------------------------------------------------

def _toc(document) -> None:
    document.add_paragraph(TOC_TITLE, style="TOC Heading")
    p = document.add_paragraph(style=HINT_STYLE)
    _field(p, ' TOC \\o "1-4" \\h \\z \\u ', TOC_HINT)


def _missing_list(document, missing: Iterable[str], title: str = f"{MISSING_TITLE}:") -> None:
    document.add_paragraph(style=MISSING_STYLE).add_run(_plain(title)).bold = True
    for item in missing:
        document.add_paragraph(_plain(f"\u2022 {item}"), style=MISSING_STYLE)


def _page(section, landscape: bool) -> None:
    width, height = PAGE
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.left_margin = MARGIN_LEFT
    section.right_margin = section.top_margin = section.bottom_margin = MARGIN_OTHER
    section.header_distance = section.footer_distance = Cm(1.25)


def text_area(landscape: bool = False) -> tuple[int, int]:
    """Width and height (EMU) inside the margins of a portrait or landscape page.

    >>> [round(Emu(x).cm, 2) for x in text_area()], [round(Emu(x).cm, 2) for x in text_area(True)]
    ([15.5, 24.7], [24.2, 16.0])
    """
    width, height = (PAGE[1], PAGE[0]) if landscape else PAGE
    return int(width - MARGIN_LEFT - MARGIN_OTHER), int(height - 2 * MARGIN_OTHER)


def _header_footer(section, chapter: Chapter) -> None:
    header = section.header.paragraphs[0]
    header.text = _plain(f"{chapter.title} \u2013 {chapter.area} \u2013 Tahun {chapter.year}")
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in header.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(PAGE_LABEL).font.size = Pt(9)
    _field(footer, " PAGE ", "1", dress=lambda r: setattr(r.font, "size", Pt(9)))


def _core_properties(document, chapter: Chapter, when: datetime.datetime) -> None:
    props = document.core_properties
    props.title = _plain(chapter.title)
    props.subject = _plain(f"{chapter.area}, Tahun {chapter.year}")
    props.author = props.last_modified_by = "iku"
    props.keywords = _plain(f"LKjIP; IKU; {chapter.area}; {chapter.year}")
    props.category = "LKjIP"
    props.comments = "Dibuat oleh iku; angka sama dengan laporan HTML bab ini."
    props.language = LANGUAGE
    props.revision = 1
    props.created = props.modified = when


def _drop_thumbnail(document) -> None:
    """python-docx's template carries a thumbnail of an empty page: remove it (a file browser
    would show it as this document's preview)."""
    rels = document.part.package.rels
    for r_id in [k for k, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        rels.pop(r_id)


def _settings(document) -> None:
    """Ask Word to update fields (the TOC) on opening; Indonesian as the theme's language; no
    stale 'spelling already checked' flag."""
    settings = document.settings.element
    for name in ("w:proofState", "w:savePreviewPicture"):
        for el in settings.findall(qn(name)):
            settings.remove(el)
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.insert_element_before(update, *_AFTER_UPDATEFIELDS)
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), LANGUAGE)


def _styles(document) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(r_pr)
    r_pr.find(qn("w:lang")).set(qn("w:val"), LANGUAGE)

    normal = styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15

    for name in ("Title", "Subtitle", "Caption", "TOC Heading") + tuple(f"Heading {n}" for n in range(1, 10)):
        _inherit_font(styles[name])
    title = styles["Title"]
    title.font.size = Pt(18)
    title.font.bold = True
    title.font.color.rgb = RGBColor.from_string(HEADING_COLOR)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle = styles["Subtitle"]
    num_pr = subtitle.element.pPr.find(qn("w:numPr")) if subtitle.element.pPr is not None else None
    if num_pr is not None:
        subtitle.element.pPr.remove(num_pr)
    subtitle.font.size = Pt(12)
    subtitle.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    subtitle.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.paragraph_format.space_after = Pt(18)
    for level, size in HEADING_PT.items():
        heading = styles[f"Heading {level}"]
        heading.font.size = Pt(size)
        heading.font.bold = True
        heading.font.italic = False
        heading.font.color.rgb = RGBColor.from_string(HEADING_COLOR)
        heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        heading.paragraph_format.space_before = Pt({1: 18, 2: 14, 3: 12, 4: 10}[level])
        heading.paragraph_format.space_after = Pt(6)
    styles["TOC Heading"].font.size = Pt(13)
    caption = styles["Caption"]
    caption.font.size = Pt(10)
    caption.font.color.rgb = RGBColor.from_string(HEADING_COLOR)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(4)
    caption.hidden = False
    caption.unhide_when_used = False

    analyst = _paragraph_style(styles, ANALYST_STYLE)
    analyst.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    analyst.paragraph_format.left_indent = Cm(0.75)
    analyst.paragraph_format.space_before = Pt(4)
    analyst.paragraph_format.space_after = Pt(8)
    _bordered(analyst, ANALYST_BAR, ANALYST_FILL, "single")

    missing = _paragraph_style(styles, MISSING_STYLE)
    missing.font.italic = True
    missing.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    missing.font.color.rgb = RGBColor.from_string(MISSING_COLOR)
    missing.paragraph_format.left_indent = Cm(0.75)
    missing.paragraph_format.space_after = Pt(6)
    _bordered(missing, MISSING_COLOR, MISSING_FILL, "dashed")

    cell = _paragraph_style(styles, CELL_STYLE)
    cell.font.size = Pt(TABLE_PT)
    cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    cell.paragraph_format.space_before = Pt(1)
    cell.paragraph_format.space_after = Pt(1)
    cell.paragraph_format.line_spacing = 1.0
    number = _paragraph_style(styles, NUMBER_STYLE, base=cell)
    number.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    note = _paragraph_style(styles, NOTE_STYLE)
    note.font.size = Pt(9)
    note.font.italic = True
    note.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    note.paragraph_format.space_before = Pt(3)
    note.paragraph_format.space_after = Pt(10)

    figure = _paragraph_style(styles, FIGURE_STYLE)
    figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    figure.paragraph_format.keep_with_next = True
    figure.paragraph_format.space_before = Pt(6)
    figure.paragraph_format.space_after = Pt(0)
    figure.paragraph_format.line_spacing = 1.0

    hint = _paragraph_style(styles, HINT_STYLE)
    hint.font.italic = True
    hint.font.size = Pt(10)
    hint.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    hint.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT


def _paragraph_style(styles, name: str, base=None):
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = base or styles["Normal"]
    style.quick_style = True
    return style


def _bordered(style, color: str, fill: str, kind: str) -> None:
    """A bar on the left of the paragraph and a shaded background (a box set apart)."""
    p_pr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for key, value in (("val", kind), ("sz", "24"), ("space", "6"), ("color", color)):
        left.set(qn(f"w:{key}"), value)
    borders.append(left)
    p_pr.insert_element_before(borders, *_AFTER_PBDR)
    p_pr.insert_element_before(_shd(fill), *_AFTER_PBDR[1:])


def _fonts(r_pr) -> None:
    """Arial for every script, in place of the template's theme fonts."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    for key in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{key}"), FONT)


def _inherit_font(style) -> None:
    """Drop a style's own (theme) font so it uses the document's default, Arial."""
    r_pr = style.element.rPr
    if r_pr is not None:
        for fonts in r_pr.findall(qn("w:rFonts")):
            r_pr.remove(fonts)


_CONTROL = dict.fromkeys([c for c in range(32) if chr(c) not in "\t\n\r\v\f"])
_CONTROL.update({ord("\v"): "\n", ord("\f"): "\n"})


def _plain(text: object) -> str:
    r"""`text` as Word can hold it: control characters XML forbids dropped, the vertical tab
    and form feed (line breaks pasted from Word or Excel) made line breaks.

    >>> _plain("Baris satu\vbaris dua\x01")
    'Baris satu\nbaris dua'
    """
    return str(text).translate(_CONTROL)


def _naive_utc(when: datetime.datetime) -> datetime.datetime:
    if when.tzinfo is not None:
        when = when.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return when.replace(microsecond=0)
