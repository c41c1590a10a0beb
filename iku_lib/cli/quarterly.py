"""`iku report --year Y --triwulan N`: the quarterly monitoring report (`report.quarterly`).

Writes `<output>/<Y>/triwulan-<N>/pemantauan-<Y>-triwulan-<N>.html` and `.xlsx` (and the executed
notebook), then the index page. The options, the quarter's data (its errors, a quarter without
data, a variable without `sifat`) and the output folder are checked before anything is written;
a mistake is one line in Bahasa Indonesia (or the list of data errors), exit 1.
"""

from __future__ import annotations

import sys
import time

from ..exceptions import DataError, ParameterError
from ..formatting import angka


def asked_period(args) -> tuple[int, int]:
    """(year, quarter) of `--year Y --triwulan N`; ParameterError for options that do not go with
    a quarterly report, refused before any data is read."""
    from ..ingest.triwulan import quarter_cell
    from .main import parse_years

    if args.bandingkan or args.level is not None:
        raise ParameterError("--triwulan membuat laporan pemantauan triwulan; tidak dapat digabung dengan "
                             "--bandingkan atau --level")
    if args.all:
        raise ParameterError("--triwulan membuat laporan satu triwulan dari satu tahun: berikan --year 2023 "
                             "--triwulan 2, bukan --all")
    try:
        quarter = quarter_cell(args.triwulan)
    except ValueError:
        quarter = None
    if quarter is None:
        raise ParameterError(f"--triwulan '{args.triwulan}' tidak sah; tulis 1, 2, 3 atau 4")
    years = parse_years(args.year)
    if len(years) != 1:
        raise ParameterError("--triwulan membuat laporan satu triwulan dari satu tahun; tulis satu tahun, misalnya "
                             "--year 2023 --triwulan 2")
    return years[0], quarter


def cmd_quarter_report(args) -> int:
    """Run the quarterly monitoring report for `args` (the `report` sub-command's options); exit status."""
    from ..engine.quality import validate
    from ..engine.quarterly import compute_quarter
    from ..problems import STRICT_NOTE, strict
    from ..report import runner as report
    from ..report.annual import register_meta, report_areas
    from ..report.quarterly_names import roman
    from .main import _data_dir

    year, quarter = asked_period(args)
    try:
        with report.stop_on_signals():
            dataset, output_dir = report.prepare(_data_dir(args), args.output_dir,
                                                 check=lambda d: compute_quarter(d, year, quarter))
            if args.ketat:  # every warning of the year and its quarters stops the run
                found = validate(dataset, [year])
                if found:
                    print(STRICT_NOTE[0].upper() + STRICT_NOTE[1:], file=sys.stderr)
                    raise DataError(strict(found))
            label = f"pemantauan triwulan {roman(quarter)} {year}"
            print(f"[1/1] {label} ...", flush=True)
            began = time.monotonic()
            when = report.batch_time()
            produced = report.quarterly_report(dataset, year, quarter, output_dir, args.timeout, when)
            print(f"[1/1] {label}: selesai dalam {angka(time.monotonic() - began, 1)} detik -> {produced.html}",
                  flush=True)
            index = report.write_index(output_dir, register_meta(dataset), when, report_areas(dataset))
    except report.Stopped as stop:
        print(f"iku report dihentikan ({stop.name}): kernel dihentikan, folder sementara dihapus; laporan yang "
              f"belum selesai tidak ditulis, laporan yang sudah ada tetap utuh", file=sys.stderr, flush=True)
        return 128 + stop.signum
    print(f"Laporan pemantauan: {produced.html} (Excel: {produced.extra[0] if produced.extra else '-'}). "
          f"Buka: {index}")
    return 0
