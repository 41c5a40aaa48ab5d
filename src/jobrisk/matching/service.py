"""The matching set-up a custom role uses, built once per catalog: matcher, calibration,
label model, floors and the O*NET twins' labels.

``auto`` picks the semantic matcher when its extra is installed and the index holds task
embeddings, else the lexical one, with a one-line notice saying why.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from jobrisk.catalog import Catalog
from jobrisk.errors import DataError, InputError
from jobrisk.matching.base import Candidate, Matcher
from jobrisk.matching.calibration import LEXICAL_CALIBRATION, SEMANTIC_CALIBRATION, Calibration
from jobrisk.matching.labels import CONFIDENCE_FLOOR, LabelModel, load_label_model, twin_votes
from jobrisk.matching.lexical import LexicalMatcher, task_corpus
from jobrisk.matching.semantic import (
    NO_EMBEDDINGS,
    SEMANTIC_MISSING,
    SemanticMatcher,
    load_task_embeddings,
    semantic_available,
)
from jobrisk.methods.evidence import load_evidence
from jobrisk.role_evidence import LabelGuess, MatchPolicy

MATCHERS = ("auto", "lexical", "semantic")


@dataclass(frozen=True)
class ModelLabeler:
    """The label model behind the :class:`~jobrisk.role_evidence.Labeler` protocol: its text
    prediction blended with the human E-labels of the ``twin_k`` closest O*NET tasks
    (``twin_labels``), as the validation loop measures it."""

    model: LabelModel
    matcher: Matcher
    twin_labels: Callable[[str, int], tuple[str | None, str | None]]

    @property
    def twin_k(self) -> int:
        return self.model.config.twin_k

    def guess(
        self, texts: Sequence[str], found: Sequence[Sequence[Candidate]] | None = None
    ) -> list[LabelGuess]:
        """Labels for ``texts``; ``found`` (the matcher's candidates for them, best first, at
        least :attr:`twin_k` each where the corpus has them) saves a second search."""
        texts = list(texts)
        k = self.twin_k
        if found is None:
            found = self.matcher.search(texts, k=k)
        votes = twin_votes(found, lambda c, t: self.twin_labels(c, t)[0], k)
        return [
            LabelGuess(r.e_label, r.e_confidence, r.t_label, r.t_confidence)
            for r in self.model.predict(texts, votes).records()
        ]


@dataclass(frozen=True)
class MatchingSetup:
    matcher: Matcher
    calibration: Calibration
    labeler: ModelLabeler | None
    policy: MatchPolicy
    twin_labels: Callable[[str, int], tuple[str | None, str | None]]
    notes: tuple[str, ...]

    def confidence(self, similarity: float) -> float:
        return self.calibration.confidence(similarity)


_SETUPS: weakref.WeakKeyDictionary[Catalog, dict[str, MatchingSetup]] = weakref.WeakKeyDictionary()


def role_matching(cat: Catalog, kind: str = "auto") -> MatchingSetup:
    """The matching set-up for ``kind`` (``auto``, ``lexical`` or ``semantic``), cached."""
    if kind not in MATCHERS:
        raise InputError(f"no matcher named {kind!r}", hint="choose auto, lexical or semantic")
    memo = _SETUPS.setdefault(cat, {})
    if kind not in memo:
        memo[kind] = _setup(cat, kind)
    return memo[kind]


def _setup(cat: Catalog, kind: str) -> MatchingSetup:
    notes: list[str] = []
    matcher: Matcher | None = None
    calibration = LEXICAL_CALIBRATION
    if kind in ("auto", "semantic"):
        if not semantic_available():
            if kind == "semantic":
                raise InputError(SEMANTIC_MISSING)
            notes.append(f"lexical matching: {SEMANTIC_MISSING}")
        else:
            try:
                corpus, vectors = load_task_embeddings(cat)
            except DataError:
                if kind == "semantic":
                    raise
                notes.append(f"lexical matching: {NO_EMBEDDINGS}")
            else:
                matcher, calibration = SemanticMatcher(corpus, vectors), SEMANTIC_CALIBRATION
    if matcher is None:
        matcher = LexicalMatcher(task_corpus(cat))
    tasks = load_evidence(cat).tasks
    human = tasks["human_e"].fillna(tasks["gpt4_e"])
    lookup = {
        (str(c), int(t)): (None if e != e else str(e), None if a != a else str(a))
        for c, t, e, a in zip(tasks["code"], tasks["task_id"], human, tasks["gpt4_t"], strict=True)
    }

    def twin_labels(code: str, task_id: int) -> tuple[str | None, str | None]:
        return lookup.get((code, task_id), (None, None))

    labeler: ModelLabeler | None = None
    try:
        labeler = ModelLabeler(load_label_model(cat), matcher, twin_labels)
    except DataError:
        notes.append("no label model in the index: tasks without an O*NET twin stay unmatched")

    return MatchingSetup(
        matcher=matcher,
        calibration=calibration,
        labeler=labeler,
        policy=MatchPolicy(match_floor=calibration.floor, label_floor=CONFIDENCE_FLOOR),
        twin_labels=twin_labels,
        notes=tuple(notes),
    )
