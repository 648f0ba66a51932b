"""What the supervisor's registers take and answer: reassignment, the care register,
temporary housing (requests strict, as in ``schemas.py``)."""

from __future__ import annotations

from datetime import date, datetime

from inson_contracts.events.assessment import AssignmentReason
from inson_contracts.events.registers import CareRegisterCategory, CareRegisterRemovalReason
from inson_contracts.events.values import Actor
from inson_runtime.apikit import Day
from pydantic import BaseModel, ConfigDict, Field

from assessment.api.schemas import Strict
from assessment.domain.housing import HousingStatus, Registration


class ReassignIn(Strict):
    to_social_worker_id: str | None = Field(
        default=None, description="Omit to pick the least loaded."
    )
    reason: AssignmentReason = AssignmentReason.SUPERVISOR_DECISION
    note: str | None = Field(default=None, max_length=2000)


class CareEntryIn(Strict):
    category: CareRegisterCategory
    decision_ref: str = Field(min_length=1, max_length=64)
    pinfl: str | None = Field(default=None, pattern=r"^[0-9]{14}$")


class CareRemovalIn(Strict):
    reason: CareRegisterRemovalReason
    note: str | None = Field(default=None, max_length=2000)


class HousingIn(Strict):
    institution_code: str = Field(min_length=1, max_length=32)
    valid_from: Day = Field(description="The registration's first day")
    valid_until: Day = Field(
        description="Its last day: at most six calendar months after valid_from (the same "
        "day of the month, or the month's last day); it expires the day after"
    )
    pinfl: str | None = Field(default=None, pattern=r"^[0-9]{14}$")
    extends: str | None = Field(
        default=None,
        max_length=64,
        pattern=r"^[A-Za-z0-9_:-]+$",
        description="The registration this one continues (overlapping it, or starting the "
        "day after it ends): required for such a registration, with a reason",
    )
    reason: str | None = Field(
        default=None,
        min_length=1,
        max_length=2000,
        description="Why the supervisor continues the registration (personal data)",
    )


class HousingRegistrationView(BaseModel):
    """A temporary housing registration of the case (its PINFL left out)."""

    registration_id: str
    institution_code: str
    valid_from: date
    valid_until: date = Field(description="Its last day")
    status: HousingStatus = Field(description="As of today, Tashkent")
    ending_noted: bool = Field(description="The person and the worker were told its end is near")
    expired: bool = Field(description="Its expiry is recorded (from the day after valid_until)")
    extends: str | None = Field(description="The registration it continues")
    extended_by: str | None = Field(description="The registration that continues it")
    reason: str | None = Field(description="Why it continues another one (personal data)")
    decided_by: Actor
    decided_at: datetime

    @classmethod
    def of(cls, registration: Registration, today: date) -> HousingRegistrationView:
        granted = registration.granted
        return cls(
            registration_id=granted.registration_id,
            institution_code=granted.institution_code,
            valid_from=granted.valid_from,
            valid_until=granted.valid_until,
            status=registration.status(today),
            ending_noted=registration.reminded,
            expired=registration.expired,
            extends=granted.extends,
            extended_by=registration.extended_by,
            reason=granted.reason,
            decided_by=granted.decided_by,
            decided_at=granted.decided_at,
        )


# Released as "an object of strings": the schema keeps saying so.
_STRINGS = ConfigDict(json_schema_extra={"additionalProperties": {"type": "string"}})


class EntryCreated(BaseModel):
    model_config = _STRINGS
    entry_id: str = Field(description="The care register entry (derived from the decision)")


class RegistrationCreated(BaseModel):
    model_config = _STRINGS
    registration_id: str = Field(description="The temporary housing registration")
