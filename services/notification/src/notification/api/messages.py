"""The delivery log, as supervisors see it: what was sent to whom (by role),
through which channel, and how it went. Addresses and message parameters are
personal data and stay out of it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from inson_runtime.apikit import Page, PageNo, PageSize, Supervisor

from notification.api.deps import MessageLogDep, district_of
from notification.domain.deliveries import Status
from notification.projections.message_queries import LoggedMessage

router = APIRouter(prefix="/v1", tags=["delivery log"])


@router.get(
    "/messages",
    response_model=Page[LoggedMessage],
    summary="Messages sent in your area, newest first, without addresses",
)
async def list_messages(
    principal: Supervisor,
    messages: MessageLogDep,
    case_id: Annotated[str | None, Query(max_length=64)] = None,
    status: Status | None = None,
    page: PageNo = 1,
    page_size: PageSize = 20,
) -> Page[LoggedMessage]:
    district = district_of(principal)
    return await messages.page(
        district, case_id=case_id, status=status, page=page, page_size=page_size
    )


@router.get(
    "/messages/summary",
    response_model=dict[str, dict[str, int]],
    summary="Messages in your area by status and channel",
)
async def summary(principal: Supervisor, messages: MessageLogDep) -> dict[str, dict[str, int]]:
    return await messages.summary(district_of(principal))
