"""The validation loop: hold out SOC major groups, re-render their tasks, score every slice.

    >>> from jobrisk.validation.loop import EvalConfig, run_eval  # doctest: +SKIP
    >>> report = run_eval(catalog, EvalConfig(matcher="lexical", sample=20))  # doctest: +SKIP
    >>> report.board.worst("e_kappa")  # doctest: +SKIP

For each fold (:mod:`~jobrisk.validation.splits`), the held-out groups' labelled tasks are
rendered into every layout (:mod:`~jobrisk.validation.layouts`) and

* searched with the matcher restricted to the other groups' tasks (``matcher.restricted``),
  scoring shared-DWA retrieval;
* searched with the full matcher minus the source task's own O*NET-SOC occupation and its
  verbatim twins, scoring SOC minor-group retrieval (SOC minor groups nest inside major groups,
  so under the major-group restriction that metric would be 0 by construction);
* labelled by a :class:`Labeler` trained on the other groups' labelled tasks only.

Matchers and labelers are reached through the small protocols below, so stand-ins can be
passed in (``matcher_factory=``, ``labeler=``) and the real ones are resolved by name.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from jobrisk.catalog import Catalog
from jobrisk.errors import DataError, InputError
from jobrisk.matching.base import Candidate
from jobrisk.validation.layouts import LAYOUTS, check_layouts, render
from jobrisk.validation.runlog import append_run, code_version, run_record
from jobrisk.validation.scoring import (
    E_LABELS,
    FloorScore,
    Scoreboard,
    ScoredText,
    TargetCheck,
    check_targets,
    format_floor_score,
    format_scoreboard,
    hit_rank,
    score_above_floor,
    score_texts,
)
from jobrisk.validation.splits import (
    SPLIT_SCHEMES,
    Fold,
    FoldSides,
    fold_sides,
    major_group_folds,
    normalize_statement,
    sample_per_group,
)

MATCHERS = ("lexical", "semantic")
LABEL_FLOOR = 0.55
"""The product's label floor (``jobrisk.matching.labels.CONFIDENCE_FLOOR``; a test keeps the
two equal): the report also scores the labels at or above it, the ones a role shows."""
LABELERS = ("model", "transfer")

Progress = Callable[[int, int, str], None]
"""Called as ``progress(done, total, message)`` after each step of a run."""


class TaskMatcher(Protocol):
    """What the loop needs of a matcher (:class:`jobrisk.matching.base.Matcher` fits)."""

    def search(self, texts: Sequence[str], k: int = 5) -> list[list[Candidate]]: ...

    def restricted(self, keep: npt.NDArray[np.bool_]) -> TaskMatcher: ...


MatcherFactory = Callable[[pd.DataFrame], TaskMatcher]


class _RememberingMatcher:
    """A matcher that answers a repeated search (same text, same or smaller ``k``) from memory,
    so a labeler searching the texts the loop has just searched costs nothing."""

    def __init__(self, inner: TaskMatcher) -> None:
        self.inner = inner
        self._seen: dict[str, list[Candidate]] = {}

    def search(self, texts: Sequence[str], k: int = 5) -> list[list[Candidate]]:
        missing = list(dict.fromkeys(t for t in texts if len(self._seen.get(t, ())) < k))
        if missing:
            for text, found in zip(missing, self.inner.search(missing, k), strict=True):
                self._seen[text] = found
        return [self._seen[t][:k] for t in texts]

    def restricted(self, keep: npt.NDArray[np.bool_]) -> TaskMatcher:
        return self.inner.restricted(keep)

    def remember(self, texts: Sequence[str], found: Sequence[list[Candidate]], k: int) -> None:
        for text, cands in zip(texts, found, strict=True):
            if len(cands) >= k:
                self._seen[text] = cands


@dataclass(frozen=True)
class LabelPrediction:
    """A predicted E-label (``E0``/``E1``/``E2``) with a confidence in 0-1."""

    e_label: str
    confidence: float


@dataclass(frozen=True)
class TrainingSide:
    """What a labeler may learn from in one fold: labelled tasks of the other groups
    (``task``, ``human_e``, ``gpt4_e``, ``gpt4_t``, ``code``, ``task_id``, ``major_code``;
    ``code``/``task_id`` are empty for rows rendered into another layout or without an
    O*NET 30.1 twin) and the matcher restricted to the other groups' tasks."""

    labels: pd.DataFrame
    matcher: TaskMatcher


