"""A center's deadline board, and the answers to commands the state machine refuses."""

from __future__ import annotations

import statistics
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Request
from fastapi.responses import JSONResponse
from inson_contracts.codes.errors import UnknownCode
from inson_runtime.apikit import Problem
from inson_runtime.auth import Principal, Role, require_roles

from referral.api.deps import DbDep, ReferralsDep, check_center
from referral.api.schemas import CenterBoard, WindowBoard
from referral.domain.referral import AWAITING_ACCEPTANCE, IllegalTransition, UnknownReferral
from referral.projections.views import OPEN_STATUSES, REFERRALS
from referral.reference.centers import service_center

router = APIRouter(prefix="/v1", tags=["service centers"])

# The median is over the most recent acceptances: recent enough to say how
# the center works now, and one bounded read however old the center is.
MEDIAN_SAMPLE = 1000
AWAITING = sorted(s.value for s in AWAITING_ACCEPTANCE)

Reader = Annotated[
    Principal, Depends(require_roles(Role.WINDOW_OPERATOR, Role.SUPERVISOR, Role.ADMIN))
]


@router.get(
    "/centers/{center}/board",
    response_model=CenterBoard,
    responses={404: {"model": Problem, "description": "No such service center"}},
    summary="Open and overdue referrals per window, and how fast referrals are accepted",
)
async def board(
    center: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,31}$")],
    principal: Reader,
    db: DbDep,
    referrals: ReferralsDep,
) -> CenterBoard:
    try:
        known = service_center(center)
    except UnknownCode as exc:
        raise HTTPException(404, str(exc)) from None
    check_center(principal, known)
    now = referrals.clock()
    collection = db[REFERRALS]
    windows: list[WindowBoard] = []
    for window in known.window_codes:
        here: dict[str, Any] = {"service_center": known.code, "window": window}
        awaiting = {**here, "status": {"$in": AWAITING}}
        windows.append(
            WindowBoard(
                window=window,
                open=await collection.count_documents({**here, "status": {"$in": OPEN_STATUSES}}),
                awaiting_acceptance=await collection.count_documents(awaiting),
                overdue=await collection.count_documents({**awaiting, "accept_by": {"$lt": now}}),
            )
        )
    cursor = collection.find(
        {"service_center": known.code, "minutes_to_accept": {"$exists": True}},
        {"minutes_to_accept": 1},
        sort=[("accepted_at", -1)],
        limit=MEDIAN_SAMPLE,
    )
    minutes = [int(doc["minutes_to_accept"]) async for doc in cursor]
    return CenterBoard(
        center=known.code,
        district=known.district,
        name=known.name,
        as_of=now,
        open=sum(w.open for w in windows),
        awaiting_acceptance=sum(w.awaiting_acceptance for w in windows),
        overdue=sum(w.overdue for w in windows),
        accepted=len(minutes),
        median_minutes_to_accept=float(statistics.median(minutes)) if minutes else None,
        windows=windows,
    )


def install_referral_errors(app: FastAPI) -> None:
    """409 with the current state for a refused transition; 404 for an unknown referral."""

    async def illegal(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, IllegalTransition)
        return JSONResponse(status_code=409, content={"detail": str(exc), "status": exc.status})

    async def unknown(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": f"no referral {exc}"})

    app.add_exception_handler(IllegalTransition, illegal)
    app.add_exception_handler(UnknownReferral, unknown)
