"""Completing the home-visit assessment: score, eligibility and a draft plan."""

from __future__ import annotations

from fastapi import APIRouter, Response
from inson_runtime.apikit import CaseWorker

from assessment.api.deps import AssessmentsDep, tablet_headers
from assessment.api.errors import TABLET_ERRORS
from assessment.api.schemas import AssessmentOut, CompletionIn

router = APIRouter(prefix="/v1", tags=["assessment"])


@router.post(
    "/cases/{case_id}/assessment/complete", response_model=AssessmentOut, responses=TABLET_ERRORS
)
async def complete_assessment(
    case_id: str,
    body: CompletionIn,
    principal: CaseWorker,
    assessments: AssessmentsDep,
    response: Response,
) -> AssessmentOut:
    """Validate the questionnaire, score it, find eligible services and the household's
    needs, and draft the plan: the services that answer a need (each item names them);
    the other eligible services are offered (`offered_services`), not drafted."""
    done = await assessments.complete(principal, case_id, body.situation, body.base_version)
    tablet_headers(response, done.applied)
    return AssessmentOut.of(done)
