"""Indicators to date within a year from quarter (triwulan) data (issue 14), worked by hand.

The fixtures (tests/data/triwulan-*) share one catalog: IKU-04 = pbb_realisasi (alir) /
pbb_ketetapan (stok) x 100, dikecualikan; IKU-06 = apb_tepat_waktu (flag, stok) / jumlah_desa x
100, tidak_tercapai; IKU-09 = tindak_kriminal (alir) / penduduk (stok) x 10.000, negative
polarity (2t-r), dikecualikan. Desa Alpha (...01), Beta (...02), Gamma (...03).

triwulan-lengkap, each quarter's own values (Q1 | Q2 | Q3 | Q4 -> the year, 2023/data.csv):

    pbb_realisasi    Alpha 100 | 300 | 400 | 100 -> 900    Beta 200 | 200 | 1000 | 400 -> 1800
                     Gamma   0 |  50 | 250 | 150 -> 450
    pbb_ketetapan    Alpha 1000, Beta 2000, Gamma 500 every quarter and the year
    penduduk         Alpha 1000 | 1010 | 1020 | 1030       Beta 2000 | 2000 | 2010 | 2020
                     Gamma  500 |  505 |  505 |  510      (the year: the fourth quarter's)
    tindak_kriminal  Alpha 1 | 0 | 1 | 0 -> 2   Beta 0 | 2 | 1 | 1 -> 4   Gamma 0 | 0 | 0 | 1 -> 1
    apb_tepat_waktu  Alpha 1 | 1 | 1 | 1   Beta 0 | 0 | 1 | 1   Gamma 0 | 0 | 0 | 0

target.csv: annual IKU-04 95, IKU-06 100, IKU-09 5; quarterly IKU-04 20, 50, 80, 95.
"""

import math
import shutil

import numpy as np
import pandas as pd
import pytest

from iku_lib import compute, load_dataset
from iku_lib.cli.main import main
from iku_lib.engine.compute import API_COLUMNS
from iku_lib.engine.quarterly import (QUARTER_API_COLUMNS, QUARTER_COLUMNS, annual_check, completeness,
                                      compute_quarter, cumulate, quarter_path, quarter_problems)
from iku_lib.exceptions import CatalogError, DataError, ParameterError
from iku_lib.ingest.quarters import read_quarters

from ..conftest import DATA, RAW

LENGKAP = DATA / "triwulan-lengkap"
BELUM = DATA / "triwulan-belum-lapor"
ALPHA, BETA, GAMMA = "3301010001", "3301010002", "3301010003"


def obs(rows):
    """Quarter observations from (desa, variable, quarter, value) tuples."""
    return pd.DataFrame(rows, columns=["kode_desa", "variabel", "triwulan", "nilai"])


def by_key(frame):
    return {(r.kode_desa, r.variabel): (r.nilai, r.triwulan_dipakai, r.triwulan_kurang) for r in frame.itertuples()}


def rows_of(table, level="kecamatan"):
    return table[table["level"] == level].set_index("indikator")


# --- cumulation -----------------------------------------------------------------------------------

def test_a_flow_is_the_sum_of_the_quarters_to_date():
    given = obs([("A", "x", 1, 10.0), ("A", "x", 2, 5.0), ("A", "x", 3, 7.0), ("A", "x", 4, 1.0)])
    assert by_key(cumulate(given, {"x": "alir"}, 1)) == {("A", "x"): (10.0, (1,), ())}
    assert by_key(cumulate(given, {"x": "alir"}, 3)) == {("A", "x"): (22.0, (1, 2, 3), ())}  # 10 + 5 + 7
    assert by_key(cumulate(given, {"x": "alir"}, 4)) == {("A", "x"): (23.0, (1, 2, 3, 4), ())}  # 10 + 5 + 7 + 1


