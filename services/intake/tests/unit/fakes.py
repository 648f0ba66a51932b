"""In-memory fakes of intake's ports, and applications as the API hands them over.

They keep the rules of the real adapters that the handlers rely on: a
generation of a key is reserved by the first insert and stays with it; a
likely match is a similar name with the same birth date among the people
known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from inson_contracts.codes.channels import Channel
from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.codes.names import Language
from inson_contracts.events.intake import Applicant
from inson_contracts.events.values import Address, HouseholdMember, PersonName, Relation, Sex
from intake.domain.identity import Reservation
from intake.domain.names import PersonName as Spelling
from intake.domain.names import names_match
from intake.handlers.submissions import NewApplication

REGION, DISTRICT, MAHALLA = "1735", "1735207", "1735207001"
OTHER_MAHALLA = "1735207002"


class InMemoryPersonIndex:
    """The PersonIndex port: identity reservations by (key, generation), first
    insert wins, and the people the ``people`` projection would know
    (``knows``), for likely matches."""

    def __init__(self) -> None:
        self.generations: dict[tuple[str, int], Reservation] = {}
        self.people: list[tuple[PersonName, date, str]] = []

    @property
    def current(self) -> dict[str, str]:
        """Each key's case now (its latest generation's): what a test asserts."""
        return {key: r.case_id for (key, _), r in sorted(self.generations.items())}

    def knows(self, name: PersonName, birth_date: date, case_id: str) -> None:
        self.people.append((name, birth_date, case_id))

    def holds(self, key: str, case_id: str, **fields: Any) -> Reservation:
        """Put a reservation straight in (what an earlier run or a crash left)."""
        current = [g for (k, g) in self.generations if k == key]
        generation = max(current) + 1 if current else 0
        r = Reservation(key, generation, case_id, **fields)
        self.generations[(key, generation)] = r
        return r

    async def reservations(self, keys: Sequence[str], /) -> dict[str, Reservation]:
        latest: dict[str, Reservation] = {}
        for key in keys:
            generation = 0
            while (key, generation) in self.generations:
                latest[key] = self.generations[(key, generation)]
                generation += 1
        return latest

    async def reserve(self, reservation: Reservation, /) -> Reservation:
        at = (reservation.key, reservation.generation)
        return self.generations.setdefault(at, reservation)

    async def settle(self, reservation: Reservation, /) -> None:
        at = (reservation.key, reservation.generation)
        held = self.generations.get(at)
        if held is not None and held.case_id == reservation.case_id:
            self.generations[at] = replace(held, settled=True)

    async def forget(self, case_id: str, /) -> int:
        gone = [at for at, r in self.generations.items() if r.case_id == case_id]
        for at in gone:
            del self.generations[at]
        return len(gone)

    async def likely_case(self, name: PersonName, birth_date: date, /) -> str | None:
        wanted = Spelling(name.last_name, name.first_name, name.patronymic)
        for known, born, case_id in self.people:
            found = Spelling(known.last_name, known.first_name, known.patronymic)
            if born == birth_date and names_match(wanted, found) != "no":
                return case_id
        return None


class RecordingShredder:
    """The KeyShredder port: remembers whose key was destroyed, why and by whom."""

    def __init__(self) -> None:
        self.erased: dict[str, tuple[str, str]] = {}
        self.calls = 0

    async def erase(self, case_id: str, /, *, reason: str, erased_by: str) -> bool:
        self.calls += 1
        if case_id in self.erased:
            return False
        self.erased[case_id] = (reason, erased_by)
        return True


def new_application(
    last: str = "Yoʻldosheva",
    first: str = "Malika",
    *,
    born: date = date(1948, 3, 8),
    pinfl: str | None = None,
    channel: Channel = Channel.MAHALLA_TABLET,
    mahalla: str = MAHALLA,
    district: str = DISTRICT,
    region: str = REGION,
    circumstances: tuple[Circumstance, ...] = (Circumstance.LONELY_ELDERLY,),
    household: tuple[HouseholdMember, ...] = (),
) -> NewApplication:
    return NewApplication(
        channel=channel,
        applicant=Applicant(
            pinfl=pinfl,
            name=PersonName(last_name=last, first_name=first),
            birth_date=born,
            sex=Sex.FEMALE,
            language=Language.UZ_CYRL,
        ),
        address=Address(region=region, district=district, mahalla=mahalla),
        household=household,
        circumstances=circumstances,
        circumstances_note=None,
        consent_text_version="2026-01",
    )


def child(pinfl: str) -> HouseholdMember:
    return HouseholdMember(
        relation=Relation.CHILD,
        name=PersonName(last_name="Yoʻldoshev", first_name="Aziz"),
        birth_date=date(2015, 5, 1),
        pinfl=pinfl,
    )
