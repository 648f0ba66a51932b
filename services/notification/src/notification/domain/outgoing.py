"""A message as it leaves the platform, and the one interface every channel offers.

The channels themselves (SMS gateway, chat bot, SMTP relay) are adapters;
what they take, what they answer and how they refuse is said here, so the
notifier and every channel speak of the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from inson_contracts.events.notification import MessageChannel


@dataclass(frozen=True)
class OutgoingMessage:
    # Unique per message: providers that deduplicate get it as an idempotency key.
    notification_id: str
    address: str
    text: str
    subject: str


class DeliveryError(Exception):
    """The channel did not take the message.

    ``reason`` goes into NotificationFailed and logs, so it names what went
    wrong (a status code, an error class) and never the address or text.
    """

    def __init__(self, reason: str, *, retryable: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


class Channel(Protocol):
    kind: MessageChannel

    async def send(self, message: OutgoingMessage) -> str | None:
        """Hand the message to the provider; its message id if it gives one."""
        ...
