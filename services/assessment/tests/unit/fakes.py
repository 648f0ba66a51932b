"""In-memory stand-ins for the ports of assessment's handlers, and a world to run them in.

The case files live in ``InMemoryJournal`` (no broker, no database); the
ports are small dicts that keep the rules of their MongoDB adapters (the
draft's revision rule above all).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from assessment.domain.case_file import CaseFile
from assessment.domain.drafts import SavedDraft
from assessment.handlers.case_files import CaseFiles, case_files
from assessment.handlers.commands import Assessments
from assessment.handlers.outcomes import Outcomes
from assessment.handlers.policies import Policies
from assessment.projections.queries import CaseFileItem
from assessment.projections.referral_queries import AttentionRow
from assessment.projections.referral_records import ReferralRecord, record_of
from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.envelope import Envelope
from inson_contracts.events import (
    REGISTRY,
    CaseOpened,
    Event,
    TemporaryHousingEndingSoon,
    TemporaryHousingExpired,
    TemporaryHousingGranted,
)
from inson_contracts.personal import SEALED, merge_personal, split_personal
from inson_runtime.apikit import Page
from inson_runtime.auth import Principal, Role, Scope
from inson_runtime.testing import InMemoryJournal, MovableClock

DISTRICT = "1703401"
# Covered by two social workers, so a case can be handed to the other one.
MAHALLA = "1703401006"
WORKERS = ("sw-1703401-03", "sw-1703401-04")
ELSEWHERE = "1703202"
SITUATION: dict[str, Any] = {
    "members": [
        {
            "member_ref": "m1",
            "age": 74,
            "sex": "female",
            "disability_group": "group_2",
            "needs_help_with_daily_living": True,
            "chronic_illness": True,
            "employment": "pensioner",
        },
    ],
    "income_sources": [{"kind": "pension", "monthly_amount_uzs": 900000}],
    "housing": "needs_repair",
    "resources": {"relatives_support": False, "livestock": False},
}


class FakeCaseloads:
    def __init__(self) -> None:
        self.loads: dict[str, int] = {}
        self.asked: list[list[str]] = []

    async def of(self, worker_ids: Sequence[str]) -> dict[str, int]:
        self.asked.append(list(worker_ids))
        return {w: self.loads.get(w, 0) for w in worker_ids}


class FakeDrafts:
    def __init__(self) -> None:
        self.saved: dict[str, SavedDraft] = {}

    async def latest(self, case_id: str) -> SavedDraft | None:
        return self.saved.get(case_id)

    async def save(self, case_id: str, saved: SavedDraft) -> bool:
        stored = self.saved.get(case_id)
        if (stored.revision if stored else 0) != saved.revision - 1:
            return False
        self.saved[case_id] = saved
        return True

    async def discard(self, case_id: str) -> None:
        self.saved.pop(case_id, None)


class FakeCaseFacts:
    def __init__(self) -> None:
        self.circumstances_of: dict[str, list[Circumstance]] = {}

    async def circumstances(self, case_id: str) -> list[Circumstance]:
        return self.circumstances_of.get(case_id, [])


class FakeReferralTracker:
    """The referral records as the MongoDB store keeps them: one dict per referral, each
    event applied once in stream order, an issue superseding the item's earlier ones."""

    def __init__(self) -> None:
        self.docs: dict[str, dict[str, Any]] = {}

    async def follow(
        self, referral_id: str, case_id: str, changes: dict[str, Any], envelope: Envelope
    ) -> None:
        doc = self.docs.setdefault(referral_id, {"_id": referral_id})
        version = envelope.streamversion or 0
        if doc.get("_version", 0) >= version:
            return
        doc.update({"case_id": case_id, **changes, "_version": version})

    async def supersede(
        self,
        case_id: str,
        item_id: str,
        referral_id: str,
        issued_at: datetime,
        replaces: str | None,
    ) -> None:
        if replaces is not None:
            replaced = self.docs.setdefault(replaces, {"_id": replaces})
            replaced.update({"case_id": case_id, "superseded_by": referral_id})
        same = [
            d
            for d in self.docs.values()
            if (d.get("case_id"), d.get("item_id")) == (case_id, item_id)
            and d["_id"] != referral_id
        ]
        for doc in same:
            if doc.get("issued_at") and doc["issued_at"] < issued_at:
                doc.setdefault("superseded_by", referral_id)
        newer = [d for d in same if d.get("issued_at") and d["issued_at"] > issued_at]
        if newer:
            latest = max(newer, key=lambda d: d["issued_at"])
            self.docs[referral_id]["superseded_by"] = latest["_id"]

    async def item_of(self, referral_id: str) -> str | None:
        return self.docs.get(referral_id, {}).get("item_id")


