"""Whom a referral is for: the person's name, birth date and, for a service at home,
address; opened at this read only, and every read recorded in the access audit."""

from __future__ import annotations

from fastapi import APIRouter
from inson_runtime.apikit import ReferralReader, answer, responses
from inson_runtime.audit import Audit

from referral.api import examples
from referral.api.deps import ReferralsDep, area_of
from referral.api.referrals import ReferralId
from referral.api.schemas import PersonDetail

router = APIRouter(prefix="/v1", tags=["referrals"])


@router.get(
    "/referrals/{referral_id}/person",
    response_model=PersonDetail,
    response_model_exclude_none=True,
    responses=answer("The person (a home-care service: with the address)", examples.PERSON)
    | responses({404: "No such referral in your area"}),
    summary="Whom the referral is for: name, birth date and, for a service at home, address",
)
async def person(
    referral_id: ReferralId, principal: ReferralReader, referrals: ReferralsDep, audit: Audit
) -> PersonDetail:
    """For whoever may see the referral (its window or provider, the district's
    supervisor, an admin). Personal data, opened from the sealed form intake
    published; the read is recorded in the access audit before the answer.

    The address is given only for a service delivered where the person lives:
    every service of the home-care category (``HOME-*``: care and nursing at
    home, meals brought home, day care and residential care, whose staff fetch
    or admit the person), a personal assistant (``DIS-01``), a social taxi
    (``DIS-05``), adapting the home (``DIS-06``), repairing it (``HOUSE-05``), a
    family doctor's home visit (``HLTH-03``), palliative care (``HLTH-05``) and
    schooling at home (``EDU-04``). After an erasure, or before the person's
    application reached this service, the personal fields are absent.
    """
    found = PersonDetail.of(await referrals.person(referral_id, area_of(principal)))
    await audit.record([found.case_id], found.personal_fields())
    return found
