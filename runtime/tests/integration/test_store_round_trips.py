"""The event store's round trips, counted on the real FerretDB: a load is one query,
an append one insert (its outbox marker inside), concurrent ones share a round
trip, and published commits' markers are removed together in one write."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from inson_contracts.events import Event
from inson_runtime.eventstore import Causation, ConcurrencyConflict, EventStore
from inson_runtime.journal import PublishingJournal
from inson_runtime.kafka import EventPublisher, make_broker
from inson_runtime.outbox import OutboxRelay
from inson_runtime.testing import create_test_topic, read_envelopes, sample_event_class
from inson_runtime.testing import sample_registry as registry_of
from pymongo import AsyncMongoClient, monitoring

pytestmark = pytest.mark.integration

CAUSE = Causation(source="inson/test")


class Commands(monitoring.CommandListener):
    """Every command a client sends: (name, collection)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.sent.append((event.command_name, str(event.command.get(event.command_name))))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    def take(self) -> list[tuple[str, str]]:
        sent, self.sent = self.sent, []
        return sent


@pytest.fixture
def commands() -> Commands:
    return Commands()


@pytest.fixture
async def counted(mongodb_url: str, commands: Commands) -> AsyncIterator[AsyncMongoClient[Any]]:
    client: AsyncMongoClient[Any] = AsyncMongoClient(
        mongodb_url, tz_aware=True, uuidRepresentation="standard", event_listeners=[commands]
    )
    yield client
    await client.close()


@pytest.fixture
async def topic(kafka_bootstrap: str) -> str:
    return await create_test_topic(kafka_bootstrap)


@pytest.fixture
def sample(topic: str) -> type[Event]:
    return sample_event_class(topic)


@pytest.fixture
async def store(counted, scratch_db, sample, commands) -> EventStore:
    store = EventStore(counted, scratch_db, registry=registry_of(sample))
    await store.ensure_indexes()
    commands.take()
    return store


@pytest.fixture
async def relay(kafka_bootstrap: str, store: EventStore) -> AsyncIterator[OutboxRelay]:
    broker = make_broker(kafka_bootstrap, client_id="test-round-trips")
    await broker.connect()
    relay = OutboxRelay(
        store, EventPublisher(broker, service="test"), service="test", clear_linger_s=0.05
    )
    yield relay
    await relay.close()
    await broker.stop()


async def test_an_append_is_one_insert_with_its_marker_and_a_load_one_query(
    store: EventStore, sample, commands: Commands
) -> None:
    stream = f"case-{uuid.uuid4()}"
    result = await store.append(stream, 0, [sample(amount=1), sample(amount=2)], CAUSE)
    assert commands.take() == [("insert", "event_commits")]
    doc = await store.commits.find_one({"_id": result.commit.commit_id})
    assert doc is not None and doc["pending"] is True
    commands.take()

    assert [e.data["amount"] for e in await store.load(stream)] == [1, 2]
    assert commands.take() == [("find", "event_commits")]


async def test_a_hop_is_a_load_and_an_insert_and_markers_are_cleared_together(
    store: EventStore, relay: OutboxRelay, sample, commands: Commands, kafka_bootstrap, topic
) -> None:
    # Longer than the test takes on a loaded machine: the markers wait for the
    # flushes below, never for a timer. Set before the first publish: the
    # clearing task the first round starts sleeps the linger it read then, and
    # with the fixture's 0.05 s it woke mid-way through the hops below once (CI).
    relay.clear_linger_s = 30.0
    streams = [f"case-{uuid.uuid4()}" for _ in range(3)]
    for stream in streams:
        first = await store.append(stream, 0, [sample(amount=1)], CAUSE)
        await relay.publish_stream(stream, first.stored)
    await relay.flush()
    commands.take()

    for stream in streams:  # consume -> load -> append -> publish, three times
        version = len(await store.load(stream))
        result = await store.append(stream, version, [sample(amount=2)], CAUSE)
        assert await relay.publish_stream(stream, result.stored) == 1
    assert commands.take() == [("find", "event_commits"), ("insert", "event_commits")] * 3
    await relay.flush()  # what the linger's end does: one write removes the three markers

    assert commands.take() == [("update", "event_commits")]
    assert await store.unpublished() == []
    on_topic = await read_envelopes(kafka_bootstrap, topic)
    assert sorted((e.subject, e.streamversion) for e, _ in on_topic) == sorted(
        (s, v) for s in streams for v in (1, 2)
    )


async def test_concurrent_loads_and_appends_share_one_round_trip_each(
    store: EventStore, sample, commands: Commands
) -> None:
    streams = [f"case-{uuid.uuid4()}" for _ in range(5)]
    appended = await asyncio.gather(
        *(store.append(s, 0, [sample(amount=i)], CAUSE) for i, s in enumerate(streams))
    )
    assert all(r.created for r in appended)
    assert commands.take() == [("insert", "event_commits")]

    loaded = await asyncio.gather(*(store.load(s) for s in streams))

    assert commands.take() == [("find", "event_commits")]
    assert [[e.data["amount"] for e in events] for events in loaded] == [[i] for i in range(5)]
    assert [e.subject for events in loaded for e in events] == streams


