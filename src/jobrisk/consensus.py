"""All methods side by side for one occupation (METHODS 2.6).

Each method's value becomes a percentile among O*NET occupations, turned so that higher always
means more exposed (a resistance score's percentile is flipped). The consensus is the mean of
those exposure percentiles over :data:`CONSENSUS_SET`, one method per evidence family so that
no dataset votes twice. Its interval combines

- the rater: the consensus with Eloundou's human labels and with GPT-4's labels, and
- a bootstrap over tasks: the occupation's tasks are resampled with replacement and every
  task-level (additive) method is recomputed from its task contributions; occupation-level
  measures (AIOE, Frey-Osborne, ...) stay fixed.

Where two methods disagree most, :class:`Disagreement` names them and the tasks whose per-task
scores differ most between the two.
"""

from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from jobrisk.methods.base import Direction, Explanation, Method, opt_float, opt_str
from jobrisk.methods.evidence import Evidence
from jobrisk.methods.registry import REGISTRY

# One method per evidence family, in the order shown. Names not registered are skipped.
CONSENSUS_SET: tuple[str, ...] = (
    "eloundou_beta_human",
    "anthropic_observed_exposure",
    "anthropic_usage_depth_v5",
    "microsoft_ai_applicability",
    "aioe",
    "frey_osborne",
    "webb_ai",
    "aijri",
    "task_matrix",
    "exposure_now",
    "risk_index",
)
# Methods with a GPT-4-label twin: the consensus is recomputed with the twins (the rater bound).
RATER_SWAPS: dict[str, str] = {
    "eloundou_beta_human": "eloundou_beta_gpt4",
    "task_matrix": "task_matrix_gpt4",
}
BOOTSTRAP_DRAWS = 400
INTERVAL = (5.0, 95.0)
SEED = 20230301  # fixed, so the same occupation always gets the same interval


@dataclass(frozen=True)
class MethodValue:
    method: str
    title: str
    family: str
    direction: str
    unit: str
    value: float | None
    percentile: float | None  # among O*NET occupations with a value, 0-100
    exposure_percentile: float | None  # the percentile turned so that higher = more exposed
    label: str | None
    n_tasks: int
    note: str
    in_consensus: bool


@dataclass(frozen=True)
class TaskGap:
    task_id: int | None
    task: str
    time_share: float
    score_a: float | None  # the task's score under method a, 0-1, higher = more exposed
    score_b: float | None
    gap: float


@dataclass(frozen=True)
class Disagreement:
    method_a: str  # the method that rates the occupation more exposed
    method_b: str
    percentile_a: float
    percentile_b: float
    gap: float  # in percentile points
    tasks: tuple[TaskGap, ...]
    summary: str


@dataclass(frozen=True)
class Consensus:
    code: str
    exposure_percentile: float | None
    low: float | None
    high: float | None
    with_human_labels: float | None
    with_gpt4_labels: float | None
    bootstrap_low: float | None
    bootstrap_high: float | None
    spread: float | None  # max - min of the exposure percentiles in the consensus set
    n_methods: int
    methods: tuple[MethodValue, ...]
    disagreement: Disagreement | None
    summary: str


