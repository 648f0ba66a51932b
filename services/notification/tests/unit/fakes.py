"""In-memory stand-ins for the ports of ``notification.handlers.ports``, for unit tests.

They keep the rules of the MongoDB adapters the handlers rely on (an insert
of an existing delivery is refused, a settle by an overtaken claim changes
nothing, an enqueue twice queues once), not their queries.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from ipaddress import ip_address
from typing import Any

from inson_contracts.envelope import Envelope
from inson_contracts.events.notification import MessageChannel, RecipientKind
from notification.domain.deliveries import (
    Delivery,
    LoggedDelivery,
    NotKnownYet,
    Outcome,
    Parked,
    Status,
    Target,
)
from notification.domain.destinations import IPAddress
from notification.domain.outgoing import DeliveryError, OutgoingMessage
from notification.domain.purposes import Known, Said
from notification.domain.rules import CitizenOf, Intent, StaffMember, WorkerOf
from notification.domain.sharing import DataSharing
from notification.domain.subscriptions import Subscription
from notification.domain.webhooks import WAITING, Entry, State, queue_key


@dataclass
class LogEntry:
    delivery: Delivery
    status: Status
    due_at: datetime | None
    updated_at: datetime
    created_at: datetime
    outcomes: list[Outcome] = field(default_factory=list)
    recorded: int = 0
    unrecorded: bool = False


class FakeDeliveryLog:
    def __init__(self) -> None:
        self.entries: dict[str, LogEntry] = {}

    async def planned(self, cause_event_id: str, kind: RecipientKind) -> bool:
        return any(
            e.delivery.cause_event_id == cause_event_id and e.delivery.kind is kind
            for e in self.entries.values()
        )

    async def insert(self, delivery: Delivery, now: datetime, lease_s: float) -> bool:
        if delivery.id in self.entries:
            return False
        due = now + timedelta(seconds=lease_s)
        self.entries[delivery.id] = LogEntry(delivery, Status.SENDING, due, now, now)
        return True

    async def claim_due(self, now: datetime, lease_s: float) -> Delivery | None:
        due = [
            e
            for e in self.entries.values()
            if e.status in (Status.SENDING, Status.RETRYING) and e.due_at and e.due_at <= now
        ]
        if not due:
            return None
        entry = min(due, key=lambda e: e.due_at or now)
        entry.delivery = replace(entry.delivery, attempts=entry.delivery.attempts + 1)
        entry.status, entry.due_at = Status.SENDING, now + timedelta(seconds=lease_s)
        entry.updated_at = now
        return entry.delivery

    async def settle(
        self, delivery: Delivery, status: Status, outcome: Outcome, due_at: datetime | None
    ) -> bool:
        entry = self.entries[delivery.id]
        if entry.status is not Status.SENDING or entry.delivery.attempts != delivery.attempts:
            return False
        entry.status, entry.due_at, entry.updated_at = status, due_at, outcome.at
        entry.outcomes.append(outcome)
        entry.unrecorded = True
        return True

    async def get(self, delivery_id: str) -> LoggedDelivery | None:
        entry = self.entries.get(delivery_id)
        return _logged(entry) if entry else None

    async def unrecorded(self, older_than: datetime, limit: int = 100) -> list[LoggedDelivery]:
        found = [e for e in self.entries.values() if e.unrecorded and e.updated_at <= older_than]
        return [_logged(e) for e in found[:limit]]

    async def mark_recorded(self, delivery_id: str, count: int) -> None:
        entry = self.entries[delivery_id]
        entry.recorded = max(entry.recorded, count)
        entry.unrecorded = len(entry.outcomes) > count

    async def erase_case(self, case_id: str, now: datetime) -> int:
        erased = 0
        for entry in self.entries.values():
            delivery = entry.delivery
            if delivery.case_id != case_id or delivery.kind is not RecipientKind.CITIZEN:
                continue
            if entry.status in (Status.RETRYING, Status.HELD):
                entry.status, entry.due_at, entry.updated_at = Status.RETRYING, now, now
            entry.delivery = replace(delivery, address="", params={})
            erased += 1
        return erased

    async def scrub(self, delivery_id: str) -> None:
        entry = self.entries[delivery_id]
        entry.delivery = replace(entry.delivery, address="", params={})

    async def hold(self, delivery: Delivery, now: datetime) -> bool:
        entry = self.entries[delivery.id]
        if entry.status is not Status.SENDING or entry.delivery.attempts != delivery.attempts:
            return False
        entry.status, entry.due_at, entry.updated_at = Status.HELD, None, now
        entry.delivery = replace(entry.delivery, attempts=delivery.attempts - 1)
        return True

    async def release_held(
        self, channels: Collection[MessageChannel], now: datetime, held_since: datetime
    ) -> int:
        released = [
            e
            for e in self.entries.values()
            if e.status is Status.HELD
            and e.delivery.channel in channels
            and e.created_at >= held_since
        ]
        for entry in released:
            entry.status, entry.due_at, entry.updated_at = Status.RETRYING, now, now
        return len(released)

    async def claim_expired_held(
        self, held_before: datetime, now: datetime, lease_s: float
    ) -> Delivery | None:
        for entry in self.entries.values():
            if entry.status is Status.HELD and entry.created_at < held_before:
                entry.delivery = replace(entry.delivery, attempts=entry.delivery.attempts + 1)
                entry.status, entry.due_at = Status.SENDING, now + timedelta(seconds=lease_s)
                entry.updated_at = now
                return entry.delivery
        return None


def _logged(entry: LogEntry) -> LoggedDelivery:
    return LoggedDelivery(entry.delivery, tuple(entry.outcomes), entry.recorded)


class FakeDeferredEvents:
    def __init__(self) -> None:
        self.parked: dict[str, tuple[Parked, datetime]] = {}  # event id -> (parked, due at)

    async def park(self, envelope: Envelope, now: datetime, wait_s: float) -> None:
        if envelope.id not in self.parked:
            self.parked[envelope.id] = (Parked(envelope, now + timedelta(seconds=wait_s)), now)

    async def due(self, now: datetime, limit: int = 100) -> list[Parked]:
        return [parked for parked, at in self.parked.values() if at <= now][:limit]

    async def later(self, event_id: str, at: datetime) -> None:
        self.parked[event_id] = (self.parked[event_id][0], at)

    async def drop(self, event_id: str) -> None:
        self.parked.pop(event_id, None)

    async def erase_case(self, case_id: str) -> int:
        mine = [
            event_id
            for event_id, (parked, _) in self.parked.items()
            if parked.envelope.data.get("case_id") == case_id
            or parked.envelope.subject == f"case-{case_id}"
        ]
        for event_id in mine:
            del self.parked[event_id]
        return len(mine)


@dataclass
class FakeRecipients:
    """Citizens by case id, workers by case id, staff by id; unknown cases NotKnownYet."""

    citizens: dict[str, Target] = field(default_factory=dict)
    workers: dict[str, Target] = field(default_factory=dict)
    staff: dict[str, Target] = field(default_factory=dict)

    async def resolve(self, intent: Intent) -> Target | None:
        match intent.recipient:
            case CitizenOf(case_id=case_id, contact=contact) if contact is not None:
                if not contact.phone:
                    return None
                return Target(case_id, MessageChannel.SMS, contact.phone, contact.language)
            case CitizenOf(case_id=case_id):
                if case_id not in self.citizens:
                    raise NotKnownYet(case_id)
                return self.citizens[case_id]
            case WorkerOf(case_id=case_id):
                if case_id not in self.workers:
                    raise NotKnownYet(case_id)
                return self.workers[case_id]
            case StaffMember(staff_id=staff_id):
                return self.staff.get(staff_id)
        return None


class FakeChannel:
    """Takes every message (its provider id ``p-<n>``) once ``failures`` have been used up."""

    def __init__(self, kind: MessageChannel, failures: list[DeliveryError] | None = None) -> None:
        self.kind = kind
        self.failures = list(failures or [])
        self.sent: list[OutgoingMessage] = []
        self.attempts = 0

    async def send(self, message: OutgoingMessage) -> str | None:
        self.attempts += 1
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(message)
        return f"p-{len(self.sent)}"


@dataclass
class FakeErasures:
    """The key store's tombstones: the case ids whose person was erased."""

    erased_cases: set[str] = field(default_factory=set)
    asked: int = 0

    async def erased(self, kid: str, /) -> bool:
        self.asked += 1
        return kid in self.erased_cases


