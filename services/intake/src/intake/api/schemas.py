"""What the intake API accepts and answers.

Validation lives here so a bad request is refused with 422 naming the field
and the reason before anything is written. Every model forbids unknown
fields, and every value is typed: a body like ``{"pinfl": {"$gt": ""}}`` is a
type error, never a query.

Reads of the caseload and the access log answer with the read models' own
records (``projections/records.py``), so a field the projection adds is
typed in one place.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from inson_contracts.codes import UnknownCode, district, region
from inson_contracts.codes.channels import Channel
from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.codes.mahallas import mahalla
from inson_contracts.codes.names import Language
from inson_contracts.events.intake import Applicant, ErasureBasis, RejectionReason
from inson_contracts.events.values import Address, HouseholdMember, PersonName, Relation, Sex
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from intake.handlers.submissions import NewApplication, Outcome
from intake.projections.records import ApplicationRecord

# Letters of Uzbek Latin and Cyrillic and Russian, apostrophe variants used
# for oʻ/gʻ and the tutuq belgisi, hyphen and space.
_NAME = r"^[A-Za-zЀ-ӿʻʼ'`‘’\- ]+$"
NamePart = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=_NAME)
]
EARLIEST_BIRTH = date(1900, 1, 1)


def _pinfl(value: str) -> str:
    # JShShIR: century-and-sex digit (1-6), birth date as DDMMYY, then the
    # issuing district, a serial and a check digit.
    if not re.fullmatch(r"[0-9]{14}", value):
        raise ValueError("PINFL must be exactly 14 digits")
    if value[0] not in "123456":
        raise ValueError("PINFL must start with a digit from 1 to 6")
    century = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}[value[0]]
    try:
        date(century + int(value[5:7]), int(value[3:5]), int(value[1:3]))
    except ValueError:
        raise ValueError("PINFL digits 2-7 must be a real birth date (DDMMYY)") from None
    return value


Pinfl = Annotated[str, AfterValidator(_pinfl)]


def _birth_date(value: date) -> date:
    if value > datetime.now(UTC).date():
        raise ValueError("birth date is in the future")
    if value < EARLIEST_BIRTH:
        raise ValueError(f"birth date is before {EARLIEST_BIRTH.isoformat()}")
    return value


BirthDate = Annotated[date, AfterValidator(_birth_date)]


def _phone(value: str) -> str:
    digits = re.sub(r"[\s()\-]", "", value)
    if re.fullmatch(r"[0-9]{9}", digits):
        digits = "+998" + digits
    elif re.fullmatch(r"998[0-9]{9}", digits):
        digits = "+" + digits
    if not re.fullmatch(r"\+998[0-9]{9}", digits):
        raise ValueError("phone must be an Uzbek number: +998 and 9 digits")
    return digits


Phone = Annotated[str, StringConstraints(max_length=24), AfterValidator(_phone)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NameIn(Strict):
    last_name: NamePart
    first_name: NamePart
    patronymic: NamePart | None = None


class ApplicantIn(Strict):
    pinfl: Pinfl | None = Field(default=None, description="Omit when unknown (no documents).")
    name: NameIn
    birth_date: BirthDate
    sex: Sex
    phone: Phone | None = None
    language: Language = Field(description="uz-Latn, uz-Cyrl or ru: messages come in it.")


class AddressIn(Strict):
    region: str = Field(pattern=r"^[0-9]{4}$")
    district: str = Field(pattern=r"^[0-9]{7}$")
    mahalla: str = Field(pattern=r"^[0-9]{10,11}$")
    street: str | None = Field(default=None, max_length=200)
    house: str | None = Field(default=None, max_length=20)
    apartment: str | None = Field(default=None, max_length=20)

    @model_validator(mode="after")
    def _known_places(self) -> AddressIn:
        try:
            region(self.region)
            found = district(self.district)
            if found.region_code != self.region:
                raise ValueError(f"district {self.district} is not in region {self.region}")
            if mahalla(self.mahalla).district_code != self.district:
                raise ValueError(f"mahalla {self.mahalla} is not in district {self.district}")
        except UnknownCode as exc:
            raise ValueError(str(exc).strip("'\"")) from None
        return self


class HouseholdMemberIn(Strict):
    relation: Relation
    name: NameIn
    birth_date: BirthDate
    sex: Sex | None = None
    pinfl: Pinfl | None = None


class ConsentIn(Strict):
    given: Literal[True] = Field(description="Consent to processing of personal data is required.")
    text_version: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._-]+$")


EXAMPLE_APPLICATION: dict[str, Any] = {
    "channel": "mahalla_tablet",
    "applicant": {
        "pinfl": "30101850123456",
        "name": {"last_name": "Karimova", "first_name": "Dilnoza", "patronymic": "Rustamovna"},
        "birth_date": "1985-01-30",
        "sex": "female",
        "phone": "+998901234567",
        "language": "uz-Latn",
    },
    "address": {"region": "1735", "district": "1735207", "mahalla": "1735207001"},
    "household": [
        {
            "relation": "child",
            "name": {"last_name": "Karimov", "first_name": "Aziz"},
            "birth_date": "2015-05-01",
            "sex": "male",
        }
    ],
    "circumstances": ["low_income", "child_at_risk"],
    "consent": {"given": True, "text_version": "2026-01"},
}


class ApplicationIn(Strict):
    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra={"examples": [dict(EXAMPLE_APPLICATION)]}
    )

    channel: Channel
    applicant: ApplicantIn
    address: AddressIn
    household: list[HouseholdMemberIn] = Field(default_factory=list, max_length=30)
    circumstances: list[Circumstance] = Field(min_length=1, max_length=len(Circumstance))
    circumstances_note: str | None = Field(default=None, min_length=1, max_length=2000)
    consent: ConsentIn

    @model_validator(mode="after")
    def _circumstances(self) -> ApplicationIn:
        if len(set(self.circumstances)) != len(self.circumstances):
            raise ValueError("circumstances must not repeat")
        if Circumstance.OTHER in self.circumstances and not self.circumstances_note:
            raise ValueError("circumstances_note is required when 'other' is reported")
        return self

    def to_command(self) -> NewApplication:
        """The application as intake's handlers take it (they add its id and times)."""
        a = self.applicant
        return NewApplication(
            channel=self.channel,
            applicant=Applicant(
                pinfl=a.pinfl,
                name=PersonName(**a.name.model_dump()),
                birth_date=a.birth_date,
                sex=a.sex,
                phone=a.phone,
                language=a.language,
            ),
            address=Address(**self.address.model_dump()),
            household=tuple(
                HouseholdMember(
                    relation=m.relation,
                    name=PersonName(**m.name.model_dump()),
                    birth_date=m.birth_date,
                    sex=m.sex,
                    pinfl=m.pinfl,
                )
                for m in self.household
            ),
            circumstances=tuple(self.circumstances),
            circumstances_note=self.circumstances_note,
            consent_text_version=self.consent.text_version,
        )


