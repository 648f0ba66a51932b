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
from dataclasses import dataclass

from inson_runtime.mongo import Document
from pymongo.asynchronous.database import AsyncDatabase

PLAN_ITEMS = "plan_items"


@dataclass(frozen=True)
class PlanRecord:
    version: int = 0
    items: tuple[str, ...] = ()
    closed: bool = False


class PlanItems:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.plans = db[PLAN_ITEMS]

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