def test_a_flow_with_a_quarter_missing_has_no_value_to_date_never_a_silent_zero():
    given = obs([("A", "x", 1, 10.0), ("A", "x", 3, 7.0), ("B", "x", 2, 4.0)])
    found = by_key(cumulate(given, {"x": "alir"}, 3))
    assert math.isnan(found[("A", "x")][0]) and found[("A", "x")][1:] == ((1, 3), (2,))
    assert math.isnan(found[("B", "x")][0]) and found[("B", "x")][1:] == ((2,), (1, 3))
    # to quarter 1, A has all it needs: 10; B gave nothing up to quarter 1: no row at all
    assert by_key(cumulate(given, {"x": "alir"}, 1)) == {("A", "x"): (10.0, (1,), ())}


def test_a_stock_is_the_latest_quarter_to_date():
    given = obs([("A", "s", 1, 100.0), ("A", "s", 2, 104.0), ("A", "s", 4, 110.0)])
    assert by_key(cumulate(given, {"s": "stok"}, 2)) == {("A", "s"): (104.0, (2,), ())}
    # quarter 3 not given: quarter 2's 104 stands, and the gap is said
    assert by_key(cumulate(given, {"s": "stok"}, 3)) == {("A", "s"): (104.0, (2,), (3,))}
    assert by_key(cumulate(given, {"s": "stok"}, 4)) == {("A", "s"): (110.0, (4,), ())}


def test_flows_and_stocks_together_and_a_variable_without_sifat_left_out():
    given = obs([("A", "x", 1, 1.0), ("A", "x", 2, 2.0), ("A", "s", 1, 50.0), ("A", "s", 2, 40.0),
                 ("A", "u", 1, 9.0)])
    found = cumulate(given, {"x": "alir", "s": "stok"}, 2)
    assert found[["kode_desa", "variabel", "sifat", "nilai"]].values.tolist() == [
        ["A", "s", "stok", 40.0], ["A", "x", "alir", 3.0]]  # 1 + 2; the stock went down to 40: the latest


def test_quarters_in_any_order_and_no_quarter_at_all():
    given = obs([("A", "s", 3, 30.0), ("A", "s", 1, 10.0), ("A", "x", 2, 2.0), ("A", "x", 1, 1.0)])
    found = by_key(cumulate(given, {"x": "alir", "s": "stok"}, 3))
    assert found[("A", "s")] == (30.0, (3,), ())  # the latest quarter, not the last row
    assert np.isnan(found[("A", "x")][0]) and found[("A", "x")][1:] == ((1, 2), (3,))  # 1 + 2, quarter 3 missing
    empty = cumulate(obs([]), {"x": "alir"}, 2)
    assert empty.empty and list(empty.columns) == ["kode_desa", "variabel", "sifat", "nilai", "triwulan_dipakai",
                                                   "triwulan_kurang"]


# --- a whole year: the fixture triwulan-lengkap ---------------------------------------------------

@pytest.fixture(scope="module")
def lengkap():
    dataset = load_dataset(LENGKAP, store=False)
    return dataset, read_quarters(dataset, 2023)


