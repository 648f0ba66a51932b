"""The local MongoDB-wire server does what the platform's design relies on.

FerretDB is built with infra/ferretdb/patches applied; without them every
lookup, update and delete by ``_id`` scans its whole SQLite table.
"""

from __future__ import annotations

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
    # Other fields still scan (documented in BENCHMARKS.md).
    assert "SCAN" in await _plan(mongo_client, scratch_db, {"v": 1})