class FakeSubscriptions:
    def __init__(self) -> None:
        self.kept: dict[str, Subscription] = {}

    async def add(self, subscription: Subscription) -> None:
        self.kept[subscription.id] = subscription

    async def page(
        self, owner: str | None, *, skip: int, limit: int
    ) -> tuple[list[Subscription], int]:
        mine = sorted(
            (s for s in self.kept.values() if owner is None or s.owner == owner),
            key=lambda s: (s.created_at, s.id),
        )
        return mine[skip : skip + limit], len(mine)

    async def get(self, subscription_id: str, owner: str | None = None) -> Subscription | None:
        found = self.kept.get(subscription_id)
        if found is None or (owner is not None and found.owner != owner):
            return None
        return found

    async def delete(self, subscription_id: str, owner: str) -> bool:
        if await self.get(subscription_id, owner) is None:
            return False
        del self.kept[subscription_id]
        return True

    async def set_sharing(self, subscription_id: str, sharing: DataSharing) -> Subscription | None:
        found = self.kept.get(subscription_id)
        if found is None:
            return None
        self.kept[subscription_id] = replace(found, sharing=sharing)
        return self.kept[subscription_id]

    async def matching(self, envelope: Envelope) -> list[Subscription]:
        return [
            s for s in self.kept.values() if s.covers(envelope) and envelope.time >= s.created_at
        ]


