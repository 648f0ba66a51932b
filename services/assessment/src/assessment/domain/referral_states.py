"""The loop back: where each plan item's referral stands, as referral's events tell it.

Assessment keeps, per referral, its plan item, status and dates, the
rejection code and, sealed, the free-text rejection reason and completion
note: personal data, kept in their wire form (``SealedNote``) and opened
only at an audited read. An item's current referral is its latest one: a
referral issued again for the item (``replaces``) supersedes the one before.

An item needs the worker's attention when its current referral was refused,
expired, or is overdue (escalated, or past its accept-by time and not
accepted). Pure: the store applies the changes ``changes_of`` names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from inson_contracts.events import (
    Event,
    ReferralAccepted,
    ReferralCancelled,
    ReferralCompleted,
    ReferralDelivered,
    ReferralEscalated,
    ReferralExpired,
    ReferralIssued,
    ReferralRejected,
    ReferralStarted,
)
from inson_contracts.events.referral import ReferralEvent

REFERRAL_EVENTS: tuple[type[ReferralEvent], ...] = (
    ReferralIssued,
    ReferralDelivered,
    ReferralAccepted,
    ReferralRejected,
    ReferralStarted,
    ReferralCompleted,
    ReferralCancelled,
    ReferralExpired,
    ReferralEscalated,
)


class ReferralStatus(StrEnum):
    ISSUED = "issued"
    DELIVERED = "delivered"
    ACCEPTED = "accepted"
    STARTED = "started"
    COMPLETED = "completed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


# Not yet taken up by the provider: overdue once past the accept-by time.
WAITING = frozenset({ReferralStatus.ISSUED, ReferralStatus.DELIVERED})


class Attention(StrEnum):
    """Why an item needs the worker: its referral was refused, expired, or is overdue."""

    REFUSED = "refused"
    EXPIRED = "expired"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class SealedNote:
    """A free-text note in its sealed wire form: the event type (the ciphertext is bound
    to it) and the ``sealed`` member; ``sealed`` None when there was no note."""

    event_type: str
    sealed: dict[str, Any] | None

    def stored(self) -> dict[str, Any]:
        return {"type": self.event_type, "sealed": self.sealed}


def changes_of(event: Event, note: SealedNote | None = None) -> dict[str, Any]:
    """The fields a referral event sets on its referral's record (``note``: its sealed text)."""
    match event:
        case ReferralIssued():
            where = event.destination
            return {
                "status": ReferralStatus.ISSUED.value,
                "item_id": event.item_id,
                "plan_id": event.plan_id,
                "plan_version": event.plan_version,
                "service_code": event.service_code,
                "priority": event.priority.value,
                "district": where.district,
                "provider_type": where.provider_type.value,
                "provider": where.provider or where.window or where.service_center,
                "referral_code": event.referral_code,
                "replaces": event.replaces,
                "issued_at": event.issued_at,
                "accept_by": event.accept_by,
            }
        case ReferralDelivered():
            return {"status": ReferralStatus.DELIVERED.value, "delivered_at": event.delivered_at}
        case ReferralAccepted():
            return {"status": ReferralStatus.ACCEPTED.value, "accepted_at": event.accepted_at}
        case ReferralStarted():
            return {"status": ReferralStatus.STARTED.value, "started_at": event.started_at}
        case ReferralCompleted():
            done: dict[str, Any] = {
                "status": ReferralStatus.COMPLETED.value,
                "completed_at": event.completed_at,
            }
            return done | ({"outcome": note.stored()} if note else {})
        case ReferralRejected():
            refused: dict[str, Any] = {
                "status": ReferralStatus.REJECTED.value,
                "rejected_at": event.rejected_at,
                "rejection_code": event.code.value,
            }
            return refused | ({"rejection_reason": note.stored()} if note else {})
        case ReferralCancelled():
            return {
                "status": ReferralStatus.CANCELLED.value,
                "cancelled_at": event.cancelled_at,
                "cancellation_reason": event.reason.value,
            }
        case ReferralExpired():
            return {"status": ReferralStatus.EXPIRED.value, "expired_at": event.expired_at}
        case ReferralEscalated():
            # Not a step of the lifecycle: the referral still waits, now overdue.
            return {
                "escalated_at": event.escalated_at,
                "escalation_level": event.escalation_level,
            }
    raise TypeError(f"{type(event).__name__} is not a referral event")


def attention_of(
    status: ReferralStatus,
    *,
    accept_by: datetime | None,
    escalated_at: datetime | None,
    now: datetime,
) -> Attention | None:
    """Why a current referral needs the worker, if it does."""
    if status is ReferralStatus.REJECTED:
        return Attention.REFUSED
    if status is ReferralStatus.EXPIRED:
        return Attention.EXPIRED
    if status in WAITING and (
        escalated_at is not None or (accept_by is not None and accept_by < now)
    ):
        return Attention.OVERDUE
    return None
