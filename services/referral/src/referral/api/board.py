"""Deadline boards: a center's open and overdue referrals per window, a provider's,
and how fast each takes referrals up."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from inson_runtime.apikit import ReferralReader, WindowReader, responses

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
    responses=responses({404: "No such service center"}),
    summary="Open and overdue referrals per window, and how fast referrals are accepted",
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
    responses=responses({404: "No such provider"}),
    tags=["providers"],
    summary="A provider's open and overdue referrals, and how fast it accepts them",
)
async def provider_board(
    provider: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")],
    principal: ReferralReader,
    queries: QueriesDep,
) -> ProviderBoard:
    known = known_provider(provider)
    check_provider(area_of(principal), known)
    return await queries.provider_board(known)
