"""The read side: what the API and the handlers read of assessment's read models.

Case files are read within the caller's area, a filter built here: a social
worker sees their own cases and their mahallas' cases, a supervisor their
district, an admin everything. Answers are typed; a case file carries the
fields its document has (a field the projection has not written yet is
absent, not null).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.events.values import Actor
from inson_runtime.apikit import Page, skip_of
from inson_runtime.auth import Principal, Role
from inson_runtime.mongo import Document
from pydantic import BaseModel, Field
from pymongo.asynchronous.database import AsyncDatabase

from assessment.adapters.referral_states import REFERRAL_ITEMS
from assessment.projections.referral_records import ItemReferral, ReferralRecord, record_of
from assessment.projections.views import CASE_FACTS, CASE_FILES, HOUSING

# Overdue items are looked for among this many case files with plans in force.
OVERDUE_SCAN_LIMIT = 1000


class NoArea(PermissionError):
    """The caller's token names no district to read case files in (403)."""


class CaseFileItem(BaseModel):
    """A plan item as the case file lists it (its goal, personal, is left out)."""

    item_id: str
    service_code: str
    provider_type: str
    priority: str
    due_by: date | None
    needs: list[str] | None = Field(default=None, description="The assessed needs it answers")
    provider: str | None = Field(
        default=None, description="The chosen provider; absent: the district's default"
    )
    referral: ItemReferral | None = Field(
        default=None, description="Where its current referral stands (none issued yet: absent)"
    )


class PendingRevision(BaseModel):
    """A revision adding services, waiting for the supervisor (its reason, personal, is left
    out); ``POST /v1/cases/{case_id}/plan/approve`` puts it in force."""

    items: list[CaseFileItem]
    added_services: list[str]
    proposed_by: Actor
    proposed_at: datetime


class CaseFileView(BaseModel):
    """A social worker's case file: caseload, visit, need, plan and open conflicts."""

    case_id: str
    version: int | None = Field(
        default=None,
        description="The stream version it shows: a tablet's base_version for its next command",
    )
    worker_id: str | None = None
    district: str | None = None
    mahalla: str | None = None
    open: bool | None = None
    assigned_at: datetime | None = None
    visit_id: str | None = None
    visit_at: datetime | None = None
    assessed: bool | None = None
    need_level: str | None = None
    need_score: float | None = None
    score_model: str | None = None
    plan_id: str | None = None
    plan_status: str | None = None
    plan_version: int | None = None
    items: list[CaseFileItem] | None = None
    completed_items: list[str] | None = None
    pending_revision: PendingRevision | None = None
    offered_services: list[str] | None = Field(
        default=None,
        description="Services the assessment found the person eligible for that the plan "
        "does not hold: offered, for the worker to add if the person wants them",
    )
    open_conflicts: list[str] | None = Field(
        default=None, description="Conflicts of stale tablet edits waiting for a person"
    )
    conflicts_open: int | None = None


class OverdueItem(BaseModel):
    """A plan item in force past its due date, not completed."""

    case_id: str
    worker_id: str | None
    item_id: str
    service_code: str
    provider_type: str
    priority: str
    due_by: date | None


def area_of(principal: Principal) -> dict[str, Any]:
    """The case files ``principal`` may read, as a query filter."""
    if principal.role is Role.ADMIN:
        return {}
    if principal.role is Role.SOCIAL_WORKER:
        return {
            "$or": [
                {"worker_id": principal.sub},
                {"mahalla": {"$in": list(principal.scope.mahallas)}},
            ]
        }
    if principal.scope.district:
        return {"district": principal.scope.district}
    raise NoArea("your token's scope covers no district")


def _view(doc: dict[str, Any], referrals: dict[tuple[str, str], ReferralRecord]) -> CaseFileView:
    fields = {k: v for k, v in doc.items() if not k.startswith("_") and k != "eligible_services"}
    items = doc.get("items")
    if isinstance(items, list):
        fields["items"] = [_with_referral(doc["_id"], item, referrals) for item in items]
        eligible = doc.get("eligible_services")
        if isinstance(eligible, list):
            planned = {i.get("service_code") for i in items}
            fields["offered_services"] = [s for s in eligible if s not in planned]
    # The projection's stream version: a tablet's base_version for its next command.
    return CaseFileView.model_validate(
        {**fields, "case_id": doc["_id"], "version": doc.get("_version")}
    )


def _with_referral(
    case_id: str, item: dict[str, Any], referrals: dict[tuple[str, str], ReferralRecord]
) -> dict[str, Any]:
    record = referrals.get((case_id, str(item.get("item_id"))))
    if record is None:
        return item
    return {**item, "referral": record.state.model_dump(exclude_unset=True)}


