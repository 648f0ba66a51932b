"""Re-issue after a refusal, on the in-memory journal and fakes: a revision that keeps
an item whose referral was rejected, expired or cancelled issues a new referral
(a new round, its id derived from plan, item and round, ``replaces`` the last);
a redelivered plan event creates nothing twice; open items keep their referral;
the plan record and the as-of view know every round."""

from __future__ import annotations

from datetime import timedelta

import pytest
from inson_contracts.events.referral import (
    CancellationReason,
    ReferralCancelled,
    ReferralIssued,
    RejectionCode,
)
from inson_contracts.events.values import Actor, PlanItem
from referral.domain.area import EVERYWHERE
from referral.domain.codes import referral_code
from referral.domain.referral import Status
from referral.domain.routing import referral_id

OPERATOR = Actor(id="op-1", role="window_operator")


def item(item_id: str, provider_type: str = "social_service_window") -> PlanItem:
    return PlanItem(item_id=item_id, service_code="REHAB-01", provider_type=provider_type)


@pytest.fixture
def plan_in_force(policies, plans):
    """A plan approved with items ``a`` and ``b``; ``.revise(version, items)`` revises it."""

    class PlanInForce:
        def __init__(self) -> None:
            self.events = plans()

        async def approve(self, *items: PlanItem) -> None:
            approved = self.events.approved(list(items) or [item("a"), item("b")])
            await policies.on_plan_in_force(approved, self.events.envelope(approved))

        async def revise(self, version: int, *items: PlanItem, envelope=None):
            revised = self.events.revised(list(items) or [item("a"), item("b")], version=version)
            envelope = envelope or self.events.envelope(revised, version=version)
            await policies.on_plan_in_force(revised, envelope)
            return revised, envelope

        def round(self, item_id: str, n: int) -> str:
            return referral_id(self.events.plan_id, item_id, n)

    return PlanInForce()


async def reject(referrals, rid: str) -> None:
    await referrals.reject(rid, EVERYWHERE, OPERATOR, RejectionCode.DOCUMENTS_MISSING, "yoʻq")


async def test_a_revision_keeping_a_rejected_item_issues_it_again(
    plan_in_force, referrals, journal, plan_records
) -> None:
    await plan_in_force.approve()
    first = plan_in_force.round("a", 1)
    assert first == plan_in_force.events.referral("a")  # round 1 keeps the id it always had
    await reject(referrals, first)
    journal.outbox.clear()

    _, envelope = await plan_in_force.revise(2)

    [again] = journal.outbox.events_of_type(ReferralIssued)
    second = plan_in_force.round("a", 2)
    assert (again.referral_id, again.item_id, again.replaces) == (second, "a", first)
    assert again.plan_version == 2 and again.referral_code == referral_code(second)
    assert second not in (first, plan_in_force.round("b", 1))
    assert (await referrals.referrals.load(second)).status is Status.DELIVERED
    assert {e.causationid for e in journal.outbox.envelopes()} == {envelope.id}
    # b was never refused: it keeps its referral, nothing new for it.
    assert (await referrals.referrals.load(plan_in_force.round("b", 1))).version == 2
    record = await plan_records.get(plan_in_force.events.plan_id)
    assert record.current("a") == (2, second) and record.current("b") == (
        1,
        plan_in_force.round("b", 1),
    )


async def test_a_redelivered_revision_creates_nothing_twice_even_after_a_new_refusal(
    plan_in_force, referrals, journal
) -> None:
    await plan_in_force.approve()
    await reject(referrals, plan_in_force.round("a", 1))
    _, envelope = await plan_in_force.revise(2)
    await plan_in_force.revise(2, envelope=envelope)  # the same record again
    await reject(referrals, plan_in_force.round("a", 2))
    journal.outbox.clear()

    # The same revision read again (another event id too): round 2 was its round.
    await plan_in_force.revise(2, envelope=envelope)
    await plan_in_force.revise(2)

    assert journal.outbox.published == []
    assert (await referrals.referrals.load(plan_in_force.round("a", 3))).issued is None

    # A newer revision keeping it issues the third round, replacing the second.
    await plan_in_force.revise(3)
    [third] = journal.outbox.events_of_type(ReferralIssued)
    assert (third.referral_id, third.replaces) == (
        plan_in_force.round("a", 3),
        plan_in_force.round("a", 2),
    )


