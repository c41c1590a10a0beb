"""Sentences in Bahasa Indonesia generated from the computed numbers (plain text; `markup`
escapes it for HTML). Numbers are written by `formatting`, never rounded here.

>>> join_words(["Alpha", "Beta", "Gamma"])
'Alpha, Beta, dan Gamma'
>>> change_text(2.5, "%", 2)
'naik 2,50 persen poin'
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from ..ingest.catalog import NUMBER_OF_DESA, Catalog
from ..engine.compute import MISSING_AS_ZERO
from ..formatting import angka, nilai, persen
from .tables import REACHED, reaches_target, target_status


def join_words(words: list[str]) -> str:
    """`A`, `A dan B`, `A, B, dan C` (PUEBI: a comma before `dan` in a list of three or more)."""
    words = [str(w) for w in words]
    if len(words) <= 2:
        return " dan ".join(words)
    return ", ".join(words[:-1]) + ", dan " + words[-1]


def change_text(diff: float, satuan: str, desimal: int) -> str:
    """`naik 2,50 persen poin` / `turun 0,35 per 10.000 penduduk` (a percentage changes by points)."""
    verb = "naik" if diff > 0 else "turun"
    unit = "persen poin" if satuan == "%" else satuan
    return f"{verb} {angka(abs(diff), desimal)} {unit}".rstrip()


def in_sentence(name: str) -> str:
    """An indicator name inside a sentence: a leading capital is lowered unless it starts an acronym.

    >>> in_sentence("Persentase realisasi penerimaan PBB"), in_sentence("RTLH per desa")
    ('persentase realisasi penerimaan PBB', 'RTLH per desa')
    """
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _number(x: float) -> str:
    return angka(x, 0 if float(x).is_integer() else 2)


def area_text(level: str, name: str) -> str:
    """`Kecamatan Kaloran`."""
    return f"{level.capitalize()} {name}"


def summary_paragraph(capaian: pd.DataFrame, year: int, grades: list[tuple[float | None, str]],
                      area: str) -> str:
    """How many indicators reached each predikat, which have no capaian, and on how many the
    target was reached (`tables.reaches_target`; `target_predikat_text` says how the two differ)."""
    n = len(capaian)
    counts = Counter(p for p in capaian["predikat"] if isinstance(p, str) and p)
    parts = [f"{counts[label]} indikator berpredikat {label}" for _, label in grades if counts[label]]
    text = f"Pada tahun {year}, {area} diukur dengan {n} indikator kinerja sasaran."
    if parts:
        text += f" Hasilnya: {join_words(parts)}."
    without = capaian[capaian["capaian"].isna()]
    if len(without):
        text += (f" Sebanyak {len(without)} indikator belum dapat diberi capaian "
                 f"({join_words(list(without['indikator']))}); alasannya diuraikan pada bagian per indikator.")
    return text + target_count_text(target_status(capaian), n)


def target_count_text(status: list[str], n: int) -> str:
    """` Target tercapai pada 4 dari 10 indikator, dan belum tercapai pada 6 indikator lainnya.`
    from a list of `tables.target_status` ('' for an indicator without realisasi or target).

    >>> print(target_count_text(["tercapai", "belum tercapai", ""], 3))  # doctest: +NORMALIZE_WHITESPACE
     Target tercapai pada 1 dari 2 indikator yang punya realisasi dan target,
     dan belum tercapai pada 1 indikator lainnya.
    """
    judged = [s for s in status if s]
    if not judged:
        return ""
    reached = judged.count(REACHED)
    missed = len(judged) - reached
    of = f"{len(judged)} indikator" + ("" if len(judged) == n else " yang punya realisasi dan target")
    if not reached:
        return f" Dari {of}, belum ada yang targetnya tercapai."
    if not missed:
        return f" Target tercapai pada seluruh {of}."
    return f" Target tercapai pada {reached} dari {of}, dan belum tercapai pada {missed} indikator lainnya."


def target_predikat_text(grades: list[tuple[float | None, str]], trend: bool = False) -> str:
    """What "target tercapai" means and how it differs from the predikat, for the first place a
    report shows both (`trend`: the trend report, which shows no predikat itself).

    >>> print(target_predikat_text([(91.0, "Sangat Tinggi"), (None, "Rendah")]).split("; ")[-1])
    ... # doctest: +NORMALIZE_WHITESPACE
    selain itu target belum tercapai. Predikat menilai besarnya capaian, bukan tercapai atau tidaknya
    target, sehingga indikator yang targetnya belum tercapai tetap dapat berpredikat Sangat Tinggi
    (capaian 91% atau lebih).
    """
    text = ("Target tercapai berarti realisasi sama dengan atau lebih baik daripada target: sama atau lebih tinggi "
            "untuk indikator yang makin tinggi makin baik, sama atau lebih rendah untuk indikator yang makin rendah "
            "makin baik (capaian 100% atau lebih); selain itu target belum tercapai.")
    who = "Predikat pada laporan evaluasi tahunan" if trend else "Predikat"
    text += f" {who} menilai besarnya capaian, bukan tercapai atau tidaknya target"
    low, label = grades[0] if grades else (None, "")
    if low is not None and low < 100:
        return text + (f", sehingga indikator yang targetnya belum tercapai tetap dapat berpredikat {label} "
                       f"(capaian {_number(low)}% atau lebih).")
    return text + "."


def grading_text(catalog: Catalog) -> str:
    """How capaian and predikat are computed, from the catalog's settings."""
    bands = []
    previous = None
    for low, label in catalog.grades:
        if low is None:
            bands.append(f"{label} di bawah {_number(previous)}%")
        elif previous is None:
            bands.append(f"{label} {_number(low)}% atau lebih")
        else:
            bands.append(f"{label} {_number(low)}% sampai di bawah {_number(previous)}%")
        previous = low if low is not None else previous
    negative = ("(2 × target − realisasi) / target × 100 (paling rendah 0)" if catalog.negative_variant == "2t-r"
                else "target / realisasi × 100")
    cap = "" if catalog.cap is None else f" Capaian dibatasi paling tinggi {_number(catalog.cap)}%."
    return ("Capaian dihitung sebagai realisasi / target × 100 untuk indikator yang makin tinggi makin baik, "
            f"dan {negative} untuk indikator yang makin rendah makin baik.{cap} "
            f"Predikat: {join_words(bands)}.")


