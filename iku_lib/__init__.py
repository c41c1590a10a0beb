"""iku_lib: Indikator Kinerja Utama (IKU) of a kecamatan, per desa and aggregated, graded."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("iku")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

from .capaian import achievement, add_capaian, grade
from .catalog import Catalog, load_catalog
from .compute import COLUMNS, compute, compute_year
from .dataset import Dataset, load_dataset
from .exceptions import CatalogError, DataError, IkuError, ParameterError
from .problems import Problem, problems_frame
from .quality import quality_problems, validate
from .tables import capaian_table, desa_breakdown, top_level

__all__ = [
    "COLUMNS", "Catalog", "CatalogError", "DataError", "Dataset", "IkuError", "ParameterError", "Problem",
    "__version__", "achievement", "add_capaian", "compute", "compute_year", "grade", "load_catalog",
    "load_dataset", "problems_frame", "quality_problems", "validate",
    "capaian_table", "desa_breakdown", "top_level",
]
