"""The baseline of benchmarks/bench_web.py: a bare FastAPI app that returns a constant JSON.

The document is read once, at start-up, from the file named by ``$BARE_JSON_FILE`` (the bench
saves the real occupation JSON there, so both bodies have the same byte size). Two routes:

- ``/bare/bytes``: the document as constant bytes, encoded once (the baseline: the cheapest
  FastAPI endpoint that returns this JSON);
- ``/bare/json``: an ``async def`` returning the constant dict, which FastAPI encodes on every
  request as it would any handler's result (for reference).

    BARE_JSON_FILE=/tmp/doc.json uvicorn --app-dir benchmarks --factory bare_app:create_app
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Response


def create_app(document_path: str | Path | None = None) -> FastAPI:
    """The bare app over the JSON document at ``document_path`` (default ``$BARE_JSON_FILE``)."""
    path = Path(document_path or os.environ["BARE_JSON_FILE"])
    body = path.read_bytes()
    document: Any = json.loads(body)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/bare/json")
    async def bare_json() -> Any:
        return document

    @app.get("/bare/bytes")
    async def bare_bytes() -> Response:
        return Response(content=body, media_type="application/json")

    return app
