"""Folding facts into figures (pure): periods in Tashkent time, exact medians and
90th percentiles, counts by channel, status and reason, overdue now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from insight.domain.coverage import Reference, coverage
from insight.domain.facts import (
    ApplicationFact,
    Area,
    CaseFact,
    CaseWorkFact,
    Facts,
    MessageFact,
    MessageOutcome,
    ReferralFact,
)
from insight.domain.indicators import Duration, Level, Milestone, fold, summary
from insight.domain.periods import PeriodKind, period_of

T0 = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # Monday 09:00 in Tashkent
AREA = Area("1735", "1735207", "1735207001")
OTHER = Area("1735", "1735207", "1735207002")


def test_a_moment_is_in_the_week_and_month_of_its_tashkent_date() -> None:
    # 20:00 UTC on 31 March is 1 April in Tashkent (UTC+5).
    late = datetime(2026, 3, 31, 20, 0, tzinfo=UTC)
    assert period_of(late, PeriodKind.MONTH) == "2026-04"
    assert period_of(late - timedelta(hours=2), PeriodKind.MONTH) == "2026-03"
    assert period_of(datetime(2026, 1, 1, 12, tzinfo=UTC), PeriodKind.WEEK) == "2026-W01"
    assert period_of(datetime(2025, 12, 28, 20, tzinfo=UTC), PeriodKind.WEEK) == "2026-W01"


def test_median_and_90th_percentile_are_exact() -> None:
    assert Duration.of([]) == Duration(0, None, None)
    assert Duration.of([5]) == Duration(1, 5, 5)
    assert Duration.of([4, 1, 3, 2]) == Duration(4, 2.5, 4)
    hours = [float(h) for h in range(1, 21)]  # 1..20: nearest rank 18
    assert Duration.of(hours) == Duration(20, 10.5, 18)


def _case(case_id: str, area: Area, applied: float, opened: float | None = None) -> CaseFact:
    return CaseFact(
        case_id,
        area,
        opened_at=T0 + timedelta(hours=opened if opened is not None else applied),
        applied_at=T0 + timedelta(hours=applied),
    )


def test_durations_run_from_the_application_to_the_first_of_each_milestone() -> None:
    facts = Facts(
        cases=[_case("c1", AREA, 0), _case("c2", OTHER, 1), _case("c3", AREA, 2)],
        work=[
            CaseWorkFact("c1", "1735207", "sw-1", visited_at=T0 + timedelta(hours=24)),
            CaseWorkFact("c2", "1735207", "sw-1", visited_at=T0 + timedelta(hours=49)),
            CaseWorkFact("c3", "1735207", "sw-2", visited_at=T0 + timedelta(hours=74)),
        ],
        referrals=[
            ReferralFact(
                "r1",
                "c1",
                "1735207",
                "health_facility",
                "accepted",
                T0,
                T0 + timedelta(days=2),
                accepted_at=T0 + timedelta(hours=30),
            ),
            ReferralFact(
                "r2",
                "c1",
                "1735207",
                "social_service_window",
                "accepted",
                T0,
                T0 + timedelta(days=2),
                accepted_at=T0 + timedelta(hours=10),
            ),
        ],
    )
    (district,) = fold(facts, level=Level.DISTRICT, kind=PeriodKind.MONTH, now=T0)
    durations = district.figures.durations
    assert durations[Milestone.HOME_VISIT] == Duration(3, 48, 72)
    assert durations[Milestone.FIRST_REFERRAL_ACCEPTED] == Duration(1, 10, 10)
    assert durations[Milestone.PLAN_APPROVAL] == Duration(0, None, None)
    by_mahalla = fold(facts, level=Level.MAHALLA, kind=PeriodKind.MONTH, now=T0)
    assert [(row.area, row.figures.cases_opened) for row in by_mahalla] == [
        ("1735207001", 2),
        ("1735207002", 1),
    ]


def test_counts_by_channel_status_reason_and_overdue_now() -> None:
    due = T0 + timedelta(days=2)
    facts = Facts(
        applications=[
            ApplicationFact("a1", AREA, "mahalla_tablet", T0),
            ApplicationFact("a2", AREA, "service_window", T0),
            ApplicationFact("a3", AREA, "mahalla_tablet", T0 + timedelta(days=40)),
        ],
        cases=[_case("c1", AREA, 0)],
        referrals=[
            ReferralFact("r1", "c1", "1735207", "health_facility", "issued", T0, due),
            ReferralFact(
                "r2",
                "c1",
                "1735207",
                "social_service_window",
                "rejected",
                T0,
                due,
                rejected_at=T0 + timedelta(hours=3),
                rejection_code="not_eligible",
            ),
        ],
        messages=[
            MessageFact("m1", "c1", "1735207", "sms", MessageOutcome.SENT, T0),
            MessageFact("m2", "c1", "1735207", "sms", MessageOutcome.FAILED, T0),
            MessageFact("m3", "c1", "1735207", "sms", MessageOutcome.RETRYING, T0),
        ],
    )
    march, april = fold(facts, level=Level.DISTRICT, kind=PeriodKind.MONTH, now=due + timedelta(1))
    shown = summary(march.figures)
    assert march.period == "2026-03" and april.period == "2026-04"
    assert shown["applications"] == {
        "total": 2,
        "by_channel": {"mahalla_tablet": 1, "service_window": 1},
    }
    assert shown["referrals"]["by_status"] == {"issued": 1, "rejected": 1}
    assert shown["referrals"]["overdue"] == 1
    assert shown["referrals"]["refusals_by_reason"] == {"not_eligible": 1}
    assert shown["messages"]["sent_by_channel"] == {"sms": 1}
    assert shown["messages"]["failed_by_channel"] == {"sms": 1}
    assert summary(april.figures)["applications"]["total"] == 1


def test_coverage_counts_reached_mahallas_open_cases_and_caseloads() -> None:
    closed = CaseFact("c3", OTHER, opened_at=T0, closed_at=T0 + timedelta(days=9))
    facts = Facts(
        cases=[_case("c1", AREA, 0), _case("c2", AREA, 1), closed],
        work=[
            CaseWorkFact("c1", "1735207", "sw-1", visited_at=T0),
            CaseWorkFact("c2", "1735207", "sw-1"),
            CaseWorkFact("c3", "1735207", "sw-2", visited_at=T0),
        ],
    )
    reference = Reference(mahallas={"1735207": 40}, workers={"1735207": 4})
    (entry,) = coverage(facts, reference, now=T0)
    assert entry.figures() == {
        "mahallas": 40,
        "mahallas_with_cases": 2,
        "open_cases": 2,
        "cases_awaiting_visit": 1,
        "workers": 4,
        "caseload_per_worker": 0.5,
        "max_caseload": 2,
        "referrals_awaiting": 0,
        "referrals_overdue": 0,
    }
    assert coverage(Facts(), reference, now=T0, also=["1735207"])[0].open_cases == 0
