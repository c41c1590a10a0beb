"""Regular tables read typed (`regular`) give what the line reader gives, value for value.

The shapes are worked out by hand from the bytes. Every data case under tests/data (and the
shipped data) is read with and without the typed reader: the problems, the observations, the
repeated values and the wide table must be identical. For the cases made here, which way each
file went is checked too, so that a reader never taken cannot pass unnoticed.
"""

from __future__ import annotations

import pytest

from iku_lib.exceptions import IkuError
from iku_lib.ingest import regular
from iku_lib.ingest.stage import _lazy
from iku_lib.ingest.textsql import _Lines

from ..conftest import DATA, RAW
from .both_ways import assert_same_dataset, read_both_ways

CASES = sorted(p for p in DATA.iterdir() if p.is_dir() and ((p / "desa.csv").exists() or (p / "iku.yaml").exists()))


def shape(text: bytes, columns: int, header_row: int = 1, delimiter: str = ","):
    return regular.shape_of(_Lines(text), delimiter, header_row, columns)


def test_the_widths_and_digit_columns_of_a_regular_table():
    found = shape(b"desa,penduduk,nama\n3301,120,Alpha\n3302,,B-2\n", 3)
    assert found.widths.tolist() == [[4, 3, 5], [4, 0, 3]]
    assert found.digits.tolist() == [True, True, False]


def test_crlf_line_ends_are_not_part_of_the_last_cell():
    found = shape(b"desa,penduduk\r\n3301,120\r\n3302,7\r\n", 2)
    assert found.widths.tolist() == [[4, 3], [4, 1]]
    assert found.digits.tolist() == [True, True]


def test_a_last_line_without_its_line_end_counts():
    assert shape(b"desa,penduduk\n3301,120\n3302,7", 2).widths.tolist() == [[4, 3], [4, 1]]


def test_title_rows_above_the_header_are_not_part_of_the_table():
    found = shape(b"Data 2023\n\ndesa;penduduk\n3301;5\n", 2, header_row=3, delimiter=";")
    assert found.widths.tolist() == [[4, 1]]


@pytest.mark.parametrize(("name", "text"), [
    ("a blank line", b"desa,penduduk\n3301,1\n\n3302,2\n"),
    ("a short row", b"desa,penduduk,rtlh\n3301,1,2\n3302,2\n"),
    ("a long row", b"desa,penduduk\n3301,1,2\n3302,2\n"),
    ("a long row, then a short one", b"desa,a,b\n3301,1,2,3\n3302\n"),
    ("no row", b"desa,penduduk\n"),
    ("only the header, without its line end", b"desa,penduduk"),
    ("no line starts with a letter or digit", b"desa,penduduk\n,1\n-,2\n"),
])
def test_tables_that_are_not_regular(name, text):
    columns = 3 if b"rtlh" in text or b"desa,a,b" in text else 2
    assert shape(text, columns) is None


def test_a_cell_is_digits_only_for_the_bytes_0_to_9_alone():
    for byte in sorted(set(range(256)) - {ord("\n"), ord("\r"), ord(",")}):
        found = shape(b"desa,x\n1,2" + bytes([byte]) + b"\n", 2)
        assert found.digits.tolist() == [True, ord("0") <= byte <= ord("9")], byte


def test_what_qualifies_a_regular_table():
    found = shape(b"desa,penduduk,flag,nama\n3301,120,1,Alpha\n3302,,0,\n", 4)
    assert found.qualifies(0, [1, 2], [2])
    assert not found.qualifies(3, [1, 2], [2])  # an empty desa cell
    assert not found.qualifies(0, [3], [])  # a variable cell that is not digits; and a row without value
    assert not found.qualifies(0, [1], [1])  # a flag of three digits
    assert not shape(b"desa,penduduk\n3301,1234567890123\n", 2).qualifies(0, [1], [])  # 13 digits
    assert shape(b"desa,penduduk\n3301,123456789012\n", 2).qualifies(0, [1], [])  # 12 digits


def _datasets(data_dir, monkeypatch):
    return read_both_ways(data_dir, monkeypatch, regular)


