"""The supervisor's registers: reassignment, the care register, temporary housing."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from inson_runtime.apikit import CaseWorker, Supervisor, answer, example_request
from inson_runtime.audit import Audit

from assessment.api import examples
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


@router.post(
    "/cases/{case_id}/reassign",
    status_code=204,
    responses=answer("Reassigned", status=204) | ERRORS,
    summary="Give the case to another social worker (supervisor)",
    description="A supervisor of the case's district moves the case to the social worker "
    "named, or, without one, to the least loaded other worker covering the person's "
    "mahalla, with a reason (caseload balancing, a worker unavailable, the supervisor's "
    "decision) and an optional note. Refused (409) when it is already with that worker or "
    "no other worker covers the mahalla.",
    openapi_extra=example_request(examples.REASSIGNMENT),
)
async def reassign(
    case_id: str, body: ReassignIn, principal: Supervisor, assessments: AssessmentsDep
) -> None:
    await assessments.reassign(principal, case_id, body.to_social_worker_id, body.reason, body.note)


@router.post(
    "/cases/{case_id}/care-register",
    status_code=201,
    response_model=EntryCreated,
    responses=answer("On the register: the entry's id", examples.ENTRY_CREATED, status=201)
    | ERRORS,
    summary="Put the person on the care register (supervisor)",
    description="The Inson center's decision recognising the person as living alone and "
    "needing care by others, a lonely elderly person or a person with a disability, "
    "recorded by a supervisor with the decision's reference (and the PINFL, when known). "
    "The entry's id derives from the case, category and decision: asking again answers "
    "the same id. One entry per category (409 for a second).",
    openapi_extra=example_request(examples.CARE_ENTRY),
)
async def add_to_care_register(
    case_id: str, body: CareEntryIn, principal: Supervisor, assessments: AssessmentsDep
) -> EntryCreated:
    entry_id = await assessments.add_to_care_register(
        principal, case_id, body.category, body.decision_ref, body.pinfl
    )
    return EntryCreated(entry_id=entry_id)


@router.post(
    "/cases/{case_id}/care-register/{entry_id}/remove",
    status_code=204,
    responses=answer("Removed", status=204) | ERRORS,
    summary="Take the person off the care register (supervisor)",
    description="A supervisor revokes a care register entry of the case with a reason "
    "(deceased, moved away, no longer needs care, cared for by relatives, recognition "
    "revoked) and an optional note. An entry the case does not hold is refused (409).",
    openapi_extra=example_request(examples.CARE_REMOVAL),
)
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
    responses=answer("Registered: the registration's id", examples.REGISTRATION_CREATED, status=201)
    | ERRORS,
    summary="Register a homeless person at an institution for a while (supervisor)",
    openapi_extra=example_request(examples.HOUSING),
)
async def grant_temporary_housing(
    case_id: str, body: HousingIn, principal: Supervisor, assessments: AssessmentsDep
) -> RegistrationCreated:
    """A supervisor registers a homeless person at an institution for up to six calendar
    months; notification reminds the person and the worker before it ends, and it expires
    the day after `valid_until`.

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
    responses=answer("The registrations (none: [])", examples.HOUSING_REGISTRATIONS) | ERRORS,
    summary="The case's temporary housing registrations, earliest first",
    description="Every registration of the case, ended ones too, with its status as of "
    "today in Tashkent (upcoming, active, ended), whether its end was announced and its "
    "expiry recorded, and which registration it continues or is continued by. Personal "
    "data (the reason of a continuation): the read is recorded in the access audit.",
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
