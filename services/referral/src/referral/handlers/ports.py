"""What the referral handlers need besides the referral repository.

- :class:`PlanRecords`: the plan policy's own record of the items it referred
  (``adapters/plans.py``), read by the policy and by the as-of view;
- :class:`WindowLoads` and :class:`DueDeadlines`: two reads of the service's
  projections (``projections/queries.py``), for balancing a center's windows
  and for finding the deadlines that have come;
- :data:`Clock`: now, moved by tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Protocol

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

    async def close(self, plan_id: str, case_id: str) -> None:
        """Mark the plan closed: nothing of it is referred again."""
        ...

    async def of_case(self, case_id: str) -> list[tuple[str, tuple[str, ...]]]:
        """The case's plans and the items each referred, by plan id."""
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
