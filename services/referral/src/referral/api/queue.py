"""The queue: referrals at a center's windows or a provider, the most urgent deadline first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from inson_contracts.events.values import Priority
from inson_runtime.apikit import (
    Page,
    PageNo,
    PageSize,
    ReferralReader,
    answer,
    responses,
    skip_of,
)
from inson_runtime.audit import Audit
from inson_runtime.problems import FieldError, invalid_input

from referral.api import examples
from referral.api.deps import (
    QueriesDep,
    area_of,
    center_with_window,
    check_center,
    check_provider,
    known_center,
    known_provider,
)
from referral.domain.codes import read_code
from referral.domain.referral import Status
from referral.projections.queries import QueueFilter
from referral.projections.results import QueueItem

router = APIRouter(prefix="/v1", tags=["referrals"])

Code = Annotated[str | None, Query(pattern=r"^[a-z0-9][a-z0-9-]{1,31}$")]
ProviderCode = Annotated[
    str | None,
    Query(
        pattern=r"^[a-z0-9][a-z0-9-]{1,63}$",
        description="One provider of the directory (a provider operator's, or in a "
        "supervisor's district)",
    ),
]
ReferralCode = Annotated[
    str | None,
    Query(
        # Eight characters of Crockford's base32 as typed (no U; I, L and O read as
        # 1, 1 and 0), a hyphen or space between any two.
        pattern=r"^[0-9A-TV-Za-tv-z]([ -]?[0-9A-TV-Za-tv-z]){7}$",
        description="A referral code as the citizen shows it (any case; I and L read as 1, "
        "O as 0; hyphens and spaces ignored). Without status, whatever the referral's state.",
    ),
]


@router.get(
    "/queue",
    response_model=Page[QueueItem],
    responses=answer("One page of the queue", examples.QUEUE)
    | responses({404: "No such service center, window or provider"}),
    summary="Referrals at your center's windows or your providers, the most urgent deadline first",
    description="The work list of whoever serves referrals: a window operator sees their "
    "service center's windows, a provider operator their providers, a supervisor their "
    "district, an admin everything. Open referrals by default (issued, delivered, "
    "accepted, started), ordered by the accept-by deadline; narrow it to a center, a "
    "window, a provider, one status or priority, or find the one a citizen shows by its "
    "referral code. Each row names the service in the three scripts, the deadline, and "
    "whether it is overdue or escalated to the supervisor. A center, window or provider "
    "outside the caller's scope is refused (403). Every answer is recorded in the access "
    "audit.",
)
async def queue(
    principal: ReferralReader,
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
    provider: ProviderCode = None,
    code: ReferralCode = None,
) -> Page[QueueItem]:
    area = area_of(principal)
    if center is not None:
        check_center(area, known_center(center))
    if window is not None:
        check_center(area, center_with_window(window))
    if provider is not None:
        check_provider(area, known_provider(provider))
    wanted = None
    if code is not None and (wanted := read_code(code)) is None:
        raise invalid_input(FieldError("/query/code", "referral_code_format"))
    only = QueueFilter(
        center=center,
        window=window,
        provider=provider,
        code=wanted,
        status=status,
        priority=priority,
    )
    items, total = await queries.queue(area, only, skip=skip_of(page, page_size), limit=page_size)
    await audit.record((i.case_id for i in items), QueueItem.model_fields)
    return Page(items=items, page=page, page_size=page_size, total=total)
