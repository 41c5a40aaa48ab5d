"""Records for people: an occupation's release history and weekly series, the week's movers,
and the explanation of a week's change written from the data by templates.

    >>> tl = timeline(cat, "15-1252.00")  # doctest: +SKIP
    >>> tl.latest.text  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from jobrisk.jsonready import record_json
from jobrisk.methods import load_evidence
from jobrisk.methods.exposure_series import FitOptions, TimelineOptions, exposure_series
from jobrisk.sources.registry import REGISTRY
from jobrisk.timeline.events import DEFAULT_EVENTS, Event, load_events
from jobrisk.timeline.weekly import WeeklyIndex, week_end, weekly_index

if TYPE_CHECKING:
    from jobrisk.catalog import Catalog

__all__ = [
    "DEFAULT_WEEKS",
    "EventEffect",
    "Mover",
    "Movers",
    "ReleasePoint",
    "Timeline",
    "WeekExplanation",
    "WeekPoint",
    "explain_week",
    "movers",
    "release_series",
    "timeline",
]

DEFAULT_WEEKS = 104
USAGE_PLATFORM = "claude_ai"  # the one platform every release covers
STEADY = 0.05  # a change that rounds to 0.0 at one decimal is "unchanged"


def _num(x: Any) -> float | None:
    return None if x is None or np.isnan(float(x)) else float(x)


@dataclass(frozen=True)
class ReleasePoint:
    """One Anthropic Economic Index release as seen by one occupation."""

    key: str
    date: str
    derived: bool
    source_id: str
    # percent of the release's Claude.ai conversations on the occupation's tasks; None when no
    # release can reach the occupation (its code is newer than the releases' O*NET 20.1 tasks)
    usage_share: float | None
    tasks_seen: int | None
    exposure: float | None  # exposure_over_time at the release, 0-100
    automation_risk: float | None


def _release_source(date: str) -> str:
    for s in REGISTRY:
        if s.id.startswith("anthropic_economic_index/") and date in s.version:
            return s.id
    return ""


def release_series(cat: Catalog, code: str) -> tuple[ReleasePoint, ...]:
    """Observed use of one occupation at each Anthropic release, oldest first.

    Derived releases (v3-v5, a third party's derivation) carry ``derived=True``.
    """
    code = cat.resolve(code)
    ev = load_evidence(cat)
    series = exposure_series(ev, TimelineOptions(), FitOptions()).loc[code]
    usage = ev.rows_of("usage", code)
    usage = usage[usage["platform"] == USAGE_PLATFORM]
    tasked = usage[usage["task_id"].notna()]
    rel = ev.releases[ev.releases["platform"] == USAGE_PLATFORM].sort_values("release_date")
    linked = bool(ev.units["usage_linked"].get(code, True)) if "usage_linked" in ev.units else True
    out = []
    for r in rel.itertuples(index=False):
        rows = tasked[tasked["release"] == r.release]
        date = str(r.release_date)[:10]
        out.append(
            ReleasePoint(
                key=str(r.release),
                date=date,
                derived=bool(r.derived),
                source_id=_release_source(date),
                usage_share=float(rows["share"].sum()) if linked else None,
                tasks_seen=int((rows["share"] > 0).sum()) if linked else None,
                exposure=_num(series.get(f"exposure_{r.release}")),
                automation_risk=_num(series.get(f"automation_risk_{r.release}")),
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class EventEffect:
    """An event's effect on one occupation: its weight (part of the work in scope) and points."""

    event: Event
    weight: float
    points: float  # signed size x weight


@dataclass(frozen=True)
class WeekExplanation:
    """One occupation's change in one week, its parts, and the text written from them."""

    code: str
    title: str
    week: str
    value: float | None
    previous: float | None
    change: float | None
    baseline_change: float | None
    events_change: float | None
    effects: tuple[EventEffect, ...]
    projected: bool
    unclamped: float | None  # baseline + adjustment before the 0-100 clamp, when it was clamped
    text: str


@dataclass(frozen=True)
class WeekPoint:
    week: str
    value: float | None
    baseline: float | None
    adjustment: float
    change: float | None
    projected: bool
    event_ids: tuple[str, ...]  # events in this occupation's scope dated inside the week


@dataclass(frozen=True)
class Timeline:
    """An occupation's release history, weekly series and the latest week explained."""

    code: str
    title: str
    releases: tuple[ReleasePoint, ...]
    weeks: tuple[WeekPoint, ...]
    latest: WeekExplanation
    events: tuple[EventEffect, ...]  # every event reaching the occupation, by date
    events_file: str
    baseline_as_of: str
    release_date: str

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (dates as ISO text, NaN as None)."""
        plain: dict[str, Any] = record_json(self)
        return plain


@dataclass(frozen=True)
class Mover:
    code: str
    title: str
    value: float
    previous: float
    change: float
    baseline_change: float
    events_change: float
    event_ids: tuple[str, ...]


@dataclass(frozen=True)
class Movers:
    """The occupations whose score moved most in one week, up and down."""

    week: str
    up: tuple[Mover, ...]
    down: tuple[Mover, ...]
    events: tuple[Event, ...]  # events dated inside the week
    events_file: str
    n_occupations: int

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (dates as ISO text, NaN as None)."""
        plain: dict[str, Any] = record_json(self)
        return plain


def _events(events_path: str | Path | None) -> tuple[list[Event], str]:
    path = Path(events_path) if events_path is not None else DEFAULT_EVENTS
    return load_events(path), str(path)


def _range(end: dt.date | None, weeks: int) -> tuple[dt.date, dt.date]:
    last = week_end(end or dt.date.today())
    return last - dt.timedelta(weeks=max(weeks, 1) - 1), last


def _effects(idx: WeeklyIndex, j: int, which: list[int]) -> tuple[EventEffect, ...]:
    return tuple(
        EventEffect(
            idx.events[k],
            float(idx.weights[k, j]),
            float(idx.events[k].signed_size * idx.weights[k, j]),
        )
        for k in which
        if idx.weights[k, j] > 0
    )


def explain_week(idx: WeeklyIndex, code: str, week: dt.date) -> WeekExplanation:
    """The change of ``code`` in the week containing ``week``, and its text (templates only).

    Every number in ``text`` is one of the record's fields, rounded as shown (tested).
    """
    i, j = idx.row(week), idx.column(code)
    title = str(idx.titles.iloc[j])
    end = idx.weeks[i]
    value = _num(idx.value[i, j])
    previous = _num(idx.previous[0, j] if i == 0 else idx.value[i - 1, j])
    change, base_change = _num(idx.change[i, j]), _num(idx.baseline_change[i, j])
    events_change = _num(idx.events_change[i, j])
    effects = _effects(idx, j, idx.events_in_week(i))
    raw = float(idx.baseline[i, j] + idx.adjustment[i, j])
    unclamped = raw if value is not None and not 0.0 <= raw <= 100.0 else None
    projected = idx.projected[i]
    if value is None or previous is None or change is None:
        text = (
            f"{title}: no AI risk score in the week ending {end.isoformat()}; the baseline "
            "has no value for this occupation (see `jobrisk score` for why)."
        )
    else:
        text = _text(title, end, value, previous, change, base_change, events_change, effects)
        if projected:
            text += (
                " Past the latest Anthropic release the baseline is a projection along the "
                "adoption curves."
            )
        if unclamped is not None:
            text += f" The score is held inside 0-100 (before that: {unclamped:.1f})."
    return WeekExplanation(
        code=code,
        title=title,
        week=end.isoformat(),
        value=value,
        previous=previous,
        change=change,
        baseline_change=base_change,
        events_change=events_change,
        effects=effects,
        projected=projected,
        unclamped=unclamped,
        text=text,
    )


def _text(
    title: str,
    end: dt.date,
    value: float,
    previous: float,
    change: float,
    base_change: float | None,
    events_change: float | None,
    effects: tuple[EventEffect, ...],
) -> str:
    if abs(change) < STEADY:
        head = f"{title}: AI risk score {value:.1f} / 100 in the week ending {end.isoformat()}, "
        head += "unchanged from the week before."
    else:
        verb = "up" if change > 0 else "down"
        head = (
            f"{title}: AI risk score {value:.1f} / 100 in the week ending {end.isoformat()}, "
            f"{verb} {abs(change):.1f} from {previous:.1f}."
        )
    parts = [head]
    if base_change is not None:
        parts.append(
            f"The data baseline moved {base_change:+.1f} (exposure and automation risk along "
            "their adoption curves, fitted to the Anthropic Economic Index releases)."
        )
    if not effects:
        parts.append("No event in this occupation's scope is dated this week.")
    else:
        n = len(effects)
        listed = "; ".join(
            f"“{f.event.headline}” ({f.event.date.isoformat()}, {f.event.direction} "
            f"{f.event.size:g} x {100 * f.weight:.0f}% of the work in scope = {f.points:+.1f})"
            + (" [example event]" if f.event.example else "")
            for f in effects
        )
        total = events_change if events_change is not None else sum(f.points for f in effects)
        parts.append(
            f"{n} event{'s' if n > 1 else ''} in its scope moved it {total:+.1f}: {listed}."
        )
    return " ".join(parts)


def timeline(
    cat: Catalog,
    code: str,
    *,
    events_path: str | Path | None = None,
    weeks: int = DEFAULT_WEEKS,
    end: dt.date | None = None,
) -> Timeline:
    """One occupation's releases, ``weeks`` weekly points up to ``end`` (default today), and
    the last week explained. ``events_path`` defaults to the shipped example events."""
    code = cat.resolve(code)
    events, origin = _events(events_path)
    start, last = _range(end, weeks)
    idx = weekly_index(cat, events, start=start, end=last)
    j = idx.column(code)
    change, projected = idx.change[:, j], idx.projected
    points = []
    for i, w in enumerate(idx.weeks):
        in_week = idx.events_in_week(i)
        points.append(
            WeekPoint(
                week=w.isoformat(),
                value=_num(idx.value[i, j]),
                baseline=_num(idx.baseline[i, j]),
                adjustment=float(np.nan_to_num(idx.adjustment[i, j])),
                change=_num(change[i]),
                projected=projected[i],
                event_ids=tuple(idx.events[k].id for k in in_week if idx.weights[k, j] > 0),
            )
        )
    order = sorted(range(len(idx.events)), key=lambda k: (idx.events[k].date, k))
    return Timeline(
        code=code,
        title=str(idx.titles.iloc[j]),
        releases=release_series(cat, code),
        weeks=tuple(points),
        latest=explain_week(idx, code, idx.weeks[-1]),
        events=_effects(idx, j, order),
        events_file=origin,
        baseline_as_of=idx.baseline_as_of,
        release_date=idx.release_date.isoformat(),
    )


def movers(
    cat: Catalog,
    *,
    week: dt.date | None = None,
    limit: int = 10,
    events_path: str | Path | None = None,
) -> Movers:
    """The ``limit`` largest weekly rises and falls in the week containing ``week`` (default:
    this week). Occupations without a score are left out; ties go by code."""
    events, origin = _events(events_path)
    day = week or dt.date.today()
    idx = weekly_index(cat, events, start=day, end=day)
    change, value = idx.change[0], idx.value[0]
    known = ~np.isnan(change)
    codes = idx.codes.to_numpy()
    in_week = idx.events_in_week(0)

    def pick(sign: float) -> tuple[Mover, ...]:
        rows = [j for j in np.flatnonzero(known & (sign * change > 0))]
        rows.sort(key=lambda j: (-sign * change[j], codes[j]))
        return tuple(
            Mover(
                code=str(codes[j]),
                title=str(idx.titles.iloc[j]),
                value=float(value[j]),
                previous=float(idx.previous[0, j]),
                change=float(change[j]),
                baseline_change=float(idx.baseline_change[0, j]),
                events_change=float(idx.events_change[0, j]),
                event_ids=tuple(idx.events[k].id for k in in_week if idx.weights[k, j] > 0),
            )
            for j in rows[:limit]
        )

    return Movers(
        week=idx.weeks[0].isoformat(),
        up=pick(1.0),
        down=pick(-1.0),
        events=tuple(idx.events[k] for k in in_week),
        events_file=origin,
        n_occupations=int(known.sum()),
    )
