"""Server-side inline SVG charts: no JavaScript, no external files, no ``style=`` attributes.

Each chart is a ``<figure class="chart">`` holding an SVG (``role="img"`` with ``<title>`` and
``<desc>``) and a ``<details>`` data table, so a screen reader (and anyone) can read the
numbers. Colours come from CSS classes in ``static/report.css``; the SVG presentation
attributes give the same colours when the CSS is absent, which a strict
``style-src 'self'`` policy allows.

    >>> str(trend_chart([TrendPoint(date(2023, 3, 17), 25.0)], title="Exposure"))[:26]
    '<figure class="chart trend'
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from jobrisk.reports import formatting as fmt
from jobrisk.reports.model import Report

__all__ = ["TrendPoint", "method_chart", "task_chart", "trend_chart"]

WIDTH = 640
MAX_DATE_LABELS = 8
_ids = itertools.count(1)

# Fallback fills; the CSS classes of the same names override them.
CELL_COLOURS = {
    "Replaceable": "#b2182b",
    "AI-augmented": "#ef8a62",
    "Human-led + AI-assisted": "#67a9cf",
    "Human-critical": "#2166ac",
    "unscored": "#bdbdbd",
}
EXPOSURE_COLOURS = {"E2": "#b2182b", "E1": "#ef8a62", "E0": "#2166ac", "unlabelled": "#bdbdbd"}


@dataclass(frozen=True)
class TrendPoint:
    """One point of a trend line; ``derived`` marks a third party's derivation (drawn hollow)."""

    when: date
    value: float | None
    derived: bool = False
    label: str = ""


def _uid(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def _figure(kind: str, svg: str, caption: str, table: str) -> Markup:
    return Markup(
        f'<figure class="chart {kind}">{svg}'
        f"<figcaption>{escape(caption)}</figcaption>"
        f"<details><summary>Data table</summary>{table}</details></figure>"
    )


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f'<div class="table-scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _svg_open(uid: str, height: int, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'focusable="false"><title id="{uid}-t">{escape(title)}</title>'
        f'<desc id="{uid}-d">{escape(desc)}</desc>'
    )


def method_chart(report: Report) -> Markup:
    """Exposure percentile per method (bars), with the consensus and its interval (band)."""
    uid = _uid("methods")
    cards = [c for c in report.scores if c.exposure_percentile is not None]
    c = report.consensus
    label_w, plot_w, row_h, top = 250, WIDTH - 250 - 40, 22, 24
    height = top + row_h * max(len(cards), 1) + 30

    def x(p: float) -> float:
        return label_w + plot_w * p / 100.0

    parts = [
        _svg_open(
            uid,
            height,
            f"Exposure percentile by method: {report.title}",
            f"{len(cards)} methods with a value; consensus {fmt.pct(c.exposure_percentile)} "
            f"(interval {fmt.pct(c.low)}-{fmt.pct(c.high)}). Higher means more exposed.",
        )
    ]
    if c.low is not None and c.high is not None:
        parts.append(
            f'<rect class="band" x="{x(c.low):.1f}" y="{top - 6}" width="{x(c.high) - x(c.low):.1f}"'
            f' height="{row_h * len(cards) + 6}" fill="#fde0a6" fill-opacity="0.6"/>'
        )
    for tick in (0, 25, 50, 75, 100):
        parts.append(
            f'<line class="grid" x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top - 6}" '
            f'y2="{top + row_h * len(cards)}" stroke="#ddd"/>'
            f'<text class="tick" x="{x(tick):.1f}" y="{top + row_h * len(cards) + 16}" '
            f'text-anchor="middle" font-size="11">{tick}</text>'
        )
    for i, card in enumerate(cards):
        y = top + i * row_h
        p = card.exposure_percentile or 0.0
        cls = "bar in-consensus" if card.in_consensus else "bar"
        fill = "#b2182b" if card.in_consensus else "#999"
        parts.append(
            f'<text class="label" x="{label_w - 6}" y="{y + 14}" text-anchor="end" '
            f'font-size="11">{escape(_short(card.title))}</text>'
            f'<rect class="{cls}" x="{label_w}" y="{y + 3}" width="{x(p) - label_w:.1f}" '
            f'height="{row_h - 8}" fill="{fill}"><title>{escape(card.title)}: '
            f"{fmt.pct(p)}</title></rect>"
        )
    if c.exposure_percentile is not None:
        cx = x(c.exposure_percentile)
        parts.append(
            f'<line class="consensus" x1="{cx:.1f}" x2="{cx:.1f}" y1="{top - 8}" '
            f'y2="{top + row_h * len(cards)}" stroke="#000" stroke-width="2"/>'
            f'<text class="consensus-label" x="{cx:.1f}" y="{top - 10}" text-anchor="middle" '
            f'font-size="11">consensus {fmt.pct(c.exposure_percentile)}</text>'
        )
    parts.append("</svg>")
    table = _table(
        ["method", "exposure percentile", "in consensus"],
        [
            [card.title, fmt.pct(card.exposure_percentile), fmt.flag(card.in_consensus)]
            for card in cards
        ]
        + [["consensus (interval)", f"{fmt.pct(c.exposure_percentile)} ({fmt.pct(c.low)}-"
            f"{fmt.pct(c.high)})", "-"]],
    )  # fmt: skip
    return _figure(
        "methods",
        "".join(parts),
        "Exposure percentile among O*NET occupations per method (higher = more exposed); "
        "dark bars are in the consensus, the shaded band is the consensus interval.",
        table,
    )


