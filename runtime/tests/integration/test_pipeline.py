"""Store -> outbox -> Kafka -> consumer -> projection, on the real broker and FerretDB.

Crashes are real: a child process is SIGKILLed at the point under test.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from inson_contracts.envelope import to_kafka
from inson_contracts.events import Event, EventDeadLettered
from inson_contracts.topics import DEAD_LETTERS
from inson_runtime.consumer import EventConsumer
from inson_runtime.eventstore import Causation, EventStore
from inson_runtime.kafka import EventPublisher, make_broker
from inson_runtime.outbox import OutboxRelay
from inson_runtime.projections import Projection, apply_at_version, rebuild
from inson_runtime.testing import (
    create_test_topic,
    end_offsets,
    read_envelopes,
    sample_event_class,
    sample_registry,
    wait_for,
)

pytestmark = pytest.mark.integration

HERE = Path(__file__).parent
CAUSE = Causation(source="inson/test")


@pytest.fixture
async def topic(kafka_bootstrap: str) -> str:
    return await create_test_topic(kafka_bootstrap)


@pytest.fixture
def sample(topic: str) -> type[Event]:
    return sample_event_class(topic)


@pytest.fixture
async def db(mongo_client, scratch_db):
    return mongo_client[scratch_db]


@pytest.fixture
async def store(mongo_client, scratch_db, sample) -> EventStore:
    store = EventStore(mongo_client, scratch_db, registry=sample_registry(sample))
    await store.ensure_indexes()
    return store


@pytest.fixture
async def broker(kafka_bootstrap: str) -> AsyncIterator[Any]:
    """A connected broker for publishing; consumers get brokers of their own."""
    broker = make_broker(kafka_bootstrap, client_id="test-publisher")
    await broker.connect()
    yield broker
    await broker.stop()


@pytest.fixture
def relay(store: EventStore, broker: Any) -> OutboxRelay:
    return OutboxRelay(store, EventPublisher(broker, service="test"), service="test")


def tally(topic: str, db: Any, sample: type[Event], seen: list[bool] | None = None) -> Projection:
    projection = Projection(name="tally", version=1, topics=(topic,), collections=("tally",))

    @projection.on(sample)
    async def count(event: Any, envelope: Any, into: Any) -> None:
        applied = await apply_at_version(
            into["tally"],
            envelope.subject,
            envelope,
            {"$inc": {"total": event.amount, "applied": 1}},
        )
        if seen is not None:
            seen.append(applied)

    return projection


@contextlib.asynccontextmanager
async def consuming(bootstrap: str, consumer: EventConsumer) -> AsyncIterator[None]:
    broker = make_broker(bootstrap, client_id=f"test-{consumer.group_id}")
    consumer.publisher = EventPublisher(broker, service="test")
    consumer.subscribe(broker)
    await broker.start()
    try:
        yield
    finally:
        await broker.stop()


def projection_consumer(
    projection: Projection, sample: type[Event], group: str, db: Any
) -> EventConsumer:
    consumer = projection.consumer(
        service="test",
        db=db,
        publisher=None,
        registry=sample_registry(sample),  # type: ignore[arg-type]
    )
    consumer.group_id = group
    return consumer


async def doc(db: Any, stream: str) -> dict[str, Any] | None:
    result: dict[str, Any] | None = await db["tally"].find_one({"_id": stream})
    return result


async def test_published_events_are_applied_once_even_when_delivered_twice(
    kafka_bootstrap, topic, sample, db, store, relay, broker
) -> None:
    streams = [f"case-{uuid.uuid4()}" for _ in range(3)]
    for stream in streams:
        await store.append(stream, 0, [sample(amount=2), sample(amount=3)], CAUSE)
        assert await relay.publish_stream(stream) == 1
    # Deliver every event a second time, as a relay that crashed after the
    # send but before marking the commit published would.
    for stream in streams:
        await EventPublisher(broker, service="test").publish(topic, await store.load(stream))

    seen: list[bool] = []
    consumer = projection_consumer(
        tally(topic, db, sample, seen), sample, f"g-{uuid.uuid4().hex}", db
    )
    async with consuming(kafka_bootstrap, consumer):
        for stream in streams:
            await store.append(stream, 2, [sample(amount=100)], CAUSE)
            await relay.publish_stream(stream)

        async def all_at_version_3() -> bool:
            docs = [await doc(db, s) for s in streams]
            return all(d is not None and d["_version"] == 3 for d in docs)

        await wait_for(all_at_version_3, what="three events per stream applied")

    for stream in streams:
        assert await doc(db, stream) == {"_id": stream, "_version": 3, "total": 105, "applied": 3}
    assert seen.count(True) == 9 and seen.count(False) == 6
    assert await store.unpublished() == []


async def test_a_crash_between_commit_and_publish_is_repaired_by_the_sweep(
    kafka_bootstrap, mongodb_url, scratch_db, topic, sample, db, store, relay
) -> None:
    stream = f"case-{uuid.uuid4()}"
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        str(HERE / "_crash_after_commit.py"),
        mongodb_url,
        scratch_db,
        topic,
        stream,
        stderr=subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(child.communicate(), timeout=60)
    assert child.returncode == -9, stderr.decode()
    assert len(await store.unpublished(stream_id=stream)) == 1
    assert await read_envelopes(kafka_bootstrap, topic) == []

    assert await relay.sweep_once() == 1
    assert await relay.sweep_once() == 0

    consumer = projection_consumer(tally(topic, db, sample), sample, f"g-{uuid.uuid4().hex}", db)
    async with consuming(kafka_bootstrap, consumer):
        await wait_for(lambda: _exists(db, stream), what="the swept event applied")
    assert await doc(db, stream) == {"_id": stream, "_version": 1, "total": 7, "applied": 1}
    assert len(await read_envelopes(kafka_bootstrap, topic)) == 1


async def _exists(db: Any, stream: str) -> bool:
    return await doc(db, stream) is not None


@pytest.mark.parametrize("concurrency", [1, 4], ids=["sequential", "lanes"])
async def test_a_crash_after_handling_before_the_offset_commit_has_no_double_effect(
    kafka_bootstrap, mongodb_url, scratch_db, topic, sample, db, store, relay, concurrency
) -> None:
    stream = f"case-{uuid.uuid4()}"
    await store.append(stream, 0, [sample(amount=5)], CAUSE)
    await relay.publish_stream(stream)
    group = f"g-{uuid.uuid4().hex}"

    child = await asyncio.create_subprocess_exec(
        sys.executable,
        str(HERE / "_crash_in_handler.py"),
        kafka_bootstrap,
        mongodb_url,
        scratch_db,
        topic,
        group,
        str(concurrency),
        stderr=subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(child.communicate(), timeout=60)
    assert child.returncode == -9, stderr.decode()
    assert (await doc(db, stream) or {}).get("applied") == 1

    # The same group again: the record was never committed, so it comes back.
    seen: list[bool] = []
    reactions: list[bool] = []
    consumer = EventConsumer(
        service="test",
        group_id=group,
        topics=(topic,),
        publisher=None,  # type: ignore[arg-type]
        registry=sample_registry(sample),
        concurrency=concurrency,
    )

    @consumer.on(sample)
    async def handle(event: Any, envelope: Any) -> None:
        seen.append(
            await apply_at_version(
                db["tally"], envelope.subject, envelope, {"$inc": {"applied": 1}}
            )
        )
        result = await store.append(
            f"reaction-{envelope.subject}",
            0,
            [sample(amount=event.amount, note="reaction")],
            Causation(source="inson/test", causation_id=envelope.id),
            commit_id=f"{group}:{envelope.id}",
        )
        reactions.append(result.created)

    async with consuming(kafka_bootstrap, consumer):
        await wait_for(lambda: _truthy(seen), what="the redelivered record")

    assert seen == [False], "the redelivered event must not be applied again"
    assert reactions == [False], "the reaction must not be appended again"
    assert (await doc(db, stream) or {}).get("applied") == 1
    assert len(await store.load(f"reaction-{stream}")) == 1


async def test_lanes_handle_streams_side_by_side_each_in_order_and_commit_every_batch(
    kafka_bootstrap, topic, sample, db, store, relay
) -> None:
    streams = [f"case-{uuid.uuid4()}" for _ in range(6)]
    for stream in streams:
        await store.append(stream, 0, [sample(amount=n) for n in range(1, 6)], CAUSE)
        await relay.publish_stream(stream)
    group = f"g-{uuid.uuid4().hex}"
    handled: dict[str, list[int]] = {s: [] for s in streams}
    in_flight = most = 0

    def lanes_consumer() -> EventConsumer:
        consumer = EventConsumer(
            service="test",
            group_id=group,
            topics=(topic,),
            publisher=None,  # type: ignore[arg-type]
            registry=sample_registry(sample),
            concurrency=3,
        )

        @consumer.on(sample)
        async def handle(event: Any, envelope: Any) -> None:
            nonlocal in_flight, most
            in_flight += 1
            most = max(most, in_flight)
            await asyncio.sleep(0.02)  # a store or gateway call
            handled[envelope.subject].append(envelope.streamversion)
            in_flight -= 1

        return consumer

    async def all_handled() -> bool:
        return all(len(versions) == 5 for versions in handled.values())

    async with consuming(kafka_bootstrap, lanes_consumer()):
        await wait_for(all_handled, what="every stream's five events")

    assert all(versions == [1, 2, 3, 4, 5] for versions in handled.values()), handled
    assert 1 < most <= 3
    # Committed: the same group again finds nothing left to read.
    for versions in handled.values():
        versions.clear()
    await store.append(streams[0], 5, [sample(amount=9)], CAUSE)
    await relay.publish_stream(streams[0])
    async with consuming(kafka_bootstrap, lanes_consumer()):
        await wait_for(lambda: _truthy(handled[streams[0]]), what="the new event")
        await asyncio.sleep(1)
    assert handled == {s: ([6] if s == streams[0] else []) for s in streams}


async def _truthy(items: list[Any]) -> bool:
    return bool(items)


@pytest.mark.parametrize("concurrency", [1, 4], ids=["sequential", "lanes"])
async def test_bad_records_are_dead_lettered_with_a_reason_and_the_partition_moves_on(
    kafka_bootstrap, topic, sample, db, store, relay, broker, concurrency
) -> None:
    stream = f"case-{uuid.uuid4()}"
    dlt_start = await end_offsets(kafka_bootstrap, DEAD_LETTERS.name)
    await store.append(stream, 0, [sample(amount=1)], CAUSE)
    good = (await store.load(stream))[0]
    _, headers, _ = to_kafka(good)
    key = stream.encode()
    await broker.publish(b"{not json", topic, key=key, headers=headers)
    await broker.publish(
        b'{"amount": 1}',
        topic,
        key=key,
        headers={**headers, "ce_type": "uz.inson.test.sample.recorded.v9"},
    )
    await broker.publish(b'{"amount": "many"}', topic, key=key, headers=headers)
    await broker.publish(
        b'{"amount": 1}', topic, key=key, headers={"content-type": "application/json"}
    )
    await relay.publish_stream(stream)

    group = f"g-{uuid.uuid4().hex}"
    consumer = projection_consumer(tally(topic, db, sample), sample, group, db)
    consumer.concurrency = concurrency
    async with consuming(kafka_bootstrap, consumer):
        await wait_for(lambda: _exists(db, stream), what="the good event after the bad ones")

    dead = await read_envelopes(
        kafka_bootstrap,
        DEAD_LETTERS.name,
        since=dlt_start,
        match=lambda e: e.data.get("consumer_group") == group,
    )
    letters = [EventDeadLettered.model_validate(e.data) for e, _ in dead]
    reasons = [letter.reason for letter in sorted(letters, key=lambda x: x.original_offset)]
    assert len(reasons) == 4
    assert reasons[0].startswith("not a CloudEvent: body is not JSON")
    assert reasons[1].startswith("unknown event type 'uz.inson.test.sample.recorded.v9'")
    assert reasons[2].startswith("invalid data:") and "amount" in reasons[2]
    assert reasons[3].startswith("not a CloudEvent: missing CloudEvents header(s): ce_id")
    assert letters[0].original_topic == topic and letters[0].original_value == "{not json"
    assert all(e.type == EventDeadLettered.TYPE for e, _ in dead)
    assert await doc(db, stream) == {"_id": stream, "_version": 1, "total": 1, "applied": 1}


async def test_a_rebuilt_projection_equals_the_live_one(
    kafka_bootstrap, topic, sample, db, store, relay, broker
) -> None:
    streams = [f"case-{uuid.uuid4()}" for _ in range(20)]
    for i, stream in enumerate(streams):
        await store.append(stream, 0, [sample(amount=i), sample(amount=1)], CAUSE)
        await store.append(stream, 2, [sample(amount=10)], CAUSE)
        await relay.publish_stream(stream)

    projection = tally(topic, db, sample)
    consumer = projection_consumer(projection, sample, f"g-{uuid.uuid4().hex}", db)
    async with consuming(kafka_bootstrap, consumer):

        async def all_applied() -> bool:
            return await db["tally"].count_documents({"_version": 3}) == len(streams)

        await wait_for(all_applied, what="the live projection to catch up")
    live = await db["tally"].find({}, sort=[("_id", 1)]).to_list()

    report = await rebuild(
        projection,
        db,
        bootstrap_servers=kafka_bootstrap,
        service="test",
        publisher=EventPublisher(broker, service="test"),
        registry=sample_registry(sample),
    )

    rebuilt = await db["tally"].find({}, sort=[("_id", 1)]).to_list()
    assert report.events == 60 and report.outcomes == {"applied": 60}
    assert rebuilt == live
    assert len(rebuilt) == 20


async def test_a_marker_whose_commit_never_came_is_dropped_once_old(store, relay) -> None:
    """A writer that died between the marker and the commit leaves an orphan."""
    stream = f"case-{uuid.uuid4()}"
    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    await store.outbox.insert_one(
        {"_id": "never-written", "stream_id": stream, "first_version": 1, "marked_at": long_ago}
    )
    recent = {"_id": "being-written", "stream_id": stream, "first_version": 1}
    await store.outbox.insert_one({**recent, "marked_at": datetime.now(UTC)})

    assert await relay.sweep_once(grace_s=0, orphan_after_s=60) == 0

    left = [m["_id"] for m in await store.pending_markers(stream_id=stream)]
    assert left == ["being-written"]  # a young one may still get its commit


async def test_a_commit_the_sweep_published_first_is_not_sent_again(
    kafka_bootstrap, store, relay, topic, sample
) -> None:
    """A slow writer whose marker the sweep already took must not publish a duplicate."""
    stream = f"case-{uuid.uuid4()}"
    appended = await store.append(stream, 0, [sample(amount=1)], CAUSE)
    assert await relay.sweep_once(grace_s=0) == 1  # the sweep is faster than the writer

    assert await relay.publish_stream(stream, appended.stored) == 0
    on_topic = await read_envelopes(kafka_bootstrap, topic, match=lambda e: e.subject == stream)
    assert len(on_topic) == 1


async def test_a_redelivered_append_leaves_no_marker_for_a_published_commit(store, sample) -> None:
    stream = f"case-{uuid.uuid4()}"
    cause = f"react:{uuid.uuid4()}"
    first = await store.append(stream, 0, [sample(amount=1)], CAUSE, commit_id=cause)
    await store.mark_published([first.commit.commit_id])

    again = await store.append(stream, 1, [sample(amount=1)], CAUSE, commit_id=cause)

    assert not again.created
    assert await store.pending_markers(stream_id=stream) == []
