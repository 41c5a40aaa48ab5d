"""One report model (:mod:`jobrisk.reports.model`) and its renderers.

    >>> report = build_report(cat, "15-2051.00")  # doctest: +SKIP
    >>> report.to_dict()["consensus"]["exposure_percentile"]  # doctest: +SKIP
    78.2...

Renderers: :mod:`.terminal` (rich), :mod:`.markdown`, :mod:`.html` (a fragment for the web
app and a self-contained document), JSON (:meth:`Report.to_dict`) and CSV of the task table
(:mod:`.table`).
"""

from __future__ import annotations

from jobrisk.reports.model import REPORT_SCHEMA_VERSION, Report, build_report, report_for_role

__all__ = ["REPORT_SCHEMA_VERSION", "Report", "build_report", "report_for_role"]
