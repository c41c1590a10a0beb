"""SHA-256 fingerprints of bytes and files, shared by the processed store (`ingest.store`,
which keys the store by the hashes of the raw files) and the reports' provenance
(`report.provenance`, which lists them).

>>> import hashlib
>>> sha256_of_bytes(b"") == hashlib.sha256(b"").hexdigest()
True
"""

from __future__ import annotations

import hashlib
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
