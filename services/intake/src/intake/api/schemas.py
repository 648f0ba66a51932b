"""What the intake API accepts and answers.

Validation lives here so a bad request is refused with 422 naming the field
and the reason before anything is written. Every model forbids unknown
fields, and every value is typed: a body like ``{"pinfl": {"$gt": ""}}`` is a
type error, never a query. A rule of this API raises a ``PydanticCustomError``
whose type is the field code the answer gives (``api/problems.py`` words it);
its English message is for logs and tests.

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
from inson_runtime.apikit import Day
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

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
        raise PydanticCustomError("pinfl_format", "PINFL must be exactly 14 digits")
    if value[0] not in "123456":
        raise PydanticCustomError("pinfl_century", "PINFL must start with a digit from 1 to 6")
    century = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}[value[0]]
    try:
        date(century + int(value[5:7]), int(value[3:5]), int(value[1:3]))
    except ValueError:
        raise PydanticCustomError(
            "pinfl_birth_date", "PINFL digits 2-7 must be a real birth date (DDMMYY)"
        ) from None
    return value


Pinfl = Annotated[str, AfterValidator(_pinfl)]


def _birth_date(value: date) -> date:
    if value > datetime.now(UTC).date():
        raise PydanticCustomError("birth_date_future", "birth date is in the future")
    if value < EARLIEST_BIRTH:
        raise PydanticCustomError(
            "birth_date_too_early", f"birth date is before {EARLIEST_BIRTH.isoformat()}"
        )
    return value


BirthDate = Annotated[Day, AfterValidator(_birth_date)]


def _phone(value: str) -> str:
    digits = re.sub(r"[\s()\-]", "", value)
    if re.fullmatch(r"[0-9]{9}", digits):
        digits = "+998" + digits
    elif re.fullmatch(r"998[0-9]{9}", digits):
        digits = "+" + digits
    if not re.fullmatch(r"\+998[0-9]{9}", digits):
        raise PydanticCustomError(
            "phone_format", "phone must be an Uzbek number: +998 and 9 digits"
        )
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


def _unknown(exc: UnknownCode) -> PydanticCustomError:
    return PydanticCustomError("unknown_code", str(exc).strip("'\""))


class AddressIn(Strict):
    region: str = Field(pattern=r"^[0-9]{4}$")
    district: str = Field(pattern=r"^[0-9]{7}$")
    mahalla: str = Field(pattern=r"^[0-9]{10,11}$")
    street: str | None = Field(default=None, max_length=200)
    house: str | None = Field(default=None, max_length=20)
    apartment: str | None = Field(default=None, max_length=20)

    # Field by field (in declaration order), so an answer points at the code at
    # fault; a place is checked against the one above it only when that one is known.
    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        try:
            region(value)
        except UnknownCode as exc:
            raise _unknown(exc) from None
        return value

    @field_validator("district")
    @classmethod
    def _known_district(cls, value: str, info: ValidationInfo) -> str:
        try:
            found = district(value)
        except UnknownCode as exc:
            raise _unknown(exc) from None
        if "region" in info.data and found.region_code != info.data["region"]:
            raise PydanticCustomError(
                "district_not_in_region", f"district {value} is not in region {info.data['region']}"
            )
        return value

    @field_validator("mahalla")
    @classmethod
    def _known_mahalla(cls, value: str, info: ValidationInfo) -> str:
        try:
            found = mahalla(value)
        except UnknownCode as exc:
            raise _unknown(exc) from None
        if "district" in info.data and found.district_code != info.data["district"]:
            raise PydanticCustomError(
                "mahalla_not_in_district",
                f"mahalla {value} is not in district {info.data['district']}",
            )
        return value


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
    # Validated when absent too: "other" needs it.
    circumstances_note: str | None = Field(
        default=None, min_length=1, max_length=2000, validate_default=True
    )
    consent: ConsentIn

    @field_validator("circumstances")
    @classmethod
    def _distinct(cls, value: list[Circumstance]) -> list[Circumstance]:
        if len(set(value)) != len(value):
            raise PydanticCustomError("circumstances_repeated", "circumstances must not repeat")
        return value

    @field_validator("circumstances_note")
    @classmethod
    def _explained(cls, value: str | None, info: ValidationInfo) -> str | None:
        if Circumstance.OTHER in info.data.get("circumstances", ()) and not value:
            raise PydanticCustomError(
                "circumstances_note_required",
                "circumstances_note is required when 'other' is reported",
            )
        return value

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
            raise PydanticCustomError("reference_has_pinfl", "must not contain a PINFL (14 digits)")
        return value


class ErasureOut(BaseModel):
    case_id: str
    erased: bool = Field(description="False when the case had been erased before.")


class RefusalOut(BaseModel):
    application_id: str
    new_case_id: str
