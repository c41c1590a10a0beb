"""What a valid catalog (`iku.yaml`) looks like, checked whole: every problem, each at its YAML path.

`check(raw)` takes the catalog as YAML gives it (any shape at all: a list where a mapping
belongs, `null` where text belongs, `.inf`, `true` where a number belongs ...) and returns every
problem it finds, in file order, as `(path, message)`: `path` a tuple of keys and list indexes
(`("indikator", 3, "faktor")`, shown by `path_text` as `indikator[3].faktor`, indexes from 0),
the message in Bahasa Indonesia. It never raises: a catalog that passes is safe for
`catalog._parse` to build without any further check. `catalog.load_catalog` reads the file
(size cap, UTF-8, no aliases) and turns the problems into one CatalogError.

>>> for path, message in check({"predikat": [{"min": None, "label": "Semua"}],
...                              "indikator": [{"id": "A", "faktor": float("inf"), "nilai": "desa"}]}):
...     print(path_text(path), "|", message[:60])
indikator[0] | indikator A: kolom wajib tidak ada: jenis, sasaran_strategis
indikator[0].faktor | indikator A: faktor harus angka positif, bukan .inf
variabel | bagian 'variabel' kosong, padahal ada indikator yang dihitun
>>> path_text(("variabel", "penduduk", "jenis")), path_text(("indikator", 3, "faktor")), path_text(())
('variabel.penduduk.jenis', 'indikator[3].faktor', 'katalog')
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Any

from .reading import normalise_header

YamlPath = tuple  # keys (str) and list indexes (int), from the top of the file
Problem = tuple[YamlPath, str]

NUMBER_OF_DESA = "jumlah_desa"  # denominator keyword: every desa counts 1
POLARITIES = ("positif", "negatif")
MISSING_POLICIES = ("tidak_tercapai", "dikecualikan")
VARIABLE_KINDS = ("jumlah", "rupiah", "flag")
# How a variable's quarters (triwulan) add up to the year (docs/methodology.md, "Quarters"):
# `alir` (a flow: receipts, cases, reports) is summed over the quarters to date, `stok` (a stock:
# residents, houses, a yes/no status) is the latest quarter's value. A flag is always a stock;
# a count or an amount of money can be either, so it has no default and is written per variable.
FLOW, STOCK = "alir", "stok"
NATURES = (FLOW, STOCK)
DEFAULT_NATURE = {"flag": STOCK}
INDICATOR_KINDS = ("sasaran", "tujuan")  # the reports show exactly these two groups
NEGATIVE_VARIANTS = ("2t-r", "t/r")
EFFICIENCY_RATIO = "rasio"
EFFICIENCY_DIFFERENCE = "selisih"
EFFICIENCY_METHODS = (EFFICIENCY_RATIO, EFFICIENCY_DIFFERENCE)
EFFICIENCY_KEYS = ("metode", "batas")
DESA_BASED = "desa"
DIRECT = "langsung"
VALUE_KINDS = (DESA_BASED, DIRECT)
COMMON_FIELDS = ("id", "jenis", "sasaran_strategis", "nama", "rumus", "satuan", "polaritas", "sumber_data", "desimal")
DESA_FIELDS = ("pembilang", "penyebut", "faktor", "kosong")
INDICATOR_FIELDS = (
    "id", "jenis", "sasaran_strategis", "nama", "rumus", "pembilang", "penyebut",
    "faktor", "satuan", "polaritas", "kosong", "sumber_data", "desimal", "nilai",
)
INDICATOR_TEXT_FIELDS = ("sasaran_strategis", "nama", "rumus", "satuan", "sumber_data")
VARIABLE_KEYS = ("jenis", "label", "keterangan", "sifat")
WILAYAH_KEYS = ("level", "kode", "nama")
CAPAIAN_KEYS = ("negatif", "batas_atas")
GRADE_KEYS = ("min", "label")
TEXT_OR_LIST_KEYS = ("visi", "misi", "tujuan")  # one text, or a list of texts (several missions)
# The key column of a data table, and the denominator keyword: no variable may take these names.
RESERVED_VARIABLES = ("desa", NUMBER_OF_DESA)
YEAR = re.compile(r"\d{4}")


def path_text(path: YamlPath) -> str:
    """`indikator[3].faktor`; a key that is not a plain word is quoted: `variabel['jumlah penduduk']`."""
    out = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        elif isinstance(part, str) and re.fullmatch(r"[\w-]+", part):
            out += f".{part}" if out else part
        else:
            out += f"[{shown(part)}]"
    return out or "katalog"


def shown(value: Any) -> str:
    """A value as the message shows it, as it would be written in YAML (long text cut).

    >>> [shown(v) for v in (None, True, float("nan"), float("-inf"), 2.5, "lima", [1], {})]
    ['null', 'true', '.nan', '-.inf', '2.5', "'lima'", 'sebuah daftar', 'sebuah pemetaan']
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    if isinstance(value, (int, float)):
        try:
            text = str(value)
        except ValueError:  # an int of more than 4300 digits (written in hexadecimal, 0x...)
            return "bilangan yang sangat panjang"
        return text if len(text) <= 20 else text[:17] + "..."
    if isinstance(value, str):
        return f"'{value if len(value) <= 60 else value[:57] + '...'}'"
    if isinstance(value, list):
        return "sebuah daftar"
    if isinstance(value, dict):
        return "sebuah pemetaan"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"tanggal {value.isoformat()}"
    if isinstance(value, bytes):
        return "data biner (!!binary)"
    if isinstance(value, set):
        return "himpunan (!!set)"
    return f"'{type(value).__name__}'"  # nothing else comes out of yaml.SafeLoader