class SubmissionOut(ApplicationRecord):
    """The application as ``GET /v1/applications/{id}`` answers it, and where it went."""

    application_id: str
    case_id: str = Field(
        description="The case it opened or joined. Joined by a match that waits for "
        "confirmation (outcome linked_pending_confirmation), the case may lie in another "
        "area: a worker there confirms or refuses the match, and until then the case is "
        "not shown to the applying worker; the application is."
    )
    outcome: Outcome


class RejectionIn(Strict):
    reason: RejectionReason
    explanation: str | None = Field(default=None, max_length=2000)


class ErasureIn(Strict):
    """An erasure request: the legal ground and the document that requires it."""

    basis: ErasureBasis
    reference: str = Field(
        min_length=3,
        max_length=120,
        pattern=r"^[A-Za-z0-9 ./№#:_-]+$",
        description="The request or order number (letters, digits, . / № # : _ -); "
        "never the person's name or PINFL.",
    )

    @field_validator("reference")
    @classmethod
    def _no_personal_identifier(cls, value: str) -> str:
        # The reference stays readable after the erasure (it is the record
        # of it), so it must not carry the very data being erased.
        if re.search(r"[0-9]{14}", value.replace(" ", "")):
            raise ValueError("must not contain a PINFL (14 digits)")
        return value


class ErasureOut(BaseModel):
    case_id: str
    erased: bool = Field(description="False when the case had been erased before.")


class RefusalOut(BaseModel):
    application_id: str
    new_case_id: str
