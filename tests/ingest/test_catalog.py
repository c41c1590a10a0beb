"""The catalog holds the seed's indicators exactly, and a data directory can replace it."""

import shutil

import pytest

from iku_lib import compute, load_catalog, load_dataset
from iku_lib.exceptions import CatalogError
from iku_lib.ingest.catalog import EfficiencySetting

from ..conftest import KECIL

# Names as written in ../shared/seed/iku-kecamatan-kaloran-2020.md, BAB IV (IT-01: BAB III.B)
SEED_NAMES = {
    "IKU-01": "Persentase kegiatan yang selesai tepat waktu",
    "IKU-02": "Persentase kepemilikan KTP-El di kecamatan",
    "IKU-03": "Persentase pelanggaran disiplin perangkat desa/kelurahan",
    "IKU-04": "Persentase realisasi penerimaan PBB",
    "IKU-05": "Persentase jumlah desa yang menyelesaikan RKP-Desa tepat waktu",
    "IKU-06": "Persentase jumlah desa yang menyelesaikan APB-Desa tepat waktu",
    "IKU-07": "Persentase tempat ibadah kondisi baik",
    "IKU-08": "Persentase Rumah Tidak Layak Huni (RTLH)",
    "IKU-09": "Angka kriminalitas kecamatan",
    "IKU-10": "Persentase penanganan laporan kejadian",
    "IT-01": "Prosentase desa dengan pengelolaan keuangan desa yang tertib baik",
}
# id: (numerator, denominator, factor, polarity), as fixed by issue 2
FORMULAS = {
    "IKU-01": ("kegiatan_tepat_waktu", "jumlah_desa", 100, "positif"),
    "IKU-02": ("ktp_el", "wajib_ktp", 100, "positif"),
    "IKU-03": ("perangkat_melanggar", "perangkat_desa", 100, "negatif"),
    "IKU-04": ("pbb_realisasi", "pbb_ketetapan", 100, "positif"),
    "IKU-05": ("rkp_tepat_waktu", "jumlah_desa", 100, "positif"),
    "IKU-06": ("apb_tepat_waktu", "jumlah_desa", 100, "positif"),
    "IKU-07": ("rumah_ibadah_baik", "rumah_ibadah", 100, "positif"),
    "IKU-08": ("rtlh", "rumah_tinggal", 100, "negatif"),
    "IKU-09": ("tindak_kriminal", "penduduk", 10000, "negatif"),
    "IKU-10": ("laporan_ditindaklanjuti", "laporan_kejadian", 100, "positif"),
    "IT-01": ("keuangan_tertib", "jumlah_desa", 100, "positif"),
}


def test_ids_in_seed_order_with_seed_names():
    cat = load_catalog()
    assert cat.ids == list(SEED_NAMES)
    assert cat.indicators["nama"].to_dict() == SEED_NAMES
    assert cat.indicators.loc["IT-01", "jenis"] == "tujuan"
    assert set(cat.indicators.loc[cat.ids[:-1], "jenis"]) == {"sasaran"}


@pytest.mark.parametrize("ident", sorted(FORMULAS))
def test_formulas(ident):
    ind = load_catalog().indicators.loc[ident]
    assert (ind["pembilang"], ind["penyebut"], ind["faktor"], ind["polaritas"]) == FORMULAS[ident]
    assert ind["kosong"] == ("tidak_tercapai" if ind["penyebut"] == "jumlah_desa" else "dikecualikan")
    assert ind["rumus"] and ind["sumber_data"] and ind["satuan"] and ind["sasaran_strategis"]


def test_seed_formula_text_is_kept():
    ind = load_catalog().indicators
    assert ind.loc["IKU-09", "rumus"] == "jumlah tindak kriminal dibagi jumlah penduduk dikali 10.000"
    assert ind.loc["IKU-09", "satuan"] == "per 10.000 penduduk"


def _copy_with_catalog(tmp_path, edit):
    data = tmp_path / "data"
    shutil.copytree(KECIL, data)
    text = load_catalog().path.read_text(encoding="utf-8")
    (data / "iku.yaml").write_text(edit(text), encoding="utf-8")
    return data


def test_a_new_indicator_needs_no_python(tmp_path):
    extra = """
  - id: IKU-11
    jenis: sasaran
    sasaran_strategis: contoh
    nama: Persentase rumah ibadah kondisi kurang baik
    rumus: (rumah ibadah - kondisi baik) dibagi rumah ibadah dikali 100%
    pembilang: rumah_ibadah_rusak
    penyebut: rumah_ibadah
    faktor: 100
    satuan: "%"
    polaritas: negatif
    kosong: dikecualikan
    sumber_data: contoh
    desimal: 1
"""
    data = _copy_with_catalog(tmp_path, lambda t: t.replace(
        "variabel:\n", "variabel:\n  rumah_ibadah_rusak: {jenis: jumlah, label: Rumah ibadah rusak}\n") + extra)
    (data / "2022" / "rusak.csv").write_text("desa,rumah_ibadah_rusak\nAlpha,1\nBeta,2\nGamma,0\n", encoding="utf-8")
    table = compute(load_dataset(data), 2022, level="kecamatan").set_index("indikator")
    assert table.loc["IKU-11", "nilai"] == pytest.approx(3 / 20 * 100)  # (1+2+0) / (10+8+2)


