"""Each case's applicant as intake published them, kept sealed (the applicants port).

Two collections, both written by the person policy from intake's topic read
without opening (``open_personal=False``):

- ``applicants``: one document per application, ``_id`` the application id:
  the event type, the case it was recorded in (whose key sealed it), the
  address's public part (region, district, mahalla) and the ``sealed``
  member exactly as intake wrote it. Nothing personal is ever stored in the
  clear: an event without a sealed member (written before sealing existed)
  keeps no personal data here at all.
- ``people``: one per case, ``_id`` the case id: the application that opened
  it. A likely match refused by a worker opens a new case from an
  application recorded (and sealed) under the first case; the link finds it.

The sealed member carries every personal field of the application (the
household, the phone too) under one ciphertext that cannot be cut without
opening it; only the applicant's name, birth date and address are ever taken
out of it, at an audited read. An erasure unsets it for good.
"""

from __future__ import annotations

from typing import Any

from inson_contracts.personal import SEALED
from inson_runtime.mongo import Document
from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from referral.domain.person import SealedApplicant

APPLICANTS = "applicants"
PEOPLE = "people"
_PUBLIC_ADDRESS = ("region", "district", "mahalla")


class Applicants:
    """The applicants port (``handlers/ports.py``) on MongoDB."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.applicants = db[APPLICANTS]
        self.people = db[PEOPLE]

    async def ensure_indexes(self) -> None:
        # An erasure blanks every application sealed under the case.
        await self.applicants.create_index([("case_id", ASCENDING)])

    async def submitted(
        self, application_id: str, case_id: str, event_type: str, data: dict[str, Any]
    ) -> None:
        sealed = data.get(SEALED)
        address = data.get("address") or {}
        kept: dict[str, Any] = {
            "case_id": case_id,
            "type": event_type,
            "address": {k: address[k] for k in _PUBLIC_ADDRESS if k in address},
            # Only ciphertext; a form in clear (from before sealing) is not kept.
            SEALED: sealed if isinstance(sealed, dict) else None,
        }
        await self.applicants.update_one(
            {"_id": application_id}, {"$setOnInsert": kept}, upsert=True
        )

    async def opened(self, case_id: str, application_id: str) -> None:
        await self.people.update_one(
            {"_id": case_id}, {"$set": {"application_id": application_id}}, upsert=True
        )

    async def erase(self, case_id: str) -> None:
        person = await self.people.find_one({"_id": case_id})
        sealed_here: list[dict[str, Any]] = [{"case_id": case_id}]
        if person is not None and person.get("application_id"):
            sealed_here.append({"_id": person["application_id"]})
        await self.applicants.update_many(
            {"$or": sealed_here}, {"$set": {SEALED: None, "erased": True}}
        )
        await self.people.update_one({"_id": case_id}, {"$set": {"erased": True}}, upsert=True)

    async def of_case(self, case_id: str) -> SealedApplicant | None:
        person = await self.people.find_one({"_id": case_id})
        if person is None or person.get("erased") or not person.get("application_id"):
            return None
        doc = await self.applicants.find_one({"_id": person["application_id"]})
        if doc is None or not isinstance(doc.get(SEALED), dict):
            return None
        return SealedApplicant(doc["type"], {"address": doc["address"], SEALED: doc[SEALED]})
