"""Lexical task matching: TF-IDF over stemmed words and character n-grams, no model.

Each text is first normalized (:func:`normalize_task_text`) so the layouts people write land
near the O*NET phrasing:

- Unicode folded (NFKC), lower case; bullet and numbering marks at line starts dropped;
- ``&`` -> and, ``w/`` -> with, ``w/o`` -> without, ``b/c`` -> because, ``and/or`` -> and or;
- the workplace abbreviations of :data:`ABBREVIATIONS` expanded (``mgmt`` -> management);
- resume-style irregular past tenses of :data:`IRREGULAR_PAST` put back in the present
  (``led`` -> lead, ``oversaw`` -> oversee); regular ones are left to the stemmer;
- pronouns, function words and first-person filler (:data:`STOP_WORDS`: ``I``, ``my``,
  ``responsible``, ``usually``...) removed, so ``I'm responsible for preparing budgets`` and
  ``Prepare budgets`` keep the same content words.

Two TF-IDF views of the content words are then compared by cosine similarity:

- words, Snowball-stemmed (``prepared``/``preparing`` -> ``prepar``), unigrams and bigrams;
- character 3-5-grams inside word boundaries (``char_wb``), which still overlap when a word
  is misspelt (``scheduel``) or cut short (``maint``).

The similarity is ``WORD_WEIGHT * cos_words + (1 - WORD_WEIGHT) * cos_chars``, in 0-1.
Both views are fitted once on the corpus; :meth:`LexicalMatcher.restricted` only slices the
document matrix, so the IDF weights stay those of the full corpus.

    >>> m = LexicalMatcher(task_corpus(cat))  # doctest: +SKIP
    >>> m.search(["- Led mgmt of dept budgets & staffing"], k=1)[0][0].task  # doctest: +SKIP
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
import snowballstemmer
from sklearn.feature_extraction.text import TfidfVectorizer

from jobrisk.matching.base import Candidate, Matcher
from jobrisk.matching.calibration import LEXICAL_CALIBRATION, Calibration
from jobrisk.matching.features import tfidf_transform

if TYPE_CHECKING:
    from jobrisk.catalog import Catalog

WORD_WEIGHT = 0.5
"""Share of the word view in the similarity. On the held-out checks of
:mod:`jobrisk.matching.calibration` (22 x 40 tasks x 6 layouts, both hold-outs) 0.3, 0.5 and
0.7 were within about a point of each other in top-1 and top-5 shared-DWA retrieval."""

ABBREVIATIONS: dict[str, str] = {
    "acct": "account",
    "accts": "accounts",
    "admin": "administration",
    "approx": "approximately",
    "appt": "appointment",
    "appts": "appointments",
    "assoc": "associate",
    "asst": "assistant",
    "btwn": "between",
    "cust": "customer",
    "custs": "customers",
    "dept": "department",
    "depts": "departments",
    "dev": "development",
    "docs": "documents",
    "emp": "employee",
    "emps": "employees",
    "equip": "equipment",
    "eval": "evaluate",
    "govt": "government",
    "hr": "human resources",
    "incl": "including",
    "info": "information",
    "inv": "inventory",
    "maint": "maintenance",
    "mfg": "manufacturing",
    "mgmt": "management",
    "mgr": "manager",
    "mgrs": "managers",
    "mktg": "marketing",
    "mtg": "meeting",
    "mtgs": "meetings",
    "ops": "operations",
    "org": "organization",
    "orgs": "organizations",
    "proc": "procedure",
    "procs": "procedures",
    "prod": "production",
    "proj": "project",
    "projs": "projects",
    "pt": "patient",
    "pts": "patients",
    "qty": "quantity",
    "reqs": "requirements",
    "sched": "schedule",
    "svc": "service",
    "svcs": "services",
    "sys": "systems",
    "tech": "technical",
    "thru": "through",
    "w": "with",
}
"""Common workplace abbreviations, matched as whole lower-case words."""

_IRREGULAR_PAST_PAIRS = (
    "led:lead built:build wrote:write taught:teach oversaw:oversee drove:drive ran:run "
    "made:make kept:keep sold:sell bought:buy sent:send brought:bring found:find "
    "spoke:speak told:tell held:hold met:meet gave:give took:take saw:see did:do "
    "went:go got:get paid:pay laid:lay fed:feed spent:spend sought:seek chose:choose "
    "drew:draw grew:grow knew:know dealt:deal fought:fight undertook:undertake "
    "rebuilt:rebuild rewrote:rewrite withdrew:withdraw understood:understand "
    "underwent:undergo overcame:overcome upheld:uphold overrode:override"
)
IRREGULAR_PAST: dict[str, str] = dict(pair.split(":") for pair in _IRREGULAR_PAST_PAIRS.split())
"""Irregular past tenses common in resumes, mapped back to the O*NET imperative."""

_STOP_WORDS_TEXT = """a about above after again against all also am an and any are as at be been before
    being below between both but by can could did do does doing during each either etc few
    for from further had has have having he her here hers herself him himself his how i i'm
    if in into is it it's its itself just let me mine more most my myself no nor not of off
    on once only or other others our ours ourselves out over own per same she should so some
    such than that the their theirs them themselves then there these they this those through
    thus to too under until up upon us very via was we were what when where whether which
    while who whom whose why will with within without would you your yours yourself
    responsible responsibility responsibilities duty duties usually typically normally
    generally often sometimes mostly mainly basically role job task tasks day week weeks
    week's part big end need needs ensure various appropriate specific"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