def pulling_text(pulling: pd.DataFrame, per_desa: bool, polaritas: str, satuan: str, desimal: int,
                 area: str) -> str:
    """Which desa pull the area's value down (see `tables.pulling_down`)."""
    if pulling.empty:
        if per_desa:
            return "Semua desa telah memenuhi indikator ini."
        side = "di atas" if polaritas == "negatif" else "di bawah"
        return f"Tidak ada desa dengan nilai {side} nilai {area}."
    if per_desa:
        names = [f"{r.desa} (tidak melapor, dihitung tidak tercapai)" if r.catatan == MISSING_AS_ZERO else r.desa
                 for r in pulling.itertuples()]
        return f"Desa yang belum memenuhi indikator ini: {join_words(names)}."
    names = [f"{r.desa} (tidak melapor, dihitung tidak tercapai)" if r.catatan == MISSING_AS_ZERO
             else f"{r.desa} ({nilai(r.nilai, satuan, desimal)})" for r in pulling.itertuples()]
    if polaritas == "negatif":
        return (f"Desa dengan nilai tertinggi, yang paling memberatkan nilai {area} "
                f"(untuk indikator ini makin rendah makin baik): {join_words(names)}.")
    return f"Desa dengan nilai terendah, yang paling menurunkan nilai {area}: {join_words(names)}."


def indicator_paragraph(row: pd.Series, year: int, area: str, previous_year_in_data: bool) -> str:
    """Realisasi, target, capaian and predikat of one indicator, and its change since the year
    before. `row` is a row of `tables.with_previous(...)`."""
    satuan, desimal = row["satuan"], int(row["desimal"])
    value = lambda x: nilai(x, satuan, desimal)  # noqa: E731
    name = in_sentence(row["nama"])
    if pd.isna(row["realisasi"]):
        if row.get("langsung", False):
            return (f"Pada tahun {year}, nilai indikator {name} di {area} belum dilaporkan. Indikator ini dilaporkan "
                    "langsung (realisasi.csv atau formulir realisasi), sehingga tanpa nilai capaian dan predikatnya "
                    "tidak dihitung.")
        return (f"Pada tahun {year}, indikator {name} di {area} belum dapat dihitung karena tidak ada data desa "
                "yang lengkap untuk indikator ini.")
    text = f"Pada tahun {year}, realisasi {name} di {area} sebesar {value(row['realisasi'])}"
    if pd.isna(row["target"]):
        text += f". Target tahun {year} tidak tersedia, sehingga capaian dan predikat tidak dihitung."
    elif pd.isna(row["capaian"]):
        why = "karena targetnya 0" if row["target"] == 0 else "terhadap target ini"
        text += f" dengan target {value(row['target'])}. Capaian tidak dapat dihitung {why}."
    else:
        text += (f" dari target {value(row['target'])}, sehingga capaian kinerjanya {persen(row['capaian'], 2)} "
                 f"dengan predikat {row['predikat']}.")
        reached = reaches_target(row["realisasi"], row["target"], row["polaritas"])
        text += f" Target tahun {year} {'tercapai' if reached else 'belum tercapai'}."
    if row.get("langsung", False):
        text += " " + direct_text(row.get("sumber_nilai", ""))
    if previous_year_in_data:
        before = year - 1
        prev = row.get("realisasi_sebelumnya")
        if pd.isna(prev):
            text += f" Realisasi tahun {before} tidak tersedia sebagai pembanding."
        elif row["arah"] == "tetap":
            text += f" Realisasi ini sama dengan tahun {before} ({value(prev)})."
        else:
            good = "membaik" if row["arah"] == "membaik" else "memburuk"
            text += (f" Dibandingkan tahun {before} ({value(prev)}), realisasi "
                     f"{change_text(row['selisih'], satuan, desimal)}; kinerja indikator ini {good}")
            text += " (makin rendah makin baik)." if row["polaritas"] == "negatif" else "."
    return text


