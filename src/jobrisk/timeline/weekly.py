"""The weekly AI job risk index (METHODS 2.5, page 004): weeks x occupations, vectorised.

For a week ``w`` (weeks end on Sunday; an event counts from the week that contains its date):

    value(w) = clamp(baseline(w) + sum over events e dated on or before w of
                     sign(e) x size(e) x weight(e, occupation), 0, 100)

``weight`` is the part of the occupation's work in the event's scope
(:mod:`jobrisk.timeline.scope`). ``baseline(w)`` is the ``risk_index`` method's weighted mean
(:func:`~jobrisk.methods.risk_index.risk_score`) with two of its components moving in time:
automation risk now and exposure now follow each occupation's logistic adoption curve (the
``*_ceiling``, ``*_growth_rate`` and ``*_midpoint`` columns of
:func:`~jobrisk.methods.exposure_time.exposure_series`), shifted so that at the latest
Anthropic release they equal the measured values. So ``baseline`` at the latest release is
exactly the ``risk_index`` score; before it the curve runs back through the releases, after it
the curve is a projection (``WeeklyIndex.projected``). The projected-automation and prior
components are fixed. Events therefore show as steps on a smooth baseline.

    >>> idx = weekly_index(cat, events, start=date(2025, 1, 1), end=date(2026, 12, 31))  # doctest: +SKIP
    >>> idx.value[:, idx.column("15-1252.00")]  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from jobrisk.errors import InputError, UnknownOccupationError
from jobrisk.methods import get_method, load_evidence
from jobrisk.methods.adoption import expit, year_fraction
from jobrisk.methods.exposure_series import (
    FitOptions,
    TimelineOptions,
    exposure_series,
    release_points,
)
from jobrisk.methods.risk_index import COMPONENTS, RiskIndex
from jobrisk.timeline.events import Event
from jobrisk.timeline.scope import check_scopes, scope_index

if TYPE_CHECKING:
    from jobrisk.catalog import Catalog

__all__ = ["MAX_WEEKS", "WeeklyIndex", "baseline_at", "week_end", "weekly_index"]

FloatArray = npt.NDArray[np.float64]
MAX_WEEKS = 1100  # about 21 years: a guard against a typo in a date, not a limit of the method
# The curves move these two components; risk_index's other two are fixed in time.
MOVING = {"automation_now": "automation_risk", "exposure_now": "exposure"}


def week_end(day: dt.date) -> dt.date:
    """The Sunday that ends the (Monday-to-Sunday) week containing ``day``."""
    return day + dt.timedelta(days=6 - day.weekday())


@dataclass(frozen=True, eq=False)
class WeeklyIndex:
    """The weekly series of every occupation. Arrays are weeks x occupations, 0-100.

    ``previous`` is the value in the week before ``weeks[0]``, so ``change`` is defined for
    every week shown. ``weights`` is events x occupations.
    """

    weeks: tuple[dt.date, ...]
    codes: pd.Index
    titles: pd.Series
    baseline: FloatArray
    adjustment: FloatArray
    value: FloatArray
    previous: FloatArray  # rows: value, baseline, adjustment of the week before weeks[0]
    events: tuple[Event, ...]
    weights: FloatArray
    release_date: dt.date  # the latest release: baseline = the risk_index score there
    baseline_as_of: str

    @property
    def change(self) -> FloatArray:
        """value(w) - value(w - 1 week), weeks x occupations."""
        return np.diff(np.vstack([self.previous[0][None, :], self.value]), axis=0)

    @property
    def baseline_change(self) -> FloatArray:
        return np.diff(np.vstack([self.previous[1][None, :], self.baseline]), axis=0)

    @property
    def events_change(self) -> FloatArray:
        """The change the events dated inside each week bring (before clamping)."""
        return np.diff(np.vstack([self.previous[2][None, :], self.adjustment]), axis=0)

    @property
    def projected(self) -> tuple[bool, ...]:
        """Per week: True when its baseline lies past the latest release (a projection)."""
        return tuple(w > self.release_date for w in self.weeks)

    def column(self, code: str) -> int:
        """The column of an occupation code."""
        j = int(self.codes.get_indexer(pd.Index([code]))[0])
        if j < 0:
            raise UnknownOccupationError(code)
        return j

    def row(self, week: dt.date) -> int:
        """The row of the week that contains ``week`` (any day of it)."""
        end = week_end(week)
        if end not in self.weeks:
            raise InputError(
                f"the week ending {end} is outside this series ({self.weeks[0]} to "
                f"{self.weeks[-1]})",
                hint="choose a week inside the range, or widen start/end",
            )
        return self.weeks.index(end)

    def events_in_week(self, i: int) -> list[int]:
        """Positions (in ``events``) of the events dated inside week row ``i``."""
        end = self.weeks[i]
        start = end - dt.timedelta(days=7)
        return [k for k, e in enumerate(self.events) if start < e.date <= end]

    def frame(self, code: str) -> pd.DataFrame:
        """One occupation's series as a table (week, value, baseline, adjustment, change)."""
        j = self.column(code)
        return pd.DataFrame(
            {
                "week": list(self.weeks),
                "value": self.value[:, j],
                "baseline": self.baseline[:, j],
                "adjustment": self.adjustment[:, j],
                "change": self.change[:, j],
                "projected": self.projected,
            }
        )


