"""What every benchmark script shares: the median of repeated runs, and one printed row of a
figure beside its same-run baseline. The scripts run as ``python benchmarks/bench_x.py``, so
this module is imported by its bare name."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    """The median wall time of ``repeat`` calls (medians: the 2-core machine is noisy)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def row(name: str, value: float, baseline_name: str, baseline: float, target: str) -> None:
    """One line: the figure in ms, its baseline in ms, their ratio and the target."""
    print(
        f"{name:44} {value * 1000:9.1f} ms | {baseline_name:32} {baseline * 1000:8.1f} ms"
        f" | ratio {value / baseline:7.2f} | target {target}"
    )
