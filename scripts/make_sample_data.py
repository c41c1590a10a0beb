"""Write an ILLUSTRATIVE sample data set for the IKU of Kecamatan Kaloran, 2019-2023.

The figures are invented, not official statistics. They are anchored on public
magnitudes only (14 desa, about 41-43 thousand residents, about 275 village
officials) so that the indicators come out at realistic levels. A few deliberate
imperfections of the kind real registers have are planted; they are listed
under "Planted imperfections" below.

The output is reproducible: one seeded ``random.Random(20190101)`` drives every draw of
the desa data, in a fixed order, and the CSV files are written byte for byte the same on
every run (UTF-8, comma-delimited, ``\\n`` line endings, header row first).

The optional inputs of the LKjIP chapter (``analisis.csv``, ``standar.csv``,
``anggaran.csv``: the analyst's analysis per indicator and year, a few provincial or national
standards, the kecamatan's budget lines) come from a second generator,
``random.Random(LKJIP_SEED)``, drawn after the first, so that the desa data stay as they were.

The quarters of 2023 (``2023/triwulan-1/`` .. ``triwulan-4/``, each quarter's own values, in the
same five files) come from a third generator, ``random.Random(QUARTER_SEED)``, and are made from
the annual files so that they add up to them exactly: a flow (``alir``: PBB receipts, violations,
crimes, reports) is split over the quarters and sums to its annual value; a stock (``stok``:
residents, houses, officials, the PBB assessment, yes/no flags) is its value at each quarter's
end, moving from the 2022 value to the 2023 value, which the fourth quarter holds. ``target.csv``
gains a ``triwulan`` column (its existing lines unchanged, only the header gets the column) and
cumulative quarterly targets for IKU-02, IKU-04 and IKU-10 whose fourth quarter is the annual
target.

Usage::

    .venv/bin/python scripts/make_sample_data.py            # writes data/raw/
    .venv/bin/python scripts/make_sample_data.py --out DIR  # writes DIR/ instead

Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
from pathlib import Path

SEED = 20190101
YEARS = (2019, 2020, 2021, 2022, 2023)
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / "raw"

# The 14 desa of Kecamatan Kaloran, in BPS code order.
DESA: tuple[tuple[str, str], ...] = (
    ("3323070001", "Gandulan"),
    ("3323070002", "Tegowanuh"),
    ("3323070003", "Keblukan"),
    ("3323070004", "Tepusen"),
    ("3323070005", "Geblog"),
    ("3323070006", "Gandon"),
    ("3323070007", "Tleter"),
    ("3323070008", "Kwarakan"),
    ("3323070009", "Getas"),
    ("3323070010", "Kalimanggis"),
    ("3323070011", "Tlogowungu"),
    ("3323070012", "Kaloran"),
    ("3323070013", "Kemiri"),
    ("3323070014", "Tempuran"),
)
NAMES = [name for _, name in DESA]
CODES = [code for code, _ in DESA]
N = len(DESA)

# Targets per indicator and year, written exactly as they appear in target.csv
# (dot as decimal point). Negative-polarity indicators: IKU-03, IKU-08, IKU-09.
TARGETS: dict[str, tuple[str, ...]] = {
    "IKU-01": ("70", "75", "80", "85", "90"),
    "IKU-02": ("95", "96", "97", "98", "99"),
    "IKU-03": ("3", "2.5", "2", "2", "1.5"),
    "IKU-04": ("90", "92.5", "95", "97.5", "100"),
    "IKU-05": ("70", "75", "80", "85", "90"),
    "IKU-06": ("75", "80", "85", "90", "95"),
    "IKU-07": ("85", "86.5", "88", "90", "92"),
    "IKU-08": ("8", "7", "6", "5", "4"),
    "IKU-09": ("6", "5.5", "5", "4.5", "4"),
    "IKU-10": ("90", "92.5", "95", "97.5", "100"),
    "IT-01": ("80", "85", "90", "95", "100"),
}

# Planted imperfections (desa name, year).
KTP_ABOVE_WAJIB = ("Tleter", 2021, 4)  # ktp_el exceeds wajib_ktp by 4 persons
RKP_NOT_REPORTED = ("Keblukan", 2021)  # rkp_tepat_waktu left empty
NO_REPORTS = ("Tempuran", 2020)  # laporan_kejadian = laporan_ditindaklanjuti = 0
PBB_ABOVE_100 = ("Gandon", 2022, 1.012)  # arrears collected: realisasi 101.2 % of ketetapan

# Kecamatan-level paths per year.
PENDUDUK_2019 = 41_350
FLAG_ONES = {  # number of desa with flag = 1, per year
    "kegiatan_tepat_waktu": (10, 11, 12, 12, 13),
    "rkp_tepat_waktu": (9, 10, 11, 12, 13),
    "apb_tepat_waktu": (10, 11, 12, 13, 13),
    "keuangan_tertib": (10, 11, 11, 12, 13),
}
PERANGKAT_TOTAL = 275
MELANGGAR_TOTAL = (7, 6, 5, 4, 3)
PBB_TOTAL_2019 = 1_060_000_000
RUMAH_2019 = 11_340  # about one dwelling per 3.65 residents
KRIMINAL_TOTAL = (22, 20, 18, 17, 15)
P_NOT_FOLLOWED = (0.45, 0.35, 0.30, 0.20, 0.15)  # chance a desa leaves one report open


def _clamp(x: float, lo: float, hi: float) -> float:
    return min(hi, max(lo, x))


def _poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method; fine for the small means used here."""
    limit = math.exp(-lam)
    k, p = 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _allocate(rng: random.Random, total: int, weights: list[float], cap: int, excluded: list[int]) -> list[int]:
    """Spread `total` events over the desa by weight, at most `cap` per desa."""
    counts = [0] * N
    for _ in range(total):
        open_ = [i for i in range(N) if counts[i] < cap and i not in excluded]
        i = rng.choices(open_, weights=[weights[j] for j in open_])[0]
        counts[i] += 1
    return counts


