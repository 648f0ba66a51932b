"""Referral's reactions: plans become referrals, and deadlines are enforced.

- The plan policy (assessment's ``plan.approved`` / ``plan.revised`` /
  ``plan.closed``): every item of a plan in force is referred, the items a
  revision dropped are withdrawn, a closed plan's open referrals cancelled;
  an item a revision keeps whose referral was rejected, expired or cancelled
  is issued again, as a new round (``replaces`` the previous referral).
- The deadline job (``Runtime.every``): referrals not accepted in time are
  escalated to the district's supervisor, those never taken up expire.

Every append reacting to an event carries a commit id derived from that
event, every referral id is derived from its plan, item and round, and each
escalation level has one commit id, so a redelivered plan event, a restarted
deadline job or a second instance records nothing twice. A round is issued
again only by a plan version newer than the one its refused referral was
issued under, so a redelivered revision never opens a third round. Due times are read
from the ``deadlines`` read model, never kept in memory; a read model that
lags only costs a reload that decides nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import structlog
from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.service_model import ProviderType
from inson_contracts.codes.services import service
from inson_contracts.codes.staff import supervisor_of
from inson_contracts.envelope import Envelope
from inson_contracts.events import Event, PlanApproved, PlanClosed, PlanRevised
from inson_contracts.events.referral import CancellationReason, ReferralEscalated
from inson_contracts.events.values import PlanItem
from inson_runtime.consumer import Unprocessable
from inson_runtime.eventstore import AppendResult, ConcurrencyConflict
from inson_runtime.repository import Repository

from referral.domain.referral import (
    OPEN,
    Cancel,
    Issue,
    Referral,
    decide,
    decide_deadline,
    decide_issue,
    issued_again,
)
from referral.domain.routing import (
    PlanRecord,
    ServicePoint,
    UnroutableProvider,
    destination,
    provider_for,
    referral_id,
    withdrawn_items,
)
from referral.handlers.commands import ATTEMPTS
from referral.handlers.ports import Clock, DueDeadlines, PlanRecords, WindowLoads, utc_now
from referral.handlers.window_tally import WindowTally
from referral.reference.centers import center_serving, service_centers

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class PlanInForce:
    """What the policy needs of an approved or revised plan: the same for both."""

    case_id: str
    plan_id: str
    plan_version: int
    district: str
    mahalla: str
    items: Sequence[PlanItem]

    @classmethod
    def of(cls, event: PlanApproved | PlanRevised) -> PlanInForce:
        return cls(
            event.case_id,
            event.plan_id,
            event.plan_version,
            event.district,
            event.mahalla,
            event.items,
        )


def routable(plan: PlanInForce) -> dict[str, ServicePoint]:
    """The service center of each window item; Unprocessable if any item cannot be routed.

    A plan naming a service, district or provider the reference data does not
    know, or a chosen provider that does not serve the item, is dead-lettered
    whole, to be replayed once the data is fixed, rather than half-referred.
    """
    points: dict[str, ServicePoint] = {}
    for item in plan.items:
        try:
            service(item.service_code)
            if item.provider_type is ProviderType.SOCIAL_SERVICE_WINDOW:
                center = center_serving(plan.district, plan.mahalla)
                points[item.item_id] = ServicePoint(center.code, center.window_codes)
            else:
                provider_for(item, district=plan.district, mahalla=plan.mahalla)
        except (UnknownCode, UnroutableProvider) as exc:
            raise Unprocessable(f"plan {plan.plan_id} item {item.item_id}: {exc}") from None
    return points


@dataclass(frozen=True)
class _Issuing:
    """The referral an item is issued under, the one it replaces, its window's center,
    and the referral as just loaded, if it was (saves loading it again)."""

    referral_id: str
    replaces: str | None
    point: ServicePoint | None
    loaded: Referral | None = None


def _supervisor_id(district: str) -> str:
    # The staff directory assessment assigns cases from: the same people.
    return supervisor_of(district).supervisor_id


class ReferralPolicies:
    """The plan policy and the deadline job, on the referral repository, the plan
    records, and two reads of the projections (window loads, due deadlines)."""

    def __init__(
        self,
        referrals: Repository[Referral],
        plans: PlanRecords,
        windows: WindowLoads,
        deadlines: DueDeadlines,
        *,
        clock: Clock = utc_now,
        expire_after: timedelta = timedelta(days=30),
        batch: int = 200,
        window_counts_max_age: timedelta = timedelta(seconds=30),
    ) -> None:
        self.referrals = referrals
        self.plans = plans
        self.windows = WindowTally(windows, clock, window_counts_max_age)
        self.deadlines = deadlines
        self.clock = clock
        self.expire_after = expire_after
        self.batch = batch

    async def check_directory(self) -> None:
        """Refuse to start on a bad directory: a service centers or staff file that
        does not load, or a district with a center but no supervisor to escalate to.

        So a bad replacement file stops the start, not the first plan or the
        first overdue referral.
        """
        for center in service_centers():
            supervisor_of(center.district)

    # The plan policy.

    async def on_plan_in_force(self, event: PlanApproved | PlanRevised, envelope: Envelope) -> None:
        """Refer every item of the plan; withdraw the items a revision dropped; issue
        again the kept items whose referral was refused, expired or cancelled."""
        plan = PlanInForce.of(event)
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
            for rid in record.referrals_of(item_id):  # whichever round is still open
                await self._cancel(rid, CancellationReason.PLAN_REVISED, envelope)
        for item in plan.items:
            issue = await self._round(plan, record, item.item_id, points.get(item.item_id))
            await self._issue(plan, item, issue, envelope)

    async def on_plan_closed(self, event: PlanClosed, envelope: Envelope) -> None:
        """Cancel what is still open of a closed plan."""
        # Marked first, so a redelivered approval cannot refer a closed plan's items again.
        await self.plans.close(event.plan_id, event.case_id)
        for rid in (await self.plans.get(event.plan_id)).referral_ids():
            await self._cancel(rid, CancellationReason.PLAN_CLOSED, envelope)

    async def _round(
        self, plan: PlanInForce, record: PlanRecord, item_id: str, point: ServicePoint | None
    ) -> _Issuing:
        """The referral the item is issued under now, and the one it replaces, if any.

        The item's current round, unless its referral was refused, expired or
        cancelled under an older plan version: then a new round, recorded
        before it is issued (a crash in between is repaired by the redelivery,
        which finds the round recorded and not yet issued).
        """
        rounds = record.referrals_of(item_id)
        current = await self.referrals.load(rounds[-1])
        if not issued_again(current, plan.plan_version):
            replaces = rounds[-2] if len(rounds) > 1 else None
            return _Issuing(rounds[-1], replaces, point, loaded=current)
        next_round = len(rounds) + 1
        rid = referral_id(plan.plan_id, item_id, next_round)
        await self.plans.add_round(plan.plan_id, item_id, next_round, rid)
        log.info("item issued again", plan_id=plan.plan_id, item_id=item_id, round=next_round)
        return _Issuing(rid, rounds[-1], point)

    async def _issue(
        self,
        plan: PlanInForce,
        item: PlanItem,
        issuing: _Issuing,
        cause: Envelope,
    ) -> None:
        rid, point = issuing.referral_id, issuing.point
        loaded = issuing.loaded
        for _ in range(ATTEMPTS):
            # Loaded by _round a moment ago the first time; again after a conflict.
            referral = loaded if loaded is not None else await self.referrals.load(rid)
            loaded = None
            if referral.issued is not None:
                return  # issued by an earlier delivery of this or another plan event
            # Read seldom; this process's own choices are added as it goes
            # (the read model may not count them yet).
            window_loads = await self.windows.loads(point) if point is not None else {}
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
                replaces=issuing.replaces,
            )
            events = decide_issue(referral, issue)
            commit_id = f"issue:{cause.id}:{rid}"
            try:
                await self._record(referral, events, plan.district, commit_id, cause.id)
            except ConcurrencyConflict:
                continue
            if point is not None and where.window is not None:
                self.windows.chose(point, where.window)
            return
        raise ConcurrencyConflict(self.referrals.stream(rid), 0)

    async def _cancel(self, rid: str, reason: CancellationReason, cause: Envelope) -> None:
        for _ in range(ATTEMPTS):
            referral = await self.referrals.load(rid)
            if referral.destination is None or referral.status not in OPEN:
                return  # never issued, or already over: nothing left to withdraw
            events = decide(referral, Cancel(reason=reason, at=self.clock()))
            district = referral.destination.district
            commit_id = f"cancel:{cause.id}:{rid}"
            try:
                await self._record(referral, events, district, commit_id, cause.id)
            except ConcurrencyConflict:
                continue  # staff acted meanwhile: decide again on what they did
            return
        raise ConcurrencyConflict(self.referrals.stream(rid), 0)

    # The deadline job.

    async def sweep_deadlines(self) -> None:
        """One run of the periodic job (``Runtime.every``), which logs and retries failures."""
        recorded = await self.enforce_due_deadlines()
        if recorded:
            log.info("deadlines enforced", events=recorded)

    async def enforce_due_deadlines(self) -> int:
        """Enforce every deadline that has come, once; the number of events recorded."""
        now = self.clock()
        due = await self.deadlines.due_deadlines(now, now - self.expire_after, self.batch)
        recorded = 0
        for rid in due:
            recorded += len(await self.enforce_deadline(rid))
        return recorded

    async def enforce_deadline(self, rid: str) -> list[Event]:
        """Escalate or expire one referral if its time has come; the events recorded."""
        referral = await self.referrals.load(rid)
        events = decide_deadline(
            referral, self.clock(), self.expire_after, supervisor_of=_supervisor_id
        )
        if not events or referral.destination is None:
            return []
        # One commit per level: whichever process or restart decides it
        # first writes it, every other attempt finds it there.
        match events[0]:
            case ReferralEscalated(escalation_level=level):
                commit_id = f"escalate:{rid}:{level}"
            case _:
                commit_id = f"expire:{rid}"
        try:
            result = await self._record(referral, events, referral.destination.district, commit_id)
        except ConcurrencyConflict:
            return []  # staff acted meanwhile; the next sweep decides on the new state
        return events if result and result.created else []

    async def _record(
        self,
        referral: Referral,
        events: list[Event],
        district: str,
        commit_id: str,
        cause: str | None = None,
    ) -> AppendResult | None:
        # A SOATO district code begins with its region's.
        return await self.referrals.record(
            referral.referral_id,
            referral.version,
            events,
            commit_id=commit_id,
            cause=cause,
            region=district[:4],
            district=district,
        )
