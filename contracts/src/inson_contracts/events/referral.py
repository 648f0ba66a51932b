"""Referrals to Social service windows and other providers, and their lifecycle.

Stream: ``referral-<referral_id>``. Every event names its case, so partners
can follow a case across referrals.

issued -> delivered -> accepted -> started -> completed; or rejected
(back to the worker for re-planning), cancelled, expired; escalated when not
accepted by its due time.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from inson_contracts.codes.service_model import ProviderType
from inson_contracts.events.base import REGISTRY, Event, personal
from inson_contracts.events.values import (
    Actor,
    ActorId,
    DistrictCode,
    Id,
    Note,
    Priority,
    ServiceCode,
    Value,
)
from inson_contracts.topics import REFERRALS


class ReferralEvent(Event):
    """Fields every referral event carries."""

    TOPIC: ClassVar[str] = REFERRALS.name

    referral_id: Id
    case_id: Id


class Destination(Value):
    provider_type: ProviderType
    district: DistrictCode
    service_center: str | None = Field(
        default=None, max_length=32, description="Public Services Center code, for windows."
    )
    window: str | None = Field(default=None, max_length=32, description="Window code.")
    provider: str | None = Field(default=None, max_length=64, description="Other providers.")


class ReferralIssued(ReferralEvent):
    """A plan item became a referral to a concrete destination."""

    TYPE: ClassVar[str] = "uz.inson.referral.referral.issued.v1"

    plan_id: Id
    plan_version: int = Field(ge=1)
    item_id: Id
    service_code: ServiceCode
    priority: Priority
    destination: Destination
    accept_by: datetime = Field(description="Escalated if not accepted by then.")
    issued_at: datetime
    referral_code: str | None = Field(
        default=None,
        pattern=r"^[0-9A-HJKMNP-TV-Z]{8}$",
        description="A short code the citizen shows at the provider and staff search by: "
        "8 characters of Crockford's base32 (no I, L, O, U), derived from the referral id. "
        "Absent on referrals issued before codes existed.",
    )
    replaces: Id | None = Field(
        default=None,
        description="The refused, expired or cancelled referral of the same plan item that "
        "this one issues again after a revision kept the item.",
    )


class ReferralDelivered(ReferralEvent):
    """The referral is visible in the destination's queue."""

    TYPE: ClassVar[str] = "uz.inson.referral.referral.delivered.v1"

    delivered_at: datetime


class ReferralAccepted(ReferralEvent):
    """The provider took the referral on; the person will be served."""

    TYPE: ClassVar[str] = "uz.inson.referral.referral.accepted.v1"

    accepted_by: Actor
    note: Note | None = personal(default=None)
    accepted_at: datetime


class RejectionCode(StrEnum):
    NOT_ELIGIBLE = "not_eligible"
    WRONG_DESTINATION = "wrong_destination"
    SERVICE_NOT_AVAILABLE = "service_not_available"
    DOCUMENTS_MISSING = "documents_missing"
    PERSON_UNREACHABLE = "person_unreachable"
    OTHER = "other"


class ReferralRejected(ReferralEvent):
    """The provider will not deliver it; the worker re-plans."""

    TYPE: ClassVar[str] = "uz.inson.referral.referral.rejected.v1"

    code: RejectionCode
    reason: Note = personal(min_length=1)
    rejected_by: Actor
    rejected_at: datetime


class ReferralStarted(ReferralEvent):
    """Delivery of the service began."""

    TYPE: ClassVar[str] = "uz.inson.referral.referral.started.v1"

    started_by: Actor
    note: Note | None = personal(default=None)
    started_at: datetime


class ReferralCompleted(ReferralEvent):
    """The service was delivered; the plan item is done."""

    TYPE: ClassVar[str] = "uz.inson.referral.referral.completed.v1"

    completed_by: Actor
    outcome: Note | None = personal(default=None)
    completed_at: datetime


class CancellationReason(StrEnum):
    PLAN_REVISED = "plan_revised"
    PLAN_CLOSED = "plan_closed"
    DUPLICATE = "duplicate"
    ISSUED_IN_ERROR = "issued_in_error"


class ReferralCancelled(ReferralEvent):
    """Withdrawn before completion, usually because the plan changed."""

    TYPE: ClassVar[str] = "uz.inson.referral.referral.cancelled.v1"

    reason: CancellationReason
    cancelled_by: Actor | None = Field(default=None, description="Absent when decided by rule.")
    cancelled_at: datetime


class ReferralExpired(ReferralEvent):
    """Never taken up within its validity: closed without service."""

    TYPE: ClassVar[str] = "uz.inson.referral.referral.expired.v1"

    expired_at: datetime


class ReferralEscalated(ReferralEvent):
    """Not accepted in time: the district's Inson center supervisor must act."""

    TYPE: ClassVar[str] = "uz.inson.referral.referral.escalated.v1"

    district: DistrictCode
    accept_by: datetime
    overdue_minutes: int = Field(ge=0)
    escalation_level: int = Field(ge=1, description="1 for the first escalation, then 2, ...")
    escalated_to: ActorId | None = Field(default=None, description="Supervisor, when known.")
    escalated_at: datetime


REGISTRY.register(
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