def is_number(value: Any) -> bool:
    """A finite int or float; `true`/`false` (a bool, an int in Python) is not a number here."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def is_text(value: Any) -> bool:
    return isinstance(value, str)


def check(raw: Any) -> list[Problem]:
    """Every problem of the catalog `raw` (the YAML document, of any shape), in file order."""
    if not isinstance(raw, dict):
        return [((), f"katalog IKU harus berupa pemetaan YAML (baris 'kunci: nilai', misalnya "
                      f"'instansi: Kantor Kecamatan ...'), bukan {shown(raw)}")]
    problems: list[Problem] = []
    for key in raw:
        if not is_text(key):
            problems.append(((key,), f"kunci {shown(key)} harus teks, misalnya 'instansi'"))
    _text(problems, raw, ("instansi",), required=False)
    _wilayah(problems, raw.get("wilayah"), "wilayah" in raw)
    _period(problems, raw.get("periode"))
    for key in TEXT_OR_LIST_KEYS:
        _text_or_list(problems, raw, key)
    _capaian(problems, raw.get("capaian"))
    _grades(problems, raw.get("predikat"), "predikat" in raw)
    _efficiency(problems, raw.get("efisiensi"))
    variables = _variables(problems, raw.get("variabel"))
    _indicators(problems, raw.get("indikator"), variables)
    return problems


def _text(problems: list[Problem], mapping: dict, path: YamlPath, required: bool = True,
          prefix: str = "", example: str = "") -> None:
    """`mapping[path[-1]]` must be text (when present, or always when `required`)."""
    key = path[-1]
    if key not in mapping:
        if required:
            problems.append((path[:-1], f"{prefix}kolom wajib tidak ada: {key}"))
        return
    value = mapping[key]
    if value is None:
        problems.append((path, f"{prefix}{key} kosong (null); isi teksnya{example}"
                               + ("" if required else " atau hapus baris ini")))
    elif not is_text(value):
        problems.append((path, f"{prefix}{key} harus teks, bukan {shown(value)}{_quote_hint(value)}"))


def _quote_hint(value: Any) -> str:
    """For a number, yes/no value or date where text belongs: how to write it as text."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"; bila memang teks, tulis dalam tanda kutip: \"{value.isoformat()}\""
    if isinstance(value, (bool, int, float)) and not shown(value).startswith("bilangan"):
        return f"; bila memang teks, tulis dalam tanda kutip: \"{shown(value)}\""
    return ""


