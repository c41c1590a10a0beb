"""The `iku` command: validate a data directory, compute the indicators, produce the reports.

User mistakes end with a message in Bahasa Indonesia and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import re
import sys
from pathlib import Path

from .. import __version__
from .text import Parser, install
from ..engine.compute import COLUMNS
from ..engine.export import export_table, output_format
from ..ingest.database import MEMORY_VARIABLE, memory_limit
from ..ingest.dataset import load_dataset
from ..exceptions import DataError, IkuError, ParameterError
from ..outputs import check_not_inside
from ..problems import STRICT_NOTE, errors, strict, warnings
from ..project import current_project
from ..engine.quality import validate
from ..problem_file import problem_file_name
from .problem_output import problem_path, show_problems
from .verify import add_parser as add_verify_parser


def parse_years(text: str) -> list[int]:
    """`2023`, `2019-2023` or `2019,2021` as a list of years.

    >>> parse_years("2019-2021")
    [2019, 2020, 2021]
    """
    years: list[int] = []
    for part in text.split(","):
        m = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", part)
        if not m:
            raise ParameterError(f"tahun '{text}' tidak sah; contoh: 2023, 2019-2023 atau 2019,2021")
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if last < first:
            raise ParameterError(f"rentang tahun '{part.strip()}' terbalik")
        years.extend(range(first, last + 1))
    return sorted(set(years))


def _data_dir(args) -> Path:
    """`--data-dir`, else the current project's raw data folder (NoProjectError outside one).
    An empty `--data-dir ""` (a shell variable that was not set) is refused, not read as the
    default: it would silently use another folder than the one meant."""
    if args.data_dir is None:
        return current_project().raw_dir
    if not str(args.data_dir).strip():
        raise ParameterError("--data-dir kosong: berikan nama folder data (misalnya --data-dir data/raw), atau "
                             "hilangkan --data-dir untuk memakai data/raw proyek ini")
    return Path(args.data_dir)


def cmd_init(args) -> int:
    from .scaffold import init_project

    if args.contoh_kabupaten:  # the fictional kabupaten, for iku report --bandingkan (cli/scaffold.py)
        folder = init_project(args.folder, contoh=args.contoh, nama=args.nama, contoh_kabupaten=True)
        print(f"proyek contoh kabupaten (Kabupaten Sukamakmur 2021-2023, fiktif) dibuat: {folder}")
        print(f"langkah berikutnya: cd {folder}, lalu jalankan: iku report --bandingkan --year 2023")
        return 0
    folder = init_project(args.folder, contoh=args.contoh, nama=args.nama)
    what = "proyek contoh (data Kaloran 2019-2023, ilustratif)" if args.contoh else "proyek baru"
    print(f"{what} dibuat: {folder}")
    print(f"langkah berikutnya: cd {folder}, lalu baca README.md"
          + (" dan jalankan: iku report --year 2023" if args.contoh else ""))
    return 0


KETAT_HELP = ("mode ketat: setiap peringatan (nilai mencurigakan, desa tanpa data, berkas yang dilewati, ...) "
              "diperlakukan sebagai galat dan menghentikan proses")


def cmd_validate(args) -> int:
    data_dir = _data_dir(args)
    asked = parse_years(args.year) if args.year else None
    path = problem_path(args, data_dir, asked)
    if path is not None:  # refused before the data is read, not after
        check_not_inside(path, data_dir)
    dataset = load_dataset(data_dir)
    problems = validate(dataset, asked)
    if args.ketat:
        problems = strict(problems)
        print(STRICT_NOTE[0].upper() + STRICT_NOTE[1:])
    written = show_problems(problems, path, data_dir, sys.stdout, problem_file_name(asked))
    n_err, n_warn = len(errors(problems)), len(warnings(problems))
    from ..engine.quarterly import quarter_folder_years  # a year being monitored may have quarter folders only

    years = ", ".join(map(str, asked or sorted(set(dataset.years) | set(quarter_folder_years(dataset))))) or "tidak ada"
    print(f"{dataset.data_dir}: {n_err} galat, {n_warn} peringatan (tahun: {years})")
    return 1 if n_err or (not written and (args.out or args.output_dir)) else 0


def cmd_compute(args) -> int:
    data_dir = _data_dir(args)
    out = Path(args.out) if args.out else None
    output_format(out)  # an unknown extension is refused before the data is read
    if out is not None:
        check_not_inside(out, data_dir)
    quarter = _quarter_asked(args)  # refused before the data is read
    dataset = load_dataset(data_dir)
    dataset.require_valid()
    if args.ketat:
        _refuse_warnings(dataset, [quarter[0]] if quarter else dataset.years if args.all_years
                         else parse_years(args.year))
    if quarter is not None:
        return _compute_quarter(args, dataset, out, *quarter)
    years = dataset.years if args.all_years else parse_years(args.year)
    exported = export_table(dataset, years, args.level, out)
    n_warn = dataset.warning_count() + exported.notes  # (the outlier warnings counted, not written out)
    if out is not None:
        from ..report.provenance import write_compute_provenance  # X.provenance.json: what the table was made from

        record = write_compute_provenance(dataset, years, args.level, out, sha256=exported.sha256)
        print(f"ditulis: {args.out} ({exported.rows} baris); asal-usulnya: {record}", file=sys.stderr)
    if n_warn:
        print(f"{n_warn} catatan data; jalankan `iku validate` untuk rinciannya", file=sys.stderr)
    return 0


def _refuse_warnings(dataset, years: list[int]) -> None:
    """`--ketat`: every warning of `years` (reading, outliers, data quality) stops the run as an error."""
    found = validate(dataset, years)
    if found:
        print(STRICT_NOTE[0].upper() + STRICT_NOTE[1:], file=sys.stderr)
        raise DataError(strict(found))


def _quarter_asked(args) -> tuple[int, int] | None:
    """(year, quarter) of `iku compute --year Y --triwulan N`, None without --triwulan. A quarter
    is computed for one year: quarter data is kept for the year being monitored."""
    if args.triwulan is None:
        return None
    from .single import quarter_option

    return quarter_option(args.triwulan, [] if args.all_years else parse_years(args.year), "menghitung")


def _compute_quarter(args, dataset, out: Path | None, year: int, quarter: int) -> int:
    """`iku compute --year Y --triwulan N` (engine.quarterly): the table, then the quarter's
    warnings on stderr (desa that have not reported, gaps; `iku validate` lists them for the
    latest quarter with data)."""
    from ..engine.quarter_export import export_quarter
    from ..problems import SUMMARY_LIMIT, summary_lines

    rows, notes, found = export_quarter(dataset, year, quarter, args.level, out)
    if out is not None:
        from ..ingest.quarters import read_quarters
        from ..report.quarterly_sources import write_quarter_compute_provenance  # as iku compute --out, + quarters

        record = write_quarter_compute_provenance(dataset, read_quarters(dataset, year), quarter, args.level, out)
        print(f"ditulis: {args.out} ({rows} baris); asal-usulnya: {record}", file=sys.stderr)
    if len(found) > SUMMARY_LIMIT:
        print("\n".join(summary_lines(found, "Daftar lengkap: iku_lib.engine.quarterly.quarter_problems")),
              file=sys.stderr)
    else:
        print("".join(p.format() + "\n" for p in found), end="", file=sys.stderr)
    if found or notes:
        print(f"triwulan {quarter} tahun {year}: {len(found)} peringatan data triwulan, {notes} baris dengan catatan",
              file=sys.stderr)
    return 0


def cmd_report(args) -> int:
    """`iku report`. Besides the usual one-line errors: a folder that cannot be written
    (OutputError) names the path and the reason; SIGTERM or Ctrl-C stops the workers and
    kernels, removes the temporary folders and ends with one line (status 128 + signal)."""
    from ..report import runner as report  # papermill and nbconvert load only for this command

    if args.timeout <= 0:
        raise ParameterError("--timeout harus lebih dari 0 detik")
    if args.jobs is not None and args.jobs < 1:
        raise ParameterError("--jobs harus paling sedikit 1")
    if args.output_dir is not None and not str(args.output_dir).strip():
        raise ParameterError("--output-dir kosong: berikan nama folder hasil, atau hilangkan --output-dir untuk "
                             "memakai outputs proyek ini")
    if args.triwulan is not None:  # the quarterly monitoring report (cli/quarterly.py)
        from .quarterly import cmd_quarter_report

        return cmd_quarter_report(args)
    if args.bandingkan or args.level is not None:  # the comparison of areas (cli/compare.py)
        from .compare import cmd_compare

        return cmd_compare(args)
    try:
        with report.stop_on_signals():
            asked = None if args.all else parse_years(args.year)
            dataset, output_dir = report.prepare(_data_dir(args), args.output_dir, asked)
            years = dataset.years if args.all else asked
            if args.ketat:
                _refuse_warnings(dataset, years)
            produced = report.run(dataset, output_dir, years, trend=args.all, timeout=args.timeout,
                                  progress=lambda line: print(line, flush=True), jobs=args.jobs)
    except report.Stopped as stop:
        print(f"iku report dihentikan ({stop.name}): proses pekerja dan kernel dihentikan, folder sementara dihapus; "
              f"laporan yang belum selesai tidak ditulis, laporan yang sudah ada tetap utuh", file=sys.stderr,
              flush=True)
        return 128 + stop.signum
    print(f"{len(produced)} laporan selesai. Buka: {output_dir / report.INDEX_FILE}")
    return 0


def cmd_template(args) -> int:
    from ..report.forms import write_forms

    data_dir = _data_dir(args)
    dataset = load_dataset(data_dir)
    year = parse_years(args.year)
    if len(year) != 1:
        raise ParameterError(f"formulir dibuat untuk satu tahun; berikan satu tahun, misalnya 2024 (bukan {args.year})")
    written = write_forms(dataset, year[0], Path(args.out), per_desa=args.per_desa,
                          progress=lambda line: print(line, flush=True))
    print(f"{len(written)} formulir ditulis di {args.out}. Kirimkan ke desa; formulir yang sudah diisi diletakkan "
          f"apa adanya di folder data {year[0]}/ (misalnya {Path(dataset.data_dir) / str(year[0])}).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    install()
    parser = Parser(
        prog="iku", description="Indikator Kinerja Utama (IKU) kecamatan: periksa data desa, hitung indikator, "
                                "capaian dan predikat.")
    parser.add_argument("--version", action="version", version=f"iku {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH", required=True)
    data_help = "direktori data mentah (bawaan: data/raw proyek ini, yaitu folder berisi iku.toml)"

    p = sub.add_parser("init", help="buat proyek iku baru (folder data, katalog, README)",
                       description="Buat proyek iku baru di FOLDER (harus baru atau kosong): iku.toml, README.md, "
                                   "data/raw/ (desa.csv, target.csv, realisasi.csv berisi judul kolom saja, salinan "
                                   "katalog iku.yaml untuk disesuaikan, README.md), data/processed/ dan outputs/.")
    p.add_argument("folder", metavar="FOLDER", help="folder proyek baru")
    p.add_argument("--contoh", action="store_true",
                   help="isi proyek dengan data contoh Kecamatan Kaloran 2019-2023 (ilustratif, bukan data resmi)")
    p.add_argument("--contoh-kabupaten", action="store_true",
                   help="isi proyek dengan data contoh kabupaten fiktif (Kabupaten Sukamakmur 2021-2023: 4 kecamatan, "
                        "29 desa) untuk mencoba laporan perbandingan antarkecamatan: iku report --bandingkan")
    p.add_argument("--nama", metavar="NAMA", help="nama proyek di iku.toml (bawaan: nama folder)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("validate", help="periksa direktori data terhadap kontrak data dan katalog IKU",
                       description="Periksa direktori data. Keluar dengan status 0 bila tidak ada galat "
                                   "(peringatan boleh), 1 bila ada galat. Semua masalah juga ditulis ke berkas "
                                   "CSV (bawaan: outputs/masalah-semua-tahun.csv proyek ini, atau "
                                   "masalah-<tahun>.csv dengan --year); bila masalahnya lebih dari 50, layar "
                                   "hanya menampilkan ringkasannya.")
    p.add_argument("--data-dir", metavar="DIR", help=data_help)
    p.add_argument("--year", metavar="TAHUN",
                   help="hanya tahun ini: 2023, 2019-2023 atau 2019,2021 (galat dari tahun mana pun tetap "
                        "ditampilkan, karena menghentikan setiap perhitungan)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--output-dir", metavar="DIR",
                       help="folder untuk berkas daftar masalah (bawaan: outputs proyek ini)")
    where.add_argument("--out", metavar="BERKAS", help="tulis daftar masalah ke berkas CSV ini")
    p.add_argument("--ketat", action="store_true", help=KETAT_HELP)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("compute", help="hitung indikator per desa dan per wilayah, tulis CSV",
                       description="Hitung nilai indikator, target, capaian dan predikat; tulis CSV dengan kolom "
                                   + ", ".join(COLUMNS) + ".")
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--year", metavar="TAHUN", help="tahun: 2023, 2019-2023 atau 2019,2021")
    when.add_argument("--all-years", action="store_true", help="semua tahun yang ada di data")
    p.add_argument("--data-dir", metavar="DIR", help=data_help)
    p.add_argument("--level", metavar="LEVEL", help="hanya satu level: desa, kecamatan, kabupaten, provinsi")
    p.add_argument("--triwulan", metavar="N",
                   help="kumulatif sampai triwulan N (1-4) dari satu tahun (--year), dari data <tahun>/triwulan-<n>/; "
                        "tabelnya berkolom tambahan triwulan dan dasar_target (triwulan: capaian terhadap target "
                        "triwulan, tahunan: kemajuan terhadap target tahunan)")
    p.add_argument("--out", metavar="BERKAS", help="tulis ke berkas ini: .csv, atau .parquet untuk data besar "
                                                   "(bawaan: CSV ke layar/stdout)")
    p.add_argument("--ketat", action="store_true", help=KETAT_HELP)
    p.set_defaults(func=cmd_compute)

    p = sub.add_parser("template", help="buat formulir Excel isian data desa (dan realisasi) untuk satu tahun",
                       description="Tulis formulir Excel yang diisi desa: satu buku kerja berisi semua desa (atau "
                                   "satu per desa dengan --per-desa), desa sudah terisi dan terkunci, satu kolom per "
                                   "variabel indikator, validasi isian, dan lembar Petunjuk. Bila katalog memuat "
                                   "indikator yang dilaporkan langsung, juga realisasi-<tahun>.xlsx. Formulir yang "
                                   "sudah diisi diletakkan apa adanya di folder tahun data mentah. FOLDER harus di "
                                   "luar folder data mentah.")
    p.add_argument("--year", metavar="TAHUN", required=True, help="tahun data yang diminta, misalnya 2024")
    p.add_argument("--out", metavar="FOLDER", required=True, help="folder tujuan formulir (di luar data/raw)")
    p.add_argument("--per-desa", action="store_true", help="satu berkas per desa, dinamai menurut desa")
    p.add_argument("--data-dir", metavar="DIR", help=data_help)
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("report", help="buat laporan HTML evaluasi tahunan (dan tren) dari notebook",
                       description="Jalankan notebook evaluasi tahunan dengan papermill untuk tahun yang diminta, "
                                   "ubah menjadi satu berkas HTML mandiri (tanpa kode), ekspor tabel capaian ke "
                                   "Excel, dan tulis index.html yang menautkan semua laporan. Hasil: "
                                   "<output>/<tahun>/ dan <output>/tren/; bila desa.csv memuat lebih dari satu "
                                   "kecamatan, satu laporan per kecamatan per tahun di "
                                   "<output>/kecamatan/<kode>/<tahun>/.")
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--year", metavar="TAHUN", help="tahun laporan: 2023, 2019-2023 atau 2019,2021")
    when.add_argument("--all", action="store_true", help="semua tahun yang ada di data, ditambah laporan tren")
    p.add_argument("--data-dir", metavar="DIR", help=data_help)
    p.add_argument("--output-dir", metavar="DIR", help="direktori hasil (bawaan: outputs proyek ini)")
    p.add_argument("--timeout", metavar="DETIK", type=int, default=600,
                   help="batas waktu eksekusi per sel notebook, dalam detik (bawaan: 600)")
    p.add_argument("--jobs", metavar="N", type=int, default=None,
                   help="jumlah laporan yang dijalankan bersamaan dalam proses terpisah (bawaan: jumlah inti "
                        "prosesor); 1 = berurutan. Hasilnya sama persis berapa pun N (waktu laporan sama untuk "
                        "satu kali jalan; tetapkan dengan SOURCE_DATE_EPOCH untuk hasil yang dapat diulang)")
    p.add_argument("--ketat", action="store_true", help=KETAT_HELP)
    p.add_argument("--bandingkan", action="store_true",
                   help="laporan perbandingan antarwilayah (peringkat per indikator, matriks capaian dan predikat) "
                        "di <output>/<tahun>/perbandingan-<level>-<tahun>.html dan .xlsx; dengan --year 2021-2023 "
                        "ditambah perubahan tiap wilayah dari tahun awal ke tahun akhir (di <output>/tren/)")
    p.add_argument("--level", metavar="LEVEL",
                   help="dengan --bandingkan: level wilayah yang dibandingkan: desa, kecamatan, kabupaten, provinsi "
                        "(bawaan: satu level di bawah wilayah teratas desa.csv, misalnya kecamatan untuk satu "
                        "kabupaten)")
    p.add_argument("--triwulan", metavar="N",
                   help="laporan pemantauan triwulan N (1-4) dari satu tahun (--year): realisasi kumulatif, target, "
                        "capaian, jalur per triwulan, kelengkapan laporan desa dan peringatan dini, di "
                        "<output>/<tahun>/triwulan-<N>/ (HTML dan Excel)")
    p.set_defaults(func=cmd_report)

    add_verify_parser(sub)  # iku verify FOLDER (cli/verify.py)
    return parser


def _show_data_error(exc: DataError, args) -> None:
    """The errors that stopped a run, on stderr: in full, or summarised when many; every one
    in the command's problem file (`problem_output`)."""
    try:
        years = parse_years(args.year) if getattr(args, "year", None) else None
    except ParameterError:
        years = None
    try:
        data_dir = _data_dir(args)
    except IkuError:
        data_dir = None
    show_problems(exc.problems, problem_path(args, data_dir, years), data_dir, sys.stderr, problem_file_name(years))


