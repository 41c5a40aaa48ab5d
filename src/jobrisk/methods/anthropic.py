"""Anthropic Economic Index measures: usage share, usage depth, automation share, observed exposure.

The first three read ``ev.usage`` (task x release x platform) for one release and platform and
show every release side by side (``value_v1`` ... ``value_v5``), so one score table carries the
trend; their shared machinery (release lookups, the per-evidence sums every release and
instance reads) is :mod:`jobrisk.methods.anthropic_usage`. Releases v3-v5 are derived by a
third party from Anthropic's raw files; every note and explanation that uses one says so. Rows
with a null ``task_id`` reached the occupation through the SOC 2010-to-2019 crosswalk only:
they count in the usage and automation shares, not in depth.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from jobrisk.methods.anthropic_usage import (
    CROSSWALK_TASK,
    DepthUsage,
    UsageMethod,
    depth_usage,
    release_info,
)
from jobrisk.methods.base import Explanation, Parameter, TaskContribution
from jobrisk.methods.evidence import Evidence
from jobrisk.methods.indices import optional_float, score_row
from jobrisk.methods.microsoft import TaskExplainedMeasure, task_explanation
from jobrisk.methods.sums import FloatArray, group_sums, in_key_order
from jobrisk.methods.unit_rows import task_keys
from jobrisk.sources.anthropic import LABOR

__all__ = [
    "AnthropicAutomationShare",
    "AnthropicObservedExposure",
    "AnthropicUsageDepth",
    "AnthropicUsageShare",
]


def share_by_task(task_id: FloatArray, share: FloatArray) -> dict[float, float]:
    """Per task id (crosswalk rows left out): the share of its rows, as a groupby sums them."""
    if not len(task_id):
        return {}  # a unit without usage rows in the release (most custom roles)
    known = ~np.isnan(task_id)
    ids, group = np.unique(task_id[known], return_inverse=True)
    sums = group_sums(
        share[known], group.reshape(-1), len(ids), sorted_keys=in_key_order(task_id[known])
    )
    return dict(zip(ids.tolist(), sums.tolist(), strict=True))


def _task_columns(ev: Evidence, code: str) -> list[tuple[int, str, float]]:
    """(task id, statement, time share) of each of the unit's task rows, as plain values."""
    keys = task_keys(ev)
    rows = keys.rows(code)
    return list(
        zip(
            keys.column("task_id")[rows].tolist(),
            keys.column("task")[rows].tolist(),
            keys.column("time_share")[rows].tolist(),
            strict=True,
        )
    )


class AnthropicUsageShare(UsageMethod):
    """Percent of all conversations of an Economic Index release attributed to the occupation.

    Source: Handa et al. (2025), Anthropic Economic Index (v1 2025-02-10, v2 2025-03-27) and
    releases v3-v5, derived by a third party from Anthropic's raw data. A task statement shared
    by n occupations gives pct/n to each (as the paper). The method deviates from the paper in
    the occupation list: usage goes through the releases' O*NET 20.1-era statements to O*NET
    30.1 tasks (Task ID, then text, then the SOC crosswalk; crosswalk rows carry no task), so
    an occupation that moved (Bioinformatics Technicians, 43 -> 15) or is new (Data Scientists,
    no usage) reads differently from the paper's 20.1 table. Shares are of all the release's
    conversations, not renormalized over the part that reached an O*NET 30.1 occupation.
    """

    key = "anthropic_usage_share"
    label = "Anthropic usage share"
    inputs = ("usage.share", "usage.release", "usage.platform", "releases.derived")
    score_range = (0.0, 100.0)
    unit = "percent of the release's conversations"
    no_task_reason = (
        "no O*NET tasks to match the release's task text, and no conversation reached it "
        "through the SOC crosswalk"
    )

    def compute(self, ev: Evidence) -> pd.DataFrame:
        table = self._usage(ev)
        state = self._state(ev)
        # every release's shares: the same table for each release's instance
        by_release = np.where(table.n_rows > 0, table.share_sum, np.nan)
        values = self._table(ev, by_release, state.has_tasks & state.linked)
        crosswalk = np.where(
            np.isnan(values["value"]), np.nan, table.in_release(self.release).crosswalk
        )
        return self._finish(
            ev, values, table.n_task_ids[:, self._at], {"crosswalk_share": crosswalk}
        )

    def _base_note(self, ev: Evidence, value: FloatArray, extra: dict[str, Any]) -> list[str]:
        notes = super()._base_note(ev, value, extra)
        return [
            f"{cw:.3g} of these points reached it through the SOC crosswalk, not a task"
            if cw > 0 and v > 0
            else note
            for note, cw, v in zip(
                notes, extra["crosswalk_share"].tolist(), value.tolist(), strict=True
            )
        ]

    def contributions(self, ev: Evidence, code: str) -> Explanation:
        score = score_row(self, ev, code)
        task_id, share, _ = self._release_rows(ev, code)
        tasks = _task_columns(ev, code)
        by_task = share_by_task(task_id, share)
        contributions = [
            TaskContribution(
                task_id=int(tid),
                task=str(text),
                time_share=float(time_share),
                contribution=float(by_task.get(tid, 0.0)),
                detail={"share_pct": float(by_task.get(tid, 0.0))},
            )
            for tid, text, time_share in tasks
        ]
        crosswalk = float(share[np.isnan(task_id)].sum())
        if crosswalk > 0:
            contributions.append(
                TaskContribution(None, CROSSWALK_TASK, 0.0, crosswalk, {"share_pct": crosswalk})
            )
        value = optional_float(score["value"])
        used = sum(1 for s in by_task.values() if s > 0)
        summary = (
            f"{value:.3g}% of {self._release_title} conversations reached this occupation: "
            f"{value - crosswalk:.3g} points through {used} of its {len(tasks)} tasks, "
            f"{crosswalk:.3g} through the SOC crosswalk"
            if value
            else f"{self._release_title}: {score['note'] or 'no value'}"
        )
        return Explanation(
            method=self.name,
            code=code,
            value=value,
            label=None,
            summary=summary,
            additive=True,
            tasks=tuple(sorted(contributions, key=lambda t: -t.contribution)),
            inputs=self._release_inputs(score),
            notes=tuple(n for n in (str(score["note"]),) if n),
        )


