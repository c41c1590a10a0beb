"""`iku report --year Y --triwulan N`: the quarterly monitoring report (`report.quarterly`).

Writes `<output>/<Y>/triwulan-<N>/pemantauan-<Y>-triwulan-<N>.html` and `.xlsx` (and the executed
notebook), then the index page. The options, the quarter's data (its errors, a quarter without
data, a variable without `sifat`) and the output folder are checked before anything is written;
a mistake is one line in Bahasa Indonesia (or the list of data errors), exit 1.
"""

from __future__ import annotations

from ..exceptions import ParameterError
from .single import done, produce, quarter_option, stopped


def asked_period(args) -> tuple[int, int]:
    """(year, quarter) of `--year Y --triwulan N`; ParameterError for options that do not go with
    a quarterly report, refused before any data is read."""
    from .main import parse_years

    if args.bandingkan or args.level is not None:
        raise ParameterError("--triwulan membuat laporan pemantauan triwulan; tidak dapat digabung dengan "
                             "--bandingkan atau --level")
    if args.all:
        raise ParameterError("--triwulan membuat laporan satu triwulan dari satu tahun: berikan --year 2023 "
                             "--triwulan 2, bukan --all")
    return quarter_option(args.triwulan, parse_years(args.year), "membuat laporan pemantauan")


def cmd_quarter_report(args) -> int:
    """Run the quarterly monitoring report for `args` (the `report` sub-command's options); exit status."""
    from ..engine.quarterly import compute_quarter
    from ..report import runner as report
    from ..report.quarterly_names import roman
    from .main import _data_dir, _refuse_warnings

    year, quarter = asked_period(args)
    try:
        with report.stop_on_signals():
            dataset, output_dir = report.prepare(_data_dir(args), args.output_dir,
                                                 check=lambda d: compute_quarter(d, year, quarter))
            if args.ketat:  # every warning of the year and its quarters stops the run
                _refuse_warnings(dataset, [year])
            produced, index = produce(report, dataset, output_dir, f"pemantauan triwulan {roman(quarter)} {year}",
                                      lambda when: report.quarterly_report(dataset, year, quarter, output_dir,
                                                                           args.timeout, when))
    except report.Stopped as stop:
        return stopped(stop)
    return done("pemantauan", produced, index)
