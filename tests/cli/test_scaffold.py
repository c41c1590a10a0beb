"""`iku init` makes a project a new office can start from, empty or with the Kaloran sample."""

from __future__ import annotations

import filecmp
import stat

import pytest
import yaml

from iku_lib.project import load_project
from iku_lib.resources import default_catalog, sample_dir
from iku_lib.cli.scaffold import init_project

from ..conftest import run_iku


def files_under(folder):
    return sorted(p.relative_to(folder).as_posix() + ("/" if p.is_dir() else "") for p in folder.rglob("*"))


def test_a_new_project_holds_headers_a_catalog_copy_and_readmes(tmp_path):
    result = run_iku("init", "kantor-baru", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    root = tmp_path / "kantor-baru"
    assert files_under(root) == ["PANDUAN.md", "README.md", "data/", "data/processed/", "data/raw/", "data/raw/README.md",
                                 "data/raw/desa.csv", "data/raw/iku.yaml", "data/raw/realisasi.csv",
                                 "data/raw/target.csv", "iku.toml", "outputs/"]
    raw = root / "data" / "raw"
    assert (raw / "desa.csv").read_text(encoding="utf-8") == "kode_desa,nama_desa\n"
    assert (raw / "target.csv").read_text(encoding="utf-8") == "indikator,tahun,target\n"
    assert (raw / "realisasi.csv").read_text(encoding="utf-8") == "indikator,tahun,nilai,sumber,keterangan\n"
    assert filecmp.cmp(raw / "iku.yaml", default_catalog(), shallow=False)
    assert load_project(root).nama == "kantor-baru"
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# kantor-baru — proyek iku") and "Langkah berikutnya" in readme
    assert "iku template --year" in readme and "iku validate" in readme
    assert "realisasi.csv" in (raw / "README.md").read_text(encoding="utf-8")
    assert (root / "PANDUAN.md").read_text(encoding="utf-8").startswith("# Panduan iku")
    assert stat.S_IMODE(root.stat().st_mode) & 0o055 == 0o055  # an ordinary folder, not a private temp one


def test_a_new_project_is_checked_and_says_what_is_missing(tmp_path):
    init_project(tmp_path / "p")
    result = run_iku("validate", cwd=tmp_path / "p")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "daftar desa tidak berisi satu desa pun" in result.stdout


def test_the_sample_project_works_at_once(tmp_path):
    result = run_iku("init", "--contoh", "contoh", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    root = tmp_path / "contoh"
    raw = root / "data" / "raw"
    years = sorted(p.name for p in raw.iterdir() if p.is_dir())
    assert years == ["2019", "2020", "2021", "2022", "2023"]
    for path in sample_dir().rglob("*.csv"):
        assert filecmp.cmp(path, raw / path.relative_to(sample_dir()), shallow=False)
    assert "Data contoh, bukan data resmi" in (raw / "README.md").read_text(encoding="utf-8")
    assert yaml.safe_load((raw / "iku.yaml").read_text(encoding="utf-8"))["wilayah"]["nama"] == "Kaloran"
    computed = run_iku("compute", "--year", "2023", "--out", "hasil.csv", cwd=root)
    assert computed.returncode == 0, computed.stderr
    lines = (root / "hasil.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + 11 * 14 + 11
    validated = run_iku("validate", cwd=root)
    assert validated.returncode == 0 and "0 galat" in validated.stdout.splitlines()[-1]
    assert "realisasi.csv" not in validated.stdout  # the header-only file is expected, not a problem


@pytest.mark.parametrize("setup, message", [
    (lambda d: (d / "ada.txt").write_text("x", encoding="utf-8"), "tidak kosong (berisi: ada.txt)"),
    (lambda d: None, None),
])
def test_init_refuses_a_folder_that_is_not_empty(tmp_path, setup, message):
    folder = tmp_path / "proyek"
    folder.mkdir()
    setup(folder)
    result = run_iku("init", str(folder), cwd=tmp_path)
    if message is None:  # an existing empty folder is fine
        assert result.returncode == 0, result.stderr
        assert (folder / "iku.toml").is_file()
    else:
        assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr
        assert files_under(folder) == ["ada.txt"]


def test_init_refuses_a_file(tmp_path):
    (tmp_path / "berkas").write_text("x", encoding="utf-8")
    result = run_iku("init", "berkas", cwd=tmp_path)
    assert result.returncode == 1 and "sudah ada dan bukan folder" in result.stderr


def test_a_failed_init_leaves_nothing_half_made(tmp_path, monkeypatch):
    from iku_lib.cli import scaffold

    def broken(raw):
        raw.mkdir(parents=True)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(scaffold, "_write_blank_data", broken)
    with pytest.raises(scaffold.OutputError, match="No space left on device"):
        init_project(tmp_path / "p")
    assert list(tmp_path.iterdir()) == []