class AnthropicUsageDepth(UsageMethod):
    """Share of an occupation's O*NET 30.1 tasks seen in use in an Economic Index release.

    Source: Handa et al. (2025), Section 3 ("depth of AI use within occupations": about 36% of
    occupations show usage in at least a quarter of their tasks, about 4% in at least three
    quarters), on the releases as :class:`AnthropicUsageShare`. ``weighting='count'`` counts
    tasks, as the paper; ``'time'`` weights them by O*NET time share (a deviation, for a
    share of working time). A task is in use when its share of the release's conversations
    exceeds ``min_share`` (0: any reported use; the releases already drop rare tasks). The
    method deviates from the paper in counting over O*NET 30.1 tasks, not the 20.1-era
    statements: a statement reworded since cannot be seen, and crosswalk-only usage (no task)
    does not count.
    """

    key = "anthropic_usage_depth"
    label = "Anthropic usage depth"
    inputs = ("usage.task_id", "usage.share", "usage.release", "tasks.time_share")
    score_range = (0.0, 1.0)
    unit = "share of the occupation's tasks (0-1)"
    no_task_reason = "no O*NET tasks to count"
    parameters = (
        *UsageMethod.parameters,
        Parameter(
            "weighting",
            "count",
            "count (share of tasks, as the paper) or time (share of O*NET time weight)",
            choices=("count", "time"),
        ),
        Parameter(
            "min_share",
            0.0,
            "a task is in use when its share of the release's conversations (percent) exceeds this",
            bounds=(0.0, 100.0),
        ),
    )

    @property
    def name(self) -> str:
        name = super().name
        if self.params["weighting"] != "count":
            name += f"_{self.params['weighting']}"
        if self.params["min_share"] > 0:
            name += "_over" + f"{self.params['min_share']:g}".replace(".", "p").replace("-", "m")
        return name

    @property
    def title(self) -> str:
        how = "count of tasks" if self.params["weighting"] == "count" else "time-weighted"
        return f"{self.label} ({how}), {self._release_title}"

    @property
    def _min_share(self) -> float:
        return float(self.params["min_share"])

    def _weight(self, time_share: FloatArray) -> FloatArray:
        if self.params["weighting"] == "count":
            return np.ones(len(time_share))
        return time_share

    def _depth(self, ev: Evidence) -> DepthUsage:
        """The in-use sums of this weighting and threshold: shared by every release's instance."""
        key = ("depth", self.platform, self.params["weighting"], self._min_share)
        return self._shared_table(
            ev,
            key,
            lambda: depth_usage(
                ev,
                self._usage(ev),
                self._weight(task_keys(ev).numbers("time_share")),
                self._min_share,
            ),
        )

    def compute(self, ev: Evidence) -> pd.DataFrame:
        depth = self._depth(ev)
        state = self._state(ev)
        measured = depth.den > 0
        den = np.where(measured, depth.den, np.nan)
        by_release = np.where(depth.n_used > 0, depth.num / den[:, None], np.nan)
        values = self._table(ev, by_release, state.has_tasks & state.linked & measured)
        return self._finish(ev, values, depth.n_tasks, {"n_used": depth.n_used[:, self._at]})

    def contributions(self, ev: Evidence, code: str) -> Explanation:
        score = score_row(self, ev, code)
        tasks = _task_columns(ev, code)
        task_id, share, _ = self._release_rows(ev, code)
        used = {
            int(t)
            for t, s in zip(task_id.tolist(), share.tolist(), strict=True)
            if not math.isnan(t) and s > self._min_share
        }
        weight = self._weight(np.array([t[2] for t in tasks], dtype=float))
        total = float(weight.sum())
        shares = share_by_task(task_id, share)
        contributions = tuple(
            TaskContribution(
                task_id=int(tid),
                task=str(text),
                time_share=float(time_share),
                contribution=float(w) / total if int(tid) in used else 0.0,
                detail={
                    "in_use": int(tid) in used,
                    "share_pct": float(shares.get(tid, 0.0)),
                },
            )
            for (tid, text, time_share), w in zip(tasks, weight.tolist(), strict=True)
        )
        value = optional_float(score["value"])
        crosswalk = float(share[np.isnan(task_id)].sum())
        notes = [str(score["note"])] if score["note"] else []
        if crosswalk > 0:
            notes.append(
                f"{crosswalk:.3g}% of conversations reached the occupation through the SOC "
                "crosswalk without a task; they do not count towards depth"
            )
        how = "tasks" if self.params["weighting"] == "count" else "time-weighted tasks"
        summary = (
            f"{len(used & {int(t[0]) for t in tasks})} of {len(tasks)} tasks in use in "
            f"{self._release_title}: depth {value:.3f} ({how})"
            if value is not None
            else str(score["note"])
        )
        return Explanation(
            method=self.name,
            code=code,
            value=value,
            label=None,
            summary=summary,
            additive=True,
            tasks=tuple(sorted(contributions, key=lambda t: -t.contribution)),
            inputs={
                **self._release_inputs(score),
                "weighting": self.params["weighting"],
                "min_share": self.params["min_share"],
            },
            notes=tuple(notes),
        )