async def test_each_append_of_a_shared_insert_gets_its_own_outcome(
    store: EventStore, sample, commands: Commands
) -> None:
    taken, again, fresh = (f"case-{uuid.uuid4()}" for _ in range(3))
    await store.append(taken, 0, [sample(amount=1)], CAUSE)
    first = await store.append(again, 0, [sample(amount=1)], CAUSE, commit_id=f"react:{again}")
    commands.take()

    lost, redelivered, new = await asyncio.gather(
        store.append(taken, 0, [sample(amount=2)], CAUSE),
        store.append(again, 1, [sample(amount=1)], CAUSE, commit_id=f"react:{again}"),
        store.append(fresh, 0, [sample(amount=3)], CAUSE),
        return_exceptions=True,
    )

    assert isinstance(lost, ConcurrencyConflict) and lost.stream_id == taken
    assert not isinstance(redelivered, BaseException) and not redelivered.created
    assert redelivered.commit.commit_id == first.commit.commit_id
    assert not isinstance(new, BaseException) and new.created
    # One insert for the three; one read tells a seen commit id from a lost race.
    assert commands.take() == [("insert", "event_commits"), ("find", "event_commits")]
    assert [c.stream_id for c in await store.unpublished()] == sorted([taken, again, fresh])


async def test_a_redelivered_cause_whose_commit_is_on_kafka_reads_no_outbox(
    store: EventStore, relay: OutboxRelay, sample, commands: Commands, kafka_bootstrap, topic
) -> None:
    journal = PublishingJournal(store, relay, publish_timeout_s=5.0)
    stream = f"case-{uuid.uuid4()}"
    first = await journal.record(stream, 0, [sample(amount=1)], CAUSE, commit_id="react:e1")
    await relay.flush()
    commands.take()

    again = await journal.record(stream, 0, [sample(amount=1)], CAUSE, commit_id="react:e1")

    assert first.created and not again.created
    # The insert that finds the id taken, and the read of the commit made before.
    assert commands.take() == [("insert", "event_commits"), ("find", "event_commits")]
    on_topic = await read_envelopes(kafka_bootstrap, topic, match=lambda e: e.subject == stream)
    assert len(on_topic) == 1


async def test_a_load_tells_the_relay_whether_the_stream_is_on_kafka(
    store: EventStore, relay: OutboxRelay, sample, counted, scratch_db
) -> None:
    stream, waiting = f"case-{uuid.uuid4()}", f"case-{uuid.uuid4()}"
    first = await store.append(stream, 0, [sample(amount=1)], CAUSE)
    await relay.publish_stream(stream, first.stored)
    await relay.flush()
    await store.append(waiting, 0, [sample(amount=1)], CAUSE)  # its writer died

    # Another process: it learns from its loads, not from memory.
    other = EventStore(counted, scratch_db, registry=store.registry)
    await other.load(stream)
    await other.load(waiting)

    assert other.published.upto(stream) == 1
    assert other.published.upto(waiting) is None


async def test_markers_of_the_old_outbox_collection_move_into_their_commits_at_start(
    store: EventStore, relay: OutboxRelay, sample, kafka_bootstrap, topic
) -> None:
    stream, never = f"case-{uuid.uuid4()}", f"case-{uuid.uuid4()}"
    written = await store.append(stream, 0, [sample(amount=5)], CAUSE)
    # As the code before wrote them: a commit without a marker, the marker beside it.
    await store.commits.update_one({"_id": written.commit.commit_id}, {"$unset": {"pending": ""}})
    old = datetime.now(UTC) - timedelta(minutes=5)
    await store.outbox.insert_many(
        [
            {
                "_id": written.commit.commit_id,
                "stream_id": stream,
                "first_version": 1,
                "marked_at": old,
            },
            {"_id": "never-written", "stream_id": never, "first_version": 1, "marked_at": old},
        ]
    )

    await store.ensure_indexes()

    doc = await store.commits.find_one({"_id": written.commit.commit_id})
    assert doc is not None and doc["pending"] is True
    assert [m["_id"] async for m in store.outbox.find({})] == ["never-written"]
    assert await relay.sweep_once() == 1
    assert await store.count_unpublished() == 0  # the orphan was old: dropped
    on_topic = await read_envelopes(kafka_bootstrap, topic, match=lambda e: e.subject == stream)
    assert [e.data["amount"] for e, _ in on_topic] == [5]


async def test_a_marker_an_older_replica_writes_later_is_swept_too(
    store: EventStore, relay: OutboxRelay, sample, kafka_bootstrap, topic
) -> None:
    """During a rolling update the old code still writes markers beside its commits."""
    stream = f"case-{uuid.uuid4()}"
    written = await store.append(stream, 0, [sample(amount=6)], CAUSE)
    await store.commits.update_one({"_id": written.commit.commit_id}, {"$unset": {"pending": ""}})
    await store.outbox.insert_one(
        {
            "_id": written.commit.commit_id,
            "stream_id": stream,
            "first_version": 1,
            "marked_at": datetime.now(UTC) - timedelta(seconds=10),
        }
    )

    assert await relay.sweep_once(grace_s=1.0) == 1

    assert await store.pending_markers() == []
    on_topic = await read_envelopes(kafka_bootstrap, topic, match=lambda e: e.subject == stream)
    assert [e.data["amount"] for e, _ in on_topic] == [6]


async def test_the_sweep_finds_pending_commits_through_the_index(store: EventStore) -> None:
    explained = await store.commits.database.command(
        {"explain": {"find": store.commits.name, "filter": {"pending": True}}}
    )
    plan = " ".join(explained["queryPlanner"].get("Plan", []))
    if not plan:
        pytest.skip("not FerretDB on SQLite (MONGODB_URL points elsewhere)")
    assert "USING INDEX" in plan and "outbox_pending" in plan and "SCAN" not in plan, plan
