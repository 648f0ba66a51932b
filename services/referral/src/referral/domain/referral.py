"""A referral's lifecycle as a state machine: pure decisions over its events, no I/O.

    issued -> delivered -> accepted -> started -> completed
       \\-------\\-----------\\-> rejected (back to the worker for re-planning)
    any open state -> cancelled;  issued or delivered -> expired

``evolve`` folds the events of stream ``referral-<referral_id>`` into a
:class:`Referral`; :func:`decide` answers a staff or plan command with new
events or raises :class:`IllegalTransition`; :func:`decide_deadline` answers
the passing of time (escalation, expiry).

A command repeated in the state it leads to, by the actor who gave it and
with the same words, is answered with no events, not an error: a window's
tablet that retries after a lost answer must not be told its own acceptance
was illegal. The same step by someone else, or with another note, is
refused with the current state and who acted: their note would otherwise be
dropped without a word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from inson_contracts.codes.service_model import ProviderType
from inson_contracts.events import Event
from inson_contracts.events.referral import (
    CancellationReason,
    Destination,
    ReferralAccepted,
    ReferralCancelled,
    ReferralCompleted,
    ReferralDelivered,
    ReferralEscalated,
    ReferralExpired,
    ReferralIssued,
    ReferralRejected,
    ReferralStarted,
    RejectionCode,
)
from inson_contracts.events.values import Actor, Priority

from referral.domain.codes import referral_code
from referral.domain.deadlines import due_level, target_period


class Status(StrEnum):
    ISSUED = "issued"
    DELIVERED = "delivered"  # visible in the destination's queue
    ACCEPTED = "accepted"
    STARTED = "started"  # in progress
    COMPLETED = "completed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


AWAITING_ACCEPTANCE = frozenset({Status.ISSUED, Status.DELIVERED})
OPEN = AWAITING_ACCEPTANCE | {Status.ACCEPTED, Status.STARTED}
CLOSED = frozenset(Status) - OPEN
# Closed without the service: a revision that keeps the item issues it again.
NOT_SERVED = frozenset({Status.REJECTED, Status.EXPIRED, Status.CANCELLED})


class UnknownReferral(LookupError):
    """No referral was issued under this id."""


@dataclass(frozen=True)
class Acted:
    """Who moved the referral into its current state, when, and what they said
    (note, outcome, or rejection code and reason): a repeat is told apart by it."""

    by: Actor | None
    at: datetime
    said: tuple[object, ...] = ()


class IllegalTransition(Exception):
    """The command is not allowed in the referral's current state (HTTP 409).

    ``acted`` says who moved it there and when (None for the plan or the clock).
    """

    def __init__(
        self, referral_id: str, status: Status, action: str, acted: Acted | None = None
    ) -> None:
        by = f" by {acted.by.id}" if acted is not None and acted.by is not None else ""
        if status.value == action:
            message = f"referral {referral_id} was already {action}{by}"
        else:
            message = f"referral {referral_id} is {status}{by}: it cannot be {action}"
        super().__init__(message)
        self.referral_id = referral_id
        self.status = status
        self.action = action
        self.acted = acted


@dataclass(frozen=True)
class Referral:
    referral_id: str
    version: int = 0
    status: Status | None = None
    issued: ReferralIssued | None = None
    escalation_level: int = 0
    acted: Acted | None = None

    @property
    def destination(self) -> Destination | None:
        return self.issued.destination if self.issued else None


def evolve(referral: Referral, event: Event) -> Referral:
    referral = replace(referral, version=referral.version + 1)
    match event:
        case ReferralIssued():
            acted = Acted(None, event.issued_at)
            return replace(referral, status=Status.ISSUED, issued=event, acted=acted)
        case ReferralEscalated():
            level = max(referral.escalation_level, event.escalation_level)
            return replace(referral, escalation_level=level)
    status = _STATUS_AFTER.get(type(event))
    if status is None:
        return referral
    return replace(referral, status=status, acted=_acted(event))


def _acted(event: Event) -> Acted | None:
    match event:
        case ReferralDelivered(delivered_at=at) | ReferralExpired(expired_at=at):
            return Acted(None, at)
        case ReferralAccepted(accepted_by=by, accepted_at=at, note=note):
            return Acted(by, at, (note,))
        case ReferralRejected(rejected_by=by, rejected_at=at, code=code, reason=reason):
            return Acted(by, at, (code, reason))
        case ReferralStarted(started_by=by, started_at=at, note=note):
            return Acted(by, at, (note,))
        case ReferralCompleted(completed_by=by, completed_at=at, outcome=outcome):
            return Acted(by, at, (outcome,))
        case ReferralCancelled(cancelled_by=by, cancelled_at=at, reason=reason):
            return Acted(by, at, (reason,))
    return None  # pragma: no cover - every status-changing event is listed above


_STATUS_AFTER: Mapping[type[Event], Status] = MappingProxyType(
    {
        ReferralDelivered: Status.DELIVERED,
        ReferralAccepted: Status.ACCEPTED,
        ReferralRejected: Status.REJECTED,
        ReferralStarted: Status.STARTED,
        ReferralCompleted: Status.COMPLETED,
        ReferralCancelled: Status.CANCELLED,
        ReferralExpired: Status.EXPIRED,
    }
)


def replay(referral_id: str, events: Iterable[Event]) -> Referral:
    referral = Referral(referral_id)
    for event in events:
        referral = evolve(referral, event)
    return referral


@dataclass(frozen=True)
class Issue:
    """Turn a plan item into a referral to a concrete destination."""

    case_id: str
    plan_id: str
    plan_version: int
    item_id: str
    service_code: str
    priority: Priority
    destination: Destination
    at: datetime
    # The refused, expired or cancelled referral of the item this one issues again.
    replaces: str | None = None


def decide_issue(referral: Referral, issue: Issue) -> list[Event]:
    if referral.issued is not None:
        return []  # a redelivered plan: issued the first time
    accept_by = issue.at + target_period(issue.service_code, issue.priority)
    issued = ReferralIssued(
        referral_id=referral.referral_id,
        case_id=issue.case_id,
        plan_id=issue.plan_id,
        plan_version=issue.plan_version,
        item_id=issue.item_id,
        service_code=issue.service_code,
        priority=issue.priority,
        destination=issue.destination,
        accept_by=accept_by,
        issued_at=issue.at,
        referral_code=referral_code(referral.referral_id),
        replaces=issue.replaces,
    )
    if issue.destination.provider_type is ProviderType.SOCIAL_SERVICE_WINDOW:
        # Written with the issue, so the window's queue shows it as soon as
        # the referral exists: there is no later moment it "arrives".
        delivered = ReferralDelivered(
            referral_id=referral.referral_id, case_id=issue.case_id, delivered_at=issue.at
        )
        return [issued, delivered]
    return [issued]


def issued_again(referral: Referral, plan_version: int) -> bool:
    """Whether plan version ``plan_version``, keeping the referral's item, issues it again.

    Only a referral closed without the service, and only by a version newer
    than the one it was issued under: the same plan event read twice never
    issues a round twice.
    """
    issued = referral.issued
    return (
        issued is not None and referral.status in NOT_SERVED and issued.plan_version < plan_version
    )


@dataclass(frozen=True)
class Accept:
    actor: Actor
    at: datetime
    note: str | None = None


@dataclass(frozen=True)
class Reject:
    code: RejectionCode
    reason: str
    actor: Actor
    at: datetime


@dataclass(frozen=True)
class Start:
    actor: Actor
    at: datetime
    note: str | None = None


@dataclass(frozen=True)
class Complete:
    actor: Actor
    at: datetime
    outcome: str | None = None


@dataclass(frozen=True)
class Cancel:
    reason: CancellationReason
    at: datetime
    actor: Actor | None = None  # absent when a plan change decides it


Command = Accept | Reject | Start | Complete | Cancel


def _says(command: Command) -> tuple[object, ...]:
    """What a staff command says, as :class:`Acted` keeps it for the step it led to."""
    match command:
        case Accept(note=note) | Start(note=note):
            return (note,)
        case Reject(code=code, reason=reason):
            return (code, reason)
        case Complete(outcome=outcome):
            return (outcome,)
        case Cancel(reason=reason):
            return (reason,)
    raise TypeError(f"not a referral command: {command!r}")  # pragma: no cover


def _repeats(acted: Acted | None, command: Command) -> bool:
    """Whether ``command`` is the step that was taken, by the same actor, saying the same."""
    if isinstance(command, Cancel):
        return True  # a plan change withdraws once, whoever asks again
    if acted is None or acted.by is None:
        return False
    return acted.by.id == command.actor.id and acted.said == _says(command)


# The state machine: from which states each command may be given, and the
# state it leads to. A provider may still refuse a referral it accepted,
# until the service has started; a plan change withdraws any open referral.
ALLOWED_FROM: Mapping[type[Command], frozenset[Status]] = MappingProxyType(
    {
        Accept: AWAITING_ACCEPTANCE,
        Reject: AWAITING_ACCEPTANCE | {Status.ACCEPTED},
        Start: frozenset({Status.ACCEPTED}),
        Complete: frozenset({Status.STARTED}),
        Cancel: OPEN,
    }
)
LEADS_TO: Mapping[type[Command], Status] = MappingProxyType(
    {
        Accept: Status.ACCEPTED,
        Reject: Status.REJECTED,
        Start: Status.STARTED,
        Complete: Status.COMPLETED,
        Cancel: Status.CANCELLED,
    }
)


def decide(referral: Referral, command: Command) -> list[Event]:
    if referral.issued is None or referral.status is None:
        raise UnknownReferral(referral.referral_id)
    kind = type(command)
    action = LEADS_TO[kind].value
    if referral.status is LEADS_TO[kind]:
        if _repeats(referral.acted, command):
            return []
        raise IllegalTransition(referral.referral_id, referral.status, action, referral.acted)
    if referral.status not in ALLOWED_FROM[kind]:
        raise IllegalTransition(referral.referral_id, referral.status, action, referral.acted)
    ids = {"referral_id": referral.referral_id, "case_id": referral.issued.case_id}
    match command:
        case Accept(actor=actor, at=at, note=note):
            return [ReferralAccepted(**ids, accepted_by=actor, note=note, accepted_at=at)]
        case Reject(code=code, reason=reason, actor=actor, at=at):
            return [
                ReferralRejected(**ids, code=code, reason=reason, rejected_by=actor, rejected_at=at)
            ]
        case Start(actor=actor, at=at, note=note):
            return [ReferralStarted(**ids, started_by=actor, note=note, started_at=at)]
        case Complete(actor=actor, at=at, outcome=outcome):
            return [ReferralCompleted(**ids, completed_by=actor, outcome=outcome, completed_at=at)]
        case Cancel(reason=reason, at=at, actor=actor):
            return [ReferralCancelled(**ids, reason=reason, cancelled_by=actor, cancelled_at=at)]
    raise TypeError(f"not a referral command: {command!r}")  # pragma: no cover


def decide_deadline(
    referral: Referral,
    now: datetime,
    expire_after: timedelta,
    *,
    supervisor_of: Callable[[str], str],
) -> list[Event]:
    """Escalate a referral not accepted in time; expire one never taken up.

    Only a referral still awaiting acceptance has a deadline. After a long
    outage the level jumps to the one the delay has reached, instead of
    sending the supervisor every missed level at once. ``supervisor_of``
    gives the id of a district's Inson-center supervisor, from the staff
    directory (never made up here: an id nobody holds would reach nobody).
    """
    issued = referral.issued
    if issued is None or referral.status not in AWAITING_ACCEPTANCE:
        return []
    ids = {"referral_id": referral.referral_id, "case_id": issued.case_id}
    if now >= issued.issued_at + expire_after:
        return [ReferralExpired(**ids, expired_at=now)]
    level = due_level(issued.issued_at, issued.accept_by, now)
    if level <= referral.escalation_level:
        return []
    district = issued.destination.district
    overdue = int((now - issued.accept_by).total_seconds() // 60)
    return [
        ReferralEscalated(
            **ids,
            district=district,
            accept_by=issued.accept_by,
            overdue_minutes=overdue,
            escalation_level=level,
            escalated_to=supervisor_of(district),
            escalated_at=now,
        )
    ]
