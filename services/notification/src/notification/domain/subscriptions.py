"""Partner subscriptions: which events a partner's webhook receives.

A subscription names event types, optionally regions and districts (an
event matches if its ``region`` or ``district`` extension is among them),
a webhook URL and a signing secret. The secret is kept to sign deliveries;
it is shown once, when the subscription is made, and never again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY, Event, event_types
from inson_contracts.topics import ASSESSMENT_PLANS, INTAKE_CASES, REFERRALS

# The domain topics. Notification events carry phone numbers and dead
# letters whole records: neither is for partners.
PARTNER_TOPICS = (INTAKE_CASES, ASSESSMENT_PLANS, REFERRALS)


def subscribable_types() -> list[str]:
    return sorted(t for topic in PARTNER_TOPICS for t in event_types(topic))


def subscribable_classes() -> list[type[Event]]:
    return [REGISTRY.class_for(t) for t in subscribable_types()]


def current_type(envelope: Envelope) -> str:
    """The type partners subscribe to: an older version of a type is read as the current one."""
    known = envelope.type in REGISTRY
    return REGISTRY.current_type(envelope.type) if known else envelope.type


def _set_of(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(values)))


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

    @classmethod
    def new(
        cls,
        *,
        owner: str,
        url: str,
        secret: str,
        event_types: Iterable[str],
        regions: Iterable[str],
        districts: Iterable[str],
        description: str | None,
        now: datetime,
    ) -> Subscription:
        return cls(
            id=str(uuid.uuid4()),
            owner=owner,
            url=url,
            secret=secret,
            event_types=_set_of(event_types),
            regions=_set_of(regions),
            districts=_set_of(districts),
            description=description,
            created_at=now,
        )

    def matches(self, envelope: Envelope) -> bool:
        # Partners subscribe to current types and get whatever version was written.
        if current_type(envelope) not in self.event_types:
            return False
        if not self.regions and not self.districts:
            return True
        return envelope.region in self.regions or envelope.district in self.districts
