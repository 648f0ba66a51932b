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
once the channel is configured.

**Addresses apart.** Where a message goes and its parameters live in
``delivery_addresses`` (same ``_id``), a document inserted once and deleted
on erasure, never updated. FerretDB on SQLite could lose one of two
concurrent updates of a document (17 pairs in 200 in a probe): an erasure that blanked the
address in the entry itself was undone now and then by the notifier settling
the same entry at that moment, and the phone came back. A deleted document
does not come back. The address is written first, its entry second. A crash
in between leaves an address without an entry: the event's offset was not
committed, so it is read again, finds no entry, and writes the entry to the
address already there; an erasure deletes such an address with the case's
others. The other order lost the message: the redelivered event found the
entry, took it for planned, and the retry job gave it up for want of an
address (the fault campaign, seed 511978). An erasure deletes the citizen's
addresses and makes what still waits due at once: the retry job then finds
the person erased and gives those up through the one path every message
takes. Entries of an older release carry their address inline and are
blanked in place.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from inson_contracts.codes.names import Language
from inson_contracts.envelope import Envelope
from inson_contracts.events.notification import MessageChannel, RecipientKind
from inson_runtime.claims import Claims
from inson_runtime.mongo import Document
from inson_runtime.privacy import Sealer
from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from notification.domain.deliveries import Delivery, LoggedDelivery, Outcome, Parked, Status
from notification.domain.templates import Template

DELIVERIES = "deliveries"
ADDRESSES = "delivery_addresses"
DEFERRED = "deferred_events"
CLAIMS = "delivery_claims"
# Entries looked at per claim: enough that one held by another replica is passed over.
_CANDIDATES = 20
_PERSONAL = ("address", "params")


def _delivery_document(delivery: Delivery) -> Document:
    doc = {k: v for k, v in delivery.__dict__.items() if k not in _PERSONAL}
    doc["_id"] = doc.pop("id")
    return doc


def _address_document(delivery: Delivery) -> Document:
    return {
        "_id": delivery.id,
        "case_id": delivery.case_id,
        "kind": delivery.kind.value,
        "address": delivery.address,
        "params": delivery.params,
    }


def _delivery(doc: Document, address: Document | None = None) -> Delivery:
    """The entry with its address; blank when there is none (erased, or lost in a crash)."""
    fields: dict[str, Any] = {k: doc.get(k) for k in Delivery.__dataclass_fields__ if k != "id"}
    found = address or doc  # an older release's entry carries them inline
    fields["address"] = found.get("address") or ""
    fields["params"] = found.get("params") or {}
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


def _logged(doc: Document, address: Document | None) -> LoggedDelivery:
    outcomes = tuple(_outcome(o) for o in doc.get("outcomes", []))
    return LoggedDelivery(_delivery(doc, address), outcomes, int(doc.get("recorded", 0)))