@dataclass(frozen=True)
class _Population:
    index: pd.Index  # the units
    value_arrays: dict[str, np.ndarray]  # method -> values (the table's rows)
    sorted_onet: dict[str, np.ndarray]
    tables: dict[str, pd.DataFrame]
    position: dict[str, int]  # code -> row of the tables and of the arrays below
    pct: dict[str, np.ndarray]  # method -> exposure percentiles (the table's rows)

    columns: dict[str, tuple[list[Any], list[Any], list[Any], tuple[list[Any], ...]]] = field(
        default_factory=dict
    )
    method_values: dict[str, tuple[MethodValue, ...]] = field(default_factory=dict)  # per code
    descriptions: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)

    def described(self, name: str) -> tuple[str, str, str, str]:
        """A method's title, family, direction and unit, read once (a title is a property)."""
        described = self.descriptions.get(name)
        if described is None:
            m = REGISTRY[name]
            described = (m.title, str(m.family), str(m.direction), m.unit)
            self.descriptions[name] = described
        return described

    @functools.cached_property
    def values(self) -> pd.DataFrame:
        """Code x method name: the values (made on first use; a batch's consensus reads the
        arrays)."""
        return pd.DataFrame(self.value_arrays, index=self.index)

    @functools.cached_property
    def percentiles(self) -> pd.DataFrame:
        """Code x method name: the exposure-aligned percentiles (made on first use)."""
        return pd.DataFrame(self.pct, index=self.index)

    def method_columns(
        self, name: str
    ) -> tuple[list[Any], list[Any], list[Any], tuple[list[Any], ...]]:
        """A method's value, n_tasks and note columns and its label columns (zone, cell, label,
        those it has) as plain values, listed on first use."""
        listed = self.columns.get(name)
        if listed is None:
            table = self.tables[name]
            # a table without value, n_tasks or note breaks the contract: a KeyError, as before
            value, n_tasks, note = (table[c].tolist() for c in ("value", "n_tasks", "note"))
            labels = tuple(table[c].tolist() for c in ("zone", "cell", "label") if c in table)
            listed = self.columns[name] = (value, n_tasks, note, labels)
        return listed


_POP: weakref.WeakKeyDictionary[Evidence, _Population] = weakref.WeakKeyDictionary()


def population(ev: Evidence, methods: list[Method] | None = None) -> _Population:
    """Every registered method's values and exposure percentiles, once per evidence.

    Percentiles are among the O*NET occupations of ``ev``, or of its reference (a custom role's
    subject evidence is placed among the memoized O*NET values, never recomputing them).
    """
    cached = _POP.get(ev)
    if cached is not None and methods is None:
        return cached
    chosen = methods if methods is not None else list(REGISTRY.values())
    tables = {m.name: m.memoized_scores(ev) for m in chosen}  # each in ev.units order
    onet = (ev.units["kind"] == "onet").to_numpy()
    reference = None if ev.reference is None else population(ev.reference, methods).sorted_onet
    values, pct, sorted_onet = {}, {}, {}
    for m in chosen:
        col = tables[m.name]["value"].to_numpy(dtype=float, na_value=np.nan)
        values[m.name] = col
        # a subject is placed among its reference's values, never its own
        ref = reference[m.name] if reference is not None else np.sort(col[onet & ~np.isnan(col)])
        sorted_onet[m.name] = ref
        p = _percentile_of(ref, col)
        pct[m.name] = 100.0 - p if m.direction is Direction.RESISTANCE else p
    pop = _Population(
        index=ev.units.index,
        value_arrays=values,
        sorted_onet=sorted_onet,
        tables=tables,
        position={str(code): i for i, code in enumerate(ev.units.index)},
        pct=pct,
    )
    if methods is None:
        _POP[ev] = pop
    return pop


def ordinal(x: float) -> str:
    """``92.4`` -> ``"92nd"``."""
    n = round(x)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


TIE_TOLERANCE = 1e-9
"""Values this close (relative) are ties: 2/3 summed in two orders is 0.6666666666666666 or
0.6666666666666667, and many occupations share such fractions, so without it a last-bit
difference (a role scored alone or beside others) would move a percentile among the ties."""


