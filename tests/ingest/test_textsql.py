"""The DuckDB reader of plain text files gives what the careful reader gives, cell for cell.

Every data case under tests/data (and the shipped data) is read twice, once with the DuckDB
path (`textsql`) and once with every file going through `reading`: the problems, the
observations and the repeated values must be identical.
"""

from __future__ import annotations

import pandas as pd
import pytest

from iku_lib import load_dataset
from iku_lib.exceptions import IkuError
from iku_lib.ingest import textsql
from iku_lib.ingest.database import connect
from iku_lib.ingest.textsql import plain_text_table

from ..conftest import DATA, RAW
from .both_ways import read_both_ways

CASES = sorted(p for p in DATA.iterdir() if p.is_dir() and ((p / "desa.csv").exists() or (p / "iku.yaml").exists()))


def _kecil_register(tmp_path):
    """A data folder with kecil's register, no targets and an empty 2022 folder."""
    data = tmp_path / "data"
    (data / "2022").mkdir(parents=True)
    (data / "desa.csv").write_text((DATA / "kecil" / "desa.csv").read_text(encoding="utf-8"), encoding="utf-8")
    (data / "target.csv").write_text("indikator,tahun,target\n", encoding="utf-8")
    return data


def _both(data_dir, monkeypatch):
    return read_both_ways(data_dir, monkeypatch, textsql)


@pytest.mark.parametrize("data_dir", CASES + [RAW], ids=lambda p: p.name)
def test_both_readers_give_the_same_dataset(data_dir, monkeypatch):
    try:
        fast, careful = _both(data_dir, monkeypatch)
    except IkuError as fast_error:  # a catalog or directory error comes before any file is read
        monkeypatch.setattr(textsql, "ENABLED", False)
        with pytest.raises(type(fast_error)) as careful_error:
            load_dataset(data_dir, store=False)
        assert str(careful_error.value) == str(fast_error)
        return
    assert fast.problems == careful.problems
    pd.testing.assert_frame_equal(fast.register, careful.register)
    pd.testing.assert_frame_equal(fast.observations, careful.observations)
    pd.testing.assert_frame_equal(fast.repeated, careful.repeated)
    assert fast.years == careful.years


