"""The desa register (`desa.csv`) and finding a desa by its name or code.

>>> desa_key("  DESA  Kaloran ")
'kaloran'
>>> code_text(3323070001.0)
'3323070001'
"""

from __future__ import annotations

import difflib
import re
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


def desa_key(name: object) -> str:
    """A desa name as a lookup key: case, stray spaces and a `Desa ` (or `Ds. `) prefix do not matter.

    Invisible characters (zero-width space and joiners, word joiner, soft hyphen, a stray BOM)
    do not matter either: `Gan\u200bdon` is Gandon, never a second desa.

    >>> desa_key("Ds. Gandulan"), desa_key("DESA\u00a0Tleter"), desa_key("Gan\u200bdon")
    ('gandulan', 'tleter', 'gandon')
    """
    text = re.sub(r"\s+", " ", INVISIBLE.sub("", str(name)).strip().lower())
    return re.sub(r"^(?:desa\s+|ds\.\s*|ds\s+)", "", text)


def desa_keys(names: pd.Series) -> pd.Series:
    """`desa_key` of every name of a column at once (None stays None).

    >>> desa_keys(pd.Series(["  DESA  Kaloran ", None, "Ds. Gandulan"], dtype=object)).tolist()
    ['kaloran', None, 'gandulan']
    """
    text = names.astype(object)
    present = text.notna()
    keys = (text[present].astype(str).str.replace(INVISIBLE.pattern, "", regex=True).str.strip().str.lower()
            .str.replace(r"\s+", " ", regex=True)
            .str.replace(r"^(?:desa\s+|ds\.\s*|ds\s+)", "", regex=True))
    out = np.full(len(names), None, dtype=object)
    out[present.to_numpy()] = keys.to_numpy(dtype=object)
    return pd.Series(out, index=names.index, dtype=object)


def _cells(values: pd.Series, code: bool) -> pd.Series:
    """A register column's cells as text: None where blank, spaces around removed, a code written
    as an Excel float (3323070001.0) without its `.0` (`code_text`), all at once for a column of text."""
    if pd.api.types.infer_dtype(values, skipna=False) != "string" or any(type(v) is not str for v in values):
        return pd.Series([None if is_blank(v) else (code_text(v) if code else str(v).strip()) for v in values],
                         index=values.index, dtype=object)
    text = values.astype(object).str.strip()
    if code:
        dotted = text.str.contains(".", regex=False).to_numpy(dtype=bool)
        if dotted.any():
            text[dotted] = text[dotted].str.replace(r"^([0-9]+)\.0+$", r"\1", regex=True)
    out = np.array(text.to_numpy(dtype=object), dtype=object)
    out[out == ""] = None
    return pd.Series(out, index=values.index, dtype=object)


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
    path = Path(data_dir) / REGISTER_FILE
    columns = ["kode_desa", "nama_desa"]
    empty = pd.DataFrame(columns=columns, dtype=object)
    if not path.is_file():
        hint = csv_only_hint(data_dir, REGISTER_FILE)
        return empty, [error(f"daftar desa tidak ada{hint}; buat berkas {REGISTER_FILE} dengan kolom "
                             "kode_desa,nama_desa", berkas=REGISTER_FILE, kode="register_tidak_ada")]
    plain = _plain_register(path)
    tables, problems = ([plain], []) if plain is not None else read_tables(path, REGISTER_FILE, "kode_desa")
    if not tables:
        return empty, problems
    table = tables[0]
    if table.frame.empty:
        problems.append(error("daftar desa tidak berisi satu desa pun; isi satu baris per desa (kode_desa,nama_desa)",
                              berkas=REGISTER_FILE, baris=table.header_row, kode="register_kosong"))
        return empty, problems
    frame = table.frame
    if "nama_desa" not in frame.columns:
        problems.append(error('kolom "nama_desa" tidak ada', berkas=REGISTER_FILE,
                              baris=table.header_row, kode="kolom_wajib_tidak_ada"))
        return empty, problems
    parents = [c for _, code, name in PARENT_LEVELS for c in (code, name) if c in frame.columns]
    out = frame[columns + parents].copy()
    for column in columns + parents:
        out[column] = _cells(out[column], column.startswith("kode"))
    checked = columns + parents
    problems += _clean_cells(out, checked)
    blank = np.column_stack([out[c].isna().to_numpy() for c in checked])
    for i, j in zip(*np.nonzero(blank)):  # row by row, as the user reads the file
        problems.append(error("sel kosong; setiap desa perlu kode dan nama", berkas=REGISTER_FILE,
                              baris=int(out.index[i]), kolom=checked[j], nilai="", kode="register_sel_kosong"))
    # Names must be unique within the lowest parent area (desa in different kecamatan may share
    # a name, as many do across Indonesia); codes must be unique everywhere.
    area = next((code for _, code, _ in PARENT_LEVELS if code in out.columns), None)
    for column, what in (("kode_desa", "kode"), ("nama_desa", "nama")):
        keys = out[column] if column == "kode_desa" else desa_keys(out[column])
        if column == "nama_desa" and area is not None:
            keys = keys.where(keys.isna(), out[area].fillna("").astype(str) + "\x00" + keys.fillna(""))
        dup = keys.notna() & keys.duplicated(keep=False)
        rows_of = out.index[dup].to_series().groupby(keys[dup].to_numpy(), sort=False).apply(list).to_dict()
        for row in out.index[dup]:
            others = [str(r) for r in rows_of[keys[row]] if r != row]
            problems.append(error(f"{what} desa tercantum lebih dari sekali (juga di baris {', '.join(others)})",
                                  berkas=REGISTER_FILE, baris=int(row), kolom=column,
                                  nilai=str(out.at[row, column]), kode=f"register_{what}_ganda"))
    out = out.reset_index(drop=True)
    return out, problems


