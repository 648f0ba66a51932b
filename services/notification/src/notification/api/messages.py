"""The delivery log, as supervisors see it: what was sent to whom (by role),
through which channel, and how it went. Addresses and message parameters are
personal data and stay out of it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from inson_runtime.auth import Principal, Role, require_roles
from inson_runtime.mongo import Document
from pymongo.asynchronous.database import AsyncDatabase

from notification.delivery.log import DELIVERIES, Status

router = APIRouter(prefix="/v1", tags=["delivery log"])
Reader = Annotated[Principal, Depends(require_roles(Role.SUPERVISOR, Role.ADMIN))]
SHOWN = (
    "case_id",
    "cause_type",
    "kind",
    "recipient_ref",
    "channel",
    "language",
    "template",
    "status",
    "attempts",
    "created_at",
    "updated_at",
    "district",
)


def _db(request: Request) -> AsyncDatabase[Document]:
    db: AsyncDatabase[Document] = request.app.state.runtime.db
    return db


Db = Annotated[AsyncDatabase[Document], Depends(_db)]


def _area(principal: Principal) -> dict[str, Any]:
    if principal.role is Role.ADMIN:
        return {}
    if not principal.scope.district:
        raise HTTPException(403, "your token's scope covers no district")
    return {"district": principal.scope.district}


@router.get("/messages", summary="Messages sent in your area, newest first, without addresses")
async def list_messages(
    principal: Reader,
    db: Db,
    case_id: Annotated[str | None, Query(max_length=64)] = None,
    status: Status | None = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    query: list[dict[str, Any]] = [_area(principal)]
    if case_id:
        query.append({"case_id": case_id})
    if status:
        query.append({"status": status.value})
    deliveries = db[DELIVERIES]
    total = await deliveries.count_documents({"$and": query})
    cursor = deliveries.find(
        {"$and": query},
        sort=[("created_at", -1), ("_id", 1)],
        skip=(page - 1) * page_size,
        limit=page_size,
    )
    items = []
    async for doc in cursor:
        outcomes = doc.get("outcomes") or []
        last = outcomes[-1] if outcomes else {}
        items.append(
            {"id": doc["_id"], **{k: doc.get(k) for k in SHOWN}, "last_reason": last.get("reason")}
        )
    return {"items": items, "page": page, "page_size": page_size, "total": total}


@router.get("/messages/summary", summary="Messages in your area by status and channel")
async def summary(principal: Reader, db: Db) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    async for doc in db[DELIVERIES].find(_area(principal), {"status": 1, "channel": 1}):
        per_status = counts.setdefault(doc.get("status", "unknown"), {})
        per_status[doc.get("channel", "unknown")] = (
            per_status.get(doc.get("channel", "unknown"), 0) + 1
        )
    return counts
