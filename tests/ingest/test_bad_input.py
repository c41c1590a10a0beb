"""Issue 12: input that used to end in a traceback ends in a clear message.

Numbers far out of range, digits other than 0-9, control characters in names, and `$` in
names drawn by matplotlib. Each data case is a folder under tests/data (written by
`generate_bad_input` in tests/data/make_fixtures.py); the rules are in docs/data-quality.md,
"Ranges, digits and control characters". The expected messages are written by hand.
"""

from __future__ import annotations

import io
import shutil
import sys

import matplotlib.cbook
import numpy as np
import pandas as pd
import pytest

from iku_lib import load_dataset
from iku_lib.exceptions import IkuError
from iku_lib.formatting import EMPTY, angka, angka_babel, persen, rupiah
from iku_lib.ingest.dataset import year_dirs
from iku_lib.ingest.parsing import CellError, parse_cell
from iku_lib.ingest.register import code_text, read_register
from iku_lib.ingest.targets import read_targets
from iku_lib.problems import Problem, error
from iku_lib.report.charts import capaian_chart, heatmap, literal

from ..conftest import DATA, KECIL, run_iku

IDS = ["IKU-01", "IKU-02", "IKU-03", "IKU-04", "IKU-05", "IKU-06", "IKU-07", "IKU-08", "IKU-09", "IKU-10",
       "IT-01"]

EXPECTED = {
    "angka-terlalu-besar": [
        'GALAT: target.csv, baris 4, kolom "target", nilai "0,0000000000000000000000000001": target terlalu kecil: '
        'selain 0, paling kecil 0,000000001; tulis 0 bila memang nol',
        'GALAT: target.csv, baris 5, kolom "target", nilai "1e400": target bukan angka; diharapkan angka, misalnya '
        '97,5 atau 97,5%',
        'GALAT: 2022/lainnya.csv, baris 3, kolom "pbb_ketetapan", nilai "10000000000000000000000000000": terlalu '
        'besar: rupiah paling besar 1.000.000.000.000.000; periksa apakah ada angka yang terketik berlebih',
        'GALAT: 2022/lainnya.csv, baris 4, kolom "rumah_tinggal", nilai "inf": bukan angka; diharapkan bilangan '
        'bulat 0 atau lebih, misalnya 1234 atau 1.234',
        'GALAT: 2022/penduduk.csv, baris 2, kolom "penduduk", nilai "1111111111111111111111111111111111111111": '
        'terlalu besar: jumlah paling besar 1.000.000.000.000; periksa apakah ada angka yang terketik berlebih',
    ],
    "digit-bukan-ascii": [
        'GALAT: target.csv, baris 6, kolom "tahun", nilai "²⁰²²": tahun harus empat angka, misalnya 2023 (angka "²" '
        '(U+00B2 SUPERSCRIPT TWO) bukan angka 0-9 biasa)',
        'GALAT: 2022/lainnya.csv, baris 2, kolom "rumah_ibadah", nilai "10²": berisi angka "²" (U+00B2 SUPERSCRIPT '
        'TWO) yang bukan angka 0-9 biasa; ketik ulang nilainya dengan angka 0-9',
        'GALAT: 2022/penduduk.csv, baris 3, kolom "wajib_ktp", nilai "٢٠٠٠": berisi angka "٢" (U+0662 ARABIC-INDIC '
        'DIGIT TWO) yang bukan angka 0-9 biasa; ketik ulang nilainya dengan angka 0-9',
    ],
    "nama-dengan-karakter-kendali": [
        'PERINGATAN: desa.csv, baris 2, kolom "nama_desa", nilai "Al\\x1bpha": karakter kendali tak terlihat '
        '(U+001B ESC) dihapus; hapus juga dari desa.csv',
        'PERINGATAN: desa.csv, baris 2, kolom "nama_kecamatan", nilai "Kalo\\x9bran": karakter kendali tak terlihat '
        '(U+009B C1) dihapus; hapus juga dari desa.csv',
        'PERINGATAN: desa.csv, baris 3, kolom "nama_desa", nilai "Be\\x0bta": karakter kendali tak terlihat '
        '(U+000B VT) dihapus; hapus juga dari desa.csv',
        'PERINGATAN: desa.csv, baris 3, kolom "nama_kecamatan", nilai "Kalo\\x9bran": karakter kendali tak terlihat '
        '(U+009B C1) dihapus; hapus juga dari desa.csv',
        'PERINGATAN: desa.csv, baris 4, kolom "nama_kecamatan", nilai "Kalo\\x9bran": karakter kendali tak terlihat '
        '(U+009B C1) dihapus; hapus juga dari desa.csv',
        'GALAT: 2022/lainnya.csv, baris 3, kolom "rtlh", nilai "4\\x070": berisi karakter kendali tak terlihat '
        '(U+0007 BEL); ketik ulang nilainya',
        # a desa cell is matched as typed: refused, saying why (not as an unknown desa)
        'GALAT: 2022/penduduk.csv, baris 4, kolom "desa", nilai "Gam\\x1bma": nama desa berisi karakter kendali tak '
        "terlihat (U+001B ESC); tanpa karakter itu namanya Gamma; ketik ulang nama desanya",
    ],
}
CONTROLS = [chr(c) for c in [*range(0, 9), *range(11, 32), *range(127, 160)]]