class CaseFileQueries:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.case_files = db[CASE_FILES]
        self.referrals = db[REFERRAL_ITEMS]
        self.clock = clock

    async def _current_referrals(
        self, case_ids: Iterable[str]
    ) -> dict[tuple[str, str], ReferralRecord]:
        """Each item's current referral, by (case, item)."""
        query = {"case_id": {"$in": list(case_ids)}, "superseded_by": {"$exists": False}}
        now, found = self.clock(), {}
        async for doc in self.referrals.find(query, sort=[("issued_at", 1)]):
            record = record_of(doc, now)
            if record.item_id is not None:
                found[(record.case_id, record.item_id)] = record  # the latest wins
        return found

    async def page(
        self,
        principal: Principal,
        *,
        worker_id: str | None = None,
        plan_status: str | None = None,
        visit_due_before: datetime | None = None,
        has_conflicts: bool | None = None,
        page: int = 1,
        page_size: int = 20,
    ) -> Page[CaseFileView]:
        query: list[dict[str, Any]] = [area_of(principal)]
        if worker_id:
            query.append({"worker_id": worker_id})
        if plan_status:
            query.append({"plan_status": plan_status})
        if visit_due_before:
            query.extend([{"visit_at": {"$lte": visit_due_before}}, {"assessed": False}])
        if has_conflicts is True:
            query.append({"conflicts_open": {"$gt": 0}})
        elif has_conflicts is False:
            query.append({"$or": [{"conflicts_open": {"$exists": False}}, {"conflicts_open": 0}]})
        total = await self.case_files.count_documents({"$and": query})
        cursor = self.case_files.find(
            {"$and": query}, sort=[("_id", 1)], skip=skip_of(page, page_size), limit=page_size
        )
        docs = [doc async for doc in cursor]
        referrals = await self._current_referrals(doc["_id"] for doc in docs)
        items = [_view(doc, referrals) for doc in docs]
        return Page(items=items, page=page, page_size=page_size, total=total)

    async def one(self, principal: Principal, case_id: str) -> CaseFileView | None:
        doc = await self.case_files.find_one({"$and": [{"_id": case_id}, area_of(principal)]})
        if doc is None:
            return None
        return _view(doc, await self._current_referrals([case_id]))

    async def overdue_items(self, principal: Principal, today: date) -> list[OverdueItem]:
        """Items of plans in force due before ``today`` and not completed."""
        found = []
        query = {"$and": [area_of(principal), {"plan_status": "approved"}]}
        async for doc in self.case_files.find(query).limit(OVERDUE_SCAN_LIMIT):
            done = set(doc.get("completed_items", []))
            for item in doc.get("items", []):
                due = item.get("due_by")
                if due and due < today.isoformat() and item["item_id"] not in done:
                    found.append(
                        OverdueItem.model_validate(
                            {"case_id": doc["_id"], "worker_id": doc.get("worker_id"), **item}
                        )
                    )
        return found


class IntakeFacts:
    """What intake said of each case (the ``case_facts`` read model)."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.facts = db[CASE_FACTS]

    async def circumstances(self, case_id: str) -> list[Circumstance]:
        facts = await self.facts.find_one({"_id": case_id}, {"circumstances": 1}) or {}
        return [Circumstance(c) for c in facts.get("circumstances", [])]


@dataclass(frozen=True)
class DueHousing:
    registration_id: str
    case_id: str


class HousingQueries:
    """Temporary housing registrations (the ``housing_registrations`` read model)."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.registrations = db[HOUSING]

    async def due(self, today: date, *, limit: int) -> list[DueHousing]:
        """Not expired, the last day before ``today``: expired from the day after it."""
        query = {"expired": False, "valid_until": {"$lt": today.isoformat()}}
        return await self._found(query, limit)

    async def ending(self, today: date, by: date, *, limit: int) -> list[DueHousing]:
        """Not expired, told of or continued, the last day from ``today`` to ``by``."""
        query = {
            "expired": False,
            "reminded": {"$ne": True},
            "extended": {"$ne": True},
            "valid_until": {"$gte": today.isoformat(), "$lte": by.isoformat()},
        }
        return await self._found(query, limit)

    async def _found(self, query: dict[str, Any], limit: int) -> list[DueHousing]:
        return [
            DueHousing(registration_id=doc["_id"], case_id=doc["case_id"])
            async for doc in self.registrations.find(query).limit(limit)
        ]
