"""Coverage now, per district: mahallas reached, open cases, caseloads, backlog (pure).

The district's mahallas and social workers come from the shared reference
data (``Reference``), the rest from the facts. "Reached" counts a mahalla
with at least one case ever opened there; caseloads count the open cases
(not closed by intake) of each assigned worker.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from insight.domain.facts import AWAITING, Facts
from insight.domain.indicators import region_of


@dataclass(frozen=True)
class Reference:
    """Per district: how many mahallas the register lists and how many workers serve it."""

    mahallas: Mapping[str, int]
    workers: Mapping[str, int]


@dataclass(frozen=True)
class Coverage:
    district: str
    region: str
    mahallas: int
    mahallas_with_cases: int
    open_cases: int
    cases_awaiting_visit: int
    workers: int
    caseload_per_worker: float | None
    max_caseload: int
    referrals_awaiting: int
    referrals_overdue: int

    def figures(self) -> dict[str, Any]:
        """The figures, without the codes naming the district."""
        shown = asdict(self)
        del shown["district"], shown["region"]
        return shown


def coverage(
    facts: Facts, reference: Reference, *, now: datetime, also: Iterable[str] = ()
) -> list[Coverage]:
    """One entry per district with a case or a referral in the facts, and per district
    named in ``also``."""
    reached: dict[str, set[str]] = {}
    open_cases: Counter[str] = Counter()
    open_ids = set()
    for case in facts.cases:
        if case.area.mahalla:
            reached.setdefault(case.area.district, set()).add(case.area.mahalla)
        if case.closed_at is None:
            open_cases[case.area.district] += 1
            open_ids.add(case.case_id)
    district_of = {case.case_id: case.area.district for case in facts.cases}
    awaiting_visit: Counter[str] = Counter()
    caseloads: dict[str, Counter[str]] = {}
    visited = set()
    for work in facts.work:
        district = district_of.get(work.case_id)
        if district is None or work.case_id not in open_ids:
            continue
        if work.visited_at is not None:
            visited.add(work.case_id)
        if work.social_worker_id:
            caseloads.setdefault(district, Counter())[work.social_worker_id] += 1
    for case_id in open_ids - visited:
        awaiting_visit[district_of[case_id]] += 1
    awaiting: Counter[str] = Counter()
    overdue: Counter[str] = Counter()
    for referral in facts.referrals:
        awaiting[referral.district] += referral.status in AWAITING
        overdue[referral.district] += referral.overdue(now)
    districts = sorted(set(district_of.values()) | set(awaiting) | set(also))
    entries = []
    for district in districts:
        workers = reference.workers.get(district, 0)
        loads = caseloads.get(district, Counter())
        entries.append(
            Coverage(
                district=district,
                region=region_of(district),
                mahallas=reference.mahallas.get(district, 0),
                mahallas_with_cases=len(reached.get(district, set())),
                open_cases=open_cases[district],
                cases_awaiting_visit=awaiting_visit[district],
                workers=workers,
                caseload_per_worker=round(open_cases[district] / workers, 2) if workers else None,
                max_caseload=max(loads.values(), default=0),
                referrals_awaiting=awaiting[district],
                referrals_overdue=overdue[district],
            )
        )
    return entries
