"""Releases and events -> series: the weekly AI job risk index (METHODS 2.5, page 004).

- :func:`release_series`: observed use of an occupation at each Anthropic Economic Index
  release (v3-v5 marked derived);
- :func:`load_events`: a YAML file of dated events, validated (docs/timeline.md);
- :func:`weekly_index`: weeks x occupations, the risk_index baseline plus the events;
- :func:`timeline`, :func:`movers`, :func:`explain_week`: records with ``to_dict()``.

    >>> from jobrisk.timeline import timeline  # doctest: +SKIP
    >>> timeline(cat, "15-1252.00").latest.text  # doctest: +SKIP
"""

from jobrisk.timeline.events import (
    CAPABILITY_KINDS,
    DEFAULT_EVENTS,
    DIRECTIONS,
    Event,
    Scope,
    load_events,
)
from jobrisk.timeline.scope import check_scopes, scope_index, soc_prefix
from jobrisk.timeline.views import (
    DEFAULT_WEEKS,
    EventEffect,
    Mover,
    Movers,
    ReleasePoint,
    Timeline,
    WeekExplanation,
    WeekPoint,
    explain_week,
    movers,
    release_series,
    timeline,
)
from jobrisk.timeline.weekly import WeeklyIndex, baseline_at, week_end, weekly_index

__all__ = [
    "CAPABILITY_KINDS",
    "DEFAULT_EVENTS",
    "DEFAULT_WEEKS",
    "DIRECTIONS",
    "Event",
    "EventEffect",
    "Mover",
    "Movers",
    "ReleasePoint",
    "Scope",
    "Timeline",
    "WeekExplanation",
    "WeekPoint",
    "WeeklyIndex",
    "baseline_at",
    "check_scopes",
    "explain_week",
    "load_events",
    "movers",
    "release_series",
    "scope_index",
    "soc_prefix",
    "timeline",
    "week_end",
    "weekly_index",
]
