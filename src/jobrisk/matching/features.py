"""Text features and linear heads of the label predictor (:mod:`jobrisk.matching.labels`).

Two views of the lower-cased text, each L2-normalized by scikit-learn's ``TfidfVectorizer``
and placed side by side:

- words (scikit-learn's default token pattern), unigrams and bigrams, ``min_df=2``;
- character 2-5-grams inside word boundaries (``char_wb``), ``min_df=2``, which still overlap
  when a word is misspelt or cut short.

Both use sublinear term frequency. On leave-one-major-group-out over the 19,265 labelled
tasks (see :mod:`jobrisk.matching.labels`), running the texts through the lexical matcher's
normalizer (stop words out, stems, abbreviations spelt out) first scored 0.01 *lower* in kappa
on clean and on perturbed text, so the label model reads the text as written.

A fitted space is a vocabulary and IDF weights per view, which :class:`TextFeatures` turns into
plain rows (:meth:`TextFeatures.to_frame`) and back (:meth:`TextFeatures.from_frame`), so a
stored model is rebuilt from numbers, never unpickled.

A :class:`LinearHead` is one label set on that space: one-vs-rest linear SVMs
(:func:`fit_linear_head`), whose scores a softmax at one temperature turns into probabilities.
The temperature minimizes the log loss of out-of-fold scores (grouped folds when groups are
given), so the probabilities are calibrated although the SVMs are not probabilistic. An
optional per-class offset on the tempered scores (:func:`kappa_offsets`, tuned on the same
out-of-fold scores) moves the decision towards the class mix that maximizes Cohen's kappa.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import GroupKFold, KFold
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from jobrisk.errors import DataError, InputError

Array = npt.NDArray[np.float64]
VIEWS = ("word", "char")
FEATURE_COLUMNS = ("position", "view", "term", "idf")


@dataclass(frozen=True)
class FeatureConfig:
    """How text becomes features; stored with a model so a reload reads text the same way."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    min_df: int = 2


WORD_CACHE = 50_000
"""Words whose character n-gram columns :func:`tfidf_transform` keeps per vectorizer (a few
hundred bytes each); past that it starts afresh."""

_WORD_COLUMNS: weakref.WeakKeyDictionary[
    TfidfVectorizer, tuple[dict[str, int], dict[str, npt.NDArray[np.int32]]]
] = weakref.WeakKeyDictionary()


def tfidf_transform(vec: TfidfVectorizer, docs: list[str]) -> sp.csr_matrix:
    """``vec.transform(docs)`` of a fitted ``TfidfVectorizer``, to the bit, several times faster
    on short texts: term counts (:func:`_term_counts`), then sublinear tf, IDF and the norm as
    scikit-learn applies them."""
    x = _term_counts(vec, docs)
    if vec.binary:
        x.data.fill(1)
    if vec.sublinear_tf:
        np.log(x.data, x.data)
        x.data += 1.0
    if vec.use_idf:
        x.data *= vec.idf_[x.indices]
    if vec.norm is not None:
        x = normalize(x, norm=vec.norm, copy=False)
    return x


def _term_counts(vec: TfidfVectorizer, docs: list[str]) -> sp.csr_matrix:
    """Each document's in-vocabulary term counts, as ``CountVectorizer`` counts them (sorted
    columns). scikit-learn counts in a Python loop that pays an exception per unknown n-gram,
    most of a short text's cost; here scipy sums the columns, and a ``char_wb`` view keeps
    each word's columns (its n-grams depend on that word alone)."""
    if not hasattr(vec, "vocabulary_"):
        vec.transform([""])  # a vectorizer given its vocabulary checks it on first use
    vocabulary: dict[str, int] = vec.vocabulary_
    parts: list[npt.NDArray[np.int32]] = []
    lengths: list[int] = []
    if vec.analyzer == "char_wb":
        known, per_word = _WORD_COLUMNS.get(vec, (None, {}))
        if known is not vocabulary or len(per_word) > WORD_CACHE:  # refitted, or too many
            per_word = {}
            _WORD_COLUMNS[vec] = (vocabulary, per_word)
        lo, hi = vec.ngram_range
        preprocess = vec.build_preprocessor()
        for doc in docs:
            n = 0
            for word in preprocess(vec.decode(doc)).split():
                cols = per_word.get(word)
                if cols is None:
                    cols = per_word[word] = _columns(_char_wb_ngrams(word, lo, hi), vocabulary)
                parts.append(cols)
                n += len(cols)
            lengths.append(n)
    else:
        analyze = vec.build_analyzer()
        for doc in docs:
            parts.append(_columns(analyze(doc), vocabulary))
            lengths.append(len(parts[-1]))
    cols = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
    rows = np.repeat(np.arange(len(docs), dtype=np.int32), lengths)
    x = sp.csr_matrix(
        (np.ones(len(cols), dtype=vec.dtype), (rows, cols)), shape=(len(docs), len(vocabulary))
    )
    x.sum_duplicates()
    return x


