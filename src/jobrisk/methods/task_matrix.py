"""The task matrix (page 002): four axes per task, four cells, the week, the AI cost of an hour.

Each task gets four axes scored 0-1 from the evidence (see ``docs/methods/task_matrix.md``):

- capability: can AI do it (E-label, Microsoft applicability, Anthropic penetration);
- reliability: does it do it right without close review (T-level, automation share of use);
- context: how much local, tacit context it needs (physical, job zone, no observed use, core);
- ambiguity: how much irreducible judgment (job zone, E0 on a desk task, judgment verbs).

A decision list on the axes puts the task in one of four cells (:class:`Cell`); an occupation
gets the time-weighted share of its week in each cell, a headline cell (the largest share) and
the operational AI cost of an AI-handled task-hour (:mod:`jobrisk.methods.ai_cost`).

    >>> m = TaskMatrix()  # doctest: +SKIP
    >>> m.score_evidence(ev).loc["15-2051.00", ["value", "cell"]]  # doctest: +SKIP
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from jobrisk.methods.ai_cost import (
    COST_CEILING,
    COST_PARAMETERS,
    CostModel,
    cost_columns,
)
from jobrisk.methods.base import (
    Direction,
    Explanation,
    Family,
    Method,
    Parameter,
    TaskContribution,
)
from jobrisk.methods.evidence import Evidence
from jobrisk.methods.task_signals import (
    AXES,
    JUDGMENT_VERBS,
    T_SCORES,
    TaskInputs,
    task_axes,
    task_signals,
)
from jobrisk.methods.unit_rows import table_row

__all__ = [
    "AXES",
    "JUDGMENT_VERBS",
    "T_SCORES",
    "AICostPerTaskHour",
    "Cell",
    "CellRule",
    "TaskInputs",
    "TaskMatrix",
    "TaskRows",
    "matrix_rows",
    "occupation_table",
    "task_axes",
    "task_signals",
]


class Cell(StrEnum):
    REPLACEABLE = "Replaceable"
    AI_AUGMENTED = "AI-augmented"
    HUMAN_LED = "Human-led + AI-assisted"
    HUMAN_CRITICAL = "Human-critical"


SHARE_COLUMNS: dict[Cell, str] = {
    Cell.REPLACEABLE: "share_replaceable",
    Cell.AI_AUGMENTED: "share_ai_augmented",
    Cell.HUMAN_LED: "share_human_led",
    Cell.HUMAN_CRITICAL: "share_human_critical",
}
AI_CELLS = (Cell.REPLACEABLE, Cell.AI_AUGMENTED)
# The headline is the largest share; an exact tie goes to the cell that claims less for AI.
HEADLINE_TIE_ORDER = (Cell.HUMAN_CRITICAL, Cell.HUMAN_LED, Cell.AI_AUGMENTED, Cell.REPLACEABLE)
UNSCORED = "unscored"


def _threshold(name: str, default: float, description: str) -> Parameter:
    return Parameter(name, default, description, bounds=(0.0, 1.0))


MATRIX_PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "rater",
        "human",
        "whose E- and T-labels: human (falling back to GPT-4 where a task has none) or gpt4",
        choices=("human", "gpt4"),
    ),
    _threshold(
        "e2_credit", 0.5, "capability credit of an E2 label (E1 = 1); 0.5 is Eloundou's beta"
    ),
    _threshold("capability_floor", 0.15, "below it a task is Human-critical: AI does not reach it"),
    _threshold("ambiguity_critical", 0.65, "at or above it a task is Human-critical"),
    _threshold("capability_replace", 0.6, "Replaceable needs capability at or above it"),
    _threshold("reliability_replace", 0.75, "Replaceable needs reliability at or above it (T3)"),
    _threshold("context_replace", 0.4, "Replaceable needs context at or below it"),
    _threshold("ambiguity_replace", 0.35, "Replaceable needs ambiguity at or below it"),
    _threshold("capability_augment", 0.4, "AI-augmented needs capability at or above it"),
    _threshold("reliability_augment", 0.5, "AI-augmented needs reliability at or above it (T2)"),
    _threshold("context_augment", 0.7, "AI-augmented needs context below it"),
)


@dataclass(frozen=True)
class CellRule:
    """The decision list that turns four axes into a cell, first match wins.

    1. no capability or no reliability evidence: unscored (left out of the week);
    2. capability < floor: Human-critical (AI does not reach the task);
    3. ambiguity >= critical: Human-critical (irreducible judgment);
    4. not E0, capability, reliability high, context, ambiguity low: Replaceable;
    5. not E0, capability, reliability at least middling, context below high: AI-augmented;
    6. otherwise: Human-led + AI-assisted.

    An E0 task (an LLM, even with tools, cannot halve its time) is never in an AI-led cell:
    if AI cannot save half the time it is not doing most of the task.
    """

    capability_floor: float
    ambiguity_critical: float
    capability_replace: float
    reliability_replace: float
    context_replace: float
    ambiguity_replace: float
    capability_augment: float
    reliability_augment: float
    context_augment: float

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> CellRule:
        return cls(**{f: float(params[f]) for f in cls.__dataclass_fields__})

    def assign(self, axes: Mapping[str, Any], label: Any) -> dict[str, npt.NDArray[np.str_]]:
        """``cell`` and ``rule`` (which step decided) per row of ``axes``."""
        cap, rel, ctx, amb = (np.asarray(axes[a], dtype=float) for a in AXES)
        ai_led_allowed = np.asarray(label, dtype=object) != "E0"
        steps = [
            (np.isnan(cap) | np.isnan(rel), UNSCORED, "no capability or reliability evidence"),
            (cap < self.capability_floor, Cell.HUMAN_CRITICAL, "capability below the floor"),
            (
                amb >= self.ambiguity_critical,
                Cell.HUMAN_CRITICAL,
                "ambiguity at the critical level",
            ),
            (
                ai_led_allowed
                & (cap >= self.capability_replace)
                & (rel >= self.reliability_replace)
                & (ctx <= self.context_replace)
                & (amb <= self.ambiguity_replace),
                Cell.REPLACEABLE,
                "all four axes clear Replaceable's bars",
            ),
            (
                ai_led_allowed
                & (cap >= self.capability_augment)
                & (rel >= self.reliability_augment)
                & (ctx < self.context_augment),
                Cell.AI_AUGMENTED,
                "capable and reliable enough, context not too high",
            ),
        ]
        held_back = [
            (~ai_led_allowed, "E0 label: AI cannot halve its time"),
            (cap < self.capability_augment, "capability below AI-augmented's bar"),
            (rel < self.reliability_augment, "reliability below AI-augmented's bar"),
        ]
        conditions = [s[0].astype(bool) for s in steps]
        cell = np.select(conditions, [str(s[1]) for s in steps], default=str(Cell.HUMAN_LED))
        why_led = np.select(
            [h[0].astype(bool) for h in held_back],
            [h[1] for h in held_back],
            default="context at or above AI-augmented's bar",
        )
        rule = np.select(conditions, [s[2] for s in steps], default=why_led)
        return {"cell": cell, "rule": rule}


@dataclass(frozen=True)
class _Groups:
    """Rows grouped by their position in a unit index (sums by ``np.bincount``: fast)."""

    ids: npt.NDArray[np.intp]
    size: int

    def sums(self, values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Per-unit sums of a task array, NaN rows skipped."""
        known = np.where(np.isnan(values), 0.0, values)  # finite or NaN: nan_to_num is slower
        return np.bincount(self.ids, weights=known, minlength=self.size).astype(float, copy=False)


