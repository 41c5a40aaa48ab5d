"""The machinery the three Economic Index release measures share (:mod:`jobrisk.methods.anthropic`).

Each release measure (usage share, usage depth, automation share) reads ``ev.usage`` for one
platform and shows every release side by side. Their sums per unit and release are taken once
per evidence and platform (:class:`PlatformUsage`, :class:`DepthUsage`) and shared by every
instance (release, platform, weighting), so a custom role scored alone costs microseconds per
method, and an occupation's explanation reads arrays instead of filtering frames. The sums are
pandas-identical (:mod:`jobrisk.methods.sums`), so the values equal the earlier groupby ones.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from jobrisk.errors import DataError, InputError
from jobrisk.methods.base import Direction, Family, Method, Parameter
from jobrisk.methods.evidence import Evidence
from jobrisk.methods.indices import optional_float
from jobrisk.methods.sums import (
    BoolArray,
    FloatArray,
    IntArray,
    group_sums,
    in_key_order,
    pairs_first,
)
from jobrisk.methods.unit_rows import as_floats, task_keys, unit_position, unit_positions
from jobrisk.sources.anthropic import DERIVED, RELEASES, V1, V2

RELEASE_NAMES: tuple[str, ...] = tuple(dict.fromkeys(r.release for r in RELEASES))
RELEASE_POSITION = {r: i for i, r in enumerate(RELEASE_NAMES)}
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

T = TypeVar("T")

__all__ = [
    "CROSSWALK_TASK",
    "DepthUsage",
    "PlatformUsage",
    "ReleaseInfo",
    "ReleaseSums",
    "UsageMethod",
    "depth_usage",
    "derived_note",
    "release_info",
    "release_label",
]


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


# Per-evidence tables shared by the usage methods (several instances read the same ones).
_SHARED: weakref.WeakKeyDictionary[Evidence, dict[tuple[Any, ...], Any]] = (
    weakref.WeakKeyDictionary()
)


def _shared(ev: Evidence, key: tuple[Any, ...], make: Callable[[], T]) -> T:
    memo = _SHARED.setdefault(ev, {})
    if key not in memo:
        memo[key] = make()
    value: T = memo[key]
    return value


def _releases_owner(ev: Evidence) -> Evidence:
    """The evidence whose memo holds figures of ``ev.releases``: the reference population when
    the subject carries the same releases frame (a custom role does), so they are read once."""
    population = ev.population
    return population if ev.releases is population.releases else ev


def release_info(ev: Evidence, release: str, platform: str) -> ReleaseInfo:
    """The release's row of ``ev.releases``; a DataError when the index lacks it."""
    owner = _releases_owner(ev)
    return _shared(
        owner, ("release", release, platform), lambda: _release_info(owner, release, platform)
    )


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


def _present(ev: Evidence, platform: str) -> frozenset[str]:
    """The releases the evidence has on the platform (measured: a unit without rows reads 0)."""
    owner = _releases_owner(ev)
    return _shared(
        owner,
        ("present", platform),
        lambda: frozenset(owner.releases.loc[owner.releases["platform"] == platform, "release"]),
    )


@dataclass(frozen=True, eq=False)
class ReleaseSums:
    """Per unit, over one release's rows: all of them, those without a task (crosswalk) and
    those with a classified mode, each summed as a groupby of those rows by code."""

    total: FloatArray
    crosswalk: FloatArray
    classified: FloatArray


@dataclass(frozen=True, eq=False)
class PlatformUsage:
    """One platform's usage rows as arrays, and their sums per unit x release
    (``RELEASE_NAMES`` order), each taken once per evidence and shared by every instance."""

    codes: npt.NDArray[Any]  # per row: code and release labels (the groupby keys)
    releases: npt.NDArray[Any]
    unit: IntArray  # per row: position in ev.units, -1 outside
    release: IntArray  # per row: position in RELEASE_NAMES, -1 outside
    group: IntArray  # per row: unit x release cell, -1 outside
    task_id: FloatArray  # per row: NaN for a crosswalk row
    share: FloatArray
    automation: FloatArray  # NaN where the row has no classified mode
    n_rows: IntArray  # unit x release
    share_sum: FloatArray
    classified_sum: FloatArray  # share of the rows with a classified mode
    automation_sum: FloatArray  # share x automation over those rows
    n_classified: IntArray
    n_task_ids: IntArray  # distinct tasks
    n_classified_task_ids: IntArray  # distinct tasks with a classified mode
    ever: BoolArray  # per unit: a row in any release on the platform
    _by_release: dict[int, ReleaseSums] = field(default_factory=dict)

    def rows(self, unit: int, release: str) -> IntArray:
        """Positions of one unit's rows in one release, in the evidence's row order."""
        return np.flatnonzero(self.group == unit * len(RELEASE_NAMES) + self.position(release))

    @staticmethod
    def position(release: str) -> int:
        return RELEASE_POSITION[release]

    def in_release(self, release: str) -> ReleaseSums:
        """The per-unit sums over one release's rows, made on first use."""
        at = self.position(release)
        if at not in self._by_release:
            n = len(self.ever)
            rows = self.release == at

            def by_code(where: BoolArray) -> FloatArray:
                return group_sums(
                    self.share[where],
                    self.unit[where],
                    n,
                    sorted_keys=in_key_order(self.codes[where]),
                )

            self._by_release[at] = ReleaseSums(
                total=by_code(rows),
                crosswalk=by_code(rows & np.isnan(self.task_id)),
                classified=by_code(rows & ~np.isnan(self.automation)),
            )
        return self._by_release[at]


