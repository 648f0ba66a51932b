"""The event store against the real FerretDB: append, load, conflicts, idempotency."""

from __future__ import annotations

import asyncio
import uuid
from typing import ClassVar

import pytest
from inson_contracts.events import Event, EventRegistry, UnknownEventType
from inson_runtime.eventstore import Causation, ConcurrencyConflict, EventStore

pytestmark = pytest.mark.integration

CAUSE = Causation(source="inson/test", correlation_id="corr-1", region="1703", district="1703202")


class VisitScheduled(Event):
    TYPE: ClassVar[str] = "uz.inson.test.visit.scheduled.v1"
    TOPIC: ClassVar[str] = "test.eventstore"
    day: int


REGISTRY = EventRegistry()
REGISTRY.register(VisitScheduled)


class Unregistered(Event):
    TYPE: ClassVar[str] = "uz.inson.test.visit.unregistered.v1"
    TOPIC: ClassVar[str] = "test.eventstore"


@pytest.fixture
async def store(mongo_client, scratch_db) -> EventStore:
    store = EventStore(mongo_client, scratch_db, registry=REGISTRY)
    await store.ensure_indexes()
    return store


async def test_append_then_load_returns_events_in_order_with_envelope(store: EventStore) -> None:
    stream = f"case-{uuid.uuid4()}"
    await store.append(stream, 0, [VisitScheduled(day=1), VisitScheduled(day=2)], CAUSE)
    await store.append(stream, 2, [VisitScheduled(day=3)], CAUSE)

    events = await store.load(stream)

    assert [e.data["day"] for e in events] == [1, 2, 3]
    assert [e.streamversion for e in events] == [1, 2, 3]
    first = events[0]
    assert first.subject == stream
    assert first.type == VisitScheduled.TYPE
    assert first.correlationid == "corr-1"
    assert first.district == "1703202"
    assert first.dataschema == "urn:inson:schema:uz.inson.test.visit.scheduled.v1"
    assert len({e.id for e in events}) == 3
    assert await store.version(stream) == 3
    assert [e.data["day"] for e in await store.load(stream, after_version=2)] == [3]


async def test_a_lost_race_raises_a_typed_conflict(store: EventStore) -> None:
    stream = f"case-{uuid.uuid4()}"
    await store.append(stream, 0, [VisitScheduled(day=1)], CAUSE)

    results = await asyncio.gather(
        store.append(stream, 1, [VisitScheduled(day=2)], CAUSE),
        store.append(stream, 1, [VisitScheduled(day=3)], CAUSE),
        return_exceptions=True,
    )

    conflicts = [r for r in results if isinstance(r, ConcurrencyConflict)]
    assert len(conflicts) == 1
    assert conflicts[0].stream_id == stream and conflicts[0].expected_version == 1
    assert len(await store.load(stream)) == 2


async def test_stale_expected_version_conflicts_and_writes_nothing(store: EventStore) -> None:
    stream = f"case-{uuid.uuid4()}"
    await store.append(stream, 0, [VisitScheduled(day=1), VisitScheduled(day=2)], CAUSE)

    with pytest.raises(ConcurrencyConflict):
        await store.append(stream, 0, [VisitScheduled(day=9)], CAUSE)

    assert [e.data["day"] for e in await store.load(stream)] == [1, 2]


async def test_same_commit_id_is_appended_once(store: EventStore) -> None:
    stream = f"case-{uuid.uuid4()}"
    first = await store.append(stream, 0, [VisitScheduled(day=1)], CAUSE, commit_id="react:evt-1")
    # A redelivered event: the handler decides again, at a newer version.
    again = await store.append(stream, 1, [VisitScheduled(day=1)], CAUSE, commit_id="react:evt-1")

    assert first.created and not again.created
    assert again.commit.first_version == 1
    assert len(await store.load(stream)) == 1


async def test_new_commits_are_unpublished_until_marked(store: EventStore) -> None:
    stream = f"case-{uuid.uuid4()}"
    result = await store.append(stream, 0, [VisitScheduled(day=1)], CAUSE)

    pending = await store.unpublished(stream_id=stream)
    assert [c.commit_id for c in pending] == [result.commit.commit_id]
    assert pending[0].topic == "test.eventstore"

    await store.mark_published([result.commit.commit_id])
    assert await store.unpublished(stream_id=stream) == []


async def test_operator_shaped_stream_ids_are_refused(store: EventStore) -> None:
    with pytest.raises(ValueError, match="may not contain"):
        await store.append("$gt", 0, [VisitScheduled(day=1)], CAUSE)


async def test_only_registered_event_classes_are_appended(store: EventStore) -> None:
    with pytest.raises(UnknownEventType):
        await store.append(f"case-{uuid.uuid4()}", 0, [Unregistered()], CAUSE)


async def test_a_lost_race_leaves_no_pending_marker(store: EventStore) -> None:
    stream = f"case-{uuid.uuid4()}"
    await store.append(stream, 0, [VisitScheduled(day=1)], CAUSE)
    with pytest.raises(ConcurrencyConflict):
        await store.append(stream, 0, [VisitScheduled(day=2)], CAUSE)

    pending = await store.pending_markers(stream_id=stream)
    assert len(pending) == 1  # only the winner's commit waits for the relay


async def test_the_sweep_reads_the_outbox_not_the_commits(store: EventStore) -> None:
    """Published commits leave the outbox, so its size is what is pending."""
    streams = [f"case-{uuid.uuid4()}" for _ in range(3)]
    results = [await store.append(s, 0, [VisitScheduled(day=1)], CAUSE) for s in streams]
    assert await store.count_unpublished() == 3

    await store.mark_published([r.commit.commit_id for r in results[:2]])

    assert await store.count_unpublished() == 1
    assert await store.commits.count_documents({}) == 3  # commits themselves never change
