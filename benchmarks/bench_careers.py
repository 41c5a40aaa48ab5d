"""Benchmarks for careers: moves for one occupation, warm, against ``api.score`` in the same run.

    python benchmarks/bench_careers.py [--index PATH] [--repeat N]

Figures are medians (the machine is shared and noisy):

- the careers arrays (skills, DWAs, related occupations) read from the index, cold, vs. the
  evidence frames every method reads;
- ``career_moves`` for one occupation, warm (evidence, population and arrays cached), each
  probe asked again; target < 200 ms; baseline: ``api.score`` for the same occupation
  (every method with explanations and the consensus), warm;
- ``skills_to_learn`` and the whole ``api.careers`` answer (moves + skills + comparable jobs).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from harness import median_seconds, row
from jobrisk import api
from jobrisk.careers import career_moves, skills_to_learn
from jobrisk.careers.model import _read
from jobrisk.catalog import Catalog
from jobrisk.methods.evidence import _read as read_evidence
from jobrisk.paths import resolve_locations

PROBES = ("15-2051.00", "29-1141.00", "47-2061.00", "43-4051.00", "15-1252.00")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", type=Path, help="index file (default: as the CLI)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    index = args.index or resolve_locations(None, None, os.environ).index_path
    n = args.repeat
    print(f"index {index}, median of {n} runs per probe, {os.cpu_count()} cores\n")
    cat = Catalog.open(index)
    t = time.perf_counter()
    for code in PROBES:  # warm: evidence, every method's population, the careers arrays
        career_moves(cat, code)
        api.score(cat, code)
    print(f"warm-up (evidence, 26 methods, careers arrays): {time.perf_counter() - t:.1f} s")

    row(
        "careers arrays read (cold)",
        median_seconds(lambda: _read(cat), max(3, n // 2)),
        "evidence frames read (cold)",
        median_seconds(lambda: read_evidence(cat), max(3, n // 2)),
        "-",
    )
    moves, scores, skills, whole = [], [], [], []
    for code in PROBES:
        moves.append(median_seconds(lambda c=code: career_moves(cat, c), n))
        scores.append(median_seconds(lambda c=code: api.score(cat, c), n))
        skills.append(median_seconds(lambda c=code: skills_to_learn(cat, c), n))
        whole.append(median_seconds(lambda c=code: api.careers(cat, c), n))
        row(f"career_moves {code} (warm)", moves[-1], "api.score (warm)", scores[-1], "< 200 ms")
    print()
    m, s = statistics.median(moves), statistics.median(scores)
    row("career_moves, median over probes", m, "api.score, median", s, "< 200 ms")
    row(
        "skills_to_learn, median over probes",
        statistics.median(skills),
        "api.score, median",
        s,
        "-",
    )
    row("api.careers (all three), median", statistics.median(whole), "api.score, median", s, "-")
    print(f"\ntarget moves < 200 ms warm: {'met' if m < 0.2 else 'MISSED'} ({m * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
