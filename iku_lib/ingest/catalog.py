"""The IKU catalog: indicators, variables, achievement and grading settings, as data.

Loaded from one YAML file: the package's default (`iku_lib/data/iku.yaml`) or a data
directory's own `iku.yaml`, which replaces it whole.

An indicator is either computed from desa variables (`nilai: desa`, the default: numerator
and denominator variables, a factor and a missing-value policy) or reported directly
(`nilai: langsung`: an IKM score, a figure published by another agency), whose values come
from `realisasi.csv` (see `direct`). A catalog may mix both kinds.

>>> cat = load_catalog()
>>> ind = cat.indicators.loc["IKU-09"]
>>> (ind["pembilang"], ind["penyebut"], float(ind["faktor"]), ind["polaritas"], ind["nilai"])
('tindak_kriminal', 'penduduk', 10000.0, 'negatif', 'desa')
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..exceptions import CatalogError
from ..resources import default_catalog

CATALOG_FILE = "iku.yaml"
NUMBER_OF_DESA = "jumlah_desa"  # denominator keyword: every desa counts 1
POLARITIES = ("positif", "negatif")
MISSING_POLICIES = ("tidak_tercapai", "dikecualikan")
VARIABLE_KINDS = ("jumlah", "rupiah", "flag")
NEGATIVE_VARIANTS = ("2t-r", "t/r")
# Efficiency of the budget used (LKjIP chapter III.A.6), sources in docs/methodology.md:
#   rasio:   indeks efisiensi = capaian / serapan (Badan POM); efficient when >= 1
#   selisih: capaian - serapan in points against a margin `batas` (Kabupaten Banjarnegara: 5)
EFFICIENCY_RATIO = "rasio"
EFFICIENCY_DIFFERENCE = "selisih"
EFFICIENCY_METHODS = (EFFICIENCY_RATIO, EFFICIENCY_DIFFERENCE)
EFFICIENCY_KEYS = ("metode", "batas")
DEFAULT_EFFICIENCY_MARGIN = 5.0  # Banjarnegara: above 5 efisien, -5 to 5 cukup efisien, below -5 tidak efisien
DESA_BASED = "desa"  # `nilai: desa`: computed from desa variables (the default)
DIRECT = "langsung"  # `nilai: langsung`: the value is reported directly (realisasi.csv)
VALUE_KINDS = (DESA_BASED, DIRECT)
# Fields every indicator has, and those only an indicator computed from desa variables has.
COMMON_FIELDS = ("id", "jenis", "sasaran_strategis", "nama", "rumus", "satuan", "polaritas", "sumber_data", "desimal")
DESA_FIELDS = ("pembilang", "penyebut", "faktor", "kosong")
INDICATOR_FIELDS = (
    "id", "jenis", "sasaran_strategis", "nama", "rumus", "pembilang", "penyebut",
    "faktor", "satuan", "polaritas", "kosong", "sumber_data", "desimal", "nilai",
)


@dataclass(frozen=True)
class EfficiencySetting:
    """The catalog's `efisiensi` section: the method and, for `selisih`, its margin in points.

    >>> EfficiencySetting()
    EfficiencySetting(metode='rasio', batas=None)
    """

    metode: str = EFFICIENCY_RATIO
    batas: float | None = None  # only for `selisih`: the half-width of the `cukup efisien` band


@dataclass(frozen=True)
class Catalog:
    """Everything the indicator definitions say; `indicators` is indexed by id."""

    path: Path
    indicators: pd.DataFrame
    variables: dict[str, dict[str, str]]
    grades: list[tuple[float | None, str]]
    negative_variant: str = "2t-r"
    cap: float | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    efficiency: EfficiencySetting = field(default_factory=EfficiencySetting)

    @property
    def ids(self) -> list[str]:
        return list(self.indicators.index)

    @property
    def direct_ids(self) -> list[str]:
        """Indicators whose values are reported directly (`nilai: langsung`), in catalog order."""
        return list(self.indicators.index[self.indicators["nilai"] == DIRECT])

    @property
    def desa_ids(self) -> list[str]:
        """Indicators computed from desa variables, in catalog order."""
        return list(self.indicators.index[self.indicators["nilai"] == DESA_BASED])

    def is_direct(self, ident: str) -> bool:
        return self.indicators.at[ident, "nilai"] == DIRECT

    def used_variables(self) -> list[str]:
        """The variables the desa-based indicators use, in the order of the `variabel` section."""
        used = set(self.indicators.loc[self.desa_ids, "pembilang"]) | set(self.indicators.loc[self.desa_ids, "penyebut"])
        return [name for name in self.variables if name in used]

    def variable_kind(self, name: str) -> str:
        return self.variables[name]["jenis"]


def catalog_path(data_dir: Path | None = None) -> Path:
    """The catalog a data directory uses: its own iku.yaml if present, else the default."""
    if data_dir is not None and (Path(data_dir) / CATALOG_FILE).is_file():
        return Path(data_dir) / CATALOG_FILE
    return default_catalog()


def load_catalog(data_dir: Path | str | None = None) -> Catalog:
    """Load and check the catalog for `data_dir` (or the package default)."""
    path = catalog_path(Path(data_dir) if data_dir is not None else None)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CatalogError(f"{path}: katalog IKU tidak dapat dibaca: {exc}") from None
    if not isinstance(raw, dict):
        raise CatalogError(f"{path}: katalog IKU harus berupa pemetaan YAML")
    return _parse(path, raw)


def _fail(path: Path, msg: str) -> CatalogError:
    return CatalogError(f"{path}: {msg}")


def _parse(path: Path, raw: dict) -> Catalog:
    variables = raw.get("variabel") or {}
    if not isinstance(variables, dict):
        raise _fail(path, "bagian 'variabel' tidak berupa pemetaan")
    for name, spec in variables.items():
        if not isinstance(spec, dict) or spec.get("jenis") not in VARIABLE_KINDS:
            raise _fail(path, f"variabel '{name}': 'jenis' harus salah satu dari {', '.join(VARIABLE_KINDS)}")
        spec.setdefault("label", name)
        spec.setdefault("keterangan", "")

    rows = raw.get("indikator") or []
    if not isinstance(rows, list) or not rows:
        raise _fail(path, "bagian 'indikator' kosong atau tidak berupa daftar")
    seen: set[str] = set()
    records = []
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise _fail(path, f"indikator ke-{i} tidak berupa pemetaan")
        ident = row.get("id", f"ke-{i}")
        if ident in seen:
            raise _fail(path, f"indikator {ident} tercantum dua kali")
        seen.add(ident)
        records.append(_parse_indicator(path, ident, row, variables))
    if not variables and any(r["nilai"] == DESA_BASED for r in records):
        raise _fail(path, "bagian 'variabel' kosong, padahal ada indikator yang dihitung dari data desa")
    indicators = pd.DataFrame(records, columns=list(INDICATOR_FIELDS)).set_index("id", drop=False)
    indicators.index.name = None
    indicators["faktor"] = indicators["faktor"].astype(float)

    settings = raw.get("capaian") or {}
    variant = settings.get("negatif", "2t-r")
    if variant not in NEGATIVE_VARIANTS:
        raise _fail(path, f"capaian.negatif '{variant}' harus salah satu dari {', '.join(NEGATIVE_VARIANTS)}")
    cap = settings.get("batas_atas")
    if cap is not None and (not isinstance(cap, (int, float)) or cap <= 0):
        raise _fail(path, "capaian.batas_atas harus angka positif atau null")

    grades = _parse_grades(path, raw.get("predikat"))
    efficiency = _parse_efficiency(path, raw.get("efisiensi"))
    meta = {k: v for k, v in raw.items() if k not in ("variabel", "indikator", "capaian", "predikat", "efisiensi")}
    wilayah = meta.setdefault("wilayah", {})
    wilayah.setdefault("level", "kecamatan")
    wilayah["kode"] = str(wilayah.get("kode", ""))
    wilayah.setdefault("nama", "")
    return Catalog(path, indicators, variables, grades, variant,
                   None if cap is None else float(cap), meta, efficiency)


def _parse_indicator(path: Path, ident: str, row: dict, variables: dict) -> dict:
    """One indicator's fields, checked; desa-only fields are None for a direct indicator."""
    kind = row.get("nilai", DESA_BASED)
    if kind not in VALUE_KINDS:
        raise _fail(path, f"indikator {ident}: nilai '{kind}' harus '{DESA_BASED}' (dihitung dari data desa) atau "
                          f"'{DIRECT}' (dilaporkan langsung di realisasi.csv)")
    direct = kind == DIRECT
    required = COMMON_FIELDS if direct else COMMON_FIELDS + DESA_FIELDS
    missing = [f for f in required if f not in row]
    if missing:
        raise _fail(path, f"indikator {ident}: kolom wajib tidak ada: {', '.join(missing)}")
    unknown = [f for f in row if f not in INDICATOR_FIELDS]
    if unknown:
        raise _fail(path, f"indikator {ident}: kolom tidak dikenal: {', '.join(map(str, unknown))}")
    if direct:
        given = [f for f in DESA_FIELDS if f in row]
        if given:
            raise _fail(path, f"indikator {ident} dilaporkan langsung (nilai: {DIRECT}) sehingga tidak memakai "
                              f"{', '.join(given)}; hapus kolom itu, atau hapus 'nilai: {DIRECT}' bila indikator "
                              "ini dihitung dari data desa")
    if row["polaritas"] not in POLARITIES:
        raise _fail(path, f"indikator {ident}: polaritas '{row['polaritas']}' harus positif atau negatif")
    if not isinstance(row["desimal"], int) or isinstance(row["desimal"], bool) or row["desimal"] < 0:
        raise _fail(path, f"indikator {ident}: desimal harus bilangan bulat >= 0")
    if direct:
        return {**{f: row[f] for f in COMMON_FIELDS}, "pembilang": None, "penyebut": None, "faktor": float("nan"),
                "kosong": None, "nilai": DIRECT}
    if row["kosong"] not in MISSING_POLICIES:
        raise _fail(path, f"indikator {ident}: kebijakan kosong '{row['kosong']}' harus salah satu dari "
                          f"{', '.join(MISSING_POLICIES)}")
    if row["pembilang"] not in variables:
        raise _fail(path, f"indikator {ident}: pembilang '{row['pembilang']}' bukan variabel di bagian 'variabel'")
    if row["penyebut"] != NUMBER_OF_DESA and row["penyebut"] not in variables:
        raise _fail(path, f"indikator {ident}: penyebut '{row['penyebut']}' bukan variabel atau '{NUMBER_OF_DESA}'")
    if not isinstance(row["faktor"], (int, float)) or isinstance(row["faktor"], bool) or row["faktor"] <= 0:
        raise _fail(path, f"indikator {ident}: faktor harus angka positif")
    return {**{f: row[f] for f in COMMON_FIELDS + DESA_FIELDS}, "nilai": DESA_BASED}


