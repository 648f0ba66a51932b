"""Decisions the Inson center takes itself about registers.

- the register of lonely elderly and disabled persons needing care by others;
- temporary registration of a homeless person at an institution with a
  housing fund, for at most six months.

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

MAX_TEMPORARY_HOUSING_DAYS = 183  # "up to six months"


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
    """A homeless person is registered at an institution with a housing fund."""

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

    @model_validator(mode="after")
    def _at_most_six_months(self) -> TemporaryHousingGranted:
        days = (self.valid_until - self.valid_from).days
        if days < 1:
            raise ValueError("valid_until must be after valid_from")
        if days > MAX_TEMPORARY_HOUSING_DAYS:
            limit = MAX_TEMPORARY_HOUSING_DAYS
            raise ValueError(f"temporary registration is for at most six months ({limit} days)")
        return self


class TemporaryHousingExpired(Event):
    """The temporary registration reached its end date."""

    TYPE: ClassVar[str] = "uz.inson.assessment.temporaryhousing.expired.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    registration_id: Id
    expired_on: date


REGISTRY.register(
    CareRegisterEntryAdded,
    CareRegisterEntryRemoved,
    TemporaryHousingGranted,
    TemporaryHousingExpired,
)
