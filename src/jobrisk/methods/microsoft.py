"""Tomlinson et al. (2025) AI applicability: the published SOC score, explained by its tasks."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from jobrisk.methods.base import Explanation, TaskContribution
from jobrisk.methods.evidence import Evidence
from jobrisk.methods.indices import OccupationMeasure
from jobrisk.methods.sums import FloatArray, IntArray, group_sums
from jobrisk.methods.unit_rows import task_keys
from jobrisk.published import COVERAGE_THRESHOLD

__all__ = ["MicrosoftApplicability"]


def task_term_mean(ev: Evidence, column: str) -> tuple[FloatArray, IntArray]:
    """Per unit: the time-weighted mean of a task-level term over the tasks that carry it (NaN
    without one), and how many carry it; summed as ``base.weighted_mean``'s groupby sums."""
    keys = task_keys(ev)
    n = len(ev.units)
    values = keys.numbers(column)
    weights = keys.numbers("time_share")
    known = ~np.isnan(values)
    num = group_sums(
        np.where(known, values, 0.0) * weights, keys.unit, n, sorted_keys=keys.in_order
    )
    den = group_sums(np.where(known, weights, 0.0), keys.unit, n, sorted_keys=keys.in_order)
    mean = num / np.where(den > 0, den, np.nan)
    return mean, np.bincount(keys.unit[known & (keys.unit >= 0)], minlength=n)


def task_explanation(
    ev: Evidence, code: str, column: str, detail: tuple[str, ...] = ()
) -> tuple[tuple[TaskContribution, ...], float | None, int]:
    """The unit's tasks with ``column`` known: contribution = time share (renormalized over
    them) x term.

    Returns the contributions (largest first), their sum (the time-weighted task mean, or None)
    and the number of tasks left out because they lack the term.
    """
    keys = task_keys(ev)
    rows = keys.rows(code)
    term = keys.numbers(column)[rows]
    known = ~np.isnan(term)
    at = rows[known]
    time_share = keys.numbers("time_share")[at]
    total = float(time_share.sum())
    if not len(at) or total <= 0:
        return (), None, len(rows)
    contributions = [
        TaskContribution(
            task_id=int(task_id),
            task=str(text),
            time_share=float(share),
            contribution=float(share) / total * float(value),
            detail={column: float(value), **dict(zip(detail, extra, strict=True))},
        )
        for task_id, text, share, value, *extra in zip(
            keys.column("task_id")[at].tolist(),
            keys.column("task")[at].tolist(),
            time_share.tolist(),
            term[known].tolist(),
            *(keys.column(k)[at].tolist() for k in detail),
            strict=True,
        )
    ]
    mean = sum(t.contribution for t in contributions)
    return tuple(sorted(contributions, key=lambda t: -t.contribution)), mean, len(rows) - len(at)


class TaskExplainedMeasure(OccupationMeasure):
    """A published occupation measure shown beside the time-weighted mean of a task-level term
    (``task_term``): ``task_mean`` and ``n_tasks`` columns."""

    task_term: ClassVar[str]

    def _columns(self, ev: Evidence) -> dict[str, Any]:
        columns = super()._columns(ev)
        mean, n = task_term_mean(ev, self.task_term)
        columns["task_mean"] = mean
        columns["n_tasks"] = n
        return columns


class MicrosoftApplicability(TaskExplainedMeasure):
    """AI applicability: where Bing Copilot conversations succeed at an occupation's work
    activities, with enough scope and coverage.

    Source: Tomlinson, Jaffe, Wang, Counts, Suri (2025), "Working with AI", arXiv:2507.07935;
    ``soc_ai_applicability_scores.csv``, which Equation 1 of the data README rebuilds exactly:
    per SOC code, the IWA-weight-weighted sum of completion x impact scope x 1[share > 0.0005],
    averaged over the user-goal and AI-action sides. ``value`` is that published score on the
    SOC 2018 code, so it reproduces the file for every O*NET occupation that is its SOC code's
    only one (``exact``); it deviates where one SOC code holds several O*NET occupations
    (``split``: each gets the SOC's score). The explanation deviates further: the source's IWA
    weights are per SOC, not per task, so each task shows the mean of Equation 1's per-IWA
    term over the task's IWAs, weighted by the task's O*NET 30.1 time share; that task mean
    (``task_mean`` column) is shown beside the published value, not added up to it.
    """

    key = "microsoft_ai_applicability"
    label = "Microsoft AI applicability (Tomlinson et al.)"
    citation = (
        "Tomlinson, K., Jaffe, S., Wang, W., Counts, S., Suri, S. (2025). Working with AI: "
        "Measuring the Applicability of Generative AI to Occupations. arXiv:2507.07935."
    )
    source_ids = ("microsoft_working_with_ai",)
    inputs = (
        "measures.value",
        "measures.match_quality",
        "tasks.task_applicability",
        "tasks.time_share",
    )
    taxonomy = "SOC 2018"
    score_range = (0.0, 1.0)
    unit = "applicability score (0-1)"

    @property
    def measure(self) -> str:
        return "microsoft_ai_applicability"

    task_term = "task_applicability"

    def contributions(self, ev: Evidence, code: str) -> Explanation:
        base = super().contributions(ev, code)
        tasks, mean, left_out = task_explanation(ev, code, "task_applicability", ("n_iwas",))
        notes = list(base.notes)
        if mean is not None:
            notes.append(
                f"time-weighted mean over {len(tasks)} tasks of Equation 1's per-IWA term "
                f"(0.5 x completion x scope on the user and AI sides, where the IWA's share "
                f"> {COVERAGE_THRESHOLD}, averaged over the task's IWAs): {mean:.4f}; the "
                "published score weights IWAs per SOC code instead"
            )
        if left_out:
            notes.append(f"{left_out} tasks without a linked IWA left out of the task view")
        summary = base.summary
        if base.value is not None:
            summary = f"AI applicability {base.value:.3f} ({base.inputs['match_quality']} match)"
            if mean is not None:
                summary += f"; its tasks' time-weighted IWA terms average {mean:.3f}"
        return Explanation(
            method=self.name,
            code=code,
            value=base.value,
            label=None,
            summary=summary,
            additive=False,
            tasks=tasks,
            inputs={**base.inputs, "task_mean": mean},
            notes=tuple(notes),
        )