async def test_expired_and_withdrawn_items_are_issued_again_when_kept(
    plan_in_force, policies, referrals, journal, clock
) -> None:
    await plan_in_force.approve(item("a"), item("b", "inson_center"))
    # b is withdrawn by version 2, and a expires meanwhile.
    await plan_in_force.revise(2, item("a"))
    clock.advance(timedelta(days=31))
    await policies.enforce_deadline(plan_in_force.round("a", 1))
    assert (await referrals.referrals.load(plan_in_force.round("a", 1))).status is Status.EXPIRED
    journal.outbox.clear()

    await plan_in_force.revise(3, item("a"), item("b", "inson_center"))

    issued = {e.item_id: e for e in journal.outbox.events_of_type(ReferralIssued)}
    assert issued["a"].replaces == plan_in_force.round("a", 1)
    assert issued["b"].replaces == plan_in_force.round("b", 1)
    assert issued["b"].referral_id == plan_in_force.round("b", 2)


async def test_an_open_or_completed_item_keeps_its_referral(
    plan_in_force, referrals, journal
) -> None:
    await plan_in_force.approve()
    done = plan_in_force.round("b", 1)
    for step in (referrals.accept, referrals.start, referrals.complete):
        await step(done, EVERYWHERE, OPERATOR)
    await referrals.accept(plan_in_force.round("a", 1), EVERYWHERE, OPERATOR)
    journal.outbox.clear()

    await plan_in_force.revise(2)

    assert journal.outbox.published == []


async def test_a_crash_between_recording_the_round_and_issuing_it_is_repaired(
    plan_in_force, policies, referrals, journal, plan_records, monkeypatch
) -> None:
    await plan_in_force.approve()
    await reject(referrals, plan_in_force.round("a", 1))

    async def crash(*args, **kwargs):
        raise ConnectionError("the process died here")

    monkeypatch.setattr(policies, "_issue", crash)
    with pytest.raises(ConnectionError):
        await plan_in_force.revise(2)
    monkeypatch.undo()
    record = await plan_records.get(plan_in_force.events.plan_id)
    assert record.current("a") == (2, plan_in_force.round("a", 2))  # recorded, not issued
    journal.outbox.clear()

    await plan_in_force.revise(2)  # redelivered

    [again] = journal.outbox.events_of_type(ReferralIssued)
    assert (again.referral_id, again.replaces) == (
        plan_in_force.round("a", 2),
        plan_in_force.round("a", 1),
    )


async def test_closing_the_plan_cancels_the_current_round_and_as_of_finds_every_round(
    plan_in_force, policies, referrals, journal, clock
) -> None:
    await plan_in_force.approve()
    await reject(referrals, plan_in_force.round("a", 1))
    await plan_in_force.revise(2)
    journal.outbox.clear()

    closed = plan_in_force.events.closed()
    await policies.on_plan_closed(closed, plan_in_force.events.envelope(closed, version=3))

    cancelled = journal.outbox.events_of_type(ReferralCancelled)
    assert sorted(e.referral_id for e in cancelled) == sorted(
        [plan_in_force.round("a", 2), plan_in_force.round("b", 1)]
    )
    assert {e.reason for e in cancelled} == {CancellationReason.PLAN_CLOSED}
    states = await referrals.as_of(plan_in_force.events.case_id, clock.now, EVERYWHERE)
    assert [(t.issued.referral_id, t.status) for t in states] == [
        (plan_in_force.round("a", 1), Status.REJECTED),
        (plan_in_force.round("a", 2), Status.CANCELLED),
        (plan_in_force.round("b", 1), Status.CANCELLED),
    ]
