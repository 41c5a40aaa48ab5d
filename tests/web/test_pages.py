"""The pages: each renders, shows the same numbers as its JSON twin, escapes what people type."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import ROLE

from jobrisk.catalog import Catalog
from jobrisk.errors import InputError
from jobrisk.methods import REGISTRY
from jobrisk.web.models import AssessRequest, decode_share, encode_share

XSS = "<script>alert(1)</script>"


def _texts(page: str, pattern: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(pattern, page, flags=re.S)]


@pytest.mark.parametrize(
    "url", ["/", "/rank", "/compare", "/role", "/methods", "/sources", "/search?q=nurse"]
)
def test_page_renders_for_phone_and_keyboard(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert 'href="#main"' in page and 'id="main"' in page  # skip link for keyboard users
    assert not re.search(r"\sstyle=|<style|\son[a-z]+=", page)  # CSP: no inline styles/handlers
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/search.js" defer>']
    assert "https://" not in re.sub(r">[^<]*<", "><", page)  # no CDN in any attribute
    for field in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', page):
        assert f'for="{field}"' in page, f"#{field} has no label"


def test_home_lists_match_the_json_twin(client: TestClient) -> None:
    page = client.get("/").text
    points = client.get("/api/v1/occupations").json()["points"]
    most = re.search(r'data-testid="most-exposed".*?</section>', page, re.S)
    least = re.search(r'data-testid="least-exposed".*?</section>', page, re.S)
    assert most and least
    assert re.findall(r'href="/occupations/([^"]+)"', most.group()) == [
        p["code"] for p in points[:10]
    ]
    assert re.findall(r'href="/occupations/([^"]+)"', least.group()) == [
        p["code"] for p in reversed(points[-10:])
    ]
    shown = re.findall(r'<span class="num">(\d+)</span>', most.group())
    assert shown == [f"{p['exposure_percentile']:.0f}" for p in points[:10]]
    assert 'id="search"' in page and 'id="search-results"' in page
    n_wage = sum(1 for p in points if p["annual_median_wage"])
    assert page.count('<circle class="pt"') == n_wage


def test_occupation_page_shows_the_json_numbers(client: TestClient, catalog: Catalog) -> None:
    page = client.get("/occupations/15-2051.00").text
    body = client.get("/api/v1/occupations/15-2051.00").json()
    shown = _texts(page, r'data-key="consensus">([^<]*)<')
    assert shown == [f"{body['consensus']['exposure_percentile']:.0f}"]
    assert 'href="/api/v1/occupations/15-2051.00"' in page
    title = catalog.query("select title from occupations where code = '15-2051.00'")
    assert _texts(page, r"<h1[^>]*>([^<]*)</h1>") == [title["title"].iloc[0]]  # one h1, the title
    for section in ('data-testid="careers"', 'data-testid="trend"', "<svg"):
        assert section in page
    careers = client.get("/api/v1/occupations/15-2051.00/careers").json()
    first = careers["moves"]["moves"][0]["code"]
    table = re.search(r'data-testid="moves-table".*?</table>', page, re.S)
    assert table and re.findall(r'href="/occupations/([^"]+)"', table.group())[0] == first


def test_occupation_page_is_cached_bytes(client: TestClient) -> None:
    first = client.get("/occupations/29-1141.00").content
    assert client.get("/occupations/29-1141.00").content == first


def test_compare_page_matches_twin(client: TestClient) -> None:
    q = [("code", "15-2051.00"), ("code", "29-1141.00"), ("code", "43-4051.00")]
    page = client.get("/compare", params=q).text
    body = client.get("/api/v1/compare", params=q).json()
    shown = re.findall(r'data-testid="compare-consensus">([^<]*)<', page)
    assert shown == [f"{o['consensus']['exposure_percentile']:.0f}" for o in body["occupations"]]
    assert 'id="compare-form"' in page and 'value="29-1141.00"' in page


def test_rank_page_matches_twin(client: TestClient) -> None:
    q = {"method": "eloundou_beta_human", "group": "29-0000", "order": "least", "limit": 15}
    page = client.get("/rank", params=q).text
    rows = client.get("/api/v1/rank", params=q).json()["results"]
    table = re.search(r'data-testid="rank-table".*?</table>', page, re.S)
    assert table
    assert re.findall(r'href="/occupations/([^"]+)"', table.group()) == [r["code"] for r in rows]
    assert '<option value="least" selected>' in page


def test_methods_and_sources_pages_list_everything(client: TestClient, catalog: Catalog) -> None:
    methods = client.get("/methods").text
    for name in REGISTRY:
        assert f'<section id="{name}"' in methods
    sources = client.get("/sources").text
    for sid in catalog.query("select source_id from sources")["source_id"]:
        assert f'id="{html.escape(sid)}"' in sources


def test_search_page_works_without_javascript(client: TestClient) -> None:
    page = client.get("/search", params={"q": "registered nurse"}).text
    assert re.findall(r'href="/occupations/([^"]+)"', page)[0] == "29-1141.00"


@pytest.fixture(scope="module")
def xss_role(client: TestClient) -> dict[str, Any]:
    form = {"title": XSS, "tasks": "\n".join(ROLE["tasks"]), "shares": "50 30 20",
            "matcher": "lexical"}  # fmt: skip
    r = client.post("/role", data=form)
    token = re.search(r'href="/role\?d=([A-Za-z0-9_-]+)"', r.text)
    return {"page": r, "token": token.group(1) if token else None}


def test_role_page_escapes_the_title(xss_role: dict[str, Any]) -> None:
    page = xss_role["page"]
    assert page.status_code == 200, page.text[:500]
    assert XSS not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert 'id="role-form"' in page.text and 'id="role-submit"' in page.text


def test_shared_link_escapes_and_reproduces(client: TestClient, xss_role: dict[str, Any]) -> None:
    token = xss_role["token"]
    assert token
    assert decode_share(token).title == XSS
    shared = client.get("/role", params={"d": token})
    assert shared.status_code == 200 and XSS not in shared.text
    pick = r'data-key="consensus">([^<]*)<'
    assert _texts(shared.text, pick) == _texts(xss_role["page"].text, pick)
    twin = client.get("/api/v1/assess", params={"d": token}).json()
    assert twin["title"] == XSS
    assert _texts(shared.text, pick) == [f"{twin['consensus']['exposure_percentile']:.0f}"]


def test_share_token_round_trip_and_limits() -> None:
    req = AssessRequest(title="Data wrangler", tasks=["Clean data", "Build dashboards"],
                        shares=[60, 40], matcher="lexical")  # fmt: skip
    token = encode_share(req)
    assert token and decode_share(token) == req
    ad_req = AssessRequest(title="t", ad="x" * 40_000)
    assert encode_share(ad_req) is not None  # repetitive text compresses
    import os

    noisy = AssessRequest(title="t", ad=os.urandom(20_000).hex())
    assert encode_share(noisy) is None  # too long for a URL: the page says so
    for bad in ("", "!!", token[:-8], "A" * 13_000):
        with pytest.raises(InputError):
            decode_share(bad)


def test_role_form_errors_are_clear(client: TestClient) -> None:
    r = client.post("/role", data={"title": "x", "tasks": "Audit books\nFile taxes",
                                   "shares": "50, abc"})  # fmt: skip
    assert r.status_code == 422 and "share 2 is not a number" in html.unescape(r.text)
    r = client.post("/role", data={"title": "x", "tasks": "Audit books\nFile taxes",
                                   "shares": "50, 20"})  # fmt: skip
    assert r.status_code == 422 and "sum to 70%" in html.unescape(r.text)
