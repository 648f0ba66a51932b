"""The webhook delivery worker: a periodic job that drains due partner queues.

Each tick takes the queues with something due and, for each, sends the head,
then the next, while they succeed. Queues run side by side (bounded), the
entries of one queue strictly one after another. The clock is injected, so a
test can walk through a day of retries in milliseconds.

A body carries what the subscription's data-sharing level allows, as it is
when the attempt is made (``domain/sharing.py``): events are kept sealed and
opened only for a subscription that may receive named personal fields.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import datetime

import structlog
from inson_contracts.envelope import STRUCTURED_JSON
from inson_contracts.events import REGISTRY
from inson_runtime.observability.metrics import get_or_create
from inson_runtime.privacy import SealError
from prometheus_client import Counter

from notification.domain.backoff import webhook_retry_at
from notification.domain.sharing import Level, webhook_data
from notification.domain.signing import sign
from notification.domain.subscriptions import Subscription
from notification.domain.webhooks import Entry, State
from notification.handlers.ports import PersonalData, Subscriptions, WebhookQueues, Webhooks

log = structlog.get_logger(__name__)

WEBHOOKS = get_or_create(
    Counter,
    "inson_notification_webhooks_total",
    "Webhook delivery attempts by outcome (delivered, retrying, dead).",
    ("outcome",),
)
# Enough to catch a partner up quickly, few enough that one busy queue
# cannot keep a tick from ending.
_PER_QUEUE_PER_TICK = 50


def body_of(envelope: dict[str, object]) -> bytes:
    """The CloudEvent in structured JSON form, exactly as signed and sent."""
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()


class WebhookWorker:
    def __init__(
        self,
        *,
        queues: WebhookQueues,
        subscriptions: Subscriptions,
        webhooks: Webhooks,
        clock: Callable[[], datetime],
        personal_data: PersonalData,
        concurrency: int = 8,
        lease_s: float = 60.0,
    ) -> None:
        self.queues = queues
        # Events are stored sealed and opened only when sent: a partner whose
        # level allows named fields gets them while the person's key exists,
        # and an event sent (or replayed) after an erasure carries none.
        self.personal_data = personal_data
        self.subscriptions = subscriptions
        self.webhooks = webhooks
        self.clock = clock
        self.lease_s = lease_s
        self._slots = asyncio.Semaphore(concurrency)

    async def tick(self) -> None:
        queues = await self.queues.due_queues(self.clock())
        await asyncio.gather(*(self._drain(sub, subject) for sub, subject in queues))

    async def _drain(self, subscription_id: str, subject: str) -> None:
        async with self._slots:
            subscription = await self.subscriptions.get(subscription_id)
            if subscription is None:
                return  # deleted meanwhile; its queue goes with it
            for _ in range(_PER_QUEUE_PER_TICK):
                if not await self._next(subscription, subject):
                    return

    async def _next(self, subscription: Subscription, subject: str) -> bool:
        """Deliver the queue's head if it is due; True to go on with the next."""
        head = await self.queues.head(subscription.id, subject)
        if head is None:
            return False
        now = self.clock()
        if head.state is State.DEAD:
            await self.queues.hold_behind(head, None)
            return False
        if head.state is State.BLOCKED:
            return False  # released by a replay
        if head.due_at > now:
            # In flight in another replica: it settles within its lease, and
            # the entries behind it are due the moment it is delivered.
            if head.state is not State.DELIVERING:
                # Waiting for a retry: nothing behind it is due before it is.
                await self.queues.hold_behind(head, head.due_at)
            return False
        claimed = await self.queues.claim(head, now, self.lease_s)
        if claimed is None:
            return False
        head = claimed
        error = await self._post(subscription, head, now)
        if error is None:
            await self.queues.delivered(head, self.clock())
            WEBHOOKS.labels("delivered").inc()
            return True
        failed_at = self.clock()
        first = head.first_attempt_at or now
        retry_at = webhook_retry_at(first, head.attempts + 1, failed_at)
        await self.queues.failed(head, failed_at, first, retry_at, error)
        WEBHOOKS.labels("dead" if retry_at is None else "retrying").inc()
        # The URL may carry a partner's credentials: the subscription id names it.
        log.info(
            "webhook delivery failed",
            subscription_id=subscription.id,
            event_id=head.event_id,
            attempt=head.attempts + 1,
            error=error,
            dead=retry_at is None,
        )
        if retry_at is not None:
            await self.queues.hold_behind(head, retry_at)
        return False

    async def _post(self, subscription: Subscription, head: Entry, now: datetime) -> str | None:
        """Send one attempt; None when the partner took it, else what went wrong."""
        envelope = await self.queues.envelope(head.event_id)
        if envelope is None:
            return "event no longer stored"
        event_type, data = str(envelope["type"]), envelope["data"]
        sharing = subscription.sharing
        if sharing.level is Level.NAMED_FIELDS:
            try:
                data = await self.personal_data.open(event_type, data)
            except SealError:
                return "personal data does not open with its key"
        shared = webhook_data(sharing, REGISTRY.class_for(event_type), data, head.subject)
        body = body_of({**envelope, "data": shared})
        timestamp = int(now.timestamp())
        headers = {
            "content-type": STRUCTURED_JSON,
            "webhook-id": head.event_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(subscription.secret, head.event_id, timestamp, body),
        }
        return await self.webhooks.post(subscription.url, body, headers)
