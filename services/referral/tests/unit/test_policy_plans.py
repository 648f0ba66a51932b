"""The plan policy on the in-memory journal and fakes: every item referred to its
destination once, with its cause; revisions withdraw, closure cancels, an unroutable
plan is refused whole."""

from __future__ import annotations

from datetime import timedelta

import pytest
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.codes.service_model import ProviderType
from inson_contracts.codes.services import service
from inson_contracts.events.referral import (
    CancellationReason,
    ReferralCancelled,
    ReferralDelivered,
    ReferralIssued,
)
from inson_contracts.events.values import Actor, PlanItem
from inson_runtime.consumer import Unprocessable
from referral.domain.area import EVERYWHERE
from referral.domain.referral import Status

DISTRICT = "1735207"
OPERATOR = Actor(id="op-1", role="window_operator")
WINDOWS = ("psc-1735207-w1", "psc-1735207-w2")
ALL_TYPES = [
    ("w", ProviderType.SOCIAL_SERVICE_WINDOW),
    ("i", ProviderType.INSON_CENTER),
    ("h", ProviderType.HEALTH_FACILITY),
    ("e", ProviderType.EDUCATION_BODY),
    ("j", ProviderType.EMPLOYMENT_CENTER),
    ("m", ProviderType.MAHALLA),
    ("n", ProviderType.NGO_PARTNER),
    ("o", ProviderType.OTHER),
]


def item(item_id: str, provider_type: str = "social_service_window", **extra: str) -> PlanItem:
    fields = {"service_code": "CASH-01", **extra}
    return PlanItem(item_id=item_id, provider_type=provider_type, **fields)


async def events(journal, rid: str) -> list[str]:
    """The verbs of a referral's stream, as stored."""
    return [e.type.split(".")[4] for e in await journal.load(f"referral-{rid}")]


async def test_each_item_is_referred_to_its_destination(policies, plans, clock) -> None:
    plan = plans()
    approved = plan.approved([item(i, t.value) for i, t in ALL_TYPES])

    await policies.on_plan_in_force(approved, plan.envelope(approved))

    for item_id, provider_type in ALL_TYPES:
        referral = await policies.referrals.load(plan.referral(item_id))
        assert referral.issued is not None, item_id
        where = referral.issued.destination
        assert where.provider_type is provider_type and where.district == DISTRICT
        target = timedelta(days=service("CASH-01").target_days)
        assert referral.issued.accept_by == clock.now + target
        if provider_type is ProviderType.SOCIAL_SERVICE_WINDOW:
            assert where.service_center == "psc-1735207"
            assert where.window in WINDOWS
            assert referral.status is Status.DELIVERED
        else:
            assert where.provider and where.provider.endswith(
                approved.mahalla if provider_type is ProviderType.MAHALLA else DISTRICT
            )
            assert referral.status is Status.ISSUED


async def test_an_approved_plan_refers_each_item_once_with_its_cause(
    policies, plans, journal, plan_records
) -> None:
    plan = plans()
    approved = plan.approved([item("w"), item("h", "health_facility")])
    envelope = plan.envelope(approved)

    await policies.on_plan_in_force(approved, envelope)

    issued = {e.item_id: e for e in journal.outbox.events_of_type(ReferralIssued)}
    assert issued["w"].destination.window in WINDOWS
    assert issued["h"].destination.provider == f"health-{DISTRICT}"
    [delivered] = journal.outbox.events_of_type(ReferralDelivered)
    assert delivered.referral_id == plan.referral("w")  # only a window's queue delivers at once
    assert {e.causationid for e in journal.outbox.envelopes()} == {envelope.id}
    assert {c.commit_id for c in journal.outbox.published} == {
        f"issue:{envelope.id}:{plan.referral(i)}" for i in ("w", "h")
    }
    record = await plan_records.get(plan.plan_id)
    assert (record.version, record.items, record.closed) == (1, ("w", "h"), False)


async def test_a_referral_s_events_name_their_cause_and_district(policies, plans, journal) -> None:
    plan = plans()
    approved = plan.approved([item("a")])
    envelope = plan.envelope(approved)
    await policies.on_plan_in_force(approved, envelope)

    stream = await journal.load(f"referral-{plan.referral('a')}")
    assert [(e.causationid, e.district, e.region) for e in stream] == [
        (envelope.id, DISTRICT, DISTRICT[:4])
    ] * 2
    commit = await policies.referrals.recorded(f"issue:{envelope.id}:{plan.referral('a')}")
    assert commit is not None and commit.last_version == 2


async def test_a_person_in_a_branch_s_mahalla_is_referred_to_the_branch(policies, plans) -> None:
    plan = plans()
    mahalla = mahallas_of("1703401")[-1].code
    approved = plan.approved([item("a")], mahalla=mahalla)
    await policies.on_plan_in_force(approved, plan.envelope(approved))
    where = (await policies.referrals.load(plan.referral("a"))).destination
    assert (where.service_center, where.window) == ("psc-1703401-b1", "psc-1703401-b1-w1")


async def test_a_redelivered_or_repeated_plan_event_records_nothing_new(
    policies, plans, journal
) -> None:
    plan = plans()
    approved = plan.approved([item("a"), item("b", "inson_center")])
    envelope = plan.envelope(approved)
    await policies.on_plan_in_force(approved, envelope)
    recorded = len(journal.outbox.published)

    await policies.on_plan_in_force(approved, envelope)
    await policies.on_plan_in_force(approved, plan.envelope(approved))  # another event id

    assert len(journal.outbox.published) == recorded == 2
    assert await events(journal, plan.referral("a")) == ["issued", "delivered"]


