"""Cases: the caseload of the caller's area, and one case."""

from __future__ import annotations

from fastapi import APIRouter
from inson_runtime.apikit import Page, PageNo, PageSize, Staff, answer, example_page, responses
from inson_runtime.audit import Audit

from intake.api import examples
from intake.api.deps import CallerArea, CaseStatus, District, Mahalla, QueriesDep, ReadsDep
from intake.projections.records import CaseRecord, fields_set

router = APIRouter(prefix="/v1", tags=["intake"])


@router.get(
    "/cases",
    response_model=Page[CaseRecord],
    response_model_exclude_unset=True,
    summary="Cases in your area, newest first",
    description="The caseload of the caller's area (a social worker's mahallas, a "
    "supervisor's or window operator's district, everywhere for an admin), open or "
    "closed, filtered by district, mahalla and status. Each case is one person or family "
    "with every application that joined it; `pending_confirmations` counts likely matches "
    "waiting for a worker. Personal data: every answer is recorded in the access log.",
    responses=answer(
        "One page of cases", example_page(examples.CASE, examples.CLOSED_CASE, total=2)
    ),
)
async def list_cases(
    principal: Staff,
    area: CallerArea,
    queries: QueriesDep,
    audit: Audit,
    district: District = None,
    mahalla: Mahalla = None,
    status: CaseStatus = None,
    page: PageNo = 1,
    page_size: PageSize = 20,
) -> Page[CaseRecord]:
    found = await queries.cases(
        area, district=district, mahalla=mahalla, status=status, page=page, page_size=page_size
    )
    await audit.record((c.id for c in found.items), fields_set(found.items))
    return found


@router.get(
    "/cases/{case_id}",
    response_model=CaseRecord,
    response_model_exclude_unset=True,
    responses=answer("The case", examples.CASE) | responses({404: "Not found in your area"}),
    summary="One case: the person, their circumstances and applications",
)
async def get_case(
    case_id: str, principal: Staff, area: CallerArea, reads: ReadsDep, audit: Audit
) -> CaseRecord:
    """A case in your area: right after the application that opened it too."""
    found = await reads.case(case_id, area)
    await audit.record([case_id], fields_set([found]))
    return found
