"""What events said of each case's purpose, for partner subscriptions (``domain/purposes.py``).

``partner_case_facts``: one document per fact a case's events named,
``_id`` = ``<case>|circumstance|<code>`` or ``<case>|service|<code>``;
``partner_referrals``: ``_id`` = referral id, its service code and case.
Codes and ids only, never a person's data, so an erasure leaves them as they
are (intake keeps a case's circumstances too). Facts are only ever inserted,
and a fact learned twice is the same document: events read in any order,
twice, or at once by two lanes or replicas (a case's events come from three
streams, so from several partitions) leave the same facts. They were kept
as one document per case grown with ``$addToSet``: FerretDB on SQLite can
lose one of two concurrent updates of a document, and with it a fact. The
documents of that release (``partner_cases``) are still read.
"""

from __future__ import annotations

import contextlib

from inson_runtime.mongo import Document
from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from notification.domain.purposes import Known, Said

PARTNER_CASES = "partner_cases"
PARTNER_CASE_FACTS = "partner_case_facts"
PARTNER_REFERRALS = "partner_referrals"
_DUPLICATE_KEY = 11000


class MongoPartnerCases:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.facts = db[PARTNER_CASE_FACTS]
        self.legacy = db[PARTNER_CASES]
        self.referrals = db[PARTNER_REFERRALS]

    async def ensure_indexes(self) -> None:
        await self.facts.create_index([("case_id", ASCENDING)])

    async def learn(self, said: Said) -> None:
        if said.case_id is not None:
            named = (("circumstance", said.circumstances), ("service", said.services))
            facts = [
                {"_id": f"{said.case_id}|{kind}|{code}", "case_id": said.case_id, kind: code}
                for kind, codes in named
                for code in sorted(codes)
            ]
            if facts:
                await self._insert_new(facts)
        if said.referral_id is not None and len(said.services) == 1:
            [service] = said.services
            with contextlib.suppress(DuplicateKeyError):  # known already
                await self.referrals.insert_one(
                    {"_id": said.referral_id, "service": service, "case_id": said.case_id}
                )

    async def known(self, said: Said) -> Known:
        circumstances: set[str] = set()
        services: set[str] = set()
        if said.case_id:
            async for fact in self.facts.find({"case_id": said.case_id}):
                if "circumstance" in fact:
                    circumstances.add(fact["circumstance"])
                else:
                    services.add(fact["service"])
            legacy = await self.legacy.find_one({"_id": said.case_id})
            if legacy:
                circumstances.update(legacy.get("circumstances", ()))
                services.update(legacy.get("services", ()))
        referral = (
            await self.referrals.find_one({"_id": said.referral_id}) if said.referral_id else None
        )
        return Known(
            circumstances=frozenset(circumstances),
            services=frozenset(services),
            referral_service=referral.get("service") if referral else None,
        )

    async def _insert_new(self, facts: list[Document]) -> None:
        """Insert the facts not known yet; the known ones are left as they are."""
        try:
            await self.facts.insert_many(facts, ordered=False)
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors", [])
            if any(error.get("code") != _DUPLICATE_KEY for error in errors):
                raise
