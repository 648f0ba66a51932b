"""Completing the home-visit assessment: score, eligibility and a draft plan."""

from __future__ import annotations

from fastapi import APIRouter, Response
from inson_runtime.apikit import CaseWorker, answer, example_request

from assessment.api import examples
from assessment.api.deps import TABLET_ANSWER_HEADERS, AssessmentsDep, tablet_headers
from assessment.api.errors import TABLET_ERRORS
from assessment.api.schemas import AssessmentOut, CompletionIn

router = APIRouter(prefix="/v1", tags=["assessment"])


@router.post(
    "/cases/{case_id}/assessment/complete",
    response_model=AssessmentOut,
    responses=answer(
        "The assessment: score, eligible services, needs and the drafted plan",
        examples.ASSESSMENT,
        headers=TABLET_ANSWER_HEADERS,
    )
    | TABLET_ERRORS,
    summary="Complete the home-visit assessment: score it and draft the plan",
    openapi_extra=example_request(examples.COMPLETION),
)
async def complete_assessment(
    case_id: str,
    body: CompletionIn,
    principal: CaseWorker,
    assessments: AssessmentsDep,
    response: Response,
) -> AssessmentOut:
    """The case's social worker (or a supervisor) after the home visit sends the household's
    situation (or, without it, the saved draft is completed). It is validated, scored
    (`need_score`, `need_level`, each contribution explained), the eligible services and
    the household's needs are found, and the plan is drafted: the services that answer a
    need (each item names them); the other eligible services are offered
    (`offered_services`), not drafted. Refused (409) until intake's facts about the case
    have reached assessment. A tablet sends the `base_version` it worked from: a stale
    completion is merged over newer changes, or recorded as a conflict (409)."""
    done = await assessments.complete(principal, case_id, body.situation, body.base_version)
    tablet_headers(response, done.applied)
    return AssessmentOut.of(done)
