"""The supervisor's registers: reassignment, the care register, temporary housing."""

from __future__ import annotations

from fastapi import APIRouter
from inson_runtime.apikit import Supervisor

from assessment.api.deps import AssessmentsDep
from assessment.api.errors import ERRORS
from assessment.api.schemas import (
    CareEntryIn,
    CareRemovalIn,
    EntryCreated,
    HousingIn,
    ReassignIn,
    RegistrationCreated,
)

router = APIRouter(prefix="/v1", tags=["assessment"])


@router.post("/cases/{case_id}/reassign", status_code=204, responses=ERRORS)
async def reassign(
    case_id: str, body: ReassignIn, principal: Supervisor, assessments: AssessmentsDep
) -> None:
    await assessments.reassign(principal, case_id, body.to_social_worker_id, body.reason, body.note)


@router.post(
    "/cases/{case_id}/care-register",
    status_code=201,
    response_model=EntryCreated,
    responses=ERRORS,
)
async def add_to_care_register(
    case_id: str, body: CareEntryIn, principal: Supervisor, assessments: AssessmentsDep
) -> EntryCreated:
    entry_id = await assessments.add_to_care_register(
        principal, case_id, body.category, body.decision_ref, body.pinfl
    )
    return EntryCreated(entry_id=entry_id)


@router.post("/cases/{case_id}/care-register/{entry_id}/remove", status_code=204, responses=ERRORS)
async def remove_from_care_register(
    case_id: str,
    entry_id: str,
    body: CareRemovalIn,
    principal: Supervisor,
    assessments: AssessmentsDep,
) -> None:
    await assessments.remove_from_care_register(
        principal, case_id, entry_id, body.reason, body.note
    )


@router.post(
    "/cases/{case_id}/temporary-housing",
    status_code=201,
    response_model=RegistrationCreated,
    responses=ERRORS,
)
async def grant_temporary_housing(
    case_id: str, body: HousingIn, principal: Supervisor, assessments: AssessmentsDep
) -> RegistrationCreated:
    """Register a homeless person at an institution for at most six months."""
    registration_id = await assessments.grant_temporary_housing(
        principal, case_id, body.institution_code, body.valid_from, body.valid_until, body.pinfl
    )
    return RegistrationCreated(registration_id=registration_id)
