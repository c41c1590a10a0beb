"""Producing the reports: execute a notebook with papermill, convert it with nbconvert to one
self-contained HTML page, export the capaian table and the LKjIP chapter to Excel (and Word,
`chapter_docx`, when installed), and write an index page.

Execution and conversion are separate steps. Parameters, and every folder the batch will
write, are checked before any kernel starts: a file where a folder should be, a read-only
folder or a full disk ends the run with one line naming the path and the reason
(`OutputError`). Each report folder (`<out>/<tahun>/`, `<out>/tren/`, ...) is built whole in a
hidden work folder beside it and then put in its place in one step (`outputs.replace_folder`),
so a report folder holds either the last good report or the new one, complete: never a mix,
whatever stops the run. Files in the folder that are not this report's are kept.

A run told to stop (SIGTERM, Ctrl-C = SIGINT, SIGHUP: `stop_on_signals`) ends its kernels and
its worker processes (each ends its own kernels and removes its work folders), removes its
work folders and leaves with `Stopped`; no process it started goes on writing. Worker
processes also stop when the run that started them dies any other way (Linux: a parent-death
signal; every kernel also ends within a second of its parent). Work folders left by a run
killed with SIGKILL are removed by the next run (`outputs.clean_stale`, rule in `outputs`).

The data is parsed once per run: `prepare` loads it through the processed store
(`ingest.store`: the project's `data/processed`, or for a data directory in no project a
temporary store inside the output folder, removed when the run ends), and every notebook
kernel and worker process is given that store (`processed_dir`) and loads it from there.
"""

from __future__ import annotations

import datetime
import importlib.util
import os
import re
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .annual import Area, annual_inputs, find_area, register_meta, report_areas
from .chapter import build_chapter
from .chapter_model import Chapter
from ..ingest import store
from ..ingest.dataset import Dataset, load_dataset
from ..exceptions import IkuError, ParameterError
from .excel import DESA_HEADERS, write_capaian_workbook
from ..formatting import angka, waktu
from .markup import esc
from .kernel import KERNEL_NAME, ThisPythonKernelManager, kill_kernels
from .notebook_format import nbformat
from ..outputs import (OutputError, atomic_write, carry_over, check_not_inside, check_output_dir, check_report_folder,
                       clean_stale, make_work_dir, reason, remove_all_work_dirs, replace_folder, work_dir)
from .page import external_resources, page
from ..project import NoProjectError, find_project
from .provenance import files_used, run_facts, store_facts, write_report_provenance
from ..resources import notebook as packaged_notebook
from .tables import capaian_table, desa_breakdown
from .trend import report_years

KERNEL = KERNEL_NAME
DEFAULT_TIMEOUT = 600  # seconds per cell
START_TIMEOUT = 120  # seconds for the kernel to start
START_ATTEMPTS = 3  # kernel starts tried per notebook (start-up races between parallel runs)
START_BACKOFF = 1.0  # seconds, times the attempt number, before starting again
# The kernel's own log stays off our stderr: not its notice about unencrypted local TCP, nor
# the "KeyboardInterrupt caught in kernel" ERROR it logs when jupyter_client's shutdown (which
# always interrupts first) meets a kernel still busy, which happens under load (parallel
# batches). A failing cell reaches us through the notebook (PapermillExecutionError), not the log.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
ANNUAL_NOTEBOOK = "01-evaluasi-tahunan.ipynb"
TREND_NOTEBOOK = "02-tren.ipynb"
COMPARISON_NOTEBOOK = "03-perbandingan.ipynb"
QUARTER_NOTEBOOK = "04-triwulan.ipynb"  # quarterly monitoring: <out>/<tahun>/triwulan-<n>/ (quarterly_names)
TREND_DIR = "tren"
INDEX_FILE = "index.html"
INJECTED_ID = "injected-parameters"
TEMPORARY_STORE = "olahan"  # a run's own processed store, for data in no project: <out>/.iku-tmp-olahan-*
WORKER_GRACE = 5.0  # seconds a stopped worker has to end its kernels and remove its work folders
AREA_LEVELS = ("kecamatan", "kabupaten", "provinsi")
# Parameters that say where this run keeps things, not what the report is: left out of the
# executed notebook that is kept (see `_normalise`).
RUN_PARAMETERS = ("processed_dir",)


class NotebookError(IkuError):
    """Raised when a notebook fails to execute or convert; names the notebook and the cell."""