def test_the_second_quarter_by_hand(lengkap):
    dataset, quarters = lengkap
    table = compute_quarter(dataset, 2023, 2, quarters)
    assert list(table.columns) == QUARTER_API_COLUMNS
    assert set(table["triwulan"]) == {2}
    desa = table[table["level"] == "desa"].set_index(["indikator", "kode_wilayah"])
    # IKU-04 desa: pbb_realisasi Q1 + Q2 over the stock pbb_ketetapan of Q2
    assert desa.loc[("IKU-04", ALPHA), ["pembilang", "penyebut", "nilai"]].tolist() == [400.0, 1000.0, 40.0]  # 100+300
    assert desa.loc[("IKU-04", BETA), ["pembilang", "penyebut", "nilai"]].tolist() == [400.0, 2000.0, 20.0]  # 200+200
    assert desa.loc[("IKU-04", GAMMA), ["pembilang", "penyebut", "nilai"]].tolist() == [50.0, 500.0, 10.0]  # 0+50
    # IKU-09 desa: tindak_kriminal Q1 + Q2 over penduduk of Q2
    assert desa.loc[("IKU-09", ALPHA), ["pembilang", "penyebut"]].tolist() == [1.0, 1010.0]  # 1+0; 1010
    assert desa.loc[("IKU-09", BETA), ["pembilang", "penyebut"]].tolist() == [2.0, 2000.0]  # 0+2; 2000
    assert set(desa["dasar_target"]) == {""} and desa["target"].isna().all()  # no target at desa level
    top = rows_of(table)
    # IKU-04: (400 + 400 + 50) / (1000 + 2000 + 500) x 100 = 850 / 3500 x 100, against Q2's own target 50
    assert top.loc["IKU-04", ["pembilang", "penyebut", "target", "dasar_target"]].tolist() == [850.0, 3500.0, 50.0,
                                                                                                "triwulan"]
    assert top.loc["IKU-04", "nilai"] == pytest.approx(24.285714285714285, rel=1e-12)
    assert top.loc["IKU-04", "capaian"] == pytest.approx(850 / 3500 * 100 / 50 * 100, rel=1e-12)  # 48,57...
    assert top.loc["IKU-04", "predikat"] == "Sangat Rendah"  # below 51
    # IKU-06: apb_tepat_waktu as of Q2: Alpha 1, Beta 0, Gamma 0 -> 1 / 3 desa; no Q2 target: the annual 100
    assert top.loc["IKU-06", ["pembilang", "penyebut", "target", "dasar_target"]].tolist() == [1.0, 3.0, 100.0,
                                                                                                "tahunan"]
    assert top.loc["IKU-06", "capaian"] == pytest.approx(100 / 3, rel=1e-12)  # 33,33 / 100 x 100
    # IKU-09: (1 + 2 + 0) / (1010 + 2000 + 505) x 10.000 = 3 / 3515 x 10.000 = 8,5348...; negative, annual target 5:
    # (2 x 5 - 8,5348...) / 5 x 100 = 29,30...
    assert top.loc["IKU-09", ["pembilang", "penyebut", "dasar_target"]].tolist() == [3.0, 3515.0, "tahunan"]
    assert top.loc["IKU-09", "capaian"] == pytest.approx((10 - 3 / 3515 * 10000) / 5 * 100, rel=1e-12)


def test_the_fourth_quarter_is_the_year(lengkap):
    dataset, quarters = lengkap
    assert annual_check(dataset, quarters) == []
    q4 = compute_quarter(dataset, 2023, 4, quarters)
    year = compute(dataset, 2023)
    pd.testing.assert_frame_equal(q4[API_COLUMNS], year, check_exact=True)
    # IKU-04: (900 + 1800 + 450) / 3500 x 100 = 90; the Q4 target 95 is the annual one: 90 / 95 x 100
    top = rows_of(q4)
    assert top.loc["IKU-04", ["nilai", "target", "dasar_target"]].tolist() == [90.0, 95.0, "triwulan"]
    assert top.loc["IKU-04", "capaian"] == pytest.approx(90 / 95 * 100, rel=1e-12)
    assert top.loc["IKU-09", "dasar_target"] == "tahunan"


def test_the_path_through_the_year(lengkap):
    dataset, quarters = lengkap
    path = quarter_path(dataset, 2023, 3, quarters)
    iku04 = path[(path["indikator"] == "IKU-04") & (path["level"] == "kecamatan")]
    # cumulative pbb_realisasi: Q1 300, Q2 850, Q3 2500 (300 + 1650) over 3500; targets 20, 50, 80
    assert iku04["triwulan"].tolist() == [1, 2, 3]
    assert iku04["pembilang"].tolist() == [300.0, 850.0, 2500.0]
    assert iku04["target"].tolist() == [20.0, 50.0, 80.0]


def test_a_complete_year_has_no_quarter_warning(lengkap):
    dataset, quarters = lengkap
    assert all(quarter_problems(dataset, quarters, n) == [] for n in (1, 2, 3, 4))
    assert completeness(quarters, dataset.register)["dilaporkan"].all()


