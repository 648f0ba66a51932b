"""The read side of the loop back: where each plan item's referral stands, and what needs
the worker's attention.

Reads the referral records the referral policy keeps (``adapters/referral_states.py``)
beside the case files, within the caller's area. Free text stays sealed here
(``SealedNote``): the handlers open it for those who may read it, at an
audited read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from inson_runtime.apikit import Page, skip_of
from inson_runtime.auth import Principal, Role
from inson_runtime.mongo import Document
from pymongo.asynchronous.database import AsyncDatabase

from assessment.adapters.referral_states import REFERRAL_ITEMS
from assessment.domain.referral_states import WAITING, Attention, ReferralStatus
from assessment.projections.queries import CaseFileItem, area_of
from assessment.projections.referral_records import ItemReferral, ReferralRecord, record_of
from assessment.projections.views import CASE_FILES

# Referral records looked at for one attention list; the rest wait for the next read.
ATTENTION_SCAN_LIMIT = 1000


@dataclass(frozen=True)
class AttentionRow:
    """A plan item in force whose current referral needs the worker, with its case."""

    case_id: str
    worker_id: str | None
    district: str | None
    mahalla: str | None
    item: CaseFileItem
    record: ReferralRecord
    attention: Attention
    since: datetime


def _since(state: ItemReferral, why: Attention) -> datetime:
    moments = {
        Attention.REFUSED: state.rejected_at,
        Attention.EXPIRED: state.expired_at,
        Attention.OVERDUE: state.escalated_at or state.accept_by,
    }
    return moments[why] or state.issued_at or datetime.min.replace(tzinfo=UTC)


def _needing_attention(now: datetime) -> dict[str, Any]:
    waiting = [s.value for s in WAITING]
    return {
        "superseded_by": {"$exists": False},
        "$or": [
            {"status": {"$in": [ReferralStatus.REJECTED.value, ReferralStatus.EXPIRED.value]}},
            {"status": {"$in": waiting}, "escalated_at": {"$exists": True}},
            {"status": {"$in": waiting}, "accept_by": {"$lt": now}},
        ],
    }


class ReferralQueries:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.referrals = db[REFERRAL_ITEMS]
        self.case_files = db[CASE_FILES]
        self.clock = clock

    async def of_case(self, case_id: str) -> list[ReferralRecord]:
        """Every referral of the case, superseded ones included, oldest first."""
        now = self.clock()
        cursor = self.referrals.find({"case_id": case_id}, sort=[("issued_at", 1)])
        return [record_of(doc, now) async for doc in cursor if doc.get("item_id")]

    async def attention(
        self, principal: Principal, page: int, page_size: int
    ) -> Page[AttentionRow]:
        """Items of plans in force in the caller's area whose current referral was refused,
        expired or is overdue; the latest first."""
        now = self.clock()
        query = _needing_attention(now)
        if principal.role is Role.SOCIAL_WORKER:
            in_area = {"$and": [area_of(principal), {"plan_status": "approved"}]}
            ids = [d["_id"] async for d in self.case_files.find(in_area, {"_id": 1})]
            query["case_id"] = {"$in": ids}
        elif principal.role is not Role.ADMIN:
            query["district"] = area_of(principal)["district"]
        docs = [d async for d in self.referrals.find(query).limit(ATTENTION_SCAN_LIMIT)]
        cases = {
            d["_id"]: d
            async for d in self.case_files.find(
                {"_id": {"$in": list({d["case_id"] for d in docs})}, "plan_status": "approved"}
            )
        }
        rows = [row for doc in docs if (row := _row(record_of(doc, now), cases)) is not None]
        rows.sort(key=lambda r: (r.since, r.case_id, r.item.item_id), reverse=True)
        start = skip_of(page, page_size)
        return Page(
            items=rows[start : start + page_size], page=page, page_size=page_size, total=len(rows)
        )


def _row(record: ReferralRecord, cases: dict[str, dict[str, Any]]) -> AttentionRow | None:
    """The row of a referral whose item is still in its case's plan in force."""
    case = cases.get(record.case_id)
    why = record.state.attention
    if case is None or why is None:
        return None
    item = next((i for i in case.get("items", []) if i.get("item_id") == record.item_id), None)
    if item is None:
        return None  # withdrawn by a revision
    return AttentionRow(
        case_id=record.case_id,
        worker_id=case.get("worker_id"),
        district=case.get("district"),
        mahalla=case.get("mahalla"),
        item=CaseFileItem.model_validate(item),
        record=record,
        attention=why,
        since=_since(record.state, why),
    )
