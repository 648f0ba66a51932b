"""Intake's command handlers on the in-memory journal, with in-memory ports.

No broker, no database: each test runs in milliseconds. The fakes
(``fakes.py``) keep the rules of the real adapters that the handlers rely on.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from inson_contracts.events.values import HouseholdMember
from inson_runtime.testing import InMemoryJournal, MovableClock
from intake.handlers.commands import Intake, case_repository
from intake.handlers.submissions import NewApplication

from .fakes import InMemoryPersonIndex, RecordingShredder, child, new_application


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


@pytest.fixture
def application() -> Callable[..., NewApplication]:
    """An application as the API hands it over: ``application(pinfl=..., born=...)``."""
    return new_application


@pytest.fixture
def member() -> Callable[[str], HouseholdMember]:
    """A household member with a PINFL: ``member("50105150000001")``."""
    return child
