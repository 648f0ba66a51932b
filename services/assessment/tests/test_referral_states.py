"""Where each referral of a plan item stands, on the real FerretDB: a referral issued
again supersedes the older rounds of its item, and learns of a newer one that was
read first (another partition), from one read of the item's referrals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from assessment.adapters.referral_states import REFERRAL_ITEMS, ReferralStateStore
from inson_runtime.mongo import Document
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.asynchronous.mongo_client import AsyncMongoClient

pytestmark = pytest.mark.integration

ISSUED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def db(mongo_client: AsyncMongoClient[Document], scratch_db: str) -> AsyncDatabase[Document]:
    """A database of its own (the root conftest drops it afterwards)."""
    return mongo_client[scratch_db]


def referral(rid: str, item_id: str, hours: int) -> Document:
    return {
        "_id": rid,
        "case_id": "case-1",
        "item_id": item_id,
        "issued_at": ISSUED + timedelta(hours=hours),
    }


async def test_a_round_supersedes_the_older_and_learns_of_a_newer_one(
    db: AsyncDatabase[Document],
) -> None:
    store = ReferralStateStore(db)
    await store.ensure_indexes()
    items = db[REFERRAL_ITEMS]
    await items.insert_many(
        [
            referral("r1", "item-a", 0),
            referral("r2", "item-a", 1),
            referral("r3", "item-a", 2),  # read before r2 (another partition)
            referral("other", "item-b", 0),
        ]
    )

    await store.supersede("case-1", "item-a", "r2", ISSUED + timedelta(hours=1), replaces=None)

    by_id = {doc["_id"]: doc async for doc in items.find({})}
    assert by_id["r1"]["superseded_by"] == "r2"
    assert by_id["r2"]["superseded_by"] == "r3"
    assert "superseded_by" not in by_id["r3"]
    assert "superseded_by" not in by_id["other"]


async def test_an_older_round_already_superseded_keeps_its_successor(
    db: AsyncDatabase[Document],
) -> None:
    store = ReferralStateStore(db)
    items = db[REFERRAL_ITEMS]
    await items.insert_many([referral("r1", "item-a", 0), referral("r3", "item-a", 2)])
    await items.update_one({"_id": "r1"}, {"$set": {"superseded_by": "r2"}})

    await store.supersede("case-1", "item-a", "r3", ISSUED + timedelta(hours=2), replaces="r2")

    by_id = {doc["_id"]: doc async for doc in items.find({})}
    assert by_id["r1"]["superseded_by"] == "r2"  # marked by its own successor first
    assert by_id["r2"]["superseded_by"] == "r3"  # marked before its events are here
    assert "superseded_by" not in by_id["r3"]
