"""Files that ship inside the package: the report notebooks, the default catalog, the
project templates, the user guide, the Kaloran sample data and the fictional kabupaten sample.

In the repository the notebooks stay in `notebooks/`, the sample data in `data/raw/` (and
`data/contoh-kabupaten/`) and the guide in `docs/`; `pyproject.toml` maps those folders into the
package as `iku_lib.notebooks`, `iku_lib.contoh` (`iku_lib.contoh_kabupaten`) and `iku_lib.docs`,
so each file exists once and a wheel carries them inside the package. An
editable install of a clone finds them where the repository keeps them (`SOURCE_FOLDERS`;
a test checks it agrees with `pyproject.toml`).

>>> default_catalog().name, notebook("01-evaluasi-tahunan.ipynb").is_file()
('iku.yaml', True)
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

# Data packages and the repository folders pyproject.toml maps them from.
SOURCE_FOLDERS = {"iku_lib.notebooks": "notebooks", "iku_lib.contoh": "data/raw",
                  "iku_lib.contoh_kabupaten": "data/contoh-kabupaten", "iku_lib.docs": "docs"}


def package_dir() -> Path:
    """The folder of the installed `iku_lib` package."""
    return Path(__file__).resolve().parent


def _folder(package: str) -> Path:
    """The folder of a data package (iku is never run from a zip archive).

    Installed from a wheel, it is a folder inside the package (a namespace package: it holds
    no `__init__.py`). In an editable install of a clone, setuptools' finder does not expose
    such mapped namespaces, so the folder is taken where the repository keeps it.
    """
    spec = find_spec(package)
    if spec is not None and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    source = package_dir().parent / SOURCE_FOLDERS[package]
    if source.is_dir():
        return source
    raise FileNotFoundError(f"package data {package} is missing; reinstall iku")


def default_catalog() -> Path:
    """The catalog used when a data directory has no `iku.yaml` of its own."""
    return package_dir() / "data" / "iku.yaml"


def template(name: str) -> Path:
    """A project template file (`iku init`), by name."""
    return package_dir() / "data" / "proyek" / name


def notebook(name: str) -> Path:
    """A report notebook, by file name."""
    return _folder("iku_lib.notebooks") / name


def guide() -> Path:
    """The user guide in Bahasa Indonesia (docs/panduan.md of the repository)."""
    return _folder("iku_lib.docs") / "panduan.md"


def sample_dir() -> Path:
    """The Kaloran sample data 2019-2023 (illustrative, not official): a complete data directory."""
    return _folder("iku_lib.contoh")


def kabupaten_sample_dir() -> Path:
    """The fictional Kabupaten Sukamakmur 2021-2023 (4 kecamatan, 29 desa): a complete data
    directory for trying the comparison of kecamatan (scripts/make_kabupaten_sample.py)."""
    return _folder("iku_lib.contoh_kabupaten")
