"""Sentences of LKjIP chapter III (Bahasa Indonesia), generated from the computed numbers.

The words are those of the annual report (`narrative`): a target is *tercapai* or *belum
tercapai* (`tables.reaches_target`), a change *membaik*, *memburuk* or *tetap* by the
indicator's polarity; numbers are written by `formatting`, never rounded here.

>>> standard_position(97.51, 99.0, "positif", 2)
('di bawah', 'lebih buruk daripada')
>>> standard_position(4.68, 6.3, "negatif", 2)
('di bawah', 'lebih baik daripada')
>>> with_unit("Target", "%"), with_unit("Target", "")
('Target (%)', 'Target')
"""

from __future__ import annotations

import pandas as pd

from ..engine.efficiency import NOT_COMPUTABLE, absorption
from ..ingest.catalog import EFFICIENCY_RATIO
from ..formatting import angka, nilai, persen, rupiah
from .narrative import change_text, in_sentence
from .tables import reaches_target


def with_unit(label: str, satuan: str) -> str:
    """A header naming the unit its numbers are in."""
    return f"{label} ({satuan})" if isinstance(satuan, str) and satuan.strip() else label


def change_unit(satuan: str) -> str:
    """The unit of a change: a percentage changes by points.

    >>> change_unit("%"), change_unit("per 10.000 penduduk")
    ('persen poin', 'per 10.000 penduduk')
    """
    return "persen poin" if satuan == "%" else satuan


def polarity_text(polaritas: str) -> str:
    return "makin rendah makin baik" if polaritas == "negatif" else "makin tinggi makin baik"


def definition_text(spec: pd.Series) -> str:
    """What the indicator measures: its formula, polarity, unit and data source (catalog)."""
    text = f"Rumus: {spec['rumus']}. Indikator ini {polarity_text(spec['polaritas'])}"
    if isinstance(spec["satuan"], str) and spec["satuan"].strip():
        text += f", dalam satuan {spec['satuan']}"
    source = spec.get("sumber_data")
    return text + (f"; sumber data: {source}." if isinstance(source, str) and source.strip() else ".")


def change_sentence(rows: pd.DataFrame, year: int, satuan: str, desimal: int, polaritas: str) -> str:
    """The change of realisasi from the year before, from the indicator's `multiyear` rows
    (`realisasi`, `perubahan`, `arah`), judged by polarity."""
    value = lambda x: nilai(x, satuan, desimal)  # noqa: E731
    by_year = rows.set_index("tahun")
    now = by_year["realisasi"].get(year, float("nan"))
    before = by_year["realisasi"].get(year - 1, float("nan"))
    if pd.isna(now):
        return f"Realisasi tahun {year} tidak tersedia, sehingga perubahan dari tahun {year - 1} tidak dapat dihitung."
    if pd.isna(before):
        return f"Realisasi tahun {year - 1} tidak tersedia sebagai pembanding."
    arah = by_year.at[year, "arah"]
    if arah == "tetap":
        return f"Realisasi tahun {year} ({value(now)}) sama dengan tahun {year - 1} ({value(before)})."
    text = (f"Dibandingkan tahun {year - 1} ({value(before)}), realisasi tahun {year} ({value(now)}) "
            f"{change_text(now - before, satuan, desimal)}; kinerja indikator ini {arah}")
    return text + (" (makin rendah makin baik)." if polaritas == "negatif" else ".")


def period_sentence(rows: pd.DataFrame, satuan: str, desimal: int, polaritas: str) -> str:
    """From the first year shown with a realisasi to the last, and on how many years the
    yearly target was reached ('' with fewer than two years of realisasi)."""
    observed = rows[rows["realisasi"].notna()].sort_values("tahun")
    if len(observed) < 2:
        return ""
    first, last = observed.iloc[0], observed.iloc[-1]
    diff = last["realisasi"] - first["realisasi"]
    moved = ("tidak berubah" if angka(abs(diff), desimal) == angka(0, desimal)
             else change_text(diff, satuan, desimal))
    text = (f"Selama {int(first['tahun'])}–{int(last['tahun'])}, realisasi {moved} "
            f"(dari {nilai(first['realisasi'], satuan, desimal)} menjadi {nilai(last['realisasi'], satuan, desimal)}).")
    judged = [reaches_target(r, t, polaritas) for r, t in zip(rows["realisasi"], rows["target"])]
    judged = [j for j in judged if j is not None]
    if judged:
        of = f"{len(judged)} tahun yang punya realisasi dan target"
        text += (f" Target tahunan tercapai pada {sum(judged)} dari {of}." if sum(judged)
                 else f" Target tahunan belum tercapai pada satu pun dari {of}.")
    return text


