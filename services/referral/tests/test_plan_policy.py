"""Plans become referrals, on FerretDB: routing, balancing, revisions, closure, redelivery."""

from __future__ import annotations

from datetime import timedelta

import pytest
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.codes.service_model import ProviderType
from inson_contracts.codes.services import service
from inson_contracts.events.referral import ReferralCancelled
from inson_contracts.events.values import Actor, PlanItem
from inson_runtime.consumer import Unprocessable
from referral.domain.area import EVERYWHERE
from referral.domain.referral import Status
from referral.projections.views import REFERRALS

pytestmark = pytest.mark.integration

DISTRICT = "1735207"


def item(item_id: str, provider_type: str = "social_service_window", **extra: str) -> PlanItem:
    code = extra.get("service_code", "CASH-01")
    return PlanItem(item_id=item_id, service_code=code, provider_type=provider_type)


OPERATOR = Actor(id="op-1", role="window_operator")
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


async def test_each_item_is_referred_to_its_destination(offline, plans, clock) -> None:
    plan = plans()
    approved = plan.approved([item(i, t.value) for i, t in ALL_TYPES])

    await offline.deliver(approved, plan.envelope(approved))

    for item_id, provider_type in ALL_TYPES:
        referral = await offline.load(plan.referral(item_id))
        assert referral.issued is not None, item_id
        where = referral.issued.destination
        assert where.provider_type is provider_type and where.district == DISTRICT
        target = timedelta(days=service("CASH-01").target_days)
        assert referral.issued.accept_by == clock.now + target
        if provider_type is ProviderType.SOCIAL_SERVICE_WINDOW:
            assert where.service_center == "psc-1735207"
            assert where.window in {"psc-1735207-w1", "psc-1735207-w2"}
            assert referral.status is Status.DELIVERED
        else:
            assert where.provider and where.provider.endswith(
                approved.mahalla if provider_type is ProviderType.MAHALLA else DISTRICT
            )
            assert referral.status is Status.ISSUED


async def test_a_referral_s_events_name_their_cause_and_district(offline, plans) -> None:
    plan = plans()
    approved = plan.approved([item("a")])
    envelope = plan.envelope(approved)
    await offline.deliver(approved, envelope)

    stream = await offline.stream(plan.referral("a"))
    assert [(e.causationid, e.district, e.region) for e in stream] == [
        (envelope.id, DISTRICT, DISTRICT[:4])
    ] * 2
    commit = await offline.runtime.store.commit(f"issue:{envelope.id}:{plan.referral('a')}")
    assert commit is not None and commit.last_version == 2


async def test_a_redelivered_plan_event_creates_nothing_twice(offline, plans) -> None:
    plan = plans()
    approved = plan.approved([item("a"), item("b", "inson_center")])
    envelope = plan.envelope(approved)

    await offline.deliver(approved, envelope)
    commits = await offline.commits()
    await offline.deliver(approved, envelope)
    await offline.deliver(approved, plan.envelope(approved))  # the same plan, another event id

    assert await offline.commits() == commits == 2
    assert await offline.events(plan.referral("a")) == ["issued", "delivered"]


async def test_a_revision_withdraws_dropped_items_and_refers_new_ones(offline, plans) -> None:
    plan = plans()
    approved = plan.approved([item("a"), item("b", "inson_center")])
    await offline.deliver(approved, plan.envelope(approved))

    revised = plan.revised([item("b", "inson_center"), item("c", "health_facility")])
    envelope = plan.envelope(revised, version=2)
    await offline.deliver(revised, envelope)
    await offline.deliver(revised, envelope)  # redelivered

    assert await offline.events(plan.referral("a")) == ["issued", "delivered", "cancelled"]
    cancelled = (await offline.stream(plan.referral("a")))[-1]
    assert cancelled.data["reason"] == "plan_revised" and cancelled.causationid == envelope.id
    assert await offline.events(plan.referral("b")) == ["issued"]
    assert await offline.events(plan.referral("c")) == ["issued"]

    # The approval read again after its revision (a replaying group) changes nothing.
    await offline.deliver(approved, plan.envelope(approved))
    assert await offline.events(plan.referral("c")) == ["issued"]


async def test_closing_the_plan_cancels_what_is_still_open(offline, plans) -> None:
    plan = plans()
    approved = plan.approved([item("a"), item("b"), item("c", "mahalla")])
    await offline.deliver(approved, plan.envelope(approved))
    done = plan.referral("b")
    for step in (offline.referrals.accept, offline.referrals.start, offline.referrals.complete):
        await step(done, EVERYWHERE, OPERATOR)

    closed = plan.closed()
    await offline.deliver(closed, plan.envelope(closed, version=2))

    for item_id in ("a", "c"):
        referral = await offline.load(plan.referral(item_id))
        assert referral.status is Status.CANCELLED
    stream = await offline.stream(plan.referral("a"))
    assert ReferralCancelled.model_validate(stream[-1].data).reason.value == "plan_closed"
    assert (await offline.load(done)).status is Status.COMPLETED
    # A late approval of a closed plan refers nothing again.
    commits = await offline.commits()
    await offline.deliver(approved, plan.envelope(approved))
    assert await offline.commits() == commits


async def test_window_referrals_are_spread_over_the_center_s_windows(offline, plans) -> None:
    first = plans()
    approved = first.approved([item("a"), item("b", service_code="HOME-01"), item("c")])
    await offline.deliver(approved, first.envelope(approved))
    windows = [(await offline.load(first.referral(i))).destination.window for i in "abc"]
    assert windows == ["psc-1735207-w1", "psc-1735207-w2", "psc-1735207-w1"]

    await offline.project()  # the read model now counts w1: 2, w2: 1
    second = plans()
    more = second.approved([item("x")])
    await offline.deliver(more, second.envelope(more))
    assert (await offline.load(second.referral("x"))).destination.window == "psc-1735207-w2"
    counts = {
        w: await offline.db[REFERRALS].count_documents({"window": w})
        for w in ("psc-1735207-w1", "psc-1735207-w2")
    }
    assert counts == {"psc-1735207-w1": 2, "psc-1735207-w2": 1}


async def test_a_person_in_a_branch_s_mahalla_is_referred_to_the_branch(offline, plans) -> None:
    plan = plans()
    mahalla = mahallas_of("1703401")[-1].code
    approved = plan.approved([item("a")], mahalla=mahalla)
    await offline.deliver(approved, plan.envelope(approved))
    where = (await offline.load(plan.referral("a"))).destination
    assert (where.service_center, where.window) == ("psc-1703401-b1", "psc-1703401-b1-w1")


@pytest.mark.parametrize(
    ("bad", "mahalla"),
    [
        (item("b", service_code="ZZZ-99"), None),  # not in the catalogue
        (item("b"), "1703202001"),  # a district no center serves
    ],
)
async def test_a_plan_that_cannot_be_routed_is_dead_lettered_whole(
    offline, plans, bad, mahalla
) -> None:
    plan = plans()
    approved = plan.approved([item("a"), bad], **({"mahalla": mahalla} if mahalla else {}))

    with pytest.raises(Unprocessable):
        await offline.deliver(approved, plan.envelope(approved))
    assert await offline.commits() == 0
