"""The seven analyses of one indicator in LKjIP chapter III.A (PermenPAN-RB 53/2014), as
`chapter_model` sections (level 4, keys "<id>/1" .. "<id>/7"):

1. target against realisasi of the year, capaian and predikat (with the desa breakdown);
2. realisasi and capaian against last year and the earlier years of the Renstra period;
3. realisasi against the Renstra end target, with a simple linear projection of the pace;
4. realisasi against a national/provincial standard (`standar.csv`); omitted without one;
5. causes of success or failure and the solutions: the analyst's own text (`analisis.csv`);
6. efficiency of the budget used (`anggaran.csv`, the catalog's `efisiensi` method);
7. the programs and activities that support the indicator.

Every table's frame keeps the numbers as computed (unrounded) with the keys `indikator`,
`tahun` and `kode_wilayah`, under the names `target`, `realisasi`, `capaian` (and `nilai`,
`pembilang`, `penyebut` for desa rows), so each can be checked against `iku compute`.
"""

from __future__ import annotations

import pandas as pd

from ..engine.efficiency import absorption
from ..ingest.catalog import EFFICIENCY_RATIO
from ..formatting import EMPTY
from ..ingest.anggaran import LINK_COLUMNS
from ..ingest.catalog import NUMBER_OF_DESA
from ..engine.compute import MISSING_AS_ZERO
from .chapter_inputs import ANALISIS_FILE, ANGGARAN_FILE, ChapterInputs
from .chapter_model import Column, Paragraph, Section, Table
from .chapter_text import (analysis_lead, change_sentence, change_unit, definition_text, efficiency_sentence,
                           period_sentence, program_sentence, renstra_sentence, standard_position, standard_sentence,
                           with_unit)
from .narrative import indicator_paragraph, missing_desa_text, per_desa_indicator, pulling_text
from .presentation import ID_HEADER
from .tables import desa_breakdown, pulling_down

ANALYST_TEXTS = [("faktor_pendukung", "Faktor pendukung"), ("faktor_penghambat", "Faktor penghambat"),
                 ("solusi", "Solusi")]
NO_ANALYSIS = f"Analisis penyebab belum diisi ({ANALISIS_FILE})"


def indicator_section(inputs: ChapterInputs, ident: str) -> Section:
    """One indicator (level 3, key `ident`): its definition, then its analyses in order."""
    spec = inputs.spec(ident)
    analyses = [target_year(inputs, ident), multiyear(inputs, ident), renstra(inputs, ident),
                standard(inputs, ident), causes(inputs, ident), efficiency(inputs, ident), programs(inputs, ident)]
    return Section(f"{ident} {spec['nama']}", 3, [Paragraph(definition_text(spec))],
                   [a for a in analyses if a is not None], key=ident)


def _frame(inputs: ChapterInputs, ident: str, **columns) -> pd.DataFrame:
    """A one-row frame with the keys of `iku compute` and the indicator's unit."""
    spec = inputs.spec(ident)
    base = {"indikator": ident, "tahun": inputs.year, "kode_wilayah": inputs.kode, "satuan": spec["satuan"],
            "desimal": int(spec["desimal"])}
    return pd.DataFrame([{**base, **columns}])


# 1 ------------------------------------------------------------------------------------------------

def target_year(inputs: ChapterInputs, ident: str) -> Section:
    """Analysis 1: the year's target, realisasi, capaian and predikat (the annual report's
    paragraph); for an indicator computed from desa data, the desa that pull it down and
    the desa breakdown."""
    row = inputs.indicators.loc[ident]
    year, area = inputs.year, inputs.area
    blocks: list = [Paragraph(indicator_paragraph(row, year, area, False))]
    if not inputs.catalog.is_direct(ident):
        breakdown = desa_breakdown(inputs.table, inputs.catalog, ident, year)
        pulling = pulling_down(breakdown, row["polaritas"], row["realisasi"])
        per_desa = per_desa_indicator(inputs.catalog, ident)
        blocks.append(Paragraph(pulling_text(pulling, per_desa, row["polaritas"], row["satuan"], int(row["desimal"]),
                                             area)))
        missing = missing_desa_text(breakdown)
        if missing:
            blocks.append(Paragraph(missing))
        blocks.append(desa_table(inputs, ident, breakdown))
    return Section(f"Target dan realisasi tahun {year}", 4, blocks, key=f"{ident}/1")