def _char_wb_ngrams(word: str, lo: int, hi: int) -> list[str]:
    """scikit-learn's ``char_wb`` n-grams of one word: padded with a space each side, each
    length from ``lo`` to ``hi``; a word shorter than ``n`` counts once, padded, and ends it."""
    w = f" {word} "
    out = []
    for n in range(lo, hi + 1):
        if len(w) <= n:
            out.append(w)
            break
        out.extend(w[i : i + n] for i in range(len(w) - n + 1))
    return out


def _columns(terms: list[str], vocabulary: dict[str, int]) -> npt.NDArray[np.int32]:
    """The vocabulary column of each term that has one."""
    get = vocabulary.get
    return np.array([j for j in map(get, terms) if j is not None], dtype=np.int32)


def _vectorizer(view: str, config: FeatureConfig, **kwargs: object) -> TfidfVectorizer:
    if view == "word":
        return TfidfVectorizer(
            ngram_range=config.word_ngrams, sublinear_tf=True, min_df=config.min_df, **kwargs
        )
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=config.char_ngrams,
        sublinear_tf=True,
        min_df=config.min_df,
        **kwargs,
    )


class TextFeatures:
    """A fitted word + character TF-IDF space (the columns the label heads are weighted on)."""

    def __init__(self, config: FeatureConfig, vectorizers: Sequence[TfidfVectorizer]) -> None:
        self.config = config
        self._vectorizers = tuple(vectorizers)

    @classmethod
    def fit(cls, texts: Sequence[str], config: FeatureConfig | None = None) -> TextFeatures:
        """Learn the vocabulary and IDF weights of both views from ``texts``."""
        config = config or FeatureConfig()
        docs = [str(t) for t in texts]
        return cls(config, [_vectorizer(v, config).fit(docs) for v in VIEWS])

    @property
    def n_features(self) -> int:
        return sum(len(v.vocabulary_) for v in self._vectorizers)

    @property
    def n_word_features(self) -> int:
        """The word view's columns (the first ones): a text with none of them is unknown."""
        return len(self._vectorizers[0].vocabulary_)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """One row per text: the word view's columns, then the character view's."""
        docs = [str(t) for t in texts]
        return sp.hstack([tfidf_transform(v, docs) for v in self._vectorizers], format="csr")

    def to_frame(self) -> pd.DataFrame:
        """One row per feature column: ``position`` (column index), ``view``, ``term``, ``idf``."""
        frames = []
        offset = 0
        for view, vec in zip(VIEWS, self._vectorizers, strict=True):
            terms = vec.get_feature_names_out()
            frames.append(
                pd.DataFrame(
                    {
                        "position": np.arange(offset, offset + len(terms), dtype=np.int64),
                        "view": view,
                        "term": terms.astype(str),
                        "idf": np.asarray(vec.idf_, dtype=np.float64),
                    }
                )
            )
            offset += len(terms)
        return pd.concat(frames, ignore_index=True)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, config: FeatureConfig) -> TextFeatures:
        """The space :meth:`to_frame` wrote (rows in any order)."""
        missing = [c for c in FEATURE_COLUMNS if c not in frame.columns]
        if missing:
            raise DataError(
                f"the stored label model's feature table lacks the columns {missing}",
                hint="rebuild the index with `jobrisk build --force`",
            )
        rows = frame.sort_values("position")
        if not np.array_equal(rows["position"].to_numpy(), np.arange(len(rows))):
            raise DataError(
                "the stored label model's feature positions are not 0..n-1",
                hint="rebuild the index with `jobrisk build --force`",
            )
        vectorizers = []
        for view in VIEWS:
            part = rows[rows["view"] == view]
            vocabulary = {str(t): i for i, t in enumerate(part["term"])}
            vec = _vectorizer(view, config, vocabulary=vocabulary)
            vec.idf_ = part["idf"].to_numpy(dtype=np.float64)
            vectorizers.append(vec)
        return cls(config, vectorizers)


def softmax(scores: Array) -> Array:
    """Row-wise softmax, stable for large scores."""
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    out: Array = shifted / shifted.sum(axis=1, keepdims=True)
    return out