def _unknown_keys(problems: list[Problem], mapping: dict, path: YamlPath, known: tuple, prefix: str = "") -> None:
    unknown = [k for k in mapping if k not in known]
    for key in unknown:
        problems.append((path + (key,), f"{prefix}kunci tidak dikenal: {shown(key) if not is_text(key) else key}; "
                                        f"yang dikenal: {', '.join(known)}"))


def _wilayah(problems: list[Problem], raw: Any, present: bool) -> None:
    if not present:
        return
    path = ("wilayah",)
    if not isinstance(raw, dict):
        problems.append((path, "harus pemetaan {level, kode, nama}, misalnya 'wilayah: {level: kecamatan, "
                               f"kode: \"3323070\", nama: Kaloran}}', bukan {shown(raw)}"))
        return
    _unknown_keys(problems, raw, path, WILAYAH_KEYS)
    for key in ("level", "nama"):
        _text(problems, raw, path + (key,), required=False)
    if "kode" in raw:
        kode = raw["kode"]
        if not (is_text(kode) or (isinstance(kode, int) and not isinstance(kode, bool) and kode >= 0)):
            problems.append((path + ("kode",), f"harus kode BPS wilayah sebagai teks, misalnya \"3323070\", "
                                              f"bukan {shown(kode)}"))


def _period(problems: list[Problem], raw: Any) -> None:
    """`periode: [2019, 2023]`: two four-digit years, the first not after the last; null means none."""
    path = ("periode",)
    example = "misalnya 'periode: [2019, 2023]'"
    if raw is None:
        return
    if not isinstance(raw, list):
        problems.append((path, f"harus daftar dua tahun [tahun_awal, tahun_akhir], {example}, bukan {shown(raw)}"))
        return
    if len(raw) != 2:
        problems.append((path, f"harus berisi tepat dua tahun [tahun_awal, tahun_akhir], {example}; "
                               f"tertulis {len(raw)} nilai"))
    years = []
    for i, value in enumerate(raw):
        year = year_of(value)
        if year is None:
            problems.append((path + (i,), f"{shown(value)} bukan tahun empat angka, misalnya 2023"))
        years.append(year)
    if len(years) == 2 and None not in years and years[0] > years[1]:
        problems.append((path, f"[{years[0]}, {years[1]}] terbalik: tahun awal harus lebih dahulu, "
                               f"misalnya [{years[1]}, {years[0]}]"))


def year_of(value: Any) -> int | None:
    """A four-digit year written as a number (2023) or as text ("2023"); else None."""
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return value
    if isinstance(value, str) and YEAR.fullmatch(value.strip()):
        return int(value)
    return None


def _text_or_list(problems: list[Problem], raw: dict, key: str) -> None:
    if key not in raw:
        return
    value = raw[key]
    if isinstance(value, list):
        if not value:
            problems.append(((key,), "daftar kosong; isi teksnya atau hapus baris ini"))
        for i, item in enumerate(value):
            if not is_text(item):
                problems.append(((key, i), f"harus teks, bukan {shown(item)}"))
    elif value is None:
        problems.append(((key,), "kosong (null); isi teksnya atau hapus baris ini"))
    elif not is_text(value):
        problems.append(((key,), f"harus teks (atau daftar teks), bukan {shown(value)}"))


def _capaian(problems: list[Problem], raw: Any) -> None:
    path = ("capaian",)
    if raw is None:
        return
    if not isinstance(raw, dict):
        problems.append((path, f"harus pemetaan, misalnya 'capaian: {{negatif: \"2t-r\", batas_atas: null}}', "
                               f"bukan {shown(raw)}"))
        return
    _unknown_keys(problems, raw, path, CAPAIAN_KEYS)
    if "negatif" in raw and raw["negatif"] not in NEGATIVE_VARIANTS:
        problems.append((path + ("negatif",), f"{shown(raw['negatif'])} harus salah satu dari "
                                              f"{', '.join(NEGATIVE_VARIANTS)}"))
    cap = raw.get("batas_atas")
    if cap is not None and not (is_number(cap) and cap > 0):
        problems.append((path + ("batas_atas",), f"harus angka positif atau null, bukan {shown(cap)}"))


