"""Benchmark: ``Report.to_dict`` and the JSON bytes of a batch of reports (issue 5).

    python benchmarks/bench_to_dict.py [--index PATH] [--size 32] [--repeat 15]

Builds ``--size`` custom-role reports (the three-task roles of ``bench_role_batch.py``,
lexical matcher) and as many O*NET occupation reports once, then prints the median CPU ms per
batch, all in the same run, of:

- baseline: ``json_ready(dataclasses.asdict(report), unknown=str)``, what ``to_dict`` did before;
- ``Report.to_dict()`` (``jsonready.plain_record``: one pass, the same dict), and its ratio;
- ``web.service.dumps`` of those dicts (the response bytes).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from jobrisk import api
from jobrisk.catalog import Catalog
from jobrisk.jsonready import json_ready
from jobrisk.paths import resolve_locations
from jobrisk.reports import Report
from jobrisk.reports.model import report_for_role
from jobrisk.roles import make_role
from jobrisk.web.service import dumps

TASKS = (  # bench_web.ROLE_TASKS
    "Train machine learning models on customer data",
    "Write reports that explain model results to managers",
    "Answer customer questions by phone and email",
)


def cpu_ms(fn: Callable[[], object], repeat: int) -> float:
    """Median CPU ms of ``fn()`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        c = time.process_time()
        fn()
        times.append((time.process_time() - c) * 1000)
    return statistics.median(times)


def _asdict_then_json_ready(reports: list[Report]) -> list[Any]:
    return [json_ready(dataclasses.asdict(r), unknown=str) for r in reports]


def _to_dict(reports: list[Report]) -> list[dict[str, Any]]:
    return [r.to_dict() for r in reports]


def _dumps(docs: list[dict[str, Any]]) -> list[bytes]:
    return [dumps(d) for d in docs]


def role_reports(cat: Catalog, size: int) -> list[Report]:
    roles = [make_role("Data analyst", [f"{t} batch 1-{i}" for t in TASKS]) for i in range(size)]
    out = []
    for scored in api.assess_many(cat, roles, matcher="lexical"):
        if isinstance(scored, Exception):
            raise scored
        out.append(report_for_role(cat, scored))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", type=Path, help="index file (default: the CLI's)")
    parser.add_argument("--size", type=int, default=32, help="reports per batch")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    index = args.index or resolve_locations(None, None, os.environ).index_path
    cat = Catalog.open(index)
    codes = sorted(cat.query("SELECT code FROM occupations")["code"])
    step = max(1, len(codes) // args.size)
    batches = {
        "custom roles": role_reports(cat, args.size),
        "occupations": [api.report(cat, c) for c in codes[::step][: args.size]],
    }
    print(
        f"index {index}, {os.cpu_count()} cores, CPU ms per batch of {args.size} reports, "
        f"medians of {args.repeat}"
    )
    for name, reports in batches.items():
        docs = [r.to_dict() for r in reports]
        base = cpu_ms(partial(_asdict_then_json_ready, reports), args.repeat)
        new = cpu_ms(partial(_to_dict, reports), args.repeat)
        body = cpu_ms(partial(_dumps, docs), args.repeat)
        kb = sum(len(dumps(d)) for d in docs) / len(docs) / 1024
        print(f"{name} ({kb:.0f} KiB of JSON each):")
        print(f"  baseline asdict + json_ready {base:7.1f}")
        print(f"  to_dict (one pass)           {new:7.1f}   {base / new:5.1f} x faster")
        print(f"  JSON bytes (dumps)           {body:7.1f}")
        print(f"  to_dict + JSON bytes         {new + body:7.1f}   (was {base + body:.1f})")


if __name__ == "__main__":
    main()
