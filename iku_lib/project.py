"""The iku project: a folder marked by `iku.toml`, holding `data/raw`, `data/processed` and
`outputs`.

Every command works in the *current project*: the working directory, or the nearest folder
above it, that holds `iku.toml` (written by `iku init`). Its folders are the defaults for
`--data-dir` and `--output-dir`. `iku.toml` is small and may name other folders:

    [proyek]
    nama = "Kecamatan Kaloran"

    [folder]
    data = "data/raw"          # the data as received (read-only)
    olahan = "data/processed"  # derived data
    hasil = "outputs"          # reports

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> _ = (root / PROJECT_FILE).write_text('[proyek]\\nnama = "Contoh"\\n', encoding="utf-8")
>>> project = find_project(root / "data" / "raw")
>>> project.nama, project.raw_dir == root / "data" / "raw"
('Contoh', True)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .exceptions import ParameterError

PROJECT_FILE = "iku.toml"
DEFAULT_FOLDERS = {"data": "data/raw", "olahan": "data/processed", "hasil": "outputs"}
SECTIONS = {"proyek": {"nama"}, "folder": set(DEFAULT_FOLDERS)}
NO_PROJECT = ("tidak ada proyek iku di {where} atau folder di atasnya (berkas iku.toml); buat proyek dengan "
              "`iku init FOLDER` (atau `iku init --contoh FOLDER` untuk contoh), atau tunjuk data dengan --data-dir DIR")


class NoProjectError(ParameterError):
    """Raised when a command needs the current project and there is none."""


@dataclass(frozen=True)
class Project:
    """A project folder and the folders its `iku.toml` names (absolute paths)."""

    root: Path
    nama: str
    raw_dir: Path
    processed_dir: Path
    outputs_dir: Path

    def relative(self, path: Path | str) -> str:
        """`path` relative to the project root (POSIX form) when inside it, else as given.

        >>> Project(Path("/p"), "", Path("/p/data/raw"), Path("/p/d"), Path("/p/o")).relative("/p/data/raw/2023")
        'data/raw/2023'
        """
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


def load_project(root: Path | str) -> Project:
    """Read `root/iku.toml`; ParameterError (naming the file and the key) when it is not valid."""
    root = Path(root).resolve()
    path = root / PROJECT_FILE
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ParameterError(f"{path}: tidak dapat dibaca: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ParameterError(f"{path}: bukan teks UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError(f"{path}: bukan TOML yang sah: {exc}") from None
    for section, value in settings.items():
        if section not in SECTIONS:
            raise ParameterError(f"{path}: bagian [{section}] tidak dikenal; yang dikenal: "
                                 f"{', '.join(f'[{s}]' for s in SECTIONS)}")
        if not isinstance(value, dict):
            raise ParameterError(f"{path}: '{section}' harus berupa bagian [{section}]")
        for key, item in value.items():
            if key not in SECTIONS[section]:
                raise ParameterError(f"{path}: [{section}] {key} tidak dikenal; yang dikenal: "
                                     f"{', '.join(sorted(SECTIONS[section]))}")
            if not isinstance(item, str) or (section == "folder" and not item.strip()):
                raise ParameterError(f"{path}: [{section}] {key} harus berupa teks (nilai: {item!r})")
    folders = {**DEFAULT_FOLDERS, **settings.get("folder", {})}
    return Project(root, settings.get("proyek", {}).get("nama", root.name),
                   *(root / Path(folders[k]) for k in ("data", "olahan", "hasil")))


def find_project(start: Path | str | None = None) -> Project | None:
    """The project holding `start` (default: the working directory), or None."""
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return load_project(folder)
    return None


def current_project(start: Path | str | None = None) -> Project:
    """The project holding `start` (default: the working directory); NoProjectError if none."""
    project = find_project(start)
    if project is None:
        where = Path(start) if start is not None else Path.cwd()
        raise NoProjectError(NO_PROJECT.format(where=where))
    return project


def default_raw_dir() -> Path:
    """The current project's raw data folder (NoProjectError outside a project)."""
    return current_project().raw_dir


def project_toml(nama: str) -> str:
    """The text of a new project's `iku.toml` (comments in Bahasa Indonesia)."""
    escaped = nama.replace("\\", "\\\\").replace('"', '\\"')
    return (
        "# Proyek iku (Indikator Kinerja Utama). Berkas ini menandai folder proyek: perintah `iku`\n"
        "# yang dijalankan di folder ini atau subfoldernya memakai folder-folder di bawah.\n"
        "\n"
        "[proyek]\n"
        f'nama = "{escaped}"\n'
        "\n"
        "[folder]\n"
        f'data = "{DEFAULT_FOLDERS["data"]}"          # data mentah dari desa (hanya dibaca)\n'
        f'olahan = "{DEFAULT_FOLDERS["olahan"]}"  # data olahan (dibuat ulang oleh iku)\n'
        f'hasil = "{DEFAULT_FOLDERS["hasil"]}"           # laporan HTML, Excel, CSV\n'
    )
