"""The real app over the real index (the session ``catalog``), driven by FastAPI's TestClient."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from jobrisk.catalog import Catalog
from jobrisk.web import create_app

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
}
# Every /api/v1 route (docs/web.md lists the same); the OpenAPI schema must list exactly these.
API_ROUTES = {
    ("GET", "/api/v1/occupations"),
    ("GET", "/api/v1/occupations/{code}"),
    ("GET", "/api/v1/occupations/{code}/careers"),
    ("GET", "/api/v1/occupations/{code}/timeline"),
    ("GET", "/api/v1/careers"),
    ("GET", "/api/v1/movers"),
    ("GET", "/api/v1/score/{code}"),
    ("GET", "/api/v1/search"),
    ("GET", "/api/v1/compare"),
    ("GET", "/api/v1/rank"),
    ("POST", "/api/v1/assess"),
    ("GET", "/api/v1/assess"),
    ("GET", "/api/v1/methods"),
    ("GET", "/api/v1/methods/{name}"),
    ("GET", "/api/v1/sources"),
}
ROLE = {
    "title": "Payroll specialist",
    "tasks": [
        "Process payroll and calculate wage deductions for employees",
        "Prepare monthly financial reports for management",
        "Answer employee questions about pay and benefits",
    ],
    "shares": [50, 30, 20],
    "matcher": "lexical",
}


@pytest.fixture(scope="session")
def app(catalog: Catalog) -> FastAPI:
    return create_app(catalog)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def assert_error_shape(body: object) -> dict[str, object]:
    """The one JSON error shape: ``{"error": {"code", "message", "details"}}``."""
    assert isinstance(body, dict) and set(body) == {"error"}, body
    err = body["error"]
    assert set(err) == {"code", "message", "details"}, err
    assert isinstance(err["code"], str) and err["code"]
    assert isinstance(err["message"], str) and err["message"]
    assert isinstance(err["details"], dict)
    assert "Traceback" not in str(body) and 'File "' not in str(body)
    return err
