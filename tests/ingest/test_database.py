"""DuckDB's memory limit: IKU_BATAS_MEMORI, checked; DuckDB running out of it is said plainly."""

from __future__ import annotations

import duckdb
import pytest

from iku_lib.cli import main as cli
from iku_lib.exceptions import ParameterError
from iku_lib.ingest.database import MEMORY_LIMIT, MEMORY_VARIABLE, connect, memory_limit

from ..conftest import KECIL


@pytest.mark.parametrize("given, expected", [("1GB", "1GB"), (" 512mb ", "512MB"), ("1.5GiB", "1.5GiB"),
                                             ("100MB", "100MB")])
def test_the_limit_can_be_set(monkeypatch, given, expected):
    monkeypatch.setenv(MEMORY_VARIABLE, given)
    assert memory_limit() == expected


def test_without_the_variable_the_default_holds(monkeypatch):
    monkeypatch.delenv(MEMORY_VARIABLE, raising=False)
    assert memory_limit() == MEMORY_LIMIT == "300MB"
    monkeypatch.setenv(MEMORY_VARIABLE, "  ")  # set but empty, as `IKU_BATAS_MEMORI= iku ...` leaves it
    assert memory_limit() == "300MB"


def test_the_database_uses_it(monkeypatch):
    monkeypatch.setenv(MEMORY_VARIABLE, "1GB")
    (setting,) = connect().execute("SELECT current_setting('memory_limit')").fetchone()
    assert setting in ("953.6 MiB", "1000.0 MB")  # DuckDB shows 10^9 bytes in MiB: 1e9 / 2^20 = 953.67


@pytest.mark.parametrize("given", ["banyak", "2TB", "99MB", "0.05GB", "1 G", "-1GB"])
def test_a_limit_that_is_not_one_is_refused(monkeypatch, given):
    monkeypatch.setenv(MEMORY_VARIABLE, given)
    with pytest.raises(ParameterError, match=f"{MEMORY_VARIABLE}={given.strip()}: .*paling kecil 100MB"):
        memory_limit()


def test_the_command_refuses_a_bad_limit_in_one_line(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv(MEMORY_VARIABLE, "banyak")
    assert cli.main(["validate", "--data-dir", str(KECIL), "--out", str(tmp_path / "masalah.csv")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{MEMORY_VARIABLE}=banyak: batas memori tidak dikenal")
    assert len(err.splitlines()) == 1


def test_running_out_of_memory_is_said_without_a_traceback(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv(MEMORY_VARIABLE, raising=False)

    def exhausted(*args, **kwargs):
        raise duckdb.OutOfMemoryException("Out of Memory Error: failed to allocate data of size 16.0 KiB")

    monkeypatch.setattr(cli, "export_table", exhausted)
    assert cli.main(["compute", "--year", "2022", "--data-dir", str(KECIL), "--out", str(tmp_path / "x.csv")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("GALAT: memori tidak cukup untuk data sebesar ini")
    assert "batasnya, 300MB" in err and f"{MEMORY_VARIABLE}=1GB iku" in err and "--year" in err


def test_other_errors_of_duckdb_are_not_called_memory(monkeypatch):
    monkeypatch.setattr(cli, "export_table", lambda *a, **k: (_ for _ in ()).throw(duckdb.IOException("disk")))
    with pytest.raises(duckdb.IOException):
        cli.main(["compute", "--year", "2022", "--data-dir", str(KECIL)])


def test_small_reads_share_one_database_a_process(monkeypatch):
    """`scratch` opens one database a process and hands out connections to it (a new database
    costs about 10 ms), each with its own temporary tables; another process (a fork: another
    process id) gets a database of its own."""
    from iku_lib.ingest import database

    first, second = database.scratch(), database.scratch()
    first.execute("CREATE OR REPLACE TABLE memory.main._dibagi AS SELECT 1 AS x")
    first.execute("CREATE TEMP TABLE _sendiri AS SELECT 1 AS x")
    assert second.execute("SELECT x FROM memory.main._dibagi").fetchall() == [(1,)]
    assert second.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = '_sendiri'").fetchall() == [(0,)]
    first.close()
    monkeypatch.setattr(database.os, "getpid", lambda: -1)
    other = database.scratch()
    assert other.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = '_dibagi'").fetchall() == [(0,)]
    second.execute("DROP TABLE memory.main._dibagi")
    for connection in (second, other):
        connection.close()
    database._SCRATCH.pop(-1).close()


def test_tables_taking_more_than_half_the_memory_limit_are_compressed():
    """A CHECKPOINT compresses the tables held in memory when they take more than half of
    DuckDB's limit (here 10 MB: a million pairs of integers, 16 MB, partly spilled), not before."""
    from iku_lib.ingest.database import compress_when_large

    db = connect()
    db.execute("SET memory_limit = '10MB'")
    db.execute("CREATE TABLE kecil AS SELECT range AS x FROM range(1000)")
    assert not compress_when_large(db)
    db.execute("CREATE TABLE besar AS SELECT range AS x, range * 2 AS y FROM range(1000000)")
    held = "SELECT sum(memory_usage_bytes + temporary_storage_bytes) FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'"
    before = db.execute(held).fetchall()[0][0]
    assert before > 5 * 2 ** 20
    assert compress_when_large(db)
    assert db.execute(held).fetchall()[0][0] < before / 10
    assert db.execute("SELECT sum(x), sum(y) FROM besar").fetchall() == [(499999500000, 999999000000)]
