"""The insight read model: the facts of every topic the figures are folded from.

One document per application, case, case's work (its assessment stream),
referral, register decision and message. Every write is a ``$set`` of what
one event says; what a later event of the same stream may say again (a
referral's status, a case's worker, a second home visit) is set under the
event's stream version (``steps.<version>``) and the newest (or the
earliest, for milestones) is taken when the figures are folded. So applying
an event twice, or a stream's events in any order, leaves the same document:
a redelivery counts once, and a rebuild converges while the live consumer
keeps writing the same collections (a version guard would refuse the
rebuild's older events on a document the live consumer had just recreated).
Nothing is ever incremented: counts are folded from the documents. Ids,
codes, areas and times only: no name, address, note or PINFL is kept.
"""

from __future__ import annotations

from inson_contracts.envelope import Envelope
from inson_contracts.events import (
    ApplicationSubmitted,
    AssessmentCompleted,
    AssessmentRecorded,
    CareRegisterEntryAdded,
    CaseClosed,
    CaseOpened,
    NotificationFailed,
    NotificationSent,
    PlanApproved,
    PlanClosed,
    PlanCompleted,
    ReferralAccepted,
    ReferralCancelled,
    ReferralCompleted,
    ReferralDelivered,
    ReferralEscalated,
    ReferralExpired,
    ReferralIssued,
    ReferralRejected,
    ReferralStarted,
    SocialWorkerAssigned,
    SocialWorkerReassigned,
    TemporaryHousingGranted,
)
from inson_contracts.topics import ASSESSMENT_PLANS, INTAKE_CASES, NOTIFICATIONS, REFERRALS
from inson_runtime.projections import Database, Projection
from inson_runtime.viewbatch import ViewBatch
from pymongo import ASCENDING

from insight.domain.facts import MessageOutcome, RegisterKind

APPLICATIONS = "applications"
CASES = "cases"
CASE_WORK = "case_work"
REFERRAL_FACTS = "referrals"
REGISTERS = "registers"
MESSAGES = "messages"

insight_facts = Projection(
    name="insight-facts",
    version=1,
    topics=(INTAKE_CASES.name, ASSESSMENT_PLANS.name, REFERRALS.name, NOTIFICATIONS.name),
    collections=(APPLICATIONS, CASES, CASE_WORK, REFERRAL_FACTS, REGISTERS, MESSAGES),
)


def _case_of(envelope: Envelope) -> str:
    """The case an intake stream (``case-<id>``) is of."""
    return envelope.subject.removeprefix("case-")


def _version(envelope: Envelope) -> int:
    if envelope.streamversion is None:
        raise ValueError("insight keys what a stream says again by its stream version")
    return envelope.streamversion


@insight_facts.on(ApplicationSubmitted)
async def application_submitted(
    event: ApplicationSubmitted, envelope: Envelope, batch: ViewBatch
) -> None:
    where = event.address
    fact = {
        "case_id": _case_of(envelope),
        "region": where.region,
        "district": where.district,
        "mahalla": where.mahalla,
        "channel": event.channel.value,
        "submitted_at": event.submitted_at,
    }
    batch.upsert(APPLICATIONS, event.application_id, {"$set": fact})


@insight_facts.on(CaseOpened)
async def case_opened(event: CaseOpened, envelope: Envelope, batch: ViewBatch) -> None:
    fact = {
        "region": event.region,
        "district": event.district,
        "mahalla": event.mahalla,
        "application_id": event.application_id,
        "opened_at": event.opened_at,
    }
    batch.upsert(CASES, event.case_id, {"$set": fact})


@insight_facts.on(CaseClosed)
async def case_closed(event: CaseClosed, envelope: Envelope, batch: ViewBatch) -> None:
    fact = {"closed_at": event.closed_at, "closure_reason": event.reason.value}
    batch.upsert(CASES, event.case_id, {"$set": fact})


@insight_facts.on(SocialWorkerAssigned)
async def worker_assigned(
    event: SocialWorkerAssigned, envelope: Envelope, batch: ViewBatch
) -> None:
    fact = {
        "district": event.district,
        "mahalla": event.mahalla,
        f"workers.{_version(envelope)}": event.social_worker_id,
    }
    batch.upsert(CASE_WORK, event.case_id, {"$set": fact})


@insight_facts.on(SocialWorkerReassigned)
async def worker_reassigned(
    event: SocialWorkerReassigned, envelope: Envelope, batch: ViewBatch
) -> None:
    fact = {f"workers.{_version(envelope)}": event.to_social_worker_id}
    batch.upsert(CASE_WORK, event.case_id, {"$set": fact})


def _reached(
    batch: ViewBatch, envelope: Envelope, case_id: str, milestone: str, at: object
) -> None:
    batch.upsert(CASE_WORK, case_id, {"$set": {f"{milestone}.{_version(envelope)}": at}})


@insight_facts.on(AssessmentRecorded)
async def visited(event: AssessmentRecorded, envelope: Envelope, batch: ViewBatch) -> None:
    # The questionnaire is recorded at the home visit: its time is the visit's.
    _reached(batch, envelope, event.case_id, "visited", event.recorded_at)


@insight_facts.on(AssessmentCompleted)
async def assessed(event: AssessmentCompleted, envelope: Envelope, batch: ViewBatch) -> None:
    _reached(batch, envelope, event.case_id, "assessed", event.completed_at)