class FakePersonalData:
    """A stand-in sealer: personal fields moved into ``sealed`` (base64-free JSON, no key),
    so a test can tell a stored note from clear text and open it again."""

    def __init__(self) -> None:
        self.sealed = 0
        self.opened = 0

    async def seal(self, event_type: str, data: dict[str, Any], subject: str) -> dict[str, Any]:
        public, values = split_personal(REGISTRY.class_for(event_type), data)
        self.sealed += 1
        ct = json.dumps(values)[::-1]  # not clear text, and reversible
        return {**public, SEALED: {"kid": subject, "paths": sorted(values), "ct": ct}}

    async def open(self, event_type: str, data: dict[str, Any]) -> dict[str, Any]:
        sealed = data.get(SEALED)
        if not isinstance(sealed, dict) or "ct" not in sealed:
            return data
        self.opened += 1
        public = {k: v for k, v in data.items() if k != SEALED}
        return merge_personal(public, json.loads(sealed["ct"][::-1]))


class FakeOutcomeReads:
    """The attention list and a case's referrals over the fake records and the case files
    of the repository (no area filter: the real query's is tested on FerretDB)."""

    def __init__(self, tracker: FakeReferralTracker, files: CaseFiles, clock: MovableClock) -> None:
        self.tracker = tracker
        self.files = files
        self.clock = clock

    async def attention(
        self, principal: Principal, page: int, page_size: int
    ) -> Page[AttentionRow]:
        rows = []
        for doc in self.tracker.docs.values():
            record = record_of(doc, self.clock())
            why = record.state.attention
            file = await self.files.load(record.case_id)
            items = {i.item_id: i for i in file.plan.items} if file.plan else {}
            if why is None or record.item_id not in items:
                continue
            item = CaseFileItem.model_validate(items[record.item_id].model_dump(mode="json"))
            since = record.state.rejected_at or record.state.expired_at or self.clock()
            rows.append(
                AttentionRow(
                    record.case_id,
                    file.worker_id,
                    file.district,
                    file.mahalla,
                    item,
                    record,
                    why,
                    since,
                )
            )
        return Page(items=rows, page=page, page_size=page_size, total=len(rows))

    async def of_case(self, case_id: str) -> list[ReferralRecord]:
        now = self.clock()
        return [record_of(d, now) for d in self.tracker.docs.values() if d["case_id"] == case_id]


@dataclass(frozen=True)
class DueHousing:
    registration_id: str
    case_id: str


class FakeHousing:
    """The ``housing_registrations`` view, folded from what the journal published; ``lag``
    keeps answering from the events published before it was set (a view behind)."""

    def __init__(self, journal: InMemoryJournal) -> None:
        self.journal = journal
        self.lag: int | None = None

    def _view(self) -> dict[str, dict[str, Any]]:
        events = self.journal.outbox.events()
        docs: dict[str, dict[str, Any]] = {}
        for event in events if self.lag is None else events[: self.lag]:
            if isinstance(event, TemporaryHousingGranted):
                docs[event.registration_id] = {"case_id": event.case_id, "doc": event}
                earlier = docs.get(event.extends or "")
                if earlier and earlier["doc"].valid_until < event.valid_until:
                    earlier["extended"] = True
            elif isinstance(event, TemporaryHousingExpired | TemporaryHousingEndingSoon):
                key = "expired" if isinstance(event, TemporaryHousingExpired) else "reminded"
                docs[event.registration_id][key] = True
        return docs

    def behind(self) -> None:
        self.lag = len(self.journal.outbox.events())

    async def due(self, today: date, *, limit: int) -> list[DueHousing]:
        return [
            DueHousing(rid, d["case_id"])
            for rid, d in self._view().items()
            if not d.get("expired") and d["doc"].valid_until < today
        ][:limit]

    async def ending(self, today: date, by: date, *, limit: int) -> list[DueHousing]:
        return [
            DueHousing(rid, d["case_id"])
            for rid, d in self._view().items()
            if not (d.get("expired") or d.get("reminded") or d.get("extended"))
            and today <= d["doc"].valid_until <= by
        ][:limit]


