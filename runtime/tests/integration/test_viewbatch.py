"""A projection's batch on the real store: the same documents as one event at a time,
redelivered or not, in one update command per collection."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from inson_contracts.envelope import Envelope
from inson_runtime.projections import apply_at_version
from inson_runtime.viewbatch import ViewBatch
from pymongo import AsyncMongoClient, monitoring

pytestmark = pytest.mark.integration


class Commands(monitoring.CommandListener):
    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        collection = event.command.get(event.command_name)
        self.seen.append((event.command_name, str(collection)))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None: ...

    def failed(self, event: monitoring.CommandFailedEvent) -> None: ...


@pytest.fixture
async def watched(mongodb_url: str, scratch_db: str) -> AsyncIterator[tuple[Any, Commands]]:
    commands = Commands()
    client: AsyncMongoClient[Any] = AsyncMongoClient(
        mongodb_url, tz_aware=True, event_listeners=[commands]
    )
    try:
        yield client[scratch_db], commands
    finally:
        await client.close()


def event(stream: str, version: int) -> tuple[Envelope, str, dict[str, Any]]:
    """An event of ``stream`` and what the test projection does with it."""
    envelope = Envelope(
        id=f"{stream}-{version}",
        source="inson/test",
        type="uz.inson.test.sample.recorded.v1",
        time=datetime(2026, 1, 1, tzinfo=UTC),
        subject=stream,
        streamversion=version,
        data={},
    )
    update: dict[str, Any] = {
        "$inc": {"total": version},
        "$push": {"history": {"v": version}},
        "$set": {"status": f"s{version}"},
    }
    if version == 1:
        update["$setOnInsert"] = {"opened": True}
    if version % 3 == 0:
        update = {"$addToSet": {"tags": {"$each": ["third"]}}, "$unset": {"status": ""}}
    return envelope, stream, update


EVENTS = [event(f"case-{s}", v) for v in range(1, 6) for s in range(8)]


async def test_batches_leave_what_one_event_at_a_time_leaves_even_redelivered(
    watched: tuple[Any, Commands],
) -> None:
    db, _ = watched
    for envelope, stream, update in EVENTS:
        await apply_at_version(db["one_by_one"], stream, envelope, update)

    # The first batch is cut at different points per stream; the second is
    # everything again, as after a crash before the offsets were committed.
    first = ViewBatch(db)
    for envelope, stream, update in EVENTS:
        if envelope.streamversion is not None and envelope.streamversion <= int(stream[-1]) % 4:
            first.at_version("batched", stream, envelope, update)
    await first.finish()
    again = ViewBatch(db)
    for envelope, stream, update in EVENTS:
        again.at_version("batched", stream, envelope, update)
    await again.finish()

    expected = await db["one_by_one"].find({}, sort=[("_id", 1)]).to_list()
    assert await db["batched"].find({}, sort=[("_id", 1)]).to_list() == expected
    assert len(expected) == 8 and expected[0]["_version"] == 5


async def test_a_batch_is_one_update_command_per_collection_and_reads_go_together(
    watched: tuple[Any, Commands],
) -> None:
    db, commands = watched
    batch = ViewBatch(db)
    for envelope, stream, update in EVENTS:
        batch.at_version("cases", stream, envelope, update)
        batch.upsert("people", f"{stream}:0", {"$set": {"case_id": stream}})
    async with batch.lane():
        found = await batch.find_one("people", "case-3:0", ["case_id"])
    batch.update_many("people", {"case_id": "case-3"}, {"$set": {"moved": True}})
    await batch.finish()

    assert found == {"_id": "case-3:0", "case_id": "case-3"}
    assert commands.seen == [
        ("update", "cases"),
        ("update", "people"),
        ("find", "people"),
        ("update", "people"),  # the update_many, in its place
    ]
    assert await db["cases"].count_documents({"_version": 5}) == 8


async def test_a_batch_of_updates_to_many_existing_documents_answers(
    watched: tuple[Any, Commands],
) -> None:
    # FerretDB holds a connection per single-document statement until its
    # command ends: 100 that match used to hang it (ViewBatch sends multi).
    db, commands = watched
    for version in (1, 2):
        batch = ViewBatch(db)
        for n in range(150):
            envelope, stream, update = event(f"case-{n}", version)
            batch.at_version("cases", stream, envelope, update)
        await batch.finish()
    assert commands.seen == [("update", "cases")] * 2
    assert await db["cases"].count_documents({"_version": 2}) == 150
