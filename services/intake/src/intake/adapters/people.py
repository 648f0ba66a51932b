"""Which case a person already belongs to: intake's identity reservations.

A reservation is a document whose ``_id`` is a key of the person (their
PINFL, or their name folded across scripts plus birth date: see
``domain/identity.py``) and whose value is the case. The unique ``_id``
settles races without transactions: of two applications for the same new
person submitted at once, one reserves the key and the other finds it taken
and joins that case.

Likely matches (a similar name, the same birth date) come from the ``people``
projection, which is eventually consistent: good enough for a suggestion that
a social worker confirms.
"""

from __future__ import annotations

from datetime import date

from inson_contracts.events.values import PersonName
from inson_runtime.mongo import Document
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from intake.domain.names import PersonName as Spelling
from intake.domain.names import names_match
from intake.projections.views import PEOPLE

RESERVATIONS = "person_reservations"


class MongoPersonIndex:
    """The ``PersonIndex`` port (``handlers/ports.py``) on MongoDB."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.reservations = db[RESERVATIONS]
        self.people = db[PEOPLE]

    async def case_of(self, key: str) -> str | None:
        doc = await self.reservations.find_one({"_id": key})
        return str(doc["case_id"]) if doc else None

    async def reserve(self, key: str, case_id: str) -> str:
        """Reserve ``key`` for ``case_id``; return the case that holds it now."""
        try:
            await self.reservations.insert_one({"_id": key, "case_id": case_id})
        except DuplicateKeyError:
            holder = await self.case_of(key)
            if holder is None:  # removed meanwhile: try once more
                return await self.reserve(key, case_id)
            return holder
        return case_id

    async def forget(self, case_id: str) -> int:
        """Drop the case's identity keys (PINFLs, names): part of an erasure.

        The keys are personal data in the clear; without them a later
        application by the same person opens a new case.
        """
        result = await self.reservations.delete_many({"case_id": case_id})
        return result.deleted_count

    async def likely_case(self, name: PersonName, birth_date: date) -> str | None:
        """A case with someone of the same birth date and a similar name."""
        wanted = Spelling(name.last_name, name.first_name, name.patronymic)
        async for person in self.people.find({"birth_date": birth_date.isoformat()}).limit(200):
            found = Spelling(person["last_name"], person["first_name"], person.get("patronymic"))
            if names_match(wanted, found) != "no":
                return str(person["case_id"])
        return None