class MongoDeliveryLog:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.deliveries = db[DELIVERIES]
        self.addresses = db[ADDRESSES]
        self.claims = Claims(db[CLAIMS])

    async def _address(self, delivery_id: str) -> Document | None:
        return await self.addresses.find_one({"_id": delivery_id})

    async def _with_address(self, doc: Document | None) -> Delivery | None:
        return _delivery(doc, await self._address(doc["_id"])) if doc else None

    async def ensure_indexes(self) -> None:
        await self.claims.ensure_indexes()
        await self.addresses.create_index([("case_id", ASCENDING)])
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
        """Write the address, then the entry as ``sending``; False if the entry existed.

        The address goes first so that an entry never lacks one for want of
        a write (see the module's note).
        """
        try:
            await self.addresses.insert_one(_address_document(delivery))
            wrote_address = True
        except DuplicateKeyError:
            # Written before a crash, or by a driver's retry of this very write.
            wrote_address = False
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
            if wrote_address:
                # The entry was there without an address: erased or scrubbed
                # since, or written by an older release. It stays without.
                await self.addresses.delete_one({"_id": delivery.id})
            return False
        return True

    async def claim_due(self, now: datetime, lease_s: float) -> Delivery | None:
        """Take one entry whose retry is due or whose sender's lease ran out."""
        due = {"status": {"$in": [Status.SENDING.value, Status.RETRYING.value]}}
        return await self._claim(due | {"due_at": {"$lte": now}}, now, lease_s)

    async def _claim(self, query: Document, now: datetime, lease_s: float) -> Delivery | None:
        """Claim the next attempt of the first entry matching ``query`` that nobody holds.

        The attempt is claimed by inserting its claim (:mod:`inson_runtime.claims`),
        never by a conditional update, which two replicas on FerretDB can
        both win: one message, one sender at a time.
        """
        candidates = self.deliveries.find(query, sort=[("due_at", ASCENDING)], limit=_CANDIDATES)
        for doc in await candidates.to_list():
            entry = {"_id": doc["_id"]} | query
            counted = int(doc.get("attempts", 1))
            claim = await self.claims.claim(
                doc["_id"], counted, now, lease_s, still=(self.deliveries, entry)
            )
            if claim is None:
                continue
            # Only the claim's holder writes the entry until it settles it.
            taken = {
                "status": Status.SENDING.value,
                "due_at": claim.until,
                "updated_at": now,
                "attempts": claim.number,
            }
            await self.deliveries.update_one({"_id": doc["_id"]}, {"$set": taken})
            return await self._with_address(doc | taken)
        return None

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
        # Its attempt's claim (none for the first, made as the entry was
        # written) is done: the retry may be claimed when it is due.
        await self.claims.finish(delivery.id, delivery.attempts, outcome.at)
        return result.modified_count == 1

    async def get(self, delivery_id: str) -> LoggedDelivery | None:
        doc = await self.deliveries.find_one({"_id": delivery_id})
        return _logged(doc, await self._address(delivery_id)) if doc else None

    async def unrecorded(self, older_than: datetime, limit: int = 100) -> list[LoggedDelivery]:
        cursor = self.deliveries.find(
            {"unrecorded": True, "updated_at": {"$lte": older_than}}, limit=limit
        )
        return [_logged(doc, await self._address(doc["_id"])) async for doc in cursor]

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
        deleted = await self.addresses.delete_many(citizen)
        await self.deliveries.update_many(
            citizen | {"status": {"$in": [Status.RETRYING.value, Status.HELD.value]}},
            {"$set": {"status": Status.RETRYING.value, "due_at": now, "updated_at": now}},
        )
        # Entries of an older release, with the address inline (only those:
        # an update of a new entry could undo the notifier's concurrent one).
        inline = await self.deliveries.update_many(
            citizen | {"address": {"$exists": True, "$ne": ""}},
            {"$set": {"address": "", "params": {}}},
        )
        return deleted.deleted_count + inline.modified_count

    async def scrub(self, delivery_id: str) -> None:
        await self.addresses.delete_one({"_id": delivery_id})
        # An older release's entry: its inline address, blanked in place.
        await self.deliveries.update_one(
            {"_id": delivery_id, "address": {"$exists": True, "$ne": ""}},
            {"$set": {"address": "", "params": {}}},
        )

    async def hold(self, delivery: Delivery, now: datetime) -> bool:
        """Park a claimed entry as ``held``; the attempt it was claimed for is not counted."""
        result = await self.deliveries.update_one(
            {"_id": delivery.id, "status": Status.SENDING.value, "attempts": delivery.attempts},
            {
                "$set": {"status": Status.HELD.value, "due_at": None, "updated_at": now},
                "$inc": {"attempts": -1},
            },
        )
        # Uncounted: the attempt's number is claimed again once it is released.
        await self.claims.release(delivery.id, delivery.attempts)
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
        held = {"status": Status.HELD.value, "created_at": {"$lt": held_before}}
        return await self._claim(held, now, lease_s)


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
