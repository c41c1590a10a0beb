"""The desa register (`desa.csv`) and finding a desa by its name or code.

>>> desa_key("  DESA  Kaloran ")
'kaloran'
>>> code_text(3323070001.0)
'3323070001'
"""

from __future__ import annotations

import difflib
import re
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from .parsing import CONTROL_CHARACTERS, ascii_text, describe_character, foreign_digit, is_blank
from ..problems import Problem, error, visible, warning
from .reading import RawTable, csv_only_hint, read_tables

REGISTER_FILE = "desa.csv"
# Parent levels a register may carry, from the lowest up: (level, code column, name column).
PARENT_LEVELS = (
    ("kecamatan", "kode_kecamatan", "nama_kecamatan"),
    ("kabupaten", "kode_kabupaten", "nama_kabupaten"),
    ("provinsi", "kode_provinsi", "nama_provinsi"),
)


INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")  # characters that print as nothing
_PREFIX = re.compile(r"^(?:desa\s+|ds\.\s*|ds\s+)")
_EXCEL_WHOLE = re.compile(r"^([0-9]+)\.0+$")  # a code Excel wrote as a float: 3323070001.0


def desa_key(name: object) -> str:
    """A desa name as a lookup key: case, stray spaces and a `Desa ` (or `Ds. `) prefix do not matter.

    Invisible characters (zero-width space and joiners, word joiner, soft hyphen, a stray BOM)
    do not matter either: `Gan\u200bdon` is Gandon, never a second desa.

    >>> desa_key("Ds. Gandulan"), desa_key("DESA\u00a0Tleter"), desa_key("Gan\u200bdon")
    ('gandulan', 'tleter', 'gandon')
    """
    text = str(name)
    if text.isascii() and text.isprintable():
        # Nearly every name: no invisible character, and " " is its only space, so splitting on
        # spaces and joining with one is the same as collapsing every run of spaces (quicker).
        text = " ".join(text.lower().split())
    else:
        text = re.sub(r"\s+", " ", INVISIBLE.sub("", text).strip().lower())
    return _PREFIX.sub("", text) if text.startswith(("desa", "ds")) else text


def desa_keys(names: pd.Series) -> pd.Series:
    """`desa_key` of every name of a column at once (None stays None).

    >>> desa_keys(pd.Series(["  DESA  Kaloran ", None, "Ds. Gandulan"], dtype=object)).tolist()
    ['kaloran', None, 'gandulan']
    """
    present = names.notna().to_numpy()
    values = names.to_numpy(dtype=object)[present]
    keys = _plain_keys(values)
    out = np.full(len(names), None, dtype=object)
    out[present] = [desa_key(name) for name in values] if keys is None else keys
    return pd.Series(out, index=names.index, dtype=object)


def _joined_plain(cells: list) -> str | None:
    """The cells joined by line breaks when every one is text of printable ASCII (no control or
    invisible character, no space but " ", no line break of its own); None otherwise. One look
    over one string instead of one per cell."""
    try:
        text = "\n".join(cells)  # (TypeError: a cell that is not text)
    except TypeError:
        return None
    if not (text.isascii() and " ".join(cells).isprintable()):  # (a line break is not printable)
        return None
    return text


def _plain_keys(names: np.ndarray) -> list[str] | None:
    """`desa_key` of every name at once when all are plain, printable ASCII text (a national
    register's 80,000 names, in one string rather than one by one); None otherwise.

    Such names hold no invisible character and no space but " ", so their keys are the names in
    lower case, with the runs of spaces collapsed (only where there are any) and the `Desa`/`Ds.`
    prefix removed (only from the keys that start like one)."""
    text = _joined_plain(list(names))
    if text is None:
        return None  # a name that is not printable ASCII (or holds a line break): name by name
    text = text.lower()
    keys = text.split("\n")
    if "  " in text or " \n" in text or "\n " in text or text.startswith(" ") or text.endswith(" "):
        keys = list(map(" ".join, map(str.split, keys)))
        prefixed = True  # (a key may start like a prefix only once its spaces are gone: look at each)
    else:
        prefixed = re.search("^(?:desa|ds)", text, re.MULTILINE) is not None
    if prefixed:
        keys = [_PREFIX.sub("", key) if key.startswith(("desa", "ds")) else key for key in keys]
    return keys


