"""Which event tells whom what: pure rules from a contract event to message intents.

An intent names a recipient by role (the citizen of a case, the case's
worker, a staff member by id), never by address: addresses are looked up
when the message is sent, from the recipients read model and the staff
directory. One event yields at most one intent per recipient kind, which is
what makes a notification id derived from (event, recipient kind, channel)
unique.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from inson_contracts.codes.names import Language
from inson_contracts.codes.service_model import ProviderType
from inson_contracts.events import (
    ApplicationSubmitted,
    Event,
    HomeVisitScheduled,
    PlanApproved,
    ReferralAccepted,
    ReferralCompleted,
    ReferralEscalated,
    ReferralExpired,
    ReferralIssued,
    ReferralRejected,
    SocialWorkerAssigned,
    SocialWorkerReassigned,
    TemporaryHousingEndingSoon,
)
from inson_contracts.events.notification import RecipientKind

from notification.domain.templates import Template, rejection_message

# Uzbekistan keeps UTC+5 all year (no daylight saving since 1992), so a fixed
# offset is exact and needs no time zone database on the host.
TASHKENT = timezone(timedelta(hours=5), "UZT")

# The event types some rule reacts to; the policy consumer subscribes to these.
RULE_EVENTS: tuple[type[Event], ...] = (
    ApplicationSubmitted,
    HomeVisitScheduled,
    PlanApproved,
    ReferralAccepted,
    ReferralCompleted,
    ReferralRejected,
    SocialWorkerAssigned,
    SocialWorkerReassigned,
    ReferralEscalated,
    ReferralIssued,
    ReferralExpired,
    TemporaryHousingEndingSoon,
)

_NOT_REF = re.compile(r"[^A-Za-z0-9]")


def short_ref(identifier: str) -> str:
    """A short reference a person can read out on the phone (first 8 id characters).

    Ids are UUIDs, so 8 hex digits tell cases apart in practice; staff find the
    case by this prefix. It says nothing about the person.
    """
    return _NOT_REF.sub("", identifier)[:8].upper()


@dataclass(frozen=True)
class ContactInEvent:
    """A citizen's contact as the event itself carries it (the application)."""

    phone: str | None
    language: Language


@dataclass(frozen=True)
class CitizenOf:
    """The person a case is about; ``contact`` when the event names it."""

    case_id: str
    contact: ContactInEvent | None = None


@dataclass(frozen=True)
class WorkerOf:
    """Whoever is the case's social worker when the message goes out."""

    case_id: str


@dataclass(frozen=True)
class StaffMember:
    """A worker id, window code or supervisor id, looked up in the staff directory."""

    staff_id: str


Recipient = CitizenOf | WorkerOf | StaffMember


@dataclass(frozen=True)
class Intent:
    kind: RecipientKind
    recipient: Recipient
    template: Template
    case_id: str | None
    params: Mapping[str, str] = field(default_factory=dict)


def _citizen(case_id: str, template: Template, **params: str) -> Intent:
    return Intent(
        RecipientKind.CITIZEN,
        CitizenOf(case_id),
        template,
        case_id,
        {"case_ref": short_ref(case_id), **params},
    )


def _local(moment: datetime) -> datetime:
    return moment.astimezone(TASHKENT)


