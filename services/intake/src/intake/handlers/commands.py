"""Intake's command handlers: load the case, decide, append (and so publish).

Every write is idempotent. Ids are derived from what the caller sent (the
application id from the Idempotency-Key, the commit id from the application),
so a tablet that retries after a lost answer finds its first commit and gets
the first answer back, whatever happened in between.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from inson_contracts.events import (
    REGISTRY,
    ApplicationLinkedToCase,
    ApplicationSubmitted,
    CaseOpened,
    Event,
)
from inson_contracts.events.intake import CaseMatch, ErasureBasis, RejectionReason
from inson_contracts.events.values import Actor
from inson_runtime.eventstore import AppendResult, Causation, Commit, ConcurrencyConflict
from inson_runtime.observability.logging import current_correlation_id
from inson_runtime.service import Runtime

from intake.adapters.people import PersonIndex, name_birth_key, pinfl_key
from intake.domain.case import (
    Case,
    IntakeRuleViolation,
    Match,
    decide_confirm_link,
    decide_erasure,
    decide_open_moved,
    decide_refuse_link,
    decide_rejection,
    decide_submission,
    replay,
)

_IDS = uuid.UUID("5d1c7e0a-9b1f-4f3e-8c55-2a8e3c0b7f61")
SOURCE = "inson/intake"


def case_stream(case_id: str) -> str:
    return f"case-{case_id}"


def derived_id(*parts: str) -> str:
    return str(uuid.uuid5(_IDS, "/".join(parts)))


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


class UnknownCase(LookupError):
    pass


class IdempotencyKeyReused(Exception):
    """The same Idempotency-Key came with a different application."""


def _same_request(first: ApplicationSubmitted, again: ApplicationSubmitted) -> bool:
    # What the caller sent; the server's clock is not part of the request.
    ignore: dict[str, object] = {"submitted_at": True, "consent": {"given_at"}}
    return first.model_dump(exclude=ignore) == again.model_dump(exclude=ignore)  # type: ignore[arg-type]


class Intake:
    def __init__(
        self,
        runtime: Runtime,
        people: PersonIndex,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.runtime = runtime
        self.people = people
        self.clock = clock

    async def load(self, case_id: str) -> Case:
        envelopes = await self.runtime.store.load(case_stream(case_id))
        return replay(case_id, (REGISTRY.parse(e.type, e.data) for e in envelopes))

    async def load_existing(self, case_id: str) -> Case:
        case = await self.load(case_id)
        if not case.opened:
            raise UnknownCase(case_id)
        return case

    async def submit(self, submitted: ApplicationSubmitted) -> Submission:
        commit_id = f"submit:{submitted.application_id}"
        earlier = await self.runtime.store.commit(commit_id, opened=True)
        if earlier is not None:
            first = _submission(earlier, replayed=True)
            if not _same_request(first.submitted, submitted):
                raise IdempotencyKeyReused(
                    "this Idempotency-Key was used for a different application; use a new key"
                )
            return first
        for _ in range(5):
            match = await self._match(submitted)
            case_id = match.case_id if match else derived_id("case", submitted.application_id)
            if match is None:
                match = await self._reserve(submitted, case_id)
                case_id = match.case_id if match else case_id
            case = await self.load(case_id)
            events = decide_submission(case, submitted, match)
            if not events:  # recorded under another commit: answer from the case
                return _from_case(case, submitted)
            try:
                result = await self._record(case, events, submitted, commit_id=commit_id)
            except ConcurrencyConflict:
                continue  # somebody wrote to the case meanwhile: decide again
            assert result is not None  # events were given
            if result.created and isinstance(events[-1], CaseOpened):
                for member in submitted.household:
                    if member.pinfl:
                        await self.people.reserve(pinfl_key(member.pinfl), case_id)
            return _submission(result.commit, replayed=not result.created)
        raise ConcurrencyConflict(case_stream(case_id), case.version)

    async def _match(self, submitted: ApplicationSubmitted) -> Match | None:
        applicant = submitted.applicant
        if applicant.pinfl:
            held = await self.people.case_of(pinfl_key(applicant.pinfl))
            if held:
                return Match(held, CaseMatch.SAME_PINFL)
        held = await self.people.case_of(name_birth_key(applicant.name, applicant.birth_date))
        if held:
            # With a PINFL on one side only, the same name and birth date may
            # still be two people: a worker confirms.
            sure = applicant.pinfl is None
            how = CaseMatch.SAME_NAME_AND_BIRTH_DATE if sure else CaseMatch.LIKELY_SAME_PERSON
            return Match(held, how)
        likely = await self.people.likely_case(applicant.name, applicant.birth_date)
        return Match(likely, CaseMatch.LIKELY_SAME_PERSON) if likely else None

    async def _reserve(self, submitted: ApplicationSubmitted, case_id: str) -> Match | None:
        """Reserve the applicant's keys for a new case; a lost race is a match."""
        applicant = submitted.applicant
        if applicant.pinfl:
            holder = await self.people.reserve(pinfl_key(applicant.pinfl), case_id)
            if holder != case_id:
                return Match(holder, CaseMatch.SAME_PINFL)
        key = name_birth_key(applicant.name, applicant.birth_date)
        holder = await self.people.reserve(key, case_id)
        if holder != case_id and applicant.pinfl is None:
            return Match(holder, CaseMatch.SAME_NAME_AND_BIRTH_DATE)
        return None

    async def confirm_link(self, case_id: str, application_id: str, actor: Actor) -> None:
        case = await self.load_existing(case_id)
        events = decide_confirm_link(case, application_id, actor, self.clock())
        await self._record(case, events, _submitted_in(case, application_id))

    async def refuse_link(self, case_id: str, application_id: str, actor: Actor) -> str:
        """Move the application to a case of its own; return that case's id."""
        case = await self.load_existing(case_id)
        submitted = _submitted_in(case, application_id)
        new_case_id = derived_id("moved", application_id)
        events = decide_refuse_link(case, application_id, new_case_id, actor, self.clock())
        await self._record(case, events, submitted, commit_id=f"refuse:{application_id}")
        # A crash here is repaired by refusing again: both appends are idempotent.
        new_case = await self.load(new_case_id)
        opened = decide_open_moved(new_case, submitted)
        await self._record(new_case, opened, submitted, commit_id=f"open-moved:{application_id}")
        return new_case_id

    async def reject(
        self,
        case_id: str,
        application_id: str,
        reason: RejectionReason,
        explanation: str | None,
        actor: Actor,
    ) -> None:
        case = await self.load_existing(case_id)
        events = decide_rejection(case, application_id, reason, explanation, actor, self.clock())
        await self._record(case, events, _submitted_in(case, application_id))

    async def erase(self, case_id: str, basis: ErasureBasis, reference: str, actor: Actor) -> bool:
        """Erase the case's person: destroy their key, forget their identity keys, tell everyone.

        Key first: once it is gone the data is unreadable in the store, on
        Kafka and in every copy, whatever happens next. A crash before the
        event is written is repaired by asking again (every step is
        idempotent). Returns False when the case was erased before.
        """
        case = await self.load_existing(case_id)
        if case.erased:
            return False
        await self.runtime.sealer.keys.erase(
            case_id, reason=f"{basis.value}: {reference}", erased_by=actor.id
        )
        await self.people.forget(case_id)
        events = decide_erasure(case, basis, reference, actor, self.clock())
        causation = Causation(
            source=SOURCE,
            correlation_id=current_correlation_id(),
            district=case.district,
        )
        await self.runtime.record(
            case_stream(case_id), case.version, events, causation, commit_id=f"erase:{case_id}"
        )
        return True

    async def _record(
        self,
        case: Case,
        events: list[Event],
        submitted: ApplicationSubmitted | None,
        *,
        commit_id: str | None = None,
    ) -> AppendResult | None:
        if not events:
            return None
        address = submitted.address if submitted else None
        causation = Causation(
            source=SOURCE,
            correlation_id=current_correlation_id(),
            region=address.region if address else None,
            district=address.district if address else None,
        )
        return await self.runtime.record(
            case_stream(case.case_id), case.version, events, causation, commit_id=commit_id
        )