def _short(title: str, n: int = 40) -> str:
    return title if len(title) <= n else title[: n - 1] + "…"


def task_chart(report: Report) -> Markup:
    """Time share by task-matrix cell and by exposure label, as two stacked bars."""
    uid = _uid("tasks")
    rows = report.tasks.rows
    by_cell: dict[str, float] = dict.fromkeys(CELL_COLOURS, 0.0)
    by_label: dict[str, float] = dict.fromkeys(EXPOSURE_COLOURS, 0.0)
    for r in rows:
        by_cell[r.matrix_cell if r.matrix_cell in by_cell else "unscored"] += r.time_share
        by_label[r.exposure if r.exposure in by_label else "unlabelled"] += r.time_share
    total = sum(r.time_share for r in rows) or 1.0
    label_w, plot_w, top, bar_h = 130, WIDTH - 130 - 20, 10, 26
    height = top + 2 * (bar_h + 34) + 10
    parts = [
        _svg_open(
            uid,
            height,
            f"Task time by matrix cell and exposure label: {report.title}",
            "; ".join(f"{k} {fmt.share(v / total, 0)}" for k, v in by_cell.items() if v)
            + ". "
            + "; ".join(f"{k} {fmt.share(v / total, 0)}" for k, v in by_label.items() if v),
        )
    ]
    for j, (name, shares, colours, css) in enumerate(
        (
            ("matrix cell", by_cell, CELL_COLOURS, "cell"),
            ("exposure label", by_label, EXPOSURE_COLOURS, "exposure"),
        )
    ):
        y = top + j * (bar_h + 34)
        parts.append(
            f'<text class="label" x="{label_w - 6}" y="{y + 17}" text-anchor="end" '
            f'font-size="11">{escape(name)}</text>'
        )
        x0 = float(label_w)
        for key, v in shares.items():
            if v <= 0:
                continue
            w = plot_w * v / total
            parts.append(
                f'<rect class="seg {css}-{_slug(key)}" x="{x0:.1f}" y="{y}" width="{w:.1f}" '
                f'height="{bar_h}" fill="{colours[key]}"><title>{escape(key)}: '
                f"{fmt.share(v / total)}</title></rect>"
            )
            if w > 36:
                parts.append(
                    f'<text class="seg-label" x="{x0 + w / 2:.1f}" y="{y + 17}" '
                    f'text-anchor="middle" font-size="11" fill="#fff">'
                    f"{fmt.share(v / total, 0)}</text>"
                )
            x0 += w
        legend_x = float(label_w)
        for key, v in shares.items():
            if v <= 0:
                continue
            parts.append(
                f'<rect class="seg {css}-{_slug(key)}" x="{legend_x:.1f}" y="{y + bar_h + 6}" '
                f'width="10" height="10" fill="{colours[key]}"/>'
                f'<text class="legend" x="{legend_x + 14:.1f}" y="{y + bar_h + 15}" '
                f'font-size="10">{escape(key)}</text>'
            )
            legend_x += 14 + 6.2 * len(key) + 12
    parts.append("</svg>")
    table = _table(
        ["breakdown", "group", "share of task time"],
        [["matrix cell", k, fmt.share(v / total)] for k, v in by_cell.items() if v]
        + [["exposure label", k, fmt.share(v / total)] for k, v in by_label.items() if v],
    )
    return _figure(
        "tasks",
        "".join(parts),
        "Share of the task time in each task-matrix cell and each Eloundou exposure label.",
        table,
    )


