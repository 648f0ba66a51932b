"""The person policy: each case's applicant, kept as intake published them (sealed).

Reads intake's topic without opening it (the consumer is built with
``open_personal=False``): the application's personal fields arrive in their
sealed wire form and are kept so, to be opened only when a provider reads
the person a referral is for (``Referrals.person``, audited). The case an
application opened names its applicant; an erasure blanks what is kept.

Each write is idempotent (an application is kept once, a case's link and an
erasure set the same values again), so a redelivered event changes nothing.
"""

from __future__ import annotations

from inson_contracts.envelope import Envelope
from inson_contracts.events import ApplicationSubmitted, CaseOpened, PersonErased

from referral.handlers.ports import Applicants

CASE_STREAM = "case-"


class PersonPolicies:
    """Reactions to intake's application, case and erasure events, on the applicants port."""

    def __init__(self, applicants: Applicants) -> None:
        self.applicants = applicants

    async def on_application_submitted(
        self, event: ApplicationSubmitted, envelope: Envelope
    ) -> None:
        """Keep the applicant as the event carried them: sealed under the case's key."""
        # Intake records an application in its case's stream, and seals it under that case.
        case_id = envelope.subject.removeprefix(CASE_STREAM)
        await self.applicants.submitted(event.application_id, case_id, envelope.type, envelope.data)

    async def on_case_opened(self, event: CaseOpened, envelope: Envelope) -> None:
        """The application that opened the case names the case's person."""
        await self.applicants.opened(event.case_id, event.application_id)

    async def on_person_erased(self, event: PersonErased, envelope: Envelope) -> None:
        """Blank the person: nothing of them is opened again."""
        await self.applicants.erase(event.case_id)
