"""HTML fragments of the quarterly monitoring report (the notebook shows them with
`display(HTML(...))`), and the quarterly path section of the annual report.

Every text goes through `markup.esc`; numbers are written by `formatting`.
"""

from __future__ import annotations

import pandas as pd

from ..exceptions import CatalogError, DataError, ParameterError
from ..formatting import angka, tanggal
from ..ingest.dataset import Dataset
from ..ingest.triwulan import QUARTERS
from . import markup
from .presentation import problems_display
from .quarterly import (ID, PACE_NUMERIC_PREFIXES, SUMMARY_NUMERIC, Monitoring, completeness_counts,
                        completeness_display, completeness_text, latest_stock_note, pace_display, path_display,
                        summary_display, summary_text)
from .quarterly_chart import path_chart
from .quarterly_names import quarter_range, roman
from .quarterly_pace import HIT, MISS, NOT_YET, REACHED, UNKNOWN
from .tables import problems_table


def title(model: Monitoring) -> str:
    """The title page."""
    return markup.title_block(model.meta, model.title, model.subtitle, tanggal(model.run_time.date()))


def reading_guide(model: Monitoring) -> str:
    """How the numbers of the report are made, in a few paragraphs."""
    q = roman(model.quarter)
    texts = [
        f"Setiap angka adalah nilai kumulatif sejak awal tahun {model.year} sampai akhir triwulan {q}, dihitung dari "
        f"data triwulan yang dilaporkan desa (folder {model.year}/triwulan-1/ dan seterusnya) dengan rumus yang sama "
        f"dengan laporan tahunan: pembilang dan penyebut dijumlahkan dari desa ke {model.level}, lalu dibagi.",
        "Variabel alir (penerimaan, jumlah kejadian, laporan) dijumlahkan dari triwulan ke triwulan; variabel stok "
        "(jumlah penduduk, rumah, status ya/tidak) memakai nilai triwulan terakhir yang dilaporkan. Desa yang belum "
        "melaporkan sebuah triwulan tidak dianggap nol: variabel alirnya tidak punya nilai kumulatif.",
        "Capaian dihitung terhadap target triwulan yang ditetapkan di target.csv (kumulatif sampai triwulan itu) bila "
        "ada; bila tidak ada, terhadap target tahunan, sehingga capaiannya adalah kemajuan menuju target tahun "
        "itu. Kolom Dasar Target menyebut target mana yang dipakai. Rumus capaian dan predikat sama dengan laporan "
        "tahunan.",
    ]
    return markup.paragraphs(texts)


def summary_section(model: Monitoring) -> str:
    """The paragraph and the table of the quarter (`id="tabel-triwulan"`)."""
    table = summary_display(model)
    return (markup.paragraph(summary_text(model))
            + markup.table(table, numeric=SUMMARY_NUMERIC, table_id="tabel-triwulan",
                           caption=f"Realisasi kumulatif, target, capaian dan predikat sampai triwulan "
                                   f"{roman(model.quarter)} tahun {model.year}"))


def _pace_numeric(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.startswith(PACE_NUMERIC_PREFIXES)]


