"""One referral, and the provider staff's steps on it: accept, reject, start, complete.

Window operators act on their center's referrals, provider operators on their
providers': the same lifecycle and the same routes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from inson_runtime.apikit import ReferralReader, ReferralStaff, actor_of, responses
from inson_runtime.audit import Audit
from inson_runtime.problems import ProblemError

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


@router.get(
    "/referrals/{referral_id}",
    response_model=ReferralDetail,
    responses=NOT_FOUND,
    summary="One referral: service, destination, deadline, status and history",
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
    responses=TRANSITION,
    summary="Take the referral on: the person will be served here",
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
    responses=TRANSITION,
    summary="Refuse the referral with a code and reason; the social worker re-plans",
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
    responses=TRANSITION,
    summary="Delivery of the service began",
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
    responses=TRANSITION,
    summary="The service was delivered; the plan item is done",
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
