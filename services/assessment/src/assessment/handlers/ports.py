"""What the handlers need besides the case-file repository, as protocols.

``main.py`` plugs in the MongoDB implementations (``adapters/``, and the
read models in ``projections/queries.py``); unit tests plug in fakes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Protocol

from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.envelope import Envelope

from assessment.domain.drafts import SavedDraft


class Caseloads(Protocol):
    async def of(self, worker_ids: Sequence[str]) -> dict[str, int]:
        """Open cases per worker (eventually consistent: balancing needs no more)."""
        ...


class Drafts(Protocol):
    async def latest(self, case_id: str) -> SavedDraft | None: ...

    async def save(self, case_id: str, saved: SavedDraft) -> bool:
        """Write ``saved`` if the stored revision is the one before it; False if not."""
        ...

    async def discard(self, case_id: str) -> None: ...


class CaseFacts(Protocol):
    async def circumstances(self, case_id: str) -> list[Circumstance]:
        """What intake said of the case's circumstances (none known: empty)."""
        ...


class ReferralTracker(Protocol):
    """Where each referral stands (``domain/referral_states.py`` says what changes)."""

    async def follow(
        self, referral_id: str, case_id: str, changes: dict[str, Any], envelope: Envelope
    ) -> None:
        """Apply a referral event's changes to its record, once per stream version."""
        ...

    async def supersede(
        self,
        case_id: str,
        item_id: str,
        referral_id: str,
        issued_at: datetime,
        replaces: str | None,
    ) -> None:
        """A referral issued for the item supersedes the item's earlier ones."""
        ...

    async def item_of(self, referral_id: str) -> str | None:
        """Which plan item the referral serves (None: not issued here yet)."""
        ...


class PersonalData(Protocol):
    """The runtime's sealer: personal fields in and out of their sealed wire form."""

    async def seal(self, event_type: str, data: dict[str, Any], subject: str) -> dict[str, Any]:
        """The data with its personal fields sealed under the person's key."""
        ...

    async def open(self, event_type: str, data: dict[str, Any]) -> dict[str, Any]:
        """The data with its personal fields opened (absent after an erasure)."""
        ...


class DueRegistration(Protocol):
    @property
    def registration_id(self) -> str: ...

    @property
    def case_id(self) -> str: ...


class HousingRegistrations(Protocol):
    async def due(self, today: date, *, limit: int) -> Sequence[DueRegistration]:
        """Registrations not yet expired whose last day is before ``today``."""
        ...

    async def ending(self, today: date, by: date, *, limit: int) -> Sequence[DueRegistration]:
        """Registrations not yet told of, nor continued by another, whose last day is between
        ``today`` and ``by``."""
        ...