@insight_facts.on(PlanApproved)
async def plan_approved(event: PlanApproved, envelope: Envelope, batch: ViewBatch) -> None:
    _reached(batch, envelope, event.case_id, "plan_approved", event.approved_at)


@insight_facts.on(PlanCompleted)
async def plan_completed(event: PlanCompleted, envelope: Envelope, batch: ViewBatch) -> None:
    _reached(batch, envelope, event.case_id, "plan_completed", event.completed_at)


@insight_facts.on(PlanClosed)
async def plan_closed(event: PlanClosed, envelope: Envelope, batch: ViewBatch) -> None:
    _reached(batch, envelope, event.case_id, "plan_closed", event.closed_at)


@insight_facts.on(CareRegisterEntryAdded)
async def care_register_entry(
    event: CareRegisterEntryAdded, envelope: Envelope, batch: ViewBatch
) -> None:
    fact = {
        "kind": RegisterKind.CARE_REGISTER.value,
        "case_id": event.case_id,
        "district": event.district,
        "category": event.category.value,
        "decided_at": event.decided_at,
    }
    batch.upsert(REGISTERS, event.entry_id, {"$set": fact})


@insight_facts.on(TemporaryHousingGranted)
async def housing_granted(
    event: TemporaryHousingGranted, envelope: Envelope, batch: ViewBatch
) -> None:
    fact = {
        "kind": RegisterKind.TEMPORARY_HOUSING.value,
        "case_id": event.case_id,
        "district": envelope.district,
        "decided_at": event.decided_at,
    }
    batch.upsert(REGISTERS, event.registration_id, {"$set": fact})


@insight_facts.on(ReferralIssued)
async def referral_issued(event: ReferralIssued, envelope: Envelope, batch: ViewBatch) -> None:
    fact = {
        "case_id": event.case_id,
        "district": event.destination.district,
        "provider_type": event.destination.provider_type.value,
        "service_code": event.service_code,
        "issued_at": event.issued_at,
        "accept_by": event.accept_by,
        f"steps.{_version(envelope)}": "issued",
    }
    batch.upsert(REFERRAL_FACTS, event.referral_id, {"$set": fact})


def _status(
    batch: ViewBatch, envelope: Envelope, referral_id: str, status: str, **fields: object
) -> None:
    update = {"$set": {f"steps.{_version(envelope)}": status, **fields}}
    batch.upsert(REFERRAL_FACTS, referral_id, update)


@insight_facts.on(ReferralDelivered)
async def referral_delivered(
    event: ReferralDelivered, envelope: Envelope, batch: ViewBatch
) -> None:
    _status(batch, envelope, event.referral_id, "delivered")


@insight_facts.on(ReferralAccepted)
async def referral_accepted(event: ReferralAccepted, envelope: Envelope, batch: ViewBatch) -> None:
    _status(batch, envelope, event.referral_id, "accepted", accepted_at=event.accepted_at)


@insight_facts.on(ReferralRejected)
async def referral_rejected(event: ReferralRejected, envelope: Envelope, batch: ViewBatch) -> None:
    code = event.code.value
    _status(
        batch,
        envelope,
        event.referral_id,
        "rejected",
        rejected_at=event.rejected_at,
        rejection_code=code,
    )


@insight_facts.on(ReferralStarted)
async def referral_started(event: ReferralStarted, envelope: Envelope, batch: ViewBatch) -> None:
    _status(batch, envelope, event.referral_id, "started")


@insight_facts.on(ReferralCompleted)
async def referral_completed(
    event: ReferralCompleted, envelope: Envelope, batch: ViewBatch
) -> None:
    _status(batch, envelope, event.referral_id, "completed")


@insight_facts.on(ReferralCancelled)
async def referral_cancelled(
    event: ReferralCancelled, envelope: Envelope, batch: ViewBatch
) -> None:
    _status(batch, envelope, event.referral_id, "cancelled")


@insight_facts.on(ReferralExpired)
async def referral_expired(event: ReferralExpired, envelope: Envelope, batch: ViewBatch) -> None:
    _status(batch, envelope, event.referral_id, "expired", expired_at=event.expired_at)


@insight_facts.on(ReferralEscalated)
async def referral_escalated(
    event: ReferralEscalated, envelope: Envelope, batch: ViewBatch
) -> None:
    batch.upsert(REFERRAL_FACTS, event.referral_id, {"$set": {"escalated": True}})


@insight_facts.on(NotificationSent, NotificationFailed)
async def message_outcome(
    event: NotificationSent | NotificationFailed, envelope: Envelope, batch: ViewBatch
) -> None:
    if isinstance(event, NotificationSent):
        outcome, at = MessageOutcome.SENT, event.sent_at
    else:
        outcome = MessageOutcome.FAILED if event.final else MessageOutcome.RETRYING
        at = event.failed_at
    fact = {
        "case_id": event.case_id,
        "district": envelope.district,
        "channel": event.channel.value,
        f"outcomes.{_version(envelope)}": {"outcome": outcome.value, "at": at},
    }
    batch.upsert(MESSAGES, event.notification_id, {"$set": fact})


async def ensure_indexes(db: Database) -> None:
    # Figures are read per district (a supervisor's) or whole (an admin's).
    for name in (APPLICATIONS, CASES, CASE_WORK, REFERRAL_FACTS, REGISTERS, MESSAGES):
        await db[name].create_index([("district", ASCENDING)])
