"""Subscriptions bound to a purpose and an area that holds together, on in-memory stores:
what the partner feed queues for whom, and what a replay queues again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from inson_contracts.codes.categories import CircumstanceCategory
from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.codes.services import ServiceCategory
from inson_contracts.envelope import Envelope
from inson_contracts.events import (
    ApplicationSubmitted,
    CaseOpened,
    PlanApproved,
    ReferralAccepted,
    ReferralIssued,
    SocialWorkerAssigned,
)
from inson_contracts.events.values import PlanItem
from notification.handlers.commands import FieldsRefused

from ..conftest import DISTRICT, REGION, Samples
from .test_commands import World

SAMARQAND, PAXTACHI, KATTAQORGON = "1718", "1718230", "1718406"
CHILDREN = CircumstanceCategory.CHILD_PROTECTION
TYPES = [ApplicationSubmitted.TYPE, CaseOpened.TYPE, SocialWorkerAssigned.TYPE]


@pytest.fixture
def world(samples: Samples) -> World:
    return World(samples)


def in_district(envelope: Envelope, district: str) -> Envelope:
    return envelope.model_copy(update={"region": district[:4], "district": district})


def a_case(world: World, *circumstances: Circumstance, district: str = DISTRICT) -> list[Envelope]:
    """A fresh case's application, opening and assignment, in ``district``."""
    samples = Samples()
    samples.now = world.clock() + timedelta(seconds=1)
    submitted = samples.submitted("+998901112233").model_copy(
        update={"circumstances": list(circumstances)}
    )
    opened = samples.opened(submitted.application_id).model_copy(
        update={"circumstances": list(circumstances)}
    )
    stream = f"case-{samples.case_id}"
    return [
        in_district(samples.envelope(submitted, stream, 1), district),
        in_district(samples.envelope(opened, stream, 2), district),
        in_district(
            samples.envelope(samples.assigned(), f"assessment-{samples.case_id}"), district
        ),
    ]


def queued(world: World, subscription_id: str) -> set[str]:
    return {
        e.event_id for e in world.outbox.entries.values() if e.subscription_id == subscription_id
    }


async def test_a_district_outside_the_listed_regions_is_refused_with_where_it_is(
    world: World,
) -> None:
    with pytest.raises(FieldsRefused) as refused:
        await world.subscribe(
            event_types=TYPES, regions=[SAMARQAND], districts=[PAXTACHI, DISTRICT, "1735236"]
        )

    assert refused.value.fields == (
        ("/body/districts/1", "district_outside_regions"),
        ("/body/districts/2", "district_outside_regions"),
    )
    assert world.subscriptions.kept == {}
    # Districts alone, or inside their listed region, hold together.
    await world.subscribe(event_types=TYPES, districts=[PAXTACHI, DISTRICT])
    await world.subscribe(event_types=TYPES, regions=[SAMARQAND, REGION], districts=[DISTRICT])


async def test_districts_narrow_their_region_and_other_listed_regions_stay_whole(
    world: World,
) -> None:
    narrowed = await world.subscribe(
        event_types=TYPES, regions=[SAMARQAND, REGION], districts=[DISTRICT]
    )
    beruniy, xojayli, paxtachi = (
        a_case(world, Circumstance.LOW_INCOME, district=d) for d in (DISTRICT, "1735236", PAXTACHI)
    )

    await world.feed(*beruniy, *xojayli, *paxtachi)

    assert queued(world, narrowed.id) == {e.id for e in beruniy + paxtachi}


async def test_samarqand_for_child_protection_gets_no_lonely_elderly_case(world: World) -> None:
    # The partner: Samarqand, child protection.
    children = await world.subscribe(
        event_types=TYPES, regions=[SAMARQAND], circumstance_categories=[CHILDREN]
    )
    everything = await world.subscribe(event_types=TYPES, regions=[SAMARQAND])
    elderly = a_case(world, Circumstance.LONELY_ELDERLY, district=KATTAQORGON)
    child = a_case(world, Circumstance.CHILD_AT_RISK, Circumstance.LOW_INCOME, district=PAXTACHI)

    await world.feed(*elderly, *child)

    # The worker's assignment says nothing of the case's circumstances: the
    # application's, kept per case, decide it.
    assert queued(world, children.id) == {e.id for e in child}
    assert queued(world, everything.id) == {e.id for e in elderly + child}
    assert world.cases.cases[child[0].subject.removeprefix("case-")].circumstances == {
        "child_at_risk",
        "low_income",
    }


