"""The supervisor's registers: reassignment, the care register, temporary housing."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from inson_runtime.apikit import CaseWorker, Supervisor
from inson_runtime.audit import Audit

from assessment.api.deps import AssessmentsDep, fields_read
from assessment.api.errors import ERRORS
from assessment.api.register_schemas import (
    CareEntryIn,
    CareRemovalIn,
    EntryCreated,
    HousingIn,
    HousingRegistrationView,
    ReassignIn,
    RegistrationCreated,
)
from assessment.domain.housing import local_day

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
    """Register a homeless person at an institution for up to six calendar months.

    A registration overlapping an earlier one, or starting the day after it ends,
    continues it: the supervisor names it in `extends`, with a `reason` (else 409).
    Asking again for the same registration answers its id and records nothing.
    """
    registration_id = await assessments.grant_temporary_housing(
        principal,
        case_id,
        body.institution_code,
        body.valid_from,
        body.valid_until,
        body.pinfl,
        extends=body.extends,
        reason=body.reason,
    )
    return RegistrationCreated(registration_id=registration_id)


@router.get(
    "/case-files/{case_id}/temporary-housing",
    response_model=list[HousingRegistrationView],
    responses=ERRORS,
    summary="The case's temporary housing registrations, earliest first",
)
async def temporary_housing(
    case_id: str, principal: CaseWorker, assessments: AssessmentsDep, audit: Audit
) -> list[HousingRegistrationView]:
    today = local_day(datetime.now(UTC))
    found = [
        HousingRegistrationView.of(r, today)
        for r in await assessments.temporary_housing(principal, case_id)
    ]
    await audit.record([case_id], fields_read(found))
    return found