def _clean_cells(out: pd.DataFrame, columns: list[str]) -> list[Problem]:
    """Control characters (ESC, vertical tab, C1, ...: `parsing.CONTROL_CHARACTERS`) removed from
    every cell of `out`, each with a warning (they would reach the terminal, the charts and the
    Excel report, where openpyxl refuses them); in a code, fullwidth digits read as ASCII and any
    other digit that is not 0-9 an error. Only cells that are not plain ASCII text are looked at."""
    found: list[tuple[int, int, Problem]] = []  # (row, column, problem): row by row, as the user reads the file
    for j, column in enumerate(columns):
        values = out[column].to_numpy(dtype=object)
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


def _plain_register(path: Path) -> RawTable | None:
    """The register's table read by DuckDB when it is a plain text file (`textsql`), the same cells
    `read_tables` would give (empty text where a cell is empty, None past the end of a short row)."""
    from .database import connect
    from .textsql import plain_text_table

    db = connect()
    table = plain_text_table(db, path, REGISTER_FILE, "kode_desa")
    if table is None:
        return None
    names = list(table.positions)
    cells = ", ".join(f"c[{table.positions[n]}] AS c{i}" for i, n in enumerate(names))
    found = db.execute(f"SELECT baris, {cells} FROM {table.relation} ORDER BY baris").fetchnumpy()
    frame = pd.DataFrame({n: np.asarray(found[f"c{i}"], dtype=object) for i, n in enumerate(names)},
                         index=pd.Index(np.asarray(found["baris"], dtype=np.int64), name="baris", dtype=int),
                         dtype=object)
    frame = frame.where(frame.notna(), None)
    db.close()
    return RawTable(REGISTER_FILE, None, frame, table.header_row, table.columns_as_written)


class DesaLookup:
    """Finds a register desa from what a data file wrote: its code, or its name."""

    def __init__(self, register: pd.DataFrame) -> None:
        self.by_code = dict(zip(register["kode_desa"], register["kode_desa"]))
        self.by_name = {key: k for k, n, key in zip(register["kode_desa"], register["nama_desa"],
                                                    desa_keys(register["nama_desa"])) if n}
        self.names = dict(zip(register["kode_desa"], register["nama_desa"]))
        codes = register["kode_desa"].dropna()
        keys = desa_keys(register["nama_desa"].dropna())
        # A code or a name the register lists twice cannot tell which desa is meant; the
        # register's own error says so, and rows naming such a desa are not read.
        self.ambiguous_codes = set(codes[codes.duplicated()])
        area = next((code for _, code, _ in PARENT_LEVELS if code in register.columns), None)
        if area is None:
            self.ambiguous_names = set(keys[keys.duplicated()])
            self.shared_names: dict[str, list[str]] = {}
        else:
            in_area = register.loc[keys.index, area].fillna("").astype(str) + "\x00" + keys
            self.ambiguous_names = set(keys[in_area.duplicated()])
            shared = keys[keys.duplicated(keep=False) & ~keys.isin(self.ambiguous_names)]
            self.shared_names = register.loc[shared.index, "kode_desa"].groupby(shared.to_numpy()).apply(list).to_dict()
        self._resolved: dict[tuple[type, object], tuple[bool, str | None]] = {}

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
