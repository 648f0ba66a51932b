"""Intake's use cases, called by its API: load the case, decide, record.

Every write is idempotent. Ids are derived from what the caller sent (the
application id from the Idempotency-Key, the commit id from the application),
so a tablet that retries after a lost answer finds its first commit and gets
the first answer back, whatever happened in between.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

from inson_contracts.codes.channels import Channel
from inson_contracts.events import ApplicationSubmitted, CaseOpened, Event
from inson_contracts.events.intake import ErasureBasis, RejectionReason
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
    decide_confirm_link,
    decide_erasure,
    decide_open_moved,
    decide_refuse_link,
    decide_rejection,
    decide_submission,
    fold,
    replay,
)
from intake.domain.identity import person_keys, pinfl_key
from intake.handlers.matching import Matcher, sleep
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
        pause: Callable[[int], Awaitable[None]] = sleep,
    ) -> None:
        self.cases = cases
        self.people = people
        self.keys = keys
        self.clock = clock
        # ``pause``: how a submission waits for another one recording the same person.
        self.matcher = Matcher(cases, people, clock, pause)

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
            case = await self.cases.load(self.cases.aggregate_id(earlier.stream_id))
            first = recorded_answer(case, self.cases.events_of(earlier.events), replayed=True)
            if not same_request(first.submitted, submitted):
                raise IdempotencyKeyReused(
                    "this Idempotency-Key was used for a different application; use a new key"
                )
            return first
        return await self._submit(submitted, commit_id)

    async def _submit(self, submitted: ApplicationSubmitted, commit_id: str) -> Submission:
        own_case_id = derived_id("case", submitted.application_id)
        for _ in range(ATTEMPTS):
            placement = await self.matcher.place(submitted, own_case_id)
            case = placement.case
            if not placement.fresh(self.clock()):
                continue  # too slow to write by its reservations: reserve again
            events = decide_submission(case, submitted, placement.match)
            try:
                result = await self._record(case, events, submitted, commit_id=commit_id)
            except ConcurrencyConflict:
                continue  # somebody wrote to the case meanwhile: decide again
            if result is None:  # recorded under another commit: answer from the case
                return answer_from_case(case, submitted)
            if not result.created:  # the same application, recorded meanwhile by a retry
                after = await self.cases.load(self.cases.aggregate_id(result.commit.stream_id))
            else:
                after = fold(case, events)
                if isinstance(events[-1], CaseOpened):
                    await self.matcher.settle(placement)
                    members = [pinfl_key(m.pinfl) for m in submitted.household if m.pinfl]
                    await self.matcher.adopt(members, case.case_id)
            recorded = self.cases.events_of(result.commit.events)
            return recorded_answer(after, recorded, replayed=not result.created)
        raise ConcurrencyConflict(self.cases.stream(case.case_id), case.version)

    async def confirm_link(
        self, case_id: str, application_id: str, actor: Actor, area: Area
    ) -> None:
        """A worker confirms that a likely match is the same person."""
        case = await self.case_in_area(case_id, area)
        events = decide_confirm_link(case, application_id, actor, self.clock())
        submitted = _submitted_in(case, application_id)
        await self._record(case, events, submitted)
        # The same person: their keys now lead to the case too.
        await self.matcher.adopt(_keys_of(submitted), case_id)

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
        # Another person: their keys nobody holds lead to their own case.
        await self.matcher.adopt(_keys_of(submitted), new_case_id)
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


def _keys_of(submitted: ApplicationSubmitted) -> tuple[str, ...]:
    applicant = submitted.applicant
    return person_keys(applicant.name, applicant.birth_date, applicant.pinfl)
