"""Assessment's read models.

- ``case_files``: one per case, from assessment's own topic: worker, visit,
  need level, plan status and items, open conflicts of stale tablet edits
  (caseloads, visits due, plans by status, overdue items are queries over it);
- ``case_facts``: what intake said about each case (circumstances, language),
  from the intake topic;
- ``referral_items``: which plan item each referral serves, from the referral topic.
"""

from __future__ import annotations

from inson_contracts.envelope import Envelope
from inson_contracts.events import (
    ApplicationLinkedToCase,
    AssessmentCompleted,
    CaseOpened,
    EditConflicted,
    EditConflictResolved,
    Event,
    HomeVisitScheduled,
    PlanApproved,
    PlanClosed,
    PlanCompleted,
    PlanDrafted,
    PlanItemCompleted,
    PlanRevised,
    ReferralIssued,
    SocialWorkerAssigned,
    SocialWorkerReassigned,
    TemporaryHousingExpired,
    TemporaryHousingGranted,
)
from inson_contracts.topics import ASSESSMENT_PLANS, INTAKE_CASES, REFERRALS
from inson_runtime.mongo import Document
from inson_runtime.projections import Projection, apply_at_version
from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

CASE_FILES = "case_files"
HOUSING = "housing_registrations"
CASE_FACTS = "case_facts"
REFERRAL_ITEMS = "referral_items"


def case_files_view(db: AsyncDatabase[Document]) -> Projection:
    projection = Projection(
        name="case-files",
        version=1,
        topics=(ASSESSMENT_PLANS.name,),
        collections=(CASE_FILES, HOUSING),
    )
    files, housing = db[CASE_FILES], db[HOUSING]

    async def update(case_id: str, envelope: Envelope, changes: dict[str, object]) -> None:
        await apply_at_version(files, case_id, envelope, {"$set": changes})

    @projection.on(SocialWorkerAssigned)
    async def assigned(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, SocialWorkerAssigned)
        await update(
            event.case_id,
            envelope,
            {
                "worker_id": event.social_worker_id,
                "district": event.district,
                "mahalla": event.mahalla,
                "open": True,
                "plan_status": "none",
                "assessed": False,
                "assigned_at": event.assigned_at,
            },
        )

    @projection.on(SocialWorkerReassigned)
    async def reassigned(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, SocialWorkerReassigned)
        await update(event.case_id, envelope, {"worker_id": event.to_social_worker_id})

    @projection.on(HomeVisitScheduled)
    async def visit(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, HomeVisitScheduled)
        await update(
            event.case_id, envelope, {"visit_at": event.scheduled_for, "visit_id": event.visit_id}
        )

    @projection.on(AssessmentCompleted)
    async def assessed(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, AssessmentCompleted)
        await update(
            event.case_id,
            envelope,
            {
                "assessed": True,
                "need_level": event.need_level.value,
                "need_score": event.need_score,
                "score_model": event.score_model,
            },
        )

    @projection.on(PlanDrafted)
    async def drafted(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, PlanDrafted)
        await update(
            event.case_id,
            envelope,
            {
                "plan_id": event.plan_id,
                "plan_status": "drafted",
                "items": [i.model_dump(mode="json", exclude={"goal"}) for i in event.items],
            },
        )

    @projection.on(PlanApproved, PlanRevised)
    async def in_force(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, PlanApproved | PlanRevised)
        await update(
            event.case_id,
            envelope,
            {
                "plan_status": "approved",
                "plan_version": event.plan_version,
                "items": [i.model_dump(mode="json", exclude={"goal"}) for i in event.items],
            },
        )

    @projection.on(PlanItemCompleted)
    async def item_done(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, PlanItemCompleted)
        await apply_at_version(
            files, event.case_id, envelope, {"$addToSet": {"completed_items": event.item_id}}
        )

    @projection.on(PlanCompleted)
    async def plan_done(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, PlanCompleted)
        await update(event.case_id, envelope, {"plan_status": "completed", "open": False})

    @projection.on(PlanClosed)
    async def plan_closed(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, PlanClosed)
        await update(event.case_id, envelope, {"plan_status": "closed", "open": False})

    # Stale tablet edits waiting for a person: a supervisor finds them by case file.
    @projection.on(EditConflicted)
    async def conflicted(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, EditConflicted)
        await apply_at_version(
            files,
            event.case_id,
            envelope,
            # The version guard applies each event once, so counting is safe.
            {"$addToSet": {"open_conflicts": event.conflict_id}, "$inc": {"conflicts_open": 1}},
        )

    @projection.on(EditConflictResolved)
    async def resolved(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, EditConflictResolved)
        await apply_at_version(
            files,
            event.case_id,
            envelope,
            {"$pull": {"open_conflicts": event.conflict_id}, "$inc": {"conflicts_open": -1}},
        )

    @projection.on(TemporaryHousingGranted)
    async def housed(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, TemporaryHousingGranted)
        await housing.update_one(
            {"_id": event.registration_id},
            {
                "$set": {"case_id": event.case_id, "valid_until": event.valid_until.isoformat()},
                "$setOnInsert": {"expired": False},
            },
            upsert=True,
        )

    @projection.on(TemporaryHousingExpired)
    async def housing_ended(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, TemporaryHousingExpired)
        await housing.update_one(
            {"_id": event.registration_id}, {"$set": {"expired": True}}, upsert=True
        )

    return projection


def case_facts_view(db: AsyncDatabase[Document]) -> Projection:
    projection = Projection(
        name="case-facts", version=1, topics=(INTAKE_CASES.name,), collections=(CASE_FACTS,)
    )
    facts = db[CASE_FACTS]

    @projection.on(CaseOpened)
    async def opened(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, CaseOpened)
        await apply_at_version(
            facts,
            event.case_id,
            envelope,
            {
                "$set": {
                    "circumstances": [c.value for c in event.circumstances],
                    "language": event.language.value,
                    "district": event.district,
                    "mahalla": event.mahalla,
                }
            },
        )

    @projection.on(ApplicationLinkedToCase)
    async def linked(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, ApplicationLinkedToCase)
        more = [c.value for c in event.new_circumstances]
        await apply_at_version(
            facts, event.case_id, envelope, {"$addToSet": {"circumstances": {"$each": more}}}
        )

    return projection


async def ensure_view_indexes(db: AsyncDatabase[Document]) -> None:
    await db[CASE_FILES].create_index([("worker_id", ASCENDING), ("open", ASCENDING)])
    await db[CASE_FILES].create_index([("district", ASCENDING), ("plan_status", ASCENDING)])
    await db[CASE_FILES].create_index([("visit_at", ASCENDING)])


async def remember_referral(db: AsyncDatabase[Document], issued: ReferralIssued) -> None:
    await db[REFERRAL_ITEMS].update_one(
        {"_id": issued.referral_id},
        {
            "$set": {
                "case_id": issued.case_id,
                "item_id": issued.item_id,
                "plan_version": issued.plan_version,
            }
        },
        upsert=True,
    )


REFERRALS_TOPIC = REFERRALS.name
