"""A case's further applications: confirm or refuse a likely match, or reject one."""

from __future__ import annotations

from fastapi import APIRouter
from inson_runtime.apikit import CaseWorker, actor_of, answer, example_request, responses

from intake.api import examples
from intake.api.deps import CallerArea, IntakeDep
from intake.api.schemas import RefusalOut, RejectionIn

router = APIRouter(prefix="/v1", tags=["intake"])
CONFLICT = responses({404: "No such case", 409: "Not allowed in the application's current state"})


@router.post(
    "/cases/{case_id}/applications/{application_id}/confirm-link",
    status_code=204,
    responses=answer("Confirmed, or confirmed before", status=204) | CONFLICT,
    summary="Confirm that a likely match is the same person",
    description="A social worker or supervisor of the case's area confirms that an "
    "application waiting for confirmation (`pending_confirmation`, answered "
    "`linked_pending_confirmation` at submission) is about the case's person: it is "
    "linked for good, and the person's keys from it lead to this case from now on. "
    "Confirming again records nothing; an application in another state is refused (409).",
)
async def confirm_link(
    case_id: str, application_id: str, principal: CaseWorker, area: CallerArea, intake: IntakeDep
) -> None:
    await intake.confirm_link(case_id, application_id, actor_of(principal), area)


@router.post(
    "/cases/{case_id}/applications/{application_id}/refuse-link",
    response_model=RefusalOut,
    responses=answer("The application and the case it opened", examples.REFUSAL) | CONFLICT,
    summary="Not the same person: the application opens a case of its own",
    description="A social worker or supervisor of the case's area says a likely match is "
    "someone else: the application leaves the case and opens a case of its own (its id "
    "derived from the application's, so refusing again answers the same case and records "
    "nothing). Only an application waiting for confirmation can be refused (else 409).",
)
async def refuse_link(
    case_id: str, application_id: str, principal: CaseWorker, area: CallerArea, intake: IntakeDep
) -> RefusalOut:
    new_case_id = await intake.refuse_link(case_id, application_id, actor_of(principal), area)
    return RefusalOut(application_id=application_id, new_case_id=new_case_id)


@router.post(
    "/cases/{case_id}/applications/{application_id}/reject",
    status_code=204,
    responses=answer("Rejected, or rejected before", status=204) | CONFLICT,
    summary="Reject a further application of a case (withdrawn, duplicate, ...)",
    description="A social worker or supervisor of the case's area rejects an application "
    "that joined the case (linked, or waiting for confirmation) with a reason and an "
    "optional explanation: withdrawn by the applicant, a duplicate submission, no consent, "
    "outside the pilot area, not a social protection matter. The case stays as it is; the "
    "application that opened it cannot be rejected (409). Rejecting again records nothing.",
    openapi_extra=example_request(examples.REJECTION),
)
async def reject_application(
    case_id: str,
    application_id: str,
    body: RejectionIn,
    principal: CaseWorker,
    area: CallerArea,
    intake: IntakeDep,
) -> None:
    actor = actor_of(principal)
    await intake.reject(case_id, application_id, body.reason, body.explanation, actor, area)