def _platform_usage(ev: Evidence, platform: str) -> PlatformUsage:
    u = ev.usage
    n, n_rel = len(ev.units), len(RELEASE_NAMES)
    on = u["platform"].to_numpy() == platform
    codes, releases = u["code"].to_numpy()[on], u["release"].to_numpy()[on]
    unit = unit_positions(ev, codes)
    release = np.fromiter(
        (RELEASE_POSITION.get(r, -1) for r in releases.tolist()), dtype=np.intp, count=len(releases)
    )
    group = np.where((unit >= 0) & (release >= 0), unit * n_rel + release, -1)
    ever = np.zeros(n, dtype=bool)
    ever[unit[unit >= 0]] = True
    task_id = as_floats(u["task_id"])[on]
    share = as_floats(u["share"])[on]
    automation = as_floats(u["automation_share"])[on]
    crosswalk = np.isnan(task_id)
    classified = ~np.isnan(automation)
    c_order = in_key_order(codes[classified], releases[classified])

    def cells(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return values.reshape(n, n_rel)

    def count(rows: BoolArray) -> IntArray:
        inside = rows & (group >= 0)
        return cells(np.bincount(group[inside], minlength=n * n_rel))

    def distinct_tasks(rows: BoolArray) -> IntArray:
        inside = rows & (group >= 0)
        first = pairs_first(group[inside], task_id[inside])
        return cells(np.bincount(group[inside][first], minlength=n * n_rel))

    return PlatformUsage(
        codes=codes,
        releases=releases,
        unit=unit,
        release=release,
        group=group,
        task_id=task_id,
        share=share,
        automation=automation,
        n_rows=count(np.ones(len(group), dtype=bool)),
        share_sum=cells(
            group_sums(share, group, n * n_rel, sorted_keys=in_key_order(codes, releases))
        ),
        classified_sum=cells(
            group_sums(share[classified], group[classified], n * n_rel, sorted_keys=c_order)
        ),
        automation_sum=cells(
            group_sums(
                (share * automation)[classified],
                group[classified],
                n * n_rel,
                sorted_keys=c_order,
            )
        ),
        n_classified=count(classified),
        n_task_ids=distinct_tasks(~crosswalk),
        n_classified_task_ids=distinct_tasks(~crosswalk & classified),
        ever=ever,
    )


@dataclass(frozen=True, eq=False)
class DepthUsage:
    """Per unit x release: the weight of the unit's tasks in use (``num``) and how many are
    (``n_used``); per unit: the weight (``den``) and number of all its tasks."""

    num: FloatArray
    n_used: IntArray
    den: FloatArray
    n_tasks: IntArray


def depth_usage(
    ev: Evidence, table: PlatformUsage, weights: FloatArray, min_share: float
) -> DepthUsage:
    """Usage rows of a task over ``min_share``, each once (``drop_duplicates``), joined to the
    unit's tasks on code and task id (an inner merge) and summed by weight per unit x release.
    Rows of codes outside ``ev.units`` (none in a built evidence) are left out of the join."""
    n, n_rel = len(ev.units), len(RELEASE_NAMES)
    keys = task_keys(ev)
    den = group_sums(weights, keys.unit, n, sorted_keys=keys.in_order)
    n_tasks = np.bincount(keys.unit[keys.unit >= 0], minlength=n)
    used = np.flatnonzero(~np.isnan(table.task_id) & (table.share > min_share) & (table.group >= 0))
    used = used[pairs_first(table.group[used], table.task_id[used])]
    task_of_hit, used_of_hit = _join_tasks(
        keys.unit,
        keys.numbers("task_id"),
        table.unit[used],
        table.task_id[used],
    )
    hit = used[used_of_hit]
    group = table.group[hit]
    in_order = in_key_order(table.codes[hit], table.releases[hit])
    num = group_sums(weights[task_of_hit], group, n * n_rel, sorted_keys=in_order)
    n_used = np.bincount(group, minlength=n * n_rel)
    return DepthUsage(
        num=num.reshape(n, n_rel), n_used=n_used.reshape(n, n_rel), den=den, n_tasks=n_tasks
    )


def _join_tasks(
    task_unit: IntArray, task_id: FloatArray, unit: IntArray, used_task: FloatArray
) -> tuple[IntArray, IntArray]:
    """Inner join of used rows to task rows on (unit, task id): per match, the task row and the
    used row, in used-row order, then task-row order (as ``merge``)."""
    ok = (task_unit >= 0) & ~np.isnan(task_id)
    rows = np.flatnonzero(ok)
    if not len(rows) or not len(unit):
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    tid = task_id[ok].astype(np.int64)
    hid = used_task.astype(np.int64)
    low = min(int(tid.min()), int(hid.min()))
    span = max(int(tid.max()), int(hid.max())) - low + 1
    task_key = task_unit[ok].astype(np.int64) * span + (tid - low)
    used_key = unit.astype(np.int64) * span + (hid - low)
    order = np.argsort(task_key, kind="stable")
    sorted_key = task_key[order]
    left = np.searchsorted(sorted_key, used_key, "left")
    n_match = np.searchsorted(sorted_key, used_key, "right") - left
    used_of_hit = np.repeat(np.arange(len(used_key)), n_match)
    offset = np.arange(int(n_match.sum())) - np.repeat(np.cumsum(n_match) - n_match, n_match)
    return rows[order[np.repeat(left, n_match) + offset]], used_of_hit


@dataclass(frozen=True, eq=False)
class UnitState:
    """Per unit: has O*NET tasks, linked to the releases' task lists (``usage_linked``)."""

    has_tasks: BoolArray
    linked: BoolArray
    linked_known: bool  # the evidence has ``usage_linked`` (else every unit counts as linked)


def _unit_state(ev: Evidence) -> UnitState:
    n = len(ev.units)
    task_unit = task_keys(ev).unit
    has_tasks = np.zeros(n, dtype=bool)
    has_tasks[task_unit[task_unit >= 0]] = True
    known = "usage_linked" in ev.units.columns
    if known:
        column = ev.units["usage_linked"]
        if column.dtype == bool:
            linked = column.to_numpy()
        else:
            linked = column.to_numpy(dtype=bool, na_value=False)
    else:
        linked = np.ones(n, dtype=bool)
    return UnitState(has_tasks=has_tasks, linked=linked, linked_known=known)


class UsageMethod(Method):
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
    def _at(self) -> int:
        """The chosen release's column in the unit x release tables."""
        return RELEASE_POSITION[self.release]

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

    def _shared_table(self, ev: Evidence, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        """A table of ``ev`` made once and shared by every usage method instance."""
        return _shared(ev, key, make)

    def _usage(self, ev: Evidence) -> PlatformUsage:
        return _shared(ev, ("usage", self.platform), lambda: _platform_usage(ev, self.platform))

    def _state(self, ev: Evidence) -> UnitState:
        return _shared(ev, ("state",), lambda: _unit_state(ev))

    def _release_rows(self, ev: Evidence, code: str) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Task id (NaN: crosswalk), share and automation share of the unit's rows in the release."""
        table = self._usage(ev)
        at = table.rows(unit_position(ev, code), self.release)
        return table.task_id[at], table.share[at], table.automation[at]

    def _table(
        self, ev: Evidence, by_release: FloatArray, zero: BoolArray
    ) -> dict[str, FloatArray]:
        """``value`` of the chosen release and ``value_<release>`` for every release.

        ``by_release`` is unit x release, NaN where the unit has no rows; a release the evidence
        has on the platform gives 0 instead where ``zero`` holds (measured, nothing seen).
        """
        info = release_info(ev, self.release, self.platform)
        present = _present(ev, info.platform)
        columns = {}
        for i, release in enumerate(RELEASE_NAMES):
            col = by_release[:, i]
            if release in present:
                col = np.where(np.isnan(col) & zero, 0.0, col)
            columns[f"value_{release}"] = col
        return {"value": columns[f"value_{info.release}"], **columns}

    def _finish(
        self,
        ev: Evidence,
        values: dict[str, FloatArray],
        n_tasks: IntArray,
        extra: dict[str, Any],
    ) -> pd.DataFrame:
        """The score table: value, n_tasks, note, value_<release> ..., then ``extra``."""
        notes = self._base_note(ev, values["value"], extra)
        more = derived_note(self.release)
        if more:
            notes = ["; ".join(p for p in (n, more) if p) for n in notes]
        columns: dict[str, Any] = {
            "value": values["value"],
            "n_tasks": n_tasks.astype(int),
            "note": pd.array(notes, dtype=str),
        }
        columns.update((k, v) for k, v in values.items() if k != "value")
        columns.update(extra)
        return pd.DataFrame(columns, index=ev.units.index)

    no_task_reason: ClassVar[str] = "no O*NET tasks"

    def _base_note(self, ev: Evidence, value: FloatArray, extra: dict[str, Any]) -> list[str]:
        """Why a value is missing or zero, per unit, for the chosen release."""
        state = self._state(ev)
        ever = self._usage(ev).ever
        hint = "" if state.linked_known else ZERO_HINT
        return [
            (UNLINKED if ht and not lk else self.no_task_reason)
            if np.isnan(v)
            else f"no conversation in {self.release} reached its tasks" + ("" if e else hint)
            if v == 0
            else ""
            for v, ht, lk, e in zip(
                value.tolist(),
                state.has_tasks.tolist(),
                state.linked.tolist(),
                ever.tolist(),
                strict=True,
            )
        ]
