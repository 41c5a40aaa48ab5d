"""The task matrix's per-task signals and axes (page 002; see :mod:`jobrisk.methods.task_matrix`).

Every 0-1 signal the four axes read (E- and T-labels, Microsoft applicability, Anthropic
penetration and automation share, O*NET physical DWAs, job zone, task type, judgment verbs),
and the axes as weighted means of the signals present. :class:`TaskInputs` holds what does not
depend on a parameter (the rater-free signals among it), read once per evidence and shared by
both raters' matrices. Everything is a numpy column aligned with the evidence's task rows: a
custom role has a handful of tasks, where pandas' per-operation cost would dominate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from jobrisk.errors import DataError
from jobrisk.methods.sums import group_sums

__all__ = [
    "AXES",
    "JUDGMENT_VERBS",
    "T_SCORES",
    "TaskInputs",
    "rater_free_signals",
    "task_axes",
    "task_signals",
]

Floats = npt.NDArray[np.float64]
Objects = npt.NDArray[np.object_]

# Eloundou et al.'s T0-T4 automation levels, equally spaced (the rubric is ordinal).
T_SCORES = {"T0": 0.0, "T1": 0.25, "T2": 0.5, "T3": 0.75, "T4": 1.0}
# The largest per-task Microsoft applicability in the data (0.721): the best-covered task = 1.
APPLICABILITY_CEILING = 0.72
# Leading verbs of O*NET task statements that name judgment: the verbs of the six O*NET work
# activities on judgment (Judging Qualities; Making Decisions; Developing Objectives and
# Strategies; Resolving Conflicts and Negotiating; Guiding, Directing and Motivating;
# Providing Consultation and Advice) whose tasks sit at least half in those activities'
# DWAs (76% as a list, against 19% of all tasks). The measurement is in the docs.
JUDGMENT_VERBS = frozenset(
    [
        "advise",
        "appraise",
        "approve",
        "arbitrate",
        "assess",
        "authorize",
        "counsel",
        "determine",
        "diagnose",
        "direct",
        "evaluate",
        "judge",
        "mediate",
        "negotiate",
        "oversee",
        "recommend",
        "supervise",
    ]
)

# Axis weights over the signals that are present (a missing signal drops out and the rest are
# renormalized). The evidence for each weight is in docs/methods/task_matrix.md.
CAPABILITY_WEIGHTS = {"s_label": 0.5, "s_applicability": 0.3, "s_penetration": 0.2}
RELIABILITY_WEIGHTS = {"s_t_level": 0.6, "s_automation": 0.4}
CONTEXT_WEIGHTS = {"s_physical": 0.45, "s_zone": 0.25, "s_unused": 0.2, "s_core": 0.1}
AMBIGUITY_WEIGHTS = {"s_zone": 0.35, "s_e0_desk": 0.35, "s_judgment_verb": 0.3}
AXES = ("capability", "reliability", "context", "ambiguity")

_JUDGMENT = re.compile(r"^\W*(?:" + "|".join(sorted(JUDGMENT_VERBS)) + r")\b", re.IGNORECASE)


def _weighted(signals: dict[str, Floats], weights: dict[str, float]) -> Floats:
    n = len(next(iter(signals.values())))
    num = np.zeros(n)
    den = np.zeros(n)
    for column, weight in weights.items():
        values = signals[column]
        known = ~np.isnan(values)
        num += weight * np.where(known, values, 0.0)
        den += weight * known
    with np.errstate(invalid="ignore", divide="ignore"):
        out: Floats = np.where(den > 0, num / den, np.nan)
    return out


def _missing(values: Any) -> bool:
    return values is None or values is pd.NA or (isinstance(values, float) and values != values)


def _by_code_sums(
    values: Floats,
    group: npt.NDArray[np.intp],
    n_groups: int,
    code: npt.NDArray[np.intp],
    task_id: Floats,
) -> Floats:
    """Per (code, task) group: the sum of ``values`` as pandas' groupby by (code, task_id) gives
    it on that code's rows alone (:func:`~jobrisk.methods.sums.group_sums`).

    pandas picks its summation once for a whole frame (rows in key order or not); picking it
    per code keeps the sums it gave the O*NET evidence and a role scored alone, and makes a
    unit's sums independent of the other units beside it (a batch of roles, a role appended).
    """
    order = np.argsort(code, kind="stable")  # each code's rows together, in row order
    c, t = code[order], task_id[order]
    unordered = np.unique(c[1:][(c[1:] == c[:-1]) & (t[1:] < t[:-1])])
    in_order = ~np.isin(c, unordered)
    v, g = values[order], group[order]
    return group_sums(v, np.where(in_order, g, -1), n_groups, sorted_keys=True) + group_sums(
        v, np.where(in_order, -1, g), n_groups, sorted_keys=False
    )


def _usage_by_task(
    tasks: pd.DataFrame, usage: pd.DataFrame
) -> tuple[npt.NDArray[np.bool_], Floats]:
    """Per task: seen in use at all, and the share-weighted automation share of that use."""
    code = usage["code"].to_numpy(dtype=object)
    task_id = usage["task_id"].to_numpy(dtype=float, na_value=np.nan)
    share = usage["share"].to_numpy(dtype=float)
    automation = usage["automation_share"].to_numpy(dtype=float)
    seen = np.flatnonzero(~np.isnan(task_id) & (share > 0))
    groups: dict[tuple[Any, int], int] = {}
    codes: dict[Any, int] = {}
    group = np.full(len(seen), -1, dtype=np.intp)
    code_of = np.full(len(seen), -1, dtype=np.intp)
    for i, row in enumerate(seen.tolist()):
        c = code[row]
        if not _missing(c):
            group[i] = groups.setdefault((c, int(task_id[row])), len(groups))
            code_of[i] = codes.setdefault(c, len(codes))
    known = group >= 0
    seen, group, code_of = seen[known], group[known], code_of[known]
    weight = np.where(np.isnan(automation[seen]), 0.0, share[seen])
    num = np.nan_to_num(automation[seen], nan=0.0) * weight
    num = _by_code_sums(num, group, len(groups), code_of, task_id[seen])
    den = _by_code_sums(weight, group, len(groups), code_of, task_id[seen])
    with np.errstate(invalid="ignore", divide="ignore"):
        by_group = np.where(den > 0, num / den, np.nan)
    task_codes = tasks["code"].to_numpy(dtype=object)
    task_ids = tasks["task_id"].to_numpy(dtype=float, na_value=np.nan)
    at = np.array(
        [
            -1 if np.isnan(t) else groups.get((c, int(t)), -1)
            for c, t in zip(task_codes.tolist(), task_ids.tolist(), strict=True)
        ],
        dtype=np.intp,
    )
    used = at >= 0
    automation = np.full(len(at), np.nan)
    automation[used] = by_group[at[used]]
    return used, automation


def _labels(values: pd.Series) -> Objects:
    """A label column as objects, None where missing."""
    array: Objects = values.to_numpy(dtype=object, copy=True)
    array[pd.isna(array)] = None
    return array


@dataclass(frozen=True, eq=False)
class TaskInputs:
    """Everything per task that no parameter changes, as numpy columns aligned with ``tasks``.

    ``unit`` is each task's position in ``units`` (every task's code must be a unit);
    ``signals`` are :func:`rater_free_signals`; ``labels`` the four Eloundou label columns.
    """

    unit: npt.NDArray[np.intp]
    units: pd.Index
    code: Objects
    task_id: npt.NDArray[Any]
    task: Objects
    time_share: Floats
    physical: npt.NDArray[np.bool_]
    labels: dict[str, Objects]
    signals: dict[str, Floats]
    hourly_wage: Floats

    @classmethod
    def of(cls, tasks: pd.DataFrame, usage: pd.DataFrame, units: pd.DataFrame) -> TaskInputs:
        unit = units.index.get_indexer(pd.Index(tasks["code"]))
        if (unit < 0).any():
            raise DataError(
                f"{int((unit < 0).sum())} task rows name a code missing from the units",
                hint="build the evidence so that every task's code is a unit",
            )
        physical = tasks["physical"].astype(bool).to_numpy()
        return cls(
            unit=unit,
            units=units.index,
            code=tasks["code"].to_numpy(dtype=object),
            task_id=tasks["task_id"].to_numpy(),
            task=tasks["task"].to_numpy(dtype=object),
            time_share=tasks["time_share"].to_numpy(dtype=float),
            physical=physical,
            labels={c: _labels(tasks[c]) for c in ("human_e", "gpt4_e", "human_t", "gpt4_t")},
            signals=rater_free_signals(tasks, usage, units, unit, physical),
            hourly_wage=units["hourly_median_wage"].to_numpy(dtype=float)[unit],
        )


def rater_free_signals(
    tasks: pd.DataFrame,
    usage: pd.DataFrame,
    units: pd.DataFrame,
    unit: npt.NDArray[np.intp],
    physical: npt.NDArray[np.bool_],
) -> dict[str, Floats]:
    """The signals that do not depend on the rater, one value per task (aligned with ``tasks``,
    whose rows sit at positions ``unit`` of ``units``): both raters' task matrices share them."""
    used, automation = _usage_by_task(tasks, usage)
    zone = pd.to_numeric(units["job_zone"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    zone = zone[unit]
    applicability = tasks["task_applicability"].to_numpy(dtype=float, na_value=np.nan)
    task_type = tasks["task_type"].to_numpy(dtype=object)
    texts = tasks["task"].to_numpy(dtype=object).tolist()
    judgment = [isinstance(t, str) and _JUDGMENT.match(t) is not None for t in texts]
    return {
        "s_applicability": np.minimum(applicability / APPLICABILITY_CEILING, 1.0),
        "s_penetration": tasks["penetration"].to_numpy(dtype=float, na_value=np.nan),
        "s_automation": automation,
        "s_physical": physical.astype(float),
        "s_zone": (zone - 1.0) / 4.0,
        "s_unused": (~used).astype(float),
        "s_core": (task_type == "Core").astype(float),
        "s_judgment_verb": np.array(judgment, dtype=float),
        "job_zone": zone,
    }


def _mapped(labels: Objects, scores: dict[str, float]) -> Floats:
    return np.array([scores.get(x, np.nan) for x in labels.tolist()], dtype=float)


def task_signals(inputs: TaskInputs, rater: str, e2_credit: float) -> dict[str, Any]:
    """Every 0-1 signal the axes read, one value per task, with the E- and T-label they came
    from (``label``, ``t_label``): the human label, else GPT-4's, or GPT-4's only."""
    lab = inputs.labels
    if rater == "human":
        label = np.where(pd.isna(lab["human_e"]), lab["gpt4_e"], lab["human_e"])
        t_label = np.where(pd.isna(lab["human_t"]), lab["gpt4_t"], lab["human_t"])
    else:
        label, t_label = lab["gpt4_e"], lab["gpt4_t"]
    free = inputs.signals
    has_label = ~pd.isna(label)
    e0 = label == "E0"
    return {
        "label": label,
        "t_label": t_label,
        "s_label": _mapped(label, {"E0": 0.0, "E1": 1.0, "E2": e2_credit}),
        "s_applicability": free["s_applicability"],
        "s_penetration": free["s_penetration"],
        "s_t_level": _mapped(t_label, T_SCORES),
        "s_automation": free["s_automation"],
        "s_physical": free["s_physical"],
        "s_zone": free["s_zone"],
        "s_unused": free["s_unused"],
        "s_core": free["s_core"],
        "s_e0_desk": np.where(has_label, (e0 & ~inputs.physical).astype(float), np.nan),
        "s_judgment_verb": free["s_judgment_verb"],
        "job_zone": free["job_zone"],
    }


def task_axes(signals: dict[str, Any]) -> dict[str, Floats]:
    """The four axes, each a weighted mean of the signals present."""
    return {
        "capability": _weighted(signals, CAPABILITY_WEIGHTS),
        "reliability": _weighted(signals, RELIABILITY_WEIGHTS),
        "context": _weighted(signals, CONTEXT_WEIGHTS),
        "ambiguity": _weighted(signals, AMBIGUITY_WEIGHTS),
    }
