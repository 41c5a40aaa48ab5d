"""HTML renderers: a fragment for the web app's layout and one self-contained document.

Jinja2 with autoescaping on; the charts are inline SVG (:mod:`jobrisk.reports.charts`) and
the document inlines ``static/report.css``, so the file opens offline with nothing to fetch.

    >>> html = render_report_document(build_report(cat, "15-2051.00"))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from jobrisk.reports import charts
from jobrisk.reports import formatting as fmt
from jobrisk.reports.model import Report

__all__ = ["render_report_document", "render_report_fragment", "report_css"]


def _cite(source_ids: Iterable[str]) -> Markup:
    ids = list(dict.fromkeys(source_ids))
    if not ids:
        return Markup("")
    links = ", ".join(f'<a href="#src-{escape(_slug(s))}">{escape(s)}</a>' for s in ids)
    return Markup(f'<p class="sources-cited">Sources: {links}</p>')


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in str(text).lower()).strip("-")


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("jobrisk.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.filters.update(
        pct=fmt.pct,
        share=fmt.share,
        money=fmt.money,
        count=fmt.count,
        number=fmt.number,
        confidence=fmt.confidence,
        flag=fmt.flag,
        text=fmt.text,
        signed_pct=fmt.signed_pct,
        slug=_slug,
    )
    env.globals["cite"] = _cite
    return env


@cache
def report_css() -> str:
    """The report stylesheet (``jobrisk/reports/static/report.css``)."""
    return files("jobrisk.reports").joinpath("static/report.css").read_text(encoding="utf-8")


def render_report_fragment(report: Report) -> str:
    """The report as one ``<article class="report">``, charts included, for a page layout."""
    chart_html = {"methods": charts.method_chart(report), "tasks": charts.task_chart(report)}
    return _environment().get_template("report.html.j2").render(r=report, charts=chart_html)


def render_report_document(report: Report, *, built: str | None = None) -> str:
    """One self-contained HTML file: the fragment, the CSS inlined, no external requests."""
    from jobrisk import __version__

    return (
        _environment()
        .get_template("document.html.j2")
        .render(
            r=report,
            fragment=Markup(render_report_fragment(report)),
            css=Markup(report_css()),
            version=__version__,
            built=built,
        )
    )