def intents_for(event: Event, subject: str) -> list[Intent]:
    """The messages ``event`` (recorded in stream ``subject``) calls for."""
    match event:
        case ApplicationSubmitted():
            # The application lives in the stream of the case it opened or joined.
            case_id = subject.removeprefix("case-")
            contact = ContactInEvent(event.applicant.phone, event.applicant.language)
            return [
                Intent(
                    RecipientKind.CITIZEN,
                    CitizenOf(case_id, contact),
                    Template.APPLICATION_RECEIVED,
                    case_id,
                    {"case_ref": short_ref(case_id)},
                )
            ]
        case HomeVisitScheduled():
            at = _local(event.scheduled_for)
            return [
                _citizen(
                    event.case_id,
                    Template.VISIT_SCHEDULED,
                    date=at.date().isoformat(),
                    time=at.strftime("%H:%M"),
                )
            ]
        case PlanApproved():
            return [_citizen(event.case_id, Template.PLAN_APPROVED)]
        case ReferralAccepted():
            return [_citizen(event.case_id, Template.REFERRAL_ACCEPTED)]
        case ReferralCompleted():
            return [_citizen(event.case_id, Template.REFERRAL_COMPLETED)]
        case ReferralRejected():
            # The reason text is the provider's free text about the person:
            # only the rejection code reaches the worker's message.
            return [
                _citizen(event.case_id, Template.REFERRAL_REJECTED),
                Intent(
                    RecipientKind.SOCIAL_WORKER,
                    WorkerOf(event.case_id),
                    Template.WORKER_REFERRAL_REJECTED,
                    event.case_id,
                    {
                        "case_ref": short_ref(event.case_id),
                        "referral_ref": short_ref(event.referral_id),
                        "reason": rejection_message(event.code),
                    },
                ),
            ]
        case SocialWorkerAssigned():
            return [_assigned(event.case_id, event.social_worker_id)]
        case SocialWorkerReassigned():
            return [_assigned(event.case_id, event.to_social_worker_id)]
        case ReferralEscalated():
            return _escalated(event)
        case ReferralIssued():
            return [*_to_window(event), *_code_to_citizen(event)]
        case ReferralExpired():
            # Nobody took the referral up: the worker re-plans the item.
            return [
                Intent(
                    RecipientKind.SOCIAL_WORKER,
                    WorkerOf(event.case_id),
                    Template.WORKER_REFERRAL_EXPIRED,
                    event.case_id,
                    {
                        "case_ref": short_ref(event.case_id),
                        "referral_ref": short_ref(event.referral_id),
                    },
                )
            ]
        case TemporaryHousingEndingSoon():
            return _housing_ending(event)
    return []


def _housing_ending(event: TemporaryHousingEndingSoon) -> list[Intent]:
    # The last day of the registration, and nothing of where: the SMS may be read by others.
    last_day = event.valid_until.isoformat()
    return [
        _citizen(event.case_id, Template.HOUSING_ENDING, date=last_day),
        Intent(
            RecipientKind.SOCIAL_WORKER,
            WorkerOf(event.case_id),
            Template.WORKER_HOUSING_ENDING,
            event.case_id,
            {
                "case_ref": short_ref(event.case_id),
                "registration_ref": short_ref(event.registration_id),
                "date": last_day,
            },
        ),
    ]


def _assigned(case_id: str, worker_id: str) -> Intent:
    return Intent(
        RecipientKind.SOCIAL_WORKER,
        StaffMember(worker_id),
        Template.CASE_ASSIGNED,
        case_id,
        {"case_ref": short_ref(case_id)},
    )


def _escalated(event: ReferralEscalated) -> list[Intent]:
    refs = {"case_ref": short_ref(event.case_id), "referral_ref": short_ref(event.referral_id)}
    level = str(event.escalation_level)
    intents = [
        Intent(
            RecipientKind.SOCIAL_WORKER,
            WorkerOf(event.case_id),
            Template.WORKER_REFERRAL_ESCALATED,
            event.case_id,
            {**refs, "level": level},
        )
    ]
    if event.escalated_to:
        intents.append(
            Intent(
                RecipientKind.SUPERVISOR,
                StaffMember(event.escalated_to),
                Template.SUPERVISOR_REFERRAL_ESCALATED,
                event.case_id,
                {**refs, "level": level, "overdue_hours": str(event.overdue_minutes // 60)},
            )
        )
    return intents


def _code_to_citizen(event: ReferralIssued) -> list[Intent]:
    # The code is what the citizen shows at the provider, whichever provider
    # it is; a referral issued again after a revision (``replaces``) has a
    # code of its own, so it is told too. Referrals from before codes existed
    # carry none and are not told: nothing to show.
    if event.referral_code is None:
        return []
    return [
        _citizen(
            event.case_id,
            Template.REFERRAL_ISSUED,
            service=event.service_code,
            referral_code=event.referral_code,
        )
    ]


def _to_window(event: ReferralIssued) -> list[Intent]:
    # A window referral is issued and delivered in one commit, so "issued"
    # is the moment it lands in the window's queue; it also names the window,
    # which ReferralDelivered does not.
    destination = event.destination
    if destination.provider_type is not ProviderType.SOCIAL_SERVICE_WINDOW:
        return []
    if not destination.window:
        return []
    return [
        Intent(
            RecipientKind.WINDOW,
            StaffMember(destination.window),
            Template.WINDOW_REFERRAL_RECEIVED,
            event.case_id,
            {
                "referral_ref": short_ref(event.referral_id),
                # The name for the reader, the code as the window's registers know it.
                "service": event.service_code,
                "service_code": event.service_code,
                "accept_by": _local(event.accept_by).date().isoformat(),
            },
        )
    ]