class Stopped(KeyboardInterrupt):
    """The run was told to stop by a signal (`stop_on_signals`); `signum` says which."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        if self.signum == signal.SIGINT:
            return "Ctrl-C"
        try:
            return signal.Signals(self.signum).name
        except ValueError:
            return f"sinyal {self.signum}"


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


def default_output_dir(data_dir: Path) -> Path:
    """Where reports go when `--output-dir` is not given: the `outputs` folder of the current
    project, or else of the project that holds `data_dir`; ParameterError when there is none."""
    project = find_project() or find_project(data_dir)
    if project is None:
        raise NoProjectError(f"tidak ada proyek iku (berkas iku.toml) di folder ini maupun di atas {data_dir}, "
                             "sehingga folder hasil tidak diketahui; berikan --output-dir DIR, atau buat proyek "
                             "dengan `iku init FOLDER`")
    return project.outputs_dir


def prepare(data_dir: Path | str | None, output_dir: Path | str | None,
            years: list[int] | None = None, check: Callable[[Dataset], object] | None = None) -> tuple[Dataset, Path]:
    """Load and validate the data directory, check the years asked (`years`, when given), what
    `check(dataset)` checks (it raises ParameterError) and the output directory: raises
    DataError (with every error found) or ParameterError before anything runs, and before
    anything is written.

    The data comes through the processed store (`load_dataset`); a dataset that has none (a
    data directory in no project, a processed folder that cannot be written) is stored for
    this run in a temporary folder inside the output directory, removed when the process
    ends, so that the notebooks and workers do not parse the raw files again."""
    dataset = load_dataset(data_dir).require_valid()
    for year in years or []:
        dataset.check_year(year)
    if check is not None:
        check(dataset)
    out = Path(output_dir) if output_dir is not None else default_output_dir(Path(dataset.data_dir))
    check_not_inside(out, dataset.data_dir)
    out = check_output_dir(out.resolve())
    clean_output_dir(out)
    if getattr(dataset, "store", None) is None:
        _temporary_store(dataset, out)
    return dataset, out


def clean_output_dir(output_dir: Path) -> list[Path]:
    """Remove what runs killed earlier left in `output_dir` (`outputs.clean_stale`): in the
    folder itself, beside the per-area report folders and inside every report folder."""
    out = Path(output_dir)
    folders = [out]
    for level in AREA_LEVELS:
        if (out / level).is_dir():
            folders += [p for p in sorted((out / level).iterdir()) if p.is_dir() and not p.is_symlink()]
    reports = []
    for folder in folders:
        try:
            reports += [p for p in folder.iterdir()
                        if p.is_dir() and (re.fullmatch(r"\d{4}", p.name) or p.name == TREND_DIR)]
        except OSError:
            pass
    for report in [r for r in reports if r.name != TREND_DIR]:  # quarterly reports inside a year's folder
        reports += [p for p in report.glob("triwulan-[1-4]") if p.is_dir() and not p.is_symlink()]
    removed = []
    for folder in folders + reports:
        removed += clean_stale(folder)
    return removed


def _temporary_store(dataset: Dataset, output_dir: Path) -> None:
    """Store `dataset` in a work folder `<output_dir>/.iku-tmp-olahan-*/` for this run (removed
    when it ends; see `outputs`); when that fails, the notebooks parse the raw files
    themselves, as they would without a store."""
    try:
        folder = make_work_dir(output_dir, TEMPORARY_STORE)
    except OSError:
        return
    store.save(dataset, folder)


def processed_parameter(dataset: Dataset) -> dict[str, str]:
    """The notebook parameter naming the processed store the dataset is kept in (none without one)."""
    stored = getattr(dataset, "store", None)
    return {} if stored is None else {"processed_dir": str(Path(stored.processed_dir).resolve())}


def _first_line(source: str) -> str:
    lines = [line.strip() for line in str(source).splitlines() if line.strip()]
    return lines[0][:100] if lines else ""


def _cell_number(notebook: Path, source: str, executed_index: int) -> int:
    """The failing cell's number (from 1) in the notebook as written: the executed copy has an
    extra cell (papermill's injected parameters), so find the cell by its source."""
    cells = nbformat.read(notebook, as_version=4).cells
    same = [i for i, cell in enumerate(cells) if cell.source == source]
    return (min(same, key=lambda i: abs(i - executed_index)) if same else executed_index) + 1


def _start_failure(exc: BaseException) -> bool:
    """Whether `exc` is the kernel failing to start (a race for ports between kernels started at
    the same moment, a slow start), not the notebook failing: such a run is tried again."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, (PapermillExecutionError, CellTimeoutError, DeadKernelError)):
        return False
    try:
        import zmq
        if isinstance(exc, zmq.ZMQError):
            return True
    except ImportError:  # pragma: no cover - zmq comes with jupyter_client
        pass
    return isinstance(exc, (RuntimeError, TimeoutError))


def execute(notebook: Path, output: Path, parameters: dict, timeout: int = DEFAULT_TIMEOUT,
            attempts: int = START_ATTEMPTS) -> Path:
    """Run `notebook` with `parameters` into `output` (papermill; the kernel is this Python,
    see `kernel`).

    A kernel that fails to start (within START_TIMEOUT seconds) is started again, at most
    `attempts` times in all. Raises NotebookError naming the notebook and the failing cell.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    name = Path(notebook).name
    for attempt in range(1, attempts + 1):
        try:
            papermill.execute_notebook(
                str(notebook), str(output), parameters=parameters, kernel_name=KERNEL, progress_bar=False,
                log_output=False, execution_timeout=timeout, start_timeout=START_TIMEOUT,
                cwd=str(Path(output).parent), extra_arguments=KERNEL_ARGUMENTS,
                kernel_manager_class=ThisPythonKernelManager)
            break
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
        except Exception as exc:
            if not _start_failure(exc):
                raise
            Path(output).unlink(missing_ok=True)
            if attempt == attempts:
                raise NotebookError(f"notebook {name}: kernel {KERNEL} gagal dimulai setelah {attempts} percobaan "
                                    f"(batas {START_TIMEOUT} detik per percobaan): {type(exc).__name__}: {exc}") from None
            time.sleep(START_BACKOFF * attempt)
    return Path(output)


def _normalise(executed: Path, final: Path) -> None:
    """papermill gives the cell it injects a random id and records the temporary output path;
    give the cell a fixed id and record the final path, so the same run makes the same HTML
    and a notebook that differs only in the run's timing metadata (see `comparable_notebook`).

    The run's own parameters (`RUN_PARAMETERS`: where its processed store is, perhaps a
    temporary folder gone after the run) are left out of the kept notebook, which then reads
    as if run with the default: run again, it loads its project's store or parses the raw files."""
    nb = nbformat.read(executed, as_version=4)
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = INJECTED_ID
            cell.source = "".join(line for line in cell.source.splitlines(keepends=True)
                                  if not line.startswith(tuple(f"{name} = " for name in RUN_PARAMETERS)))
    if "papermill" in nb.metadata:
        nb.metadata["papermill"]["output_path"] = str(final)
        for name in RUN_PARAMETERS:
            nb.metadata["papermill"].get("parameters", {}).pop(name, None)
    nbformat.write(nb, executed)


TIMING_KEYS = ("start_time", "end_time", "duration")


def comparable_notebook(path: Path) -> dict:
    """An executed notebook without what differs from one run to the next by nature: the
    timings papermill and the kernel record (notebook and cell `papermill` start/end/duration,
    cell `execution` timestamps) and the folder it was written to (`output_path`). Two runs of
    the same batch, serial or parallel, give equal `comparable_notebook`s."""
    nb = nbformat.read(path, as_version=4)
    meta = nb.metadata.get("papermill", {})
    for key in TIMING_KEYS + ("output_path",):
        meta.pop(key, None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for key in TIMING_KEYS:
            cell.metadata.get("papermill", {}).pop(key, None)
    return nb


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


def _run(notebook: Path, folder: Path, stem: str, parameters: dict, title: str, timeout: int,
         extra: Callable[[Path], list[str]] | None = None) -> Produced:
    """Build the report in a work folder beside `folder` (the kernel's working directory too),
    then put it in place of `folder` in one step, with the files of `folder` that are not this
    report's. A failure leaves `folder` as it was (plus `<stem>.gagal.ipynb` when the notebook
    failed); an unwritable folder or a full disk is an OutputError naming the folder."""
    folder = Path(folder)
    check_report_folder(folder)
    failed = folder / f"{stem}.gagal.ipynb"
    real = folder.resolve() if folder.is_symlink() else folder  # a linked folder is replaced where it is
    try:
        with work_dir(real.parent, real.name) as tmp:
            executed = tmp / f"{stem}.ipynb"
            try:
                execute(notebook, executed, parameters, timeout)
                _normalise(executed, folder / f"{stem}.ipynb")
            except NotebookError as exc:
                if executed.exists():
                    folder.mkdir(parents=True, exist_ok=True)
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
            carry_over(real, tmp, set(names) | {failed.name})
            replace_folder(tmp, real)
    except (OSError, OutputError) as exc:
        raise OutputError(f"tidak dapat menulis laporan ke {folder}: {reason(exc)}; isi folder itu tidak diubah") \
            from None
    paths = [folder / name for name in names]
    return Produced(title, paths[-1], paths[0], tuple(paths[1:-1]))


def desa_rows(table, catalog, year: int):
    """Every indicator's desa breakdown stacked, for the Excel sheet "Rincian Desa" (columns
    `excel.DESA_HEADERS`: the indicator id and the desa's code as Kode Wilayah, as in the
    sheet "Capaian" and in `iku compute`)."""
    import pandas as pd

    parts = []
    for ident in catalog.desa_ids:  # an indicator reported directly has no desa rows
        b = desa_breakdown(table, catalog, ident, year)
        parts.append(pd.DataFrame({
            "Kode Indikator": ident, "Kode Wilayah": b["kode_desa"], "Desa": b["desa"], "Pembilang": b["pembilang"],
            "Penyebut": b["penyebut"], "Nilai": b["nilai"], "Satuan": catalog.indicators.loc[ident, "satuan"],
            "Keterangan": b["keterangan"]}))
    if not parts:
        return pd.DataFrame(columns=DESA_HEADERS)
    return pd.concat(parts, ignore_index=True)[DESA_HEADERS]


def write_workbook(dataset: Dataset, year: int, path: Path, when: datetime.datetime,
                   kode_wilayah: str | None = None, chapter: Chapter | None = None) -> Path:
    """The year's capaian table as `capaian-<year>.xlsx` at `path` (written atomically), for
    the whole register or for the area `kode_wilayah`; dated `when` (same inputs, same bytes).
    With `chapter` (the LKjIP chapter of the same year and area), its sheets too."""
    catalog = dataset.catalog
    inputs = annual_inputs(dataset, year, kode_wilayah)
    table = inputs.table
    sasaran = capaian_table(table, catalog, year, inputs.level, "sasaran")
    tujuan = capaian_table(table, catalog, year, inputs.level, "tujuan")
    instansi = inputs.meta.get("instansi", "")
    title = f"Tabel Capaian Kinerja {instansi} Tahun {year}".replace("  ", " ")
    params: dict[str, object] = {"tahun": year}
    if kode_wilayah is not None:
        params["kode_wilayah"] = kode_wilayah
    sources = run_facts(params, when, dataset.data_dir) + store_facts(dataset)
    files = files_used(dataset, [year])
    return atomic_write(path, lambda tmp: write_capaian_workbook(
        tmp, title, sasaran, tujuan, desa_rows(table, catalog, year), sources, files, when,
        decimals=catalog.indicators["desimal"].astype(int).to_dict(), chapter=chapter))


def docx_name(year: int) -> str:
    return f"laporan-kinerja-{year}.docx"


def word_writer() -> Callable[[Chapter, Path], None] | None:
    """`chapter_docx.write_chapter_docx` (the chapter as a Word file), or None while that module
    is not part of this installation."""
    if importlib.util.find_spec(f"{__package__}.chapter_docx") is None:
        return None
    from .chapter_docx import write_chapter_docx
    return write_chapter_docx


def write_chapter_files(dataset: Dataset, year: int, folder: Path, when: datetime.datetime,
                        kode_wilayah: str | None = None) -> list[str]:
    """The files made from the LKjIP chapter model beside the HTML report, in `folder`: the
    Excel workbook (`capaian-<year>.xlsx`, with the chapter's sheets) and, when the Word writer
    is installed, `laporan-kinerja-<year>.docx`; their names, in that order."""
    xlsx = f"capaian-{year}.xlsx"
    with tempfile.TemporaryDirectory(prefix=".tmp-gambar-", dir=folder) as figures:
        chapter = build_chapter(dataset, year, kode_wilayah, figures_dir=Path(figures))
        write_workbook(dataset, year, folder / xlsx, when, kode_wilayah, chapter)
        names = [xlsx]
        write_docx = word_writer()
        if write_docx is not None:
            path = folder / docx_name(year)
            atomic_write(path, lambda tmp: write_docx(chapter, tmp))
            names.append(path.name)
    return names


def batch_time() -> datetime.datetime:
    """The run time of a batch of reports, shared by all of them: SOURCE_DATE_EPOCH (seconds
    since 1970, the reproducible-builds convention) when set, else now (to the second)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.datetime.fromtimestamp(int(epoch))
        except (ValueError, OverflowError, OSError):
            raise ParameterError(f"SOURCE_DATE_EPOCH '{epoch}' bukan jumlah detik sejak 1970") from None
    return datetime.datetime.now().replace(microsecond=0)


def annual_folder(output_dir: Path, year: int, area: Area | None = None) -> Path:
    """`<out>/<year>/` for the whole register; `<out>/<level>/<kode>/<year>/` for one area."""
    if area is None:
        return Path(output_dir) / str(year)
    return Path(output_dir) / area.level / area.kode / str(year)


def annual_report(dataset: Dataset, year: int, output_dir: Path, timeout: int = DEFAULT_TIMEOUT,
                  kode_wilayah: str | None = None, when: datetime.datetime | None = None) -> Produced:
    """Execute and convert the annual notebook for `year` into `output_dir/<year>/` (whole
    register) or `output_dir/<level>/<kode>/<year>/` (the area `kode_wilayah`)."""
    dataset.check_year(year)
    area = None if kode_wilayah is None else find_area(dataset, str(kode_wilayah))
    when = when or batch_time()
    folder = annual_folder(output_dir, year, area)
    stem = annual_name(year)
    if area is None:
        instansi = register_meta(dataset).get("instansi", "")
        title = f"Evaluasi Kinerja Tahunan IKU {year} – {instansi}".rstrip(" –")
    else:
        title = f"Evaluasi Kinerja Tahunan IKU {year} – {area.level.capitalize()} {area.nama}"

    def workbook(tmp: Path) -> list[str]:
        names = write_chapter_files(dataset, year, tmp, when, kode_wilayah)
        return names + [write_report_provenance(dataset, year, tmp, when, kode_wilayah, names)]  # for iku verify

    params: dict[str, object] = {"tahun": int(year), "data_dir": str(Path(dataset.data_dir).resolve()),
                                 **processed_parameter(dataset)}
    if kode_wilayah is not None:
        params["kode_wilayah"] = str(kode_wilayah)
    params["waktu_eksekusi"] = when.isoformat()
    return _run(packaged_notebook(ANNUAL_NOTEBOOK), folder, stem, params, title, timeout, workbook)


def trend_report(dataset: Dataset, start: int, end: int, output_dir: Path,
                 timeout: int = DEFAULT_TIMEOUT, when: datetime.datetime | None = None) -> Produced:
    """Execute and convert the trend notebook for `start`..`end` into `output_dir/tren/`."""
    dataset.check_year(start)
    dataset.check_year(end)
    if end < start:
        raise ParameterError(f"tahun awal {start} sesudah tahun akhir {end}")
    when = when or batch_time()
    instansi = register_meta(dataset).get("instansi", "")
    title = f"Tren IKU {start}–{end} – {instansi}".rstrip(" –")
    params = {"tahun_awal": int(start), "tahun_akhir": int(end), "data_dir": str(Path(dataset.data_dir).resolve()),
              **processed_parameter(dataset), "waktu_eksekusi": when.isoformat()}
    return _run(packaged_notebook(TREND_NOTEBOOK), Path(output_dir) / TREND_DIR, trend_name(start, end), params,
                title, timeout)


def comparison_folder(output_dir: Path, first: int, last: int) -> Path:
    """`<out>/<year>/` for a comparison of one year; `<out>/tren/` for several, beside the trend."""
    return Path(output_dir) / (str(last) if first == last else TREND_DIR)


def comparison_report(dataset: Dataset, first: int, last: int, level: str | None, output_dir: Path,
                      timeout: int = DEFAULT_TIMEOUT, when: datetime.datetime | None = None) -> Produced:
    """Execute and convert the comparison notebook of the areas at `level` (None: the level
    below the top area) for `first`..`last` into `comparison_folder` as
    `perbandingan-<level>-<years>.html`, with its Excel workbook (`comparison_excel`)."""
    from .comparison import build_comparison, parameters
    from .comparison_excel import write_comparison_workbook

    when = when or batch_time()
    model = build_comparison(dataset, first, last, level)
    stem = model.name
    title = f"{model.title} – {model.subtitle}"

    def workbook(tmp: Path) -> list[str]:
        sources = run_facts(parameters(model, str(dataset.data_dir)), when, dataset.data_dir) + store_facts(dataset)
        files = files_used(dataset, model.years)
        path = atomic_write(tmp / f"{stem}.xlsx",
                            lambda out: write_comparison_workbook(out, model, sources, files, when))
        return [path.name]

    params: dict[str, object] = {"tahun": int(last), "level": model.level,
                                 "data_dir": str(Path(dataset.data_dir).resolve()), **processed_parameter(dataset),
                                 "waktu_eksekusi": when.isoformat()}
    if first != last:
        params["tahun_awal"] = int(first)
    return _run(packaged_notebook(COMPARISON_NOTEBOOK), comparison_folder(output_dir, first, last), stem, params,
                title, timeout, workbook)


def quarterly_report(dataset: Dataset, year: int, quarter: int, output_dir: Path, timeout: int = DEFAULT_TIMEOUT,
                     when: datetime.datetime | None = None) -> Produced:
    """Execute and convert the quarterly monitoring notebook of quarter `quarter` of `year` into
    `<out>/<year>/triwulan-<quarter>/` as `pemantauan-<year>-triwulan-<quarter>.html`, with its
    Excel workbook (`quarterly_excel`); see `quarterly`."""
    from .annual import register_names
    from .quarterly import build_monitoring
    from .quarterly_excel import write_monitoring_workbook
    from .quarterly_names import quarter_phrase, report_folder, report_stem, workbook_name
    from .quarterly_sources import with_quarter_files

    when = when or batch_time()
    model = build_monitoring(dataset, year, quarter, when.isoformat())
    year, quarter = model.year, model.quarter
    instansi = register_meta(dataset).get("instansi", "")
    title = f"Pemantauan IKU {quarter_phrase(year, quarter)} – {instansi}".rstrip(" –")

    def workbook(tmp: Path) -> list[str]:
        sources = run_facts({"tahun": year, "triwulan": quarter}, when, dataset.data_dir) + store_facts(dataset)
        files = with_quarter_files(files_used(dataset, [year]), model.files)
        desa = desa_rows(model.table, dataset.catalog, year)
        path = atomic_write(tmp / workbook_name(year, quarter), lambda out: write_monitoring_workbook(
            out, model, desa, register_names(dataset), sources, files, when))
        return [path.name]

    params: dict[str, object] = {"tahun": int(year), "triwulan": int(quarter),
                                 "data_dir": str(Path(dataset.data_dir).resolve()), **processed_parameter(dataset),
                                 "waktu_eksekusi": when.isoformat()}
    return _run(packaged_notebook(QUARTER_NOTEBOOK), report_folder(output_dir, year, quarter),
                report_stem(year, quarter), params, title, timeout, workbook)


def _comparisons_in(folder: Path) -> list[tuple[str, Path, list[Path]]]:
    """Finished comparison reports in a report folder (`<out>/<year>/` or `<out>/tren/`)."""
    from .comparison import NAME_PATTERN, level_phrase

    found = []
    for html in sorted(folder.glob("perbandingan-*.html")):
        m = NAME_PATTERN.fullmatch(html.stem)
        if m:
            period = m.group(2) if m.group(3) is None else f"{m.group(2)}–{m.group(3)}"
            extra = [p for p in (html.with_suffix(".xlsx"), html.with_suffix(".ipynb")) if p.is_file()]
            found.append((f"Perbandingan {level_phrase(m.group(1))} {period}", html, extra))
    return found


def _annual_in(folder: Path) -> list[tuple[str, Path, list[Path]]]:
    found = []
    for year_dir in sorted(p for p in folder.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name)):
        html = year_dir / f"{annual_name(int(year_dir.name))}.html"
        if html.is_file():
            extra = [p for p in (year_dir / f"capaian-{year_dir.name}.xlsx", year_dir / docx_name(int(year_dir.name)),
                                 html.with_suffix(".ipynb")) if p.is_file()]
            found.append((f"Evaluasi Kinerja Tahunan {year_dir.name}", html, extra))
    return found


def find_reports(output_dir: Path) -> list[tuple[str, Path, list[Path]]]:
    """Finished reports of the whole register under `output_dir`: (title, html, other files),
    annual by year, trends, then the comparisons of areas (by year, then of several years)."""
    out_dir = Path(output_dir)
    found = _annual_in(out_dir)
    from .quarterly_names import find_quarter_reports

    found += find_quarter_reports(out_dir)  # quarterly monitoring, by year then quarter
    trend_dir = out_dir / TREND_DIR
    if trend_dir.is_dir():
        for html in sorted(trend_dir.glob("tren-*-*.html")):
            m = re.fullmatch(r"tren-(\d{4})-(\d{4})\.html", html.name)
            if m:
                extra = [p for p in (html.with_suffix(".ipynb"),) if p.is_file()]
                found.append((f"Tren {m.group(1)}–{m.group(2)}", html, extra))
    for folder in [p for p in sorted(out_dir.iterdir()) if p.is_dir() and re.fullmatch(r"\d{4}", p.name)] + (
            [trend_dir] if trend_dir.is_dir() else []):  # comparisons of the areas: per year, then of several years
        found += _comparisons_in(folder)
    return found


def find_area_reports(output_dir: Path) -> list[tuple[str, str, list[tuple[str, Path, list[Path]]]]]:
    """Finished annual reports of single areas: (level, kode, reports), by level then code."""
    out_dir = Path(output_dir)
    found = []
    for level in ("kecamatan", "kabupaten", "provinsi"):
        if (out_dir / level).is_dir():
            for folder in sorted(p for p in (out_dir / level).iterdir() if p.is_dir()):
                reports = _annual_in(folder)
                if reports:
                    found.append((level, folder.name, reports))
    return found


def _link_label(path: Path, labels: dict[str, str]) -> str:
    if path.name.startswith("perbandingan-") and path.suffix == ".xlsx":
        return "tabel perbandingan (Excel)"
    if path.name.startswith("pemantauan-") and path.suffix == ".xlsx":
        return "tabel pemantauan (Excel)"
    return labels.get(path.suffix, path.name)


def _report_items(out_dir: Path, reports: list[tuple[str, Path, list[Path]]]) -> str:
    labels = {".xlsx": "tabel capaian (Excel)", ".docx": "bab kinerja (Word)", ".ipynb": "notebook hasil eksekusi"}
    items = []
    for title, html, extra in reports:
        links = "".join(f' · <a href="{esc(p.relative_to(out_dir).as_posix())}">{esc(_link_label(p, labels))}</a>'
                        for p in extra)
        items.append(f'<li><a href="{esc(html.relative_to(out_dir).as_posix())}">{esc(title)}</a>{links}</li>')
    return f'<ul class="laporan">{"".join(items)}</ul>'


def index_html(output_dir: Path, meta: dict, when: datetime.datetime, areas: list[Area] | None = None) -> str:
    """The index page linking every finished report in `output_dir` (relative links): the
    whole register's reports, then one group per area (named from `areas` when given)."""
    out_dir = Path(output_dir)
    whole = find_reports(out_dir)
    per_area = find_area_reports(out_dir)
    names = {(a.level, a.kode): a for a in (areas or [])}
    parts = []
    if whole:
        listing = _report_items(out_dir, whole)
        parts.append(f"<h3>Seluruh wilayah data</h3>{listing}" if per_area else listing)
    for level, kode, reports in per_area:
        area = names.get((level, kode))
        label = f"{level.capitalize()} {area.nama} ({kode})" if area else f"{level.capitalize()} {kode}"
        parts.append(f'<h3 id="{esc(level)}-{esc(kode)}">{esc(label)}</h3>{_report_items(out_dir, reports)}')
    listing = "".join(parts) if parts else "<p>Belum ada laporan.</p>"
    body = (f'<header class="sampul" style="break-after:auto;page-break-after:auto">'
            f'<p class="instansi">{esc(meta.get("instansi", ""))}</p>'
            f"<h1>Laporan Indikator Kinerja Utama (IKU)</h1>"
            f'<p class="tanggal">Diperbarui: {esc(waktu(when))}</p></header>'
            f"<h2>Daftar laporan</h2>{listing}"
            "<p>Setiap laporan adalah satu berkas HTML yang dapat dibuka tanpa jaringan dan dicetak (A4). "
            "Notebook hasil eksekusi disimpan untuk memeriksa atau mengulang perhitungan.</p>")
    return page(f"Laporan IKU – {meta.get('instansi', '')}", body)


def write_index(output_dir: Path, meta: dict, when: datetime.datetime | None = None,
                areas: list[Area] | None = None) -> Path:
    """Write `output_dir/index.html` (atomically)."""
    html = index_html(output_dir, meta, when or datetime.datetime.now(), areas)
    path = Path(output_dir) / INDEX_FILE
    return atomic_write(path, lambda tmp: tmp.write_text(html, encoding="utf-8"))


@dataclass(frozen=True)
class Job:
    """One report of a batch: `kind` "annual" (year, area code or None) or "trend" (start, end)."""

    kind: str
    label: str
    year: int = 0
    kode: str | None = None
    end: int = 0


_WORKER_DATASETS: dict[tuple[str, str | None], Dataset] = {}


def _do(job: Job, dataset: Dataset, output_dir: Path, timeout: int, when: datetime.datetime) -> Produced:
    if job.kind == "trend":
        return trend_report(dataset, job.year, job.end, output_dir, timeout, when)
    return annual_report(dataset, job.year, output_dir, timeout, job.kode, when)


def job_folder(job: Job, output_dir: Path, areas: list[Area]) -> Path:
    """The report folder `job` replaces."""
    if job.kind == "trend":
        return Path(output_dir) / TREND_DIR
    area = next((a for a in areas if a.kode == job.kode), None) if job.kode is not None else None
    if job.kode is not None and area is None:
        return Path(output_dir) / "kecamatan" / str(job.kode) / str(job.year)
    return annual_folder(output_dir, job.year, area)


def _worker_init(parent: int) -> None:
    """In each worker process: Ctrl-C (which a terminal sends to the whole process group) is
    left to the run, which stops the workers itself; SIGTERM (from the run, or from Linux when
    the run dies however it dies) ends the worker's kernels, removes its work folders and ends it."""
    # Ignored, not handled: a handled signal would break the worker's waits on its kernel (EINTR in zmq,
    # taken for a failed start). The kernels inherit the ignoring, and ipykernel sets its own SIGINT
    # handler while it runs a cell, so interrupting a cell (the time limit) still works.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stop)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, _worker_stop)
    _die_with_parent()
    if os.getppid() != parent:  # the run ended before this worker was ready
        _worker_stop(signal.SIGTERM, None)


def _worker_stop(signum: int, frame) -> None:
    for name in ("SIGTERM", "SIGHUP"):  # a second request must not interrupt this clean-up halfway
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    kill_kernels()
    remove_all_work_dirs()
    os._exit(128 + signum)


def _die_with_parent() -> None:
    """Linux: SIGTERM to this process when its parent ends (even by SIGKILL); elsewhere nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _worker(job: Job, data_dir: str, processed_dir: str | None, output_dir: Path, timeout: int,
            when: datetime.datetime) -> tuple[Produced, float]:
    """One job in a worker process: the dataset is loaded once per worker, from the run's
    processed store."""
    began = time.monotonic()
    key = (data_dir, processed_dir)
    if key not in _WORKER_DATASETS:
        _WORKER_DATASETS[key] = load_dataset(data_dir, processed_dir=processed_dir).require_valid()
    produced = _do(job, _WORKER_DATASETS[key], output_dir, timeout, when)
    return produced, time.monotonic() - began


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def plan(dataset: Dataset, years: list[int], trend: bool) -> tuple[list[Job], list[Area]]:
    """The jobs of a batch: per year one annual report of the whole register, or, when the
    register has several kecamatan, one per kecamatan; then the trend report of the whole register."""
    areas = report_areas(dataset)
    jobs = []
    for y in years:
        if areas:
            jobs += [Job("annual", f"evaluasi tahunan {y} – {a.level.capitalize()} {a.nama}", y, a.kode) for a in areas]
        else:
            jobs.append(Job("annual", f"evaluasi tahunan {y}", y))
    if trend:
        start, end = report_years(dataset.catalog, dataset.years)
        jobs.append(Job("trend", f"tren {start}–{end}", start, None, end))
    return jobs, areas


def run(dataset: Dataset, output_dir: Path, years: list[int], trend: bool, timeout: int = DEFAULT_TIMEOUT,
        progress: Callable[[str], None] = print, jobs: int | None = None) -> list[Produced]:
    """Produce the annual reports for `years` (per kecamatan when the register has several;
    and the trend report), then the index page, reporting progress as `[i/n] ...` lines.

    `jobs` reports run at once in worker processes (default: the number of cores; 1 runs
    them one after the other in this process). Every report of the batch shows the same run
    time (`batch_time`), so a batch makes the same files whatever `jobs` is. Stops at the
    first failure (NotebookError): reports not yet started are not started.
    """
    for year in years:
        dataset.check_year(year)
    n_jobs = default_jobs() if jobs is None else int(jobs)
    if n_jobs < 1:
        raise ParameterError("--jobs harus paling sedikit 1")
    todo, areas = plan(dataset, years, trend)
    for job in todo:  # before any kernel starts: a file in the way, a read-only folder
        check_report_folder(job_folder(job, output_dir, areas))
    when = batch_time()
    n = len(todo)
    results: dict[int, Produced] = {}

    def done(i: int, produced: Produced, seconds: float) -> None:
        results[i] = produced
        progress(f"[{i}/{n}] {todo[i - 1].label}: selesai dalam {angka(seconds, 1)} detik -> {produced.html}")

    if n_jobs == 1 or n <= 1:
        for i, job in enumerate(todo, start=1):
            progress(f"[{i}/{n}] {job.label} ...")
            began = time.monotonic()
            done(i, _do(job, dataset, output_dir, timeout, when), time.monotonic() - began)
    else:
        _run_parallel(todo, str(Path(dataset.data_dir).resolve()), processed_parameter(dataset).get("processed_dir"),
                      Path(output_dir), timeout, when, min(n_jobs, n), progress, done)
    index = write_index(output_dir, register_meta(dataset), when, areas)
    progress(f"indeks laporan: {index}")
    return [results[i] for i in sorted(results)]


def _run_parallel(todo: list[Job], data_dir: str, processed_dir: str | None, output_dir: Path, timeout: int,
                  when: datetime.datetime, workers: int, progress: Callable[[str], None],
                  done: Callable[[int, Produced, float], None]) -> None:
    """Run `todo` in `workers` processes, at most `workers` submitted at a time (so a `...`
    line is printed when a report really starts)."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    n = len(todo)
    queue = list(enumerate(todo, start=1))
    running = {}
    context = multiprocessing.get_context("spawn")  # no fork of a process with threads
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init,
                             initargs=(os.getpid(),)) as pool:
        _POOLS.append(pool)
        try:
            while queue or running:
                while queue and len(running) < workers:
                    i, job = queue.pop(0)
                    progress(f"[{i}/{n}] {job.label} ...")
                    running[pool.submit(_worker, job, data_dir, processed_dir, output_dir, timeout, when)] = i
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    i = running.pop(future)
                    produced, seconds = future.result()  # a NotebookError stops the batch
                    done(i, produced, seconds)
        except Exception:  # a failing report: the reports running finish, none is started
            queue.clear()
            for future in running:
                future.cancel()
            raise
        except BaseException:  # told to stop: the workers end now, with their kernels
            queue.clear()
            for future in running:
                future.cancel()
            _stop_workers(pool)
            raise
        finally:
            _POOLS.remove(pool)


_POOLS: list = []  # the worker pools of the runs going on in this process


def _worker_processes(pool) -> list:
    return list((getattr(pool, "_processes", None) or {}).values())


def _signal_workers() -> None:
    """Ask every worker to stop (SIGTERM): it ends its kernels and removes its work folders."""
    for pool in list(_POOLS):
        for process in _worker_processes(pool):
            try:
                process.terminate()
            except (OSError, ValueError, AttributeError):
                pass


def _stop_workers(pool) -> None:
    """Stop the workers of `pool` and wait for them: WORKER_GRACE seconds to end by themselves
    (SIGTERM), then killed."""
    processes = _worker_processes(pool)
    for process in processes:
        try:
            if process.is_alive():
                process.terminate()
        except (OSError, ValueError, AttributeError):
            pass
    deadline = time.monotonic() + WORKER_GRACE
    for process in processes:
        try:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(1.0)
        except (OSError, ValueError, AttributeError, AssertionError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within this block, SIGTERM, SIGINT (Ctrl-C) and SIGHUP stop the run: this process's
    kernels are killed, its workers told to stop, and `Stopped` is raised, so that every work
    folder is removed on the way out; at the end of the block every work folder this process
    still holds (the run's temporary store) is removed. Only in the main thread (elsewhere
    signals cannot be handled, and the block only cleans up)."""
    if threading.current_thread() is not threading.main_thread():
        try:
            yield
        finally:
            remove_all_work_dirs()
        return
    stopping: list[int] = []

    def handler(signum, frame):
        if stopping:  # already stopping: let the clean-up finish
            return
        stopping.append(signum)
        kill_kernels()
        _signal_workers()
        raise Stopped(signum)

    names = ["SIGTERM", "SIGINT", "SIGHUP"]
    previous = {}
    for name in names:
        if hasattr(signal, name):
            number = getattr(signal, name)
            previous[number] = signal.signal(number, handler)
    try:
        yield
    finally:
        try:
            remove_all_work_dirs()
        finally:
            for number, old in previous.items():
                signal.signal(number, old)
