"""Every renderer says the same numbers as ``Report.to_dict()``: each output is parsed back."""

from __future__ import annotations

import csv
import io
import re
from html import escape as html_escape
from html.parser import HTMLParser

import pytest
from markupsafe import escape
from tests.reports.conftest import HOSTILE_TASK, HOSTILE_TITLE

from jobrisk.reports import Report
from jobrisk.reports.charts import TrendPoint, trend_chart
from jobrisk.reports.formats import FORMATS, render_report
from jobrisk.reports.html import render_report_document, render_report_fragment
from jobrisk.reports.markdown import render_markdown
from jobrisk.reports.table import CSV_COLUMNS, render_csv


def number(text: str) -> float | None:
    """A displayed number back to a float: ``$1,234.50`` -> 1234.5, ``6.2%`` -> 6.2."""
    t = text.strip()
    if t in {"-", ""}:
        return None
    return float(re.sub(r"[$,%+]", "", t))


def close(shown: str, value: float | None, scale: float = 1.0, digits: int = 0) -> bool:
    """Whether ``shown`` is ``value x scale`` rounded to ``digits`` decimals."""
    got = number(shown)
    if value is None:
        return got is None
    return got is not None and abs(got - value * scale) <= 0.5 * 10**-digits + 1e-9


class Cells(HTMLParser):
    """Collects text by (row key, data-col) and by data-key, from the report's tables."""

    def __init__(self) -> None:
        super().__init__()
        self.row: str | None = None
        self.stack: list[str | None] = []
        self.cells: dict[tuple[str, str], str] = {}
        self.keys: dict[str, str] = {}
        self.buf: list[str] = []
        self.target: tuple[str, str] | str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr":
            self.row = a.get("data-method") or a.get("data-task") or a.get("data-input")
        if a.get("data-col") and self.row:
            self.target, self.buf = (self.row, a["data-col"] or ""), []
        elif a.get("data-key"):
            self.target, self.buf = a["data-key"], []

    def handle_data(self, data: str) -> None:
        if self.target is not None:
            self.buf.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self.target is not None and tag in {"td", "dd", "span"}:
            text = "".join(self.buf).strip()
            if isinstance(self.target, tuple):
                self.cells[self.target] = text
            else:
                self.keys[self.target] = text
            self.target = None


def parse_html(html: str) -> Cells:
    p = Cells()
    p.feed(html)
    return p


def md_table(md: str, heading: str) -> list[list[str]]:
    """The first table after ``heading`` as rows of cells (unescaped)."""
    after = md.split(heading, 1)[1]
    lines = [ln for ln in after.splitlines() if ln.startswith("|")]
    block: list[list[str]] = []
    started = False
    for ln in after.splitlines():
        if ln.startswith("|"):
            started = True
            cells = re.split(r"(?<!\\)\|", ln.strip())[1:-1]
            block.append([c.strip().replace("\\|", "|").replace("\\", "") for c in cells])
        elif started:
            break
    assert lines, heading
    return block[2:]  # skip the header and the rule


def test_html_numbers_equal_the_json(occupation_report: Report) -> None:
    d = occupation_report.to_dict()
    cells = parse_html(render_report_fragment(occupation_report))
    for card in d["scores"]:
        m = card["method"]
        assert cells.cells[(m, "value")] == card["display"]
        assert close(cells.cells[(m, "percentile")], card["percentile"])
        assert close(cells.cells[(m, "exposure_percentile")], card["exposure_percentile"])
        assert cells.cells[(m, "zone")] == (card["zone"] or "-")
    for row in d["tasks"]["rows"]:
        n = str(row["number"])
        assert close(cells.cells[(n, "time_share")], row["time_share"], 100, 1)
        assert cells.cells[(n, "task")] == row["task"]
        assert cells.cells[(n, "exposure")] == (row["exposure"] or "-")
        assert cells.cells[(n, "matrix_cell")] == (row["matrix_cell"] or "-")
        assert cells.cells[(n, "aijri_score")] == str(row["aijri_score"] or "-")
    c = d["consensus"]
    assert close(cells.keys["consensus"], c["exposure_percentile"])
    assert cells.keys["interval"] == f"{c['low']:.0f}-{c['high']:.0f}"
    assert close(cells.keys["aijri"], d["aijri"]["value"], digits=1)
    assert close(cells.keys["raw"], d["aijri"]["raw"], digits=4)
    assert close(cells.keys["ai_cost"], d["cost"]["value"], digits=2)
    assert close(cells.keys["employment"], d["profile"]["employment"])
    for i in d["aijri"]["evidence"] + d["aijri"]["barriers"]:
        assert cells.cells[(i["name"], "value")] == str(i["value"])


def test_markdown_numbers_equal_the_json(occupation_report: Report) -> None:
    d = occupation_report.to_dict()
    md = render_markdown(occupation_report)
    scores = md_table(md, "## Score card per method")
    assert len(scores) == len(d["scores"])
    for row, card in zip(scores, d["scores"], strict=True):
        assert row[1] == card["display"]
        assert close(row[3], card["percentile"])
        assert close(row[4], card["exposure_percentile"])
        assert row[6] == ("yes" if card["in_consensus"] else "no")
    tasks = md_table(md, "## Tasks")
    for row, t in zip(tasks, d["tasks"]["rows"], strict=True):
        assert row[0] == str(t["number"])
        assert close(row[2], t["time_share"], 100, 1)
        assert row[3] == (t["exposure"] or "-")
    (cons,) = md_table(md, "## Consensus and disagreement")
    c = d["consensus"]
    assert close(cons[0], c["exposure_percentile"]) and close(cons[1], c["low"])
    cost = dict(md_table(md, "## Operational AI cost of a task-hour"))
    assert close(cost["AI cost per AI-handled task-hour"], d["cost"]["value"], digits=2)
    assert close(cost["inference"], d["cost"]["inference"], digits=2)
    parts = {r[0]: r for r in md_table(md, "| part | total | modifier |")}
    assert close(parts["composite"][2], d["aijri"]["composite"], digits=1)
    assert close(parts["raw"][1], d["aijri"]["raw"], digits=4)


