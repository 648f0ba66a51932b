"""Deadlines on FerretDB with a movable clock: escalation per level, expiry, and the
background task escalating exactly once across a restart and beside a second instance."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import pytest
from inson_contracts.events.referral import ReferralEscalated
from inson_contracts.events.values import Actor, PlanItem
from inson_runtime.testing import wait_for
from referral.domain.area import EVERYWHERE
from referral.domain.referral import Status
from referral.projections.views import DEADLINES, REFERRALS

pytestmark = pytest.mark.integration

OPERATOR = Actor(id="op-1", role="window_operator")


def window_item(priority: str = "routine") -> PlanItem:
    return PlanItem(
        item_id="a",
        service_code="CASH-01",
        provider_type="social_service_window",
        priority=priority,
    )


async def referred(service, plans, priority: str = "routine") -> tuple[str, timedelta]:
    plan = plans()
    approved = plan.approved([window_item(priority)])
    await service.deliver(approved, plan.envelope(approved))
    await service.project()
    rid = plan.referral("a")
    issued = (await service.load(rid)).issued
    return rid, issued.accept_by - issued.issued_at


async def escalations(service, rid: str) -> list[int]:
    stream = await service.stream(rid)
    return [
        ReferralEscalated.model_validate(e.data).escalation_level
        for e in stream
        if e.type == ReferralEscalated.TYPE
    ]


async def test_a_late_referral_is_escalated_once_per_target_period(offline, plans, clock) -> None:
    rid, period = await referred(offline, plans)
    assert await offline.policies.enforce_due_deadlines() == 0

    clock.advance(period + timedelta(minutes=1))
    assert await offline.policies.enforce_due_deadlines() == 1
    # The read model is behind: the stream decides, and nothing is due again.
    assert await offline.policies.enforce_due_deadlines() == 0
    stream = await offline.stream(rid)
    escalated = ReferralEscalated.model_validate(stream[-1].data)
    assert (escalated.escalation_level, escalated.escalated_to) == (1, "sup-1735207")
    assert escalated.overdue_minutes == 1

    await offline.project()
    due = await offline.db[DEADLINES].find_one({"_id": rid})
    assert due["next_escalation_at"] == escalated.accept_by + period
    assert (await offline.db[REFERRALS].find_one({"_id": rid}))["escalation_level"] == 1
    clock.advance(period - timedelta(minutes=2))
    assert await offline.policies.enforce_due_deadlines() == 0
    clock.advance(timedelta(minutes=2))
    assert await offline.policies.enforce_due_deadlines() == 1
    assert await escalations(offline, rid) == [1, 2]

    await offline.referrals.accept(rid, EVERYWHERE, OPERATOR)
    await offline.project()
    assert (await offline.db[DEADLINES].find_one({"_id": rid}))["open"] is False
    clock.advance(period * 5)
    assert await offline.policies.enforce_due_deadlines() == 0


async def test_a_referral_never_taken_up_expires(offline, plans, clock) -> None:
    rid, _ = await referred(offline, plans, priority="urgent")
    clock.advance(timedelta(days=30))

    assert await offline.policies.enforce_due_deadlines() == 1
    assert (await offline.load(rid)).status is Status.EXPIRED
    await offline.project()
    assert (await offline.db[REFERRALS].find_one({"_id": rid}))["status"] == "expired"
    assert await offline.policies.enforce_due_deadlines() == 0


def background(service, interval_s: float) -> asyncio.Task[None]:
    """The deadline job as the runtime runs it once started: its own loop, cancelled on stop."""
    name, _, job = next(p for p in service.runtime.periodic if p[0] == "deadlines")
    return asyncio.create_task(service.runtime._repeat(name, interval_s, job))


async def _stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def test_the_deadline_task_escalates_exactly_once_across_a_restart(
    shared_database, plans, clock
) -> None:
    first = await shared_database.instance(clock)
    rid, period = await referred(first, plans, priority="emergency")
    clock.advance(period + timedelta(minutes=5))

    running = background(first, 0.05)
    await wait_for(lambda: _has(escalations(first, rid), [1]), what="the first escalation")
    await _stop(running)  # the process goes away; its read model never saw the escalation

    restarted = await shared_database.instance(clock)
    replica = await shared_database.instance(clock)
    tasks = [background(s, 0.02) for s in (restarted, replica)]
    await asyncio.sleep(0.5)  # many sweeps of both, each finding the deadline due
    assert await escalations(restarted, rid) == [1]

    await restarted.project()
    clock.advance(period)
    await wait_for(lambda: _has(escalations(replica, rid), [1, 2]), what="the second level")
    await asyncio.sleep(0.5)
    for task in tasks:
        await _stop(task)
    assert await escalations(first, rid) == [1, 2]
    commits = await first.runtime.store.commits.count_documents({"stream_id": first.stream_id(rid)})
    assert commits == 3  # issued+delivered, level 1, level 2


async def _has(levels, wanted: list[int]) -> bool:
    return bool(await levels == wanted)
