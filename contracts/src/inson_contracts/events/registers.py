"""Decisions the Inson center takes itself about registers.

- the register of lonely elderly and disabled persons needing care by others;
- temporary registration of a homeless person at an institution with a
  housing fund, for up to six calendar months (assessment's versioned rule,
  ``housing-v1``, decides the term; a registration continuing an earlier one
  is a supervisor's decision with a reason), a notice shortly before it ends,
  and its expiry.

Stream: ``assessment-<case_id>``.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field, model_validator

from inson_contracts.events.base import REGISTRY, Event, personal
from inson_contracts.events.values import Actor, DistrictCode, Id, Note, Pinfl
from inson_contracts.topics import ASSESSMENT_PLANS


class CareRegisterCategory(StrEnum):
    LONELY_ELDERLY = "lonely_elderly"
    PERSON_WITH_DISABILITY = "person_with_disability"
    NEEDS_CARE_BY_OTHERS = "needs_care_by_others"


class CareRegisterEntryAdded(Event):
    """A person was recognised as living alone and needing care by others."""

    TYPE: ClassVar[str] = "uz.inson.assessment.careregister.added.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    entry_id: Id
    pinfl: Pinfl | None = personal(default=None)
    category: CareRegisterCategory
    district: DistrictCode
    decision_ref: str = Field(min_length=1, max_length=64)
    decided_by: Actor
    decided_at: datetime


class CareRegisterRemovalReason(StrEnum):
    DECEASED = "deceased"
    MOVED_AWAY = "moved_away"
    NO_LONGER_NEEDS_CARE = "no_longer_needs_care"
    CARE_BY_RELATIVES = "care_by_relatives"
    RECOGNITION_REVOKED = "recognition_revoked"


class CareRegisterEntryRemoved(Event):
    """The recognition was revoked or no longer applies."""

    TYPE: ClassVar[str] = "uz.inson.assessment.careregister.removed.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    entry_id: Id
    reason: CareRegisterRemovalReason
    note: Note | None = personal(default=None)
    decided_by: Actor
    decided_at: datetime


class TemporaryHousingGranted(Event):
    """A homeless person is registered at an institution with a housing fund.

    ``valid_from`` is the first day of the registration and ``valid_until`` its
    last. How long it may be is the deciding service's rule, not the event's:
    events recorded under an older rule stay readable.
    """

    TYPE: ClassVar[str] = "uz.inson.assessment.temporaryhousing.granted.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    registration_id: Id
    pinfl: Pinfl | None = personal(default=None)
    institution_code: str = Field(min_length=1, max_length=32)
    valid_from: date
    valid_until: date
    decided_by: Actor
    decided_at: datetime
    extends: Id | None = Field(
        default=None,
        description="The registration this one continues (back to back or overlapping), "
        "by the supervisor's decision; absent for a registration of its own.",
    )
    reason: Note | None = personal(
        default=None, description="Why the supervisor decided to continue the registration."
    )

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> TemporaryHousingGranted:
        if self.valid_until <= self.valid_from:
            raise ValueError("valid_until must be after valid_from")
        return self


class TemporaryHousingEndingSoon(Event):
    """A registration ends within the reminder lead time: the person and the case's
    worker are to be told. Recorded once per registration, not for one continued by
    a later registration."""

    TYPE: ClassVar[str] = "uz.inson.assessment.temporaryhousing.end_approached.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    registration_id: Id
    valid_until: date = Field(description="The registration's last day.")
    lead_days: int = Field(ge=0, description="How many days before its end a reminder is due.")
    rule: str = Field(min_length=1, max_length=32, description="The housing rule, housing-v1.")
    noticed_at: datetime


class TemporaryHousingExpired(Event):
    """The temporary registration ended: recorded from the day after its last day
    (``expired_on`` is that last day, ``valid_until``)."""

    TYPE: ClassVar[str] = "uz.inson.assessment.temporaryhousing.expired.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    registration_id: Id
    expired_on: date


REGISTRY.register(
    CareRegisterEntryAdded,
    CareRegisterEntryRemoved,
    TemporaryHousingGranted,
    TemporaryHousingEndingSoon,
    TemporaryHousingExpired,
)