# --- the cases, through the library and the command ----------------------------------------

@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_the_library_reports_each_case_with_file_row_column_and_value(case):
    dataset = load_dataset(DATA / case, store=False)
    assert [p.format() for p in dataset.problems] == EXPECTED[case]


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_iku_validate_exits_1_with_the_messages_and_no_traceback(case, tmp_path):
    data = tmp_path / case
    shutil.copytree(DATA / case, data)
    result = run_iku("validate", "--data-dir", str(data), "--out", str(tmp_path / "masalah.csv"), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = sum(line.startswith("GALAT") for line in EXPECTED[case])
    assert result.stdout.splitlines() == EXPECTED[case] + [
        f"{data}: {errors} galat, {len(EXPECTED[case]) - errors} peringatan (tahun: 2022)"]
    assert not any(c in result.stdout + result.stderr for c in CONTROLS)  # no escape sequence reaches the terminal


def test_fullwidth_digits_are_read_as_ascii():
    dataset = load_dataset(DATA / "digit-bukan-ascii", store=False)
    obs = dataset.observations.set_index(["kode_desa", "variabel"])["nilai"]
    assert obs[("3301010001", "penduduk")] == 2000  # "２０００"
    assert obs[("3301010001", "perangkat_desa")] == 20  # desa "３３０１０１０００１"
    assert obs[("3301010002", "rkp_tepat_waktu")] == 1  # flag "１"
    assert ("3301010002", "wajib_ktp") not in obs.index and ("3301010001", "rumah_ibadah") not in obs.index
    assert dataset.register["kode_desa"].tolist() == ["3301010001", "3301010002", "3301010003"]
    targets = dataset.targets.set_index("indikator")
    assert targets.loc["IKU-07", "tahun"] == 2022 and "IKU-05" not in targets.index


def test_control_characters_are_removed_from_register_names():
    dataset = load_dataset(DATA / "nama-dengan-karakter-kendali", store=False)
    assert dataset.register["nama_desa"].tolist() == ["Alpha", "Beta", "Gamma"]
    assert set(dataset.register["nama_kecamatan"]) == {"Kaloran"}
    assert {p.kode for p in dataset.problems if not p.is_error} == {"karakter_kendali"}
    # the value kept in the problem is already visible, so a CSV or a workbook gets no control character
    assert not any(c in (p.nilai or "") for p in dataset.problems if p.kode == "karakter_kendali" for c in CONTROLS)


def test_the_cases_are_what_the_generator_writes(tmp_path):
    sys.path.insert(0, str(DATA))
    try:
        import make_fixtures
    finally:
        sys.path.remove(str(DATA))
    made = make_fixtures.generate_bad_input(tmp_path)
    assert sorted(p.name for p in made) == sorted(EXPECTED)
    for folder in made:
        written = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
        committed = {p.relative_to(DATA / folder.name): p.read_bytes() for p in (DATA / folder.name).rglob("*")
                     if p.is_file()}
        assert written == committed


# --- ranges ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "kind", "number"), [
    ("1000000000000", "jumlah", 1e12), ("1.000.000.000.000", "jumlah", 1e12), (1e12, "jumlah", 1e12),
    ("Rp 1.000.000.000.000.000", "rupiah", 1e15), (1e15, "rupiah", 1e15),
    ("1000000000", "desimal", 1e9), ("1.000.000.000,0", "desimal", 1e9), ("0,000000001", "desimal", 1e-9),
    (0.0, "desimal", 0.0), ("0", "desimal", 0.0),
    ("-5", "desimal", -5.0),  # a negative target is the reader's own error (target_negatif)
])
def test_the_limits_themselves_are_accepted(value, kind, number):
    assert parse_cell(value, kind) == number


