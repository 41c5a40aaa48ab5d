"""Anthropic Economic Index measures: usage share, usage depth, automation share, observed exposure.

The first three read ``ev.usage`` (task x release x platform) for one release and platform and
show every release side by side (``value_v1`` ... ``value_v5``), so one score table carries the
trend. Releases v3-v5 are derived by a third party from Anthropic's raw files; every note and
explanation that uses one says so. Rows with a null ``task_id`` reached the occupation through
the SOC 2010-to-2019 crosswalk only: they count in the usage and automation shares, not in depth.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from jobrisk.errors import DataError, InputError
from jobrisk.methods.base import Direction, Explanation, Family, Method, Parameter, TaskContribution
from jobrisk.methods.evidence import Evidence
from jobrisk.methods.indices import optional_float, score_row
from jobrisk.methods.microsoft import TaskExplainedMeasure, task_explanation
from jobrisk.sources.anthropic import DERIVED, LABOR, RELEASES, V1, V2

__all__ = [
    "AnthropicAutomationShare",
    "AnthropicObservedExposure",
    "AnthropicUsageDepth",
    "AnthropicUsageShare",
]

RELEASE_NAMES: tuple[str, ...] = tuple(dict.fromkeys(r.release for r in RELEASES))
RELEASE_DATES = {r.release: r.date for r in RELEASES}
DERIVED_RELEASES = frozenset(r.release for r in RELEASES if r.derived)
PLATFORMS = ("claude_ai", "api")
PLATFORM_TITLES = {"claude_ai": "Claude.ai", "api": "API"}
ON_PLATFORM = {p: frozenset(r.release for r in RELEASES if r.platform == p) for p in PLATFORMS}
CROSSWALK_TASK = "(no task: reached the occupation through the SOC 2010-to-2019 crosswalk)"
UNLINKED = (
    "none of its tasks is in the releases' task lists (O*NET 20.1-era statements): an "
    "occupation new since, so its use is unknown, not zero"
)
ZERO_HINT = (
    " (nor in any release: the releases use O*NET 20.1-era task statements, so an occupation "
    "created since, e.g. Data Scientists, also reads 0)"
)

CITATION = (
    "Handa, K., Tamkin, A., McCain, M., et al. (2025). Which Economic Tasks are Performed with "
    "AI? Evidence from Millions of Claude Conversations; Anthropic Economic Index releases "
    "2025-03-27 (v2) and, derived by a third party from Anthropic's raw data, 2025-09-15, "
    "2026-01-15, 2026-03-24 (v3-v5)."
)


def release_label(release: str) -> str:
    """``v5 (2026-03-24, derived)``: the release, its date and whether it is derived."""
    derived = ", derived" if release in DERIVED_RELEASES else ""
    return f"{release} ({RELEASE_DATES.get(release, '?')}{derived})"


def derived_note(release: str) -> str:
    if release not in DERIVED_RELEASES:
        return ""
    return (
        f"{release} is derived by a third party from Anthropic's raw "
        f"{RELEASE_DATES[release]} release, not an Anthropic file"
    )


@dataclass(frozen=True)
class ReleaseInfo:
    """One release on one platform, as the evidence has it."""

    release: str
    platform: str
    date: str
    derived: bool
    has_modes: bool
    pct_reaching_task: float


# Per-evidence lookups shared by the usage methods (several instances read the same ones).
_SHARED: weakref.WeakKeyDictionary[Evidence, dict[tuple[str, ...], Any]] = (
    weakref.WeakKeyDictionary()
)


def _shared(ev: Evidence, key: tuple[str, ...], make: Any) -> Any:
    memo = _SHARED.setdefault(ev, {})
    if key not in memo:
        memo[key] = make()
    return memo[key]


def release_info(ev: Evidence, release: str, platform: str) -> ReleaseInfo:
    """The release's row of ``ev.releases``; a DataError when the index lacks it."""
    info: ReleaseInfo = _shared(
        ev, ("release", release, platform), lambda: _release_info(ev, release, platform)
    )
    return info


def _release_info(ev: Evidence, release: str, platform: str) -> ReleaseInfo:
    rows = ev.releases[(ev.releases["release"] == release) & (ev.releases["platform"] == platform)]
    if rows.empty:
        pairs = zip(ev.releases["release"], ev.releases["platform"], strict=True)
        have = ", ".join(f"{r}/{p}" for r, p in pairs)
        raise DataError(
            f"the index has no Anthropic release {release} on {platform} (it has: {have})",
            hint="rebuild the index with `jobrisk build --force` from the full data",
        )
    r = rows.iloc[0]
    return ReleaseInfo(
        release=release,
        platform=platform,
        date=str(r["release_date"]),
        derived=bool(r["derived"]),
        has_modes=bool(r["has_modes"]),
        pct_reaching_task=float(r["pct_reaching_task"]),
    )