def warning_section(model: Monitoring) -> str:
    """The early warning: how the year is foreseen (a straight line, said as such), the
    indicators on the list, then every indicator's projection."""
    q = model.quarter
    parts = []
    if q == QUARTERS[-1]:
        parts.append(markup.note("Triwulan IV adalah akhir tahun: nilai kumulatif sampai triwulan IV adalah nilai "
                                 "tahunan, sehingga tidak ada proyeksi. Tabel di bawah membandingkannya langsung "
                                 "dengan target tahunan."))
    else:
        parts.append(markup.paragraph(
            f"Perkiraan akhir tahun memakai proyeksi linear sederhana: untuk indikator yang pembilangnya variabel "
            f"alir, laju rata-rata per triwulan dari {quarter_range(q)} diteruskan sampai triwulan IV (nilai sampai "
            f"triwulan {roman(q)} dikali 4/{q}), yaitu garis lurus dari nol di awal tahun melalui nilai kumulatif "
            f"triwulan {roman(q)}. Bila pembilang dan penyebut sama-sama variabel alir, proyeksi keduanya memberi "
            "rasio yang sama, sehingga nilai sampai saat ini dipakai sebagai perkiraan. Proyeksi ini hanya gambaran "
            "bila laju sejauh ini tidak berubah, bukan ramalan: kegiatan yang menumpuk di akhir tahun tidak "
            "terlihat di dalamnya."))
        note = latest_stock_note(model)
        if note:
            parts.append(markup.note(note))
    warned = model.warnings()
    if warned.empty:
        parts.append(markup.paragraph("Tidak ada indikator dalam daftar peringatan dini: semua perkiraan mencapai "
                                      "target tahunan, atau tidak dapat dihitung."))
    else:
        misses = warned[warned["status"] == MISS]
        stocks = warned[warned["status"] == NOT_YET]
        sentences = []
        if len(misses):
            sentences.append(f"{angka(len(misses))} indikator diperkirakan tidak mencapai target tahunan bila "
                             f"lajunya tetap ({', '.join(misses['indikator'])}).")
        if len(stocks):
            sentences.append(f"{angka(len(stocks))} indikator stok/status belum mencapai target tahunan pada "
                             f"triwulan {roman(q)} ({', '.join(stocks['indikator'])}).")
        listed = pace_display(model, pd.concat([misses, stocks]))  # the projections that miss first
        parts.append(markup.paragraph(" ".join(sentences)))
        parts.append(markup.table(listed, numeric=_pace_numeric(listed), table_id="peringatan-dini",
                                  css_class="data peringatan",
                                  caption=f"Daftar peringatan dini, triwulan {roman(q)} tahun {model.year}"))
    others = model.pace[~model.pace.index.isin(warned.index)]
    if len(others):
        shown = pace_display(model, others)
        counts = others["status"].value_counts()
        words = [f"{angka(int(counts[s]))} {s}" for s in (HIT, REACHED, UNKNOWN) if s in counts]
        parts.append(markup.table(shown, numeric=_pace_numeric(shown), table_id="perkiraan-lain",
                                  caption=f"Indikator lainnya ({', '.join(words)})"))
    return "\n".join(parts)


def path_section(model: Monitoring) -> str:
    """The table of each indicator's value at the end of every quarter, then the chart."""
    table = path_display(model)
    numeric = [c for c in table.columns if c not in (ID, "Wilayah", "Satuan")]
    fig = path_chart(model)
    caption = ("Garis biru: realisasi kumulatif sampai akhir setiap triwulan. Garis putus-putus abu-abu: target "
               "triwulan (kumulatif), bila ditetapkan. Garis titik ungu: target tahunan. Garis titik jingga: proyeksi "
               "linear ke triwulan IV (hanya indikator yang pembilangnya variabel alir). Bidang abu-abu: triwulan "
               "yang belum berjalan.")
    return (markup.table(table, numeric=numeric, table_id="jalur-triwulan",
                         caption=f"Nilai kumulatif sampai akhir setiap triwulan, tahun {model.year}")
            + markup.figure(fig, alt=f"Grafik jalur triwulan setiap indikator tahun {model.year}", caption=caption))


def completeness_section(model: Monitoring) -> str:
    """Who has reported which quarter: a sentence, the counts per quarter, the desa still missing."""
    parts = [markup.paragraph(completeness_text(model)),
             markup.table(completeness_counts(model), numeric=["Desa Melapor", "Jumlah Desa", "Belum Melapor"],
                          table_id="kelengkapan", caption="Jumlah desa yang melaporkan data per triwulan")]
    missing = completeness_display(model)
    if len(missing):
        parts.append(markup.table(missing, table_id="belum-melapor",
                                  caption="Desa yang belum melaporkan data triwulan"))
    return "\n".join(parts)


def problems_section(model: Monitoring, names: dict[str, str]) -> str:
    """The quarter's data notes (each desa that has not reported, each gap), or a sentence saying there are none."""
    table = problems_table(model.problems, model.year)
    if table.empty:
        return markup.paragraph(f"Tidak ada catatan pada data triwulan sampai triwulan {roman(model.quarter)}.")
    return (markup.paragraph(f"{angka(len(table))} catatan pada data triwulan sampai triwulan "
                             f"{roman(model.quarter)}:")
            + markup.table(problems_display(table, names), table_id="catatan-triwulan"))


# --- the annual report's section -------------------------------------------------------------------

def annual_path(dataset: Dataset, year: int, kode_wilayah: str | None = None) -> pd.DataFrame:
    """The quarterly path of each indicator for the annual report of `year` (the register's top
    level, or the area `kode_wilayah`): the rows of `compute_quarter` of every quarter with data
    (QUARTER_API_COLUMNS). Empty when the year has no quarter data. Raises what
    `quarter_path` raises for bad quarter data."""
    from ..engine.quarterly import quarter_path
    from ..ingest.quarters import read_quarters
    from .annual import find_area
    from .tables import top_level

    quarters = read_quarters(dataset, int(year))
    if not quarters.quarters:
        return pd.DataFrame()
    path = quarter_path(dataset, int(year), max(quarters.quarters), quarters)
    if kode_wilayah is None:
        return path[path["level"] == top_level(dataset)].reset_index(drop=True)
    area = find_area(dataset, str(kode_wilayah))
    return path[(path["level"] == area.level) & (path["kode_wilayah"] == area.kode)].reset_index(drop=True)


