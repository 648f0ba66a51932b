"""The referral service's read models, built from its own topic.

- ``referrals``: one document per referral, the windows' and providers'
  queues and boards, with each referral's short code (``referral_code``, the
  one it was issued with, else derived from its id) and history
  (``{type, at, by}``);
- ``deadlines``: one per referral with the time its next escalation falls due
  (``next_escalation_at``), open while it awaits acceptance. The deadline task
  reads it, so due times survive restarts and live in no process's memory.

Free-text notes (acceptance note, rejection reason, outcome) are personal data
by contract: they stay in the events, and the read models keep only codes.
Each update is guarded by the stream version (``ViewBatch.at_version``), so a
redelivered or replayed event changes nothing. Handlers stage their writes on
the batch, which sends them in bulk.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import structlog
from inson_contracts.envelope import Envelope
from inson_contracts.events.referral import (
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
from inson_contracts.topics import REFERRALS as REFERRALS_TOPIC
from inson_runtime.projections import Database, Projection
from inson_runtime.viewbatch import ViewBatch
from pymongo import ASCENDING

from referral.domain.codes import referral_code
from referral.domain.deadlines import escalation_due_at
from referral.domain.referral import OPEN, Status

log = structlog.get_logger(__name__)

REFERRALS = "referrals"
DEADLINES = "deadlines"
OPEN_STATUSES = sorted(s.value for s in OPEN)


referral_views = Projection(
    name="referral-views",
    version=1,
    topics=(REFERRALS_TOPIC.name,),
    collections=(REFERRALS, DEADLINES),
)


def _step(
    batch: ViewBatch,
    envelope: Envelope,
    rid: str,
    at: datetime,
    by: str | None,
    fields: dict[str, Any],
) -> None:
    kind = envelope.type.split(".")[4]  # uz.inson.referral.referral.<verb>.v1
    entry = {"type": kind, "at": at, "by": by}
    update = {"$set": fields, "$push": {"history": entry}}
    batch.at_version(REFERRALS, rid, envelope, update)


def _no_longer_due(batch: ViewBatch, envelope: Envelope, rid: str) -> None:
    batch.at_version(DEADLINES, rid, envelope, {"$set": {"open": False}})


@referral_views.on(ReferralIssued)
async def issued(event: ReferralIssued, envelope: Envelope, batch: ViewBatch) -> None:
    where = event.destination
    fields = {
        "status": Status.ISSUED.value,
        "case_id": event.case_id,
        "plan_id": event.plan_id,
        "plan_version": event.plan_version,
        "item_id": event.item_id,
        "service_code": event.service_code,
        "priority": event.priority.value,
        "provider_type": where.provider_type.value,
        "district": where.district,
        "service_center": where.service_center,
        "window": where.window,
        "provider": where.provider,
        "referral_code": event.referral_code or referral_code(event.referral_id),
        "replaces": event.replaces,
        "accept_by": event.accept_by,
        "issued_at": event.issued_at,
        "escalation_level": 0,
    }
    _step(batch, envelope, event.referral_id, event.issued_at, None, fields)
    due = {
        "open": True,
        "district": where.district,
        "service_center": where.service_center,
        "issued_at": event.issued_at,
        "accept_by": event.accept_by,
        "next_escalation_at": event.accept_by,
        "escalation_level": 0,
    }
    batch.at_version(DEADLINES, event.referral_id, envelope, {"$set": due})


@referral_views.on(ReferralDelivered)
async def delivered(event: ReferralDelivered, envelope: Envelope, batch: ViewBatch) -> None:
    fields = {"status": Status.DELIVERED.value, "delivered_at": event.delivered_at}
    _step(batch, envelope, event.referral_id, event.delivered_at, None, fields)


@referral_views.on(ReferralAccepted)
async def accepted(event: ReferralAccepted, envelope: Envelope, batch: ViewBatch) -> None:
    doc = await batch.find_one(REFERRALS, event.referral_id, ["issued_at"])
    fields: dict[str, Any] = {
        "status": Status.ACCEPTED.value,
        "accepted_at": event.accepted_at,
        "accepted_by": event.accepted_by.id,
    }
    if doc and doc.get("issued_at"):
        # Kept on the document so a board's median is one indexed read.
        waited = event.accepted_at - doc["issued_at"]
        fields["minutes_to_accept"] = max(0, int(waited.total_seconds() // 60))
    _step(batch, envelope, event.referral_id, event.accepted_at, event.accepted_by.id, fields)
    _no_longer_due(batch, envelope, event.referral_id)


@referral_views.on(ReferralRejected)
async def rejected(event: ReferralRejected, envelope: Envelope, batch: ViewBatch) -> None:
    fields = {
        "status": Status.REJECTED.value,
        "rejected_at": event.rejected_at,
        "rejection_code": event.code.value,
    }
    _step(batch, envelope, event.referral_id, event.rejected_at, event.rejected_by.id, fields)
    _no_longer_due(batch, envelope, event.referral_id)


@referral_views.on(ReferralStarted)
async def started(event: ReferralStarted, envelope: Envelope, batch: ViewBatch) -> None:
    fields = {"status": Status.STARTED.value, "started_at": event.started_at}
    _step(batch, envelope, event.referral_id, event.started_at, event.started_by.id, fields)


@referral_views.on(ReferralCompleted)
async def completed(event: ReferralCompleted, envelope: Envelope, batch: ViewBatch) -> None:
    fields = {"status": Status.COMPLETED.value, "completed_at": event.completed_at}
    by = event.completed_by.id
    _step(batch, envelope, event.referral_id, event.completed_at, by, fields)


@referral_views.on(ReferralCancelled)
async def cancelled(event: ReferralCancelled, envelope: Envelope, batch: ViewBatch) -> None:
    fields = {
        "status": Status.CANCELLED.value,
        "cancelled_at": event.cancelled_at,
        "cancellation_reason": event.reason.value,
    }
    by = event.cancelled_by.id if event.cancelled_by else None
    _step(batch, envelope, event.referral_id, event.cancelled_at, by, fields)
    _no_longer_due(batch, envelope, event.referral_id)


@referral_views.on(ReferralExpired)
async def expired(event: ReferralExpired, envelope: Envelope, batch: ViewBatch) -> None:
    fields = {"status": Status.EXPIRED.value, "expired_at": event.expired_at}
    _step(batch, envelope, event.referral_id, event.expired_at, None, fields)
    _no_longer_due(batch, envelope, event.referral_id)


@referral_views.on(ReferralEscalated)
async def escalated(event: ReferralEscalated, envelope: Envelope, batch: ViewBatch) -> None:
    fields = {
        "escalation_level": event.escalation_level,
        "escalated_to": event.escalated_to,
        "last_escalated_at": event.escalated_at,
    }
    _step(batch, envelope, event.referral_id, event.escalated_at, None, fields)
    due = await batch.find_one(DEADLINES, event.referral_id, ["issued_at"])
    if due is None:
        return
    next_at = escalation_due_at(due["issued_at"], event.accept_by, event.escalation_level)
    update = {"$set": {"next_escalation_at": next_at, "escalation_level": event.escalation_level}}
    batch.at_version(DEADLINES, event.referral_id, envelope, update)


async def ensure_view_indexes(db: Database) -> None:
    await db[REFERRALS].create_index(
        [("service_center", ASCENDING), ("status", ASCENDING), ("accept_by", ASCENDING)]
    )
    await db[REFERRALS].create_index(
        [("district", ASCENDING), ("status", ASCENDING), ("accept_by", ASCENDING)]
    )
    await db[REFERRALS].create_index([("window", ASCENDING), ("status", ASCENDING)])
    await db[REFERRALS].create_index(
        [("provider", ASCENDING), ("status", ASCENDING), ("accept_by", ASCENDING)]
    )
    await db[REFERRALS].create_index([("referral_code", ASCENDING)])
    await db[DEADLINES].create_index([("open", ASCENDING), ("next_escalation_at", ASCENDING)])
    await db[DEADLINES].create_index([("open", ASCENDING), ("issued_at", ASCENDING)])


async def backfill_codes(db: Database) -> None:
    """Give referrals projected before codes existed the code derived from their id.

    Run at start, so a code search finds them without a rebuild; a document
    that has its code is left alone, so a second run (or instance) changes
    nothing.
    """
    given = 0
    cursor = db[REFERRALS].find({"referral_code": {"$exists": False}}, {"_id": 1})
    async for doc in cursor:
        update = {"$set": {"referral_code": referral_code(doc["_id"])}}
        result = await db[REFERRALS].update_one(
            {"_id": doc["_id"], "referral_code": {"$exists": False}}, update
        )
        given += result.modified_count
    if given:
        log.info("referral codes given to referrals projected before codes", referrals=given)
