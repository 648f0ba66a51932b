"""The local MongoDB-wire server does what the platform's design relies on.

FerretDB is built with infra/ferretdb/patches applied; without them every
lookup, update and delete by ``_id`` scans its whole SQLite table, and so does
every query on another field (an event stream loaded by ``stream_id``).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pymongo import AsyncMongoClient

pytestmark = pytest.mark.integration


async def _plan(client: AsyncMongoClient[dict[str, Any]], db: str, filter_: dict[str, Any]) -> str:
    explained = await client[db].command({"explain": {"find": "docs", "filter": filter_}})
    return " ".join(explained["queryPlanner"].get("Plan", []))


async def test_lookups_by_id_use_the_id_index(mongo_client, scratch_db) -> None:
    await mongo_client[scratch_db]["docs"].insert_many([{"_id": f"d{i}", "v": i} for i in range(5)])
    if (
        "Plan"
        not in (
            await mongo_client[scratch_db].command(
                {"explain": {"find": "docs", "filter": {"_id": "d1"}}}
            )
        )["queryPlanner"]
    ):
        pytest.skip("not FerretDB on SQLite (MONGODB_URL points elsewhere)")

    assert "USING INDEX" in await _plan(mongo_client, scratch_db, {"_id": "d1"})
    # A projection's version-guarded upsert: the _id part is pushed down too.
    guarded = {"_id": "d1", "$or": [{"v": {"$lt": 3}}, {"v": {"$exists": False}}]}
    assert "USING INDEX" in await _plan(mongo_client, scratch_db, guarded)
    # An _id inside a top-level $and (how scoped reads ask) is pushed down too.
    scoped = {"$and": [{"_id": "d1"}, {"$or": [{"v": 1}, {"v": 2}]}]}
    assert "USING INDEX" in await _plan(mongo_client, scratch_db, scoped)


async def _ferret_sqlite(client: AsyncMongoClient[dict[str, Any]], db: str) -> None:
    await client[db]["probe"].insert_one({"_id": "p"})
    explained = await client[db].command({"explain": {"find": "probe", "filter": {"_id": "p"}}})
    if "Plan" not in explained["queryPlanner"]:
        pytest.skip("not FerretDB on SQLite (MONGODB_URL points elsewhere)")


async def test_equalities_on_indexed_fields_use_the_index(mongo_client, scratch_db) -> None:
    await _ferret_sqlite(mongo_client, scratch_db)
    docs = mongo_client[scratch_db]["docs"]
    await docs.create_index([("stream_id", 1), ("first_version", 1)], unique=True)
    await docs.insert_many(
        [{"_id": f"c{i}", "stream_id": f"s{i % 20}", "first_version": i} for i in range(200)]
    )
    plan = await _plan(mongo_client, scratch_db, {"stream_id": "s3", "first_version": {"$gt": 2}})
    assert "USING INDEX" in plan and "SCAN" not in plan, plan
    # A field no index leads is compared in SQL, still without an index.
    assert "SCAN" in await _plan(mongo_client, scratch_db, {"first_version": 4})


# What the pushdown may never do: drop a document that the filter matches. Each
# case is (documents, filter); the answer must be what MongoDB gives.
EDGE_CASES = [
    # An equality on an array field matches the arrays holding the value.
    ({"tags": ["a", "b"]}, {"tags": "a"}),
    ({"tags": ["a", "b"]}, {"tags": {"$in": ["x", "b"]}}),
    ({"tags": [{"tag": "a"}]}, {"tags": "a"}),  # no match: elements are compared whole
    # Characters Go's JSON encoder escapes but SQLite's renderer does not.
    ({"tags": "a<b>&c"}, {"tags": "a<b>&c"}),
    ({"tags": 'quote"back\\slash'}, {"tags": 'quote"back\\slash'}),
    ({"tags": "Oʻzbekiston Ўзбекистон"}, {"tags": "Oʻzbekiston Ўзбекистон"}),
    ({"tags": True}, {"tags": True}),
    ({"tags": 1}, {"tags": True}),  # no match: a number is not a boolean
    ({"tags": "s1"}, {"$and": [{"tags": "s1"}, {"_id": "x"}]}),
    ({"tags": "s1"}, {"tags": {"$eq": "s1"}, "other": {"$exists": False}}),
]


@pytest.mark.parametrize(("document", "filter_"), EDGE_CASES)
async def test_pushdown_keeps_every_match(mongo_client, scratch_db, document, filter_) -> None:
    await _ferret_sqlite(mongo_client, scratch_db)
    docs = mongo_client[scratch_db]["docs"]
    await docs.create_index("tags")
    await docs.insert_many([{"_id": "x", **document}, {"_id": "y", "tags": "unrelated"}])
    found = {d["_id"] async for d in docs.find(filter_)}
    want = _mongodb_matches(document, filter_)
    assert found == ({"x"} if want else set()), (document, filter_)
    # Updates, deletes and counts pre-select the same way.
    assert await docs.count_documents(filter_) == len(found)


def _mongodb_matches(document: dict[str, Any], filter_: dict[str, Any]) -> bool:
    """MongoDB's answer for the edge cases above (top-level equality semantics)."""
    doc = {"_id": "x", **document}
    for key, cond in filter_.items():
        if key == "$and":
            if not all(_mongodb_matches(document, sub) for sub in cond):
                return False
            continue
        if isinstance(cond, dict) and "$exists" in cond:
            if (key in doc) != cond["$exists"]:
                return False
            continue
        wanted = cond["$in"] if isinstance(cond, dict) and "$in" in cond else None
        if isinstance(cond, dict) and "$eq" in cond:
            wanted = [cond["$eq"]]
        wanted = wanted if wanted is not None else [cond]
        value = doc.get(key)
        candidates = [value, *value] if isinstance(value, list) else [value]
        if not any(_same(c, w) for c in candidates for w in wanted):
            return False
    return True


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


# Patch 0003: update and findAndModify read and write back in two statements;
# unserialized, concurrent updates of one document lost each other's changes
# and two workers claimed one document. Two clients, as two replicas would be.


async def test_concurrent_updates_of_one_document_all_apply(mongodb_url, scratch_db) -> None:
    from inson_runtime.mongo import connect

    one, other = connect(mongodb_url), connect(mongodb_url)
    try:
        await one[scratch_db]["docs"].insert_one({"_id": "d", "n": 0})
        await asyncio.gather(
            *(
                c[scratch_db]["docs"].update_one({"_id": "d"}, {"$inc": {"n": 1}})
                for _ in range(100)
                for c in (one, other)
            )
        )
        doc = await one[scratch_db]["docs"].find_one({"_id": "d"})
        assert doc is not None and doc["n"] == 200
    finally:
        await one.close()
        await other.close()


async def test_two_claimers_never_claim_one_document_twice(mongodb_url, scratch_db) -> None:
    from inson_runtime.mongo import connect

    one, other = connect(mongodb_url), connect(mongodb_url)
    try:
        docs = one[scratch_db]["docs"]
        await docs.insert_many([{"_id": f"d{i}", "state": "ready"} for i in range(100)])
        claimed: list[str] = []

        async def claimer(client: AsyncMongoClient[dict[str, Any]]) -> None:
            while doc := await client[scratch_db]["docs"].find_one_and_update(
                {"state": "ready"}, {"$set": {"state": "claimed"}}
            ):
                claimed.append(doc["_id"])

        await asyncio.gather(*(claimer(c) for c in (one, other) for _ in range(4)))
        assert sorted(claimed) == sorted(f"d{i}" for i in range(100))
    finally:
        await one.close()
        await other.close()