def annual_path_display(path: pd.DataFrame, catalog, annual: pd.DataFrame) -> pd.DataFrame:
    """Per indicator (and area) its cumulative value at the end of each quarter, then the year's
    realisasi and target (`annual`: the annual table's rows of the same level): Kode Indikator,
    Satuan, Triwulan I..IV (those with data), Realisasi Tahunan, Target Tahunan."""
    quarters = sorted(int(q) for q in path["triwulan"].unique())
    keys = path[["indikator", "kode_wilayah", "nama_wilayah"]].drop_duplicates()
    several = keys["kode_wilayah"].nunique() > 1
    year_rows = annual.set_index(["indikator", "kode_wilayah"])
    rows = []
    for k in keys.itertuples(index=False):
        spec = catalog.indicators.loc[k.indikator]
        d = int(spec["desimal"])
        mine = path[(path["indikator"] == k.indikator) & (path["kode_wilayah"] == k.kode_wilayah)]
        by_q = dict(zip(mine["triwulan"].astype(int), mine["nilai"]))
        row = {ID: k.indikator}
        if several:
            row["Wilayah"] = k.nama_wilayah
        row["Satuan"] = spec["satuan"]
        for q in quarters:
            row[f"Triwulan {roman(q)}"] = angka(by_q.get(q, float("nan")), d)
        found = (k.indikator, k.kode_wilayah) in year_rows.index
        row["Realisasi Tahunan"] = angka(year_rows.loc[(k.indikator, k.kode_wilayah), "nilai"] if found else None, d)
        row["Target Tahunan"] = angka(year_rows.loc[(k.indikator, k.kode_wilayah), "target"] if found else None, d)
        rows.append(row)
    return pd.DataFrame(rows)


def annual_quarter_section(dataset: Dataset, year: int, kode_wilayah: str | None = None) -> str:
    """The annual report's section "Jalur Triwulan": '' when the year has no quarter data (the
    report is then as before); a note when the quarter data cannot be computed (errors)."""
    from ..engine.compute import compute

    heading = markup.heading(f"Jalur Triwulan Tahun {year}", 2, anchor="jalur-triwulan")
    try:
        path = annual_path(dataset, year, kode_wilayah)
    except (DataError, CatalogError, ParameterError) as exc:
        why = f"{len(exc.problems)} galat" if isinstance(exc, DataError) else str(exc)
        return heading + markup.note(f"Data triwulan tahun {year} ada, tetapi tidak dapat dihitung ({why}); "
                                     "jalankan iku validate untuk rinciannya. Laporan tahunan ini tidak terpengaruh.")
    if path.empty:
        return ""
    levels = set(path["level"])
    annual = compute(dataset, int(year)) if int(year) in dataset.years else path.iloc[0:0]
    annual = annual[annual["level"].isin(levels)]
    table = annual_path_display(path, dataset.catalog, annual)
    quarters = sorted(int(q) for q in path["triwulan"].unique())
    last = quarters[-1]
    text = (f"Data triwulan tahun {year} tersedia sampai triwulan {roman(last)}. Tabel berikut menunjukkan nilai "
            "kumulatif setiap indikator sejak awal tahun sampai akhir setiap triwulan (variabel alir dijumlahkan, "
            "variabel stok memakai nilai triwulan terakhir), dihitung dengan rumus yang sama dengan laporan ini.")
    if last == QUARTERS[-1]:
        text += (" Nilai tahunan wajib sama dengan kumulatif triwulan IV (diperiksa saat data dibaca), sehingga "
                 "kolom Triwulan IV dan Realisasi Tahunan sama.")
    text += (f" Target triwulan, kelengkapan laporan desa dan peringatan dini setiap triwulan ada di laporan "
             f"pemantauan triwulan (iku report --year {year} --triwulan N).")
    numeric = [c for c in table.columns if c not in (ID, "Wilayah", "Satuan")]
    return (heading + markup.paragraph(text)
            + markup.table(table, numeric=numeric, table_id="jalur-triwulan-tahunan",
                           caption=f"Nilai kumulatif per triwulan dan nilai tahunan {year}"))

