"""The data-quality warnings of the computed table, worked out by hand on `kecil` (3 desa, 2022)."""

from __future__ import annotations

import shutil

import pytest

from iku_lib import load_dataset
from iku_lib.engine.quality import quality_problems, validate
from iku_lib.exceptions import ParameterError
from iku_lib.problems import warning

from ..conftest import KECIL

# kecil 2022 with the default catalog (Kecamatan Kaloran 3323070), in table order: the desa rows
# indicator by indicator (catalog order), desa in register order, then the kecamatan rows.
# - IKU-02 ktp_el / wajib_ktp: Beta 2010 > 2000; Gamma has no wajib_ktp (kosong: dikecualikan).
# - IKU-05 rkp_tepat_waktu / jumlah_desa: Gamma's cell is empty (kosong: tidak_tercapai).
# - IKU-10 laporan_ditindaklanjuti / laporan_kejadian: Beta 0 / 0.
# - IKU-06 has no row in target.csv; its value (apb: 1 + 0 + 1 of 3 desa) needs one.
# - IT-01 has target 0 and realisasi (keuangan_tertib 1 + 1 + 0) / 3 x 100 = 66,6667 (4 decimals).
KECIL_2022 = [
    warning("Desa Beta (3301010002): ktp_el (2.010) melebihi wajib_ktp (2.000) tahun 2022; nilai dipakai apa "
            "adanya (IKU-02)", kode="pembilang_melebihi_penyebut", tahun=2022, indikator="IKU-02",
            kode_desa="3301010002"),
    warning("Desa Gamma (3301010003) tidak punya nilai wajib_ktp tahun 2022; IKU-02: desa dikecualikan dari "
            "pembilang dan penyebut", kode="data_tidak_ada", tahun=2022, indikator="IKU-02", kode_desa="3301010003"),
    warning("Desa Gamma (3301010003) tidak punya nilai rkp_tepat_waktu tahun 2022; IKU-05: desa dihitung tidak "
            "tercapai", kode="data_tidak_ada", tahun=2022, indikator="IKU-05", kode_desa="3301010003"),
    warning("Desa Beta (3301010002): laporan_kejadian = 0 tahun 2022; IKU-10 desa ini tidak punya nilai",
            kode="penyebut_nol", tahun=2022, indikator="IKU-10", kode_desa="3301010002"),
    warning("IKU-06 tahun 2022: tidak ada target untuk Kecamatan Kaloran (3323070); capaian tidak dihitung",
            kode="target_tidak_ada", tahun=2022, indikator="IKU-06"),
    warning("IT-01 tahun 2022: target 0 dan realisasi 66,6667; capaian tidak dapat dihitung",
            kode="target_nol", tahun=2022, indikator="IT-01"),
]


def test_quality_warnings_of_kecil_worked_by_hand(kecil):
    dataset, table = kecil
    assert quality_problems(table, dataset) == KECIL_2022


def test_rows_in_any_order_or_subset_give_their_own_warnings(kecil):
    dataset, table = kecil
    assert quality_problems(table.iloc[::-1].reset_index(drop=True), dataset) == KECIL_2022[::-1]
    assert quality_problems(table[table["level"] == "kecamatan"], dataset) == KECIL_2022[4:]
    assert quality_problems(table.iloc[:0], dataset) == []


def test_validate_is_reading_problems_then_quality_warnings(kecil):
    dataset, _ = kecil
    assert validate(dataset) == dataset.problems + KECIL_2022
    assert validate(dataset, [2022]) == validate(dataset, 2022) == validate(dataset)
    with pytest.raises(ParameterError, match="tahun 2021 tidak ada"):
        validate(dataset, [2021])


def test_validate_for_some_years_keeps_every_error_and_that_years_warnings(tmp_path):
    data = tmp_path / "d"
    shutil.copytree(KECIL, data)
    shutil.copytree(KECIL / "2022", data / "2023")
    (data / "2023" / "catatan.pdf").write_bytes(b"%PDF")  # a warning of 2023: not a data file
    dataset = load_dataset(data)
    assert [(p.kode, p.tahun) for p in dataset.problems] == [("berkas_tidak_dibaca", 2023)]
    assert validate(dataset, [2022]) == KECIL_2022  # not 2023's warnings, nor its quality checks
    assert [p.kode for p in validate(dataset, [2023])][0] == "berkas_tidak_dibaca"
    (data / "2023" / "penduduk.csv").write_text("desa,penduduk,wajib_ktp,ktp_el\nAlpha,x,1500,1450\n",
                                                encoding="utf-8")
    dataset = load_dataset(data)
    errors = [p for p in validate(dataset, [2022]) if p.is_error]
    assert [(p.kode, p.tahun, p.baris) for p in errors] == [("nilai_tidak_sah", 2023, 2)]  # an error of any year
    assert not [p for p in validate(dataset, [2022]) if p.kode == "data_tidak_ada"]  # errors: nothing computed
