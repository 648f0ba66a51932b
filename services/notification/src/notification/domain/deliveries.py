"""The delivery log's language: one message to one recipient, and how its attempts went.

A :class:`Delivery` is written before its message is sent (status
``sending``, with a lease), each attempt's :class:`Outcome` is pushed onto it,
and outcomes become NotificationSent / NotificationFailed events afterwards
(``recorded`` counts those already events). A message for a channel nobody
configured is ``held``: no attempt is made or counted until the channel is
configured (see ``handlers/messages.py``). A :class:`Target` is where a
recipient is reached; an event whose recipient the read model does not know
yet is :class:`Parked` until it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from inson_contracts.codes.names import Language
from inson_contracts.envelope import Envelope
from inson_contracts.events.notification import MessageChannel, RecipientKind

from notification.domain.templates import Template


class Status(StrEnum):
    SENDING = "sending"
    SENT = "sent"
    RETRYING = "failed-retryable"
    FAILED = "failed"
    # Waiting for its channel to be configured; not an attempt, not a failure.
    HELD = "held"


@dataclass(frozen=True)
class Outcome:
    attempt: int
    at: datetime
    sent: bool
    final: bool
    reason: str | None = None
    provider_message_id: str | None = None


@dataclass(frozen=True)
class Delivery:
    id: str
    cause_event_id: str
    cause_type: str
    case_id: str | None
    correlation_id: str | None
    region: str | None
    district: str | None
    kind: RecipientKind
    recipient_ref: str
    channel: MessageChannel
    address: str
    language: Language
    template: Template
    params: dict[str, str]
    attempts: int = 1


@dataclass(frozen=True)
class LoggedDelivery:
    """A delivery with its attempts so far, and how many of them are events already."""

    delivery: Delivery
    outcomes: tuple[Outcome, ...]
    recorded: int

    @property
    def unrecorded(self) -> tuple[Outcome, ...]:
        return self.outcomes[self.recorded :]


@dataclass(frozen=True)
class Target:
    ref: str  # who: a case id for a citizen, a staff id for staff
    channel: MessageChannel
    address: str
    language: Language


class NotKnownYet(Exception):
    """The read model has not seen the case (or its worker) yet: ask again later."""


@dataclass(frozen=True)
class Parked:
    """An event waiting for its recipient to become known, until ``give_up_at``."""

    envelope: Envelope
    give_up_at: datetime
