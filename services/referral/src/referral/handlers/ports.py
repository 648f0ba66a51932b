"""What the referral handlers need besides the referral repository.

- :class:`PlanRecords`: the plan policy's own record of the items it referred
  and of each item's rounds (``adapters/plans.py``), read by the policy and
  by the as-of view;
- :class:`WindowLoads` and :class:`DueDeadlines`: two reads of the service's
  projections (``projections/queries.py``), for balancing a center's windows
  and for finding the deadlines that have come;
- :class:`Applicants` and :class:`PersonalData`: the applicant of each case in
  the sealed wire form intake published (``adapters/applicants.py``), and the
  runtime's sealer that opens it at an audited read;
- :data:`Clock`: now, moved by tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from referral.domain.person import SealedApplicant
from referral.domain.routing import PlanRecord

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class PlanRecords(Protocol):
    async def get(self, plan_id: str) -> PlanRecord:
        """The plan's record; an empty one for a plan never referred."""
        ...

    async def remember(
        self, plan_id: str, case_id: str, version: int, item_ids: Sequence[str]
    ) -> None:
        """Add these items to the plan's record and raise its version to ``version``."""
        ...

    async def add_round(self, plan_id: str, item_id: str, round_: int, referral_id: str) -> None:
        """Record that the item's round ``round_`` (2 or more) is ``referral_id``."""
        ...

    async def close(self, plan_id: str, case_id: str) -> None:
        """Mark the plan closed: nothing of it is referred again."""
        ...

    async def of_case(self, case_id: str) -> list[PlanRecord]:
        """The records of the case's plans, by plan id."""
        ...


class WindowLoads(Protocol):
    async def open_by_window(self, windows: Sequence[str]) -> dict[str, int]:
        """Open referrals per window, as the read model counts them."""
        ...


class DueDeadlines(Protocol):
    async def due_deadlines(self, now: datetime, issued_before: datetime, limit: int) -> list[str]:
        """Referrals awaiting acceptance whose next escalation is due at ``now``,
        or issued before ``issued_before`` (to expire), the earliest first."""
        ...


class Applicants(Protocol):
    async def submitted(
        self, application_id: str, case_id: str, event_type: str, data: dict[str, Any]
    ) -> None:
        """Keep an application's applicant and address, sealed (``data`` as on the wire)."""
        ...

    async def opened(self, case_id: str, application_id: str) -> None:
        """The case was opened by this application: its applicant is the case's."""
        ...

    async def erase(self, case_id: str) -> None:
        """Blank what is kept of the case's person, whichever case it was sealed under."""
        ...

    async def of_case(self, case_id: str) -> SealedApplicant | None:
        """The case's applicant, sealed; None if unknown or erased."""
        ...


class PersonalData(Protocol):
    async def open(self, event_type: str, data: dict[str, Any]) -> dict[str, Any]:
        """The data with its personal fields opened (absent after an erasure)."""
        ...
