"""The standalone HTML report in Debian's Chromium: offline, no CSP errors, usable at 375 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jobrisk.reports import Report
from jobrisk.reports.html import render_report_document


@pytest.fixture(scope="module")
def chromium(chromium_browser: Any) -> Any:
    return chromium_browser


@pytest.mark.parametrize("width", [375, 1280])
def test_document_opens_offline_and_fits(
    chromium: Any, occupation_report: Report, tmp_path: Path, width: int
) -> None:
    path = tmp_path / "report.html"
    path.write_text(render_report_document(occupation_report), encoding="utf-8")
    page = chromium.new_page(viewport={"width": width, "height": 800})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    assert requests == [path.as_uri()]  # nothing else is fetched
    assert errors == []  # CSP violations are console errors
    # the page never scrolls sideways; wide tables scroll inside their own box
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    tasks = page.locator("#tasks > .table-scroll")
    box = tasks.evaluate("e => [e.scrollWidth, e.clientWidth]")
    if width == 375:
        assert box[0] > box[1]
        xs = page.locator("#consensus .card").evaluate_all(
            "cs => cs.map(c => c.getBoundingClientRect().left)"
        )
        assert len(set(xs)) == 1  # the cards stack in one column
    svg = page.locator("#scores svg").first.bounding_box()
    assert svg is not None and svg["width"] <= width
    page.close()
