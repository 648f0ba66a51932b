"""Figures per area and period: applications, cases, durations, referrals,
registers and messages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from inson_runtime.apikit import answer, responses

from insight.api import examples
from insight.api.deps import DistrictDep, QueryDay, ReaderDep, ReportsDep
from insight.api.schemas import IndicatorReport, IndicatorRow
from insight.domain.indicators import Level
from insight.domain.periods import PeriodKind

router = APIRouter(prefix="/v1", tags=["indicators"])


@router.get(
    "/indicators",
    response_model=IndicatorReport,
    responses=answer("Figures per area and period", examples.INDICATORS)
    | responses({403: "Not a supervisor or admin, or no district in the token"})
    | responses({404: "No such district"}),
    summary="KPIs per mahalla, district or region and week or month",
    description="For a supervisor (their district in full, anything else with counts "
    "from 1 to 4 hidden) and an admin (everything): per area and ISO week or calendar "
    "month (Tashkent time), applications by channel, cases opened and closed, hours from "
    "application to home visit, assessment, plan approval, first referral accepted and "
    "plan completion (median and 90th percentile), referrals by provider type and status, "
    "overdue, refusals by reason, care register entries, temporary housing registrations, "
    "messages sent and failed by channel. `level=region` folds every district. No "
    "personal data.",
)
async def indicators(
    reader: ReaderDep,
    reports: ReportsDep,
    district: DistrictDep,
    level: Annotated[Level, Query(description="The areas rows are for.")] = Level.DISTRICT,
    period: Annotated[PeriodKind, Query(description="Weeks or months.")] = PeriodKind.MONTH,
    since: Annotated[
        QueryDay | None, Query(description="Periods from the one of this day.")
    ] = None,
    until: Annotated[
        QueryDay | None, Query(description="Periods up to the one of this day.")
    ] = None,
) -> IndicatorReport:
    shown = await reports.indicators(
        reader, level=level, kind=period, district=district, since=since, until=until
    )
    rows = [
        IndicatorRow.model_validate(
            {
                "area": row.area,
                "period": row.period,
                "small_counts_hidden": row.small_counts_hidden,
                "figures": row.figures,
            }
        )
        for row in shown
    ]
    asked = None if level is Level.REGION else (district or reader.district)
    return IndicatorReport(level=level, period=period, district=asked, rows=rows)
