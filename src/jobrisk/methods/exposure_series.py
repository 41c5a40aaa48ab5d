"""The task timeline and the exposure series behind :mod:`jobrisk.methods.exposure_time`.

:func:`build_timeline` says, per task and dated point (2023, each Anthropic release), whether
the task is reached and its automation level; :func:`exposure_series` sums it per unit into
both quantities at every point, projected along a logistic curve (see the method's docstring
for the definitions). The series is memoized per evidence; a subject (a custom role) takes
its reference population's growth rates, so its values equal those it would get appended to
the O*NET evidence.

Sums per unit are numpy (:func:`~jobrisk.methods.sums.group_sums`), not a pandas
``groupby``: the same numbers to the last bit, without pandas' per-call overhead, which
dominated a one-unit role's series.

    >>> exposure_series(ev, TimelineOptions(), FitOptions())["exposure_v5"]  # doctest: +SKIP
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from jobrisk.methods.adoption import (
    FloatArray,
    GrowthRates,
    TaskBootstrap,
    fit_rates,
    index_positions,
    project_with_interval,
    year_fraction,
)
from jobrisk.methods.evidence import Evidence
from jobrisk.methods.sums import group_sums
from jobrisk.methods.unit_rows import task_keys

__all__ = [
    "AUTOMATION_LEVELS",
    "CAPABILITY_DATE",
    "PENETRATION_DATE",
    "QUANTITIES",
    "RELEASE_KEYS",
    "FitOptions",
    "SeriesPoint",
    "TaskTimeline",
    "TimelineOptions",
    "build_timeline",
    "exposure_series",
    "release_points",
]

QUANTITIES = ("exposure", "automation_risk")
RELEASE_KEYS = ("v1", "v2", "v3", "v4", "v5")
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

IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[np.object_]


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
    """Per task (rows of ``tasks``) and point (columns): reached (0/1) and automation (0-1).

    ``e_label`` and ``t_label`` are the Eloundou labels used (the rater's, the other rater's
    where it has none), ``first_seen`` the first release a task was seen in use (None: never),
    per task; ``time_share``, ``task_ids`` and ``task_texts`` are the task columns every
    explanation lists.
    """

    points: tuple[SeriesPoint, ...]
    reached: FloatArray
    automation: FloatArray
    potential: FloatArray
    first_seen: ObjectArray
    e_label: ObjectArray
    t_label: ObjectArray
    time_share: FloatArray
    task_ids: list[Any]
    task_texts: list[Any]

    def __len__(self) -> int:
        return len(self.time_share)

    def take(self, rows: IntArray) -> TaskTimeline:
        """The timeline of these task rows, in this order (one unit's, from the evidence's)."""
        at = rows.tolist()
        return TaskTimeline(
            self.points,
            self.reached[rows],
            self.automation[rows],
            self.potential[rows],
            self.first_seen[rows],
            self.e_label[rows],
            self.t_label[rows],
            self.time_share[rows],
            [self.task_ids[i] for i in at],
            [self.task_texts[i] for i in at],
        )


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


_POINTS: weakref.WeakKeyDictionary[Evidence, dict[str, tuple[SeriesPoint, ...]]] = (
    weakref.WeakKeyDictionary()
)


def _points_of(ev: Evidence, platform: str) -> tuple[SeriesPoint, ...]:
    """:func:`release_points` of ``ev.releases``, once per releases frame a subject shares."""
    owner = ev.population if ev.releases is ev.population.releases else ev
    memo = _POINTS.setdefault(owner, {})
    if platform not in memo:
        memo[platform] = release_points(owner.releases, platform)
    return memo[platform]


@lru_cache(maxsize=64)
def _decimal_years(dates: tuple[str, ...]) -> FloatArray:
    times = year_fraction(pd.Series(list(dates)))
    times.flags.writeable = False  # shared by every caller of these dates
    return times


def _labels(tasks: pd.DataFrame, rater: str, kind: str) -> ObjectArray:
    """The rater's label per task, the other rater's where it has none (``fillna``)."""
    first, second = (f"human_{kind}", f"gpt4_{kind}")
    if rater == "gpt4":
        first, second = second, first
    own = tasks[first].to_numpy(dtype=object)
    return np.asarray(np.where(pd.isna(own), tasks[second].to_numpy(dtype=object), own))


@dataclass(frozen=True, eq=False)
class _Grouping:
    """Rows grouped by a key as a pandas ``groupby`` numbers them, and each group's unit."""

    ids: IntArray
    unit_of_group: IntArray
    n_units: int

    @classmethod
    def of(cls, keys: ObjectArray, units: pd.Index, sort: bool = False) -> _Grouping:
        """``groupby(keys, sort=sort)``'s group numbers; a key that is not a unit is kept
        (it moves pandas' numbering) and left out of the sums."""
        if sort:
            uniques, ids = np.unique(keys, return_inverse=True)
        else:
            ids, uniques = pd.factorize(keys)
        ids = np.asarray(ids, dtype=np.intp).reshape(-1)
        return cls(ids, index_positions(units, list(uniques)), len(units))

    @property
    def unit_of_row(self) -> IntArray:
        """Each row's unit (-1: none); a -1 group number reads the appended -1."""
        return np.append(self.unit_of_group, -1)[self.ids]

    def sums(self, values: FloatArray) -> FloatArray:
        """``groupby().sum()`` of ``values`` reindexed on the units (0 for a unit without rows)."""
        sums = group_sums(values, self.ids, len(self.unit_of_group))
        out = np.zeros((self.n_units, *sums.shape[1:]))
        found = self.unit_of_group >= 0
        out[self.unit_of_group[found]] = sums[found]
        return out


