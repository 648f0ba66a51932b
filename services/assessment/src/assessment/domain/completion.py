"""A completed home visit as events: the questionnaire, its need score, the plan drawn from it.

Pure: the caller passes the time and the ids it derived, so the same visit
gives the same events.
"""

from __future__ import annotations

from datetime import datetime

from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.events import AssessmentCompleted, AssessmentRecorded, PlanDrafted
from inson_contracts.events.assessment import HouseholdSituation
from inson_contracts.events.values import PlanItem

from assessment.domain.case_file import CaseFile, due_by
from assessment.domain.eligibility import eligible_services
from assessment.domain.scoring import score

# A plan holds at most this many items (the contract's limit).
MAX_PLAN_ITEMS = 50


def completion(
    file: CaseFile,
    situation: HouseholdSituation,
    circumstances: list[Circumstance],
    *,
    worker_id: str,
    assessment_id: str,
    new_plan_id: str,
    now: datetime,
) -> tuple[AssessmentRecorded, AssessmentCompleted, PlanDrafted | None]:
    """The questionnaire recorded, scored and matched against every catalogue service.

    The plan keeps its id once drafted (``new_plan_id`` names a first plan);
    eligible for nothing, there is no plan to draft.
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
    items = [
        PlanItem(
            item_id=f"item-{e.service_code.lower()}",
            service_code=e.service_code,
            provider_type=e.provider_type,
            priority=e.priority,
            due_by=due_by(now.date(), e.target_days),
        )
        for e in eligible
    ]
    if not items:
        return recorded, completed, None
    draft = PlanDrafted(
        case_id=file.case_id,
        plan_id=file.plan.plan_id if file.plan else new_plan_id,
        assessment_id=assessment_id,
        items=items[:MAX_PLAN_ITEMS],
        drafted_by=worker_id,
        drafted_at=now,
    )
    return recorded, completed, draft