def run() -> None:
    """The `iku` command (and `python -m iku_lib`): `main` in a process of its own.

    Everything loaded so far (pandas, DuckDB, iku's modules: most of the process's objects)
    lives until the process ends, so it is moved out of the garbage collector's sight first
    (`gc.freeze`): the collections during the run and at its end look only at what the run
    makes (national `iku compute --level kecamatan`: 10 alternating pairs, 2.07 -> 1.97 s,
    measured). `main` itself, as the tests call it, freezes nothing."""
    gc.freeze()
    sys.exit(main())


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except DataError as exc:  # errors stop compute and report: shown as validate shows them, all in a file
        _show_data_error(exc, args)
        return 1
    except IkuError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:  # Ctrl-C (`iku report` says more itself): one line, not a traceback
        print(INTERRUPTED, file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - only DuckDB running out of its memory, or stopped by Ctrl-C, is said here
        if _interrupted(exc):
            print(INTERRUPTED, file=sys.stderr)
            return 130
        if not _out_of_memory(exc):
            raise
        print(OUT_OF_MEMORY.format(limit=memory_limit(), variable=MEMORY_VARIABLE), file=sys.stderr)
        return 1


INTERRUPTED = ("dihentikan (Ctrl-C); berkas keluaran yang belum selesai tidak ditulis, berkas yang sudah ada tetap "
               "utuh")
OUT_OF_MEMORY = ("GALAT: memori tidak cukup untuk data sebesar ini: mesin datanya (DuckDB) memerlukan lebih dari "
                 "batasnya, {limit}. Bila komputer ini punya memori lebih, jalankan lagi dengan batas yang lebih "
                 "besar, misalnya `{variable}=1GB iku ...` (Windows PowerShell: `$env:{variable}=\"1GB\"`), "
                 "atau olah lebih sedikit tahun sekaligus dengan --year.")


def _interrupted(exc: Exception) -> bool:
    """True for Ctrl-C arriving while DuckDB runs a query: DuckDB stops the query and raises
    RuntimeError("Query interrupted") in place of the KeyboardInterrupt (InterruptException in
    other versions)."""
    import duckdb

    return isinstance(exc, duckdb.InterruptException) or (type(exc) is RuntimeError and str(exc) == "Query interrupted")


def _out_of_memory(exc: Exception) -> bool:
    import duckdb

    return isinstance(exc, duckdb.OutOfMemoryException)


if __name__ == "__main__":
    run()
