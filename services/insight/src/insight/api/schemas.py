"""The insight API's answers: figures by area and period, and coverage now.

A count is ``null`` when it is hidden (from 1 to 4, outside the reader's own
district); the row then says ``small_counts_hidden``. No personal data: codes,
counts and hours only.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from insight.domain.indicators import Level, Milestone
from insight.domain.periods import PeriodKind

Count = int | None
Counts = dict[str, Count]


class Applications(BaseModel):
    total: Count
    by_channel: Counts = Field(description="Per intake channel (mahalla_tablet, ...).")


class Cases(BaseModel):
    opened: Count
    closed: Count


class Duration(BaseModel):
    """Hours from the application (or the case's opening) to a milestone reached in the
    period: how many cases, the median and the 90th percentile (nearest rank)."""

    count: Count
    median_hours: float | None
    p90_hours: float | None


class Referrals(BaseModel):
    issued: Count = Field(description="Referrals issued in the period.")
    by_provider_type: Counts
    by_status: Counts = Field(description="Where the period's referrals stand now.")
    overdue: Count = Field(description="Of them, awaiting acceptance past accept-by now.")
    escalated: Count
    expired: Count = Field(description="Referrals that expired in the period.")
    refused: Count = Field(description="Referrals refused in the period.")
    refusals_by_reason: Counts = Field(description="Per rejection code.")


class Registers(BaseModel):
    care_register_entries: Count
    temporary_housing_registrations: Count


class Messages(BaseModel):
    sent: Count
    failed: Count = Field(description="Given up after the last attempt.")
    sent_by_channel: Counts
    failed_by_channel: Counts


class Figures(BaseModel):
    applications: Applications
    cases: Cases
    durations: dict[Milestone, Duration]
    referrals: Referrals
    registers: Registers
    messages: Messages


class IndicatorRow(BaseModel):
    area: str = Field(description="The region, district or mahalla code.")
    period: str = Field(description="ISO week (2026-W49) or month (2026-12), Tashkent time.")
    small_counts_hidden: bool
    figures: Figures


class IndicatorReport(BaseModel):
    level: Level
    period: PeriodKind
    district: str | None = Field(description="The district asked about; null: every one.")
    rows: list[IndicatorRow]


class CoverageFigures(BaseModel):
    mahallas: int = Field(description="Mahallas of the district in the register.")
    mahallas_with_cases: Count = Field(description="Of them, with at least one case.")
    open_cases: Count
    cases_awaiting_visit: Count = Field(description="Open cases with no home visit yet.")
    workers: int = Field(description="Active social workers of the district (directory).")
    caseload_per_worker: float | None = Field(description="Open cases per worker.")
    max_caseload: Count = Field(description="Open cases of the busiest assigned worker.")
    referrals_awaiting: Count = Field(description="Awaiting the provider's acceptance.")
    referrals_overdue: Count = Field(description="Of them, past their accept-by time.")


class DistrictCoverage(BaseModel):
    district: str
    small_counts_hidden: bool
    figures: CoverageFigures


class CoverageReport(BaseModel):
    districts: list[DistrictCoverage]
