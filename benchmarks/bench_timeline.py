"""Benchmark: the weekly AI risk index for every occupation over two years of weeks.

    python benchmarks/bench_timeline.py [--index PATH] [--repeat N] [--events N]

Prints medians of:

- baseline: the ``risk_index`` method's scores for every occupation, cold (a freshly opened
  catalog: evidence read, exposure series and adoption curves computed);
- ``weekly_index`` over 105 weeks x every occupation, cold (the same work plus the weekly
  curves and the events), with the shipped example events plus ``--events`` generated ones
  spread over every scope kind;
- ``weekly_index`` warm (the baseline scores already memoized): the cost of the weekly layer;

with the ratio cold weekly / baseline and the issue's target (under 10 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

import numpy as np

from harness import median_seconds
from jobrisk.catalog import Catalog
from jobrisk.methods import get_method
from jobrisk.paths import resolve_locations
from jobrisk.timeline import (
    CAPABILITY_KINDS,
    DEFAULT_EVENTS,
    Event,
    Scope,
    load_events,
    weekly_index,
)

END = dt.date(2026, 11, 22)
START = END - dt.timedelta(weeks=104)
TARGET_S = 10.0


def generated_events(cat: Catalog, n: int, seed: int = 7) -> list[Event]:
    rng = np.random.default_rng(seed)
    groups = cat.query("select code from soc_groups where level != 'detailed'")["code"]
    links = cat.query("select distinct dwa_id, iwa_id from task_iwas")
    scopes = [
        lambda: Scope(soc=(str(rng.choice(groups)),)),
        lambda: Scope(dwa=tuple(str(x) for x in rng.choice(links["dwa_id"], 3))),
        lambda: Scope(iwa=tuple(str(x) for x in rng.choice(links["iwa_id"], 2))),
        lambda: Scope(capability=(str(rng.choice(list(CAPABILITY_KINDS))),)),
    ]
    return [
        Event(
            id=f"g{i}",
            date=START + dt.timedelta(days=int(rng.integers(0, 728))),
            headline=f"generated {i}",
            source="https://example.org",
            scope=scopes[i % len(scopes)](),
            direction=str(rng.choice(["up", "down"])),
            size=float(rng.uniform(0.5, 5)),
            reason="benchmark",
        )
        for i in range(n)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--events", type=int, default=100, help="generated events added")
    args = parser.parse_args()
    index = args.index or resolve_locations(None, None, os.environ).index_path
    with Catalog.open(index) as cat:
        events = load_events(DEFAULT_EVENTS) + generated_events(cat, args.events)

    def baseline_cold() -> None:
        with Catalog.open(index) as fresh:
            get_method("risk_index").score(fresh)

    def weekly_cold() -> None:
        with Catalog.open(index) as fresh:
            weekly_index(fresh, events, start=START, end=END)

    baseline = median_seconds(baseline_cold, args.repeat)
    cold = median_seconds(weekly_cold, args.repeat)
    with Catalog.open(index) as cat:
        idx = weekly_index(cat, events, start=START, end=END)
        warm = median_seconds(lambda: weekly_index(cat, events, start=START, end=END), args.repeat)
    shape = f"{len(idx.weeks)} weeks x {len(idx.codes)} occupations, {len(events)} events"
    print(f"weekly index: {shape}; medians of {args.repeat}")
    print(f"  risk_index baseline scores, cold (baseline): {baseline:7.3f} s")
    print(f"  weekly_index, cold:                          {cold:7.3f} s")
    print(f"  weekly_index, warm (scores memoized):        {warm:7.3f} s")
    print(f"  ratio cold weekly / baseline: {cold / baseline:.2f}x")
    verdict = "met" if cold < TARGET_S else "MISSED"
    print(f"  target: under {TARGET_S:g} s for the weekly index, cold: {verdict}")


if __name__ == "__main__":
    main()
