"""Case files in the caller's area: caseloads, visits due, plans by status, overdue items."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from inson_runtime.apikit import (
    CaseWorker,
    Moment,
    Page,
    PageNo,
    PageSize,
    answer,
    example_page,
)
from inson_runtime.audit import Audit
from inson_runtime.problems import ProblemError

from assessment.api import read_examples as examples
from assessment.api.deps import CaseFilesDep, fields_read
from assessment.api.errors import ERRORS
from assessment.api.problems import CASE_FILE_NOT_FOUND
from assessment.projections.queries import CaseFileView, OverdueItem

router = APIRouter(prefix="/v1", tags=["assessment"])


@router.get(
    "/case-files",
    response_model=Page[CaseFileView],
    response_model_exclude_unset=True,
    summary="Case files in your area: caseload, visits due, plans by status",
    description="A social worker's own cases and mahallas, a supervisor's district, "
    "everything for an admin; newest assignment first. Filter by worker (a supervisor's "
    "view of one caseload), plan status, home visits due before a moment, or files with "
    "open conflicts of tablet edits. Each file: the assigned worker and home visit, the "
    "need level and score, the plan and each item's current referral. A read model, "
    "moments behind the events. Every answer is recorded in the access audit.",
    responses=answer("One page of case files", example_page(examples.CASE_FILE, total=2)),
)
async def list_case_files(
    principal: CaseWorker,
    case_files: CaseFilesDep,
    audit: Audit,
    worker_id: Annotated[str | None, Query(max_length=64)] = None,
    plan_status: Annotated[
        str | None, Query(pattern=r"^(none|drafted|approved|completed|closed)$")
    ] = None,
    visit_due_before: Moment | None = None,
    has_conflicts: Annotated[
        bool | None, Query(description="Only case files with open conflicts of tablet edits")
    ] = None,
    page: PageNo = 1,
    page_size: PageSize = 20,
) -> Page[CaseFileView]:
    found = await case_files.page(
        principal,
        worker_id=worker_id,
        plan_status=plan_status,
        visit_due_before=visit_due_before,
        has_conflicts=has_conflicts,
        page=page,
        page_size=page_size,
    )
    await audit.record((f.case_id for f in found.items), fields_read(found.items))
    return found


@router.get(
    "/case-files/overdue-items",
    response_model=list[OverdueItem],
    response_model_exclude_unset=True,
    summary="Plan items past their due date, not completed",
    description="Items of plans in force in the caller's area whose `due_by` is before "
    "today and which are not completed, for a worker's or supervisor's follow-up. Every "
    "answer is recorded in the access audit.",
    responses=answer("The overdue items (none: [])", examples.OVERDUE_ITEMS),
)
async def overdue_items(
    principal: CaseWorker, case_files: CaseFilesDep, audit: Audit
) -> list[OverdueItem]:
    found = await case_files.overdue_items(principal, datetime.now(UTC).date())
    await audit.record((f.case_id for f in found), fields_read(found))
    return found


@router.get(
    "/case-files/{case_id}",
    response_model=CaseFileView,
    response_model_exclude_unset=True,
    responses=answer("The case file", examples.CASE_FILE) | ERRORS,
    summary="One case file: worker, home visit, need level, plan and referrals",
    description="The case file as the read model holds it: the assigned social worker and "
    "home visit, the assessment's need level and score, the plan (status, version) with "
    "each item's current referral, the services offered but not planned, and open "
    "conflicts. 404 until a worker is assigned (moments after intake opened the case). "
    "The read is recorded in the access audit.",
)
async def get_case_file(
    case_id: str, principal: CaseWorker, case_files: CaseFilesDep, audit: Audit
) -> CaseFileView:
    found = await case_files.one(principal, case_id)
    if found is None:
        raise ProblemError(CASE_FILE_NOT_FOUND)
    await audit.record([case_id], found.model_fields_set)
    return found