"""Function words, pronouns and first-person filler; dropped before both views.

``ensure``/``various``/``appropriate``/``specific`` are boilerplate in O*NET statements
(they appear in thousands of them and say little about the activity)."""

_BULLET = re.compile(r"^\s*(?:[-*•·▪‣◦>+]+|\(?\d{1,2}[.)]|[a-z][.)])\s+", re.MULTILINE)
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_WORD = re.compile(r"[A-Za-z]+")
_STEMMER = snowballstemmer.stemmer("english")


def normalize_task_text(text: str) -> str:
    """``text`` folded to lower-case content words (see the module docstring), space-separated.

    >>> normalize_task_text("- Led mgmt of dept budgets & staffing w/ HR")
    'lead management department budgets staffing human resources'
    """
    folded = unicodedata.normalize("NFKC", str(text)).lower()
    folded = _BULLET.sub("", folded)
    folded = re.sub(r"\bw/o\b", " without ", folded)
    folded = re.sub(r"\bb/c\b", " because ", folded)
    folded = folded.replace("&", " and ").replace("/", " ").replace("’", "'")
    words: list[str] = []
    for token in _TOKEN.findall(folded):
        if token in STOP_WORDS:
            continue
        token = token.split("'")[0]
        token = IRREGULAR_PAST.get(token, token)
        words.extend(w for w in ABBREVIATIONS.get(token, token).split() if w not in STOP_WORDS)
    return " ".join(words)


def _fold(text: str) -> str:
    return " ".join(str(text).lower().split())


def expand_abbreviations(text: str) -> str:
    """``text`` with bullet marks dropped and ``&``, ``w/``, ``w/o``, ``b/c`` and the words of
    :data:`ABBREVIATIONS` spelt out; case, word order and function words are kept.

    No O*NET 30.1 task statement changes under it, so it is safe on the query side of a matcher
    whose corpus is embedded as published (:class:`~jobrisk.matching.semantic.SemanticMatcher`).

    >>> expand_abbreviations("- Led mgmt of dept budgets & staffing w/ HR")
    'Led management of department budgets and staffing with human resources'
    """
    out = _BULLET.sub("", unicodedata.normalize("NFKC", str(text)))
    out = re.sub(r"\bw/o\b", "without", out, flags=re.IGNORECASE)
    out = re.sub(r"\bw/(?=\s|$)", "with", out, flags=re.IGNORECASE)
    out = re.sub(r"\bb/c\b", "because", out, flags=re.IGNORECASE)
    out = out.replace("&", " and ")
    out = _WORD.sub(_spelt_out, out)
    return " ".join(out.split())