def _percentile_of(reference: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Mid-rank percentile of each x among the reference values (NaN stays NaN), values
    within :data:`TIE_TOLERANCE` of each other counting as ties."""
    out = np.full(x.shape, np.nan)
    if reference.size == 0:
        return out
    ok = ~np.isnan(x)
    tol = TIE_TOLERANCE * np.maximum(1.0, np.abs(x[ok]))
    lo = np.searchsorted(reference, x[ok] - tol, side="left")
    hi = np.searchsorted(reference, x[ok] + tol, side="right")
    out[ok] = (lo + hi) / 2.0 / reference.size * 100.0
    return out


def consensus_for(ev: Evidence, code: str, explanations: dict[str, Explanation]) -> Consensus:
    """The consensus for one occupation, given the explanations of its methods."""
    pop = population(ev)
    methods = pop.method_values.get(code)
    if methods is None:
        in_set = [n for n in CONSENSUS_SET if n in pop.pct]
        methods = tuple(_method_value(pop, code, name, name in in_set) for name in pop.pct)
        pop.method_values[code] = methods
    exp_pct = {
        m.method: m.exposure_percentile
        for m in methods
        if m.in_consensus and m.exposure_percentile is not None
    }
    if not exp_pct:
        return Consensus(
            code, None, None, None, None, None, None, None, None, 0, methods, None,
            "no method has a value for this occupation",
        )  # fmt: skip
    center = float(np.mean(list(exp_pct.values())))
    human, gpt4 = _rater_values(pop, code, exp_pct)
    boot_lo, boot_hi = _bootstrap(pop, code, exp_pct, explanations)
    bounds = [v for v in (center, human, gpt4, boot_lo, boot_hi) if v is not None]
    spread = max(exp_pct.values()) - min(exp_pct.values())
    disagreement = _disagreement(pop, exp_pct, explanations)
    low, high = min(bounds), max(bounds)
    summary = (
        f"Across {len(exp_pct)} methods this occupation sits at the {ordinal(center)} exposure "
        f"percentile (interval {low:.0f}-{high:.0f}); the methods span {spread:.0f} points."
    )
    return Consensus(
        code=code,
        exposure_percentile=center,
        low=low,
        high=high,
        with_human_labels=human,
        with_gpt4_labels=gpt4,
        bootstrap_low=boot_lo,
        bootstrap_high=boot_hi,
        spread=spread,
        n_methods=len(exp_pct),
        methods=methods,
        disagreement=disagreement,
        summary=summary,
    )


def _method_value(pop: _Population, code: str, name: str, in_set: bool) -> MethodValue:
    m = REGISTRY[name]
    at = pop.position[code]
    value_col, n_tasks_col, note_col, label_cols = pop.method_columns(name)
    pct = opt_float(pop.pct[name][at])
    raw_pct = None if pct is None else (100.0 - pct if m.direction is Direction.RESISTANCE else pct)
    label = None
    for values in label_cols:
        text = opt_str(values[at])
        if text:
            label = text
            break
    title, family, direction, unit = pop.described(name)
    return MethodValue(
        method=name,
        title=title,
        family=family,
        direction=direction,
        unit=unit,
        value=opt_float(value_col[at]),
        percentile=raw_pct,
        exposure_percentile=pct,
        label=label,
        n_tasks=int(opt_float(n_tasks_col[at]) or 0),
        note=opt_str(note_col[at]) or "",
        in_consensus=in_set and pct is not None,
    )


def _rater_values(
    pop: _Population, code: str, exp_pct: dict[str, float]
) -> tuple[float | None, float | None]:
    swaps = {h: g for h, g in RATER_SWAPS.items() if h in exp_pct and g in pop.pct}
    if not swaps:
        return None, None
    human = float(np.mean(list(exp_pct.values())))
    swapped = dict(exp_pct)
    for h, g in swaps.items():
        twin = opt_float(pop.pct[g][pop.position[code]])
        if twin is not None:
            swapped[h] = twin
    return human, float(np.mean(list(swapped.values())))


def _task_scores(exp: Explanation) -> tuple[np.ndarray, np.ndarray] | None:
    if not exp.additive or not exp.tasks:
        return None
    w = np.array([t.time_share for t in exp.tasks], dtype=float)
    c = np.array([t.contribution for t in exp.tasks], dtype=float)
    s = np.divide(c, w, out=np.zeros_like(c), where=w > 0)
    return w, s


def _bootstrap(
    pop: _Population,
    code: str,
    exp_pct: dict[str, float],
    explanations: dict[str, Explanation],
) -> tuple[float | None, float | None]:
    varied = []
    for j, name in enumerate(exp_pct):
        exp = explanations.get(name)
        ws = _task_scores(exp) if exp is not None else None
        if ws is not None and len(ws[0]) >= 2:
            varied.append((j, name, *ws))
    if not varied:
        return None, None
    draws = np.tile(np.array(list(exp_pct.values())), (BOOTSTRAP_DRAWS, 1))
    all_counts = _resample_counts(tuple(len(w) for _, _, w, _ in varied))
    for (j, name, w, s), counts in zip(varied, all_counts, strict=True):
        den = counts @ w
        vals = np.divide(counts @ (w * s), den, out=np.full(den.shape, np.nan), where=den > 0)
        p = _percentile_of(pop.sorted_onet[name], vals)
        if REGISTRY[name].direction is Direction.RESISTANCE:
            p = 100.0 - p
        draws[:, j] = np.where(np.isnan(p), draws[:, j], p)
    means = draws.mean(axis=1)
    lo, hi = np.percentile(means, INTERVAL)
    return float(lo), float(hi)


@functools.lru_cache(maxsize=64)
def _resample_counts(n_tasks: tuple[int, ...]) -> tuple[np.ndarray, ...]:
    """The bootstrap's task counts for methods with these numbers of tasks, in order: one
    generator seeded with :data:`SEED` draws them in turn, so the draws depend on the numbers
    alone, and a batch of roles (or the same occupation again) reuses them (read-only)."""
    rng = np.random.default_rng(SEED)
    out = []
    for n in n_tasks:
        counts = rng.multinomial(n, np.full(n, 1.0 / n), size=BOOTSTRAP_DRAWS)
        counts.setflags(write=False)
        out.append(counts)
    return tuple(out)


def _normalized(exp: Explanation, method: Method) -> dict[int | None, tuple[float, TaskGapInput]]:
    lo, hi = method.score_range
    out: dict[int | None, tuple[float, TaskGapInput]] = {}
    ws = _task_scores(exp)
    if ws is None:
        return out
    for t, s in zip(exp.tasks, ws[1], strict=True):
        x = (float(s) - lo) / (hi - lo)
        if method.direction is Direction.RESISTANCE:
            x = 1.0 - x
        out[t.task_id] = (min(max(x, 0.0), 1.0), TaskGapInput(t.task, t.time_share))
    return out


@dataclass(frozen=True)
class TaskGapInput:
    task: str
    time_share: float


def _disagreement(
    pop: _Population, exp_pct: dict[str, float], explanations: dict[str, Explanation]
) -> Disagreement | None:
    if len(exp_pct) < 2:
        return None
    a = max(exp_pct, key=lambda k: exp_pct[k])
    b = min(exp_pct, key=lambda k: exp_pct[k])
    gap = exp_pct[a] - exp_pct[b]
    na = _normalized(explanations[a], REGISTRY[a]) if a in explanations else {}
    nb = _normalized(explanations[b], REGISTRY[b]) if b in explanations else {}
    rows: list[TaskGap] = []
    for tid in set(na) | set(nb):
        sa = na.get(tid)
        sb = nb.get(tid)
        info = (sa or sb)[1]  # type: ignore[index]
        xa = sa[0] if sa else None
        xb = sb[0] if sb else None
        if xa is not None and xb is not None:
            g = xa - xb
        elif xa is not None:
            g = xa - exp_pct[b] / 100.0
        else:
            g = exp_pct[a] / 100.0 - (xb or 0.0)
        rows.append(TaskGap(tid, info.task, info.time_share, xa, xb, g))
    rows.sort(key=lambda r: -(r.gap * r.time_share))
    ta, tb = REGISTRY[a].title, REGISTRY[b].title
    if rows:
        why = "; the tasks below score high under the first and low under the second"
    else:
        why = "; both are occupation-level measures, so no task explains the gap"
    return Disagreement(
        method_a=a,
        method_b=b,
        percentile_a=exp_pct[a],
        percentile_b=exp_pct[b],
        gap=gap,
        tasks=tuple(rows[:5]),
        summary=(
            f"{ta} puts it at the {ordinal(exp_pct[a])} exposure percentile, {tb} at the "
            f"{ordinal(exp_pct[b])} ({gap:.0f} points apart){why}."
        ),
    )