def _submitted_in(case: Case, application_id: str) -> ApplicationSubmitted:
    submitted = case.application(application_id).submitted
    if submitted is None:
        raise IntakeRuleViolation(f"application {application_id} was moved to case {case.case_id}")
    return submitted


def _submission(commit: Commit, *, replayed: bool) -> Submission:
    events = [REGISTRY.parse(e.type, e.data) for e in commit.events]
    submitted = next(e for e in events if isinstance(e, ApplicationSubmitted))
    outcome = Outcome.CASE_OPENED
    case_id = commit.stream_id.removeprefix("case-")
    for event in events:
        if isinstance(event, ApplicationLinkedToCase):
            pending = event.needs_confirmation
            outcome = Outcome.LINKED_PENDING_CONFIRMATION if pending else Outcome.LINKED
    return Submission(submitted.application_id, case_id, outcome, replayed, submitted)


def _from_case(case: Case, submitted: ApplicationSubmitted) -> Submission:
    app = case.application(submitted.application_id)
    outcome = {
        "opened_case": Outcome.CASE_OPENED,
        "pending_confirmation": Outcome.LINKED_PENDING_CONFIRMATION,
    }.get(app.status.value, Outcome.LINKED)
    return Submission(submitted.application_id, case.case_id, outcome, True, submitted)
