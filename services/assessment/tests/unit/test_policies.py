"""Assessment's reactions to intake's and referral's events, and the housing-expiry job,
on the in-memory journal: each happens once however often its cause arrives."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from assessment.domain.assignment import schedule_home_visit
from inson_contracts.events import (
    CaseOpened,
    HomeVisitScheduled,
    PlanCompleted,
    PlanItemCompleted,
    ReferralCompleted,
    ReferralIssued,
    SocialWorkerAssigned,
    TemporaryHousingExpired,
)
from inson_contracts.events.assessment import HouseholdSituation
from inson_contracts.events.values import Actor

from .fakes import DISTRICT, MAHALLA, SITUATION, WORKERS, World, delivered, supervisor
from .fakes import worker as social_worker


async def test_a_case_opened_goes_to_the_least_loaded_worker_covering_the_mahalla() -> None:
    world = World()
    world.caseloads.loads = {WORKERS[0]: 5, WORKERS[1]: 2}
    file = await world.open_case()
    (assigned,) = world.journal.outbox.events_of_type(SocialWorkerAssigned)
    assert assigned.social_worker_id == file.worker_id == WORKERS[1]
    assert assigned.caseload_after == 3 and assigned.mahalla == MAHALLA
    (visit,) = world.journal.outbox.events_of_type(HomeVisitScheduled)
    assert visit.scheduled_for == schedule_home_visit(world.clock(), urgent=False)
    # Located at once: partners filter the first events by region and district.
    envelope = world.journal.outbox.envelopes()[0]
    assert (envelope.region, envelope.district) == (DISTRICT[:4], DISTRICT)


async def test_an_urgent_case_is_visited_sooner_and_a_redelivery_changes_nothing() -> None:
    world = World()
    await world.open_case(circumstances=["domestic_violence"])
    (visit,) = world.journal.outbox.events_of_type(HomeVisitScheduled)
    assert visit.scheduled_for == schedule_home_visit(world.clock(), urgent=True)
    opened = CaseOpened(
        case_id="case-1",
        application_id="app-case-1",
        region=DISTRICT[:4],
        district=DISTRICT,
        mahalla=MAHALLA,
        circumstances=["domestic_violence"],
        household_size=1,
        language="uz-Latn",
        opened_at=world.clock(),
    )
    await world.policies.assign(opened, delivered(opened, "case-case-1"))
    assert len(world.journal.outbox.events_of_type(SocialWorkerAssigned)) == 1


async def in_force(world: World) -> list[str]:
    """A case whose plan is approved; its item ids."""
    file = await world.open_case()
    situation = HouseholdSituation.model_validate(SITUATION)
    await world.assessments.complete(social_worker(file.worker_id or ""), "case-1", situation, None)
    await world.assessments.approve(supervisor(), "case-1")
    plan = (await world.files.load("case-1")).plan
    assert plan is not None
    return [i.item_id for i in plan.items]


def referral(world: World, n: int, item_id: str) -> tuple[ReferralIssued, ReferralCompleted]:
    now = world.clock()
    issued = ReferralIssued(
        referral_id=f"ref-{n}",
        case_id="case-1",
        plan_id="plan-1",
        plan_version=1,
        item_id=item_id,
        service_code="HOME-01",
        priority="routine",
        destination={"provider_type": "inson_center", "district": DISTRICT},
        accept_by=now + timedelta(days=3),
        issued_at=now,
    )
    completed = ReferralCompleted(
        referral_id=f"ref-{n}",
        case_id="case-1",
        completed_by=Actor(id="op-1", role="window_operator"),
        completed_at=now,
    )
    return issued, completed


async def test_completed_referrals_complete_their_items_then_the_plan() -> None:
    world = World()
    items = await in_force(world)
    for n, item_id in enumerate(items):
        issued, completed = referral(world, n, item_id)
        stream = f"referral-ref-{n}"
        await world.policies.follow_referral(issued, delivered(issued, stream, 1))
        await world.policies.complete_item(completed, delivered(completed, stream, 2))
        # Redelivered: the same commit, nothing new.
        await world.policies.complete_item(completed, delivered(completed, stream, 2))
    done = world.journal.outbox.events_of_type(PlanItemCompleted)
    assert [d.item_id for d in done] == items
    assert len(world.journal.outbox.events_of_type(PlanCompleted)) == 1
    plan = (await world.files.load("case-1")).plan
    assert plan is not None and plan.status.value == "completed"


async def test_a_completed_referral_of_no_known_item_changes_nothing() -> None:
    world = World()
    await in_force(world)
    _, completed = referral(world, 9, "item-x")
    before = len(world.journal.outbox.events())
    await world.policies.complete_item(completed, delivered(completed, "referral-ref-9", 2))
    assert len(world.journal.outbox.events()) == before


async def test_temporary_housing_expires_once_on_the_day_after_its_last_day() -> None:
    world = World()
    world.clock.now = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
    await world.open_case()
    start = date(2026, 3, 1)
    registration_id = await world.assessments.grant_temporary_housing(
        supervisor(), "case-1", "I-1", start, start + timedelta(days=30), None
    )
    # The last day, to its last minute in Tashkent: still registered.
    world.clock.now = datetime(2026, 3, 31, 18, 59, tzinfo=UTC)
    await world.policies.expire_housing()
    assert world.journal.outbox.events_of_type(TemporaryHousingExpired) == []

    world.clock.now = datetime(2026, 3, 31, 19, 0, tzinfo=UTC)  # 1 April, 00:00 in Tashkent
    world.housing.behind()
    await world.policies.expire_housing()
    await world.policies.expire_housing()  # the job runs again before the view catches up
    (expired,) = world.journal.outbox.events_of_type(TemporaryHousingExpired)
    assert expired.registration_id == registration_id
    assert expired.expired_on == start + timedelta(days=30)
    registration = (await world.files.load("case-1")).housing[registration_id]
    assert registration.expired  # kept in the case file, as ended
