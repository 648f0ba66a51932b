"""Read models built from topics, live or rebuilt from scratch by replay.

A projection is a named set of event handlers writing to collections it owns.
It is declared at module level and its handlers are module-level functions
taking the event (of the class they are registered for), its envelope and the
batch it is handled in (:class:`inson_runtime.viewbatch.ViewBatch`), on which
they stage their writes; the runtime sends a batch's writes in bulk:

    case_files = Projection(name="case-files", version=1, topics=(...), collections=(...))

    @case_files.on(SocialWorkerAssigned)
    async def assigned(event: SocialWorkerAssigned, envelope: Envelope, batch: ViewBatch) -> None:
        batch.at_version(CASE_FILES, event.case_id, envelope, {"$set": {...}})

Live, it runs as its own consumer group; a rebuild drops its collections and
replays its topics from the first offset to the end offsets seen at start, in
the same batches.

Idempotency: a read-model document that follows one stream records the stream
version it has applied (``_version``); ``at_version`` (and
:func:`apply_at_version`, for a handler writing at once) only moves it
forward, so a redelivered or replayed event changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, overload

import structlog
from aiokafka import AIOKafkaConsumer
from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY, Event, EventRegistry
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from inson_runtime.consumer import EventConsumer, for_class
from inson_runtime.kafka import (
    PLAINTEXT,
    EventPublisher,
    KafkaSecurity,
    partitions_of,
    stop_reader,
)
from inson_runtime.mongo import Document
from inson_runtime.privacy import Sealer
from inson_runtime.viewbatch import ViewBatch

log = structlog.get_logger(__name__)

Database = AsyncDatabase[Document]
E = TypeVar("E", bound=Event)
E2 = TypeVar("E2", bound=Event)
ProjectionHandler = Callable[[Event, Envelope, ViewBatch], Awaitable[None]]
# A handler of one event class, called with instances of that class only.
ProjectionHandlerOf = Callable[[E, Envelope, ViewBatch], Awaitable[None]]
# A projection's lanes wait on nothing but their batch (and the key store),
# so all of a batch's lanes run at once: their reads and writes go together.
LANES = 10_000


async def apply_at_version(
    collection: AsyncCollection[Document],
    doc_id: str,
    envelope: Envelope,
    update: dict[str, Any],
    *,
    version_field: str = "_version",
) -> bool:
    """Apply ``update`` to the document once per stream version; True if applied.

    The filter matches only a document behind this event's version; when none
    matches, the upsert tries to insert ``doc_id`` again and the unique _id
    index refuses it: the event was applied before. A document fed by more
    than one stream keeps a version per stream (``version_field`` such as
    ``_versions.<stream id>``).
    """
    version = envelope.streamversion
    if version is None:
        raise ValueError("apply_at_version needs an event with a stream version")
    update = {key: dict(value) for key, value in update.items()}
    update.setdefault("$set", {})[version_field] = version
    behind = [{version_field: {"$lt": version}}, {version_field: {"$exists": False}}]
    try:
        result = await collection.update_one({"_id": doc_id, "$or": behind}, update, upsert=True)
    except DuplicateKeyError:
        return False
    return result.modified_count == 1 or result.upserted_id is not None


@dataclass
class Projection:
    """A read model: which topics it reads, which collections it owns."""

    name: str
    version: int
    topics: tuple[str, ...]
    collections: tuple[str, ...]
    handlers: dict[str, ProjectionHandler] = field(default_factory=dict)

    @overload
    def on(
        self, event_class: type[E], /
    ) -> Callable[[ProjectionHandlerOf[E]], ProjectionHandlerOf[E]]: ...

    @overload
    def on(
        self, first: type[E], second: type[E2], /
    ) -> Callable[[ProjectionHandlerOf[E | E2]], ProjectionHandlerOf[E | E2]]: ...

    def on(self, *event_classes: type[Any]) -> Callable[[Any], Any]:
        def register(handler: Any) -> Any:
            for cls in event_classes:
                if cls.TYPE in self.handlers:
                    raise ValueError(f"{cls.TYPE} already has a handler in {self.name}")
                self.handlers[cls.TYPE] = for_class(event_classes, handler)
            return handler

        return register

    def group_id(self, service: str) -> str:
        # A new version of a projection is a new group: it rebuilds from the
        # start while the old one keeps serving.
        return f"{service}.projection.{self.name}.v{self.version}"

    def consumer(
        self,
        *,
        service: str,
        db: Database,
        publisher: EventPublisher,
        registry: EventRegistry = REGISTRY,
        sealer: Sealer | None = None,
    ) -> EventConsumer:
        consumer = EventConsumer(
            service=service,
            group_id=self.group_id(service),
            topics=self.topics,
            publisher=publisher,
            registry=registry,
            sealer=sealer,
            concurrency=LANES,
            scope=lambda: ViewBatch(db),
        )
        consumer.handlers.update(self.handlers)
        return consumer

    async def apply(self, event: Event, envelope: Envelope, db: Database) -> None:
        """Apply one event as the live consumer would (for tests; ignored if not handled)."""
        handler = self.handlers.get(event.TYPE)
        if handler is not None:
            batch = ViewBatch(db)
            async with batch.lane():
                await handler(event, envelope, batch)
            await batch.finish()


@dataclass(frozen=True)
class RebuildReport:
    events: int
    seconds: float
    outcomes: dict[str, int]

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


async def rebuild(
    projection: Projection,
    db: AsyncDatabase[Document],
    *,
    bootstrap_servers: str,
    service: str,
    publisher: EventPublisher,
    registry: EventRegistry = REGISTRY,
    batch: int = 2000,
    security: KafkaSecurity = PLAINTEXT,
    sealer: Sealer | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RebuildReport:
    """Drop the projection's collections and replay its topics into them.

    Reads without a consumer group, so the live group's offsets are untouched,
    and streams the topics in batches of up to ``batch`` records, each written
    as the live consumer writes one (in bulk). Bad records are dead-lettered
    exactly as the live consumer would. ``progress(done, total)`` is told the
    events replayed so far after every batch.
    """
    for name in projection.collections:
        await db.drop_collection(name)
    consumer = projection.consumer(
        service=service, db=db, publisher=publisher, registry=registry, sealer=sealer
    )
    reader = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        client_id=f"{service}-rebuild-{projection.name}",
        **security.for_aiokafka(),
    )
    await reader.start()
    outcomes: dict[str, int] = {}
    started = time.perf_counter()
    try:
        partitions = [
            tp for topic in projection.topics for tp in await partitions_of(reader, topic)
        ]
        reader.assign(partitions)
        await reader.seek_to_beginning(*partitions)
        first = await reader.beginning_offsets(partitions)
        end = await reader.end_offsets(partitions)
        total = sum(end[tp] - first[tp] for tp in partitions)
        done = 0
        if progress is not None:
            progress(done, total)
        remaining = {tp for tp in partitions if end[tp] > first[tp]}
        while remaining:
            fetched = await reader.getmany(*remaining, timeout_ms=1000, max_records=batch)
            records = [
                record for tp, part in fetched.items() for record in part if record.offset < end[tp]
            ]
            for outcome in await consumer.process_batch(records):
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
            done += len(records)
            if progress is not None and records:
                progress(done, total)
            for tp in list(remaining):
                if await reader.position(tp) >= end[tp]:
                    remaining.discard(tp)
    finally:
        await stop_reader(reader)
    report = RebuildReport(sum(outcomes.values()), time.perf_counter() - started, outcomes)
    log.info(
        "projection rebuilt",
        projection=projection.name,
        events=report.events,
        seconds=round(report.seconds, 3),
        outcomes=outcomes,
    )
    return report