@dataclass(frozen=True, eq=False)
class _Usage:
    """The usage columns the series reads, as numpy arrays (task id NaN: occupation only)."""

    code: ObjectArray
    task_id: FloatArray
    release: ObjectArray
    platform: ObjectArray
    share: FloatArray
    automation_share: FloatArray

    @classmethod
    def of(cls, usage: pd.DataFrame) -> _Usage:
        return cls(
            usage["code"].to_numpy(dtype=object),
            usage["task_id"].to_numpy(dtype=float, na_value=np.nan),
            usage["release"].to_numpy(dtype=object),
            usage["platform"].to_numpy(dtype=object),
            usage["share"].to_numpy(dtype=float, na_value=np.nan),
            usage["automation_share"].to_numpy(dtype=float, na_value=np.nan),
        )


def _task_rows(tasks: pd.DataFrame, codes: list[Any], task_ids: list[Any]) -> IntArray:
    """The row of ``tasks`` with each (code, task id), -1 where there is none."""
    where = {
        key: i
        for i, key in enumerate(zip(tasks["code"].tolist(), tasks["task_id"].tolist(), strict=True))
    }
    return np.array(
        [where.get(key, -1) for key in zip(codes, task_ids, strict=True)], dtype=np.intp
    )


def build_timeline(
    tasks: pd.DataFrame,
    usage: pd.DataFrame,
    releases: pd.DataFrame,
    opts: TimelineOptions,
    points: tuple[SeriesPoint, ...] | None = None,
) -> TaskTimeline:
    """Reached and automation per task at 2023 and at each release (works on any subset).

    ``points`` are ``release_points(releases, opts.platform)`` when the caller has them.
    """
    rels = release_points(releases, opts.platform) if points is None else points
    return _build(tasks, _Usage.of(usage), opts, rels)


