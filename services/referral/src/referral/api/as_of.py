"""A case's referrals as they stood at a past moment, rebuilt from the event store."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from inson_runtime.apikit import Moment, Supervisor, answer, responses
from inson_runtime.audit import Audit
from inson_runtime.problems import FieldError, invalid_input

from referral.api import examples
from referral.api.deps import ReferralsDep, area_of
from referral.api.schemas import ReferralAsOf

router = APIRouter(prefix="/v1", tags=["referrals"])


@router.get(
    "/cases/{case_id}/referrals/as-of",
    response_model=list[ReferralAsOf],
    responses=answer("Each referral of the case as it stood at `at`", examples.AS_OF)
    | responses({404: "No referrals of the case in your area by that moment"}),
    summary="A case's referrals and their states as they stood at a past moment",
)
async def referrals_as_of(
    case_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_:-]{1,64}$")],
    principal: Supervisor,
    referrals: ReferralsDep,
    audit: Audit,
    at: Annotated[Moment, Query(description="RFC 3339 with a UTC offset")],
) -> list[ReferralAsOf]:
    """Rebuilt from this service's event store, for reviewing a decision as it was taken
    (the assessment service's ``/v1/cases/{case_id}/as-of`` gives the plan of that moment).

    The referrals of a case are found through the plan policy's own record of
    the items it referred (written before anything is issued), not a projection
    that may lag.
    """
    if at.tzinfo is None:
        raise invalid_input(FieldError("/query/at", "timezone_required"))
    states = await referrals.as_of(case_id, at, area_of(principal))
    found = [ReferralAsOf.of(then) for then in states]
    await audit.record([case_id] if found else [], ReferralAsOf.model_fields)
    return found
