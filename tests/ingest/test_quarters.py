"""Reading quarter (triwulan) data (issue 14): `<tahun>/triwulan-<n>/` folders read with the annual
readers and never taken as annual data; `triwulan` columns in target.csv and realisasi.csv;
folder names. The fixtures are tests/data/triwulan-*; their numbers are listed in
tests/engine/test_quarterly.py.
"""

import shutil

import pytest

from iku_lib import load_catalog, load_dataset
from iku_lib.ingest.direct import read_direct
from iku_lib.ingest.quarters import QUARTER_OBSERVATION_COLUMNS, quarter_file_paths, read_quarters
from iku_lib.ingest.targets import read_targets
from iku_lib.ingest.triwulan import folder_quarter, is_quarter_like, quarter_cell

from ..conftest import DATA, KECIL, RAW

LENGKAP = DATA / "triwulan-lengkap"
FOLDER_RULE = ("nama folder triwulan harus triwulan-1, triwulan-2, triwulan-3 atau triwulan-4 (satu folder per "
               "triwulan di dalam folder tahunnya, misalnya 2023/triwulan-2/)")


# --- names --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, quarter", [
    ("triwulan-1", 1), ("Triwulan 2", 2), ("TRIWULAN_3", 3), ("triwulan4", 4), ("Triwulan II", 2),
    ("triwulan-IV", 4), ("triwulan-０３", 3),
    ("triwulan-5", None), ("triwulan-0", None), ("triwulan-x", None), ("Triwulan V", None), ("triwulan", None),
    ("triwulan-1-lama", None),
])
def test_a_quarter_folder_name_gives_its_quarter_or_none(name, quarter):
    assert is_quarter_like(name)
    assert folder_quarter(name) == quarter


@pytest.mark.parametrize("name", ["tw1", "q1", "2023", "arsip", "data-triwulan-1"])
def test_other_folder_names_are_not_quarter_folders(name):
    assert not is_quarter_like(name) and folder_quarter(name) is None


@pytest.mark.parametrize("cell, quarter", [(None, None), ("", None), ("  ", None), (2, 2), (3.0, 3), ("4", 4),
                                           (" II ", 2), ("tw 3", 3), ("Triwulan 1", 1), ("2.0", 2)])
def test_a_quarter_cell(cell, quarter):
    assert quarter_cell(cell) == quarter


@pytest.mark.parametrize("cell", [0, 5, 2.5, "5", "V", "satu", True])
def test_a_bad_quarter_cell_is_refused(cell):
    with pytest.raises(ValueError, match=r"triwulan harus 1, 2, 3 atau 4 \(atau I-IV\)"):
        quarter_cell(cell)


# --- the annual reader leaves quarter folders alone ---------------------------------------------

def test_the_annual_data_is_the_year_folders_own_files_only():
    dataset = load_dataset(LENGKAP, store=False)
    assert dataset.problems == []  # no "subfolder tidak dibaca" for the four quarter folders
    assert dataset.years == [2023]
    assert [p.relative_to(LENGKAP).as_posix() for p in dataset.files] == ["iku.yaml", "desa.csv", "target.csv",
                                                                          "2023/data.csv"]
    obs = dataset.observations
    assert set(obs["berkas"]) == {"2023/data.csv"} and len(obs) == 3 * 5  # 3 desa x 5 variables
    # 2023/data.csv: Beta's pbb_realisasi is 1800 (not a quarter's 200, 200, 1000 or 400)
    assert dataset.values(2023).loc["3301010002", "pbb_realisasi"] == 1800.0


