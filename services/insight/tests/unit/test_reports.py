"""Who sees which figures: a supervisor's own district in full, any other area with
counts from 1 to 4 hidden (and what they would reveal), an admin everything."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from insight.domain.coverage import Reference
from insight.domain.disclosure import hide_small_counts
from insight.domain.facts import Area, CaseFact, Facts
from insight.domain.indicators import Level
from insight.domain.periods import PeriodKind
from insight.domain.readers import ADMIN, Reader
from insight.handlers.readers import NoDistrict, UnknownDistrict, known_district, reader_of
from insight.handlers.reports import Reports
from inson_runtime.auth import Principal, Scope
from inson_runtime.testing import MovableClock

T0 = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
BERUNIY, OTHER = "1735207", "1735204"


class FakeFacts:
    def __init__(self, facts: Facts) -> None:
        self.all = facts
        self.asked: list[str | None] = []

    async def facts(self, district: str | None = None) -> Facts:
        self.asked.append(district)
        cases = [c for c in self.all.cases if district is None or c.area.district == district]
        return Facts(cases=cases)


def _cases(district: str, count: int) -> list[CaseFact]:
    area = Area(district[:4], district, f"{district}001")
    return [
        CaseFact(f"{district}-{i}", area, opened_at=T0 + timedelta(hours=i)) for i in range(count)
    ]


@pytest.fixture
def source() -> FakeFacts:
    return FakeFacts(Facts(cases=_cases(BERUNIY, 2) + _cases(OTHER, 7)))


@pytest.fixture
def reports(source: FakeFacts) -> Reports:
    reference = Reference(mahallas={BERUNIY: 40, OTHER: 30}, workers={BERUNIY: 3})
    return Reports(source, reference, clock=MovableClock(T0 + timedelta(days=1)))


def _opened(rows: list) -> dict[str, int | None]:  # type: ignore[type-arg]
    return {row.area: row.figures["cases"]["opened"] for row in rows}


async def test_a_supervisor_sees_their_district_in_full(
    reports: Reports, source: FakeFacts
) -> None:
    rows = await reports.indicators(Reader(BERUNIY), level=Level.DISTRICT, kind=PeriodKind.MONTH)
    assert _opened(rows) == {BERUNIY: 2}
    assert not rows[0].small_counts_hidden
    assert source.asked == [BERUNIY]  # their district's facts alone


async def test_small_counts_are_hidden_outside_ones_own_district(reports: Reports) -> None:
    mine = Reader(BERUNIY)
    regions = await reports.indicators(mine, level=Level.REGION, kind=PeriodKind.MONTH)
    assert _opened(regions) == {"1735": 9}
    assert regions[0].figures["cases"]["closed"] == 0  # zero tells nothing: shown
    other = await reports.indicators(
        mine, level=Level.DISTRICT, kind=PeriodKind.MONTH, district=OTHER
    )
    assert _opened(other) == {OTHER: 7}
    (covered,) = await reports.coverage(mine, OTHER)
    assert covered.small_counts_hidden
    assert covered.figures["mahallas_with_cases"] is None  # 1 mahalla
    assert covered.figures["open_cases"] == 7
    assert covered.figures["mahallas"] == 30  # reference data, about no one


async def test_an_admin_sees_every_figure(reports: Reports) -> None:
    rows = await reports.indicators(ADMIN, level=Level.DISTRICT, kind=PeriodKind.MONTH)
    assert _opened(rows) == {OTHER: 7, BERUNIY: 2}
    assert not any(row.small_counts_hidden for row in rows)


async def test_periods_outside_since_and_until_are_left_out(reports: Reports) -> None:
    later = T0.date() + timedelta(days=40)
    rows = await reports.indicators(ADMIN, level=Level.DISTRICT, kind=PeriodKind.WEEK, since=later)
    assert rows == []


def test_a_rate_over_a_hidden_count_is_hidden_with_it() -> None:
    shown, hidden = hide_small_counts({"open_cases": 3, "workers": 2, "caseload_per_worker": 1.5})
    assert hidden
    assert shown == {"open_cases": None, "workers": 2, "caseload_per_worker": None}


def test_readers_from_tokens() -> None:
    admin = Principal(sub="a", role="admin")
    supervisor = Principal(sub="s", role="supervisor", scope=Scope(district=BERUNIY))
    assert reader_of(admin) == ADMIN
    assert reader_of(supervisor) == Reader(BERUNIY)
    with pytest.raises(NoDistrict):
        reader_of(Principal(sub="s", role="supervisor"))
    assert known_district(BERUNIY) == BERUNIY
    with pytest.raises(UnknownDistrict):
        known_district("1799999")