def test_csv_is_the_task_table_at_full_precision(occupation_report: Report) -> None:
    d = occupation_report.to_dict()
    text = render_csv(occupation_report)
    lines = text.splitlines()
    assert lines[0].startswith("# jobrisk task table") and "CC BY 4.0" in lines[1]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[2:]))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == len(d["tasks"]["rows"])
    for got, want in zip(rows, d["tasks"]["rows"], strict=True):
        assert got["code"] == d["code"]
        assert float(got["time_share"]) == want["time_share"]
        assert got["task"] == want["task"]
        assert int(got["task_id"]) == want["task_id"]
        assert (got["aijri_score"] or None) == (
            None if want["aijri_score"] is None else str(want["aijri_score"])
        )
        pen = want["penetration"]
        assert (float(got["penetration"]) if got["penetration"] else None) == pen


def test_terminal_carries_the_headline_numbers(occupation_report: Report) -> None:
    text = render_report(occupation_report, "terminal")
    c = occupation_report.consensus
    assert occupation_report.title in text
    assert c.summary.split(";")[0] in " ".join(text.split())
    assert f"AIJRI {occupation_report.aijri.value:.1f}" in text
    assert f"${occupation_report.cost.value:,.2f} per AI-handled task-hour" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_onet_attribution_in_every_format(
    occupation_report: Report, role_report: Report, fmt: str
) -> None:
    for report in (occupation_report, role_report):
        text = render_report(report, fmt, width=400)
        flat = " ".join(text.replace("\\*", "*").split())
        assert report.attribution in flat


def test_html_document_is_self_contained(occupation_report: Report) -> None:
    html = render_report_document(occupation_report)
    assert html.startswith("<!doctype html>") and html.rstrip().endswith("</html>")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert not re.search(r"<(?:script|link|iframe|img)\b", html, re.I)
    assert not re.search(r"""\sstyle\s*=""", html, re.I)  # strict CSP: no inline style attributes
    assert "<style>" in html and ".report .table-scroll" in html
    assert html.count("<svg") == 2 and html.count("<title id=") == 2
    assert html.count("<desc id=") == 2 and html.count("<summary>Data table</summary>") == 2


def test_fragment_is_one_article(occupation_report: Report) -> None:
    frag = render_report_fragment(occupation_report).strip()
    assert frag.startswith('<article class="report"') and frag.endswith("</article>")
    assert frag.count("<article") == 1
    for section in ("profile", "scores", "consensus", "tasks", "outlook", "aijri", "cost",
                    "comparable", "sources"):  # fmt: skip
        assert f'<section id="{section}"' in frag


def test_hostile_text_is_escaped(role_report: Report) -> None:
    html = render_report_document(role_report)
    assert HOSTILE_TITLE not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and str(escape(HOSTILE_TASK)) in html
    assert not re.search(r"<script\b", html, re.I)
    md = render_markdown(role_report)
    assert "<script>" not in md and "<img" not in md and "&lt;script&gt;" in md
    # the pipe in the task text does not break the Markdown table
    tasks = md_table(md, "## Tasks")
    assert all(len(r) == 11 for r in tasks)
    assert tasks[2][1] == html_escape(HOSTILE_TASK, quote=False)
    csv_rows = list(
        csv.DictReader(io.StringIO("\n".join(render_csv(role_report).splitlines()[2:])))
    )
    assert csv_rows[2]["task"] == HOSTILE_TASK


def test_role_html_shows_match_confidences(role_report: Report) -> None:
    cells = parse_html(render_report_fragment(role_report))
    for row in role_report.to_dict()["tasks"]["rows"]:
        n = str(row["number"])
        assert close(cells.cells[(n, "match_confidence")], row["match_confidence"], digits=2)
        assert cells.cells[(n, "match_status")] == row["match_status"]


def test_trend_chart_marks_derived_points() -> None:
    from datetime import date

    points = [
        TrendPoint(date(2025, 2, 10), 20.0, label="v1"),
        TrendPoint(date(2025, 9, 15), None, label="v3"),
        TrendPoint(date(2026, 3, 24), 30.0, derived=True, label="v5 <derived>"),
    ]
    svg = str(trend_chart(points, title="Exposure <now>", unit="percent"))
    assert svg.count("<circle") == 2 and svg.count('class="point derived"') == 1
    assert "Exposure &lt;now&gt;" in svg and "<now>" not in svg
    assert "v5 &lt;derived&gt;" in svg
    assert "<polyline" not in svg  # the gap leaves two lone points, no line
    assert "<td>2026-03-24</td>" in svg and "<td>yes</td>" in svg
    empty = str(trend_chart([], title="Nothing"))
    assert "<svg" in empty and "no data" in empty
