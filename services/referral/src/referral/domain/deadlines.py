"""When a referral must be accepted, and how overdue it is (pure).

The target period comes from the service catalogue (``target_days``) and the
plan item's priority: an emergency gets at most a day, an urgent referral at
most three, a routine one the catalogue's days. "At most", so an urgent
referral for a service whose target is one day is not loosened to three.

The catalogue counts working days; no working-day calendar is in the
reference data yet, so calendar days are used: stricter, never laxer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from inson_contracts.codes.services import EMERGENCY_DAYS, URGENT_DAYS, service
from inson_contracts.events.values import Priority


def target_period(service_code: str, priority: Priority) -> timedelta:
    """How long the provider has to accept; ``UnknownCode`` for an unlisted service."""
    days = service(service_code).target_days
    if priority is Priority.EMERGENCY:
        days = min(days, EMERGENCY_DAYS)
    elif priority is Priority.URGENT:
        days = min(days, URGENT_DAYS)
    return timedelta(days=days)


def due_level(issued_at: datetime, accept_by: datetime, now: datetime) -> int:
    """The escalation level a referral not accepted by ``now`` has reached.

    0 before ``accept_by``; 1 from then, 2 one target period later, and so on.
    The period is what the referral was given (``accept_by - issued_at``), so
    the event itself says when each level falls due.
    """
    if now < accept_by:
        return 0
    period = accept_by - issued_at
    if period <= timedelta():
        return 1
    return (now - accept_by) // period + 1


def escalation_due_at(issued_at: datetime, accept_by: datetime, level: int) -> datetime:
    """When level ``level + 1`` falls due, after escalation ``level`` was made."""
    return accept_by + (accept_by - issued_at) * level