_same = assert_same_dataset


@pytest.mark.parametrize("data_dir", CASES + [RAW], ids=lambda p: p.name)
def test_both_ways_give_the_same_dataset(data_dir, monkeypatch):
    try:
        typed, lines = _datasets(data_dir, monkeypatch)
    except IkuError:  # a catalog or directory error comes before any file is read (test_textsql)
        return
    _same(typed, lines)


REGISTER = "kode_desa,nama_desa\n3301010001,Alpha\n3301010002,Beta\n3301010003,Gamma\n"
PENDUDUK = "desa,penduduk,wajib_ktp,ktp_el,keterangan\n"
PEMERINTAHAN = "desa,perangkat_desa,perangkat_melanggar,kegiatan_tepat_waktu\n"


def _data(tmp_path, penduduk: str, pemerintahan: str = "3301010001,20,1,1\n3301010003,16,0,0\n"):
    data = tmp_path / "data"
    for year in ("2022", "2023"):
        (data / year).mkdir(parents=True)
        header = PENDUDUK.replace("\n", "\r\n") if "\r\n" in penduduk else PENDUDUK
        (data / year / "penduduk.csv").write_text(header + penduduk, encoding="utf-8", newline="")
        (data / year / "pemerintahan.csv").write_text(PEMERINTAHAN + pemerintahan, encoding="utf-8", newline="")
    (data / "desa.csv").write_text(REGISTER, encoding="utf-8")
    (data / "target.csv").write_text("indikator,tahun,target\n", encoding="utf-8")
    return data


def _watch(monkeypatch) -> list[tuple[str, bool]]:
    """(file, read typed) for each plain text table offered to the typed reader, in order."""
    taken: list[tuple[str, bool]] = []
    reader = regular.read_regular_values

    def spy(db, table, *args):
        done = reader(db, table, *args)
        taken.append((table.berkas, done))
        return done

    monkeypatch.setattr(regular, "read_regular_values", spy)
    return taken


@pytest.mark.parametrize(("name", "penduduk", "typed"), [
    ("clean", "3301010001,2000,1500,1450,\n3301010002,3000,2000,,catatan bebas\n", True),
    ("crlf", "3301010001,2000,1500,1450,\r\n3301010002,3000,2000,,x\r\n", True),
    ("leading zeros", "3301010001,02000,1500,1450,\n3301010002,3000,2000,1990,\n", True),
    ("a desa by name", "Alpha,2000,1500,1450,\n3301010002,3000,2000,1990,\n", False),
    ("a desa twice", "3301010001,2000,1500,1450,\n3301010001,3000,2000,1990,\n", False),
    ("a code not in the register", "3301010001,2000,1500,1450,\n3301019999,3000,2000,1990,\n", False),
    ("a row without values", "3301010001,2000,1500,1450,\n3301010002,,,,ada\n", False),
    ("a row of empty cells", "3301010001,2000,1500,1450,\n,,,,\n", False),
    ("a dotted thousand", "3301010001,2.000,1500,1450,\n3301010002,3000,2000,1990,\n", False),
    ("a negative count", "3301010001,-2000,1500,1450,\n3301010002,3000,2000,1990,\n", False),
    ("a number of 13 digits", "3301010001,1000000000001,1500,1450,\n3301010002,3000,2000,1990,\n", False),
    ("a space before a code", " 3301010001,2000,1500,1450,\n3301010002,3000,2000,1990,\n", False),
    ("a total row", "3301010001,2000,1500,1450,\nJUMLAH,3000,2000,1990,\n", False),
    ("a blank line", "3301010001,2000,1500,1450,\n\n3301010002,3000,2000,1990,\n", False),
])
def test_which_tables_are_read_typed_and_that_both_ways_agree(tmp_path, monkeypatch, name, penduduk, typed):
    data = _data(tmp_path, penduduk)
    taken = _watch(monkeypatch)
    typed_set, lines = _datasets(data, monkeypatch)
    assert len(taken) == 8  # every file is plain text, read twice
    assert dict(taken[:4]) == {"2022/pemerintahan.csv": True, "2022/penduduk.csv": typed,
                               "2023/pemerintahan.csv": True, "2023/penduduk.csv": typed}
    # every table typed: no long rows written (a view, `stage`); else the typed ones are written too
    assert (_lazy(typed_set.db), _lazy(lines.db)) == (typed, False)
    _same(typed_set, lines)