def _evolve_flags(rng: random.Random, prev: list[int], n_ones: int, blocked: list[int]) -> list[int]:
    """Next year's 1/0 flags: keep most of last year's 1s, sometimes one desa slips."""
    ones = [i for i in range(N) if prev[i] == 1 and i not in blocked]
    slipped = []
    if ones and rng.random() < 0.35:
        slipped = [rng.choice(ones)]
        ones.remove(slipped[0])
    while len(ones) > n_ones:
        ones.remove(rng.choice(ones))
    candidates = [i for i in range(N) if i not in ones and i not in blocked and i not in slipped]
    ones += rng.sample(candidates, n_ones - len(ones))
    return [1 if i in ones else 0 for i in range(N)]


def generate() -> dict[str, list[list[object]]]:
    """Return {relative file path: rows (header first)}; no file is touched."""
    rng = random.Random(SEED)
    files: dict[str, list[list[object]]] = {}

    files["desa.csv"] = [["kode_desa", "nama_desa"]] + [[c, n] for c, n in DESA]
    files["target.csv"] = [["indikator", "tahun", "target"]] + [
        [ind, year, value] for ind, values in TARGETS.items() for year, value in zip(YEARS, values)
    ]

    # ---- stable per-desa traits, drawn once -------------------------------------
    weights = [rng.random() ** 2.2 + 0.03 for _ in range(N)]
    budget = PENDUDUK_2019 - 1_800 * N
    penduduk = [1_800 + round(budget * w / sum(weights)) for w in weights]
    wajib_share = [rng.uniform(0.70, 0.75) for _ in range(N)]
    ktp_cover = [rng.uniform(0.93, 0.955) for _ in range(N)]

    spread = max(penduduk) - min(penduduk)
    perangkat = [int(_clamp(15 + round(8 * (p - min(penduduk)) / spread) + rng.randint(-1, 2), 15, 25)) for p in penduduk]
    while sum(perangkat) != PERANGKAT_TOTAL:
        step = 1 if sum(perangkat) < PERANGKAT_TOTAL else -1
        i = rng.randrange(N)
        if 15 <= perangkat[i] + step <= 25:
            perangkat[i] += step

    pbb_w = [rng.random() ** 1.5 + 0.05 for _ in range(N)]
    pbb_budget = PBB_TOTAL_2019 - 45_000_000 * N
    ketetapan = [45_000_000 + pbb_budget * w / sum(pbb_w) for w in pbb_w]
    pbb_ratio = [rng.uniform(0.86, 0.95) for _ in range(N)]

    ibadah = [rng.randint(6, 16) for _ in range(N)]
    ibadah[NAMES.index("Kaloran")] = 17  # masjid, mushola, vihara and churches
    ibadah_baik_ratio = [rng.uniform(0.80, 0.90) for _ in range(N)]
    persons_per_house = [rng.uniform(3.45, 3.85) for _ in range(N)]
    houses = [p / h for p, h in zip(penduduk, persons_per_house)]
    rumah = [round(RUMAH_2019 * h / sum(houses)) for h in houses]
    rtlh_rate = [rng.uniform(0.06, 0.09) for _ in range(N)]

    crime_w = [p * rng.uniform(0.6, 1.6) for p in penduduk]
    incident_mean = [rng.uniform(0.5, 2.5) for _ in range(N)]

    flags = {name: [0] * N for name in FLAG_ONES}
    for name, per_year in FLAG_ONES.items():
        for i in rng.sample(range(N), per_year[0]):
            flags[name][i] = 1

    # ---- year by year; each year evolves from the previous one -------------------
    for y, year in enumerate(YEARS):
        if y > 0:
            penduduk = [round(p * (1 + rng.gauss(0.005, 0.003))) for p in penduduk]
            wajib_share = [_clamp(s + rng.uniform(-0.002, 0.004), 0.70, 0.75) for s in wajib_share]
            ktp_cover = [min(0.99, c + rng.uniform(0.005, 0.012)) for c in ktp_cover]
            for i in range(N):  # a post falls vacant or is filled; the total stays near 275
                if rng.random() < 0.12:
                    gap = sum(perangkat) - PERANGKAT_TOTAL
                    step = -1 if gap > 1 else 1 if gap < -1 else rng.choice((-1, 1))
                    perangkat[i] = int(_clamp(perangkat[i] + step, 15, 25))
            ketetapan = [k * (1 + rng.uniform(0.025, 0.055)) for k in ketetapan]
            pbb_ratio = [_clamp(r + rng.uniform(-0.01, 0.025), 0.85, 0.995) for r in pbb_ratio]
            ibadah = [min(20, n + (1 if rng.random() < 0.1 else 0)) for n in ibadah]
            ibadah_baik_ratio = [min(0.95, r + rng.uniform(0.0, 0.02)) for r in ibadah_baik_ratio]
            rumah = [r + round(r * rng.uniform(0.005, 0.011)) for r in rumah]
            rtlh_rate = [max(0.031, r - rng.uniform(0.004, 0.011)) for r in rtlh_rate]
            for name, per_year in FLAG_ONES.items():
                blocked = [NAMES.index(RKP_NOT_REPORTED[0])] if (name == "rkp_tepat_waktu" and year == RKP_NOT_REPORTED[1]) else []
                flags[name] = _evolve_flags(rng, flags[name], per_year[y], blocked)

        wajib = [round(p * s) for p, s in zip(penduduk, wajib_share)]
        ktp_el = [round(w * c) for w, c in zip(wajib, ktp_cover)]
        name, yr, excess = KTP_ABOVE_WAJIB
        if year == yr:
            ktp_el[NAMES.index(name)] = wajib[NAMES.index(name)] + excess
        files[f"{year}/kependudukan.csv"] = [["desa", "penduduk", "wajib_ktp", "ktp_el"]] + [
            [NAMES[i], penduduk[i], wajib[i], ktp_el[i]] for i in range(N)
        ]

        melanggar = _allocate(rng, MELANGGAR_TOTAL[y], [float(p) for p in perangkat], 2, [])
        rows = [["desa", "perangkat_desa", "perangkat_melanggar", "kegiatan_tepat_waktu",
                 "rkp_tepat_waktu", "apb_tepat_waktu", "keuangan_tertib"]]
        for i in range(N):
            rkp: object = flags["rkp_tepat_waktu"][i]
            if (NAMES[i], year) == RKP_NOT_REPORTED:
                rkp = ""
            rows.append([CODES[i], perangkat[i], melanggar[i], flags["kegiatan_tepat_waktu"][i], rkp,
                         flags["apb_tepat_waktu"][i], flags["keuangan_tertib"][i]])
        files[f"{year}/pemerintahan.csv"] = rows

        ket = [round(k) for k in ketetapan]
        real = [round(k * r) for k, r in zip(ketetapan, pbb_ratio)]
        name, yr, ratio = PBB_ABOVE_100
        if year == yr:
            real[NAMES.index(name)] = round(ketetapan[NAMES.index(name)] * ratio)
        files[f"{year}/pbb.csv"] = [["desa", "pbb_ketetapan", "pbb_realisasi"]] + [
            [NAMES[i], ket[i], real[i]] for i in range(N)
        ]

        baik = [min(n, round(n * r)) for n, r in zip(ibadah, ibadah_baik_ratio)]
        rtlh = [round(r * t) for r, t in zip(rumah, rtlh_rate)]
        files[f"{year}/kesejahteraan.csv"] = [["desa", "rumah_ibadah", "rumah_ibadah_baik", "rumah_tinggal", "rtlh"]] + [
            [NAMES[i], ibadah[i], baik[i], rumah[i], rtlh[i]] for i in range(N)
        ]

        quiet = [NAMES.index(NO_REPORTS[0])] if year == NO_REPORTS[1] else []
        kriminal = _allocate(rng, KRIMINAL_TOTAL[y], crime_w, 4, quiet)
        laporan, lanjut = [], []
        for i in range(N):
            other = _poisson(rng, incident_mean[i])
            n = 0 if i in quiet else min(8, kriminal[i] + other)
            open_one = 1 if (n > 0 and rng.random() < P_NOT_FOLLOWED[y]) else 0
            laporan.append(n)
            lanjut.append(n - open_one)
        files[f"{year}/trantib.csv"] = [["desa", "tindak_kriminal", "laporan_kejadian", "laporan_ditindaklanjuti"]] + [
            [NAMES[i], kriminal[i], laporan[i], lanjut[i]] for i in range(N)
        ]

    _sanity(files)
    files.update(generate_lkjip())  # drawn after the desa data, from its own generator
    files.update(generate_quarters(files))  # from the annual files, with its own generator
    return files


