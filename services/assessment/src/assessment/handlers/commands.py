"""Assessment's command handlers and policies: load the case file, decide, append.

Policies react to other services' events (a case opened, a referral issued
or completed); commands come from the social worker's tablet and the
supervisor. Every append carries a commit id derived from its cause, so a
redelivered event or a retried request changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.codes.staff import workers_covering
from inson_contracts.events import (
    REGISTRY,
    AssessmentCompleted,
    AssessmentRecorded,
    CaseOpened,
    Event,
    PlanDrafted,
)
from inson_contracts.events.assessment import HouseholdSituation
from inson_contracts.events.values import Actor, PlanItem
from inson_runtime.eventstore import AppendResult, Causation, ConcurrencyConflict
from inson_runtime.observability.logging import current_correlation_id
from inson_runtime.service import Runtime

from assessment.adapters.caseload import Caseloads
from assessment.domain.assignment import choose_worker, schedule_home_visit
from assessment.domain.case_file import (
    CaseFile,
    decide_assignment,
    decide_housing_expiry,
    due_by,
    replay,
)
from assessment.domain.eligibility import eligible_services
from assessment.domain.scoring import score
from assessment.projections.views import HOUSING

SOURCE = "inson/assessment"
_IDS = uuid.UUID("0b6f3d8e-2a41-4c55-9f0e-6c1d2e3f4a5b")
URGENT = {Circumstance.CHILD_AT_RISK, Circumstance.DOMESTIC_VIOLENCE, Circumstance.HOMELESS}


def stream(case_id: str) -> str:
    return f"assessment-{case_id}"


def derived_id(*parts: str) -> str:
    return str(uuid.uuid5(_IDS, "/".join(parts)))


class UnknownCaseFile(LookupError):
    pass


class StaleBaseAhead(ValueError):
    """A command claims a base version the case file never had."""

    def __init__(self, base_version: int, version: int) -> None:
        super().__init__(
            f"base_version {base_version} is ahead of the case file (version {version})"
        )


class Assessments:
    def __init__(
        self,
        runtime: Runtime,
        caseloads: Caseloads,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.runtime = runtime
        self.caseloads = caseloads
        self.clock = clock

    async def load(self, case_id: str) -> CaseFile:
        envelopes = await self.runtime.store.load(stream(case_id))
        return replay(case_id, (REGISTRY.parse(e.type, e.data) for e in envelopes))

    async def load_with_base(self, case_id: str, base_version: int) -> tuple[CaseFile, CaseFile]:
        """The case file now, and as it was at ``base_version`` (a tablet's base), in one read."""
        envelopes = await self.runtime.store.load(stream(case_id))
        if base_version > len(envelopes):
            raise StaleBaseAhead(base_version, len(envelopes))
        events = [REGISTRY.parse(e.type, e.data) for e in envelopes]
        return replay(case_id, events), replay(case_id, events[:base_version])

    async def load_as_of(self, case_id: str, at: datetime) -> tuple[CaseFile, datetime | None]:
        """The case file as it was known at ``at``: its events committed at or before it.

        An event's ``time`` is its commit's time in this store, and a stream's
        commits are in time order, so the fold stops at the first later one.
        Returns the file and the time of the last event it folded.
        """
        envelopes = await self.runtime.store.load(stream(case_id))
        known = []
        for envelope in envelopes:
            if envelope.time > at:
                break
            known.append(envelope)
        file = replay(case_id, (REGISTRY.parse(e.type, e.data) for e in known))
        return file, (known[-1].time if known else None)

    async def load_existing(self, case_id: str) -> CaseFile:
        file = await self.load(case_id)
        if file.worker_id is None:
            raise UnknownCaseFile(case_id)
        return file

    async def record(
        self,
        file: CaseFile,
        events: list[Event],
        *,
        commit_id: str | None = None,
        cause: str | None = None,
    ) -> AppendResult | None:
        if not events:
            return None
        causation = Causation(
            source=SOURCE,
            correlation_id=current_correlation_id(),
            causation_id=cause,
            region=file.region,
            district=file.district,
        )
        return await self.runtime.record(
            stream(file.case_id), file.version, events, causation, commit_id=commit_id
        )

    async def on_case_opened(self, opened: CaseOpened, event_id: str) -> None:
        """Assign a worker who covers the mahalla, least loaded first; schedule the visit."""
        for _ in range(3):
            file = await self.load(opened.case_id)
            if file.worker_id is not None:
                return
            candidates = workers_covering(opened.mahalla)
            loads = await self.caseloads.of([w.worker_id for w in candidates])
            worker = choose_worker(opened.mahalla, candidates, loads)
            now = self.clock()
            urgent = bool(URGENT & set(opened.circumstances))
            events = decide_assignment(
                file,
                worker_id=worker.worker_id,
                mahalla=opened.mahalla,
                district=opened.district,
                caseload_after=loads.get(worker.worker_id, 0) + 1,
                visit_id=derived_id("visit", opened.case_id, "1"),
                visit_at=schedule_home_visit(now, urgent=urgent),
                now=now,
            )
            # Located now, so the events carry the region and district partners filter on.
            file = replace(file, district=opened.district, mahalla=opened.mahalla)
            try:
                await self.record(file, events, commit_id=f"assign:{event_id}", cause=event_id)
            except ConcurrencyConflict:
                continue
            return

    async def expire_housing(self) -> int:
        """Publish the expiry of every temporary housing registration now due."""
        today = self.clock().date()
        due = self.runtime.db[HOUSING].find(
            {"expired": False, "valid_until": {"$lte": today.isoformat()}}
        )
        expired = 0
        async for registration in due.limit(500):
            file = await self.load(registration["case_id"])
            events = decide_housing_expiry(file, registration["_id"], today)
            await self.record(file, events, commit_id=f"housing-expired:{registration['_id']}")
            expired += len(events)
        return expired

    def assess(
        self,
        file: CaseFile,
        situation: HouseholdSituation,
        circumstances: list[Circumstance],
        worker_id: str,
    ) -> tuple[AssessmentRecorded, AssessmentCompleted, PlanDrafted | None]:
        """The events of a completed home visit: questionnaire, score, draft plan."""
        now = self.clock()
        assessment_id = derived_id("assessment", file.case_id, str(file.version))
        recorded = AssessmentRecorded(
            case_id=file.case_id,
            assessment_id=assessment_id,
            visit_id=file.visit_id or "unscheduled",
            social_worker_id=worker_id,
            situation=situation,
            recorded_at=now,
        )
        need = score(situation, circumstances)
        eligible = eligible_services(situation, circumstances, need)
        completed = AssessmentCompleted(
            case_id=file.case_id,
            assessment_id=assessment_id,
            score_model=need.model,
            need_score=need.total,
            need_level=need.level,
            contributions=list(need.contributions),
            income_per_person_uzs=need.income_per_person_uzs,
            eligible_services=[e.service_code for e in eligible],
            completed_by=worker_id,
            completed_at=now,
        )
        plan_id = file.plan.plan_id if file.plan else derived_id("plan", file.case_id)
        items = [
            PlanItem(
                item_id=f"item-{e.service_code.lower()}",
                service_code=e.service_code,
                provider_type=e.provider_type,
                priority=e.priority,
                due_by=due_by(now.date(), e.target_days),
            )
            for e in eligible
        ]
        if not items:
            return recorded, completed, None  # eligible for nothing: no plan to draft
        draft = PlanDrafted(
            case_id=file.case_id,
            plan_id=plan_id,
            assessment_id=assessment_id,
            items=items[:50],
            drafted_by=worker_id,
            drafted_at=now,
        )
        return recorded, completed, draft


def actor(principal_sub: str, role: str) -> Actor:
    return Actor(id=principal_sub, role=role)
