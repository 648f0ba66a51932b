"""A completed home visit as events: the questionnaire, its need score, the plan drawn from it.

The plan holds what the assessment found the household needs
(``needs.py``): each item names the needs it answers, and the services the
household is eligible for but does not need are offered beside it, not
drafted. Pure: the caller passes the time and the ids it derived, so the
same visit gives the same events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.events import AssessmentCompleted, AssessmentRecorded, PlanDrafted
from inson_contracts.events.assessment import HouseholdSituation
from inson_contracts.events.values import PlanItem

from assessment.domain.case_file import CaseFile, due_by
from assessment.domain.eligibility import eligible_services, facts_of
from assessment.domain.needs import AssessedNeed, draft_from_needs
from assessment.domain.scoring import score

# A plan holds at most this many items (the contract's limit).
MAX_PLAN_ITEMS = 50


@dataclass(frozen=True)
class Visit:
    """A completed visit's events, and what they do not record: the needs found and the
    eligible services offered rather than drafted."""

    recorded: AssessmentRecorded
    completed: AssessmentCompleted
    plan: PlanDrafted | None
    needs: tuple[AssessedNeed, ...]
    offered: tuple[str, ...]


def completion(
    file: CaseFile,
    situation: HouseholdSituation,
    circumstances: list[Circumstance],
    *,
    worker_id: str,
    assessment_id: str,
    new_plan_id: str,
    now: datetime,
) -> Visit:
    """The questionnaire recorded, scored, matched against every catalogue service and its needs.

    The plan keeps its id once drafted (``new_plan_id`` names a first plan);
    needing nothing the household is eligible for, there is no plan to draft.
    """
    recorded = AssessmentRecorded(
        case_id=file.case_id,
        assessment_id=assessment_id,
        visit_id=file.visit_id or "unscheduled",
        social_worker_id=worker_id,
        situation=situation,
        recorded_at=now,
    )
    need = score(situation, circumstances)
    eligible = eligible_services(situation, circumstances, need)
    completed = AssessmentCompleted(
        case_id=file.case_id,
        assessment_id=assessment_id,
        score_model=need.model,
        need_score=need.total,
        need_level=need.level,
        contributions=list(need.contributions),
        income_per_person_uzs=need.income_per_person_uzs,
        eligible_services=[e.service_code for e in eligible],
        completed_by=worker_id,
        completed_at=now,
    )
    found = draft_from_needs(facts_of(situation, circumstances, need), eligible)
    offered = tuple(e.service_code for e in found.offered)
    # No provider is named: the district's default serves until the worker chooses one.
    items = [
        PlanItem(
            item_id=f"item-{d.eligibility.service_code.lower()}",
            service_code=d.eligibility.service_code,
            provider_type=d.eligibility.provider_type,
            priority=d.eligibility.priority,
            due_by=due_by(now.date(), d.eligibility.target_days),
            needs=list(d.needs),
        )
        for d in found.drafted
    ]
    if not items:
        return Visit(recorded, completed, None, found.needs, offered)
    draft = PlanDrafted(
        case_id=file.case_id,
        plan_id=file.plan.plan_id if file.plan else new_plan_id,
        assessment_id=assessment_id,
        items=items[:MAX_PLAN_ITEMS],
        drafted_by=worker_id,
        drafted_at=now,
    )
    return Visit(recorded, completed, draft, found.needs, offered)