class FakeWebhookOutbox:
    """Events kept for replay and one entry per (subscription, event)."""

    def __init__(self) -> None:
        self.events: dict[str, Envelope] = {}
        self.entries: dict[str, Entry] = {}

    async def remember(self, envelope: Envelope) -> None:
        self.events.setdefault(envelope.id, envelope)

    async def enqueue(self, subscription: Subscription, envelope: Envelope, now: datetime) -> None:
        key = f"{subscription.id}:{envelope.id}"
        self.entries.setdefault(key, _new_entry(key, subscription, envelope, now))

    async def counts(self, subscription_id: str) -> dict[str, int]:
        mine = [e for e in self.entries.values() if e.subscription_id == subscription_id]
        return {state.value: sum(1 for e in mine if e.state is state) for state in State}

    async def page(
        self, subscription_id: str, state: State | None, *, skip: int, limit: int
    ) -> tuple[list[Entry], int]:
        mine = [
            e
            for e in self.entries.values()
            if e.subscription_id == subscription_id and (state is None or e.state is state)
        ]
        mine.sort(key=lambda e: (e.time, e.id))
        return mine[skip : skip + limit], len(mine)

    async def events_since(self, since: datetime) -> AsyncIterator[Envelope]:
        for envelope in sorted(self.events.values(), key=lambda e: e.time):
            if envelope.time >= since:
                yield envelope

    async def requeue(self, subscription: Subscription, envelope: Envelope, now: datetime) -> None:
        key = f"{subscription.id}:{envelope.id}"
        entry = self.entries.get(key) or _new_entry(key, subscription, envelope, now)
        self.entries[key] = _requeued(entry, now, generation=entry.generation + 1)

    async def release(self, subscription_id: str, now: datetime) -> None:
        for key, entry in self.entries.items():
            held = entry.state in (State.DEAD, State.BLOCKED)
            if entry.subscription_id == subscription_id and held:
                self.entries[key] = dataclasses.replace(
                    entry, state=State.PENDING, due_at=now, attempts=0, first_attempt_at=None
                )

    async def forget(self, subscription_id: str) -> None:
        self.entries = {
            k: e for k, e in self.entries.items() if e.subscription_id != subscription_id
        }

    async def envelope(self, event_id: str) -> dict[str, Any] | None:
        envelope = self.events.get(event_id)
        return envelope.to_document() if envelope else None

    async def due_queues(self, now: datetime, limit: int = 500) -> list[tuple[str, str]]:
        due = sorted(
            (e for e in self.entries.values() if e.state in WAITING and e.due_at <= now),
            key=lambda e: e.due_at,
        )
        return list(dict.fromkeys((e.subscription_id, e.subject) for e in due))[:limit]

    async def head(self, subscription_id: str, subject: str) -> Entry | None:
        queue = [
            e
            for e in self.entries.values()
            if e.queue == queue_key(subscription_id, subject) and e.state is not State.DELIVERED
        ]
        return min(queue, key=lambda e: (e.version, e.time, e.event_id), default=None)

    async def hold_behind(self, head: Entry, until: datetime | None) -> None:
        for key, entry in self.entries.items():
            if entry.queue != head.queue or entry.id == head.id or entry.state is not State.PENDING:
                continue
            if until is None:
                self.entries[key] = dataclasses.replace(entry, state=State.BLOCKED)
            elif entry.due_at < until:
                self.entries[key] = dataclasses.replace(entry, due_at=until)

    async def claim(self, head: Entry, now: datetime, lease_s: float) -> Entry | None:
        entry = self.entries[head.id]
        if entry.generation != head.generation or entry.state not in WAITING or entry.due_at > now:
            return None
        lease = now + timedelta(seconds=lease_s)
        self.entries[head.id] = dataclasses.replace(entry, state=State.DELIVERING, due_at=lease)
        return self.entries[head.id]

    async def delivered(self, head: Entry, now: datetime) -> None:
        self._settle(head, state=State.DELIVERED, delivered_at=now, last_error=None)

    async def failed(
        self,
        head: Entry,
        now: datetime,
        first_attempt_at: datetime,
        retry_at: datetime | None,
        error: str,
    ) -> None:
        after = {"first_attempt_at": first_attempt_at, "last_error": error}
        if retry_at is None:
            self._settle(head, state=State.DEAD, dead_at=now, **after)
        else:
            self._settle(head, state=State.PENDING, due_at=retry_at, **after)

    def _settle(self, head: Entry, **update: Any) -> None:
        entry = self.entries[head.id]
        if entry.generation == head.generation and entry.state is State.DELIVERING:
            self.entries[head.id] = dataclasses.replace(
                entry, attempts=entry.attempts + 1, **update
            )

    def set_state(self, event_id: str, state: State, **more: Any) -> None:
        """Move an entry on as the worker would (tests set up dead or delivered ones)."""
        for key, entry in self.entries.items():
            if entry.event_id == event_id:
                self.entries[key] = dataclasses.replace(entry, state=state, **more)


