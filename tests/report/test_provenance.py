"""Provenance: the files a report read, with their SHA-256, and the run's facts."""

from __future__ import annotations

import datetime
import hashlib

from iku_lib import __version__, load_dataset
from iku_lib.report.provenance import files_used, run_facts, sha256_of_file

from ..conftest import KECIL, RAW


def test_sha256_of_file_matches_hashlib(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"abc" * 500_000)
    assert sha256_of_file(path) == hashlib.sha256(b"abc" * 500_000).hexdigest()


def test_files_used_for_one_year_of_the_shipped_data():
    dataset = load_dataset(RAW)
    files = files_used(dataset, [2022, 2023])
    names = files["berkas"].tolist()
    assert names[:3] == ["iku_lib/data/iku.yaml", "desa.csv", "target.csv"]
    assert sorted(n.split("/")[0] for n in names[3:]) == ["2022"] * 5 + ["2023"] * 5
    desa = files.set_index("berkas").loc["desa.csv"]
    raw = (RAW / "desa.csv").read_bytes()
    assert desa["sha256"] == hashlib.sha256(raw).hexdigest() and desa["ukuran"] == len(raw)


def test_files_used_of_a_data_dir_with_its_own_catalog(tmp_path):
    for path in KECIL.rglob("*"):
        if path.is_file():
            target = tmp_path / path.relative_to(KECIL)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    (tmp_path / "iku.yaml").write_text((RAW.parents[1] / "iku_lib/data/iku.yaml").read_text(encoding="utf-8"),
                                       encoding="utf-8")
    names = files_used(load_dataset(tmp_path), [2022])["berkas"].tolist()
    assert names == ["iku.yaml", "desa.csv", "target.csv", "2022/lainnya.csv", "2022/pemerintahan.csv",
                     "2022/penduduk.csv"]


def test_run_facts():
    facts = dict(run_facts({"tahun": 2023, "data_dir": None}, datetime.datetime(2026, 11, 24, 17, 5), RAW))
    assert facts["Parameter tahun"] == "2023"
    assert facts["Parameter data_dir"] == "bawaan (data/raw proyek)"
    assert facts["Versi paket iku"] == __version__
    assert facts["Waktu eksekusi"] == "24 November 2026 17.05"
