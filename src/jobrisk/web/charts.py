"""Server-rendered inline SVG for the web pages (no scripts, no inline styles).

Colours come from classes in ``static/style.css``; every chart has a ``<title>`` and a
``<desc>`` so a screen reader can say what it shows, and the data are also in a table or
list beside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from jobrisk.api import ExposurePoint

WIDTH, HEIGHT = 720, 380
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 44


WAGE_TICKS = (20_000.0, 30_000.0, 50_000.0, 75_000.0, 100_000.0, 150_000.0, 250_000.0, 400_000.0)


def _wage_ticks(hi: float) -> list[float]:
    return [w for w in WAGE_TICKS if w <= hi]


def exposure_wage_scatter(points: Sequence[ExposurePoint]) -> str:
    """Consensus exposure percentile (y) against annual median wage (x, log scale)."""
    with_wage = [p for p in points if p.annual_median_wage]
    if not with_wage:
        return '<p class="muted">No occupation has both a wage and an exposure value.</p>'
    wages = [float(p.annual_median_wage or 0) for p in with_wage]
    lo, hi = math.log10(min(wages) * 0.95), math.log10(max(wages) * 1.05)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(wage: float) -> float:
        return LEFT + (math.log10(wage) - lo) / (hi - lo) * plot_w

    def y(pct: float) -> float:
        return TOP + (1 - pct / 100.0) * plot_h

    parts = [
        f'<svg class="chart scatter" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-labelledby="scatter-title scatter-desc" data-testid="scatter">',
        '<title id="scatter-title">Exposure percentile against median annual wage</title>',
        f'<desc id="scatter-desc">{len(with_wage)} occupations; x is the BLS OEWS median '
        "annual wage on a log scale, y the consensus exposure percentile.</desc>",
    ]
    for pct in (0, 25, 50, 75, 100):
        yy = y(pct)
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{yy:.1f}" y2="{yy:.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end">{pct}</text>'
        )
    for w in _wage_ticks(10**hi):
        if w < 10**lo:
            continue
        xx = x(w)
        parts.append(
            f'<line class="grid" x1="{xx:.1f}" x2="{xx:.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}"/>'
            f'<text class="tick" x="{xx:.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle">${w / 1000:.0f}k</text>'
        )
    for p in with_wage:
        parts.append(
            f'<circle class="pt" cx="{x(float(p.annual_median_wage or 0)):.1f}" '
            f'cy="{y(p.exposure_percentile):.1f}" r="2.6"><title>{escape(p.title)} '
            f"({p.code}): {p.exposure_percentile:.0f}th percentile, "
            f"${float(p.annual_median_wage or 0):,.0f}</title></circle>"
        )
    parts.append(
        f'<text class="axis" x="{LEFT + plot_w / 2:.0f}" y="{HEIGHT - 6}" text-anchor="middle">'
        "median annual wage (log scale)</text>"
        f'<text class="axis" x="14" y="{TOP + plot_h / 2:.0f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {TOP + plot_h / 2:.0f})">exposure percentile</text></svg>'
    )
    return "".join(parts)