@dataclass(frozen=True)
class LinearHead:
    """One label set's linear scores ``X @ coef.T + intercept``, softmaxed at ``temperature``."""

    classes: tuple[str, ...]
    coef: Array  # (classes, features)
    intercept: Array  # (classes,)
    temperature: float
    offsets: Array  # (classes,), added to the tempered scores; zeros for a plain argmax

    def scores(self, x: sp.csr_matrix) -> Array:
        out: Array = np.asarray(x @ self._coef_t) + self.intercept
        return out

    @cached_property
    def _coef_t(self) -> Array:
        # scipy copies a non-contiguous dense operand on every product; the same numbers
        # laid out once give the same sums
        return np.ascontiguousarray(self.coef.T)

    def proba(self, x: sp.csr_matrix) -> Array:
        return softmax(self.temperature * self.scores(x) + self.offsets)


def _fit_linear(
    x: sp.csr_matrix, y: npt.NDArray[np.int_], n_classes: int, c: float, balanced: bool
) -> tuple[Array, Array]:
    svm = LinearSVC(C=c, class_weight="balanced" if balanced else None, random_state=0)
    svm.fit(x, y)
    if list(svm.classes_) != list(range(n_classes)):
        raise InputError("a training fold lacks a class", hint="use fewer or larger folds")
    return np.asarray(svm.coef_, dtype=np.float64), np.asarray(svm.intercept_, dtype=np.float64)


def _fold_splits(
    n: int, groups: Sequence[str] | None, folds: int, seed: int
) -> list[tuple[npt.NDArray[np.int_], npt.NDArray[np.int_]]]:
    idx = np.arange(n)
    if groups is not None and len(set(groups)) >= folds:
        return list(GroupKFold(n_splits=folds).split(idx, groups=np.asarray(groups)))
    return list(KFold(n_splits=folds, shuffle=True, random_state=seed).split(idx))


def _temperature(scores: Array, y: npt.NDArray[np.int_]) -> float:
    """The softmax temperature that minimizes the log loss of out-of-fold scores."""

    def nll(log_t: float) -> float:
        p = softmax(np.exp(log_t) * scores)
        return float(-np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, None))))

    res = minimize_scalar(nll, bounds=(-3.0, 4.0), method="bounded")
    return float(np.exp(res.x))


def kappa_of_indices(truth: npt.NDArray[np.int_], predicted: npt.NDArray[np.int_], n: int) -> float:
    """Cohen's kappa of two label-index arrays over ``n`` classes (0.0 when undefined)."""
    p_o = float(np.mean(truth == predicted))
    p_e = float(sum(np.mean(truth == c) * np.mean(predicted == c) for c in range(n)))
    return 0.0 if p_e >= 1.0 else (p_o - p_e) / (1.0 - p_e)


OFFSET_GRID = np.round(np.arange(-1.0, 1.0001, 0.1), 6)


def kappa_offsets(log_proba: Array, y: npt.NDArray[np.int_]) -> Array:
    """Per-class offsets (the first class fixed at 0) on ``log_proba`` that maximize Cohen's
    kappa of the argmax, by grid search over :data:`OFFSET_GRID`; zeros if none beats them.

    Kappa rewards matching the human labels' class mix, which a hinge loss does not aim at;
    the offsets are a prior shift, fitted on out-of-fold scores only.
    """
    k = log_proba.shape[1]
    best, best_kappa = np.zeros(k), kappa_of_indices(y, log_proba.argmax(axis=1), k)
    if k != 3:  # a grid over more than two free offsets costs too much for what it gives
        return best
    for b1 in OFFSET_GRID:
        for b2 in OFFSET_GRID:
            shift = np.array([0.0, b1, b2])
            kappa = kappa_of_indices(y, (log_proba + shift).argmax(axis=1), k)
            if kappa > best_kappa + 1e-9:
                best, best_kappa = shift, kappa
    return best


def fit_linear_head(
    x: sp.csr_matrix,
    y: npt.NDArray[np.int_],
    classes: tuple[str, ...],
    groups: Sequence[str] | None,
    *,
    c: float,
    balanced: bool,
    folds: int,
    seed: int,
    tune_offsets: bool = False,
) -> LinearHead:
    """Linear SVMs on ``x`` for the ``classes`` (``y`` indexes them), with a softmax temperature
    fitted on out-of-fold scores over ``folds`` folds of ``groups`` (1.0 when ``folds`` < 2),
    and with ``tune_offsets`` the :func:`kappa_offsets` of those scores (zeros otherwise)."""
    coef, intercept = _fit_linear(x, y, len(classes), c, balanced)
    temperature = 1.0
    offsets = np.zeros(len(classes))
    if folds >= 2:
        oof = np.zeros((len(y), len(classes)))
        for train, test in _fold_splits(len(y), groups, folds, seed):
            w, b = _fit_linear(x[train], y[train], len(classes), c, balanced)
            oof[test] = np.asarray(x[test] @ w.T) + b
        temperature = _temperature(oof, y)
        if tune_offsets:
            offsets = kappa_offsets(np.log(softmax(temperature * oof)), y)
    return LinearHead(classes, coef, intercept, temperature, offsets)
