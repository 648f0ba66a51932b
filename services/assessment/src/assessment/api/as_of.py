"""Time travel: a case file as it was known at a past moment, rebuilt from the event store."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from inson_runtime.apikit import CaseWorker, Moment, answer
from inson_runtime.audit import Audit
from inson_runtime.problems import FieldError, invalid_input

from assessment.api import read_examples as examples
from assessment.api.deps import AssessmentsDep
from assessment.api.errors import ERRORS
from assessment.api.schemas import AsOfView

router = APIRouter(prefix="/v1", tags=["assessment"])


@router.get(
    "/cases/{case_id}/as-of",
    response_model=AsOfView,
    responses=answer("The case file as known at `at`", examples.AS_OF) | ERRORS,
    summary="The case file as it was known at a past moment, rebuilt from the event store",
)
async def case_as_of(
    case_id: str,
    principal: CaseWorker,
    assessments: AssessmentsDep,
    audit: Audit,
    at: Annotated[Moment, Query(description="RFC 3339 with a UTC offset")],
) -> AsOfView:
    """What the worker and supervisor knew when a decision was taken: the assessment
    with its score and contributions, the plan version in force and its items.

    Referral states are the referral service's: its
    ``GET /v1/cases/{case_id}/referrals/as-of?at=`` answers for the same moment.
    """
    if at.tzinfo is None:
        raise invalid_input(FieldError("/query/at", "timezone_required"))
    then, last_event_at = await assessments.as_of(principal, case_id, at)
    found = AsOfView.of(then, at, last_event_at)
    assessed = found.assessment.model_fields_set if found.assessment else set()
    await audit.record([case_id], {*found.model_fields_set, *(f"assessment.{k}" for k in assessed)})
    return found
