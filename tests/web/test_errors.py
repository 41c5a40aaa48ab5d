"""Every error, on every route, in one shape, with the right status and no stack trace."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import API_ROUTES, ROLE, SECURITY_HEADERS, assert_error_shape

from jobrisk.catalog import Catalog
from jobrisk.roles import MAX_TASKS
from jobrisk.web import create_app
from jobrisk.web.app import MAX_BODY_BYTES

# (method, route template, url, json body or None, expected status, expected error code)
BAD: list[tuple[str, str, str, Any, int, str]] = [
    ("GET", "/api/v1/occupations", "/api/v1/occupations?x=1", None, 200, ""),  # no bad input
    ("GET", "/api/v1/occupations/{code}", "/api/v1/occupations/15-2051.99", None, 404,
     "unknown_occupation"),
    ("GET", "/api/v1/occupations/{code}/careers", "/api/v1/occupations/99-9999.00/careers",
     None, 404, "unknown_occupation"),
    ("GET", "/api/v1/occupations/{code}/timeline", "/api/v1/occupations/00-0000.00/timeline",
     None, 404, "unknown_occupation"),
    ("GET", "/api/v1/score/{code}", "/api/v1/score/15-9999.00", None, 404, "unknown_occupation"),
    ("GET", "/api/v1/search", "/api/v1/search?q=%20", None, 422, "bad_input"),
    ("GET", "/api/v1/search", "/api/v1/search?q=" + "a" * 201, None, 422, "bad_input"),
    ("GET", "/api/v1/search", "/api/v1/search?q=nurse&limit=0", None, 422, "bad_input"),
    ("GET", "/api/v1/compare", "/api/v1/compare?code=15-2051.00", None, 422, "bad_input"),
    ("GET", "/api/v1/compare", "/api/v1/compare?code=15-2051.00&code=15-2051.77", None, 404,
     "unknown_occupation"),
    ("GET", "/api/v1/rank", "/api/v1/rank?method=nope", None, 404, "unknown_method"),
    ("GET", "/api/v1/rank", "/api/v1/rank?method=aijri&group=98-0000", None, 422, "bad_input"),
    ("GET", "/api/v1/rank", "/api/v1/rank?limit=abc", None, 422, "bad_input"),
    ("POST", "/api/v1/assess", "/api/v1/assess", {"title": "x"}, 422, "bad_input"),
    ("POST", "/api/v1/assess", "/api/v1/assess", {**ROLE, "colour": "red"}, 422, "bad_input"),
    ("POST", "/api/v1/assess", "/api/v1/assess", {**ROLE, "shares": [50, 30, 10]}, 422,
     "bad_input"),
    ("POST", "/api/v1/assess", "/api/v1/assess",
     {"title": "t", "tasks": [f"Review contract {i}" for i in range(MAX_TASKS + 1)]}, 422,
     "bad_input"),
    ("GET", "/api/v1/assess", "/api/v1/assess?d=not-a-real-token", None, 422, "bad_input"),
    ("GET", "/api/v1/careers", "/api/v1/careers?d=%21%21", None, 422, "bad_input"),
    ("GET", "/api/v1/movers", "/api/v1/movers?week=x", None, 200, ""),  # takes no input
    ("GET", "/api/v1/methods", "/api/v1/methods?x=1", None, 200, ""),  # takes no input
    ("GET", "/api/v1/methods/{name}", "/api/v1/methods/nope", None, 404, "unknown_method"),
    ("GET", "/api/v1/sources", "/api/v1/sources/x", None, 404, "not_found"),
    ("DELETE", "/api/v1/sources", "/api/v1/sources", None, 405, "method_not_allowed"),
    ("GET", "/api/v1/nope", "/api/v1/nope", None, 404, "not_found"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "route", "url", "body", "status", "code"), BAD,
                         ids=[f"{b[0]} {b[2][:60]}" for b in BAD])  # fmt: skip
def test_error_shape(
    client: TestClient, method: str, route: str, url: str, body: Any, status: int, code: str
) -> None:
    r = client.request(method, url, json=body)
    assert r.status_code == status, r.text[:300]
    for k, v in SECURITY_HEADERS.items():
        assert r.headers[k].startswith(v)
    if status >= 400:
        assert r.headers["content-type"] == "application/json"
        assert assert_error_shape(r.json())["code"] == code


def test_every_api_route_has_a_case() -> None:
    assert {(b[0], b[1]) for b in BAD} >= API_ROUTES


def test_unknown_code_suggests_neighbours(client: TestClient, catalog: Catalog) -> None:
    err = assert_error_shape(client.get("/api/v1/occupations/15-2051.99").json())
    details = err["details"]
    assert isinstance(details, dict)
    near = set(catalog.query("select code from occupations where code like '15-2051.%'")["code"])
    assert near and set(details["suggestions"]) <= near and "15-2051.00" in details["suggestions"]
    page = client.get("/occupations/15-2051.99")
    assert page.status_code == 404 and 'href="/occupations/15-2051.00"' in page.text


def test_unknown_title_suggests_from_search(client: TestClient) -> None:
    r = client.get("/api/v1/occupations/nurze practitionr xq")
    err = assert_error_shape(r.json())
    assert r.status_code == 404
    suggestions = err["details"]["suggestions"]  # type: ignore[index]
    assert all(re.match(r"^\d{2}-\d{4}\.\d{2} ", s) for s in suggestions)
    assert any(s.endswith(" Nurse Practitioners") for s in suggestions)


def test_too_many_tasks_says_the_limit(client: TestClient) -> None:
    tasks = [f"Review contract number {i}" for i in range(MAX_TASKS + 1)]
    err = assert_error_shape(
        client.post("/api/v1/assess", json={"title": "t", "tasks": tasks}).json()
    )
    assert f"limit is {MAX_TASKS}" in str(err["message"])


def test_shares_not_summing_to_100(client: TestClient) -> None:
    r = client.post("/api/v1/assess", json={**ROLE, "shares": [50, 30, 10]})
    err = assert_error_shape(r.json())
    assert r.status_code == 422 and "sum to 90%" in str(err["message"])


@pytest.mark.parametrize("chunked", [False, True])
def test_body_over_the_cap_is_413(client: TestClient, chunked: bool) -> None:
    payload = b'{"title": "x", "ad": "' + b"a" * MAX_BODY_BYTES + b'"}'
    content: Any = payload
    if chunked:
        content = iter([payload[i : i + 65536] for i in range(0, len(payload), 65536)])
    r = client.post("/api/v1/assess", content=content,
                    headers={"content-type": "application/json"})  # fmt: skip
    assert r.status_code == 413
    assert assert_error_shape(r.json())["code"] == "body_too_large"
    assert r.headers["x-frame-options"] == "DENY"
    page = client.post("/role", content=payload,
                       headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert page.status_code == 413 and "limit" in page.text


@pytest.fixture()
def crashing_client(catalog: Catalog) -> Iterator[TestClient]:
    """The real app plus one route that fails the way a bug would."""
    app = create_app(catalog)

    @app.get("/api/v1/_boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail /etc/passwd")

    @app.get("/_boom")
    def boom_page() -> None:
        raise ZeroDivisionError("secret internal detail")

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_unexpected_error_is_a_plain_500(crashing_client: TestClient) -> None:
    r = crashing_client.get("/api/v1/_boom")
    assert r.status_code == 500
    err = assert_error_shape(r.json())
    assert err["code"] == "internal_error" and "secret" not in r.text
    assert r.headers["x-content-type-options"] == "nosniff"
    page = crashing_client.get("/_boom")
    assert page.status_code == 500 and "secret" not in page.text and "Traceback" not in page.text
    assert page.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    "url",
    ["/", "/rank", "/compare", "/role", "/methods", "/sources", "/search?q=nurse",
     "/occupations/15-2051.00", "/occupations/nope-nope", "/static/style.css",
     "/static/search.js", "/static/report.css", "/static/missing.css", "/api/v1/openapi.json",
     "/api/v1/occupations/15-2051.00", "/api/v1/search?q=nurse"],
)  # fmt: skip
def test_security_headers_on_every_response(client: TestClient, url: str) -> None:
    r = client.get(url)
    for k, v in SECURITY_HEADERS.items():
        assert r.headers[k].startswith(v), (k, r.headers.get(k))


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    get = client.get("/api/v1/methods")
    head = client.head("/api/v1/methods")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    assert head.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    ("url", "status"),
    [("/occupations/99-9999.00", 404), ("/rank?method=nope", 404), ("/rank?limit=-1", 422),
     ("/compare?code=15-2051.00", 422), ("/role?d=%25%25", 422), ("/search?q=" + "x" * 300, 422),
     ("/nope", 404)],
)  # fmt: skip
def test_page_errors_are_html_without_trace(client: TestClient, url: str, status: int) -> None:
    r = client.get(url)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    assert 'data-testid="error-message"' in r.text and "Traceback" not in r.text