def desa_table(inputs: ChapterInputs, ident: str, breakdown: pd.DataFrame) -> Table:
    """The desa breakdown: Ya/Tidak for a "number of desa" indicator; numerator, denominator
    and value otherwise; the reason a desa has no value."""
    catalog, spec = inputs.catalog, inputs.spec(ident)
    num_label = catalog.variables[spec["pembilang"]]["label"]
    frame = pd.DataFrame({"indikator": ident, "tahun": inputs.year, "kode_wilayah": breakdown["kode_desa"],
                          "desa": breakdown["desa"], "pembilang": breakdown["pembilang"],
                          "penyebut": breakdown["penyebut"], "nilai": breakdown["nilai"],
                          "keterangan": breakdown["keterangan"]})
    columns = [Column("desa", "Desa")]
    if spec["penyebut"] == NUMBER_OF_DESA:
        frame["tercapai"] = [_yes_no(x, c) for x, c in zip(breakdown["pembilang"], breakdown["catatan"])]
        columns.append(Column("tercapai", num_label))
    else:
        kind = lambda name: "rupiah" if catalog.variable_kind(name) == "rupiah" else "bulat"  # noqa: E731
        columns += [Column("pembilang", num_label, kind(spec["pembilang"])),
                    Column("penyebut", catalog.variables[spec["penyebut"]]["label"], kind(spec["penyebut"])),
                    Column("nilai", with_unit("Nilai", spec["satuan"]), "angka", int(spec["desimal"]))]
    columns.append(Column("keterangan", "Keterangan"))
    return Table(f"Rincian per desa: {ident} tahun {inputs.year}", frame, columns, key=f"rincian-{ident}")


def _yes_no(flag: float, catatan: str) -> str | None:
    """A desa's Ya/Tidak on a "number of desa" indicator; one that did not report counts Tidak."""
    if catatan == MISSING_AS_ZERO:
        return "Tidak"
    if pd.isna(flag):
        return None
    return "Ya" if flag >= 1 else "Tidak"


# 2 ------------------------------------------------------------------------------------------------

def multiyear(inputs: ChapterInputs, ident: str) -> Section:
    """Analysis 2: every year of the period up to the report year, and the change."""
    spec = inputs.spec(ident)
    satuan, desimal, polaritas = spec["satuan"], int(spec["desimal"]), spec["polaritas"]
    rows = inputs.multiyear[inputs.multiyear["indikator"] == ident].rename(columns={"nilai": "realisasi"})
    frame = rows.assign(kode_wilayah=inputs.kode, nama_wilayah=inputs.area, nama=spec["nama"], satuan=satuan,
                        desimal=desimal).reset_index(drop=True)
    frame["tahun_teks"] = frame["tahun"].astype(str)
    columns = [Column("tahun_teks", "Tahun"), Column("target", with_unit("Target", satuan), "angka", desimal),
               Column("realisasi", with_unit("Realisasi", satuan), "angka", desimal),
               Column("capaian", "Capaian (%)", "angka", 2), Column("predikat", "Predikat"),
               Column("perubahan", with_unit("Perubahan dari tahun sebelumnya", change_unit(satuan)), "angka",
                      desimal),
               Column("arah", "Arah")]
    first, last = int(frame["tahun"].min()), int(frame["tahun"].max())
    texts = [change_sentence(frame, inputs.year, satuan, desimal, polaritas),
             period_sentence(frame, satuan, desimal, polaritas)]
    table = Table(f"Target, realisasi dan capaian {ident} tahun {first}–{last}", frame, columns,
                  note="Arah menilai perubahan dari tahun sebelumnya menurut polaritas indikator.",
                  key=f"multitahun-{ident}")
    span = f"{first}–{last}" if first != last else str(first)
    return Section(f"Perbandingan dengan tahun-tahun sebelumnya ({span})", 4,
                   [Paragraph(t) for t in texts if t] + [table], key=f"{ident}/2")


# 3 ------------------------------------------------------------------------------------------------

