"""Which items of each plan were referred, at which plan version, and whether it closed.

Written by the plan policy itself, before it issues anything, not by a
projection: a revision that arrives right after its approval must find every
item the approval referred, and a projection may still be behind. A crash
between this write and the referrals is repaired by the redelivered plan
event, whose referrals are issued idempotently.

The version lets the policy ignore an older plan event read after a newer one
(a replay by a new consumer group): applied again, an approval would withdraw
the items its revision added.
"""

from __future__ import annotations

from collections.abc import Sequence

from inson_runtime.mongo import Document
from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from referral.domain.routing import PlanRecord

PLAN_ITEMS = "plan_items"


class PlanItems:
    """The plan-records port (``handlers/ports.py``) on MongoDB: one document per plan."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.plans = db[PLAN_ITEMS]

    async def ensure_indexes(self) -> None:
        # Looked up by case for the as-of view.
        await self.plans.create_index([("case_id", ASCENDING)])

    async def get(self, plan_id: str) -> PlanRecord:
        doc = await self.plans.find_one({"_id": plan_id})
        if doc is None:
            return PlanRecord()
        return PlanRecord(
            int(doc.get("version", 0)), tuple(doc.get("items", ())), bool(doc.get("closed"))
        )

    async def remember(
        self, plan_id: str, case_id: str, version: int, item_ids: Sequence[str]
    ) -> None:
        await self.plans.update_one(
            {"_id": plan_id},
            {
                "$set": {"case_id": case_id},
                "$max": {"version": version},
                "$addToSet": {"items": {"$each": list(item_ids)}},
            },
            upsert=True,
        )

    async def close(self, plan_id: str, case_id: str) -> None:
        await self.plans.update_one(
            {"_id": plan_id}, {"$set": {"case_id": case_id, "closed": True}}, upsert=True
        )

    async def of_case(self, case_id: str) -> list[tuple[str, tuple[str, ...]]]:
        cursor = self.plans.find({"case_id": case_id}, {"items": 1}).sort("_id", ASCENDING)
        return [(doc["_id"], tuple(doc.get("items", ()))) async for doc in cursor]
