"""SHA-256 fingerprints of bytes and files, shared by the processed store (`ingest.store`,
which keys the store by the hashes of the raw files) and the reports' provenance
(`report.provenance`, which lists them).

>>> import hashlib
>>> sha256_of_bytes(b"") == hashlib.sha256(b"").hexdigest()
True
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

CHUNK = 1 << 20  # bytes read at a time: a file of any size is hashed in constant memory


def sha256_of_bytes(data: bytes) -> str:
    """SHA-256 of bytes, as hex."""
    return hashlib.sha256(data).hexdigest()


def sha256_of_file(path: Path | str) -> str:
    """SHA-256 of a file's content, as hex (read in chunks)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def file_hashes(paths: list[Path]) -> dict[str, tuple[int, int, str]]:
    """`str(path)` -> (size, modification time in ns, SHA-256) of each file of `paths` that could
    be read and did not change while it was hashed (the same size and time before and after);
    for `known_sha256` to answer from later.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "a.csv"
    ...     _ = path.write_bytes(b"")
    ...     [(size, digest == sha256_of_bytes(b"")) for size, _, digest in file_hashes([path]).values()]
    [(0, True)]
    """
    found = {}
    for path in paths:
        try:
            before = os.stat(path)
            digest = sha256_of_file(path)
            after = os.stat(path)
        except OSError:
            continue
        if (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns):
            found[str(path)] = (after.st_size, after.st_mtime_ns, digest)
    return found


def start_file_hashes(paths: list[Path]) -> Future:
    """`file_hashes` of `paths` on a thread of its own; the future gives them. `dataset` starts it
    while the last of the reading keeps one core busy, so that the provenance record of a run
    that stores nothing finds its raw files hashed (national: 43 MB, 0.05 s)."""
    pool = ThreadPoolExecutor(1, thread_name_prefix="iku-sha256")
    try:
        return pool.submit(file_hashes, list(paths))
    finally:
        pool.shutdown(wait=False)


def known_sha256(path: Path, known: dict[str, tuple[int, int, str]]) -> tuple[int, str]:
    """(size, SHA-256) of the file `path`: from `known` (`file_hashes`) while its size and
    modification time are those hashed, else hashed now."""
    stat = os.stat(path)
    size, mtime, digest = known.get(str(path), (None, None, None))
    if (size, mtime) != (stat.st_size, stat.st_mtime_ns):
        return stat.st_size, sha256_of_file(path)
    return size, digest
