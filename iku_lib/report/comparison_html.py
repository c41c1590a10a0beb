"""The comparison report's HTML fragments (the notebook shows them with `display(HTML(...))`).

- `summary_section`: the summary matrix (areas x indicators, each cell the capaian and the
  predikat's short label on the predikat's colour, so it reads in grey print too) with the
  reference area's row, then per area the count of indicators in each predikat;
- `indicator_section`: one indicator's ranking table, its bar chart and, over several years,
  each area's change from the first to the last year.

Every text goes through `markup.esc`; numbers are written by `formatting`.
"""

from __future__ import annotations

import pandas as pd

from ..engine.ranking import BY_CAPAIAN, NO_PREDIKAT
from ..formatting import EMPTY, angka
from . import markup
from .charts import MISSING_COLOR, predikat_colors
from .comparison import (RANK_NUMERIC, SHOWN, Comparison, basis_text, changes_display, counts_headers, gap_row, ink_on,
                         matrix_note, predikat_abbreviations, ranking_display, shown_changes, shown_rows,
                         unranked_note)
from .comparison_chart import ranking_chart
from .markup import esc


def _cell(capaian: float, predikat: str | None, colors: dict[str, str], short: dict[str, str]) -> str:
    if not isinstance(predikat, str) or pd.isna(capaian):
        return f'<td class="angka" style="background:{MISSING_COLOR}">{EMPTY}</td>'
    color = colors.get(predikat, MISSING_COLOR)
    return (f'<td class="angka" style="background:{color};color:{ink_on(color)};white-space:nowrap" '
            f'title="{esc(predikat)}">{esc(angka(capaian, 2))} <b>{esc(short.get(predikat, predikat))}</b></td>')


def legend(model: Comparison) -> str:
    """The colours and short labels of the predikat."""
    colors = predikat_colors(model.grades)
    short = predikat_abbreviations(model.labels)
    items = "".join(f'<span style="display:inline-block;margin:0 .8em .3em 0;white-space:nowrap">'
                    f'<span style="display:inline-block;width:1.1em;height:1.1em;vertical-align:-.2em;'
                    f'background:{colors[label]};border:1px solid #888"></span> '
                    f'<b>{esc(short[label])}</b>{"" if short[label] == label else " = " + esc(label)}</span>'
                    for label in model.labels)
    return f'<p class="legenda">{items}</p>'


def matrix_table(model: Comparison) -> str:
    """Areas x indicators of the last year; the reference area's row last."""
    matrix = model.matrix
    idents = [c for c in matrix.columns.get_level_values(0).unique() if c != "nama_wilayah"]
    colors = predikat_colors(model.grades)
    short = predikat_abbreviations(model.labels)
    names = model.indicators["nama"].to_dict()
    head = ("<tr><th>Kode</th><th>Wilayah</th>"
            + "".join(f'<th class="angka" style="white-space:nowrap" title="{esc(names.get(i, ""))}">{esc(i)}</th>'
                      for i in idents) + "</tr>")
    body = []
    for kode, row in matrix.iterrows():
        cells = "".join(_cell(row[(i, "capaian")], row[(i, "predikat")], colors, short) for i in idents)
        body.append(f"<tr><td>{esc(kode)}</td><td>{esc(row[('nama_wilayah', '')])}</td>{cells}</tr>")
    foot = ""
    if model.reference_label:
        cells = []
        for i in idents:
            ref = model.reference_row(i)
            cells.append(_cell(ref["capaian"], ref["predikat"], colors, short) if ref is not None else
                         f"<td>{EMPTY}</td>")
        foot = (f'<tfoot><tr><td colspan="2"><i>{esc(model.reference_label)} (acuan)</i></td>{"".join(cells)}'
                "</tr></tfoot>")
    caption = f"Capaian (%) dan predikat per indikator, tahun {model.last}"
    return (f'<table class="data matriks" id="matriks-capaian">\n<caption>{esc(caption)}</caption>\n'
            f"<thead>{head}</thead>\n<tbody>\n" + "\n".join(body) + f"\n</tbody>{foot}\n</table>")


def counts_display(model: Comparison) -> pd.DataFrame:
    """Per area, the number of indicators in each predikat (text)."""
    counts = model.counts
    headers = counts_headers(model.labels)
    out = pd.DataFrame({"Kode": counts.index.astype(str), "Wilayah": counts["nama_wilayah"].astype(str).to_numpy()})
    for label, header in zip([*model.labels, NO_PREDIKAT], headers):
        out[header] = [angka(x) for x in counts[label]]
    return out


def summary_section(model: Comparison) -> str:
    """The summary: the matrix with its legend and note, then the predikat counts."""
    idents = [c for c in model.matrix.columns.get_level_values(0).unique() if c != "nama_wilayah"]
    intro = (f"{angka(model.n_areas)} {model.level} dibandingkan pada {angka(len(model.indicators))} indikator "
             f"tahun {model.last}. Setiap sel matriks berisi capaian (%) dan predikatnya; warna sel mengikuti "
             "predikat, dan singkatan predikat tertulis di sel agar tetap terbaca bila dicetak hitam-putih.")
    parts = [markup.paragraph(intro)]
    if not idents:
        parts.append(markup.note(f"Tidak ada indikator dengan target {model.level} tahun {model.last}, sehingga "
                                 "matriks capaian tidak dibuat; peringkat menurut nilai ada di bagian per indikator."))
        return "\n".join(parts)
    parts += [legend(model), matrix_table(model)]
    note = matrix_note(model)
    if note:
        parts.append(markup.paragraph(note))
    counts = counts_display(model)
    parts.append(markup.table(counts, numeric=counts_headers(model.labels), table_id="jumlah-predikat",
                              caption=f"Jumlah indikator per predikat, tahun {model.last} (dari "
                                      f"{angka(len(idents))} indikator di matriks)"))
    return "\n".join(parts)


