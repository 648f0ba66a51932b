"""Conflicts of stale tablet edits: listed with the three values, settled by a person."""

from __future__ import annotations

from fastapi import APIRouter, Response
from inson_runtime.apikit import CaseWorker, answer, example_request
from inson_runtime.audit import Audit

from assessment.api import examples
from assessment.api.deps import TABLET_ANSWER_HEADERS, AssessmentsDep, fields_read, tablet_headers
from assessment.api.errors import ERRORS
from assessment.api.schemas import ConflictView, ResolutionIn

router = APIRouter(prefix="/v1", tags=["assessment"])


@router.get(
    "/cases/{case_id}/conflicts",
    response_model=list[ConflictView],
    responses=answer("The open conflicts, oldest first (none: [])", examples.CONFLICTS) | ERRORS,
    summary="Open conflicts of stale tablet edits, each field's three values side by side",
)
async def list_conflicts(
    case_id: str, principal: CaseWorker, assessments: AssessmentsDep, audit: Audit
) -> list[ConflictView]:
    """A tablet that worked offline sends its commands with the version it started from;
    when they overlap what changed since, they are not applied but recorded as conflicts.
    Each shows, per clashing answer or plan item, its value at the base, now and as the
    tablet submitted it, with the tablet's whole proposal, for the worker or supervisor to
    settle (`.../resolve`). Personal data: the read is recorded in the access audit."""
    found = [ConflictView.of(c) for c in await assessments.conflicts(principal, case_id)]
    await audit.record([case_id] if found else [], fields_read(found))
    return found


@router.post(
    "/cases/{case_id}/conflicts/{conflict_id}/resolve",
    status_code=204,
    responses=answer("Settled", status=204, headers=TABLET_ANSWER_HEADERS) | ERRORS,
    summary="Settle a conflict: keep the current data or take the tablet's",
    openapi_extra=example_request(examples.RESOLUTION),
)
async def resolve_conflict(
    case_id: str,
    conflict_id: str,
    body: ResolutionIn,
    principal: CaseWorker,
    assessments: AssessmentsDep,
    response: Response,
) -> None:
    """The case's social worker or a supervisor settles an open conflict: `keep_current`
    drops the tablet's proposal, `take_submitted` applies it (merged again over anything
    newer). A settled conflict leaves the list."""
    applied = await assessments.resolve(principal, case_id, conflict_id, body.resolution)
    tablet_headers(response, applied)