@dataclass(frozen=True, eq=False)
class TaskRows:
    """One row per task (aligned with the evidence's tasks) as named numpy columns: signals,
    axes, cell, rule, week share (of scored time) and cost lines; :meth:`frame` as a table."""

    columns: dict[str, npt.NDArray[Any]]
    inputs: TaskInputs

    def __getitem__(self, column: str) -> npt.NDArray[Any]:
        return self.columns[column]

    def of_unit(self, code: str) -> npt.NDArray[np.intp]:
        """Positions of one unit's tasks, in evidence order."""
        return np.flatnonzero(self.inputs.unit == self.inputs.units.get_loc(code))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.columns)


def matrix_rows(inputs: TaskInputs, params: dict[str, Any]) -> TaskRows:
    """One row per task: signals, axes, cell, week share (of scored time) and cost lines."""
    signals = task_signals(inputs, params["rater"], float(params["e2_credit"]))
    axes = task_axes(signals)
    cells = CellRule.from_params(params).assign(axes, signals["label"])
    scored = cells["cell"] != UNSCORED
    time_share = inputs.time_share
    groups = _Groups(inputs.unit, len(inputs.units))
    scored_time = groups.sums(np.where(scored, time_share, 0.0))[inputs.unit]
    with np.errstate(invalid="ignore", divide="ignore"):
        week = np.where(scored & (scored_time > 0), time_share / scored_time, np.nan)
    reliability = np.where(scored, axes["reliability"], np.nan)
    cost = CostModel.from_params(params).task_lines(reliability, inputs.hourly_wage)
    base = {
        "code": inputs.code,
        "task_id": inputs.task_id,
        "task": inputs.task,
        "time_share": time_share,
        "week_share": week,
    }
    return TaskRows({**base, **signals, **axes, **cells, **cost}, inputs)


