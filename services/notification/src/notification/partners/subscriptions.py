"""Partner subscriptions: which events a partner's webhook receives.

A subscription names event types, optionally regions and districts (an
event matches if its ``region`` or ``district`` extension is among them),
a webhook URL and a signing secret. The secret is kept to sign deliveries;
it is shown once, when the subscription is made, and never again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY, Event, event_types
from inson_contracts.topics import ASSESSMENT_PLANS, INTAKE_CASES, REFERRALS
from inson_runtime.mongo import Document
from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

SUBSCRIPTIONS = "subscriptions"

# The domain topics. Notification events carry phone numbers and dead
# letters whole records: neither is for partners.
PARTNER_TOPICS = (INTAKE_CASES, ASSESSMENT_PLANS, REFERRALS)


def subscribable_types() -> list[str]:
    return sorted(t for topic in PARTNER_TOPICS for t in event_types(topic))


def subscribable_classes() -> list[type[Event]]:
    return [REGISTRY.class_for(t) for t in subscribable_types()]


@dataclass(frozen=True)
class Subscription:
    id: str
    owner: str
    url: str
    secret: str
    event_types: tuple[str, ...]
    regions: tuple[str, ...]
    districts: tuple[str, ...]
    description: str | None
    created_at: datetime

    def matches(self, envelope: Envelope) -> bool:
        # An older version of a type is read as the current one; partners
        # subscribe to current types and get whatever version was written.
        known = envelope.type in REGISTRY
        current = REGISTRY.current_type(envelope.type) if known else envelope.type
        if current not in self.event_types:
            return False
        if not self.regions and not self.districts:
            return True
        return envelope.region in self.regions or envelope.district in self.districts

    def public(self) -> dict[str, Any]:
        """Everything but the secret."""
        return {
            "id": self.id,
            "url": self.url,
            "event_types": list(self.event_types),
            "regions": list(self.regions),
            "districts": list(self.districts),
            "description": self.description,
            "created_by": self.owner,
            "created_at": self.created_at,
        }

    @classmethod
    def from_document(cls, doc: Document) -> Subscription:
        return cls(
            id=doc["_id"],
            owner=doc["owner"],
            url=doc["url"],
            secret=doc["secret"],
            event_types=tuple(doc["event_types"]),
            regions=tuple(doc.get("regions", ())),
            districts=tuple(doc.get("districts", ())),
            description=doc.get("description"),
            created_at=doc["created_at"],
        )


class SubscriptionStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.subscriptions = db[SUBSCRIPTIONS]

    async def ensure_indexes(self) -> None:
        await self.subscriptions.create_index("event_types")
        await self.subscriptions.create_index([("owner", ASCENDING), ("created_at", ASCENDING)])

    async def create(
        self,
        *,
        owner: str,
        url: str,
        secret: str,
        event_types: list[str],
        regions: list[str],
        districts: list[str],
        description: str | None,
        now: datetime,
    ) -> Subscription:
        subscription = Subscription(
            id=str(uuid.uuid4()),
            owner=owner,
            url=url,
            secret=secret,
            event_types=tuple(sorted(set(event_types))),
            regions=tuple(sorted(set(regions))),
            districts=tuple(sorted(set(districts))),
            description=description,
            created_at=now,
        )
        doc = {k: v for k, v in subscription.__dict__.items() if k != "id"}
        await self.subscriptions.insert_one({"_id": subscription.id, **doc})
        return subscription

    async def page(self, owner: str, *, skip: int, limit: int) -> tuple[list[Subscription], int]:
        query = {"owner": owner}
        total = await self.subscriptions.count_documents(query)
        cursor = self.subscriptions.find(
            query, sort=[("created_at", ASCENDING), ("_id", ASCENDING)], skip=skip, limit=limit
        )
        return [Subscription.from_document(doc) async for doc in cursor], total

    async def get(self, subscription_id: str, owner: str | None = None) -> Subscription | None:
        query: dict[str, Any] = {"_id": subscription_id}
        if owner is not None:
            query["owner"] = owner
        doc = await self.subscriptions.find_one(query)
        return Subscription.from_document(doc) if doc else None

    async def delete(self, subscription_id: str, owner: str) -> bool:
        result = await self.subscriptions.delete_one({"_id": subscription_id, "owner": owner})
        return result.deleted_count == 1

    async def matching(self, envelope: Envelope) -> list[Subscription]:
        known = envelope.type in REGISTRY
        current = REGISTRY.current_type(envelope.type) if known else envelope.type
        cursor = self.subscriptions.find({"event_types": current})
        found = [Subscription.from_document(doc) async for doc in cursor]
        # Events from before a subscription existed come only through a replay.
        return [s for s in found if s.matches(envelope) and envelope.time >= s.created_at]
