"""Task-matching throughput: a batch of 10,000 task lines through each matcher.

    python benchmarks/bench_matching.py [--index PATH] [--n 10000] [--repeat 3]

The batch is real O*NET 30.1 task statements (sampled with a fixed seed) re-rendered in turn
into the six layouts of :mod:`jobrisk.validation.layouts` (original, terse, first person,
narrative, noisy, bullet), so the lexical normalizer and the model see what people write.
Figures are medians over ``--repeat`` runs, each beside a baseline measured in the same run:

- lexical: ``search(batch, k=5)`` vs. only vectorizing the batch (no scoring, no top-k);
- semantic: ``search(batch, k=5)`` vs. only embedding the batch (no scoring, no top-k); as
  embedding is nearly all of it, the batch is embedded once per run and the search timed as
  its two stages (``search == search_embedded(embed_queries(batch))``);
- and, for each, a 10-line role (warm) vs. the same baseline on those 10 lines.

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

import numpy as np
import pandas as pd

from harness import median_seconds
from jobrisk.catalog import Catalog
from jobrisk.errors import DataError
from jobrisk.matching.lexical import LexicalMatcher, task_corpus
from jobrisk.paths import resolve_locations
from jobrisk.validation.layouts import LAYOUTS, render


def task_lines(corpus: pd.DataFrame, n: int, seed: int = 0) -> list[str]:
    """``n`` task statements sampled with ``seed``, each in the next of the six layouts."""
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(corpus), size=n, replace=n > len(corpus))
    tasks = corpus["task"].to_numpy()[rows]
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


if __name__ == "__main__":
    main()
