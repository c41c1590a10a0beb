"""Package data: what a wheel carries and where an editable install finds it."""

from __future__ import annotations

import tomllib

from iku_lib import resources

from .conftest import ROOT


def test_source_folders_agree_with_pyproject():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert setuptools["package-dir"] == resources.SOURCE_FOLDERS
    assert set(resources.SOURCE_FOLDERS) <= set(setuptools["packages"])


def test_every_resource_is_found():
    assert resources.default_catalog().is_file()
    assert resources.notebook("01-evaluasi-tahunan.ipynb").is_file()
    assert resources.notebook("02-tren.ipynb").is_file()
    assert (resources.sample_dir() / "desa.csv").is_file()
    assert resources.template("README.md").is_file() and resources.template("data-raw-README.md").is_file()