def _week_grid(start: dt.date, end: dt.date) -> list[dt.date]:
    first, last = week_end(start), week_end(end)
    if last < first:
        raise InputError(
            f"the end {end} is before the start {start}", hint="give start <= end (YYYY-MM-DD)"
        )
    n = (last - first).days // 7 + 1
    if n > MAX_WEEKS:
        raise InputError(
            f"{n} weeks from {start} to {end} is more than {MAX_WEEKS}",
            hint="shorten the range",
        )
    # One extra week in front, so the first week shown has a change.
    return [first + dt.timedelta(weeks=k) for k in range(-1, n)]


def _baseline(cat: Catalog, grid: Sequence[dt.date]) -> tuple[FloatArray, dt.date, str]:
    """Weeks x occupations baseline, the latest release's date and the score's as-of label."""
    ev = load_evidence(cat)
    method = get_method("risk_index")
    assert isinstance(method, RiskIndex)
    scores = method.memoized_scores(ev)
    fit = FitOptions(projection_year=int(method.params["projection_year"]))
    opts = TimelineOptions()
    series = exposure_series(ev, opts, fit)
    points = release_points(ev.releases, opts.platform)
    if not points:
        raise InputError("the index has no Anthropic release to anchor the weekly baseline")
    release_date = dt.date.fromisoformat(points[-1].date)
    t = year_fraction(pd.Series(pd.to_datetime(list(grid))))[:, None]
    t_now = float(year_fraction(pd.Series(pd.to_datetime([release_date])))[0])

    components = {c: scores[c].to_numpy(dtype=float)[None, :] for c in COMPONENTS}
    for component, quantity in MOVING.items():
        ceiling = series[f"{quantity}_ceiling"].to_numpy(dtype=float) / 100
        rate = series[f"{quantity}_growth_rate"].to_numpy(dtype=float)
        midpoint = series[f"{quantity}_midpoint"].to_numpy(dtype=float)
        curve = ceiling * expit(rate * (t - midpoint))
        shift = curve - ceiling * expit(rate * (t_now - midpoint))
        # No curve (no ceiling, no growth): the component stays at its measured value.
        shift = np.where(np.isnan(shift), 0.0, shift)
        components[component] = np.clip(components[component] + shift, 0.0, 1.0)

    w = method.weights()
    num = np.zeros((len(grid), len(ev.units)))
    den = np.zeros(len(ev.units))
    for c in COMPONENTS:
        values = np.broadcast_to(components[c], num.shape)
        known = ~np.isnan(values)
        num += np.where(known, values * getattr(w, c), 0.0)
        den += np.where(known[0], getattr(w, c), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        base = np.where(den > 0, 100 * num / den, np.nan)
    base = np.where(scores["value"].notna().to_numpy()[None, :], np.clip(base, 0.0, 100.0), np.nan)
    as_of = str(scores["baseline_as_of"].dropna().iloc[0]) if len(scores) else ""
    return base, release_date, as_of


def baseline_at(cat: Catalog, days: Sequence[dt.date]) -> FloatArray:
    """The baseline of every occupation on any dates (rows) - the weekly grid uses Sundays.

    On the latest release's date it equals the ``risk_index`` score.
    """
    return _baseline(cat, days)[0]


def weekly_index(
    cat: Catalog, events: Sequence[Event], *, start: dt.date, end: dt.date
) -> WeeklyIndex:
    """The weekly index of every occupation from ``start`` to ``end`` (their weeks included).

    Raises an InputError when an event's scope names a code the index does not have.
    """
    check_scopes(cat, events)
    grid = _week_grid(start, end)
    base, release_date, as_of = _baseline(cat, grid)
    ev = load_evidence(cat)
    weights = scope_index(cat).weights(events)
    sizes = np.array([e.signed_size for e in events], dtype=float)
    dates = np.array([e.date for e in events], dtype=object)
    active = np.array([[d <= w for d in dates] for w in grid], dtype=float).reshape(
        len(grid), len(events)
    )
    adjustment = active @ (sizes[:, None] * weights)
    value = np.clip(base + adjustment, 0.0, 100.0)
    return WeeklyIndex(
        weeks=tuple(grid[1:]),
        codes=ev.units.index,
        titles=ev.units["title"],
        baseline=base[1:],
        adjustment=adjustment[1:],
        value=value[1:],
        previous=np.vstack([value[0], base[0], adjustment[0]]),
        events=tuple(events),
        weights=weights,
        release_date=release_date,
        baseline_as_of=as_of,
    )
