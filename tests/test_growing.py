"""`GrowingFile`: the digest of a file written in pieces is that of the whole file, each piece
is flushed as it comes, and an error on the background thread reaches the caller."""

from __future__ import annotations

import hashlib
import os
import threading

import pytest

from iku_lib import growing
from iku_lib.growing import GrowingFile


def test_the_digest_is_that_of_the_whole_file_and_each_piece_is_flushed(tmp_path, monkeypatch):
    flushed: list[tuple[str, int]] = []  # (thread, size of the file) at each flush
    fsync = os.fsync

    def spy(fd):
        flushed.append((threading.current_thread().name, os.fstat(fd).st_size))
        fsync(fd)

    monkeypatch.setattr(growing.os, "fsync", spy)
    path = tmp_path / "hasil.csv"
    pieces = [b"indikator,nilai\n", b"IKU-01,1.5\n" * 300_000, b"", b"IKU-02,2\n"]
    path.write_bytes(pieces[0])
    grown = GrowingFile(path)
    grown.grew()
    for piece in pieces[1:]:
        grown._pending[-1].result()  # the previous piece done: the sizes below are each piece's end
        with open(path, "ab") as out:
            out.write(piece)
        grown.grew()
    whole = b"".join(pieces)
    assert grown.finish() == (len(whole), hashlib.sha256(whole).hexdigest())
    assert [size for _, size in flushed] == [16, 16 + 3_300_000, 16 + 3_300_000 + 9]  # the empty piece: nothing to do
    assert all(name.startswith("iku-flush") for name, _ in flushed)


def test_bytes_written_after_the_last_piece_are_counted_too(tmp_path):
    path = tmp_path / "hasil.csv"
    path.write_bytes(b"a\n")
    grown = GrowingFile(path)
    grown.grew()
    with open(path, "ab") as out:
        out.write(b"b\n")
    assert grown.finish() == (4, hashlib.sha256(b"a\nb\n").hexdigest())


def test_an_error_in_the_background_reaches_the_caller(tmp_path, monkeypatch):
    def failing(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(growing.os, "fsync", failing)
    path = tmp_path / "hasil.csv"
    path.write_bytes(b"a\n")
    grown = GrowingFile(path)
    grown.grew()
    with pytest.raises(OSError, match="Input/output error"):
        grown.finish()


@pytest.mark.parametrize("kernel_copy", [True, False], ids=["copy_file_range", "without it"])
def test_pieces_in_files_of_their_own_are_appended_in_order_and_deleted(tmp_path, monkeypatch, kernel_copy):
    if not kernel_copy:  # another system, or a file system that refuses: the bytes go through Python
        def refused(*args):
            raise OSError(18, "Invalid cross-device link")

        monkeypatch.setattr(growing.os, "copy_file_range", refused, raising=False)
    path = tmp_path / "hasil.csv"
    path.write_bytes(b"kepala\n")
    grown = GrowingFile(path)
    grown.grew()
    pieces = []
    for i, text in enumerate([b"satu\n" * 200_000, b"", b"tiga\n"]):
        piece = tmp_path / f"{i:05d}.csv"
        piece.write_bytes(text)
        pieces.append(piece)
        grown.append(piece)
    whole = b"kepala\n" + b"satu\n" * 200_000 + b"tiga\n"
    assert grown.finish() == (len(whole), hashlib.sha256(whole).hexdigest())
    assert path.read_bytes() == whole
    assert not any(p.exists() for p in pieces)
