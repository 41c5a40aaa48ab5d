"""Per-slice figures of the validation loop: retrieval, E-label agreement, the GPT-4 anchor.

A *slice* is one layout x one held-out SOC major group. Each scored text contributes one row
(:class:`ScoredText`); :func:`score_texts` turns the rows into a :class:`Scoreboard` with the
cells, the per-layout and per-group margins (pooled over the other axis), the overall figure
(pooled over everything), the mean (unweighted over cells) and the worst slices.

Metrics (:data:`METRICS`): ``dwa_top1`` / ``dwa_top5``, share of texts whose first / first five
retrieved tasks include one sharing a Detailed Work Activity with the source task (O*NET
``Tasks to DWAs``); ``minor_top1`` / ``minor_top5``, the same for a task of the source's SOC
minor group; ``e_accuracy`` and ``e_kappa``, agreement of the predicted E-label with the human
label of Eloundou et al. (2024), Cohen's kappa unweighted over E0/E1/E2. The anchor is GPT-4's
own label on the same tasks (layout-free); on all 19,265 labelled rows it agrees on 65.6% with
kappa 0.437 (METHODS.md section 4).

The headline *worst slice* of a metric is the lower of its worst layout margin and its worst
group margin; the single lowest cell is reported beside it, but cells of a quick run hold ~20
texts, too few to rank on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

METRICS: tuple[str, ...] = (
    "dwa_top1",
    "dwa_top5",
    "minor_top1",
    "minor_top5",
    "e_accuracy",
    "e_kappa",
)
E_LABELS = ("E0", "E1", "E2")
ALL = "*"


@dataclass(frozen=True)
class ScoredText:
    """One held-out task in one layout, with what the matcher and the labeler made of it."""

    layout: str
    text: str  # the rendered text that was searched and labelled
    group: str  # SOC major group of the source task
    code: str
    task_id: int
    retrieved: tuple[tuple[str, int], ...]  # (code, task_id) of the top-k, held-out groups hidden
    dwa_hit_rank: int | None  # 1-based rank of the first shared-DWA candidate, None if none
    minor_hit_rank: int | None
    human_e: str
    predicted_e: str
    confidence: float
    gpt4_e: str


@dataclass(frozen=True)
class SliceScore:
    """The metrics over one slice; ``layout``/``group`` are ``"*"`` when pooled over that axis."""

    layout: str
    group: str
    n: int
    dwa_top1: float
    dwa_top5: float
    minor_top1: float
    minor_top5: float
    e_accuracy: float
    e_kappa: float

    def value(self, metric: str) -> float:
        if metric not in METRICS:
            raise KeyError(f"unknown metric {metric!r}; metrics: {', '.join(METRICS)}")
        return float(getattr(self, metric))


@dataclass(frozen=True)
class AnchorScore:
    """GPT-4's E-label against the human label on the scored tasks of one group (or ``"*"``)."""

    group: str
    n: int
    accuracy: float
    kappa: float


@dataclass(frozen=True)
class WorstSlice:
    """The lowest value of a metric over one kind of slice (``layout``, ``group`` or ``cell``)."""

    metric: str
    kind: str
    layout: str
    group: str
    n: int
    value: float


@dataclass(frozen=True)
class TargetCheck:
    """One target of issue 4 and whether this run meets it."""

    name: str
    value: float
    threshold: float
    met: bool


@dataclass(frozen=True)
class Scoreboard:
    """Every figure of one run."""

    cells: tuple[SliceScore, ...]
    by_layout: tuple[SliceScore, ...]
    by_group: tuple[SliceScore, ...]
    overall: SliceScore
    mean: SliceScore
    anchor_by_group: tuple[AnchorScore, ...]
    anchor_overall: AnchorScore

    def worst(self, metric: str, kind: str = "margin") -> WorstSlice:
        """The worst slice of ``metric``: ``layout``, ``group``, ``cell``, or ``margin`` (the
        lower of the worst layout and the worst group, the figure runs are ranked by)."""
        if kind == "margin":
            a, b = self.worst(metric, "layout"), self.worst(metric, "group")
            return b if _lt(b.value, a.value) else a
        pool = {"layout": self.by_layout, "group": self.by_group, "cell": self.cells}.get(kind)
        if pool is None:
            raise KeyError(f"unknown slice kind {kind!r}; kinds: layout, group, cell, margin")
        lowest = min(pool, key=lambda s: _sort_key(s.value(metric)))
        return WorstSlice(metric, kind, lowest.layout, lowest.group, lowest.n, lowest.value(metric))

    def worst_slices(self) -> tuple[WorstSlice, ...]:
        return tuple(
            self.worst(m, kind) for m in METRICS for kind in ("margin", "layout", "group", "cell")
        )


def _sort_key(v: float) -> float:
    return math.inf if math.isnan(v) else v


def _lt(a: float, b: float) -> bool:
    return _sort_key(a) < _sort_key(b)


