"""End-to-end fixtures: the real ``jobrisk serve`` on 127.0.0.1 and Debian's Chromium.

The browser is ``/usr/bin/chromium`` driven by Playwright with ``executable_path`` (never a
downloaded browser). Every page opened through the ``web`` fixture is watched: a request to any
host but 127.0.0.1 is aborted and fails the test, and so do console errors (CSP violations
included), uncaught page errors and JavaScript dialogs. Screenshots go to
``tests/e2e/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

# As root Chromium needs --no-sandbox; the background-networking flags stop it from phoning
# home, which the closed network refuses many connections at a time.
HOST = "127.0.0.1"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
LOCAL_SCHEMES = {"data", "blob", "about"}
SERVER_START_SECONDS = 90
# Surfaces violations of a report-only policy too, which Chromium may not print.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
});
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def live_server(built_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python -m jobrisk --index <test index> serve`` on a free port; yields its base URL.

    ``JOBRISK_E2E_URL`` points the tests at a server you started yourself instead (to debug
    a page with your own logs); it must serve the same index.
    """
    if os.environ.get("JOBRISK_E2E_URL"):
        yield os.environ["JOBRISK_E2E_URL"].rstrip("/")
        return
    port = _free_port()
    logs = tmp_path_factory.mktemp("serve")
    cmd = [
        sys.executable,
        "-m",
        "jobrisk",
        "--index",
        str(built_index),
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
    ]
    base = f"http://{HOST}:{port}"
    with (logs / "stdout.log").open("wb") as out, (logs / "stderr.log").open("wb") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=dict(os.environ))

    def stderr() -> str:
        return (logs / "stderr.log").read_text(errors="replace")[-4000:]

    deadline = time.monotonic() + SERVER_START_SECONDS
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"`{' '.join(cmd[1:])}` exited {proc.returncode}; stderr:\n{stderr()}")
            try:
                if httpx.get(base + "/", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"{base}/ did not answer in {SERVER_START_SECONDS} s; stderr:\n{stderr()}"
                )
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def browser(chromium_browser: Any) -> Any:
    """Debian's Chromium, headless, through Playwright (the suite's one instance)."""
    return chromium_browser


def is_local(url: str) -> bool:
    """True for URLs that stay on 127.0.0.1 (or never touch the network, like ``data:``)."""
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname == HOST


@dataclass
class Web:
    """A browser context on the live server, with what its pages did."""

    base_url: str
    context: Any
    test_name: str
    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    shots: list[Path] = field(default_factory=list)

    def new_page(self) -> Any:
        return self.context.new_page()

    def open(self, path: str) -> Any:
        """A new page at ``path``, loaded; fails on a non-200 answer."""
        page = self.new_page()
        response = page.goto(self.base_url + path)
        assert response is not None and response.status == 200, f"GET {path}: {response}"
        return page

    def shot(self, page: Any, step: str, *, phone: bool = False) -> None:
        """Save a full-page screenshot at desktop width (and phone width when asked)."""
        ARTIFACTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{self.test_name}-{step}")
        for name in ("phone", "desktop") if phone else ("desktop",):
            page.set_viewport_size(VIEWPORTS[name])
            path = ARTIFACTS / f"{stem}-{name}.png"
            page.screenshot(path=str(path), full_page=True)
            self.shots.append(path)
        page.set_viewport_size(DESKTOP)

    def problems(self) -> list[str]:
        out = [f"request outside {HOST}: {u}" for u in self.outside]
        out += [f"console error: {m}" for m in self.console_errors]
        out += [f"page error: {m}" for m in self.page_errors]
        out += [f"dialog opened: {m}" for m in self.dialogs]
        return out


def _watch(web: Web, page: Any) -> None:
    page.on("pageerror", lambda exc: web.page_errors.append(f"{page.url}: {exc}"))

    def on_dialog(dialog: Any) -> None:
        web.dialogs.append(f"{dialog.type} {dialog.message!r} on {page.url}")
        dialog.dismiss()

    page.on("dialog", on_dialog)


def watched_context(browser: Any, base_url: str, test_name: str) -> Web:
    """A new browser context whose pages record every problem :meth:`Web.problems` lists."""
    context = browser.new_context(base_url=base_url, viewport=DESKTOP)
    context.set_default_timeout(15_000)
    web = Web(base_url, context, test_name)

    def on_request(req: Any) -> None:
        web.requests.append(req.url)
        if not is_local(req.url):
            web.outside.append(req.url)

    def on_console(msg: Any) -> None:
        if msg.type == "error":
            loc = msg.location or {}
            web.console_errors.append(f"{msg.text} ({loc.get('url', '?')}:{loc.get('lineNumber')})")

    context.on("request", on_request)
    context.on("console", on_console)
    context.on("page", lambda page: _watch(web, page))
    # Never let a request leave the machine; it is recorded above and fails the test.
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    context.add_init_script(CSP_LISTENER)
    return web


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


CALL_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def web(browser: Any, live_server: str, request: pytest.FixtureRequest) -> Iterator[Web]:
    """A fresh browser context on the live server that fails the test on any problem above.

    When the test fails, every page still open is saved as ``<test>-failure-<n>.png``.
    """
    web = watched_context(browser, live_server, request.node.name)
    try:
        yield web
        if request.node.stash.get(CALL_FAILED, False):
            for n, page in enumerate(web.context.pages, 1):
                web.shot(page, f"failure-{n}")
    finally:
        web.context.close()
    problems = web.problems()
    assert not problems, "\n".join(problems)
    assert web.requests, "no page was requested: the test drove nothing"
