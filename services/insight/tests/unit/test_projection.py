"""A journey with known timings, through the projection into an in-memory store and
back out as figures: exactly the expected indicators, nothing counted twice on
redelivery, and one batch (a rebuild) writing the same documents as event by event."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from insight.domain.indicators import Level, fold, summary
from insight.domain.periods import PeriodKind
from insight.projections.facts import insight_facts
from insight.projections.queries import InsightQueries
from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY, CaseOpened, SocialWorkerAssigned
from inson_runtime.projections import Database
from inson_runtime.testing.views import InMemoryViewDatabase
from inson_runtime.viewbatch import ViewBatch

from ..journey import CaseJourney

START = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)


def journey() -> CaseJourney:
    return (
        CaseJourney("case-1", START)
        .applied(0)
        .messaged(0.1)
        .visited(30)
        .assessed(31)
        .approved(50)
        .referred("ref-1", 51, provider_type="social_service_window")
        .referred("ref-2", 51, provider_type="health_facility")
        .accepted("ref-1", 60)
        .refused("ref-2", 70)
        .registered(72)
        .messaged(73, failed=True)
        .completed(200)
    )


def _event(envelope: Envelope) -> Any:
    return REGISTRY.parse(envelope.type, envelope.data)


async def live(envelopes: list[Envelope], db: InMemoryViewDatabase) -> None:
    """Event by event, each in a batch of its own."""
    for envelope in envelopes:
        await insight_facts.apply(_event(envelope), envelope, cast(Database, db))


async def in_one_batch(envelopes: list[Envelope], db: InMemoryViewDatabase) -> None:
    """All in one batch, as a rebuild's first batch takes them."""
    batch = ViewBatch(cast(Any, db))
    for envelope in envelopes:
        handler = insight_facts.handlers.get(envelope.type)
        if handler is not None:
            async with batch.lane():
                await handler(_event(envelope), envelope, batch)
    await batch.finish()


async def figures(db: InMemoryViewDatabase, level: Level = Level.DISTRICT) -> list[Any]:
    facts = await InsightQueries(cast(Database, db)).facts("1735207")
    now = START + timedelta(days=30)
    return [
        (row.area, row.period, summary(row.figures))
        for row in fold(facts, level=level, kind=PeriodKind.MONTH, now=now)
    ]


async def test_a_journey_gives_exactly_its_figures() -> None:
    db = InMemoryViewDatabase()
    await live(journey().envelopes, db)
    ((area, period, shown),) = await figures(db)
    assert (area, period) == ("1735207", "2026-03")
    assert shown["applications"] == {"total": 1, "by_channel": {"mahalla_tablet": 1}}
    assert shown["cases"] == {"opened": 1, "closed": 1}
    assert shown["durations"] == {
        "home_visit": {"count": 1, "median_hours": 30.0, "p90_hours": 30.0},
        "assessment": {"count": 1, "median_hours": 31.0, "p90_hours": 31.0},
        "plan_approval": {"count": 1, "median_hours": 50.0, "p90_hours": 50.0},
        "first_referral_accepted": {"count": 1, "median_hours": 60.0, "p90_hours": 60.0},
        "plan_completion": {"count": 1, "median_hours": 200.0, "p90_hours": 200.0},
    }
    assert shown["referrals"] == {
        "issued": 2,
        "by_provider_type": {"health_facility": 1, "social_service_window": 1},
        "by_status": {"accepted": 1, "rejected": 1},
        "overdue": 0,
        "escalated": 0,
        "expired": 0,
        "refused": 1,
        "refusals_by_reason": {"not_eligible": 1},
    }
    assert shown["registers"] == {"care_register_entries": 1, "temporary_housing_registrations": 1}
    assert shown["messages"]["sent_by_channel"] == {"sms": 1}
    assert shown["messages"]["failed_by_channel"] == {"sms": 1}


async def test_no_personal_data_is_kept() -> None:
    db = InMemoryViewDatabase()
    await live(journey().envelopes, db)
    kept = repr(db.collections)
    for personal in ("Qodirova", "Malika", "1948", "+998901234567", "already receives"):
        assert personal not in kept


async def test_a_redelivered_event_counts_once() -> None:
    once, twice = InMemoryViewDatabase(), InMemoryViewDatabase()
    envelopes = journey().envelopes
    await live(envelopes, once)
    await live(envelopes, twice)
    await live(envelopes[3:9], twice)
    assert twice.collections == once.collections
    assert await figures(twice) == await figures(once)


async def test_one_batch_writes_what_event_by_event_writes() -> None:
    one_by_one, batched = InMemoryViewDatabase(), InMemoryViewDatabase()
    envelopes = journey().envelopes + CaseJourney("case-2", START).applied(5).visited(9).envelopes
    await live(envelopes, one_by_one)
    await in_one_batch(envelopes, batched)
    assert batched.collections == one_by_one.collections
    assert await figures(batched, Level.MAHALLA) == await figures(one_by_one, Level.MAHALLA)


async def test_a_streams_events_in_any_order_write_the_same_documents() -> None:
    """What lets a rebuild run beside the live consumer: the live one may write a
    stream's newest event before the rebuild replays the older ones."""
    in_order, shuffled = InMemoryViewDatabase(), InMemoryViewDatabase()
    envelopes = journey().envelopes
    await live(envelopes, in_order)
    mixed = list(envelopes)
    random.Random(23).shuffle(mixed)
    await live(mixed, shuffled)
    assert shuffled.collections == in_order.collections


async def test_a_case_opened_for_a_moved_application_counts_from_its_submission() -> None:
    """A refused link moves the application to a new case, opened in its own stream:
    its durations still start at the application's submission."""
    first = CaseJourney("case-first", START).applied(0)
    moved = CaseJourney("case-moved", START)
    opened = CaseOpened(
        case_id="case-moved",
        application_id="app-case-first",
        region="1735",
        district="1735207",
        mahalla="1735207001",
        circumstances=["lonely_elderly"],
        household_size=1,
        language="uz-Latn",
        opened_at=moved.at(5),
    )
    moved.intake(opened, moved.at(5))
    assigned = SocialWorkerAssigned(
        case_id="case-moved",
        social_worker_id="sw-1735207-01",
        mahalla="1735207001",
        district="1735207",
        caseload_after=1,
        assigned_at=moved.at(5),
    )
    moved.assessment(assigned, moved.at(5))
    moved.visited(29)
    db = InMemoryViewDatabase()
    await live(first.envelopes[:1] + moved.envelopes, db)
    ((_, _, shown),) = await figures(db)
    assert shown["durations"]["home_visit"]["median_hours"] == 29.0