def _spelt_out(match: re.Match[str]) -> str:
    word = match.group(0)
    full = ABBREVIATIONS.get(word.lower())
    if full is None:
        return word
    return full[:1].upper() + full[1:] if word[:1].isupper() and not word.isupper() else full


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def _stemmed(normalized: str) -> str:
    return " ".join(_stem(w) for w in normalized.split())


def task_corpus(cat: Catalog) -> pd.DataFrame:
    """Every O*NET 30.1 task of the index as a matcher corpus (``code``, ``task_id``, ``task``,
    ``major_code``), in a fixed order (code, task_id)."""
    return cat.query(
        """select t.code, t.task_id, t.task, o.major_code
           from tasks t join occupations o using (code)
           order by t.code, t.task_id"""
    )


CorpusArrays = tuple[npt.NDArray[np.object_], npt.NDArray[np.int64], npt.NDArray[np.object_]]


def corpus_arrays(corpus: pd.DataFrame) -> CorpusArrays:
    """``code``, ``task_id`` and ``task`` as plain numpy arrays, converted once per matcher.

    :meth:`Matcher._candidates` converts the (Arrow-backed) columns on every call, which costs
    more than the search itself; the matchers here build candidates from these instead.
    """
    return (
        corpus["code"].to_numpy(dtype=object),
        corpus["task_id"].to_numpy(dtype=np.int64),
        corpus["task"].to_numpy(dtype=object),
    )


def candidates_from(
    arrays: CorpusArrays, rows: npt.NDArray[np.int_], sims: npt.NDArray[np.float64]
) -> list[Candidate]:
    """The :class:`Candidate` of each corpus row, its similarity clipped to 0-1."""
    codes, ids, texts = arrays
    return [
        Candidate(str(codes[r]), int(ids[r]), str(texts[r]), min(max(float(x), 0.0), 1.0))
        for r, x in zip(rows, sims, strict=True)
    ]


CHAR_NGRAMS = (3, 5)
CHAR_MAX_DF = 0.1
"""Character n-grams in more than 10% of the statements are dropped: they carry little IDF
weight, and without them a search is ~1.5x faster (each query touches ~12,000 of the 18,796
statements through common n-grams) for the same held-out retrieval within a point."""


class _Views:
    """The two fitted vectorizers, shared by a matcher and its restrictions."""

    def __init__(self, word_weight: float) -> None:
        self.word_weight = word_weight
        self.words = TfidfVectorizer(
            tokenizer=str.split,
            token_pattern=None,
            lowercase=False,
            ngram_range=(1, 2),
            sublinear_tf=True,
            dtype=np.float32,
        )
        self.chars = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=CHAR_NGRAMS,
            lowercase=False,
            sublinear_tf=True,
            min_df=2,
            max_df=CHAR_MAX_DF,
            dtype=np.float32,
        )

    def fit_transform(self, documents: Sequence[str]) -> sp.csr_matrix:
        normalized = [normalize_task_text(d) for d in documents]
        w = self.words.fit_transform([_stemmed(n) for n in normalized])
        c = self.chars.fit_transform(normalized)
        return self._combine(w, c)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        normalized = [normalize_task_text(t) for t in texts]
        w = tfidf_transform(self.words, [_stemmed(n) for n in normalized])
        c = tfidf_transform(self.chars, normalized)
        return self._combine(w, c)

    def _combine(self, w: sp.csr_matrix, c: sp.csr_matrix) -> sp.csr_matrix:
        a, b = np.sqrt(self.word_weight), np.sqrt(1.0 - self.word_weight)
        return sp.hstack([w * a, c * b], format="csr", dtype=np.float32)


