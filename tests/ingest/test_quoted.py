"""Registers and targets with quoted cells: DuckDB's CSV reader (`quoted`) gives what the careful
reader gives, cell for cell, or leaves the file to it.

Each text is read by `read_register` twice, once with the DuckDB readers (`textsql`, `quoted`)
and once with every file going through `reading`: the register and the problems must be equal.
Whether `quoted` took the file is asserted too, so a case meant to test it cannot quietly pass
through the careful reader.
"""

from __future__ import annotations

import pandas as pd
import pytest

from iku_lib.ingest import textsql
from iku_lib.ingest.quoted import quoted_table
from iku_lib.ingest.register import read_register
from iku_lib.ingest.targets import read_targets

HEADER = "kode_desa,nama_desa,kode_kecamatan,nama_kecamatan\n"


def _both(tmp_path, text: bytes, monkeypatch, name: str = "desa.csv"):
    (tmp_path / name).write_bytes(text)
    fast = read_register(tmp_path)
    monkeypatch.setattr(textsql, "ENABLED", False)
    careful = read_register(tmp_path)
    monkeypatch.setattr(textsql, "ENABLED", True)
    return fast, careful


# Read by `quoted` (the same register as the careful reader's)
TAKEN = {
    "comma in a name": HEADER + '3323070001,"Banjar (Banjar, Buleleng)",332307,Kaloran\n'
                                '3323070002,Tegowanuh,332307,"Kaloran, Temanggung"\n',
    "every cell quoted but the code": HEADER + '3323070001,"Gandulan","332307","Kaloran"\n',
    "quoted header": '"kode_desa","nama_desa"\n3323070001,"A, B"\n',
    "crlf": (HEADER + '3323070001,"A, B",332307,K\n3323070002,C,332307,"K, L"\n').replace("\n", "\r\n"),
    "no line end at the end": HEADER + '3323070001,"A, B",332307,K',
    "crlf, no line end at the end": (HEADER + '3323070001,"A, B",332307,K\n3323070002,C,332307,K').replace(
        "\n", "\r\n"),
    "empty quoted and unquoted cells": HEADER + '3323070001,"",332307,\n3323070002,B,,""\n',
    "a quoted cell at the end of a line": HEADER + '3323070001,B,332307,"K, L"\n',
    "spaces kept": HEADER + '3323070001," B ,",332307, K \n',
    "title rows above the header": 'Daftar desa,"Kabupaten Temanggung, 2023"\n\n' + HEADER
                                   + '3323070001,"A, B",332307,K\n',
    "semicolons": HEADER.replace(",", ";") + '3323070001;"A; B";332307;K\n',
    "a byte order mark": "\ufeff" + '"kode_desa",nama_desa\n3323070001,"A, B"\n',
    "non-ASCII names": HEADER + '3323070001,"Tegal Sari, Ngâwi",332307,"Kaloran"\n',
}

# Left to the careful reader (which gives what it gives: errors, warnings or a register)
LEFT = {
    "doubled quotes": HEADER + '3323070001,"A ""B"" C",332307,K\n',
    "quote inside a cell": HEADER + '3323070001,A"B,332307,K\n',
    "text after a closing quote": HEADER + '3323070001,"A"B,332307,K\n',
    "space before an opening quote": HEADER + '3323070001, "A, B",332307,K\n',
    "line break inside quotes": HEADER + '3323070001,"A\nB",332307,K\n',
    "an odd quote": HEADER + '3323070001,"A,332307,K\n',
    "a blank line": HEADER + '3323070001,"A, B",332307,K\n\n3323070002,C,332307,K\n',
    "a short row": HEADER + '3323070001,"A, B",332307\n',
    "a wide row": HEADER + '3323070001,"A, B",332307,K,X\n',
    "a row starting with a quote": HEADER + '"3323070001","A, B",332307,K\n',
    "a row starting with a space": HEADER + ' 3323070001,"A, B",332307,K\n',
    "a repeated column": 'kode_desa,nama_desa,Nama_Desa\n1,"A, B",C\n',
    "mixed line ends": HEADER + '3323070001,"A, B",332307,K\r\n3323070002,C,332307,K\n',
    "a control character": HEADER + '3323070001,"A,\x07B",332307,K\n',
    "no quote at all": HEADER + "3323070001,A,332307,K\n",  # (textsql's)
}


