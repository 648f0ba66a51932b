"""An append-only event store on MongoDB, without transactions.

One *commit* document per append holds every event of that append, so a
multi-event decision is written atomically by a single-document insert. A
unique index on (stream_id, first_version) makes two writers that loaded the
same version race for the same key: one wins, the other gets
:class:`ConcurrencyConflict` and may reload and retry.

Commits are immutable. Which of them still wait for Kafka is kept beside them
in a small *outbox* collection: one marker per commit, written before the
commit and deleted once the relay has published it (see
:mod:`inson_runtime.outbox`). The relay's sweep therefore reads the handful of
pending markers, never the whole, ever-growing commit collection: on
FerretDB v1, which uses no index for reads (BENCHMARKS.md), a query on the
commits costs a scan of all of them.

A marker without a commit (a crash between the two inserts, or an append that
lost a race) is harmless: the sweep drops it once it is old enough.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY, Event, EventRegistry
from inson_contracts.ids import new_event_id
from pymongo import ASCENDING, AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from inson_runtime.mongo import Document

if TYPE_CHECKING:
    from inson_runtime.privacy import Sealer


class ConcurrencyConflict(Exception):
    """Somebody appended to the stream since the caller loaded it."""

    def __init__(self, stream_id: str, expected_version: int) -> None:
        super().__init__(f"stream {stream_id!r} is past version {expected_version}")
        self.stream_id = stream_id
        self.expected_version = expected_version


class CorruptStream(Exception):
    """Stored commits of a stream do not form a gap-free sequence of versions."""


@dataclass(frozen=True)
class Causation:
    """Where a new event comes from: the command or event that caused it."""

    source: str
    correlation_id: str | None = None
    causation_id: str | None = None
    region: str | None = None
    district: str | None = None


@dataclass(frozen=True)
class Commit:
    commit_id: str
    stream_id: str
    first_version: int
    last_version: int
    topic: str
    events: tuple[Envelope, ...]

    @classmethod
    def from_document(cls, doc: Document) -> Commit:
        return cls(
            commit_id=doc["_id"],
            stream_id=doc["stream_id"],
            first_version=doc["first_version"],
            last_version=doc["last_version"],
            topic=doc["topic"],
            events=tuple(Envelope.model_validate(e) for e in doc["events"]),
        )


@dataclass(frozen=True)
class AppendResult:
    # The events as the caller wrote them (personal fields readable).
    commit: Commit
    # False when a commit with the same id already existed: the append had
    # been made before (a redelivered event) and nothing new was written.
    created: bool
    # The commit as stored, personal fields sealed: the only form that may be
    # published (the relay takes this one). The same as ``commit`` without a sealer.
    stored: Commit


class EventStore:
    def __init__(
        self,
        client: AsyncMongoClient[Document],
        database: str,
        *,
        collection: str = "event_commits",
        registry: EventRegistry = REGISTRY,
        sealer: Sealer | None = None,
    ) -> None:
        self.client = client
        self.commits: AsyncCollection[Document] = client[database][collection]
        self.outbox: AsyncCollection[Document] = client[database][f"{collection}_outbox"]
        self.registry = registry
        # With a sealer, personal fields are encrypted before they are stored,
        # so the store and Kafka (which gets the stored form) hold ciphertext.
        self.sealer = sealer

    async def ensure_indexes(self) -> None:
        await self.commits.create_index(
            [("stream_id", ASCENDING), ("first_version", ASCENDING)],
            unique=True,
            name="stream_version_unique",
        )
        await self.outbox.create_index([("stream_id", ASCENDING)], name="outbox_stream")

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[Event],
        causation: Causation,
        *,
        commit_id: str | None = None,
    ) -> AppendResult:
        """Append ``events`` after ``expected_version`` (0 for a new stream).

        ``commit_id`` makes the append idempotent: a handler reacting to event E
        passes an id derived from E, so a redelivered E finds its commit already
        there instead of appending the same effect twice.
        """
        now = datetime.now(UTC)
        commit = new_commit(
            stream_id,
            expected_version,
            events,
            causation,
            commit_id=commit_id,
            now=now,
            registry=self.registry,
        )
        stored = commit
        if self.sealer is not None:
            sealer = self.sealer
            sealed = [
                e.model_copy(update={"data": await sealer.seal(e.type, e.data, stream_id)})
                for e in commit.events
            ]
            stored = replace(commit, events=tuple(sealed))
        # The marker first: a commit must never exist without one, or a crash
        # right after the insert would leave it unpublished for good. Its time
        # is taken now, after sealing (which may have created a key): the sweep
        # leaves markers younger than its grace to the writer's own publish.
        marked = await self._mark_pending(commit, datetime.now(UTC))
        try:
            await self.commits.insert_one(_to_document(stored, now))
        except DuplicateKeyError:
            existing = await self.commit(commit.commit_id)
            if existing is not None:
                # Made before (a redelivered cause). If our marker went in, the
                # original's was gone: that commit is on Kafka already, and
                # the marker would only make the sweep send it again.
                if marked:
                    await self.outbox.delete_one({"_id": commit.commit_id})
                return AppendResult(await self.opened(existing), created=False, stored=existing)
            if marked:
                await self.outbox.delete_one({"_id": commit.commit_id})
            raise ConcurrencyConflict(stream_id, expected_version) from None
        return AppendResult(commit, created=True, stored=stored)

    async def _mark_pending(self, commit: Commit, now: datetime) -> bool:
        try:
            await self.outbox.insert_one(
                {
                    "_id": commit.commit_id,
                    "stream_id": commit.stream_id,
                    "first_version": commit.first_version,
                    "marked_at": now,
                }
            )
        except DuplicateKeyError:
            return False  # the same commit id is already pending
        return True

    async def load(self, stream_id: str, *, after_version: int = 0) -> list[Envelope]:
        """The stream's events in version order (after ``after_version``), opened.

        Personal fields are decrypted while their person's key exists; after
        an erasure they are absent (``REGISTRY.parse`` reads them as None).
        """
        cursor = self.commits.find(
            {"stream_id": stream_id, "last_version": {"$gt": after_version}},
            sort=[("first_version", ASCENDING)],
        )
        events: list[Envelope] = []
        expected = after_version + 1
        async for doc in cursor:
            commit = Commit.from_document(doc)
            for envelope in commit.events:
                if envelope.streamversion is None or envelope.streamversion < expected:
                    continue
                if envelope.streamversion != expected:
                    raise CorruptStream(
                        f"{stream_id}: expected version {expected}, found {envelope.streamversion}"
                    )
                if self.sealer is not None:
                    envelope = await self.sealer.open_envelope(envelope)
                events.append(envelope)
                expected += 1
        return events

    async def commit(self, commit_id: str, *, opened: bool = False) -> Commit | None:
        """The commit as stored (sealed: what is published), or ``opened`` as ``load`` gives it."""
        doc = await self.commits.find_one({"_id": commit_id})
        if doc is None:
            return None
        commit = Commit.from_document(doc)
        return await self.opened(commit) if opened else commit

    async def opened(self, commit: Commit) -> Commit:
        """``commit`` with its personal fields opened (None after an erasure)."""
        if self.sealer is None:
            return commit
        events = [await self.sealer.open_envelope(e) for e in commit.events]
        return replace(commit, events=tuple(events))

    async def version(self, stream_id: str) -> int:
        doc = await self.commits.find_one(
            {"stream_id": stream_id}, sort=[("first_version", -1)], projection={"last_version": 1}
        )
        return int(doc["last_version"]) if doc else 0

    async def unpublished(
        self, *, stream_id: str | None = None, older_than: datetime | None = None, limit: int = 500
    ) -> list[Commit]:
        """Commits not yet on Kafka, by stream and version (read from the outbox)."""
        commits, _ = await self.pending(stream_id=stream_id, older_than=older_than, limit=limit)
        return commits

    async def pending(
        self, *, stream_id: str | None = None, older_than: datetime | None = None, limit: int = 500
    ) -> tuple[list[Commit], list[Document]]:
        """The pending commits by stream and version, and the markers with no commit."""
        commits: list[Commit] = []
        orphans: list[Document] = []
        for marker in await self.pending_markers(
            stream_id=stream_id, older_than=older_than, limit=limit
        ):
            commit = await self.commit(marker["_id"])
            if commit is None:
                orphans.append(marker)
            else:
                commits.append(commit)
        commits.sort(key=lambda c: (c.stream_id, c.first_version))
        return commits, orphans

    async def is_pending(self, commit_id: str) -> bool:
        """Whether the commit still waits for the relay (its marker is there)."""
        return await self.outbox.find_one({"_id": commit_id}, projection={"_id": 1}) is not None

    async def pending_markers(
        self, *, stream_id: str | None = None, older_than: datetime | None = None, limit: int = 500
    ) -> list[Document]:
        query: dict[str, Any] = {}
        if stream_id is not None:
            query["stream_id"] = stream_id
        if older_than is not None:
            query["marked_at"] = {"$lt": older_than}
        cursor = self.outbox.find(query, sort=[("marked_at", ASCENDING)], limit=limit)
        return [doc async for doc in cursor]

    async def count_unpublished(self) -> int:
        return await self.outbox.count_documents({})

    async def mark_published(self, commit_ids: Sequence[str]) -> None:
        for commit_id in commit_ids:
            await self.outbox.delete_one({"_id": commit_id})


def new_commit(
    stream_id: str,
    expected_version: int,
    events: Sequence[Event],
    causation: Causation,
    *,
    commit_id: str | None,
    now: datetime,
    registry: EventRegistry = REGISTRY,
) -> Commit:
    """The commit an append of ``events`` after ``expected_version`` writes, checked.

    Shared by every store (MongoDB and the in-memory one of unit tests), so
    both refuse the same appends and stamp envelopes the same way.
    """
    if not events:
        raise ValueError("an append needs at least one event")
    if "." in stream_id or stream_id.startswith("$"):
        # Stream ids are used as field names in projections.
        raise ValueError(f"stream id {stream_id!r} may not contain '.' or start with '$'")
    for event in events:
        # Only the published language is published: an event class that is
        # not the registered one for its type would reach partners unchecked.
        if registry.class_for(type(event).TYPE) is not type(event):
            raise TypeError(f"{type(event).__name__} is not the registered class of its type")
    topics = {type(e).TOPIC for e in events}
    if len(topics) != 1:
        raise ValueError(f"one append goes to one topic, got {sorted(topics)}")
    envelopes = tuple(
        Envelope(
            id=new_event_id(),
            source=causation.source,
            type=type(event).TYPE,
            time=now,
            subject=stream_id,
            dataschema=type(event).dataschema(),
            correlationid=causation.correlation_id,
            causationid=causation.causation_id,
            streamversion=expected_version + i,
            region=causation.region,
            district=causation.district,
            data=event.model_dump(mode="json"),
        )
        for i, event in enumerate(events, start=1)
    )
    return Commit(
        commit_id=commit_id or envelopes[0].id,
        stream_id=stream_id,
        first_version=expected_version + 1,
        last_version=expected_version + len(events),
        topic=topics.pop(),
        events=envelopes,
    )


def _to_document(commit: Commit, now: datetime) -> Document:
    return {
        "_id": commit.commit_id,
        "stream_id": commit.stream_id,
        "first_version": commit.first_version,
        "last_version": commit.last_version,
        "topic": commit.topic,
        "events": [e.to_document() for e in commit.events],
        "committed_at": now,
    }
