"""Webhook deliveries: every event kept for replay, and one ordered queue per partner and case.

``partner_events`` keeps every event of the partner topics the service has
seen (``_id`` = event id, so a redelivered record is stored once). Replays
read it by time through an index rather than reading the topics again: a
replay of one subscription since Tuesday is one query, not a scan of every
partition from offset 0, and it needs no consumer group of its own.

``webhook_outbox`` holds one entry per (subscription, event); the queues
they form are described in ``domain/webhooks.py``.

Each entry carries its queue as one field, ``queue`` (subscription and
subject together), and the queue's reads go through that field's index. A
store that uses only the leading field of a compound index (FerretDB on
SQLite) would otherwise read every entry of the subscription to find one
queue's head: that cost grew with every event ever sent, and the fault
suite's 2,000 applications slowed all services through the shared store.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime
from typing import Any

from inson_contracts.envelope import Envelope
from inson_runtime.claims import Claims
from inson_runtime.mongo import Document
from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from notification.domain.subscriptions import Subscription
from notification.domain.webhooks import Entry, State, queue_key

PARTNER_EVENTS = "partner_events"
OUTBOX = "webhook_outbox"
MIGRATIONS = "migrations"
CLAIMS = "webhook_claims"
_QUEUE_FIELD_MIGRATION = "webhook_outbox.queue"
QUEUE_ORDER = [("version", ASCENDING), ("time", ASCENDING), ("event_id", ASCENDING)]


def _entry(doc: Document) -> Entry:
    return Entry(
        id=doc["_id"],
        subscription_id=doc["subscription_id"],
        subject=doc["subject"],
        event_id=doc["event_id"],
        event_type=doc["event_type"],
        version=doc["version"],
        time=doc["time"],
        state=State(doc["state"]),
        due_at=doc["due_at"],
        attempts=int(doc.get("attempts", 0)),
        first_attempt_at=doc.get("first_attempt_at"),
        generation=int(doc.get("generation", 0)),
        last_error=doc.get("last_error"),
        delivered_at=doc.get("delivered_at"),
        dead_at=doc.get("dead_at"),
    )


def _entry_id(subscription_id: str, event_id: str) -> str:
    return f"{subscription_id}:{event_id}"


def _claimed(head: Entry) -> str:
    """What an attempt claims: the entry in its generation (a replay starts a new one)."""
    return f"{head.id}@{head.generation}"


class MongoWebhookOutbox:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.events = db[PARTNER_EVENTS]
        self.entries = db[OUTBOX]
        self.migrations = db[MIGRATIONS]
        self.claims = Claims(db[CLAIMS])

    async def ensure_indexes(self) -> None:
        await self.claims.ensure_indexes()
        await self.events.create_index([("time", ASCENDING)])
        await self.entries.create_index([("state", ASCENDING), ("due_at", ASCENDING)])
        await self.entries.create_index([("queue", ASCENDING), ("state", ASCENDING), *QUEUE_ORDER])
        await self.entries.create_index(
            [("subscription_id", ASCENDING), ("state", ASCENDING), ("time", ASCENDING)]
        )
        await self._add_queue_field()

    async def _add_queue_field(self) -> None:
        """Give entries written before ``queue`` existed their queue, once per database."""
        if await self.migrations.find_one({"_id": _QUEUE_FIELD_MIGRATION}) is not None:
            return
        cursor = self.entries.find(
            {"queue": {"$exists": False}}, {"subscription_id": 1, "subject": 1}
        )
        async for doc in cursor:
            await self.entries.update_one(
                {"_id": doc["_id"]},
                {"$set": {"queue": queue_key(doc["subscription_id"], doc["subject"])}},
            )
        # Two replicas starting together both backfill; the writes are the same,
        # and an upsert that meets the other's insert (FerretDB) finds it done.
        with contextlib.suppress(DuplicateKeyError):
            await self.migrations.update_one(
                {"_id": _QUEUE_FIELD_MIGRATION}, {"$setOnInsert": {"done": True}}, upsert=True
            )

    async def remember(self, envelope: Envelope) -> None:
        await self.events.update_one(
            {"_id": envelope.id},
            {"$setOnInsert": {"envelope": envelope.to_document(), "time": envelope.time}},
            upsert=True,
        )

    async def envelope(self, event_id: str) -> Document | None:
        doc = await self.events.find_one({"_id": event_id})
        return doc["envelope"] if doc else None

    async def enqueue(self, subscription: Subscription, envelope: Envelope, now: datetime) -> None:
        """Queue the event for the subscription; a second enqueue changes nothing."""
        await self.entries.update_one(
            {"_id": _entry_id(subscription.id, envelope.id)},
            {"$setOnInsert": _new_entry(subscription, envelope, now)},
            upsert=True,
        )

    async def events_since(self, since: datetime) -> AsyncIterator[Envelope]:
        cursor = self.events.find({"time": {"$gte": since}}, sort=[("time", ASCENDING)])
        async for doc in cursor:
            yield Envelope.model_validate(doc["envelope"])

    async def requeue(self, subscription: Subscription, envelope: Envelope, now: datetime) -> None:
        fresh = _new_entry(subscription, envelope, now)
        again = {key: fresh.pop(key) for key in _RESET}
        del fresh["generation"]
        await self.entries.update_one(
            {"_id": _entry_id(subscription.id, envelope.id)},
            # A replay bumps the generation, so an attempt in flight now
            # cannot mark the re-queued entry delivered when it returns.
            {"$set": again, "$setOnInsert": fresh, "$inc": {"generation": 1}},
            upsert=True,
        )

    async def release(self, subscription_id: str, now: datetime) -> None:
        await self.entries.update_many(
            {
                "subscription_id": subscription_id,
                "state": {"$in": [State.DEAD.value, State.BLOCKED.value]},
            },
            {
                "$set": {
                    "state": State.PENDING.value,
                    "due_at": now,
                    "attempts": 0,
                    "first_attempt_at": None,
                }
            },
        )

    async def due_queues(self, now: datetime, limit: int = 500) -> list[tuple[str, str]]:
        """(subscription, subject) queues with an entry due, oldest due first."""
        cursor = self.entries.find(
            {
                "state": {"$in": [State.PENDING.value, State.DELIVERING.value]},
                "due_at": {"$lte": now},
            },
            {"subscription_id": 1, "subject": 1},
            sort=[("due_at", ASCENDING)],
            limit=limit,
        )
        queues: dict[tuple[str, str], None] = {}
        async for doc in cursor:
            queues[(doc["subscription_id"], doc["subject"])] = None
        return list(queues)

    async def head(self, subscription_id: str, subject: str) -> Entry | None:
        doc = await self.entries.find_one(
            {
                "queue": queue_key(subscription_id, subject),
                "state": {"$ne": State.DELIVERED.value},
            },
            sort=QUEUE_ORDER,
        )
        return _entry(doc) if doc else None

    async def hold_behind(self, head: Entry, until: datetime | None) -> None:
        """Park the rest of the head's queue: until ``until``, or blocked when None (dead)."""
        rest = {
            "queue": head.queue,
            "state": State.PENDING.value,
            "_id": {"$ne": head.id},
        }
        if until is None:
            await self.entries.update_many(rest, {"$set": {"state": State.BLOCKED.value}})
        else:
            rest["due_at"] = {"$lt": until}
            await self.entries.update_many(rest, {"$set": {"due_at": until}})

    async def claim(self, head: Entry, now: datetime, lease_s: float) -> Entry | None:
        """Take the head's next attempt; the head as claimed, or None if somebody holds it.

        Claimed by inserting the attempt's claim (:mod:`inson_runtime.claims`),
        not by a conditional update, which two replicas on FerretDB can both
        win: one attempt of a webhook in flight, from one process.
        """
        due = {
            "_id": head.id,
            "generation": head.generation,
            "state": {"$in": [State.PENDING.value, State.DELIVERING.value]},
            "due_at": {"$lte": now},
        }
        of = _claimed(head)
        claim = await self.claims.claim(of, head.attempts, now, lease_s, still=(self.entries, due))
        if claim is None:
            return None
        taken = {"state": State.DELIVERING.value, "due_at": claim.until}
        await self.entries.update_one({"_id": head.id}, {"$set": taken})
        # ``attempts`` counts those made before this one (a holder that died
        # made one, uncounted in the entry).
        return replace(head, state=State.DELIVERING, due_at=claim.until, attempts=claim.number - 1)

    async def delivered(self, head: Entry, now: datetime) -> None:
        await self._settle(
            head, now, {"state": State.DELIVERED.value, "delivered_at": now, "last_error": None}
        )

    async def failed(
        self,
        head: Entry,
        now: datetime,
        first_attempt_at: datetime,
        retry_at: datetime | None,
        error: str,
    ) -> None:
        update: dict[str, Any] = {"first_attempt_at": first_attempt_at, "last_error": error}
        if retry_at is None:
            update |= {"state": State.DEAD.value, "dead_at": now}
        else:
            update |= {"state": State.PENDING.value, "due_at": retry_at}
        await self._settle(head, now, update)

    async def _settle(self, head: Entry, now: datetime, update: dict[str, Any]) -> None:
        """Record the claimed attempt's result; ``head`` is the entry as claimed."""
        attempt = head.attempts + 1
        await self.entries.update_one(
            {"_id": head.id, "generation": head.generation, "state": State.DELIVERING.value},
            {"$set": update | {"attempts": attempt}},
        )
        await self.claims.finish(_claimed(head), attempt, now)

    async def page(
        self, subscription_id: str, state: State | None, *, skip: int, limit: int
    ) -> tuple[list[Entry], int]:
        query: dict[str, Any] = {"subscription_id": subscription_id}
        if state is not None:
            query["state"] = state.value
        total = await self.entries.count_documents(query)
        cursor = self.entries.find(
            query, sort=[("time", ASCENDING), ("_id", ASCENDING)], skip=skip, limit=limit
        )
        return [_entry(doc) async for doc in cursor], total

    async def counts(self, subscription_id: str) -> dict[str, int]:
        return {
            state.value: await self.entries.count_documents(
                {"subscription_id": subscription_id, "state": state.value}
            )
            for state in State
        }

    async def forget(self, subscription_id: str) -> None:
        await self.entries.delete_many({"subscription_id": subscription_id})


_RESET = ("state", "due_at", "attempts", "first_attempt_at", "last_error")


def _new_entry(subscription: Subscription, envelope: Envelope, now: datetime) -> Document:
    return {
        "subscription_id": subscription.id,
        "subject": envelope.subject,
        "queue": queue_key(subscription.id, envelope.subject),
        "event_id": envelope.id,
        "event_type": envelope.type,
        "version": envelope.streamversion or 0,
        "time": envelope.time,
        "state": State.PENDING.value,
        "due_at": now,
        "attempts": 0,
        "first_attempt_at": None,
        "last_error": None,
        "generation": 0,
    }
