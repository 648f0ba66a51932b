"""In-memory stand-ins for the ports of assessment's handlers, and a world to run them in.

The case files live in ``InMemoryJournal`` (no broker, no database); the
ports are small dicts that keep the rules of their MongoDB adapters (the
draft's revision rule above all).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from assessment.domain.case_file import CaseFile
from assessment.domain.drafts import SavedDraft
from assessment.handlers.case_files import CaseFiles, case_files
from assessment.handlers.commands import Assessments
from assessment.handlers.policies import Policies
from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.envelope import Envelope
from inson_contracts.events import CaseOpened, Event, ReferralIssued
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


class FakeReferralLinks:
    def __init__(self) -> None:
        self.items: dict[str, str] = {}

    async def remember(self, issued: ReferralIssued) -> None:
        self.items[issued.referral_id] = issued.item_id

    async def item_of(self, referral_id: str) -> str | None:
        return self.items.get(referral_id)


@dataclass(frozen=True)
class Registration:
    registration_id: str
    case_id: str
    valid_until: date


class FakeHousing:
    def __init__(self) -> None:
        self.registrations: list[Registration] = []

    async def due(self, today: date, *, limit: int) -> list[Registration]:
        return [r for r in self.registrations if r.valid_until <= today][:limit]


@dataclass
class World:
    """Assessment's handlers over the in-memory journal and the fakes, on a clock tests move."""

    clock: MovableClock = field(default_factory=MovableClock)
    journal: InMemoryJournal = field(default_factory=InMemoryJournal)
    caseloads: FakeCaseloads = field(default_factory=FakeCaseloads)
    drafts: FakeDrafts = field(default_factory=FakeDrafts)
    facts: FakeCaseFacts = field(default_factory=FakeCaseFacts)
    links: FakeReferralLinks = field(default_factory=FakeReferralLinks)
    housing: FakeHousing = field(default_factory=FakeHousing)

    def __post_init__(self) -> None:
        # Commit times follow the test's clock, for reading a case as of a moment.
        self.journal.store.clock = self.clock
        self.files: CaseFiles = case_files(self.journal)
        self.assessments = Assessments(
            self.files,
            caseloads=self.caseloads,
            drafts=self.drafts,
            facts=self.facts,
            clock=self.clock,
        )
        self.policies = Policies(
            self.files,
            caseloads=self.caseloads,
            referral_links=self.links,
            housing=self.housing,
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
