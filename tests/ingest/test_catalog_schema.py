"""A hostile or unlucky iku.yaml (issue 12): refused with one CatalogError that lists every
problem, each at its YAML path and line, in Bahasa Indonesia; never a traceback.

Each case is a folder `tests/data/katalog-rusak/katalog-*`: a bad iku.yaml beside a copy of
`kecil`'s desa.csv, target.csv and 2022/, so that `iku validate --data-dir` can be run on it.
They sit one level down so that the tests that load every data folder of tests/data (row
accounting, query, text reader) do not meet a catalog that cannot be loaded.
The small catalogs there share one layout (line 5 `periode`, 6 `capaian`, 7-10 `predikat`,
11-17 `variabel`, the four indicators from line 19, 32, 45 and 55).
"""

import time

import pytest

from iku_lib import load_catalog
from iku_lib.cli.main import main
from iku_lib.exceptions import CatalogError
from iku_lib.ingest.catalog import MAX_CATALOG_BYTES

from ..conftest import DATA as ALL_DATA, KECIL, ROOT, run_iku

DATA = ALL_DATA / "katalog-rusak"

NO_COLUMN = "nama ini tidak akan pernah cocok dengan judul kolom mana pun (judul kolom dibaca dengan huruf kecil, " \
            "spasi dan tanda baca menjadi '_')"
NATURE_RULE = ("sifat harus alir (dijumlahkan dari triwulan ke triwulan, misalnya penerimaan atau jumlah kejadian) atau "
               "stok (nilai triwulan terakhir, misalnya jumlah penduduk atau rumah)")
UNREADABLE = "katalog IKU tidak dapat dibaca"
INVALID = "katalog IKU tidak sah"

