"""One interface for every way a message leaves the platform."""

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


class Unconfigured:
    """A channel nobody set up: every message fails at once, visibly."""

    def __init__(self, kind: MessageChannel) -> None:
        self.kind = kind

    async def send(self, message: OutgoingMessage) -> str | None:
        raise DeliveryError(f"the {self.kind} channel is not configured", retryable=False)


def retryable_status(status: int) -> bool:
    """HTTP answers worth trying again: the provider is busy or broken, not refusing."""
    return status in (408, 425, 429) or status >= 500
