"""The delivery log in MongoDB: one document per message, written before it is sent.

``_id`` is the notification id, derived from (cause event id, recipient
kind, channel), so a redelivered event finds its message already there and
sends nothing. The entry is inserted with status ``sending`` and a lease
*before* the channel is called; a process that dies in between leaves it
``sending`` with a lease that runs out, and the retry job claims and sends it
again (at least once to the provider; never again once it is ``sent``).

Each attempt's outcome is pushed onto the entry and turned into a
NotificationSent / NotificationFailed event afterwards (``unrecorded`` marks
entries whose outcomes are not all events yet), so an outage of the event
store never costs an outcome. ``deferred_events`` holds the events parked
until their recipient is known, sealed again as they were on the wire (the
consumer hands them over opened), so a parked event holds no personal data
in clear and an erasure shreds it like every other copy.

A message whose channel is not configured is ``held`` (no ``due_at``, the
attempt uncounted) and made due again by :meth:`MongoDeliveryLog.release_held`
once the channel is configured. An erasure blanks the citizen's entries and
makes what still waits due at once: the retry job then finds the person
erased and gives those up through the one path every message takes.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from inson_contracts.codes.names import Language
from inson_contracts.envelope import Envelope
from inson_contracts.events.notification import MessageChannel, RecipientKind
from inson_runtime.mongo import Document
from inson_runtime.privacy import Sealer
from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from notification.domain.deliveries import Delivery, LoggedDelivery, Outcome, Parked, Status
from notification.domain.templates import Template

DELIVERIES = "deliveries"
DEFERRED = "deferred_events"
_SCRUBBED = {"address": "", "params": {}, "erased": True}


def _delivery_document(delivery: Delivery) -> Document:
    doc = dict(delivery.__dict__)
    doc["_id"] = doc.pop("id")
    return doc


def _delivery(doc: Document) -> Delivery:
    fields: dict[str, Any] = {k: doc.get(k) for k in Delivery.__dataclass_fields__ if k != "id"}
    fields["kind"] = RecipientKind(fields["kind"])
    fields["channel"] = MessageChannel(fields["channel"])
    fields["language"] = Language(fields["language"])
    fields["template"] = Template(fields["template"])
    return Delivery(id=doc["_id"], **fields)


def _outcome(doc: Document) -> Outcome:
    return Outcome(
        attempt=int(doc["attempt"]),
        at=doc["at"],
        sent=bool(doc["sent"]),
        final=bool(doc["final"]),
        reason=doc.get("reason"),
        provider_message_id=doc.get("provider_message_id"),
    )


def _logged(doc: Document) -> LoggedDelivery:
    outcomes = tuple(_outcome(o) for o in doc.get("outcomes", []))
    return LoggedDelivery(_delivery(doc), outcomes, int(doc.get("recorded", 0)))


class MongoDeliveryLog:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.deliveries = db[DELIVERIES]

    async def ensure_indexes(self) -> None:
        await self.deliveries.create_index([("status", ASCENDING), ("due_at", ASCENDING)])
        await self.deliveries.create_index([("cause_event_id", ASCENDING), ("kind", ASCENDING)])
        await self.deliveries.create_index([("unrecorded", ASCENDING), ("updated_at", ASCENDING)])

    async def planned(self, cause_event_id: str, kind: RecipientKind) -> bool:
        """True if the event already has a message for this kind of recipient.

        Asked before choosing a channel, so a contact point that changed
        between two deliveries of one event cannot yield a second message
        on another channel.
        """
        found = await self.deliveries.find_one(
            {"cause_event_id": cause_event_id, "kind": kind.value}, {"_id": 1}
        )
        return found is not None

    async def insert(self, delivery: Delivery, now: datetime, lease_s: float) -> bool:
        """Write the entry as ``sending``; False if it existed (nothing to do here)."""
        doc = _delivery_document(delivery) | {
            "status": Status.SENDING.value,
            "due_at": now + timedelta(seconds=lease_s),
            "created_at": now,
            "updated_at": now,
            "outcomes": [],
            "recorded": 0,
            "unrecorded": False,
        }
        try:
            await self.deliveries.insert_one(doc)
        except DuplicateKeyError:
            return False
        return True

    async def claim_due(self, now: datetime, lease_s: float) -> Delivery | None:
        """Take one entry whose retry is due or whose sender's lease ran out."""
        doc = await self.deliveries.find_one_and_update(
            {
                "status": {"$in": [Status.SENDING.value, Status.RETRYING.value]},
                "due_at": {"$lte": now},
            },
            {
                "$set": {
                    "status": Status.SENDING.value,
                    "due_at": now + timedelta(seconds=lease_s),
                    "updated_at": now,
                },
                "$inc": {"attempts": 1},
            },
            sort=[("due_at", ASCENDING)],
            return_document=ReturnDocument.AFTER,
        )
        return _delivery(doc) if doc else None

    async def settle(
        self, delivery: Delivery, status: Status, outcome: Outcome, due_at: datetime | None
    ) -> bool:
        """Record an attempt's result; False if another claim overtook this one."""
        result = await self.deliveries.update_one(
            # Only the holder of this attempt: a sender whose lease ran out
            # and was re-claimed does not overwrite the newer attempt.
            {"_id": delivery.id, "status": Status.SENDING.value, "attempts": delivery.attempts},
            {
                "$set": {
                    "status": status.value,
                    "due_at": due_at,
                    "updated_at": outcome.at,
                    "unrecorded": True,
                },
                "$push": {"outcomes": dict(outcome.__dict__)},
            },
        )
        return result.modified_count == 1

    async def get(self, delivery_id: str) -> LoggedDelivery | None:
        doc = await self.deliveries.find_one({"_id": delivery_id})
        return _logged(doc) if doc else None

    async def unrecorded(self, older_than: datetime, limit: int = 100) -> list[LoggedDelivery]:
        cursor = self.deliveries.find(
            {"unrecorded": True, "updated_at": {"$lte": older_than}}, limit=limit
        )
        return [_logged(doc) async for doc in cursor]

    async def mark_recorded(self, delivery_id: str, count: int) -> None:
        await self.deliveries.update_one(
            {"_id": delivery_id, "outcomes": {"$size": count}},
            {"$set": {"recorded": count, "unrecorded": False}},
        )
        # More outcomes arrived meanwhile: leave ``unrecorded`` set for them.
        await self.deliveries.update_one(
            {"_id": delivery_id, "recorded": {"$lt": count}}, {"$set": {"recorded": count}}
        )

    async def erase_case(self, case_id: str, now: datetime) -> int:
        """Blank the citizen's address and message parameters of the case's deliveries.

        The log stays (it is the record that messages went out, and counts in
        statistics). A message to the citizen still waiting (a retry, a held
        one) is made due now: the retry job claims it, finds the person erased
        and gives it up as withheld, recorded like any final failure. The
        worker's messages about the case carry nothing personal and go on.
        """
        citizen = {"case_id": case_id, "kind": RecipientKind.CITIZEN.value}
        await self.deliveries.update_many(
            citizen | {"status": {"$in": [Status.RETRYING.value, Status.HELD.value]}},
            {"$set": {"status": Status.RETRYING.value, "due_at": now, "updated_at": now}},
        )
        result = await self.deliveries.update_many(citizen, {"$set": _SCRUBBED})
        return result.modified_count

    async def scrub(self, delivery_id: str) -> None:
        await self.deliveries.update_one({"_id": delivery_id}, {"$set": _SCRUBBED})

    async def hold(self, delivery: Delivery, now: datetime) -> bool:
        """Park a claimed entry as ``held``; the attempt it was claimed for is not counted."""
        result = await self.deliveries.update_one(
            {"_id": delivery.id, "status": Status.SENDING.value, "attempts": delivery.attempts},
            {
                "$set": {"status": Status.HELD.value, "due_at": None, "updated_at": now},
                "$inc": {"attempts": -1},
            },
        )
        return result.modified_count == 1

    async def release_held(
        self, channels: Collection[MessageChannel], now: datetime, held_since: datetime
    ) -> int:
        """Make held entries of these channels due now (the retry job sends them)."""
        if not channels:
            return 0
        result = await self.deliveries.update_many(
            {
                "status": Status.HELD.value,
                "channel": {"$in": [channel.value for channel in channels]},
                "created_at": {"$gte": held_since},
            },
            {"$set": {"status": Status.RETRYING.value, "due_at": now, "updated_at": now}},
        )
        return result.modified_count

    async def claim_expired_held(
        self, held_before: datetime, now: datetime, lease_s: float
    ) -> Delivery | None:
        doc = await self.deliveries.find_one_and_update(
            {"status": Status.HELD.value, "created_at": {"$lt": held_before}},
            {
                "$set": {
                    "status": Status.SENDING.value,
                    "due_at": now + timedelta(seconds=lease_s),
                    "updated_at": now,
                },
                "$inc": {"attempts": 1},
            },
            return_document=ReturnDocument.AFTER,
        )
        return _delivery(doc) if doc else None


