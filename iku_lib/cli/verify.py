"""`iku verify FOLDER`: say, in Bahasa Indonesia, whether a report still matches its data.

The checking is `report.verify`; this module prints what it found. Exit status 0 when every
figure of the report's workbook is what the data gives now (`cocok`; changed files that do not
change a figure are noted), 1 otherwise: the cells that differ (sheet, indicator, area, column,
in the report -> computed again) and the data files changed, missing or new since the report
was made. A folder without provenance.json, data with errors, a year no longer in the data:
one plain message, exit 1, never a traceback.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import TextIO

from ..exceptions import DataError, IkuError
from ..formatting import angka, waktu
from ..problems import SUMMARY_LIMIT
from .problem_output import shown

SHOWN = 40  # cell differences printed without --semua
HASH = 12  # hex digits of a SHA-256 shown


def add_parser(sub) -> None:
    """The `verify` subcommand."""
    p = sub.add_parser(
        "verify", help="periksa apakah laporan masih cocok dengan datanya (provenance.json)",
        description="Periksa folder laporan tahunan (misalnya outputs/2023): baca provenance.json di folder itu, "
                    "bandingkan setiap berkas data yang dipakai dengan SHA-256 yang tercatat, hitung ulang "
                    "laporan dari data sekarang dan bandingkan setiap angka dan teks di buku kerja Excel "
                    "laporan (capaian-<tahun>.xlsx). Keluar dengan status 0 bila cocok, 1 bila ada yang berbeda "
                    "(disebutkan lembar, indikator, wilayah, kolom, dan berkas data yang berubah).")
    p.add_argument("folder", metavar="FOLDER", help="folder laporan, misalnya outputs/2023 atau "
                                                    "outputs/kecamatan/332307/2023")
    p.add_argument("--data-dir", metavar="DIR", help="folder data mentah (bawaan: folder data yang tercatat di "
                                                     "provenance.json, di proyek yang memuat FOLDER)")
    p.add_argument("--semua", action="store_true", help=f"tampilkan semua sel yang berbeda (bawaan: {SHOWN} pertama)")
    p.set_defaults(func=cmd_verify)


def _hash(digest: object) -> str:
    return f"{str(digest)[:HASH]}…" if digest else "–"


def change_lines(changes) -> list[str]:
    """The data files changed since the report, one line each."""
    lines = []
    for c in changes:
        if c.status == "berubah":
            lines.append(f"  berubah: {c.path} (SHA-256 saat laporan dibuat {_hash(c.recorded)}, "
                         f"sekarang {_hash(c.now)})")
        elif c.status == "hilang":
            lines.append(f"  hilang: {c.path} (SHA-256 saat laporan dibuat {_hash(c.recorded)}; "
                         "berkas itu tidak ada lagi)")
        else:
            lines.append(f"  baru: {c.path} (SHA-256 {_hash(c.now)}; tidak ada saat laporan dibuat)")
    return lines


def shown_value(value: object) -> str:
    """A cell value at full precision, numbers with a decimal comma; text in quotes.

    >>> shown_value(97.51498461040013), shown_value(650), shown_value(None), shown_value("Baik")
    ('97,51498461040013', '650', '(kosong)', '"Baik"')
    """
    if value is None or value == "":
        return "(kosong)"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return f'"{value}"'


def difference_line(d) -> str:
    """One cell that differs: where, then in the report -> computed again."""
    where = " · ".join(part for part in (d.sheet, d.indikator, d.wilayah, d.where) if part)
    if d.column.startswith("("):  # a row, a sheet, a column or the layout on one side only
        what = {"(baris)": "baris", "(lembar)": "lembar", "(susunan lembar)": "susunan tabel", "(judul)": "teks judul"}
        label = what.get(d.column, d.column.strip("()"))
        return f"  {where}: {label} di laporan {d.in_report}, hitungan ulang {d.recomputed}"
    return (f"  {where} · kolom {d.column}: di laporan {shown_value(d.in_report)}, "
            f"hitungan ulang {shown_value(d.recomputed)}")


def _header(result, out: TextIO) -> None:
    record = result.record
    parameters = record["parameters"]
    what = f"tahun {parameters['years'][0]}"
    if parameters.get("kode_wilayah"):
        what += f", {parameters.get('level') or 'wilayah'} {parameters['kode_wilayah']}"
    try:
        made = waktu(datetime.datetime.fromisoformat(str(record.get("created"))))
    except ValueError:
        made = "waktu tidak tercatat"
    out.write(f"memeriksa laporan {shown(result.folder)} ({what}; dibuat {made} dengan iku {record.get('iku', '?')}); "
              f"data: {shown(result.data_dir)}\n")


def report(result, out: TextIO, err: TextIO, every: bool = False) -> int:
    """Print what `verify` found; the exit status."""
    _header(result, out)
    if result.version_note:
        err.write(f"peringatan: {result.version_note}\n")
    for name in result.edited_outputs:
        compared = "; yang dibandingkan adalah isinya sekarang" if name == result.workbook else ""
        err.write(f"peringatan: {name} sudah diubah sesudah laporan dibuat (SHA-256-nya tidak sama dengan yang "
                  f"tercatat di provenance.json){compared}\n")
    changes = result.file_changes
    if changes:
        out.write(f"berkas data yang berubah sejak laporan dibuat ({angka(len(changes))}):\n")
        out.write("".join(line + "\n" for line in change_lines(changes)))
    n_files = len(result.record.get("files", []))
    if result.matches:
        note = (f"; {angka(len(changes))} berkas data berubah tetapi tidak mengubah angka laporan" if changes
                else f"; {angka(n_files)} berkas data tidak berubah")
        out.write(f"cocok: {angka(result.compared)} sel di {result.workbook} sama dengan hitungan ulang dari data "
                  f"sekarang{note}\n")
        return 0
    differences = result.differences
    listed = differences if every else differences[:SHOWN]
    out.write(f"sel yang berbeda di {result.workbook} (nilai di laporan, lalu hasil hitungan ulang dari data "
              "sekarang):\n")
    out.write("".join(difference_line(d) + "\n" for d in listed))
    if len(listed) < len(differences):
        out.write(f"  … dan {angka(len(differences) - len(listed))} sel lain (semuanya: tambahkan --semua)\n")
    cause = (f"; {angka(len(changes))} berkas data berubah sejak laporan dibuat" if changes
             else "; tidak ada berkas data yang berubah (penyebabnya perubahan iku?)")
    out.write(f"tidak cocok: {angka(len(differences))} sel berbeda dari {angka(result.compared)} sel yang "
              f"dibandingkan{cause}\n")
    return 1


def cmd_verify(args) -> int:
    """`iku verify FOLDER [--data-dir DIR] [--semua]`."""
    from ..report.verify import verify  # openpyxl, matplotlib (the chapter's charts): only for this command

    try:
        result = verify(Path(args.folder), args.data_dir)
    except IkuError as exc:
        changes = getattr(exc, "changes", None)
        if changes:
            sys.stdout.write(f"berkas data yang berubah sejak laporan dibuat ({angka(len(changes))}):\n")
            sys.stdout.write("".join(line + "\n" for line in change_lines(changes)))
        if isinstance(exc, DataError):
            errors = exc.problems
            listed = errors[:SUMMARY_LIMIT]
            sys.stderr.write("".join(p.format() + "\n" for p in listed))
            hidden = len(errors) - len(listed)
            more = f" ({angka(hidden)} lainnya tidak ditampilkan)" if hidden else ""
            sys.stderr.write(f"tidak dapat diperiksa: data sekarang memuat {angka(len(errors))} galat{more}, sehingga "
                             "laporan tidak dapat dihitung ulang; jalankan `iku validate` untuk rinciannya\n")
            return 1
        if changes is not None:
            sys.stderr.write(f"tidak dapat diperiksa: {exc}\n")
            return 1
        raise
    return report(result, sys.stdout, sys.stderr, every=args.semua)
