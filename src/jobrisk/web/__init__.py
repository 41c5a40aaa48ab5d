"""The web app: server-rendered pages and the JSON API under ``/api/v1`` (see docs/web.md).

>>> from jobrisk.web import create_app  # doctest: +SKIP
>>> app = create_app("/path/to/index.duckdb")  # doctest: +SKIP
"""

from __future__ import annotations

from jobrisk.web.app import create_app

__all__ = ["create_app"]
