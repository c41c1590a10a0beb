"""Write a small, clearly FICTIONAL kabupaten data set: Kabupaten Sukamakmur, 2021-2023.

For trying the Bappeda view (`iku report --bandingkan`): four kecamatan with 6-9 desa each
(29 desa), a register with kecamatan and kabupaten columns, the kabupaten's targets and each
kecamatan's own targets, and one data file per kecamatan and year, as each kecamatan office
would send them. The kabupaten, its kecamatan and desa do not exist: the codes start with 99,
a province code BPS does not use, and every figure is invented (seeded) in the ranges the
Kaloran sample has, so the indicators come out at plausible levels. Each kecamatan has its own
character (stronger at some indicators, weaker at others) so the rankings differ per indicator.

Deliberate features, for the comparison to show its rules:
- IKU-09 (angka kriminalitas) has a target for the kabupaten only: the kecamatan are ranked
  by nilai (lower is better), not by capaian;
- in 2022 Kecamatan Tirtaasri sent no `tindak_kriminal` column: its IKU-09 has no value that
  year ("tidak ada data", no rank);
- Karangsari and Sidomulyo have six desa each, so a share of desa (IKU-01, IKU-05, IKU-06,
  IT-01) can tie.

The output is reproducible: one seeded ``random.Random(SEED)`` drives every draw in a fixed
order; files are UTF-8, comma-delimited, ``\\n`` line endings, header first. The catalog
`iku.yaml` is the package's default catalog with the kabupaten's name, area and Renstra
period put in.

Usage::

    .venv/bin/python scripts/make_kabupaten_sample.py            # writes data/contoh-kabupaten/
    .venv/bin/python scripts/make_kabupaten_sample.py --out DIR  # writes DIR/ instead

Standard library only.
"""

from __future__ import annotations

import argparse
import math
import random
import re
from pathlib import Path

from make_sample_data import write as write_tables  # scripts/ is on sys.path when run

SEED = 20210101
YEARS = (2021, 2022, 2023)
REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "data" / "contoh-kabupaten"
DEFAULT_CATALOG = REPO / "iku_lib" / "data" / "iku.yaml"

KABUPATEN = ("9901", "Sukamakmur")
# (code, name, number of desa, character): the character shifts the kecamatan's rates
# (ktp, pbb, ibadah, rtlh, crime, flags, discipline), each around 0 (-1 weaker .. +1 stronger).
KECAMATAN = (
    ("990101", "Karangsari", 6, {"ktp": 0.6, "pbb": -0.4, "ibadah": 0.3, "rtlh": 0.5, "crime": 0.2, "flags": 0.5,
                                 "disiplin": 0.4}),
    ("990102", "Mekarjaya", 8, {"ktp": -0.3, "pbb": 0.7, "ibadah": -0.2, "rtlh": -0.6, "crime": -0.4, "flags": 0.0,
                                "disiplin": -0.3}),
    ("990103", "Sidomulyo", 6, {"ktp": 0.1, "pbb": 0.2, "ibadah": 0.8, "rtlh": 0.1, "crime": 0.7, "flags": 0.5,
                                "disiplin": 0.1}),
    ("990104", "Tirtaasri", 9, {"ktp": -0.7, "pbb": -0.1, "ibadah": -0.5, "rtlh": -0.2, "crime": -0.1, "flags": -0.6,
                                "disiplin": -0.6}),
)
PREFIXES = ("Sumber", "Karang", "Tegal", "Wates", "Kali", "Banyu", "Ngadi", "Jati", "Sido", "Krajan", "Tanjung",
            "Wono", "Gunung", "Pager", "Sela", "Randu", "Kembang", "Bulu")
SUFFIXES = ("rejo", "sari", "mulyo", "harjo", "asri", "jaya", "makmur", "wangi", "agung", "kulon", "wetan", "tengah",
            "luhur", "anyar")