def direct_text(sumber: str) -> str:
    """Where a directly reported value comes from.

    >>> direct_text("Survei IKM 2023")
    'Nilai ini dilaporkan langsung (sumber: Survei IKM 2023), tidak dihitung dari data desa.'
    """
    where = f" (sumber: {sumber})" if isinstance(sumber, str) and sumber.strip() else ""
    return f"Nilai ini dilaporkan langsung{where}, tidak dihitung dari data desa."


def capaian_method_text(catalog: Catalog) -> str:
    """How the realisasi of the capaian table is obtained, for the kinds of indicators the
    catalog holds.

    >>> from iku_lib import load_catalog
    >>> capaian_method_text(load_catalog())[:74]
    'Tabel ini mengikuti bentuk Tabel Capaian Kinerja pada Laporan Kinerja Inst'
    """
    text = "Tabel ini mengikuti bentuk Tabel Capaian Kinerja pada Laporan Kinerja Instansi Pemerintah (LKjIP)."
    if catalog.desa_ids:
        which = "" if not catalog.direct_ids else " untuk indikator yang dihitung dari data desa"
        text += (f" Realisasi tingkat wilayah{which} adalah jumlah pembilang seluruh desa dibagi jumlah penyebutnya, "
                 "bukan rata-rata persentase desa.")
    if catalog.direct_ids:
        text += (f" Indikator {join_words(catalog.direct_ids)} dilaporkan langsung (misalnya hasil survei atau angka "
                 "instansi lain); nilainya dipakai sebagaimana dilaporkan.")
    return text + " Angka dibulatkan hanya saat ditampilkan."


def negative_polarity_text(catalog: Catalog) -> str:
    """The sentence on indicators where lower is better, naming them from the catalog ('' when
    there is none).

    >>> from iku_lib import load_catalog
    >>> negative_polarity_text(load_catalog())
    'Untuk indikator yang makin rendah makin baik (IKU-03, IKU-08, dan IKU-09), penurunan berarti membaik.'
    """
    negative = [i for i in catalog.ids if catalog.indicators.at[i, "polaritas"] == "negatif"]
    if not negative:
        return ""
    return f"Untuk indikator yang makin rendah makin baik ({join_words(negative)}), penurunan berarti membaik."


def missing_desa_text(breakdown: pd.DataFrame) -> str:
    """How many desa have no value (the breakdown table says why), or ''."""
    without = breakdown[breakdown["nilai"].isna() & (breakdown["catatan"] != MISSING_AS_ZERO)]
    if without.empty:
        return ""
    return (f"Sebanyak {len(without)} desa tidak punya nilai untuk indikator ini ({join_words(list(without['desa']))}); "
            "alasannya tercantum pada kolom Keterangan.")


def per_desa_indicator(catalog: Catalog, indikator: str) -> bool:
    """True for a "number of desa" indicator (each desa counts 1, achieved or not)."""
    return catalog.indicators.loc[indikator, "penyebut"] == NUMBER_OF_DESA


def quality_paragraph(problems: pd.DataFrame, year: int) -> str:
    """How many data-quality notes concern the year."""
    if problems.empty:
        return f"Tidak ada catatan kualitas data untuk tahun {year}."
    n_err = int((problems["tingkat"] == "galat").sum())
    n_warn = len(problems) - n_err
    parts = ([f"{n_err} galat"] if n_err else []) + ([f"{n_warn} peringatan"] if n_warn else [])
    return (f"Untuk tahun {year} tercatat {join_words(parts)} tentang data. Peringatan tidak menghentikan "
            "perhitungan, tetapi perlu diperiksa bersama desa yang bersangkutan sebelum laporan berikutnya.")


