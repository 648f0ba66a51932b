"""Messages the platform sent to citizens, social workers and windows.

Stream: ``notification-<notification_id>``. Message text is not kept in the
event: it may hold personal data and can be rebuilt from the template.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from inson_contracts.codes.names import Language
from inson_contracts.events.base import REGISTRY, Event, personal
from inson_contracts.events.values import Id
from inson_contracts.topics import NOTIFICATIONS


class RecipientKind(StrEnum):
    CITIZEN = "citizen"
    SOCIAL_WORKER = "social_worker"
    WINDOW = "window"
    SUPERVISOR = "supervisor"


class MessageChannel(StrEnum):
    SMS = "sms"
    EMAIL = "email"
    TELEGRAM = "telegram"


class NotificationEvent(Event):
    TOPIC: ClassVar[str] = NOTIFICATIONS.name

    notification_id: Id
    case_id: Id | None = None
    cause_event_id: str = Field(
        min_length=1, max_length=64, description="The event that caused it."
    )
    recipient_kind: RecipientKind
    recipient: str = personal(
        min_length=1, max_length=128, description="Phone, address or chat id it went to."
    )
    channel: MessageChannel
    template: str = Field(min_length=1, max_length=64)
    language: Language


class NotificationSent(NotificationEvent):
    """The channel's provider accepted the message for delivery."""

    TYPE: ClassVar[str] = "uz.inson.notification.message.sent.v1"

    provider_message_id: str | None = Field(default=None, max_length=128)
    attempts: int = Field(ge=1)
    sent_at: datetime


class NotificationFailed(NotificationEvent):
    """Delivery failed; ``final`` when no further attempt will be made."""

    TYPE: ClassVar[str] = "uz.inson.notification.message.failed.v1"

    reason: str = Field(min_length=1, max_length=300)
    attempts: int = Field(ge=1)
    final: bool
    failed_at: datetime


REGISTRY.register(NotificationSent, NotificationFailed)
