"""The figures of an area and period, folded from the facts (pure).

Every count is dated by its own moment (an application by its submission, a
closure by its closure, a referral by its issue, a refusal by its refusal),
and a duration by the milestone that ends it: "days to home visit" in March
are the visits made in March, counted from their case's application (or the
case's opening, when it was found without one). Weeks and months are
Tashkent's (``periods.py``). Areas are the case's mahalla, district and
region; what is not a case's (a referral, a message) takes its case's area
when the case is known, else its own district.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.geography import district as district_named

from insight.domain.facts import Area, CaseFact, CaseWorkFact, Facts, MessageOutcome, RegisterKind
from insight.domain.periods import PeriodKind, period_of


class Level(StrEnum):
    REGION = "region"
    DISTRICT = "district"
    MAHALLA = "mahalla"


class Milestone(StrEnum):
    """How far a case has come since its application."""

    HOME_VISIT = "home_visit"
    ASSESSMENT = "assessment"
    PLAN_APPROVAL = "plan_approval"
    FIRST_REFERRAL_ACCEPTED = "first_referral_accepted"
    PLAN_COMPLETION = "plan_completion"


@dataclass(frozen=True)
class Duration:
    """Hours from application to a milestone: how many, median and 90th percentile."""

    count: int
    median_hours: float | None
    p90_hours: float | None

    @classmethod
    def of(cls, hours: Iterable[float]) -> Duration:
        ordered = sorted(hours)
        if not ordered:
            return cls(0, None, None)
        middle = len(ordered) // 2
        median = (
            ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
        )
        # Nearest rank: an hour someone actually waited, never an interpolation.
        p90 = ordered[math.ceil(0.9 * len(ordered)) - 1]
        return cls(len(ordered), round(median, 2), round(p90, 2))


@dataclass
class Figures:
    """One area's figures in one period."""

    applications_by_channel: Counter[str] = field(default_factory=Counter)
    cases_opened: int = 0
    cases_closed: int = 0
    durations: dict[Milestone, Duration] = field(default_factory=dict)
    referrals_by_provider_type: Counter[str] = field(default_factory=Counter)
    referrals_by_status: Counter[str] = field(default_factory=Counter)
    referrals_overdue: int = 0
    referrals_escalated: int = 0
    refusals_by_reason: Counter[str] = field(default_factory=Counter)
    referrals_expired: int = 0
    care_register_entries: int = 0
    temporary_housing_registrations: int = 0
    messages_sent_by_channel: Counter[str] = field(default_factory=Counter)
    messages_failed_by_channel: Counter[str] = field(default_factory=Counter)
    # Hours to each milestone, summarised into ``durations`` at the end.
    waits: dict[Milestone, list[float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    level: Level
    area: str
    period: str
    figures: Figures


def region_of(district: str) -> str:
    try:
        return district_named(district).region_code
    except UnknownCode:
        return district[:4]  # codes nest: a district's starts with its region's


def area_code(area: Area, level: Level) -> str | None:
    if level is Level.REGION:
        return area.region
    if level is Level.DISTRICT:
        return area.district
    return area.mahalla


class _Fold:
    def __init__(self, facts: Facts, level: Level, kind: PeriodKind) -> None:
        self.level, self.kind = level, kind
        self.cases = {case.case_id: case for case in facts.cases}
        self.rows: dict[tuple[str, str], Figures] = {}

    def area_of(self, case_id: str | None, district: str | None) -> Area | None:
        case = self.cases.get(case_id) if case_id else None
        if case is not None:
            return case.area
        if district:
            return Area(region_of(district), district)
        return None

    def at(self, area: Area | None, moment: datetime) -> Figures | None:
        code = area_code(area, self.level) if area else None
        if code is None:
            return None  # e.g. a mahalla figure of a referral whose case is not known yet
        key = (code, period_of(moment, self.kind))
        return self.rows.setdefault(key, Figures())

    def wait(self, case: CaseFact, milestone: Milestone, reached: datetime | None) -> None:
        start = case.applied_at or case.opened_at
        figures = self.at(case.area, reached) if reached else None
        if figures is None or reached is None:
            return
        hours = max(0.0, (reached - start).total_seconds() / 3600)
        figures.waits.setdefault(milestone, []).append(hours)


def _milestones(work: CaseWorkFact, first_accepted: datetime | None) -> dict[Milestone, datetime]:
    reached: dict[Milestone, datetime | None] = {
        Milestone.HOME_VISIT: work.visited_at,
        Milestone.ASSESSMENT: work.assessed_at,
        Milestone.PLAN_APPROVAL: work.plan_approved_at,
        Milestone.FIRST_REFERRAL_ACCEPTED: first_accepted,
        Milestone.PLAN_COMPLETION: work.plan_completed_at,
    }
    return {milestone: at for milestone, at in reached.items() if at is not None}


def fold(facts: Facts, *, level: Level, kind: PeriodKind, now: datetime) -> list[Row]:
    """Figures per area and period, sorted by area then period."""
    f = _Fold(facts, level, kind)
    for application in facts.applications:
        figures = f.at(application.area, application.submitted_at)
        if figures is not None:
            figures.applications_by_channel[application.channel] += 1
    for case in facts.cases:
        if (figures := f.at(case.area, case.opened_at)) is not None:
            figures.cases_opened += 1
        if case.closed_at and (figures := f.at(case.area, case.closed_at)) is not None:
            figures.cases_closed += 1
    first_accepted: dict[str, datetime] = {}
    for referral in facts.referrals:
        area = f.area_of(referral.case_id, referral.district)
        if referral.accepted_at is not None:
            known = first_accepted.get(referral.case_id)
            first_accepted[referral.case_id] = min(
                known or referral.accepted_at, referral.accepted_at
            )
        if (figures := f.at(area, referral.issued_at)) is not None:
            figures.referrals_by_provider_type[referral.provider_type] += 1
            figures.referrals_by_status[referral.status] += 1
            figures.referrals_overdue += referral.overdue(now)
            figures.referrals_escalated += referral.escalated
        if referral.rejected_at and (figures := f.at(area, referral.rejected_at)) is not None:
            figures.refusals_by_reason[referral.rejection_code or "unknown"] += 1
        if referral.expired_at and (figures := f.at(area, referral.expired_at)) is not None:
            figures.referrals_expired += 1
    for work in facts.work:
        opened = f.cases.get(work.case_id)
        if opened is None:
            continue  # durations start at the application: intake's fact is needed
        for milestone, reached in _milestones(work, first_accepted.get(work.case_id)).items():
            f.wait(opened, milestone, reached)
    for register in facts.registers:
        figures = f.at(f.area_of(register.case_id, register.district), register.decided_at)
        if figures is None:
            continue
        if register.kind is RegisterKind.CARE_REGISTER:
            figures.care_register_entries += 1
        else:
            figures.temporary_housing_registrations += 1
    for message in facts.messages:
        figures = f.at(f.area_of(message.case_id, message.district), message.at)
        if figures is None or message.outcome is MessageOutcome.RETRYING:
            continue
        if message.outcome is MessageOutcome.SENT:
            figures.messages_sent_by_channel[message.channel] += 1
        else:
            figures.messages_failed_by_channel[message.channel] += 1
    rows = []
    for (code, label), figures in sorted(f.rows.items()):
        figures.durations = {m: Duration.of(figures.waits.get(m, [])) for m in Milestone}
        figures.waits = {}
        rows.append(Row(level, code, label, figures))
    return rows


def _counts(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items()))


def summary(figures: Figures) -> dict[str, Any]:
    """The figures as the API and the page show them (plain JSON)."""
    return {
        "applications": {
            "total": sum(figures.applications_by_channel.values()),
            "by_channel": _counts(figures.applications_by_channel),
        },
        "cases": {"opened": figures.cases_opened, "closed": figures.cases_closed},
        "durations": {
            milestone.value: {
                "count": duration.count,
                "median_hours": duration.median_hours,
                "p90_hours": duration.p90_hours,
            }
            for milestone, duration in figures.durations.items()
        },
        "referrals": {
            "issued": sum(figures.referrals_by_provider_type.values()),
            "by_provider_type": _counts(figures.referrals_by_provider_type),
            "by_status": _counts(figures.referrals_by_status),
            "overdue": figures.referrals_overdue,
            "escalated": figures.referrals_escalated,
            "expired": figures.referrals_expired,
            "refused": sum(figures.refusals_by_reason.values()),
            "refusals_by_reason": _counts(figures.refusals_by_reason),
        },
        "registers": {
            "care_register_entries": figures.care_register_entries,
            "temporary_housing_registrations": figures.temporary_housing_registrations,
        },
        "messages": {
            "sent": sum(figures.messages_sent_by_channel.values()),
            "failed": sum(figures.messages_failed_by_channel.values()),
            "sent_by_channel": _counts(figures.messages_sent_by_channel),
            "failed_by_channel": _counts(figures.messages_failed_by_channel),
        },
    }
