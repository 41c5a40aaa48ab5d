"""CSV of a report's task table: one row per task, full-precision numbers, empty = missing.

Two ``#`` comment lines come first (what it is, and the O*NET attribution, which CC BY 4.0
asks every export to carry); read it with ``pandas.read_csv(path, skiprows=2)``.

    >>> print(render_csv(build_report(cat, "15-2051.00")).splitlines()[2])  # doctest: +SKIP
    code,number,task_id,task,time_share,...
"""

from __future__ import annotations

import csv
import dataclasses
import io

from jobrisk.reports.model import Report, TaskRow

__all__ = ["CSV_COLUMNS", "render_csv"]

CSV_COLUMNS: tuple[str, ...] = ("code", *(f.name for f in dataclasses.fields(TaskRow)))
COMMENT_LINES = 2


def render_csv(report: Report) -> str:
    """The task table as CSV text (``\\n`` line ends)."""
    buf = io.StringIO()
    buf.write(f"# jobrisk task table: {_one_line(report.title)} ({report.code})\n")
    buf.write(f"# {report.attribution}\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for row in report.tasks.rows:
        values = dataclasses.asdict(row)
        w.writerow([report.code, *(_cell(values[c]) for c in CSV_COLUMNS[1:])])
    return buf.getvalue()


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def _one_line(text: str) -> str:
    return " ".join(text.split())