@pytest.mark.parametrize(("value", "kind", "message"), [
    ("1000000000001", "jumlah", "terlalu besar: jumlah paling besar 1.000.000.000.000; periksa apakah ada angka "
                                "yang terketik berlebih"),
    (1e28, "jumlah", "terlalu besar: jumlah paling besar 1.000.000.000.000; periksa apakah ada angka yang "
                     "terketik berlebih"),
    ("1" * 40, "rupiah", "terlalu besar: rupiah paling besar 1.000.000.000.000.000; periksa apakah ada angka "
                         "yang terketik berlebih"),
    (1e300, "desimal", "terlalu besar: paling besar 1.000.000.000; periksa apakah ada angka yang terketik "
                       "berlebih"),
    ("-2000000000", "desimal", "terlalu besar: paling besar 1.000.000.000; periksa apakah ada angka yang "
                                  "terketik berlebih"),
    (1e-28, "desimal", "terlalu kecil: selain 0, paling kecil 0,000000001; tulis 0 bila memang nol"),
    ("0,0000000001", "desimal", "terlalu kecil: selain 0, paling kecil 0,000000001; tulis 0 bila memang nol"),
    ("1e400", "jumlah", "bukan angka; diharapkan bilangan bulat 0 atau lebih, misalnya 1234 atau 1.234"),
    ("inf", "desimal", "bukan angka; diharapkan angka, misalnya 97,5 atau 97,5%"),
    ("nan", "rupiah", "bukan angka; diharapkan nilai rupiah 0 atau lebih, misalnya 1.234.567 atau Rp 1.234.567,50"),
    (float("inf"), "jumlah", "bukan angka; diharapkan bilangan bulat 0 atau lebih, misalnya 1234 atau 1.234"),
])
def test_values_out_of_range_are_refused(value, kind, message):
    with pytest.raises(CellError) as refused:
        parse_cell(value, kind)
    assert str(refused.value) == message


def errors_by_both_readers(data) -> list[list[str]]:
    """The errors of `data` as the DuckDB reader of plain text gives them, then as the careful reader does."""
    from iku_lib.ingest import textsql

    found = []
    for enabled in (True, False):
        textsql.ENABLED = enabled
        try:
            found.append([p.format() for p in load_dataset(data, store=False).problems if p.is_error])
        finally:
            textsql.ENABLED = True
    return found


def test_a_long_plain_number_is_refused_by_both_readers(tmp_path):
    """A plain 13-digit count never reaches Python in the SQL reader unless it is sent there."""
    data = tmp_path / "d"
    shutil.copytree(KECIL, data)
    (data / "2022" / "penduduk.csv").write_text("desa,penduduk,wajib_ktp,ktp_el\nAlpha,1000000000001,1500,1450\n"
                                                "Beta,999999999999,2000,1990\n", encoding="utf-8")
    found = errors_by_both_readers(data)
    assert found[0] == found[1] == [
        'GALAT: 2022/penduduk.csv, baris 2, kolom "penduduk", nilai "1000000000001": terlalu besar: jumlah paling '
        'besar 1.000.000.000.000; periksa apakah ada angka yang terketik berlebih']


# --- digits other than 0-9 ------------------------------------------------------------------

@pytest.mark.parametrize(("value", "kind", "number"), [
    ("１２３４", "jumlah", 1234.0), ("１．２３４", "jumlah", 1234.0), ("９７，５％", "desimal", 97.5),
    ("Ｒｐ　１．０００", "rupiah", 1000.0), ("１", "flag", 1.0),
])
def test_fullwidth_digits_are_ascii_digits(value, kind, number):
    assert parse_cell(value, kind) == number


