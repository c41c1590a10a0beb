"""Reading ahead: the year files looked at and read typed on other threads.

The bulk of a delivery is regular plain text files (`regular`). DuckDB reads each of them with
one thread (a national file is one row group), and Python's look at a file's bytes
(`textsql.text_head`, `regular.shape_of`) uses one core too, so files read one after another
leave the other cores idle. `ReadAhead` does that work on worker threads, each with its own
DuckDB connection to the same database, while `dataset` reads the files in order with the
same code as without it. The look needs only the catalog, so every file is looked at from the
start, while the register is read (national, `--level kecamatan`: the year files' loop 0.41 ->
0.18 s, the register 0.28 -> 0.36 s, whole runs 2.30 -> 2.16 s, measured); the typed reads
need the register's codes (`_kode`) and start once they are known (`start`). A file takes what
was read ahead for it only where it is exactly what that code would do itself: the same table
found in the file, and the same typed SELECT (`regular.TypedRead`). So nothing read ahead can
change a number, a problem or their order; anything else is read as before, and a table read
ahead but not taken is dropped.

A look keeps only what it found, not the table's shape (8 bytes a cell), and at most WINDOW
files beyond the one being read are read typed ahead, so memory does not grow with the number
of files.
"""

from __future__ import annotations

import itertools
import queue
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .catalog import Catalog
from .database import current_database, identifier, use_database_of
from .register import DesaLookup
from .regular import TypedRead, run_typed_read, typed_read
from .stage import Stage
from .textsql import SqlTable, plain_text_table
from .values import DESA_COLUMN, header_problems

ENABLED = True  # False reads every file on the calling thread only (tests compare both ways)
WORKERS = 2  # worker threads, each with its own DuckDB connection
WINDOW = 3  # files read typed ahead of the one being read (each a table of its values)
_numbers = itertools.count()


@dataclass
class _Early:
    """What was found ahead for one file: its regular table (None: the file is read as before),
    how it would be read typed, and the table made that way with its checks (`wide` None: none
    made, `found` None: DuckDB could not read it so)."""

    table: SqlTable | None
    read: TypedRead | None = None
    asked: tuple | None = None  # (year, variables, kinds) `read` was worked out for
    wide: str | None = None
    found: tuple | None = None
    taken: bool = False