def _in_area(areas: pd.Series, keys: pd.Series) -> pd.Series:
    """Each name key after the code of its area (`332307\\x00kaloran`; an area not given is ""):
    a desa name needs to be unique only within its area. None where a key is None."""
    present = keys.notna().to_numpy()
    out = np.full(len(keys), None, dtype=object)
    out[present] = (areas.fillna("").astype(str).to_numpy(dtype=object)[present] + "\x00"
                    + keys.to_numpy(dtype=object)[present])
    return pd.Series(out, index=keys.index, dtype=object)


def _cells(values: pd.Series, code: bool) -> pd.Series:
    """A register column's cells as text: None where blank, spaces around removed, a code written
    as an Excel float (3323070001.0) without its `.0` (`code_text`); a column of text (all of a
    text file's) in one pass of str.strip, with the pattern only for codes that hold a dot."""
    cells = values.tolist()
    if set(map(type, cells)) != {str}:
        return pd.Series([None if is_blank(v) else (code_text(v) if code else str(v).strip()) for v in cells],
                         index=values.index, dtype=object)
    text = list(map(str.strip, cells))
    if code and "." in "".join(text):
        text = [_EXCEL_WHOLE.sub(r"\1", v) if "." in v else v for v in text]
    if "" in text:
        text = [v or None for v in text]
    return pd.Series(text, index=values.index, dtype=object)


_SEPARATOR = "|"  # printable: cells joined by it are printable ASCII exactly when each is


def _plain_column(values: pd.Series, code: bool) -> bool:
    """True when every cell of a register column is already what `_cells` and `_clean_cells`
    make of it: text that is not empty, printable ASCII (no control character, no fullwidth
    digit), without spaces around it and, in a code, without a dot (no Excel float). Told from
    the cells joined into one string, in a few looks over it rather than one per cell; a cell
    holding the separator may make a plain column look otherwise (then it is read cell by cell,
    to the same result), never the other way round."""
    cells = values.tolist()
    try:
        text = _SEPARATOR.join(cells)  # (TypeError: a cell that is not text)
    except TypeError:
        return False
    if not cells or not (text.isascii() and text.isprintable()):
        return False
    edges = (text[:1], text[-1:])
    spaced = " " in edges or " " + _SEPARATOR in text or _SEPARATOR + " " in text
    empty = not text or _SEPARATOR in edges or _SEPARATOR * 2 in text
    return not spaced and not empty and not (code and "." in text)


def code_text(value: object) -> str:
    """A code as text: an Excel float such as 3323070001.0 becomes '3323070001'; fullwidth digits
    (`３３２３`) are read as ASCII (`parsing.ascii_text`); any other digit stays as written.

    >>> code_text("３３２３０７０００１"), code_text("٣٣")
    ('3323070001', '٣٣')
    """
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = ascii_text(str(value)).strip()
    if re.fullmatch(r"[0-9]+\.0+", text):
        return text.split(".")[0]
    return text