def _sanity(files: dict[str, list[list[object]]]) -> None:
    """Fail loudly if a parameter change pushes the data out of its intended ranges."""
    def col(path: str, name: str) -> list[object]:
        rows = files[path]
        j = rows[0].index(name)
        return [r[j] for r in rows[1:]]

    for year in YEARS:
        pend = col(f"{year}/kependudukan.csv", "penduduk")
        assert 41_000 <= sum(pend) <= 43_000 and all(1_800 <= p <= 5_000 for p in pend), (year, pend)
        pa = col(f"{year}/pemerintahan.csv", "perangkat_desa")
        assert 265 <= sum(pa) <= 285 and all(15 <= p <= 25 for p in pa), (year, pa)
        ket = col(f"{year}/pbb.csv", "pbb_ketetapan")
        assert 1.0e9 <= sum(ket) <= 1.3e9 and all(40e6 <= k <= 150e6 for k in ket), (year, ket)
        rt = col(f"{year}/kesejahteraan.csv", "rumah_tinggal")
        assert 11_300 <= sum(rt) <= 11_800, (year, sum(rt))
        for row in files[f"{year}/trantib.csv"][1:]:
            assert 0 <= row[1] <= 4 and 0 <= row[3] <= row[2] <= 8, (year, row)
        for path, rows in files.items():
            for row in rows[1:]:
                assert all(v == "" or not isinstance(v, int) or v >= 0 for v in row), (path, row)


