"""FastAPI dependencies of the referral API, and who may see which referrals."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from inson_contracts.events.referral import Destination
from inson_runtime.auth import Principal, Role
from inson_runtime.mongo import Document
from pymongo.asynchronous.database import AsyncDatabase

from referral.handlers.commands import Referrals
from referral.reference.centers import ServiceCenter


def _referrals(request: Request) -> Referrals:
    referrals: Referrals = request.app.state.referrals
    return referrals


def _db(request: Request) -> AsyncDatabase[Document]:
    db: AsyncDatabase[Document] = request.app.state.runtime.db
    return db


ReferralsDep = Annotated[Referrals, Depends(_referrals)]
DbDep = Annotated[AsyncDatabase[Document], Depends(_db)]


def visible_referrals(principal: Principal) -> dict[str, Any]:
    """The referrals a caller may see, as a query filter.

    A window operator sees their own center's windows (the center in their
    token's scope); a supervisor their district, whatever the provider; an
    admin everything.
    """
    scope = principal.scope
    if principal.role is Role.ADMIN:
        return {}
    if principal.role is Role.WINDOW_OPERATOR and scope.service_center:
        return {"service_center": scope.service_center}
    if principal.role is Role.SUPERVISOR and scope.district:
        return {"district": scope.district}
    raise HTTPException(403, "your token's scope names no service center or district")


def check_center(principal: Principal, center: ServiceCenter) -> None:
    """403 unless the caller may look at this center's queue and board."""
    area = visible_referrals(principal)
    if area.get("service_center", center.code) != center.code:
        raise HTTPException(403, f"service center {center.code} is not yours")
    if area.get("district", center.district) != center.district:
        raise HTTPException(403, f"service center {center.code} is outside your district")


def may_see(principal: Principal, destination: Destination) -> bool:
    area = visible_referrals(principal)
    if "service_center" in area:
        return bool(destination.service_center == area["service_center"])
    if "district" in area:
        return bool(destination.district == area["district"])
    return True