# General targets (the kabupaten's, no kode_wilayah), 2021..2023, written as in target.csv.
TARGETS: dict[str, tuple[str, ...]] = {
    "IKU-01": ("80", "85", "90"), "IKU-02": ("97", "98", "99"), "IKU-03": ("2", "2", "1.5"),
    "IKU-04": ("95", "97.5", "100"), "IKU-05": ("80", "85", "90"), "IKU-06": ("85", "90", "95"),
    "IKU-07": ("88", "90", "92"), "IKU-08": ("6", "5", "4"), "IKU-09": ("5", "4.5", "4"),
    "IKU-10": ("95", "97.5", "100"), "IT-01": ("90", "95", "100"),
}
NO_KECAMATAN_TARGET = ("IKU-09",)  # ranked by nilai at kecamatan level
# Kecamatan targets that differ from the kabupaten's (the Perjanjian Kinerja of each camat).
KECAMATAN_TARGETS = {("990102", "IKU-04"): ("97.5", "100", "100"), ("990104", "IKU-08"): ("7", "6", "5"),
                     ("990104", "IKU-02"): ("96", "97", "98")}
NO_CRIME_COLUMN = ("990104", 2022)  # Tirtaasri's 2022 file has no tindak_kriminal column

COLUMNS = ["desa", "nama_desa", "penduduk", "wajib_ktp", "ktp_el", "perangkat_desa", "perangkat_melanggar",
           "pbb_ketetapan", "pbb_realisasi", "rumah_ibadah", "rumah_ibadah_baik", "rumah_tinggal", "rtlh",
           "tindak_kriminal", "laporan_kejadian", "laporan_ditindaklanjuti", "kegiatan_tepat_waktu",
           "rkp_tepat_waktu", "apb_tepat_waktu", "keuangan_tertib"]
FLAGS = ("kegiatan_tepat_waktu", "rkp_tepat_waktu", "apb_tepat_waktu", "keuangan_tertib")
FLAG_BASE = {"kegiatan_tepat_waktu": 0.74, "rkp_tepat_waktu": 0.70, "apb_tepat_waktu": 0.78, "keuangan_tertib": 0.72}

CATALOG_HEADER = """# Katalog IKU untuk data contoh Kabupaten Sukamakmur 2021-2023 (FIKTIF: kabupaten, kecamatan
# dan desanya tidak ada; kode berawalan 99). Indikatornya sama dengan katalog bawaan iku.
# Written by scripts/make_kabupaten_sample.py from iku_lib/data/iku.yaml.
"""
CATALOG_META = {
    r"^instansi: .*$": "instansi: Badan Perencanaan Pembangunan Daerah Kabupaten Sukamakmur (contoh fiktif)",
    r"^  level: kecamatan$": "  level: kabupaten",
    r'^  kode: "3323070" .*$': '  kode: "9901"             # fictional: no BPS province has code 99',
    r"^  nama: Kaloran$": "  nama: Sukamakmur",
    r"^periode: .*$": "periode: [2021, 2025]      # Renstra period",
    r"^visi: .*$": "visi: Terwujudnya Kabupaten Sukamakmur yang Sejahtera dan Berdaya Saing (contoh)",
    r"^misi: .*$": "misi: Meningkatkan kualitas pelayanan publik dan tata kelola pemerintahan kecamatan dan desa",
    r"^tujuan: .*$": "tujuan: Meningkatkan Kinerja Pemerintahan Kecamatan di Kabupaten Sukamakmur",
}