@pytest.mark.parametrize(("value", "digit"), [
    ("10²", '"²" (U+00B2 SUPERSCRIPT TWO)'), ("٣", '"٣" (U+0663 ARABIC-INDIC DIGIT THREE)'),
    ("۵۰", '"۵" (U+06F5 EXTENDED ARABIC-INDIC DIGIT FIVE)'), ("१२", '"१" (U+0967 DEVANAGARI DIGIT ONE)'),
    ("①", '"①" (U+2460 CIRCLED DIGIT ONE)'), ("1½", '"½" (U+00BD VULGAR FRACTION ONE HALF)'),
])
def test_other_digits_are_refused_by_name(value, digit):
    for kind in ("jumlah", "rupiah", "desimal", "flag"):
        with pytest.raises(CellError) as refused:
            parse_cell(value, kind)
        assert str(refused.value) == (f"berisi angka {digit} yang bukan angka 0-9 biasa; ketik ulang nilainya dengan "
                                      "angka 0-9")


def test_codes_and_years_read_fullwidth_digits_and_refuse_others(tmp_path):
    assert code_text("３３０１０１０００１") == "3301010001" and code_text("３３０１.０") == "3301"
    (tmp_path / "desa.csv").write_text("kode_desa,nama_desa\n3301010001,Alpha\n٣٣٠١٠١٠٠٠٢,Beta\n",
                                       encoding="utf-8")
    register, problems = read_register(tmp_path)
    assert [p.format() for p in problems] == [
        'GALAT: desa.csv, baris 3, kolom "kode_desa", nilai "٣٣٠١٠١٠٠٠٢": kode berisi angka "٣" (U+0663 '
        'ARABIC-INDIC DIGIT THREE) yang bukan angka 0-9 biasa; ketik ulang kodenya dengan angka 0-9']
    (tmp_path / "target.csv").write_text(
        "indikator,tahun,target\nIKU-01,²⁰²³,80\nIKU-02,٢٠٢٣,80\nIKU-03,２０２３,80\n", encoding="utf-8")
    targets, problems = read_targets(tmp_path, IDS)
    assert targets[["indikator", "tahun"]].values.tolist() == [["IKU-03", 2023]]
    assert [p.format() for p in problems] == [
        'GALAT: target.csv, baris 2, kolom "tahun", nilai "²⁰²³": tahun harus empat angka, misalnya 2023 (angka "²" '
        '(U+00B2 SUPERSCRIPT TWO) bukan angka 0-9 biasa)',
        'GALAT: target.csv, baris 3, kolom "tahun", nilai "٢٠٢٣": tahun harus empat angka, misalnya 2023 (angka "٢" '
        '(U+0662 ARABIC-INDIC DIGIT TWO) bukan angka 0-9 biasa)']


def test_year_folders_read_fullwidth_digits_and_refuse_others(tmp_path):
    for name in ("2022", "２０２３", "²⁰²⁴", "notes"):
        (tmp_path / name).mkdir()
    assert [(y, p.name) for y, p in year_dirs(tmp_path)] == [(2022, "2022"), (2023, "２０２３")]
    (tmp_path / "٢٠٢٥").mkdir()
    with pytest.raises(IkuError) as refused:
        year_dirs(tmp_path)
    assert str(refused.value) == (f'folder "٢٠٢٥" di {tmp_path}: nama folder tahun harus ditulis dengan angka 0-9, '
                                  "misalnya 2023; ganti nama foldernya")


def test_two_folders_of_one_year_are_refused(tmp_path):
    """`2023` and `２０２３` both mean 2023: reading both would count the year's values twice."""
    for name in ("2022", "2023", "２０２３"):
        (tmp_path / name).mkdir()
    with pytest.raises(IkuError) as refused:
        year_dirs(tmp_path)
    assert str(refused.value) == (f'folder "2023" dan "２０２３" di {tmp_path} sama-sama tahun 2023; satukan isinya '
                                  "dalam satu folder 2023")


# --- the second lines of defence: formatting, messages, charts ------------------------------

@pytest.mark.parametrize("x", [float("inf"), float("-inf"), float("nan"), np.float32("nan"), np.float64("inf")])
def test_angka_shows_a_dash_for_what_is_not_finite(x):
    assert angka(x) == angka(x, 2) == angka_babel(x, 2) == persen(x) == rupiah(x) == EMPTY


@pytest.mark.parametrize("x", [1e28, -1e28, 1e26, 1.7976931348623157e308, -1e308, 1e-28, 5e-324, 10 ** 400,
                               np.float64(1e300)])
