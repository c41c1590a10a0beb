"""Names of the quarterly monitoring report: its folder, its files, its quarter in words.

The report of quarter n of a year lives in `<out>/<tahun>/triwulan-<n>/` (inside the year's
report folder, which keeps it when the annual report is made again: `outputs.carry_over`), as
`pemantauan-<tahun>-triwulan-<n>.html`, `.ipynb` and `.xlsx`. Quarters are written in Roman
numerals in what people read (Triwulan II), as e-SAKIP applications write them.

>>> roman(2), quarter_phrase(2023, 3), report_stem(2023, 2)
('II', 'Triwulan III Tahun 2023', 'pemantauan-2023-triwulan-2')
>>> quarter_range(1), quarter_range(3)
('triwulan I', 'triwulan I–III')
"""

from __future__ import annotations

import re
from pathlib import Path

from ..ingest.triwulan import folder_name

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
STEM_PATTERN = re.compile(r"pemantauan-(\d{4})-triwulan-([1-4])")


def roman(quarter: int) -> str:
    """The quarter in Roman numerals (1 -> I)."""
    return ROMAN[int(quarter)]


def quarter_phrase(year: int, quarter: int) -> str:
    """`Triwulan II Tahun 2023`."""
    return f"Triwulan {roman(quarter)} Tahun {int(year)}"


def quarter_range(quarter: int) -> str:
    """The quarters to date in words: `triwulan I` or `triwulan I–III`."""
    return "triwulan I" if int(quarter) == 1 else f"triwulan I–{roman(quarter)}"


def report_stem(year: int, quarter: int) -> str:
    """The file stem of the report of a quarter: `pemantauan-2023-triwulan-2`."""
    return f"pemantauan-{int(year)}-{folder_name(quarter)}"


def report_folder(output_dir: Path, year: int, quarter: int) -> Path:
    """`<out>/<tahun>/triwulan-<n>/`."""
    return Path(output_dir) / str(int(year)) / folder_name(quarter)


def workbook_name(year: int, quarter: int) -> str:
    """`pemantauan-2023-triwulan-2.xlsx`."""
    return f"{report_stem(year, quarter)}.xlsx"


def find_quarter_reports(output_dir: Path) -> list[tuple[str, Path, list[Path]]]:
    """Finished quarterly reports under `output_dir` (`<tahun>/triwulan-<n>/`), by year then
    quarter: (title, html, other files: the workbook and the executed notebook)."""
    found = []
    out = Path(output_dir)
    for html in sorted(out.glob("[0-9][0-9][0-9][0-9]/triwulan-[1-4]/pemantauan-*-triwulan-*.html")):
        m = STEM_PATTERN.fullmatch(html.stem)
        if m is None or html.parent.name != folder_name(int(m.group(2))) or html.parent.parent.name != m.group(1):
            continue
        extra = [p for p in (html.with_suffix(".xlsx"), html.with_suffix(".ipynb")) if p.is_file()]
        found.append((f"Pemantauan {quarter_phrase(int(m.group(1)), int(m.group(2)))}", html, extra))
    return found