def _poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method; fine for the small means used here."""
    limit = math.exp(-lam)
    k, p = 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _clamp(x: float, lo: float, hi: float) -> float:
    return min(hi, max(lo, x))


def desa_names(rng: random.Random, n: int) -> list[str]:
    """`n` different desa names from the word lists (Sumberrejo, Karangsari, ...)."""
    every = sorted({(p + s).capitalize() for p in PREFIXES for s in SUFFIXES if not p.lower().endswith(s[:2])})
    return rng.sample(every, n)


def register(rng: random.Random) -> list[list[str]]:
    """desa.csv: code, name and the kecamatan and kabupaten of every desa."""
    total = sum(n for _, _, n, _ in KECAMATAN)
    names = iter(desa_names(rng, total))
    rows = [["kode_desa", "nama_desa", "kode_kecamatan", "nama_kecamatan", "kode_kabupaten", "nama_kabupaten"]]
    for code, name, n, _ in KECAMATAN:
        for k in range(1, n + 1):
            rows.append([f"{code}{k:04d}", next(names), code, name, *KABUPATEN])
    return rows


def targets() -> list[list[object]]:
    """target.csv: the kabupaten's targets (no kode_wilayah), then each kecamatan's."""
    rows: list[list[object]] = [["indikator", "tahun", "target", "kode_wilayah"]]
    for ident, values in TARGETS.items():
        rows += [[ident, year, value, ""] for year, value in zip(YEARS, values)]
    for code, _, _, _ in KECAMATAN:
        for ident, values in TARGETS.items():
            if ident in NO_KECAMATAN_TARGET:
                continue
            own = KECAMATAN_TARGETS.get((code, ident), values)
            rows += [[ident, year, value, code] for year, value in zip(YEARS, own)]
    return rows


def desa_traits(rng: random.Random, character: dict[str, float]) -> dict[str, float]:
    """A desa's stable traits, drawn once, around its kecamatan's character."""
    c = character
    penduduk = rng.randint(1_900, 5_200)
    return {
        "penduduk": penduduk,
        "wajib": rng.uniform(0.70, 0.75),
        "ktp": _clamp(0.945 + 0.02 * c["ktp"] + rng.uniform(-0.012, 0.012), 0.88, 0.985),
        "perangkat": rng.randint(15, 24),
        "melanggar": _clamp(0.025 - 0.012 * c["disiplin"] + rng.uniform(-0.008, 0.008), 0.002, 0.06),
        "pbb": rng.uniform(45_000_000, 140_000_000),
        "pbb_rate": _clamp(0.87 + 0.05 * c["pbb"] + rng.uniform(-0.025, 0.025), 0.78, 0.995),
        "ibadah": rng.randint(5, 18),
        "ibadah_rate": _clamp(0.88 + 0.06 * c["ibadah"] + rng.uniform(-0.04, 0.04), 0.70, 1.0),
        "per_rumah": rng.uniform(3.4, 3.9),
        "rtlh": _clamp(0.055 - 0.02 * c["rtlh"] + rng.uniform(-0.012, 0.012), 0.01, 0.12),
        "crime": _clamp(4.5 - 1.5 * c["crime"] + rng.uniform(-1.0, 1.0), 1.0, 8.0),  # per 10.000 penduduk
        "laporan": rng.randint(2, 6),
        "flags": _clamp(0.12 * c["flags"] + rng.uniform(-0.05, 0.05), -0.25, 0.25),
    }


def desa_year(rng: random.Random, t: dict[str, float], k: int) -> dict[str, int]:
    """One desa's values in the `k`-th year (0, 1, 2): rates improve a little each year."""
    penduduk = round(t["penduduk"] * (1.008 ** k) + rng.randint(-15, 15))
    wajib = round(penduduk * t["wajib"])
    ktp = min(wajib, round(wajib * min(0.995, t["ktp"] + 0.006 * k + rng.uniform(-0.004, 0.004))))
    perangkat = int(t["perangkat"])
    melanggar = min(perangkat, _poisson(rng, perangkat * max(0.0, t["melanggar"] - 0.003 * k)))
    ketetapan = round(t["pbb"] * (1.04 ** k) / 1000) * 1000
    realisasi = min(ketetapan, round(ketetapan * _clamp(t["pbb_rate"] + 0.012 * k + rng.uniform(-0.015, 0.015),
                                                        0.7, 1.0) / 1000) * 1000)
    ibadah = int(t["ibadah"]) + (1 if k == 2 and rng.random() < 0.3 else 0)
    baik = min(ibadah, round(ibadah * _clamp(t["ibadah_rate"] + 0.015 * k + rng.uniform(-0.05, 0.05), 0.5, 1.0)))
    rumah = round(penduduk / t["per_rumah"])
    rtlh = round(rumah * max(0.005, t["rtlh"] - 0.003 * k + rng.uniform(-0.002, 0.002)))
    kriminal = _poisson(rng, penduduk / 10_000 * t["crime"] * (1 - 0.06 * k))
    kejadian = max(1, int(t["laporan"]) + rng.randint(-1, 1))
    lanjut = kejadian - (1 if rng.random() < 0.30 - 0.07 * k else 0)
    values = {"penduduk": penduduk, "wajib_ktp": wajib, "ktp_el": ktp, "perangkat_desa": perangkat,
              "perangkat_melanggar": melanggar, "pbb_ketetapan": ketetapan, "pbb_realisasi": realisasi,
              "rumah_ibadah": ibadah, "rumah_ibadah_baik": baik, "rumah_tinggal": rumah, "rtlh": rtlh,
              "tindak_kriminal": kriminal, "laporan_kejadian": kejadian, "laporan_ditindaklanjuti": lanjut}
    for flag in FLAGS:
        values[flag] = 1 if rng.random() < _clamp(FLAG_BASE[flag] + t["flags"] + 0.03 * k, 0.3, 0.95) else 0
    return values


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def generate() -> dict[str, list[list[object]]]:
    """{relative file path: rows (header first)}; no file is touched."""
    rng = random.Random(SEED)
    files: dict[str, list[list[object]]] = {"desa.csv": register(rng), "target.csv": targets()}
    desa = files["desa.csv"][1:]
    traits = {}
    for code, _, _, character in KECAMATAN:
        for row in (r for r in desa if r[2] == code):
            traits[row[0]] = desa_traits(rng, character)
    for k, year in enumerate(YEARS):
        for code, name, _, _ in KECAMATAN:
            columns = [c for c in COLUMNS if not ((code, year) == NO_CRIME_COLUMN and c == "tindak_kriminal")]
            rows: list[list[object]] = [columns]
            for kode_desa, nama_desa, *_ in (r for r in desa if r[2] == code):
                values = {"desa": kode_desa, "nama_desa": nama_desa, **desa_year(rng, traits[kode_desa], k)}
                rows.append([values[c] for c in columns])
            files[f"{year}/kecamatan-{slug(name)}.csv"] = rows
    return files


