"""Runs of `iku report` shared by test_report.py and test_browser.py.

Each run happens once per test session (the notebooks are executed through papermill as a
user would, in a separate process), whichever test asks first; the outputs live in one
temporary folder removed at exit. Under pytest-xdist (`make test`) the workers share the runs:
the first to ask makes one while the others wait on its lock file, in the folder that
tests/conftest.py names in SHARED_VARIABLE and removes at the end.
"""

from __future__ import annotations

import atexit
import csv
import functools
import io
import os
import pickle
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path

import yaml

try:
    import fcntl
except ImportError:  # Windows: each process makes its own runs
    fcntl = None

from .conftest import RAW, ROOT, run_iku

_ROOT = Path(tempfile.mkdtemp(prefix="iku-report-tests-"))
atexit.register(shutil.rmtree, _ROOT, True)
SHARED_VARIABLE = "IKU_UJI_LAPORAN_BERSAMA"  # a folder the processes of one test session share

# Desa names a report must show as text and an Excel sheet must keep as text.
SCRIPT_DESA = "<script>alert(1)</script>"
FORMULA_DESA = "=1+2"


@dataclass
class Run:
    """One data directory and the reports made from it."""

    data_dir: Path
    output_dir: Path
    results: list[subprocess.CompletedProcess]
    notes: dict = field(default_factory=dict)


