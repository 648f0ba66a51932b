"""At-least-once event consumers with dead-lettering.

Offsets are committed only after a record's handler has finished its writes
(FastStream's NACK_ON_ERROR policy: ack on success, seek back on error), and a
new consumer group starts from the earliest offset, so no event is skipped.
Redelivery after a crash is expected; handlers make it harmless by being
idempotent (deterministic commit ids, version-guarded projection upserts).

A record that can never be processed (not a CloudEvent, an unknown event type,
data that fails its schema, a handler that keeps failing on it) goes to the
dead-letter topic with the reason, and the partition moves on. A transient
outage of Kafka or MongoDB is retried with backoff, holding the partition, so
nothing is lost and order is kept.

Every group reads records in batches and handles a batch in lanes, one lane
per (partition, key) so that one stream's events keep their order, up to
``concurrency`` lanes at once. The batch's offsets are committed after every
lane finished; if one lane fails beyond its retries, the others still finish
(never cancelled inside a driver call) and every partition of the batch is
rewound to its first record, so nothing is committed past unhandled work
(what was handled comes again and is absorbed by the handlers' idempotence).

A group may give its handlers a scope shared by the batch (a projection's
:class:`inson_runtime.viewbatch.ViewBatch`: staged writes sent in bulk), made
before the batch is committed; if it cannot be, the batch is handled again
record by record, each with its own scope, so a failing write is one record's.
A partition moves to another member only once its batch is done
(:mod:`inson_runtime.rebalance`).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, overload

import structlog
from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage
from inson_contracts.envelope import Envelope, EnvelopeError, from_kafka
from inson_contracts.events import REGISTRY, Event, EventDataError, EventRegistry
from inson_contracts.topics import DEAD_LETTERS

from inson_runtime.backoff import Backoff
from inson_runtime.deadletters import dead_letter_envelope
from inson_runtime.eventstore import ConcurrencyConflict
from inson_runtime.handling import (
    E2,
    BatchAborted,
    BatchScope,
    E,
    Handler,
    HandlerOf,
    Unprocessable,
    for_class,
)
from inson_runtime.kafka import TRANSIENT_KAFKA_ERRORS, EventPublisher, record_lag
from inson_runtime.mongo import TRANSIENT_MONGO_ERRORS
from inson_runtime.observability.logging import log_context
from inson_runtime.observability.metrics import (
    DEAD_LETTERS as DEAD_LETTER_COUNT,
)
from inson_runtime.observability.metrics import EVENTS_CONSUMED, HANDLER_SECONDS
from inson_runtime.privacy import Sealer, SealError
from inson_runtime.rebalance import BatchesInFlight, FinishBeforeRevoke

__all__ = ["BatchAborted", "BatchScope", "EventConsumer", "Unprocessable", "for_class"]

log = structlog.get_logger(__name__)

TRANSIENT_ERRORS = (*TRANSIENT_MONGO_ERRORS, *TRANSIENT_KAFKA_ERRORS)


# A conflict means another lane (or process) appended to the same stream
# first: the handler loads it again and decides again. Retried after a short
# random pause (lanes that collided do not collide again in step) this many
# times before conflicts count as failures.
CONFLICT_RETRIES = 10
CONFLICT_PAUSE_S = 0.05


class EventConsumer:
    """One consumer group reading some topics and dispatching by event type."""

    def __init__(
        self,
        *,
        service: str,
        group_id: str,
        topics: tuple[str, ...],
        publisher: EventPublisher,
        registry: EventRegistry = REGISTRY,
        handler_attempts: int = 3,
        backoff: Backoff = Backoff(),
        sealer: Sealer | None = None,
        concurrency: int = 1,
        scope: Callable[[], BatchScope] | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.service = service
        self.group_id = group_id
        self.topics = topics
        self.publisher = publisher
        self.registry = registry
        self.handler_attempts = handler_attempts
        self.backoff = backoff
        # Opens sealed personal fields before the handler runs; without one
        # (or after an erasure) handlers get them as None.
        self.sealer = sealer
        self.concurrency = concurrency
        # Handlers then take the batch's scope as their third argument.
        self.scope = scope
        self.handlers: dict[str, Callable[..., Awaitable[None]]] = {}
        self.in_flight = BatchesInFlight()  # a partition moves once its batch is done

    @overload
    def on(self, event_class: type[E], /) -> Callable[[HandlerOf[E]], HandlerOf[E]]: ...

    @overload
    def on(
        self, first: type[E], second: type[E2], /
    ) -> Callable[[HandlerOf[E | E2]], HandlerOf[E | E2]]: ...

    @overload
    def on(self, *event_classes: type[Event]) -> Callable[[Handler], Handler]: ...

    def on(self, *event_classes: type[Any]) -> Callable[[Any], Any]:
        """Register ``handler`` for these event classes; it receives their instances.

        The handler is typed by the classes it is registered for, and the
        class is checked when it is called (see :func:`for_class`).
        """

        def register(handler: Any) -> Any:
            for cls in event_classes:
                if cls.TYPE in self.handlers:
                    raise ValueError(f"{cls.TYPE} already has a handler in {self.group_id}")
                self.handlers[cls.TYPE] = for_class(event_classes, handler)
            return handler

        return register

    def subscribe(self, broker: KafkaBroker, *, max_records: int = 100) -> None:
        """Attach this consumer to the broker (before the broker starts)."""

        @broker.subscriber(
            *self.topics,
            group_id=self.group_id,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            decoder=_raw_body,
            batch=True,
            max_records=max_records,
            batch_timeout_ms=100,
            listener=FinishBeforeRevoke(self.in_flight, self.group_id),
        )
        async def on_batch(bodies: Any, message: KafkaMessage) -> None:
            records = message.raw_message
            if not isinstance(records, tuple):
                raise TypeError(f"expected a batch of Kafka records, got {type(records).__name__}")
            async with self.in_flight.handling():
                await self.process_batch(records)
            last: dict[tuple[str, int], ConsumerRecord[Any, Any]] = {}
            for record in records:
                last[(record.topic, record.partition)] = record
            for record in last.values():
                record_lag(message, record, self.service, self.group_id)

    async def process_batch(self, records: Sequence[ConsumerRecord[Any, Any]]) -> list[str]:
        """Handle a batch in lanes (one per partition and key); outcomes in batch order.

        Raises, once every lane has finished, if a record may not be acked.
        """
        if self.scope is None:
            return await self._in_lanes(records, None)
        scope = self.scope()
        try:
            outcomes = await self._in_lanes(records, scope)
            await self._finish(scope)
        except BatchAborted as exc:
            log.warning("batch writes failed; handling the batch record by record", error=str(exc))
            return await self._in_lanes(records, None)
        return outcomes

    async def _in_lanes(
        self, records: Sequence[ConsumerRecord[Any, Any]], scope: BatchScope | None
    ) -> list[str]:
        lanes: dict[tuple[str, int, Any], list[int]] = {}
        for index, record in enumerate(records):
            lanes.setdefault((record.topic, record.partition, record.key), []).append(index)
        outcomes = [""] * len(records)
        slots = asyncio.Semaphore(self.concurrency)

        async def run(indexes: list[int]) -> None:
            async with slots:
                if scope is None:
                    for index in indexes:
                        outcomes[index] = await self.process(records[index])
                    return
                async with scope.lane():
                    for index in indexes:
                        outcomes[index] = await self.process(records[index], scope)

        # Every lane runs to its end even when another failed: cancelling a
        # lane inside a driver call can leave the driver's connection pool
        # waiting forever (seen after a store outage in the fault suite:
        # no connection, every operation waiting). What the other lanes
        # handled is redelivered after the rewind and absorbed.
        results = await asyncio.gather(
            *(run(indexes) for indexes in lanes.values()), return_exceptions=True
        )
        failures = [r for r in results if isinstance(r, BaseException)]
        # A failed shared write first: the batch is then handled again record by record.
        for failure in sorted(failures, key=lambda f: not isinstance(f, BatchAborted)):
            raise failure
        return outcomes

    async def _finish(self, scope: BatchScope) -> None:
        """Make the batch's shared writes, waiting out an outage of the store."""
        outages = 0
        while True:
            try:
                return await scope.finish()
            except TRANSIENT_ERRORS as exc:
                outages += 1
                delay = self.backoff.delay(outages)
                log.warning(
                    "store unavailable; retrying the batch", error=str(exc), retry_in_s=delay
                )
                await asyncio.sleep(delay)

    async def process(
        self, record: ConsumerRecord[Any, Any], scope: BatchScope | None = None
    ) -> str:
        """Handle one record; return the outcome. Raises only if nothing may be acked.

        ``scope`` is the batch's (its writes made later); without one, a group
        that has scopes gives the record its own, finished with the handler.
        """
        try:
            envelope = from_kafka(record.headers, record.value)
        except EnvelopeError as exc:
            return await self._dead_letter(record, None, f"not a CloudEvent: {exc}", exc)
        # An older version of a type is upcast by the registry, so it goes to
        # the handler of the current version.
        known = envelope.type in self.registry
        current = self.registry.current_type(envelope.type) if known else envelope.type
        handler = self.handlers.get(current)
        if handler is None:
            if known:
                # A known event this group has no interest in.
                self._count(record, envelope.type, "ignored")
                return "ignored"
            reason = f"unknown event type {envelope.type!r} (a newer producer?)"
            return await self._dead_letter(record, envelope, reason, None)
        if self.sealer is not None:
            try:
                envelope = await self._open(self.sealer, envelope)
            except SealError as exc:
                return await self._dead_letter(record, envelope, f"unreadable: {exc}", exc)
        try:
            event = self.registry.parse(envelope.type, envelope.data)
        except EventDataError as exc:
            return await self._dead_letter(record, envelope, f"invalid data: {exc}", exc)

        with log_context(
            event_id=envelope.id,
            event_type=envelope.type,
            correlation_id=envelope.correlationid,
            causation_id=envelope.causationid,
        ):
            return await self._run_handler(handler, event, envelope, record, scope)

    async def _open(self, sealer: Sealer, envelope: Envelope) -> Envelope:
        """Open the sealed fields; a store outage (the keys live there) is waited out."""
        outages = 0
        while True:
            try:
                return await sealer.open_envelope(envelope)
            except TRANSIENT_ERRORS as exc:
                outages += 1
                delay = self.backoff.delay(outages)
                log.warning("key store unavailable; retrying", error=str(exc), retry_in_s=delay)
                await asyncio.sleep(delay)

    async def _run_handler(
        self,
        handler: Callable[..., Awaitable[None]],
        event: Event,
        envelope: Envelope,
        record: ConsumerRecord[Any, Any],
        scope: BatchScope | None,
    ) -> str:
        failures = 0
        outages = 0
        conflicts = 0
        while True:
            started = time.perf_counter()
            try:
                await self._attempt(handler, event, envelope, scope)
            except BatchAborted:
                raise
            except TRANSIENT_ERRORS as exc:
                outages += 1
                delay = self.backoff.delay(outages)
                log.warning(
                    "store or broker unavailable; retrying", error=str(exc), retry_in_s=delay
                )
                await asyncio.sleep(delay)
                continue
            except Unprocessable as exc:
                return await self._dead_letter(record, envelope, f"unprocessable: {exc}", exc)
            except Exception as exc:
                if isinstance(exc, ConcurrencyConflict) and conflicts < CONFLICT_RETRIES:
                    conflicts += 1
                    await asyncio.sleep(random.uniform(0, CONFLICT_PAUSE_S))  # noqa: S311
                    continue
                failures += 1
                if failures >= self.handler_attempts:
                    log.exception("handler keeps failing; dead-lettering", attempts=failures)
                    reason = f"handler failed {failures} times: {type(exc).__name__}: {exc}"
                    return await self._dead_letter(record, envelope, reason, exc)
                await asyncio.sleep(self.backoff.delay(failures))
                continue
            HANDLER_SECONDS.labels(self.service, record.topic, envelope.type).observe(
                time.perf_counter() - started
            )
            self._count(record, envelope.type, "applied")
            return "applied"

    async def _attempt(
        self,
        handler: Callable[..., Awaitable[None]],
        event: Event,
        envelope: Envelope,
        scope: BatchScope | None,
    ) -> None:
        if self.scope is None:
            await handler(event, envelope)
        elif scope is not None:
            await handler(event, envelope, scope)
        else:
            # A scope of its own, finished here: a write it cannot make is
            # this record's failure, retried and dead-lettered as any other.
            own = self.scope()
            try:
                async with own.lane():
                    await handler(event, envelope, own)
                await own.finish()
            except BatchAborted as exc:
                cause = exc.__cause__
                raise cause if isinstance(cause, Exception) else RuntimeError(str(exc)) from None

    async def _dead_letter(
        self,
        record: ConsumerRecord[Any, Any],
        envelope: Envelope | None,
        reason: str,
        error: BaseException | None,
    ) -> str:
        dead = dead_letter_envelope(self.group_id, self.service, record, envelope, reason, error)
        # If this publish fails the exception propagates: the record is not
        # acked and will be redelivered, so it is never silently dropped.
        await self.publisher.publish(DEAD_LETTERS.name, [dead])
        log.error(
            "event dead-lettered",
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            reason=reason,
        )
        short_reason = reason.split(":", 1)[0]
        DEAD_LETTER_COUNT.labels(self.service, record.topic, short_reason).inc()
        self._count(record, envelope.type if envelope else "unreadable", "dead_lettered")
        return "dead_lettered"

    def _count(self, record: ConsumerRecord[Any, Any], event_type: str, outcome: str) -> None:
        EVENTS_CONSUMED.labels(self.service, record.topic, event_type, outcome).inc()


async def _raw_body(message: StreamMessage[Any]) -> bytes:
    # The envelope is decoded by us, so a malformed body reaches `process` and
    # is dead-lettered instead of failing inside FastStream and looping.
    return message.body
