"""Assessment's read models.

- ``case_files``: one per case, from assessment's own topic: worker, visit,
  need level and the services found eligible, plan status and items, a
  revision waiting for the supervisor, open conflicts of stale tablet edits
  (caseloads, visits due, plans by status, overdue items are queries over it);
- ``case_facts``: what intake said about each case (circumstances, language),
  from the intake topic;
- ``housing_registrations``: temporary housing registrations, whether they
  expired, were noted as ending soon or are continued by a later one (the
  housing job finds those due here).

What the API and the handlers read of them is in ``queries.py``. Handlers stage
their writes on the batch (``ViewBatch``), which sends them in bulk, each
guarded by the stream version where a document follows one stream.
"""

from __future__ import annotations

from inson_contracts.envelope import Envelope
from inson_contracts.events import (
    ApplicationLinkedToCase,
    AssessmentCompleted,
    CaseOpened,
    EditConflicted,
    EditConflictResolved,
    HomeVisitScheduled,
    PlanApproved,
    PlanClosed,
    PlanCompleted,
    PlanDrafted,
    PlanItemCompleted,
    PlanRevised,
    PlanRevisionProposed,
    SocialWorkerAssigned,
    SocialWorkerReassigned,
    TemporaryHousingEndingSoon,
    TemporaryHousingExpired,
    TemporaryHousingGranted,
)
from inson_contracts.topics import ASSESSMENT_PLANS, INTAKE_CASES
from inson_runtime.mongo import Document
from inson_runtime.projections import Projection
from inson_runtime.viewbatch import ViewBatch
from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

CASE_FILES = "case_files"
HOUSING = "housing_registrations"
CASE_FACTS = "case_facts"


case_files_view = Projection(
    name="case-files",
    version=1,
    topics=(ASSESSMENT_PLANS.name,),
    collections=(CASE_FILES, HOUSING),
)


def _update(batch: ViewBatch, case_id: str, envelope: Envelope, changes: dict[str, object]) -> None:
    batch.at_version(CASE_FILES, case_id, envelope, {"$set": changes})


