"""What the referral read side answers: typed, and answered by the API as they are.

Answers carry no personal data: a referral has none by contract, and the
free-text notes staff write stay in the events. The person a referral is for
is a read of its own (``GET /v1/referrals/{id}/person``), audited.
"""

from __future__ import annotations

from datetime import datetime

from inson_contracts.codes.names import LocalizedName
from inson_contracts.codes.service_model import ProviderType
from inson_contracts.events.referral import CancellationReason, RejectionCode
from inson_contracts.events.values import Priority
from pydantic import BaseModel, Field

from referral.domain.referral import Status


class HistoryEntry(BaseModel):
    type: str
    at: datetime
    by: str | None = None


class QueueItem(BaseModel):
    id: str
    referral_code: str | None = Field(
        default=None,
        description="The short code the citizen shows and staff search by (8 characters "
        "of Crockford's base32); referrals issued before codes existed have the one "
        "derived from their id.",
    )
    status: Status
    case_id: str
    service_code: str
    service_name: LocalizedName | None = None
    priority: Priority
    provider_type: ProviderType
    district: str
    service_center: str | None = None
    window: str | None = None
    provider: str | None = None
    issued_at: datetime
    accept_by: datetime
    overdue: bool = False
    escalation_level: int = 0


class ReferralDetail(QueueItem):
    plan_id: str
    plan_version: int
    item_id: str
    replaces: str | None = Field(
        default=None,
        description="The refused, expired or cancelled referral of the same item that "
        "this one issues again.",
    )
    center_name: LocalizedName | None = None
    window_name: LocalizedName | None = None
    provider_name: LocalizedName | None = None
    delivered_at: datetime | None = None
    accepted_at: datetime | None = None
    accepted_by: str | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    rejected_at: datetime | None = None
    rejection_code: RejectionCode | None = None
    cancelled_at: datetime | None = None
    cancellation_reason: CancellationReason | None = None
    expired_at: datetime | None = None
    escalated_to: str | None = None
    history: list[HistoryEntry] = []


class WindowBoard(BaseModel):
    window: str
    open: int
    awaiting_acceptance: int
    overdue: int


class ProviderBoard(BaseModel):
    """A provider's deadlines at a glance, as a center's board without the windows."""

    provider: str
    provider_type: ProviderType
    district: str
    name: LocalizedName
    as_of: datetime
    open: int
    awaiting_acceptance: int
    overdue: int
    accepted: int
    median_minutes_to_accept: float | None


class CenterBoard(BaseModel):
    """A center's deadlines at a glance: what is open, what is late, how fast it is taken up."""

    center: str
    district: str
    name: LocalizedName
    as_of: datetime
    open: int
    awaiting_acceptance: int
    overdue: int
    accepted: int
    median_minutes_to_accept: float | None
    windows: list[WindowBoard]
