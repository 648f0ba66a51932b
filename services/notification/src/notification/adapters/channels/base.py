"""What the channels share: the one for a channel nobody set up, and which HTTP answers to retry."""

from __future__ import annotations

from inson_contracts.events.notification import MessageChannel

from notification.domain.outgoing import DeliveryError, OutgoingMessage


class Unconfigured:
    """A channel nobody set up: every message fails at once, visibly."""

    def __init__(self, kind: MessageChannel) -> None:
        self.kind = kind

    async def send(self, message: OutgoingMessage) -> str | None:
        raise DeliveryError(f"the {self.kind} channel is not configured", retryable=False)


def retryable_status(status: int) -> bool:
    """HTTP answers worth trying again: the provider is busy or broken, not refusing."""
    return status in (408, 425, 429) or status >= 500
