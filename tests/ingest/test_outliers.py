"""Values that jump far from the same desa's other years (modified z-score, Iglewicz & Hoaglin).

Scores below are worked by hand: M = 0.6745 (x - median) / max(MAD, 2% |median|, 1).
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iku_lib import compute, load_dataset, validate
from iku_lib.cli.main import main
from iku_lib.formatting import angka
from iku_lib.ingest.outliers import (_score_texts, _show, _shown_numbers, find_outliers, modified_z, outlier_problems,
                                     outlier_scores)
from iku_lib.ingest.stage import _lazy

from ..conftest import DATA, RAW


def test_modified_z_with_a_real_spread():
    # median 1200; |x - median| = 200, 100, 0, 100, 3800 -> MAD 100 (above both floors)
    z, med, mad, scale = modified_z([1000, 1100, 1200, 1300, 5000])
    assert (med, mad, scale) == (1200.0, 100.0, 100.0)
    assert list(z) == pytest.approx([-1.349, -0.6745, 0.0, 0.6745, 25.631])


def test_modified_z_floor_two_percent_of_median():
    # median 101, MAD 1 < 2% of 101 = 2.02; M(200) = 0.6745 * 99 / 2.02
    z, med, mad, scale = modified_z([100, 102, 98, 101, 200])
    assert (med, mad, scale) == (101.0, 1.0, pytest.approx(2.02))
    assert z[-1] == pytest.approx(33.0571782)


@pytest.mark.parametrize("values, last_score, flagged", [
    # a PBB assessment unchanged for four years, then +12.5%: MAD 0, scale 2% of 80 million = 1.6 million
    ([80e6, 80e6, 80e6, 80e6, 90e6], 0.6745 * 10e6 / 1.6e6, True),
    # ... then +5%: not far
    ([80e6, 80e6, 80e6, 80e6, 84e6], 0.6745 * 4e6 / 1.6e6, False),
    # a count that is always 0, then 6: scale is one unit
    ([0, 0, 0, 0, 6], 0.6745 * 6, True),
    ([0, 0, 0, 0, 5], 0.6745 * 5, False),
    # one new place of worship after years of 16: 0.6745 * 1 / 1
    ([16, 16, 16, 16, 17], 0.6745, False),
    # three years are enough: median 101, MAD 1, scale 2.02, M(115) = 0.6745 * 14 / 2.02
    ([100, 101, 115], 0.6745 * 14 / 2.02, True),
])
def test_flat_series_use_the_floor(values, last_score, flagged):
    z, *_ = modified_z(values)
    assert z[-1] == pytest.approx(last_score)
    assert (abs(z[-1]) > 3.5) == flagged


def obs(rows):
    return pd.DataFrame(rows, columns=["tahun", "kode_desa", "variabel", "nilai"])


KINDS = {"penduduk": "jumlah", "pbb_realisasi": "rupiah", "keuangan_tertib": "flag"}


def test_scores_only_for_counts_and_rupiah_with_three_years_or_more():
    rows = [(y, "A", "penduduk", v) for y, v in zip((2019, 2020, 2021, 2022), (1970, 1980, 20000, 2000))]
    rows += [(y, "A", "keuangan_tertib", v) for y, v in zip((2019, 2020, 2021, 2022), (1, 1, 1, 0))]
    rows += [(y, "B", "pbb_realisasi", v) for y, v in zip((2021, 2022), (1e6, 9e6))]  # two years only
    scores = outlier_scores(obs(rows), KINDS)
    assert scores["variabel"].unique().tolist() == ["penduduk"]
    # median of 1970, 1980, 2000, 20000 = 1990; deviations 20, 10, 18010, 10 -> MAD 15;
    # 2% of 1990 = 39.8 is the scale; M(20000) = 0.6745 * 18010 / 39.8
    row = scores.set_index("tahun").loc[2021]
    assert (row["median"], row["mad"], row["n_tahun"]) == (1990.0, 15.0, 4)
    assert row["skala"] == pytest.approx(39.8)
    assert row["skor"] == pytest.approx(305.2197, abs=1e-4)  # 12147.745 / 39.8
    assert scores["pencilan"].tolist() == [False, False, True, False]


def test_outlier_warning_points_at_the_cell():
    dataset = load_dataset(DATA / "outlier-jump")
    [problem] = outlier_problems(dataset)
    assert problem.format() == (
        'PERINGATAN: 2021/penduduk.csv, baris 2, kolom "penduduk", nilai "20.000": nilai penduduk Desa Alpha tahun '
        "2021 (20.000) jauh dari nilai tahun-tahun lainnya (2019: 1.970; 2020: 1.980; 2021: 20.000; 2022: 2.000; "
        "median 1.990); skor-z termodifikasi 305,2, batas ±3,5. Periksa apakah salah ketik; bila benar, nilai "
        "dipakai apa adanya")
    assert (problem.tahun, problem.kode_desa, problem.kode) == (2021, "3301010001", "nilai_melonjak")


def test_outliers_are_warnings_in_validate_and_do_not_stop_a_run(capsys):
    dataset = load_dataset(DATA / "outlier-jump")
    # in Dataset.problems, which validate() and the report notebooks' data-quality section use
    assert [(p.kode, p.tahun) for p in dataset.problems if p.kode == "nilai_melonjak"] == [("nilai_melonjak", 2021)]
    assert [p.kode for p in validate(dataset)].count("nilai_melonjak") == 1  # not twice
    assert main(["validate", "--data-dir", str(DATA / "outlier-jump")]) == 0
    assert "skor-z termodifikasi 305,2" in capsys.readouterr().out
    table = compute(dataset, 2021, level="kecamatan")
    # the jump is kept as it is: IKU-09 2021 uses 20000 + 2990 + 990 residents (Beta, Gamma: 3000 - 10, 1000 - 10)
    iku09 = table.set_index("indikator").loc["IKU-09"]
    assert iku09["penyebut"] == 20000 + 2990 + 990


def test_shipped_sample_data_has_no_absurd_number_of_outliers():
    dataset = load_dataset(RAW)
    kinds = {n: s["jenis"] for n, s in dataset.catalog.variables.items()}
    scores = outlier_scores(dataset.observations, kinds)
    assert len(scores) > 900  # 14 desa x 14 counts/rupiah x 5 years = 980 values tested
    assert scores["pencilan"].sum() <= len(scores) // 100  # at most 1% flagged


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=3, max_size=8), st.randoms())
def test_year_order_does_not_matter_and_the_floor_only_lowers_scores(values, rnd):
    z, med, mad, scale = modified_z(values)
    shuffled = list(values)
    rnd.shuffle(shuffled)
    z2, *_ = modified_z(shuffled)
    assert sorted(z) == pytest.approx(sorted(z2))
    assert scale >= mad and scale >= 1
    if mad > 0:
        raw = [0.6745 * (v - med) / mad for v in values]
        assert all(abs(a) <= abs(b) + 1e-9 for a, b in zip(z, raw))


# --- the DuckDB check (`find_outliers_sql`, what `load_dataset` runs) ---------------------------

FILES = {  # the default catalog's variables, in three files a year as `kecil` has them
    "penduduk.csv": ["penduduk", "wajib_ktp", "ktp_el"],
    "pemerintahan.csv": ["perangkat_desa", "perangkat_melanggar", "kegiatan_tepat_waktu", "rkp_tepat_waktu",
                         "apb_tepat_waktu", "keuangan_tertib"],
    "lainnya.csv": ["pbb_ketetapan", "pbb_realisasi", "rumah_ibadah", "rumah_ibadah_baik", "rumah_tinggal", "rtlh",
                    "tindak_kriminal", "laporan_kejadian", "laporan_ditindaklanjuti"],
}


def write_data(folder, names, values, catalog_order=None):
    """A data directory: desa.csv with `names` (code -> name), one folder per year of `values`
    ({year: {code: {variable: cell text}}}, a missing or empty cell left blank), and with
    `catalog_order` an iku.yaml whose variables come in that order."""
    import yaml

    folder.mkdir()
    (folder / "desa.csv").write_text("kode_desa,nama_desa\n" + "".join(f"{c},{n}\n" for c, n in names.items()))
    (folder / "target.csv").write_text("indikator,tahun,target\n")
    for year, by_desa in values.items():
        (folder / str(year)).mkdir()
        for name, columns in FILES.items():
            lines = ["desa," + ",".join(columns)]
            lines += [f"{code}," + ",".join(by_desa.get(code, {}).get(v, "") for v in columns) for code in names]
            (folder / str(year) / name).write_text("\n".join(lines) + "\n")
    if catalog_order:
        from ..conftest import ROOT

        catalog = yaml.safe_load((ROOT / "iku_lib" / "data" / "iku.yaml").read_text(encoding="utf-8"))
        catalog["variabel"] = {name: catalog["variabel"][name] for name in catalog_order}
        (folder / "iku.yaml").write_text(yaml.safe_dump(catalog, allow_unicode=True, sort_keys=False))
    return folder


def melonjak(dataset):
    return [p for p in dataset.problems if p.kode == "nilai_melonjak"]


def test_a_median_between_two_values_is_written_with_decimals(tmp_path):
    # penduduk 100, 101, 102, 200: median (101 + 102) / 2 = 101.5; deviations 1.5, 0.5, 0.5, 98.5 -> MAD
    # (0.5 + 1.5) / 2 = 1; scale max(1, 2% of 101.5 = 2.03, 1) = 2.03; M(200) = 0.6745 * 98.5 / 2.03
    # = 66.43825 / 2.03 = 32.728 -> "32,7"; M(100) = 0.6745 * -1.5 / 2.03 = -0.498, not far
    values = {year: {"3301010001": {"penduduk": str(v)}} for year, v in zip((2019, 2020, 2021, 2022),
                                                                           (100, 101, 102, 200))}
    dataset = load_dataset(write_data(tmp_path / "d", {"3301010001": "Alpha"}, values))
    [problem] = melonjak(dataset)
    assert problem.format() == (
        'PERINGATAN: 2022/penduduk.csv, baris 2, kolom "penduduk", nilai "200": nilai penduduk Desa Alpha tahun '
        "2022 (200) jauh dari nilai tahun-tahun lainnya (2019: 100; 2020: 101; 2021: 102; 2022: 200; "
        "median 101,50); skor-z termodifikasi 32,7, batas ±3,5. Periksa apakah salah ketik; bila benar, nilai "
        "dipakai apa adanya")


def test_a_year_without_a_folder_is_left_out_of_the_series(tmp_path):
    # 2019, 2020, 2022, 2023 (no 2021/): rtlh 40, 42, 41, 90 -> median (41 + 42) / 2 = 41.5, deviations
    # 1.5, 0.5, 0.5, 48.5 -> MAD 1; scale max(1, 0.83, 1) = 1; M(90) = 0.6745 * 48.5 = 32.71325 -> "32,7"
    values = {year: {"3301010001": {"rtlh": str(v)}} for year, v in zip((2019, 2020, 2022, 2023), (40, 42, 41, 90))}
    [problem] = melonjak(load_dataset(write_data(tmp_path / "d", {"3301010001": "Alpha"}, values)))
    assert "(2019: 40; 2020: 42; 2022: 41; 2023: 90; median 41,50); skor-z termodifikasi 32,7" in problem.pesan
    assert (problem.tahun, problem.berkas, problem.kolom) == (2023, "2023/lainnya.csv", "rtlh")


def random_data(seed: int, n_desa: int = 60, plain: bool = False):
    """Counts and rupiah (some with sen) drifting over six years (2015-2022 without 2018 and 2020),
    some cells blank, some values typed ten times too large or small, flags 0/1. `plain`: no
    blank cell and no sen, so that every file is read typed (`regular`)."""
    import random

    rnd = random.Random(seed)
    codes = [f"33010100{i:02d}" for i in range(1, n_desa + 1)]
    years = (2015, 2016, 2017, 2019, 2021, 2022)
    values = {year: {code: {} for code in codes} for year in years}
    for code in codes:
        for columns in FILES.values():
            for v in columns:
                if v in ("kegiatan_tepat_waktu", "rkp_tepat_waktu", "apb_tepat_waktu", "keuangan_tertib"):
                    for year in years:
                        values[year][code][v] = rnd.choice("01")
                    continue
                base = rnd.choice([0, 3, 16, 250, 4000, 80_000_000])
                flat = rnd.random() < 0.3  # the same value most years: MAD 0, the floor decides
                for i, year in enumerate(years):
                    if rnd.random() < 0.1 and not plain:
                        continue  # blank
                    x = base if flat and rnd.random() < 0.8 else base * (1 + 0.03 * i) + rnd.randint(-3, 3)
                    if rnd.random() < 0.08:
                        x = x * rnd.choice([10, 0.1, 3])
                    x = max(x, 0)
                    if v.startswith("pbb") and rnd.random() < 0.3 and not plain:
                        values[year][code][v] = '"' + f"{x:.2f}".replace(".", ",") + '"'  # with sen
                    else:
                        values[year][code][v] = str(round(x))
    return {code: f"Desa{i}" for i, code in enumerate(codes)}, values


@pytest.mark.parametrize(("seed", "plain"), [(1, False), (2, False), (3, True)])
def test_the_duckdb_check_gives_the_warnings_of_the_pandas_one(tmp_path, seed, plain):
    """Also where every file is read typed (`plain`): then the long observations are a view
    (`stage`), and each far value's file and line come from `_asal`."""
    names, values = random_data(seed, plain=plain)
    # a flag between the tested variables: the block rows of `find_outliers_sql` skip it
    order = ["penduduk", "keuangan_tertib", "wajib_ktp", "ktp_el", "perangkat_desa", "perangkat_melanggar",
             "kegiatan_tepat_waktu", "rkp_tepat_waktu", "apb_tepat_waktu", "pbb_ketetapan", "pbb_realisasi",
             "rumah_ibadah", "rumah_ibadah_baik", "rumah_tinggal", "rtlh", "tindak_kriminal", "laporan_kejadian",
             "laporan_ditindaklanjuti"]
    dataset = load_dataset(write_data(tmp_path / "d", names, values, catalog_order=order))
    found = melonjak(dataset)
    assert _lazy(dataset.db) == plain
    reference = find_outliers(dataset.observations, dataset.register, dataset.catalog)
    assert not [p for p in dataset.problems if p.is_error]
    assert len(reference) > 50  # about 8% of the values are typed wrong
    assert any("," in p.nilai for p in reference) != plain  # rupiah with sen
    assert any("median" in p.pesan and ",50)" in p.pesan for p in reference)  # a median between two values
    assert len({p.berkas for p in found}) > 3 and len({p.baris for p in found}) > 30  # places, not one repeated
    assert found == reference


