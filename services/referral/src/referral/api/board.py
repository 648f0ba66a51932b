"""A center's deadline board: open and overdue referrals per window, time to accept."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from inson_contracts.codes.errors import UnknownCode
from inson_runtime.apikit import WindowReader, responses

from referral.api.deps import QueriesDep, area_of, check_center
from referral.projections.results import CenterBoard
from referral.reference.centers import service_center

router = APIRouter(prefix="/v1", tags=["service centers"])


@router.get(
    "/centers/{center}/board",
    response_model=CenterBoard,
    responses=responses({404: "No such service center"}),
    summary="Open and overdue referrals per window, and how fast referrals are accepted",
)
async def board(
    center: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,31}$")],
    principal: WindowReader,
    queries: QueriesDep,
) -> CenterBoard:
    try:
        known = service_center(center)
    except UnknownCode as exc:
        raise HTTPException(404, str(exc)) from None
    check_center(area_of(principal), known)
    return await queries.board(known)