def _build(
    tasks: pd.DataFrame, usage: _Usage, opts: TimelineOptions, rels: tuple[SeriesPoint, ...]
) -> TaskTimeline:
    keys = [p.key for p in rels]
    all_points = (
        SeriesPoint("2023", CAPABILITY_DATE, False, "Eloundou et al. E1 labels (LLM alone)"),
        *rels,
    )
    e_label = _labels(tasks, opts.rater, "e")
    t_label = _labels(tasks, opts.rater, "t")
    capable = np.asarray(e_label == "E1", dtype=bool)
    levels = AUTOMATION_LEVELS[opts.automation_levels]
    auto_label = np.array([levels.get(t, 0.0) for t in t_label.tolist()], dtype=float)

    use = ~np.isnan(usage.task_id)
    if opts.platform != "any":
        use &= usage.platform == opts.platform
    at = np.flatnonzero(use)
    row = _task_rows(tasks, usage.code[at].tolist(), usage.task_id[at].astype(np.int64).tolist())
    column_of = {k: j for j, k in enumerate(keys)}
    col = np.array([column_of.get(r, -1) for r in usage.release[at].tolist()], dtype=np.intp)
    keep = (row >= 0) & (col >= 0)
    row, col = row[keep], col[keep]
    share = usage.share[at][keep]
    auto_share = usage.automation_share[at][keep]
    known = ~np.isnan(auto_share)

    def wide(values: FloatArray) -> FloatArray:
        table = np.zeros((len(tasks), len(keys)))
        np.add.at(table, (row, col), values)
        return table

    seen = wide((share > opts.threshold).astype(float)) > 0
    if opts.penetration:
        penetrated = tasks["penetration"].to_numpy(dtype=float, na_value=np.nan) > 0
        for j, p in enumerate(rels):
            if p.date >= PENETRATION_DATE:
                seen[:, j] |= penetrated
    ever = seen.any(axis=1)
    if opts.cumulative:
        seen = np.maximum.accumulate(seen, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        den = wide(np.where(known, share, 0.0))
        num = wide(np.where(known, share * auto_share, 0.0))
        observed_auto = num / np.where(den > 0, den, np.nan)
    for j in range(1, len(keys)):  # the latest release that has a share carries forward
        observed_auto[:, j] = np.where(
            np.isnan(observed_auto[:, j]), observed_auto[:, j - 1], observed_auto[:, j]
        )
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
    potential = (np.asarray((e_label == "E1") | (e_label == "E2"), dtype=bool) | ever).astype(float)
    first_seen = np.full(len(tasks), None, dtype=object)
    if keys:
        first = np.asarray(keys, dtype=object)[seen.argmax(axis=1)]
        first_seen = np.asarray(np.where(seen.any(axis=1), first, None), dtype=object)
    return TaskTimeline(
        all_points,
        reached,
        automation,
        potential,
        first_seen,
        e_label,
        t_label,
        tasks["time_share"].to_numpy(dtype=float),
        list(tasks["task_id"].tolist()),
        list(tasks["task"].tolist()),
    )


def _percent(share: FloatArray, keep: BoolArray) -> FloatArray:
    """0-1 shares as 0-100 (rounding can push a full share a hair over 1), NaN where not kept."""
    return np.where(keep, np.clip(100 * share, 0.0, 100.0), np.nan)


@dataclass(eq=False)
class _SeriesMemo:
    """One evidence's series for one set of options: the columns as arrays (what the methods
    read), each quantity's growth rates, and the frame, built when first asked for."""

    index: pd.Index
    columns: dict[str, Any]
    rates: dict[str, GrowthRates]
    frame: pd.DataFrame | None = None

    def table(self) -> pd.DataFrame:
        if self.frame is None:
            self.frame = pd.DataFrame(self.columns, index=self.index)
        return self.frame


_SERIES: weakref.WeakKeyDictionary[Evidence, dict[tuple[Any, ...], _SeriesMemo]] = (
    weakref.WeakKeyDictionary()
)


def exposure_series(ev: Evidence, opts: TimelineOptions, fit: FitOptions) -> pd.DataFrame:
    """Both quantities at every point and projected, one row per unit (memoized, a copy)."""
    return _series(ev, opts, fit).table().copy()


def series_columns(ev: Evidence, opts: TimelineOptions, fit: FitOptions) -> dict[str, Any]:
    """The memoized series as column -> array (text columns: pandas string arrays), in the
    frame's order: read it, never modify it."""
    return _series(ev, opts, fit).columns


def _series(ev: Evidence, opts: TimelineOptions, fit: FitOptions) -> _SeriesMemo:
    """The series and each quantity's growth rates; a subject takes its reference's rates."""
    memo = _SERIES.setdefault(ev, {})
    key = (opts, fit)  # frozen dataclasses: equal options, one entry
    if key not in memo:
        rates = None if ev.reference is None else _series(ev.reference, opts, fit).rates
        columns, own_rates = _series_columns(ev, opts, fit, rates)
        memo[key] = _SeriesMemo(ev.units.index, columns, own_rates)
    return memo[key]


# an evidence's whole timeline per set of options, and the usage arrays it read
_BUILT: weakref.WeakKeyDictionary[Evidence, dict[TimelineOptions, tuple[TaskTimeline, _Usage]]] = (
    weakref.WeakKeyDictionary()
)
_TIMELINES: weakref.WeakKeyDictionary[Evidence, dict[tuple[Any, ...], TaskTimeline]] = (
    weakref.WeakKeyDictionary()
)


def _built(ev: Evidence, opts: TimelineOptions) -> tuple[TaskTimeline, _Usage]:
    """Every task's timeline of ``ev`` and the usage it read (memoized per options)."""
    memo = _BUILT.setdefault(ev, {})
    if opts not in memo:
        usage = _Usage.of(ev.usage)
        memo[opts] = (_build(ev.tasks, usage, opts, _points_of(ev, opts.platform)), usage)
    return memo[opts]


def _timeline_of(ev: Evidence, code: str, opts: TimelineOptions) -> TaskTimeline:
    """One unit's timeline, shared by every instance explaining it (same options): its rows
    of the evidence's timeline, which is the series' own (a task's timeline reads its own
    rows of ``tasks`` and ``usage`` only, so it equals one built from the unit's rows)."""
    memo = _TIMELINES.get(ev)
    if memo is None:  # a WeakKeyDictionary's setdefault makes a weakref each call
        memo = _TIMELINES.setdefault(ev, {})
    key = (code, opts)
    if key not in memo:
        memo[key] = _built(ev, opts)[0].take(task_keys(ev).rows(code))
    return memo[key]


def _compute_series(
    ev: Evidence,
    opts: TimelineOptions,
    fit: FitOptions,
    reference_rates: dict[str, GrowthRates] | None,
) -> tuple[pd.DataFrame, dict[str, GrowthRates]]:
    """The series frame and each quantity's growth rates, computed afresh (only the task
    timeline it reads is memoized)."""
    columns, rates = _series_columns(ev, opts, fit, reference_rates)
    return pd.DataFrame(columns, index=ev.units.index), rates


def _series_columns(
    ev: Evidence,
    opts: TimelineOptions,
    fit: FitOptions,
    reference_rates: dict[str, GrowthRates] | None,
) -> tuple[dict[str, Any], dict[str, GrowthRates]]:
    tl, usage = _built(ev, opts)
    units = ev.units.index
    codes = ev.tasks["code"]
    task_codes = codes.to_numpy(dtype=object)
    by_code = _Grouping.of(task_codes, units)
    unit_of_task = by_code.unit_of_row
    weight = ev.tasks["time_share"].to_numpy(dtype=float)
    keys = [p.key for p in tl.points]
    times = _decimal_years(tuple(p.date for p in tl.points))
    years_ahead = float(fit.projection_year) - float(times[-1])
    now = len(keys) - 1
    n_tasks = np.bincount(unit_of_task[unit_of_task >= 0], minlength=len(units))
    has_tasks = n_tasks > 0

    auto_now = tl.automation[:, now]

    def per_unit(values: FloatArray) -> FloatArray:
        sums = by_code.sums(values)
        sums[~has_tasks] = np.nan
        return sums

    levels = {
        "exposure": per_unit(weight[:, None] * tl.reached),
        "automation_risk": per_unit(weight[:, None] * tl.reached * tl.automation),
    }
    # (tasks x 1) as before: numpy's pairwise sum of one column is not that of a 1-d array
    ceilings = {
        "exposure": per_unit((weight * tl.potential)[:, None])[:, 0],
        "automation_risk": per_unit((weight * tl.potential * auto_now)[:, None])[:, 0],
    }
    onet = (ev.units["kind"].to_numpy(dtype=object) == "onet") & has_tasks
    boot = TaskBootstrap(codes, ev.tasks["task_id"], units, fit.n_boot, fit.seed)
    boot_weight = boot.sums(weight)
    per_task_now = {
        "exposure": (tl.reached[:, now], tl.potential),
        "automation_risk": (tl.reached[:, now] * auto_now, tl.potential * auto_now),
    }
    out: dict[str, Any] = {}
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
        out[f"{quantity}_growth_rate"] = np.full(len(units), proj.slope, dtype=float)
        out[f"{quantity}_midpoint"] = np.where(has_tasks, proj.midpoint, np.nan)
    out["n_tasks"] = n_tasks.astype(np.int64)
    # text as pandas strings once, the dtype a frame gives them: every method's frame reuses them
    out["now_release"] = _text(np.full(len(units), tl.points[now].label, dtype=object))
    out["now_point"] = _text(np.full(len(units), tl.points[now].key, dtype=object))
    out["untasked_share_now"], note = _notes(ev, tl, opts, has_tasks, unit_of_task, usage)
    out["note"] = _text(note)
    return out, rates


def _text(values: ObjectArray) -> Any:
    """Python strings as the pandas string array a frame makes of them."""
    return pd.array(values, dtype="str")


def _notes(
    ev: Evidence,
    tl: TaskTimeline,
    opts: TimelineOptions,
    has_tasks: BoolArray,
    unit_of_task: IntArray,
    usage: _Usage,
) -> tuple[FloatArray, ObjectArray]:
    """Per unit: the percent of the latest release's conversations that reached it only at
    occupation level, and the note (why a value is missing or what it leaves out)."""
    units, now = ev.units.index, tl.points[-1]
    found = unit_of_task >= 0

    def per_unit(flags: BoolArray) -> npt.NDArray[np.int64]:
        return np.bincount(unit_of_task[found], weights=flags[found], minlength=len(units)).astype(
            np.int64
        )

    seen = per_unit(np.asarray(pd.notna(tl.first_seen), dtype=bool))
    unseen = has_tasks & (seen == 0) & (len(tl.points) > 1)
    unlabelled = per_unit(np.asarray(pd.isna(tl.e_label), dtype=bool))
    untasked = np.isnan(usage.task_id) & (usage.release == now.key)
    if opts.platform != "any":
        untasked &= usage.platform == opts.platform
    at = np.flatnonzero(untasked)
    # as ``groupby("code")["share"].sum()``: sorted by code, which picks pandas' summation
    untasked_share = _Grouping.of(usage.code[at], units, sort=True).sums(usage.share[at])
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
        has_tasks.tolist(),
        unseen.tolist(),
        untasked_share.tolist(),
        unlabelled.tolist(),
        strict=True,
    ):
        parts = [
            unseen_note if u else "",
            f"{share:.3f}{crosswalk_note}" if share > 0 else "",
            f"{n} tasks without an Eloundou label: not reached in 2023" if n > 0 else "",
        ]
        notes.append(
            "; ".join(p for p in parts if p) if ht else "no O*NET tasks for this occupation"
        )
    return untasked_share, np.array(notes, dtype=object)
