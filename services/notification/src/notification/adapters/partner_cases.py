"""What events said of each case's purpose, for partner subscriptions (``domain/purposes.py``).

``partner_cases``: ``_id`` = case id, the circumstance codes and service
codes its events named; ``partner_referrals``: ``_id`` = referral id, its
service code and case. Codes and ids only, never a person's data, so an
erasure leaves them as they are (intake keeps a case's circumstances too).
Facts only grow (``$addToSet``), so events read in any order, or twice,
leave the same documents.
"""

from __future__ import annotations

from typing import Any

from inson_runtime.mongo import Document
from pymongo.asynchronous.database import AsyncDatabase

from notification.domain.purposes import Known, Said

PARTNER_CASES = "partner_cases"
PARTNER_REFERRALS = "partner_referrals"


class MongoPartnerCases:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.cases = db[PARTNER_CASES]
        self.referrals = db[PARTNER_REFERRALS]

    async def learn(self, said: Said) -> None:
        if said.case_id is not None:
            grown: dict[str, Any] = {}
            if said.circumstances:
                grown["circumstances"] = {"$each": sorted(said.circumstances)}
            if said.services:
                grown["services"] = {"$each": sorted(said.services)}
            if grown:
                await self.cases.update_one(
                    {"_id": said.case_id}, {"$addToSet": grown}, upsert=True
                )
        if said.referral_id is not None and len(said.services) == 1:
            [service] = said.services
            await self.referrals.update_one(
                {"_id": said.referral_id},
                {"$setOnInsert": {"service": service, "case_id": said.case_id}},
                upsert=True,
            )

    async def known(self, said: Said) -> Known:
        case = await self.cases.find_one({"_id": said.case_id}) if said.case_id else None
        referral = (
            await self.referrals.find_one({"_id": said.referral_id}) if said.referral_id else None
        )
        return Known(
            circumstances=frozenset(case.get("circumstances", ())) if case else frozenset(),
            services=frozenset(case.get("services", ())) if case else frozenset(),
            referral_service=referral.get("service") if referral else None,
        )
