"""ViewBatch: a projection's staged writes, sent in bulk, on the in-memory view database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from inson_contracts.envelope import Envelope
from inson_runtime.handling import BatchAborted
from inson_runtime.testing import InMemoryViewDatabase
from inson_runtime.viewbatch import ViewBatch


def at(version: int, stream: str = "case-1") -> Envelope:
    return Envelope(
        id=f"evt-{stream}-{version}",
        source="inson/test",
        type="uz.inson.test.sample.recorded.v1",
        time=datetime.now(UTC),
        subject=stream,
        streamversion=version,
        data={},
    )


def batch_on(db: InMemoryViewDatabase) -> ViewBatch:
    return ViewBatch(db)  # type: ignore[arg-type]


def tally(batch: ViewBatch, doc: str, version: int, amount: int = 1) -> None:
    update = {"$inc": {"total": amount}, "$push": {"seen": version}}
    batch.at_version("tally", doc, at(version, doc), update)


async def test_a_batch_writes_once_per_collection_when_it_finishes() -> None:
    db = InMemoryViewDatabase()
    batch = batch_on(db)
    for doc in ("case-1", "case-2", "case-3"):
        for version in (1, 2, 3):
            tally(batch, doc, version)
    batch.upsert("notes", "n-1", {"$set": {"text": "a"}})
    assert db.round_trips == []

    await batch.finish()

    assert sorted(db.round_trips) == [("update", "notes"), ("update", "tally")]
    assert db.docs("tally")["case-2"] == {
        "_id": "case-2",
        "total": 3,
        "seen": [1, 2, 3],
        "_version": 3,
    }


async def test_a_redelivered_batch_applies_only_what_each_document_misses() -> None:
    db = InMemoryViewDatabase()
    first = batch_on(db)
    tally(first, "case-1", 1)
    tally(first, "case-1", 2)
    tally(first, "case-3", 1)
    await first.finish()

    # The same records again and more (a crash before the offset commit): the
    # store refuses the first applied guard and, as FerretDB does, the rest
    # of the command with it.
    again = batch_on(db)
    for doc, versions in {"case-1": (1, 2, 3), "case-2": (1, 2), "case-3": (1, 2)}.items():
        for version in versions:
            tally(again, doc, version)
    await again.finish()

    docs = db.docs("tally")
    assert docs["case-1"]["seen"] == [1, 2, 3] and docs["case-1"]["total"] == 3
    assert docs["case-2"]["seen"] == [1, 2] and docs["case-3"]["seen"] == [1, 2]
    assert {d["_version"] for d in docs.values()} == {3, 2}


async def test_the_same_event_staged_twice_is_applied_once() -> None:
    db = InMemoryViewDatabase()
    batch = batch_on(db)
    tally(batch, "case-1", 1)
    tally(batch, "case-1", 2)
    tally(batch, "case-1", 2)  # a handler retried after staging
    await batch.finish()
    assert db.docs("tally")["case-1"]["total"] == 2


async def test_updates_that_do_not_fold_are_written_in_order_one_round_each() -> None:
    db = InMemoryViewDatabase()
    batch = batch_on(db)
    batch.at_version("tally", "d", at(1, "d"), {"$addToSet": {"tags": "x"}})
    batch.at_version("tally", "d", at(2, "d"), {"$pull": {"tags": "x"}})
    batch.at_version("tally", "d", at(3, "d"), {"$addToSet": {"tags": "y"}})
    await batch.finish()
    assert db.docs("tally")["d"]["tags"] == ["y"]
    assert db.round_trips == [("update", "tally")] * 3


async def test_writes_by_filter_come_in_their_place() -> None:
    db = InMemoryViewDatabase()
    batch = batch_on(db)
    batch.upsert("people", "p-1", {"$set": {"case_id": "c-1"}})
    batch.upsert("people", "p-2", {"$set": {"case_id": "c-1"}})
    batch.update_many("people", {"case_id": "c-1"}, {"$set": {"case_id": "c-2"}})
    batch.upsert("people", "p-3", {"$set": {"case_id": "c-1"}})
    batch.delete_many("people", {"_id": "p-1"})
    await batch.finish()
    assert db.docs("people") == {
        "p-2": {"_id": "p-2", "case_id": "c-2"},
        "p-3": {"_id": "p-3", "case_id": "c-1"},
    }


async def test_a_conditional_update_never_inserts() -> None:
    db = InMemoryViewDatabase()
    batch = batch_on(db)
    batch.update_if("housing", "h-1", {"valid_until": {"$lt": "2027"}}, {"$set": {"x": True}})
    batch.upsert("housing", "h-2", {"$set": {"valid_until": "2026"}})
    batch.update_if("housing", "h-2", {"valid_until": {"$lt": "2027"}}, {"$set": {"x": True}})
    await batch.finish()
    assert db.docs("housing") == {"h-2": {"_id": "h-2", "valid_until": "2026", "x": True}}


def test_an_unguarded_write_must_be_repeatable() -> None:
    batch = batch_on(InMemoryViewDatabase())
    with pytest.raises(ValueError, match="idempotent"):
        batch.upsert("tally", "d", {"$inc": {"total": 1}})


async def test_lanes_reading_together_share_one_flush_and_one_find() -> None:
    db = InMemoryViewDatabase()
    batch = batch_on(db)
    seen: dict[str, Any] = {}

    async def lane(doc: str) -> None:
        async with batch.lane():
            batch.upsert("applications", doc, {"$set": {"applicant": doc.upper()}})
            await asyncio.sleep(0)  # lanes reach their reads at different times
            found = await batch.find_one("applications", doc, ["applicant"])
            seen[doc] = (found or {}).get("applicant")
            batch.upsert("cases", doc, {"$set": {"applicant": seen[doc]}})

    await asyncio.gather(*(lane(f"a-{n}") for n in range(5)))
    await batch.finish()

    assert seen == {f"a-{n}": f"A-{n}" for n in range(5)}
    assert db.round_trips == [
        ("update", "applications"),
        ("find", "applications"),
        ("update", "cases"),
    ]


async def test_a_failed_write_aborts_the_batch_and_its_reads() -> None:
    db = InMemoryViewDatabase()
    batch = batch_on(db)

    async def refuse(command: Any, **_: Any) -> dict[str, Any]:
        return {"ok": 1.0, "writeErrors": [{"index": 0, "code": 40, "errmsg": "conflict"}]}

    db.command = refuse  # type: ignore[method-assign]
    batch.upsert("cases", "c-1", {"$set": {"a": 1}})
    async with batch.lane():
        with pytest.raises(BatchAborted):
            await batch.find_one("cases", "c-1")
    with pytest.raises(BatchAborted):
        await batch.finish()


async def test_an_outage_keeps_the_staged_writes_for_the_next_try() -> None:
    from pymongo.errors import AutoReconnect

    db = InMemoryViewDatabase()
    batch = batch_on(db)
    real = db.command
    calls = 0

    async def flaky(command: Any, **kwargs: Any) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise AutoReconnect("ferretdb restarting")
        return await real(command, **kwargs)

    db.command = flaky  # type: ignore[method-assign]
    tally(batch, "case-1", 1)
    with pytest.raises(AutoReconnect):
        await batch.finish()
    await batch.finish()
    assert db.docs("tally")["case-1"]["total"] == 1


async def test_a_batch_updating_many_existing_documents_does_not_exhaust_ferretdb() -> None:
    db = InMemoryViewDatabase()
    first = batch_on(db)
    for n in range(150):
        tally(first, f"case-{n}", 1)
    await first.finish()
    second = batch_on(db)
    for n in range(150):
        tally(second, f"case-{n}", 2)
    await second.finish()  # the in-memory database refuses what FerretDB would hang on
    assert {d["_version"] for d in db.docs("tally").values()} == {2}