def renstra(inputs: ChapterInputs, ident: str) -> Section:
    """Analysis 3: realisasi against the Renstra end target, with the linear projection."""
    spec = inputs.spec(ident)
    satuan, desimal = spec["satuan"], int(spec["desimal"])
    r = inputs.renstra.loc[ident]
    year = inputs.year
    end = None if pd.isna(r["tahun_akhir"]) else int(r["tahun_akhir"])
    reached = r["tercapai_pada_laju_ini"]
    if pd.isna(reached):
        status = None
    elif end is not None and year >= end:
        status = "Tercapai" if bool(reached) else "Belum tercapai"
    else:
        status = "Diperkirakan tercapai" if bool(reached) else "Diperkirakan belum tercapai"
    frame = _frame(inputs, ident, target_akhir=r["target_akhir"], realisasi=r["realisasi"], progres=r["progres"],
                   laju=r["laju"], proyeksi_akhir=r["proyeksi_akhir"], status=status)
    end_text = str(end) if end is not None else EMPTY
    columns = [Column("target_akhir", with_unit(f"Target akhir {end_text}", satuan), "angka", desimal),
               Column("realisasi", with_unit(f"Realisasi {year}", satuan), "angka", desimal),
               Column("progres", "Kemajuan (%)", "angka", 2)]
    if end is not None and year < end:
        columns += [Column("laju", with_unit("Laju per tahun", change_unit(satuan)), "angka", desimal),
                    Column("proyeksi_akhir", with_unit(f"Proyeksi linear {end}", satuan), "angka", desimal)]
    columns.append(Column("status", "Target akhir"))
    title = f"Realisasi terhadap target akhir Renstra ({end})" if end else "Realisasi terhadap target akhir Renstra"
    table = Table(f"Kemajuan {ident} terhadap target akhir periode Renstra", frame, columns, key=f"renstra-{ident}")
    return Section(title, 4, [Paragraph(renstra_sentence(r, satuan, desimal, year)), table], key=f"{ident}/3")


# 4 ------------------------------------------------------------------------------------------------

def standard(inputs: ChapterInputs, ident: str) -> Section | None:
    """Analysis 4: against a national/provincial standard; None (the section is left out)
    when `standar.csv` has none for the indicator and year."""
    if ident not in inputs.standar.index:
        return None
    spec = inputs.spec(ident)
    satuan, desimal = spec["satuan"], int(spec["desimal"])
    found = inputs.standar.loc[ident]
    realisasi = float(inputs.indicators.at[ident, "realisasi"])
    where = meaning = None
    if not pd.isna(realisasi):
        where, meaning = standard_position(realisasi, float(found["nilai"]), spec["polaritas"], desimal)
    frame = _frame(inputs, ident, realisasi=realisasi, standar=float(found["nilai"]),
                   selisih=realisasi - float(found["nilai"]), posisi=where and f"{meaning} standar",
                   sumber=found["sumber"])
    columns = [Column("realisasi", with_unit(f"Realisasi {inputs.year}", satuan), "angka", desimal),
               Column("standar", with_unit("Standar", satuan), "angka", desimal),
               Column("selisih", with_unit("Selisih", change_unit(satuan)), "angka", desimal),
               Column("posisi", "Kinerja"), Column("sumber", "Sumber standar")]
    table = Table(f"Realisasi {ident} dibandingkan standar tahun {inputs.year}", frame, columns,
                  key=f"standar-{ident}")
    text = standard_sentence(realisasi, float(found["nilai"]), str(found["sumber"]), spec, inputs.year, inputs.area)
    return Section("Perbandingan dengan standar nasional/provinsi", 4, [Paragraph(text), table], key=f"{ident}/4")


# 5 ------------------------------------------------------------------------------------------------

def _analyst_text(inputs: ChapterInputs, ident: str, column: str) -> str:
    if ident not in inputs.analisis.index:
        return ""
    value = inputs.analisis.at[ident, column]
    return value.strip() if isinstance(value, str) else ""


def causes(inputs: ChapterInputs, ident: str) -> Section:
    """Analysis 5: the analyst's causes of success or failure and solutions, apart from the
    generated text; a visible note where the analyst has written none."""
    texts = [(label, _analyst_text(inputs, ident, column)) for column, label in ANALYST_TEXTS]
    given = [(label, text) for label, text in texts if text]
    blocks: list = [Paragraph(analysis_lead(inputs.indicators.loc[ident], inputs.year, bool(given)))]
    if not given:
        blocks.append(Paragraph(NO_ANALYSIS, voice="belum_ada"))
    else:
        for label, text in texts:
            blocks.append(Paragraph(text, voice="analis", label=label) if text
                          else Paragraph(f"{label} belum diisi ({ANALISIS_FILE})", voice="belum_ada"))
    return Section("Penyebab keberhasilan atau kegagalan dan solusinya", 4, blocks, key=f"{ident}/5")


# 6 ------------------------------------------------------------------------------------------------

