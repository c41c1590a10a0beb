"""`iku report --bandingkan`: the comparison report of the areas of one level (the Bappeda view).

`iku report --bandingkan --year 2023 [--level kecamatan]` writes
`<output>/2023/perbandingan-kecamatan-2023.html` and `.xlsx`; `--year 2021-2023` writes
`<output>/tren/perbandingan-kecamatan-2021-2023.*` (the last year's rankings, with each area's
change from the first year); then the index page. The level, the years and the output folder
are checked before anything is written; a mistake is one line in Bahasa Indonesia, exit 1.
"""

from __future__ import annotations

from ..exceptions import ParameterError
from .single import done, produce, stopped

LEVEL_NAMES = ("desa", "kecamatan", "kabupaten", "provinsi")


def check_options(args) -> None:
    """Options that make no sense with `--bandingkan` (or without it), refused before any data is read."""
    if not args.bandingkan:
        raise ParameterError("--level hanya dipakai bersama --bandingkan, misalnya: "
                             "iku report --bandingkan --year 2023 --level kecamatan")
    if args.all:
        raise ParameterError("--bandingkan membandingkan wilayah pada tahun tertentu: berikan --year 2023 (satu "
                             "tahun) atau --year 2021-2023 (dengan perubahan dari tahun awal), bukan --all")
    if args.level is not None:
        level = str(args.level).strip().lower()
        if level not in LEVEL_NAMES:
            raise ParameterError(f"level '{args.level}' tidak dikenal; pilih salah satu: {', '.join(LEVEL_NAMES)}")
        args.level = level


def cmd_compare(args) -> int:
    """Run the comparison report for `args` (the `report` sub-command's options); exit status."""
    from ..report import runner as report
    from ..report.comparison import check_level, level_phrase
    from .main import _data_dir, parse_years

    check_options(args)
    years = parse_years(args.year)
    first, last = min(years), max(years)
    try:
        with report.stop_on_signals():
            dataset, output_dir = report.prepare(_data_dir(args), args.output_dir, years,
                                                 check=lambda d: check_level(d, args.level))
            level = check_level(dataset, args.level)
            if getattr(args, "ketat", False):  # --ketat: every warning of these years stops the run (cli/main.py)
                from .main import _refuse_warnings

                _refuse_warnings(dataset, years)
            period = str(last) if first == last else f"{first}–{last}"
            produced, index = produce(report, dataset, output_dir, f"perbandingan {level_phrase(level)} {period}",
                                      lambda when: report.comparison_report(dataset, first, last, level, output_dir,
                                                                            args.timeout, when))
    except report.Stopped as stop:
        return stopped(stop)
    return done("perbandingan", produced, index)
