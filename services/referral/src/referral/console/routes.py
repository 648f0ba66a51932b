"""The console: one page, its label catalogue, its operator's windows or providers, its assets.

Window operators and provider operators work in the same page: after the
token is checked (``/v1/me``), a window operator picks one of their center's
windows, a provider operator one of their providers (names from the shared
directory), and both work that queue with the same actions.

The page holds no data and needs no token: it is the same for everyone, and
the script calls the JSON API with the operator's bearer token, as any other
client does. So the console adds no way in and no session of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates
from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.names import LocalizedName
from inson_contracts.codes.providers import provider
from inson_contracts.codes.service_model import ProviderType
from inson_contracts.events.referral import RejectionCode
from inson_runtime.apikit import Problem, answer
from inson_runtime.auth import Principal, Role, require_roles
from inson_runtime.pages import PageAssets, page_context, page_headers, page_language
from inson_runtime.problems import ProblemError, install_refusals
from pydantic import BaseModel
from starlette.responses import Response

from referral.console import examples, problems
from referral.console.labels import DEFAULT_LANGUAGE, catalogue_json, label
from referral.reference.centers import Window, service_center

HERE = Path(__file__).parent
STATIC_URL = "/console/static"

# The console's own files only, and nothing cached: a release is seen at once.
PAGE_HEADERS = page_headers()

router = APIRouter(tags=["window console"])
templates = Jinja2Templates(directory=HERE / "templates")

Operator = Annotated[Principal, Depends(require_roles(Role.WINDOW_OPERATOR))]
ProviderOperator = Annotated[Principal, Depends(require_roles(Role.PROVIDER_OPERATOR))]
LanguageTag = Annotated[str | None, Query(alias="lang", max_length=16)]


class OperatorCenter(BaseModel):
    """The operator's Public Services Center and its windows, from the directory."""

    code: str
    name: LocalizedName
    placeholder: bool
    windows: list[Window]


class OperatorProvider(BaseModel):
    """One of the providers a provider operator's token names, from the directory."""

    code: str
    provider_type: ProviderType
    district: str
    name: LocalizedName
    placeholder: bool


class OperatorProviders(BaseModel):
    providers: list[OperatorProvider]


@router.get("/console", response_class=HTMLResponse, include_in_schema=False)
async def console(request: Request, lang: LanguageTag = None) -> Response:
    context: dict[str, Any] = {
        **page_context(page_language(lang, DEFAULT_LANGUAGE), label),
        "rejection_codes": [code.value for code in RejectionCode],
        "static": STATIC_URL,
    }
    return templates.TemplateResponse(request, "console.html", context, headers=PAGE_HEADERS)


@router.get("/console/labels.json", include_in_schema=False)
async def labels() -> JSONResponse:
    # Public text, but revalidated like the script that reads it: a release's
    # new key must never meet an old catalogue.
    return JSONResponse(catalogue_json(), headers={"Cache-Control": "no-cache"})


@router.get(
    "/console/api/center",
    response_model=OperatorCenter,
    responses={
        403: {"model": Problem, "description": "The token names no service center"},
        404: {"model": Problem, "description": "The token's center is not in the directory"},
        **answer(
            "The center and its windows, names in the three scripts", examples.OPERATOR_CENTER
        ),
    },
    summary="The caller's service center and its windows, for the console's window choice",
    description="The window console calls it after sign-in with a window operator's "
    "token: the service center the token names, with its windows, so the operator picks "
    "the window they sit at. `placeholder` marks names generated until the real directory "
    "is loaded.",
)
async def operator_center(principal: Operator) -> OperatorCenter:
    code = principal.scope.service_center
    if not code:
        raise ProblemError(problems.NO_CENTER)
    try:
        center = service_center(code)
    except UnknownCode:
        raise ProblemError(problems.CENTER_UNKNOWN) from None
    return OperatorCenter(
        code=center.code,
        name=center.name,
        placeholder=center.placeholder,
        windows=list(center.windows),
    )


@router.get(
    "/console/api/providers",
    response_model=OperatorProviders,
    responses={
        403: {"model": Problem, "description": "The token names no provider"},
        404: {"model": Problem, "description": "None of the token's providers is in the directory"},
        **answer(
            "The token's providers of the directory, names in the three scripts",
            examples.OPERATOR_PROVIDERS,
        ),
    },
    summary="The caller's providers, for the console's provider choice",
    description="The console calls it after sign-in with a provider operator's token "
    "(a health facility's, an employment center's, an NGO's, ...): the providers the "
    "token names that the provider directory knows, so the operator picks the one they "
    "work for. Providers since removed from the directory are left out.",
)
async def operator_providers(principal: ProviderOperator) -> OperatorProviders:
    if not principal.scope.providers:
        raise ProblemError(problems.NO_PROVIDER)
    known = []
    for code in principal.scope.providers:
        try:
            found = provider(code)
        except UnknownCode:
            continue  # a provider since removed from the directory: nothing to work there
        known.append(
            OperatorProvider(
                code=found.code,
                provider_type=found.provider_type,
                district=found.district,
                name=found.name,
                placeholder=found.placeholder,
            )
        )
    if not known:
        raise ProblemError(problems.PROVIDERS_UNKNOWN)
    return OperatorProviders(providers=known)


def install(app: FastAPI) -> None:
    """Serve the console at /console and its files under /console/static/."""
    app.include_router(router)
    install_refusals(app, problems.CATALOGUE, [])
    app.mount(STATIC_URL, PageAssets(directory=HERE / "static"), name="console-static")
