"""What the one-report commands (`iku report --bandingkan`, `iku report --triwulan N`) share:
the progress lines, the index page, the words when a signal stops them, and the quarter option.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from ..exceptions import ParameterError
from ..formatting import angka


def quarter_option(text: object, years: list[int], doing: str) -> tuple[int, int]:
    """(year, quarter) of `--year Y --triwulan N`: N 1..4 (`2`, `II`, `Triwulan 2`) and one year;
    `doing` says what the command does with it (`menghitung`, `membuat laporan pemantauan`)."""
    from ..ingest.triwulan import quarter_cell

    try:
        quarter = quarter_cell(text)
    except ValueError:
        quarter = None
    if quarter is None:
        raise ParameterError(f"--triwulan '{text}' tidak sah; tulis 1, 2, 3 atau 4")
    if len(years) != 1:
        raise ParameterError(f"--triwulan {doing} satu triwulan dari satu tahun; tulis satu tahun, misalnya "
                             "--year 2023 --triwulan 2")
    return years[0], quarter


def produce(report, dataset, output_dir, label: str, make: Callable):
    """Make one report (`make(when)` -> `runner.Produced`) with its progress lines, then the index
    page; returns (produced, index path)."""
    from ..report.annual import register_meta, report_areas

    print(f"[1/1] {label} ...", flush=True)
    began = time.monotonic()
    when = report.batch_time()
    produced = make(when)
    print(f"[1/1] {label}: selesai dalam {angka(time.monotonic() - began, 1)} detik -> {produced.html}", flush=True)
    return produced, report.write_index(output_dir, register_meta(dataset), when, report_areas(dataset))


def stopped(stop) -> int:
    """The line when SIGTERM or Ctrl-C stopped a one-report command, and its exit status."""
    print(f"iku report dihentikan ({stop.name}): kernel dihentikan, folder sementara dihapus; laporan yang "
          f"belum selesai tidak ditulis, laporan yang sudah ada tetap utuh", file=sys.stderr, flush=True)
    return 128 + stop.signum


def done(kind: str, produced, index) -> int:
    """The last line of a one-report command (`kind`: perbandingan, pemantauan), exit status 0."""
    print(f"Laporan {kind}: {produced.html} (Excel: {produced.extra[0] if produced.extra else '-'}). Buka: {index}")
    return 0
