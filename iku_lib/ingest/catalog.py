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
from .catalog_schema import (  # noqa: F401  (the catalog's vocabulary, imported from here by the rest)
    COMMON_FIELDS, DEFAULT_NATURE, DESA_BASED, DESA_FIELDS, DIRECT, EFFICIENCY_DIFFERENCE, EFFICIENCY_KEYS,
    EFFICIENCY_METHODS, EFFICIENCY_RATIO, FLOW, INDICATOR_FIELDS, MISSING_POLICIES, NATURES, NEGATIVE_VARIANTS,
    NUMBER_OF_DESA, POLARITIES, STOCK, VALUE_KINDS, VARIABLE_KINDS, check, path_text, shown, year_of,
)

CATALOG_FILE = "iku.yaml"
# Efficiency of the budget used (LKjIP chapter III.A.6), sources in docs/methodology.md:
#   rasio:   indeks efisiensi = capaian / serapan (Badan POM); efficient when >= 1
#   selisih: capaian - serapan in points against a margin `batas` (Kabupaten Banjarnegara: 5)
DEFAULT_EFFICIENCY_MARGIN = 5.0  # Banjarnegara: above 5 efisien, -5 to 5 cukup efisien, below -5 tidak efisien
MAX_CATALOG_BYTES = 1_000_000  # 1 MB, checked before parsing; the Kaloran catalog is about 12 kB
MAX_DEPTH = 20  # nesting levels; a catalog needs 4 (indikator > list > indicator > value)
MERGE_TAG = "tag:yaml.org,2002:merge"  # `<<: {...}` (harmless without an alias)


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

    @property
    def variable_positions(self) -> dict[str, int]:
        """Each variable's position in the `variabel` section (the `v` of the stage's tables)."""
        return {name: i for i, name in enumerate(self.variables)}

    def variable_kind(self, name: str) -> str:
        return self.variables[name]["jenis"]

    def nature(self, name: str) -> str | None:
        """How the variable's quarters add up: `alir` (summed) or `stok` (latest quarter); the
        catalog's `sifat`, else the default of its `jenis` (a flag: stok), else None (not set)."""
        return self.variables[name]["sifat"]


def catalog_path(data_dir: Path | None = None) -> Path:
    """The catalog a data directory uses: its own iku.yaml if present, else the default."""
    if data_dir is not None and (Path(data_dir) / CATALOG_FILE).is_file():
        return Path(data_dir) / CATALOG_FILE
    return default_catalog()


def load_catalog(data_dir: Path | str | None = None) -> Catalog:
    """Load and check the catalog for `data_dir` (or the package default).

    Raises one CatalogError for a file that cannot be read (too large, not UTF-8, a YAML
    syntax error, an alias) and one listing every problem of a catalog that is read but not
    valid (`catalog_schema.check`), each at its YAML path and line.
    """
    path = catalog_path(Path(data_dir) if data_dir is not None else None)
    raw, lines, duplicates = _read(path)
    problems = sorted(duplicates + check(raw), key=lambda problem: _line_of(lines, problem[0]) or math.inf)
    if problems:  # in file order, a section missing altogether last
        listed = [_problem_line(lines, where, msg) for where, msg in problems]
        if len(listed) == 1:
            raise CatalogError(f"{path}: katalog IKU tidak sah: {listed[0]}")
        raise CatalogError(f"{path}: katalog IKU tidak sah, {len(listed)} masalah:\n"
                           + "\n".join(f"- {line}" for line in listed))
    return _parse(path, raw)


class _Refused(yaml.MarkedYAMLError):
    """A YAML feature the catalog does not allow; the problem text is already in Bahasa Indonesia."""