def label_agreement(truth: Sequence[str], predicted: Sequence[str]) -> tuple[float, float]:
    """Accuracy and unweighted Cohen's kappa over E0/E1/E2; kappa is NaN when undefined
    (chance agreement of 1, e.g. every label the same)."""
    if len(truth) != len(predicted):
        raise ValueError(f"{len(truth)} true labels but {len(predicted)} predictions")
    if not truth:
        return math.nan, math.nan
    t = np.asarray(truth)
    p = np.asarray(predicted)
    accuracy = float(np.mean(t == p))
    return accuracy, cohen_kappa(t, p)


def cohen_kappa(truth: Sequence[str] | np.ndarray, predicted: Sequence[str] | np.ndarray) -> float:
    """Cohen's (1960) kappa, (p_o - p_e) / (1 - p_e), with p_e from the two marginals; NaN
    when p_e is 1. Same as scikit-learn's ``cohen_kappa_score`` without weights."""
    t = np.asarray(truth)
    p = np.asarray(predicted)
    classes = sorted(set(t.tolist()) | set(p.tolist()))
    if len(t) == 0:
        return math.nan
    p_o = float(np.mean(t == p))
    p_e = sum(float(np.mean(t == c)) * float(np.mean(p == c)) for c in classes)
    if p_e >= 1.0:
        return math.nan
    return (p_o - p_e) / (1.0 - p_e)


def hit_rank(flags: Iterable[bool]) -> int | None:
    """1-based position of the first true flag, or ``None``."""
    for i, f in enumerate(flags, start=1):
        if f:
            return i
    return None


def _slice(layout: str, group: str, rows: pd.DataFrame) -> SliceScore:
    def top(col: str, k: int) -> float:
        ranks = rows[col]
        return float((ranks.notna() & (ranks <= k)).mean()) if len(rows) else math.nan

    acc, kappa = label_agreement(list(rows["human_e"]), list(rows["predicted_e"]))
    return SliceScore(
        layout,
        group,
        len(rows),
        top("dwa_hit_rank", 1),
        top("dwa_hit_rank", 5),
        top("minor_hit_rank", 1),
        top("minor_hit_rank", 5),
        acc,
        kappa,
    )


def _frame(texts: Sequence[ScoredText]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "layout": [t.layout for t in texts],
            "group": [t.group for t in texts],
            "code": [t.code for t in texts],
            "task_id": [t.task_id for t in texts],
            "dwa_hit_rank": pd.array([t.dwa_hit_rank for t in texts], dtype="Float64"),
            "minor_hit_rank": pd.array([t.minor_hit_rank for t in texts], dtype="Float64"),
            "human_e": [t.human_e for t in texts],
            "predicted_e": [t.predicted_e for t in texts],
            "gpt4_e": [t.gpt4_e for t in texts],
        }
    )


def score_texts(texts: Sequence[ScoredText]) -> Scoreboard:
    """The :class:`Scoreboard` of a run's scored texts."""
    if not texts:
        raise ValueError("no scored texts")
    df = _frame(texts)
    cells = tuple(
        _slice(str(lay), str(grp), rows)
        for (lay, grp), rows in df.groupby(["layout", "group"], sort=True)
    )
    by_layout = tuple(_slice(str(lay), ALL, rows) for lay, rows in df.groupby("layout", sort=True))
    by_group = tuple(_slice(ALL, str(grp), rows) for grp, rows in df.groupby("group", sort=True))
    overall = _slice(ALL, ALL, df)
    mean = SliceScore(
        "mean",
        "mean",
        len(cells),
        *(float(np.nanmean([c.value(m) for c in cells])) for m in METRICS),
    )
    tasks = df.drop_duplicates(["code", "task_id"])
    anchor_by_group = tuple(
        AnchorScore(str(grp), len(rows), *label_agreement(list(rows.human_e), list(rows.gpt4_e)))
        for grp, rows in tasks.groupby("group", sort=True)
    )
    anchor_overall = AnchorScore(
        ALL, len(tasks), *label_agreement(list(tasks.human_e), list(tasks.gpt4_e))
    )
    return Scoreboard(cells, by_layout, by_group, overall, mean, anchor_by_group, anchor_overall)


@dataclass(frozen=True)
class FloorScore:
    """E-label agreement on the texts whose label confidence reaches ``floor``: the labels a
    role would show as predicted (below the floor a task is shown as unmatched)."""

    floor: float
    n: int  # texts scored
    kept: int  # texts at or above the floor
    accuracy: float
    kappa: float
    worst_layout: str
    worst_layout_kappa: float
    worst_group: str
    worst_group_kappa: float
    groups_below: int  # groups whose kept texts have kappa below GROUP_KAPPA_TARGET


GROUP_KAPPA_TARGET = 0.35


