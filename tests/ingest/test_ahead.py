"""Reading ahead (`ahead`) changes nothing but when the work is done.

Every data case under tests/data (and the shipped data) is read with and without it: the
problems, the observations, the repeated values and the wide table must be identical. On data
made here, which files were taken from the workers is checked, so that a read-ahead never
used cannot pass unnoticed; so are a read-ahead worked out for other columns, the window, the
store's CHECKPOINT while workers run, and an error in the middle.
"""

from __future__ import annotations

import threading
import time

import pytest

from iku_lib import load_dataset
from iku_lib.exceptions import IkuError
from iku_lib.ingest import ahead, dataset
from iku_lib.ingest.regular import Shape, TypedRead

from ..conftest import DATA, RAW
from .both_ways import assert_same_dataset, read_both_ways

CASES = sorted(p for p in DATA.iterdir() if p.is_dir() and ((p / "desa.csv").exists() or (p / "iku.yaml").exists()))
REGISTER = "kode_desa,nama_desa\n3301010001,Alpha\n3301010002,Beta\n3301010003,Gamma\n"
PENDUDUK = "desa,penduduk,wajib_ktp,ktp_el\n3301010001,{a},1500,1450\n3301010002,3000,2000,1990\n"
PEMERINTAHAN = "desa,perangkat_desa,perangkat_melanggar\n3301010001,20,1\n3301010003,16,{b}\n"
YEARS = (2019, 2020, 2021, 2022, 2023)


def _data(tmp_path, years=YEARS):
    data = tmp_path / "data"
    for i, year in enumerate(years):
        (data / str(year)).mkdir(parents=True)
        (data / str(year) / "penduduk.csv").write_text(PENDUDUK.format(a=2000 + i), encoding="utf-8")
        (data / str(year) / "pemerintahan.csv").write_text(PEMERINTAHAN.format(b=i), encoding="utf-8")
    (data / "desa.csv").write_text(REGISTER, encoding="utf-8")
    (data / "target.csv").write_text("indikator,tahun,target\n", encoding="utf-8")
    return data


def _both(data_dir, monkeypatch):
    return read_both_ways(data_dir, monkeypatch, ahead)


_same = assert_same_dataset


def _left_over(db) -> list[str]:
    """Tables a worker made that are still there, in any database."""
    return [name for (name,) in db.execute("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '_ahead%'")
            .fetchall()]


def _watch(monkeypatch) -> list[bool]:
    """Whether each typed read was taken from a worker, in order."""
    taken: list[bool] = []
    take = ahead.ReadAhead.take

    def spy(self, table, read):
        found = take(self, table, read)
        taken.append(found is not None)
        return found

    monkeypatch.setattr(ahead.ReadAhead, "take", spy)
    return taken


@pytest.mark.parametrize("data_dir", CASES + [RAW], ids=lambda p: p.name)
def test_both_ways_give_the_same_dataset(data_dir, monkeypatch):
    try:
        early, plain = _both(data_dir, monkeypatch)
    except IkuError:  # a catalog or directory error comes before any file is read
        return
    _same(early, plain)
    assert _left_over(early.db) == []


def test_every_regular_file_is_taken_from_the_workers(tmp_path, monkeypatch):
    data = _data(tmp_path)
    taken = _watch(monkeypatch)
    early, plain = _both(data, monkeypatch)
    assert taken == [True] * 10  # 5 years x 2 files; without read-ahead `take` is never asked
    _same(early, plain)
    values = early.observations.query("variabel == 'penduduk' and kode_desa == '3301010001'")["nilai"].tolist()
    assert values == [2000.0, 2001.0, 2002.0, 2003.0, 2004.0]
    assert _left_over(early.db) == []
    assert not [t for t in threading.enumerate() if t.name.startswith("iku-ahead")]


def test_a_worker_that_saw_other_columns_leaves_the_read_to_the_reader(tmp_path, monkeypatch):
    """The workers see one variable fewer in each header than the reader: their typed read was
    worked out for other columns, so the reader works out its own (and refuses theirs)."""
    data = _data(tmp_path)
    header_problems = ahead.header_problems
    asked: list[int] = []
    typed_read = ahead.typed_read

    def fewer(*args):
        variables, problems = header_problems(*args)
        return variables[:-1], problems

    def counted(table, year, variables, kinds, var_pos):
        asked.append(len(variables))
        return typed_read(table, year, variables, kinds, var_pos)

    monkeypatch.setattr(ahead, "header_problems", fewer)
    monkeypatch.setattr(ahead, "typed_read", counted)
    taken = _watch(monkeypatch)
    early, plain = _both(data, monkeypatch)
    assert taken == [False] * 10
    _same(early, plain)
    assert sorted(asked) == [1] * 5 + [2] * 10 + [3] * 5  # the workers' (one fewer) and the reader's own
    assert _left_over(early.db) == []


