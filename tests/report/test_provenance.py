"""Provenance: the files a report read, with their SHA-256, and the run's facts."""

from __future__ import annotations

import datetime
import hashlib
import re
import shutil
from pathlib import Path

from iku_lib import __version__, load_dataset
from iku_lib.report.provenance import files_used, run_facts, sha256_of_file, store_facts

from ..conftest import KECIL, RAW


def test_sha256_of_file_matches_hashlib(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"abc" * 500_000)
    assert sha256_of_file(path) == hashlib.sha256(b"abc" * 500_000).hexdigest()


def test_files_used_for_one_year_of_the_shipped_data():
    dataset = load_dataset(RAW)
    files = files_used(dataset, [2022, 2023])
    names = files["berkas"].tolist()
    assert names[:6] == ["iku_lib/data/iku.yaml", "desa.csv", "target.csv", "analisis.csv", "standar.csv",
                         "anggaran.csv"]  # the LKjIP chapter's inputs are files of every year
    assert sorted(n.split("/")[0] for n in names[6:]) == ["2022"] * 5 + ["2023"] * 5
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


# --- the processed store ---------------------------------------------------------------------------

def _project(root: Path) -> Path:
    (root / "iku.toml").write_text('[proyek]\nnama = "Uji"\n', encoding="utf-8")
    shutil.copytree(KECIL, root / "data" / "raw")
    return root / "data" / "raw"


def test_store_facts_name_the_manifest_relative_to_the_project_and_its_hash(tmp_path):
    dataset = load_dataset(_project(tmp_path))
    (folder,) = (tmp_path / "data" / "processed").glob("dataset-*")
    facts = dict(store_facts(dataset))
    assert facts["Data olahan (manifest)"] == f"data/processed/{folder.name}/manifest.json"
    assert facts["SHA-256 manifest data olahan"] == hashlib.sha256((folder / "manifest.json").read_bytes()).hexdigest()
    assert dict(store_facts(load_dataset(tmp_path / "data" / "raw"))) == facts  # reused: the same facts


def test_store_facts_outside_a_project_show_no_folder_above_the_store(tmp_path):
    dataset = load_dataset(KECIL, processed_dir=tmp_path / "rumah" / "pengguna" / "olahan")
    shown = dict(store_facts(dataset))["Data olahan (manifest)"]
    assert re.fullmatch(r"dataset-[0-9a-f]{16}/manifest\.json", shown)
    assert store_facts(load_dataset(KECIL)) == []  # no store: nothing to name


def test_files_used_gives_the_hashes_of_the_bytes_the_data_was_read_from(tmp_path):
    raw = _project(tmp_path)
    before = (raw / "desa.csv").read_bytes()
    dataset = load_dataset(raw)
    (raw / "desa.csv").write_bytes(before + b"\n")  # changed after the data was read
    files = files_used(dataset, [2022]).set_index("berkas")
    assert files.loc["desa.csv", "sha256"] == hashlib.sha256(before).hexdigest()
    assert files.loc["desa.csv", "ukuran"] == len(before)
    catalog = (RAW.parents[1] / "iku_lib" / "data" / "iku.yaml").read_bytes()
    assert files.loc["iku.yaml", "sha256"] == hashlib.sha256(catalog).hexdigest()  # the package's catalog