def _grades(problems: list[Problem], raw: Any, present: bool) -> None:
    path = ("predikat",)
    if not isinstance(raw, list) or not raw:
        problems.append((path, ("harus" if present else "bagian 'predikat' tidak ada; tuliskan")
                               + " daftar {min, label} yang tidak kosong, misalnya "
                               "'- {min: 91, label: Sangat Tinggi}' ... '- {min: null, label: Sangat Rendah}'"
                               + ("" if isinstance(raw, list) or not present else f", bukan {shown(raw)}")))
        return
    previous: float | None = None
    for i, band in enumerate(raw):
        where = path + (i,)
        if not isinstance(band, dict):
            problems.append((where, f"harus pemetaan {{min, label}}, bukan {shown(band)}"))
            continue
        _unknown_keys(problems, band, where, GRADE_KEYS)
        missing = [k for k in GRADE_KEYS if k not in band]
        if missing:
            problems.append((where, f"setiap predikat harus punya 'min' dan 'label'; tidak ada: {', '.join(missing)}"))
        if "label" in band:
            _text(problems, band, where + ("label",))
        if "min" not in band:
            continue
        low = band["min"]
        last = i == len(raw) - 1
        if low is None:
            if not last:
                problems.append((where + ("min",), "hanya predikat terakhir yang boleh 'min: null'"))
            continue
        if not is_number(low):
            problems.append((where + ("min",), f"harus angka (atau null untuk predikat terakhir), bukan {shown(low)}"))
            continue
        if previous is not None and low >= previous:
            problems.append((where + ("min",), f"{shown(low)} tidak lebih kecil dari min predikat di atasnya "
                                               f"({shown(previous)}): nilai 'min' harus menurun dari atas ke bawah"))
        previous = low
        if last:
            problems.append((where + ("min",), "predikat terakhir harus 'min: null' (menampung semua nilai di "
                                               f"bawahnya), bukan {shown(low)}"))


def _efficiency(problems: list[Problem], raw: Any) -> None:
    """The `efisiensi` section: absent means `rasio`; `selisih` takes `batas` (default 5)."""
    path = ("efisiensi",)
    if raw is None:
        return
    example = (f"misalnya 'efisiensi: {{metode: {EFFICIENCY_RATIO}}}' atau "
               f"'efisiensi: {{metode: {EFFICIENCY_DIFFERENCE}, batas: 5}}'")
    if not isinstance(raw, dict):
        problems.append((path, f"bagian 'efisiensi' harus berupa pemetaan, {example}; bukan {shown(raw)}"))
        return
    _unknown_keys(problems, raw, path, EFFICIENCY_KEYS)
    method = raw.get("metode", EFFICIENCY_RATIO)
    if method not in EFFICIENCY_METHODS:
        problems.append((path + ("metode",), f"{shown(method)} harus salah satu dari {', '.join(EFFICIENCY_METHODS)}"))
        return
    margin = raw.get("batas")
    if method == EFFICIENCY_RATIO:
        if margin is not None:
            problems.append((path + ("batas",), f"hanya dipakai metode {EFFICIENCY_DIFFERENCE}; metode "
                                                f"{EFFICIENCY_RATIO} menilai efisien bila indeks efisiensi >= 1"))
    elif "batas" in raw and not (is_number(margin) and margin >= 0):
        problems.append((path + ("batas",), f"harus angka >= 0 (dalam poin persen), misalnya 5, bukan {shown(margin)}"))


