"""Intake's command handlers on the in-memory journal, with in-memory ports.

No broker, no database: each test runs in milliseconds. The fakes keep the
rules of the real adapters that the handlers rely on (a reserved key stays
with its first case; a likely match is a similar name with the same birth
date among the people known).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from inson_contracts.codes.channels import Channel
from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.codes.names import Language
from inson_contracts.events.intake import Applicant
from inson_contracts.events.values import Address, HouseholdMember, PersonName, Relation, Sex
from inson_runtime.testing import InMemoryJournal, MovableClock
from intake.domain.names import PersonName as Spelling
from intake.domain.names import names_match
from intake.handlers.commands import Intake, case_repository
from intake.handlers.submissions import NewApplication

REGION, DISTRICT, MAHALLA = "1735", "1735207", "1735207001"
OTHER_MAHALLA = "1735207002"


class InMemoryPersonIndex:
    """The PersonIndex port: identity reservations, and the people the
    ``people`` projection would know (``knows``), for likely matches."""

    def __init__(self) -> None:
        self.reservations: dict[str, str] = {}
        self.people: list[tuple[PersonName, date, str]] = []

    def knows(self, name: PersonName, birth_date: date, case_id: str) -> None:
        self.people.append((name, birth_date, case_id))

    async def case_of(self, key: str, /) -> str | None:
        return self.reservations.get(key)

    async def reserve(self, key: str, case_id: str, /) -> str:
        return self.reservations.setdefault(key, case_id)

    async def forget(self, case_id: str, /) -> int:
        keys = [key for key, holder in self.reservations.items() if holder == case_id]
        for key in keys:
            del self.reservations[key]
        return len(keys)

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


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def journal() -> InMemoryJournal:
    return InMemoryJournal()


@pytest.fixture
def people() -> InMemoryPersonIndex:
    return InMemoryPersonIndex()


@pytest.fixture
def keys() -> RecordingShredder:
    return RecordingShredder()


@pytest.fixture
def intake(
    journal: InMemoryJournal,
    people: InMemoryPersonIndex,
    keys: RecordingShredder,
    clock: MovableClock,
) -> Intake:
    return Intake(case_repository(journal), people, keys, clock)


def _application(
    last: str = "Yoʻldosheva",
    first: str = "Malika",
    *,
    born: date = date(1948, 3, 8),
    pinfl: str | None = None,
    channel: Channel = Channel.MAHALLA_TABLET,
    mahalla: str = MAHALLA,
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
        address=Address(region=REGION, district=DISTRICT, mahalla=mahalla),
        household=household,
        circumstances=circumstances,
        circumstances_note=None,
        consent_text_version="2026-01",
    )


@pytest.fixture
def application() -> Callable[..., NewApplication]:
    """An application as the API hands it over: ``application(pinfl=..., born=...)``."""
    return _application


def child(pinfl: str) -> HouseholdMember:
    return HouseholdMember(
        relation=Relation.CHILD,
        name=PersonName(last_name="Yoʻldoshev", first_name="Aziz"),
        birth_date=date(2015, 5, 1),
        pinfl=pinfl,
    )


@pytest.fixture
def member() -> Callable[[str], HouseholdMember]:
    """A household member with a PINFL: ``member("50105150000001")``."""
    return child