def _parse_grades(path: Path, raw: Any) -> list[tuple[float | None, str]]:
    if not isinstance(raw, list) or not raw:
        raise _fail(path, "bagian 'predikat' harus daftar {min, label}")
    grades: list[tuple[float | None, str]] = []
    previous = float("inf")
    for band in raw:
        if not isinstance(band, dict) or "label" not in band or "min" not in band:
            raise _fail(path, "setiap predikat harus punya 'min' dan 'label'")
        low = band["min"]
        if low is not None:
            if not isinstance(low, (int, float)) or low >= previous:
                raise _fail(path, "nilai 'min' predikat harus angka yang menurun dari atas ke bawah")
            previous = float(low)
        grades.append((None if low is None else float(low), str(band["label"])))
    if grades[-1][0] is not None:
        raise _fail(path, "predikat terakhir harus 'min: null' (menampung semua nilai di bawahnya)")
    if any(low is None for low, _ in grades[:-1]):
        raise _fail(path, "hanya predikat terakhir yang boleh 'min: null'")
    return grades


def _parse_efficiency(path: Path, raw: Any) -> EfficiencySetting:
    """The `efisiensi` section: absent means `rasio`; `selisih` takes `batas` (default 5)."""
    if raw is None:
        return EfficiencySetting()
    example = (f"misalnya 'efisiensi: {{metode: {EFFICIENCY_RATIO}}}' atau "
               f"'efisiensi: {{metode: {EFFICIENCY_DIFFERENCE}, batas: 5}}'")
    if not isinstance(raw, dict):
        raise _fail(path, f"bagian 'efisiensi' harus berupa pemetaan, {example}")
    unknown = [str(k) for k in raw if k not in EFFICIENCY_KEYS]
    if unknown:
        raise _fail(path, f"efisiensi: kunci tidak dikenal: {', '.join(unknown)}; "
                          f"yang dikenal: {', '.join(EFFICIENCY_KEYS)}")
    method = raw.get("metode", EFFICIENCY_RATIO)
    if method not in EFFICIENCY_METHODS:
        raise _fail(path, f"efisiensi.metode '{method}' harus salah satu dari {', '.join(EFFICIENCY_METHODS)}")
    margin = raw.get("batas")
    if method == EFFICIENCY_RATIO:
        if margin is not None:
            raise _fail(path, f"efisiensi.batas hanya dipakai metode {EFFICIENCY_DIFFERENCE}; metode "
                              f"{EFFICIENCY_RATIO} menilai efisien bila indeks efisiensi >= 1")
        return EfficiencySetting(EFFICIENCY_RATIO)
    if margin is None:
        margin = DEFAULT_EFFICIENCY_MARGIN
    if (not isinstance(margin, (int, float)) or isinstance(margin, bool)
            or not math.isfinite(margin) or margin < 0):
        raise _fail(path, f"efisiensi.batas '{margin}' harus angka >= 0 (dalam poin persen), misalnya 5")
    return EfficiencySetting(EFFICIENCY_DIFFERENCE, float(margin))