def _variables(problems: list[Problem], raw: Any) -> set[str] | None:
    """Check `variabel`; return the names (also of variables with a bad spec), None when the
    section itself is unusable (so that indicators are not blamed for it)."""
    path = ("variabel",)
    if raw is None:
        return set()
    if not isinstance(raw, dict):
        problems.append((path, f"bagian 'variabel' harus pemetaan nama: {{jenis, label, keterangan}}, "
                               f"misalnya 'penduduk: {{jenis: jumlah, label: Jumlah penduduk}}', bukan {shown(raw)}"))
        return None
    names: set[str] = set()
    for name, spec in raw.items():
        where = path + (name,)
        if not is_text(name):
            problems.append((where, f"nama variabel {shown(name)} harus teks yang diawali huruf, misalnya "
                                    "'penduduk' atau 'ktp_el'"))
            continue
        names.add(name)
        header = normalise_header(name)
        if header != name or not header:
            fix = f"; tulis '{header}'" if header else ""
            problems.append((where, f"variabel '{name}': nama ini tidak akan pernah cocok dengan judul kolom mana "
                                    "pun (judul kolom dibaca dengan huruf kecil, spasi dan tanda baca menjadi '_')"
                                    + fix))
        elif name in RESERVED_VARIABLES:
            problems.append((where, f"variabel '{name}': nama ini dipakai iku sendiri ('desa' adalah kolom "
                                    f"kunci, '{NUMBER_OF_DESA}' penyebut khusus); pilih nama lain"))
        if not isinstance(spec, dict):
            problems.append((where, f"variabel '{name}' harus pemetaan {{jenis, label, keterangan}}, misalnya "
                                    f"'{name}: {{jenis: jumlah, label: ...}}', bukan {shown(spec)}"))
            continue
        _unknown_keys(problems, spec, where, VARIABLE_KEYS, prefix=f"variabel '{name}': ")
        if spec.get("jenis") not in VARIABLE_KINDS:
            problems.append((where + ("jenis",) if "jenis" in spec else where,
                             f"variabel '{name}': 'jenis' harus salah satu dari {', '.join(VARIABLE_KINDS)}"
                             + (f", bukan {shown(spec['jenis'])}" if "jenis" in spec else "; tidak ada 'jenis'")))
        for key in ("label", "keterangan"):
            _text(problems, spec, where + (key,), required=False, prefix=f"variabel '{name}': ")
        _nature(problems, where, name, spec)
    return names


def _nature(problems: list[Problem], where: YamlPath, name: str, spec: dict) -> None:
    """`sifat`: alir or stok when given; a flag (a yes/no status) cannot be summed, so only stok."""
    if "sifat" not in spec:
        return
    nature = spec["sifat"]
    if nature not in NATURES:
        problems.append((where + ("sifat",), f"variabel '{name}': sifat harus {FLOW} (dijumlahkan dari triwulan ke "
                                             f"triwulan, misalnya penerimaan atau jumlah kejadian) atau {STOCK} "
                                             "(nilai triwulan terakhir, misalnya jumlah penduduk atau rumah), "
                                             f"bukan {shown(nature)}"))
    elif spec.get("jenis") == "flag" and nature != STOCK:
        problems.append((where + ("sifat",), f"variabel '{name}': variabel flag (ya/tidak) selalu {STOCK}; status "
                                             f"ya/tidak tidak dapat dijumlahkan antartriwulan: tulis 'sifat: {STOCK}' "
                                             "atau hapus baris ini"))


def _indicators(problems: list[Problem], raw: Any, variables: set[str] | None) -> None:
    path = ("indikator",)
    if not isinstance(raw, list) or not raw:
        problems.append((path, "bagian 'indikator' kosong atau tidak berupa daftar"
                               + ("" if raw is None or isinstance(raw, list) else f" (tertulis {shown(raw)})")))
        return
    seen: dict[str, int] = {}
    desa_based = False
    for i, row in enumerate(raw):
        where = path + (i,)
        if not isinstance(row, dict):
            problems.append((where, f"indikator ke-{i + 1} harus pemetaan (id, jenis, nama, ...), bukan {shown(row)}"))
            continue
        ident = row.get("id")
        label = ident if is_text(ident) and ident.strip() else f"ke-{i + 1}"
        if "id" in row and not (is_text(ident) and ident.strip()):
            problems.append((where + ("id",), f"indikator {label}: id harus teks yang tidak kosong, misalnya "
                                              f"\"IKU-01\", bukan {shown(ident)}{_quote_hint(ident)}"))
        elif is_text(ident):
            key = ident.strip().upper()  # targets and data name indicators ignoring case and spaces
            if key in seen:
                first = raw[seen[key]]["id"]
                same = "" if first == ident else f" sebagai {first}; id dibandingkan tanpa membedakan huruf besar/kecil"
                problems.append((where + ("id",), f"indikator {ident} tercantum dua kali "
                                                  f"(juga {path_text(path + (seen[key],))}{same})"))
            else:
                seen[key] = i
        desa_based |= _indicator(problems, where, f"indikator {label}: ", row, variables)
    if variables == set() and desa_based:
        problems.append((("variabel",), "bagian 'variabel' kosong, padahal ada indikator yang dihitung dari data desa"))