def renstra_sentence(r: pd.Series, satuan: str, desimal: int, year: int) -> str:
    """Realisasi against the Renstra end target (`engine.renstra.renstra_progress` row `r`),
    and whether the current pace reaches it, said as a simple linear projection."""
    value = lambda x: nilai(x, satuan, desimal)  # noqa: E731
    end = r["tahun_akhir"]
    if pd.isna(end):
        return "Katalog tidak menyebut periode Renstra (periode), sehingga target akhir periode tidak diketahui."
    end = int(end)
    if pd.isna(r["realisasi"]):
        return (f"Realisasi tahun {year} tidak tersedia, sehingga kemajuan terhadap target akhir periode Renstra tidak "
                "dapat dihitung.")
    if pd.isna(r["target_akhir"]):
        text = f"Target akhir periode Renstra ({end}) tidak ada di target.csv, sehingga kemajuan tidak dapat dihitung."
    else:
        text = (f"Target akhir periode Renstra ({end}) sebesar {value(r['target_akhir'])}; realisasi tahun {year} "
                f"({value(r['realisasi'])}) setara dengan kemajuan {persen(r['progres'], 2)} terhadapnya (dihitung "
                "seperti capaian).")
    if year >= end:
        if pd.notna(r["target_akhir"]):
            when = "" if year == end else f" (periode Renstra berakhir pada {end})"
            verdict = "tercapai" if bool(r["tercapai_pada_laju_ini"]) else "belum tercapai"
            text += f" Target akhir periode {verdict}{when}."
        return text
    if pd.isna(r["proyeksi_akhir"]):
        return text + (f" Data realisasi baru ada untuk satu tahun, sehingga laju menuju {end} belum dapat "
                       "diproyeksikan.")
    start = int(r["tahun_awal"])
    text += (f" Dengan proyeksi linear sederhana, yaitu laju rata-rata {start}–{year} "
             f"({change_text(r['laju'], satuan, desimal)} per tahun) diteruskan sampai {end}, realisasi {end} "
             f"diperkirakan {value(r['proyeksi_akhir'])}")
    if pd.isna(r["target_akhir"]):
        return text + "."
    verdict = "tercapai" if bool(r["tercapai_pada_laju_ini"]) else "belum tercapai"
    return text + (f", sehingga pada laju ini target akhir periode diperkirakan {verdict}. Proyeksi ini hanya "
                   "meneruskan laju yang lalu, bukan ramalan.")


def standard_position(realisasi: float, standar: float, polaritas: str, desimal: int) -> tuple[str, str]:
    """(where realisasi stands: `di atas`/`di bawah`/`sama dengan`, and what that means by
    polarity: `lebih baik daripada`/`lebih buruk daripada`/`setara dengan`) the standard."""
    diff = realisasi - standar
    if angka(abs(diff), desimal) == angka(0, desimal):
        return "sama dengan", "setara dengan"
    better = diff < 0 if polaritas == "negatif" else diff > 0
    return ("di atas" if diff > 0 else "di bawah"), ("lebih baik daripada" if better else "lebih buruk daripada")


def standard_sentence(realisasi: float, standar: float, sumber: str, spec: pd.Series, year: int, area: str) -> str:
    """Realisasi of the year against a national or provincial standard, by polarity."""
    satuan, desimal = spec["satuan"], int(spec["desimal"])
    text = f"Standar pembanding tahun {year} adalah {nilai(standar, satuan, desimal)} (sumber: {sumber})."
    if pd.isna(realisasi):
        return text + f" Realisasi tahun {year} tidak tersedia, sehingga tidak dapat dibandingkan."
    where, meaning = standard_position(realisasi, standar, spec["polaritas"], desimal)
    return text + (f" Realisasi {area} ({nilai(realisasi, satuan, desimal)}) {where} standar; karena indikator ini "
                   f"{polarity_text(spec['polaritas'])}, kinerjanya {meaning} standar.")


