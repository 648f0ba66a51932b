"""A message as it leaves the platform, and the one interface every channel offers.

The channels themselves (SMS gateway, chat bot, SMTP relay) are adapters;
what they take, what they answer and how they refuse is said here, so the
notifier and every channel speak of the same thing. So is the question every
message to a citizen asks last, right before it leaves: was the person erased?
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from inson_contracts.events.notification import MessageChannel

# The reason a message to an erased person is given up with (NotificationFailed, final).
WITHHELD = "withheld: the person was erased"


@dataclass(frozen=True)
class OutgoingMessage:
    # Unique per message: providers that deduplicate get it as an idempotency key.
    notification_id: str
    address: str
    text: str
    subject: str
    # The case whose citizen it goes to (their key id); None for staff, whose
    # messages about a case carry no personal data and outlive its erasure.
    person: str | None = None


class DeliveryError(Exception):
    """The channel did not take the message.

    ``reason`` goes into NotificationFailed and logs, so it names what went
    wrong (a status code, an error class) and never the address or text.
    """

    def __init__(self, reason: str, *, retryable: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


class Withheld(DeliveryError):
    """The message's person was erased: it must not leave, now or ever."""

    def __init__(self) -> None:
        super().__init__(WITHHELD, retryable=False)


class Channel(Protocol):
    kind: MessageChannel

    async def send(self, message: OutgoingMessage) -> str | None:
        """Hand the message to the provider; its message id if it gives one."""
        ...


class Erasures(Protocol):
    """Whether a person was erased, asked of the key store itself (never a cache).

    The key is destroyed first, before the erasure event exists, so this is
    the earliest an erasure can be seen anywhere.
    """

    async def erased(self, kid: str, /) -> bool: ...