def test_numbers_are_written_as_angka_writes_them():
    numbers = [0.0, 1.0, 999.0, 1000.0, 1234567.0, 2.0 ** 53 - 1, 2.0 ** 53, 2.0 ** 53 + 2, 1e15, 1e16, 1e22,
               0.5, 2.675, 1234.005, 101.5, -5.0, -1234.5, float("nan"), float("inf")]
    assert _shown_numbers(np.array(numbers)).tolist() == [_show(x) for x in numbers]


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e17, max_value=1e17), max_size=50))
def test_any_number_is_written_as_angka_writes_it(numbers):
    numbers += [float(round(x)) for x in numbers]
    assert _shown_numbers(np.array(numbers, dtype=float)).tolist() == [_show(x) for x in numbers]


def test_scores_are_rounded_as_angka_rounds_them():
    # every odd multiple of 0.05 up to 1000 is a tie for a decimal to one place (1.15 -> 1.2 half up),
    # but as floats times ten many are not exactly a tie (1.15 * 10 = 11.499999999999998): angka
    # rounds the decimal repr, and so must they
    ties = [k / 100 for k in range(5, 100_000, 10)]
    scores = np.array(ties + [-s for s in ties] + [305.2197, 33.0571782, 1e12 + 0.05, 3e13, 1e30])
    assert _score_texts(scores).tolist() == [angka(s, 1) for s in scores.tolist()]


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e13, max_value=1e13), max_size=50))
def test_any_score_is_rounded_as_angka_rounds_it(scores):
    assert _score_texts(np.array(scores, dtype=float)).tolist() == [angka(s, 1) for s in scores]