class _CatalogLoader(yaml.SafeLoader):
    """yaml.SafeLoader (no Python objects) that also refuses anchors and aliases (`&a`, `*a`:
    a few lines of them can expand to billions of values, "billion laughs"), nesting deeper
    than MAX_DEPTH, and values Python cannot hold (a 5000-digit number, the date 2023-13-45)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(None, None, "anchor dan alias YAML (&nama, *nama) tidak diizinkan di katalog; "
                                       "tulis setiap nilai selengkapnya", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(None, None, f"bersarang lebih dari {MAX_DEPTH} tingkat; katalog tidak sedalam itu",
                               event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError):
            kinds = {"int": "bilangan", "float": "angka", "timestamp": "tanggal"}
            kind = kinds.get(node.tag.rsplit(":", 1)[-1], "nilai")
            value = shown(node.value) if isinstance(node.value, str) else ""
            raise _Refused(None, None, f"{value} tidak dapat dibaca sebagai {kind}; tulis dalam tanda kutip bila "
                                       "memang teks", node.start_mark) from None


def _read(path: Path) -> tuple[Any, dict, list]:
    """The YAML document in `path`, the line (from 1) of every path in it, and a problem for
    each key written twice in one mapping (YAML would silently keep the last).

    Refused before parsing: a file larger than MAX_CATALOG_BYTES, one that is not UTF-8.
    """
    def unreadable(why: str) -> CatalogError:
        return CatalogError(f"{path}: katalog IKU tidak dapat dibaca: {why}")

    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_CATALOG_BYTES + 1)
    except OSError as exc:
        raise unreadable(exc.strerror or str(exc)) from None
    if len(data) > MAX_CATALOG_BYTES:
        raise unreadable(f"berkas lebih besar dari {MAX_CATALOG_BYTES // 1_000_000} MB; katalog IKU "
                         "biasanya hanya beberapa puluh kB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise unreadable(f"bukan teks UTF-8 (baris {line}); simpan ulang sebagai UTF-8, misalnya di Notepad: "
                         "Simpan Sebagai, Encoding UTF-8") from None
    loader = None
    try:
        loader = _CatalogLoader(text)
        node = loader.get_single_node()
        if node is None:
            raise unreadable("berkas kosong (atau hanya berisi komentar); salin katalog bawaan lalu sesuaikan, "
                             "lihat docs/panduan.md")
        lines: dict = {}
        duplicates: list = []
        _node_lines(loader, node, (), lines, duplicates)
        raw = loader.construct_document(node)
    except _Refused as exc:
        raise unreadable(f"baris {exc.problem_mark.line + 1}: {exc.problem}") from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "constructor for the tag" in (exc.problem or ""):  # `!!python/object ...`: SafeLoader knows no such tag
            raise unreadable(f"baris {mark.line + 1}: tag YAML yang tidak dikenal tidak diizinkan di katalog "
                             f"({exc.problem})") from None
        raise unreadable(f"baris {mark.line + 1}: nilai tidak dapat dibaca ({exc.problem})") from None
    except yaml.MarkedYAMLError as exc:
        mark, start = exc.problem_mark or exc.context_mark, exc.context_mark
        where = f"baris {mark.line + 1}, kolom {mark.column + 1}" if mark else "tempat tidak diketahui"
        also = (f"; periksa juga baris {start.line + 1} ({exc.context})"
                if start and exc.problem_mark and start.line != mark.line else "")
        raise unreadable(f"penulisan YAML salah di {where} ({exc.problem or exc.context}){also}") from None
    except yaml.reader.ReaderError as exc:  # a control character (NUL, ...) that YAML does not allow
        line = text.count("\n", 0, exc.position) + 1
        raise unreadable(f"baris {line}: karakter kendali #x{exc.character:04x} tidak boleh ada di berkas YAML; "
                         "hapus karakter itu") from None
    except yaml.YAMLError as exc:
        raise unreadable(f"penulisan YAML salah ({exc})") from None
    finally:
        if loader is not None:
            loader.dispose()
    return raw, lines, duplicates


def _node_lines(loader: _CatalogLoader, node: yaml.Node, where: tuple, lines: dict, duplicates: list) -> None:
    """Record the line of `node` and of everything under it, by YAML path, and each key
    written twice in one mapping (as a problem: (path, message))."""
    lines[where] = node.start_mark.line + 1
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _node_lines(loader, item, where + (i,), lines, duplicates)
    elif isinstance(node, yaml.MappingNode):
        seen: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == MERGE_TAG:
                continue  # a list or mapping as key: PyYAML refuses it while constructing; `<<:` merges
            key = loader.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                duplicates.append((where + (key,), f"kunci '{key_node.value}' tertulis dua kali, di baris "
                                                   f"{seen[key]} dan baris {line}; YAML hanya memakai yang terakhir: "
                                                   "hapus salah satunya"))
                continue
            seen[key] = line
            _node_lines(loader, value_node, where + (key,), lines, duplicates)


def _line_of(lines: dict, where: tuple) -> int | None:
    """The line of `where`, or of its nearest ancestor in the file (a missing key: its mapping);
    None for a top-level section that is not there at all."""
    while where not in lines and len(where) > 1:
        where = where[:-1]
    return lines.get(where)


def _problem_line(lines: dict, where: tuple, msg: str) -> str:
    """`indikator[3].faktor (baris 62): ...`; `baris 3: ...` for the whole file; no line for a missing section."""
    line = _line_of(lines, where)
    if not where:
        return f"baris {line}: {msg}"
    return f"{path_text(where)}{'' if line is None else f' (baris {line})'}: {msg}"


def _parse(path: Path, raw: dict) -> Catalog:
    """The Catalog of a document that `catalog_schema.check` found valid (no check left here)."""
    variables = {name: {**spec, "label": spec.get("label", name), "keterangan": spec.get("keterangan", ""),
                        "sifat": spec.get("sifat", DEFAULT_NATURE.get(spec["jenis"]))}
                 for name, spec in (raw.get("variabel") or {}).items()}
    records = [_record(row) for row in raw["indikator"]]
    indicators = pd.DataFrame(records, columns=list(INDICATOR_FIELDS)).set_index("id", drop=False)
    indicators.index.name = None
    indicators["faktor"] = indicators["faktor"].astype(float)

    settings = raw.get("capaian") or {}
    cap = settings.get("batas_atas")
    grades = [(None if band["min"] is None else float(band["min"]), band["label"]) for band in raw["predikat"]]
    meta = {k: v for k, v in raw.items() if k not in ("variabel", "indikator", "capaian", "predikat", "efisiensi")}
    if meta.get("periode") is not None:
        meta["periode"] = [year_of(y) for y in meta["periode"]]
    wilayah = meta["wilayah"] = dict(meta.get("wilayah") or {})
    wilayah.setdefault("level", "kecamatan")
    wilayah["kode"] = str(wilayah.get("kode", ""))
    wilayah.setdefault("nama", "")
    return Catalog(path, indicators, variables, grades, settings.get("negatif", "2t-r"),
                   None if cap is None else float(cap), meta, _efficiency(raw.get("efisiensi")))


def _record(row: dict) -> dict:
    """One indicator's fields; desa-only fields are None for a direct indicator."""
    if row.get("nilai", DESA_BASED) == DIRECT:
        return {**{f: row[f] for f in COMMON_FIELDS}, "pembilang": None, "penyebut": None, "faktor": float("nan"),
                "kosong": None, "nilai": DIRECT}
    return {**{f: row[f] for f in COMMON_FIELDS + DESA_FIELDS}, "nilai": DESA_BASED}


def _efficiency(raw: dict | None) -> EfficiencySetting:
    """The `efisiensi` section: absent means `rasio`; `selisih` takes `batas` (default 5)."""
    if raw is None or raw.get("metode", EFFICIENCY_RATIO) == EFFICIENCY_RATIO:
        return EfficiencySetting(EFFICIENCY_RATIO)
    margin = raw.get("batas")
    return EfficiencySetting(EFFICIENCY_DIFFERENCE, DEFAULT_EFFICIENCY_MARGIN if margin is None else float(margin))
