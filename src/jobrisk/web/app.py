"""The app factory: middleware (security headers, body cap), error handlers, routes.

Every error leaves as ``{"error": {"code", "message", "details"}}`` (under ``/api/``) or as
an HTML page saying the same (elsewhere), with the status its :mod:`jobrisk.errors` class
carries. Nothing else reaches a client: an unexpected exception is logged here and answered
with a plain 500.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jobrisk import __version__, api
from jobrisk.catalog import Catalog
from jobrisk.errors import JobriskError, UnknownMethodError, UnknownOccupationError
from jobrisk.web import templating
from jobrisk.web.service import WebService, dumps

log = logging.getLogger("jobrisk.web")

MAX_BODY_BYTES = 256 * 1024
WARM_CODE = "15-2051.00"  # any occupation: loads the evidence, careers model and timeline once
STATIC_DIR = Path(__file__).parent / "static"
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "bad_input",
}


def error_body(status: int, code: str, message: str, details: dict[str, Any]) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def _is_api(path: str) -> bool:
    return path.startswith("/api/")


class GuardMiddleware:
    """Security headers on every response, a request-body cap, and the last-resort 500.

    A pure ASGI middleware (no per-request task), so the cached JSON route stays cheap.
    """

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        head = scope["method"] == "HEAD"
        if head:  # answered as GET without the body, so `curl -I` and uptime checks work
            scope = {**scope, "method": "GET"}

        async def send_secure(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        if scope["method"] in ("POST", "PUT", "PATCH"):
            too_big = self._declared_too_big(scope)
            body = b"" if too_big else await self._read_capped(receive)
            if too_big or body is None:
                await self._reply(
                    scope,
                    send_secure,
                    413,
                    "body_too_large",
                    f"the request body is over the {self.max_body // 1024} KB limit",
                    {"limit_bytes": self.max_body},
                )
                return
            receive = _replay(body)
        try:
            await self.app(scope, receive, send_secure)
        except Exception:
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if not started:
                await self._reply(
                    scope,
                    send_secure,
                    500,
                    "internal_error",
                    "something went wrong on our side; the error is logged",
                    {},
                )

    def _declared_too_big(self, scope: Scope) -> bool:
        for k, v in scope["headers"]:
            if k == b"content-length":
                try:
                    return int(v) > self.max_body
                except ValueError:
                    return True
        return False

    async def _read_capped(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _reply(
        self,
        scope: Scope,
        send: Send,
        status: int,
        code: str,
        message: str,
        details: dict[str, Any],
    ) -> None:
        if _is_api(scope["path"]):
            body = dumps(error_body(status, code, message, details))
            ctype = b"application/json"
        else:
            body = templating.error_page(status, message, None, []).encode()
            ctype = b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _error_response(
    request: Request, status: int, code: str, message: str, details: dict[str, Any]
) -> Response:
    if _is_api(request.url.path):
        return Response(
            dumps(error_body(status, code, message, details)),
            status_code=status,
            media_type="application/json",
        )
    suggestions = [str(s) for s in details.get("suggestions", [])]
    return HTMLResponse(
        templating.error_page(status, message, details.get("hint"), suggestions),
        status_code=status,
    )


def _jobrisk_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, JobriskError)
    details: dict[str, Any] = {"hint": exc.hint}
    if isinstance(exc, UnknownOccupationError):
        details["query"] = exc.query
        details["suggestions"] = exc.suggestions
    if isinstance(exc, UnknownMethodError):
        details["known"] = exc.known
    if exc.http_status >= 500:
        log.error("%s on %s: %s", type(exc).__name__, request.url.path, exc)
    return _error_response(request, exc.http_status, exc.code, exc.message, details)


def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields = [
        {"field": ".".join(str(p) for p in e.get("loc", ())), "message": str(e.get("msg", ""))}
        for e in exc.errors()
    ]
    summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields[:5])
    return _error_response(
        request,
        422,
        "bad_input",
        f"the request is not valid: {summary}",
        {"fields": fields, "hint": "see /api/v1/openapi.json for the schema"},
    )


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    message = {
        404: f"no page at {request.url.path}",
        405: f"{request.method} is not allowed on {request.url.path}",
    }.get(status, str(exc.detail))
    hint = "the API lives under /api/v1 (schema: /api/v1/openapi.json)" if status == 404 else None
    response = _error_response(
        request, status, HTTP_CODES.get(status, "http_error"), message, {"hint": hint}
    )
    for k, v in (exc.headers or {}).items():
        response.headers[k] = v
    return response


def create_app(catalog_or_index_path: Catalog | str | Path | None = None) -> FastAPI:
    """The web app over an open catalog, an index file, or (None) the default index.

    >>> app = create_app()  # doctest: +SKIP
    >>> import uvicorn; uvicorn.run(app, host="127.0.0.1", port=8000)  # doctest: +SKIP
    """
    from jobrisk.web import api_routes, pages

    if isinstance(catalog_or_index_path, Catalog):
        catalog = catalog_or_index_path
    elif catalog_or_index_path is None:
        from jobrisk import open_catalog

        catalog = open_catalog()
    else:
        catalog = Catalog.open(Path(catalog_or_index_path))
    app = FastAPI(
        title="jobrisk",
        version=__version__,
        description="An open, reproducible AI job-risk index over public evidence.",
        docs_url=None,  # Swagger UI needs a CDN and inline scripts; the schema is enough
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.service = WebService(catalog, templating.render_report_fragment)
    app.add_exception_handler(JobriskError, _jobrisk_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.include_router(api_routes.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(GuardMiddleware)
    return app


def app_from_environment() -> FastAPI:
    """The app for ``jobrisk serve`` (uvicorn factory): the index named in
    ``$JOBRISK_WEB_INDEX``, warmed so the first visitor does not wait for the evidence load."""
    import gc
    import os

    from jobrisk.roles import make_role

    app = create_app(os.environ.get("JOBRISK_WEB_INDEX") or None)
    service: WebService = app.state.service
    service.overview()
    service.methods()
    service.call(api.search, service.catalog, "warm up")
    service.occupation(WARM_CODE)
    service.section(lambda: service.careers(WARM_CODE))
    service.section(lambda: service.timeline(WARM_CODE))
    # The first custom role would otherwise pay for the matcher and label model set-up.
    service.role(make_role("warm up", ["Analyze data to find trends"]), "auto")
    # What is loaded now (the evidence, the models: ~500,000 objects) lives as long as the
    # process: out of the collector's sight, a full collection no longer walks it (a batch
    # of 32 custom roles: 0.78-1.05 s with it in sight, 0.75-0.80 s frozen).
    gc.freeze()
    return app
