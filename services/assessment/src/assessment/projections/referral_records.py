"""A referral's record as the read side types it: its state, and its free text still sealed.

Shared by the case file (each item's referral) and the attention list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from assessment.domain.referral_states import (
    Attention,
    ReferralStatus,
    SealedNote,
    attention_of,
)


class ItemReferral(BaseModel):
    """Where a plan item's referral stands; its free text (a rejection reason, a completion
    note) is left out: the attention list and the case's referrals open it for those who
    may read it."""

    referral_id: str
    referral_code: str | None = Field(default=None, description="What the citizen shows")
    status: ReferralStatus | None = None
    attention: Attention | None = Field(
        default=None, description="Why the item needs the worker: refused, expired, overdue"
    )
    provider_type: str | None = None
    provider: str | None = Field(default=None, description="The provider's (or window's) code")
    issued_at: datetime | None = None
    accept_by: datetime | None = None
    delivered_at: datetime | None = None
    accepted_at: datetime | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    rejected_at: datetime | None = None
    rejection_code: str | None = None
    cancelled_at: datetime | None = None
    cancellation_reason: str | None = None
    expired_at: datetime | None = None
    escalated_at: datetime | None = None
    escalation_level: int | None = None
    replaces: str | None = Field(default=None, description="The referral this one issues again")
    superseded_by: str | None = Field(default=None, description="The referral issued again")


_STATE_FIELDS = frozenset(ItemReferral.model_fields) - {"referral_id", "attention"}


@dataclass(frozen=True)
class ReferralRecord:
    case_id: str
    item_id: str | None
    service_code: str | None
    district: str | None
    state: ItemReferral
    rejection_reason: SealedNote | None
    outcome: SealedNote | None


def _note(raw: Any) -> SealedNote | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
        return None
    sealed = raw.get("sealed")
    return SealedNote(raw["type"], sealed if isinstance(sealed, dict) else None)


def record_of(doc: dict[str, Any], now: datetime) -> ReferralRecord:
    fields = {k: v for k, v in doc.items() if k in _STATE_FIELDS and v is not None}
    state = ItemReferral.model_validate({"referral_id": doc["_id"], **fields})
    if state.status is not None and state.superseded_by is None:
        why = attention_of(
            state.status, accept_by=state.accept_by, escalated_at=state.escalated_at, now=now
        )
        if why is not None:
            state = state.model_copy(update={"attention": why})
    return ReferralRecord(
        case_id=doc["case_id"],
        item_id=doc.get("item_id"),
        service_code=doc.get("service_code"),
        district=doc.get("district"),
        state=state,
        rejection_reason=_note(doc.get("rejection_reason")),
        outcome=_note(doc.get("outcome")),
    )
