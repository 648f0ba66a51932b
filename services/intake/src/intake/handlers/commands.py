"""Intake's use cases, called by its API: load the case, decide, record.

Every write is idempotent. Ids are derived from what the caller sent (the
application id from the Idempotency-Key, the commit id from the application),
so a tablet that retries after a lost answer finds its first commit and gets
the first answer back, whatever happened in between.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from inson_contracts.codes.channels import Channel
from inson_contracts.events import ApplicationSubmitted, CaseOpened, Event
from inson_contracts.events.intake import CaseMatch, ErasureBasis, RejectionReason
from inson_contracts.events.values import Actor
from inson_contracts.ids import uuid7
from inson_runtime.auth import Role
from inson_runtime.eventstore import AppendResult, ConcurrencyConflict
from inson_runtime.ids import DerivedIds
from inson_runtime.journal import EventJournal
from inson_runtime.repository import Repository

from intake.domain.area import Area
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
from intake.domain.identity import name_birth_key, pinfl_key
from intake.handlers.ports import KeyShredder, PersonIndex
from intake.handlers.submissions import (
    NewApplication,
    Submission,
    answer_from_case,
    recorded_answer,
    same_request,
)

derived_id = DerivedIds(uuid.UUID("5d1c7e0a-9b1f-4f3e-8c55-2a8e3c0b7f61"))
# Two people deciding on one case at once: each decides again on the newer case.
ATTEMPTS = 5


def case_repository(journal: EventJournal) -> Repository[Case]:
    """Intake's cases: streams ``case-<case_id>`` published as ``inson/intake``."""
    return Repository(journal, source="inson/intake", stream_prefix="case", replay=replay)


class UnknownCase(LookupError):
    """No case has this id (HTTP 404)."""

    def __init__(self, case_id: str) -> None:
        super().__init__(f"no case {case_id}")


class IdempotencyKeyReused(Exception):
    """The same Idempotency-Key came with a different application (HTTP 409)."""


class WrongChannel(PermissionError):
    """A window operator submits only through the service window (HTTP 403)."""


