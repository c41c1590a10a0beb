"""The stage (`ingest.stage`): where every file was read typed and no value is given twice, the
long observations are not written but are a view over the wide ones (`_obs_wide`, `_asal`), and
become a table only where a store keeps them. Expected rows are written out by hand from the
files below."""

from __future__ import annotations

import pandas as pd
import pytest

from iku_lib import load_dataset
from iku_lib.ingest.stage import _lazy, materialize_observations

REGISTER = "kode_desa,nama_desa\n3301010001,Alpha\n3301010002,Beta\n3301010003,Gamma\n"
FILES = {  # year -> file -> text; Beta gives no ktp_el in 2022, Gamma is not in 2023's penduduk.csv
    "2022": {"penduduk.csv": "desa,penduduk,ktp_el\n3301010002,300,\n3301010001,200,150\n3301010003,90,80\n",
             "rumah.csv": "desa,rtlh\n3301010003,4\n"},
    "2023": {"penduduk.csv": "desa,penduduk,ktp_el\n3301010001,210,160\n3301010002,310,290\n"},
}
# (tahun, kode_desa, variabel, nilai, berkas, baris, kolom) in reading order
EXPECTED = [
    (2022, "3301010002", "penduduk", 300.0, "2022/penduduk.csv", 2, "penduduk"),
    (2022, "3301010001", "penduduk", 200.0, "2022/penduduk.csv", 3, "penduduk"),
    (2022, "3301010001", "ktp_el", 150.0, "2022/penduduk.csv", 3, "ktp_el"),
    (2022, "3301010003", "penduduk", 90.0, "2022/penduduk.csv", 4, "penduduk"),
    (2022, "3301010003", "ktp_el", 80.0, "2022/penduduk.csv", 4, "ktp_el"),
    (2022, "3301010003", "rtlh", 4.0, "2022/rumah.csv", 2, "rtlh"),
    (2023, "3301010001", "penduduk", 210.0, "2023/penduduk.csv", 2, "penduduk"),
    (2023, "3301010001", "ktp_el", 160.0, "2023/penduduk.csv", 2, "ktp_el"),
    (2023, "3301010002", "penduduk", 310.0, "2023/penduduk.csv", 3, "penduduk"),
    (2023, "3301010002", "ktp_el", 290.0, "2023/penduduk.csv", 3, "ktp_el"),
]
COLUMNS = ["tahun", "kode_desa", "variabel", "nilai", "berkas", "baris", "kolom"]


def _write(folder, files_of_years):
    """A data directory of REGISTER and the year files `files_of_years` (year -> file -> text)."""
    for year, files in files_of_years.items():
        (folder / year).mkdir(parents=True)
        for name, text in files.items():
            (folder / year / name).write_text(text, encoding="utf-8")
    (folder / "desa.csv").write_text(REGISTER, encoding="utf-8")
    (folder / "target.csv").write_text("indikator,tahun,target\n", encoding="utf-8")
    return folder


@pytest.fixture
def data(tmp_path):
    return _write(tmp_path / "raw", FILES)


def _rows(dataset) -> list[tuple]:
    return [tuple(row) for row in dataset.observations[COLUMNS].itertuples(index=False)]


def test_typed_files_leave_a_view_that_gives_every_value_in_reading_order(data):
    dataset = load_dataset(data, store=False)
    assert _lazy(dataset.db)
    assert _rows(dataset) == EXPECTED
    assert dataset.repeated.empty
    assert dataset.db.execute("DESCRIBE _obs").fetchall() == dataset.db.execute("DESCRIBE _repeated").fetchall()
    types = [(name, kind) for name, kind, *_ in dataset.db.execute("DESCRIBE _obs").fetchall()]
    assert types == [("urut", "BIGINT"), ("tabel", "BIGINT"), ("tahun", "INTEGER"), ("p", "INTEGER"),
                     ("v", "INTEGER"), ("nilai", "DOUBLE"), ("baris", "BIGINT")]


def test_a_year_s_values_come_from_the_wide_table(data):
    values = load_dataset(data, store=False).values(2022)[["penduduk", "ktp_el", "rtlh"]]
    assert values.index.tolist() == ["3301010001", "3301010002", "3301010003"]
    assert values.fillna(-1).values.tolist() == [[200, 150, -1], [300, -1, -1], [90, 80, 4]]