class _UsageMethod(Method):
    """Shared parameters and bookkeeping of the three release-based measures."""

    family = Family.PUBLISHED
    citation = CITATION
    source_ids = (V1, V2, DERIVED)
    direction = Direction.EXPOSURE
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter(
            "release",
            RELEASE_NAMES[-1],
            "Economic Index release: v1 2025-02, v2 2025-03 (Anthropic's files), v3 2025-09, "
            "v4 2026-01, v5 2026-03 (derived by a third party); default the latest",
            choices=RELEASE_NAMES,
        ),
        Parameter(
            "platform",
            "claude_ai",
            "claude_ai (consumer) or api (first-party API traffic, from v3 on)",
            choices=PLATFORMS,
        ),
    )

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        release, platform = self.params["release"], self.params["platform"]
        if release not in ON_PLATFORM[platform]:
            have = ", ".join(sorted(ON_PLATFORM[platform]))
            raise InputError(
                f"release {release} has no {platform} data (Anthropic released API usage from v3 on)",
                hint=f"choose platform='claude_ai', or a release among: {have}",
            )

    @property
    def release(self) -> str:
        return str(self.params["release"])

    @property
    def platform(self) -> str:
        return str(self.params["platform"])

    @property
    def _suffix(self) -> str:
        return self.release + ("" if self.platform == "claude_ai" else f"_{self.platform}")

    @property
    def _release_title(self) -> str:
        return f"{release_label(self.release)}, {PLATFORM_TITLES[self.platform]}"

    @property
    def name(self) -> str:
        return f"{self.key}_{self._suffix}"

    @property
    def title(self) -> str:
        return f"{self.label}, {self._release_title}"

    def _release_inputs(self, score: dict[str, Any]) -> dict[str, Any]:
        """The release, its date, whether it is derived, and the value in every release."""
        return {
            "release": self.release,
            "release_date": RELEASE_DATES[self.release],
            "platform": self.platform,
            "derived": self.release in DERIVED_RELEASES,
            **{k: optional_float(v) for k, v in score.items() if k.startswith("value_")},
        }

    def _usage(self, ev: Evidence) -> pd.DataFrame:
        frame: pd.DataFrame = _shared(
            ev, ("usage", self.platform), lambda: ev.usage[ev.usage["platform"] == self.platform]
        )
        return frame

    def _release_rows(self, ev: Evidence, code: str) -> pd.DataFrame:
        rows = ev.rows_of("usage", code)
        return rows[(rows["release"] == self.release) & (rows["platform"] == self.platform)]

    def _table(self, ev: Evidence, by_release: pd.DataFrame, zero_where: pd.Series) -> pd.DataFrame:
        """``value`` of the chosen release and ``value_<release>`` for every release.

        ``by_release`` is code x release; a release missing on the platform stays NaN, a unit
        without rows gets 0 where ``zero_where`` holds (it was measured and nothing was seen).
        """
        info = release_info(ev, self.release, self.platform)
        present: set[str] = _shared(
            ev,
            ("present", info.platform),
            lambda: set(ev.releases.loc[ev.releases["platform"] == info.platform, "release"]),
        )
        idx = ev.units.index
        zero = zero_where.reindex(idx).fillna(False).to_numpy(dtype=bool)
        columns = {}
        for release in RELEASE_NAMES:
            col = (
                by_release[release].reindex(idx).to_numpy(dtype=float)
                if release in by_release.columns
                else np.full(len(idx), np.nan)
            )
            if release in present:
                col = np.where(np.isnan(col) & zero, 0.0, col)
            columns[f"value_{release}"] = col
        return pd.DataFrame({"value": columns[f"value_{info.release}"], **columns}, index=idx)

    def _finish(self, ev: Evidence, out: pd.DataFrame, n_tasks: pd.Series) -> pd.DataFrame:
        out.insert(1, "n_tasks", n_tasks.reindex(out.index).fillna(0).astype(int))
        note = self._base_note(ev, out)
        extra = derived_note(self.release)
        if extra:
            note = note.map(lambda n: "; ".join(p for p in (n, extra) if p))
        out.insert(2, "note", note)
        return out

    def _unit_state(self, ev: Evidence) -> tuple[pd.Series, pd.Series, pd.Series]:
        """Per unit: has O*NET tasks, linked to the releases' task lists, used in any release."""
        state: tuple[pd.Series, pd.Series, pd.Series] = _shared(
            ev, ("state", self.platform), lambda: self._compute_unit_state(ev)
        )
        return state

    def _compute_unit_state(self, ev: Evidence) -> tuple[pd.Series, pd.Series, pd.Series]:
        has_tasks = ev.tasks.groupby("code").size().reindex(ev.units.index).notna()
        ever = self._usage(ev).groupby("code").size().reindex(ev.units.index).notna()
        if "usage_linked" in ev.units.columns:
            linked = ev.units["usage_linked"].fillna(False).astype(bool)
        else:
            linked = pd.Series(True, index=ev.units.index)
        return has_tasks, linked, ever

    no_task_reason: ClassVar[str] = "no O*NET tasks"

    def _base_note(self, ev: Evidence, out: pd.DataFrame) -> pd.Series:
        """Why a value is missing or zero, per unit, for the chosen release."""
        has_tasks, linked, ever = self._unit_state(ev)
        hint = "" if "usage_linked" in ev.units.columns else ZERO_HINT
        notes = [
            (UNLINKED if ht and not lk else self.no_task_reason)
            if pd.isna(v)
            else f"no conversation in {self.release} reached its tasks" + ("" if e else hint)
            if v == 0
            else ""
            for v, ht, lk, e in zip(out["value"], has_tasks, linked, ever, strict=True)
        ]
        return pd.Series(notes, index=out.index, dtype=str)


