"""FastAPI dependencies of the referral API: the caller's area, and the centers,
windows and providers a route names, checked against it.

No database here: the routes reach the event store through the command
handlers and the read models through the queries, both built by ``main.py``
and kept on ``app.state``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Request
from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.providers import Provider
from inson_contracts.codes.providers import provider as provider_named
from inson_runtime.auth import Principal, Role
from inson_runtime.problems import ProblemError

from referral.api import problems as p
from referral.api.errors import install_errors
from referral.domain.area import EVERYWHERE, Area
from referral.handlers.commands import Referrals
from referral.projections.queries import ReferralQueries
from referral.reference.centers import ServiceCenter, center_of_window, service_center


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
    raise ProblemError(p.NO_AREA)


def known_center(code: str) -> ServiceCenter:
    try:
        return service_center(code)
    except UnknownCode:
        raise ProblemError(p.CENTER_NOT_FOUND) from None


def center_with_window(window: str) -> ServiceCenter:
    try:
        return center_of_window(window)
    except UnknownCode:
        raise ProblemError(p.WINDOW_NOT_FOUND) from None


def known_provider(code: str) -> Provider:
    try:
        return provider_named(code)
    except UnknownCode:
        raise ProblemError(p.PROVIDER_NOT_FOUND) from None


def check_center(area: Area, center: ServiceCenter) -> None:
    """403 unless the caller may look at this center's queue and board."""
    if area.service_center not in (None, center.code) or area.providers is not None:
        raise ProblemError(p.CENTER_NOT_YOURS)
    if area.district not in (None, center.district):
        raise ProblemError(p.CENTER_OUTSIDE)


def check_provider(area: Area, provider: Provider) -> None:
    """403 unless the caller may look at this provider's queue and board."""
    if area.service_center is not None or (
        area.providers is not None and provider.code not in area.providers
    ):
        raise ProblemError(p.PROVIDER_NOT_YOURS)
    if area.district not in (None, provider.district):
        raise ProblemError(p.PROVIDER_OUTSIDE)


def install_referral_errors(app: FastAPI) -> None:
    """The handlers' refusals as problems (``api/errors.py``)."""
    install_errors(app)