def test_a_year_being_monitored_needs_no_annual_data_yet(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(LENGKAP, data)
    (data / "2024" / "triwulan-1").mkdir(parents=True)
    shutil.copy(LENGKAP / "2023" / "triwulan-1" / "data.csv", data / "2024" / "triwulan-1" / "data.csv")
    with open(data / "target.csv", "a", encoding="utf-8") as fh:
        fh.write("IKU-04,2024,96,\nIKU-04,2024,25,1\n")
    dataset = load_dataset(data, store=False)
    assert dataset.years == [2023]  # 2024 has no annual file yet
    table = compute_quarter(dataset, 2024, 1)
    top = rows_of(table)
    # quarter 1 of 2023's file again: (100 + 200 + 0) / 3500 x 100, against 2024's quarter 1 target 25
    assert top.loc["IKU-04", ["tahun", "pembilang", "penyebut", "target", "dasar_target"]].tolist() == [
        2024, 300.0, 3500.0, 25.0, "triwulan"]
    assert np.isnan(top.loc["IKU-09", "target"]) and top.loc["IKU-09", "dasar_target"] == ""  # no 2024 target at all


# --- the year against its fourth quarter ------------------------------------------------------------

def test_an_annual_value_other_than_the_fourth_quarter_is_an_error_naming_everything():
    data = DATA / "triwulan-tidak-cocok"
    dataset = load_dataset(data, store=False)
    quarters = read_quarters(dataset, 2023)
    problems = annual_check(dataset, quarters)
    # 2023/data.csv line 3: Beta's pbb_realisasi 1900, but 200 + 200 + 1000 + 400 = 1800;
    # line 4: Gamma's penduduk 515, but the stock at the end of quarter 4 is 510
    assert [(p.tingkat, p.kode, p.berkas, p.baris, p.kolom, p.nilai, p.kode_desa, p.tahun) for p in problems] == [
        ("galat", "triwulan_tidak_cocok", "2023/data.csv", 3, "pbb_realisasi", "1.900", BETA, 2023),
        ("galat", "triwulan_tidak_cocok", "2023/data.csv", 4, "penduduk", "515", GAMMA, 2023)]
    assert problems[0].pesan == (
        "pbb_realisasi Desa Beta (3301010002) tahun 2023: nilai tahunan 1.900 berbeda dengan kumulatif triwulan 4 "
        "1.800 (jumlah triwulan 1-4: 2023/triwulan-1/data.csv baris 3: 200; 2023/triwulan-2/data.csv baris 4: 200; "
        "2023/triwulan-3/data.csv baris 3: 1.000; 2023/triwulan-4/data.csv baris 3: 400); nilai tahunan harus sama "
        "dengan kumulatif triwulan 4: betulkan berkas tahunan atau berkas triwulannya")
    assert problems[1].pesan == (
        "penduduk Desa Gamma (3301010003) tahun 2023: nilai tahunan 515 berbeda dengan kumulatif triwulan 4 510 "
        "(nilai stok triwulan 4: 2023/triwulan-4/data.csv baris 4: 510); nilai tahunan harus sama dengan kumulatif "
        "triwulan 4: betulkan berkas tahunan atau berkas triwulannya")
    with pytest.raises(DataError) as caught:
        compute_quarter(dataset, 2023, 1, quarters)  # an error of the year stops every quarter's computation
    assert caught.value.problems == problems


def test_without_all_four_quarters_there_is_nothing_to_compare():
    dataset = load_dataset(BELUM, store=False)
    assert annual_check(dataset, read_quarters(dataset, 2023)) == []


# --- desa that have not reported: triwulan-belum-lapor ------------------------------------------------
# Quarters 1 and 2 only, as in triwulan-lengkap except: Gamma is not in quarter 1's file at all; in
# quarter 2 Beta leaves penduduk and tindak_kriminal empty. Only annual targets.

@pytest.fixture(scope="module")
def belum():
    dataset = load_dataset(BELUM, store=False)
    return dataset, read_quarters(dataset, 2023)


def test_who_has_reported_which_quarter(belum):
    dataset, quarters = belum
    table = completeness(quarters, dataset.register)
    reported = {(r.kode_desa, r.triwulan): r.dilaporkan for r in table.itertuples()}
    assert [q for (code, q), yes in reported.items() if yes] == [1, 2, 1, 2, 2]  # Alpha 1 2, Beta 1 2, Gamma 2
    assert not reported[(GAMMA, 1)] and not any(reported[(c, q)] for c in (ALPHA, BETA, GAMMA) for q in (3, 4))


def test_missing_quarters_are_named_never_silently_zero(belum):
    dataset, quarters = belum
    problems = quarter_problems(dataset, quarters, 2)
    assert [(p.kode, p.kode_desa, p.berkas, p.pesan) for p in problems] == [
        ("triwulan_belum_dilaporkan", GAMMA, "2023/triwulan-1/",
         "Desa Gamma (3301010003) belum melaporkan triwulan 1 tahun 2023 (tidak ada satu nilai pun di folder "
         "2023/triwulan-1/); nilai alir desa ini tidak dihitung sampai triwulan 2"),
        ("stok_triwulan_sebelumnya", BETA, None,
         "Desa Beta (3301010002): penduduk tidak diisi di triwulan 2 tahun 2023; dipakai nilai stok triwulan 1 "
         "(2.000)"),
        ("kumulatif_tidak_lengkap", BETA, None,
         "Desa Beta (3301010002): tindak_kriminal tidak diisi di triwulan 2 tahun 2023; variabel alir ini tidak punya "
         "nilai kumulatif sampai triwulan 2"),
    ]
    # to quarter 1 only Gamma is missing, and nothing can be said of quarter 2 yet
    assert [p.kode for p in quarter_problems(dataset, quarters, 1)] == ["triwulan_belum_dilaporkan"]


def test_the_second_quarter_with_desa_missing(belum):
    dataset, quarters = belum
    table = compute_quarter(dataset, 2023, 2, quarters)
    desa = table[table["level"] == "desa"].set_index(["indikator", "kode_wilayah"])
    # Gamma has no pbb_realisasi for quarter 1: no value to date (not 0 + 50), left out (dikecualikan)
    assert desa.loc[("IKU-04", GAMMA), "catatan"] == "tidak_ada_data" and np.isnan(desa.loc[("IKU-04", GAMMA), "nilai"])
    # Beta's tindak_kriminal is missing in quarter 2: no value; its penduduk is quarter 1's 2000
    assert desa.loc[("IKU-09", BETA), "catatan"] == "tidak_ada_data"
    assert desa.loc[("IKU-09", BETA), "penyebut"] == 2000.0
    top = rows_of(table)
    # IKU-04: (400 + 400) / (1000 + 2000) x 100 = 26,67 against the annual target 95 (no quarterly target here)
    assert top.loc["IKU-04", ["pembilang", "penyebut", "target", "dasar_target"]].tolist() == [800.0, 3000.0, 95.0,
                                                                                                "tahunan"]
    assert top.loc["IKU-04", "capaian"] == pytest.approx(800 / 3000 * 100 / 95 * 100, rel=1e-12)
    # IKU-06 (tidak_tercapai): Alpha 1, Beta 0, Gamma 0 (quarter 2) -> 1 / 3
    assert top.loc["IKU-06", ["pembilang", "penyebut"]].tolist() == [1.0, 3.0]
    # IKU-09: only Alpha counts: 1 / 1010 x 10.000 = 9,90...; (2 x 5 - 9,90...) / 5 x 100 = 1,98...
    assert top.loc["IKU-09", ["pembilang", "penyebut"]].tolist() == [1.0, 1010.0]
    assert top.loc["IKU-09", "capaian"] == pytest.approx((10 - 1 / 1010 * 10000) / 5 * 100, rel=1e-12)


def test_a_quarter_without_data_is_refused(belum):
    dataset, quarters = belum
    with pytest.raises(ParameterError) as caught:
        compute_quarter(dataset, 2023, 3, quarters)
    assert str(caught.value) == ("belum ada data triwulan 3 tahun 2023: folder 2023/triwulan-3/ tidak ada atau tidak "
                                 "berisi berkas data; triwulan yang tersedia: 1, 2")
    with pytest.raises(ParameterError, match=r"triwulan harus 1, 2, 3 atau 4 \(bukan 5\)"):
        compute_quarter(dataset, 2023, 5, quarters)


def test_a_used_variable_without_sifat_is_refused_for_quarters(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(BELUM, data)
    catalog = (data / "iku.yaml").read_text(encoding="utf-8")
    catalog = catalog.replace("penduduk: {jenis: jumlah, sifat: stok,", "penduduk: {jenis: jumlah,")
    catalog = catalog.replace("pbb_realisasi: {jenis: rupiah, sifat: alir,", "pbb_realisasi: {jenis: rupiah,")
    (data / "iku.yaml").write_text(catalog, encoding="utf-8")
    dataset = load_dataset(data, store=False)
    compute(dataset, 2023)  # the year needs no sifat
    with pytest.raises(CatalogError) as caught:
        compute_quarter(dataset, 2023, 1)
    assert str(caught.value).startswith(f"{data / 'iku.yaml'}: data triwulan memerlukan sifat setiap variabel yang "
                                        "dipakai indikator; belum diisi: variabel.penduduk.sifat, "
                                        "variabel.pbb_realisasi.sifat. Tulis 'sifat: alir'")


# --- directly reported values: triwulan-langsung -------------------------------------------------------
# realisasi.csv: IKM 80 for the year, 78 cumulative to quarter 1, 79,5 to quarter 2; target.csv: 85 for the
# year, 80 for quarter 2.

def test_direct_values_to_a_quarter_and_both_target_bases():
    dataset = load_dataset(DATA / "triwulan-langsung", store=False)
    q1 = rows_of(compute_quarter(dataset, 2023, 1)).loc["IKM"]
    assert [q1["nilai"], q1["target"], q1["dasar_target"]] == [78.0, 85.0, "tahunan"]
    assert q1["capaian"] == pytest.approx(78 / 85 * 100, rel=1e-12)  # 91,76: progress towards the year's 85
    q2 = rows_of(compute_quarter(dataset, 2023, 2)).loc["IKM"]
    assert [q2["nilai"], q2["target"], q2["dasar_target"], q2["capaian"]] == [79.5, 80.0, "triwulan", 99.375]  # 79,5/80
    assert rows_of(compute(dataset, 2023)).loc["IKM", "nilai"] == 80.0  # the year is the year's own value


# --- iku compute --triwulan ---------------------------------------------------------------------------

def test_iku_compute_for_a_quarter(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["compute", "--year", "2023", "--triwulan", "2", "--level", "kecamatan",
                 "--data-dir", str(LENGKAP)]) == 0
    out = capsys.readouterr()
    iku04 = 850 / 3500 * 100
    iku09 = 3 / 3515 * 10000
    assert out.out.splitlines() == [
        ",".join(QUARTER_COLUMNS),
        f"IKU-04,2023,2,kecamatan,3301010,Contoh,850.0,3500.0,{iku04!r},%,50.0,triwulan,{iku04 / 50 * 100!r},"
        "Sangat Rendah",
        f"IKU-06,2023,2,kecamatan,3301010,Contoh,1.0,3.0,{1 / 3 * 100!r},%,100.0,tahunan,{1 / 3 * 100 / 100 * 100!r},"
        "Sangat Rendah",
        f"IKU-09,2023,2,kecamatan,3301010,Contoh,3.0,3515.0,{iku09!r},per 10.000 penduduk,5.0,tahunan,"
        f"{max(0.0, (2 * 5 - iku09) / 5 * 100)!r},Sangat Rendah",
    ]
    assert out.err == ""
    assert list(tmp_path.iterdir()) == []


def test_iku_compute_for_a_quarter_shows_who_has_not_reported(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "tw2.csv"
    assert main(["compute", "--year", "2023", "--triwulan", "2", "--data-dir", str(BELUM), "--out", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    # 3 indicators x (3 desa + kecamatan); the provenance record beside it (tests/report/test_quarterly_report.py)
    assert err[0] == f"ditulis: {out} (12 baris); asal-usulnya: {out}.provenance.json"
    assert err[1].startswith("PERINGATAN: 2023/triwulan-1/: Desa Gamma (3301010003) belum melaporkan triwulan 1")
    assert err[-1] == "triwulan 2 tahun 2023: 3 peringatan data triwulan, 3 baris dengan catatan"
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(QUARTER_COLUMNS)


@pytest.mark.parametrize("args, message", [
    (["--year", "2023", "--triwulan", "5"], "--triwulan '5' tidak sah; tulis 1, 2, 3 atau 4"),
    (["--year", "2022-2023", "--triwulan", "2"],
     "--triwulan menghitung satu triwulan dari satu tahun; tulis satu tahun, misalnya --year 2023 --triwulan 2"),
    (["--all-years", "--triwulan", "2"],
     "--triwulan menghitung satu triwulan dari satu tahun; tulis satu tahun, misalnya --year 2023 --triwulan 2"),
    (["--year", "2023", "--triwulan", "3"],
     "belum ada data triwulan 3 tahun 2023: folder 2023/triwulan-3/ tidak ada atau tidak berisi berkas data; "
     "triwulan yang tersedia: 1, 2"),
])
def test_iku_compute_refuses_a_bad_quarter_in_indonesian(args, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["compute", *args, "--data-dir", str(BELUM)]) == 1
    captured = capsys.readouterr()
    assert captured.err == message + "\n" and captured.out == ""


def test_iku_compute_stops_at_a_bad_quarter_folder_name(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["compute", "--year", "2023", "--triwulan", "1",
                 "--data-dir", str(DATA / "triwulan-folder-salah")]) == 1
    err = capsys.readouterr().err
    assert 'GALAT: 2023/Triwulan X/: folder "Triwulan X" tidak sah' in err
    assert 'GALAT: 2023/triwulan-5/: folder "triwulan-5" tidak sah' in err


# --- the Kaloran sample ---------------------------------------------------------------------------------

def test_the_sample_quarters_add_up_to_the_sample_year():
    dataset = load_dataset(RAW, store=False)
    quarters = read_quarters(dataset, 2023)
    assert quarters.problems == [] and quarters.complete_year()
    assert annual_check(dataset, quarters) == []
    assert all(quarter_problems(dataset, quarters, n) == [] for n in (1, 2, 3, 4))
    pd.testing.assert_frame_equal(compute_quarter(dataset, 2023, 4, quarters)[API_COLUMNS], compute(dataset, 2023),
                                  check_exact=True)


def test_the_sample_second_quarter_against_the_csv_files():
    """IKU-04 of the sample to quarter 2, summed here straight from the CSV files."""
    import csv

    def column(path, name):
        with open(path, encoding="utf-8", newline="") as fh:
            return [float(r[name]) for r in csv.DictReader(fh)]

    received = sum(column(RAW / f"2023/triwulan-{q}/pbb.csv", "pbb_realisasi")[i] for q in (1, 2) for i in range(14))
    assessed = sum(column(RAW / "2023/triwulan-2/pbb.csv", "pbb_ketetapan"))
    row = rows_of(compute_quarter(load_dataset(RAW, store=False), 2023, 2)).loc["IKU-04"]
    assert row["nilai"] == pytest.approx(received / assessed * 100, rel=1e-12)
    assert [row["target"], row["dasar_target"]] == [40.0, "triwulan"]  # target.csv: IKU-04,2023,40,2
