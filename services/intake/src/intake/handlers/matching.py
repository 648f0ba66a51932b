"""Which case an application goes in: the person's case, or a new one holding their keys.

How two applications for one person, sent at the same instant, end in one
case (the reservations are described in ``domain/identity.py``):

1. Look up the applicant's keys. A key whose case is in the event store is a
   match (the PINFL before the name). A key reserved moments ago for a case
   not written yet means another request is recording this person right
   now: wait for it and look again. A key whose case the store does not hold
   and will not (a crash, a dropped database) is no match, and is logged.
2. Nothing held: reserve the keys for the application's own new case, the
   name and birth date first. Every application has that key, with a PINFL
   or without, so two applications for one person race for it before
   anything else, and the store lets exactly one insert win: the loser looks
   again (1), waits for the winner's case and joins it. Only then does the
   winner reserve the PINFL. Should another request hold that PINFL (the
   same person under another spelling), the winner hands the name key over
   to that request's case by reserving its next generation, and joins it:
   whoever waited on the name key follows to the same case.
3. The new case is written only while its reservations are young (see
   ``LEASE``), and each is then marked settled: a settled key whose case the
   store lacks is known at once to have been lost by the store.

Every step that two requests might take at once is the insert of one
generation of one key, which one of them wins. Whatever the order and
timing, the two applications meet on the name key: one opens the case, the
other joins it (or waits for a worker's confirmation, if only one had a
PINFL or the case is in another district). ``tests/unit/test_matching_races.py``
runs every interleaving of two submissions' steps.

What the keys do not settle: two spellings that are not one name up to
script ("Aliev", "Aliyev") are two name keys. With one PINFL on both, they
meet on it (step 2); otherwise only the likely-match search finds the other,
and it reads the ``people`` read model, moments behind the store, so two
such applications at the same instant may still open two cases (a worker
rejects one as a duplicate).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import structlog
from inson_contracts.events import ApplicationSubmitted
from inson_contracts.events.intake import CaseMatch
from inson_runtime.backoff import Backoff
from inson_runtime.repository import Repository

from intake.domain.case import Case, Match, match_with
from intake.domain.identity import (
    Reservation,
    Standing,
    first_reservation,
    key_kind,
    person_keys,
    pinfl_key,
    standing,
)
from intake.handlers.ports import PersonIndex

log = structlog.get_logger(__name__)

# Waiting for a request that is recording the same person: a few
# milliseconds as a rule; past the lease if that request died.
WAIT = Backoff(first_s=0.02, max_s=0.5)
WAITS = 100


class PersonBeingRecorded(Exception):
    """Another application for the same person is being recorded and has not finished (503)."""


@dataclass(frozen=True)
class Placement:
    """Where an application goes: ``case``, joined by ``match`` or opened with ``reserved``."""

    case: Case
    match: Match | None = None
    # The keys reserved for the new case (no match), to settle once it is written.
    reserved: tuple[Reservation, ...] = ()

    def fresh(self, now: datetime) -> bool:
        return all(r.fresh(now) for r in self.reserved)


async def sleep(attempt: int) -> None:
    await asyncio.sleep(WAIT.delay(attempt))


class Matcher:
    """Places applications and gives a written case its keys, through the ``PersonIndex``."""

    def __init__(
        self,
        cases: Repository[Case],
        people: PersonIndex,
        clock: Callable[[], datetime],
        pause: Callable[[int], Awaitable[None]] = sleep,
    ) -> None:
        self.cases = cases
        self.people = people
        self.clock = clock
        self.pause = pause

    async def place(self, submitted: ApplicationSubmitted, own_case_id: str) -> Placement:
        """The case ``submitted`` goes in; ``own_case_id`` is the one it would open."""
        applicant = submitted.applicant
        keys = person_keys(applicant.name, applicant.birth_date, applicant.pinfl)
        for attempt in range(1, WAITS + 1):
            current = await self.people.reservations(keys)
            now = self.clock()
            held = {r.case_id: await self.cases.load(r.case_id) for r in current.values()}
            standings = {
                key: standing(r, case_written=held[r.case_id].opened, now=now)
                for key, r in current.items()
            }
            waiting = False
            for key in reversed(keys):  # the PINFL, if any, before the name
                r, how = current.get(key), standings.get(key)
                if r is None:
                    continue
                if how is Standing.HELD:
                    return Placement(held[r.case_id], self._match(submitted, key, held[r.case_id]))
                if how is Standing.IN_FLIGHT and r.case_id != own_case_id:
                    waiting = True
                    break
                if how is Standing.LOST and r.case_id != own_case_id:
                    _log_lost(r, submitted.application_id)
            if waiting:
                await self.pause(attempt)
                continue
            likely = await self._likely(submitted, own_case_id)
            if likely is not None:
                return likely
            reserved = await self._reserve(keys, own_case_id, current, standings, now)
            if reserved is not None:
                return Placement(Case(own_case_id), reserved=reserved)
        raise PersonBeingRecorded(
            "another application for this person is being recorded; try again shortly"
        )

    async def adopt(self, keys: Iterable[str], case_id: str) -> None:
        """Reserve for the written case ``case_id`` those of ``keys`` nobody else holds.

        A household member's PINFL, or the keys of an application a worker
        confirmed or moved to a case of its own: later applications with
        them then find the case.
        """
        keys = tuple(keys)
        if not keys:
            return
        current = await self.people.reservations(keys)
        now = self.clock()
        for key in keys:
            r = current.get(key)
            if r is None:
                await self.people.reserve(first_reservation(key, case_id, now, settled=True))
            elif r.case_id != case_id:
                case = await self.cases.load(r.case_id)
                if standing(r, case_written=case.opened, now=now) is Standing.LOST:
                    await self.people.reserve(r.successor(case_id, now, settled=True))

    async def settle(self, placement: Placement) -> None:
        for reservation in placement.reserved:
            await self.people.settle(reservation)

    def _match(self, submitted: ApplicationSubmitted, key: str, case: Case) -> Match:
        applicant = submitted.applicant
        if applicant.pinfl and key == pinfl_key(applicant.pinfl):
            how = CaseMatch.SAME_PINFL
        elif applicant.pinfl is None:
            how = CaseMatch.SAME_NAME_AND_BIRTH_DATE
        else:
            # With a PINFL on one side only, the same name and birth date may
            # still be two people: a worker confirms.
            how = CaseMatch.LIKELY_SAME_PERSON
        return match_with(case, how, submitted.address.district)

    async def _likely(self, submitted: ApplicationSubmitted, own_case_id: str) -> Placement | None:
        applicant = submitted.applicant
        case_id = await self.people.likely_case(applicant.name, applicant.birth_date)
        if case_id is None or case_id == own_case_id:
            return None
        case = await self.cases.load(case_id)
        if not case.opened:
            log.warning(
                "likely match names a case the event store does not hold; no match",
                case_id=case_id,
                application_id=submitted.application_id,
            )
            return None
        if case.erased:
            # The people read model has not seen the erasure yet: the person
            # asked to be forgotten, so a new application starts afresh.
            log.info(
                "likely match names an erased case; no match",
                case_id=case_id,
                application_id=submitted.application_id,
            )
            return None
        match = match_with(case, CaseMatch.LIKELY_SAME_PERSON, submitted.address.district)
        return Placement(case, match)

    async def _reserve(
        self,
        keys: tuple[str, ...],
        own_case_id: str,
        current: dict[str, Reservation],
        standings: dict[str, Standing],
        now: datetime,
    ) -> tuple[Reservation, ...] | None:
        """Reserve ``keys`` in order for the new case; None when another request won one."""
        reserved: list[Reservation] = []
        for key in keys:
            r = current.get(key)
            if r is None:
                mine = first_reservation(key, own_case_id, now)
            elif r.case_id == own_case_id and standings[key] is Standing.IN_FLIGHT and r.fresh(now):
                reserved.append(r)  # reserved by this application before (a retry)
                continue
            else:  # lost, or this application's own and too old to write by: the next one
                mine = r.successor(own_case_id, now)
            got = await self.people.reserve(mine)
            if got.case_id == own_case_id:
                reserved.append(got)
                continue
            # Another request won this key: it is the same person (the name,
            # or a PINFL), so the keys won so far follow to its case.
            for won in reserved:
                await self.people.reserve(won.successor(got.case_id, now))
            return None
        return tuple(reserved)


def _log_lost(reservation: Reservation, application_id: str) -> None:
    # Ids only: the key itself is a PINFL or a name.
    log.warning(
        "identity key names a case the event store does not hold; no match",
        case_id=reservation.case_id,
        application_id=application_id,
        key=key_kind(reservation.key),
        generation=reservation.generation,
        written_before=reservation.settled,
    )