def efficiency_sentence(r: pd.Series, year: int) -> str:
    """How efficient the budget linked to the indicator was (`efficiency_table` row), or why
    it cannot be said."""
    if r["kategori"] == NOT_COMPUTABLE:
        return f"Efisiensi tahun {year} tidak dapat dihitung: {r['alasan']}."
    head = (f"Serapan anggaran kegiatan yang mendukung indikator ini {persen(r['serapan'], 2)} "
            f"({rupiah(r['realisasi_anggaran'])} dari pagu {rupiah(r['pagu'])}) dengan capaian kinerja "
            f"{persen(r['capaian'], 2)}.")
    if r["metode"] == EFFICIENCY_RATIO:
        return head + (f" Indeks efisiensi = capaian / serapan = {angka(r['indeks'], 2)} dan tingkat efisiensi "
                       f"{persen(r['tingkat_efisiensi'], 2)}: {r['kategori']} (efisien bila indeks efisiensi 1 atau "
                       "lebih, metode Badan POM).")
    return head + (f" Selisih capaian dan serapan {angka(r['selisih'], 2)} poin: {r['kategori']} (metode selisih "
                   "Kabupaten Banjarnegara).")


def program_sentence(lines: pd.DataFrame, ident: str, year: int) -> str:
    """The budget lines linked to one indicator: how many, pagu, realisasi and serapan."""
    pagu, spent = float(lines["pagu"].sum()), float(lines["realisasi"].sum())
    serapan = persen(absorption(pagu, spent), 2) if pagu else "tidak dapat dihitung (pagu 0)"
    return (f"Menurut anggaran.csv, {len(lines)} kegiatan mendukung {ident} pada tahun {year}, dengan pagu "
            f"{rupiah(pagu)} dan realisasi {rupiah(spent)} (serapan {serapan}). Kegiatan yang mendukung beberapa "
            "indikator dicantumkan dengan anggaran penuhnya pada setiap indikator itu.")


def budget_sentence(total: pd.Series, programs: pd.DataFrame, year: int, instansi: str) -> str:
    """Chapter III.B in one paragraph: the year's pagu, realisasi and serapan, and the programs
    with the lowest and highest serapan."""
    who = f" {instansi}" if instansi else ""
    text = (f"Pada tahun {year}, pagu anggaran{who} sebesar {rupiah(total['pagu'])} terealisasi "
            f"{rupiah(total['realisasi'])}, atau serapan {persen(total['serapan'], 2)}.")
    known = programs[programs["serapan"].notna()]
    if len(known) >= 2:
        low = known.loc[known["serapan"].idxmin()]
        high = known.loc[known["serapan"].idxmax()]
        text += (f" Serapan terendah pada {low['program']} ({persen(low['serapan'], 2)}) dan tertinggi pada "
                 f"{high['program']} ({persen(high['serapan'], 2)}).")
    return text + " Kegiatan yang mendukung lebih dari satu indikator dihitung sekali."


def analysis_lead(row: pd.Series, year: int, analyst: bool) -> str:
    """The sentence before the analyst's causes: whether the year's target was reached (and,
    with `analyst` text to follow, that what follows is the analyst's)."""
    reached = reaches_target(row["realisasi"], row["target"], row["polaritas"])
    if reached is None:
        text = f"Tercapai atau tidaknya target tahun {year} tidak dapat dinilai (realisasi atau target tidak ada)."
        return text + (" Penyebab dan solusinya menurut analis:" if analyst else "")
    status = "tercapai" if reached else "belum tercapai"
    text = f"Target tahun {year} untuk {in_sentence(row['nama'])} {status} (capaian {persen(row['capaian'], 2)})."
    return text + (f" Penyebab {'keberhasilan' if reached else 'kegagalan'} dan solusinya menurut analis:"
                   if analyst else "")


__all__ = ["analysis_lead", "budget_sentence", "change_sentence", "change_unit", "definition_text",
           "efficiency_sentence", "period_sentence", "polarity_text", "program_sentence", "renstra_sentence",
           "standard_position", "standard_sentence", "with_unit"]