def read_register(data_dir: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """The register as `kode_desa, nama_desa` (+ parent columns), in file order, all text."""
    register, problems, _ = read_register_keys(data_dir)
    return register, problems


def read_register_keys(data_dir: Path) -> tuple[pd.DataFrame, list[Problem], pd.Series | None]:
    """`read_register`, and the `desa_keys` of its names (None when it has no row), which the
    duplicate check works out and `DesaLookup` can take rather than work out again (national
    register: 0.04 s)."""
    path = Path(data_dir) / REGISTER_FILE
    columns = ["kode_desa", "nama_desa"]
    empty = pd.DataFrame(columns=columns, dtype=object)
    if not path.is_file():
        hint = csv_only_hint(data_dir, REGISTER_FILE)
        return empty, [error(f"daftar desa tidak ada{hint}; buat berkas {REGISTER_FILE} dengan kolom "
                             "kode_desa,nama_desa", berkas=REGISTER_FILE, kode="register_tidak_ada")], None
    plain = plain_table(path, REGISTER_FILE, "kode_desa")
    tables, problems = ([plain], []) if plain is not None else read_tables(path, REGISTER_FILE, "kode_desa")
    if not tables:
        return empty, problems, None
    table = tables[0]
    if table.frame.empty:
        problems.append(error("daftar desa tidak berisi satu desa pun; isi satu baris per desa (kode_desa,nama_desa)",
                              berkas=REGISTER_FILE, baris=table.header_row, kode="register_kosong"))
        return empty, problems, None
    frame = table.frame
    if "nama_desa" not in frame.columns:
        problems.append(error('kolom "nama_desa" tidak ada', berkas=REGISTER_FILE,
                              baris=table.header_row, kode="kolom_wajib_tidak_ada"))
        return empty, problems, None
    parents = [c for _, code, name in PARENT_LEVELS for c in (code, name) if c in frame.columns]
    checked = columns + parents
    out = frame[checked].copy()
    # A column of plain cells (every column of a national register) is already as it is read;
    # the others are read cell by cell, and only they can hold a blank cell.
    odd = [c for c in checked if not _plain_column(out[c], c.startswith("kode"))]
    for column in odd:
        out[column] = _cells(out[column], column.startswith("kode"))
    problems += _clean_cells(out, odd)
    blank = np.column_stack([out[c].isna().to_numpy() for c in checked]) if odd else np.zeros((0, 0), dtype=bool)
    for i, j in zip(*np.nonzero(blank)):  # row by row, as the user reads the file
        problems.append(error("sel kosong; setiap desa perlu kode dan nama", berkas=REGISTER_FILE,
                              baris=int(out.index[i]), kolom=checked[j], nilai="", kode="register_sel_kosong"))
    # Names must be unique within the lowest parent area (desa in different kecamatan may share
    # a name, as many do across Indonesia); codes must be unique everywhere.
    area = next((code for _, code, _ in PARENT_LEVELS if code in out.columns), None)
    name_keys = desa_keys(out["nama_desa"])
    for column, what in (("kode_desa", "kode"), ("nama_desa", "nama")):
        keys = out[column] if column == "kode_desa" else name_keys
        dup = (keys.notna() & keys.duplicated(keep=False)).to_numpy()
        if column == "nama_desa" and area is not None and dup.any():  # (a name given once is so in its area)
            keys = _in_area(out[area], keys)
            dup = (keys.notna() & keys.duplicated(keep=False)).to_numpy()
        rows_of: dict[str, list[int]] = {}  # key -> its rows, in file order
        for key, row in zip(keys[dup], out.index[dup]):
            rows_of.setdefault(key, []).append(row)
        for key, row, written in zip(keys[dup], out.index[dup], out[column][dup]):
            others = [str(r) for r in rows_of[key] if r != row]
            problems.append(error(f"{what} desa tercantum lebih dari sekali (juga di baris {', '.join(others)})",
                                  berkas=REGISTER_FILE, baris=int(row), kolom=column,
                                  nilai=str(written), kode=f"register_{what}_ganda"))
    out = out.reset_index(drop=True)
    return out, problems, name_keys.reset_index(drop=True)


def _clean_cells(out: pd.DataFrame, columns: list[str]) -> list[Problem]:
    """Control characters (ESC, vertical tab, C1, ...: `parsing.CONTROL_CHARACTERS`) removed from
    every cell of `out`, each with a warning (they would reach the terminal, the charts and the
    Excel report, where openpyxl refuses them); in a code, fullwidth digits read as ASCII and any
    other digit that is not 0-9 an error. Only cells that are not plain ASCII text are looked at."""
    found: list[tuple[int, int, Problem]] = []  # (row, column, problem): row by row, as the user reads the file
    for j, column in enumerate(columns):
        values = out[column].to_numpy(dtype=object)
        every = "".join(filter(None, values))  # a column of plain cells (the usual) is let through in one look
        if every.isascii() and (every.isprintable() or not CONTROL_CHARACTERS.search(every)):
            continue  # (printable ASCII holds no control character; isprintable is the quicker look)
        odd = [i for i, v in enumerate(values) if v is not None and (not v.isascii() or CONTROL_CHARACTERS.search(v))]
        for i in odd:
            written = values[i]
            where = {"berkas": REGISTER_FILE, "baris": int(out.index[i]), "kolom": column, "nilai": visible(written)}
            text = written
            controls = CONTROL_CHARACTERS.findall(text)
            if controls:
                text = CONTROL_CHARACTERS.sub("", text).strip()
                names = ", ".join(describe_character(c) for c in dict.fromkeys(controls))
                found.append((i, j, warning(f"karakter kendali tak terlihat {names} dihapus; hapus juga dari "
                                            f"{REGISTER_FILE}", kode="karakter_kendali", **where)))
            if column.startswith("kode"):
                text = code_text(text)
                digit = foreign_digit(text)
                if digit:
                    found.append((i, j, error(f"kode berisi angka {digit} yang bukan angka 0-9 biasa; ketik ulang "
                                              "kodenya dengan angka 0-9", kode="register_kode_tidak_sah", **where)))
            out.iat[i, out.columns.get_loc(column)] = text or None
    return [p for _, _, p in sorted(found, key=lambda t: t[:2])]


def plain_table(path: Path, label: str, key: str) -> RawTable | None:
    """The table of the register (or of `target.csv`) read by DuckDB when it is a plain text file
    (`textsql`) or one whose cells are simply quoted (`quoted`), the same cells `read_tables`
    would give (empty text where a cell is empty, None past the end of a short row); None
    otherwise, for `read_tables` to read."""
    from .database import scratch
    from .quoted import quoted_table
    from .textsql import plain_text_table, text_head

    head = text_head(path, key, quotes=True)  # one look at the bytes for both readers
    if head is None:
        return None
    if b'"' in head.lines.data:
        return quoted_table(path, label, key, head)
    db = scratch()
    table = plain_text_table(db, path, label, key, head=head)
    if table is None:
        db.close()
        return None
    names = list(table.positions)
    cells = ", ".join(f"c[{table.positions[n]}] AS c{i}" for i, n in enumerate(names))
    found = db.execute(f"SELECT baris, {cells} FROM {table.relation} ORDER BY baris").fetchnumpy()
    frame = pd.DataFrame({n: _objects(found[f"c{i}"]) for i, n in enumerate(names)},
                         index=pd.Index(np.asarray(found["baris"], dtype=np.int64), name="baris", dtype=int),
                         dtype=object)
    db.close()
    return RawTable(label, None, frame, table.header_row, table.columns_as_written)


def _objects(column: np.ndarray) -> np.ndarray:
    """A column DuckDB fetched (VARCHAR) as Python objects: None where it gave NULL (a cell past
    the end of a short row), which numpy holds as a masked array."""
    cells = np.array(np.ma.getdata(column), dtype=object)
    if np.ma.is_masked(column):
        cells[np.ma.getmaskarray(column)] = None
    return cells


class DesaLookup:
    """Finds a register desa from what a data file wrote: its code, or its name."""

    def __init__(self, register: pd.DataFrame, keys: pd.Series | None = None) -> None:
        """`keys`: the `desa_keys` of the register's names when already known (`read_register_keys`)."""
        every_key = desa_keys(register["nama_desa"]) if keys is None else keys  # None where a name is missing
        code_list, name_list = register["kode_desa"].tolist(), register["nama_desa"].tolist()  # lists: quicker
        self._lists = code_list, name_list, every_key.tolist()
        self.by_code = dict(zip(code_list, code_list))
        # A code or a name the register lists twice cannot tell which desa is meant; the
        # register's own error says so, and rows naming such a desa are not read. Told first by
        # counting (a set of 80,000 keys), as nearly always none is.
        self.ambiguous_codes: set = set()
        if len(self.by_code) - (None in self.by_code) < len(code_list) - code_list.count(None):
            codes = register["kode_desa"].dropna()
            self.ambiguous_codes = set(codes[codes.duplicated()])
        area = next((code for _, code, _ in PARENT_LEVELS if code in register.columns), None)
        self.shared_names: dict[str, list[str]] = {}
        self.ambiguous_names: set = set()
        key_list = self._lists[2]
        distinct = set(key_list)
        if len(distinct) - (None in distinct) == len(key_list) - key_list.count(None):
            pass  # every name given once (then once in its area too): none shared, none ambiguous
        elif area is None:
            keys = every_key[register["nama_desa"].notna()]
            self.ambiguous_names = set(keys[keys.duplicated()])
        else:
            keys = every_key[register["nama_desa"].notna()]
            in_area = _in_area(register.loc[keys.index, area], keys)
            self.ambiguous_names = set(keys[in_area.duplicated()])
            shared = keys[keys.duplicated(keep=False) & ~keys.isin(self.ambiguous_names)]
            by_key: dict[str, list[str]] = {}  # name -> the codes of its desa, in register order
            for key, code in zip(shared, register.loc[shared.index, "kode_desa"]):
                by_key.setdefault(key, []).append(code)
            self.shared_names = dict(sorted(by_key.items()))  # by name, as a groupby gave them
        self._resolved: dict[tuple[type, object], tuple[bool, str | None]] = {}

    @cached_property
    def by_name(self) -> dict[str, str]:
        """Name key -> code (of the last desa with that key); made when a name is first looked up,
        as most deliveries give codes only."""
        code_list, name_list, key_list = self._lists
        return {key: k for k, n, key in zip(code_list, name_list, key_list) if n}

    @cached_property
    def names(self) -> dict[str, str]:
        """Code -> name as the register writes it."""
        code_list, name_list, _ = self._lists
        return dict(zip(code_list, name_list))

    def resolve(self, value: object) -> tuple[bool, str | None]:
        """(is_ambiguous, the code found or None), worked out once per distinct cell value.

        A name shared by desa in different areas finds no code: the row must use the code.
        """
        key = (type(value), value)
        found = self._resolved.get(key)
        if found is None:
            ambiguous = self.is_ambiguous(value)
            code = None if ambiguous or self.shared_codes(value) else self.find(value)
            found = self._resolved[key] = (ambiguous, code)
        return found

    def is_ambiguous(self, value: object) -> bool:
        """True when `value` names a code or a name the register lists more than once."""
        return self.find(value) in self.ambiguous_codes or desa_key(value) in self.ambiguous_names

    def shared_codes(self, value: object) -> list[str]:
        """The codes of the desa in different areas that share the name `value` (else empty)."""
        if code_text(value) in self.by_code:
            return []
        return self.shared_names.get(desa_key(value), [])

    def find(self, value: object) -> str | None:
        code = code_text(value)
        if code in self.by_code:
            return code
        return self.by_name.get(desa_key(value))

    def suggest(self, value: object) -> str | None:
        """The closest register name, for a message."""
        match = difflib.get_close_matches(desa_key(value), list(self.by_name), n=1, cutoff=0.6)
        if not match:
            return None
        return self.names[self.by_name[match[0]]]
