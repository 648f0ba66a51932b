"""The individual social services plan: edited as a draft, approved, revised, closed."""

from __future__ import annotations

from fastapi import APIRouter, Response
from inson_runtime.apikit import CaseWorker, Supervisor

from assessment.api.deps import AssessmentsDep, tablet_headers
from assessment.api.errors import ERRORS, TABLET_ERRORS
from assessment.api.schemas import ClosureIn, PlanEditIn, RevisionIn

router = APIRouter(prefix="/v1", tags=["assessment"])


@router.put("/cases/{case_id}/plan/draft", status_code=204, responses=TABLET_ERRORS)
async def edit_plan(
    case_id: str,
    body: PlanEditIn,
    principal: CaseWorker,
    assessments: AssessmentsDep,
    response: Response,
) -> None:
    applied = await assessments.edit_plan(principal, case_id, body.items, body.base_version)
    tablet_headers(response, applied)


@router.post("/cases/{case_id}/plan/approve", status_code=204, responses=ERRORS)
async def approve_plan(case_id: str, principal: Supervisor, assessments: AssessmentsDep) -> None:
    await assessments.approve(principal, case_id)


@router.post("/cases/{case_id}/plan/revise", status_code=204, responses=TABLET_ERRORS)
async def revise_plan(
    case_id: str,
    body: RevisionIn,
    principal: CaseWorker,
    assessments: AssessmentsDep,
    response: Response,
) -> None:
    applied = await assessments.revise(
        principal, case_id, body.items, body.reason, body.base_version
    )
    tablet_headers(response, applied)


@router.post("/cases/{case_id}/plan/close", status_code=204, responses=ERRORS)
async def close_plan(
    case_id: str, body: ClosureIn, principal: CaseWorker, assessments: AssessmentsDep
) -> None:
    await assessments.close_plan(principal, case_id, body.reason, body.note)
