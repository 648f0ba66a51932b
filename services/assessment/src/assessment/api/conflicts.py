"""Conflicts of stale tablet edits: listed with the three values, settled by a person."""

from __future__ import annotations

from fastapi import APIRouter, Response
from inson_runtime.apikit import CaseWorker
from inson_runtime.audit import Audit

from assessment.api.deps import AssessmentsDep, fields_read, tablet_headers
from assessment.api.errors import ERRORS
from assessment.api.schemas import ConflictView, ResolutionIn

router = APIRouter(prefix="/v1", tags=["assessment"])


@router.get("/cases/{case_id}/conflicts", response_model=list[ConflictView], responses=ERRORS)
async def list_conflicts(
    case_id: str, principal: CaseWorker, assessments: AssessmentsDep, audit: Audit
) -> list[ConflictView]:
    """Open conflicts of stale tablet edits, with the base, current and submitted values."""
    found = [ConflictView.of(c) for c in await assessments.conflicts(principal, case_id)]
    await audit.record([case_id] if found else [], fields_read(found))
    return found


@router.post("/cases/{case_id}/conflicts/{conflict_id}/resolve", status_code=204, responses=ERRORS)
async def resolve_conflict(
    case_id: str,
    conflict_id: str,
    body: ResolutionIn,
    principal: CaseWorker,
    assessments: AssessmentsDep,
    response: Response,
) -> None:
    """Keep the current data, or apply the tablet's proposal (merged again over anything newer)."""
    applied = await assessments.resolve(principal, case_id, conflict_id, body.resolution)
    tablet_headers(response, applied)
