"""The JSON API under /api/v1: each route's happy path, checked against the raw tables."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import API_ROUTES, ROLE

from jobrisk.catalog import Catalog
from jobrisk.consensus import CONSENSUS_SET
from jobrisk.methods import REGISTRY
from jobrisk.reports import build_report


def test_occupation_json_is_the_report(client: TestClient, catalog: Catalog) -> None:
    r = client.get("/api/v1/occupations/15-2051.00")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert body == build_report(catalog, "15-2051.00").to_dict()
    raw = catalog.query(
        "select title, employment, annual_median_wage from occupations where code = '15-2051.00'"
    ).iloc[0]
    assert body["profile"]["title"] == raw["title"] == "Data Scientists"
    assert body["profile"]["annual_median_wage"] == pytest.approx(raw["annual_median_wage"])
    assert 0 <= body["consensus"]["exposure_percentile"] <= 100


def test_occupation_by_soc_code_and_title_resolves(client: TestClient) -> None:
    by_code = client.get("/api/v1/occupations/15-2051.00").json()
    assert client.get("/api/v1/occupations/15-2051").json() == by_code
    assert client.get("/api/v1/occupations/Data Scientists").json() == by_code


def test_occupation_list_covers_every_scored_occupation(
    client: TestClient, catalog: Catalog
) -> None:
    points = client.get("/api/v1/occupations").json()["points"]
    n_onet = int(catalog.query("select count(*) n from occupations")["n"].iloc[0])
    assert 0.8 * n_onet <= len(points) <= n_onet
    pcts = [p["exposure_percentile"] for p in points]
    assert pcts == sorted(pcts, reverse=True)
    assert all(1 <= p["n_methods"] <= len(CONSENSUS_SET) for p in points)


def test_list_point_matches_the_occupation_consensus(client: TestClient) -> None:
    """The home list's point estimate is the report's consensus (same mean, same methods)."""
    points = {p["code"]: p for p in client.get("/api/v1/occupations").json()["points"]}
    report = client.get("/api/v1/occupations/43-4051.00").json()
    assert points["43-4051.00"]["exposure_percentile"] == pytest.approx(
        report["consensus"]["exposure_percentile"]
    )
    assert points["43-4051.00"]["n_methods"] == report["consensus"]["n_methods"]


def test_search_finds_registered_nurses(client: TestClient, catalog: Catalog) -> None:
    r = client.get("/api/v1/search", params={"q": "registered nurse", "limit": 5})
    hits = r.json()["results"]
    code = catalog.query("select code from occupations where title = 'Registered Nurses'")
    assert hits[0]["code"] == code["code"].iloc[0]
    assert len(hits) <= 5


def test_score_lists_every_registered_method(client: TestClient) -> None:
    body = client.get("/api/v1/score/29-1141.00").json()
    assert {m["method"] for m in body["consensus"]["methods"]} == set(REGISTRY)


def test_compare_keeps_the_order_asked(client: TestClient) -> None:
    body = client.get(
        "/api/v1/compare", params=[("code", "15-2041.00"), ("code", "15-2051.00")]
    ).json()
    assert [o["occupation"]["code"] for o in body["occupations"]] == ["15-2041.00", "15-2051.00"]


def test_rank_filters_hold(client: TestClient, catalog: Catalog) -> None:
    params = {"method": "aijri", "group": "15-0000", "min_wage": 90000, "limit": 500}
    rows = client.get("/api/v1/rank", params=params).json()["results"]
    raw = catalog.query(
        "select count(*) n from occupations where major_code = '15-0000' "
        "and annual_median_wage >= 90000"
    )["n"].iloc[0]
    assert 0 < len(rows) <= raw
    assert all(r["code"].startswith("15-") and r["annual_median_wage"] >= 90000 for r in rows)
    pcts = [r["percentile"] for r in rows]
    assert pcts == sorted(pcts, reverse=True)
    least = client.get("/api/v1/rank", params={**params, "order": "least"}).json()["results"]
    assert [r["code"] for r in least][:3] != [r["code"] for r in rows][:3]


def test_methods_are_the_registry(client: TestClient) -> None:
    body = client.get("/api/v1/methods").json()
    assert [m["name"] for m in body] == list(REGISTRY)
    one = client.get("/api/v1/methods/aijri").json()
    assert one["name"] == "aijri" and one["citation"]


def test_sources_are_the_index_sources(client: TestClient, catalog: Catalog) -> None:
    body = client.get("/api/v1/sources").json()
    raw = set(catalog.query("select source_id from sources")["source_id"])
    assert {s["source_id"] for s in body["sources"]} == raw
    assert all(s["license"] for s in body["sources"])
    assert body["coverage"]


def test_careers_timeline_and_movers(client: TestClient) -> None:
    careers = client.get("/api/v1/occupations/15-2051.00/careers").json()
    assert careers["moves"]["subject_code"] == "15-2051.00"
    assert all(m["code"] != "15-2051.00" for m in careers["moves"]["moves"])
    tl = client.get("/api/v1/occupations/15-2051.00/timeline").json()
    assert tl["code"] == "15-2051.00" and tl["weeks"]
    movers = client.get("/api/v1/movers").json()
    assert {"up", "down", "week"} <= set(movers)


def test_assess_post_and_shared_link_agree(client: TestClient) -> None:
    r = client.post("/api/v1/assess", json=ROLE)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["kind"] == "custom_role" and body["title"] == ROLE["title"]
    assert 0 <= body["consensus"]["exposure_percentile"] <= 100
    page = client.post(
        "/role",
        data={"title": ROLE["title"], "tasks": "\n".join(ROLE["tasks"]), "shares": "50, 30, 20",
              "matcher": "lexical"},
    )  # fmt: skip
    token = page.text.split('href="/role?d=', 1)[1].split('"', 1)[0]
    assert client.get("/api/v1/assess", params={"d": token}).json() == body


def test_openapi_lists_every_api_route(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    routes = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}
    assert routes == API_ROUTES
    for _, path in routes:
        assert path.startswith("/api/v1/")
    for op in (o for ops in schema["paths"].values() for o in ops.values()):
        assert op.get("description") or op.get("summary"), op