def occupation_table(rows: TaskRows, units: pd.DataFrame, params: dict[str, Any]) -> pd.DataFrame:
    """Aggregate :func:`matrix_rows` to one row per unit (index ``code``)."""
    # numpy columns, one frame at the end: a role is a single unit, where pandas overhead rules
    groups = _Groups(rows.inputs.unit, len(units.index))
    cell = rows["cell"]
    scored = cell != UNSCORED
    week = rows["week_share"]
    n_all = groups.sums(np.ones(len(cell))).round().astype(int)
    n_tasks = groups.sums(scored.astype(float)).round().astype(int)
    has_scores = n_tasks > 0
    out: dict[str, Any] = {"n_tasks": n_tasks}
    for c, column in SHARE_COLUMNS.items():
        in_cell = groups.sums(np.where(cell == str(c), week, np.nan))
        out[column] = np.where(has_scores, in_cell, np.nan)
    out["value"] = np.clip(out["share_replaceable"] + out["share_ai_augmented"], 0.0, 1.0)
    ordered = np.column_stack([out[SHARE_COLUMNS[c]] for c in HEADLINE_TIE_ORDER])
    headline = np.nan_to_num(ordered, nan=-1.0).argmax(axis=1)  # first of equal shares
    out["cell"] = pd.Series(
        [
            str(HEADLINE_TIE_ORDER[i]) if ok else np.nan
            for i, ok in zip(headline, has_scores, strict=True)
        ],
        index=units.index,
        dtype="str",
    )
    for axis in AXES:
        out[axis] = np.where(has_scores, groups.sums(rows[axis] * week), np.nan)
    out["unscored_share"] = groups.sums(np.where(scored, np.nan, rows["time_share"]))
    out["note"] = [
        "no O*NET tasks for this occupation"
        if n == 0
        else "no task has both capability and reliability evidence"
        if k == 0
        else f"{n - k} task(s) without capability or reliability evidence left out "
        f"({share:.1%} of task time); shares are of the remaining time"
        if n > k
        else ""
        for n, k, share in zip(n_all, n_tasks, out["unscored_share"], strict=True)
    ]
    in_scope = [str(c) for c in (AI_CELLS if params["cost_scope"] == "ai_cells" else Cell)]
    no_hours = (
        "no task-time in Replaceable or AI-augmented: no AI-handled hour to cost"
        if params["cost_scope"] == "ai_cells"
        else "no scored task to cost"
    )
    weight = np.where(np.isin(cell, in_scope), week, np.nan)
    model = CostModel.from_params(params)
    costs = cost_columns(rows.columns, weight, groups.sums, units, model, no_hours)
    costs["cost_note"] = [
        note if n == 0 else cost_note
        for n, note, cost_note in zip(n_tasks, out["note"], costs["cost_note"], strict=True)
    ]
    return pd.DataFrame({**out, **costs}, index=units.index)