class Labeler(Protocol):
    """Given the training side and held-out texts, one prediction per text, in order."""

    def __call__(self, train: TrainingSide, texts: Sequence[str]) -> Sequence[LabelPrediction]: ...


@dataclass(frozen=True)
class TransferLabeler:
    """The human E-label of the matched O*NET tasks: a similarity-weighted vote over the ``k``
    closest training-side tasks that carry a label; confidence is the winner's weight share."""

    k: int = 5

    def __call__(self, train: TrainingSide, texts: Sequence[str]) -> list[LabelPrediction]:
        linked = train.labels.dropna(subset=["task_id"])
        label_of = {
            (str(c), int(t)): str(e)
            for c, t, e in zip(linked["code"], linked["task_id"], linked["human_e"], strict=True)
        }
        out = []
        for cands in train.matcher.search(texts, self.k):
            votes: dict[str, float] = {}
            for c in cands:
                label = label_of.get((c.code, c.task_id))
                if label is not None:
                    votes[label] = votes.get(label, 0.0) + max(c.similarity, 1e-9)
            if not votes:
                out.append(LabelPrediction("E0", 0.0))
                continue
            label, weight = max(votes.items(), key=lambda kv: (kv[1], kv[0]))
            out.append(LabelPrediction(label, weight / sum(votes.values())))
        return out


def _option_value(text: str) -> int | float | str | bool:
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


@dataclass(frozen=True)
class ModelLabeler:
    """The label model of :mod:`jobrisk.matching.labels` as the product uses it, trained per
    fold on the training side's texts and human E-labels (calibration folds over its major
    groups), its prediction blended with the votes of the ``twin_k`` training-side tasks the
    restricted matcher returns. ``options`` set :class:`~jobrisk.matching.labels.LabelModelConfig`
    fields (numbers, true/false and comma lists converted), e.g. ``twin_weight=0``."""

    options: tuple[tuple[str, str], ...] = ()

    def __call__(self, train: TrainingSide, texts: Sequence[str]) -> list[LabelPrediction]:
        from jobrisk.matching.labels import LabelModelConfig, train_label_model, twin_votes

        kwargs: dict[str, Any] = {k: _option_value(v) for k, v in self.options}
        if isinstance(kwargs.get("augment_layouts"), str):
            kwargs["augment_layouts"] = check_layouts(kwargs["augment_layouts"].split("+"))
        try:
            config = LabelModelConfig(**kwargs)
        except TypeError as exc:
            raise InputError(
                f"bad label model option ({exc})", hint="options are LabelModelConfig fields"
            ) from exc
        # only the E-label is scored, so the automation-level head is not fitted
        model = train_label_model(
            list(train.labels["task"].astype(str)),
            list(train.labels["human_e"].astype(str)),
            None,
            groups=list(train.labels["major_code"].astype(str)),
            config=config,
        )
        votes = None
        if config.twin_weight > 0:
            linked = train.labels.dropna(subset=["task_id"])
            label_of = {
                (str(c), int(t)): str(e)
                for c, t, e in zip(
                    linked["code"], linked["task_id"], linked["human_e"], strict=True
                )
            }
            votes = twin_votes(
                train.matcher.search(list(texts), config.twin_k),
                lambda c, t: label_of.get((c, t)),
                config.twin_k,
            )
        return [
            LabelPrediction(r.e_label, r.e_confidence)
            for r in model.predict(list(texts), votes).records()
        ]


