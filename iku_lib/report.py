"""Producing the reports: execute a notebook with papermill, convert it with nbconvert to one
self-contained HTML page, export the capaian table to Excel, and write an index page.

Execution and conversion are separate steps. Parameters are checked before any kernel
starts. Every file is first written under a temporary name in its final folder and renamed
when complete, so a failing run never leaves a half-written report where a finished one is
expected.
"""

from __future__ import annotations

import datetime
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .compute import compute
from .dataset import Dataset, load_dataset
from .exceptions import IkuError, ParameterError
from .excel import write_capaian_workbook
from .formatting import angka, waktu
from .markup import esc
from .outputs import atomic_write, check_not_inside
from .page import external_resources, page
from .paths import NOTEBOOKS_DIR, OUTPUTS_DIR
from .provenance import files_used, run_facts
from .tables import capaian_table, desa_breakdown, top_level

KERNEL = "python3"
DEFAULT_TIMEOUT = 600  # seconds per cell
START_TIMEOUT = 120  # seconds for the kernel to start
# The kernel logs only errors (not e.g. its notice about unencrypted local TCP) to our stderr.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]
ANNUAL_NOTEBOOK = "01-evaluasi-tahunan.ipynb"
TREND_NOTEBOOK = "02-tren.ipynb"
TREND_DIR = "tren"
INDEX_FILE = "index.html"


class NotebookError(IkuError):
    """Raised when a notebook fails to execute or convert; names the notebook and the cell."""


@dataclass(frozen=True)
class Produced:
    """The files of one finished report."""

    title: str
    html: Path
    notebook: Path
    extra: tuple[Path, ...] = ()


def annual_name(year: int) -> str:
    return f"evaluasi-tahunan-{year}"


def trend_name(start: int, end: int) -> str:
    return f"tren-{start}-{end}"


def prepare(data_dir: Path | str | None, output_dir: Path | str | None) -> tuple[Dataset, Path]:
    """Load and validate the data directory and check the output directory: raises DataError
    (with every error found) or ParameterError before anything runs."""
    dataset = load_dataset(data_dir).require_valid()
    out = Path(output_dir) if output_dir is not None else OUTPUTS_DIR
    check_not_inside(out, dataset.data_dir)
    return dataset, out.resolve()


