"""Benchmarks for reports: building and rendering one report, warm, against ``api.score``.

    python benchmarks/bench_reports.py [--index PATH] [--repeat N]

Figures are medians over the probes (the machine is shared and noisy):

- ``build_report`` for one occupation, warm (evidence, population and career model cached);
  baseline: ``api.score`` for the same occupation in the same run (every method, the
  explanations and the consensus), which the report calls once; the ratio is the report's
  overhead (task table, AIJRI recomposition, comparable jobs, sources);
- each renderer on an already built report (terminal, markdown, html document, json, csv).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from harness import median_seconds
from jobrisk import api
from jobrisk.catalog import Catalog
from jobrisk.paths import resolve_locations
from jobrisk.reports import build_report
from jobrisk.reports.formats import FORMATS, render_report

PROBES = ("15-2051.00", "29-1141.00", "47-2061.00", "43-4051.00", "15-1252.00")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, help="index path (default: the usual location)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    index = args.index or resolve_locations(None, None).index_path
    with Catalog.open(index) as cat:
        t = time.perf_counter()
        build_report(cat, PROBES[0])
        print(f"first report in the process (cold caches): {time.perf_counter() - t:.2f} s")
        score_s = statistics.median(
            median_seconds(lambda c=code: api.score(cat, c), args.repeat) for code in PROBES
        )
        report_s = statistics.median(
            median_seconds(lambda c=code: build_report(cat, c), args.repeat) for code in PROBES
        )
        print(f"api.score, warm (baseline):  {score_s * 1000:8.1f} ms (median over {len(PROBES)})")
        print(f"build_report, warm:          {report_s * 1000:8.1f} ms")
        print(f"ratio report / score:        {report_s / score_s:8.2f}x")
        report = build_report(cat, PROBES[0])
        for fmt in FORMATS:
            s = median_seconds(lambda f=fmt: render_report(report, f), args.repeat)
            print(f"render {fmt:<9}             {s * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
