"""The app's view of the library: one lock around the index, and caches of finished bytes.

Every method calls one :mod:`jobrisk.api` function (or one report builder) and returns a
record or finished bytes. DuckDB connections are not safe to share between threads, and
FastAPI runs sync work on a thread pool, so every index access goes through :attr:`lock`.
Occupation JSON and HTML are cached as bytes (an occupation page is then a dict lookup); a
custom role is never cached, because what people type is not kept. Custom roles posted at the
same time are scored together (:class:`RoleBatcher`, :func:`jobrisk.api.assess_many`).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from jobrisk import api
from jobrisk.careers import Careers
from jobrisk.catalog import Catalog
from jobrisk.errors import JobriskError
from jobrisk.reports import Report
from jobrisk.reports.model import report_for_role
from jobrisk.roles import Role
from jobrisk.timeline import Movers, Timeline

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class LRU(Generic[K, V]):
    """A small thread-safe least-recently-used map."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)


def dumps(payload: Any) -> bytes:
    """Compact UTF-8 JSON, the one encoder of every API body."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


@dataclass(frozen=True)
class OccupationView:
    """What an occupation page shows: the report's JSON body and its HTML fragment."""

    code: str
    title: str
    payload: dict[str, Any]
    body: bytes
    fragment: str


@dataclass(frozen=True)
class RoleView:
    """A custom role's result: the report's JSON body and its HTML fragment."""

    title: str
    payload: dict[str, Any]
    body: bytes
    fragment: str


ScoreRoles = Callable[[list[Role], str], Sequence["Report | JobriskError"]]


class RoleBatcher:
    """Custom roles from concurrent requests, scored in batches.

    A request's role waits while the batch before it is scored, then goes with every role
    queued meanwhile (up to ``max_batch``, grouped by matcher): a batch of 32 costs a few
    single roles (one embedding batch, one pass of every method), so under load the queue
    drains instead of growing, and a lone request is a batch of one. One worker thread runs
    while there is work and ends when the queue is empty. Each role gets its own result or
    its own error.
    """

    def __init__(self, score: ScoreRoles, max_batch: int = 32) -> None:
        self._score = score
        self._max = max_batch
        self._pending: list[tuple[Role, str, Future[Report]]] = []
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None
        # the sizes of the last batches scored (the tests read them), bounded for a long run
        self.batches: deque[int] = deque(maxlen=1024)

    def submit(self, role: Role, matcher: str) -> Report:
        """The role's report, once its batch is scored (or the error that role raised)."""
        future: Future[Report] = Future()
        with self._lock:
            self._pending.append((role, matcher, future))
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="jobrisk-roles", daemon=True)
                self._worker.start()
        return future.result()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    self._worker = None
                    return
                batch, self._pending = self._pending[: self._max], self._pending[self._max :]
            self.batches.append(len(batch))
            by_matcher: dict[str, list[tuple[Role, str, Future[Report]]]] = {}
            for item in batch:
                by_matcher.setdefault(item[1], []).append(item)
            for matcher, items in by_matcher.items():
                try:
                    results = self._score([role for role, _, _ in items], matcher)
                except Exception as exc:  # the whole group failed: each request gets why
                    for _, _, future in items:
                        future.set_exception(exc)
                    continue
                for (_, _, future), result in zip(items, results, strict=True):
                    if isinstance(result, JobriskError):
                        future.set_exception(result)
                    else:
                        future.set_result(result)