def check_kernel(name: str = KERNEL) -> None:
    """Make sure the kernel `name` runs this Python (the one with iku installed)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    fix = f"{sys.executable} -m ipykernel install --sys-prefix --name {name}"
    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise ParameterError(f"kernel Jupyter '{name}' tidak ditemukan; pasang dengan: {fix}") from None
    exe = spec.argv[0] if spec.argv else ""
    major, minor = sys.version_info[:2]
    if exe in ("python", f"python{major}", f"python{major}.{minor}"):
        return  # jupyter_client starts these with sys.executable
    if os.path.abspath(exe) == os.path.abspath(sys.executable):
        return
    raise ParameterError(
        f"kernel Jupyter '{name}' ({spec.resource_dir}) menjalankan {exe}, bukan Python lingkungan ini "
        f"({sys.executable}); hapus kernel itu (jupyter kernelspec remove {name}) lalu jalankan: {fix}")


def _first_line(source: str) -> str:
    lines = [line.strip() for line in str(source).splitlines() if line.strip()]
    return lines[0][:100] if lines else ""


def _cell_number(notebook: Path, source: str, executed_index: int) -> int:
    """The failing cell's number (from 1) in the notebook as written: the executed copy has an
    extra cell (papermill's injected parameters), so find the cell by its source."""
    cells = nbformat.read(notebook, as_version=4).cells
    same = [i for i, cell in enumerate(cells) if cell.source == source]
    return (min(same, key=lambda i: abs(i - executed_index)) if same else executed_index) + 1


def execute(notebook: Path, output: Path, parameters: dict, timeout: int = DEFAULT_TIMEOUT) -> Path:
    """Run `notebook` with `parameters` into `output` (papermill, kernel `python3`).

    Raises NotebookError naming the notebook and the failing cell.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    name = Path(notebook).name
    try:
        papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, kernel_name=KERNEL, progress_bar=False,
            log_output=False, execution_timeout=timeout, start_timeout=START_TIMEOUT, cwd=str(Path(notebook).parent),
            extra_arguments=KERNEL_ARGUMENTS)
    except PapermillExecutionError as exc:
        number = _cell_number(Path(notebook), exc.source, exc.cell_index)
        raise NotebookError(
            f"notebook {name} gagal pada sel ke-{number} (In [{exc.exec_count}] saat eksekusi; baris pertama: "
            f"{_first_line(exc.source)!r}): {exc.ename}: {exc.evalue}") from None
    except CellTimeoutError as exc:
        preview = re.search(r"preview of the cell contents:\s*-+\s*(.*?)\s*-+", str(exc), re.S)
        cell = f" (sel: {_first_line(preview.group(1))!r})" if preview else ""
        raise NotebookError(f"notebook {name}: sebuah sel melewati batas waktu {timeout} detik{cell}") from None
    except DeadKernelError as exc:
        raise NotebookError(f"notebook {name}: kernel {KERNEL} berhenti di tengah eksekusi ({exc})") from None
    return Path(output)


def convert(executed: Path, title: str) -> str:
    """The executed notebook as one self-contained HTML page: no code, no prompts, images
    embedded, stderr streams left out, our own stylesheet (no CDN)."""
    from nbconvert import HTMLExporter

    nb = nbformat.read(executed, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.get("name") == "stderr")]
    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, embed_images=True)
    body, _ = exporter.from_notebook_node(nb)
    html = page(title, body)
    found = external_resources(html)
    if found:
        raise NotebookError(f"{Path(executed).name}: HTML memuat sumber dari jaringan: {', '.join(found[:3])}")
    return html


def _publish(tmp: Path, folder: Path, names: list[str]) -> list[Path]:
    """Rename finished files from `tmp` into `folder`, in the given order (the HTML last)."""
    done = []
    for name in names:
        target = folder / name
        os.replace(tmp / name, target)
        done.append(target)
    return done


def _run(notebook: Path, folder: Path, stem: str, parameters: dict, title: str, timeout: int,
         extra: Callable[[Path], list[str]] | None = None) -> Produced:
    folder.mkdir(parents=True, exist_ok=True)
    failed = folder / f"{stem}.gagal.ipynb"
    with tempfile.TemporaryDirectory(prefix=".tmp-", dir=folder) as tmp_name:
        tmp = Path(tmp_name)
        executed = tmp / f"{stem}.ipynb"
        try:
            execute(notebook, executed, parameters, timeout)
        except NotebookError as exc:
            if executed.exists():
                os.replace(executed, failed)
                raise NotebookError(f"{exc}\nnotebook yang gagal disimpan untuk diperiksa: {failed}") from None
            raise
        try:
            html = convert(executed, title)
        except NotebookError:
            raise
        except Exception as exc:  # nbconvert problems are not the user's; still no traceback
            raise NotebookError(f"{notebook.name}: konversi ke HTML gagal: {type(exc).__name__}: {exc}") from None
        (tmp / f"{stem}.html").write_text(html, encoding="utf-8")
        names = [f"{stem}.ipynb"] + (extra(tmp) if extra else []) + [f"{stem}.html"]
        paths = _publish(tmp, folder, names)
    failed.unlink(missing_ok=True)
    return Produced(title, paths[-1], paths[0], tuple(paths[1:-1]))


def desa_rows(table, catalog, year: int):
    """Every indicator's desa breakdown stacked, for the Excel sheet "Rincian Desa"."""
    import pandas as pd

    parts = []
    for ident in catalog.ids:
        b = desa_breakdown(table, catalog, ident, year)
        parts.append(pd.DataFrame({
            "Indikator": ident, "Kode Desa": b["kode_desa"], "Desa": b["desa"], "Pembilang": b["pembilang"],
            "Penyebut": b["penyebut"], "Nilai": b["nilai"], "Satuan": catalog.indicators.loc[ident, "satuan"],
            "Keterangan": b["keterangan"]}))
    return pd.concat(parts, ignore_index=True)


def write_workbook(dataset: Dataset, year: int, path: Path, when: datetime.datetime) -> Path:
    """The year's capaian table as `capaian-<year>.xlsx` at `path` (written atomically)."""
    catalog = dataset.catalog
    table = compute(dataset, year)
    level = top_level(dataset)
    sasaran = capaian_table(table, catalog, year, level, "sasaran")
    tujuan = capaian_table(table, catalog, year, level, "tujuan")
    title = f"Tabel Capaian Kinerja {catalog.meta.get('instansi', '')} Tahun {year}".replace("  ", " ")
    sources = run_facts({"tahun": year}, when, dataset.data_dir)
    files = files_used(dataset, [year])
    return atomic_write(path, lambda tmp: write_capaian_workbook(
        tmp, title, sasaran, tujuan, desa_rows(table, catalog, year), sources, files))


def annual_report(dataset: Dataset, year: int, output_dir: Path, timeout: int = DEFAULT_TIMEOUT) -> Produced:
    """Execute and convert the annual notebook for `year` into `output_dir/<year>/`."""
    dataset.check_year(year)
    check_kernel()
    folder = Path(output_dir) / str(year)
    stem = annual_name(year)
    instansi = dataset.catalog.meta.get("instansi", "")
    title = f"Evaluasi Kinerja Tahunan IKU {year} – {instansi}".rstrip(" –")
    xlsx = f"capaian-{year}.xlsx"

    def workbook(tmp: Path) -> list[str]:
        write_workbook(dataset, year, tmp / xlsx, datetime.datetime.now())
        return [xlsx]

    params = {"tahun": int(year), "data_dir": str(Path(dataset.data_dir).resolve())}
    return _run(NOTEBOOKS_DIR / ANNUAL_NOTEBOOK, folder, stem, params, title, timeout, workbook)


def trend_report(dataset: Dataset, start: int, end: int, output_dir: Path,
                 timeout: int = DEFAULT_TIMEOUT) -> Produced:
    """Execute and convert the trend notebook for `start`..`end` into `output_dir/tren/`."""
    dataset.check_year(start)
    dataset.check_year(end)
    if end < start:
        raise ParameterError(f"tahun awal {start} sesudah tahun akhir {end}")
    check_kernel()
    instansi = dataset.catalog.meta.get("instansi", "")
    title = f"Tren IKU {start}–{end} – {instansi}".rstrip(" –")
    params = {"tahun_awal": int(start), "tahun_akhir": int(end), "data_dir": str(Path(dataset.data_dir).resolve())}
    return _run(NOTEBOOKS_DIR / TREND_NOTEBOOK, Path(output_dir) / TREND_DIR, trend_name(start, end), params,
                title, timeout)


def trend_years(dataset: Dataset) -> tuple[int, int]:
    """The years of the trend report: from the Renstra period's first year (when the data has
    it, else the first year of data) to the last year of data."""
    period = dataset.catalog.meta.get("periode") or []
    first = int(period[0]) if len(period) and int(period[0]) in dataset.years else min(dataset.years)
    return first, max(dataset.years)


def find_reports(output_dir: Path) -> list[tuple[str, Path, list[Path]]]:
    """Finished reports under `output_dir`: (title, html, other files), annual by year then trends."""
    out_dir = Path(output_dir)
    found = []
    for folder in sorted(p for p in out_dir.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name)):
        html = folder / f"{annual_name(int(folder.name))}.html"
        if html.is_file():
            extra = [p for p in (folder / f"capaian-{folder.name}.xlsx", html.with_suffix(".ipynb")) if p.is_file()]
            found.append((f"Evaluasi Kinerja Tahunan {folder.name}", html, extra))
    trend_dir = out_dir / TREND_DIR
    if trend_dir.is_dir():
        for html in sorted(trend_dir.glob("tren-*-*.html")):
            m = re.fullmatch(r"tren-(\d{4})-(\d{4})\.html", html.name)
            if m:
                extra = [p for p in (html.with_suffix(".ipynb"),) if p.is_file()]
                found.append((f"Tren {m.group(1)}–{m.group(2)}", html, extra))
    return found