async def test_an_event_of_a_case_not_seen_yet_reaches_no_purpose_bound_subscription(
    world: World,
) -> None:
    older_people = await world.subscribe(
        event_types=TYPES, circumstance_categories=[CircumstanceCategory.OLDER_PEOPLE]
    )
    unbound = await world.subscribe(event_types=TYPES)
    submitted, opened, assigned = a_case(world, Circumstance.NEEDS_CARE_BY_OTHERS)

    await world.feed(assigned)  # read before intake's events: nothing known of its case
    await world.feed(submitted, opened)

    assert queued(world, older_people.id) == {submitted.id, opened.id}
    assert queued(world, unbound.id) == {submitted.id, opened.id, assigned.id}
    # A replay reads what is known by now, and catches the partner up.
    world.clock.advance(timedelta(minutes=1))
    assert await world.partners.replay("partner-unicef", older_people.id, submitted.time) == 3
    assert queued(world, older_people.id) == {submitted.id, opened.id, assigned.id}


async def test_service_categories_follow_the_referral_the_plan_or_the_case(
    world: World, samples: Samples
) -> None:
    types = [
        PlanApproved.TYPE,
        ReferralIssued.TYPE,
        ReferralAccepted.TYPE,
        SocialWorkerAssigned.TYPE,
    ]
    housing = await world.subscribe(event_types=types, service_categories=[ServiceCategory.HOUSING])
    home_care = await world.subscribe(
        event_types=types, service_categories=[ServiceCategory.HOME_CARE]
    )
    samples.now = world.clock() + timedelta(seconds=1)
    assessment = f"assessment-{samples.case_id}"
    before_plan = samples.envelope(samples.assigned(), assessment, 1)
    items = [
        PlanItem(item_id="i1", service_code="HOME-01", provider_type="inson_center"),
        PlanItem(item_id="i2", service_code="HOUSE-01", provider_type="inson_center"),
    ]
    plan = samples.envelope(
        samples.plan_approved().model_copy(update={"items": items}), assessment, 5
    )
    issued = samples.envelope(samples.issued("inson_center"), f"referral-{samples.referral_id}", 1)
    accepted = samples.envelope(samples.accepted(), f"referral-{samples.referral_id}", 2)
    after_plan = samples.envelope(samples.assigned("sw-2"), assessment, 6)

    await world.feed(before_plan, plan, issued, accepted, after_plan)

    # Before any plan the case is about no service; the plan is about both of
    # its services; the referral (HOME-01) and its acceptance are home care only.
    assert queued(world, home_care.id) == {plan.id, issued.id, accepted.id, after_plan.id}
    assert queued(world, housing.id) == {plan.id, after_plan.id}


async def test_purpose_filters_combine_with_and_and_categories_with_or(world: World) -> None:
    both = await world.subscribe(
        event_types=[*TYPES, PlanApproved.TYPE],
        circumstance_categories=[CHILDREN, CircumstanceCategory.HOMELESSNESS],
        service_categories=[ServiceCategory.CHILD_PROTECTION],
    )
    homeless = a_case(world, Circumstance.HOMELESS)

    await world.feed(*homeless)

    # Homeless, but no child-protection service planned yet: not this partner's.
    assert queued(world, both.id) == set()
    child = a_case(world, Circumstance.CHILD_AT_RISK)
    plan = Samples()
    plan.case_id = child[0].subject.removeprefix("case-")
    plan.now = world.clock() + timedelta(seconds=2)
    item = PlanItem(item_id="i1", service_code="CHILD-01", provider_type="inson_center")
    approved = plan.envelope(plan.plan_approved(item), f"assessment-{plan.case_id}", 2)

    await world.feed(*child, approved)

    assert queued(world, both.id) == {approved.id}  # a child's case, once the service is planned
