"""Server-rendered pages. Each calls one service (one :mod:`jobrisk.api`) function and a
template; the JSON twin of each page is named in the page and in docs/web.md."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from jobrisk import api
from jobrisk.consensus import CONSENSUS_SET
from jobrisk.errors import InputError, JobriskError
from jobrisk.roles import MAX_AD_CHARS, MAX_TASKS, MAX_TITLE_CHARS
from jobrisk.timeline import Timeline
from jobrisk.web import charts
from jobrisk.web.models import AssessRequest, decode_share, encode_share, request_from_form
from jobrisk.web.service import WebService, this_week
from jobrisk.web.templating import render, trend_charts

router = APIRouter(include_in_schema=False)

REPORT_CSS = Path(__file__).resolve().parents[1] / "reports" / "static" / "report.css"
HOME_LIST = 10


def _svc(request: Request) -> WebService:
    svc: WebService = request.app.state.service
    return svc


def _page(html: str | bytes, status: int = 200) -> HTMLResponse:
    return HTMLResponse(html, status_code=status)


@router.api_route("/static/report.css", methods=["GET", "HEAD"])
def report_css() -> Response:
    if not REPORT_CSS.is_file():
        return Response("/* the report stylesheet is not built yet */", media_type="text/css")
    return FileResponse(REPORT_CSS, media_type="text/css")


@router.get("/")
def home(request: Request) -> HTMLResponse:
    svc = _svc(request)

    def build() -> bytes:
        ov = svc.overview()
        mv = svc.section(svc.movers)
        return render(
            "home.html",
            movers=None if isinstance(mv, JobriskError) else mv,
            movers_error=mv if isinstance(mv, JobriskError) else None,
            most=ov.most_exposed(HOME_LIST),
            least=ov.least_exposed(HOME_LIST),
            n=len(ov.points),
            scatter=Markup(charts.exposure_wage_scatter(ov.points)),
        ).encode()

    return _page(svc.once(f"home.html:{this_week()}", build))


@router.get("/search")
def search(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    svc = _svc(request)
    hits = svc.call(api.search, svc.catalog, q, limit=25) if q.strip() else []
    return _page(render("search.html", q=q, hits=hits))


@router.get("/occupations/{code}")
async def occupation(request: Request, code: str) -> HTMLResponse:
    svc = _svc(request)
    key = f"occ:{code}"
    cached = svc.page_cache.get(key)
    if cached is None:
        cached = await run_in_threadpool(_occupation_page, svc, code)
        svc.page_cache.put(key, cached)
    return _page(cached)


def _occupation_page(svc: WebService, code: str) -> bytes:
    view = svc.occupation(code)
    tl = svc.section(lambda: svc.timeline(view.code))
    careers = svc.section(lambda: svc.careers(view.code))
    charts_ = trend_charts(tl) if isinstance(tl, Timeline) else (None, None)
    return render(
        "occupation.html",
        view=view,
        fragment=Markup(view.fragment),
        tl=tl,
        trend_error=tl if isinstance(tl, JobriskError) else None,
        weekly_chart=charts_[0],
        release_chart=charts_[1],
        careers=careers,
        careers_error=careers if isinstance(careers, JobriskError) else None,
        careers_json=f"/api/v1/occupations/{view.code}/careers",
    ).encode()


@router.get("/compare")
def compare(
    request: Request,
    code: Annotated[list[str] | None, Query(max_length=api.COMPARE_MAX + 1)] = None,
) -> HTMLResponse:
    svc = _svc(request)
    codes = [c for c in (code or []) if c.strip()]
    result = svc.call(api.compare, svc.catalog, codes, explain=False).to_dict() if codes else None
    json_url = "/api/v1/compare?" + urlencode([("code", c) for c in codes]) if codes else None
    slots = (codes + [""] * api.COMPARE_MAX)[: api.COMPARE_MAX]
    return _page(render("compare.html", result=result, slots=slots, json_url=json_url))


def _filter_number(name: str, text: str) -> float | None:
    text = text.strip().replace(",", "").lstrip("$")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(
            f"{name} must be a number, got {text!r}", hint="leave it empty for no filter"
        ) from None
    if not value >= 0:
        raise InputError(f"{name} must be 0 or more, got {text!r}")
    return value


@router.get("/rank")
def rank(
    request: Request,
    method: Annotated[str, Query(max_length=80)] = "aijri",
    group: Annotated[str, Query(max_length=12)] = "",
    order: Literal["most", "least"] = "most",
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    min_wage_text: Annotated[str, Query(alias="min_wage", max_length=20)] = "",
    max_wage_text: Annotated[str, Query(alias="max_wage", max_length=20)] = "",
    min_employment_text: Annotated[str, Query(alias="min_employment", max_length=20)] = "",
) -> HTMLResponse:
    svc = _svc(request)
    # The form submits its empty boxes as "": an empty filter is no filter, not a bad number.
    min_wage = _filter_number("min_wage", min_wage_text)
    max_wage = _filter_number("max_wage", max_wage_text)
    min_employment = _filter_number("min_employment", min_employment_text)
    rows = svc.rank(
        method,
        group=group,
        order=order,
        limit=limit,
        min_wage=min_wage,
        max_wage=max_wage,
        min_employment=min_employment,
    )
    params = {
        "method": method,
        "group": group,
        "order": order,
        "limit": limit,
        "min_wage": min_wage,
        "max_wage": max_wage,
        "min_employment": min_employment,
    }
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return _page(
        render(
            "rank.html",
            rows=rows,
            p=params,
            methods=svc.methods(),
            json_url=f"/api/v1/rank?{query}",
        )
    )


def _role_page(request: Request, req: AssessRequest | None, status: int = 200) -> HTMLResponse:
    limits = {"tasks": MAX_TASKS, "title": MAX_TITLE_CHARS, "ad": MAX_AD_CHARS}
    if req is None:
        return _page(render("role.html", req=None, view=None, limits=limits))
    view = _svc(request).role(req.to_role(), req.matcher)
    token = encode_share(req)
    return _page(
        render(
            "role.html",
            req=req,
            view=view,
            limits=limits,
            fragment=Markup(view.fragment),
            share_url=f"/role?d={token}" if token else None,
            token=token,
            json_url=f"/api/v1/assess?d={token}" if token else None,
        ),
        status,
    )


@router.get("/role")
def role_form(
    request: Request, d: Annotated[str | None, Query(max_length=20_000)] = None
) -> HTMLResponse:
    return _role_page(request, decode_share(d) if d else None)


@router.get("/role/careers")
def role_careers(request: Request, d: Annotated[str, Query(max_length=20_000)]) -> HTMLResponse:
    req = decode_share(d)
    careers = _svc(request).section(lambda: _svc(request).careers(req.to_role(), req.matcher))
    return _page(
        render(
            "careers.html",
            title=req.title,
            careers=careers,
            careers_error=careers if isinstance(careers, JobriskError) else None,
            careers_json=f"/api/v1/careers?d={d}",
            back_url=f"/role?d={d}",
        )
    )


@router.post("/role")
def role_submit(
    request: Request,
    title: Annotated[str, Form(max_length=MAX_TITLE_CHARS * 2)] = "",
    tasks: Annotated[str, Form(max_length=MAX_AD_CHARS)] = "",
    shares: Annotated[str, Form(max_length=4_000)] = "",
    ad: Annotated[str, Form(max_length=MAX_AD_CHARS)] = "",
    matcher: Annotated[str, Form(max_length=20)] = "auto",
) -> HTMLResponse:
    if not title.strip():
        raise InputError("the role has no title", hint="give a title, e.g. 'ML engineer'")
    return _role_page(request, request_from_form(title, tasks, shares, ad, matcher))


@router.get("/methods")
def methods(request: Request) -> HTMLResponse:
    return _page(
        render("methods.html", methods=_svc(request).methods(), consensus_set=CONSENSUS_SET)
    )


@router.get("/sources")
def sources(request: Request) -> HTMLResponse:
    return _page(render("sources.html", s=_svc(request).sources()))