@dataclass
class World:
    """Assessment's handlers over the in-memory journal and the fakes, on a clock tests move."""

    clock: MovableClock = field(default_factory=MovableClock)
    journal: InMemoryJournal = field(default_factory=InMemoryJournal)
    caseloads: FakeCaseloads = field(default_factory=FakeCaseloads)
    drafts: FakeDrafts = field(default_factory=FakeDrafts)
    facts: FakeCaseFacts = field(default_factory=FakeCaseFacts)
    referrals: FakeReferralTracker = field(default_factory=FakeReferralTracker)
    personal: FakePersonalData = field(default_factory=FakePersonalData)

    def __post_init__(self) -> None:
        # Commit times follow the test's clock, for reading a case as of a moment.
        self.journal.store.clock = self.clock
        self.files: CaseFiles = case_files(self.journal)
        self.housing = FakeHousing(self.journal)
        self.assessments = Assessments(
            self.files,
            caseloads=self.caseloads,
            drafts=self.drafts,
            facts=self.facts,
            clock=self.clock,
        )
        self.outcomes = Outcomes(
            self.files, FakeOutcomeReads(self.referrals, self.files, self.clock), self.personal
        )
        self.policies = Policies(
            self.files,
            caseloads=self.caseloads,
            referrals=self.referrals,
            housing=self.housing,
            personal=self.personal,
            clock=self.clock,
        )

    async def open_case(
        self,
        case_id: str = "case-1",
        circumstances: Sequence[str] = ("lonely_elderly",),
        mahalla: str = MAHALLA,
    ) -> CaseFile:
        """Intake's "case opened", as the assignment policy receives it."""
        opened = CaseOpened(
            case_id=case_id,
            application_id=f"app-{case_id}",
            region=DISTRICT[:4],
            district=DISTRICT,
            mahalla=mahalla,
            circumstances=list(circumstances),
            household_size=1,
            language="uz-Latn",
            opened_at=self.clock(),
        )
        self.facts.circumstances_of[case_id] = list(opened.circumstances)
        await self.policies.assign(opened, delivered(opened, f"case-{case_id}"))
        return await self.files.load(case_id)

    def events(self) -> list[Event]:
        return self.journal.outbox.events()


def delivered(event: Event, stream: str, version: int = 1) -> Envelope:
    """``event`` as a consumer receives it from another service's topic."""
    return Envelope(
        id=f"evt-{stream}-{version}",
        source="inson/test",
        type=event.TYPE,
        time=datetime.now(UTC),
        subject=stream,
        streamversion=version,
        data=event.model_dump(mode="json"),
    )


def worker(sub: str, *mahallas: str) -> Principal:
    scope = Scope(district=DISTRICT, mahallas=list(mahallas or (MAHALLA,)))
    return Principal(sub=sub, role=Role.SOCIAL_WORKER, scope=scope)


def supervisor(district: str = DISTRICT, sub: str = "sup-1") -> Principal:
    return Principal(sub=sub, role=Role.SUPERVISOR, scope=Scope(district=district))


def changed(**answers: Any) -> dict[str, Any]:
    """The questionnaire with some answers changed (``resources_x`` for ``resources.x``)."""
    situation = {**SITUATION, "resources": dict(SITUATION["resources"])}
    for key, value in answers.items():
        if key.startswith("resources_"):
            situation["resources"][key.removeprefix("resources_")] = value
        else:
            situation[key] = value
    return situation