# ---- the LKjIP chapter's inputs (illustrative) ------------------------------------------

LKJIP_SEED = 20240331
IDS = tuple(TARGETS)  # IKU-01 ... IKU-10, IT-01

PENUNJANG = "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota"
PELAYANAN = "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik"
PEMBERDAYAAN = "Program Pemberdayaan Masyarakat Desa dan Kelurahan"
TRANTIB = "Program Koordinasi Ketentraman dan Ketertiban Umum"
PEMERINTAHAN_UMUM = "Program Penyelenggaraan Urusan Pemerintahan Umum"
PRASARANA = "Program Koordinasi Pemeliharaan Prasarana dan Sarana Pelayanan Umum"

# Budget lines: (program, kegiatan, indicators supported, pagu 2019 in rupiah).
BUDGET: tuple[tuple[str, str, str, int], ...] = (
    (PENUNJANG, "Administrasi Umum Perangkat Daerah", "", 185_000_000),
    (PENUNJANG, "Penyediaan Jasa Penunjang Urusan Pemerintahan Daerah", "", 240_000_000),
    (PENUNJANG, "Pemeliharaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah", "", 95_000_000),
    (PELAYANAN, "Koordinasi Penyelenggaraan Kegiatan Pemerintahan di Tingkat Kecamatan", "IKU-01", 68_000_000),
    (PELAYANAN, "Pelayanan Administrasi Kependudukan di Kecamatan", "IKU-02", 42_000_000),
    (PELAYANAN, "Fasilitasi Penerimaan Pajak Bumi dan Bangunan Perdesaan dan Perkotaan", "IKU-04", 35_000_000),
    (PEMBERDAYAAN, "Fasilitasi Penyusunan Perencanaan dan Anggaran Desa", "IKU-05;IKU-06", 55_000_000),
    (PEMBERDAYAAN, "Pembinaan dan Pengawasan Pengelolaan Keuangan Desa", "IT-01;IKU-01", 48_000_000),
    (PEMBERDAYAAN, "Pembinaan Perangkat Desa", "IKU-03", 30_000_000),
    (TRANTIB, "Sinkronisasi Pelaksanaan Tugas Ketentraman dan Ketertiban Umum", "IKU-09;IKU-10", 52_000_000),
    (TRANTIB, "Koordinasi Penanganan Laporan Kejadian dan Kebencanaan", "IKU-10", 28_000_000),
    (PEMERINTAHAN_UMUM, "Fasilitasi Kerukunan Umat Beragama dan Pemeliharaan Rumah Ibadah", "IKU-07", 38_000_000),
    (PRASARANA, "Koordinasi Penanganan Rumah Tidak Layak Huni", "IKU-08", 45_000_000),
)
# The budget's level per year against 2019 (2020: refocusing for Covid-19) and the range of
# serapan (realisasi / pagu) drawn for each line.
BUDGET_LEVEL = (1.0, 0.78, 0.9, 1.02, 1.08)
SERAPAN = ((0.86, 0.99), (0.82, 0.95), (0.85, 0.98), (0.87, 0.99), (0.88, 0.99))

