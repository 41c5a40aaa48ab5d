"""Benchmark: a 10-task custom role assessed end to end, warm (issue 4).

    python benchmarks/bench_roles.py [--index PATH] [--repeat N] [--slow-repeat N] [--by-stage]

Prints medians of wall time, and of this process's CPU time (steadier when the machine is
shared), all measured in the same run:

- baseline: one O*NET occupation's ``api.score`` (every method, explanations, consensus);
- ``api.assess`` of a 10-task role with the lexical matcher, and with the semantic matcher when
  the extra and the index's task embeddings are there (``jobrisk build --embeddings``), against
  the issue's targets (100 ms lexical, 300 ms semantic);
- the full recompute ``api.assess`` did before (the role appended to the O*NET evidence, every
  method over every occupation): ``--slow-repeat`` runs, 0 to skip.

Warm means a second call with the same catalog: the evidence, the O*NET population scores, the
matcher and the label model are loaded by a first call, as in a long-running web process.
Matching throughput (10,000 task lines, both matchers) is ``benchmarks/bench_matching.py``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from jobrisk import api, roles
from jobrisk.catalog import Catalog
from jobrisk.consensus import consensus_for
from jobrisk.errors import JobriskError
from jobrisk.methods import REGISTRY, load_evidence
from jobrisk.paths import resolve_locations
from jobrisk.role_evidence import match_tasks, role_evidence, role_subject

TASKS = [
    "Answer customer questions by phone and email",
    "Process refunds and exchanges for returned orders",
    "Keep records of customer complaints and how they were resolved",
    "Escalate technical problems to the engineering team",
    "Update account details in the billing system",
    "Explain pricing plans and recommend upgrades",
    "Write help-center articles for common issues",
    "Train new support agents on tools and policies",
    "Review weekly satisfaction survey results",
    "Coordinate with shipping to track lost parcels",
]
T = TypeVar("T")
TARGETS_MS = {"lexical": 100.0, "semantic": 300.0}


CPU: list[float] = []  # the CPU-time median of the last median_ms call, in ms


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time in ms; the CPU-time median goes to ``CPU`` (steadier on a busy box)."""
    times, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    CPU[:] = [statistics.median(cpu) * 1000]
    return statistics.median(times) * 1000


def full_recompute(cat: Catalog, role: roles.Role, matcher: str) -> None:
    """What ``api.assess`` did before: every method over all occupations plus the role."""
    from jobrisk.matching.service import role_matching

    setup = role_matching(cat, matcher)
    matches = match_tasks(
        role, setup.matcher, setup.confidence, setup.labeler, setup.policy, setup.twin_labels
    )
    code = f"role:{role.slug}"
    ev = role_evidence(load_evidence(cat), role, matches, code)
    explanations = {m.name: m.explain_evidence(ev, code) for m in REGISTRY.values()}
    consensus_for(ev, code, explanations)


def by_stage(cat: Catalog, role: roles.Role, matcher: str, repeat: int) -> None:
    """CPU-time medians of each stage of a warm ``api.assess``: where the time goes."""
    from jobrisk.matching.service import role_matching

    setup = role_matching(cat, matcher)
    ev = load_evidence(cat)
    code = f"role:{role.slug}"
    times: dict[str, list[float]] = {}

    def timed(name: str, fn: Callable[[], T]) -> T:
        c = time.process_time()
        out = fn()
        times.setdefault(name, []).append((time.process_time() - c) * 1000)
        return out

    for _ in range(repeat):
        matches = timed(
            "match_tasks",
            partial(
                match_tasks,
                role,
                setup.matcher,
                setup.confidence,
                setup.labeler,
                setup.policy,
                setup.twin_labels,
            ),
        )
        own = timed("role_subject", partial(role_subject, ev, role, matches, code))
        explanations = {
            m.name: timed(m.name, partial(m.explain_evidence, own, code)) for m in REGISTRY.values()
        }
        timed("consensus_for", partial(consensus_for, own, code, explanations))
    medians = {k: statistics.median(v) for k, v in times.items()}
    print(f"\n{matcher} role, CPU ms per stage (median of {repeat}):")
    for name, ms in sorted(medians.items(), key=lambda kv: -kv[1]):
        print(f"  {name:34} {ms:7.1f}")
    print(f"  {'sum':34} {sum(medians.values()):7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", type=Path, help="index file (default: as the CLI)")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--slow-repeat", type=int, default=3)
    parser.add_argument(
        "--by-stage", action="store_true", help="also print CPU ms per stage and per method"
    )
    args = parser.parse_args()
    index = args.index or resolve_locations(None, None, os.environ).index_path
    cat = Catalog.open(index)
    role = roles.make_role("Support agent", TASKS)
    print(f"index {index}, {os.cpu_count()} cores, medians of {args.repeat} warm runs\n")
    api.score(cat, "43-4051.00")
    baseline = median_ms(lambda: api.score(cat, "43-4051.00"), args.repeat)
    base_cpu = CPU[0]
    print(f"one occupation, api.score (baseline):   {baseline:8.1f} ms (CPU {base_cpu:6.1f} ms)")
    for matcher, target in TARGETS_MS.items():
        try:
            api.assess(cat, role, matcher=matcher)  # warm: matcher, label model, population
        except JobriskError as exc:
            print(f"10-task role, {matcher:8} skipped: {exc.message}")
            continue
        ms = median_ms(lambda m=matcher: api.assess(cat, role, matcher=m), args.repeat)  # type: ignore[misc]
        if args.by_stage:
            by_stage(cat, role, matcher, args.repeat)
        verdict = "met" if ms < target else "missed"
        print(
            f"10-task role, {matcher:8} api.assess: {ms:8.1f} ms | {ms / baseline:5.2f} x "
            f"baseline | target < {target:.0f} ms: {verdict} | CPU {CPU[0]:6.1f} ms, "
            f"{CPU[0] / base_cpu:5.2f} x baseline CPU"
        )
        if args.slow_repeat > 0:
            slow = median_ms(lambda m=matcher: full_recompute(cat, role, m), args.slow_repeat)  # type: ignore[misc]
            print(
                f"10-task role, {matcher:8} full recompute (before): {slow:8.1f} ms | "
                f"{slow / ms:5.1f} x slower than api.assess"
            )


if __name__ == "__main__":
    main()