def test_the_reader_uses_the_workers_look_at_a_table(tmp_path, monkeypatch):
    """Worked out from the same columns, the worker's typed read is the reader's: whether the
    table can be read typed is looked at once per file, not twice."""
    data = _data(tmp_path)
    looks: list[int] = []
    original = Shape.qualifies

    def counted(self, *args):
        looks.append(1)
        return original(self, *args)

    monkeypatch.setattr(Shape, "qualifies", counted)
    taken = _watch(monkeypatch)
    early, plain = _both(data, monkeypatch)
    assert taken == [True] * 10
    assert len(looks) == 10 + 10  # read ahead: once per file (by a worker); without: once per file (by the reader)
    _same(early, plain)


def test_a_worker_that_cannot_read_a_file_leaves_it_to_the_reader(tmp_path, monkeypatch):
    """DuckDB refusing a worker's read (here: a SELECT that cannot run) is what the reader gets
    too; the file then goes to the line reader, with the same dataset."""
    data = _data(tmp_path, years=(2023,))
    run = ahead.run_typed_read
    monkeypatch.setattr(ahead, "run_typed_read",
                        lambda db, read, wide, temporary: run(db, TypedRead("SELECT no_such_column", read.flags, read.variables),
                                                              wide, temporary))
    taken = _watch(monkeypatch)
    early, plain = _both(data, monkeypatch)
    assert taken == [True, True]  # taken: (no table, no checks), so the reader uses the line reader
    _same(early, plain)
    assert _left_over(early.db) == []


def test_no_more_files_than_the_window_are_read_ahead(tmp_path, monkeypatch):
    """Every file is looked at from the start; only WINDOW of them are read typed (a table of
    values each) beyond the one being read."""
    data = _data(tmp_path)
    seen: list[tuple[int, int]] = []  # (files submitted, file being read) after each fill
    fill = ahead.ReadAhead._fill

    def spy(self):
        fill(self)
        seen.append((len(self._jobs), self._at))

    monkeypatch.setattr(ahead, "WINDOW", 2)
    monkeypatch.setattr(ahead.ReadAhead, "_fill", spy)
    load_dataset(data, store=False)
    assert seen == [(2, 0), (3, 1), (4, 2), (5, 3), (6, 4), (7, 5), (8, 6), (9, 7), (10, 8), (10, 9), (10, 10)]


def test_the_files_are_looked_at_while_the_register_is_read(tmp_path, monkeypatch):
    """The looks need only the catalog: all ten are asked for before the register is read, and
    none keeps its table's shape once it is known how the table is read."""
    data = _data(tmp_path)
    made: list[ahead.ReadAhead] = []
    init = ahead.ReadAhead.__init__

    def spy_init(self, *args):
        init(self, *args)
        made.append(self)

    asked_before: list[int] = []
    read_register = dataset.read_register_keys

    def spy_register(data_dir):
        asked_before.append(len(made[0]._looks) if made else -1)
        return read_register(data_dir)

    monkeypatch.setattr(ahead.ReadAhead, "__init__", spy_init)
    monkeypatch.setattr(dataset, "read_register_keys", spy_register)
    taken = _watch(monkeypatch)
    load_dataset(data, store=False)
    assert asked_before == [10]
    assert taken == [True] * 10
    assert [look.result().table.shape for look in made[0]._looks] == [None] * 10


def test_a_dataset_to_be_stored_checkpoints_between_years(tmp_path, monkeypatch):
    """Stored, the long rows are written as the files are read and compressed after each year (a
    CHECKPOINT, which DuckDB refuses while another connection writes): the same dataset."""
    data = _data(tmp_path)
    taken = _watch(monkeypatch)
    run = ahead.run_typed_read

    def slow(db, read, wide, temporary):  # each worker's write stays open for a while
        db.execute("BEGIN TRANSACTION")
        found = run(db, read, wide, temporary)
        time.sleep(0.05)
        db.execute("COMMIT")
        return found

    monkeypatch.setattr(ahead, "run_typed_read", slow)
    early = load_dataset(data, processed_dir=tmp_path / "a")
    monkeypatch.setattr(ahead, "ENABLED", False)
    plain = load_dataset(data, processed_dir=tmp_path / "b")
    assert taken == [True] * 10
    assert not early.store.reused and not plain.store.reused
    _same(early, plain)


def test_an_error_while_reading_stops_the_workers(tmp_path, monkeypatch):
    data = _data(tmp_path)
    read = dataset._read_year_file
    calls = []

    def failing(path, *args):
        calls.append(path)
        if len(calls) == 3:
            raise RuntimeError("disk hilang")
        return read(path, *args)

    monkeypatch.setattr(dataset, "_read_year_file", failing)
    with pytest.raises(RuntimeError, match="disk hilang"):
        load_dataset(data, store=False)
    assert not [t for t in threading.enumerate() if t.name.startswith("iku-ahead")]