class AnthropicAutomationShare(UsageMethod):
    """Usage-weighted share of an occupation's classified conversations in automation modes.

    Source: Handa et al. (2025), Section 5: directive and feedback loop are automation; task
    iteration, validation and learning are augmentation; per-task mode shares from v2 on (v3-v5
    derived by a third party). Per task, the share of classified conversations in automation
    modes; per occupation, the mean over its task rows (crosswalk rows included) weighted by
    their share of conversations. v1 published only the overall split (42.6% automation), not
    per task, so v1 has no value. Deviates from the paper, which reports the split over all
    conversations, not per occupation.
    """

    key = "anthropic_automation_share"
    label = "Anthropic automation share"
    inputs = ("usage.automation_share", "usage.share", "usage.release", "releases.has_modes")
    score_range = (0.0, 1.0)
    unit = "share of classified conversations (0-1)"

    def compute(self, ev: Evidence) -> pd.DataFrame:
        table = self._usage(ev)
        at = self._at
        chosen = table.in_release(self.release)
        classified = table.n_classified > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            den = np.where(table.classified_sum > 0, table.classified_sum, np.nan)
            # a sum of weights over the same weights can land a rounding step above 1
            by_release = np.where(classified, np.clip(table.automation_sum / den, 0.0, 1.0), np.nan)
            classified_share = np.where(classified[:, at], chosen.classified / chosen.total, np.nan)
        # no conversation means no automation share, never a share of 0
        values = self._table(ev, by_release, np.zeros(len(ev.units), dtype=bool))
        usage_share = np.where(table.n_rows[:, at] > 0, chosen.total, np.nan)
        return self._finish(
            ev,
            values,
            table.n_classified_task_ids[:, at],
            {"classified_share": classified_share, "usage_share": usage_share},
        )

    def _base_note(self, ev: Evidence, value: FloatArray, extra: dict[str, Any]) -> list[str]:
        info = release_info(ev, self.release, self.platform)
        release = info.release
        notes = []
        for v, usage in zip(value.tolist(), extra["usage_share"].tolist(), strict=True):
            if not info.has_modes:
                notes.append(
                    f"{release} published no per-task interaction modes (only the overall "
                    "automation / augmentation split), so there is no occupation value"
                )
            elif math.isnan(usage):
                notes.append(f"no conversation in {release} reached this occupation")
            elif math.isnan(v):
                notes.append(f"none of its {release} conversations has a classified mode")
            else:
                notes.append("")
        return notes

    def contributions(self, ev: Evidence, code: str) -> Explanation:
        score = score_row(self, ev, code)
        task_id, share, automation = self._release_rows(ev, code)
        classified = ~np.isnan(automation)
        total = float(share[classified].sum())
        tasks = {t[0]: t for t in _task_columns(ev, code)}
        contributions = []
        for t, s, a in zip(task_id.tolist(), share.tolist(), automation.tolist(), strict=True):
            tid = None if math.isnan(t) else int(t)
            auto = optional_float(a)
            weight = float(s) / total if total > 0 and auto is not None else 0.0
            task = tasks.get(tid) if tid is not None else None
            contributions.append(
                TaskContribution(
                    task_id=tid,
                    task=CROSSWALK_TASK if tid is None else str(task[1] if task else ""),
                    time_share=0.0 if tid is None else float(task[2] if task else 0.0),
                    contribution=weight * (auto or 0.0),
                    detail={"share_pct": float(s), "automation_share": auto},
                )
            )
        value = optional_float(score["value"])
        summary = (
            f"{value:.1%} of the classified {self._release_title} conversations on its "
            f"{int(classified.sum())} task rows were automation (directive, feedback loop)"
            if value is not None
            else str(score["note"])
        )
        return Explanation(
            method=self.name,
            code=code,
            value=value,
            label=None,
            summary=summary,
            additive=True,
            tasks=tuple(sorted(contributions, key=lambda t: -t.contribution)),
            inputs={
                **self._release_inputs(score),
                "automation_modes": "directive, feedback_loop",
            },
            notes=tuple(n for n in (str(score["note"]),) if n),
        )


