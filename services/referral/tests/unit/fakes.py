"""In-memory stand-ins for the referral handlers' ports, and a journal a colleague cuts into."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from inson_contracts.events import Event
from inson_contracts.events.referral import ReferralIssued
from inson_runtime.eventstore import AppendResult, Causation
from inson_runtime.testing import InMemoryJournal
from referral.domain.routing import PlanRecord


class FakePlanRecords:
    """The plan policy's record (``adapters/plans.py``) in a dict, with its update rules."""

    def __init__(self) -> None:
        self.records: dict[str, PlanRecord] = {}
        self.cases: dict[str, str] = {}

    async def get(self, plan_id: str) -> PlanRecord:
        return self.records.get(plan_id, PlanRecord())

    async def remember(
        self, plan_id: str, case_id: str, version: int, item_ids: Sequence[str]
    ) -> None:
        known = self.records.get(plan_id, PlanRecord())
        items = known.items + tuple(i for i in item_ids if i not in known.items)
        self.records[plan_id] = PlanRecord(max(known.version, version), items, known.closed)
        self.cases[plan_id] = case_id

    async def close(self, plan_id: str, case_id: str) -> None:
        known = self.records.get(plan_id, PlanRecord())
        self.records[plan_id] = PlanRecord(known.version, known.items, closed=True)
        self.cases[plan_id] = case_id

    async def of_case(self, case_id: str) -> list[tuple[str, tuple[str, ...]]]:
        return [
            (plan_id, self.records[plan_id].items)
            for plan_id in sorted(self.records)
            if self.cases.get(plan_id) == case_id
        ]


class FakeReadModel:
    """The two projection reads the policies make.

    Window loads are what the test sets. Every referral ever issued is
    offered as due, like a read model that lags as far as it can: the
    policy must decide on each referral's own stream, not on the read model.
    """

    def __init__(self, journal: InMemoryJournal) -> None:
        self.journal = journal
        self.loads: dict[str, int] = {}
        self.asked: list[tuple[datetime, datetime, int]] = []

    async def open_by_window(self, windows: Sequence[str]) -> dict[str, int]:
        return {window: self.loads.get(window, 0) for window in windows}

    async def due_deadlines(self, now: datetime, issued_before: datetime, limit: int) -> list[str]:
        self.asked.append((now, issued_before, limit))
        issued = self.journal.outbox.events_of_type(ReferralIssued)
        return [e.referral_id for e in issued][:limit]


class RacingJournal(InMemoryJournal):
    """An in-memory journal where a colleague's events land just before the next appends.

    Each entry of ``cut_in`` is recorded right before one append of the
    handler under test, on the same stream, so that append is stale.
    """

    def __init__(self) -> None:
        super().__init__()
        self.cut_in: list[list[Event]] = []

    async def record(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[Event],
        causation: Causation,
        *,
        commit_id: str | None = None,
    ) -> AppendResult:
        if self.cut_in:
            theirs = self.cut_in.pop(0)
            await super().record(stream_id, await self.store.version(stream_id), theirs, causation)
        return await super().record(
            stream_id, expected_version, events, causation, commit_id=commit_id
        )
