"""Problems found in data: errors stop a run, warnings do not.

Every problem names where it is (file, sheet, row as the user sees it, column, value)
and says in Bahasa Indonesia what was expected.

Up to SUMMARY_LIMIT problems are shown in full, one line each; more are summarised
(`summary_lines`): counts per kind (`kode`) and per file, the first EXAMPLES_PER_KIND of each
kind in full, and a line saying where the whole list is (`problem_file` writes it).

>>> p = Problem("galat", "nilai bukan angka", berkas="2023/pbb.csv", baris=5,
...             kolom="pbb_realisasi", nilai="12a", kode="bukan_angka")
>>> p.format()
'GALAT: 2023/pbb.csv, baris 5, kolom "pbb_realisasi", nilai "12a": nilai bukan angka'
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass

import pandas as pd

from .formatting import angka

ERROR = "galat"
WARNING = "peringatan"

SUMMARY_LIMIT = 50  # more problems than this are summarised on screen
EXAMPLES_PER_KIND = 3  # in a summary, the first problems of each kind shown in full
FILES_SHOWN = 10  # in a summary, the files with the most problems named one by one
NO_FILE = "(tanpa berkas)"  # problems of no file: from the computed table, the catalog, ...

# A short label for each `kode` (docs/data-quality.md lists them with what they mean).
KIND_LABELS = {
    "register_tidak_ada": "daftar desa (desa.csv) tidak ada",
    "register_kosong": "daftar desa kosong",
    "register_sel_kosong": "sel kosong di daftar desa",
    "register_kode_ganda": "kode desa ganda di daftar desa",
    "register_nama_ganda": "nama desa ganda di daftar desa",
    "nama_desa_tidak_unik": "nama desa dipakai beberapa desa",
    "berkas_target_tidak_ada": "target.csv tidak ada",
    "berkas_kosong": "berkas kosong",
    "berkas_tidak_terbaca": "berkas tidak dapat dibaca",
    "format_tidak_didukung": "format berkas tidak didukung",
    "ekstensi_tidak_sesuai": "ekstensi tidak sesuai isi berkas",
    "pemeriksaan_tidak_selesai": "pemeriksaan berkas tidak selesai",
    "tanpa_kolom_kunci": "kolom kunci (desa, indikator) tidak ada",
    "kolom_wajib_tidak_ada": "kolom wajib tidak ada",
    "kolom_ganda": "judul kolom ganda",
    "lembar_tidak_dibaca": "lembar tidak dibaca",
    "kolom_tanpa_judul": "kolom tanpa judul",
    "baris_terlalu_lebar": "baris berisi lebih banyak sel daripada judul kolom",
    "kolom_tidak_dikenal": "kolom tidak dikenal",
    "tanpa_variabel": "tidak ada kolom variabel",
    "variabel_tidak_ada": "variabel indikator tidak ada di berkas tahun itu",
    "tanpa_baris_data": "tidak ada baris data",
    "folder_tidak_dibaca": "folder tidak dibaca",
    "berkas_tidak_dibaca": "berkas tidak dibaca",
    "berkas_dilewati": "berkas dilewati (tersembunyi, berkas kunci, atau bukan berkas biasa)",
    "melebihi_batas": "berkas melebihi batas yang dibaca",
    "tahun_kosong": "folder tahun kosong",
    "desa_tidak_dikenal": "desa tidak dikenal",
    "desa_kosong": "kolom desa kosong",
    "nilai_tidak_sah": "nilai tidak sah",
    "nilai_bertentangan": "nilai berbeda di beberapa tempat",
    "desa_ganda": "desa tercantum dua kali",
    "desa_ganda_di_register": "desa ganda di daftar desa",
    "baris_tanpa_nilai": "baris desa tanpa nilai",
    "baris_diabaikan": "baris diabaikan",
    "indikator_tidak_dikenal": "indikator tidak dikenal",
    "tahun_tidak_sah": "tahun tidak sah",
    "tahun_tidak_cocok": "tahun tidak sesuai folder",
    "target_bukan_angka": "target bukan angka",
    "target_negatif": "target negatif",
    "target_ganda": "target ganda",
    "wilayah_tidak_dikenal": "wilayah tidak dikenal",
    "target_kosong": "sel target kosong",
    "target_tanpa_data": "target tanpa folder data",
    "bukan_nilai_langsung": "bukan indikator yang dilaporkan langsung",
    "nilai_langsung_tidak_ada": "nilai langsung tidak ada",
    "nilai_langsung_tanpa_data": "nilai langsung tanpa folder data",
    "data_tidak_ada": "desa tanpa nilai",
    "penyebut_nol": "penyebut nol",
    "pembilang_melebihi_penyebut": "pembilang melebihi penyebut",
    "target_tidak_ada": "target tidak ada",
    "target_nol": "target nol",
    "target_wilayah_dipakai": "target khusus wilayah dipakai, bukan target umum",
    "nilai_melonjak": "nilai jauh dari tahun lain",
    "standar_bukan_angka": "nilai standar bukan angka",
    "standar_negatif": "nilai standar negatif",
    "standar_kosong": "nilai standar kosong",
    "standar_tanpa_sumber": "standar tanpa sumber",
    "standar_ganda": "standar ganda",
    "anggaran_tanpa_program": "baris anggaran tanpa program",
    "anggaran_bukan_angka": "pagu atau realisasi bukan angka",
    "anggaran_negatif": "pagu atau realisasi negatif",
    "anggaran_kosong": "pagu atau realisasi kosong",
    "anggaran_melebihi_pagu": "realisasi anggaran melebihi pagu",
    "anggaran_ganda": "kegiatan ganda di anggaran",
    "anggaran_terulang": "baris anggaran terulang",
    "anggaran_baris_jumlah": "baris jumlah di anggaran",
    "karakter_kendali": "karakter kendali dihapus",
    "register_kode_tidak_sah": "kode tidak sah di daftar desa",
    # quarter (triwulan) data
    "folder_triwulan_tidak_sah": "nama folder triwulan tidak sah",
    "folder_triwulan_ganda": "dua folder untuk satu triwulan",
    "triwulan_kosong": "folder triwulan kosong",
    "triwulan_tidak_sah": "triwulan tidak sah",
    "target_triwulan_4_berbeda": "target triwulan 4 berbeda dengan target tahunan",
    "triwulan_tidak_ada": "data triwulan tidak ada",
    "triwulan_belum_dilaporkan": "desa belum melaporkan triwulan",
    "variabel_triwulan_tidak_ada": "variabel tidak ada di data triwulan",
    "kumulatif_tidak_lengkap": "nilai kumulatif triwulan tidak lengkap",
    "sifat_belum_diisi": "sifat variabel (alir/stok) belum diisi di katalog",
    "stok_triwulan_sebelumnya": "nilai stok dari triwulan sebelumnya",
    "triwulan_tidak_cocok": "nilai tahunan berbeda dengan kumulatif triwulan 4",
}

# C0 and C1 control characters but tab and line feed: ESC and CSI start terminal escape sequences.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """`text` with every control character written as a visible escape, so that a message never
    sends an escape sequence to the terminal (nor a character openpyxl refuses to a workbook).

    >>> print(visible("Kal\\x1b[31moran\\x9b"))
    Kal\\x1b[31moran\\x9b
    """
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


@dataclass(frozen=True, slots=True)  # slots: hundreds of thousands are kept on large data
class Problem:
    """One problem in the data, located as precisely as it can be."""

    tingkat: str  # ERROR or WARNING
    pesan: str
    berkas: str | None = None
    lembar: str | None = None
    baris: int | None = None
    kolom: str | None = None
    nilai: str | None = None
    kode: str = ""
    tahun: int | None = None
    indikator: str | None = None
    kode_desa: str | None = None

    @property
    def is_error(self) -> bool:
        return self.tingkat == ERROR

    def location(self) -> str:
        parts = []
        if self.berkas:
            parts.append(self.berkas)
        if self.lembar:
            parts.append(f'lembar "{self.lembar}"')
        if self.baris is not None:
            parts.append(f"baris {self.baris}")
        if self.kolom:
            parts.append(f'kolom "{self.kolom}"')
        if self.nilai is not None:
            parts.append(f'nilai "{self.nilai}"')
        return ", ".join(parts)

    def format(self) -> str:
        """One line, with any control character of a value made visible (`visible`)."""
        where = self.location()
        head = self.tingkat.upper()
        return visible(f"{head}: {where}: {self.pesan}" if where else f"{head}: {self.pesan}")


def error(pesan: str, **where) -> Problem:
    """An error: the run cannot go on until it is fixed."""
    return Problem(ERROR, pesan, **where)


def warning(pesan: str, **where) -> Problem:
    """A warning: reported, the run goes on."""
    return Problem(WARNING, pesan, **where)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.is_error]


STRICT_NOTE = "mode ketat (--ketat): setiap peringatan diperlakukan sebagai galat"


def strict(problems: list[Problem]) -> list[Problem]:
    """The problems with every warning made an error (`--ketat`), each message unchanged.

    >>> [p.tingkat for p in strict([Problem(WARNING, "x"), Problem(ERROR, "y")])]
    ['galat', 'galat']
    """
    from dataclasses import replace

    return [p if p.is_error else replace(p, tingkat=ERROR) for p in problems]


def format_problems(problems: list[Problem]) -> str:
    """Every problem in full, one line each."""
    return "\n".join(p.format() for p in problems)


def kind_label(kode: str) -> str:
    """The short Indonesian label of a problem's `kode` (the code itself, spaced, if unknown).

    >>> kind_label("nilai_tidak_sah"), kind_label("kode_baru")
    ('nilai tidak sah', 'kode baru')
    """
    return KIND_LABELS.get(kode) or kode.replace("_", " ") or "lain-lain"


def summary_lines(problems: list[Problem], full_list: str) -> list[str]:
    """The screen summary of many problems, ending with `full_list` (where the whole list is).

    Counts per kind (errors first, then the most frequent; a kind is its level and `kode`) and
    per file (the FILES_SHOWN with most problems, the rest counted together), then the first
    EXAMPLES_PER_KIND problems of each kind in full, in the order they were found.
    """
    kinds: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], list[Problem]] = {}
    files: Counter[str] = Counter()
    for p in problems:
        kind = (p.tingkat, p.kode)
        kinds[kind] += 1
        shown = examples.setdefault(kind, [])
        if len(shown) < EXAMPLES_PER_KIND:
            shown.append(p)
        files[p.berkas or NO_FILE] += 1
    n_err = sum(n for (tingkat, _), n in kinds.items() if tingkat == ERROR)
    # Counter keeps first-seen order, and sorted() is stable: ties stay in the order found.
    by_kind = sorted(kinds.items(), key=lambda item: (item[0][0] != ERROR, -item[1]))
    by_file = sorted(files.items(), key=lambda item: -item[1])
    width = len(angka(len(problems)))  # no count is larger
    code_width = max(len(kode or "-") for _, kode in kinds)
    lines = [(f"Ada {angka(len(problems))} masalah ({angka(n_err)} galat, {angka(len(problems) - n_err)} "
              "peringatan), terlalu banyak untuk ditampilkan satu per satu; berikut ringkasannya."),
             "", "Jumlah menurut jenis:"]
    lines += [f"  {angka(n):>{width}}  {tingkat.upper():<10}  {kode or '-':<{code_width}}  {kind_label(kode)}"
              for (tingkat, kode), n in by_kind]
    lines += ["", "Jumlah menurut berkas:"]
    lines += [f"  {angka(n):>{width}}  {berkas}" for berkas, n in by_file[:FILES_SHOWN]]
    rest = by_file[FILES_SHOWN:]
    if rest:
        lines.append(f"  {angka(sum(n for _, n in rest)):>{width}}  ({angka(len(rest))} berkas lain)")
    lines += ["", f"{EXAMPLES_PER_KIND} masalah pertama setiap jenis:"]
    for kind, n in by_kind:
        shown = examples[kind]
        lines.append(f"{kind[1] or '-'} ({kind_label(kind[1])}), {len(shown)} dari {angka(n)}:")
        lines += [f"  {p.format()}" for p in shown]
    lines += ["", full_list]
    return lines


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """The problems as a table (one row each), for reports and notebooks."""
    columns = list(Problem.__dataclass_fields__)
    return pd.DataFrame([asdict(p) for p in problems], columns=columns)
