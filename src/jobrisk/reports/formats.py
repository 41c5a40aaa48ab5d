"""Every output format of a report behind one function, for the CLI and the web app.

>>> text = render_report(build_report(cat, "15-2051.00"), "markdown")  # doctest: +SKIP
"""

from __future__ import annotations

import io
import json

from jobrisk.errors import InputError
from jobrisk.reports.model import Report

__all__ = ["FORMATS", "MEDIA_TYPES", "render_report"]

FORMATS: tuple[str, ...] = ("terminal", "markdown", "html", "json", "csv")
MEDIA_TYPES = {
    "terminal": "text/plain; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
}
SUFFIXES = {"terminal": ".txt", "markdown": ".md", "html": ".html", "json": ".json", "csv": ".csv"}


def render_report(report: Report, fmt: str, *, width: int = 120) -> str:
    """The report as text in ``fmt`` (one of :data:`FORMATS`); ``terminal`` is plain text."""
    if fmt == "json":
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if fmt == "markdown":
        from jobrisk.reports.markdown import render_markdown

        return render_markdown(report)
    if fmt == "html":
        from jobrisk.reports.html import render_report_document

        return render_report_document(report)
    if fmt == "csv":
        from jobrisk.reports.table import render_csv

        return render_csv(report)
    if fmt == "terminal":
        from rich.console import Console

        from jobrisk.reports.terminal import render_terminal

        buf = io.StringIO()
        render_terminal(report, Console(file=buf, width=width, no_color=True, highlight=False))
        return buf.getvalue()
    raise InputError(f"unknown report format {fmt!r}", hint=f"choose one of: {', '.join(FORMATS)}")
