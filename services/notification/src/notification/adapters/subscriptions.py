"""The store of partner subscriptions (``subscriptions``, ``_id`` = subscription id).

Subscriptions made before purposes and data-sharing levels existed read as
having no purpose filter and sharing no personal data.
"""

from __future__ import annotations

from typing import Any

from inson_contracts.envelope import Envelope
from inson_runtime.mongo import Document
from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from notification.domain.sharing import NO_PERSONAL_DATA, DataSharing, Level
from notification.domain.subscriptions import Subscription, current_type

SUBSCRIPTIONS = "subscriptions"


def _subscription(doc: Document) -> Subscription:
    return Subscription(
        id=doc["_id"],
        owner=doc["owner"],
        url=doc["url"],
        secret=doc["secret"],
        event_types=tuple(doc["event_types"]),
        regions=tuple(doc.get("regions", ())),
        districts=tuple(doc.get("districts", ())),
        description=doc.get("description"),
        created_at=doc["created_at"],
        circumstance_categories=tuple(doc.get("circumstance_categories", ())),
        service_categories=tuple(doc.get("service_categories", ())),
        sharing=_sharing(doc.get("sharing")),
    )


def _sharing(doc: Document | None) -> DataSharing:
    if not doc:
        return NO_PERSONAL_DATA
    return DataSharing(
        level=Level(doc["level"]),
        personal_fields=tuple(doc.get("personal_fields", ())),
        agreement=doc.get("agreement"),
        set_by=doc.get("set_by"),
        set_at=doc.get("set_at"),
    )


def _sharing_document(sharing: DataSharing) -> Document:
    return {
        "level": sharing.level.value,
        "personal_fields": list(sharing.personal_fields),
        "agreement": sharing.agreement,
        "set_by": sharing.set_by,
        "set_at": sharing.set_at,
    }


class MongoSubscriptions:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.subscriptions = db[SUBSCRIPTIONS]

    async def ensure_indexes(self) -> None:
        await self.subscriptions.create_index("event_types")
        await self.subscriptions.create_index([("owner", ASCENDING), ("created_at", ASCENDING)])

    async def add(self, subscription: Subscription) -> None:
        doc = {k: v for k, v in subscription.__dict__.items() if k not in ("id", "sharing")}
        doc["sharing"] = _sharing_document(subscription.sharing)
        await self.subscriptions.insert_one({"_id": subscription.id, **doc})

    async def page(
        self, owner: str | None, *, skip: int, limit: int
    ) -> tuple[list[Subscription], int]:
        query = {"owner": owner} if owner is not None else {}
        total = await self.subscriptions.count_documents(query)
        cursor = self.subscriptions.find(
            query, sort=[("created_at", ASCENDING), ("_id", ASCENDING)], skip=skip, limit=limit
        )
        return [_subscription(doc) async for doc in cursor], total

    async def get(self, subscription_id: str, owner: str | None = None) -> Subscription | None:
        query: dict[str, Any] = {"_id": subscription_id}
        if owner is not None:
            query["owner"] = owner
        doc = await self.subscriptions.find_one(query)
        return _subscription(doc) if doc else None

    async def delete(self, subscription_id: str, owner: str) -> bool:
        result = await self.subscriptions.delete_one({"_id": subscription_id, "owner": owner})
        return result.deleted_count == 1

    async def set_sharing(self, subscription_id: str, sharing: DataSharing) -> Subscription | None:
        doc = await self.subscriptions.find_one_and_update(
            {"_id": subscription_id},
            {"$set": {"sharing": _sharing_document(sharing)}},
            return_document=ReturnDocument.AFTER,
        )
        return _subscription(doc) if doc else None

    async def matching(self, envelope: Envelope) -> list[Subscription]:
        cursor = self.subscriptions.find({"event_types": current_type(envelope)})
        found = [_subscription(doc) async for doc in cursor]
        # Events from before a subscription existed come only through a replay.
        return [s for s in found if s.covers(envelope) and envelope.time >= s.created_at]
