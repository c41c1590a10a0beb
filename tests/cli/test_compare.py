"""`iku report --bandingkan` from the command line: mistakes are one Indonesian line and exit 1,
refused before the output folder is made; `iku init --contoh-kabupaten` makes a project the
comparison runs in at once."""

from __future__ import annotations

import filecmp

import pytest

from iku_lib.project import load_project
from iku_lib.resources import kabupaten_sample_dir

from ..conftest import ROOT, run_iku

SAMPLE = ROOT / "data" / "contoh-kabupaten"


@pytest.mark.parametrize("args, message", [
    (["--bandingkan", "--year", "2023", "--level", "rt"],
     "level 'rt' tidak dikenal; pilih salah satu: desa, kecamatan, kabupaten, provinsi"),
    (["--bandingkan", "--year", "2023", "--level", "provinsi"],
     "level 'provinsi' tidak ada pada data ini: desa.csv tidak memuat kolom kode_provinsi/nama_provinsi; "
     "pilih salah satu: desa, kecamatan, kabupaten"),
    (["--bandingkan", "--year", "2019"], "tahun 2019 tidak ada di"),
    (["--bandingkan", "--year", "2021-2024"], "tahun 2024 tidak ada di"),
    (["--year", "2023", "--level", "kecamatan"], "--level hanya dipakai bersama --bandingkan"),
    (["--bandingkan", "--all"], "--bandingkan membandingkan wilayah pada tahun tertentu"),
    (["--bandingkan", "--year", "20x3"], "tahun '20x3' tidak sah"),
])
def test_mistakes_are_one_line_and_exit_1_before_anything_is_written(tmp_path, args, message):
    out = tmp_path / "hasil"
    result = run_iku("report", *args, "--data-dir", str(SAMPLE), "--output-dir", str(out))
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_the_kabupaten_sample_project_compares_at_once(tmp_path):
    result = run_iku("init", "--contoh-kabupaten", "bappeda", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "iku report --bandingkan --year 2023" in result.stdout
    root = tmp_path / "bappeda"
    raw = root / "data" / "raw"
    assert load_project(root).nama == "Contoh Kabupaten Sukamakmur (fiktif)"
    for name in ("desa.csv", "target.csv", "iku.yaml", "2023/kecamatan-tirtaasri.csv"):
        assert filecmp.cmp(raw / name, kabupaten_sample_dir() / name, shallow=False)
    assert (raw / "README.md").read_text(encoding="utf-8").startswith("> **Data contoh fiktif.**")
    result = run_iku("report", "--bandingkan", "--year", "2023", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    folder = root / "outputs" / "2023"
    assert sorted(p.name for p in folder.iterdir()) == ["perbandingan-kecamatan-2023.html",
                                                        "perbandingan-kecamatan-2023.ipynb",
                                                        "perbandingan-kecamatan-2023.xlsx"]
    assert "perbandingan-kecamatan-2023.html" in (root / "outputs" / "index.html").read_text(encoding="utf-8")


def test_only_one_sample_at_a_time(tmp_path):
    result = run_iku("init", "--contoh", "--contoh-kabupaten", "dua", cwd=tmp_path)
    assert result.returncode == 1 and "pilih salah satu contoh" in result.stderr
    assert not (tmp_path / "dua").exists()
