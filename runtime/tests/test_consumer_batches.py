"""A group's batch: lanes share a scope, made after them; record by record on failure."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any

from aiokafka import ConsumerRecord
from inson_contracts.envelope import Envelope, to_kafka
from inson_contracts.events import EventDeadLettered
from inson_runtime.backoff import Backoff
from inson_runtime.consumer import BatchAborted, EventConsumer
from inson_runtime.eventstore import ConcurrencyConflict
from inson_runtime.testing import sample_event_class, sample_registry
from pymongo.errors import AutoReconnect

Sample = sample_event_class("test.batches")


class Publisher:
    def __init__(self) -> None:
        self.sent: list[Envelope] = []

    async def publish(self, topic: str, envelopes: Sequence[Envelope]) -> None:
        self.sent.extend(envelopes)


class Scope:
    """Stages what handlers give it; ``finish`` may fail as a store would."""

    made: list[list[tuple[str, int]]]

    def __init__(self, made: list[list[tuple[str, int]]], failures: list[BaseException]) -> None:
        self.made = made
        self.failures = failures
        self.staged: list[tuple[str, int]] = []
        self.lanes = 0

    @contextlib.asynccontextmanager
    async def lane(self) -> AsyncIterator[None]:
        self.lanes += 1
        yield

    async def finish(self) -> None:
        if self.failures:
            raise self.failures.pop(0)
        if any(key == "case-bad" for key, _ in self.staged):
            raise BatchAborted("a write was refused") from ValueError("refused by the store")
        self.made.append(list(self.staged))


def records(*keys_and_versions: tuple[str, int]) -> list[ConsumerRecord[Any, Any]]:
    out = []
    for offset, (key, version) in enumerate(keys_and_versions):
        envelope = Envelope(
            id=f"evt-{key}-{version}",
            source="inson/test",
            type=Sample.TYPE,
            time=datetime.now(UTC),
            subject=key,
            streamversion=version,
            data={"amount": version},
        )
        _, headers, body = to_kafka(envelope)
        out.append(
            ConsumerRecord(
                topic="test.batches",
                partition=0,
                offset=offset,
                timestamp=0,
                timestamp_type=0,
                key=key.encode(),
                value=body,
                checksum=None,
                serialized_key_size=len(key),
                serialized_value_size=len(body),
                headers=tuple((k, v.encode()) for k, v in headers.items()),
            )
        )
    return out


def scoped_consumer(
    publisher: Publisher, made: list[list[tuple[str, int]]], failures: list[BaseException]
) -> EventConsumer:
    consumer = EventConsumer(
        service="test",
        group_id="test.batches",
        topics=("test.batches",),
        publisher=publisher,  # type: ignore[arg-type]
        registry=sample_registry(Sample),
        backoff=Backoff(first_s=0.001, max_s=0.002),
        concurrency=100,
        scope=lambda: Scope(made, failures),
    )

    @consumer.on(Sample)
    async def stage(event: Any, envelope: Envelope, scope: Scope) -> None:
        scope.staged.append((envelope.subject or "", event.amount))

    return consumer


async def test_lanes_share_the_batch_scope_made_once_after_every_lane() -> None:
    made: list[list[tuple[str, int]]] = []
    consumer = scoped_consumer(Publisher(), made, [])
    batch = records(("case-1", 1), ("case-2", 1), ("case-1", 2), ("case-3", 1))

    assert await consumer.process_batch(batch) == ["applied"] * 4
    [written] = made
    assert [w for w in written if w[0] == "case-1"] == [("case-1", 1), ("case-1", 2)]
    assert sorted(written) == [("case-1", 1), ("case-1", 2), ("case-2", 1), ("case-3", 1)]


async def test_an_outage_while_writing_the_batch_is_waited_out() -> None:
    made: list[list[tuple[str, int]]] = []
    consumer = scoped_consumer(Publisher(), made, [AutoReconnect("down"), AutoReconnect("down")])

    assert await consumer.process_batch(records(("case-1", 1))) == ["applied"]
    assert made == [[("case-1", 1)]]


async def test_a_batch_that_cannot_be_written_is_handled_again_record_by_record() -> None:
    made: list[list[tuple[str, int]]] = []
    publisher = Publisher()
    failures: list[BaseException] = [BatchAborted("a write was refused")]
    consumer = scoped_consumer(publisher, made, failures)
    batch = records(("case-1", 1), ("case-2", 1))

    assert await consumer.process_batch(batch) == ["applied", "applied"]
    # Each record again with a scope of its own, made with its handler.
    assert sorted(made) == [[("case-1", 1)], [("case-2", 1)]]
    assert publisher.sent == []


async def test_a_record_whose_own_write_keeps_failing_is_dead_lettered_alone() -> None:
    made: list[list[tuple[str, int]]] = []
    publisher = Publisher()
    consumer = scoped_consumer(publisher, made, [])
    # The store refuses case-bad's write, in the batch and in its own scope.
    batch = records(("case-1", 1), ("case-bad", 1), ("case-2", 1))

    outcomes = await consumer.process_batch(batch)

    assert outcomes == ["applied", "dead_lettered", "applied"]
    [letter] = [EventDeadLettered.model_validate(e.data) for e in publisher.sent]
    assert letter.original_event_id == "evt-case-bad-1"
    assert letter.reason == "handler failed 3 times: ValueError: refused by the store"
    assert [("case-1", 1)] in made and [("case-2", 1)] in made


async def test_a_concurrency_conflict_is_decided_again_without_counting_as_a_failure() -> None:
    consumer = EventConsumer(
        service="test",
        group_id="test.conflicts",
        topics=("test.batches",),
        publisher=Publisher(),  # type: ignore[arg-type]
        registry=sample_registry(Sample),
        backoff=Backoff(first_s=0.001, max_s=0.002),
    )
    tries: list[int] = []

    @consumer.on(Sample)
    async def decide(event: Any, envelope: Envelope) -> None:
        tries.append(1)
        if len(tries) < 6:  # more than handler_attempts
            raise ConcurrencyConflict(envelope.subject or "", 1)

    assert await consumer.process_batch(records(("case-1", 1))) == ["applied"]
    assert len(tries) == 6
