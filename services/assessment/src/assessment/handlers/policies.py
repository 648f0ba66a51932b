"""Assessment's reactions to other services' events, and its periodic job.

- intake's ``case.opened``: a worker who covers the mahalla takes the case,
  least loaded first, and the home visit is scheduled;
- every referral event (issued, delivered, accepted, rejected, started,
  completed, cancelled, expired, escalated): where the item's referral stands
  is kept (``domain/referral_states.py``), the rejection reason and the
  completion note in their sealed wire form (the consumer does not open
  them); the attention list and the case file read it;
- referral's ``referral.completed`` also marks that item done (and the plan,
  once every item is);
- every minute or so, the temporary housing job: registrations past their
  last day expire (from the day after it, Tashkent time), and those whose end
  is within the rule's lead time are noted once (``TemporaryHousingEndingSoon``,
  which notification tells the person and the case's worker).

Every append carries a commit id derived from its cause, so a redelivered
event, or the job running again, changes nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.codes.staff import workers_covering
from inson_contracts.envelope import Envelope
from inson_contracts.events import (
    CaseOpened,
    Event,
    ReferralCompleted,
    ReferralIssued,
    ReferralRejected,
)
from inson_contracts.events.referral import ReferralEvent
from inson_contracts.personal import SEALED
from inson_runtime.eventstore import ConcurrencyConflict

from assessment.domain.assignment import choose_worker, schedule_home_visit
from assessment.domain.case_file import (
    CaseFile,
    decide_assignment,
    decide_housing_expiry,
    decide_housing_reminder,
)
from assessment.domain.housing import CURRENT_RULE, HousingRule, local_day
from assessment.domain.plans import decide_item_completed
from assessment.domain.referral_states import SealedNote, changes_of
from assessment.handlers.case_files import CaseFiles, derived_id, record
from assessment.handlers.ports import (
    Caseloads,
    HousingRegistrations,
    PersonalData,
    ReferralTracker,
)

# Circumstances that bring the home visit forward to the next working day.
URGENT = {Circumstance.CHILD_AT_RISK, Circumstance.DOMESTIC_VIOLENCE, Circumstance.HOMELESS}
# Expiries (and reminders) handled per run of the job; the rest wait for the next run.
EXPIRIES_PER_RUN = 500


class Policies:
    def __init__(
        self,
        files: CaseFiles,
        *,
        caseloads: Caseloads,
        referrals: ReferralTracker,
        housing: HousingRegistrations,
        personal: PersonalData,
        housing_rule: HousingRule = CURRENT_RULE,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.files = files
        self.caseloads = caseloads
        self.referrals = referrals
        self.housing = housing
        self.personal = personal
        self.housing_rule = housing_rule
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

    async def follow_referral(self, event: ReferralEvent, envelope: Envelope) -> None:
        """Keep where the referral stands; an issue supersedes the item's earlier referrals."""
        note = await self._note(event, envelope)
        changes = changes_of(event, note)
        await self.referrals.follow(event.referral_id, event.case_id, changes, envelope)
        if isinstance(event, ReferralIssued):
            await self.referrals.supersede(
                event.case_id, event.item_id, event.referral_id, event.issued_at, event.replaces
            )

    async def complete_item(self, completed: ReferralCompleted, envelope: Envelope) -> None:
        """The referral's plan item is done; the plan too when it was the last one open."""
        await self.follow_referral(completed, envelope)
        # Issued and completed share the referral's stream and partition, so
        # the item is known by now.
        item_id = await self.referrals.item_of(completed.referral_id)
        if item_id is None:
            return
        file = await self.files.load(completed.case_id)
        done = decide_item_completed(file, item_id, completed.referral_id, completed.completed_at)
        await record(
            self.files, file, done, commit_id=f"item-done:{envelope.id}", cause=envelope.id
        )

    async def _note(self, event: ReferralEvent, envelope: Envelope) -> SealedNote | None:
        """A rejection's reason or a completion's note, sealed as it came (sealed here if it
        came in clear, from a producer that predates sealing): never stored in clear."""
        if isinstance(event, ReferralRejected):
            text: str | None = event.reason
        elif isinstance(event, ReferralCompleted):
            text = event.outcome
        else:
            return None
        wire = envelope.data
        if not isinstance(wire.get(SEALED), dict):
            if text is None:
                return None
            wire = await self.personal.seal(envelope.type, wire, envelope.subject or "")
        return SealedNote(envelope.type, wire.get(SEALED))

    async def expire_housing(self) -> None:
        """The temporary housing job: expire the registrations past their last day, then
        note once each one whose end is near (the commit ids make a rerun change nothing)."""
        now = self.clock()
        today = local_day(now)
        for due in await self.housing.due(today, limit=EXPIRIES_PER_RUN):
            file = await self.files.load(due.case_id)
            expired = decide_housing_expiry(file, due.registration_id, today)
            await self._job_record(file, expired, f"housing-expired:{due.registration_id}")
        rule = self.housing_rule
        by = today + timedelta(days=rule.reminder_days_before_end)
        for ending in await self.housing.ending(today, by, limit=EXPIRIES_PER_RUN):
            file = await self.files.load(ending.case_id)
            noted = decide_housing_reminder(file, ending.registration_id, today, rule, now)
            await self._job_record(file, noted, f"housing-ending:{ending.registration_id}")

    async def _job_record(self, file: CaseFile, events: list[Event], commit_id: str) -> None:
        # The case moved meanwhile (a worker, or the job's run in another
        # replica): the next run decides again on the case as it is then.
        with contextlib.suppress(ConcurrencyConflict):
            await record(self.files, file, events, commit_id=commit_id)
