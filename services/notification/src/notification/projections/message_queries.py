"""The delivery log as supervisors read it: what was sent to whom (by role), through
which channel, and how it went. Addresses and message parameters are personal
data and stay out of every answer.

The log itself is written by ``adapters/deliveries.py``; this is its read side.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from inson_runtime.apikit import Page, skip_of
from inson_runtime.mongo import Document
from pydantic import BaseModel, Field
from pymongo.asynchronous.database import AsyncDatabase

from notification.adapters.deliveries import DELIVERIES
from notification.domain.deliveries import Status

# Read as stored: an entry of an older release may lack any of them.
_SHOWN = (
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


class LoggedMessage(BaseModel):
    id: str = Field(description="The notification id")
    case_id: str | None
    cause_type: str | None = Field(description="The event type that called for it")
    kind: str | None = Field(description="The recipient's role: citizen, social_worker, ...")
    recipient_ref: str | None = Field(description="The case id for a citizen, else a staff id")
    channel: str | None
    language: str | None
    template: str | None
    status: str | None
    attempts: int | None
    created_at: datetime | None
    updated_at: datetime | None
    district: str | None
    last_reason: str | None = Field(description="Why the last attempt failed, if it did")


def _message(doc: Document) -> LoggedMessage:
    outcomes = doc.get("outcomes") or []
    last = outcomes[-1] if outcomes else {}
    shown = {key: doc.get(key) for key in _SHOWN}
    return LoggedMessage(id=doc["_id"], **shown, last_reason=last.get("reason"))


class MessageLog:
    """Queries of the delivery log, each within an area: ``{}`` for all, else a district."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.deliveries = db[DELIVERIES]

    async def page(
        self,
        district: str | None,
        *,
        case_id: str | None,
        status: Status | None,
        page: int,
        page_size: int,
    ) -> Page[LoggedMessage]:
        """Newest first; ``district`` None for every district (admins)."""
        query: list[dict[str, Any]] = [_area(district)]
        if case_id:
            query.append({"case_id": case_id})
        if status:
            query.append({"status": status.value})
        total = await self.deliveries.count_documents({"$and": query})
        cursor = self.deliveries.find(
            {"$and": query},
            sort=[("created_at", -1), ("_id", 1)],
            skip=skip_of(page, page_size),
            limit=page_size,
        )
        items = [_message(doc) async for doc in cursor]
        return Page(items=items, page=page, page_size=page_size, total=total)

    async def summary(self, district: str | None) -> dict[str, dict[str, int]]:
        """Counts by status, then channel."""
        counts: dict[str, dict[str, int]] = {}
        async for doc in self.deliveries.find(_area(district), {"status": 1, "channel": 1}):
            per_status = counts.setdefault(doc.get("status", "unknown"), {})
            channel = doc.get("channel", "unknown")
            per_status[channel] = per_status.get(channel, 0) + 1
        return counts


def _area(district: str | None) -> dict[str, Any]:
    return {} if district is None else {"district": district}
