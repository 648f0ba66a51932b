"""Coverage now: mahallas reached, open cases, caseloads and the referral backlog."""

from __future__ import annotations

from fastapi import APIRouter
from inson_runtime.apikit import answer, responses

from insight.api import examples
from insight.api.deps import DistrictDep, ReaderDep, ReportsDep
from insight.api.schemas import CoverageReport, DistrictCoverage

router = APIRouter(prefix="/v1", tags=["indicators"])


@router.get(
    "/coverage",
    response_model=CoverageReport,
    responses=answer("Coverage per district", examples.COVERAGE)
    | responses({403: "Not a supervisor or admin, or no district in the token"})
    | responses({404: "No such district"}),
    summary="Coverage now per district: mahallas reached, caseloads, backlog",
    description="As of now, per district: its mahallas (register) and how many have a "
    "case, open cases and those awaiting a home visit, active social workers (directory), "
    "open cases per worker and of the busiest one, referrals awaiting acceptance and "
    "overdue. A supervisor's default is their district (another one comes with counts "
    "from 1 to 4 hidden); an admin's, every district with a case or referral.",
)
async def coverage(reader: ReaderDep, reports: ReportsDep, district: DistrictDep) -> CoverageReport:
    shown = await reports.coverage(reader, district)
    return CoverageReport(
        districts=[
            DistrictCoverage.model_validate(
                {
                    "district": e.area,
                    "small_counts_hidden": e.small_counts_hidden,
                    "figures": e.figures,
                }
            )
            for e in shown
        ]
    )
