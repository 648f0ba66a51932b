"""What an event is about, for a partner's purpose: circumstance and service categories.

Few events say it themselves: an application and an opened case carry the
circumstances, a linked application the new ones, a plan its items'
services, an issued referral its service. Most (a worker assigned, a
referral accepted) name only their case or referral. So notification keeps
what the events said, per case and per referral (codes and ids only, no
personal data: ``adapters/partner_cases.py``), and an event is about:

- **circumstance categories**: those of every circumstance its case was
  recorded with, this event's included, through the versioned mapping
  ``inson_contracts.codes.categories``;
- **service categories**: for a referral event, its referral's service; for
  a plan event with items, those items' services; for any other event,
  every service the case's plans and referrals have named so far.

An event of a case notification has not seen yet, which says nothing
itself, is about nothing: a subscription with a purpose filter does not get
it (a partner never gets more than its purpose allows); a replay later
reads what is known by then.
"""

from __future__ import annotations

from dataclasses import dataclass

from inson_contracts.codes.categories import CircumstanceCategory, categories_of
from inson_contracts.codes.services import SERVICES_BY_CODE, ServiceCategory
from inson_contracts.events import (
    ApplicationLinkedToCase,
    ApplicationSubmitted,
    CaseOpened,
    Event,
    ReferralIssued,
)
from inson_contracts.events.referral import ReferralEvent
from inson_contracts.events.values import PlanItem

_CASE_STREAM = "case-"  # intake's streams: an application's event has no case_id


@dataclass(frozen=True)
class Said:
    """What one event itself says about its case's purpose."""

    case_id: str | None
    circumstances: frozenset[str] = frozenset()
    # Services the event names: a plan's items, an issued referral's service.
    services: frozenset[str] = frozenset()
    # A referral event is about its referral's service only.
    referral_id: str | None = None

    @property
    def news(self) -> bool:
        """Whether it adds to what is known of its case or referral."""
        return bool(self.circumstances or self.services)


@dataclass(frozen=True)
class Known:
    """What earlier events said: the case's circumstances and services, the referral's service."""

    circumstances: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()
    referral_service: str | None = None


@dataclass(frozen=True)
class Purpose:
    """The categories an event is about."""

    circumstances: frozenset[CircumstanceCategory]
    services: frozenset[ServiceCategory]


def said_by(event: Event, subject: str) -> Said:
    case_id = getattr(event, "case_id", None)
    if case_id is None and subject.startswith(_CASE_STREAM):
        case_id = subject.removeprefix(_CASE_STREAM)
    circumstances: list[str] = []
    if isinstance(event, ApplicationSubmitted | CaseOpened):
        circumstances = list(event.circumstances)
    elif isinstance(event, ApplicationLinkedToCase):
        circumstances = list(event.new_circumstances)
    items = getattr(event, "items", None) or []
    services = {item.service_code for item in items if isinstance(item, PlanItem)}
    if isinstance(event, ReferralIssued):
        services.add(event.service_code)
    referral_id = event.referral_id if isinstance(event, ReferralEvent) else None
    return Said(case_id, frozenset(circumstances), frozenset(services), referral_id)


def purpose_of(said: Said, known: Known) -> Purpose:
    """The categories of an event, from what it says and what is known of its case."""
    if said.referral_id is not None:
        named = said.services or _one(known.referral_service)
    else:
        named = said.services or known.services
    services = {SERVICES_BY_CODE[code].category for code in named if code in SERVICES_BY_CODE}
    return Purpose(
        circumstances=categories_of(said.circumstances | known.circumstances),
        services=frozenset(services),
    )


def _one(code: str | None) -> frozenset[str]:
    return frozenset() if code is None else frozenset({code})