def catalog_text(default: Path = DEFAULT_CATALOG) -> str:
    """The default catalog with the kabupaten's meta; each replaced line must be found once."""
    text = default.read_text(encoding="utf-8")
    body = text[text.index("\ninstansi:") + 1:]
    for pattern, line in CATALOG_META.items():
        body, n = re.subn(pattern, line, body, count=1, flags=re.MULTILINE)
        if n != 1:
            raise SystemExit(f"{default}: line {pattern!r} not found; update CATALOG_META")
    return CATALOG_HEADER + "\n" + body


README = """# Data contoh Kabupaten Sukamakmur 2021-2023 (FIKTIF)

Kabupaten Sukamakmur, keempat kecamatannya (Karangsari, Mekarjaya, Sidomulyo, Tirtaasri) dan
29 desanya **tidak ada**: kodenya berawalan 99 (kode provinsi yang tidak dipakai BPS) dan setiap
angka dibuat oleh program (`scripts/make_kabupaten_sample.py`, dengan benih acak tetap) dalam
rentang yang wajar. Data ini hanya untuk mencoba laporan perbandingan antarkecamatan
(`iku report --bandingkan --year 2023`); `iku init --contoh-kabupaten FOLDER` membuat proyek
berisi data ini.

- `desa.csv`: 29 desa dengan kolom kecamatan dan kabupaten;
- `target.csv`: target kabupaten (tanpa `kode_wilayah`) dan target tiap kecamatan (IKU-09 hanya
  untuk kabupaten, sehingga kecamatan diperingkat menurut nilainya);
- `<tahun>/kecamatan-<nama>.csv`: satu berkas per kecamatan per tahun (kolom `desa` berisi kode
  desa); berkas Tirtaasri 2022 sengaja tanpa kolom `tindak_kriminal`;
- `iku.yaml`: katalog bawaan iku dengan nama dan wilayah kabupaten ini.
"""


def write(files: dict[str, list[list[object]]], out: Path) -> list[Path]:
    written = write_tables(files, out)  # the CSV files, as the Kaloran sample writes them
    for name, text in (("iku.yaml", catalog_text()), ("README.md", README)):
        path = out / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    written = write(generate(), args.out)
    print(f"{len(written)} files written to {args.out}")


if __name__ == "__main__":
    main()
