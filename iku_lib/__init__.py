"""iku_lib: Indikator Kinerja Utama (IKU) of a kecamatan, per desa and aggregated, graded.

Quick start, in a project folder (one made by `iku init`, or any folder below it):

    from iku_lib import compute, load_dataset
    data = load_dataset()                   # the current project's data/raw
    table = compute(data)                   # every year of the data, as a pandas DataFrame
    table[table["level"] == "kecamatan"][["indikator", "nama_indikator", "tahun", "nilai", "capaian"]]

`compute(data, 2023)` or `compute(data, [2022, 2023], level="kecamatan")` narrow it down.
The table has the columns of `iku compute` (`COLUMNS`) plus `nama_indikator`, `dihitung`,
`catatan` and `sumber_nilai` (`API_COLUMNS`). `validate(data)` lists every problem of the data
(`problems_frame` makes it a table); `verify("outputs/2023")` checks a report folder against
its data (`Verification.matches`, `.differences`, `.file_changes`, as `iku verify`). The user
guide (in Bahasa Indonesia) is `PANDUAN.md` in a project made by `iku init`, and
docs/panduan.md in the repository.
`compute_quarter(data, 2023, 2)` computes to the end of a quarter (triwulan) from the quarter
folders `2023/triwulan-<n>/`, with the columns `triwulan` and `dasar_target` besides;
`build_monitoring(data, 2023, 2)` is what the quarterly monitoring report shows (its path,
completeness and early warning, as `iku report --year 2023 --triwulan 2`).
`build_comparison(data, 2021, 2023, "kecamatan")` puts the areas of a level side by side (as
`iku report --bandingkan`): per indicator their ranking (`rank_areas`), the matrix of capaian.

The subpackages follow the data's way, and import only from those before them:
`ingest` (raw files -> a checked `Dataset`, kept in data/processed) -> `engine` (indicators,
capaian, predikat) -> `report` (tables, charts, narrative, HTML/Excel) -> `cli` (`iku`).
Modules at the top (`exceptions`, `problems`, `problem_file`, `formatting`, `project`,
`resources`, `outputs`, `hashing`, `version`) are shared by all of them.
"""

from .version import package_version

__version__ = package_version()  # from git tags (setuptools-scm); see iku_lib/version.py

from .engine.capaian import achievement, add_capaian, grade
from .engine.compute import API_COLUMNS, COLUMNS, compute, compute_year
from .engine.quality import quality_problems, validate
from .exceptions import CatalogError, DataError, IkuError, ParameterError
from .ingest.catalog import Catalog, load_catalog
from .ingest.dataset import Dataset, load_dataset
from .problems import Problem, problems_frame
from .project import Project, current_project, find_project

# The report side of the API is imported when first used, so that `iku compute` and scripts that
# only compute do not pay for loading the report modules (openpyxl, matplotlib's helpers).
_LATER = {"write_forms": ".report.forms", "capaian_table": ".report.tables", "desa_breakdown": ".report.tables",
          "top_level": ".report.tables", "verify": ".report.verify",
          # quarterly monitoring (issue 14): cumulative to a quarter, from <tahun>/triwulan-<n>/
          "compute_quarter": ".engine.quarterly", "quarter_path": ".engine.quarterly",
          "read_quarters": ".ingest.quarters", "build_monitoring": ".report.quarterly",
          # areas side by side (iku report --bandingkan): per indicator rankings, the capaian matrix
          "rank_areas": ".engine.ranking", "build_comparison": ".report.comparison"}


def __getattr__(name: str):
    if name in _LATER:
        import importlib

        value = getattr(importlib.import_module(_LATER[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "API_COLUMNS", "COLUMNS", "Catalog", "CatalogError", "DataError", "Dataset", "IkuError", "ParameterError",
    "Problem", "Project", "__version__", "achievement", "add_capaian", "compute", "compute_year",
    "current_project", "find_project", "grade", "load_catalog", "load_dataset", "problems_frame",
    "quality_problems", "validate", "write_forms", "capaian_table", "desa_breakdown", "top_level", "verify",
    "compute_quarter", "quarter_path", "read_quarters", "build_monitoring", "rank_areas", "build_comparison",
]
