"""Which plan item each referral serves, written when referral issues it.

Not a projection: the completion policy reads it to know which item a
completed referral finishes, and it is written by the policy that reacts to
``referral.issued`` (same stream and partition as the completion, so it is
there first).
"""

from __future__ import annotations

from inson_contracts.events import ReferralIssued
from inson_runtime.mongo import Document
from pymongo.asynchronous.database import AsyncDatabase

REFERRAL_ITEMS = "referral_items"


class ReferralLinkStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.links = db[REFERRAL_ITEMS]

    async def remember(self, issued: ReferralIssued) -> None:
        await self.links.update_one(
            {"_id": issued.referral_id},
            {
                "$set": {
                    "case_id": issued.case_id,
                    "item_id": issued.item_id,
                    "plan_version": issued.plan_version,
                }
            },
            upsert=True,
        )

    async def item_of(self, referral_id: str) -> str | None:
        link = await self.links.find_one({"_id": referral_id}, {"item_id": 1})
        return None if link is None else str(link["item_id"])