def trend_chart(
    points: Sequence[TrendPoint],
    *,
    title: str,
    description: str = "",
    unit: str = "",
    y_range: tuple[float, float] | None = None,
) -> Markup:
    """A line of values over dates; derived points are drawn hollow and say so in the table.

    Points with no value leave a gap. ``y_range`` fixes the axis (default: 0 to the largest
    value, at least 0-1 or 0-100 when the values fit those).
    """
    uid = _uid("trend")
    pts = sorted(points, key=lambda p: p.when)
    known = [p for p in pts if p.value is not None]
    left, right, top, bottom = 52, 20, 16, 40
    height = 240
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    if y_range is None:
        hi = max((p.value for p in known if p.value is not None), default=1.0)
        y_range = (0.0, 1.0 if hi <= 1 else 100.0 if hi <= 100 else hi * 1.1)
    lo, hi = y_range
    span = (hi - lo) or 1.0
    if pts:
        d0, d1 = pts[0].when.toordinal(), pts[-1].when.toordinal()
    else:
        d0 = d1 = 0
    dspan = (d1 - d0) or 1

    def xy(p: TrendPoint) -> tuple[float, float]:
        x = left + plot_w * ((p.when.toordinal() - d0) / dspan if d1 > d0 else 0.5)
        y = top + plot_h * (1 - ((p.value or 0.0) - lo) / span)
        return x, y

    desc = description or (
        f"{len(known)} points from {pts[0].when.isoformat()} to {pts[-1].when.isoformat()}"
        if pts
        else "no data"
    )
    parts = [_svg_open(uid, height, title, desc)]
    for k in range(5):
        v = lo + span * k / 4
        y = top + plot_h * (1 - k / 4)
        parts.append(
            f'<line class="grid" x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#ddd"/><text class="tick" x="{left - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end" font-size="11">{_tick(v, whole=span > 10)}</text>'
        )
    segment: list[str] = []
    for p in pts:
        if p.value is None:
            if len(segment) > 1:
                parts.append(_polyline(segment))
            segment = []
            continue
        x, y = xy(p)
        segment.append(f"{x:.1f},{y:.1f}")
    if len(segment) > 1:
        parts.append(_polyline(segment))
    radius = 4 if len(known) <= 24 else 2.5
    for p in known:
        x, y = xy(p)
        cls = "point derived" if p.derived else "point"
        fill = "#fff" if p.derived else "#b2182b"
        what = " (derived)" if p.derived else ""
        parts.append(
            f'<circle class="{cls}" cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{fill}" '
            f'stroke="#b2182b" stroke-width="2"><title>{escape(p.label or p.when.isoformat())}'
            f": {_tick(p.value)}{escape(what)}</title></circle>"
        )
    step = max(1, -(-len(pts) // MAX_DATE_LABELS))  # ceil: at most MAX_DATE_LABELS labels
    for p in pts[::step]:
        x, _ = xy(p)
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="10">{p.when.isoformat()[:7]}</text>'
        )
    parts.append("</svg>")
    table = _table(
        ["date", "label", f"value{f' ({unit})' if unit else ''}", "derived"],
        [
            [p.when.isoformat(), p.label, fmt.MISSING if p.value is None else _tick(p.value),
             fmt.flag(p.derived)]
            for p in pts
        ],
    )  # fmt: skip
    return _figure(
        "trend", "".join(parts), f"{title}. Hollow points are derived by a third party.", table
    )


def _polyline(points: list[str]) -> str:
    return (
        f'<polyline class="line" points="{" ".join(points)}" fill="none" stroke="#b2182b" '
        'stroke-width="2"/>'
    )


def _tick(v: float | None, *, whole: bool = False) -> str:
    if v is None:
        return fmt.MISSING
    return f"{v:,.0f}" if whole or abs(v) >= 10 else f"{v:.2f}"
