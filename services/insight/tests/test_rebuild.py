"""Replay equals live, and a rebuild during traffic converges, on the real Kafka and
FerretDB.

The projection's handlers read a fresh topic of the test's own (a copy of
``insight_facts`` with that topic), so the rebuild replays only this test's
journeys, not the history other tests left on the shared broker.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from insight.projections.facts import CASES, MESSAGES, insight_facts
from inson_contracts.envelope import Envelope
from inson_runtime.kafka import EventPublisher, make_broker
from inson_runtime.projections import Projection, rebuild
from inson_runtime.testing import create_test_topic, wait_for

from .journey import CaseJourney

pytestmark = pytest.mark.integration

START = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)


def journeys(count: int, tag: str) -> list[CaseJourney]:
    made = []
    for i in range(count):
        case = CaseJourney(f"case-{tag}-{i}", START + timedelta(hours=i))
        case.applied(0).messaged(0.1).visited(20 + i).assessed(21 + i).approved(40 + i)
        case.referred(f"ref-{tag}-{i}-a", 41 + i, provider_type="social_service_window")
        case.referred(f"ref-{tag}-{i}-b", 41 + i, provider_type="health_facility")
        case.accepted(f"ref-{tag}-{i}-a", 50 + i).refused(f"ref-{tag}-{i}-b", 52)
        if i % 2:
            case.registered(60).messaged(61, failed=True).completed(100 + i)
        made.append(case)
    return made


def envelopes_of(cases: list[CaseJourney]) -> list[Envelope]:
    return [envelope for case in cases for envelope in case.envelopes]


@pytest.fixture
async def projection(kafka_bootstrap: str) -> Projection:
    topic = await create_test_topic(kafka_bootstrap)
    return Projection(
        name="insight-facts-test",
        version=1,
        topics=(topic,),
        collections=insight_facts.collections,
        handlers=dict(insight_facts.handlers),
    )


@pytest.fixture
async def publisher(kafka_bootstrap: str) -> AsyncIterator[EventPublisher]:
    broker = make_broker(kafka_bootstrap, client_id="test-insight-services")
    await broker.connect()
    try:
        yield EventPublisher(broker, service="test")
    finally:
        await broker.stop()


@pytest.fixture
async def databases(mongo_client: Any) -> AsyncIterator[Any]:
    names: list[str] = []

    def new() -> Any:
        names.append(f"test_insight_{uuid.uuid4().hex[:10]}")
        return mongo_client[names[-1]]

    yield new
    for name in names:
        await mongo_client.drop_database(name)


@contextlib.asynccontextmanager
async def live(bootstrap: str, projection: Projection, db: Any) -> AsyncIterator[None]:
    """The projection's live consumer group, as the service runs it."""
    broker = make_broker(bootstrap, client_id=f"test-insight-{uuid.uuid4().hex[:6]}")
    consumer = projection.consumer(
        service=f"insight-test-{uuid.uuid4().hex[:6]}",
        db=db,
        publisher=EventPublisher(broker, service="test"),
    )
    consumer.subscribe(broker)
    await broker.start()
    try:
        yield
    finally:
        await broker.stop()


async def documents(db: Any) -> dict[str, list[dict[str, Any]]]:
    return {
        name: await db[name].find({}, sort=[("_id", 1)]).to_list()
        for name in insight_facts.collections
    }


async def caught_up(db: Any, cases: list[CaseJourney]) -> None:
    closed = sum(
        1 for case in cases if any(e.type.endswith("case.closed.v1") for e in case.envelopes)
    )
    sent = sum(1 for e in envelopes_of(cases) if e.type.startswith("uz.inson.notification"))

    async def done() -> bool:
        closures = await db[CASES].count_documents({"closed_at": {"$exists": True}})
        return closures == closed and await db[MESSAGES].count_documents({}) == sent

    await wait_for(done, timeout_s=90, what="the live projection to catch up")


async def converged(live_db: Any, rebuilt_db: Any) -> None:
    """Wait for the live group to have written what the rebuild wrote.

    ``caught_up`` counts closures and messages only: the live group may still
    be applying other records (a referral's refusal, on another partition).
    """

    async def same() -> bool:
        return await documents(live_db) == await documents(rebuilt_db)

    await wait_for(same, timeout_s=90, what="the live projection to match the rebuild")


async def replay(bootstrap: str, projection: Projection, db: Any, publisher: EventPublisher) -> Any:
    return await rebuild(
        projection, db, bootstrap_servers=bootstrap, service="insight-test", publisher=publisher
    )


async def test_a_rebuild_writes_what_the_live_consumer_wrote(
    kafka_bootstrap: str, projection: Projection, publisher: EventPublisher, databases: Any
) -> None:
    cases = journeys(12, uuid.uuid4().hex[:6])
    await publisher.publish(projection.topics[0], envelopes_of(cases))
    live_db, rebuilt_db = databases(), databases()
    async with live(kafka_bootstrap, projection, live_db):
        await caught_up(live_db, cases)
        report = await replay(kafka_bootstrap, projection, rebuilt_db, publisher)
        await converged(live_db, rebuilt_db)
    assert report.events == len(envelopes_of(cases))
    assert await documents(rebuilt_db) == await documents(live_db)


async def test_a_rebuild_during_traffic_converges(
    kafka_bootstrap: str, projection: Projection, publisher: EventPublisher, databases: Any
) -> None:
    tag = uuid.uuid4().hex[:6]
    before, during = journeys(10, f"{tag}-1"), journeys(10, f"{tag}-2")
    topic = projection.topics[0]
    await publisher.publish(topic, envelopes_of(before))
    shared = databases()
    async with live(kafka_bootstrap, projection, shared):
        await caught_up(shared, before)

        async def traffic() -> None:
            # The new journeys' events come one step at a time while the
            # rebuild drops and refills the collections the live group writes.
            for envelope in envelopes_of(during):
                await publisher.publish(topic, [envelope])
                await asyncio.sleep(0)

        await asyncio.gather(replay(kafka_bootstrap, projection, shared, publisher), traffic())
        await caught_up(shared, before + during)
        reference = databases()
        await replay(kafka_bootstrap, projection, reference, publisher)
        await converged(shared, reference)
    assert await documents(shared) == await documents(reference)