class WebService:
    """Library calls for the routes, serialized on one lock, with byte caches."""

    def __init__(self, catalog: Catalog, render_fragment: Callable[[Report], str]) -> None:
        self.catalog = catalog
        self.lock = threading.RLock()
        self._render_fragment = render_fragment
        self.occupation_cache: LRU[str, OccupationView] = LRU(4096)
        self.page_cache: LRU[str, bytes] = LRU(2048)
        self.section_cache: LRU[str, Careers | Timeline] = LRU(1024)
        self.singletons: dict[str, Any] = {}
        self.roles = RoleBatcher(self._role_reports)

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        with self.lock:
            return fn(*args, **kwargs)

    def once(self, key: str, fn: Callable[[], T]) -> T:
        """``fn()`` computed once per app (home lists, methods, sources, the scatter)."""
        if key not in self.singletons:
            with self.lock:
                if key not in self.singletons:
                    self.singletons[key] = fn()
        value: T = self.singletons[key]
        return value

    # --- use cases -------------------------------------------------------------------

    def occupation(self, query: str) -> OccupationView:
        """The occupation report for a code, SOC code or title, cached under both keys."""
        hit = self.occupation_cache.get(query)
        if hit is not None:
            return hit
        with self.lock:
            code = self.catalog.resolve(query)
            view = self.occupation_cache.get(code)
            if view is None:
                report = _build_report(self.catalog, code)
                payload = report.to_dict()
                view = OccupationView(
                    code=code,
                    title=_occupation_title(payload),
                    payload=payload,
                    body=dumps(payload),
                    fragment=self._render_fragment(report),
                )
                self.occupation_cache.put(code, view)
        self.occupation_cache.put(query, view)
        return view

    def role(self, role: Role, matcher: str, *, html: bool = True) -> RoleView:
        """A custom role's report (never cached), scored with the roles posted meanwhile;
        ``html=False`` skips the page fragment (the JSON API)."""
        report = self.roles.submit(role, matcher)
        payload = report.to_dict()
        return RoleView(
            title=role.title,
            payload=payload,
            body=dumps(payload),
            fragment=self._render_fragment(report) if html else "",
        )

    def _role_reports(self, roles: list[Role], matcher: str) -> list[Report | JobriskError]:
        with self.lock:
            return [
                r if isinstance(r, JobriskError) else report_for_role(self.catalog, r)
                for r in api.assess_many(self.catalog, roles, matcher=matcher)
            ]

    def rank(
        self,
        method: str,
        *,
        group: str | None,
        order: str,
        limit: int,
        min_wage: float | None,
        max_wage: float | None,
        min_employment: float | None,
    ) -> list[api.RankedOccupation]:
        """:func:`jobrisk.api.rank` for the page and the API: ``order`` is ``most`` or
        ``least``, an empty ``group`` is no filter."""
        return self.call(
            api.rank,
            self.catalog,
            method,
            group=group or None,
            most_exposed=order == "most",
            limit=limit,
            min_wage=min_wage,
            max_wage=max_wage,
            min_employment=min_employment,
        )

    def careers(self, query: str | Role, matcher: str = "auto") -> Careers:
        """Career moves, skills to learn and comparable jobs (:func:`jobrisk.api.careers`)."""
        if isinstance(query, str):
            key = f"careers:{query}"
            hit = self.section_cache.get(key)
            if hit is None:
                hit = self.call(api.careers, self.catalog, query)
                self.section_cache.put(key, hit)
            assert isinstance(hit, Careers)
            return hit
        return self.call(api.careers, self.catalog, query, matcher=matcher)

    def timeline(self, query: str) -> Timeline:
        """The occupation's release series and weekly index (:func:`jobrisk.api.timeline`)."""
        key = f"timeline:{query}"
        hit = self.section_cache.get(key)
        if hit is None:
            hit = self.call(api.timeline, self.catalog, query)
            self.section_cache.put(key, hit)
        assert isinstance(hit, Timeline)
        return hit

    def movers(self) -> Movers:
        """This week's largest rises and falls of the weekly index (:func:`jobrisk.api.movers`)."""
        return self.once(f"movers:{this_week()}", lambda: api.movers(self.catalog))

    def section(self, fn: Callable[[], T]) -> T | JobriskError:
        """A page section's record, or the error that explains why the page goes without it."""
        try:
            return fn()
        except JobriskError as exc:
            return exc

    def overview(self) -> api.Overview:
        return self.once("overview", lambda: api.overview(self.catalog))

    def methods(self) -> list[api.MethodInfo]:
        return self.once("methods", api.list_methods)

    def sources(self) -> api.SourcesReport:
        return self.once("sources", lambda: api.sources(self.catalog))


def this_week() -> str:
    """The ISO week, so week-dependent pages (movers) are rebuilt when the week turns."""
    year, week, _ = dt.date.today().isocalendar()
    return f"{year}-W{week:02d}"


def _occupation_title(payload: dict[str, Any]) -> str:
    return str(payload.get("title", ""))


def _build_report(cat: Catalog, code: str) -> Report:
    return api.report(cat, code)
