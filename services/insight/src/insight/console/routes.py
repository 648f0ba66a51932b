"""The KPI page: a shell anyone may load, and the report, rendered on the server for
the bearer of a supervisor's or admin's token.

As in referral's console, the page holds no data and no session: its script
keeps the token in sessionStorage and fetches ``/kpi/report`` with it, which
answers HTML (tables and SVG charts, ``charts.py``) the script puts in place.
So the figures are drawn by the server, in the language asked for, and the
report is under the same roles and disclosure rules as the JSON API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from inson_contracts.codes.names import Language
from inson_runtime.apikit import Supervisor
from inson_runtime.pages import PageAssets, page_context, page_headers, page_language
from starlette.responses import Response

from insight.console.labels import DEFAULT_LANGUAGE, label
from insight.console.report import report_context
from insight.domain.indicators import Level
from insight.domain.periods import PeriodKind
from insight.handlers.readers import known_district, reader_of
from insight.handlers.reports import Reports

HERE = Path(__file__).parent
STATIC_URL = "/kpi/static"
PAGE_HEADERS = page_headers()

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=HERE / "templates")
LanguageTag = Annotated[str | None, Query(alias="lang", max_length=16)]


def _labels(language: Language) -> dict[str, Any]:
    return {**page_context(language, label), "static": STATIC_URL}


@router.get("/kpi", response_class=HTMLResponse)
async def page(request: Request, lang: LanguageTag = None) -> Response:
    context = {
        **_labels(page_language(lang, DEFAULT_LANGUAGE)),
        "levels": list(Level),
        "periods": list(PeriodKind),
    }
    return templates.TemplateResponse(request, "kpi.html", context, headers=PAGE_HEADERS)


@router.get("/kpi/report", response_class=HTMLResponse)
async def report(
    request: Request,
    principal: Supervisor,
    lang: LanguageTag = None,
    level: Level = Level.DISTRICT,
    period: PeriodKind = PeriodKind.MONTH,
    district: Annotated[str | None, Query(pattern=r"^[0-9]{7}$")] = None,
) -> Response:
    language = page_language(lang, DEFAULT_LANGUAGE)
    reader = reader_of(principal)
    asked = known_district(district) or reader.district
    reports: Reports = request.app.state.reports
    rows = await reports.indicators(reader, level=level, kind=period, district=asked)
    coverage = await reports.coverage(reader, asked)
    context = {**_labels(language), **report_context(rows, coverage, language)}
    return templates.TemplateResponse(request, "report.html", context, headers=PAGE_HEADERS)


def install(app: FastAPI) -> None:
    """Serve the page at /kpi, its report at /kpi/report and its files under /kpi/static/."""
    app.include_router(router)
    app.mount(STATIC_URL, PageAssets(directory=HERE / "static"), name="kpi-static")
