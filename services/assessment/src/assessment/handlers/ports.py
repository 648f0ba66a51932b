"""What the handlers need besides the case-file repository, as protocols.

``main.py`` plugs in the MongoDB implementations (``adapters/``, and the
read models in ``projections/queries.py``); unit tests plug in fakes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.events import ReferralIssued

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


class ReferralLinks(Protocol):
    async def remember(self, issued: ReferralIssued) -> None:
        """Which plan item the referral serves."""
        ...

    async def item_of(self, referral_id: str) -> str | None: ...


class DueRegistration(Protocol):
    @property
    def registration_id(self) -> str: ...

    @property
    def case_id(self) -> str: ...


class HousingRegistrations(Protocol):
    async def due(self, today: date, *, limit: int) -> Sequence[DueRegistration]:
        """Temporary housing registrations not yet expired whose end is ``today`` or earlier."""
        ...
