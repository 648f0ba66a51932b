"""A partner's webhook queue: one entry per (subscription, event), sent in stream order.

Entries of one subscription and one subject (the stream: a case, a referral)
form a queue ordered by stream version: only its head is ever sent, and the
next one only after the head was delivered, so a partner sees a case's
events strictly in order, one in flight at a time. A head that exhausted its
retry schedule (``domain/backoff.py``) is ``dead`` and the entries behind it
``blocked`` until a replay releases them: order is never bought by dropping
an event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class State(StrEnum):
    PENDING = "pending"
    DELIVERING = "delivering"
    DELIVERED = "delivered"
    DEAD = "dead"
    BLOCKED = "blocked"  # behind a dead entry of the same queue


WAITING = (State.PENDING, State.DELIVERING)


def queue_key(subscription_id: str, subject: str) -> str:
    # Subscription ids hold no "|" (they are UUIDs), so the key is unambiguous.
    return f"{subscription_id}|{subject}"


@dataclass(frozen=True)
class Entry:
    id: str
    subscription_id: str
    subject: str
    event_id: str
    event_type: str
    version: int
    time: datetime
    state: State
    due_at: datetime
    attempts: int
    first_attempt_at: datetime | None
    generation: int
    last_error: str | None = None
    delivered_at: datetime | None = None
    dead_at: datetime | None = None

    @property
    def queue(self) -> str:
        return queue_key(self.subscription_id, self.subject)

    @property
    def next_attempt_at(self) -> datetime | None:
        """When it is tried next; None once delivered, dead or blocked."""
        return self.due_at if self.state in WAITING else None
