"""What intake's read models hold, as its API answers them.

One class per read model document: its id and the fields the projection
writes (``views.py``, ``access_log.py``). A document has only the fields its
events have set so far (an application moved to a case of its own may be
seen by the new case's stream first; a case is erased only once), so every
field but the id may be absent, and the API leaves absent fields out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from inson_contracts.codes.channels import Channel
from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.codes.names import Language
from inson_contracts.events.intake import CaseClosureReason, CaseMatch, RejectionReason
from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str


class PersonRecord(BaseModel):
    """Whom an application or case is about: null once the person is erased."""

    model_config = ConfigDict(frozen=True)

    last_name: str | None = None
    first_name: str | None = None
    patronymic: str | None = None
    birth_date: date | None = None


class ApplicationRecord(Record):
    """One application, in whichever case it ended."""

    case_id: str | None = None
    channel: Channel | None = None
    district: str | None = None
    mahalla: str | None = None
    submitted_at: datetime | None = None
    submitted_by: str | None = Field(default=None, description="Who submitted it (user id).")
    circumstances: list[Circumstance] | None = None
    applicant: PersonRecord | None = None
    household_size: int | None = Field(default=None, description="The applicant and members.")
    status: str | None = Field(
        default=None,
        description="submitted, opened_case, linked, pending_confirmation or rejected.",
    )
    match: CaseMatch | None = Field(default=None, description="How it was matched to its case.")
    moved_from: str | None = Field(
        default=None, description="The case it left when its likely match was refused."
    )
    rejection_reason: RejectionReason | None = None
    erased: bool | None = Field(default=None, description="The person was erased.")
    erased_at: datetime | None = None


class CaseRecord(Record):
    """One case: one person or family, with every application that joined it."""

    status: str | None = Field(
        default=None,
        description="open, or closed once its plan completed or was closed. A closed case "
        "stays closed: a later application for the person joins it (one case per person) "
        "and is counted in applications, but does not reopen it.",
    )
    region: str | None = None
    district: str | None = None
    mahalla: str | None = None
    circumstances: list[Circumstance] | None = None
    household_size: int | None = None
    language: Language | None = None
    opened_at: datetime | None = None
    opening_application_id: str | None = None
    applicant: PersonRecord | None = None
    pending_confirmations: int | None = Field(
        default=None, description="Applications linked by a likely match, to confirm or refuse."
    )
    applications: int | None = Field(default=None, description="Applications the case holds.")
    erased: bool | None = Field(default=None, description="The person was erased.")
    erased_at: datetime | None = None
    closed_at: datetime | None = Field(default=None, description="When its plan ended.")
    closure_reason: CaseClosureReason | None = Field(
        default=None,
        description="plan_completed (every item delivered) or plan_closed (ended before that).",
    )


class AccessScope(BaseModel):
    model_config = ConfigDict(frozen=True)

    district: str | None
    mahallas: list[str]
    service_center: str | None


class AccessRecord(Record):
    """Somebody read the case's personal data: who, in what scope, why, which fields, when."""

    service: str
    actor: str = Field(description="The reader's user id.")
    role: str
    scope: AccessScope
    purpose: str
    operation: str = Field(description="Method and route template, e.g. GET /v1/cases/{case_id}.")
    fields: list[str] = Field(description="The top-level fields returned (never their values).")
    read_at: datetime


def fields_set(records: Iterable[Record]) -> set[str]:
    """The fields these records carry: what the access audit names as read."""
    return {name for record in records for name in record.model_fields_set}