class MongoDeferredEvents:
    """Events whose recipient the read model does not know yet, waiting for it."""

    def __init__(self, db: AsyncDatabase[Document], sealer: Sealer) -> None:
        self.events = db[DEFERRED]
        self.sealer = sealer

    async def park(self, envelope: Envelope, now: datetime, wait_s: float) -> None:
        # After an erasure the sealer drops the personal fields instead.
        data = await self.sealer.seal(envelope.type, envelope.data, envelope.subject)
        await self.events.update_one(
            {"_id": envelope.id},
            {
                "$setOnInsert": {
                    "envelope": envelope.model_copy(update={"data": data}).to_document(),
                    "give_up_at": now + timedelta(seconds=wait_s),
                    "due_at": now,
                }
            },
            upsert=True,
        )

    async def due(self, now: datetime, limit: int = 100) -> list[Parked]:
        cursor = self.events.find({"due_at": {"$lte": now}}, sort=[("due_at", 1)], limit=limit)
        return [
            Parked(
                await self.sealer.open_envelope(Envelope.model_validate(doc["envelope"])),
                doc["give_up_at"],
            )
            async for doc in cursor
        ]

    async def later(self, event_id: str, at: datetime) -> None:
        await self.events.update_one({"_id": event_id}, {"$set": {"due_at": at}})

    async def drop(self, event_id: str) -> None:
        await self.events.delete_one({"_id": event_id})

    async def erase_case(self, case_id: str) -> int:
        """Drop the case's parked events, as before they were kept sealed (older ones are clear)."""
        result = await self.events.delete_many(
            {
                "$or": [
                    {"envelope.data.case_id": case_id},
                    {"envelope.subject": f"case-{case_id}"},
                ]
            }
        )
        return result.deleted_count