def efficiency(inputs: ChapterInputs, ident: str) -> Section:
    """Analysis 6: serapan of the linked budget against capaian, by the catalog's method."""
    r = inputs.efficiency.loc[ident]
    frame = _frame(inputs, ident, pagu=r["pagu"], realisasi_anggaran=r["realisasi_anggaran"], serapan=r["serapan"],
                   capaian=r["capaian"], metode=r["metode"], indeks=r["indeks"],
                   tingkat_efisiensi=r["tingkat_efisiensi"], selisih=r["selisih"], kategori=r["kategori"],
                   alasan=r["alasan"])
    columns = [Column("pagu", "Pagu (Rp)", "bulat"), Column("realisasi_anggaran", "Realisasi anggaran (Rp)", "bulat"),
               Column("serapan", "Serapan (%)", "angka", 2), Column("capaian", "Capaian (%)", "angka", 2)]
    if r["metode"] == EFFICIENCY_RATIO:
        columns += [Column("indeks", "Indeks efisiensi", "angka", 2),
                    Column("tingkat_efisiensi", "Tingkat efisiensi (%)", "angka", 2)]
    else:
        columns.append(Column("selisih", "Selisih capaian − serapan (poin)", "angka", 2))
    columns.append(Column("kategori", "Kategori"))
    table = Table(f"Efisiensi anggaran {ident} tahun {inputs.year}", frame, columns, key=f"efisiensi-{ident}")
    if not inputs.has_anggaran:
        text = Paragraph(f"{ANGGARAN_FILE} belum ada, sehingga efisiensi tidak dapat dihitung (perlu pagu dan "
                         "realisasi anggaran kegiatan yang mendukung indikator ini).", voice="belum_ada")
    else:
        text = Paragraph(efficiency_sentence(r, inputs.year))
    return Section("Efisiensi penggunaan sumber daya", 4, [text, table], key=f"{ident}/6")


# 7 ------------------------------------------------------------------------------------------------

def programs(inputs: ChapterInputs, ident: str) -> Section:
    """Analysis 7: the budget lines linked to the indicator (anggaran.csv) and the analyst's
    supporting programs (analisis.csv)."""
    year = inputs.year
    links = inputs.links[inputs.links["indikator"] == ident][LINK_COLUMNS].reset_index(drop=True)
    blocks: list = []
    if len(links):
        blocks += [Paragraph(program_sentence(links, ident, year)), program_table(inputs, ident, links)]
    elif inputs.has_anggaran:
        blocks.append(Paragraph(f"Tidak ada kegiatan pada {ANGGARAN_FILE} tahun {year} yang ditautkan ke {ident} "
                                "(kolom indikator).", voice="belum_ada"))
    else:
        blocks.append(Paragraph(f"Program dan kegiatan beserta anggarannya belum diisi ({ANGGARAN_FILE})",
                                voice="belum_ada"))
    named = _analyst_text(inputs, ident, "program_pendukung")
    if named:
        blocks.append(Paragraph(named, voice="analis", label="Program pendukung"))
    return Section("Program dan kegiatan pendukung", 4, blocks, key=f"{ident}/7")


def program_table(inputs: ChapterInputs, ident: str, links: pd.DataFrame) -> Table:
    """The linked budget lines, the other indicators each supports, and their sum."""
    lines = inputs.lines.drop_duplicates("baris").set_index(["program", "kegiatan"])["didukung"]
    frame = links.rename(columns={"realisasi": "realisasi_anggaran"}).assign(
        kode_wilayah=inputs.kode,
        didukung=[lines.get((p, k), ident) for p, k in zip(links["program"], links["kegiatan"])])
    frame["serapan"] = [absorption(p, r) for p, r in zip(frame["pagu"], frame["realisasi_anggaran"])]
    total = len(frame) > 1
    if total:
        pagu, spent = float(frame["pagu"].sum()), float(frame["realisasi_anggaran"].sum())
        frame = pd.concat([frame, pd.DataFrame([{"tahun": inputs.year, "indikator": ident, "program": "Jumlah",
                                                  "kegiatan": "", "didukung": "", "kode_wilayah": inputs.kode,
                                                  "pagu": pagu, "realisasi_anggaran": spent,
                                                  "serapan": absorption(pagu, spent)}])], ignore_index=True)
    columns = [Column("program", "Program"), Column("kegiatan", "Kegiatan"), Column("didukung", ID_HEADER),
               Column("pagu", "Pagu (Rp)", "bulat"), Column("realisasi_anggaran", "Realisasi (Rp)", "bulat"),
               Column("serapan", "Serapan (%)", "angka", 2)]
    return Table(f"Kegiatan yang mendukung {ident} tahun {inputs.year}", frame, columns, total_row=total,
                 note=f"{ID_HEADER}: semua indikator yang didukung kegiatan itu (anggaran.csv).",
                 key=f"program-{ident}")