def test_any_other_subfolder_of_a_year_folder_is_still_reported_and_not_read(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(KECIL, data)
    (data / "2022" / "arsip").mkdir()
    (data / "2022" / "arsip" / "lama.csv").write_text("desa,penduduk\nAlpha,1\n", encoding="utf-8")
    (data / "2022" / "triwulan-1").mkdir()  # a quarter folder: not reported, not read as annual data
    (data / "2022" / "triwulan-1" / "a.csv").write_text("desa,penduduk\nAlpha,7\n", encoding="utf-8")
    dataset = load_dataset(data, store=False)
    assert [(p.kode, p.berkas, p.pesan) for p in dataset.problems] == [
        ("folder_tidak_dibaca", "2022/arsip/", "subfolder tidak dibaca; letakkan berkasnya langsung di folder tahun")]
    assert dataset.values(2022).loc["3301010001", "penduduk"] == 2000.0  # kecil/2022/penduduk.csv


def test_a_quarter_folder_with_a_wrong_number_is_an_error_naming_it():
    dataset = load_dataset(DATA / "triwulan-folder-salah", store=False)
    assert [(p.tingkat, p.kode, p.berkas, p.tahun, p.pesan) for p in dataset.problems] == [
        ("galat", "folder_triwulan_tidak_sah", "2023/Triwulan X/", 2023,
         f'folder "Triwulan X" tidak sah: {FOLDER_RULE}; ganti nama foldernya'),
        ("galat", "folder_triwulan_tidak_sah", "2023/triwulan-5/", 2023,
         f'folder "triwulan-5" tidak sah: {FOLDER_RULE}; ganti nama foldernya'),
    ]
    quarters = read_quarters(dataset, 2023)
    assert sorted(quarters.folders) == [1] and quarters.quarters == [1]  # the bad ones are not read


def test_two_folders_of_one_quarter_are_an_error(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(LENGKAP, data)
    shutil.copytree(data / "2023" / "triwulan-1", data / "2023" / "Triwulan I")
    quarters = read_quarters(load_dataset(data, store=False), 2023)
    assert [(p.kode, p.berkas, p.pesan) for p in quarters.errors] == [
        ("folder_triwulan_ganda", "2023/triwulan-1/",
         'folder "Triwulan I" dan "triwulan-1" sama-sama triwulan 1 tahun 2023; satukan isinya dalam satu folder '
         "triwulan-1")]  # sorted by name: "Triwulan I" comes first and is the one read
    assert quarters.folders[1].name == "Triwulan I"


# --- the quarter folders, read with the annual readers ------------------------------------------

def test_every_quarter_folder_is_read_into_a_long_table():
    dataset = load_dataset(LENGKAP, store=False)
    quarters = read_quarters(dataset, 2023)
    assert quarters.problems == []
    assert quarters.quarters == [1, 2, 3, 4] and quarters.complete_year()
    obs = quarters.observations
    assert list(obs.columns) == QUARTER_OBSERVATION_COLUMNS
    assert len(obs) == 4 * 3 * 5  # 4 quarters x 3 desa x 5 variables
    assert obs.groupby("triwulan")["berkas"].first().to_dict() == {
        1: "2023/triwulan-1/data.csv", 2: "2023/triwulan-2/data.csv", 3: "2023/triwulan-3/data.csv",
        4: "2023/triwulan-4/data.csv"}
    # quarter 2 is a semicolon file with a title row, desa codes and ya/tidak: read as a year's file would be
    q2 = obs[obs["triwulan"] == 2].set_index(["kode_desa", "variabel"])
    assert q2.loc[("3301010001", "apb_tepat_waktu"), "nilai"] == 1.0  # "ya"
    assert q2.loc[("3301010002", "apb_tepat_waktu"), "nilai"] == 0.0  # "tidak"
    assert q2.loc[("3301010003", "pbb_realisasi"), ["nilai", "baris"]].tolist() == [50.0, 5]  # line 5 of the file
    assert [p.relative_to(LENGKAP).as_posix() for p in quarters.files] == [
        f"2023/triwulan-{q}/data.csv" for q in (1, 2, 3, 4)]


def test_the_files_read_are_found_without_reading_them(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(LENGKAP, data)
    shutil.rmtree(data / "2023" / "triwulan-3")
    (data / "2023" / "triwulan-3").mkdir()  # an empty quarter folder: a warning, no file
    (data / "2023" / "triwulan-2" / "surat.pdf").write_bytes(b"%PDF-1.4\n")  # not a data file: not read
    (data / "2023" / "triwulan-2" / "b.csv").write_text("desa,penduduk\nAlpha,1020\n", encoding="utf-8")
    expected = {LENGKAP: [f"2023/triwulan-{q}/data.csv" for q in (1, 2, 3, 4)],
                data: ["2023/triwulan-1/data.csv", "2023/triwulan-2/b.csv", "2023/triwulan-2/data.csv",
                       "2023/triwulan-4/data.csv"],
                RAW: [f"2023/triwulan-{q}/{name}" for q in (1, 2, 3, 4)
                      for name in sorted(p.name for p in (RAW / "2023" / f"triwulan-{q}").iterdir())],
                DATA / "triwulan-folder-salah": ["2023/triwulan-1/data.csv"]}
    for folder, files in expected.items():
        dataset = load_dataset(folder, store=False)
        found = [p.relative_to(folder).as_posix() for p in quarter_file_paths(dataset, 2023)]
        assert found == files, folder
        assert [p.relative_to(folder).as_posix() for p in read_quarters(dataset, 2023).files] == files, folder
    assert quarter_file_paths(load_dataset(KECIL, store=False), 2022) == []


def test_a_bad_cell_in_a_quarter_file_is_an_error_at_its_place(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(LENGKAP, data)
    (data / "2023" / "triwulan-3" / "data.csv").write_text(
        "desa,penduduk,pbb_realisasi\nAlpha,1020,400\nBeta,dua ribu,1000\n", encoding="utf-8")
    dataset = load_dataset(data, store=False)
    assert dataset.problems == []  # the annual reader does not open quarter files
    [problem] = read_quarters(dataset, 2023).errors
    assert (problem.kode, problem.berkas, problem.baris, problem.kolom, problem.nilai) == (
        "nilai_tidak_sah", "2023/triwulan-3/data.csv", 3, "penduduk", "dua ribu")


def test_a_year_without_quarter_folders_has_no_quarters():
    quarters = read_quarters(load_dataset(KECIL, store=False), 2022)
    assert quarters.quarters == [] and quarters.observations.empty and quarters.problems == []


# --- target.csv and realisasi.csv -----------------------------------------------------------------

def test_quarterly_targets_are_apart_from_the_annual_ones():
    ids = load_catalog(LENGKAP).ids
    annual, problems = read_targets(LENGKAP, ids)
    assert problems == []
    assert annual.to_dict("records") == [  # target.csv lines 2-4, the annual targets, as without the column
        {"indikator": "IKU-04", "tahun": 2023, "kode_wilayah": None, "target": 95.0},
        {"indikator": "IKU-06", "tahun": 2023, "kode_wilayah": None, "target": 100.0},
        {"indikator": "IKU-09", "tahun": 2023, "kode_wilayah": None, "target": 5.0}]
    quarterly, _ = read_targets(LENGKAP, ids, quarterly=True)
    assert quarterly[["indikator", "triwulan", "target"]].values.tolist() == [
        ["IKU-04", 1, 20.0], ["IKU-04", 2, 50.0], ["IKU-04", 3, 80.0], ["IKU-04", 4, 95.0]]


def test_a_target_file_without_the_column_reads_as_before():
    ids = load_catalog(KECIL).ids
    annual, problems = read_targets(KECIL, ids)
    assert list(annual.columns) == ["indikator", "tahun", "kode_wilayah", "target"] and len(annual) == 10
    quarterly, _ = read_targets(KECIL, ids, quarterly=True)
    assert quarterly.empty and list(quarterly.columns) == ["indikator", "tahun", "kode_wilayah", "target", "triwulan"]


def test_a_fourth_quarter_target_other_than_the_annual_one_is_an_error_at_its_line():
    dataset = load_dataset(DATA / "triwulan-target-4-berbeda", store=False)
    # target.csv line 6: IKU-04,2023,"97,5",4 against line 2: IKU-04,2023,95 (line 7, IKU-09's 5 and 5, is fine)
    found = [(p.tingkat, p.kode, p.berkas, p.baris, p.kolom, p.nilai, p.indikator, p.pesan) for p in dataset.problems]
    assert found == [
        ("galat", "target_triwulan_4_berbeda", "target.csv", 6, "target", "97,5", "IKU-04",
         "target triwulan 4 IKU-04 tahun 2023 (97,5) berbeda dengan target tahunannya (95, baris 2); target triwulan "
         "bersifat kumulatif, sehingga target triwulan 4 harus sama dengan target tahunan")]


def test_a_bad_quarter_in_target_csv_and_a_quarter_given_twice(tmp_path):
    (tmp_path / "target.csv").write_text("indikator,tahun,target,triwulan\nIKU-04,2023,95,\nIKU-04,2023,20,5\n"
                                         "IKU-04,2023,50,2\nIKU-04,2023,55,II\n", encoding="utf-8")
    targets, problems = read_targets(tmp_path, ["IKU-04"], quarterly=True)
    assert [(p.kode, p.baris, p.kolom, p.nilai, p.pesan) for p in problems] == [
        ("triwulan_tidak_sah", 3, "triwulan", "5", "triwulan harus 1, 2, 3 atau 4 (atau I-IV) (kosong untuk target "
                                                   "tahunan)"),
        ("target_ganda", 4, "indikator", "IKU-04", "target untuk IKU-04 tahun 2023 triwulan 2 tercantum lebih dari "
                                                   "sekali (juga di baris 5)"),
        ("target_ganda", 5, "indikator", "IKU-04", "target untuk IKU-04 tahun 2023 triwulan 2 tercantum lebih dari "
                                                   "sekali (juga di baris 4)")]


def test_realisasi_csv_rows_with_a_quarter_are_not_annual_values():
    dataset = load_dataset(DATA / "triwulan-langsung", store=False)
    assert dataset.problems == []
    # realisasi.csv line 2 (no triwulan) is the year's value; lines 3 and 4 are cumulative to quarters 1 and 2
    assert dataset.direct[["indikator", "tahun", "nilai"]].values.tolist() == [["IKM", 2023, 80.0]]
    quarters = read_quarters(dataset, 2023)
    assert quarters.year_folder is None and quarters.quarters == [1, 2]  # no folder: a catalog of direct values only
    assert quarters.direct[["triwulan", "nilai", "baris"]].values.tolist() == [[1, 78.0, 3], [2, 79.5, 4]]
    assert quarters.targets[["triwulan", "target"]].values.tolist() == [[2, 80.0]]


def test_a_quarter_in_a_folder_file_is_refused(tmp_path):
    catalog = load_catalog(DATA / "triwulan-langsung")
    path = tmp_path / "realisasi-2023.csv"
    path.write_text("indikator,nilai,triwulan\nIKM,81,2\n", encoding="utf-8")
    frame, [problem] = read_direct(path, "2023/realisasi-2023.csv", catalog, {"3301010": ("kecamatan", "Sukamaju")},
                                   year=2023)
    assert frame.empty
    assert (problem.kode, problem.baris, problem.kolom, problem.nilai) == ("triwulan_tidak_sah", 2, "triwulan", "2")
    assert problem.pesan.startswith("kolom triwulan hanya diisi di realisasi.csv")