# A few standards: (indicator, source, value per year), written as in target.csv.
STANDARDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("IKU-02", "Target perekaman KTP-el nasional, Ditjen Dukcapil Kemendagri (ilustratif)",
     ("97", "97.5", "98", "98.5", "99")),
    ("IKU-08", "RPJMD Provinsi Jawa Tengah 2018-2023 (ilustratif)", ("9.5", "8.7", "7.9", "7.1", "6.3")),
    ("IKU-09", "Statistik Kriminal BPS, angka Provinsi Jawa Tengah per 10.000 penduduk (ilustratif)",
     ("3.4", "3.1", "3.2", "3.3", "3")),
)

# Analysis phrases per indicator: faktor pendukung, faktor penghambat, solusi (three each).
ANALYSIS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "IKU-01": (
        ("Pendampingan rutin oleh tim fasilitasi kecamatan kepada pelaksana kegiatan desa",
         "Jadwal pelaksanaan kegiatan desa disepakati sejak musyawarah desa",
         "Pemantauan kemajuan kegiatan desa setiap triwulan"),
        ("Pencairan Dana Desa tahap pertama terlambat",
         "Musim hujan menghambat pekerjaan fisik di beberapa desa",
         "Kemampuan Tim Pelaksana Kegiatan desa belum merata"),
        ("Pemantauan kemajuan fisik dan keuangan kegiatan desa setiap bulan",
         "Klinik administrasi pencairan dana desa di kantor kecamatan",
         "Bimbingan teknis bagi Tim Pelaksana Kegiatan desa"),
    ),
    "IKU-02": (
        ("Pelayanan perekaman KTP-el di kantor kecamatan setiap hari kerja",
         "Perekaman jemput bola ke desa dan ke sekolah bagi pemilih pemula",
         "Blangko KTP-el dari Disdukcapil tersedia cukup"),
        ("Penduduk lanjut usia dan penyandang disabilitas sulit datang ke kantor kecamatan",
         "Penduduk yang bekerja di luar daerah belum merekam data",
         "Gangguan jaringan dan alat perekaman"),
        ("Perekaman keliling ke desa bersama Disdukcapil",
         "Pendataan penduduk wajib KTP yang belum merekam melalui perangkat desa",
         "Pengajuan perbaikan alat perekaman ke Disdukcapil"),
    ),
    "IKU-03": (
        ("Pembinaan disiplin perangkat desa dalam rapat koordinasi bulanan",
         "Presensi perangkat desa diterapkan di semua desa",
         "Pengawasan langsung oleh camat dan kepala desa"),
        ("Sebagian perangkat desa belum memahami ketentuan jam kerja",
         "Sebagian perangkat desa merangkap pekerjaan sebagai petani atau pedagang",
         "Pengawasan ke desa yang jauh belum rutin"),
        ("Teguran tertulis dan pembinaan langsung bagi perangkat desa yang melanggar",
         "Sosialisasi Peraturan Bupati tentang perangkat desa",
         "Kunjungan mendadak ke kantor desa"),
    ),
    "IKU-04": (
        ("Koordinasi penagihan PBB bersama kepala desa dan petugas pemungut",
         "SPPT PBB dibagikan tepat waktu",
         "Lomba pelunasan PBB antardesa"),
        ("Sebagian wajib pajak berdomisili di luar desa",
         "Data objek pajak belum mutakhir (objek ganda, subjek pajak sudah meninggal)",
         "Pendapatan petani turun saat harga tembakau rendah"),
        ("Pemutakhiran data objek pajak bersama BPPKAD",
         "Penagihan dari rumah ke rumah oleh petugas desa",
         "Pembayaran PBB melalui bank dan kantor pos"),
    ),
    "IKU-05": (
        ("Fasilitasi penyusunan RKP Desa oleh tim kecamatan",
         "Musyawarah perencanaan pembangunan desa berjalan sesuai jadwal",
         "Aplikasi Siskeudes memudahkan penyusunan dokumen"),
        ("Pagu indikatif desa dari kabupaten terlambat diterima",
         "Pergantian perangkat desa yang menangani perencanaan",
         "Perubahan ketentuan prioritas penggunaan Dana Desa"),
        ("Pendampingan khusus bagi desa yang terlambat",
         "Jadwal penyusunan RKP Desa disampaikan sejak awal tahun",
         "Bimbingan teknis perencanaan pembangunan desa"),
    ),
    "IKU-06": (
        ("Evaluasi rancangan APB Desa oleh tim kecamatan tepat waktu",
         "Komitmen kepala desa dan BPD menetapkan APB Desa sebelum akhir tahun",
         "Pendampingan penyusunan APB Desa dengan Siskeudes"),
        ("Rincian Dana Desa dan Alokasi Dana Desa terlambat ditetapkan",
         "Pembahasan rancangan APB Desa dengan BPD berlangsung lama",
         "Operator Siskeudes di desa berganti"),
        ("Jadwal evaluasi APB Desa disusun sejak November",
         "Fasilitasi pembahasan APB Desa bersama BPD",
         "Pelatihan operator Siskeudes desa"),
    ),
    "IKU-07": (
        ("Bantuan rehabilitasi rumah ibadah dari pemerintah kabupaten dan provinsi",
         "Swadaya dan gotong royong umat",
         "Forum Kerukunan Umat Beragama kecamatan aktif"),
        ("Banyak bangunan rumah ibadah sudah tua",
         "Bantuan rehabilitasi terbatas dibanding kebutuhan",
         "Kerusakan akibat angin kencang dan hujan lebat"),
        ("Pendataan kondisi rumah ibadah setiap tahun",
         "Fasilitasi pengajuan proposal bantuan rehabilitasi",
         "Penggerakan swadaya masyarakat"),
    ),
    "IKU-08": (
        ("Bantuan RTLH dari APBD kabupaten, APBD provinsi dan Dana Desa",
         "Gotong royong warga dalam bedah rumah",
         "Data RTLH desa diperbarui setiap tahun"),
        ("Jumlah bantuan belum sebanding dengan jumlah RTLH",
         "Sebagian RTLH berdiri di atas tanah yang belum bersertifikat",
         "Harga bahan bangunan naik"),
        ("Bantuan diprioritaskan bagi keluarga miskin",
         "Kerja sama dengan Baznas dan dana CSR",
         "Verifikasi data RTLH bersama desa"),
    ),
    "IKU-09": (
        ("Patroli bersama Polsek dan Koramil",
         "Siskamling aktif di banyak dusun",
         "Forum Komunikasi Pimpinan Kecamatan bertemu rutin"),
        ("Pos kamling di sebagian dusun tidak aktif",
         "Wilayah luas dengan permukiman tersebar",
         "Pencurian ternak dan hasil bumi"),
        ("Ronda malam diaktifkan kembali",
         "Sosialisasi keamanan lingkungan bersama Bhabinkamtibmas dan Babinsa",
         "Penerangan jalan dipasang di titik rawan"),
    ),
    "IKU-10": (
        ("Laporan kejadian diterima melalui grup pesan kecamatan dan desa",
         "Tim reaksi cepat kecamatan siaga",
         "Koordinasi dengan BPBD dan Puskesmas"),
        ("Laporan dari desa terlambat masuk",
         "Beberapa kejadian terjadi serentak pada musim hujan",
         "Personel dan kendaraan operasional terbatas"),
        ("Laporan kejadian dicatat dalam buku register dan direkap setiap bulan",
         "Petugas piket ditunjuk setiap hari",
         "Koordinasi lintas sektor untuk penanganan bencana"),
    ),
    "IT-01": (
        ("Pembinaan dan pengawasan pengelolaan keuangan desa oleh kecamatan",
         "Seluruh desa memakai aplikasi Siskeudes",
         "Evaluasi APB Desa oleh tim kecamatan"),
        ("Bendahara desa berganti",
         "Surat pertanggungjawaban kegiatan terlambat disusun",
         "Pemahaman aturan pengadaan barang/jasa di desa masih kurang"),
        ("Bimbingan teknis pengelolaan keuangan desa",
         "Pemantauan surat pertanggungjawaban setiap triwulan",
         "Klinik konsultasi keuangan desa di kantor kecamatan"),
    ),
}
# A second line in the pandemic years, for some indicators: (penghambat, solusi).
PANDEMI = {
    2020: ("Pandemi Covid-19: kegiatan tatap muka dibatasi dan anggaran dialihkan (refocusing)",
           "Pelayanan dan pembinaan dilakukan secara daring atau terbatas dengan protokol kesehatan"),
    2021: ("Pemberlakuan Pembatasan Kegiatan Masyarakat (PPKM) membatasi kegiatan di lapangan",
           "Kegiatan dijadwalkan ulang dan dilaksanakan bertahap dengan protokol kesehatan"),
}


