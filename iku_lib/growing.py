"""A file written in pieces, put on disk and hashed in the background as it grows.

`atomic_write` flushes a file to disk before renaming it into place, and the provenance record
names its SHA-256; for `iku compute`'s national table (350 MB, written in one piece a year)
both were done at the end, and took about 0.8 s. `GrowingFile` does both for each piece as
soon as it is written, on one background thread, while the next piece is computed: the bytes
are read back once in order (so the digest is that of the whole file) and `fsync` starts
their way to the disk, and what is left at the end is the last piece. A piece written to a
file of its own is appended there too (`append`), and that file deleted.

>>> import hashlib, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
>>> _ = path.write_bytes(b"a,b\\n")
>>> grown = GrowingFile(path)
>>> grown.grew()
>>> with open(path, "ab") as out:
...     _ = out.write(b"1,2\\n")
>>> grown.grew()
>>> grown.finish() == (8, hashlib.sha256(b"a,b\\n1,2\\n").hexdigest())
True
"""

from __future__ import annotations

import hashlib
import os
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from .hashing import CHUNK


class GrowingFile:
    """The file at `path`, to which a writer appends pieces; call `grew()` after each piece (or
    `append(piece)` for a piece written to a file of its own) and `finish()` once the last is
    written (it returns (size, SHA-256 as hex) of the whole file).
    Nothing may rewrite bytes already written (a replaced file is read from where it was left)."""

    def __init__(self, path: Path | str) -> None:
        self._path = Path(path)
        self._digest = hashlib.sha256()
        self._done = 0  # bytes hashed and flushed
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="iku-flush")
        self._pending: list[Future] = []

    def grew(self) -> None:
        """The file has grown: hash and flush its new bytes in the background."""
        self._pending.append(self._worker.submit(self._catch_up, self._path.stat().st_size))

    def append(self, piece: Path) -> None:
        """Append the file `piece` to this one, delete it, hash and flush the new bytes: all in
        the background, after the pieces given before."""
        self._pending.append(self._worker.submit(self._add, Path(piece)))

    def _add(self, piece: Path) -> None:
        with open(self._path, "r+b") as out:  # not "ab": copy_file_range refuses a file opened to append
            out.seek(0, os.SEEK_END)
            append_file(piece, out)
        piece.unlink()
        self._catch_up(self._path.stat().st_size)

    def finish(self) -> tuple[int, str]:
        """Wait for the background work (raising its error, if any); (size, SHA-256) of the file."""
        self._worker.shutdown(wait=True)
        for job in self._pending:
            job.result()
        self._catch_up(self._path.stat().st_size)  # anything written after the last `grew`
        return self._done, self._digest.hexdigest()

    def close(self) -> None:
        """Stop without a result (the write failed)."""
        self._worker.shutdown(wait=True, cancel_futures=True)

    def _catch_up(self, size: int) -> None:
        if size <= self._done:
            return
        with open(self._path, "rb+") as handle:  # writable: Windows flushes only such a handle
            handle.seek(self._done)
            left = size - self._done
            while left > 0:
                block = handle.read(min(CHUNK * 4, left))
                if not block:
                    break
                self._digest.update(block)
                left -= len(block)
            os.fsync(handle.fileno())
        self._done = size - left


def append_file(part: Path, out) -> None:
    """Append the file `part` to the open file `out`, in the kernel where it can (Linux)."""
    with open(part, "rb") as piece:
        size = os.fstat(piece.fileno()).st_size
        out.flush()
        try:
            while size > 0:
                done = os.copy_file_range(piece.fileno(), out.fileno(), size)
                if done == 0:
                    break
                size -= done
            if size == 0:
                return
        except (AttributeError, OSError):  # not Linux, or a file system without it
            pass
        piece.seek(os.fstat(piece.fileno()).st_size - size)  # what the kernel did not copy
        out.seek(0, os.SEEK_END)
        shutil.copyfileobj(piece, out, 1 << 20)