class ReadAhead:
    """Read the year `files` ((path, label, year), in the order `dataset` reads them) ahead; a
    context manager: on leaving it, every worker has stopped and every table read ahead and not
    taken is dropped.

    Two steps, so that the first needs nothing but the catalog. Made, it looks at every file at
    once (its table and how it would be read typed: the bytes' look, on the workers while the
    register is read); `start(stage, lookup)`, once the register's codes are known, reads the
    files typed, at most WINDOW beyond the one being read. `dataset._read_year_file` asks
    `table(path)` for each file in turn, and `regular.read_regular_values` asks
    `take(table, read)`."""

    def __init__(self, db, catalog: Catalog, files: list[tuple[Path, str, int]]) -> None:
        self._db, self._catalog = db, catalog
        self._files = files if ENABLED else []
        self._var_pos = catalog.variable_positions  # (equal to the stage's `var_pos`)
        self._looks: list[Future] = []  # one per file: what the look found (`_look`)
        self._jobs: list[Future] = []  # one per file asked for or within the window: the typed read (`_read`)
        self._given: dict[int, _Early] = {}  # id of a table handed out -> what was found for it
        self._at = 0  # the file asked for next
        self._cursors: list = []
        self._stage: Stage | None = None
        self._pool: ThreadPoolExecutor | None = None
        if not self._files:
            return
        self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="iku-ahead")
        # (every look is queued before any read, so a read waiting for its look never waits for a
        # look no worker has taken)
        self._looks = [self._pool.submit(self._look, *file) for file in self._files]

    def start(self, stage: Stage, lookup: DesaLookup) -> None:
        """Read the files typed for `stage`, whose `_kode` (the register's codes) `lookup` gives."""
        if not self._files:
            return
        stage.exact_codes(lookup)  # `_kode`, which the typed reads join
        # The workers read `_kode` where the stage keeps its tables, and make theirs in their
        # connection's own default database. While a worker wrote to the stage's database, each
        # small insert there waited for it (10 inserts: 0.01 -> 0.2 s), and DuckDB would refuse
        # the CHECKPOINT `dataset` makes there after each year.
        self._cursors = [self._db.cursor() for _ in range(WORKERS)]
        self._home = current_database(self._cursors[0])
        self._free: queue.SimpleQueue = queue.SimpleQueue()
        for cursor in self._cursors:
            self._free.put(use_database_of(self._db, cursor))
        self._stage = stage
        stage.ahead = self
        self._fill()

    def __enter__(self) -> "ReadAhead":
        return self

    def __exit__(self, kind, error, trace) -> None:
        if error is not None:  # stop what is not needed any more, quickly; the database goes with the error
            for job in self._looks + self._jobs:
                job.cancel()
            for cursor in self._cursors:
                cursor.interrupt()
        self.close(drop=error is None)

    def table(self, path: Path) -> SqlTable | None:
        """The regular table of file `path` found ahead, or None: the file is not regular (or not
        the one expected next), and is read as without `ReadAhead`."""
        at = self._at
        if at >= len(self._files) or self._files[at][0] != path:
            return None
        self._at += 1
        self._fill()
        early = self._jobs[at].result()
        if early.table is not None:
            self._given[id(early.table)] = early
        return early.table

    def typed_read(self, table: SqlTable, year: int, variables: list[str], kinds: list[str],
                   var_pos: dict[str, int]) -> TypedRead | None:
        """`regular.typed_read` of `table`: the worker's, when it worked it out from the same year,
        variables and kinds (a pure function of them: the same result, without looking at the
        table's shape a second time); else worked out here."""
        early = self._given.get(id(table))
        if (early is not None and early.table is table and early.asked == (year, tuple(variables), tuple(kinds))
                and var_pos == self._var_pos):
            return early.read
        if early is not None and early.table is table and table.shape is None:  # let go by the worker: looked at again
            again = plain_text_table(None, table.path, table.berkas, DESA_COLUMN, regular=True, irregular=False)
            same = again is not None and (again.header_row, again.positions) == (table.header_row, table.positions)
            table.shape = again.shape if same else None
        return typed_read(table, year, variables, kinds, var_pos)

    def take(self, table: SqlTable, read: TypedRead) -> tuple[str | None, tuple | None] | None:
        """(the table made, its checks) for `table` when it was read ahead by `read`; else None,
        and the caller reads it itself."""
        early = self._given.pop(id(table), None)
        if early is None or early.table is not table:
            return None
        if early.read != read:
            self._drop(early)
            return None
        early.taken = True
        return early.wide, early.found

    def close(self, drop: bool = True) -> None:
        """Wait for the workers, drop the tables read ahead and not taken (with `drop`), close the
        connections."""
        if self._stage is not None:
            self._stage.ahead = None
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        for job in self._jobs if drop else []:
            if not job.cancelled() and job.exception() is None:
                self._drop(job.result())
        for cursor in self._cursors:
            cursor.close()

    def _fill(self) -> None:
        while len(self._jobs) < min(len(self._files), self._at + WINDOW):
            self._jobs.append(self._pool.submit(self._read, len(self._jobs)))

    def _look(self, path: Path, label: str, year: int) -> _Early:
        """On a worker: the file's regular table, and how it would be read typed. The table's
        shape is let go once that is known (8 bytes a cell, for every file at once)."""
        table = plain_text_table(None, path, label, DESA_COLUMN, regular=True, irregular=False)
        if table is None:
            return _Early(None)
        variables, _ = header_problems(table.columns, table, year, self._catalog)
        kinds = [self._catalog.variable_kind(v) for v in variables]
        if not variables:
            return _Early(table)
        read = typed_read(table, year, variables, kinds, self._var_pos)
        table.shape = None  # (only `typed_read` looks at it; `typed_read` above answers for it)
        return _Early(table, read, (year, tuple(variables), tuple(kinds)))

    def _read(self, at: int) -> _Early:
        """On a worker: file number `at` read typed, as its look found it can be."""
        early = self._looks[at].result()
        if early.read is None:
            return early
        wide = f"{identifier(self._home)}.main._ahead{next(_numbers)}"
        cursor = self._free.get()
        try:
            found = run_typed_read(cursor, early.read, wide, temporary=False)
        finally:
            self._free.put(cursor)
        return _Early(early.table, early.read, early.asked, wide if found is not None else None, found)

    def _drop(self, early: _Early) -> None:
        if early.wide is not None and not early.taken:
            self._db.execute(f"DROP TABLE IF EXISTS {early.wide}")
            early.wide = None
