"""Data-entry forms (`iku template`): a form filled with kecil's values and put in place of
kecil's 2022 CSV files computes exactly what kecil computes (also after a real spreadsheet
program re-saved it); the forms' structure (labels, technical names, locked and unlocked
cells, validations, the Petunjuk sheet), file names, bytes, and refusals."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas.testing as pdt
import pytest
import yaml

from iku_lib import compute, load_dataset
from iku_lib.ingest.values import IGNORED_COLUMNS
from iku_lib.exceptions import ParameterError
from iku_lib.report.forms import (FIRST_ROW, GUIDE_SHEET, HEADER_ROW, KECAMATAN_COLUMN, KEYS, LABEL_ROW,
                           desa_file_names, write_forms)
from iku_lib.ingest.reading import normalise_header
from iku_lib.resources import default_catalog

from ..conftest import DATA, KECIL

YEAR = 2022
SAME_NAME = DATA / "register-same-name-two-kecamatan"  # two desa "Sukamaju", in two kecamatan
YELLOW = "00FFF2A8"
# The reader skips a sheet named "Petunjuk" quietly (reading.is_guide_sheet): the filled forms add
# no problem at all. (Were it to warn `lembar_tidak_dibaca` again, set this to True.)
PETUNJUK_WARNS = False
DIRECT_INDICATOR = {
    "id": "IKM-01", "jenis": "sasaran", "sasaran_strategis": "Meningkatnya kualitas pelayanan publik kecamatan",
    "nama": "Indeks Kepuasan Masyarakat (IKM) terhadap pelayanan kecamatan",
    "rumus": "nilai IKM hasil survei kepuasan masyarakat (PermenPAN-RB 14/2017)", "nilai": "langsung",
    "satuan": "indeks", "polaritas": "positif", "sumber_data": "Survei IKM Kecamatan", "desimal": 2,
}
REALISASI_HEADER = ["no", "indikator", "nama_indikator", "satuan", "tahun", "kode_wilayah", "nama_wilayah",
                    "nilai", "sumber", "keterangan"]


# --- helpers -------------------------------------------------------------------------------

def kecil_cells() -> dict[str, dict[str, str]]:
    """kecil's 2022 cells as written in its CSVs, by desa code and variable ('' = no value)."""
    with open(KECIL / "desa.csv", encoding="utf-8", newline="") as fh:
        codes = {r["nama_desa"]: r["kode_desa"] for r in csv.DictReader(fh)}
    cells: dict[str, dict[str, str]] = {code: {} for code in codes.values()}
    for path in sorted((KECIL / str(YEAR)).glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                desa = row.pop("desa")
                cells[codes.get(desa, desa)].update(row)
    return cells


def fill(path: Path, cells: dict[str, dict[str, str]], kinds: dict[str, str], out: Path) -> Path:
    """Type `cells` into the form at `path` as a clerk would: numbers as numbers, flags as
    Ya/Tidak, an empty cell where the value is missing; save to `out`."""
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    header = [c.value for c in ws[HEADER_ROW]]
    for row in range(FIRST_ROW, ws.max_row + 1):
        code = ws.cell(row=row, column=1).value
        for col, name in enumerate(header, start=1):
            raw = cells.get(code, {}).get(name, "")
            if name not in kinds or raw == "":
                continue
            assert re.fullmatch(r"\d+", raw), (code, name, raw)  # kecil writes plain digits
            ws.cell(row=row, column=col).value = (("Ya" if raw == "1" else "Tidak") if kinds[name] == "flag"
                                                  else int(raw))
    book.save(out)
    return out


def with_forms(tmp: Path, forms: list[Path], source: Path = KECIL) -> Path:
    """A copy of `source` whose year folder holds `forms` instead of its CSV files."""
    data = tmp / "data"
    shutil.copytree(source, data)
    for path in (data / str(YEAR)).iterdir():
        path.unlink()
    for form in forms:
        shutil.copy(form, data / str(YEAR) / form.name)
    return data


def problem_codes(dataset) -> list[tuple[str, str | None]]:
    return [(p.kode, p.lembar) for p in dataset.problems]


def petunjuk_warnings(n_forms: int) -> list[tuple[str, str]]:
    return [("lembar_tidak_dibaca", GUIDE_SHEET)] * n_forms if PETUNJUK_WARNS else []


def libreoffice_resave(path: Path, tmp: Path) -> Path:
    """`path` opened and saved again as .xlsx by LibreOffice (a real spreadsheet program)."""
    out = tmp / "libreoffice"
    out.mkdir()
    profile = (tmp / "lo-profile").as_uri()  # its own profile: runs beside other LibreOffice runs
    done = subprocess.run(["libreoffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
                           "--outdir", str(out), str(path)], capture_output=True, text=True, timeout=300)
    saved = out / path.name
    assert done.returncode == 0 and saved.is_file(), done.stdout + done.stderr
    with zipfile.ZipFile(saved) as z:
        assert b"LibreOffice" in z.read("docProps/app.xml")  # really written by LibreOffice
    return saved


def with_direct_indicator(tmp: Path, source: Path = KECIL) -> Path:
    """A copy of `source` whose own iku.yaml is the default catalog plus one directly
    reported indicator (IKM-01)."""
    data = tmp / "direct"
    shutil.copytree(source, data)
    raw = yaml.safe_load(default_catalog().read_text(encoding="utf-8"))
    raw["indikator"].append(dict(DIRECT_INDICATOR))
    (data / "iku.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return data


def cells_holding_keys(path: Path) -> list[tuple[str, str]]:
    """(sheet, cell) of every cell whose text normalises to a reader's key column."""
    book = openpyxl.load_workbook(path)
    return [(ws.title, c.coordinate) for ws in book.worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and normalise_header(c.value) in KEYS]


# --- fixtures ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kecil_dataset():
    return load_dataset(KECIL)


@pytest.fixture(scope="module")
def kinds(kecil_dataset):
    return {name: spec["jenis"] for name, spec in kecil_dataset.catalog.variables.items()}


@pytest.fixture(scope="module")
def form(kecil_dataset, tmp_path_factory) -> Path:
    """kecil's whole-register form for 2022 (read only)."""
    [path] = write_forms(kecil_dataset, YEAR, tmp_path_factory.mktemp("form"))
    return path


@pytest.fixture(scope="module")
def filled(form, kinds, tmp_path_factory) -> Path:
    """kecil's form with every input cell typed from kecil's CSV files."""
    return fill(form, kecil_cells(), kinds, tmp_path_factory.mktemp("filled") / form.name)


# --- round trips ---------------------------------------------------------------------------

def test_filled_form_computes_what_the_csv_files_compute(filled, kecil, tmp_path):
    dataset, expected = kecil
    assert dataset.problems == []
    again = load_dataset(with_forms(tmp_path, [filled]))
    assert not again.errors
    assert problem_codes(again) == petunjuk_warnings(1)
    pdt.assert_frame_equal(compute(again, YEAR), expected)
    assert len(again.observations) == len(dataset.observations)


def test_filled_forms_per_desa_compute_the_same(kecil, kinds, tmp_path):
    dataset, expected = kecil
    paths = write_forms(dataset, YEAR, tmp_path / "forms", per_desa=True)
    assert [p.name for p in paths] == [f"formulir-iku-{YEAR}-{n}.xlsx" for n in ("alpha", "beta", "gamma")]
    cells = kecil_cells()
    filled = [fill(p, cells, kinds, tmp_path / p.name) for p in paths]
    again = load_dataset(with_forms(tmp_path, filled))
    assert not again.errors
    assert problem_codes(again) == petunjuk_warnings(3)
    pdt.assert_frame_equal(compute(again, YEAR), expected)


@pytest.mark.skipif(shutil.which("libreoffice") is None,
                    reason="LibreOffice (libreoffice) is not on PATH: the re-save by a real spreadsheet program "
                           "cannot be checked here")
def test_filled_form_resaved_by_libreoffice_computes_the_same(filled, kecil, tmp_path):
    _, expected = kecil
    resaved = libreoffice_resave(filled, tmp_path)
    again = load_dataset(with_forms(tmp_path, [resaved]))
    assert not again.errors
    assert problem_codes(again) == petunjuk_warnings(1)
    pdt.assert_frame_equal(compute(again, YEAR), expected)


def test_same_name_in_two_kecamatan_reads_back_by_code(kinds, tmp_path):
    """Two desa named Sukamaju: the form names each by its code and shows its kecamatan in a
    column the reader ignores (`nama_kecamatan`, in IGNORED_COLUMNS)."""
    assert KECAMATAN_COLUMN in IGNORED_COLUMNS
    dataset = load_dataset(SAME_NAME)
    [form] = write_forms(dataset, YEAR, tmp_path / "forms")
    ws = openpyxl.load_workbook(form).worksheets[0]
    header = [c.value for c in ws[HEADER_ROW]]
    rows = [[c.value for c in r][:3] for r in ws.iter_rows(min_row=FIRST_ROW)]
    assert header[:3] == ["desa", "nama_desa", KECAMATAN_COLUMN]
    assert [c.value for c in ws[LABEL_ROW]][:3] == ["Kode desa", "Nama desa", "Kecamatan"]
    assert rows == [["3323070001", "Sukamaju", "Kaloran"], ["3323060001", "Sukamaju", "Kandangan"],
                    ["3323060002", "Baledu", "Kandangan"]]
    assert ws.cell(row=FIRST_ROW, column=3).protection.locked
    cells = {"3323070001": {"wajib_ktp": "100", "ktp_el": "90"}, "3323060001": {"wajib_ktp": "200", "ktp_el": "150"},
             "3323060002": {"wajib_ktp": "300", "ktp_el": "270"}}
    again = load_dataset(with_forms(tmp_path, [fill(form, cells, kinds, tmp_path / form.name)], SAME_NAME))
    assert problem_codes(again) == petunjuk_warnings(1)
    values = again.values(YEAR)
    assert values["wajib_ktp"].tolist() == [100, 200, 300] and values["ktp_el"].tolist() == [90, 150, 270]


# --- structure -----------------------------------------------------------------------------

def test_label_and_header_rows(form, kecil_dataset):
    catalog = kecil_dataset.catalog
    book = openpyxl.load_workbook(form)
    assert book.sheetnames == [f"Data {YEAR}", GUIDE_SHEET]
    ws = book.worksheets[0]
    used = catalog.used_variables()
    labels = [catalog.variables[v]["label"] for v in used]
    assert [c.value for c in ws[LABEL_ROW]] == ["Kode desa", "Nama desa"] + labels
    assert [c.value for c in ws[HEADER_ROW]] == ["desa", "nama_desa"] + used
    assert "kuning" in ws["A3"].value and str(YEAR) in ws["A1"].value
    assert ws.freeze_panes == f"C{FIRST_ROW}"
    # One row per register desa, register order; the code is text.
    rows = [[c.value for c in r][:2] for r in ws.iter_rows(min_row=FIRST_ROW)]
    assert rows == [["3301010001", "Alpha"], ["3301010002", "Beta"], ["3301010003", "Gamma"]]
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in range(FIRST_ROW, FIRST_ROW + 3))
    # Widths a clerk can read: labels wrap in a tall row, nothing is at Excel's narrow default.
    assert ws.column_dimensions["A"].width >= 12 and ws.column_dimensions["B"].width >= 16
    assert all(ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width >= 14
               for c in range(3, 3 + len(used)))
    assert ws.cell(row=LABEL_ROW, column=4).alignment.wrap_text and ws.row_dimensions[LABEL_ROW].height >= 45


def test_only_the_header_row_holds_a_key_column(form):
    """No title, label or Petunjuk cell reads as `desa` (or `indikator`): the reader would
    take that row for the header."""
    assert cells_holding_keys(form) == [(f"Data {YEAR}", f"A{HEADER_ROW}")]


def test_locked_and_unlocked_cells(form):
    book = openpyxl.load_workbook(form)
    ws = book.worksheets[0]
    last = FIRST_ROW + 2
    for row in range(1, last + 2):
        for col in range(1, ws.max_column + 1):
            cell = ws.cell(row=row, column=col)
            is_input = FIRST_ROW <= row <= last and col >= 3
            assert cell.protection.locked is not is_input, cell.coordinate
            assert (cell.fill.fgColor.rgb == YELLOW) is is_input, cell.coordinate
    for sheet in book.worksheets:
        assert sheet.protection.sheet and not sheet.protection.password, sheet.title
    assert not ws.protection.formatColumns  # column widths stay adjustable


def test_data_validations(form, kecil_dataset):
    catalog = kecil_dataset.catalog
    ws = openpyxl.load_workbook(form).worksheets[0]
    by_range = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    expected_ranges = set()
    for col, cell in enumerate(ws[HEADER_ROW], start=1):
        if col < 3:
            continue
        letter = openpyxl.utils.get_column_letter(col)
        ref = f"{letter}{FIRST_ROW}:{letter}{FIRST_ROW + 2}"
        expected_ranges.add(ref)
        dv = by_range[ref]
        if catalog.variable_kind(cell.value) == "flag":
            assert (dv.type, dv.formula1) == ("list", '"Ya,Tidak"')
        else:
            assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
        assert dv.allow_blank and dv.showErrorMessage and dv.showInputMessage and dv.errorStyle == "stop"
        assert dv.error.startswith("Isian harus") and "Kosongkan" in dv.prompt
        assert len(dv.prompt) <= 255 and len(dv.error) <= 255 and len(dv.promptTitle) <= 32
    assert set(by_range) == expected_ranges
    assert by_range[f"C{FIRST_ROW}:C{FIRST_ROW + 2}"].promptTitle == "Jumlah penduduk"


def test_petunjuk_lists_every_variable(form, kecil_dataset):
    catalog = kecil_dataset.catalog
    ws = openpyxl.load_workbook(form)[GUIDE_SHEET]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    text = " ".join(str(v) for r in rows for v in r if v)
    for phrase in ("satu baris untuk setiap desa", "Kosongkan sel", "Tulis 0 bila memang nihil",
                   f"baris {HEADER_ROW}", ".xlsx", "kirim kembali", "Buka Proteksi Lembar"):
        assert phrase in text
    listed = {r[0]: r for r in rows if r[0] in catalog.variables}
    assert list(listed) == catalog.used_variables()
    assert listed["penduduk"] == ["penduduk", "Jumlah penduduk", catalog.variables["penduduk"]["keterangan"],
                                  "bilangan bulat", "IKU-09"]
    assert listed["pbb_realisasi"][3] == "rupiah tanpa sen" and listed["keuangan_tertib"][3] == "Ya atau Tidak"
    assert listed["wajib_ktp"][4] == "IKU-02"
    assert {r[0] for r in rows} >= set(catalog.desa_ids)


def test_desa_names_that_look_like_formulas_stay_text(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(KECIL, data)
    names = ["=1+1", "-Beta", "@SUM(A1)"]
    (data / "desa.csv").write_text("kode_desa,nama_desa\n" + "".join(
        f"330101000{i},\"{n}\"\n" for i, n in enumerate(names, start=1)), encoding="utf-8")
    dataset = load_dataset(data)
    [form] = write_forms(dataset, YEAR, tmp_path / "forms")
    ws = openpyxl.load_workbook(form).worksheets[0]
    assert [ws.cell(row=r, column=2).value for r in range(FIRST_ROW, FIRST_ROW + 3)] == names
    assert all(ws.cell(row=r, column=2).data_type == "s" for r in range(FIRST_ROW, FIRST_ROW + 3))
    with zipfile.ZipFile(form) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(re.search(r"<f[ >]", z.read(n).decode("utf-8")) for n in sheets)
    files = write_forms(dataset, YEAR, tmp_path / "per-desa", per_desa=True)
    assert [p.name for p in files] == [f"formulir-iku-{YEAR}-1-1.xlsx", f"formulir-iku-{YEAR}-beta.xlsx",
                                       f"formulir-iku-{YEAR}-sum-a1.xlsx"]


def test_file_names_per_desa(tmp_path):
    dataset = load_dataset(SAME_NAME)
    lines: list[str] = []
    files = write_forms(dataset, YEAR, tmp_path, per_desa=True, progress=lines.append)
    assert [p.name for p in files] == [f"formulir-iku-{YEAR}-sukamaju-3323070001.xlsx",
                                       f"formulir-iku-{YEAR}-sukamaju-3323060001.xlsx",
                                       f"formulir-iku-{YEAR}-baledu.xlsx"]
    assert len(lines) == 3 and lines[0].startswith("[1/3]")
    ws = openpyxl.load_workbook(files[1]).worksheets[0]
    assert "Desa Sukamaju (kode 3323060001)" in ws["A2"].value and "Kecamatan Kandangan" in ws["A2"].value
    assert [c.value for c in ws[FIRST_ROW]][:1] == ["3323060001"] and ws.max_row == FIRST_ROW
    # Names safe on every file system, whatever the register holds.
    import pandas as pd
    register = pd.DataFrame({"kode_desa": ["1", "2", "3", "4", "5", "6"],
                             "nama_desa": ["Désa Ñgadi/Utara", "CON", "...", "Kali Bening", "kali-bening", "A" * 80]})
    names = desa_file_names(register, YEAR)
    assert names == {"1": f"formulir-iku-{YEAR}-desa-ngadi-utara.xlsx", "2": f"formulir-iku-{YEAR}-con.xlsx",
                     "3": f"formulir-iku-{YEAR}-3.xlsx", "4": f"formulir-iku-{YEAR}-kali-bening-4.xlsx",
                     "5": f"formulir-iku-{YEAR}-kali-bening-5.xlsx", "6": f"formulir-iku-{YEAR}-{'a' * 50}.xlsx"}


def test_hierarchy_register_per_desa(tmp_path):
    files = write_forms(load_dataset(DATA / "hierarki"), YEAR, tmp_path, per_desa=True)
    assert len(files) == 7 and len({p.name for p in files}) == 7
    assert f"formulir-iku-{YEAR}-kandangan.xlsx" in {p.name for p in files}


def test_same_inputs_same_bytes(kecil_dataset, form, tmp_path):
    [again] = write_forms(kecil_dataset, YEAR, tmp_path)
    assert again.read_bytes() == form.read_bytes()
    [third] = write_forms(kecil_dataset, YEAR, tmp_path)  # over the previous file
    assert third.read_bytes() == form.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == [form.name]  # no temporary file left
    with zipfile.ZipFile(form) as z:
        assert {i.date_time for i in z.infolist()} == {(2020, 1, 1, 0, 0, 0)}


def test_refuses_to_write_into_the_data_directory(kecil_dataset, tmp_path):
    for target in (KECIL, KECIL / "formulir", KECIL / str(YEAR)):
        with pytest.raises(ParameterError, match="tidak boleh menulis ke direktori data mentah"):
            write_forms(kecil_dataset, YEAR, target)
    assert not (KECIL / "formulir").exists()
    assert sorted(p.name for p in (KECIL / str(YEAR)).iterdir()) == ["lainnya.csv", "pemerintahan.csv",
                                                                      "penduduk.csv"]


def test_refuses_an_empty_or_wrong_register(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(KECIL, data)
    (data / "desa.csv").write_text("kode_desa,nama_desa\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"daftar desa \(desa.csv\) tidak berisi satu desa pun"):
        write_forms(load_dataset(data), YEAR, tmp_path / "out")
    (data / "desa.csv").write_text("kode_desa,nama_desa\n1,Alpha\n1,Beta\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"daftar desa \(desa.csv\) berisi galat"):
        write_forms(load_dataset(data), YEAR, tmp_path / "out")
    with pytest.raises(ParameterError, match="tahun harus bilangan bulat"):
        write_forms(load_dataset(KECIL), 22, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_no_realisasi_form_without_direct_indicators(form):
    assert [p.name for p in form.parent.iterdir()] == [form.name]


# --- the realisasi form --------------------------------------------------------------------

def test_realisasi_form(tmp_path):
    dataset = load_dataset(with_direct_indicator(tmp_path))
    assert dataset.catalog.direct_ids == ["IKM-01"]
    files = write_forms(dataset, YEAR, tmp_path / "forms")
    assert [p.name for p in files] == [f"formulir-iku-{YEAR}.xlsx", f"realisasi-{YEAR}.xlsx"]
    book = openpyxl.load_workbook(files[1])
    assert book.sheetnames == [f"Realisasi {YEAR}", GUIDE_SHEET]
    ws = book.worksheets[0]
    assert [c.value for c in ws[LABEL_ROW]] == ["No", "Kode indikator", "Nama indikator", "Satuan", "Tahun",
                                                "Kode wilayah", "Nama wilayah", "Nilai (realisasi)", "Sumber data",
                                                "Keterangan"]
    assert [c.value for c in ws[HEADER_ROW]] == REALISASI_HEADER
    assert [[c.value for c in r] for r in ws.iter_rows(min_row=FIRST_ROW)] == [
        [1, "IKM-01", DIRECT_INDICATOR["nama"], "indeks", YEAR, "3323070", "Kaloran", None, None, None]]
    assert ws.cell(row=FIRST_ROW, column=6).data_type == "s"  # the area code is text
    for col, name in enumerate(REALISASI_HEADER, start=1):
        cell = ws.cell(row=FIRST_ROW, column=col)
        is_input = name in ("nilai", "sumber", "keterangan")
        assert cell.protection.locked is not is_input and (cell.fill.fgColor.rgb == YELLOW) is is_input, name
    [dv] = ws.data_validations.dataValidation
    assert (str(dv.sqref), dv.type, dv.operator, dv.formula1) == (f"H{FIRST_ROW}", "decimal",
                                                                   "greaterThanOrEqual", "0")
    assert "tanpa tanda %" in dv.prompt and dv.error.startswith("Isian harus")
    assert all(s.protection.sheet and not s.protection.password for s in book.worksheets)
    guide = " ".join(str(c.value) for r in book[GUIDE_SHEET].iter_rows() for c in r if c.value)
    assert "IKM-01" in guide and DIRECT_INDICATOR["nama"] in guide and "Survei IKM Kecamatan" in guide
    assert "82,5 untuk 82,5%" in guide
    assert cells_holding_keys(files[1]) == [(f"Realisasi {YEAR}", f"B{HEADER_ROW}")]
    # The desa form leaves the direct indicator out.
    desa_guide = [r[0] for r in openpyxl.load_workbook(files[0])[GUIDE_SHEET].iter_rows(values_only=True)]
    assert "IKM-01" not in desa_guide and "IKU-01" in desa_guide


def test_realisasi_form_one_row_per_kecamatan(tmp_path):
    dataset = load_dataset(with_direct_indicator(tmp_path, SAME_NAME))
    files = write_forms(dataset, YEAR, tmp_path / "forms", per_desa=True)
    assert [p.name for p in files][-1] == f"realisasi-{YEAR}.xlsx" and len(files) == 4
    ws = openpyxl.load_workbook(files[-1]).worksheets[0]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=FIRST_ROW)]
    assert [(r[0], r[1], r[5], r[6]) for r in rows] == [(1, "IKM-01", "332307", "Kaloran"),
                                                        (2, "IKM-01", "332306", "Kandangan")]
    dv = ws.data_validations.dataValidation[0]
    assert str(dv.sqref) == f"H{FIRST_ROW}:H{FIRST_ROW + 1}"


# --- round trip of the realisasi form (directly reported values) -----------------------------

CAMPURAN = DATA / "langsung-campuran"  # a kecamatan's own catalog mixing both kinds (tests/test_direct.py)


def fill_realisasi(path: Path, values: dict[str, tuple[float, str, str]], out: Path) -> Path:
    """Type (nilai, sumber, keterangan) per indicator into the realisasi form; an indicator not
    in `values` is left empty, as a clerk leaves a figure not yet known."""
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    header = [c.value for c in ws[HEADER_ROW]]
    for row in range(FIRST_ROW, ws.max_row + 1):
        ident = ws.cell(row=row, column=header.index("indikator") + 1).value
        if ident in values:
            for name, value in zip(("nilai", "sumber", "keterangan"), values[ident]):
                ws.cell(row=row, column=header.index(name) + 1).value = value or None
    book.save(out)
    return out


def test_filled_desa_and_realisasi_forms_compute_what_the_csv_files_compute(tmp_path):
    """langsung-campuran's 2022 values typed into both forms, dropped unchanged into 2022/ in
    place of its CSV files and of the 2022 rows of realisasi.csv: the same table."""
    expected = compute(load_dataset(CAMPURAN), YEAR)
    written = write_forms(load_dataset(CAMPURAN), YEAR, tmp_path / "formulir")
    names = sorted(p.name for p in written)
    assert names == ["formulir-iku-2022.xlsx", "realisasi-2022.xlsx"]
    cells: dict[str, dict[str, str]] = {}
    for path in sorted((CAMPURAN / str(YEAR)).glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                codes = {"Alpha": "3301010001", "Beta": "3301010002", "Gamma": "3301010003"}
                cells.setdefault(codes[row.pop("desa")], {}).update(row)
    catalog = load_dataset(CAMPURAN).catalog
    kinds = {v: catalog.variable_kind(v) for v in catalog.used_variables()}
    desa_form = fill(tmp_path / "formulir" / "formulir-iku-2022.xlsx", cells, kinds, tmp_path / "formulir-iku-2022.xlsx")
    # realisasi.csv of langsung-campuran: KS-03 "88,94" with its source, KS-04 "16,2%" with a note, KS-05 none.
    realisasi_form = fill_realisasi(tmp_path / "formulir" / "realisasi-2022.xlsx", {
        "KS-03": (88.94, "Survei IKM Kecamatan Sukamaju 2022", ""), "KS-04": (16.2, "", "angka Februari")},
        tmp_path / "realisasi-2022.xlsx")
    data = with_forms(tmp_path, [desa_form, realisasi_form], source=CAMPURAN)
    (data / "realisasi.csv").write_text('indikator,tahun,nilai\nKS-05,2023,"0,58"\n', encoding="utf-8")
    dataset = load_dataset(data)
    assert dataset.errors == []
    assert [p.kode for p in dataset.problems] == (
        ["lembar_tidak_dibaca"] * 2 * PETUNJUK_WARNS + ["nilai_langsung_tanpa_data", "nilai_langsung_tidak_ada"])
    pdt.assert_frame_equal(compute(dataset, YEAR), expected)