def _programs_for(ident: str) -> str:
    """The programs whose budget lines support `ident`, in budget order, joined by "; "."""
    found: list[str] = []
    for program, _, ids, _ in BUDGET:
        if ident in ids.split(";") and program not in found:
            found.append(program)
    return "; ".join(found)


def generate_lkjip() -> dict[str, list[list[object]]]:
    """The LKjIP chapter's inputs, {file: rows (header first)}, from their own seeded generator."""
    rng = random.Random(LKJIP_SEED)
    files: dict[str, list[list[object]]] = {}

    rows: list[list[object]] = [["indikator", "tahun", "faktor_pendukung", "faktor_penghambat", "solusi",
                                 "program_pendukung"]]
    for ident in IDS:
        pendukung, penghambat, solusi = ANALYSIS[ident]
        for year in YEARS:
            rows.append([ident, year, rng.choice(pendukung), rng.choice(penghambat), rng.choice(solusi),
                         _programs_for(ident)])
            if year in PANDEMI and rng.random() < 0.5:
                rows.append([ident, year, "", *PANDEMI[year], ""])
    files["analisis.csv"] = rows

    files["standar.csv"] = [["indikator", "tahun", "nilai", "sumber"]] + [
        [ident, year, value, source] for ident, source, values in STANDARDS for year, value in zip(YEARS, values)
    ]

    rows = [["tahun", "program", "kegiatan", "indikator", "pagu", "realisasi"]]
    for y, year in enumerate(YEARS):
        for program, kegiatan, ids, base in BUDGET:
            pagu = round(base * BUDGET_LEVEL[y] * rng.uniform(0.95, 1.05), -3)
            realisasi = round(pagu * rng.uniform(*SERAPAN[y]), -2)
            rows.append([year, program, kegiatan, ids, int(pagu), int(realisasi)])
    files["anggaran.csv"] = rows
    _sanity_lkjip(files)
    return files