_SHARED: weakref.WeakKeyDictionary[Evidence, TaskInputs] = weakref.WeakKeyDictionary()


def _shared(ev: Evidence) -> TaskInputs:
    """The evidence's :class:`TaskInputs`, once for both raters and every parameter."""
    if ev not in _SHARED:
        _SHARED[ev] = TaskInputs.of(ev.tasks, ev.usage, ev.units)
    return _SHARED[ev]


# Task rows per evidence and parameters, so an explanation is a lookup, not a recomputation.
_ROWS: weakref.WeakKeyDictionary[Evidence, dict[tuple[str, str], TaskRows]] = (
    weakref.WeakKeyDictionary()
)

_INPUTS = (
    *(
        f"tasks.{c}"
        for c in [
            "time_share",
            "task",
            "task_type",
            "human_e",
            "gpt4_e",
            "human_t",
            "gpt4_t",
            "task_applicability",
            "penetration",
            "physical",
        ]
    ),
    "usage.share",
    "usage.automation_share",
    "units.job_zone",
    "units.hourly_median_wage",
    "units.annual_median_wage",
)
_SOURCES = (
    "eloundou_2023",
    "microsoft_working_with_ai",
    "anthropic_economic_index/labor_market_impacts",
    "anthropic_economic_index/release_2025_03_27",
    "anthropic_economic_index/derived_v3_v5",
    "onet_30_1",
    "onet_task_ratings_derived",
    "bls",
)
_CITATION = (
    "Kondrykau, A. (2026). AI exposure for ML engineers in 2026: the unusual case. Wagecore "
    "(page 002: task matrix and operational AI cost). Axes from Eloundou et al. (2024, Science), "
    "Tomlinson et al. (2025, Working with AI), the Anthropic Economic Index (2025-2026), "
    "O*NET 30.1; wages BLS OEWS May 2025, loading BLS ECEC June 2025."
)


def _none(value: Any) -> Any:
    # ``value != value``: NaN, as np.isnan says for a float, without its per-call cost
    return None if isinstance(value, float) and value != value else value


def _in_cells(cells: npt.NDArray[Any], among: tuple[Cell, ...]) -> npt.NDArray[np.bool_]:
    """``np.isin(cells, among)`` for a few tasks, without its per-call cost."""
    found = np.zeros(len(cells), dtype=bool)
    for cell in among:
        found |= cells == str(cell)
    return found


_NOT_DETAIL = frozenset({"code", "task_id", "task", "time_share", "week_share"})


def _task_detail(row: dict[str, Any]) -> dict[str, Any]:
    """Every signal, axis, the cell, its rule and the cost lines of one task row."""
    detail = {str(k): _none(v) for k, v in row.items() if k not in _NOT_DETAIL}
    detail["onet_time_share"] = float(row["time_share"])
    return detail