# --- found on another thread (`start_outliers`, a run that stores nothing) ----------------------

def _jump_data(tmp_path):
    """One desa whose penduduk jumps in 2022 (M = 32,7, as above), a hidden file in 2019/ and its
    empty rows in the other files (warnings of reading, before the outliers), and a target for
    2018, which has no folder (a warning after them)."""
    values = {year: {"3301010001": {"penduduk": str(v)}} for year, v in zip((2019, 2020, 2021, 2022),
                                                                           (100, 101, 102, 200))}
    data = write_data(tmp_path / "d", {"3301010001": "Alpha"}, values)
    (data / "2019" / ".catatan.csv").write_text("desa,penduduk\n")
    (data / "target.csv").write_text("indikator,tahun,target\nIKU-01,2018,90\n")
    return data


def test_outliers_found_on_another_thread_take_their_place(tmp_path):
    from iku_lib.ingest.dataset import _read_raw

    data = _jump_data(tmp_path)
    later = load_dataset(data, store=False)
    assert later.later is not None  # still to be put in place
    assert [p.kode for p in later.problems] == (["berkas_dilewati"] + ["baris_tanpa_nilai"] * 8
                                                + ["nilai_melonjak", "target_tanpa_data"])
    assert later.later is None
    in_line = _read_raw(data, lazy=False)  # found in line, as for a store
    assert in_line.later is None
    assert in_line.problems == later.problems