def index_html(output_dir: Path, meta: dict, when: datetime.datetime) -> str:
    """The index page linking every finished report in `output_dir` (relative links)."""
    out_dir = Path(output_dir)
    labels = {".xlsx": "tabel capaian (Excel)", ".ipynb": "notebook hasil eksekusi"}
    items = []
    for title, html, extra in find_reports(out_dir):
        links = "".join(f' · <a href="{esc(p.relative_to(out_dir).as_posix())}">{esc(labels.get(p.suffix, p.name))}</a>'
                        for p in extra)
        items.append(f'<li><a href="{esc(html.relative_to(out_dir).as_posix())}">{esc(title)}</a>{links}</li>')
    listing = f'<ul class="laporan">{"".join(items)}</ul>' if items else "<p>Belum ada laporan.</p>"
    body = (f'<header class="sampul" style="break-after:auto;page-break-after:auto">'
            f'<p class="instansi">{esc(meta.get("instansi", ""))}</p>'
            f"<h1>Laporan Indikator Kinerja Utama (IKU)</h1>"
            f'<p class="tanggal">Diperbarui: {esc(waktu(when))}</p></header>'
            f"<h2>Daftar laporan</h2>{listing}"
            "<p>Setiap laporan adalah satu berkas HTML yang dapat dibuka tanpa jaringan dan dicetak (A4). "
            "Notebook hasil eksekusi disimpan untuk memeriksa atau mengulang perhitungan.</p>")
    return page(f"Laporan IKU – {meta.get('instansi', '')}", body)