# case: the message after "<folder>/iku.yaml: "
REFUSED = {
    "katalog-faktor-inf":
        f"{INVALID}: indikator[3].faktor (baris 62): indikator IKU-04: faktor harus angka positif, bukan .inf",
    "katalog-faktor-nan":
        f"{INVALID}, 2 masalah:\n"
        "- capaian.batas_atas (baris 6): harus angka positif atau null, bukan .nan\n"
        "- indikator[0].faktor (baris 26): indikator IKU-01: faktor harus angka positif, bukan .nan",
    "katalog-faktor-bool":
        f"{INVALID}: indikator[1].faktor (baris 39): indikator IKU-02: faktor harus angka positif, bukan true",
    "katalog-periode-teks":
        f"{INVALID}: periode[1] (baris 5): 'dua ribu dua puluh tiga' bukan tahun empat angka, misalnya 2023",
    "katalog-periode-terbalik":
        f"{INVALID}: periode (baris 5): [2023, 2019] terbalik: tahun awal harus lebih dahulu, misalnya [2019, 2023]",
    "katalog-bentuk-salah":
        f"{INVALID}, 4 masalah:\n"
        "- capaian (baris 6): harus pemetaan, misalnya 'capaian: {negatif: \"2t-r\", batas_atas: null}', "
        "bukan sebuah daftar\n"
        "- predikat (baris 7): harus daftar {min, label} yang tidak kosong, misalnya "
        "'- {min: 91, label: Sangat Tinggi}' ... '- {min: null, label: Sangat Rendah}', bukan sebuah pemetaan\n"
        "- variabel (baris 9): bagian 'variabel' harus pemetaan nama: {jenis, label, keterangan}, misalnya "
        "'penduduk: {jenis: jumlah, label: Jumlah penduduk}', bukan sebuah daftar\n"
        "- indikator[2] (baris 42): indikator ke-3 harus pemetaan (id, jenis, nama, ...), bukan sebuah daftar",
    "katalog-daftar":
        f"{INVALID}: baris 3: katalog IKU harus berupa pemetaan YAML (baris 'kunci: nilai', misalnya "
        "'instansi: Kantor Kecamatan ...'), bukan sebuah daftar",
    "katalog-null-teks":
        f"{INVALID}, 5 masalah:\n"
        "- instansi (baris 3): instansi kosong (null); isi teksnya atau hapus baris ini\n"
        "- variabel.penduduk.jenis (baris 12): variabel 'penduduk': 'jenis' harus salah satu dari jumlah, rupiah, "
        "flag, bukan null\n"
        "- variabel.penduduk.label (baris 12): variabel 'penduduk': label kosong (null); isi teksnya atau hapus "
        "baris ini\n"
        "- indikator[0].satuan (baris 27): indikator IKU-01: satuan kosong (null); isi teksnya\n"
        "- indikator[1].nama (baris 35): indikator IKU-02: nama kosong (null); isi teksnya",
    "katalog-id-bukan-teks":
        f"{INVALID}, 4 masalah:\n"
        "- indikator[0].id (baris 19): indikator ke-1: id harus teks yang tidak kosong, misalnya \"IKU-01\", "
        "bukan 1; bila memang teks, tulis dalam tanda kutip: \"1\"\n"
        "- indikator[1].id (baris 32): indikator ke-2: id harus teks yang tidak kosong, misalnya \"IKU-01\", "
        "bukan true; bila memang teks, tulis dalam tanda kutip: \"true\"\n"
        "- indikator[2].id (baris 45): indikator ke-3: id harus teks yang tidak kosong, misalnya \"IKU-01\", "
        "bukan ''\n"
        "- indikator[3].id (baris 55): indikator ke-4: id harus teks yang tidak kosong, misalnya \"IKU-01\", "
        "bukan 1; bila memang teks, tulis dalam tanda kutip: \"1\"",
    "katalog-nilai-aneh":
        f"{INVALID}, 7 masalah:\n"
        "- predikat[0].min (baris 8): harus angka (atau null untuk predikat terakhir), bukan 'sembilan puluh satu'\n"
        "- predikat[1].label (baris 9): label harus teks, bukan 76; bila memang teks, tulis dalam tanda kutip: \"76\"\n"
        "- predikat[1].min (baris 9): hanya predikat terakhir yang boleh 'min: null'\n"
        "- predikat[2].min (baris 10): harus angka (atau null untuk predikat terakhir), bukan .inf\n"
        "- efisiensi.batas (baris 11): harus angka >= 0 (dalam poin persen), misalnya 5, bukan -.inf\n"
        "- indikator[0].desimal (baris 32): indikator IKU-01: desimal harus bilangan bulat dari 0 sampai 10, "
        "bukan 2.5\n"
        "- indikator[3].desimal (baris 68): indikator IKU-04: desimal harus bilangan bulat dari 0 sampai 10, "
        "bukan 1000000",
    "katalog-variabel-nama-salah":
        f"{INVALID}, 4 masalah:\n"
        f"- variabel['jumlah penduduk'] (baris 12): variabel 'jumlah penduduk': {NO_COLUMN}; tulis 'jumlah_penduduk'\n"
        f"- variabel.Desa (baris 13): variabel 'Desa': {NO_COLUMN}; tulis 'desa'\n"
        "- variabel.desa (baris 14): variabel 'desa': nama ini dipakai iku sendiri ('desa' adalah kolom kunci, "
        "'jumlah_desa' penyebut khusus); pilih nama lain\n"
        f"- variabel.ktp-el (baris 16): variabel 'ktp-el': {NO_COLUMN}; tulis 'ktp_el'",
    "katalog-sifat-salah":  # issue 14: how a variable's quarters add up
        f"{INVALID}, 3 masalah:\n"
        f"- variabel.wajib_ktp.sifat (baris 13): variabel 'wajib_ktp': {NATURE_RULE}, bukan 'Stok'\n"
        "- variabel.kegiatan_tepat_waktu.sifat (baris 15): variabel 'kegiatan_tepat_waktu': variabel flag (ya/tidak) "
        "selalu stok; status ya/tidak tidak dapat dijumlahkan antartriwulan: tulis 'sifat: stok' atau hapus baris ini\n"
        f"- variabel.pbb_realisasi.sifat (baris 17): variabel 'pbb_realisasi': {NATURE_RULE}, bukan sebuah daftar",
    "katalog-kunci-ganda":
        f"{INVALID}, 2 masalah:\n"
        "- variabel.penduduk (baris 12): kunci 'penduduk' tertulis dua kali, di baris 12 dan baris 18; YAML hanya "
        "memakai yang terakhir: hapus salah satunya\n"
        "- indikator[1].polaritas (baris 42): kunci 'polaritas' tertulis dua kali, di baris 42 dan baris 44; YAML "
        "hanya memakai yang terakhir: hapus salah satunya",
    "katalog-kosong":
        f"{UNREADABLE}: berkas kosong (atau hanya berisi komentar); salin katalog bawaan lalu sesuaikan, "
        "lihat docs/panduan.md",
    "katalog-yaml-rusak":
        f"{UNREADABLE}: penulisan YAML salah di baris 6, kolom 8 (expected ',' or ']', but got ':'); "
        "periksa juga baris 5 (while parsing a flow sequence)",
    "katalog-bukan-utf8":
        f"{UNREADABLE}: bukan teks UTF-8 (baris 58); simpan ulang sebagai UTF-8, misalnya di Notepad: "
        "Simpan Sebagai, Encoding UTF-8",
    "katalog-bom-alias":
        f"{UNREADABLE}: baris 3: anchor dan alias YAML (&nama, *nama) tidak diizinkan di katalog; "
        "tulis setiap nilai selengkapnya",
    "katalog-bersarang-dalam":
        f"{UNREADABLE}: baris 3: bersarang lebih dari 20 tingkat; katalog tidak sedalam itu",
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_bad_catalog_is_refused_with_every_problem_at_its_path(case):
    path = DATA / case / "iku.yaml"
    with pytest.raises(CatalogError) as caught:
        load_catalog(DATA / case)
    assert str(caught.value) == f"{path}: {REFUSED[case]}"


def test_every_case_folder_is_tested():
    assert sorted(p.name for p in DATA.iterdir() if p.is_dir()) == sorted(REFUSED)


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_iku_validate_on_a_bad_catalog_exits_1_with_the_message(case, capsys):
    assert main(["validate", "--data-dir", str(DATA / case)]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"{DATA / case / 'iku.yaml'}: {REFUSED[case]}\n"
    assert "Traceback" not in captured.err and captured.out == ""


@pytest.mark.parametrize("case", ["katalog-bom-alias", "katalog-nilai-aneh"])
def test_the_iku_command_shows_it_without_a_traceback(case):
    result = run_iku("validate", "--data-dir", str(DATA / case))
    assert result.returncode == 1
    assert result.stderr == f"{DATA / case / 'iku.yaml'}: {REFUSED[case]}\n"
    assert "Traceback" not in result.stderr


def test_the_fixtures_hold_kecil_beside_their_catalog():
    for case in REFUSED:
        folder = DATA / case
        assert sorted(p.name for p in folder.iterdir()) == ["2022", "desa.csv", "iku.yaml", "target.csv"], case
        for name in ("desa.csv", "target.csv", "2022/penduduk.csv"):
            assert (folder / name).read_bytes() == (KECIL / name).read_bytes(), case


def test_a_billion_laughs_is_refused_at_once():
    start = time.perf_counter()
    with pytest.raises(CatalogError, match="anchor dan alias YAML"):
        load_catalog(DATA / "katalog-bom-alias")
    assert time.perf_counter() - start < 0.5


def test_a_catalog_larger_than_1_mb_is_refused_before_parsing(tmp_path):
    # a file this size is not kept in tests/data: written here, a valid start then comments
    (tmp_path / "iku.yaml").write_text("instansi: x\n" + "# komentar\n" * (MAX_CATALOG_BYTES // 10), encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(CatalogError) as caught:
        load_catalog(tmp_path)
    assert time.perf_counter() - start < 0.5
    assert str(caught.value) == (f"{tmp_path / 'iku.yaml'}: {UNREADABLE}: berkas lebih besar dari 1 MB; katalog IKU "
                                 "biasanya hanya beberapa puluh kB")


@pytest.mark.parametrize("text, message", [
    # a key that Python cannot hold: a number of 5000 digits, a date that does not exist
    ("instansi: " + "9" * 5000 + "\n", f"{UNREADABLE}: baris 1: '{'9' * 57}...' tidak dapat dibaca sebagai bilangan; "
                                       "tulis dalam tanda kutip bila memang teks"),
    ("periode: [2019-13-45, 2023]\n", f"{UNREADABLE}: baris 1: '2019-13-45' tidak dapat dibaca sebagai tanggal; "
                                      "tulis dalam tanda kutip bila memang teks"),
    ("instansi: a\x00b\n", f"{UNREADABLE}: baris 1: karakter kendali #x0000 tidak boleh ada di berkas YAML; "
                           "hapus karakter itu"),
    ("a: 1\n---\nb: 2\n", f"{UNREADABLE}: penulisan YAML salah di baris 2, kolom 1 (but found another document); "
                          "periksa juga baris 1 (expected a single document in the stream)"),
    ("? [a, b]\n: c\n", f"{UNREADABLE}: baris 1: nilai tidak dapat dibaca (found unhashable key)"),
    ("# hanya komentar\n", f"{UNREADABLE}: berkas kosong (atau hanya berisi komentar); salin katalog bawaan lalu "
                           "sesuaikan, lihat docs/panduan.md"),
    ("!!python/object/apply:os.system ['echo x']\n",
     f"{UNREADABLE}: baris 1: tag YAML yang tidak dikenal tidak diizinkan di katalog (could not determine a "
     "constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system')"),
    # a document with no section at all: the missing sections have no line
    ("instansi: !!binary aGVsbG8=\nvisi: 2020-01-01\n",
     f"{INVALID}, 4 masalah:\n"
     "- instansi (baris 1): instansi harus teks, bukan data biner (!!binary)\n"
     "- visi (baris 2): harus teks (atau daftar teks), bukan tanggal 2020-01-01\n"
     "- predikat: bagian 'predikat' tidak ada; tuliskan daftar {min, label} yang tidak kosong, misalnya "
     "'- {min: 91, label: Sangat Tinggi}' ... '- {min: null, label: Sangat Rendah}'\n"
     "- indikator: bagian 'indikator' kosong atau tidak berupa daftar"),
])
def test_odd_yaml_is_refused_without_a_traceback(tmp_path, text, message):
    (tmp_path / "iku.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(tmp_path)
    assert str(caught.value) == f"{tmp_path / 'iku.yaml'}: {message}"


def test_utf16_is_not_utf8(tmp_path):
    (tmp_path / "iku.yaml").write_text("instansi: x\n", encoding="utf-16")
    with pytest.raises(CatalogError, match=r"katalog IKU tidak dapat dibaca: bukan teks UTF-8 \(baris 1\)"):
        load_catalog(tmp_path)


def _fixed(case: str, old: str, new: str, tmp_path, *more: tuple[str, str]):
    """The case's catalog with its fault put right (`old` replaced by `new`, and each pair of `more`)."""
    text = (DATA / case / "iku.yaml").read_text(encoding="utf-8")
    for before, after in [(old, new), *more]:
        assert before in text
        text = text.replace(before, after)
    (tmp_path / "iku.yaml").write_text(text, encoding="utf-8")
    return load_catalog(tmp_path)


def test_the_cases_differ_from_a_valid_catalog_only_by_their_fault(tmp_path):
    cat = _fixed("katalog-periode-terbalik", "[2023, 2019]", "[2019, 2023]", tmp_path)
    assert cat.meta["periode"] == [2019, 2023] and cat.ids == ["IKU-01", "IKU-02", "IKU-03", "IKU-04"]
    assert cat.direct_ids == ["IKU-03"] and cat.indicators.loc["IKU-04", "faktor"] == 100.0
    assert _fixed("katalog-faktor-inf", "faktor: .inf", "faktor: 100", tmp_path).ids[-1] == "IKU-04"


@pytest.mark.parametrize("edit, expected", [
    ('periode: ["2019", "2023"]', [2019, 2023]),   # years written as text
    ("periode: null", None),                       # no Renstra period
    ("periode: [2023, 2023]", [2023, 2023]),       # a one-year period
])
def test_periode_forms_that_stay_valid(tmp_path, edit, expected):
    assert _fixed("katalog-periode-terbalik", "periode: [2023, 2019]", edit, tmp_path).meta["periode"] == expected


def test_text_or_a_list_of_texts_for_misi_and_an_integer_area_code(tmp_path):
    cat = _fixed("katalog-periode-terbalik", "periode: [2023, 2019]",
                 "periode: [2019, 2023]\nmisi: [Satu, Dua]\nvisi: Sejahtera", tmp_path)
    assert cat.meta["misi"] == ["Satu", "Dua"] and cat.meta["visi"] == "Sejahtera"
    cat = _fixed("katalog-periode-teks", 'kode: "3301010"', "kode: 3301010", tmp_path,
                 ("dua ribu dua puluh tiga", "2023"))
    assert cat.meta["wilayah"]["kode"] == "3301010"


def test_every_shipped_and_fixture_catalog_stays_valid():
    good = [p.parent for p in ALL_DATA.glob("*/iku.yaml") if p.parent.name != "langsung-katalog-dengan-pembilang"]
    assert len(good) >= 8
    for folder in [*good, ROOT / "data" / "raw", None]:  # None: the package's default catalog
        load_catalog(folder)
