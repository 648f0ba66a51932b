"""Deadline boards: a center's open and overdue referrals per window, a provider's,
and how fast each takes referrals up."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from inson_runtime.apikit import ReferralReader, WindowReader, answer, responses

from referral.api import examples
from referral.api.deps import (
    QueriesDep,
    area_of,
    check_center,
    check_provider,
    known_center,
    known_provider,
)
from referral.projections.results import CenterBoard, ProviderBoard

router = APIRouter(prefix="/v1", tags=["service centers"])


@router.get(
    "/centers/{center}/board",
    response_model=CenterBoard,
    responses=answer("The center's board", examples.CENTER_BOARD)
    | responses({404: "No such service center"}),
    summary="Open and overdue referrals per window, and how fast referrals are accepted",
    description="For a service center's operators and the district's supervisor (or an "
    "admin): as of now, the referrals open at the center and at each window, those "
    "awaiting acceptance and those past their accept-by deadline, and the median minutes "
    "to accept over its latest acceptances (up to 1,000; `accepted` counts them). No "
    "personal data.",
)
async def board(
    center: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,31}$")],
    principal: WindowReader,
    queries: QueriesDep,
) -> CenterBoard:
    known = known_center(center)
    check_center(area_of(principal), known)
    return await queries.board(known)


@router.get(
    "/providers/{provider}/board",
    response_model=ProviderBoard,
    responses=answer("The provider's board", examples.PROVIDER_BOARD)
    | responses({404: "No such provider"}),
    tags=["providers"],
    summary="A provider's open and overdue referrals, and how fast it accepts them",
    description="For a provider's operators (or the district's supervisor, or an admin): "
    "as of now, the provider's open referrals, those awaiting acceptance and those past "
    "their accept-by deadline, and the median minutes to accept over its latest "
    "acceptances (up to 1,000; `accepted` counts them). No personal data.",
)
async def provider_board(
    provider: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")],
    principal: ReferralReader,
    queries: QueriesDep,
) -> ProviderBoard:
    known = known_provider(provider)
    check_provider(area_of(principal), known)
    return await queries.provider_board(known)