def trend_paragraph(rows: pd.DataFrame, projection: pd.Series) -> str:
    """An indicator over the years: first and last realisasi, average change per year, how
    often the yearly target was met, and where it stands against the end-of-period target.

    `rows` are the indicator's rows of `trend.by_year`; `projection` its row of `trend.projections`.
    """
    from .trend import MET, NO_TARGET, NOT_MET, OFF_TRACK, ON_TRACK, TOO_FEW

    satuan, desimal = projection["satuan"], int(projection["desimal"])
    value = lambda x: nilai(x, satuan, desimal)  # noqa: E731
    observed = rows[rows["realisasi"].notna()].sort_values("tahun")
    name = in_sentence(projection["nama"])
    if observed.empty:
        return f"Indikator {name} tidak punya realisasi pada tahun-tahun yang ditampilkan."
    first, last = observed.iloc[0], observed.iloc[-1]
    text = f"Realisasi {name}"
    if len(observed) == 1:
        text += f" hanya tersedia untuk tahun {int(first['tahun'])}: {value(first['realisasi'])}."
    else:
        span = int(last["tahun"]) - int(first["tahun"])
        per_year = (last["realisasi"] - first["realisasi"]) / span
        text += (f" bergerak dari {value(first['realisasi'])} ({int(first['tahun'])}) menjadi "
                 f"{value(last['realisasi'])} ({int(last['tahun'])})")
        rounded = round(per_year, desimal)
        text += (", rata-rata tetap dari tahun ke tahun." if rounded == 0
                 else f", rata-rata {change_text(per_year, satuan, desimal)} per tahun.")
    polaritas = projection.get("polaritas", "positif")
    reached = [reaches_target(r, t, polaritas) for r, t in zip(rows["realisasi"], rows["target"])]
    judged = [x for x in reached if x is not None]
    if judged:
        text += f" Target tahunan tercapai pada {sum(judged)} dari {len(judged)} tahun yang punya target."
    end = int(projection["tahun_akhir_periode"])
    target = projection["target_akhir"]
    status = projection["status"]
    if status in (MET, NOT_MET):
        verdict = "tercapai" if status == MET else "belum tercapai"
        text += f" Target akhir periode Renstra ({end}) sebesar {value(target)} {verdict}."
    elif status in (ON_TRACK, OFF_TRACK):
        side = "memenuhi" if status == ON_TRACK else "belum memenuhi"
        text += (f" Menurut proyeksi linear sederhana (garis lurus dari tren {int(projection['tahun_dasar'])}–"
                 f"{int(projection['tahun_terakhir'])}), nilai pada {end} diperkirakan {value(projection['proyeksi'])}, "
                 f"{side} target akhir periode {value(target)}; indikator ini {status}.")
    elif status == TOO_FEW:
        text += f" Data belum cukup (kurang dari tiga tahun realisasi) untuk memproyeksikan nilai {end}."
    elif status == NO_TARGET:
        text += f" Target akhir periode ({end}) tidak tersedia."
    return text


def trend_summary(projections: pd.DataFrame, start: int, end: int, area: str) -> str:
    """How many indicators met (or are on track for) the end-of-period target."""
    from .trend import MET, NO_TARGET, NOT_MET, OFF_TRACK, ON_TRACK, TOO_FEW

    counts = Counter(projections["status"])
    n = len(projections)
    period_end = int(projections["tahun_akhir_periode"].iloc[0]) if n else end
    text = f"Laporan ini menelusuri {n} indikator {area} dari tahun {start} sampai {end}."
    if counts[MET] or counts[NOT_MET]:
        parts = ([f"tercapai pada {counts[MET]} indikator"] if counts[MET] else []) + (
            [f"belum tercapai pada {counts[NOT_MET]} indikator"] if counts[NOT_MET] else [])
        text += f" Untuk tahun akhir periode Renstra ({period_end}), target akhir periode {' dan '.join(parts)}."
    if counts[ON_TRACK] or counts[OFF_TRACK]:
        text += (f" Menurut proyeksi linear sederhana sampai {period_end}, {counts[ON_TRACK]} indikator sesuai jalur "
                 f"menuju target akhir periode dan {counts[OFF_TRACK]} tidak sesuai jalur.")
    if counts[TOO_FEW]:
        text += f" Sebanyak {counts[TOO_FEW]} indikator belum punya cukup data untuk diproyeksikan."
    if counts[NO_TARGET]:
        text += f" Sebanyak {counts[NO_TARGET]} indikator tidak punya target akhir periode."
    return text