class AnthropicUsageShare(_UsageMethod):
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
        u = self._usage(ev)
        by_release = _shared(  # every release's shares: the same for each release's instance
            ev,
            ("share_by_release", self.platform),
            lambda: u.groupby(["code", "release"])["share"].sum().unstack("release"),
        )
        has_tasks, linked, _ = self._unit_state(ev)
        out = self._table(ev, by_release, has_tasks & linked)
        chosen = u[u["release"] == self.release]
        crosswalk = chosen[chosen["task_id"].isna()].groupby("code")["share"].sum()
        out["crosswalk_share"] = (
            crosswalk.reindex(out.index).fillna(0.0).where(out["value"].notna())
        )
        n = chosen.dropna(subset=["task_id"]).groupby("code")["task_id"].nunique()
        return self._finish(ev, out, n)

    def _base_note(self, ev: Evidence, out: pd.DataFrame) -> pd.Series:
        note = super()._base_note(ev, out)
        cw = out["crosswalk_share"]
        via = (cw > 0) & (out["value"] > 0)
        note[via] = cw[via].map(
            lambda x: f"{x:.3g} of these points reached it through the SOC crosswalk, not a task"
        )
        return note

    def contributions(self, ev: Evidence, code: str) -> Explanation:
        score = score_row(self, ev, code)
        rows = self._release_rows(ev, code)
        tasks = ev.rows_of("tasks", code)
        by_task = rows.dropna(subset=["task_id"]).groupby("task_id")["share"].sum()
        contributions = [
            TaskContribution(
                task_id=int(t["task_id"]),
                task=str(t["task"]),
                time_share=float(t["time_share"]),
                contribution=float(by_task.get(t["task_id"], 0.0)),
                detail={"share_pct": float(by_task.get(t["task_id"], 0.0))},
            )
            for t in tasks[["task_id", "task", "time_share"]].to_dict("records")
        ]
        crosswalk = float(rows.loc[rows["task_id"].isna(), "share"].sum())
        if crosswalk > 0:
            contributions.append(
                TaskContribution(None, CROSSWALK_TASK, 0.0, crosswalk, {"share_pct": crosswalk})
            )
        value = optional_float(score["value"])
        used = int((by_task > 0).sum())
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