def _sanity_lkjip(files: dict[str, list[list[object]]]) -> None:
    """Every indicator and year analysed; budget lines in the tens or hundreds of millions,
    realisasi at most pagu; every indicator but the support lines' none linked."""
    analysed = {(r[0], r[1]) for r in files["analisis.csv"][1:]}
    assert analysed == {(i, y) for i in IDS for y in YEARS}, analysed
    linked = set()
    for _, _, _, ids, pagu, realisasi in files["anggaran.csv"][1:]:
        assert 10_000_000 <= pagu <= 500_000_000 and 0.8 * pagu <= realisasi <= pagu, (pagu, realisasi)
        linked |= set(filter(None, ids.split(";")))
    assert linked == set(IDS), linked


# ---- the quarters of 2023 (triwulan monitoring, illustrative) -----------------------------

QUARTER_SEED = 20230331
QUARTER_YEAR = 2023
# The variables whose quarters add up (sifat: alir in iku.yaml); every other one is a stock.
FLOWS = ("perangkat_melanggar", "pbb_realisasi", "tindak_kriminal", "laporan_kejadian", "laporan_ditindaklanjuti")
PBB_SEASON = (0.10, 0.25, 0.45, 0.20)  # share of the year's PBB receipts per quarter (due date in Q3)
# Stocks known in full from the first quarter: the year's PBB assessment, the APB Desa set by 31
# December of the year before (Permendagri 20/2018).
SET_AT_START = ("pbb_ketetapan", "apb_tepat_waktu")
RKP_QUARTER = 3  # the RKP Desa of next year is set by the end of September (Permendagri 114/2014)
LATE_FLAGS = ("kegiatan_tepat_waktu", "keuangan_tertib")  # a desa reaching 1 may reach it in a later quarter
# Cumulative quarterly targets (indicator: Q1..Q4, as written in target.csv); Q4 is the annual target.
QUARTER_TARGETS = {
    "IKU-02": ("97.5", "98", "98.5", "99"),
    "IKU-04": ("15", "40", "85", "100"),
    "IKU-10": ("90", "95", "97.5", "100"),
}


def _split_amount(rng: random.Random, total: int, shares: tuple[float, ...]) -> list[int]:
    """`total` rupiah over the quarters by `shares` (jittered per desa), whole rupiah, summing exactly."""
    weights = [w * rng.uniform(0.8, 1.2) for w in shares]
    cumulative = [round(total * sum(weights[:k]) / sum(weights)) for k in range(1, 4)] + [total]
    return [b - a for a, b in zip([0] + cumulative[:-1], cumulative)]


def _split_count(rng: random.Random, total: int) -> list[int]:
    """`total` events, each in a quarter drawn at random."""
    counts = [0, 0, 0, 0]
    for _ in range(total):
        counts[rng.randrange(4)] += 1
    return counts


def _stock_path(before: int, after: int) -> list[int]:
    """A stock at the end of each quarter: from last year's value to this year's, reached in Q4.
    Rounding is monotone, so an order between two stocks at both ends (ktp_el <= wajib_ktp) holds
    at every quarter."""
    return [round(before + (after - before) * q / 4) for q in (1, 2, 3)] + [after]


