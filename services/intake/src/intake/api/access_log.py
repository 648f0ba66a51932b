"""A case's access log: who read its personal data (read-only: no API changes it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from inson_runtime.apikit import Page, PageNo, Supervisor, answer, responses
from inson_runtime.audit import AuditReview

from intake.api import examples
from intake.api.deps import CallerArea, IntakeDep, QueriesDep
from intake.projections.records import AccessRecord

router = APIRouter(prefix="/v1", tags=["intake"])
# A review reads long stretches of the log at once.
LogPageSize = Annotated[int, Query(ge=1, le=500, description="Records per page")]


@router.get(
    "/cases/{case_id}/access-log",
    response_model=Page[AccessRecord],
    responses=answer("One page of the case's access records", examples.ACCESS_LOG)
    | responses({404: "Not found in your area"}),
    summary="Who read this case's personal data: who, role, scope, purpose, when, which fields",
)
async def case_access_log(
    case_id: str,
    principal: Supervisor,
    area: CallerArea,
    intake: IntakeDep,
    queries: QueriesDep,
    audit: AuditReview,
    page: PageNo = 1,
    page_size: LogPageSize = 100,
) -> Page[AccessRecord]:
    """The access audit of one case, newest first (read-only: no API changes it).

    Reading it is itself recorded (purpose ``audit_review`` unless X-Purpose
    says otherwise). Records reach this log through Kafka, seconds after the
    read they describe.
    """
    await intake.case_in_area(case_id, area)
    found = await queries.access_log(case_id, page=page, page_size=page_size)
    await audit.record([case_id], ["access_log"])
    return found
