"""Benchmark: a batch of custom roles as the web app scores them under load (issue 5).

    python benchmarks/bench_role_batch.py [--index PATH] [--matcher semantic] [--size 32]
                                          [--repeat 7] [--by-stage]

Under 32 concurrent role POSTs the app scores roles in batches of up to 32
(``web.service.RoleBatcher``): ``api.assess_many``, then ``report_for_role``, ``to_dict`` and
the JSON bytes for each role. A client waits about one batch, so the role POST's p50 in
``bench_web.py`` follows this batch's time. The roles are what ``bench_web.py`` posts: one
title, three tasks, a fresh wording on every role so nothing is answered from a cache.

Prints medians (wall and this process's CPU) in the same run of:

- baseline: the same roles scored one by one (``api.assess`` + report + JSON each);
- the batch, and its ratio to the baseline;
- with ``--by-stage``: CPU ms per batch of each stage (matching with the embedding on its own
  line, the evidence, each method's explanations, the consensus, reports, ``to_dict``, JSON).

Default index: the one with task embeddings (``~/.cache/jobrisk/index-embeddings.duckdb``, made
by ``jobrisk build --embeddings``) when it exists, else the CLI's; the semantic matcher needs
the ``semantic`` extra and that index.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from jobrisk import api
from jobrisk.catalog import Catalog
from jobrisk.consensus import consensus_for
from jobrisk.errors import JobriskError
from jobrisk.methods import REGISTRY, load_evidence
from jobrisk.paths import resolve_locations, user_cache_dir
from jobrisk.reports.model import report_for_role
from jobrisk.role_evidence import match_roles, roles_subject
from jobrisk.roles import Role, make_role
from jobrisk.web.service import dumps

TASKS = (  # bench_web.ROLE_TASKS
    "Train machine learning models on customer data",
    "Write reports that explain model results to managers",
    "Answer customer questions by phone and email",
)
SEMANTIC_INDEX = user_cache_dir() / "index-embeddings.duckdb"
T = TypeVar("T")


def batch_roles(start: int, size: int) -> list[Role]:
    """``size`` roles with one title and fresh task wordings, as bench_web.py posts them."""
    return [
        make_role("Data analyst", [f"{t} batch 1-{start + i}" for t in TASKS]) for i in range(size)
    ]


def served(cat: Catalog, roles: list[Role], matcher: str) -> list[bytes]:
    """What the web app does for a batch: scores, reports and each role's JSON body."""
    out = []
    for scored in api.assess_many(cat, roles, matcher=matcher):
        if isinstance(scored, JobriskError):
            raise scored
        out.append(dumps(report_for_role(cat, scored).to_dict()))
    return out


def one_by_one(cat: Catalog, roles: list[Role], matcher: str) -> list[bytes]:
    """The baseline: each role scored alone."""
    return [
        dumps(report_for_role(cat, api.assess(cat, role, matcher=matcher)).to_dict())
        for role in roles
    ]


def timed_runs(fn: Callable[[int], object], repeat: int) -> tuple[float, float]:
    """Median wall and CPU ms of ``fn(run)`` over ``repeat`` runs (each run gets fresh roles)."""
    wall, cpu = [], []
    for run in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn(run)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def by_stage(cat: Catalog, matcher: str, size: int, repeat: int) -> None:
    """CPU ms per batch of each stage of :func:`served`, medians of ``repeat`` batches."""
    from jobrisk.matching.semantic import SemanticMatcher, embed_queries
    from jobrisk.matching.service import role_matching

    setup = role_matching(cat, matcher)
    ev = load_evidence(cat)
    times: dict[str, list[float]] = {}

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        c = time.process_time()
        yield
        times.setdefault(name, []).append((time.process_time() - c) * 1000)

    for run in range(repeat):
        roles = batch_roles(10_000 + run * size, size)
        codes = [f"role:{r.slug}~{i}" for i, r in enumerate(roles)]
        if isinstance(setup.matcher, SemanticMatcher):
            with stage("embedding (in matching)"):
                embed_queries([t.text for r in roles for t in r.tasks])
        with stage("matching (embedding included)"):
            matches = match_roles(
                roles,
                setup.matcher,
                setup.confidence,
                setup.labeler,
                setup.policy,
                setup.twin_labels,
            )
        with stage("roles_subject"):
            own = roles_subject(ev, list(zip(roles, matches, codes, strict=True)))
        explanations: list[dict[str, object]] = [{} for _ in codes]
        for m in REGISTRY.values():
            with stage(f"explain {m.name}"):
                for i, code in enumerate(codes):
                    explanations[i][m.name] = m.explain_evidence(own, code)
        with stage("consensus_for"):
            for i, code in enumerate(codes):
                consensus_for(own, code, explanations[i])  # type: ignore[arg-type]
        scored = api.assess_many(cat, roles, matcher=matcher)
        with stage("report_for_role"):
            reports = [report_for_role(cat, s) for s in scored]  # type: ignore[arg-type]
        with stage("to_dict"):
            docs = [r.to_dict() for r in reports]
        with stage("json bytes"):
            for d in docs:
                dumps(d)
    medians = {k: statistics.median(v) for k, v in times.items()}
    explain = sum(v for k, v in medians.items() if k.startswith("explain "))
    print(f"\nCPU ms per batch of {size}, by stage (median of {repeat}):")
    for name, ms in sorted(medians.items(), key=lambda kv: -kv[1]):
        if not name.startswith("explain ") or ms >= 1.0:
            print(f"  {name:36} {ms:7.1f}")
    print(f"  {'explanations, all methods':36} {explain:7.1f}")
    total = sum(v for k, v in medians.items() if k != "embedding (in matching)")
    print(f"  {'sum (embedding counted once)':36} {total:7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", type=Path, help="index file (default: see above)")
    parser.add_argument("--matcher", default="semantic", help="semantic (default) or lexical")
    parser.add_argument("--size", type=int, default=32, help="roles per batch (the app's cap)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--by-stage", action="store_true", help="also print CPU ms per stage")
    args = parser.parse_args()
    index = args.index or (
        SEMANTIC_INDEX
        if SEMANTIC_INDEX.exists()
        else resolve_locations(None, None, os.environ).index_path
    )
    with Catalog.open(index) as cat:
        size = args.size
        print(
            f"index {index}, matcher {args.matcher}, {os.cpu_count()} cores, batches of {size} "
            f"three-task roles, medians of {args.repeat}"
        )
        served(cat, batch_roles(0, size), args.matcher)  # warm: matcher, label model, population
        one_by_one(cat, batch_roles(0, 2), args.matcher)
        base_wall, base_cpu = timed_runs(
            lambda run: one_by_one(cat, batch_roles(1_000 + run * size, size), args.matcher),
            max(3, args.repeat // 2),
        )
        wall, cpu = timed_runs(
            lambda run: served(cat, batch_roles(5_000 + run * size, size), args.matcher),
            args.repeat,
        )
        print(f"one by one (baseline): {base_wall:8.1f} ms wall, {base_cpu:8.1f} ms CPU")
        print(
            f"one batch:             {wall:8.1f} ms wall, {cpu:8.1f} ms CPU | "
            f"{base_wall / wall:5.2f} x faster than one by one | {wall / size:6.1f} ms per role"
        )
        if args.by_stage:
            by_stage(cat, args.matcher, size, args.repeat)


if __name__ == "__main__":
    main()