class TaskMatrix(Method):
    """Share of the week in the Replaceable and AI-augmented cells of page 002's task matrix.

    Source: page 002 (Wagecore, "AI exposure for ML engineers in 2026"): four axes per task
    (capability, reliability, context, ambiguity), four cells (Replaceable, AI-augmented,
    Human-led + AI-assisted, Human-critical), the time-weighted week and the operational AI
    cost of a task-hour. The page publishes no axis rule, weight or threshold, so this method
    deviates by construction: the axes are weighted means of open task signals (Eloundou E- and
    T-labels, Microsoft applicability, Anthropic penetration and automation share, O*NET
    physical DWAs, job zone, task type, judgment verbs), the cell is a documented decision list
    (:class:`CellRule`), and the week uses O*NET 30.1 time shares; see
    ``docs/methods/task_matrix.md``. Extra columns give the four shares, the headline ``cell``
    (largest share), the time-weighted axes and the cost of an AI-handled task-hour.
    """

    key = "task_matrix"
    label = "Task matrix: share of the week AI-led"
    family = Family.PAGE
    citation = _CITATION
    source_ids = _SOURCES
    inputs = _INPUTS
    score_range = (0.0, 1.0)
    direction = Direction.EXPOSURE
    unit = "share of the week in Replaceable + AI-augmented (0-1)"
    parameters = MATRIX_PARAMETERS + COST_PARAMETERS

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        CostModel.from_params(self.params)
        # the matrix these parameters read (itself for a TaskMatrix), made once, not per call
        self._matrix_method = self if type(self) is TaskMatrix else TaskMatrix(**self.params)

    @property
    def name(self) -> str:
        return self.key if self.params["rater"] == "human" else f"{self.key}_gpt4"

    @property
    def title(self) -> str:
        return self.label if self.params["rater"] == "human" else f"{self.label} (GPT-4 labels)"

    def _matrix(self, ev: Evidence) -> pd.DataFrame:
        return self._matrix_method.memoized_scores(ev)

    def _rows(self, ev: Evidence) -> TaskRows:
        """Every task's row for these parameters, computed once per evidence."""
        memo = _ROWS.get(ev)
        if memo is None:
            memo = _ROWS.setdefault(ev, {})
        key = self._matrix_method._memo_key()  # the task rows belong to the matrix
        if key not in memo:
            memo[key] = matrix_rows(_shared(ev), self.params)
        return memo[key]

    def compute(self, ev: Evidence) -> pd.DataFrame:
        rows = matrix_rows(_shared(ev), self.params)
        _ROWS.setdefault(ev, {})[self._matrix_method._memo_key()] = rows
        return occupation_table(rows, ev.units, self.params)

    def _one(
        self, ev: Evidence, code: str
    ) -> tuple[dict[str, npt.NDArray[Any]], Mapping[str, Any]]:
        """The unit's task rows (columns of its tasks only) and its row of the scores."""
        # the scores first: computing them memoizes the task rows, which are then a lookup
        occ = table_row(ev, self._matrix(ev), code)
        rows = self._rows(ev)
        at = rows.of_unit(code)
        # a unit's rows are one run in the evidence: a slice is a view, not a gathered copy
        run = slice(at[0], at[-1] + 1) if len(at) and at[-1] - at[0] + 1 == len(at) else at
        return {name: column[run] for name, column in rows.columns.items()}, occ

    @staticmethod
    def _cost_sentence(occ: Mapping[str, Any]) -> str:
        if pd.isna(occ["ai_cost_per_hour"]):
            return f"No AI cost: {occ['cost_note']}."
        return (
            f"An AI-handled task-hour costs ${occ['ai_cost_per_hour']:.2f} (inference "
            f"${occ['inference_per_hour']:.2f}, oversight {occ['oversight_minutes_per_hour']:.0f}"
            f" min = ${occ['oversight_per_hour']:.2f}, errors ${occ['error_cost_per_hour']:.2f}),"
            f" {occ['ai_cost_share']:.0%} of the human hour (${occ['human_cost_per_hour']:.2f}"
            " loaded)."
        )

    def _week_sentence(self, occ: Mapping[str, Any]) -> str:
        parts = ", ".join(f"{cell} {occ[column]:.0%}" for cell, column in SHARE_COLUMNS.items())
        return f"Headline {occ['cell']}: {parts} of the week over {occ['n_tasks']} tasks."

    def _explanation(
        self,
        code: str,
        rows: dict[str, npt.NDArray[Any]],
        occ: Mapping[str, Any],
        value: float,
        weights: npt.NDArray[np.float64],
    ) -> Explanation:
        tasks = []
        names = list(rows)
        columns = [column.tolist() for column in rows.values()]
        records = [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]
        for row, weight in zip(records, weights.tolist(), strict=True):
            week = row["week_share"]
            tasks.append(
                TaskContribution(
                    task_id=None if pd.isna(row["task_id"]) else int(row["task_id"]),
                    task=str(row["task"]),
                    time_share=0.0 if pd.isna(week) else float(week),
                    contribution=float(weight),
                    detail=_task_detail(row),
                )
            )
        scored = occ["n_tasks"] > 0
        summary = (
            f"{self._week_sentence(occ)} {self._cost_sentence(occ)}" if scored else str(occ["note"])
        )
        return Explanation(
            method=self.name,
            code=code,
            value=None if pd.isna(value) else float(value),
            label=None if pd.isna(occ["cell"]) else str(occ["cell"]),
            summary=summary,
            additive=True,
            tasks=tuple(sorted(tasks, key=lambda t: -t.time_share)),
            inputs={
                **self.params,
                "hourly_wage": _none(float(occ["hourly_wage"])),
                "shares": {str(c): _none(float(occ[col])) for c, col in SHARE_COLUMNS.items()},
            },
            notes=tuple(n for n in (str(occ["note"]), str(occ["cost_note"])) if n),
        )

    def contributions(self, ev: Evidence, code: str) -> Explanation:
        rows, occ = self._one(ev, code)
        in_ai = _in_cells(rows["cell"], AI_CELLS)
        weights = np.nan_to_num(np.where(in_ai, rows["week_share"], 0.0), nan=0.0)
        return self._explanation(code, rows, occ, occ["value"], weights)