@pytest.mark.parametrize("name", TAKEN)
def test_simply_quoted_registers_are_read_by_duckdb_alike(tmp_path, monkeypatch, name):
    text = TAKEN[name].encode("utf-8")
    (fast, fast_problems), (careful, careful_problems) = _both(tmp_path, text, monkeypatch)
    assert quoted_table(tmp_path / "desa.csv", "desa.csv", "kode_desa") is not None
    pd.testing.assert_frame_equal(fast, careful)
    assert fast_problems == careful_problems
    assert len(fast) >= 1


@pytest.mark.parametrize("name", LEFT)
def test_other_quotes_are_left_to_the_careful_reader(tmp_path, monkeypatch, name):
    text = LEFT[name].encode("utf-8")
    (fast, fast_problems), (careful, careful_problems) = _both(tmp_path, text, monkeypatch)
    assert quoted_table(tmp_path / "desa.csv", "desa.csv", "kode_desa") is None
    pd.testing.assert_frame_equal(fast, careful)
    assert fast_problems == careful_problems


def test_cells_as_written_by_hand(tmp_path):
    (tmp_path / "desa.csv").write_bytes(b'\xef\xbb\xbf"kode_desa",Nama Desa\r\n3323070001,"A, B"\r\n'
                                        b'3323070002,""\r\n3323070003, C ')
    table = quoted_table(tmp_path / "desa.csv", "desa.csv", "kode_desa")
    assert table.header_row == 1
    assert table.columns_as_written == {"kode_desa": "kode_desa", "nama_desa": "Nama Desa"}
    assert table.frame.index.tolist() == [2, 3, 4]
    assert table.frame.to_dict("list") == {"kode_desa": ["3323070001", "3323070002", "3323070003"],
                                           "nama_desa": ["A, B", "", " C "]}


def test_targets_with_quoted_cells_alike(tmp_path, monkeypatch):
    (tmp_path / "target.csv").write_text('indikator,tahun,target,kode_wilayah,catatan\n'
                                         'IKU-01,2023,90,,"naik, dari renstra"\nIKU-01,2023,92,332307,""\n',
                                         encoding="utf-8")
    assert quoted_table(tmp_path / "target.csv", "target.csv", "indikator") is not None
    fast = read_targets(tmp_path, ["IKU-01"], {"332307"}, top_codes=["332307"])
    monkeypatch.setattr(textsql, "ENABLED", False)
    careful = read_targets(tmp_path, ["IKU-01"], {"332307"}, top_codes=["332307"])
    pd.testing.assert_frame_equal(fast[0], careful[0])
    assert fast[1] == careful[1]
    assert fast[0]["target"].tolist() == [90.0, 92.0]


@pytest.mark.parametrize(("data", "simple"), [
    (b'k,n\n1,"A, B"\n', True),
    (b'"k",n\r\n1,"A"\r\n', True),
    (b'\xef\xbb\xbf"k",n\n1,""', True),  # after a byte order mark; a last line without its line end
    (b'k,n\n1,"A\nB"\n', False),  # a line break inside quotes
    (b'k,n\n1,"A"B\n', False),  # text after the closing quote
    (b'k,n\n1,A"B"\n', False),  # an opening quote inside a cell
    (b'k,n\n1, "A"\n', False),  # a space before the opening quote
    (b'k,n\n1,"A ""B"" C"\n', False),  # doubled quotes
    (b'k,n\n1,"A\n', False),  # an odd quote
])
def test_simple_quotes_by_hand(data, simple):
    from iku_lib.ingest.quoted import _simple_quotes

    assert _simple_quotes(data, ",") is simple
