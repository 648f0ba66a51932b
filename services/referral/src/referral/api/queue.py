"""The queue: referrals at a center's windows, the most urgent deadline first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from inson_contracts.codes.errors import UnknownCode
from inson_contracts.events.values import Priority
from inson_runtime.apikit import Page, PageNo, PageSize, WindowReader, responses, skip_of
from inson_runtime.audit import Audit

from referral.api.deps import QueriesDep, area_of, check_center
from referral.domain.referral import Status
from referral.projections.queries import QueueFilter
from referral.projections.results import QueueItem
from referral.reference.centers import center_of_window, service_center

router = APIRouter(prefix="/v1", tags=["referrals"])

Code = Annotated[str | None, Query(pattern=r"^[a-z0-9][a-z0-9-]{1,31}$")]


@router.get(
    "/queue",
    response_model=Page[QueueItem],
    responses=responses({404: "No such service center or window"}),
    summary="Referrals at your center's windows, the most urgent deadline first",
)
async def queue(
    principal: WindowReader,
    queries: QueriesDep,
    audit: Audit,
    center: Code = None,
    window: Code = None,
    status: Annotated[
        Status | None, Query(description="One status; without it, every open referral")
    ] = None,
    priority: Priority | None = None,
    page: PageNo = 1,
    page_size: PageSize = 20,
) -> Page[QueueItem]:
    area = area_of(principal)
    try:
        if center is not None:
            check_center(area, service_center(center))
        if window is not None:
            check_center(area, center_of_window(window))
    except UnknownCode as exc:
        raise HTTPException(404, str(exc)) from None
    only = QueueFilter(center=center, window=window, status=status, priority=priority)
    items, total = await queries.queue(area, only, skip=skip_of(page, page_size), limit=page_size)
    await audit.record((i.case_id for i in items), QueueItem.model_fields)
    return Page(items=items, page=page, page_size=page_size, total=total)
