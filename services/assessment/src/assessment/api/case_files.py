"""Case files in the caller's area: caseloads, visits due, plans by status, overdue items."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from inson_runtime.apikit import CaseWorker, Moment, Page, PageNo, PageSize
from inson_runtime.audit import Audit
from inson_runtime.problems import ProblemError

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
    responses=ERRORS,
)
async def get_case_file(
    case_id: str, principal: CaseWorker, case_files: CaseFilesDep, audit: Audit
) -> CaseFileView:
    found = await case_files.one(principal, case_id)
    if found is None:
        raise ProblemError(CASE_FILE_NOT_FOUND)
    await audit.record([case_id], found.model_fields_set)
    return found
