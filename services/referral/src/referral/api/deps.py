"""FastAPI dependencies of the referral API, the caller's area, and the answers to
what the handlers refuse.

No database here: the routes reach the event store through the command
handlers and the read models through the queries, both built by ``main.py``
and kept on ``app.state``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from inson_contracts.codes.providers import Provider
from inson_runtime.auth import Principal, Role

from referral.api.schemas import TransitionProblem
from referral.domain.area import EVERYWHERE, Area
from referral.domain.referral import IllegalTransition, UnknownReferral
from referral.handlers.commands import NoReferralsAsOf, NotInArea, Referrals
from referral.projections.queries import ReferralQueries
from referral.reference.centers import ServiceCenter


def _referrals(request: Request) -> Referrals:
    referrals: Referrals = request.app.state.referrals
    return referrals


def _queries(request: Request) -> ReferralQueries:
    queries: ReferralQueries = request.app.state.queries
    return queries


ReferralsDep = Annotated[Referrals, Depends(_referrals)]
QueriesDep = Annotated[ReferralQueries, Depends(_queries)]


def area_of(principal: Principal) -> Area:
    """The referrals a caller may see; 403 if their token's scope names no area.

    A window operator sees their own center's windows (the center in their
    token's scope); a provider operator the referrals to the providers their
    token names; a supervisor their district, whatever the provider; an
    admin everything.
    """
    scope = principal.scope
    if principal.role is Role.ADMIN:
        return EVERYWHERE
    if principal.role is Role.WINDOW_OPERATOR and scope.service_center:
        return Area(service_center=scope.service_center)
    if principal.role is Role.PROVIDER_OPERATOR and scope.providers:
        return Area(providers=frozenset(scope.providers))
    if principal.role is Role.SUPERVISOR and scope.district:
        return Area(district=scope.district)
    raise HTTPException(403, "your token's scope names no service center, provider or district")


def check_center(area: Area, center: ServiceCenter) -> None:
    """403 unless the caller may look at this center's queue and board."""
    if area.service_center not in (None, center.code) or area.providers is not None:
        raise HTTPException(403, f"service center {center.code} is not yours")
    if area.district not in (None, center.district):
        raise HTTPException(403, f"service center {center.code} is outside your district")


def check_provider(area: Area, provider: Provider) -> None:
    """403 unless the caller may look at this provider's queue and board."""
    if area.service_center is not None or (
        area.providers is not None and provider.code not in area.providers
    ):
        raise HTTPException(403, f"provider {provider.code} is not yours")
    if area.district not in (None, provider.district):
        raise HTTPException(403, f"provider {provider.code} is outside your district")


def install_referral_errors(app: FastAPI) -> None:
    """409 with the current state for a refused transition; 404 for a referral
    unknown, outside the caller's area, or not issued by the moment asked about."""

    @app.exception_handler(IllegalTransition)
    async def illegal(request: Request, exc: IllegalTransition) -> JSONResponse:
        problem = TransitionProblem.of(exc)
        content = problem.model_dump(mode="json", exclude_none=True)
        return JSONResponse(status_code=409, content=content)

    @app.exception_handler(UnknownReferral)
    async def unknown(request: Request, exc: UnknownReferral) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": f"no referral {exc}"})

    @app.exception_handler(NotInArea)
    @app.exception_handler(NoReferralsAsOf)
    async def not_found(request: Request, exc: LookupError) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": str(exc)})