class AnthropicObservedExposure(TaskExplainedMeasure):
    """Observed exposure: the share of an occupation's work where Claude use is seen, weighting
    automated, work-related use above augmentation, aggregated over tasks by time.

    Source: Massenkoff, McCrory (2026), "Labor market impacts of AI: a new measure and early
    evidence", Anthropic; ``job_exposure.csv`` (per SOC 2018 code) and ``task_penetration.csv``
    (per task text) of the Economic Index ``labor_market_impacts`` folder. ``value`` is the
    published SOC score, so it reproduces the file for every O*NET occupation that is its SOC
    code's only one (``exact``); it deviates for ``split`` codes (each O*NET occupation gets the
    SOC's value). The explanation deviates too: it weights each task's published penetration by
    its O*NET 30.1 time share (``task_mean`` column), which the report's own task weights and
    task list (an older O*NET) do not match exactly, so it is shown beside the value, not
    added up to it.
    """

    key = "anthropic_observed_exposure"
    label = "Anthropic observed exposure"
    citation = (
        "Massenkoff, M., McCrory, P. (2026). Labor market impacts of AI: A new measure and early "
        "evidence. Anthropic; Anthropic Economic Index, labor_market_impacts."
    )
    source_ids = (LABOR,)
    inputs = ("measures.value", "measures.match_quality", "tasks.penetration", "tasks.time_share")
    taxonomy = "SOC 2018"
    score_range = (0.0, 1.0)
    unit = "share of the occupation's work (0-1)"

    @property
    def measure(self) -> str:
        return "anthropic_observed_exposure"

    task_term = "penetration"

    def contributions(self, ev: Evidence, code: str) -> Explanation:
        base = super().contributions(ev, code)
        tasks, mean, left_out = task_explanation(ev, code, "penetration")
        notes = list(base.notes)
        if mean is not None:
            seen = sum(1 for t in tasks if t.detail["penetration"] > 0)
            notes.append(
                f"{seen} of {len(tasks)} tasks have a published penetration above 0; their "
                f"O*NET 30.1 time-weighted mean is {mean:.4f}"
            )
        if left_out:
            notes.append(f"{left_out} tasks have no published penetration (text not matched)")
        summary = base.summary
        if base.value is not None:
            summary = f"observed exposure {base.value:.3f} ({base.inputs['match_quality']} match)"
            if mean is not None:
                summary += f"; time-weighted task penetration {mean:.3f}"
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