def test_title_rows_and_a_bom_above_a_regular_table(tmp_path, monkeypatch):
    """The typed read skips the lines above the table: the values and their row numbers (4, 5)
    are those the line reader gives."""
    data = _data(tmp_path, "3301010001,2000,1500,1450,\n3301010002,3000,2000,1990,\n")
    (data / "2023" / "penduduk.csv").write_text("\ufeffData penduduk 2023\n\n" + PENDUDUK + "3301010001,2100,1500,1450,\n"
                                                "3301010002,3000,2000,1990,\n", encoding="utf-8")
    taken = _watch(monkeypatch)
    typed, lines = _datasets(data, monkeypatch)
    assert [done for _, done in taken[:4]] == [True, True, True, True]
    _same(typed, lines)
    rows = typed.observations.query("tahun == 2023 and variabel == 'penduduk'")[["kode_desa", "nilai", "baris"]]
    assert rows.values.tolist() == [["3301010001", 2100.0, 4], ["3301010002", 3000.0, 5]]


def test_a_flag_of_two_is_read_by_the_line_reader(tmp_path, monkeypatch):
    data = _data(tmp_path, "3301010001,2000,1500,1450,\n", pemerintahan="3301010001,20,1,2\n")
    typed, lines = _datasets(data, monkeypatch)
    refused = [(p.berkas, p.baris, p.kolom, p.nilai) for p in typed.problems if p.kode == "nilai_tidak_sah"]
    assert refused == [("2022/pemerintahan.csv", 2, "kegiatan_tepat_waktu", "2"),
                       ("2023/pemerintahan.csv", 2, "kegiatan_tepat_waktu", "2")]
    _same(typed, lines)


def test_the_wide_table_joins_desa_found_in_one_file_of_a_year_only(tmp_path, monkeypatch):
    """Beta is in penduduk.csv only, Gamma in pemerintahan.csv only: each gets one row a year,
    with the other file's variables empty; worked out by hand."""
    data = _data(tmp_path, "3301010001,2000,1500,1450,\n3301010002,3000,,1990,\n")
    typed, lines = _datasets(data, monkeypatch)
    _same(typed, lines)
    v = dict(typed.db.execute("SELECT variabel, v FROM _variabel").fetchall())
    names = ["penduduk", "wajib_ktp", "ktp_el", "perangkat_desa", "kegiatan_tepat_waktu"]
    wide = typed.db.execute(f"SELECT tahun, p, {', '.join(f'x{v[n]}' for n in names)} FROM _obs_wide").fetchall()
    assert [row[:2] for row in wide] == [(2022, 0), (2022, 1), (2022, 2), (2023, 0), (2023, 1), (2023, 2)]
    assert wide[0][2:] == (2000.0, 1500.0, 1450.0, 20.0, 1.0)
    assert wide[1][2:] == (3000.0, None, 1990.0, None, None)
    assert wide[2][2:] == (None, None, None, 16.0, 0.0)


@pytest.mark.parametrize(("second", "problem"), [("3301010001,2000\n", None), ("3301010001,2500\n", "nilai_bertentangan")])
def test_a_variable_in_two_typed_files_of_a_year_is_settled_as_the_line_reader_settles_it(
        tmp_path, monkeypatch, second, problem):
    """penduduk is in penduduk.csv and in tambahan.csv of 2023, both read typed: the first value is
    used and the second goes to `repeated`; different values are a conflict too. Every row is
    then written long before settling, as the line reader's are."""
    data = _data(tmp_path, "3301010001,2000,1500,1450,\n3301010002,3000,2000,1990,\n")
    (data / "2023" / "tambahan.csv").write_text("desa,penduduk\n" + second, encoding="utf-8")
    taken = _watch(monkeypatch)
    typed, lines = _datasets(data, monkeypatch)
    assert [done for _, done in taken[:5]] == [True] * 5
    assert not _lazy(typed.db)
    _same(typed, lines)
    conflicts = [(p.berkas, p.baris, p.nilai) for p in typed.problems if p.kode == "nilai_bertentangan"]
    assert conflicts == ([("2023/penduduk.csv", 2, "2.000")] if problem else [])
    repeated = typed.repeated[["tahun", "kode_desa", "variabel", "nilai", "berkas", "baris"]].values.tolist()
    value = 2500.0 if problem else 2000.0  # the first is used; a conflict stops the run anyway
    assert repeated == [[2023, "3301010001", "penduduk", value, "2023/tambahan.csv", 2]]


