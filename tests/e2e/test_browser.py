"""The pages in Debian's Chromium against the real server: search, occupation, role, compare, rank.

Every test runs in the ``web`` fixture, which fails it on a request leaving 127.0.0.1, a console
error (CSP violations included), an uncaught script error or a dialog. Expected values come from
the library on the same index (the ``catalog`` fixture), never from the pages themselves.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from jobrisk import api
from jobrisk.catalog import Catalog
from jobrisk.methods import get_method
from jobrisk.methods.base import Direction
from jobrisk.render_scores import ONET_ATTRIBUTION

from .conftest import PHONE, Web, watched_context

ROLE_SECONDS = 180
OCC_HREF = re.compile(r"^/occupations/(\d\d-\d{4}\.\d\d)$")
XSS_TITLE = "<script>alert(1)</script>"
REPORT = "article.report"
CONSENSUS = "[data-testid=consensus-percentile], article.report [data-key=consensus]"
ROLE_TASKS = [
    "Train machine learning models on customer purchase data",
    "Write reports that explain model results to managers",
    "Clean and join data tables with SQL",
]
# Pages a visitor reaches from the menu, plus a search and an occupation.
PAGES = [
    "/",
    "/search?q=nurse",
    "/occupations/15-2051.00",
    "/role",
    "/compare",
    "/compare?code=15-2051.00&code=29-1141.00",
    "/rank",
    "/methods",
    "/sources",
]


def percentile_shown(text: str) -> int:
    """The whole-number percentile a page shows (e.g. '87'), checked to be in 0-100."""
    m = re.fullmatch(r"\s*(\d{1,3})\s*", text)
    assert m, f"not a percentile: {text!r}"
    value = int(m.group(1))
    assert 0 <= value <= 100
    return value


def expected_percentile(catalog: Catalog, code: str) -> int:
    p = api.score(catalog, code, explain=False).consensus.exposure_percentile
    assert p is not None
    return round(p)


def result_links(page: Any) -> list[tuple[str, str]]:
    """(href, title) of each live search result, the title without the matched-name hint."""
    rows: list[tuple[str, str]] = page.eval_on_selector_all(
        "#search-results li a",
        """els => els.map(a => [a.getAttribute('href'),
            [...a.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim()])""",
    )
    return rows


def wait_for_results(page: Any) -> list[tuple[str, str]]:
    expect(page.locator("#search-results li").first).to_be_visible()
    links = result_links(page)
    assert links
    for href, _ in links:
        assert OCC_HREF.match(href), href
    return links


def test_search_as_you_type_then_open_a_result(web: Web, catalog: Catalog) -> None:
    page = web.open("/")
    web.shot(page, "home", phone=True)
    page.locator("#search").press_sequentially("machine learning", delay=15)
    links = wait_for_results(page)
    web.shot(page, "search-results")
    for href, title in links:
        assert catalog.occupation(OCC_HREF.match(href).group(1)).title == title  # type: ignore[union-attr]

    href, title = links[0]
    code = OCC_HREF.match(href).group(1)  # type: ignore[union-attr]
    page.locator("#search-results li a").first.click()
    page.wait_for_url(f"**{href}")
    expect(page.locator("main h1").first).to_contain_text(title)
    expect(page.locator("main")).to_contain_text(code)
    shown = percentile_shown(page.locator(CONSENSUS).first.inner_text())
    assert shown == expected_percentile(catalog, code)
    expect(page.locator("footer")).to_contain_text(ONET_ATTRIBUTION)
    web.shot(page, "occupation", phone=True)


def test_search_with_the_keyboard_only(web: Web) -> None:
    page = web.open("/")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "search":
            break
    else:
        pytest.fail("20 presses of Tab never reached the search box")
    page.keyboard.type("machine learning", delay=15)
    links = wait_for_results(page)
    assert len(links) >= 2, "need two results to check the arrows"
    search = page.locator("#search")
    ids = page.eval_on_selector_all("#search-results li", "els => els.map(e => e.id)")

    page.keyboard.press("ArrowDown")
    expect(search).to_have_attribute("aria-activedescendant", ids[0])
    page.keyboard.press("ArrowDown")
    expect(search).to_have_attribute("aria-activedescendant", ids[1])
    expect(page.locator(f"#{ids[1]}")).to_have_attribute("aria-selected", "true")
    expect(page.locator(f"#{ids[0]}")).to_have_attribute("aria-selected", "false")
    page.keyboard.press("ArrowUp")
    expect(search).to_have_attribute("aria-activedescendant", ids[0])
    web.shot(page, "keyboard-selected")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{links[0][0]}")
    expect(page.locator("main h1").first).to_contain_text(links[0][1])


def fill_role(page: Any, title: str, tasks: list[str]) -> None:
    page.locator("#role-title").fill(title)
    page.locator("#role-tasks").fill("\n".join(tasks))
    # the first role of a session loads the matcher and the label model: seconds, not ms
    with page.expect_navigation(timeout=ROLE_SECONDS * 1000):
        page.locator("#role-form [type=submit]").click(timeout=ROLE_SECONDS * 1000)


def task_confidences(page: Any) -> dict[str, str]:
    """Task text -> the cell under the report's 'confidence' column, read from the table."""
    found: dict[str, str] = page.evaluate(
        """() => {
        for (const table of document.querySelectorAll('article.report table')) {
          const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim().toLowerCase());
          const conf = heads.findIndex(h => h.includes('confidence'));
          const task = heads.findIndex(h => h === 'task' || h === 'your task');
          if (conf < 0 || task < 0) continue;
          const out = {};
          for (const tr of table.querySelectorAll('tbody tr')) {
            const cells = tr.querySelectorAll('th, td');
            if (cells.length > Math.max(conf, task)) out[cells[task].textContent.trim()] = cells[conf].textContent.trim();
          }
          return out;
        }
        return {};
    }"""
    )
    return found


def confidence_in_range(cell: str) -> bool:
    """A confidence cell reads as 0-1 (``0.83``) or as a percent (``83%``)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(%?)\s*", cell)
    if not m:
        return False
    value = float(m.group(1))
    return 0 <= value <= (100 if m.group(2) else 1)


def test_role_form_report_and_its_shareable_link(web: Web) -> None:
    page = web.open("/role")
    web.shot(page, "role-form")
    fill_role(page, "Data analyst", ROLE_TASKS)
    report = page.locator(REPORT)
    expect(report).to_be_visible()
    expect(page.locator("main h1").first).to_have_text("Data analyst")
    confidences = task_confidences(page)
    assert confidences, "the role report has no table with a 'confidence' column"
    for task in ROLE_TASKS:
        cell = next((v for k, v in confidences.items() if task in k), None)
        assert cell is not None, f"no row for {task!r} in {confidences}"
        assert confidence_in_range(cell), f"no confidence for {task!r}: {cell!r}"
    expect(page.locator("footer")).to_contain_text(ONET_ATTRIBUTION)
    web.shot(page, "role-report")

    share = page.locator("#share-link")
    href = share.get_attribute("href")
    assert href and href.startswith("/role?d="), href
    shared = web.open(href)
    expect(shared.locator("main h1").first).to_have_text("Data analyst")
    assert shared.locator(REPORT).inner_text() == report.inner_text()
    assert shared.locator("#role-tasks").input_value().splitlines() == ROLE_TASKS
    web.shot(shared, "role-shared")


def test_a_script_in_a_role_title_is_shown_as_text(web: Web) -> None:
    page = web.open("/role")
    fill_role(page, XSS_TITLE, ROLE_TASKS[:2])
    expect(page.locator(REPORT)).to_be_visible()
    expect(page.locator("main h1").first).to_have_text(XSS_TITLE)
    assert page.title().startswith(XSS_TITLE)
    scripts = page.evaluate("[...document.scripts].map(s => s.src || s.textContent)")
    assert not [s for s in scripts if "alert" in s], scripts
    page.wait_for_timeout(300)  # a dialog would be recorded by the fixture and fail the test
    assert not web.dialogs
    shared = web.open(page.locator("#share-link").get_attribute("href") or "")
    expect(shared.locator("main h1").first).to_have_text(XSS_TITLE)
    web.shot(shared, "xss-title")


def test_compare_two_then_three_occupations(web: Web, catalog: Catalog) -> None:
    codes = ["15-2051.00", "29-1141.00", "43-4051.00"]
    titles = [catalog.occupation(c).title for c in codes]
    page = web.open("/compare")
    page.get_by_test_id("compare-input-1").fill(titles[0])
    page.get_by_test_id("compare-input-2").fill(codes[1])
    with page.expect_navigation():
        page.get_by_test_id("compare-submit").click()
    table = page.get_by_test_id("compare-table")
    expect(table.locator("thead th a")).to_have_text(titles[:2])
    web.shot(page, "compare-2")

    page.get_by_test_id("compare-input-3").fill(codes[2])
    with page.expect_navigation():
        page.get_by_test_id("compare-submit").click()
    expect(table.locator("thead th a")).to_have_text(titles)
    shown = [
        percentile_shown(t) for t in page.get_by_test_id("compare-consensus").all_inner_texts()
    ]
    assert shown == [expected_percentile(catalog, c) for c in codes]
    web.shot(page, "compare-3")


def rank_rows(page: Any) -> list[tuple[str, float]]:
    """(code, value) per row of the rank table."""
    rows: list[list[str]] = page.eval_on_selector_all(
        "[data-testid=rank-table] tbody tr",
        "trs => trs.map(tr => [tr.querySelector('a')?.getAttribute('href') || '', tr.cells[2]?.textContent || ''])",
    )
    out = []
    for href, value in rows:
        m = OCC_HREF.match(href)
        assert m, f"row without an occupation link: {href!r}"
        out.append((m.group(1), float(value.replace(",", ""))))
    return out


def test_rank_page_filters_by_group_and_order(web: Web, catalog: Catalog) -> None:
    page = web.open("/rank")
    everything = rank_rows(page)
    assert everything
    page.locator("#rank-group").fill("15-0000")
    with page.expect_navigation():
        page.locator("#rank-form [type=submit]").click()
    web.shot(page, "rank-15")
    assert "group=15-0000" in page.url
    most = rank_rows(page)
    assert most and all(code.startswith("15-") for code, _ in most)
    values = [v for _, v in most]
    # "most exposed" first: descending for an exposure measure, ascending for a resilience
    # score such as the default AIJRI (higher = safer)
    method = page.locator("#rank-method").input_value()
    direction = get_method(method).direction
    assert values == sorted(values, reverse=direction is Direction.EXPOSURE)
    in_group = set(catalog.query("select code from occupations where major_code = '15-0000'").code)
    assert {code for code, _ in most} <= in_group

    page.locator("#rank-order").select_option("least")
    with page.expect_navigation():
        page.locator("#rank-form [type=submit]").click()
    least = rank_rows(page)
    assert all(code.startswith("15-") for code, _ in least)
    exposure = direction is Direction.EXPOSURE
    assert [v for _, v in least] == sorted((v for _, v in least), reverse=not exposure)
    # the least exposed occupation is at least as safe as the last of the most exposed list
    assert least[0][1] <= most[-1][1] if exposure else least[0][1] >= most[-1][1]


@pytest.mark.parametrize("path", PAGES)
def test_page_is_clean_and_self_contained(web: Web, path: str) -> None:
    """Every page: 200, a strict CSP header, nothing fetched off 127.0.0.1, no console error."""
    page = web.new_page()
    response = page.goto(web.base_url + path)
    assert response is not None and response.status == 200
    csp = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp, csp
    page.wait_for_load_state("networkidle")
    expect(page.locator("footer")).to_contain_text(ONET_ATTRIBUTION)


@pytest.mark.parametrize(
    "path",
    ["/", "/occupations/15-2051.00", "/role", "/rank", "/compare?code=15-2051.00&code=29-1141.00"],
)
def test_page_fits_a_phone_screen(web: Web, path: str) -> None:
    page = web.new_page()
    page.set_viewport_size(PHONE)
    page.goto(web.base_url + path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width}px wide on a {PHONE['width']}px screen"


def test_the_watch_catches_what_it_should(browser: Any, live_server: str) -> None:
    """The guard itself: an outside request, a console error, a CSP violation and a dialog."""
    web = watched_context(browser, live_server, "watch-self-test")
    try:
        page = web.new_page()
        page.goto(live_server + "/methods")
        page.evaluate(
            """() => {
            const img = document.createElement('img');
            img.src = 'http://192.0.2.1/pixel.png';   // TEST-NET-1: outside, never routable
            document.body.appendChild(img);
            console.error('deliberate');
            alert('deliberate');
        }"""
        )
        page.wait_for_timeout(300)
        problems = "\n".join(web.problems())
    finally:
        web.context.close()
    assert "request outside 127.0.0.1: http://192.0.2.1/pixel.png" in problems
    assert "console error: deliberate" in problems
    assert "CSP violation: img-src blocked http://192.0.2.1/pixel.png" in problems
    assert "dialog opened: alert 'deliberate'" in problems
