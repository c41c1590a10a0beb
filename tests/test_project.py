"""The current project (`iku.toml`): found from the working directory or a folder below it,
its folders are the defaults of every command, and outside a project every command says in
one line what to do."""

from __future__ import annotations

import shutil

import pytest

from iku_lib.exceptions import ParameterError
from iku_lib.project import NoProjectError, current_project, find_project, load_project, project_toml

from .conftest import KECIL, ROOT, run_iku

NO_PROJECT_LINE = ("tidak ada proyek iku di {where} atau folder di atasnya (berkas iku.toml); buat proyek dengan "
                   "`iku init FOLDER` (atau `iku init --contoh FOLDER` untuk contoh), atau tunjuk data dengan "
                   "--data-dir DIR")


def test_the_repository_is_a_project_with_the_usual_folders():
    project = find_project(ROOT / "notebooks")
    assert project.root == ROOT.resolve()
    assert project.raw_dir == ROOT.resolve() / "data" / "raw"
    assert project.processed_dir == ROOT.resolve() / "data" / "processed"
    assert project.outputs_dir == ROOT.resolve() / "outputs"


def test_the_nearest_project_above_wins(tmp_path):
    (tmp_path / "iku.toml").write_text(project_toml("Luar"), encoding="utf-8")
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    (tmp_path / "a" / "iku.toml").write_text('[proyek]\nnama = "Dalam"\n[folder]\ndata = "mentah"\n', encoding="utf-8")
    project = find_project(inner)
    assert (project.nama, project.raw_dir) == ("Dalam", (tmp_path / "a" / "mentah").resolve())
    assert project.outputs_dir == (tmp_path / "a" / "outputs").resolve()  # unnamed folders keep their default


def test_outside_a_project(tmp_path):
    assert find_project(tmp_path) is None
    with pytest.raises(NoProjectError) as raised:
        current_project(tmp_path)
    assert str(raised.value) == NO_PROJECT_LINE.format(where=tmp_path)


@pytest.mark.parametrize("text, message", [
    ('[proyek\nnama = "x"', "bukan TOML yang sah"),
    ('[laporan]\njudul = "x"', "bagian [laporan] tidak dikenal; yang dikenal: [proyek], [folder]"),
    ('[folder]\nhasil = 3', "[folder] hasil harus berupa teks (nilai: 3)"),
    ('[folder]\nkeluaran = "x"', "[folder] keluaran tidak dikenal; yang dikenal: data, hasil, olahan"),
    ('proyek = "x"', "'proyek' harus berupa bagian [proyek]"),
])
def test_a_bad_iku_toml_names_the_file_and_the_key(tmp_path, text, message):
    (tmp_path / "iku.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError, match=str(tmp_path / "iku.toml")) as raised:
        load_project(tmp_path)
    assert message in str(raised.value)


@pytest.mark.parametrize("args", [["validate"], ["compute", "--year", "2022"], ["report", "--year", "2022"],
                                  ["template", "--year", "2024", "--out", "formulir"]])
def test_every_command_outside_a_project_says_what_to_do(tmp_path, args):
    result = run_iku(*args, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == NO_PROJECT_LINE.format(where=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_commands_in_a_subfolder_use_the_project(tmp_path):
    shutil.copytree(KECIL, tmp_path / "data" / "raw")
    (tmp_path / "iku.toml").write_text(project_toml("Kecil"), encoding="utf-8")
    (tmp_path / "catatan").mkdir()
    result = run_iku("compute", "--year", "2022", "--level", "kecamatan", cwd=tmp_path / "catatan")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("IKU-01,2022,kecamatan,3323070,Kaloran,")


def test_report_with_a_data_dir_outside_any_project_needs_an_output_dir(tmp_path):
    shutil.copytree(KECIL, tmp_path / "kecil")
    (tmp_path / "kerja").mkdir()
    result = run_iku("report", "--year", "2022", "--data-dir", str(tmp_path / "kecil"), cwd=tmp_path / "kerja")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "berikan --output-dir DIR" in result.stderr
    assert list((tmp_path / "kerja").iterdir()) == []
