"""Partner subscriptions: which events a partner's webhook receives, and with what.

A subscription names event types, an area and a purpose, a webhook URL and
a signing secret. An event is sent when all of these hold:

- its type (the current version of it) is among the subscription's;
- **area**: no regions and no districts, or the event's district is listed,
  or its region is listed with none of that region's districts (districts
  narrow their region; a district outside the listed regions contradicts
  them and is refused when the subscription is made);
- **purpose** (``domain/purposes.py``): no circumstance categories, or the
  case falls under one of them; no service categories, or the event is about
  a service of one of them.

The secret is kept to sign deliveries; it is shown once, when the
subscription is made, and never again. What personal data a delivery may
carry is the subscription's data-sharing level (``domain/sharing.py``),
which only an administrator sets.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from inson_contracts.codes.categories import CircumstanceCategory
from inson_contracts.codes.services import ServiceCategory
from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY, Event, event_types
from inson_contracts.topics import ASSESSMENT_PLANS, INTAKE_CASES, REFERRALS

from notification.domain.purposes import Purpose
from notification.domain.sharing import NO_PERSONAL_DATA, DataSharing

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


def region_of(district: str) -> str:
    """A district's region: SOATO district codes start with their region's four digits."""
    return district[:4]


def outside_regions(regions: Sequence[str], districts: Sequence[str]) -> list[int]:
    """Positions of the districts no listed region holds (none when no region is listed)."""
    if not regions:
        return []
    return [n for n, district in enumerate(districts) if region_of(district) not in regions]


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
    circumstance_categories: tuple[str, ...] = ()
    service_categories: tuple[str, ...] = ()
    sharing: DataSharing = NO_PERSONAL_DATA

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
        circumstance_categories: Iterable[CircumstanceCategory] = (),
        service_categories: Iterable[ServiceCategory] = (),
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
            circumstance_categories=_set_of(circumstance_categories),
            service_categories=_set_of(service_categories),
        )

    @property
    def purpose_bound(self) -> bool:
        return bool(self.circumstance_categories or self.service_categories)

    def covers(self, envelope: Envelope) -> bool:
        """The event's type and area are the subscription's (its purpose is checked apart)."""
        # Partners subscribe to current types and get whatever version was written.
        if current_type(envelope) not in self.event_types:
            return False
        if not self.regions and not self.districts:
            return True
        if envelope.district in self.districts:
            return True
        region = envelope.region or (region_of(envelope.district) if envelope.district else None)
        narrowed = {region_of(d) for d in self.districts}
        return region in self.regions and region not in narrowed

    def serves(self, purpose: Purpose) -> bool:
        """The event is about this subscription's purpose."""
        if self.circumstance_categories and not purpose.circumstances.intersection(
            self.circumstance_categories
        ):
            return False
        return not self.service_categories or bool(
            purpose.services.intersection(self.service_categories)
        )
