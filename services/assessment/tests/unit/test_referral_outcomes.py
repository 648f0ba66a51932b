"""The loop back on the in-memory journal and fakes: every referral outcome is kept per
item, its free text sealed, and the attention list opens the reason for the case's worker
and the district's supervisor only."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from assessment.domain.referral_states import Attention, ReferralStatus
from inson_contracts.envelope import Envelope
from inson_contracts.events import (
    ReferralAccepted,
    ReferralCompleted,
    ReferralDelivered,
    ReferralEscalated,
    ReferralIssued,
    ReferralRejected,
    ReferralStarted,
)
from inson_contracts.events.assessment import HouseholdSituation
from inson_contracts.events.referral import ReferralEvent
from inson_contracts.events.values import Actor
from inson_runtime.auth import Principal, Role, Scope

from .fakes import DISTRICT, ELSEWHERE, SITUATION, World, delivered, supervisor, worker

OPERATOR = Actor(id="op-1", role="provider_operator")
REASON = "Hujjatlar to'liq emas: nogironlik guvohnomasi yo'q"


async def approved(world: World) -> tuple[str, str]:
    """A case with a plan in force; its worker and first item."""
    file = await world.open_case()
    me = worker(file.worker_id or "")
    await world.assessments.complete(me, "case-1", HouseholdSituation(**SITUATION), None)
    await world.assessments.approve(supervisor(), "case-1")
    plan = (await world.files.load("case-1")).plan
    assert plan is not None
    return file.worker_id or "", plan.items[0].item_id


def issued(world: World, referral_id: str, item_id: str, **more: Any) -> ReferralIssued:
    now = world.clock()
    return ReferralIssued(
        referral_id=referral_id,
        case_id="case-1",
        plan_id="plan-1",
        plan_version=1,
        item_id=item_id,
        service_code="HOME-01",
        priority="urgent",
        destination={"provider_type": "inson_center", "district": DISTRICT, "provider": "inson-x"},
        accept_by=now + timedelta(days=3),
        issued_at=now,
        referral_code="7KQ2M9XD",
        **more,
    )


def rejected(world: World, referral_id: str) -> ReferralRejected:
    return ReferralRejected(
        referral_id=referral_id,
        case_id="case-1",
        code="documents_missing",
        reason=REASON,
        rejected_by=OPERATOR,
        rejected_at=world.clock(),
    )


async def sealed(world: World, event: ReferralEvent, version: int) -> Envelope:
    """``event`` as referral's store puts it on the wire: its personal fields sealed."""
    plain = delivered(event, f"referral-{event.referral_id}", version)
    wire = await world.personal.seal(event.TYPE, plain.data, plain.subject or "")
    return plain.model_copy(update={"data": wire})


async def follow(world: World, event: ReferralEvent, version: int) -> None:
    envelope = await sealed(world, event, version)
    if isinstance(event, ReferralCompleted):
        await world.policies.complete_item(event, envelope)
    else:
        await world.policies.follow_referral(event, envelope)


async def test_every_step_is_kept_once_in_order_and_the_note_stays_sealed() -> None:
    world = World()
    _, item_id = await approved(world)
    now = world.clock()
    steps: list[ReferralEvent] = [
        issued(world, "r1", item_id),
        ReferralDelivered(referral_id="r1", case_id="case-1", delivered_at=now),
        ReferralAccepted(referral_id="r1", case_id="case-1", accepted_by=OPERATOR, accepted_at=now),
        ReferralStarted(referral_id="r1", case_id="case-1", started_by=OPERATOR, started_at=now),
        ReferralCompleted(
            referral_id="r1",
            case_id="case-1",
            completed_by=OPERATOR,
            outcome="Uyga parvarish boshlandi",
            completed_at=now,
        ),
    ]
    for version, step in enumerate(steps, start=1):
        await follow(world, step, version)
    await follow(world, steps[1], 2)  # redelivered late: changes nothing
    doc = world.referrals.docs["r1"]
    assert doc["status"] == ReferralStatus.COMPLETED and doc["item_id"] == item_id
    assert doc["referral_code"] == "7KQ2M9XD" and doc["provider"] == "inson-x"
    assert {"issued_at", "delivered_at", "accepted_at", "started_at", "completed_at"} <= set(doc)
    assert doc["outcome"]["type"] == ReferralCompleted.TYPE and doc["outcome"]["sealed"]["ct"]
    assert "parvarish" not in json.dumps(doc, default=str)
    assert item_id in (await world.files.load("case-1")).plan.completed_items  # type: ignore[union-attr]


async def test_a_rejection_keeps_its_code_and_the_reason_as_it_came_sealed() -> None:
    world = World()
    _, item_id = await approved(world)
    await follow(world, issued(world, "r1", item_id), 1)
    envelope = await sealed(world, rejected(world, "r1"), 2)
    sealed_before = world.personal.sealed
    await world.policies.follow_referral(rejected(world, "r1"), envelope)
    doc = world.referrals.docs["r1"]
    assert doc["status"] == "rejected" and doc["rejection_code"] == "documents_missing"
    assert doc["rejection_reason"]["sealed"] == envelope.data["sealed"]
    assert world.personal.sealed == sealed_before  # stored as it came, not sealed again
    assert REASON not in json.dumps(doc, default=str)

    # A producer that sent it in clear: sealed here before it is stored.
    await world.policies.follow_referral(
        rejected(world, "r2"), delivered(rejected(world, "r2"), "referral-r2", 2)
    )
    assert world.personal.sealed == sealed_before + 1
    assert REASON not in json.dumps(world.referrals.docs["r2"], default=str)