async def test_window_items_go_to_the_least_loaded_window_counting_their_own(
    policies, plans, journal, read_model
) -> None:
    read_model.loads = {WINDOWS[0]: 1}
    plan = plans()
    approved = plan.approved([item("a"), item("b"), item("c")])

    await policies.on_plan_in_force(approved, plan.envelope(approved))

    windows = [e.destination.window for e in journal.outbox.events_of_type(ReferralIssued)]
    assert windows == [WINDOWS[1], WINDOWS[0], WINDOWS[1]]


async def test_window_counts_are_read_once_per_half_minute_and_counted_on(
    policies, plans, journal, read_model, clock
) -> None:
    """A center's counts are read at most every 30 s; this process's own choices are
    added in between, and a later read replaces them with what the read model says."""

    async def refer_one() -> str:
        plan = plans()
        approved = plan.approved([item("a")])
        await policies.on_plan_in_force(approved, plan.envelope(approved))
        return journal.outbox.events_of_type(ReferralIssued)[-1].destination.window

    assert await refer_one() == WINDOWS[0]  # read: nothing open anywhere
    read_model.loads = {WINDOWS[1]: 5}  # windows took up and were given others meanwhile
    clock.advance(timedelta(seconds=29))
    assert await refer_one() == WINDOWS[1]  # not read again: counted 1 and 0
    assert await refer_one() == WINDOWS[0]  # counted 1 and 1: the first listed
    clock.advance(timedelta(seconds=1))
    assert await refer_one() == WINDOWS[0]  # read again: 0 and 5
    assert await refer_one() == WINDOWS[0]  # counted 1 and 5


async def test_a_revision_withdraws_dropped_items_and_refers_new_ones(
    policies, plans, journal
) -> None:
    plan = plans()
    approved = plan.approved([item("a"), item("b", "inson_center")])
    await policies.on_plan_in_force(approved, plan.envelope(approved))
    journal.outbox.clear()

    revised = plan.revised([item("b", "inson_center"), item("c", "health_facility")])
    envelope = plan.envelope(revised, version=2)
    await policies.on_plan_in_force(revised, envelope)
    await policies.on_plan_in_force(revised, envelope)  # redelivered

    assert await events(journal, plan.referral("a")) == ["issued", "delivered", "cancelled"]
    [cancelled] = journal.outbox.events_of_type(ReferralCancelled)
    assert cancelled.referral_id == plan.referral("a")
    assert cancelled.reason is CancellationReason.PLAN_REVISED
    assert journal.outbox.envelopes()[0].causationid == envelope.id
    assert await events(journal, plan.referral("b")) == ["issued"]
    assert await events(journal, plan.referral("c")) == ["issued"]
    assert len(journal.outbox.published) == 2

    # The approval read again after its revision (a replaying group) changes nothing.
    await policies.on_plan_in_force(approved, plan.envelope(approved))
    assert len(journal.outbox.published) == 2
    assert await events(journal, plan.referral("c")) == ["issued"]


async def test_closing_the_plan_cancels_only_what_is_still_open(
    policies, referrals, plans, journal
) -> None:
    plan = plans()
    approved = plan.approved([item("a"), item("b"), item("c", "mahalla")])
    await policies.on_plan_in_force(approved, plan.envelope(approved))
    done = plan.referral("b")
    for step in (referrals.accept, referrals.start, referrals.complete):
        await step(done, EVERYWHERE, OPERATOR)
    journal.outbox.clear()

    closed = plan.closed()
    envelope = plan.envelope(closed, version=2)
    await policies.on_plan_closed(closed, envelope)
    await policies.on_plan_closed(closed, envelope)  # redelivered

    cancelled = journal.outbox.events_of_type(ReferralCancelled)
    assert sorted(e.referral_id for e in cancelled) == sorted(plan.referral(i) for i in "ac")
    assert {e.reason for e in cancelled} == {CancellationReason.PLAN_CLOSED}
    for item_id in ("a", "c"):
        referral = await referrals.referrals.load(plan.referral(item_id))
        assert referral.status is Status.CANCELLED
    assert (await referrals.referrals.load(done)).status is Status.COMPLETED
    # A late approval of a closed plan refers nothing again.
    await policies.on_plan_in_force(approved, plan.envelope(approved))
    assert len(journal.outbox.published) == 2


@pytest.mark.parametrize(
    ("bad", "mahalla"),
    [
        (item("b", service_code="ZZZ-99"), None),  # not in the catalogue
        (item("b"), "1703202001"),  # a district no center serves
    ],
    ids=["unknown service", "no center"],
)
async def test_a_plan_that_cannot_be_routed_is_refused_whole(
    policies, plans, journal, plan_records, bad, mahalla
) -> None:
    plan = plans()
    approved = plan.approved([item("a"), bad], **({"mahalla": mahalla} if mahalla else {}))

    with pytest.raises(Unprocessable):
        await policies.on_plan_in_force(approved, plan.envelope(approved))

    assert journal.outbox.published == []
    assert await plan_records.of_case(plan.case_id) == []