def generate_quarters(files: dict[str, list[list[object]]]) -> dict[str, list[list[object]]]:
    """The quarter files of QUARTER_YEAR made from the annual ones (see the module docstring), and
    target.csv with its quarterly targets; {file: rows (header first)}."""
    rng = random.Random(QUARTER_SEED)
    out: dict[str, list[list[object]]] = {}
    for name in ("kependudukan", "pemerintahan", "pbb", "kesejahteraan", "trantib"):
        rows = files[f"{QUARTER_YEAR}/{name}.csv"]
        before = {r[0]: r for r in files[f"{QUARTER_YEAR - 1}/{name}.csv"][1:]}
        header = rows[0]
        quarters: list[list[list[object]]] = [[list(header)] for _ in range(4)]
        for row in rows[1:]:
            cells = [[row[0]] for _ in range(4)]
            for j, variable in enumerate(header[1:], start=1):
                value = row[j]
                if variable == "pbb_realisasi":
                    path = _split_amount(rng, value, PBB_SEASON)
                elif variable == "laporan_ditindaklanjuti":
                    continue  # with laporan_kejadian, below
                elif variable == "laporan_kejadian":
                    path = _split_count(rng, value)
                elif variable in FLOWS:
                    path = _split_count(rng, value)
                elif variable in SET_AT_START:
                    path = [value] * 4
                elif variable == "rkp_tepat_waktu":
                    path = [0] * (RKP_QUARTER - 1) + [value] * (5 - RKP_QUARTER)
                elif variable in LATE_FLAGS:
                    start = rng.choice((1, 1, 2, 3)) if value == 1 else 1
                    path = [0] * (start - 1) + [value] * (5 - start)
                else:
                    path = _stock_path(before[row[0]][j], value)
                for q in range(4):
                    cells[q].append(path[q])
            if "laporan_kejadian" in header:
                j = header.index("laporan_kejadian")
                reports = [cells[q][j] for q in range(4)]
                open_reports = row[j] - row[header.index("laporan_ditindaklanjuti")]
                followed = list(reports)
                for _ in range(open_reports):  # a report left open is most likely a late one
                    q = max(q for q in range(4) if followed[q] > 0)
                    followed[q] -= 1
                for q in range(4):
                    cells[q].insert(header.index("laporan_ditindaklanjuti"), followed[q])
            for q in range(4):
                quarters[q].append(cells[q])
        for q in range(4):
            out[f"{QUARTER_YEAR}/triwulan-{q + 1}/{name}.csv"] = quarters[q]
    targets = [files["target.csv"][0] + ["triwulan"]] + files["target.csv"][1:]
    targets += [[ident, QUARTER_YEAR, value, q] for ident, values in QUARTER_TARGETS.items()
                for q, value in enumerate(values, start=1)]
    out["target.csv"] = targets
    _sanity_quarters(files, out)
    return out


def _sanity_quarters(files: dict[str, list[list[object]]], quarters: dict[str, list[list[object]]]) -> None:
    """Flows sum to the annual value, stocks end on it; no negative value; ktp_el <= wajib_ktp,
    rumah_ibadah_baik <= rumah_ibadah, laporan_ditindaklanjuti <= laporan_kejadian every quarter;
    the fourth quarter's target is the annual one."""
    for name in ("kependudukan", "pemerintahan", "pbb", "kesejahteraan", "trantib"):
        annual = files[f"{QUARTER_YEAR}/{name}.csv"]
        parts = [quarters[f"{QUARTER_YEAR}/triwulan-{q}/{name}.csv"] for q in (1, 2, 3, 4)]
        header = annual[0]
        assert all(p[0] == header for p in parts), name
        for i, row in enumerate(annual[1:], start=1):
            for j, variable in enumerate(header[1:], start=1):
                path = [p[i][j] for p in parts]
                assert all(isinstance(v, int) and v >= 0 for v in path), (name, row[0], variable, path)
                assert (sum(path) if variable in FLOWS else path[3]) == row[j], (name, row[0], variable, path)
            for q in range(4):
                got = dict(zip(header, parts[q][i]))
                for part, whole in (("ktp_el", "wajib_ktp"), ("rumah_ibadah_baik", "rumah_ibadah"),
                                    ("laporan_ditindaklanjuti", "laporan_kejadian")):
                    if part in got:
                        assert got[part] <= got[whole], (name, row[0], q + 1, part)
    annual_targets = {(r[0], r[1]): r[2] for r in files["target.csv"][1:]}
    for ident, values in QUARTER_TARGETS.items():
        assert values[3] == annual_targets[(ident, QUARTER_YEAR)], ident


def write(files: dict[str, list[list[object]]], out: Path) -> list[Path]:
    written = []
    for rel, rows in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, delimiter=",", lineterminator="\n").writerows(rows)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    written = write(generate(), args.out)
    print(f"wrote {len(written)} files to {args.out}")


if __name__ == "__main__":
    main()
