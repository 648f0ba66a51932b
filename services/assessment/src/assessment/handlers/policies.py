"""Assessment's reactions to other services' events, and its periodic job.

- intake's ``case.opened``: a worker who covers the mahalla takes the case,
  least loaded first, and the home visit is scheduled;
- referral's ``referral.issued``: which plan item the referral serves is
  remembered, so that
- referral's ``referral.completed`` marks that item done (and the plan, once
  every item is);
- every minute or so: temporary housing registrations past their end expire.

Every append carries a commit id derived from its cause, so a redelivered
event, or the job running again, changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.codes.staff import workers_covering
from inson_contracts.envelope import Envelope
from inson_contracts.events import CaseOpened, ReferralCompleted, ReferralIssued
from inson_runtime.eventstore import ConcurrencyConflict

from assessment.domain.assignment import choose_worker, schedule_home_visit
from assessment.domain.case_file import (
    decide_assignment,
    decide_housing_expiry,
    decide_item_completed,
)
from assessment.handlers.case_files import CaseFiles, derived_id, record
from assessment.handlers.ports import Caseloads, HousingRegistrations, ReferralLinks

# Circumstances that bring the home visit forward to the next working day.
URGENT = {Circumstance.CHILD_AT_RISK, Circumstance.DOMESTIC_VIOLENCE, Circumstance.HOMELESS}
# Expiries handled per run of the job; the rest wait for the next run.
EXPIRIES_PER_RUN = 500


class Policies:
    def __init__(
        self,
        files: CaseFiles,
        *,
        caseloads: Caseloads,
        referral_links: ReferralLinks,
        housing: HousingRegistrations,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.files = files
        self.caseloads = caseloads
        self.referral_links = referral_links
        self.housing = housing
        self.clock = clock

    async def assign(self, opened: CaseOpened, envelope: Envelope) -> None:
        """Assign a worker who covers the mahalla, least loaded first; schedule the visit."""
        for _ in range(3):
            file = await self.files.load(opened.case_id)
            if file.worker_id is not None:
                return
            candidates = workers_covering(opened.mahalla)
            loads = await self.caseloads.of([w.worker_id for w in candidates])
            worker = choose_worker(opened.mahalla, candidates, loads)
            now = self.clock()
            events = decide_assignment(
                file,
                worker_id=worker.worker_id,
                mahalla=opened.mahalla,
                district=opened.district,
                caseload_after=loads.get(worker.worker_id, 0) + 1,
                visit_id=derived_id("visit", opened.case_id, "1"),
                visit_at=schedule_home_visit(now, urgent=bool(URGENT & set(opened.circumstances))),
                now=now,
            )
            # Located now, so the events carry the region and district partners filter on.
            file = replace(file, district=opened.district, mahalla=opened.mahalla)
            try:
                await record(
                    self.files, file, events, commit_id=f"assign:{envelope.id}", cause=envelope.id
                )
            except ConcurrencyConflict:
                continue
            return

    async def remember_referral(self, issued: ReferralIssued, envelope: Envelope) -> None:
        await self.referral_links.remember(issued)

    async def complete_item(self, completed: ReferralCompleted, envelope: Envelope) -> None:
        """The referral's plan item is done; the plan too when it was the last one open."""
        # Issued and completed share the referral's stream and partition, so
        # the item is known by now.
        item_id = await self.referral_links.item_of(completed.referral_id)
        if item_id is None:
            return
        file = await self.files.load(completed.case_id)
        done = decide_item_completed(file, item_id, completed.referral_id, completed.completed_at)
        await record(
            self.files, file, done, commit_id=f"item-done:{envelope.id}", cause=envelope.id
        )

    async def expire_housing(self) -> None:
        """Record the expiry of every temporary housing registration now due."""
        today = self.clock().date()
        for due in await self.housing.due(today, limit=EXPIRIES_PER_RUN):
            file = await self.files.load(due.case_id)
            expired = decide_housing_expiry(file, due.registration_id, today)
            await record(
                self.files, file, expired, commit_id=f"housing-expired:{due.registration_id}"
            )
