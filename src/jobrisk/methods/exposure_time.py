"""Exposure and automation risk over time (page 001): 2023, each Anthropic release, a projection.

Each task of an occupation is *reached* at a date or not, and carries an *automation* level
0-1 (the part of its work AI would do without a person):

- 2023 (LLM alone): reached when Eloundou et al. label it E1 (human label, GPT-4 where the
  human label is missing); automation from its T label (T3/T4 count, or a graded T0..T4).
- each Anthropic release: reached when the task has been seen in use (share of conversations
  above ``threshold``) at this release or an earlier one, or was reached in 2023; automation
  is the task's share of use in directive / feedback-loop modes at the latest release that
  has one (v1 has none and takes the next release's), its T label where never observed.

An occupation's exposure at a date is the time-weighted share of its tasks reached (0-100);
its automation risk is the time-weighted sum of reached x automation (0-100). The projection
moves today's value along a logistic curve (:mod:`jobrisk.methods.adoption`) whose growth
rate is fitted to all occupations' series, with an interval from a bootstrap over tasks and
release dates.

    >>> from jobrisk.methods.exposure_time import ExposureOverTime  # doctest: +SKIP
    >>> ExposureOverTime(quantity="exposure", at="now").score_evidence(ev)  # doctest: +SKIP
"""

from __future__ import annotations

