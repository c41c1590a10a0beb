"""Reader tables: Indonesian headings and numbers written the Indonesian way."""

from __future__ import annotations

import pandas as pd

from iku_lib.report.presentation import (CAPAIAN_HEADERS, breakdown_display, breakdown_numeric, capaian_display,
                                  changes_display, problems_display, projections_display, signed, trend_display,
                                  variable_value)
from iku_lib.report.tables import capaian_table, desa_breakdown, problems_table
from iku_lib.problems import error, warning


def test_capaian_display_on_kecil(kecil):
    dataset, table = kecil
    shown = capaian_display(capaian_table(table, dataset.catalog, 2022, "kecamatan"))
    assert list(shown.columns) == CAPAIAN_HEADERS and CAPAIAN_HEADERS[0] == "Kode Indikator"
    # The indicator id, as in the charts and the sections (IKU-01), not a row number.
    assert shown["Kode Indikator"].tolist() == [f"IKU-{i:02d}" for i in range(1, 11)]
    first = shown.iloc[0].tolist()
    # IKU-01: 2/3 desa = 66,67%; target 80; capaian 83,33 -> Tinggi.
    assert first == ["IKU-01", "Meningkatnya kualitas manajemen pemerintahan", "Persentase kegiatan yang selesai tepat waktu",
                     "%", "80,00", "66,67", "83,33", "Tinggi"]
    iku06 = shown.iloc[5].tolist()
    assert iku06[4:] == ["–", "66,67", "–", "–"]
    # IKU-04: 90.000.000 / 100.000.000 = 90,00%; target 95 -> 94,74.
    assert shown.iloc[3].tolist()[4:] == ["95,00", "90,00", "94,74", "Sangat Tinggi"]


def test_tujuan_headers(kecil):
    dataset, table = kecil
    shown = capaian_display(capaian_table(table, dataset.catalog, 2022, "kecamatan", "tujuan"), tujuan=True)
    assert list(shown.columns)[:3] == ["Kode Indikator", "Tujuan", "Indikator Tujuan"]
    assert shown["Kode Indikator"].tolist() == ["IT-01"]
    assert shown.iloc[0].tolist()[4:] == ["0,00", "66,67", "–", "–"]


def test_variable_values():
    assert variable_value(45000000.0, "rupiah") == "Rp45.000.000"
    assert variable_value(1.0, "flag") == "Ya" and variable_value(0.0, "flag") == "Tidak"
    assert variable_value(1234.0, "jumlah") == "1.234"
    assert variable_value(float("nan"), "jumlah") == "–"


def test_breakdown_display_ratio_and_per_desa(kecil):
    dataset, table = kecil
    pbb = breakdown_display(desa_breakdown(table, dataset.catalog, "IKU-04", 2022), dataset.catalog, "IKU-04")
    assert list(pbb.columns) == ["Desa", "Realisasi penerimaan PBB (Rp)", "Ketetapan PBB (Rp)", "Nilai (%)",
                                 "Keterangan"]
    assert pbb.iloc[2].tolist() == ["Gamma", "Rp15.000.000", "Rp20.000.000", "75,00", ""]
    assert breakdown_numeric(pbb) == ["Realisasi penerimaan PBB (Rp)", "Ketetapan PBB (Rp)", "Nilai (%)"]
    rkp = breakdown_display(desa_breakdown(table, dataset.catalog, "IKU-05", 2022), dataset.catalog, "IKU-05")
    assert list(rkp.columns) == ["Desa", "RKP Desa selesai tepat waktu", "Keterangan"]
    assert rkp["RKP Desa selesai tepat waktu"].tolist() == ["Ya", "Ya", "Tidak"]
    assert breakdown_numeric(rkp) == []


def test_problems_display_drops_an_empty_location():
    problems = problems_table([warning("w", tahun=2022, indikator="IKU-01", kode_desa="1")], 2022)
    shown = problems_display(problems, {"1": "Alpha"})
    assert shown.to_dict("records") == [{"Tingkat": "Peringatan", "Indikator": "IKU-01", "Desa": "Alpha",
                                         "Catatan": "w"}]
    located = problems_table([error("e", berkas="desa.csv", baris=2)], 2022)
    assert problems_display(located, {})["Lokasi"].tolist() == ["desa.csv, baris 2"]


def test_changes_table_says_membaik_memburuk_tetap_by_polarity():
    """A hand-made case through `trend.yearly_changes`: the same fall of 0,36 is membaik where
    lower is better (B) and memburuk where higher is better (A); 0,004 shows as 0,00: tetap."""
    from iku_lib.report.trend import yearly_changes

    long = pd.DataFrame({
        "no": [1, 1, 1, 2, 2, 2], "indikator": ["A", "A", "A", "B", "B", "B"], "kode_wilayah": "1",
        "nama": ["Naik baik"] * 3 + ["Turun baik"] * 3, "satuan": ["%"] * 3 + ["per 10.000 penduduk"] * 3,
        "desimal": 2, "polaritas": ["positif"] * 3 + ["negatif"] * 3, "tahun": [2021, 2022, 2023] * 2,
        "realisasi": [1.45, 1.09, 1.094, 1.45, 1.09, 1.50], "target": float("nan")})
    shown = changes_display(yearly_changes(long)).set_index("Indikator")
    assert list(shown.columns) == ["Satuan", "2021→2022", "2022→2023"]
    assert shown.loc["A Naik baik"].tolist() == ["persen poin", "−0,36 (memburuk)", "0,00 (tetap)"]
    assert shown.loc["B Turun baik"].tolist() == ["per 10.000 penduduk", "−0,36 (membaik)", "+0,41 (memburuk)"]


def test_signed_changes():
    assert signed(7.142857, 2) == "+7,14"
    assert signed(-0.5, 2) == "−0,50"
    assert signed(0.001, 2) == "0,00"
    assert signed(-0.004, 2) == "0,00" and signed(-0.4, 0) == "0"  # a zero carries no sign
    assert signed(float("nan"), 2) == "–"


def test_trend_changes_and_projection_tables():
    long = pd.DataFrame({"indikator": ["A", "A"], "nama": ["Satu", "Satu"], "satuan": ["%", "%"], "desimal": [2, 2],
                         "tahun": [2021, 2022], "realisasi": [80.0, 82.5], "target": [79.0, 85.0],
                         "selisih": [float("nan"), 2.5], "arah": ["", "membaik"]})
    assert trend_display(long).iloc[0].tolist() == ["A Satu", "%", "80,00 (79,00)", "82,50 (85,00)"]
    assert changes_display(long).iloc[0].tolist() == ["A Satu", "persen poin", "+2,50 (membaik)"]
    proj = pd.DataFrame({"indikator": ["A"], "nama": ["Satu"], "satuan": ["%"], "desimal": [2],
                         "realisasi_terakhir": [82.5], "tahun_terakhir": [2022], "target_akhir": [90.0],
                         "proyeksi": [87.5], "tahun_akhir_periode": [2024], "status": ["tidak sesuai jalur"]})
    assert projections_display(proj).iloc[0].tolist() == ["A Satu", "%", "82,50 (2022)", "90,00", "87,50",
                                                          "Tidak sesuai jalur"]
    ended = projections_display(proj.assign(proyeksi=float("nan"), status="tercapai"))
    assert "Proyeksi linear 2024" not in ended.columns