@dataclass(frozen=True)
class EvalConfig:
    """One evaluation run's settings; every field is written to the run log.

    ``sample`` is the number of labelled tasks drawn per SOC major group (``None``: all
    18,739 linked ones); ``train_layouts`` re-renders the labeler's training texts into extra
    layouts (page 000's fix: the training data's layout diversity).
    """

    matcher: str = "lexical"
    labeler: str = "model"
    labeler_options: tuple[tuple[str, str], ...] = ()
    layouts: tuple[str, ...] = LAYOUTS
    train_layouts: tuple[str, ...] = ()
    split: str = "kfold"
    folds: int = 5
    sample: int | None = 20
    seed: int = 0
    k: int = 5

    def settings(self) -> dict[str, str]:
        """The flat key -> value strings the run log keeps and ``compare`` diffs."""
        return {
            "matcher": self.matcher,
            "labeler": self.labeler,
            "labeler_options": ",".join(f"{k}={v}" for k, v in sorted(self.labeler_options)),
            "layouts": ",".join(self.layouts),
            "train_layouts": ",".join(self.train_layouts),
            "split": self.split if self.split == "logo" else f"{self.split}:{self.folds}",
            "sample": "all" if self.sample is None else str(self.sample),
            "seed": str(self.seed),
            "k": str(self.k),
        }


@dataclass(frozen=True)
class PhaseTime:
    phase: str
    seconds: float


@dataclass(frozen=True)
class EvalReport:
    """The outcome of :func:`run_eval`."""

    run_id: str
    config: EvalConfig
    code_version: str
    board: Scoreboard
    targets: tuple[TargetCheck, ...]
    folds: tuple[Fold, ...]
    n_tasks: int
    n_texts: int
    timings: tuple[PhaseTime, ...]
    notes: tuple[str, ...] = field(default=())
    scored: tuple[ScoredText, ...] = field(default=(), repr=False)
    above_floor: FloorScore | None = None

    def settings(self) -> dict[str, str]:
        return self.config.settings() | {"code_version": self.code_version}


@dataclass(frozen=True)
class EvalData:
    """The catalog tables the loop reads, aligned once.

    ``corpus``: every O*NET task (``code``, ``task_id``, ``task``, ``major_code``,
    ``minor_code``); ``items``: labelled tasks linked to an O*NET 30.1 task (the ones scored);
    ``labels``: every labelled row (the training pool); ``dwas``: DWA ids per task.
    """

    corpus: pd.DataFrame
    items: pd.DataFrame
    labels: pd.DataFrame
    dwas: Mapping[tuple[str, int], frozenset[str]]
    minor_of: Mapping[str, str]


def load_eval_data(catalog: Catalog) -> EvalData:
    """The corpus, labelled tasks and DWAs of ``catalog``'s index."""
    corpus = catalog.query(
        """select t.code, t.task_id, t.task, o.major_code, o.minor_code
           from tasks t join occupations o using (code) order by t.code, t.task_id"""
    )
    labels = catalog.query(
        """select l.task, l.human_e, l.gpt4_e, l.gpt4_t, l.code, l.task_id, o.major_code,
                  o.minor_code
           from task_exposure_labels l join occupations o on o.code = l.src_code
           where l.human_e is not null and l.gpt4_e is not null
           order by l.src_code, l.src_task_id"""
    )
    # plain object columns: Matcher._candidates calls to_numpy() per text, which copies an
    # arrow-backed string column every time (2 of 4 s for 500 searches at k=80)
    corpus = corpus.astype({c: object for c in ("code", "task", "major_code", "minor_code")})
    dwa_rows = catalog.query("select code, task_id, dwa_id from task_dwas")
    if corpus.empty or labels.empty or dwa_rows.empty:
        raise DataError(
            "the index has no tasks, labels or DWAs to evaluate on",
            hint="rebuild it with `jobrisk build`",
        )
    dwas: dict[tuple[str, int], set[str]] = {}
    for c, t, d in zip(dwa_rows["code"], dwa_rows["task_id"], dwa_rows["dwa_id"], strict=True):
        dwas.setdefault((str(c), int(t)), set()).add(str(d))
    items = labels.dropna(subset=["code", "task_id"]).copy()
    items["task_id"] = items["task_id"].astype(int)
    minor_of = dict(zip(corpus["code"], corpus["minor_code"], strict=True))
    items["minor_code"] = items["code"].map(minor_of)
    return EvalData(
        corpus,
        items.reset_index(drop=True),
        labels,
        {k: frozenset(v) for k, v in dwas.items()},
        minor_of,
    )