import weakref
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from jobrisk.methods.adoption import (
    FloatArray,
    GrowthRates,
    TaskBootstrap,
    fit_rates,
    project_with_interval,
    year_fraction,
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

__all__ = [
    "ExposureOverTime",
    "FitOptions",
    "SeriesPoint",
    "TaskTimeline",
    "TimelineOptions",
    "build_timeline",
    "exposure_series",
]

QUANTITIES = ("exposure", "automation_risk")
RELEASE_KEYS = ("v1", "v2", "v3", "v4", "v5")
AT_CHOICES = ("2023", *RELEASE_KEYS, "now", "projection")
# data/MANIFEST.md: v3-v5 are a third party's derivation from the raw releases, "label it as
# derived wherever shown"; the evidence's own ``releases.derived`` flag is used for the data.
DERIVED_IN_TITLES = ("v3", "v4", "v5")
# Eloundou et al. first posted their labels on arXiv (2303.10130) on this date.
CAPABILITY_DATE = "2023-03-17"
# Anthropic, "Labor market impacts of AI" (2026-03-05): task penetration, counted from the
# first release on or after it when ``penetration`` is on.
PENETRATION_DATE = "2026-03-05"
AUTOMATION_LEVELS: dict[str, dict[str, float]] = {
    # Eloundou et al.'s T3 and T4: the model does most or all of the task.
    "T3+": {"T0": 0.0, "T1": 0.0, "T2": 0.0, "T3": 1.0, "T4": 1.0},
    "graded": {"T0": 0.0, "T1": 0.25, "T2": 0.5, "T3": 0.75, "T4": 1.0},
}


@dataclass(frozen=True)
class TimelineOptions:
    """What counts as reached and as automated (the method's evidence parameters)."""

    rater: str = "human"
    platform: str = "claude_ai"
    threshold: float = 0.0
    cumulative: bool = True
    union_2023: bool = True
    penetration: bool = False
    automation_levels: str = "T3+"
    automation_evidence: str = "observed_first"


@dataclass(frozen=True)
class FitOptions:
    """The projection: target year, interval coverage, bootstrap draws and seed."""

    projection_year: int = 2028
    interval: float = 0.8
    n_boot: int = 100
    seed: int = 20260324


@dataclass(frozen=True)
class SeriesPoint:
    """One dated point of the series: the 2023 labels or an Anthropic release."""

    key: str
    date: str
    derived: bool
    source: str
    has_modes: bool = False

    @property
    def label(self) -> str:
        return f"{self.key} ({self.date}{', derived' if self.derived else ''})"


@dataclass(frozen=True, eq=False)
class TaskTimeline:
    """Per task (rows of ``tasks``) and point (columns): reached (0/1) and automation (0-1)."""

    points: tuple[SeriesPoint, ...]
    tasks: pd.DataFrame
    reached: FloatArray
    automation: FloatArray
    potential: FloatArray
    first_seen: pd.Series


def release_points(releases: pd.DataFrame, platform: str) -> tuple[SeriesPoint, ...]:
    """The Anthropic releases of ``platform`` (``any``: every platform), oldest first."""
    found: dict[str, tuple[str, bool, bool]] = {}
    for release, plat, date, derived, modes in releases[
        ["release", "platform", "release_date", "derived", "has_modes"]
    ].itertuples(index=False):
        if platform != "any" and plat != platform:
            continue
        day = str(date)[:10]
        old_date, old_derived, old_modes = found.get(str(release), (day, False, False))
        found[str(release)] = (
            min(old_date, day),
            old_derived or bool(derived),
            old_modes or bool(modes),
        )
    return tuple(
        SeriesPoint(
            key=key,
            date=date,
            derived=derived,
            source=f"Anthropic Economic Index {key}{' (derived)' if derived else ''}",
            has_modes=modes,
        )
        for key, (date, derived, modes) in sorted(found.items(), key=lambda kv: kv[1][0])
    )


def _labels(tasks: pd.DataFrame, rater: str, kind: str) -> pd.Series:
    first, second = (f"human_{kind}", f"gpt4_{kind}")
    if rater == "gpt4":
        first, second = second, first
    return tasks[first].fillna(tasks[second])


def build_timeline(
    tasks: pd.DataFrame, usage: pd.DataFrame, releases: pd.DataFrame, opts: TimelineOptions
) -> TaskTimeline:
    """Reached and automation per task at 2023 and at each release (works on any subset)."""
    rels = release_points(releases, opts.platform)
    keys = [p.key for p in rels]
    points = (
        SeriesPoint("2023", CAPABILITY_DATE, False, "Eloundou et al. E1 labels (LLM alone)"),
        *rels,
    )
    e_label = _labels(tasks, opts.rater, "e")
    capable = (e_label == "E1").to_numpy()
    auto_label = (
        _labels(tasks, opts.rater, "t").map(AUTOMATION_LEVELS[opts.automation_levels]).fillna(0.0)
    ).to_numpy(dtype=float)

    use = usage[usage["task_id"].notna()]
    if opts.platform != "any":
        use = use[use["platform"] == opts.platform]
    row = pd.MultiIndex.from_arrays([tasks["code"], tasks["task_id"].astype("int64")]).get_indexer(
        pd.MultiIndex.from_arrays([use["code"], use["task_id"].astype("int64")])
    )
    col = pd.Index(keys, dtype=object).get_indexer(pd.Index(use["release"]))
    keep = (row >= 0) & (col >= 0)
    row, col = row[keep], col[keep]
    share = use["share"].to_numpy(dtype=float)[keep]
    auto_share = use["automation_share"].to_numpy(dtype=float)[keep]
    known = ~np.isnan(auto_share)

    def wide(values: FloatArray) -> FloatArray:
        table = np.zeros((len(tasks), len(keys)))
        np.add.at(table, (row, col), values)
        return table

    seen = wide((share > opts.threshold).astype(float)) > 0
    if opts.penetration:
        penetrated = tasks["penetration"].fillna(0.0).to_numpy() > 0
        for j, p in enumerate(rels):
            if p.date >= PENETRATION_DATE:
                seen[:, j] |= penetrated
    ever = seen.any(axis=1)
    if opts.cumulative:
        seen = np.maximum.accumulate(seen, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        den = wide(np.where(known, share, 0.0))
        num = wide(np.where(known, share * auto_share, 0.0))
        ratio = pd.DataFrame(num / np.where(den > 0, den, np.nan))
    observed_auto = ratio.ffill(axis=1).to_numpy(dtype=float, copy=True)
    for j in reversed(range(len(keys) - 1)):
        if not rels[j].has_modes:  # v1 published no modes: it takes the next release's
            observed_auto[:, j] = np.where(
                np.isnan(observed_auto[:, j]), observed_auto[:, j + 1], observed_auto[:, j]
            )

    release_reached = seen | (capable & opts.union_2023)[:, None]
    reached = np.column_stack([capable, release_reached]).astype(float)
    release_auto = (
        np.where(np.isnan(observed_auto), auto_label[:, None], observed_auto)
        if opts.automation_evidence == "observed_first"
        else np.repeat(auto_label[:, None], len(keys), axis=1)
    )
    automation = np.column_stack([auto_label, release_auto]).astype(float)
    potential = (e_label.isin(["E1", "E2"]).to_numpy() | ever).astype(float)
    first = np.asarray(keys, dtype=object)[seen.argmax(axis=1)] if keys else None
    first_seen = pd.Series(
        np.where(seen.any(axis=1), first, None) if first is not None else None,
        index=tasks.index,
        dtype=object,
    )
    return TaskTimeline(points, tasks, reached, automation, potential, first_seen)


def _percent(share: FloatArray, keep: npt.NDArray[np.bool_]) -> FloatArray:
    """0-1 shares as 0-100 (rounding can push a full share a hair over 1), NaN where not kept."""
    return np.where(keep, np.clip(100 * share, 0.0, 100.0), np.nan)


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _per_code(values: FloatArray, codes: pd.Series, index: pd.Index) -> FloatArray:
    frame = pd.DataFrame(values, index=codes.to_numpy()).groupby(level=0, sort=False).sum()
    return frame.reindex(index).to_numpy(dtype=float)


_Series = tuple[pd.DataFrame, dict[str, GrowthRates]]
_SERIES: weakref.WeakKeyDictionary[Evidence, dict[tuple[Any, ...], _Series]] = (
    weakref.WeakKeyDictionary()
)


def exposure_series(ev: Evidence, opts: TimelineOptions, fit: FitOptions) -> pd.DataFrame:
    """Both quantities at every point and projected, one row per unit (memoized, a copy)."""
    return _series(ev, opts, fit)[0].copy()


def _series(ev: Evidence, opts: TimelineOptions, fit: FitOptions) -> _Series:
    """The series and each quantity's growth rates; a subject takes its reference's rates."""
    memo = _SERIES.setdefault(ev, {})
    key = (tuple(asdict(opts).items()), tuple(asdict(fit).items()))
    if key not in memo:
        rates = None if ev.reference is None else _series(ev.reference, opts, fit)[1]
        memo[key] = _compute_series(ev, opts, fit, rates)
    return memo[key]


_TIMELINES: weakref.WeakKeyDictionary[Evidence, dict[tuple[Any, ...], TaskTimeline]] = (
    weakref.WeakKeyDictionary()
)


def _timeline_of(ev: Evidence, code: str, opts: TimelineOptions) -> TaskTimeline:
    """One occupation's timeline, shared by every instance explaining it (same options)."""
    memo = _TIMELINES.setdefault(ev, {})
    key = (code, opts)
    if key not in memo:
        memo[key] = build_timeline(
            ev.rows_of("tasks", code), ev.rows_of("usage", code), ev.releases, opts
        )
    return memo[key]


def _all_of(ev: Evidence, code: str) -> bool:
    """Every task and usage row of ``ev`` is ``code``'s (so its rows are the whole frames)."""
    return bool((ev.tasks["code"] == code).all() and (ev.usage["code"] == code).all())


def _compute_series(
    ev: Evidence,
    opts: TimelineOptions,
    fit: FitOptions,
    reference_rates: dict[str, GrowthRates] | None,
) -> _Series:
    tl = build_timeline(ev.tasks, ev.usage, ev.releases, opts)
    units = ev.units.index
    if len(units) == 1 and _all_of(ev, str(units[0])):
        # a single unit (a custom role): its explanation's timeline is this one
        _TIMELINES.setdefault(ev, {})[(str(units[0]), opts)] = tl
    codes = ev.tasks["code"]
    weight = ev.tasks["time_share"].to_numpy(dtype=float)
    keys = [p.key for p in tl.points]
    times = year_fraction(pd.Series([p.date for p in tl.points]))
    years_ahead = float(fit.projection_year) - float(times[-1])
    now = len(keys) - 1
    n_tasks = pd.Series(1, index=codes.to_numpy()).groupby(level=0).sum().reindex(units)
    has_tasks = n_tasks.notna().to_numpy()

    auto_now = tl.automation[:, now]
    levels = {
        "exposure": _per_code(weight[:, None] * tl.reached, codes, units),
        "automation_risk": _per_code(weight[:, None] * tl.reached * tl.automation, codes, units),
    }
    ceilings = {
        "exposure": _per_code((weight * tl.potential)[:, None], codes, units)[:, 0],
        "automation_risk": _per_code((weight * tl.potential * auto_now)[:, None], codes, units)[
            :, 0
        ],
    }
    onet = (ev.units["kind"] == "onet").to_numpy() & has_tasks
    boot = TaskBootstrap(codes, ev.tasks["task_id"], units, fit.n_boot, fit.seed)
    boot_weight = boot.sums(weight)
    per_task_now = {
        "exposure": (tl.reached[:, now], tl.potential),
        "automation_risk": (tl.reached[:, now] * auto_now, tl.potential * auto_now),
    }
    out: dict[str, Any] = {}  # one frame at the end: per-column inserts dominate for a role
    year = int(fit.projection_year)
    rates: dict[str, GrowthRates] = {}
    for quantity in QUANTITIES:
        level, ceiling = levels[quantity], ceilings[quantity]
        for j, k in enumerate(keys):
            out[f"{quantity}_{k}"] = _percent(level[:, j], has_tasks)
        reach_task, pot_task = per_task_now[quantity]
        with np.errstate(divide="ignore", invalid="ignore"):
            boot_level = boot.sums(weight * reach_task) / boot_weight
            boot_ceiling = boot.sums(weight * pot_task) / boot_weight
        # the growth rate is pooled over O*NET occupations: a subject takes its reference's
        rates[quantity] = (
            reference_rates[quantity]
            if reference_rates is not None
            else fit_rates(level, ceiling, times, onet & (ceiling > 0), fit.n_boot, fit.seed)
        )
        proj = project_with_interval(
            level,
            ceiling,
            times,
            onet & (ceiling > 0),
            boot_level,
            boot_ceiling,
            years_ahead,
            fit.interval,
            fit.seed,
            rates=rates[quantity],
        )
        usable = has_tasks & ~np.isnan(proj.point)
        out[f"{quantity}_{year}"] = _percent(proj.point, usable)
        out[f"{quantity}_{year}_low"] = _percent(proj.low, usable)
        out[f"{quantity}_{year}_high"] = _percent(proj.high, usable)
        out[f"{quantity}_ceiling"] = _percent(ceiling, has_tasks)
        out[f"{quantity}_growth_rate"] = proj.slope
        out[f"{quantity}_midpoint"] = np.where(has_tasks, proj.midpoint, np.nan)
    out["n_tasks"] = n_tasks.fillna(0).astype(int)
    out["now_release"] = tl.points[now].label
    out["now_point"] = tl.points[now].key
    out["untasked_share_now"], out["note"] = _notes(ev, tl, opts, has_tasks)
    return pd.DataFrame(out, index=units), rates


def _notes(
    ev: Evidence, tl: TaskTimeline, opts: TimelineOptions, has_tasks: npt.NDArray[np.bool_]
) -> tuple[pd.Series, pd.Series]:
    """Per unit: the percent of the latest release's conversations that reached it only at
    occupation level, and the note (why a value is missing or what it leaves out)."""
    units, now, codes = ev.units.index, tl.points[-1], ev.tasks["code"].to_numpy()

    def per_unit(values: pd.Series | npt.NDArray[np.bool_]) -> pd.Series:
        return pd.Series(np.asarray(values), index=codes).groupby(level=0).sum().reindex(units)

    unseen = has_tasks & (per_unit(tl.first_seen.notna()).fillna(0) == 0) & (len(tl.points) > 1)
    unlabelled = per_unit(_labels(ev.tasks, opts.rater, "e").isna()).fillna(0).astype(int)
    untasked = ev.usage[ev.usage["task_id"].isna() & (ev.usage["release"] == now.key)]
    if opts.platform != "any":
        untasked = untasked[untasked["platform"] == opts.platform]
    untasked_share = untasked.groupby("code")["share"].sum().reindex(units, fill_value=0.0)
    unseen_note = (
        f"no task seen in Anthropic usage ({opts.platform}): after 2023 only the 2023 "
        "capability counts"
    )
    crosswalk_note = (
        f"% of {now.key} conversations reached this occupation only through the SOC "
        "crosswalk, not a task: not counted"
    )
    notes = []
    for ht, u, share, n in zip(
        has_tasks, unseen, untasked_share.to_numpy(), unlabelled.to_numpy(), strict=True
    ):
        parts = [
            unseen_note if u else "",
            f"{share:.3f}{crosswalk_note}" if share > 0 else "",
            f"{n} tasks without an Eloundou label: not reached in 2023" if n > 0 else "",
        ]
        notes.append(
            "; ".join(p for p in parts if p) if ht else "no O*NET tasks for this occupation"
        )
    note = pd.Series(notes, index=units, dtype=str)
    return untasked_share, note


class ExposureOverTime(Method):
    """AI exposure or automation risk (0-100) of an occupation at a date, with the whole trend.

    Source: page 001 ("67% AI exposure in 2025, up from 50% in 2023 ... automation risk 40
    ... projected 82% by 2028"), which does not publish its method; built here from Eloundou
    et al. (2024) task labels (E1 = LLM alone; T0-T4 automation), the Anthropic Economic Index
    task shares and interaction modes (v1 2025-02-10, v2 2025-03-27; v3-v5 derived by a third
    party, labelled derived wherever shown) and, optionally, Anthropic's 2026 task penetration.

    Exposure = 100 x time-weighted share of tasks reached: 2023 = E1 tasks (human label, GPT-4
    label where the human one is missing); a release = tasks seen in use (share > threshold)
    at or before it, united with the 2023 E1 tasks. Automation risk = 100 x time-weighted sum
    over reached tasks of the part AI would do without a person: the task's directive +
    feedback-loop share of use (latest release that has one; v1 takes v2's), else its T label
    (T3/T4 = 1). The projection moves today's value along a logistic curve whose growth rate
    is fitted to all O*NET occupations' series at once (logit least squares, one rate, each
    occupation its own level) with the ceiling = tasks within reach at all (E1, E2 or seen in
    use); interval: percentiles over a bootstrap of release dates (the rate) x tasks (the
    occupation's level and ceiling). Deviation: page 001's numbers come from its own
    unpublished model; usage that reached an occupation only at the SOC level (no task) is
    not counted and is reported in ``note``.
    """

    key = "exposure_over_time"
    label = "AI exposure over time"
    family = Family.PAGE
    citation = (
        "Page 001 (exposure and automation risk over time); Eloundou et al. (2024) Science "
        "384(6702); Handa et al. (2025) Anthropic Economic Index; Anthropic (2026) Labor market "
        "impacts of AI."
    )
    source_ids = (
        "eloundou_2023",
        "anthropic_economic_index/release_2025_02_10",
        "anthropic_economic_index/release_2025_03_27",
        "anthropic_economic_index/derived_v3_v5",
        "anthropic_economic_index/labor_market_impacts",
    )
    inputs = (
        "tasks.time_share",
        "tasks.human_e",
        "tasks.gpt4_e",
        "tasks.human_t",
        "tasks.gpt4_t",
        "tasks.penetration",
        "usage.share",
        "usage.automation_share",
        "usage.release",
        "usage.platform",
        "releases.release_date",
        "releases.derived",
        "releases.has_modes",
    )
    score_range = (0.0, 100.0)
    direction = Direction.EXPOSURE
    unit = "percent of work time (0-100)"
    parameters = (
        Parameter(
            "quantity",
            "exposure",
            "exposure (share of tasks AI reaches) or automation_risk (the part it would do "
            "without a person)",
            choices=QUANTITIES,
        ),
        Parameter(
            "at",
            "now",
            "2023 (LLM alone), a release v1..v5 (v3-v5 derived), now (latest release) or "
            "projection (projection_year)",
            choices=AT_CHOICES,
        ),
        Parameter("rater", "human", "whose Eloundou labels come first", choices=("human", "gpt4")),
        Parameter(
            "platform",
            "claude_ai",
            "usage seen on claude_ai (all five releases) or any platform (API from v3 on)",
            choices=("claude_ai", "any"),
        ),
        Parameter(
            "threshold",
            0.0,
            "a task is seen in use when its share of conversations (percent, after the "
            "pct/n split over occupations sharing the statement) is above this",
            bounds=(0.0, 1.0),
        ),
        Parameter(
            "cumulative",
            True,
            "a task seen at one release stays reached later",
            choices=(True, False),
        ),
        Parameter(
            "union_2023",
            True,
            "releases also count the 2023 E1 tasks as reached",
            choices=(True, False),
        ),
        Parameter(
            "penetration",
            False,
            "also count tasks with 2026 task penetration > 0, from the first release after "
            f"{PENETRATION_DATE}",
            choices=(False, True),
        ),
        Parameter(
            "automation_levels",
            "T3+",
            "T labels as automation: T3+ (T3, T4 = 1) or graded (T0..T4 = 0, .25, .5, .75, 1)",
            choices=tuple(AUTOMATION_LEVELS),
        ),
        Parameter(
            "automation_evidence",
            "observed_first",
            "observed directive + feedback-loop share where a task has one, else the T label; "
            "or labels only",
            choices=("observed_first", "labels"),
        ),
        Parameter(
            "projection_year", 2028, "year of the projection (1 January)", bounds=(2027, 2040)
        ),
        Parameter("interval", 0.8, "coverage of the projection interval", bounds=(0.5, 0.99)),
        Parameter("n_boot", 100, "bootstrap draws for the interval", bounds=(20, 2000)),
        Parameter("seed", 20260324, "seed of the bootstrap", bounds=(0, 2**32 - 1)),
    )

    @property
    def name(self) -> str:
        at = self.params["at"]
        suffix = str(int(self.params["projection_year"])) if at == "projection" else at
        return f"{self.params['quantity']}_{suffix}"

    @property
    def title(self) -> str:
        what = "AI exposure" if self.params["quantity"] == "exposure" else "Automation risk"
        at = self.params["at"]
        when = {
            "2023": "2023 (LLM alone)",
            "now": "now (latest Anthropic release)",
            "projection": f"projected {int(self.params['projection_year'])}",
        }.get(at, f"at release {at}{' (derived)' if at in DERIVED_IN_TITLES else ''}")
        return f"{what}, {when}"

    def _options(self) -> tuple[TimelineOptions, FitOptions]:
        p = self.params
        timeline = TimelineOptions(**{f.name: p[f.name] for f in fields(TimelineOptions)})
        fit = FitOptions(
            int(p["projection_year"]), float(p["interval"]), int(p["n_boot"]), int(p["seed"])
        )
        return timeline, fit

    def _column(self, series: pd.DataFrame) -> str | None:
        q, at = self.params["quantity"], self.params["at"]
        if at == "projection":
            return f"{q}_{int(self.params['projection_year'])}"
        if at == "now":
            return f"{q}_{series['now_point'].iloc[0]}" if len(series) else None
        column = f"{q}_{at}"
        return column if column in series.columns else None

    def compute(self, ev: Evidence) -> pd.DataFrame:
        opts, fit = self._options()
        series = exposure_series(ev, opts, fit)
        q = self.params["quantity"]
        year = int(self.params["projection_year"])
        column = self._column(series)
        value = series[column] if column else pd.Series(np.nan, index=series.index)
        if column is None:
            note = pd.Series(
                f"release {self.params['at']} is not in this evidence ({opts.platform})",
                index=series.index,
                dtype=str,
            )
        else:
            no_fit = "no projection: fewer than two dated points to fit"
            note = pd.Series(
                [
                    no_fit if v != v and n == "" else n
                    for v, n in zip(value.tolist(), series["note"].tolist(), strict=True)
                ],
                index=series.index,
                dtype=str,
            )
        # one frame from columns (inserts and copies cost more than a role's single row)
        columns = {"value": value, "n_tasks": series["n_tasks"], "note": note}
        columns.update((c, series[c]) for c in series.columns if c.startswith(f"{q}_"))
        columns["projection_low"] = series[f"{q}_{year}_low"]
        columns["projection_high"] = series[f"{q}_{year}_high"]
        for column_name in ("now_release", "now_point", "untasked_share_now"):
            columns[column_name] = series[column_name]
        return pd.DataFrame(columns, index=series.index)

    def contributions(self, ev: Evidence, code: str) -> Explanation:
        opts, fit = self._options()
        q, at = self.params["quantity"], self.params["at"]
        row = self.scores_row(ev, code)
        value = _number(row["value"])
        tasks = ev.rows_of("tasks", code)
        tl = _timeline_of(ev, code, opts)
        keys = [p.key for p in tl.points]
        j = keys.index(at) if at in keys else len(keys) - 1
        factor = tl.automation[:, j] if q == "automation_risk" else np.ones(len(tasks))
        share = tasks["time_share"].to_numpy(dtype=float)
        part = 100 * share * tl.reached[:, j] * factor
        e_label, t_label = _labels(tasks, opts.rater, "e"), _labels(tasks, opts.rater, "t")
        task_ids, texts = tasks["task_id"].tolist(), tasks["task"].tolist()
        contributions = [
            TaskContribution(
                task_id=int(str(task_ids[i])),
                task=str(texts[i]),
                time_share=float(share[i]),
                contribution=float(part[i]),
                detail={
                    "exposure_label": e_label.iloc[i],
                    "automation_label": t_label.iloc[i],
                    "first_seen_in_use": tl.first_seen.iloc[i],
                    "reached": bool(tl.reached[i, j]),
                    "automation": float(tl.automation[i, j]),
                    "within_reach": bool(tl.potential[i]),
                },
            )
            for i in range(len(tasks))
        ]
        year = int(fit.projection_year)
        series = {p.label: _number(row[f"{q}_{p.key}"]) for p in tl.points}
        notes = [n for n in str(row["note"]).split("; ") if n]
        derived = [p.key for p in tl.points if p.derived]
        if derived:
            notes.append(f"{', '.join(derived)}: derived releases (a third party's derivation)")
        point = tl.points[j]
        if value is None:
            summary = str(row["note"]) or "no value"
        elif at == "projection":
            summary = (
                f"{self.title} = {value:.1f} ({fit.interval:.0%} interval "
                f"{row['projection_low']:.1f}-{row['projection_high']:.1f}), from "
                f"{row[f'{q}_{point.key}']:.1f} at {point.label}; growth rate "
                f"{row[f'{q}_growth_rate']:.2f} per year (logit), ceiling {row[f'{q}_ceiling']:.1f}"
            )
        else:
            n_reached = int(tl.reached[:, j].sum())
            summary = (
                f"{self.title} = {value:.1f} at {point.label}: {n_reached} of {len(tasks)} tasks "
                f"reached ({point.source})"
            )
        return Explanation(
            method=self.name,
            code=code,
            value=value,
            label=point.label if at != "projection" else str(year),
            summary=summary,
            additive=at != "projection",
            tasks=tuple(sorted(contributions, key=lambda t: (-t.contribution, -t.time_share))),
            inputs={
                "series": series,
                f"projection_{year}": _number(row[f"{q}_{year}"]),
                "projection_low": _number(row["projection_low"]),
                "projection_high": _number(row["projection_high"]),
                "growth_rate": _number(row[f"{q}_growth_rate"]),
                "ceiling": _number(row[f"{q}_ceiling"]),
                **{k: v for k, v in self.params.items() if k not in ("quantity", "at")},
            },
            notes=tuple(notes),
        )
