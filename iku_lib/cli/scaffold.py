"""`iku init`: a new project folder, empty or holding the Kaloran sample data.

A project is `iku.toml` (see `project`), a `README.md` with the next steps, the user guide
`PANDUAN.md` (docs/panduan.md), `data/raw/` with
the files an office fills (`desa.csv`, `target.csv`, `realisasi.csv`: headers only), a copy
of the default catalog `iku.yaml` to adapt and a `README.md` explaining each file, and empty
`data/processed/` and `outputs/`. With `contoh=True` the data folder holds the Kaloran
sample data 2019-2023 instead, so that `iku compute` and `iku report` work at once; with
`contoh_kabupaten=True` the fictional Kabupaten Sukamakmur 2021-2023 (four kecamatan), for
trying the comparison of kecamatan (`iku report --bandingkan`).

The project is built in a hidden folder beside the target and renamed into place when
complete: a failed run leaves nothing half-made.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..ingest.catalog import CATALOG_FILE
from ..exceptions import ParameterError
from ..outputs import OutputError
from ..project import DEFAULT_FOLDERS, PROJECT_FILE, project_toml
from ..resources import default_catalog, guide, kabupaten_sample_dir, sample_dir, template

REGISTER_HEADER = "kode_desa,nama_desa"
TARGET_HEADER = "indikator,tahun,target"
REALISASI_HEADER = "indikator,tahun,nilai,sumber,keterangan"
SAMPLE_NAME = "Contoh Kecamatan Kaloran"
SAMPLE_NOTE = ("> **Data contoh, bukan data resmi.** Angka di folder ini dibuat oleh program (ilustratif) dengan "
               "besaran yang mengacu pada angka publik Kecamatan Kaloran, Kabupaten Temanggung, 2019-2023. "
               "Ganti dengan data kiriman desa untuk membuat evaluasi yang sebenarnya.\n\n")
KABUPATEN_NAME = "Contoh Kabupaten Sukamakmur (fiktif)"
KABUPATEN_NOTE = ("> **Data contoh fiktif.** Kabupaten Sukamakmur, keempat kecamatan dan 29 desanya tidak ada (kode "
                  "berawalan 99); semua angka dibuat oleh program, hanya untuk mencoba laporan perbandingan "
                  "antarkecamatan: `iku report --bandingkan --year 2023`. Ganti dengan data kiriman kecamatan untuk "
                  "membuat perbandingan yang sebenarnya.\n\n")


def check_target(folder: Path) -> None:
    """Refuse a folder that exists and is not empty (or is not a folder)."""
    if folder.exists() and not folder.is_dir():
        raise ParameterError(f"{folder} sudah ada dan bukan folder; pilih nama folder baru untuk proyek")
    if folder.is_dir():
        inside = sorted(p.name for p in folder.iterdir())
        if inside:
            shown = ", ".join(inside[:5]) + (", ..." if len(inside) > 5 else "")
            raise ParameterError(f"folder {folder} tidak kosong (berisi: {shown}); iku init hanya membuat proyek di "
                                 "folder baru atau kosong agar tidak menimpa apa pun")


def _write_blank_data(raw: Path) -> None:
    raw.mkdir(parents=True)
    for name, header in (("desa.csv", REGISTER_HEADER), ("target.csv", TARGET_HEADER),
                         ("realisasi.csv", REALISASI_HEADER)):
        (raw / name).write_text(header + "\n", encoding="utf-8")


def _copy_sample(raw: Path, source: Path | None = None) -> None:
    shutil.copytree(source or sample_dir(), raw, ignore=shutil.ignore_patterns("README*", "__pycache__", ".*"))
    if not (raw / "realisasi.csv").exists():
        (raw / "realisasi.csv").write_text(REALISASI_HEADER + "\n", encoding="utf-8")


def _fill(root: Path, nama: str, contoh: bool, kabupaten: bool = False) -> None:
    (root / PROJECT_FILE).write_text(project_toml(nama), encoding="utf-8")
    readme = template("README.md").read_text(encoding="utf-8").replace("{nama}", nama)
    (root / "README.md").write_text(readme, encoding="utf-8")
    shutil.copyfile(guide(), root / "PANDUAN.md")
    raw = root / DEFAULT_FOLDERS["data"]
    if kabupaten:
        _copy_sample(raw, kabupaten_sample_dir())
    elif contoh:
        _copy_sample(raw)
    else:
        _write_blank_data(raw)
    if not (raw / CATALOG_FILE).exists():
        shutil.copyfile(default_catalog(), raw / CATALOG_FILE)
    data_readme = template("data-raw-README.md").read_text(encoding="utf-8")
    note = KABUPATEN_NOTE if kabupaten else SAMPLE_NOTE if contoh else ""
    (raw / "README.md").write_text(note + data_readme, encoding="utf-8")
    for key in ("olahan", "hasil"):
        (root / DEFAULT_FOLDERS[key]).mkdir(parents=True, exist_ok=True)


def init_project(folder: Path | str, contoh: bool = False, nama: str | None = None,
                 contoh_kabupaten: bool = False) -> Path:
    """Make a new project in `folder` (created if missing; refused if not empty); return its path.
    `contoh`: with the Kaloran sample data; `contoh_kabupaten`: with the fictional kabupaten."""
    folder = Path(folder)
    check_target(folder)
    if contoh and contoh_kabupaten:
        raise ParameterError("pilih salah satu contoh: --contoh (Kecamatan Kaloran) atau --contoh-kabupaten")
    nama = nama or (KABUPATEN_NAME if contoh_kabupaten else SAMPLE_NAME if contoh else folder.resolve().name)
    parent = folder.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=parent))
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)  # mkdtemp makes a private folder; a project is an ordinary one
    except OSError as exc:
        raise OutputError(f"tidak dapat membuat proyek di {folder}: {exc.strerror or exc}") from None
    try:
        _fill(tmp, nama, contoh, contoh_kabupaten)
        if folder.is_dir():
            folder.rmdir()  # empty (checked above): the finished project takes its place
        os.replace(tmp, folder)
    except OSError as exc:
        raise OutputError(f"tidak dapat membuat proyek di {folder}: {exc.strerror or exc}") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return folder