def default_matcher_factory(name: str, catalog: Catalog) -> MatcherFactory:
    """The named matcher of :mod:`jobrisk.matching`, imported when first needed."""
    if name == "lexical":
        from jobrisk.matching.lexical import LexicalMatcher

        def lexical(corpus: pd.DataFrame) -> TaskMatcher:
            return LexicalMatcher(corpus)

        return lexical
    if name == "semantic":
        try:
            from jobrisk.matching.semantic import SemanticMatcher, load_task_embeddings
        except ImportError as exc:
            raise InputError(
                f"the semantic matcher is not available ({exc})",
                hint="install the extra: pip install 'jobrisk[semantic]', or use --matcher lexical",
            ) from exc

        def semantic(corpus: pd.DataFrame) -> TaskMatcher:
            stored, matrix = load_task_embeddings(catalog)
            row = {
                (c, int(t)): i
                for i, (c, t) in enumerate(zip(stored["code"], stored["task_id"], strict=True))
            }
            try:
                order = [
                    row[(c, int(t))] for c, t in zip(corpus["code"], corpus["task_id"], strict=True)
                ]
            except KeyError as exc:
                raise DataError(
                    f"task {exc} has no embedding in the index",
                    hint="rebuild with `jobrisk build --force`",
                ) from exc
            return SemanticMatcher(corpus, matrix[order])

        return semantic
    raise InputError(f"unknown matcher {name!r}", hint="matchers: " + ", ".join(MATCHERS))


def default_labeler(name: str, options: Mapping[str, str]) -> Labeler:
    """The named labeler: ``transfer`` (:class:`TransferLabeler`) or ``model``
    (:class:`ModelLabeler`, the label model of :mod:`jobrisk.matching.labels` trained per fold)."""
    if name == "transfer":
        return TransferLabeler(k=int(options.get("k", 5)))
    if name == "model":
        return ModelLabeler(tuple(sorted(options.items())))
    raise InputError(f"unknown labeler {name!r}", hint="labelers: " + ", ".join(LABELERS))


def _restricted_top_k(
    restricted: _RememberingMatcher,
    texts: Sequence[str],
    wide: Sequence[Sequence[Candidate]],
    keep: set[tuple[str, int]],
    k: int,
) -> list[list[Candidate]]:
    """The restricted matcher's top ``k`` per text, read off the full matcher's ranking.

    A restriction keeps the similarities (the :class:`~jobrisk.matching.base.Matcher`
    contract: the same matcher over a subset, no refit), so the first ``k`` retrievable tasks
    of the full ranking are the restricted top ``k``; only a text whose full ranking holds
    fewer than ``k`` of them is searched again, restricted. This halves the searches, which
    matters for a matcher that embeds every query. The answers are remembered for the labeler.
    """
    out: list[list[Candidate]] = []
    again: list[int] = []
    for i, ranked in enumerate(wide):
        picked = [c for c in ranked if (c.code, c.task_id) in keep][:k]
        if len(picked) < k:
            again.append(i)
        out.append(picked)
    if again:
        for i, found in zip(again, restricted.search([texts[i] for i in again], k), strict=True):
            out[i] = found
    restricted.remember(texts, out, k)
    return out


