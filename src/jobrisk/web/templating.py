"""Jinja2 templates (autoescaped everywhere) and the number formats the pages share."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from jobrisk.render_scores import ONET_ATTRIBUTION
from jobrisk.reports import Report
from jobrisk.reports.charts import TrendPoint, trend_chart
from jobrisk.reports.html import render_report_fragment as _report_fragment
from jobrisk.timeline import Timeline


def fmt_pct(v: Any) -> str:
    return "-" if v is None else f"{float(v):.0f}"


def fmt_money(v: Any) -> str:
    return "-" if v is None else f"${float(v):,.0f}"


def fmt_num(v: Any, digits: int = 0) -> str:
    if v is None:
        return "-"
    return f"{float(v):,.{digits}f}"


@cache
def env() -> Environment:
    e = Environment(
        loader=PackageLoader("jobrisk.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    e.filters.update(pct=fmt_pct, money=fmt_money, num=fmt_num)
    e.globals.update(attribution=ONET_ATTRIBUTION)
    return e


def render(template: str, **context: Any) -> str:
    return env().get_template(template).render(**context)


def error_page(status: int, message: str, hint: str | None, suggestions: list[str]) -> str:
    """The HTML twin of the JSON error body; suggestions starting with a code become links."""
    links = []
    for s in suggestions:
        code, _, title = s.partition(" ")
        links.append((code, title or code))
    return render("error.html", status=status, message=message, hint=hint, suggestions=links)


def render_report_fragment(report: Report) -> str:
    """The report as an ``<article>`` (the reports package's renderer)."""
    return _report_fragment(report)


def trend_charts(tl: Timeline) -> tuple[Markup, Markup | None]:
    """The weekly index line and, when there are releases, observed use per release."""
    weekly = trend_chart(
        [
            TrendPoint(
                dt.date.fromisoformat(w.week), w.value, False, "projected" if w.projected else ""
            )
            for w in tl.weeks
        ],
        title=f"Weekly AI job risk index: {tl.title}",
        description="risk_index baseline plus dated events, 0-100",
        unit="",
        y_range=(0.0, 100.0),
    )
    releases = None
    if any(r.usage_share is not None for r in tl.releases):
        releases = trend_chart(
            [
                TrendPoint(dt.date.fromisoformat(r.date), r.usage_share, r.derived, r.key)
                for r in tl.releases
            ],
            title="Observed use at each Anthropic Economic Index release",
            description="percent of Claude.ai conversations on this occupation's tasks",
            unit="%",
        )
    return weekly, releases