class LexicalMatcher(Matcher):
    """TF-IDF (stemmed words + character n-grams) cosine similarity over the corpus.

    Fitting on the 18,796 O*NET tasks takes a few seconds; searches after that are
    vectorized (see ``benchmarks/bench_matching.py`` for throughput).
    """

    name: ClassVar[str] = "lexical"
    calibration: ClassVar[Calibration] = LEXICAL_CALIBRATION

    def __init__(self, corpus: pd.DataFrame, *, word_weight: float = WORD_WEIGHT) -> None:
        super().__init__(corpus)
        if not 0.0 <= word_weight <= 1.0:
            raise ValueError(f"word_weight must be in 0-1, got {word_weight}")
        self._views = _Views(word_weight)
        self._matrix_t = self._views.fit_transform(
            self.corpus["task"].astype(str).tolist()
        ).T.tocsr()
        self._columns: npt.NDArray[np.int_] | None = None

    @classmethod
    def _sliced(
        cls,
        corpus: pd.DataFrame,
        views: _Views,
        matrix_t: sp.csr_matrix,
        columns: npt.NDArray[np.int_],
    ) -> LexicalMatcher:
        new = cls.__new__(cls)
        Matcher.__init__(new, corpus)
        new._views = views
        new._matrix_t = matrix_t
        new._columns = columns
        return new

    def vectorize(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The texts as rows of the matcher's (weighted, unit-length) TF-IDF space."""
        return self._views.transform(texts)

    def search(self, texts: Sequence[str], k: int = 5) -> list[list[Candidate]]:
        rows, sims = self.top_k(self.vectorize(texts), k)
        # Statements that differ only in stop words or punctuation tie; the verbatim one wins.
        verbatim = self._folded[rows] == np.array([_fold(t) for t in texts], dtype=object)[:, None]
        order = np.lexsort((~verbatim, -np.round(sims, 6)), axis=1)
        rows = np.take_along_axis(rows, order, axis=1)
        sims = np.take_along_axis(sims, order, axis=1)
        return [self._candidates(r, s) for r, s in zip(rows, sims, strict=True)]

    @cached_property
    def _folded(self) -> npt.NDArray[np.object_]:
        return np.array([_fold(t) for t in self.corpus["task"].astype(str)], dtype=object)

    @cached_property
    def _arrays(self) -> CorpusArrays:
        return corpus_arrays(self.corpus)

    def _candidates(
        self, rows: npt.NDArray[np.int_], sims: npt.NDArray[np.float64]
    ) -> list[Candidate]:
        return candidates_from(self._arrays, rows, sims)

    def top_k(
        self, queries: sp.csr_matrix, k: int, block: int = 256
    ) -> tuple[npt.NDArray[np.int_], npt.NDArray[np.float64]]:
        """Corpus rows and similarities of the ``k`` closest tasks per vectorized query."""
        k = min(k, len(self.corpus))
        n = queries.shape[0]
        rows = np.zeros((n, k), dtype=np.int64)
        sims = np.zeros((n, k), dtype=np.float64)
        if k == 0:
            return rows, sims
        for start in range(0, n, block):
            scores = (queries[start : start + block] @ self._matrix_t).toarray()
            if self._columns is not None:
                scores = scores[:, self._columns]
            r, s = top_k_rows(scores, k)
            rows[start : start + block] = r
            sims[start : start + block] = np.clip(s, 0.0, 1.0)
        return rows, sims

    def restricted(self, keep: npt.NDArray[np.bool_]) -> LexicalMatcher:
        mask = np.asarray(keep, dtype=bool)
        if mask.shape != (len(self.corpus),):
            raise ValueError(f"keep has shape {mask.shape}, the corpus has {len(self.corpus)} rows")
        # Scores are computed against the shared document matrix and only the kept columns
        # are read: slicing 18,796 sparse columns costs more than a search.
        kept = np.flatnonzero(mask) if self._columns is None else self._columns[mask]
        view = LexicalMatcher._sliced(self.corpus[mask], self._views, self._matrix_t, kept)
        view.__dict__["_folded"] = self._folded[mask]
        view.__dict__["_arrays"] = tuple(a[mask] for a in self._arrays)
        return view


def top_k_rows(
    scores: npt.NDArray[np.floating[Any]], k: int
) -> tuple[npt.NDArray[np.int_], npt.NDArray[np.floating[Any]]]:
    """Column indices and values of each row's ``k`` largest scores, largest first."""
    if k < scores.shape[1]:
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    else:
        part = np.tile(np.arange(scores.shape[1]), (scores.shape[0], 1))
    vals = np.take_along_axis(scores, part, axis=1)
    order = np.argsort(-vals, axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1), np.take_along_axis(vals, order, axis=1)
