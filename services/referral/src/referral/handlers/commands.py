"""The providers' commands on a referral (window and provider staff alike), the person
a referral is for, and a case's referrals as of a moment.

Each command loads the referral, checks it lies in the caller's area,
decides, and records. A colleague's action or a plan change recorded in
between makes the append stale (``ConcurrencyConflict``): the command is
decided again on what they did, a few times, before the conflict goes up
(HTTP 409, "reload"). A command repeated in the state it leads to, by the
same actor saying the same, records nothing and answers that state, so a
tablet retrying after a lost answer is not told its own acceptance was
illegal; a colleague's step taken first refuses it, naming who acted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from inson_contracts.events.referral import ReferralIssued, RejectionCode
from inson_contracts.events.values import Actor
from inson_runtime.eventstore import ConcurrencyConflict
from inson_runtime.repository import Repository

from referral.domain.area import Area
from referral.domain.person import Person, delivered_at_home, person_from
from referral.domain.referral import (
    Accept,
    Command,
    Complete,
    Referral,
    Reject,
    Start,
    Status,
    UnknownReferral,
    decide,
    evolve,
)
from referral.handlers.ports import Applicants, Clock, PersonalData, PlanRecords, utc_now

# How often a command is decided again after a concurrent change.
ATTEMPTS = 3
# A staff command, given the moment it is decided at.
CommandAt = Callable[[datetime], Command]


class NotInArea(LookupError):
    """The referral exists but not in the caller's area: answered like an unknown one
    (404), so an operator learns nothing about other centers' or providers' referrals."""

    def __init__(self, referral_id: str) -> None:
        super().__init__(f"no referral {referral_id} at your windows or providers")
        self.referral_id = referral_id


class NoReferralsAsOf(LookupError):
    """No referral of the case in the caller's area had been issued by that moment."""

    def __init__(self, case_id: str) -> None:
        super().__init__(f"no referrals of case {case_id} in your area by that moment")
        self.case_id = case_id


@dataclass(frozen=True)
class ReferralThen:
    """A referral as it stood at a past moment: how it was issued, and its state then."""

    issued: ReferralIssued
    status: Status
    escalation_level: int
    version: int


@dataclass(frozen=True)
class PersonOnReferral:
    """Whom a referral is for, as its provider may see them."""

    referral_id: str
    case_id: str
    service_code: str
    at_home: bool  # the address is part of it
    person: Person


class Referrals:
    """The use cases of providers' staff and reviewers, on the referral repository."""

    def __init__(
        self,
        referrals: Repository[Referral],
        plans: PlanRecords,
        *,
        applicants: Applicants,
        personal: PersonalData,
        clock: Clock = utc_now,
    ) -> None:
        self.referrals = referrals
        self.plans = plans
        self.applicants = applicants
        self.personal = personal
        self.clock = clock

    async def accept(self, rid: str, area: Area, actor: Actor, note: str | None = None) -> Referral:
        """Take the referral on: the person will be served here."""
        return await self._act(rid, area, lambda at: Accept(actor, at, note))

    async def reject(
        self, rid: str, area: Area, actor: Actor, code: RejectionCode, reason: str
    ) -> Referral:
        """Refuse the referral with a code and reason; the social worker re-plans."""
        return await self._act(rid, area, lambda at: Reject(code, reason, actor, at))

    async def start(self, rid: str, area: Area, actor: Actor, note: str | None = None) -> Referral:
        """Delivery of the service began."""
        return await self._act(rid, area, lambda at: Start(actor, at, note))

    async def complete(
        self, rid: str, area: Area, actor: Actor, outcome: str | None = None
    ) -> Referral:
        """The service was delivered; the plan item is done."""
        return await self._act(rid, area, lambda at: Complete(actor, at, outcome))

    async def person(self, rid: str, area: Area) -> PersonOnReferral:
        """The person the referral is for: name and birth date, and the address for a
        service delivered at home, opened from the sealed form intake published.

        Unknown or outside the caller's area: refused as for a command. An
        erased person (or one whose application was not read yet) is answered
        with nothing known. The caller records the read in the access audit.
        """
        referral = await self.referrals.load(rid)
        issued = referral.issued
        if issued is None:
            raise UnknownReferral(rid)
        if not area.covers(issued.destination):
            raise NotInArea(rid)
        at_home = delivered_at_home(issued.service_code)
        person = Person()
        sealed = await self.applicants.of_case(issued.case_id)
        if sealed is not None:
            opened = await self.personal.open(sealed.event_type, sealed.data)
            person = person_from(opened, with_address=at_home)
        return PersonOnReferral(rid, issued.case_id, issued.service_code, at_home, person)

    async def as_of(self, case_id: str, at: datetime, area: Area) -> list[ReferralThen]:
        """The case's referrals in ``area`` as they stood at ``at``, from the event store.

        They are found through the plan policy's own record of the items it
        referred and their rounds (written before anything is issued), not a
        projection that may lag. Nothing found raises :class:`NoReferralsAsOf`,
        except for a caller who sees everywhere: for anyone else an empty
        answer would tell a case outside their area from one without referrals.
        """
        found: list[ReferralThen] = []
        for record in await self.plans.of_case(case_id):
            for rid in record.referral_ids():
                referral, _ = await self.referrals.load_as_of(rid, at)
                issued, status = referral.issued, referral.status
                if issued is None or status is None:
                    continue  # not issued yet at that moment
                if area.covers(issued.destination):
                    then = ReferralThen(issued, status, referral.escalation_level, referral.version)
                    found.append(then)
        if not found and not area.everywhere:
            raise NoReferralsAsOf(case_id)
        return found

    async def _act(self, rid: str, area: Area, command: CommandAt) -> Referral:
        for _ in range(ATTEMPTS):
            referral = await self.referrals.load(rid)
            if referral.destination is None:
                raise UnknownReferral(rid)
            if not area.covers(referral.destination):
                raise NotInArea(rid)
            events = decide(referral, command(self.clock()))
            district = referral.destination.district
            try:
                # A SOATO district code begins with its region's.
                await self.referrals.record(
                    rid, referral.version, events, region=district[:4], district=district
                )
            except ConcurrencyConflict:
                continue  # a colleague or a plan change came first: decide on theirs
            for event in events:
                referral = evolve(referral, event)
            return referral
        raise ConcurrencyConflict(self.referrals.stream(rid), 0)
