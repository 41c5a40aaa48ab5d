"""``/api/v1``: the JSON twins of the pages, each built by the same :mod:`jobrisk.api` call."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from jobrisk import api
from jobrisk.methods import get_method
from jobrisk.web.models import AssessRequest, decode_share
from jobrisk.web.service import WebService, dumps

router = APIRouter(prefix="/api/v1", tags=["api"])

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    s: {
        "description": d,
        "content": {
            "application/json": {
                "example": {
                    "error": {
                        "code": c,
                        "message": "what was wrong",
                        "details": {"hint": "what to do"},
                    }
                }
            }
        },
    }
    for s, c, d in (
        (404, "unknown_occupation", "Unknown code; details.suggestions"),
        (422, "bad_input", "Bad input"),
        (500, "internal_error", "Server error"),
    )
}
CODE = Annotated[str, Query(max_length=200)]


def _svc(request: Request) -> WebService:
    svc: WebService = request.app.state.service
    return svc


def _json(payload: Any) -> Response:
    return Response(dumps(payload), media_type="application/json")


@router.get("/occupations", responses=ERROR_RESPONSES)
async def occupations(request: Request) -> Response:
    """Every O*NET occupation with its consensus exposure percentile, wage and employment."""
    svc = _svc(request)
    body = svc.once("overview.json", lambda: dumps(svc.overview().to_dict()))
    return Response(body, media_type="application/json")


@router.get("/occupations/{code}", responses=ERROR_RESPONSES)
async def occupation(request: Request, code: str) -> Response:
    """One occupation's full report (code, SOC code or title); a 404 carries suggestions."""
    svc = _svc(request)
    view = svc.occupation_cache.get(code)
    if view is None:
        view = await run_in_threadpool(svc.occupation, code)
    return Response(view.body, media_type="application/json")


@router.get("/occupations/{code}/careers", responses=ERROR_RESPONSES)
def occupation_careers(request: Request, code: str) -> Response:
    """Career moves, skills to learn and comparable jobs for one occupation."""
    return _json(_svc(request).careers(code).to_dict())


@router.get("/occupations/{code}/timeline", responses=ERROR_RESPONSES)
def occupation_timeline(request: Request, code: str) -> Response:
    """Observed use per Economic Index release and the weekly index, last week explained."""
    return _json(_svc(request).timeline(code).to_dict())


@router.get("/careers", responses=ERROR_RESPONSES)
def role_careers(request: Request, d: Annotated[str, Query(max_length=20_000)]) -> Response:
    """Career moves for a shared role link's input (the twin of ``/role/careers?d=...``)."""
    req = decode_share(d)
    return _json(_svc(request).careers(req.to_role(), req.matcher).to_dict())


@router.get("/movers", responses=ERROR_RESPONSES)
def week_movers(request: Request) -> Response:
    """This week's largest rises and falls of the weekly index."""
    return _json(_svc(request).movers().to_dict())


@router.get("/score/{code}", responses=ERROR_RESPONSES)
def score(request: Request, code: str) -> Response:
    """Every method's value, the consensus and the explanations for one occupation."""
    svc = _svc(request)
    return _json(svc.call(api.score, svc.catalog, code).to_dict())


@router.get("/search", responses=ERROR_RESPONSES)
def search(
    request: Request,
    q: Annotated[str, Query(max_length=200, description="A job title, typos tolerated.")],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> Response:
    """Occupations by title, alternate, short or reported title."""
    svc = _svc(request)
    hits = svc.call(api.search, svc.catalog, q, limit=limit)
    return _json({"query": q, "results": [dataclasses.asdict(h) for h in hits]})


@router.get("/compare", responses=ERROR_RESPONSES)
def compare(
    request: Request,
    code: Annotated[list[str], Query(max_length=api.COMPARE_MAX + 1)],
) -> Response:
    """Two to five occupations side by side (repeat ``code``)."""
    svc = _svc(request)
    return _json(svc.call(api.compare, svc.catalog, code, explain=False).to_dict())


@router.get("/rank", responses=ERROR_RESPONSES)
def rank(
    request: Request,
    method: Annotated[str, Query(max_length=80)] = "aijri",
    group: Annotated[str | None, Query(max_length=12)] = None,
    order: Literal["most", "least"] = "most",
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    min_wage: Annotated[float | None, Query(ge=0)] = None,
    max_wage: Annotated[float | None, Query(ge=0)] = None,
    min_employment: Annotated[float | None, Query(ge=0)] = None,
) -> Response:
    """Occupations ordered by one method, with SOC group, wage and employment filters."""
    svc = _svc(request)
    rows = svc.rank(
        method,
        group=group,
        order=order,
        limit=limit,
        min_wage=min_wage,
        max_wage=max_wage,
        min_employment=min_employment,
    )
    return _json(
        {"method": method, "order": order, "results": [dataclasses.asdict(r) for r in rows]}
    )


@router.post("/assess", responses={**ERROR_RESPONSES, 413: {"description": "Body over 256 KB"}})
def assess(request: Request, body: AssessRequest) -> Response:
    """A custom role (title and tasks, optional shares, or a job ad): the full report."""
    return Response(
        _svc(request).role(body.to_role(), body.matcher, html=False).body,
        media_type="application/json",
    )


@router.get("/assess", responses=ERROR_RESPONSES)
def assess_link(request: Request, d: Annotated[str, Query(max_length=20_000)]) -> Response:
    """The report of a shared role link's input (the JSON twin of ``/role?d=...``)."""
    req = decode_share(d)
    return Response(
        _svc(request).role(req.to_role(), req.matcher, html=False).body,
        media_type="application/json",
    )


@router.get("/methods", responses=ERROR_RESPONSES)
def methods(request: Request) -> Response:
    """The registered methods with citations, ranges, directions and parameters."""
    return _json([dataclasses.asdict(m) for m in _svc(request).methods()])


@router.get("/methods/{name}", responses=ERROR_RESPONSES)
def method(request: Request, name: str) -> Response:
    """One method's description; an unknown name is a 404 listing the known ones."""
    get_method(name)
    return _json(next(dataclasses.asdict(m) for m in _svc(request).methods() if m.name == name))


@router.get("/sources", responses=ERROR_RESPONSES)
def sources(request: Request) -> Response:
    """Each source's citation and license, coverage counts and the index's build facts."""
    return _json(_svc(request).sources().to_dict())
