"""Referral's handlers: the plan policy, window staff's commands, deadlines.

Load the referral, decide, append (and so publish). Every append reacting to
an event carries a commit id derived from that event, and every referral id
is derived from its plan and item, so a redelivered plan event, a restarted
deadline task or a second instance creates nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import structlog
from inson_contracts.codes.staff import supervisor_of
from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY, Event, PlanClosed
from inson_contracts.events.referral import CancellationReason, ReferralEscalated
from inson_contracts.events.values import PlanItem
from inson_runtime.eventstore import AppendResult, Causation, ConcurrencyConflict
from inson_runtime.observability.logging import current_correlation_id
from inson_runtime.service import Runtime

from referral.adapters.plans import PlanItems
from referral.domain.referral import (
    OPEN,
    Cancel,
    Command,
    Issue,
    Referral,
    UnknownReferral,
    decide,
    decide_deadline,
    decide_issue,
    evolve,
    replay,
)
from referral.domain.routing import (
    ServicePoint,
    destination,
    referral_id,
    withdrawn_items,
)
from referral.handlers.plans import PlanInForce, routable
from referral.projections.views import open_by_window

log = structlog.get_logger(__name__)

SOURCE = "inson/referral"
Clock = Callable[[], datetime]
ATTEMPTS = 3


def utc_now() -> datetime:
    return datetime.now(UTC)


def _supervisor_id(district: str) -> str:
    # The staff directory assessment assigns cases from: the same people.
    return supervisor_of(district).supervisor_id


def referral_stream(rid: str) -> str:
    return f"referral-{rid}"


class Referrals:
    def __init__(
        self,
        runtime: Runtime,
        plans: PlanItems,
        *,
        clock: Clock = utc_now,
        expire_after: timedelta = timedelta(days=30),
    ) -> None:
        self.runtime = runtime
        self.plans = plans
        self.clock = clock
        self.expire_after = expire_after

    async def load(self, rid: str) -> Referral:
        envelopes = await self.runtime.store.load(referral_stream(rid))
        return replay(rid, (REGISTRY.parse(e.type, e.data) for e in envelopes))

    async def load_as_of(self, rid: str, at: datetime) -> Referral:
        """The referral as it stood at ``at``: the events committed at or before it."""
        envelopes = await self.runtime.store.load(referral_stream(rid))
        known = [e for e in envelopes if e.time <= at]
        return replay(rid, (REGISTRY.parse(e.type, e.data) for e in known))

    async def load_issued(self, rid: str) -> Referral:
        referral = await self.load(rid)
        if referral.issued is None:
            raise UnknownReferral(rid)
        return referral

    # The plan policy.

    async def on_plan_in_force(self, plan: PlanInForce, cause: Envelope) -> None:
        """Refer every item of the plan; withdraw the items a revision dropped."""
        points = routable(plan)  # all or nothing: a dead-lettered plan is replayed whole
        record = await self.plans.get(plan.plan_id)
        if record.closed or plan.plan_version < record.version:
            log.info("plan event superseded; nothing to refer", plan_id=plan.plan_id)
            return
        withdrawn = withdrawn_items(record.items, plan.items)
        # Remembered before anything is issued, so a crash in between leaves
        # a record that knows every referral this plan may have.
        item_ids = [i.item_id for i in plan.items]
        await self.plans.remember(plan.plan_id, plan.case_id, plan.plan_version, item_ids)
        for item_id in withdrawn:
            await self._cancel(
                referral_id(plan.plan_id, item_id), CancellationReason.PLAN_REVISED, cause
            )
        loads: dict[str, dict[str, int]] = {}
        for item in plan.items:
            await self._issue(plan, item, points.get(item.item_id), loads, cause)

    async def on_plan_closed(self, closed: PlanClosed, cause: Envelope) -> None:
        # Marked first, so a redelivered approval cannot refer a closed plan's items again.
        await self.plans.close(closed.plan_id, closed.case_id)
        for item_id in (await self.plans.get(closed.plan_id)).items:
            rid = referral_id(closed.plan_id, item_id)
            await self._cancel(rid, CancellationReason.PLAN_CLOSED, cause)

    async def _issue(
        self,
        plan: PlanInForce,
        item: PlanItem,
        point: ServicePoint | None,
        loads: dict[str, dict[str, int]],
        cause: Envelope,
    ) -> None:
        rid = referral_id(plan.plan_id, item.item_id)
        for _ in range(ATTEMPTS):
            referral = await self.load(rid)
            if referral.issued is not None:
                return  # issued by an earlier delivery of this or another plan event
            window_loads: dict[str, int] = {}
            if point is not None:
                # The read model may not count what this event issued a moment
                # ago, so this event's own choices are added as it goes.
                if point.center not in loads:
                    loads[point.center] = await open_by_window(self.runtime.db, point.windows)
                window_loads = loads[point.center]
            where = destination(
                item,
                district=plan.district,
                mahalla=plan.mahalla,
                point=point,
                open_referrals=window_loads,
            )
            issue = Issue(
                case_id=plan.case_id,
                plan_id=plan.plan_id,
                plan_version=plan.plan_version,
                item_id=item.item_id,
                service_code=item.service_code,
                priority=item.priority,
                destination=where,
                at=self.clock(),
            )
            events = decide_issue(referral, issue)
            try:
                await self._record(
                    referral, events, plan.district, f"issue:{cause.id}:{rid}", cause.id
                )
            except ConcurrencyConflict:
                continue
            if where.window is not None:
                window_loads[where.window] = window_loads.get(where.window, 0) + 1
            return
        raise ConcurrencyConflict(referral_stream(rid), 0)

    async def _cancel(self, rid: str, reason: CancellationReason, cause: Envelope) -> None:
        for _ in range(ATTEMPTS):
            referral = await self.load(rid)
            if referral.issued is None or referral.status not in OPEN:
                return  # never issued, or already over: nothing left to withdraw
            events = decide(referral, Cancel(reason=reason, at=self.clock()))
            district = referral.issued.destination.district
            try:
                await self._record(referral, events, district, f"cancel:{cause.id}:{rid}", cause.id)
            except ConcurrencyConflict:
                continue  # staff acted meanwhile: decide again on what they did
            return
        raise ConcurrencyConflict(referral_stream(rid), 0)

    # Window staff.

    async def act(
        self,
        rid: str,
        command: Callable[[datetime], Command],
        authorize: Callable[[Referral], None],
    ) -> Referral:
        """Decide one staff command; ``authorize`` raises if the caller may not touch it."""
        for _ in range(ATTEMPTS):
            referral = await self.load_issued(rid)
            authorize(referral)
            events = decide(referral, command(self.clock()))
            if not events:
                return referral
            assert referral.issued is not None  # load_issued
            try:
                await self._record(referral, events, referral.issued.destination.district)
            except ConcurrencyConflict:
                continue  # a colleague or a plan change came first: decide on theirs
            for event in events:
                referral = evolve(referral, event)
            return referral
        raise ConcurrencyConflict(referral_stream(rid), 0)

    # Deadlines.

    async def enforce_deadline(self, rid: str) -> list[Event]:
        """Escalate or expire one referral if its time has come; the events appended."""
        referral = await self.load(rid)
        events = decide_deadline(
            referral, self.clock(), self.expire_after, supervisor_of=_supervisor_id
        )
        if not events or referral.issued is None:
            return []
        # One commit per level: whichever process or restart decides it
        # first writes it, every other attempt finds it there.
        match events[0]:
            case ReferralEscalated(escalation_level=level):
                commit_id = f"escalate:{rid}:{level}"
            case _:
                commit_id = f"expire:{rid}"
        try:
            result = await self._record(
                referral, events, referral.issued.destination.district, commit_id
            )
        except ConcurrencyConflict:
            return []  # staff acted meanwhile; the next sweep decides on the new state
        return events if result and result.created else []

    async def _record(
        self,
        referral: Referral,
        events: list[Event],
        district: str,
        commit_id: str | None = None,
        cause: str | None = None,
    ) -> AppendResult | None:
        if not events:
            return None
        causation = Causation(
            source=SOURCE,
            correlation_id=current_correlation_id(),
            causation_id=cause,
            # A SOATO district code begins with its region's.
            region=district[:4],
            district=district,
        )
        return await self.runtime.record(
            referral_stream(referral.referral_id),
            referral.version,
            events,
            causation,
            commit_id=commit_id,
        )
