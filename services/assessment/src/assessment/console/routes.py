"""The tablet app: its page, label catalogue, manifest, service worker and files.

The page holds no data and needs no token: the script calls assessment's API
same-origin and intake's ``POST /v1/applications`` with the worker's bearer
token, as any other client does, so the app adds no way in. What it keeps
on the device (the worker's own cases, the outbox) lives in the browser's
IndexedDB and is wiped at sign-out (``static/store.js``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from inson_contracts.codes.services import SERVICES
from inson_runtime.pages import PageAssets, page_context, page_headers, page_language
from starlette.responses import Response

from assessment.console.labels import (
    CIRCUMSTANCES,
    DEFAULT_LANGUAGE,
    HOUSING,
    catalogue_json,
    label,
    mahalla_names,
)
from assessment.console.questionnaire import CODE_LISTS

HERE = Path(__file__).parent
# For a service a worker adds to a plan: the provider type the API requires with it.
SERVICE_PROVIDERS = {found.code: found.provider.value for found in SERVICES}
BASE = "/tablet"
STATIC_URL = f"{BASE}/static"
# What the service worker keeps for opening the app without a connection.
SHELL = (
    f"{BASE}/",
    f"{BASE}/labels.json",
    f"{BASE}/manifest.webmanifest",
    *(
        f"{STATIC_URL}/{name}"
        for name in (
            "app.js",
            "store.js",
            "views.js",
            "questionnaire.js",
            "plan.js",
            "fields.js",
            "apply.js",
            "tablet.css",
            "icon.svg",
        )
    ),
)


def tablet_headers(intake_url: str) -> dict[str, str]:
    """Only the app's own files may run; the one other origin it talks to is intake's.
    Cached only after a check (the service worker serves it offline)."""
    return page_headers(
        connect_src=f"'self' {intake_url}".strip(),
        directives=("worker-src 'self'", "manifest-src 'self'"),
        form_action="'none'",
        cache_control="no-cache",
    )


router = APIRouter(tags=["tablet app"], include_in_schema=False)
templates = Jinja2Templates(directory=HERE / "templates")
LanguageTag = Annotated[str | None, Query(alias="lang", max_length=16)]


@router.get(BASE)
async def to_app() -> RedirectResponse:
    return RedirectResponse(f"{BASE}/", status_code=308)


@router.get(f"{BASE}/", response_class=HTMLResponse)
async def page(request: Request, lang: LanguageTag = None) -> Response:
    context: dict[str, Any] = {
        **page_context(page_language(lang, DEFAULT_LANGUAGE), label),
        "circumstances": CIRCUMSTANCES,
        "housing": HOUSING,
        "codes": CODE_LISTS,
        "service_providers": SERVICE_PROVIDERS,
        "intake_url": request.app.state.tablet_intake_url,
        "static": STATIC_URL,
        "base": BASE,
    }
    return templates.TemplateResponse(
        request, "tablet.html", context, headers=tablet_headers(request.app.state.tablet_intake_url)
    )


@router.get(f"{BASE}/labels.json")
async def labels() -> JSONResponse:
    return JSONResponse(catalogue_json(), headers={"Cache-Control": "no-cache"})


@router.get(f"{BASE}/mahallas.json")
async def mahallas(
    code: Annotated[list[str], Query(max_length=50)] = [],  # noqa: B006 (FastAPI copies it)
) -> JSONResponse:
    """Public reference data, for the worker's mahallas after sign-in (kept offline)."""
    return JSONResponse(mahalla_names(code), headers={"Cache-Control": "no-cache"})


@router.get(f"{BASE}/manifest.webmanifest")
async def manifest() -> JSONResponse:
    body = {
        "name": label("app.title", DEFAULT_LANGUAGE),
        "short_name": "Inson",
        "start_url": f"{BASE}/",
        "scope": f"{BASE}/",
        "display": "standalone",
        "orientation": "any",
        "background_color": "#f4f6f5",
        "theme_color": "#1d5b4f",
        "icons": [{"src": f"{STATIC_URL}/icon.svg", "sizes": "any", "type": "image/svg+xml"}],
    }
    return JSONResponse(body, media_type="application/manifest+json")


@router.get(f"{BASE}/sw.js")
async def service_worker() -> Response:
    # Served from /tablet/ (not /tablet/static/) so that its scope is the whole app;
    # the shell list is written in by the server, the one place it is kept.
    source = (HERE / "sw.js").read_text(encoding="utf-8").replace("__SHELL__", repr(list(SHELL)))
    return Response(
        source,
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
    )


def install(app: FastAPI, *, intake_url: str) -> None:
    """Serve the tablet app at /tablet/; ``intake_url`` is where applications go."""
    app.state.tablet_intake_url = intake_url.rstrip("/")
    app.include_router(router)
    app.mount(STATIC_URL, PageAssets(directory=HERE / "static"), name="tablet-static")
