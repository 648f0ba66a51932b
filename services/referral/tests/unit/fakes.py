"""In-memory stand-ins for the referral handlers' ports, and a journal a colleague cuts into."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from inson_contracts.events import REGISTRY, Event
from inson_contracts.events.referral import ReferralIssued
from inson_contracts.personal import SEALED, merge_personal, split_personal
from inson_runtime.eventstore import AppendResult, Causation
from inson_runtime.testing import InMemoryJournal
from referral.domain.person import SealedApplicant
from referral.domain.routing import PlanRecord


class FakePlanRecords:
    """The plan policy's record (``adapters/plans.py``) in a dict, with its update rules."""

    def __init__(self) -> None:
        self.records: dict[str, PlanRecord] = {}
        self.cases: dict[str, str] = {}

    async def get(self, plan_id: str) -> PlanRecord:
        return self.records.get(plan_id, PlanRecord(plan_id))

    async def remember(
        self, plan_id: str, case_id: str, version: int, item_ids: Sequence[str]
    ) -> None:
        known = await self.get(plan_id)
        items = known.items + tuple(i for i in item_ids if i not in known.items)
        self.records[plan_id] = replace(known, version=max(known.version, version), items=items)
        self.cases[plan_id] = case_id

    async def add_round(self, plan_id: str, item_id: str, round_: int, referral_id: str) -> None:
        known = await self.get(plan_id)
        rounds = known.referrals_of(item_id)
        assert len(rounds) + 1 == round_, "rounds are added one after another"
        self.records[plan_id] = replace(
            known, rounds={**known.rounds, item_id: (*rounds, referral_id)}
        )

    async def close(self, plan_id: str, case_id: str) -> None:
        self.records[plan_id] = replace(await self.get(plan_id), closed=True)
        self.cases[plan_id] = case_id

    async def of_case(self, case_id: str) -> list[PlanRecord]:
        return [
            self.records[plan_id]
            for plan_id in sorted(self.records)
            if self.cases.get(plan_id) == case_id
        ]


class FakeApplicants:
    """The applicants port (``adapters/applicants.py``) in dicts, keeping only sealed forms."""

    def __init__(self) -> None:
        self.applications: dict[str, dict[str, Any]] = {}
        self.people: dict[str, dict[str, Any]] = {}

    async def submitted(
        self, application_id: str, case_id: str, event_type: str, data: dict[str, Any]
    ) -> None:
        sealed = data.get(SEALED)
        kept = {
            "case_id": case_id,
            "type": event_type,
            "address": {
                k: v for k, v in data["address"].items() if k in ("region", "district", "mahalla")
            },
            SEALED: copy.deepcopy(sealed) if isinstance(sealed, dict) else None,
        }
        self.applications.setdefault(application_id, kept)

    async def opened(self, case_id: str, application_id: str) -> None:
        self.people.setdefault(case_id, {})["application_id"] = application_id

    async def erase(self, case_id: str) -> None:
        linked = self.people.get(case_id, {}).get("application_id")
        for application_id, kept in self.applications.items():
            if kept["case_id"] == case_id or application_id == linked:
                kept[SEALED] = None
        self.people.setdefault(case_id, {})["erased"] = True

    async def of_case(self, case_id: str) -> SealedApplicant | None:
        person = self.people.get(case_id, {})
        kept = self.applications.get(person.get("application_id", ""))
        if person.get("erased") or kept is None or kept[SEALED] is None:
            return None
        return SealedApplicant(kept["type"], {"address": kept["address"], SEALED: kept[SEALED]})


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


class FakeSealer:
    """Seals and opens like the runtime's sealer, without cryptography: the personal
    values stay in this object under a token, and erasing a person forgets theirs."""

    def __init__(self) -> None:
        self.vault: dict[str, tuple[str, dict[str, Any]]] = {}
        self.erased: set[str] = set()
        self.opened: list[str] = []

    def seal(self, event_type: str, data: dict[str, Any], kid: str) -> dict[str, Any]:
        public, values = split_personal(REGISTRY.class_for(event_type), data)
        token = f"ct-{len(self.vault)}"
        self.vault[token] = (kid, values)
        sealed = {"v": 1, "alg": "fake", "kid": kid, "paths": sorted(values), "ct": token}
        return {**public, SEALED: sealed}

    def erase(self, kid: str) -> None:
        self.erased.add(kid)

    async def open(self, event_type: str, data: dict[str, Any]) -> dict[str, Any]:
        sealed = data[SEALED]
        self.opened.append(sealed["kid"])
        public = {k: v for k, v in data.items() if k != SEALED}
        if sealed["kid"] in self.erased:
            return {**public, SEALED: {**sealed, "ct": None, "erased": True}}
        kid, values = self.vault[sealed["ct"]]
        assert kid == sealed["kid"], "a ciphertext moved to another person does not open"
        return merge_personal(public, values)