@case_files_view.on(SocialWorkerAssigned)
async def assigned(event: SocialWorkerAssigned, envelope: Envelope, batch: ViewBatch) -> None:
    _update(
        batch,
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


@case_files_view.on(SocialWorkerReassigned)
async def reassigned(event: SocialWorkerReassigned, envelope: Envelope, batch: ViewBatch) -> None:
    _update(batch, event.case_id, envelope, {"worker_id": event.to_social_worker_id})


@case_files_view.on(HomeVisitScheduled)
async def visit(event: HomeVisitScheduled, envelope: Envelope, batch: ViewBatch) -> None:
    _update(
        batch,
        event.case_id,
        envelope,
        {"visit_at": event.scheduled_for, "visit_id": event.visit_id},
    )


@case_files_view.on(AssessmentCompleted)
async def assessed(event: AssessmentCompleted, envelope: Envelope, batch: ViewBatch) -> None:
    _update(
        batch,
        event.case_id,
        envelope,
        {
            "assessed": True,
            "need_level": event.need_level.value,
            "need_score": event.need_score,
            "score_model": event.score_model,
            "eligible_services": list(event.eligible_services),
        },
    )


@case_files_view.on(PlanDrafted)
async def drafted(event: PlanDrafted, envelope: Envelope, batch: ViewBatch) -> None:
    _update(
        batch,
        event.case_id,
        envelope,
        {
            "plan_id": event.plan_id,
            "plan_status": "drafted",
            "items": [i.model_dump(mode="json", exclude={"goal"}) for i in event.items],
        },
    )


@case_files_view.on(PlanApproved, PlanRevised)
async def in_force(event: PlanApproved | PlanRevised, envelope: Envelope, batch: ViewBatch) -> None:
    changes = {
        "plan_status": "approved",
        "plan_version": event.plan_version,
        "items": [i.model_dump(mode="json", exclude={"goal"}) for i in event.items],
    }
    # A revision the supervisor approved settles the proposal (domain/case_file.py).
    settled = isinstance(event, PlanApproved) or event.approved_by is not None
    update = {"$set": changes, **({"$unset": {"pending_revision": ""}} if settled else {})}
    batch.at_version(CASE_FILES, event.case_id, envelope, update)


@case_files_view.on(PlanRevisionProposed)
async def proposed(event: PlanRevisionProposed, envelope: Envelope, batch: ViewBatch) -> None:
    pending = {
        "items": [i.model_dump(mode="json", exclude={"goal"}) for i in event.items],
        "added_services": list(event.added_services),
        "proposed_by": event.proposed_by.model_dump(mode="json"),
        "proposed_at": event.proposed_at,
    }
    _update(batch, event.case_id, envelope, {"pending_revision": pending})


@case_files_view.on(PlanItemCompleted)
async def item_done(event: PlanItemCompleted, envelope: Envelope, batch: ViewBatch) -> None:
    batch.at_version(
        CASE_FILES, event.case_id, envelope, {"$addToSet": {"completed_items": event.item_id}}
    )


@case_files_view.on(PlanCompleted, PlanClosed)
async def plan_ended(
    event: PlanCompleted | PlanClosed, envelope: Envelope, batch: ViewBatch
) -> None:
    status = "completed" if isinstance(event, PlanCompleted) else "closed"
    batch.at_version(
        CASE_FILES,
        event.case_id,
        envelope,
        {"$set": {"plan_status": status, "open": False}, "$unset": {"pending_revision": ""}},
    )


# Stale tablet edits waiting for a person: a supervisor finds them by case file.
@case_files_view.on(EditConflicted)
async def conflicted(event: EditConflicted, envelope: Envelope, batch: ViewBatch) -> None:
    batch.at_version(
        CASE_FILES,
        event.case_id,
        envelope,
        # The version guard applies each event once, so counting is safe.
        {"$addToSet": {"open_conflicts": event.conflict_id}, "$inc": {"conflicts_open": 1}},
    )


@case_files_view.on(EditConflictResolved)
async def resolved(event: EditConflictResolved, envelope: Envelope, batch: ViewBatch) -> None:
    batch.at_version(
        CASE_FILES,
        event.case_id,
        envelope,
        {"$pull": {"open_conflicts": event.conflict_id}, "$inc": {"conflicts_open": -1}},
    )


@case_files_view.on(TemporaryHousingGranted)
async def housed(event: TemporaryHousingGranted, envelope: Envelope, batch: ViewBatch) -> None:
    batch.upsert(
        HOUSING,
        event.registration_id,
        {
            "$set": {"case_id": event.case_id, "valid_until": event.valid_until.isoformat()},
            "$setOnInsert": {"expired": False},
        },
    )
    if event.extends:
        # Its end is no longer the person's: nobody is told of it (domain/housing.py).
        batch.update_if(
            HOUSING,
            event.extends,
            {"valid_until": {"$lt": event.valid_until.isoformat()}},
            {"$set": {"extended": True}},
        )


@case_files_view.on(TemporaryHousingEndingSoon)
async def housing_ending(
    event: TemporaryHousingEndingSoon, envelope: Envelope, batch: ViewBatch
) -> None:
    batch.upsert(HOUSING, event.registration_id, {"$set": {"reminded": True}})


@case_files_view.on(TemporaryHousingExpired)
async def housing_ended(
    event: TemporaryHousingExpired, envelope: Envelope, batch: ViewBatch
) -> None:
    batch.upsert(HOUSING, event.registration_id, {"$set": {"expired": True}})


case_facts_view = Projection(
    name="case-facts", version=1, topics=(INTAKE_CASES.name,), collections=(CASE_FACTS,)
)


@case_facts_view.on(CaseOpened)
async def opened(event: CaseOpened, envelope: Envelope, batch: ViewBatch) -> None:
    batch.at_version(
        CASE_FACTS,
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


@case_facts_view.on(ApplicationLinkedToCase)
async def linked(event: ApplicationLinkedToCase, envelope: Envelope, batch: ViewBatch) -> None:
    more = [c.value for c in event.new_circumstances]
    batch.at_version(
        CASE_FACTS, event.case_id, envelope, {"$addToSet": {"circumstances": {"$each": more}}}
    )


async def ensure_view_indexes(db: AsyncDatabase[Document]) -> None:
    await db[CASE_FILES].create_index([("worker_id", ASCENDING), ("open", ASCENDING)])
    await db[CASE_FILES].create_index([("district", ASCENDING), ("plan_status", ASCENDING)])
    await db[CASE_FILES].create_index([("visit_at", ASCENDING)])
    await db[HOUSING].create_index([("valid_until", ASCENDING)])
