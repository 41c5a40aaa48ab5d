"""Text-only cross-validation of the label model over SOC major groups, and its confidence floor.

:func:`grouped_evaluation` fits the features and the E head of
:class:`jobrisk.matching.labels.LabelModel` on all groups but the held-out ones and scores the
held-out texts as written and in any re-rendered variants; no matcher is involved (the
validation loop, :mod:`jobrisk.validation.loop`, adds the matched twins' votes).
:func:`recommend_confidence_floor` reads the floor off its out-of-fold confidences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt
from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

from jobrisk.errors import InputError
from jobrisk.matching.features import TextFeatures, fit_linear_head
from jobrisk.matching.labels import E_LABELS, LabelModelConfig, check_labels

Array = npt.NDArray[np.float64]

ALL_GROUPS = "all"


def cohen_kappa(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """Cohen's (1960) kappa, ``(p_o - p_e) / (1 - p_e)``; NaN when chance agreement is 1."""
    a = np.asarray(truth, dtype=object)
    b = np.asarray(predicted, dtype=object)
    if len(a) == 0:
        return float("nan")
    classes = sorted(set(a) | set(b))
    p_o = float(np.mean(a == b))
    p_e = float(sum(np.mean(a == c) * np.mean(b == c) for c in classes))
    return float("nan") if p_e >= 1.0 else (p_o - p_e) / (1.0 - p_e)


@dataclass(frozen=True)
class SliceScore:
    """Agreement of predicted E labels with the human ones on one slice of held-out tasks."""

    layout: str
    group: str  # a major group, or ALL_GROUPS
    n: int
    accuracy: float
    kappa: float
    reference_accuracy: float | None  # the reference labels (e.g. GPT-4's) on the same tasks
    reference_kappa: float | None


@dataclass(frozen=True)
class LayoutResult:
    """Out-of-fold predictions of one rendering of the texts, and their scores."""

    layout: str
    predicted: tuple[str, ...]
    confidence: Array
    scores: tuple[SliceScore, ...]  # ALL_GROUPS first, then each group in sorted order

    @property
    def overall(self) -> SliceScore:
        return self.scores[0]

    @property
    def groups(self) -> tuple[SliceScore, ...]:
        return self.scores[1:]

    @property
    def worst_group(self) -> SliceScore:
        """The group with the lowest kappa (a group with an undefined kappa is skipped)."""
        scored = [s for s in self.groups if not np.isnan(s.kappa)]
        return min(scored, key=lambda s: s.kappa)


@dataclass(frozen=True)
class GroupedEvaluation:
    """:func:`grouped_evaluation`'s result: one :class:`LayoutResult` per rendering."""

    n_folds: int
    results: tuple[LayoutResult, ...]

    def layout(self, name: str = "original") -> LayoutResult:
        for r in self.results:
            if r.layout == name:
                return r
        raise InputError(
            f"no layout {name!r} in this evaluation",
            hint=f"choose one of {[r.layout for r in self.results]}",
        )


def grouped_evaluation(
    texts: Sequence[str],
    e_labels: Sequence[str],
    groups: Sequence[str],
    *,
    variants: Sequence[tuple[str, Sequence[str]]] = (),
    reference_labels: Sequence[str] | None = None,
    n_folds: int | None = None,
    config: LabelModelConfig | None = None,
) -> GroupedEvaluation:
    """Held-out-group agreement of the E head with ``e_labels``, never random rows.

    Each fold's model (features and head) is fitted on the other groups' ``texts`` only and
    predicts the held-out group's tasks as written (layout ``"original"``) and in each of
    ``variants`` (``(layout, texts)`` pairs row-aligned with ``texts``, e.g. re-rendered
    layouts). ``n_folds=None`` leaves one group out at a time; an integer uses that many
    grouped folds. ``reference_labels`` (e.g. GPT-4's) are scored on the same slices.

        >>> ev = grouped_evaluation(texts, human_e, majors, reference_labels=gpt4_e)  # doctest: +SKIP
        >>> ev.layout().overall.kappa, ev.layout().worst_group.group  # doctest: +SKIP
    """
    config = config or LabelModelConfig()
    n = len(texts)
    check_labels("E", e_labels, E_LABELS, n)
    if len(groups) != n:
        raise InputError(f"{n} texts but {len(groups)} groups", hint="pass one group per text")
    for name, rendered in variants:
        if len(rendered) != n or name == "original":
            raise InputError(
                f"layout {name!r}: {len(rendered)} texts for {n}, or a reserved name",
                hint="pass one rendering per text under a name other than 'original'",
            )
    g = np.asarray(groups, dtype=object)
    y = np.array([E_LABELS.index(v) for v in e_labels])
    renderings = [("original", list(texts)), *[(k, list(v)) for k, v in variants]]
    proba = [np.zeros((n, len(E_LABELS))) for _ in renderings]
    splitter = LeaveOneGroupOut() if n_folds is None else GroupKFold(n_splits=n_folds)
    splits = list(splitter.split(np.arange(n), groups=g))
    for train, test in splits:
        features = TextFeatures.fit([renderings[0][1][i] for i in train], config.features)
        head = fit_linear_head(
            features.transform([renderings[0][1][i] for i in train]),
            y[train],
            E_LABELS,
            list(g[train]),
            c=config.c,
            balanced=config.balanced_e,
            folds=config.calibration_folds,
            seed=config.seed,
            tune_offsets=config.tune_offsets,
        )
        for out, (_, rendered) in zip(proba, renderings, strict=True):
            out[test] = head.proba(features.transform([rendered[i] for i in test]))
    labels = np.array(E_LABELS, dtype=object)
    truth = labels[y]
    ref = None if reference_labels is None else np.asarray(reference_labels, dtype=object)
    results = []
    for (name, _), p in zip(renderings, proba, strict=True):
        predicted = labels[p.argmax(axis=1)]
        slices = [(ALL_GROUPS, np.ones(n, dtype=bool))] + [(str(k), g == k) for k in sorted(set(g))]
        scores = tuple(
            SliceScore(
                layout=name,
                group=k,
                n=int(mask.sum()),
                accuracy=float(np.mean(truth[mask] == predicted[mask])),
                kappa=cohen_kappa(truth[mask], predicted[mask]),
                reference_accuracy=None
                if ref is None
                else float(np.mean(truth[mask] == ref[mask])),
                reference_kappa=None if ref is None else cohen_kappa(truth[mask], ref[mask]),
            )
            for k, mask in slices
        )
        results.append(LayoutResult(name, tuple(str(v) for v in predicted), p.max(axis=1), scores))
    return GroupedEvaluation(len(splits), tuple(results))


def recommend_confidence_floor(
    confidence: Sequence[float] | Array,
    correct: Sequence[bool] | npt.NDArray[np.bool_],
    *,
    min_accuracy: float = 0.5,
    bin_width: float = 0.05,
    min_count: int = 30,
) -> float:
    """The lowest bin edge above which every bin of held-out predictions (with at least
    ``min_count`` tasks) is right at least ``min_accuracy`` of the time.

    With the defaults: below the floor a predicted label is more likely wrong than right.
    """
    conf = np.asarray(confidence, dtype=np.float64)
    ok = np.asarray(correct, dtype=bool)
    edges = np.arange(0.0, 1.0 + bin_width, bin_width)
    floor = 0.0
    for lo, hi in pairwise(edges):
        mask = (conf >= lo) & (conf < hi)
        if mask.sum() >= min_count and ok[mask].mean() < min_accuracy:
            floor = float(hi)
    return round(floor, 6)
