"""The delivery log, as supervisors see it: what was sent to whom (by role),
through which channel, and how it went. Addresses and message parameters are
personal data and stay out of it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from inson_runtime.apikit import Page, PageNo, PageSize, Supervisor, answer

from notification.api import examples
from notification.api.deps import MessageLogDep, district_of
from notification.domain.deliveries import Status
from notification.projections.message_queries import LoggedMessage

router = APIRouter(prefix="/v1", tags=["delivery log"])


@router.get(
    "/messages",
    response_model=Page[LoggedMessage],
    summary="Messages sent in your area, newest first, without addresses",
    description="The delivery log for an Inson center supervisor (their district; an admin "
    "everywhere): each message sent to a citizen, social worker or window, why (the event "
    "type), through which channel (SMS, Telegram, e-mail), in which language and with "
    "which template, its status, attempts and the reason of the last failure. Filter by "
    "case or status. Addresses and message texts are personal data and never shown: the "
    "citizen is named by their case id.",
    responses=answer("One page of the log", examples.MESSAGES),
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
    description="For a supervisor's overview of their district (an admin's of everything): "
    "the messages counted by status, then by channel.",
    responses=answer("Counts by status, then channel", examples.SUMMARY),
)
async def summary(principal: Supervisor, messages: MessageLogDep) -> dict[str, dict[str, int]]:
    return await messages.summary(district_of(principal))