class AICostPerTaskHour(TaskMatrix):
    """Operational AI cost of an AI-handled task-hour, in dollars (page 002's cost line).

    Source: page 002 (Wagecore): AI cost of a task-hour = inference + oversight minutes x
    loaded hourly wage + expected downstream error cost. The page gives no numbers for its
    parameters, so this method deviates by stating its own (``jobrisk.methods.ai_cost``):
    BLS OEWS May 2025 median hourly wage x a loading factor from BLS ECEC June 2025 (1.455),
    inference from Claude Code's published cost per developer day, oversight minutes and
    escaped errors falling linearly with the task matrix's reliability axis, a stated cost per
    error. The value averages the task-hours in Replaceable and AI-augmented (``cost_scope``);
    ``ai_cost_share`` compares it with the loaded human hour. No wage, no cost: an occupation
    without a BLS hourly median (teachers, pilots: annual only) is NaN with a note.
    Higher means AI is the costlier substitute for that hour, hence direction RESISTANCE.
    """

    key = "ai_cost_per_task_hour"
    label = "Operational AI cost of a task-hour"
    score_range = (0.0, COST_CEILING)
    direction = Direction.RESISTANCE
    unit = "US dollars per AI-handled task-hour"

    def compute(self, ev: Evidence) -> pd.DataFrame:
        out = self._matrix(ev).copy()
        out["ai_share"] = out["value"]
        out["value"] = out["ai_cost_per_hour"]
        out["note"] = out["cost_note"].where(out["value"].isna(), out["note"])
        return out

    def contributions(self, ev: Evidence, code: str) -> Explanation:
        rows, occ = self._one(ev, code)
        scope = (
            _in_cells(rows["cell"], AI_CELLS)
            if self.params["cost_scope"] == "ai_cells"
            else rows["cell"] != UNSCORED
        )
        weight = np.nan_to_num(np.where(scope, rows["week_share"], 0.0), nan=0.0)
        total = float(weight.sum())
        value = occ["ai_cost_per_hour"]
        weights = (
            np.nan_to_num(weight / total * rows["ai_cost"], nan=0.0)
            if total > 0 and not pd.isna(value)
            else weight * 0.0
        )
        return self._explanation(code, rows, occ, value, weights)