def _new_entry(key: str, subscription: Subscription, envelope: Envelope, now: datetime) -> Entry:
    return Entry(
        id=key,
        subscription_id=subscription.id,
        subject=envelope.subject,
        event_id=envelope.id,
        event_type=envelope.type,
        version=envelope.streamversion or 0,
        time=envelope.time,
        state=State.PENDING,
        due_at=now,
        attempts=0,
        first_attempt_at=None,
        generation=0,
    )


def _requeued(entry: Entry, now: datetime, *, generation: int) -> Entry:
    return dataclasses.replace(
        entry,
        state=State.PENDING,
        due_at=now,
        attempts=0,
        first_attempt_at=None,
        last_error=None,
        generation=generation,
    )


class FakeWebhooks:
    """A partner's endpoint: answers ``errors`` in turn, then takes every delivery."""

    def __init__(self, *errors: str) -> None:
        self.errors = list(errors)
        self.received: list[tuple[str, bytes, dict[str, str]]] = []

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> str | None:
        if self.errors:
            return self.errors.pop(0)
        self.received.append((url, body, dict(headers)))
        return None


class FakeCaseFacts:
    """What events said per case and referral, as ``partner_case_facts`` keeps it."""

    def __init__(self) -> None:
        self.cases: dict[str, Known] = {}
        self.referrals: dict[str, str] = {}

    async def learn(self, said: Said) -> None:
        if said.case_id is not None:
            known = self.cases.get(said.case_id, Known())
            self.cases[said.case_id] = Known(
                known.circumstances | said.circumstances, known.services | said.services
            )
        if said.referral_id is not None and len(said.services) == 1:
            self.referrals.setdefault(said.referral_id, next(iter(said.services)))

    async def known(self, said: Said) -> Known:
        case = self.cases.get(said.case_id or "", Known())
        return replace(case, referral_service=self.referrals.get(said.referral_id or ""))


# A public address (example.com's): what a partner's name resolves to in these tests.
PUBLIC = "93.184.215.14"


class FakeResolver:
    """DNS as the test says: each name to its addresses; any other name to none."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self.names = {
            name: [ip_address(a) for a in found.split(",")] for name, found in names.items()
        }
        self.asked: list[str] = []

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        self.asked.append(host)
        return self.names.get(host, [])


class FakePersonalData:
    """Opens nothing: the samples carry their personal fields in clear, as unsealed data."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    async def open(self, event_type: str, data: dict[str, Any]) -> dict[str, Any]:
        self.opened.append(event_type)
        return data
