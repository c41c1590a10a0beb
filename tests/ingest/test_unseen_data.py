"""`iku compute` on data directories the project has never seen, against a separate reference.

The reference below is plain Python over the CSV text with exact fractions; it shares no
code with iku_lib. Each data set is drawn from a seeded generator: other desa, other
names and codes, other years, missing cells, zero denominators, numerators above denominators.
"""

import csv
import io
import random
from fractions import Fraction

import pytest

from ..conftest import run_iku

# id: (numerator, denominator or None for "number of desa", factor, negative polarity)
SPEC = {
    "IKU-01": ("kegiatan_tepat_waktu", None, 100, False), "IKU-02": ("ktp_el", "wajib_ktp", 100, False),
    "IKU-03": ("perangkat_melanggar", "perangkat_desa", 100, True), "IKU-04": ("pbb_realisasi", "pbb_ketetapan", 100, False),
    "IKU-05": ("rkp_tepat_waktu", None, 100, False), "IKU-06": ("apb_tepat_waktu", None, 100, False),
    "IKU-07": ("rumah_ibadah_baik", "rumah_ibadah", 100, False), "IKU-08": ("rtlh", "rumah_tinggal", 100, True),
    "IKU-09": ("tindak_kriminal", "penduduk", 10000, True), "IKU-10": ("laporan_ditindaklanjuti", "laporan_kejadian", 100, False),
    "IT-01": ("keuangan_tertib", None, 100, False),
}
FLAGS = ["kegiatan_tepat_waktu", "rkp_tepat_waktu", "apb_tepat_waktu", "keuangan_tertib"]
COUNTS = sorted({v for n, d, _, _ in SPEC.values() for v in (n, d) if v and v not in FLAGS})


def make_data(root, seed):
    rnd = random.Random(seed)
    n = rnd.randint(1, 12)
    codes = [f"{rnd.randint(11, 94)}{rnd.randint(1, 99):02d}{rnd.randint(1, 99):02d}{i:04d}" for i in range(1, n + 1)]
    names = [f"Desa Uji {rnd.choice('ABCDEFGH')}{i}" for i in range(n)]
    (root / "desa.csv").write_text("kode_desa,nama_desa\n" + "".join(f"{c},{m}\n" for c, m in zip(codes, names)))
    years = sorted(rnd.sample(range(2015, 2030), rnd.randint(1, 3)))
    targets = ["indikator,tahun,target"]
    values = {}
    for year in years:
        folder = root / str(year)
        folder.mkdir()
        table = {}
        for code in codes:
            row = {}
            for v in COUNTS:
                row[v] = None if rnd.random() < 0.08 else rnd.choice([0, rnd.randint(0, 60), rnd.randint(0, 5000)])
            for v in FLAGS:
                row[v] = None if rnd.random() < 0.08 else rnd.randint(0, 1)
            table[code] = row
        values[year] = table
        # split the variables over two files, desa named by code in one and by name in the other
        half = rnd.randint(1, len(COUNTS + FLAGS) - 1)
        cols = COUNTS + FLAGS
        for part, (chunk, by_name) in enumerate(((cols[:half], False), (cols[half:], True))):
            lines = ["desa," + ",".join(chunk)]
            for code, name in zip(codes, names):
                cells = ["" if table[code][v] is None else str(table[code][v]) for v in chunk]
                lines.append((name if by_name else code) + "," + ",".join(cells))
            (folder / f"bagian{part}.csv").write_text("\n".join(lines) + "\n")
        for ident in SPEC:
            if rnd.random() < 0.9:
                targets.append(f"{ident},{year},{rnd.choice([rnd.randint(1, 100), rnd.randint(1, 1000) / 10])}")
    (root / "target.csv").write_text("\n".join(targets) + "\n")
    target = {(r["indikator"], int(r["tahun"])): Fraction(r["target"]) for r in csv.DictReader(io.StringIO("\n".join(targets)))}
    return codes, years, values, target


def reference(codes, year, values, target):
    """Kecamatan (nilai, capaian) per indicator, by the rules of docs/methodology.md."""
    out = {}
    for ident, (num_var, den_var, factor, negative) in SPEC.items():
        num = den = 0
        counted = 0
        for code in codes:
            row = values[year][code]
            if den_var is None:  # number of desa: a missing flag counts as not achieved
                num += row[num_var] or 0
                den += 1
                counted += 1
            elif row[num_var] is not None and row[den_var] is not None:
                num += row[num_var]
                den += row[den_var]
                counted += 1
        value = Fraction(num, den) * factor if counted and den else None
        t = target.get((ident, year))
        if value is None or t is None:
            capaian = None
        elif t == 0:
            capaian = Fraction(100) if value == 0 else None
        elif negative:
            capaian = max(Fraction(0), (2 * t - value) / t * 100)
        else:
            capaian = value / t * 100
        out[ident] = (value, capaian)
    return out


@pytest.mark.parametrize("seed", range(12))
def test_compute_matches_reference_on_unseen_data(tmp_path, seed):
    codes, years, values, target = make_data(tmp_path, seed)
    result = run_iku("compute", "--all-years", "--level", "kecamatan", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    got = {(r["indikator"], int(r["tahun"])): r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert len(got) == len(SPEC) * len(years)
    for year in years:
        for ident, (value, capaian) in reference(codes, year, values, target).items():
            row = got[(ident, year)]
            for text, expected in ((row["nilai"], value), (row["capaian"], capaian)):
                if expected is None:
                    assert text == "", (ident, year)
                else:
                    assert float(text) == pytest.approx(float(expected), rel=1e-12, abs=1e-12), (ident, year)
