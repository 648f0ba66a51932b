"""One referral, and the provider staff's steps on it: accept, reject, start, complete.

Window operators act on their center's referrals, provider operators on their
providers': the same lifecycle and the same routes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from inson_runtime.apikit import (
    ReferralReader,
    ReferralStaff,
    actor_of,
    answer,
    example_request,
    responses,
)
from inson_runtime.audit import Audit
from inson_runtime.problems import ProblemError

from referral.api import examples
from referral.api.deps import QueriesDep, ReferralsDep, area_of
from referral.api.problems import REFERRAL_NOT_FOUND
from referral.api.schemas import NoteIn, ReferralState, RejectionIn, TransitionProblem
from referral.projections.results import ReferralDetail

router = APIRouter(prefix="/v1", tags=["referrals"])

NOT_FOUND = responses({404: "No such referral at your windows or providers"})
TRANSITION: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    409: {
        "model": TransitionProblem,
        "description": "Not allowed in the referral's current state, which the body names "
        "(`state`) with who acted (code referral.transition_not_allowed); or the same step "
        "taken already by another actor or with other words (code referral.already_done; "
        "the same actor repeating it with the same words gets 200)",
    },
}
ReferralId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_:-]{1,64}$")]
STEPS = (
    "The window's or provider's operator (or an admin) takes the step; the referral's "
    "history records who and when, assessment sees it on the plan item and notification "
    "tells whom it concerns. Repeated by the same operator with the same words it answers "
    "200 and records nothing (a tablet's retry); taken before by someone else, or not "
    "allowed in the current state, it is refused (409) with the current state and who "
    "acted. "
)


@router.get(
    "/referrals/{referral_id}",
    response_model=ReferralDetail,
    responses=answer("The referral", examples.REFERRAL) | NOT_FOUND,
    summary="One referral: service, destination, deadline, status and history",
    description="A referral the caller may see (at their windows or providers, in a "
    "supervisor's district, or any for an admin): the plan item it carries out, the "
    "service and its priority, where it was sent (center and window, or provider, with "
    "their names), the accept-by deadline and escalation, each step's time and actor, and "
    "the referral it replaces when a revision referred the item again. The read is "
    "recorded in the access audit.",
)
async def get_referral(
    referral_id: ReferralId, principal: ReferralReader, queries: QueriesDep, audit: Audit
) -> ReferralDetail:
    found = await queries.referral(referral_id, area_of(principal))
    if found is None:
        raise ProblemError(REFERRAL_NOT_FOUND)
    await audit.record([found.case_id], ReferralDetail.model_fields)
    return found


@router.post(
    "/referrals/{referral_id}/accept",
    response_model=ReferralState,
    responses=answer("Accepted", examples.ACCEPTED) | TRANSITION,
    summary="Take the referral on: the person will be served here",
    description=STEPS + "Accepting stops the accept-by clock (no escalation, no expiry); "
    "allowed while the referral is issued or delivered. The note is optional.",
    openapi_extra=example_request(examples.NOTE),
)
async def accept(
    referral_id: ReferralId,
    principal: ReferralStaff,
    referrals: ReferralsDep,
    body: NoteIn | None = None,
) -> ReferralState:
    note = body.note if body else None
    area, actor = area_of(principal), actor_of(principal)
    return ReferralState.of(await referrals.accept(referral_id, area, actor, note))


@router.post(
    "/referrals/{referral_id}/reject",
    response_model=ReferralState,
    responses=answer("Refused", examples.REJECTED) | TRANSITION,
    summary="Refuse the referral with a code and reason; the social worker re-plans",
    description=STEPS + "Allowed until the service has started (issued, delivered or "
    "accepted). The code says why (not eligible, wrong destination, service not "
    "available, documents missing, person unreachable, other) and the reason in words; "
    "the item appears in the social worker's attention list (assessment's "
    "`GET /v1/attention`), who revises the plan to refer it again.",
    openapi_extra=example_request(examples.REJECTION),
)
async def reject(
    referral_id: ReferralId, body: RejectionIn, principal: ReferralStaff, referrals: ReferralsDep
) -> ReferralState:
    area, actor = area_of(principal), actor_of(principal)
    done = await referrals.reject(referral_id, area, actor, body.code, body.reason)
    return ReferralState.of(done)


@router.post(
    "/referrals/{referral_id}/start",
    response_model=ReferralState,
    responses=answer("Started", examples.STARTED) | TRANSITION,
    summary="Delivery of the service began",
    description=STEPS + "Allowed once accepted; from then on the referral can no longer "
    "be refused. The note is optional.",
    openapi_extra=example_request(examples.NOTE),
)
async def start(
    referral_id: ReferralId,
    principal: ReferralStaff,
    referrals: ReferralsDep,
    body: NoteIn | None = None,
) -> ReferralState:
    note = body.note if body else None
    area, actor = area_of(principal), actor_of(principal)
    return ReferralState.of(await referrals.start(referral_id, area, actor, note))


@router.post(
    "/referrals/{referral_id}/complete",
    response_model=ReferralState,
    responses=answer("Completed", examples.COMPLETED) | TRANSITION,
    summary="The service was delivered; the plan item is done",
    description=STEPS + "Allowed once started. The plan item is completed in assessment "
    "(the plan completes with its last item, and intake then closes the case); the note "
    "(what was delivered) reaches the case's social worker.",
    openapi_extra=example_request(examples.COMPLETION),
)
async def complete(
    referral_id: ReferralId,
    principal: ReferralStaff,
    referrals: ReferralsDep,
    body: NoteIn | None = None,
) -> ReferralState:
    note = body.note if body else None
    area, actor = area_of(principal), actor_of(principal)
    return ReferralState.of(await referrals.complete(referral_id, area, actor, note))
