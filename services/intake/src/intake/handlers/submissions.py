"""An application as a caller sends it, and the answer a submission gets.

The answer is rebuilt from what was recorded, never kept aside: a retry with
the same Idempotency-Key finds the first commit and answers from it, even when
the first answer was lost on its way back to the tablet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from inson_contracts.codes.channels import Channel
from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.events import ApplicationLinkedToCase, ApplicationSubmitted, Event
from inson_contracts.events.intake import Applicant, Consent
from inson_contracts.events.values import Actor, Address, HouseholdMember

from intake.domain.case import ApplicationStatus, Case
from intake.handlers.recorded import application_record
from intake.projections.records import ApplicationRecord


@dataclass(frozen=True)
class NewApplication:
    """What a caller sends to apply: everything but the ids and times intake adds."""

    channel: Channel
    applicant: Applicant
    address: Address
    household: tuple[HouseholdMember, ...]
    circumstances: tuple[Circumstance, ...]
    circumstances_note: str | None
    consent_text_version: str

    def submitted(self, application_id: str, by: Actor, at: datetime) -> ApplicationSubmitted:
        return ApplicationSubmitted(
            application_id=application_id,
            channel=self.channel,
            submitted_by=by,
            submitted_at=at,
            applicant=self.applicant,
            address=self.address,
            household=list(self.household),
            circumstances=list(self.circumstances),
            circumstances_note=self.circumstances_note,
            consent=Consent(given=True, given_at=at, text_version=self.consent_text_version),
        )


class Outcome(StrEnum):
    CASE_OPENED = "case_opened"
    LINKED = "linked"
    LINKED_PENDING_CONFIRMATION = "linked_pending_confirmation"


@dataclass(frozen=True)
class Submission:
    application_id: str
    case_id: str
    outcome: Outcome
    replayed: bool
    submitted: ApplicationSubmitted
    # The application as its read model will show it (see ``recorded.py``).
    application: ApplicationRecord


def same_request(first: ApplicationSubmitted, again: ApplicationSubmitted) -> bool:
    # What the caller sent; the server's clock is not part of the request.
    ignore: dict[str, object] = {"submitted_at": True, "consent": {"given_at"}}
    return first.model_dump(exclude=ignore) == again.model_dump(exclude=ignore)  # type: ignore[arg-type]


def recorded_answer(case: Case, events: Sequence[Event], *, replayed: bool) -> Submission:
    """The answer to a submission, from the events its commit recorded in ``case``."""
    submitted = next(e for e in events if isinstance(e, ApplicationSubmitted))
    outcome = Outcome.CASE_OPENED
    for event in events:
        if isinstance(event, ApplicationLinkedToCase):
            pending = event.needs_confirmation
            outcome = Outcome.LINKED_PENDING_CONFIRMATION if pending else Outcome.LINKED
    app_id = submitted.application_id
    record = application_record(case, app_id)
    return Submission(app_id, case.case_id, outcome, replayed, submitted, record)


def answer_from_case(case: Case, submitted: ApplicationSubmitted) -> Submission:
    """The answer to a submission the case holds under another commit."""
    app_id = submitted.application_id
    status = case.application(app_id).status
    outcome = {
        ApplicationStatus.OPENED_CASE: Outcome.CASE_OPENED,
        ApplicationStatus.PENDING_CONFIRMATION: Outcome.LINKED_PENDING_CONFIRMATION,
    }.get(status, Outcome.LINKED)
    record = application_record(case, app_id)
    return Submission(app_id, case.case_id, outcome, True, submitted, record)