class AnthropicUsageDepth(_UsageMethod):
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
        *_UsageMethod.parameters,
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

    def _used(self, usage: pd.DataFrame) -> pd.DataFrame:
        min_share = float(self.params["min_share"])
        u = usage[usage["task_id"].notna() & (usage["share"] > min_share)]
        return u[["code", "task_id", "release"]].drop_duplicates()

    def _weight(self, tasks: pd.DataFrame) -> pd.Series:
        if self.params["weighting"] == "count":
            return pd.Series(1.0, index=tasks.index)
        return tasks["time_share"].astype(float)

    def compute(self, ev: Evidence) -> pd.DataFrame:
        tasks = ev.tasks[["code", "task_id"]].assign(weight=self._weight(ev.tasks))
        used = self._used(self._usage(ev)).astype({"task_id": "int64"})
        hit = used.merge(tasks, on=["code", "task_id"])
        num = hit.groupby(["code", "release"])["weight"].sum().unstack("release")
        den = tasks.groupby("code")["weight"].sum()
        by_release = num.div(den.where(den > 0), axis=0)
        has_tasks, linked, _ = self._unit_state(ev)
        out = self._table(ev, by_release, has_tasks & linked & (den.reindex(has_tasks.index) > 0))
        chosen = hit[hit["release"] == self.release].groupby("code").size()
        out["n_used"] = chosen.reindex(out.index).fillna(0).astype(int)
        return self._finish(ev, out, tasks.groupby("code").size())

    def contributions(self, ev: Evidence, code: str) -> Explanation:
        score = score_row(self, ev, code)
        tasks = ev.rows_of("tasks", code)
        rows = self._release_rows(ev, code)
        used = set(self._used(rows)["task_id"].astype(int))
        weight = self._weight(tasks)
        total = float(weight.sum())
        shares = rows.dropna(subset=["task_id"]).groupby("task_id")["share"].sum()
        contributions = tuple(
            TaskContribution(
                task_id=int(t["task_id"]),
                task=str(t["task"]),
                time_share=float(t["time_share"]),
                contribution=float(w) / total if int(t["task_id"]) in used else 0.0,
                detail={
                    "in_use": int(t["task_id"]) in used,
                    "share_pct": float(shares.get(t["task_id"], 0.0)),
                },
            )
            for t, w in zip(
                tasks[["task_id", "task", "time_share"]].to_dict("records"), weight, strict=True
            )
        )
        value = optional_float(score["value"])
        crosswalk = float(rows.loc[rows["task_id"].isna(), "share"].sum())
        notes = [str(score["note"])] if score["note"] else []
        if crosswalk > 0:
            notes.append(
                f"{crosswalk:.3g}% of conversations reached the occupation through the SOC "
                "crosswalk without a task; they do not count towards depth"
            )
        how = "tasks" if self.params["weighting"] == "count" else "time-weighted tasks"
        summary = (
            f"{len(used & set(tasks['task_id'].astype(int)))} of {len(tasks)} tasks in use in "
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


class AnthropicAutomationShare(_UsageMethod):
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
        u = self._usage(ev)
        c = u[u["automation_share"].notna()]
        keys = [c["code"], c["release"]]
        num = (c["share"] * c["automation_share"]).groupby(keys).sum()
        den = c["share"].groupby(keys).sum()
        # a sum of weights over the same weights can land a rounding step above 1
        by_release = (num / den.where(den > 0)).clip(0.0, 1.0).unstack("release")
        # no conversation means no automation share, never a share of 0
        out = self._table(ev, by_release, pd.Series(False, index=ev.units.index))
        chosen = u[u["release"] == self.release]
        total = chosen.groupby("code")["share"].sum()
        classified = chosen[chosen["automation_share"].notna()].groupby("code")["share"].sum()
        out["classified_share"] = (classified / total).reindex(out.index)
        out["usage_share"] = total.reindex(out.index)
        n = chosen[chosen["automation_share"].notna()].dropna(subset=["task_id"])
        return self._finish(ev, out, n.groupby("code")["task_id"].nunique())

    def _base_note(self, ev: Evidence, out: pd.DataFrame) -> pd.Series:
        info = release_info(ev, self.release, self.platform)
        release = info.release
        notes = []
        for value, usage in zip(out["value"], out["usage_share"], strict=True):
            if not info.has_modes:
                notes.append(
                    f"{release} published no per-task interaction modes (only the overall "
                    "automation / augmentation split), so there is no occupation value"
                )
            elif pd.isna(usage):
                notes.append(f"no conversation in {release} reached this occupation")
            elif pd.isna(value):
                notes.append(f"none of its {release} conversations has a classified mode")
            else:
                notes.append("")
        return pd.Series(notes, index=out.index, dtype=str)

    def contributions(self, ev: Evidence, code: str) -> Explanation:
        score = score_row(self, ev, code)
        rows = self._release_rows(ev, code)
        classified = rows[rows["automation_share"].notna()]
        total = float(classified["share"].sum())
        tasks = ev.rows_of("tasks", code).set_index("task_id")
        contributions = []
        for r in rows.to_dict("records"):
            tid = None if pd.isna(r["task_id"]) else int(r["task_id"])
            auto = optional_float(r["automation_share"])
            weight = float(r["share"]) / total if total > 0 and auto is not None else 0.0
            contributions.append(
                TaskContribution(
                    task_id=tid,
                    task=CROSSWALK_TASK if tid is None else str(tasks["task"].get(tid, "")),
                    time_share=0.0 if tid is None else float(tasks["time_share"].get(tid, 0.0)),
                    contribution=weight * (auto or 0.0),
                    detail={"share_pct": float(r["share"]), "automation_share": auto},
                )
            )
        value = optional_float(score["value"])
        summary = (
            f"{value:.1%} of the classified {self._release_title} conversations on its "
            f"{len(classified)} task rows were automation (directive, feedback loop)"
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
        tasks, mean, left_out = task_explanation(ev.rows_of("tasks", code), "penetration")
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
