"""Where each referral of a case's plan items stands, written as referral's events arrive.

Not a projection: the referral policy writes it (and reads which item a
completed referral finishes), from a consumer that leaves personal data
sealed, so the rejection reason and the completion note are stored in their
wire form and opened only at an audited read (``handlers/outcomes.py``).
One document per referral, in the collection that first held only the
referral -> item links; each applies its referral's events once, in stream
order (``apply_at_version``). The read side is ``projections/referral_queries.py``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from inson_contracts.envelope import Envelope
from inson_runtime.mongo import Document
from inson_runtime.projections import apply_at_version
from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

REFERRAL_ITEMS = "referral_items"


class ReferralStateStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.referrals = db[REFERRAL_ITEMS]

    async def ensure_indexes(self) -> None:
        # The attention list reads by case (a worker's cases) or by district
        # (a supervisor's); FerretDB uses a compound index's first field only.
        await self.referrals.create_index([("case_id", ASCENDING)])
        await self.referrals.create_index([("district", ASCENDING)])

    async def follow(
        self, referral_id: str, case_id: str, changes: dict[str, Any], envelope: Envelope
    ) -> None:
        await apply_at_version(
            self.referrals, referral_id, envelope, {"$set": {"case_id": case_id, **changes}}
        )

    async def supersede(
        self,
        case_id: str,
        item_id: str,
        referral_id: str,
        issued_at: datetime,
        replaces: str | None,
    ) -> None:
        if replaces is not None:
            # Marked even if its own events are not here yet (another partition).
            await self.referrals.update_one(
                {"_id": replaces},
                {"$set": {"case_id": case_id, "superseded_by": referral_id}},
                upsert=True,
            )
        # The item's other referrals, read once: usually there are none (a
        # first round), and nothing is written. (An update_many and a
        # find_one here were 10 of assessment's 40 commands per application.)
        same_item = {"case_id": case_id, "item_id": item_id, "_id": {"$ne": referral_id}}
        others = [
            doc
            async for doc in self.referrals.find(
                same_item, {"_id": 1, "issued_at": 1, "superseded_by": 1}
            )
            if doc.get("issued_at") is not None
        ]
        older = [
            doc["_id"]
            for doc in others
            if doc["issued_at"] < issued_at and "superseded_by" not in doc
        ]
        if older:
            await self.referrals.update_many(
                {"_id": {"$in": older}, "superseded_by": {"$exists": False}},
                {"$set": {"superseded_by": referral_id}},
            )
        newer = [doc for doc in others if doc["issued_at"] > issued_at]
        if newer:
            newest = max(newer, key=lambda doc: doc["issued_at"])
            await self.referrals.update_one(
                {"_id": referral_id}, {"$set": {"superseded_by": newest["_id"]}}
            )

    async def item_of(self, referral_id: str) -> str | None:
        link = await self.referrals.find_one({"_id": referral_id}, {"item_id": 1})
        return None if link is None or "item_id" not in link else str(link["item_id"])
