"""What the read model keeps of each case, application, referral, register decision
and message: ids, codes, area and times, never a person's data (pure).

Each fact follows one stream (a case's intake stream, its assessment stream,
one referral, one message), so a redelivered event is recognised by that
stream's version and nothing is counted twice. Figures are folded from the
facts when asked (``domain/indicators.py``), so a median is exact and a new
indicator needs no migration, only a new fold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class MessageOutcome(StrEnum):
    SENT = "sent"
    FAILED = "failed"  # given up: the final failure
    RETRYING = "retrying"  # failed, tried again later


class RegisterKind(StrEnum):
    CARE_REGISTER = "care_register"
    TEMPORARY_HOUSING = "temporary_housing"


# Referral statuses awaiting the provider's acceptance: overdue past accept_by.
AWAITING = frozenset({"issued", "delivered"})


@dataclass(frozen=True)
class Area:
    """Where a fact belongs: mahalla, its district and region (codes)."""

    region: str
    district: str
    mahalla: str | None = None


@dataclass(frozen=True)
class ApplicationFact:
    application_id: str
    area: Area
    channel: str
    submitted_at: datetime


@dataclass(frozen=True)
class CaseFact:
    """A case as intake recorded it: opened from an application, closed at the end."""

    case_id: str
    area: Area
    opened_at: datetime
    applied_at: datetime | None = None  # the opening application's submission
    closed_at: datetime | None = None


@dataclass(frozen=True)
class CaseWorkFact:
    """A case's work as assessment recorded it: its worker and milestones."""

    case_id: str
    district: str | None = None
    social_worker_id: str | None = None
    visited_at: datetime | None = None
    assessed_at: datetime | None = None
    plan_approved_at: datetime | None = None
    plan_completed_at: datetime | None = None
    plan_closed_at: datetime | None = None


@dataclass(frozen=True)
class ReferralFact:
    referral_id: str
    case_id: str
    district: str
    provider_type: str
    status: str
    issued_at: datetime
    accept_by: datetime
    accepted_at: datetime | None = None
    rejected_at: datetime | None = None
    rejection_code: str | None = None
    expired_at: datetime | None = None
    escalated: bool = False

    def overdue(self, now: datetime) -> bool:
        return self.status in AWAITING and self.accept_by < now


@dataclass(frozen=True)
class RegisterFact:
    """A care register entry or a temporary housing registration, once decided."""

    kind: RegisterKind
    register_id: str
    case_id: str
    district: str | None
    decided_at: datetime


@dataclass(frozen=True)
class MessageFact:
    notification_id: str
    case_id: str | None
    district: str | None
    channel: str
    outcome: MessageOutcome
    at: datetime


@dataclass(frozen=True)
class Facts:
    """Everything the figures of one area are folded from."""

    applications: list[ApplicationFact] = field(default_factory=list)
    cases: list[CaseFact] = field(default_factory=list)
    work: list[CaseWorkFact] = field(default_factory=list)
    referrals: list[ReferralFact] = field(default_factory=list)
    registers: list[RegisterFact] = field(default_factory=list)
    messages: list[MessageFact] = field(default_factory=list)
