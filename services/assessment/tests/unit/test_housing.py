"""Temporary housing on the in-memory journal: the supervisor's grant (six calendar months,
a consecutive registration only by a decision with a reason), the case's registrations,
and the housing job (expiry the day after the last day, the end noted once)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from assessment.domain.case_file import CaseFileRuleViolation
from assessment.domain.housing import CURRENT_RULE
from assessment.handlers.errors import OutOfScope, Unprocessable
from inson_contracts.events import (
    TemporaryHousingEndingSoon,
    TemporaryHousingExpired,
    TemporaryHousingGranted,
)
from inson_runtime.eventstore import ConcurrencyConflict

from .fakes import ELSEWHERE, World, supervisor, worker

MARCH_1, SEPTEMBER_1 = date(2026, 3, 1), date(2026, 9, 1)


async def housed(world: World, start: date = MARCH_1, end: date = SEPTEMBER_1) -> str:
    await world.open_case()
    return await world.assessments.grant_temporary_housing(
        supervisor(), "case-1", "I-1", start, end, "30101850123456"
    )


def at_tashkent(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=5)


async def test_six_calendar_months_are_granted_and_a_day_more_is_refused_by_field() -> None:
    world = World()
    registration_id = await housed(world)
    (granted,) = world.journal.outbox.events_of_type(TemporaryHousingGranted)
    assert granted.registration_id == registration_id and granted.institution_code == "I-1"
    assert (granted.valid_until - granted.valid_from).days == 184
    assert granted.extends is None and granted.reason is None

    later = date(2027, 1, 1)
    with pytest.raises(Unprocessable) as too_long:
        await world.assessments.grant_temporary_housing(
            supervisor(), "case-1", "I-1", later, date(2027, 7, 2), "30101850123456"
        )
    (error,) = too_long.value.detail
    assert error["loc"] == ["body", "valid_until"]
    assert "at most 6 calendar months (housing-v1)" in error["msg"]
    assert "2027-07-01" in error["msg"]
    assert "30101850123456" not in str(too_long.value.detail)  # nothing the caller sent
    with pytest.raises(Unprocessable) as backwards:
        await world.assessments.grant_temporary_housing(
            supervisor(), "case-1", "I-1", later, later, None
        )
    assert backwards.value.detail[0]["loc"] == ["body", "valid_until"]
    assert len(world.journal.outbox.events_of_type(TemporaryHousingGranted)) == 1


async def test_the_same_registration_asked_again_records_nothing() -> None:
    world = World()
    registration_id = await housed(world)
    again = await world.assessments.grant_temporary_housing(
        supervisor(), "case-1", "I-1", MARCH_1, SEPTEMBER_1, None
    )
    assert again == registration_id
    assert len(world.journal.outbox.events_of_type(TemporaryHousingGranted)) == 1
    with pytest.raises(CaseFileRuleViolation, match="from that day exists"):
        await world.assessments.grant_temporary_housing(
            supervisor(), "case-1", "I-2", MARCH_1, SEPTEMBER_1, None
        )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 9, 2), date(2027, 3, 1)),  # back to back: the day after the last day
        (date(2026, 8, 15), date(2027, 2, 15)),  # overlapping
        (date(2025, 9, 1), date(2026, 2, 28)),  # ending the day before the first one starts
    ],
)
async def test_a_consecutive_registration_needs_the_supervisors_decision(
    start: date, end: date
) -> None:
    world = World()
    first = await housed(world)
    with pytest.raises(CaseFileRuleViolation, match="supervisor's decision"):
        await world.assessments.grant_temporary_housing(
            supervisor(), "case-1", "I-1", start, end, None
        )
    with pytest.raises(Unprocessable) as no_reason:
        await world.assessments.grant_temporary_housing(
            supervisor(), "case-1", "I-1", start, end, None, extends=first
        )
    assert no_reason.value.detail[0]["loc"] == ["body", "reason"]
    with pytest.raises(Unprocessable) as unknown:
        await world.assessments.grant_temporary_housing(
            supervisor(), "case-1", "I-1", start, end, None, extends="nope", reason="why"
        )
    assert unknown.value.detail[0]["loc"] == ["body", "extends"]
    assert len(world.journal.outbox.events_of_type(TemporaryHousingGranted)) == 1

    second = await world.assessments.grant_temporary_housing(
        supervisor(), "case-1", "I-1", start, end, None, extends=first, reason="no place yet"
    )
    granted = world.journal.outbox.events_of_type(TemporaryHousingGranted)[-1]
    assert granted.registration_id == second and granted.extends == first
    assert granted.reason == "no place yet"


async def test_a_gap_of_a_day_is_a_new_registration_and_extends_must_name_one_continued() -> None:
    world = World()
    first = await housed(world)
    with pytest.raises(Unprocessable) as not_continued:
        await world.assessments.grant_temporary_housing(
            supervisor(), "case-1", "I-1", date(2026, 9, 3), date(2027, 3, 1), None, extends=first
        )
    assert not_continued.value.detail[0]["loc"] == ["body", "extends"]
    await world.assessments.grant_temporary_housing(
        supervisor(), "case-1", "I-1", date(2026, 9, 3), date(2027, 3, 1), None
    )
    assert len(world.journal.outbox.events_of_type(TemporaryHousingGranted)) == 2


async def test_a_registration_is_continued_once_and_an_ended_one_still_counts() -> None:
    world = World()
    first = await housed(world)
    world.clock.now = at_tashkent(date(2026, 9, 2))
    await world.policies.expire_housing()
    assert len(world.journal.outbox.events_of_type(TemporaryHousingExpired)) == 1
    # Ended yesterday: a registration from today still continues it.
    with pytest.raises(CaseFileRuleViolation, match="supervisor's decision"):
        await world.assessments.grant_temporary_housing(
            supervisor(), "case-1", "I-1", date(2026, 9, 2), date(2027, 3, 1), None
        )
    second = await world.assessments.grant_temporary_housing(
        supervisor(),
        "case-1",
        "I-1",
        date(2026, 9, 2),
        date(2027, 3, 1),
        None,
        extends=first,
        reason="r",
    )
    with pytest.raises(CaseFileRuleViolation, match=f"already continued by {second}"):
        await world.assessments.grant_temporary_housing(
            supervisor(),
            "case-1",
            "I-1",
            date(2026, 8, 20),
            date(2026, 12, 1),
            None,
            extends=first,
            reason="r",
        )


async def test_the_case_lists_its_registrations_in_scope() -> None:
    world = World()
    first = await housed(world)
    second = await world.assessments.grant_temporary_housing(
        supervisor(),
        "case-1",
        "I-2",
        date(2026, 9, 2),
        date(2027, 3, 2),
        None,
        extends=first,
        reason="r",
    )
    file = await world.files.load("case-1")
    me = worker(file.worker_id or "")
    listed = await world.assessments.temporary_housing(me, "case-1")
    assert [r.registration_id for r in listed] == [first, second]
    assert listed[0].extended_by == second and listed[1].granted.extends == first
    assert [r.status(date(2026, 9, 1)) for r in listed] == ["active", "upcoming"]
    with pytest.raises(OutOfScope):
        await world.assessments.temporary_housing(supervisor(ELSEWHERE), "case-1")


async def test_the_job_notes_the_end_once_from_fourteen_days_before() -> None:
    world = World()
    registration_id = await housed(world)
    assert CURRENT_RULE.reminder_days_before_end == 14
    world.clock.now = at_tashkent(date(2026, 8, 17), hour=23)
    await world.policies.expire_housing()
    assert world.journal.outbox.events_of_type(TemporaryHousingEndingSoon) == []

    world.clock.now = at_tashkent(date(2026, 8, 18), hour=0)
    world.housing.behind()  # the view has not seen the note yet
    for _ in range(3):
        await world.policies.expire_housing()
    world.housing.lag = None
    world.clock.now = at_tashkent(date(2026, 8, 30))
    await world.policies.expire_housing()
    (noted,) = world.journal.outbox.events_of_type(TemporaryHousingEndingSoon)
    assert noted.registration_id == registration_id and noted.valid_until == SEPTEMBER_1
    assert (noted.lead_days, noted.rule) == (14, "housing-v1")
    assert noted.noticed_at == at_tashkent(date(2026, 8, 18), hour=0)
    assert (await world.files.load("case-1")).housing[registration_id].reminded


async def test_a_continued_registration_is_not_noted_and_its_successor_is() -> None:
    world = World()
    first = await housed(world)
    second = await world.assessments.grant_temporary_housing(
        supervisor(),
        "case-1",
        "I-1",
        date(2026, 9, 2),
        date(2027, 3, 2),
        None,
        extends=first,
        reason="r",
    )
    world.clock.now = at_tashkent(date(2026, 8, 25))
    await world.policies.expire_housing()
    assert world.journal.outbox.events_of_type(TemporaryHousingEndingSoon) == []
    world.clock.now = at_tashkent(date(2027, 2, 20))
    await world.policies.expire_housing()
    (noted,) = world.journal.outbox.events_of_type(TemporaryHousingEndingSoon)
    assert noted.registration_id == second
    expired = world.journal.outbox.events_of_type(TemporaryHousingExpired)
    assert [e.registration_id for e in expired] == [first]


async def test_a_deployment_sets_its_own_lead_time() -> None:
    world = World()
    world.policies.housing_rule = CURRENT_RULE.reminding(3)
    await housed(world)
    world.clock.now = at_tashkent(date(2026, 8, 28))
    await world.policies.expire_housing()
    assert world.journal.outbox.events_of_type(TemporaryHousingEndingSoon) == []
    world.clock.now = at_tashkent(date(2026, 8, 29))
    await world.policies.expire_housing()
    (noted,) = world.journal.outbox.events_of_type(TemporaryHousingEndingSoon)
    assert noted.lead_days == 3


async def test_a_case_that_moved_meanwhile_waits_for_the_next_run_and_the_rest_go_on() -> None:
    world = World()
    await housed(world)
    await world.open_case("case-2")
    await world.assessments.grant_temporary_housing(
        supervisor(), "case-2", "I-1", MARCH_1, SEPTEMBER_1, None
    )
    world.clock.now = at_tashkent(date(2026, 9, 2))
    record = world.files.record
    moved = {"case-1"}

    async def someone_wrote_first(case_id: str, *args: Any, **kwargs: Any) -> Any:
        # A worker (or the job in another replica) appended since the load.
        if case_id in moved:
            moved.discard(case_id)
            raise ConcurrencyConflict(world.files.stream(case_id), args[0])
        return await record(case_id, *args, **kwargs)

    world.files.record = someone_wrote_first  # type: ignore[method-assign]
    await world.policies.expire_housing()
    expired = world.journal.outbox.events_of_type(TemporaryHousingExpired)
    assert [e.case_id for e in expired] == ["case-2"]
    await world.policies.expire_housing()
    expired = world.journal.outbox.events_of_type(TemporaryHousingExpired)
    assert sorted(e.case_id for e in expired) == ["case-1", "case-2"]
