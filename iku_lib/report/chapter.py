"""LKjIP chapter III (Akuntabilitas Kinerja) as one model (`chapter_model`), for one area and year.

`build_chapter(dataset, year, kode_wilayah, figures_dir=...)` fills it; `chapter_html`,
`chapter_docx` and the Excel export only lay it out. The chapter holds, in order:

- **A. Capaian Kinerja Organisasi** (level 1, key "III.A"): the summary, the Tabel Capaian
  Kinerja (and the goal indicators apart), the capaian charts; then one section per sasaran
  (level 2, "sasaran-1", ...; the goal indicators as "tujuan-1", ...), in it one per
  indicator (level 3, key "IKU-01"), in it the analyses of PermenPAN-RB 53/2014 (level 4,
  keys "IKU-01/1" .. "IKU-01/7", see `chapter_analyses`; "/4" only where a standard exists);
- **B. Realisasi Anggaran** ("III.B"): pagu, realisasi and serapan per program and kegiatan
  with the total (`engine.efficiency.program_serapan`) and a chart of serapan per program;
- **Lampiran 1. Perjanjian Kinerja** ("lampiran-pk") and **Lampiran 2. Indikator Kinerja
  Utama** ("lampiran-iku"), from the catalog and the targets.

Without `analisis.csv`, `standar.csv` or `anggaran.csv` the chapter still builds: `missing`
names them and the sections concerned say so visibly (voice `belum_ada`). Charts are drawn
once, as PNG files in `figures_dir`, which every rendering embeds.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..engine.efficiency import PROGRAM, TOTAL, program_serapan
from ..ingest.dataset import Dataset
from .chapter_analyses import indicator_section
from .chapter_inputs import ANGGARAN_FILE, ChapterInputs, chapter_inputs, missing_desa, missing_inputs
from .chapter_model import Chapter, Column, Figure, Paragraph, Section, Table
from .chapter_text import budget_sentence
from .charts import capaian_chart, realisasi_target_chart, serapan_chart
from .markup import figure_png
from .narrative import capaian_method_text, grading_text, summary_paragraph, target_predikat_text
from .annual import missing_target_text
from .presentation import ID_HEADER
from .tables import sentence_case

TITLE = "Bab III Akuntabilitas Kinerja"
KEGIATAN_MARK = "– "  # before a kegiatan's name, under its program, in the III.B table
CAPAIAN_COLUMNS = [("indikator", ID_HEADER, "teks"), ("sasaran_strategis", "Sasaran Strategis", "teks"),
                   ("nama", "Indikator Kinerja", "teks"), ("satuan", "Satuan", "teks"),
                   ("target", "Target", "angka"), ("realisasi", "Realisasi", "angka"),
                   ("capaian", "Capaian (%)", "angka"), ("predikat", "Predikat", "teks")]


def build_chapter(dataset: Dataset, year: int, kode_wilayah: str | None = None, *, figures_dir: Path) -> Chapter:
    """Chapter III for `year`: the whole register (`kode_wilayah` None) or one area of it,
    as `annual.annual_inputs` chooses it. Charts are written into `figures_dir` (created)."""
    inputs = chapter_inputs(dataset, year, kode_wilayah)
    figures_dir = Path(figures_dir)
    figures_dir.mkdir(parents=True, exist_ok=True)
    chapter = Chapter(TITLE, inputs.year, inputs.area, missing=missing_inputs(inputs),
                      missing_desa=missing_desa(inputs))
    chapter.sections = [part_a(inputs, figures_dir), part_b(inputs, figures_dir), perjanjian_kinerja(inputs),
                        iku_appendix(inputs)]
    return chapter


def draw(fig, path: Path) -> Path:
    """Save a matplotlib figure as PNG (as the reports embed figures)."""
    path.write_bytes(figure_png(fig))
    return path


def capaian_table(frame: pd.DataFrame, title: str, key: str, tujuan: bool = False) -> Table:
    """The Tabel Capaian Kinerja (LKjIP chapter III) of `tables.capaian_table` rows."""
    columns = []
    for name, header, kind in CAPAIAN_COLUMNS:
        if tujuan:
            header = {"Sasaran Strategis": "Tujuan", "Indikator Kinerja": "Indikator Tujuan"}.get(header, header)
        columns.append(Column(name, header, kind, 2 if name == "capaian" else 0,
                              decimals_key="desimal" if name in ("target", "realisasi") else ""))
    return Table(title, frame, columns, key=key, merge=["sasaran_strategis"])


def part_a(inputs: ChapterInputs, figures_dir: Path) -> Section:
    """A. Capaian Kinerja Organisasi: summary, capaian tables and charts, then per sasaran."""
    year, area, catalog = inputs.year, inputs.area, inputs.catalog
    texts = [summary_paragraph(inputs.sasaran, year, catalog.grades, area), target_predikat_text(catalog.grades),
             missing_target_text(inputs.indicators, year, area, inputs.kode_wilayah),
             grading_text(catalog)]
    blocks: list = [Paragraph(t) for t in texts if t]
    sasaran = inputs.sasaran.assign(tahun=year)
    table = capaian_table(sasaran, f"Tabel Capaian Kinerja {area} Tahun {year}", "tabel-capaian")
    table.note = capaian_method_text(catalog)
    blocks.append(table)
    if len(inputs.tujuan):
        blocks += [Paragraph("Indikator tujuan mengukur tujuan Renstra secara keseluruhan dan ditampilkan terpisah "
                             "dari indikator sasaran."),
                   capaian_table(inputs.tujuan.assign(tahun=year), f"Capaian Indikator Tujuan {area} Tahun {year}",
                                 "tabel-capaian-tujuan", tujuan=True)]
    every = inputs.indicators.reset_index(drop=True)
    blocks.append(Figure(f"Capaian (%) per indikator tahun {year}, diwarnai menurut predikat; garis putus-putus = "
                         "100%.", draw(capaian_chart(every, catalog.grades), figures_dir / f"capaian-{year}.png"),
                         alt=f"Grafik capaian kinerja per indikator tahun {year}"))
    blocks.append(Figure(f"Realisasi dan target tahun {year}: satu panel per indikator, masing-masing dengan sumbu "
                         "dalam satuan indikator itu sendiri.",
                         draw(realisasi_target_chart(every), figures_dir / f"realisasi-target-{year}.png"),
                         alt=f"Grafik realisasi dan target per indikator tahun {year}"))
    return Section("A. Capaian Kinerja Organisasi", 1, blocks, goal_sections(inputs), key="III.A")


def groups(inputs: ChapterInputs, jenis: str) -> list[tuple[str, list[str]]]:
    """The sasaran (or tujuan) of the catalog in order of first appearance, each with its
    indicators in catalog order."""
    ind = inputs.catalog.indicators
    found: dict[str, tuple[str, list[str]]] = {}
    for ident, text in zip(ind.index[ind["jenis"] == jenis], ind.loc[ind["jenis"] == jenis, "sasaran_strategis"]):
        name = sentence_case(text)
        found.setdefault(" ".join(name.split()).casefold(), (name, []))[1].append(ident)
    return list(found.values())


def goal_sections(inputs: ChapterInputs) -> list[Section]:
    """One level-2 section per sasaran ("Sasaran 1: ..."), then per tujuan, each with its indicators."""
    out = []
    for jenis, label, prefix in (("sasaran", "Sasaran", "sasaran"), ("tujuan", "Tujuan", "tujuan")):
        for n, (name, ids) in enumerate(groups(inputs, jenis), start=1):
            out.append(Section(f"{label} {n}: {name}", 2, [], [indicator_section(inputs, i) for i in ids],
                               key=f"{prefix}-{n}"))
    return out


def part_b(inputs: ChapterInputs, figures_dir: Path) -> Section:
    """B. Realisasi Anggaran: per program and kegiatan, the total, and serapan per program."""
    year = inputs.year
    title = "B. Realisasi Anggaran"
    if inputs.lines.empty:
        why = "belum ada" if not inputs.has_anggaran else f"tidak memuat tahun {year}"
        return Section(title, 1, [Paragraph(f"Realisasi anggaran belum dapat disajikan: {ANGGARAN_FILE} {why} "
                                            "(pagu dan realisasi per program dan kegiatan).", voice="belum_ada")],
                       key="III.B")
    rows = program_serapan(inputs.lines, tahun=year)
    table = budget_table(rows, inputs)
    programs = rows[rows["tingkat"] == PROGRAM].reset_index(drop=True)
    total = rows[rows["tingkat"] == TOTAL].iloc[0]
    chart = serapan_chart(programs, float(total["serapan"]), f"Serapan anggaran per program tahun {year}")
    blocks = [Paragraph(budget_sentence(total, programs, year, inputs.meta.get("instansi", ""))), table,
              Figure(f"Serapan anggaran (realisasi / pagu × 100) per program tahun {year}; garis putus-putus = "
                     "serapan seluruh program.", draw(chart, figures_dir / f"serapan-program-{year}.png"),
                     alt=f"Grafik serapan anggaran per program tahun {year}")]
    return Section(title, 1, blocks, key="III.B")


def budget_table(rows: pd.DataFrame, inputs: ChapterInputs) -> Table:
    """`program_serapan` rows as the III.B table: a program row (its name) then its kegiatan
    rows (their names after a dash), the total last. The frame keeps `program` and `kegiatan`
    apart (as the Excel sheet shows them); `uraian` is what the table shows, `didukung` the
    indicators linked, `realisasi_anggaran` the money spent (not an indicator's realisasi)."""
    frame = rows.rename(columns={"indikator": "didukung", "realisasi": "realisasi_anggaran"})
    frame = frame.assign(kode_wilayah=inputs.kode).reset_index(drop=True)
    frame["uraian"] = [("Jumlah" if t == TOTAL else p if t == PROGRAM else f"{KEGIATAN_MARK}{k}")
                       for t, p, k in zip(frame["tingkat"], frame["program"], frame["kegiatan"])]
    columns = [Column("uraian", "Program / Kegiatan"), Column("didukung", ID_HEADER),
               Column("pagu", "Pagu (Rp)", "bulat"), Column("realisasi_anggaran", "Realisasi (Rp)", "bulat"),
               Column("serapan", "Serapan (%)", "angka", 2)]
    return Table(f"Realisasi anggaran per program dan kegiatan tahun {inputs.year}", frame, columns, total_row=True,
                 note=f"{ID_HEADER}: indikator yang didukung program atau kegiatan itu (anggaran.csv).",
                 key="tabel-anggaran")


def _appendix_frame(inputs: ChapterInputs) -> pd.DataFrame:
    """The sasaran indicators with their sasaran number (as the IKU document numbers them)."""
    records = []
    for n, (name, ids) in enumerate(groups(inputs, "sasaran"), start=1):
        for ident in ids:
            spec = inputs.spec(ident)
            records.append({"no": str(n), "sasaran": name, "indikator": ident, "nama": spec["nama"],
                            "satuan": spec["satuan"], "desimal": int(spec["desimal"]), "rumus": spec["rumus"],
                            "sumber_data": spec["sumber_data"], "tahun": inputs.year, "kode_wilayah": inputs.kode,
                            "target": inputs.indicators.at[ident, "target"]})
    return pd.DataFrame(records)


APPENDIX_HEAD = [Column("no", "No"), Column("sasaran", "Sasaran Strategis"), Column("indikator", ID_HEADER),
                 Column("nama", "Indikator Kinerja")]


def perjanjian_kinerja(inputs: ChapterInputs) -> Section:
    """Lampiran 1: the Perjanjian Kinerja of the year (sasaran, indicators, targets)."""
    year = inputs.year
    columns = APPENDIX_HEAD + [Column("satuan", "Satuan"),
                               Column("target", f"Target {year}", "angka", decimals_key="desimal")]
    table = Table(f"Perjanjian Kinerja {inputs.area} Tahun {year}", _appendix_frame(inputs), columns,
                  note="Target menurut target.csv untuk wilayah laporan ini.", key="lampiran-pk",
                  merge=["no", "sasaran"])
    return Section(f"Lampiran 1. Perjanjian Kinerja Tahun {year}", 1, [table], key="lampiran-pk")


def iku_appendix(inputs: ChapterInputs) -> Section:
    """Lampiran 2: the IKU as the regulation's table shows them (rumus and sumber data)."""
    columns = APPENDIX_HEAD + [Column("rumus", "Rumus"), Column("sumber_data", "Sumber Data")]
    instansi = inputs.meta.get("instansi", "")
    table = Table(f"Indikator Kinerja Utama {instansi}".strip(), _appendix_frame(inputs), columns,
                  note="Dari katalog IKU (iku.yaml).", key="lampiran-iku", merge=["no", "sasaran"])
    return Section("Lampiran 2. Indikator Kinerja Utama", 1, [table], key="lampiran-iku")
