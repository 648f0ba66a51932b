"""Intake: applications, and the cases they open or join.

Stream: ``case-<case_id>``. An application is recorded in the stream of the
case it opens or joins, so submitting is one atomic append; the intake topic
is keyed by that stream id.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from inson_contracts.codes.channels import Channel
from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.codes.names import Language
from inson_contracts.events.base import REGISTRY, Event, personal
from inson_contracts.events.values import (
    Actor,
    Address,
    DistrictCode,
    HouseholdMember,
    Id,
    MahallaCode,
    Note,
    PersonName,
    Pinfl,
    RegionCode,
    Sex,
    Value,
)
from inson_contracts.topics import INTAKE_CASES


class Applicant(Value):
    # Unknown for some people identified proactively or without documents.
    pinfl: Pinfl | None = personal(default=None)
    name: PersonName
    birth_date: date = personal()
    sex: Sex = personal()
    phone: str | None = personal(default=None, pattern=r"^\+998[0-9]{9}$")
    language: Language = Field(description="Language and script messages to this person use.")


class Consent(Value):
    given: bool = Field(description="Consent to processing of personal data; required to apply.")
    given_at: datetime
    text_version: str = Field(min_length=1, max_length=32)


class ApplicationSubmitted(Event):
    """An application for a person or a family reached the platform."""

    TYPE: ClassVar[str] = "uz.inson.intake.application.submitted.v1"
    TOPIC: ClassVar[str] = INTAKE_CASES.name

    application_id: Id
    channel: Channel
    submitted_by: Actor
    submitted_at: datetime
    applicant: Applicant
    address: Address
    household: list[HouseholdMember] = Field(default_factory=list, max_length=30)
    circumstances: list[Circumstance] = Field(min_length=1)
    circumstances_note: Note | None = personal(
        default=None, description="Free text, required when 'other' is among the circumstances."
    )
    consent: Consent


class RejectionReason(StrEnum):
    NO_CONSENT = "no_consent"
    OUTSIDE_PILOT_AREA = "outside_pilot_area"
    WITHDRAWN_BY_APPLICANT = "withdrawn_by_applicant"
    NOT_A_SOCIAL_PROTECTION_MATTER = "not_a_social_protection_matter"
    DUPLICATE_SUBMISSION = "duplicate_submission"


class ApplicationRejected(Event):
    """The application will not become or join a case; the reason says why."""

    TYPE: ClassVar[str] = "uz.inson.intake.application.rejected.v1"
    TOPIC: ClassVar[str] = INTAKE_CASES.name

    application_id: Id
    case_id: Id | None = Field(default=None, description="The case the application was in.")
    reason: RejectionReason
    explanation: Note | None = personal(default=None)
    rejected_by: Actor | None = Field(default=None, description="Absent when decided by rule.")
    rejected_at: datetime


class CaseOpened(Event):
    """One person or family in need became one case."""

    TYPE: ClassVar[str] = "uz.inson.intake.case.opened.v1"
    TOPIC: ClassVar[str] = INTAKE_CASES.name

    case_id: Id
    application_id: Id
    region: RegionCode
    district: DistrictCode
    mahalla: MahallaCode
    circumstances: list[Circumstance] = Field(min_length=1)
    household_size: int = Field(ge=1, le=31)
    language: Language
    opened_at: datetime


class CaseMatch(StrEnum):
    """Why an application was recognised as belonging to an existing case."""

    SAME_PINFL = "same_pinfl"
    SAME_NAME_AND_BIRTH_DATE = "same_name_and_birth_date"
    LIKELY_SAME_PERSON = "likely_same_person"


class ApplicationLinkedToCase(Event):
    """A further application about someone who already has an open case.

    A likely match (no PINFL, a similar name, the same birth date) is linked
    with ``needs_confirmation``: a social worker confirms or refuses it.
    """

    TYPE: ClassVar[str] = "uz.inson.intake.application.linked.v1"
    TOPIC: ClassVar[str] = INTAKE_CASES.name

    application_id: Id
    case_id: Id
    match: CaseMatch
    needs_confirmation: bool = False
    new_circumstances: list[Circumstance] = Field(default_factory=list)
    linked_at: datetime


class ApplicationLinkConfirmed(Event):
    """A social worker confirmed that a likely match is the same person."""

    TYPE: ClassVar[str] = "uz.inson.intake.applicationlink.confirmed.v1"
    TOPIC: ClassVar[str] = INTAKE_CASES.name

    application_id: Id
    case_id: Id
    confirmed_by: Actor
    confirmed_at: datetime


class ApplicationLinkRefused(Event):
    """Not the same person after all: the application opens a case of its own."""

    TYPE: ClassVar[str] = "uz.inson.intake.applicationlink.refused.v1"
    TOPIC: ClassVar[str] = INTAKE_CASES.name

    application_id: Id
    case_id: Id
    new_case_id: Id
    refused_by: Actor
    refused_at: datetime


class ErasureBasis(StrEnum):
    """The legal ground of an erasure (Law of the Republic of Uzbekistan "On personal data")."""

    SUBJECT_REQUEST = "subject_request"  # the person asked for their data to be destroyed
    CONSENT_WITHDRAWN = "consent_withdrawn"
    COURT_ORDER = "court_order"
    UNLAWFUL_PROCESSING = "unlawful_processing"  # e.g. found so by the supervisory authority
    RETENTION_EXPIRED = "retention_expired"


class CaseClosureReason(StrEnum):
    PLAN_COMPLETED = "plan_completed"  # every item of the plan was delivered
    PLAN_CLOSED = "plan_closed"  # the plan ended before that (see its closure reason)


class CaseClosed(Event):
    """The case's plan completed or was closed: nothing is left to do for the person.

    Written by intake when assessment's PlanCompleted or PlanClosed arrives.
    The person keeps this one case: a later application joins it.
    """

    TYPE: ClassVar[str] = "uz.inson.intake.case.closed.v1"
    TOPIC: ClassVar[str] = INTAKE_CASES.name

    case_id: Id
    plan_id: Id = Field(description="The plan whose end closed the case.")
    reason: CaseClosureReason
    district: DistrictCode
    closed_at: datetime


class PersonErased(Event):
    """A person's personal data was erased: the key it was encrypted with is destroyed.

    Every earlier event of the case keeps its non-personal data (statuses,
    districts, circumstances, dates), so statistics stay whole; its personal
    fields no longer open anywhere. Every service blanks what it holds for the
    case on this event, and partners should do the same with their copies.
    """

    TYPE: ClassVar[str] = "uz.inson.intake.person.erased.v1"
    TOPIC: ClassVar[str] = INTAKE_CASES.name

    case_id: Id = Field(description="The case whose person (or family) was erased.")
    basis: ErasureBasis
    reference: str = Field(
        min_length=3,
        max_length=120,
        pattern=r"^[A-Za-z0-9 ./№#:_-]+$",
        description="The legal document that requires it (a request or order number), "
        "never the person's data.",
    )
    erased_by: Actor
    erased_at: datetime


REGISTRY.register(
    PersonErased,
    ApplicationSubmitted,
    ApplicationRejected,
    CaseOpened,
    ApplicationLinkedToCase,
    ApplicationLinkConfirmed,
    ApplicationLinkRefused,
    CaseClosed,
)