def leaders_text(model: Comparison, ident: str) -> str:
    """`Peringkat 1: A (111,11%). Peringkat terakhir: B (92,59%). Kabupaten X: 103,45%.`"""
    rows = model.last_year(ident)
    ranked = rows[rows["peringkat"].notna()]
    if ranked.empty:
        return f"Tidak ada {model.level} yang memiliki nilai untuk indikator ini pada tahun {model.last}."
    spec = model.indicators.loc[ident]
    by_capaian = model.basis(ident) == BY_CAPAIAN
    column, digits = ("capaian", 2) if by_capaian else ("nilai", int(spec["desimal"]))
    unit = "%" if by_capaian or spec["satuan"] == "%" else f" {spec['satuan']}"

    def who(rank_rows: pd.DataFrame) -> str:
        names = list(rank_rows["nama_wilayah"].astype(str))
        shown = ", ".join(names[:5]) + (f" dan {len(names) - 5} lainnya" if len(names) > 5 else "")
        return f"{shown} ({angka(rank_rows[column].iloc[0], digits)}{unit})"

    best = ranked[ranked["peringkat"] == ranked["peringkat"].min()]
    worst = ranked[ranked["peringkat"] == ranked["peringkat"].max()]
    text = f"Peringkat 1: {who(best)}."
    if len(ranked) > len(best):
        text += f" Peringkat terakhir ({int(worst['peringkat'].iloc[0])}): {who(worst)}."
    ref = model.reference_row(ident)
    if ref is not None and pd.notna(ref[column]):
        text += f" {model.reference_label}: {angka(ref[column], digits)}{unit}."
    return text


def indicator_section(model: Comparison, ident: str) -> str:
    """One indicator: heading, how it is ranked, the leaders, the ranking table (the top and
    bottom `SHOWN` when there are many areas), the chart, and the change over the years."""
    spec = model.indicators.loc[ident]
    desimal = int(spec["desimal"])
    rows = model.last_year(ident)
    top, bottom, left_out = shown_rows(rows)
    table = ranking_display(top, desimal)
    if left_out:
        table = pd.concat([table, gap_row(left_out), ranking_display(bottom, desimal)], ignore_index=True)
    satuan = str(spec["satuan"] or "")
    unit = f"; satuan nilai dan target: {satuan}" if satuan else ""
    parts = [markup.heading(f"{ident} {spec['nama']}", 3, anchor=f"indikator-{ident}"),
             markup.paragraph(f"{basis_text(model, ident)} {leaders_text(model, ident)}")]
    parts.append(markup.table(table, numeric=RANK_NUMERIC, css_class="data peringkat",
                              caption=f"Peringkat {model.level}: {ident} tahun {model.last}{unit}"))
    notes = [unranked_note(rows)]
    if left_out:
        notes.insert(0, f"Tabel dan grafik menunjukkan {len(top)} peringkat teratas dan {len(bottom)} terbawah dari "
                        f"{angka(int(rows['peringkat'].notna().sum()))} {model.level} yang berperingkat; daftar "
                        "lengkapnya ada di berkas Excel (lembar Peringkat).")
    parts += [markup.paragraph(n) for n in notes if n]
    basis = model.basis(ident)
    ref = model.reference_row(ident)
    column = "capaian" if basis == BY_CAPAIAN else "nilai"
    reference = (model.reference_label, float(ref[column])) if ref is not None and pd.notna(ref[column]) else None
    what = "capaian" if basis == BY_CAPAIAN else "nilai"
    title = f"{ident}: {what} per {model.level}, tahun {model.last}"
    fig = ranking_chart(top, bottom, left_out, basis, satuan, desimal, model.grades, reference, title)
    caption = ("Garis putus-putus: nilai " + model.reference_label + "." if reference else
               "Tanpa garis acuan: data tidak memuat satu wilayah di atas semua wilayah yang dibandingkan.")
    parts.append(markup.figure(fig, alt=f"Grafik batang {what} {ident} per {model.level} tahun {model.last}",
                               caption=caption))
    if model.changes is not None:
        rows, left_out = shown_changes(model, ident)
        changes = changes_display(model, ident, rows)
        extra = (f" ({SHOWN} perbaikan terbesar dan {SHOWN} penurunan terbesar; {angka(left_out)} wilayah lainnya di "
                 "berkas Excel, lembar Perubahan)" if left_out else "")
        numeric = [c for c in changes.columns if c not in ("Kode", "Wilayah")]
        parts.append(markup.table(changes, numeric=numeric, css_class="data perubahan",
                                  caption=f"Perubahan {ident} dari {model.first} ke {model.last}, diurutkan dari "
                                          f"perbaikan terbesar{extra}"))
    return f'<section class="indikator">{"".join(parts)}</section>'


def indicator_sections(model: Comparison) -> str:
    """Every indicator's section, in catalog order."""
    return "\n".join(indicator_section(model, ident) for ident in model.indicators.index)
