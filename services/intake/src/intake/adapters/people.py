"""Which case a person already belongs to: intake's identity reservations.

A reservation is a document whose ``_id`` is a key of the person (their
PINFL, or their name folded across scripts plus birth date: see
``domain/identity.py``) and whose value is the case. A key is reserved again
(after a crash, or a store that lost the case) by inserting its next
*generation*, ``<key>#<n>``, never by changing a document: the unique ``_id``
is the one race FerretDB settles without transactions (an update there is a
read and a write, so two conditional updates at once may both succeed).
Documents of the first generation keep the bare key as ``_id``, so the
reservations made before generations existed read as generation 0.

Likely matches (a similar name, the same birth date) come from the ``people``
projection, which is eventually consistent: good enough for a suggestion that
a social worker confirms.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from inson_contracts.events.values import PersonName
from inson_runtime.mongo import Document
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from intake.domain.identity import Reservation
from intake.domain.names import PersonName as Spelling
from intake.domain.names import names_match
from intake.projections.views import PEOPLE

RESERVATIONS = "person_reservations"
# Generations read at once: nearly every key has only its first.
BATCH = 2


class MongoPersonIndex:
    """The ``PersonIndex`` port (``handlers/ports.py``) on MongoDB."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.reserved = db[RESERVATIONS]
        self.people = db[PEOPLE]

    async def reservations(self, keys: Sequence[str]) -> dict[str, Reservation]:
        """The latest generation of each key: one read of the first few generations of all."""
        latest: dict[str, Reservation] = {}
        wanted = {key: 0 for key in keys}
        while wanted:
            ids = [
                _doc_id(k, g) for k, first in wanted.items() for g in range(first, first + BATCH)
            ]
            found = {doc["_id"]: doc async for doc in self.reserved.find({"_id": {"$in": ids}})}
            more: dict[str, int] = {}
            for key, first in wanted.items():
                for generation in range(first, first + BATCH):
                    doc = found.get(_doc_id(key, generation))
                    if doc is None:
                        break
                    latest[key] = _reservation(key, generation, doc)
                else:
                    more[key] = first + BATCH  # every generation read is there: read on
            wanted = more
        return latest

    async def reserve(self, reservation: Reservation) -> Reservation:
        doc_id = _doc_id(reservation.key, reservation.generation)
        try:
            await self.reserved.insert_one(
                {
                    "_id": doc_id,
                    "case_id": reservation.case_id,
                    "reserved_at": reservation.reserved_at,
                    "settled": reservation.settled,
                }
            )
        except DuplicateKeyError:
            doc = await self.reserved.find_one({"_id": doc_id})
            if doc is None:  # removed meanwhile (an erasure): try once more
                return await self.reserve(reservation)
            return _reservation(reservation.key, reservation.generation, doc)
        return reservation

    async def settle(self, reservation: Reservation) -> None:
        doc_id = _doc_id(reservation.key, reservation.generation)
        await self.reserved.update_one(
            {"_id": doc_id, "case_id": reservation.case_id}, {"$set": {"settled": True}}
        )

    async def forget(self, case_id: str) -> int:
        """Drop the case's identity keys (PINFLs, names): part of an erasure.

        The keys are personal data in the clear; without them a later
        application by the same person opens a new case.
        """
        result = await self.reserved.delete_many({"case_id": case_id})
        return result.deleted_count

    async def likely_case(self, name: PersonName, birth_date: date) -> str | None:
        """A case with someone of the same birth date and a similar name."""
        wanted = Spelling(name.last_name, name.first_name, name.patronymic)
        async for person in self.people.find({"birth_date": birth_date.isoformat()}).limit(200):
            found = Spelling(person["last_name"], person["first_name"], person.get("patronymic"))
            if names_match(wanted, found) != "no":
                return str(person["case_id"])
        return None


def _doc_id(key: str, generation: int) -> str:
    # Keys never hold "#" (see domain/identity.py).
    return key if generation == 0 else f"{key}#{generation}"


def _reservation(key: str, generation: int, doc: Document) -> Reservation:
    return Reservation(
        key=key,
        generation=generation,
        case_id=str(doc["case_id"]),
        reserved_at=doc.get("reserved_at"),
        settled=bool(doc.get("settled", True)),
    )
