"""SHA-256 of files, and the raw files of a run that stores nothing hashed while it reads."""

from __future__ import annotations

import hashlib
import os

from iku_lib import load_dataset
from iku_lib.hashing import file_hashes, known_sha256, start_file_hashes
from iku_lib.report.provenance import data_file_entries

from .conftest import KECIL


def test_a_file_changed_after_it_was_hashed_is_hashed_again(tmp_path):
    path = tmp_path / "desa.csv"
    path.write_bytes(b"kode_desa,nama_desa\n1,Alpha\n")
    known = start_file_hashes([path, tmp_path / "tidak-ada.csv"]).result()
    first = hashlib.sha256(b"kode_desa,nama_desa\n1,Alpha\n").hexdigest()
    assert list(known) == [str(path)]  # a file that cannot be read is left out
    assert known_sha256(path, known) == (28, first)  # 20 + 8 bytes
    path.write_bytes(b"kode_desa,nama_desa\n1,Beta\n")
    os.utime(path, ns=(known[str(path)][1] + 10**9,) * 2)  # (a second later, whatever the file system's clock)
    assert known_sha256(path, known) == (27, hashlib.sha256(b"kode_desa,nama_desa\n1,Beta\n").hexdigest())
    assert known_sha256(path, {}) == known_sha256(path, file_hashes([path]))


def test_a_cold_dataset_lists_its_raw_files_hashed_while_it_was_read(tmp_path):
    """The provenance record of a dataset read without a store takes the hashes made beside the
    reading, and they are the files' own."""
    dataset = load_dataset(KECIL, store=False)
    assert dataset.hashing is not None
    entries = data_file_entries(dataset)
    assert entries and {e["path"] for e in entries} == {str(p.relative_to(KECIL)) for p in dataset.files}
    for entry in entries:
        data = (KECIL / entry["path"]).read_bytes()
        assert (entry["size"], entry["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    hashed = dataset.raw_hashes()
    assert {os.path.relpath(p, KECIL) for p in hashed} == {e["path"] for e in entries}