def _score_fold(
    held: pd.DataFrame,
    config: EvalConfig,
    texts: Sequence[str],
    found: Sequence[Sequence[Candidate]],
    wide: Sequence[Sequence[Candidate]],
    predictions: Sequence[LabelPrediction],
    dwas: Mapping[tuple[str, int], frozenset[str]],
    minor_of: Mapping[str, str],
    onet_text: Mapping[tuple[str, int], str],
) -> list[ScoredText]:
    codes = held["code"].astype(str).tolist()
    task_ids = held["task_id"].astype(int).tolist()
    col = {
        c: held[c].astype(str).tolist() for c in ("major_code", "minor_code", "human_e", "gpt4_e")
    }
    own_texts = [
        {normalize_statement(str(t)), onet_text.get(key, "")}
        for t, key in zip(held["task"], zip(codes, task_ids, strict=True), strict=True)
    ]
    n = len(codes)
    out = []
    for i, (cands, wider, pred) in enumerate(zip(found, wide, predictions, strict=True)):
        j = i % n
        code, task_id, own = codes[j], task_ids[j], own_texts[j]
        source_dwas = dwas.get((code, task_id), frozenset())
        top = cands[: config.k]
        minor_pool = [
            c
            for c in wider
            if c.code != code
            and (onet_text.get((c.code, c.task_id)) or normalize_statement(c.task)) not in own
        ][: config.k]
        out.append(
            ScoredText(
                layout=config.layouts[i // n],
                text=texts[i],
                group=col["major_code"][j],
                code=code,
                task_id=task_id,
                retrieved=tuple((c.code, c.task_id) for c in top),
                dwa_hit_rank=hit_rank(
                    bool(dwas.get((c.code, c.task_id), frozenset()) & source_dwas) for c in top
                ),
                minor_hit_rank=hit_rank(
                    minor_of.get(c.code) == col["minor_code"][j] for c in minor_pool
                ),
                human_e=col["human_e"][j],
                predicted_e=pred.e_label,
                confidence=pred.confidence,
                gpt4_e=col["gpt4_e"][j],
            )
        )
    return out


def _check(config: EvalConfig) -> None:
    check_layouts(config.layouts)
    if config.train_layouts:
        check_layouts(config.train_layouts)
    if config.split not in SPLIT_SCHEMES:
        raise InputError(f"unknown split {config.split!r}", hint="splits: kfold, logo")
    if config.k < 1:
        raise InputError(f"k must be at least 1, got {config.k}")


def _render_training(labels: pd.DataFrame, layouts: Sequence[str], seed: int) -> pd.DataFrame:
    extra = [layout for layout in layouts if layout != "original"]
    if not extra:
        return labels
    frames = [labels]
    for layout in extra:
        copy = labels.copy()
        copy["task"] = [render(t, layout, seed=seed) for t in labels["task"]]
        copy["code"] = None
        copy["task_id"] = np.nan
        frames.append(copy)
    return pd.concat(frames, ignore_index=True)


def run_eval(
    catalog: Catalog,
    config: EvalConfig,
    progress: Progress | None = None,
    *,
    matcher_factory: MatcherFactory | None = None,
    labeler: Labeler | None = None,
    data: EvalData | None = None,
) -> EvalReport:
    """Run the validation loop described in the module docstring.

    ``matcher_factory`` (corpus -> matcher) and ``labeler`` replace the ones named in
    ``config``; ``data`` reuses tables already read with :func:`load_eval_data`.
    """
    _check(config)
    config = replace(config, layouts=check_layouts(config.layouts))  # duplicates dropped
    clock: dict[str, float] = {}

    def timed(phase: str, start: float) -> None:
        clock[phase] = clock.get(phase, 0.0) + time.perf_counter() - start

    t0 = time.perf_counter()
    data = data or load_eval_data(catalog)
    items = sample_per_group(data.items, config.sample, config.seed)
    sizes = {str(g): int(n) for g, n in items["major_code"].value_counts().items()}
    folds = major_group_folds(sizes, config.split, config.folds, config.seed)
    timed("load", t0)

    t0 = time.perf_counter()
    factory = matcher_factory or default_matcher_factory(config.matcher, catalog)
    label_fn = labeler or default_labeler(config.labeler, dict(config.labeler_options))
    full = factory(data.corpus)
    timed("matcher build", t0)

    corpus_norm = data.corpus["task"].map(normalize_statement)
    onet_text = dict(
        zip(zip(data.corpus["code"], data.corpus["task_id"], strict=True), corpus_norm, strict=True)
    )
    twins = corpus_norm.value_counts()
    k_wide = config.k + int(data.corpus["code"].value_counts().max()) + int(twins.max())

    def retrievable_keys(sides: FoldSides) -> set[tuple[str, int]]:
        kept = data.corpus[sides.retrievable]
        return set(zip(kept["code"], kept["task_id"].astype(int), strict=True))

    total = len(folds) * 3
    step = 0
    scored: list[ScoredText] = []
    for fold in folds:
        t0 = time.perf_counter()
        sides = fold_sides(fold, items, data.labels, data.corpus)
        held = sides.held_out_items
        texts = [
            render(t, layout, seed=config.seed) for layout in config.layouts for t in held["task"]
        ]
        timed("render", t0)

        t0 = time.perf_counter()
        restricted = _RememberingMatcher(full.restricted(sides.retrievable))
        wide = full.search(texts, k_wide)
        found = _restricted_top_k(restricted, texts, wide, retrievable_keys(sides), config.k)
        timed("search", t0)
        step += 1
        if progress:
            progress(
                step, total, f"fold {fold.index + 1}/{len(folds)}: searched {len(texts)} texts"
            )

        t0 = time.perf_counter()
        train = TrainingSide(
            _render_training(sides.train_labels, config.train_layouts, config.seed), restricted
        )
        predictions = list(label_fn(train, texts))
        if len(predictions) != len(texts):
            raise DataError(
                f"the labeler returned {len(predictions)} predictions for {len(texts)} texts",
                hint="a labeler must return one prediction per text, in order",
            )
        timed("labeler", t0)
        step += 1
        if progress:
            progress(
                step, total, f"fold {fold.index + 1}/{len(folds)}: labelled {len(texts)} texts"
            )

        t0 = time.perf_counter()
        scored += _score_fold(
            held, config, texts, found, wide, predictions, data.dwas, data.minor_of, onet_text
        )
        timed("score", t0)
        step += 1
        if progress:
            progress(step, total, f"fold {fold.index + 1}/{len(folds)}: scored")

    board = score_texts(scored)
    sizes_seen = sorted({c.n for c in board.cells})
    unknown = sorted({s.predicted_e for s in scored} - set(E_LABELS))
    notes = [
        "minor-group retrieval hides the source's own O*NET-SOC occupation and verbatim twins, "
        "not its major group (SOC minor groups nest in major groups)",
        "the worst slice is the lower of the worst layout and the worst group; cells hold "
        + (f"{sizes_seen[0]}" if len(sizes_seen) == 1 else f"{sizes_seen[0]}-{sizes_seen[-1]}")
        + " texts",
    ]
    if unknown:
        notes.append(f"the labeler returned labels outside E0/E1/E2: {unknown}")
    return EvalReport(
        run_id=uuid.uuid4().hex[:12],
        config=config,
        code_version=code_version(),
        board=board,
        targets=check_targets(board),
        folds=folds,
        n_tasks=len(items),
        n_texts=len(scored),
        timings=tuple(PhaseTime(p, s) for p, s in clock.items()),
        notes=tuple(notes),
        scored=tuple(scored),
        above_floor=score_above_floor(scored, LABEL_FLOOR),
    )


def log_run(report: EvalReport, path: Path) -> None:
    """Append ``report`` as one line of the run log at ``path``."""
    record = run_record(
        report.run_id,
        report.settings(),
        report.board,
        timings={t.phase: round(t.seconds, 3) for t in report.timings},
    )
    append_run(path, record)


def format_report(report: EvalReport) -> str:
    """A plain-text summary for the CLI: the run, then :func:`format_scoreboard`, timings."""
    cfg = " ".join(f"{k}={v}" for k, v in report.settings().items())
    lines = [
        f"run {report.run_id}: {report.n_tasks} held-out tasks x {len(report.config.layouts)} "
        f"layouts = {report.n_texts} texts, {len(report.folds)} folds",
        cfg,
        "",
        format_scoreboard(report.board, report.targets),
        *(["", format_floor_score(report.above_floor)] if report.above_floor else []),
        "",
        "time: " + ", ".join(f"{t.phase} {t.seconds:.1f}s" for t in report.timings),
    ]
    lines += [f"note: {n}" for n in report.notes]
    return "\n".join(lines)