def score_above_floor(texts: Sequence[ScoredText], floor: float) -> FloorScore:
    """:class:`FloorScore` of the texts with ``confidence >= floor`` (NaN figures if none)."""
    kept = [t for t in texts if t.confidence >= floor]

    def kappa_of(rows: Sequence[ScoredText]) -> float:
        return label_agreement([t.human_e for t in rows], [t.predicted_e for t in rows])[1]

    def worst(key: str) -> tuple[str, float, int]:
        by: dict[str, list[ScoredText]] = {}
        for t in kept:
            by.setdefault(str(getattr(t, key)), []).append(t)
        kappas = {k: kappa_of(v) for k, v in sorted(by.items())}
        if not kappas:
            return "-", math.nan, 0
        name = min(kappas, key=lambda k: _sort_key(kappas[k]))
        return name, kappas[name], sum(v < GROUP_KAPPA_TARGET for v in kappas.values())

    acc, kappa = label_agreement([t.human_e for t in kept], [t.predicted_e for t in kept])
    lay, lay_kappa, _ = worst("layout")
    grp, grp_kappa, below = worst("group")
    return FloorScore(
        floor, len(texts), len(kept), acc, kappa, lay, lay_kappa, grp, grp_kappa, below
    )


def format_floor_score(f: FloorScore) -> str:
    """One paragraph for the run report."""
    share = f.kept / f.n if f.n else math.nan
    return (
        f"labels at or above the label floor {f.floor} (the ones a role shows; below it a task "
        f"is unmatched): {share:.1%} of texts, accuracy {_fmt(f.accuracy).strip()}, kappa "
        f"{_fmt(f.kappa).strip()}; worst layout {f.worst_layout} "
        f"{_fmt(f.worst_layout_kappa).strip()}, "
        f"worst group {f.worst_group} {_fmt(f.worst_group_kappa).strip()} "
        f"({f.groups_below} group{'' if f.groups_below == 1 else 's'} below {GROUP_KAPPA_TARGET})"
    )


def check_targets(board: Scoreboard) -> tuple[TargetCheck, ...]:
    """The targets of issue 4: overall E-label kappa >= 0.55, no layout below 0.50, no group
    below 0.35, and the worst layout's top-5 shared-DWA retrieval within 10 points of the
    original layout's (only when the original layout was scored)."""
    checks = [
        TargetCheck("e_kappa overall", board.overall.e_kappa, 0.55, board.overall.e_kappa >= 0.55),
    ]
    lay = board.worst("e_kappa", "layout")
    checks.append(
        TargetCheck(f"e_kappa worst layout ({lay.layout})", lay.value, 0.50, lay.value >= 0.50)
    )
    grp = board.worst("e_kappa", "group")
    checks.append(
        TargetCheck(f"e_kappa worst group ({grp.group})", grp.value, 0.35, grp.value >= 0.35)
    )
    original = [s for s in board.by_layout if s.layout == "original"]
    if original:
        worst = board.worst("dwa_top5", "layout")
        gap = original[0].dwa_top5 - worst.value
        checks.append(
            TargetCheck(f"dwa_top5 gap original - {worst.layout}", gap, 0.10, gap <= 0.10)
        )
    return tuple(checks)


def _fmt(v: float) -> str:
    return "   -  " if math.isnan(v) else f"{v:6.3f}"


def format_scoreboard(board: Scoreboard, targets: Sequence[TargetCheck] = ()) -> str:
    """Plain-text tables: per layout (with overall and mean), per group with the GPT-4
    anchor, the worst slices, and the targets."""
    b = board
    head = " ".join(f"{m:>10}" for m in METRICS)

    def cells(s: SliceScore) -> str:
        return " ".join(f"{_fmt(s.value(m)):>10}" for m in METRICS)

    lines = [f"{'layout':<14}{'n':>6} {head}"]
    for s in (*b.by_layout, b.overall, b.mean):
        lines.append(f"{'overall' if s.layout == ALL else s.layout:<14}{s.n:>6} {cells(s)}")
    lines += ["", f"{'group':<14}{'n':>6} {head} {'gpt4 acc':>9} {'gpt4 kappa':>10}"]
    anchors = {a.group: a for a in b.anchor_by_group}
    for s in b.by_group:
        a = anchors[s.group]
        lines.append(f"{s.group:<14}{s.n:>6} {cells(s)} {_fmt(a.accuracy):>9} {_fmt(a.kappa):>10}")
    a = b.anchor_overall
    lines.append(
        f"GPT-4 anchor on the same {a.n} tasks: accuracy {a.accuracy:.3f}, kappa {a.kappa:.3f}"
    )
    lines += ["", "worst slices (margin = lower of worst layout and worst group)"]
    for m in METRICS:
        w, c = b.worst(m, "margin"), b.worst(m, "cell")
        where = f"layout {w.layout}" if w.kind == "layout" else f"group {w.group}"
        lines.append(
            f"  {m:<11} {_fmt(w.value)} at {where:<22} lowest cell {_fmt(c.value)} "
            f"({c.layout} x {c.group}, n={c.n})"
        )
    if targets:
        lines += ["", "targets (issue 4)"]
        lines += [
            f"  [{'x' if t.met else ' '}] {t.name}: {t.value:.3f} (target {t.threshold})"
            for t in targets
        ]
    return "\n".join(lines)