def _once(name: str, make) -> Run:
    """`make(folder)` once per test session: in this process, or once for all of the session's
    processes when they share a folder (SHARED_VARIABLE; file locks, so not on Windows)."""
    shared = os.environ.get(SHARED_VARIABLE)
    if not shared or fcntl is None:
        return make(_ROOT / name)
    with open(Path(shared) / f"{name}.kunci", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        done = Path(shared) / f"{name}.pickle"
        if done.is_file():
            return pickle.loads(done.read_bytes())
        run = make(Path(shared) / name)
        done.write_bytes(pickle.dumps(run))
        return run


@functools.cache
def shipped() -> Run:
    """`iku report --all` on the shipped data (data/raw)."""
    return _once("shipped", _shipped)


def _shipped(out: Path) -> Run:
    result = run_iku("report", "--all", "--output-dir", str(out))
    return Run(RAW, out, [result])


def make_unseen(data: Path) -> None:
    """A data directory the project has never seen: its own catalog (other instansi, a list of
    misi, Renstra 2021-2024), four desa with hostile names, two years of hand-made values."""
    catalog = yaml.safe_load((ROOT / "iku_lib" / "data" / "iku.yaml").read_text(encoding="utf-8"))
    catalog["instansi"] = "Kantor Kecamatan Uji <b>Coba</b>"
    catalog["wilayah"] = {"level": "kecamatan", "kode": "9999999", "nama": "Uji & Coba"}
    catalog["periode"] = [2021, 2024]
    catalog["misi"] = ["Misi pertama", "Misi kedua <i>miring</i>"]
    data.mkdir(parents=True)
    (data / "iku.yaml").write_text(yaml.safe_dump(catalog, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (data / "desa.csv").write_text(
        "kode_desa,nama_desa\n9999999001,Alpha\n9999999002,\"=1+2\"\n"
        f"9999999003,{SCRIPT_DESA}\n9999999004,Delta & Co\n", encoding="utf-8")
    ids = [f"IKU-{i:02d}" for i in range(1, 11)] + ["IT-01"]
    base = {"IKU-01": 75, "IKU-02": 95, "IKU-03": 5, "IKU-04": 90, "IKU-05": 75, "IKU-06": 75, "IKU-07": 85,
            "IKU-08": 8, "IKU-09": 6, "IKU-10": 90, "IT-01": 75}
    lines = ["indikator,tahun,target"]
    for year, step in ((2021, 0), (2022, 1), (2024, 3)):
        for ident in ids:
            lines.append(f"{ident},{year},{base[ident] + step}")
    (data / "target.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    header = ("desa,penduduk,wajib_ktp,ktp_el,perangkat_desa,perangkat_melanggar,pbb_ketetapan,pbb_realisasi,"
              "rumah_ibadah,rumah_ibadah_baik,rumah_tinggal,rtlh,tindak_kriminal,laporan_kejadian,"
              "laporan_ditindaklanjuti,kegiatan_tepat_waktu,rkp_tepat_waktu,apb_tepat_waktu,keuangan_tertib")
    rows = {
        2021: ["9999999001,1000,700,650,10,1,10000000,9000000,5,4,300,30,1,4,3,1,1,0,1",
               "9999999002,2000,1500,1400,12,0,20000000,17000000,6,6,500,25,2,2,2,0,1,1,1",
               "9999999003,1500,1000,990,11,1,15000000,15000000,4,3,400,40,0,0,0,1,0,1,0",
               "9999999004,500,400,380,9,0,5000000,4000000,2,2,100,5,1,1,1,1,1,1,1"],
        2022: ["9999999001,1010,710,690,10,0,10000000,9500000,5,5,300,27,1,5,5,1,1,1,1",
               "9999999002,2020,1510,1450,12,1,20000000,18000000,6,6,505,22,1,3,2,1,1,1,1",
               "9999999003,1490,1005,1000,11,0,15000000,15300000,4,4,400,35,0,2,2,1,1,0,0",
               "9999999004,505,405,395,9,0,5000000,4500000,2,2,100,4,0,1,1,0,,1,1"],
    }
    for year, body in rows.items():
        (data / str(year)).mkdir()
        (data / str(year) / "data.csv").write_text(header + "\n" + "\n".join(body) + "\n", encoding="utf-8")


@functools.cache
def unseen() -> Run:
    """`iku report --year 2022`, then `iku report --all`, on the unseen data directory."""
    return _once("unseen", _unseen)


def _unseen(folder: Path) -> Run:
    data = folder / "data"
    make_unseen(data)
    before = {p.relative_to(data): p.read_bytes() for p in data.rglob("*") if p.is_file()}
    out = folder / "out"
    single = run_iku("report", "--year", "2022", "--data-dir", str(data), "--output-dir", str(out))
    index_after_single = (out / "index.html").read_text(encoding="utf-8") if (out / "index.html").exists() else ""
    full = run_iku("report", "--all", "--data-dir", str(data), "--output-dir", str(out))
    after = {p.relative_to(data): p.read_bytes() for p in data.rglob("*") if p.is_file()}
    return Run(data, out, [single, full], {"index_after_single": index_after_single,
                                           "data_unchanged": before == after})


class _Tables(HTMLParser):
    """Collects the text of every cell of the table with a given id, row by row."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.depth, self.rows, self.cell = table_id, 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            if self.depth or dict(attrs).get("id") == self.table_id:
                self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def table_rows(html: str, table_id: str) -> list[list[str]]:
    """Rows (header first) of the table `id=table_id`, each a list of cell texts."""
    parser = _Tables(table_id)
    parser.feed(html)
    return parser.rows


def indonesian_number(text: str) -> Decimal | None:
    """`1.234,56` -> Decimal('1234.56'); `–` -> None (an independent reading of the report)."""
    text = text.strip().rstrip("%")
    if text in ("–", ""):
        return None
    return Decimal(text.replace(".", "").replace(",", "."))


def rounded(value: str, decimals: int) -> Decimal | None:
    """A CSV number from `iku compute`, rounded half up as a reader expects; None when empty."""
    if value in ("", "nan"):
        return None
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def computed(data_dir: Path, year: int, level: str = "kecamatan") -> dict[str, dict[str, str]]:
    """`iku compute` for one year and level, by indicator (run as a user would)."""
    result = run_iku("compute", "--year", str(year), "--level", level, "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    return {row["indikator"]: row for row in csv.DictReader(io.StringIO(result.stdout))}


# Two kecamatan of one kabupaten, two desa each, 2022-2023; targets for Kaloran (332307) only,
# plus general targets that belong to the top level (the kabupaten) and must not be used for a kecamatan.
HEADER = ("desa,penduduk,wajib_ktp,ktp_el,perangkat_desa,perangkat_melanggar,pbb_ketetapan,pbb_realisasi,"
          "rumah_ibadah,rumah_ibadah_baik,rumah_tinggal,rtlh,tindak_kriminal,laporan_kejadian,"
          "laporan_ditindaklanjuti,kegiatan_tepat_waktu,rkp_tepat_waktu,apb_tepat_waktu,keuangan_tertib")
TWO_KECAMATAN_ROWS = {
    2022: ["3323070001,1000,700,650,10,1,10000000,9000000,5,4,300,30,1,4,3,1,1,0,1",
           "3323070002,2000,1500,1400,12,0,20000000,17000000,6,6,500,25,2,2,2,0,1,1,1",
           "3323060001,1500,1000,990,11,1,15000000,15000000,4,3,400,40,0,0,0,1,0,1,0",
           "3323060002,500,400,380,9,0,5000000,4000000,2,2,100,5,1,1,1,1,1,1,1"],
    2023: ["3323070001,1010,710,690,10,0,10000000,9500000,5,5,300,27,1,5,5,1,1,1,1",
           "3323070002,2020,1500,1350,12,1,20000000,18000000,6,6,505,22,1,3,2,1,1,1,1",
           "3323060001,1490,1000,900,11,0,15000000,15300000,4,4,400,35,0,2,2,1,1,0,0",
           "3323060002,505,400,380,9,0,5000000,4500000,2,2,100,4,0,1,1,0,1,1,1"],
}


def make_two_kecamatan(data: Path) -> None:
    """A register of two kecamatan (Kaloran 332307: Gandulan, Tegowanuh; Kandangan 332306:
    Kandangan, Baledu) in Kabupaten Temanggung, with the shipped catalog. target.csv: every
    indicator 2023 for Kaloran (IKU-01 = 90) and general targets (IKU-01 = 50) for the top level."""
    data.mkdir(parents=True)
    (data / "desa.csv").write_text(
        "kode_desa,nama_desa,kode_kecamatan,nama_kecamatan,kode_kabupaten,nama_kabupaten\n"
        "3323070001,Gandulan,332307,Kaloran,3323,Temanggung\n3323070002,Tegowanuh,332307,Kaloran,3323,Temanggung\n"
        "3323060001,Kandangan,332306,Kandangan,3323,Temanggung\n3323060002,Baledu,332306,Kandangan,3323,Temanggung\n",
        encoding="utf-8")
    ids = [f"IKU-{i:02d}" for i in range(1, 11)] + ["IT-01"]
    lines = ["indikator,tahun,target,kode_wilayah"]
    lines += [f"{ident},2023,{90 if ident == 'IKU-01' else 80},332307" for ident in ids]
    lines += [f"{ident},{year},50," for year in (2022, 2023) for ident in ids]
    (data / "target.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for year, body in TWO_KECAMATAN_ROWS.items():
        (data / str(year)).mkdir()
        (data / str(year) / "data.csv").write_text(HEADER + "\n" + "\n".join(body) + "\n", encoding="utf-8")
