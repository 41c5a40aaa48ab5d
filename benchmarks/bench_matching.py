"""Task-matching throughput: a batch of 10,000 task lines through each matcher.

    python benchmarks/bench_matching.py [--index PATH] [--n 10000] [--repeat 3] [--precision]

The batch is real O*NET 30.1 task statements (sampled with a fixed seed) re-rendered in turn
into the six layouts of :mod:`jobrisk.validation.layouts` (original, terse, first person,
narrative, noisy, bullet), so the lexical normalizer and the model see what people write.
Figures are medians over ``--repeat`` runs, each beside a baseline measured in the same run:

- lexical: ``search(batch, k=5)`` vs. only vectorizing the batch (no scoring, no top-k);
- semantic: ``search(batch, k=5)`` vs. only embedding the batch (no scoring, no top-k); as
  embedding is nearly all of it, the batch is embedded once per run and the search timed as
  its two stages (``search == search_embedded(embed_queries(batch))``);
- and, for each, a 10-line role (warm) vs. the same baseline on those 10 lines.

With ``--precision`` (needs the extra and the index's task embeddings), the semantic batch is
also embedded in float32 and in bfloat16 (what :func:`jobrisk.matching.semantic._precision`
uses where the CPU has it natively), and it prints: the time to embed 96 lines (a batch of 32
three-task roles in the web app) in each precision on one thread and on all; the cosine of
each bfloat16 embedding to its float32 twin; and how often the top match and the top-5 set
stay the same, with the largest change of a top similarity.

Without the ``semantic`` extra the semantic part prints the extra's one-line message. When
the index has no task embeddings (built without the extra), the semantic corpus matrix is
random unit vectors of the real shape (18,796 x 384): timing is right, matches are not.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from harness import median_seconds
from jobrisk.catalog import Catalog
from jobrisk.errors import DataError
from jobrisk.matching.lexical import LexicalMatcher, task_corpus
from jobrisk.paths import resolve_locations
from jobrisk.validation.layouts import LAYOUTS, render

T = TypeVar("T")


def task_rows(corpus: pd.DataFrame, n: int, seed: int = 0) -> npt.NDArray[np.int_]:
    """The corpus rows of ``n`` task statements sampled with ``seed``."""
    rng = np.random.default_rng(seed)
    return rng.choice(len(corpus), size=n, replace=n > len(corpus))


def task_lines(corpus: pd.DataFrame, n: int, seed: int = 0) -> list[str]:
    """``n`` task statements sampled with ``seed``, each in the next of the six layouts."""
    tasks = corpus["task"].to_numpy()[task_rows(corpus, n, seed)]
    return [render(str(t), LAYOUTS[i % len(LAYOUTS)], seed=seed) for i, t in enumerate(tasks)]


def report(
    name: str,
    batch: Sequence[str],
    search: Callable[[Sequence[str]], object],
    baseline: Callable[[Sequence[str]], object],
    baseline_name: str,
    repeat: int,
    target_ms: float,
) -> None:
    n = len(batch)
    full = median_seconds(lambda: search(batch), repeat)
    base = median_seconds(lambda: baseline(batch), repeat)
    print(
        f"{name:9} {n:,} lines: search {n / full:9,.0f} tasks/s ({full:6.2f} s) | "
        f"{baseline_name} only {n / base:9,.0f} tasks/s ({base:6.2f} s) | ratio {full / base:5.2f}"
    )
    role = list(batch[:10])
    search(role)
    role_full = median_seconds(lambda: search(role), max(repeat, 10))
    role_base = median_seconds(lambda: baseline(role), max(repeat, 10))
    print(
        f"{name:9} 10-line role, warm: search {role_full * 1000:7.1f} ms | {baseline_name} only "
        f"{role_base * 1000:7.1f} ms | ratio {role_full / role_base:5.2f} | "
        f"matching share of the {target_ms:.0f} ms role target: {role_full * 1000 / target_ms:.0%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", type=Path, help="index file (default: as the CLI)")
    parser.add_argument("--n", type=int, default=10_000, help="task lines in the batch")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--precision", action="store_true", help="also compare float32 and bfloat16 embeddings"
    )
    args = parser.parse_args()
    index = args.index or resolve_locations(None, None, os.environ).index_path
    with Catalog.open(index) as cat:
        corpus = task_corpus(cat)
        batch = task_lines(corpus, args.n)
        print(
            f"{len(corpus):,} O*NET tasks, {args.n:,} task lines in {len(LAYOUTS)} layouts, "
            f"median of {args.repeat} runs, {os.cpu_count()} cores\n"
        )
        t = time.perf_counter()
        lexical = LexicalMatcher(corpus)
        print(f"lexical   fit on the corpus: {time.perf_counter() - t:.1f} s (once per process)")
        report(
            "lexical",
            batch,
            lambda b: lexical.search(b, k=5),
            lexical.vectorize,
            "vectorize",
            args.repeat,
            100,
        )
        semantic_part(cat, corpus, batch, args.repeat)
        if args.precision:
            sources = corpus.iloc[task_rows(corpus, args.n)]
            precision_part(cat, batch, sources, args.repeat)


def semantic_part(cat: Catalog, corpus: pd.DataFrame, batch: Sequence[str], repeat: int) -> None:
    from jobrisk.matching.semantic import (
        EMBEDDING_DIM,
        SEMANTIC_MISSING,
        SemanticMatcher,
        embed_queries,
        load_task_embeddings,
        semantic_available,
    )

    if not semantic_available():
        print(f"semantic  skipped: {SEMANTIC_MISSING}")
        return
    try:
        sem_corpus, matrix = load_task_embeddings(cat)
    except DataError as err:
        print(f"semantic  corpus: random unit vectors ({err.message})")
        rng = np.random.default_rng(0)
        matrix = rng.standard_normal((len(corpus), EMBEDDING_DIM)).astype(np.float32)
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
        sem_corpus = corpus
    t = time.perf_counter()
    embed_queries(["warm up the model"])
    print(f"semantic  model load: {time.perf_counter() - t:.1f} s (once per process)")
    semantic = SemanticMatcher(sem_corpus, matrix)
    # Embedding is ~all of a semantic search, so the batch is embedded once per run and the
    # search timed as its two stages: search(b) == search_embedded(embed_queries(b)).
    embed_times, score_times = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        vectors = embed_queries(batch)
        embed_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        semantic.search_embedded(vectors, k=5)
        score_times.append(time.perf_counter() - t)
    n = len(batch)
    embed, score = statistics.median(embed_times), statistics.median(score_times)
    print(
        f"{'semantic':9} {n:,} lines: search {n / (embed + score):9,.0f} tasks/s "
        f"({embed + score:6.2f} s) | embed only {n / embed:9,.0f} tasks/s ({embed:6.2f} s) | "
        f"ratio {(embed + score) / embed:5.2f} | score + top-k alone {n / score:,.0f} tasks/s"
    )
    role = list(batch[:10])
    role_full = median_seconds(lambda: semantic.search(role, k=5), max(repeat, 10))
    role_base = median_seconds(lambda: embed_queries(role), max(repeat, 10))
    print(
        f"{'semantic':9} 10-line role, warm: search {role_full * 1000:7.1f} ms | embed only "
        f"{role_base * 1000:7.1f} ms | ratio {role_full / role_base:5.2f} | "
        f"matching share of the 300 ms role target: {role_full * 1000 / 300:.0%}"
    )


def precision_part(cat: Catalog, batch: Sequence[str], sources: pd.DataFrame, repeat: int) -> None:
    """float32 against bfloat16 embeddings of the same lines: speed and agreement.

    ``sources`` are the corpus rows the lines were rendered from (``code``, ``task_id``,
    ``task``), so each precision's top match can also be scored as right (the source task, or
    a task of the same wording in another occupation) or wrong."""
    import torch

    from jobrisk.matching import semantic as sem

    if not sem.semantic_available():
        print(f"precision skipped: {sem.SEMANTIC_MISSING}")
        return
    try:
        sem_corpus, matrix = sem.load_task_embeddings(cat)
    except DataError as err:
        print(f"precision skipped: {err.message}")
        return

    def in_precision(bf16: bool, fn: Callable[[], T]) -> T:
        before = os.environ.get(sem.FLOAT32_ENV)
        os.environ[sem.FLOAT32_ENV] = "0" if bf16 else "1"
        sem.native_bfloat16.cache_clear()
        try:
            return fn()
        finally:
            if before is None:
                del os.environ[sem.FLOAT32_ENV]
            else:
                os.environ[sem.FLOAT32_ENV] = before
            sem.native_bfloat16.cache_clear()

    if not in_precision(True, sem.native_bfloat16):
        print("precision skipped: this CPU has no native bfloat16 (AVX512-BF16 or AMX)")
        return
    print(f"\nprecision: float32 vs bfloat16 (autocast), {len(batch):,} lines")
    lines96 = list(batch[:96])
    threads = torch.get_num_threads()
    for n in sorted({1, threads}):
        torch.set_num_threads(n)
        times = {
            bf16: in_precision(
                bf16, lambda: median_seconds(lambda: sem.embed_queries(lines96), max(repeat, 7))
            )
            for bf16 in (False, True)
        }
        print(
            f"  96 lines on {n} thread(s): float32 {times[False] * 1000:6.1f} ms | "
            f"bfloat16 {times[True] * 1000:6.1f} ms | ratio {times[False] / times[True]:4.2f}"
        )
    torch.set_num_threads(threads)
    f32 = in_precision(False, lambda: sem.embed_queries(batch))
    b16 = in_precision(True, lambda: sem.embed_queries(batch))
    cos = (f32 * b16).sum(axis=1)
    print(
        f"  cosine bfloat16 to float32: min {cos.min():.6f} | 1st percentile "
        f"{np.percentile(cos, 1):.6f} | median {np.median(cos):.6f}"
    )
    matcher = sem.SemanticMatcher(sem_corpus, matrix)
    rows32, sims32 = matcher.top_k(f32, 5)
    rows16, sims16 = matcher.top_k(b16, 5)
    same = rows32[:, 0] == rows16[:, 0]
    top5 = float(np.mean([set(a) == set(b) for a, b in zip(rows32, rows16, strict=True)]))
    gap = np.abs(sims32[:, 0] - sims16[:, 0]).max()
    print(
        f"  same top match {same.mean():.2%} | same top-5 set {top5:.2%} | largest change of "
        f"the top similarity {gap:.5f}"
    )
    # where the top match changed: how far apart the two were in float32 (near-ties or not)
    changed = np.flatnonzero(~same)
    if len(changed):
        other = (f32[changed] * matrix[rows16[changed, 0]]).sum(axis=1)
        ties = sims32[changed, 0] - other
        print(
            f"  where it changed ({len(changed):,} lines), float32 similarity of its top match "
            f"minus that of bfloat16's: median {np.median(ties):.5f} | max {ties.max():.5f}"
        )
    text = sem_corpus["task"].astype(str).to_numpy()
    want = sources["task"].astype(str).to_numpy()
    for name, rows in (("float32", rows32), ("bfloat16", rows16)):
        exact = (sem_corpus["code"].to_numpy()[rows[:, 0]] == sources["code"].to_numpy()) & (
            sem_corpus["task_id"].to_numpy()[rows[:, 0]] == sources["task_id"].to_numpy()
        )
        worded = text[rows[:, 0]] == want
        print(
            f"  {name:8} top match is the source task {exact.mean():.2%} | a task of its "
            f"wording {worded.mean():.2%}"
        )


if __name__ == "__main__":
    main()
