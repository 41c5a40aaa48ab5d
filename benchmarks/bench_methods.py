"""Benchmarks for the method layer: every method on every occupation, one occupation's consensus.

    python benchmarks/bench_methods.py [--index PATH] [--repeat N]

Figures are medians over repeated runs, each beside a baseline measured in the same run:

- every registered method on all 1,016 occupations, from a fresh catalog (evidence read
  included), vs. reading the evidence frames alone; target < 10 s;
- the same with the evidence already loaded (methods only, memo cleared each run);
- one occupation's full consensus with every explanation, warm (population scored), for
  occupations not scored before in the process and again for ones that were, vs. one
  catalog lookup of the occupation's row; target < 100 ms;
- per-method compute time on all occupations (the five slowest are printed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from harness import median_seconds, row
from jobrisk import api
from jobrisk.catalog import Catalog
from jobrisk.methods import REGISTRY, load_evidence
from jobrisk.methods.evidence import _read
from jobrisk.paths import resolve_locations

PROBES = ("15-2051.00", "29-1141.00", "47-2061.00", "43-4051.00", "15-1252.00")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", type=Path, help="index file (default: as the CLI)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    index = args.index or resolve_locations(None, None, os.environ).index_path
    n = args.repeat
    print(f"{len(REGISTRY)} methods, index {index}, median of {n} runs, {os.cpu_count()} cores\n")

    def all_methods_cold() -> None:
        with Catalog.open(index) as cat:
            ev = load_evidence(cat)
            for m in REGISTRY.values():
                m.compute(ev)

    def evidence_only() -> None:
        with Catalog.open(index) as cat:
            _read(cat)

    row(
        "all methods x all occupations (fresh catalog)",
        median_seconds(all_methods_cold, n),
        "reading the evidence frames",
        median_seconds(evidence_only, n),
        "< 10 s",
    )

    cat = Catalog.open(index)
    ev = load_evidence(cat)
    per_method = {
        name: median_seconds(lambda m=m: m.compute(ev), n)  # type: ignore[misc]
        for name, m in REGISTRY.items()
    }
    lookup = median_seconds(lambda: cat.occupation("15-2051.00"), n * 4)
    row(
        "all methods x all occupations (evidence warm)",
        sum(per_method.values()),
        "one occupation row lookup",
        lookup,
        "< 10 s",
    )
    for code in PROBES[:2]:  # warm: population percentiles and grouped rows exist
        api.score(cat, code)
    fresh_codes = [c for c in ev.units.index[ev.units["has_tasks"]][::37] if c not in PROBES]
    first_visit = []
    for code in fresh_codes:  # each occupation scored for the first time in this process
        t = time.perf_counter()
        api.score(cat, code)
        first_visit.append(time.perf_counter() - t)
    row(
        f"one occupation, first visit ({len(fresh_codes)} codes)",
        statistics.median(first_visit),
        "one occupation row lookup",
        lookup,
        "< 100 ms",
    )
    again = statistics.median(
        median_seconds(lambda c=code: api.score(cat, c), n)  # type: ignore[misc]
        for code in fresh_codes[:5]
    )
    row("one occupation, scored again", again, "one occupation row lookup", lookup, "< 100 ms")
    print(f"  first visit: max {max(first_visit) * 1000:.1f} ms over {len(fresh_codes)} codes")
    print("\nslowest methods (compute on all occupations):")
    for name, sec in sorted(per_method.items(), key=lambda kv: -kv[1])[:5]:
        print(f"  {name:40} {sec * 1000:8.1f} ms")
    cat.close()


if __name__ == "__main__":
    main()