def test_materializing_makes_the_same_rows_a_table_once(data):
    dataset = load_dataset(data, store=False)
    materialize_observations(dataset.db)
    assert not _lazy(dataset.db)
    tables = {name for (name,) in dataset.db.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary")
              .fetchall()}
    assert "_obs" in tables and "_asal" not in tables
    assert _rows(dataset) == EXPECTED
    materialize_observations(dataset.db)  # a table already: nothing to do
    assert _rows(dataset) == EXPECTED


def test_a_dataset_to_be_stored_is_read_long_and_loaded_with_the_same_observations(data, tmp_path):
    fresh = load_dataset(data, processed_dir=tmp_path / "processed")
    assert not fresh.store.reused and not _lazy(fresh.db)  # its rows written as read (`lazy=False`)
    loaded = load_dataset(data, processed_dir=tmp_path / "processed")
    assert loaded.store.reused
    assert _rows(loaded) == EXPECTED
    pd.testing.assert_frame_equal(loaded.observations, fresh.observations)
    pd.testing.assert_frame_equal(loaded.values(2023), fresh.values(2023))


def test_a_file_read_line_by_line_writes_the_typed_ones_long_too(data):
    """A cell the typed reader refuses (a number in quotes) sends 2023's file to the line reader:
    from then on every row is written long, those read typed before included."""
    (data / "2023" / "penduduk.csv").write_text("desa,penduduk,ktp_el\n3301010001,210,160\n3301010002,\"310\",290\n",
                                                encoding="utf-8")
    dataset = load_dataset(data, store=False)
    assert not _lazy(dataset.db)
    assert _rows(dataset) == EXPECTED


@pytest.mark.parametrize("rows", [1, 3, 4, 500_000])
def test_the_wide_table_is_the_same_whatever_years_are_joined_at_once(data, monkeypatch, rows):
    """`WIDEN_ROWS` desa rows a statement: 3 desa, so 1 and 3 join a year at a time, 4 and more
    both years at once. The rows, written out by hand: (tahun, p, penduduk, ktp_el, rtlh)."""
    from iku_lib.ingest import stage

    monkeypatch.setattr(stage, "WIDEN_ROWS", rows)
    dataset = load_dataset(data, store=False)
    v = dict(dataset.db.execute("SELECT variabel, v FROM _variabel").fetchall())
    wide = dataset.db.execute(f"SELECT tahun, p, x{v['penduduk']}, x{v['ktp_el']}, x{v['rtlh']} FROM _obs_wide").fetchall()
    assert wide == [(2022, 0, 200.0, 150.0, None), (2022, 1, 300.0, None, None), (2022, 2, 90.0, 80.0, 4.0),
                    (2023, 0, 210.0, 160.0, None), (2023, 1, 310.0, 290.0, None)]
    left = dataset.db.execute("SELECT count(*) FROM duckdb_tables() WHERE starts_with(table_name, '_w')").fetchall()
    assert left == [(0,)]
    assert _rows(dataset) == EXPECTED


def test_a_view_saved_to_a_store_is_read_back_as_the_same_observations(data, tmp_path):
    """As `iku report` does outside a project (`report.runner._temporary_store`): a dataset read
    without a store, its `_obs` a view, saved afterwards."""
    from iku_lib.ingest import store

    dataset = load_dataset(data, store=False)
    assert _lazy(dataset.db)
    assert store.save(dataset, tmp_path / "olahan") is not None
    assert not _lazy(dataset.db) and _rows(dataset) == EXPECTED
    loaded = load_dataset(data, processed_dir=tmp_path / "olahan")
    assert loaded.store.reused
    assert _rows(loaded) == EXPECTED
    pd.testing.assert_frame_equal(loaded.db.execute("SELECT * FROM _obs_wide").df(),
                                  dataset.db.execute("SELECT * FROM _obs_wide").df())


