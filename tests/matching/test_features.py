"""The fast TF-IDF transform gives scikit-learn's matrices to the bit, on the real texts.

:func:`jobrisk.matching.features.tfidf_transform` replaces ``TfidfVectorizer.transform`` for
the label model and the lexical matcher; scikit-learn's own transform is the reference here.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from jobrisk.catalog import Catalog
from jobrisk.matching.features import tfidf_transform
from jobrisk.matching.labels import load_label_model
from jobrisk.matching.lexical import LexicalMatcher, _stemmed, normalize_task_text, task_corpus

ODD_TEXTS = [
    "",
    "   ",
    "a",
    "I",
    "x" * 300,
    "Ünïcödé café naïve İstanbul straße",
    "C++ & C# / .NET w/ SQL",
    "tab\tseparated\nnew  line",
    "- Led mgmt of dept budgets & staffing w/ HR",
    "Answer customer questions by phone and email batch 1-10017",
    "answer answer answer customer",
]


def assert_same_matrix(fast: sp.csr_matrix, reference: sp.csr_matrix) -> None:
    assert type(fast) is type(reference)
    assert fast.shape == reference.shape
    assert fast.dtype == reference.dtype
    assert fast.indices.dtype == reference.indices.dtype
    assert fast.has_sorted_indices and reference.has_sorted_indices
    np.testing.assert_array_equal(fast.indptr, reference.indptr)
    np.testing.assert_array_equal(fast.indices, reference.indices)
    np.testing.assert_array_equal(fast.data, reference.data)  # exact, not approximate


@pytest.fixture(scope="module")
def texts(catalog: Catalog) -> list[str]:
    tasks = catalog.query("select task from tasks order by code, task_id")["task"].tolist()
    return [str(t) for t in tasks[::6]] + ODD_TEXTS


@pytest.fixture(scope="module")
def lexical_views(catalog: Catalog) -> dict[str, TfidfVectorizer]:
    matcher = LexicalMatcher(task_corpus(catalog).iloc[::4])
    return {"words": matcher._views.words, "chars": matcher._views.chars}


def test_label_model_views_match_scikit_learn(catalog: Catalog, texts: list[str]) -> None:
    features = load_label_model(catalog).features
    reference = sp.hstack([v.transform(texts) for v in features._vectorizers], format="csr")
    assert_same_matrix(features.transform(texts), reference)
    # the second pass reads the per-word cache the first one filled
    assert_same_matrix(features.transform(texts[::-1]), reference[::-1].tocsr())


@pytest.mark.parametrize("view", ["words", "chars"])
def test_lexical_views_match_scikit_learn(
    lexical_views: dict[str, TfidfVectorizer], texts: list[str], view: str
) -> None:
    normalized = [normalize_task_text(t) for t in texts]
    docs = [_stemmed(n) for n in normalized] if view == "words" else normalized
    vec = lexical_views[view]
    assert vec.dtype == np.float32  # the matcher's views are float32, the label model's float64
    assert_same_matrix(tfidf_transform(vec, docs), vec.transform(docs))


@pytest.mark.parametrize(
    "settings",
    [
        {"analyzer": "char_wb", "ngram_range": (2, 4), "sublinear_tf": True},
        {"analyzer": "char_wb", "ngram_range": (1, 3), "lowercase": False, "binary": True},
        {"ngram_range": (1, 3), "use_idf": False, "norm": "l1"},
        {"analyzer": "char", "ngram_range": (3, 3), "norm": None, "dtype": np.float32},
    ],
    ids=["char_wb", "char_wb-binary-cased", "words-no-idf-l1", "char-no-norm"],
)
def test_a_refitted_vectorizer_forgets_its_words(
    texts: list[str], settings: dict[str, object]
) -> None:
    vec = TfidfVectorizer(**settings)  # type: ignore[arg-type]
    vec.fit(texts[:300])
    assert_same_matrix(tfidf_transform(vec, texts[300:400]), vec.transform(texts[300:400]))
    vec.fit(texts[400:700])  # new vocabulary: cached word columns would point elsewhere
    assert_same_matrix(tfidf_transform(vec, texts[300:400]), vec.transform(texts[300:400]))