def test_rows_at_the_places_of_their_codes_find_their_desa_by_position(tmp_path, monkeypatch):
    """A file listing desa in register order (its first rows, or all of them) finds each by its
    place; a file out of that order by a join: the same desa either way. penduduk.csv: Alpha,
    Beta (the register's first two), pemerintahan.csv: Alpha, Gamma (Gamma at Beta's place);
    lainnya.csv every desa in order, the only table that is the whole register."""
    data = _data(tmp_path, "3301010001,2000,1500,1450,\n3301010002,3000,2000,1990,\n")
    for year in ("2022", "2023"):
        (data / year / "rumah.csv").write_text("desa,rtlh\n3301010001,5\n3301010002,7\n3301010003,4\n",
                                               encoding="utf-8")
    found: dict[str, tuple] = {}
    run = regular.run_typed_read

    def spy(db, read, wide, temporary=True):
        result = run(db, read, wide, temporary)
        found[read.select.split("read_csv('")[1].split("'")[0].rsplit("/", 2)[-1]] = (result.placed, result.rows)
        return result

    monkeypatch.setattr(regular, "run_typed_read", spy)
    monkeypatch.setattr("iku_lib.ingest.ahead.run_typed_read", spy)
    typed, lines = _datasets(data, monkeypatch)
    assert found == {"penduduk.csv": (True, 2), "pemerintahan.csv": (False, 2), "rumah.csv": (True, 3)}
    _same(typed, lines)
    codes = typed.observations.query("tahun == 2023 and variabel == 'perangkat_desa'")["kode_desa"].tolist()
    assert codes == ["3301010001", "3301010003"]


@pytest.mark.parametrize("rows, found", [
    # (the rows of rumah.csv) -> (unknown codes, desa given twice, placed) of its typed read
    ("3301010001,5\n3301010002,7\n3301010003,4\n", (0, 0, True)),  # every row at its code's place
    ("3301010001,5\n3301010002,7\n3301010003,4\n3301010001,6\n", (0, 1, False)),  # Alpha again, past the end
    ("3301010001,5\n3301010009,7\n3301010003,4\n", (1, 0, False)),  # a code the register does not have
    ("3301010002,7\n3301010001,5\n", (0, 0, False)),  # both found by the join
])
def test_codes_unknown_or_twice_are_counted_where_a_row_is_not_at_its_place(tmp_path, monkeypatch, rows, found):
    """Rows at the places of their codes in `_kode` cannot be unknown or twice (its places differ);
    any other row sends the table to the join, where both are counted, and a table with one of
    them to the line reader: the same dataset either way."""
    data = _data(tmp_path, "3301010001,2000,1500,1450,\n3301010002,3000,2000,1990,\n")
    (data / "2023" / "rumah.csv").write_text("desa,rtlh\n" + rows, encoding="utf-8")
    checks: list[tuple] = []
    run = regular.run_typed_read

    def spy(db, read, wide, temporary=True):
        result = run(db, read, wide, temporary)
        if "rumah.csv" in read.select:
            checks.append((result.unknown, result.twice, result.placed))
        return result

    monkeypatch.setattr(regular, "run_typed_read", spy)
    monkeypatch.setattr("iku_lib.ingest.ahead.run_typed_read", spy)
    typed, lines = _datasets(data, monkeypatch)
    assert checks == [found]
    _same(typed, lines)