async def test_a_referral_issued_again_supersedes_the_refused_one_in_any_order() -> None:
    world = World()
    _, item_id = await approved(world)
    await follow(world, issued(world, "r1", item_id), 1)
    await follow(world, rejected(world, "r1"), 2)
    world.clock.advance(timedelta(hours=1))
    await follow(world, issued(world, "r2", item_id, replaces="r1"), 1)
    assert world.referrals.docs["r1"]["superseded_by"] == "r2"
    assert "superseded_by" not in world.referrals.docs["r2"]

    # The new referral's issue read before the old one's events (another partition).
    world.clock.advance(timedelta(hours=1))
    await follow(world, issued(world, "r4", item_id, replaces="r3"), 1)
    world.clock.now -= timedelta(minutes=30)
    await follow(world, issued(world, "r3", item_id), 1)
    await follow(world, rejected(world, "r3"), 2)
    assert world.referrals.docs["r3"]["superseded_by"] == "r4"
    assert world.referrals.docs["r3"]["status"] == "rejected"
    assert world.referrals.docs["r2"]["superseded_by"] in {"r3", "r4"}


async def test_the_attention_list_opens_the_reason_for_the_worker_and_supervisor_only() -> None:
    world = World()
    worker_id, item_id = await approved(world)
    await follow(world, issued(world, "r1", item_id), 1)
    assert (await world.outcomes.attention(worker(worker_id), 1, 20)).items == []
    await follow(world, rejected(world, "r1"), 2)

    mine = await world.outcomes.attention(worker(worker_id), 1, 20)
    (item,) = mine.items
    assert item.attention is Attention.REFUSED and item.item_id == item_id
    assert item.referral.rejection_code == "documents_missing" and item.reason == REASON
    assert item.since == world.clock() and item.needs
    assert (await world.outcomes.attention(supervisor(), 1, 20)).items[0].reason == REASON
    # A colleague covering the mahalla, an admin, another district's supervisor: no text.
    for other in (
        worker("sw-colleague"),
        Principal(sub="admin", role=Role.ADMIN, scope=Scope()),
        supervisor(ELSEWHERE),
    ):
        (seen,) = (await world.outcomes.attention(other, 1, 20)).items
        assert seen.reason is None and "reason" not in seen.model_fields_set

    # Issued again for the item: off the list.
    await follow(world, issued(world, "r2", item_id, replaces="r1"), 1)
    assert (await world.outcomes.attention(worker(worker_id), 1, 20)).items == []


async def test_an_overdue_or_escalated_referral_needs_attention_until_accepted() -> None:
    world = World()
    worker_id, item_id = await approved(world)
    await follow(world, issued(world, "r1", item_id), 1)
    world.clock.advance(timedelta(days=4))
    (late,) = (await world.outcomes.attention(worker(worker_id), 1, 20)).items
    assert late.attention is Attention.OVERDUE
    escalated = ReferralEscalated(
        referral_id="r1",
        case_id="case-1",
        district=DISTRICT,
        accept_by=world.clock() - timedelta(days=1),
        overdue_minutes=1440,
        escalation_level=1,
        escalated_at=world.clock(),
    )
    await follow(world, escalated, 2)
    assert world.referrals.docs["r1"]["status"] == "issued"  # still waiting
    accepted = ReferralAccepted(
        referral_id="r1", case_id="case-1", accepted_by=OPERATOR, accepted_at=world.clock()
    )
    await follow(world, accepted, 3)
    assert (await world.outcomes.attention(worker(worker_id), 1, 20)).items == []


async def test_a_case_lists_every_referral_with_its_text_for_the_worker() -> None:
    world = World()
    worker_id, item_id = await approved(world)
    await follow(world, issued(world, "r1", item_id), 1)
    await follow(world, rejected(world, "r1"), 2)
    await follow(world, issued(world, "r2", item_id, replaces="r1"), 1)
    done = ReferralCompleted(
        referral_id="r2",
        case_id="case-1",
        completed_by=OPERATOR,
        outcome="Protez berildi",
        completed_at=world.clock(),
    )
    await follow(world, done, 2)
    listed = await world.outcomes.of_case(worker(worker_id), "case-1")
    assert [(r.referral.referral_id, r.referral.status) for r in listed] == [
        ("r1", "rejected"),
        ("r2", "completed"),
    ]
    assert listed[0].reason == REASON and listed[0].referral.superseded_by == "r2"
    assert listed[1].outcome == "Protez berildi"
    hidden = await world.outcomes.of_case(worker("sw-colleague"), "case-1")
    assert all(r.reason is None and r.outcome is None for r in hidden)
