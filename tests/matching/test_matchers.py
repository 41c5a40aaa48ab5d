"""The two task matchers on the real O*NET 30.1 tasks: self-retrieval, hidden rows, rewrites.

The semantic tests run on a fixed sub-corpus (the model embeds ~10 texts a second per core
here, too slow for all 18,796 tasks in a test); they are skipped, with the extra's one-line
message, when the extra is not installed.
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from jobrisk.catalog import Catalog
from jobrisk.errors import DataError
from jobrisk.matching.base import Matcher
from jobrisk.matching.calibration import (
    CONFIDENCE_FLOOR,
    LEXICAL_CALIBRATION,
    SEMANTIC_CALIBRATION,
    Calibration,
    held_out_check,
    task_dwa_sets,
)
from jobrisk.matching.lexical import (
    LexicalMatcher,
    expand_abbreviations,
    normalize_task_text,
    task_corpus,
)
from jobrisk.matching.semantic import (
    EMBEDDING_DIM,
    FLOAT32_ENV,
    META_MODEL_KEY,
    MODEL_NAME,
    NO_EMBEDDINGS,
    SEMANTIC_MISSING,
    SemanticMatcher,
    embed_queries,
    embed_texts,
    load_task_embeddings,
    native_bfloat16,
    semantic_available,
    task_embedding_table,
)

# Hand-written rewrites of real O*NET 30.1 tasks, (code, task_id) -> typo'd/abbreviated,
# first person, resume bullet.
REWRITES: dict[tuple[str, int], tuple[str, str, str]] = {
    ("11-1011.00", 8827): (
        "prepare budgts for aproval incl program funding",
        "I prepare the budgets for approval, including the funding for our programs.",
        "- Prepared program budgets for approval",
    ),
    ("11-3012.00", 21268): (
        "oversee payrol functions - timekeeping info, processing & submitting payroll",
        "I oversee payroll, keeping the timekeeping records and processing and submitting payroll.",
        "• Oversaw payroll: timekeeping, processing, submission",
    ),
    ("11-2022.00", 1): (
        "reslove cust complaints re sales & svc",
        "I resolve customer complaints about sales and service.",
        "- Resolved customer complaints on sales/service",
    ),
    ("25-3021.00", 8675): (
        "prepare lesson plns, outlines, program objectives",
        "I write lesson plans, course outlines and objectives for the instructional program.",
        "- Prepared lesson plans, outlines and instructional objectives",
    ),
    ("47-4021.00", 11566): (
        "locate malfuctions in brakes motors switches w/ test equip",
        "I find malfunctions in brakes, motors, switches and signal systems using test equipment.",
        "- Located malfunctions in brakes, motors and control systems using test equipment",
    ),
    ("13-2082.00", 21165): (
        "sched appts w/ clients",
        "I schedule appointments with my clients.",
        "- Scheduled client appointments",
    ),
    ("21-1094.00", 19033): (
        "perform basic diagnostc procedures like blood presure screening",
        "I do basic diagnostic procedures such as blood pressure and cancer screenings.",
        "* Performed blood pressure and cancer screenings and other basic diagnostics",
    ),
    ("11-3031.01", 8873): (
        "COMPUTE & WITHOLD PAYROLL DEDUCTIONS",
        "I compute and withhold all payroll deductions and account for them.",
        "- Computed and withheld payroll deductions",
    ),
    ("29-1141.00", 20413): (
        "administer medicatons to pts, monitor for side effects",
        "I give patients their medications and monitor them for reactions or side effects.",
        "- Administered medications to patients; monitored reactions and side effects",
    ),
    ("47-4031.00", 13640): (
        "weld metal parts togther w/ portable gas welding equip",
        "I weld metal parts together with portable gas welding equipment.",
        "- Welded metal parts using portable gas welding equipment",
    ),
    ("15-2099.01", 17720): (
        "write computr programs/scripts for querying databases",
        "I write computer programs and scripts that query our databases.",
        "- Wrote scripts and programs to query databases",
    ),
    ("31-9095.00", 2048): (
        "Greet Customers & help them locate merchandise",
        "I greet customers and help them find the merchandise they want.",
        "- Greeted customers; helped them locate merchandise",
    ),
    ("35-2012.00", 9488): (
        "cook food acc. to menus, dietary restrictions, no. of portions",
        "I cook food following the menus, special dietary restrictions and portion numbers.",
        "- Cooked foodstuffs according to menus and dietary restrictions",
    ),
    ("11-9179.01", 15547): (
        "develop mktg campaigns promoting healthy lifestyle & wellness programs",
        "I develop marketing campaigns that promote healthy lifestyles and our wellness programs.",
        "- Developed marketing campaigns for fitness and wellness programs",
    ),
}

GARBAGE = ("", "   ", "!!!", "asdkjh qwe zzxq", "1234 5678", "lorem ipsum dolor sit amet")

SEMANTIC_TEXTS = 300  # size of the semantic sub-corpus


@pytest.fixture(scope="module")
def corpus(catalog: Catalog) -> pd.DataFrame:
    return task_corpus(catalog)


@pytest.fixture(scope="module")
def dwa_sets(catalog: Catalog) -> dict[tuple[str, int], frozenset[str]]:
    return task_dwa_sets(catalog.query("select code, task_id, dwa_id from task_dwas"))


@pytest.fixture(scope="module")
def lexical(corpus: pd.DataFrame) -> LexicalMatcher:
    return LexicalMatcher(corpus)


@pytest.fixture(scope="module")
def semantic_corpus(corpus: pd.DataFrame) -> pd.DataFrame:
    """A fixed sample of tasks plus every task the rewrites come from."""
    keys = pd.MultiIndex.from_tuples(list(REWRITES))
    wanted = pd.MultiIndex.from_frame(corpus[["code", "task_id"]]).isin(keys)
    assert wanted.sum() == len(REWRITES)
    rest = corpus[~wanted].sample(SEMANTIC_TEXTS - len(REWRITES), random_state=7)
    return pd.concat([corpus[wanted], rest]).sort_index().reset_index(drop=True)


@pytest.fixture(scope="module")
def semantic(semantic_corpus: pd.DataFrame) -> SemanticMatcher:
    if not semantic_available():
        pytest.skip(SEMANTIC_MISSING)
    return SemanticMatcher(semantic_corpus, embed_texts(semantic_corpus["task"].tolist()))


@pytest.fixture(scope="module", params=["lexical", "semantic"])
def matcher(request: pytest.FixtureRequest) -> Matcher:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


# --- both matchers ----------------------------------------------------------------------


def test_exact_statements_retrieve_themselves(matcher: Matcher) -> None:
    sample = matcher.corpus.sample(120, random_state=1)
    found = matcher.search(sample["task"].tolist(), k=1)
    # O*NET repeats some statements word for word across occupations: any copy counts.
    same_text = [f[0].task == t for f, t in zip(found, sample["task"], strict=True)]
    assert np.mean(same_text) >= 0.995
    assert min(f[0].similarity for f in found) > 0.999


def test_similarities_are_in_0_1_and_sorted(matcher: Matcher) -> None:
    texts = [*matcher.corpus["task"].head(20), *GARBAGE, "I manage people", "- Led a team"]
    for found in matcher.search(texts, k=7):
        sims = [c.similarity for c in found]
        assert len(sims) == 7
        assert all(0.0 <= s <= 1.0 for s in sims)
        assert sims == sorted(sims, reverse=True)


def test_garbage_is_low_and_unmatched(matcher: Matcher) -> None:
    cal: Calibration = matcher.calibration  # type: ignore[attr-defined]
    for text, found in zip(GARBAGE, matcher.search(list(GARBAGE), k=3), strict=True):
        top = found[0].similarity
        assert top < 0.35, (text, top)
        assert not cal.is_matched(top), (text, top)
    assert all(c.similarity == 0.0 for c in matcher.search([""], k=3)[0])


def test_restricted_never_returns_a_hidden_row(matcher: Matcher) -> None:
    corpus = matcher.corpus
    rng = np.random.default_rng(3)
    keep = (corpus["major_code"] != "29-0000").to_numpy() & (rng.random(len(corpus)) > 0.3)
    view = matcher.restricted(keep)
    assert len(view.corpus) == int(keep.sum())
    hidden = corpus[~keep]
    hidden_keys = set(zip(hidden["code"], hidden["task_id"], strict=True))
    queries = hidden["task"].sample(60, random_state=2).tolist()
    for found in view.search(queries, k=10):
        assert not {(c.code, c.task_id) for c in found} & hidden_keys
    # the original is untouched
    assert len(matcher.corpus) == len(corpus)


def test_restricted_keeps_similarities(matcher: Matcher) -> None:
    """Hiding rows only removes candidates: the ones left keep their similarity."""
    corpus = matcher.corpus
    keep = np.ones(len(corpus), dtype=bool)
    keep[::2] = False
    texts = corpus["task"].iloc[1:40:2].tolist()
    full = matcher.search(texts, k=50)
    part = matcher.restricted(keep).search(texts, k=3)
    kept = set(zip(corpus["code"][keep], corpus["task_id"][keep], strict=True))
    for f, p in zip(full, part, strict=True):
        first_kept = next(c for c in f if (c.code, c.task_id) in kept)
        assert math.isclose(p[0].similarity, first_kept.similarity, abs_tol=1e-5)


@pytest.mark.parametrize("style", [0, 1, 2], ids=["noisy", "first_person", "bullet"])
def test_rewrites_retrieve_their_task_or_a_same_dwa_task(
    matcher: Matcher, dwa_sets: dict[tuple[str, int], frozenset[str]], style: int
) -> None:
    keys = list(REWRITES)
    found = matcher.search([REWRITES[k][style] for k in keys], k=5)
    ok = [
        any((c.code, c.task_id) == k or dwa_sets[k] & dwa_sets[(c.code, c.task_id)] for c in f)
        for k, f in zip(keys, found, strict=True)
    ]
    misses = [REWRITES[k][style] for k, hit in zip(keys, ok, strict=True) if not hit]
    assert sum(ok) >= 12, misses  # of 14


def test_calibration_holds_on_average_on_fresh_samples(
    lexical: LexicalMatcher, dwa_sets: dict[tuple[str, int], frozenset[str]]
) -> None:
    """Calibration-in-the-large under the regime it was fitted in, with another seed."""
    check = held_out_check(
        lexical,
        dwa_sets,
        hold_out="occupation",
        layouts=("original", "noisy"),
        per_group=40,
        seed=11,
        groups=("13-0000", "29-0000", "47-0000", "43-0000"),
    )
    assert len(check) == 4 * 40 * 2
    predicted = LEXICAL_CALIBRATION.confidences(check["top1_similarity"]).mean()
    observed = check["top1_shares_dwa"].mean()
    assert abs(predicted - observed) < 0.08  # ~3 standard errors at n = 320


def test_a_held_out_major_group_is_invisible(
    lexical: LexicalMatcher, dwa_sets: dict[tuple[str, int], frozenset[str]]
) -> None:
    check = held_out_check(
        lexical, dwa_sets, layouts=("original",), per_group=50, seed=4, groups=("15-0000",)
    )
    assert len(check) == 50
    # Computer occupations' statements appear nowhere else verbatim, so none finds itself.
    assert (check["top1_similarity"] < 0.999).all()


# --- lexical --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "- Led mgmt of dept budgets & staffing w/ HR",
            "lead management department budgets staffing human resources",
        ),
        ("I'm responsible for preparing the company's budgets.", "preparing company budgets"),
        ("  2) Oversaw sched & appts", "oversee schedule appointments"),
        ("My job is to review docs and/or info", "review documents information"),
    ],
)
def test_normalization(text: str, expected: str) -> None:
    assert normalize_task_text(text) == expected


def test_query_expansion_spells_out_and_leaves_onet_statements_alone(
    corpus: pd.DataFrame,
) -> None:
    assert expand_abbreviations("* Sched appts w/ custs & mgmt") == (
        "Schedule appointments with customers and management"
    )
    assert expand_abbreviations("2) Reviewed docs w/o delay") == "Reviewed documents without delay"
    changed = [t for t in corpus["task"] if expand_abbreviations(t) != " ".join(t.split())]
    assert changed == []


def test_lexical_restricted_does_not_refit(lexical: LexicalMatcher) -> None:
    view = lexical.restricted((lexical.corpus["major_code"] != "15-0000").to_numpy())
    assert view._views is lexical._views


def test_restricted_rejects_a_misaligned_mask(lexical: LexicalMatcher) -> None:
    with pytest.raises(ValueError, match="rows"):
        lexical.restricted(np.ones(5, dtype=bool))


# --- calibration ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "cal", [LEXICAL_CALIBRATION, SEMANTIC_CALIBRATION], ids=lambda c: c.matcher
)
def test_calibration_is_a_monotone_probability(cal: Calibration) -> None:
    sims = np.linspace(0.0, 1.0, 101)
    conf = cal.confidences(sims)
    assert conf[0] == 0.0 and (conf >= 0.0).all() and (conf <= 1.0).all()
    assert (np.diff(conf[1:]) > 0).all()
    assert cal.floor == CONFIDENCE_FLOOR
    at = cal.similarity_at(cal.floor)
    assert 0.0 < at < 1.0
    assert math.isclose(cal.confidence(at), cal.floor)
    assert cal.is_matched(at + 1e-6) and not cal.is_matched(at - 1e-3)


# --- semantic -------------------------------------------------------------------------


def test_embeddings_are_unit_float32_and_blank_is_zero(semantic: SemanticMatcher) -> None:
    calls: list[tuple[int, int]] = []
    vectors = embed_texts(
        ["Prepare budgets.", "", "   ", "Weld metal parts."],
        progress=lambda d, n: calls.append((d, n)),
    )
    assert vectors.dtype == np.float32 and vectors.shape == (4, EMBEDDING_DIM)
    norms = np.linalg.norm(vectors, axis=1)
    assert np.allclose(norms[[0, 3]], 1.0, atol=1e-5) and (norms[[1, 2]] == 0).all()
    assert calls[-1] == (4, 4)
    assert np.allclose(np.linalg.norm(semantic.embeddings, axis=1), 1.0, atol=1e-5)


def test_bfloat16_queries_agree_with_float32(
    semantic: SemanticMatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not native_bfloat16():
        pytest.skip("this CPU has no native bfloat16: queries are embedded in float32")
    texts = [rewrite for rewrites in REWRITES.values() for rewrite in rewrites]
    reduced = embed_queries(texts)
    monkeypatch.setenv(FLOAT32_ENV, "1")
    native_bfloat16.cache_clear()
    try:
        assert not native_bfloat16()
        full = embed_queries(texts)
    finally:
        monkeypatch.delenv(FLOAT32_ENV)
        native_bfloat16.cache_clear()
    assert not np.array_equal(reduced, full)  # the bfloat16 path did run
    assert (reduced * full).sum(axis=1).min() > 0.9999
    rows_reduced, _ = semantic.top_k(reduced, 5)
    rows_full, _ = semantic.top_k(full, 5)
    assert np.array_equal(rows_reduced[:, 0], rows_full[:, 0])
    # The index's own embeddings stay float32 whatever the CPU.
    assert np.array_equal(
        embed_texts(texts[:3]),
        np.asarray(
            task_embedding_table(
                pd.DataFrame({"code": ["x"] * 3, "task_id": [1, 2, 3], "task": texts[:3]})
            )["embedding"].tolist()
        ),
    )


def test_embeddings_round_trip_through_an_index(
    semantic: SemanticMatcher, catalog: Catalog, tmp_path: Path
) -> None:
    tasks = semantic.corpus.head(30)
    table = task_embedding_table(tasks)
    path = _mini_index(catalog, tmp_path / "mini.duckdb", tasks, table)
    with Catalog.open(path) as mini:
        corpus, matrix = load_task_embeddings(mini)
    assert matrix.shape == (30, EMBEDDING_DIM) and matrix.dtype == np.float32
    by_key = dict(
        zip(zip(tasks["code"], tasks["task_id"], strict=True), table["embedding"], strict=True)
    )
    for row, (code, task_id) in enumerate(zip(corpus["code"], corpus["task_id"], strict=True)):
        assert np.array_equal(matrix[row], by_key[(code, task_id)])
    assert set(corpus["major_code"]) <= set(semantic.corpus["major_code"])


def test_an_index_without_embeddings_says_how_to_get_them(
    catalog: Catalog, corpus: pd.DataFrame, tmp_path: Path
) -> None:
    path = _mini_index(catalog, tmp_path / "bare.duckdb", corpus.head(5), None)
    with Catalog.open(path) as mini, pytest.raises(DataError) as err:
        load_task_embeddings(mini)
    assert err.value.message == NO_EMBEDDINGS


def _mini_index(
    catalog: Catalog, path: Path, tasks: pd.DataFrame, embeddings: pd.DataFrame | None
) -> Path:
    meta = catalog.query("select key, value from meta")
    if embeddings is not None:
        meta = pd.concat([meta, pd.DataFrame({"key": [META_MODEL_KEY], "value": [MODEL_NAME]})])
    occupations = catalog.query("select code, major_code from occupations")
    with duckdb.connect(str(path)) as con:
        for name, frame in (
            ("meta", meta),
            ("tasks", tasks[["code", "task_id", "task"]]),
            ("occupations", occupations),
            *((("task_embeddings", embeddings),) if embeddings is not None else ()),
        ):
            con.register("frame", frame)
            con.execute(f"create table {name} as select * from frame")
            con.unregister("frame")
    return path