def _write(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(("name", "text", "plain"), [
    ("plain", "desa,penduduk\n1,2\n", True),
    ("crlf", "desa,penduduk\r\n1,2\r\n", True),
    ("title rows", "Data 2023\n\ndesa;penduduk\n1;2\n", True),
    ("quoted", 'desa,penduduk\n"1",2\n', False),
    ("mixed line ends", "desa,penduduk\r\n1,2\n", False),
    ("control character", "desa,penduduk\n1\x07,2\n", False),
    ("wider than the header", "desa,penduduk\n1,2,3\n", False),
    ("unnamed column", "desa,,penduduk\n1,,2\n", False),
    ("repeated column", "desa,penduduk,Penduduk\n1,2,3\n", False),
    ("no rows", "desa,penduduk\n\n", False),
    ("no key column", "nama,penduduk\n1,2\n", False),
])
def test_which_files_are_plain(tmp_path, name, text, plain):
    path = _write(tmp_path / "x.csv", text)
    table = plain_text_table(connect(), path, "x.csv", "desa")
    assert (table is not None) is plain


def test_windows_1252_goes_to_the_careful_reader(tmp_path):
    path = _write(tmp_path / "x.csv", "desa,penduduk\nCà,2\n", "cp1252")
    assert plain_text_table(connect(), path, "x.csv", "desa") is None


def test_row_numbers_are_the_lines_of_the_file(tmp_path):
    path = _write(tmp_path / "x.csv", "Judul\ndesa,penduduk\n\n1,2\n,\n3,4\n")
    db = connect()
    table = plain_text_table(db, path, "x.csv", "desa")
    assert table.header_row == 2
    assert db.execute(f"SELECT baris, c FROM {table.relation} ORDER BY baris").fetchall() == [
        (4, ["1", "2"]), (6, ["3", "4"])]


ODD_ROWS = [
    "3301010001,12,1.234,Ya,,1",            # a code; a dotted thousand; a flag as a word
    "Desa  Beta,\u00a0,\uff11\uff12,1,  ,0",  # a name with a prefix; a no-break space; fullwidth digits
    ",5,,,,",                                 # values without a desa
    " ,,,,,",                                 # nothing at all but a space
    "Gamma,-,abc,2,3,1",                      # a dash, text, a flag that is no flag
    "Delta,1,2,1,1,1",                        # a desa not in the register
    "Alpha,7,8,0,1,0",                        # Alpha again (3301010001 above)
    "3301010002 ,1,2,1,1,1",                  # a code with a trailing space (Beta again)
    "JUMLAH,100,200,,,",                      # a total row
    "Gamma,,,,,",                             # a desa without values
    "3.30101E+09,1,1,1,1,1",                  # a code in scientific notation
    "Gamma,0012,\u0663,1,1,1",                # leading zeros; an Arabic-Indic digit
]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_odd_cells_give_the_same_problems_and_values(tmp_path, monkeypatch, delimiter):
    data = _kecil_register(tmp_path)
    header = "desa,penduduk,wajib_ktp,kegiatan_tepat_waktu,rumah_ibadah,keuangan_tertib"
    lines = [header] + ODD_ROWS
    (data / "2022" / "isian.csv").write_text("\n".join(l.replace(",", delimiter) for l in lines) + "\n",
                                             encoding="utf-8")
    assert plain_text_table(connect(), data / "2022" / "isian.csv", "2022/isian.csv", "desa") is not None
    fast, careful = _both(data, monkeypatch)
    assert fast.problems == careful.problems
    assert len(fast.problems) >= 10
    pd.testing.assert_frame_equal(fast.observations, careful.observations)
    pd.testing.assert_frame_equal(fast.repeated, careful.repeated)


# Rows that DuckDB sorts as plain (exact code, plain cells) next to rows Python reads, including a
# desa given twice across the two (by code and by name), a short row and a row with no value.
SORTED_ROWS = [
    "3301010001,5,6,1,2,1",                   # plain
    "3301010002,,,,,",                        # plain, no value at all
    "3301010003, 5,abc,2,1,1",                # an exact code with odd cells
    "3301010001,7,,0,,",                      # plain, Alpha again
    "Beta,1,2,1,1,1",                         # by name: Beta again
    "3301010003",                             # a short row: Gamma again, without a value
    ",1,,,,",                                 # values without a desa
    "Alpha,\u00a0,,,,",                       # a no-break space only: Alpha again, without a value
    "3301010002,000000000001,1,1,1,1",        # twelve digits, leading zeros: plain
    "3301010002,1234567890123,1,1,1,1",       # thirteen digits: read in Python
    "Zeta,1,2,3,4,5",                         # not in the register
]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("desa_first", [True, False], ids=["desa first", "desa second"])
def test_rows_sorted_in_sql_give_the_same_problems_and_values(tmp_path, monkeypatch, delimiter, desa_first):
    data = _kecil_register(tmp_path)
    header = "desa,penduduk,wajib_ktp,kegiatan_tepat_waktu,rumah_ibadah,keuangan_tertib"
    lines = [header] + SORTED_ROWS
    if not desa_first:  # a number before the desa, a note after the values (ignored columns)
        lines = [f"no,{header},keterangan"] + [f"{i},{row}{',' * (5 - row.count(','))},catatan {i}"
                                               for i, row in enumerate(SORTED_ROWS, start=1)]
    text = "\n".join(line.replace(",", delimiter) for line in lines) + "\n"
    (data / "2022" / "isian.csv").write_bytes(text.encode("utf-8"))
    assert plain_text_table(connect(), data / "2022" / "isian.csv", "2022/isian.csv", "desa") is not None
    fast, careful = _both(data, monkeypatch)
    assert fast.problems == careful.problems
    kinds = [p.kode for p in fast.problems]
    # given again: Alpha twice (rows 4, 8), Beta thrice (rows 5, 9, 10), Gamma once (row 6): 2 + 3 + 1 = 6;
    # without a value: rows 2 (Beta), 6 (Gamma, short) and 8 (Alpha, a no-break space)
    assert kinds.count("desa_ganda") == 6 and kinds.count("baris_tanpa_nilai") == 3
    assert kinds.count("desa_kosong") == 1 and kinds.count("desa_tidak_dikenal") == 1
    pd.testing.assert_frame_equal(fast.observations, careful.observations)
    pd.testing.assert_frame_equal(fast.repeated, careful.repeated)


def test_crlf_lines_give_the_same_values(tmp_path, monkeypatch):
    data = _kecil_register(tmp_path)
    (data / "2022" / "isian.csv").write_bytes(b"desa,penduduk,kegiatan_tepat_waktu\r\n3301010001,12,1\r\n"
                                              b"3301010002,7,\r\n3301010003,,0")
    fast, careful = _both(data, monkeypatch)
    assert fast.problems == careful.problems
    pd.testing.assert_frame_equal(fast.observations, careful.observations)
    # 12 and 1 (Alpha), 7 (Beta), 0 (Gamma: the last line, without a line end)
    assert fast.observations["nilai"].tolist() == [12.0, 1.0, 7.0, 0.0]


@pytest.mark.parametrize(("name", "text", "plain"), [
    ("blank line wider than the header", "desa,penduduk\n,,\n1,2\n", False),  # 2 commas: 3 cells > 2
    ("last line wider, without a line end", "desa,penduduk\n1,2\n3,4,5", False),
    ("title row wider than the header", "a,b,c,d\ndesa,penduduk\n1,2\n", True),  # above the header: not a row
    ("header only, without a line end", "desa,penduduk", False),
    ("a line of 100,001 characters", "desa,penduduk\n1," + "9" * 99_999 + "\n", False),  # 2 + 99,999
    ("a line of 100,000 characters", "desa,penduduk\n1," + "9" * 99_998 + "\n", True),
    ("a line of 100,000 characters, 200,000 bytes", "desa,penduduk\n1," + "é" * 99_998 + "\n", True),
    ("a line of no-break spaces", "desa,penduduk\n\u00a0,\n1,2\n", True),
])
def test_which_files_are_plain_by_their_lines(tmp_path, name, text, plain):
    path = _write(tmp_path / "x.csv", text)
    table = plain_text_table(connect(), path, "x.csv", "desa")
    assert (table is not None) is plain