class Intake:
    """Intake's use cases: each public method is one, called by one route."""

    def __init__(
        self,
        cases: Repository[Case],
        people: PersonIndex,
        keys: KeyShredder,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.cases = cases
        self.people = people
        self.keys = keys
        self.clock = clock

    async def case_in_area(self, case_id: str, area: Area) -> Case:
        """The case, if it exists and lies in the caller's area (asked before a worker acts)."""
        case = await self.cases.load(case_id)
        if not case.opened:
            raise UnknownCase(case_id)
        area.check(district=case.district or "", mahalla=case.mahalla or "")
        return case

    async def submit(
        self,
        application: NewApplication,
        actor: Actor,
        area: Area,
        *,
        idempotency_key: str | None = None,
    ) -> Submission:
        """Open a case for the applicant, or join the one they already have."""
        if actor.role == Role.WINDOW_OPERATOR and application.channel is not Channel.SERVICE_WINDOW:
            raise WrongChannel("a window operator submits through the service_window channel")
        if actor.role == Role.SOCIAL_WORKER:
            # A social worker applies for the people of their own mahallas.
            area.check(district=application.address.district, mahalla=application.address.mahalla)
        application_id = (
            derived_id("application", actor.id, idempotency_key)
            if idempotency_key
            else str(uuid7())
        )
        submitted = application.submitted(application_id, actor, self.clock())
        commit_id = f"submit:{application_id}"
        earlier = await self.cases.recorded(commit_id)
        if earlier is not None:
            first = recorded_answer(
                self.cases.aggregate_id(earlier.stream_id),
                self.cases.events_of(earlier.events),
                replayed=True,
            )
            if not same_request(first.submitted, submitted):
                raise IdempotencyKeyReused(
                    "this Idempotency-Key was used for a different application; use a new key"
                )
            return first
        return await self._submit(submitted, commit_id)

    async def _submit(self, submitted: ApplicationSubmitted, commit_id: str) -> Submission:
        for _ in range(ATTEMPTS):
            match = await self._match(submitted)
            case_id = match.case_id if match else derived_id("case", submitted.application_id)
            if match is None:
                match = await self._reserve(submitted, case_id)
                case_id = match.case_id if match else case_id
            case = await self.cases.load(case_id)
            events = decide_submission(case, submitted, match)
            try:
                result = await self._record(case, events, submitted, commit_id=commit_id)
            except ConcurrencyConflict:
                continue  # somebody wrote to the case meanwhile: decide again
            if result is None:  # recorded under another commit: answer from the case
                return answer_from_case(case, submitted)
            if result.created and isinstance(events[-1], CaseOpened):
                for member in submitted.household:
                    if member.pinfl:
                        await self.people.reserve(pinfl_key(member.pinfl), case_id)
            return recorded_answer(
                case_id, self.cases.events_of(result.commit.events), replayed=not result.created
            )
        raise ConcurrencyConflict(self.cases.stream(case_id), case.version)

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

    async def confirm_link(
        self, case_id: str, application_id: str, actor: Actor, area: Area
    ) -> None:
        """A worker confirms that a likely match is the same person."""
        case = await self.case_in_area(case_id, area)
        events = decide_confirm_link(case, application_id, actor, self.clock())
        await self._record(case, events, _submitted_in(case, application_id))

    async def refuse_link(self, case_id: str, application_id: str, actor: Actor, area: Area) -> str:
        """Move the application to a case of its own; return that case's id."""
        case = await self.case_in_area(case_id, area)
        submitted = _submitted_in(case, application_id)
        new_case_id = derived_id("moved", application_id)
        events = decide_refuse_link(case, application_id, new_case_id, actor, self.clock())
        await self._record(case, events, submitted, commit_id=f"refuse:{application_id}")
        # A crash here is repaired by refusing again: both appends are idempotent.
        new_case = await self.cases.load(new_case_id)
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
        area: Area,
    ) -> None:
        """Reject a further application of a case (withdrawn, a duplicate, ...)."""
        case = await self.case_in_area(case_id, area)
        events = decide_rejection(case, application_id, reason, explanation, actor, self.clock())
        await self._record(case, events, _submitted_in(case, application_id))

    async def erase(self, case_id: str, basis: ErasureBasis, reference: str, actor: Actor) -> bool:
        """Erase the case's person: destroy their key, forget their identity keys, tell everyone.

        Key first: once it is gone the data is unreadable in the store, on
        Kafka and in every copy, whatever happens next. A crash before the
        event is written is repaired by asking again (every step is
        idempotent). Returns False when the case was erased before.
        """
        case = await self.cases.load(case_id)
        if not case.opened:
            raise UnknownCase(case_id)
        if case.erased:
            return False
        await self.keys.erase(case_id, reason=f"{basis.value}: {reference}", erased_by=actor.id)
        await self.people.forget(case_id)
        events = decide_erasure(case, basis, reference, actor, self.clock())
        await self.cases.record(
            case_id, case.version, events, commit_id=f"erase:{case_id}", district=case.district
        )
        return True

    async def _record(
        self,
        case: Case,
        events: Sequence[Event],
        submitted: ApplicationSubmitted,
        *,
        commit_id: str | None = None,
    ) -> AppendResult | None:
        """Record the decision (nothing when it is empty), addressed like the application."""
        address = submitted.address
        return await self.cases.record(
            case.case_id,
            case.version,
            events,
            commit_id=commit_id,
            region=address.region,
            district=address.district,
        )


def _submitted_in(case: Case, application_id: str) -> ApplicationSubmitted:
    submitted = case.application(application_id).submitted
    if submitted is None:
        raise IntakeRuleViolation(f"application {application_id} was moved to case {case.case_id}")
    return submitted
