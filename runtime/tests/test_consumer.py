"""EventConsumer decisions, with records built in memory (no broker)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from aiokafka import ConsumerRecord
from inson_contracts.envelope import Envelope, to_kafka
from inson_contracts.events import EventDeadLettered
from inson_contracts.topics import DEAD_LETTERS
from inson_runtime.backoff import Backoff
from inson_runtime.consumer import EventConsumer, Unprocessable
from inson_runtime.testing import sample_event_class, sample_registry
from pymongo.errors import AutoReconnect

Sample = sample_event_class("test.unit")


class RecordingPublisher:
    def __init__(self, fail: bool = False) -> None:
        self.sent: list[tuple[str, Envelope]] = []
        self.fail = fail

    async def publish(self, topic: str, envelopes: Sequence[Envelope]) -> None:
        if self.fail:
            raise ConnectionError("kafka is down")
        self.sent.extend((topic, e) for e in envelopes)


def record(
    value: bytes | None, headers: dict[str, str], offset: int = 7
) -> ConsumerRecord[Any, Any]:
    return ConsumerRecord(
        topic="test.unit",
        partition=1,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=b"case-1",
        value=value,
        checksum=None,
        serialized_key_size=6,
        serialized_value_size=len(value or b""),
        headers=tuple((k, v.encode()) for k, v in headers.items()),
    )


def sample_record(
    data: dict[str, Any] | None = None, event_type: str = Sample.TYPE
) -> ConsumerRecord[Any, Any]:
    envelope = Envelope(
        id="evt-1",
        source="inson/test",
        type=event_type,
        time=datetime.now(UTC),
        subject="case-1",
        streamversion=1,
        data=data or {"amount": 3},
    )
    _, headers, body = to_kafka(envelope)
    return record(body, headers)


def make_consumer(publisher: RecordingPublisher) -> EventConsumer:
    return EventConsumer(
        service="test",
        group_id="test.group",
        topics=("test.unit",),
        publisher=publisher,  # type: ignore[arg-type]
        registry=sample_registry(Sample),
        backoff=Backoff(first_s=0.001, max_s=0.002),
    )


def dead_letters(publisher: RecordingPublisher) -> list[EventDeadLettered]:
    assert all(topic == DEAD_LETTERS.name for topic, _ in publisher.sent)
    return [EventDeadLettered.model_validate(e.data) for _, e in publisher.sent]


async def test_a_valid_event_reaches_its_handler_once() -> None:
    publisher = RecordingPublisher()
    consumer = make_consumer(publisher)
    calls: list[int] = []

    @consumer.on(Sample)
    async def handle(event: Any, envelope: Envelope) -> None:
        calls.append(event.amount)

    assert await consumer.process(sample_record()) == "applied"
    assert calls == [3]
    assert publisher.sent == []


async def test_transient_store_errors_are_retried_until_the_handler_succeeds() -> None:
    consumer = make_consumer(RecordingPublisher())
    attempts: list[int] = []

    @consumer.on(Sample)
    async def handle(event: Any, envelope: Envelope) -> None:
        attempts.append(1)
        if len(attempts) < 5:
            raise AutoReconnect("ferretdb restarting")

    assert await consumer.process(sample_record()) == "applied"
    assert len(attempts) == 5


async def test_a_handler_that_keeps_failing_is_dead_lettered_after_its_attempts() -> None:
    publisher = RecordingPublisher()
    consumer = make_consumer(publisher)
    attempts: list[int] = []

    @consumer.on(Sample)
    async def handle(event: Any, envelope: Envelope) -> None:
        attempts.append(1)
        raise KeyError("no such window")

    assert await consumer.process(sample_record()) == "dead_lettered"
    assert len(attempts) == 3
    [letter] = dead_letters(publisher)
    assert letter.reason.startswith("handler failed 3 times: KeyError")
    assert letter.error_class == "KeyError"
    assert letter.original_event_id == "evt-1"
    assert (letter.original_topic, letter.original_partition, letter.original_offset) == (
        "test.unit",
        1,
        7,
    )


async def test_unprocessable_is_dead_lettered_at_once() -> None:
    publisher = RecordingPublisher()
    consumer = make_consumer(publisher)

    @consumer.on(Sample)
    async def handle(event: Any, envelope: Envelope) -> None:
        raise Unprocessable("referral for an unknown district")

    assert await consumer.process(sample_record()) == "dead_lettered"
    assert dead_letters(publisher)[0].reason == "unprocessable: referral for an unknown district"


async def test_unknown_types_and_bad_data_are_dead_lettered_known_unhandled_types_ignored() -> None:
    publisher = RecordingPublisher()
    consumer = make_consumer(publisher)  # no handler registered

    assert await consumer.process(sample_record()) == "ignored"
    assert (
        await consumer.process(sample_record(event_type="uz.inson.test.x.y.v2")) == "dead_lettered"
    )

    @consumer.on(Sample)
    async def handle(event: Any, envelope: Envelope) -> None:
        raise AssertionError("bad data must not reach the handler")

    assert await consumer.process(sample_record({"amount": "lots"})) == "dead_lettered"
    reasons = [letter.reason for letter in dead_letters(publisher)]
    assert reasons[0].startswith("unknown event type 'uz.inson.test.x.y.v2'")
    assert reasons[1].startswith("invalid data: uz.inson.test.sample.recorded.v1: amount")


async def test_binary_garbage_is_kept_whole_in_the_dead_letter() -> None:
    publisher = RecordingPublisher()
    consumer = make_consumer(publisher)

    assert await consumer.process(record(b"\xff\xfe", {"ce_id": "x"})) == "dead_lettered"
    [(_, envelope)] = publisher.sent
    letter = EventDeadLettered.model_validate(envelope.data)
    assert letter.original_value_encoding == "base64"
    assert letter.original_value == "//4="
    assert envelope.subject == "case-1"


async def test_the_same_record_dead_lettered_twice_gets_the_same_event_id() -> None:
    publisher = RecordingPublisher()
    consumer = make_consumer(publisher)
    garbage = record(b"{", {})

    await consumer.process(garbage)
    await consumer.process(garbage)

    assert publisher.sent[0][1].id == publisher.sent[1][1].id
    assert json.loads(json.dumps(publisher.sent[0][1].data))["consumer_group"] == "test.group"


async def test_when_the_dead_letter_cannot_be_written_the_record_is_not_acked() -> None:
    consumer = make_consumer(RecordingPublisher(fail=True))

    with pytest.raises(ConnectionError):
        await consumer.process(record(b"{", {}))


async def test_a_failing_lane_lets_the_others_finish_and_then_fails_the_batch() -> None:
    consumer = make_consumer(RecordingPublisher())
    consumer.concurrency = 4
    finished: list[int] = []

    async def process(record: ConsumerRecord[Any, Any]) -> str:
        if record.key == b"case-broken":
            raise ConnectionError("the dead letter could not be written")
        await asyncio.sleep(0.05)  # inside a driver call: must not be cancelled
        finished.append(record.offset)
        return "applied"

    consumer.process = process  # type: ignore[method-assign]
    keys = [b"case-1", b"case-broken", b"case-2"]
    batch = [replace(sample_record(), offset=n, key=key) for n, key in enumerate(keys)]

    with pytest.raises(ConnectionError):
        await consumer.process_batch(batch)
    assert sorted(finished) == [0, 2]


async def test_a_handler_never_runs_on_an_event_of_another_class() -> None:
    # A registry that parses the type to another class than the handler was
    # registered for (a miswiring): dead-lettered, not run on the wrong data,
    # even under python -O (this check is not an assert).
    publisher = RecordingPublisher()
    consumer = make_consumer(publisher)
    other = sample_event_class("test.unit")
    calls: list[Any] = []

    @consumer.on(other)
    async def handle(event: Any, envelope: Envelope) -> None:
        calls.append(event)

    assert await consumer.process(sample_record()) == "dead_lettered"
    assert calls == []
    [letter] = dead_letters(publisher)
    assert letter.reason.startswith("unprocessable: ")


def test_a_type_gets_one_handler_per_group() -> None:
    consumer = make_consumer(RecordingPublisher())

    @consumer.on(Sample)
    async def first(event: Any, envelope: Envelope) -> None: ...

    with pytest.raises(ValueError, match="already has a handler"):

        @consumer.on(Sample)
        async def second(event: Any, envelope: Envelope) -> None: ...