IN_ORDER = {  # year -> file -> text: every file lists the three desa in register order
    "2022": {"penduduk.csv": "desa,penduduk,ktp_el\n3301010001,200,150\n3301010002,300,\n3301010003,90,80\n",
             "rumah.csv": "desa,rtlh\n3301010001,5\n3301010002,7\n3301010003,4\n"},
    "2023": {"penduduk.csv": "desa,penduduk,ktp_el\n3301010001,210,160\n3301010002,310,290\n3301010003,95,85\n",
             "rumah.csv": "desa,rtlh\n3301010001,6\n3301010002,7\n3301010003,3\n"},
}
# (tahun, p, penduduk, ktp_el, rtlh), from the files by hand
IN_ORDER_WIDE = [(2022, 0, 200.0, 150.0, 5.0), (2022, 1, 300.0, None, 7.0), (2022, 2, 90.0, 80.0, 4.0),
                 (2023, 0, 210.0, 160.0, 6.0), (2023, 1, 310.0, 290.0, 7.0), (2023, 2, 95.0, 85.0, 3.0)]


def _wide(dataset) -> list[tuple]:
    v = dict(dataset.db.execute("SELECT variabel, v FROM _variabel").fetchall())
    return dataset.db.execute(f"SELECT tahun, p, x{v['penduduk']}, x{v['ktp_el']}, x{v['rtlh']} FROM _obs_wide").fetchall()


@pytest.mark.parametrize("rows", [1, 3, 500_000])
def test_tables_of_every_desa_in_register_order_are_put_side_by_side(tmp_path, monkeypatch, rows):
    """Each year's two files list every desa in register order: their rows are put side by side
    (no join, no sort), a year or both years a statement; the same wide table as by the join."""
    from iku_lib.ingest import stage

    monkeypatch.setattr(stage, "WIDEN_ROWS", rows)
    sides: list[bool] = []
    joined = stage._joined

    def spy(*args):
        parts = joined(*args)
        sides.extend(side for _, _, side in parts.values())
        return parts

    monkeypatch.setattr(stage, "_joined", spy)
    data = _write(tmp_path / "urut", IN_ORDER)
    side_by_side = load_dataset(data, store=False)
    assert sides == [True, True]
    assert _wide(side_by_side) == IN_ORDER_WIDE
    monkeypatch.setattr(stage, "_counting_up", lambda *args: set())  # every year joined and sorted
    by_join = load_dataset(data, store=False)
    assert sides == [True, True, False, False]
    assert _wide(by_join) == IN_ORDER_WIDE
    assert side_by_side.problems == by_join.problems
    pd.testing.assert_frame_equal(side_by_side.observations, by_join.observations)


def test_a_table_is_put_side_by_side_only_if_its_desa_count_up_from_0(tmp_path):
    from iku_lib.ingest.database import connect
    from iku_lib.ingest.stage import _counting_up

    db = connect()
    for name, ps in (("_a", [0, 1, 2]), ("_b", [0, 2, 1]), ("_c", [0, 1]), ("_d", [0, 1, 2, 2])):
        db.execute(f"CREATE TABLE {name} AS SELECT unnest(?::INTEGER[]) AS p", [ps])
    wide = {n: (name, 2023, [0]) for n, name in enumerate(("_a", "_b", "_c", "_d"))}
    assert _counting_up(db, wide, {0, 1, 2, 3}, 3) == {0}
    assert _counting_up(db, wide, {1, 2}, 3) == set()


def test_rows_written_out_of_order_are_sorted_again():
    """Should DuckDB ever scan the rows put side by side out of (year, desa) order, they are
    sorted again; rows in order are left as they are."""
    from iku_lib.ingest.database import connect
    from iku_lib.ingest.stage import _check_order

    db = connect()
    rows = [(2022, 0, 1.0), (2022, 1, 2.0), (2023, 1, 4.0), (2023, 0, 3.0)]
    db.execute("CREATE TABLE _obs_wide AS SELECT * FROM (VALUES " + ", ".join(map(str, rows)) + ") t(tahun, p, x0)")
    _check_order(db, [2022], 2)
    assert db.execute("SELECT * FROM _obs_wide").fetchall() == rows  # 2022 in order: untouched
    _check_order(db, [2022, 2023], 2)
    assert db.execute("SELECT * FROM _obs_wide").fetchall() == sorted(rows)