def test_angka_never_raises_and_writes_any_number_in_full(x):
    for decimals in (0, 2, 6):
        text = angka(x, decimals)
        assert text == angka_babel(x, decimals)
        assert text.replace(".", "").replace(",", "").lstrip("-").isdigit() and text.isascii()
    assert angka(1e28, 2) == "10.000.000.000.000.000.000.000.000.000,00"


def test_a_problem_never_prints_a_control_character():
    p = error("desa \x1b]0;judul\x07 tidak dikenal\x9b", berkas="2022/a\x1b.csv", lembar="L\x0b", baris=2,
              kolom="de\x1bsa", nilai="Kal\x1b[2Joran\r", kode="desa_tidak_dikenal")
    shown = p.format()
    assert not any(c in shown for c in CONTROLS)
    assert shown == ('GALAT: 2022/a\\x1b.csv, lembar "L\\x0b", baris 2, kolom "de\\x1bsa", nilai "Kal\\x1b[2Joran\\x0d":'
                     ' desa \\x1b]0;judul\\x07 tidak dikenal\\x9b')
    assert Problem("galat", "a\tb").format() == "GALAT: a\tb"  # a tab stays


NAME = r"$x^2$ \alpha"
BROKEN = r"Desa $\frac{1$"  # mathtext that cannot be parsed: drawing it would raise


def _drawn(fig) -> None:
    fig.savefig(io.BytesIO(), format="png")


def _shown(text) -> str:
    """The text matplotlib prints for a Text artist, and that it is not mathtext."""
    assert not matplotlib.cbook.is_math_text(text.get_text())
    shown, math = text._preprocess_math(text.get_text())
    assert math is False
    return shown


def test_names_with_dollars_are_printed_literally_in_charts():
    assert literal(NAME) == r"\$x^2\$ \alpha"
    cap = pd.DataFrame({"indikator": ["IKU-01", "IKU-02"], "nama": [NAME, BROKEN], "capaian": [95.0, np.nan],
                        "predikat": ["$A$", None]})
    fig = capaian_chart(cap, [(90.0, "$A$"), (None, r"\beta $")])
    _drawn(fig)
    labels = [_shown(t) for t in fig.axes[0].get_yticklabels()]
    assert labels == [f"IKU-01  {NAME}", f"IKU-02  {BROKEN}"]
    assert [_shown(t) for t in fig.legends[0].get_texts()] == ["$A$", r"\beta $"]

    matrix = pd.DataFrame([[1.0, 2.0], [3.0, np.nan]], index=[NAME, BROKEN], columns=[2022, 2023])
    fig = heatmap(matrix, "positif", "$ per desa", 1, f"IKU-01 {NAME}")
    _drawn(fig)
    ax = fig.axes[0]
    assert [_shown(t) for t in ax.get_yticklabels()] == [NAME, BROKEN]
    assert _shown(ax._left_title) == f"IKU-01 {NAME}"  # the title, set with loc="left"
    assert _shown(fig.axes[1].yaxis.label) == "$ per desa"


def test_a_control_character_in_a_data_file_s_desa_cell_is_refused_by_name(tmp_path):
    """A desa cell is matched only as typed: one with a control character is refused, saying so
    (not as an unknown desa), by both readers, and the terminal never receives the ESC."""
    data = tmp_path / "d"
    shutil.copytree(KECIL, data)
    (data / "2022" / "penduduk.csv").write_text(
        "desa,penduduk,wajib_ktp,ktp_el\nAlpha,2000,1500,1450\nBe\x1b[31mta,3000,2000,2010\nGam\x0bma,1000,,700\n",
        encoding="utf-8")
    found = errors_by_both_readers(data)
    assert found[0] == found[1] == [
        'GALAT: 2022/penduduk.csv, baris 3, kolom "desa", nilai "Be\\x1b[31mta": nama desa berisi karakter kendali '
        "tak terlihat (U+001B ESC); ketik ulang nama desanya",  # without the ESC: "Be[31mta", no desa
        'GALAT: 2022/penduduk.csv, baris 4, kolom "desa", nilai "Gam\\x0bma": nama desa berisi karakter kendali '
        "tak terlihat (U+000B VT); tanpa karakter itu namanya Gamma; ketik ulang nama desanya"]