def write_index(output_dir: Path, meta: dict, when: datetime.datetime | None = None) -> Path:
    """Write `output_dir/index.html` (atomically)."""
    html = index_html(output_dir, meta, when or datetime.datetime.now())
    path = Path(output_dir) / INDEX_FILE
    return atomic_write(path, lambda tmp: tmp.write_text(html, encoding="utf-8"))


def run(dataset: Dataset, output_dir: Path, years: list[int], trend: bool, timeout: int = DEFAULT_TIMEOUT,
        progress: Callable[[str], None] = print) -> list[Produced]:
    """Produce the annual reports for `years` (and the trend report), then the index page,
    reporting progress as `[i/n] ...` lines. Stops at the first failure (NotebookError)."""
    for year in years:
        dataset.check_year(year)
    check_kernel()
    jobs: list[tuple[str, Callable[[], Produced]]] = [
        (f"evaluasi tahunan {y}", lambda y=y: annual_report(dataset, y, output_dir, timeout)) for y in years]
    if trend:
        start, end = trend_years(dataset)
        jobs.append((f"tren {start}–{end}", lambda: trend_report(dataset, start, end, output_dir, timeout)))
    produced = []
    for i, (label, job) in enumerate(jobs, start=1):
        progress(f"[{i}/{len(jobs)}] {label} ...")
        began = time.monotonic()
        done = job()
        progress(f"[{i}/{len(jobs)}] {label}: selesai dalam {angka(time.monotonic() - began, 1)} detik -> {done.html}")
        produced.append(done)
    index = write_index(output_dir, dataset.catalog.meta)
    progress(f"indeks laporan: {index}")
    return produced