def test_the_outlier_warnings_are_counted_before_they_are_written(tmp_path):
    """`iku compute` only counts the warnings: the outliers found on the thread are counted
    without their texts (`LaterWarnings`), which are written when the problems are read."""
    found = load_dataset(_jump_data(tmp_path), store=False)
    assert found.warning_count() == 11  # the hidden file, 8 rows without values, the jump, the 2018 target
    pending = found.later[0].result()
    assert len(pending) == 1 and pending._written is None
    assert len([p for p in found.problems if p.tingkat == "peringatan"]) == 11
    assert found.problems[9].kode == "nilai_melonjak" and found.warning_count() == 11


def test_errors_do_not_wait_for_the_outliers(tmp_path, monkeypatch):
    """The outliers give warnings only: the errors (and so `require_valid`, before `iku compute`
    writes) are known while they are still being found; `problems` waits for them."""
    from concurrent.futures import Future

    from iku_lib.ingest import dataset as dataset_module
    from iku_lib.problems import warning

    pending: Future = Future()
    monkeypatch.setattr(dataset_module, "start_outliers", lambda db, register, catalog: pending)
    found = load_dataset(_jump_data(tmp_path), store=False)
    assert found.errors == [] and found.require_valid() is found  # pending has no result yet: not waited for
    pending.set_result([warning("jauh", kode="nilai_melonjak"), warning("jauh juga", kode="nilai_melonjak")])
    assert [p.pesan for p in found.problems[9:]] == [
        "jauh", "jauh juga", "ada target untuk tahun 2018 tetapi tidak ada folder data 2018/"]
    assert found.problems[0].pesan == "berkas tersembunyi (namanya diawali titik) tidak dibaca"


def test_an_error_finding_the_outliers_comes_when_the_problems_are_read(tmp_path, monkeypatch):
    from concurrent.futures import Future

    from iku_lib.ingest import dataset as dataset_module

    pending: Future = Future()
    pending.set_exception(MemoryError("habis"))
    monkeypatch.setattr(dataset_module, "start_outliers", lambda db, register, catalog: pending)
    found = load_dataset(_jump_data(tmp_path), store=False)
    with pytest.raises(MemoryError, match="habis"):
        found.problems