def _indicator(problems: list[Problem], where: YamlPath, prefix: str, row: dict, variables: set[str] | None) -> bool:
    """Check one indicator; True when it is computed from desa variables."""
    kind = row.get("nilai", DESA_BASED)
    if kind not in VALUE_KINDS:
        problems.append((where + ("nilai",), f"{prefix}nilai {shown(kind)} harus '{DESA_BASED}' (dihitung dari data "
                                             f"desa) atau '{DIRECT}' (dilaporkan langsung di realisasi.csv)"))
        return False
    direct = kind == DIRECT
    required = COMMON_FIELDS if direct else COMMON_FIELDS + DESA_FIELDS
    missing = [f for f in required if f not in row]
    if missing:
        problems.append((where, f"{prefix}kolom wajib tidak ada: {', '.join(missing)}"))
    unknown = [f for f in row if f not in INDICATOR_FIELDS]
    for f in unknown:
        problems.append((where + (f,), f"{prefix}kolom tidak dikenal: {f if is_text(f) else shown(f)}"))
    if direct:
        given = [f for f in DESA_FIELDS if f in row]
        if given:
            problems.append((where + (given[0],), f"{prefix[:-2]} dilaporkan langsung (nilai: {DIRECT}) sehingga "
                                                  f"tidak memakai {', '.join(given)}; hapus kolom itu, atau hapus "
                                                  f"'nilai: {DIRECT}' bila indikator ini dihitung dari data desa"))
    for key in INDICATOR_TEXT_FIELDS:
        if key in row:
            _text(problems, row, where + (key,), prefix=prefix)
    if "jenis" in row and row["jenis"] not in INDICATOR_KINDS:
        problems.append((where + ("jenis",), f"{prefix}jenis {shown(row['jenis'])} harus sasaran (indikator "
                                             f"kinerja sasaran) atau tujuan (indikator tujuan)"))
    if "polaritas" in row and row["polaritas"] not in POLARITIES:
        problems.append((where + ("polaritas",), f"{prefix}polaritas {shown(row['polaritas'])} harus positif atau "
                                                 "negatif"))
    if "desimal" in row:
        decimals = row["desimal"]
        if not (isinstance(decimals, int) and not isinstance(decimals, bool) and 0 <= decimals <= 10):
            problems.append((where + ("desimal",), f"{prefix}desimal harus bilangan bulat dari 0 sampai 10, "
                                                   f"bukan {shown(decimals)}"))
    if direct:
        return False
    if "kosong" in row and row["kosong"] not in MISSING_POLICIES:
        problems.append((where + ("kosong",), f"{prefix}kebijakan kosong {shown(row['kosong'])} harus salah satu "
                                              f"dari {', '.join(MISSING_POLICIES)}"))
    for key in ("pembilang", "penyebut"):
        if key not in row:
            continue
        name = row[key]
        allowed = "variabel atau 'jumlah_desa'" if key == "penyebut" else "variabel di bagian 'variabel'"
        if not is_text(name):
            problems.append((where + (key,), f"{prefix}{key} harus nama {allowed}, bukan {shown(name)}"))
        elif variables is not None and name not in variables and not (key == "penyebut" and name == NUMBER_OF_DESA):
            problems.append((where + (key,), f"{prefix}{key} {shown(name)} bukan {allowed}"))
    if "faktor" in row and not (is_number(row["faktor"]) and row["faktor"] > 0):
        problems.append((where + ("faktor",), f"{prefix}faktor harus angka positif, bukan {shown(row['faktor'])}"))
    return True