def test_settings_come_from_the_catalog(tmp_path):
    data = _copy_with_catalog(tmp_path, lambda t: t.replace("batas_atas: null", "batas_atas: 100"))
    table = compute(load_dataset(data), 2022, level="kecamatan").set_index("indikator")
    assert table.loc["IKU-02", "capaian"] == 100.0  # 104.06 capped


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda t: t.replace("polaritas: negatif", "polaritas: turun", 1), "IKU-03: polaritas 'turun'"),
        (lambda t: t.replace("penyebut: penduduk", "penyebut: warga"), "IKU-09: penyebut 'warga'"),
        (lambda t: t.replace("id: IKU-02", "id: IKU-01"), "IKU-01 tercantum dua kali"),
        # targets and data match ids ignoring case: iku-01 would take IKU-01's targets
        (lambda t: t.replace("id: IKU-02", "id: iku-01"),
         "indikator iku-01 tercantum dua kali .juga indikator.0. sebagai IKU-01; id dibandingkan tanpa membedakan "
         "huruf besar/kecil"),
        (lambda t: t.replace("{min: 76, label: Tinggi}", "{min: 95, label: Tinggi}"), "menurun"),
        (lambda t: t + "\n  - [tidak valid\n", "tidak dapat dibaca"),
        (lambda t: "!!python/object/apply:os.system ['echo x']\n", "tidak dapat dibaca"),
    ],
)
def test_bad_catalog_is_refused_clearly(tmp_path, edit, message):
    data = _copy_with_catalog(tmp_path, edit)
    with pytest.raises(CatalogError, match=message.replace("(", r"\(")):
        load_catalog(data)


def test_efficiency_setting_defaults_to_rasio():
    # the default catalog says `efisiensi: {metode: rasio}`; a catalog without the section means the same
    assert load_catalog().efficiency == EfficiencySetting("rasio", None)
    assert "efisiensi" not in load_catalog().meta


@pytest.mark.parametrize("section, expected", [
    ("", EfficiencySetting("rasio", None)),                                    # section left out
    ("efisiensi: {metode: selisih}\n", EfficiencySetting("selisih", 5.0)),     # Banjarnegara's 5 by default
    ("efisiensi: {metode: selisih, batas: 2.5}\n", EfficiencySetting("selisih", 2.5)),
    ("efisiensi: {metode: selisih, batas: 0}\n", EfficiencySetting("selisih", 0.0)),
])
def test_efficiency_setting_from_the_catalog(tmp_path, section, expected):
    data = _copy_with_catalog(tmp_path, lambda t: _with_efficiency(t, section))
    assert load_catalog(data).efficiency == expected


def _with_efficiency(text, section):
    start = text.index("efisiensi:")
    end = text.index("\nvariabel:")
    return text[:start] + section + text[end:]


# Each message names the YAML path and line (issue 12); the default catalog's `efisiensi` is at line 34.
@pytest.mark.parametrize("section, message", [
    ("efisiensi: {metode: banding}\n", "efisiensi.metode (baris 34): 'banding' harus salah satu dari rasio, selisih"),
    ("efisiensi: {metode: selisih, batas: -1}\n",
     "efisiensi.batas (baris 34): harus angka >= 0 (dalam poin persen), misalnya 5, bukan -1"),
    ("efisiensi: {metode: selisih, batas: lima}\n",
     "efisiensi.batas (baris 34): harus angka >= 0 (dalam poin persen), misalnya 5, bukan 'lima'"),
    ("efisiensi: {metode: selisih, batas: true}\n",
     "efisiensi.batas (baris 34): harus angka >= 0 (dalam poin persen), misalnya 5, bukan true"),
    ("efisiensi: {metode: rasio, batas: 5}\n",
     "efisiensi.batas (baris 34): hanya dipakai metode selisih; metode rasio menilai efisien bila indeks "
     "efisiensi >= 1"),
    ("efisiensi: {metode: rasio, ambang: 1}\n",
     "efisiensi.ambang (baris 34): kunci tidak dikenal: ambang; yang dikenal: metode, batas"),
    ("efisiensi: rasio\n", "efisiensi (baris 34): bagian 'efisiensi' harus berupa pemetaan, misalnya "
                            "'efisiensi: {metode: rasio}' atau 'efisiensi: {metode: selisih, batas: 5}'; "
                            "bukan 'rasio'"),
])
def test_bad_efficiency_setting_is_refused_naming_the_key(tmp_path, section, message):
    data = _copy_with_catalog(tmp_path, lambda t: _with_efficiency(t, section))
    with pytest.raises(CatalogError) as caught:
        load_catalog(data)
    assert str(caught.value) == f"{data / 'iku.yaml'}: katalog IKU tidak sah: {message}"
