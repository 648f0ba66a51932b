"""Which items of each plan were referred, at which plan version, whether it closed,
and which referral is each item's current round.

Written by the plan policy itself, before it issues anything, not by a
projection: a revision that arrives right after its approval must find every
item the approval referred, and a projection may still be behind. A crash
between this write and the referrals is repaired by the redelivered plan
event, whose referrals are issued idempotently.

The version lets the policy ignore an older plan event read after a newer one
(a replay by a new consumer group): applied again, an approval would withdraw
the items its revision added.

Rounds: an item issued again after a refusal gets a referral per round; the
record lists rounds 2 and later (``rounds``: ``{item, round, referral_id}``),
round 1 being derived from plan and item as it always was, so records
written before rounds existed read the same.
"""

from __future__ import annotations

from collections.abc import Sequence

from inson_runtime.mongo import Document
from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from referral.domain.routing import PlanRecord, referral_id

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
        return _record(plan_id, doc) if doc is not None else PlanRecord(plan_id)

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

    async def add_round(self, plan_id: str, item_id: str, round_: int, referral_id: str) -> None:
        entry = {"item": item_id, "round": round_, "referral_id": referral_id}
        await self.plans.update_one({"_id": plan_id}, {"$addToSet": {"rounds": entry}})

    async def close(self, plan_id: str, case_id: str) -> None:
        await self.plans.update_one(
            {"_id": plan_id}, {"$set": {"case_id": case_id, "closed": True}}, upsert=True
        )

    async def of_case(self, case_id: str) -> list[PlanRecord]:
        cursor = self.plans.find({"case_id": case_id}).sort("_id", ASCENDING)
        return [_record(doc["_id"], doc) async for doc in cursor]


def _record(plan_id: str, doc: Document) -> PlanRecord:
    later: dict[str, dict[int, str]] = {}
    for entry in doc.get("rounds", ()):
        later.setdefault(entry["item"], {})[int(entry["round"])] = entry["referral_id"]
    rounds = {
        item_id: (referral_id(plan_id, item_id), *(found[n] for n in sorted(found)))
        for item_id, found in later.items()
    }
    return PlanRecord(
        plan_id,
        int(doc.get("version", 0)),
        tuple(doc.get("items", ())),
        bool(doc.get("closed")),
        rounds,
    )
