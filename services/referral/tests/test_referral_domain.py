"""The referral's state machine and deadlines, decided purely: every command from every state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from inson_contracts.codes.service_model import ProviderType
from inson_contracts.codes.services import SERVICES, service
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
from referral.domain.deadlines import due_level, escalation_due_at, target_period
from referral.domain.referral import (
    ALLOWED_FROM,
    LEADS_TO,
    Accept,
    Cancel,
    Command,
    Complete,
    IllegalTransition,
    Issue,
    Referral,
    Reject,
    Start,
    Status,
    UnknownReferral,
    decide,
    decide_deadline,
    decide_issue,
    replay,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
OPERATOR = Actor(id="op-1", role="window_operator")
WINDOW = Destination(
    provider_type=ProviderType.SOCIAL_SERVICE_WINDOW,
    district="1735207",
    service_center="psc-1735207",
    window="psc-1735207-w1",
)
EXPIRE = timedelta(days=30)


def SUPERVISOR_OF(district: str) -> str:  # noqa: N802 (a constant-like stand-in)
    return f"supervisor-of-{district}"


ROUTINE_WINDOW_SERVICE = "CASH-01"


def issue(
    destination: Destination = WINDOW,
    priority: Priority = Priority.ROUTINE,
    service_code: str = ROUTINE_WINDOW_SERVICE,
) -> Issue:
    return Issue(
        case_id="case-1",
        plan_id="plan-1",
        plan_version=1,
        item_id="item-1",
        service_code=service_code,
        priority=priority,
        destination=destination,
        at=NOW,
    )


def issued_events() -> list[Event]:
    return decide_issue(Referral("r1"), issue())


COMMANDS: dict[str, Command] = {
    "accept": Accept(OPERATOR, NOW),
    "reject": Reject(RejectionCode.NOT_ELIGIBLE, "income above the threshold", OPERATOR, NOW),
    "start": Start(OPERATOR, NOW),
    "complete": Complete(OPERATOR, NOW, "delivered"),
    "cancel": Cancel(CancellationReason.PLAN_REVISED, NOW),
}
EVENT_OF: dict[str, type[Event]] = {
    "accept": ReferralAccepted,
    "reject": ReferralRejected,
    "start": ReferralStarted,
    "complete": ReferralCompleted,
    "cancel": ReferralCancelled,
}
# The shortest way into each state, from a delivered window referral.
PATH: dict[Status, list[str]] = {
    Status.DELIVERED: [],
    Status.ACCEPTED: ["accept"],
    Status.STARTED: ["accept", "start"],
    Status.COMPLETED: ["accept", "start", "complete"],
    Status.REJECTED: ["reject"],
    Status.CANCELLED: ["cancel"],
}


def history(status: Status) -> list[Event]:
    """The events that lead a window referral into ``status``."""
    events = issued_events()
    if status is Status.ISSUED:
        return events[:1]
    if status is Status.EXPIRED:
        return [
            *events,
            *decide_deadline(
                replay("r1", events), NOW + EXPIRE, EXPIRE, supervisor_of=SUPERVISOR_OF
            ),
        ]
    for step in PATH[status]:
        events += decide(replay("r1", events), COMMANDS[step])
    return events


def in_state(status: Status) -> Referral:
    referral = replay("r1", history(status))
    assert referral.status is status
    return referral


CASES = [(status, name) for status in Status for name in COMMANDS]


@pytest.mark.parametrize(("status", "command"), CASES, ids=[f"{s}-{c}" for s, c in CASES])
def test_every_command_from_every_state(status: Status, command: str) -> None:
    referral = in_state(status)
    kind = type(COMMANDS[command])

    if status is LEADS_TO[kind]:
        assert decide(referral, COMMANDS[command]) == []  # a retry changes nothing
    elif status in ALLOWED_FROM[kind]:
        events = decide(referral, COMMANDS[command])
        assert [type(e) for e in events] == [EVENT_OF[command]]
        assert replay("r1", [*history(status), *events]).status is LEADS_TO[kind]
    else:
        with pytest.raises(IllegalTransition) as refused:
            decide(referral, COMMANDS[command])
        assert refused.value.status is status


def test_the_table_is_the_issue_s_lifecycle() -> None:
    assert ALLOWED_FROM[Accept] == {Status.ISSUED, Status.DELIVERED}
    assert ALLOWED_FROM[Start] == {Status.ACCEPTED}
    assert ALLOWED_FROM[Complete] == {Status.STARTED}
    assert Status.COMPLETED not in ALLOWED_FROM[Cancel]
    assert Status.STARTED not in ALLOWED_FROM[Reject]


def test_a_command_for_a_referral_never_issued_is_unknown() -> None:
    with pytest.raises(UnknownReferral):
        decide(Referral("nope"), COMMANDS["accept"])


def test_a_window_referral_is_delivered_in_the_same_decision_as_its_issue() -> None:
    events = issued_events()
    assert [type(e) for e in events] == [ReferralIssued, ReferralDelivered]
    issued = events[0]
    assert isinstance(issued, ReferralIssued)
    assert issued.accept_by == NOW + timedelta(days=service(ROUTINE_WINDOW_SERVICE).target_days)
    assert replay("r1", events).status is Status.DELIVERED
    assert decide_issue(replay("r1", events), issue()) == []  # a redelivered plan


def test_another_provider_s_referral_waits_issued() -> None:
    inson = Destination(
        provider_type=ProviderType.INSON_CENTER, district="1735207", provider="inson-1735207"
    )
    events = decide_issue(Referral("r1"), issue(inson))
    assert [type(e) for e in events] == [ReferralIssued]
    referral = replay("r1", events)
    assert referral.status is Status.ISSUED
    assert [type(e) for e in decide(referral, COMMANDS["accept"])] == [ReferralAccepted]


@pytest.mark.parametrize(
    ("priority", "catalogue_days", "days"),
    [
        (Priority.ROUTINE, 10, 10),
        (Priority.URGENT, 10, 3),
        (Priority.EMERGENCY, 10, 1),
        (Priority.URGENT, 1, 1),  # never looser than the catalogue
    ],
)
def test_the_target_period_follows_priority_within_the_catalogue(
    priority: Priority, catalogue_days: int, days: int
) -> None:
    code = next(s.code for s in SERVICES if s.target_days == catalogue_days)
    assert target_period(code, priority) == timedelta(days=days)


def test_escalation_levels_fall_due_one_target_period_apart() -> None:
    issued_at, accept_by = NOW, NOW + timedelta(days=3)
    assert due_level(issued_at, accept_by, accept_by - timedelta(seconds=1)) == 0
    assert due_level(issued_at, accept_by, accept_by) == 1
    assert due_level(issued_at, accept_by, accept_by + timedelta(days=3)) == 2
    assert escalation_due_at(issued_at, accept_by, 1) == accept_by + timedelta(days=3)


def test_a_late_referral_is_escalated_once_per_level_as_the_clock_moves() -> None:
    events = issued_events()
    referral = replay("r1", events)
    issued = events[0]
    assert isinstance(issued, ReferralIssued)
    period = issued.accept_by - issued.issued_at

    assert (
        decide_deadline(
            referral, issued.accept_by - timedelta(minutes=1), EXPIRE, supervisor_of=SUPERVISOR_OF
        )
        == []
    )
    first = decide_deadline(
        referral, issued.accept_by + timedelta(minutes=90), EXPIRE, supervisor_of=SUPERVISOR_OF
    )
    assert len(first) == 1 and isinstance(first[0], ReferralEscalated)
    assert first[0].escalation_level == 1 and first[0].overdue_minutes == 90
    assert first[0].escalated_to == "supervisor-of-1735207" and first[0].district == "1735207"

    referral = replay("r1", [*events, *first])
    assert (
        decide_deadline(
            referral, issued.accept_by + timedelta(hours=5), EXPIRE, supervisor_of=SUPERVISOR_OF
        )
        == []
    )
    second = decide_deadline(
        referral, issued.accept_by + period, EXPIRE, supervisor_of=SUPERVISOR_OF
    )
    assert isinstance(second[0], ReferralEscalated) and second[0].escalation_level == 2


def test_after_an_outage_the_level_jumps_to_the_one_reached() -> None:
    events = decide_issue(Referral("r1"), issue(priority=Priority.EMERGENCY))
    issued = events[0]
    assert isinstance(issued, ReferralIssued)
    late = decide_deadline(
        replay("r1", events),
        issued.accept_by + timedelta(days=2),
        EXPIRE,
        supervisor_of=SUPERVISOR_OF,
    )
    assert isinstance(late[0], ReferralEscalated) and late[0].escalation_level == 3


def test_a_referral_nobody_accepts_expires_and_then_has_no_deadline() -> None:
    events = issued_events()
    expired = decide_deadline(
        replay("r1", events), NOW + EXPIRE, EXPIRE, supervisor_of=SUPERVISOR_OF
    )
    assert [type(e) for e in expired] == [ReferralExpired]
    after = replay("r1", [*events, *expired])
    assert after.status is Status.EXPIRED
    assert decide_deadline(after, NOW + 2 * EXPIRE, EXPIRE, supervisor_of=SUPERVISOR_OF) == []


@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.STARTED, Status.COMPLETED])
def test_an_accepted_referral_is_never_escalated(status: Status) -> None:
    assert (
        decide_deadline(
            in_state(status), NOW + timedelta(days=20), EXPIRE, supervisor_of=SUPERVISOR_OF
        )
        == []
    )
