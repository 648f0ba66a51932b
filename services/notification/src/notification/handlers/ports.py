"""What the handlers need besides the event store, as Protocols.

The MongoDB implementations live in ``notification.adapters`` and the
in-memory fakes in the service's unit tests. The channels' interface
(``domain/outgoing.py``) sits in the domain instead, because the channel
adapters wrap one another (the rate limiter wraps a gateway) and adapters
may not import handlers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Mapping
from datetime import datetime
from typing import Any, Protocol

from inson_contracts.envelope import Envelope
from inson_contracts.events.notification import MessageChannel, RecipientKind

from notification.domain.deliveries import (
    Delivery,
    LoggedDelivery,
    Outcome,
    Parked,
    Status,
    Target,
)
from notification.domain.destinations import Refused
from notification.domain.purposes import Known, Said
from notification.domain.rules import Intent
from notification.domain.sharing import DataSharing
from notification.domain.subscriptions import Subscription
from notification.domain.webhooks import Entry, State


class DeliveryLog(Protocol):
    """One entry per message, written before it is sent (see ``adapters/deliveries.py``)."""

    async def planned(self, cause_event_id: str, kind: RecipientKind) -> bool:
        """True if the event already has a message for this kind of recipient."""
        ...

    async def insert(self, delivery: Delivery, now: datetime, lease_s: float) -> bool:
        """Write the entry as ``sending``; False if it existed."""
        ...

    async def claim_due(self, now: datetime, lease_s: float) -> Delivery | None:
        """Take one entry whose retry is due or whose sender's lease ran out."""
        ...

    async def settle(
        self, delivery: Delivery, status: Status, outcome: Outcome, due_at: datetime | None
    ) -> bool:
        """Record an attempt's result; False if another claim overtook this one."""
        ...

    async def get(self, delivery_id: str) -> LoggedDelivery | None: ...

    async def unrecorded(self, older_than: datetime, limit: int = 100) -> list[LoggedDelivery]:
        """Entries with outcomes not yet recorded as events, last touched before ``older_than``."""
        ...

    async def mark_recorded(self, delivery_id: str, count: int) -> None: ...

    async def erase_case(self, case_id: str, now: datetime) -> int:
        """Delete the citizen's addresses and parameters; what still waits is due at once."""
        ...

    async def scrub(self, delivery_id: str) -> None:
        """Delete one entry's address and parameters (its person was erased)."""
        ...

    async def hold(self, delivery: Delivery, now: datetime) -> bool:
        """Park a claimed entry as ``held`` (its channel is not configured), attempt uncounted."""
        ...

    async def release_held(
        self, channels: Collection[MessageChannel], now: datetime, held_since: datetime
    ) -> int:
        """Make held entries of these channels, written since ``held_since``, due at once."""
        ...

    async def claim_expired_held(
        self, held_before: datetime, now: datetime, lease_s: float
    ) -> Delivery | None:
        """Take one held entry written before ``held_before``, as an attempt, to give it up."""
        ...


class DeferredEvents(Protocol):
    """Events whose recipient the read model does not know yet, waiting for it."""

    async def park(self, envelope: Envelope, now: datetime, wait_s: float) -> None: ...

    async def due(self, now: datetime, limit: int = 100) -> list[Parked]: ...

    async def later(self, event_id: str, at: datetime) -> None: ...

    async def drop(self, event_id: str) -> None: ...

    async def erase_case(self, case_id: str) -> int: ...


class Recipients(Protocol):
    async def resolve(self, intent: Intent) -> Target | None:
        """Where to reach the intent's recipient; None if they have no contact point.

        Raises ``NotKnownYet`` while the read model has not seen them.
        """
        ...


class Subscriptions(Protocol):
    async def add(self, subscription: Subscription) -> None: ...

    async def page(
        self, owner: str | None, *, skip: int, limit: int
    ) -> tuple[list[Subscription], int]:
        """One page of ``owner``'s subscriptions, oldest first (every partner's with None)."""
        ...

    async def get(self, subscription_id: str, owner: str | None = None) -> Subscription | None:
        """The subscription; with ``owner``, only if it is theirs."""
        ...

    async def delete(self, subscription_id: str, owner: str) -> bool: ...

    async def set_sharing(self, subscription_id: str, sharing: DataSharing) -> Subscription | None:
        """The subscription with its new data-sharing level; None if there is none."""
        ...

    async def matching(self, envelope: Envelope) -> list[Subscription]:
        """Subscriptions whose types and area cover the event, made before it happened
        (their purpose is checked by the caller)."""
        ...


class PartnerQueues(Protocol):
    """A subscription's deliveries, as its partner sees and steers them."""

    async def counts(self, subscription_id: str) -> dict[str, int]: ...

    async def page(
        self, subscription_id: str, state: State | None, *, skip: int, limit: int
    ) -> tuple[list[Entry], int]: ...

    async def forget(self, subscription_id: str) -> None: ...


class WebhookQueues(Protocol):
    """Events kept for partners and the per-(subscription, stream) queues the worker drains."""

    async def remember(self, envelope: Envelope) -> None: ...

    async def enqueue(
        self, subscription: Subscription, envelope: Envelope, now: datetime
    ) -> None: ...

    def events_since(self, since: datetime) -> AsyncIterator[Envelope]:
        """Every event kept for partners since ``since``, oldest first (stored sealed)."""
        ...

    async def requeue(self, subscription: Subscription, envelope: Envelope, now: datetime) -> None:
        """Queue the event again for the subscription, whatever became of it before."""
        ...

    async def release(self, subscription_id: str, now: datetime) -> None:
        """Dead and blocked deliveries of the subscription are tried again from now."""
        ...

    async def envelope(self, event_id: str) -> dict[str, Any] | None:
        """The event as stored (sealed), in structured CloudEvents form."""
        ...

    async def due_queues(self, now: datetime, limit: int = 500) -> list[tuple[str, str]]: ...

    async def head(self, subscription_id: str, subject: str) -> Entry | None: ...

    async def hold_behind(self, head: Entry, until: datetime | None) -> None: ...

    async def claim(self, head: Entry, now: datetime, lease_s: float) -> Entry | None:
        """Take the head's next attempt for this process: the head as claimed (its
        ``attempts`` those made before), or None if it is not due or somebody holds it."""
        ...

    async def delivered(self, head: Entry, now: datetime) -> None: ...

    async def failed(
        self,
        head: Entry,
        now: datetime,
        first_attempt_at: datetime,
        retry_at: datetime | None,
        error: str,
    ) -> None: ...


class Webhooks(Protocol):
    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> str | None:
        """None when the partner took it, else what went wrong."""
        ...


class CaseFacts(Protocol):
    """What events said of each case's and referral's purpose (``domain/purposes.py``)."""

    async def learn(self, said: Said) -> None:
        """Add what an event says; what was known stays (facts only grow)."""
        ...

    async def known(self, said: Said) -> Known:
        """What is known of the event's case and referral."""
        ...


class Destinations(Protocol):
    async def refusal(self, url: str) -> Refused | None:
        """Why webhooks may not go to ``url`` (its host resolved now); None if they may."""
        ...


class PersonalData(Protocol):
    async def open(self, event_type: str, data: dict[str, Any]) -> dict[str, Any]:
        """The event's data with its personal fields opened (absent after an erasure)."""
        ...
