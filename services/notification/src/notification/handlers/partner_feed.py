"""The partner feed: every event of the domain topics kept, and queued for the subscriptions
whose types, area and purpose it matches; and the replay of one subscription.

What an event is about comes from what it says and what earlier events said
of its case (``domain/purposes.py``): the event's own facts are recorded
before it is matched, so an application's circumstances count for the
application itself and for every later event of its case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY, Event

from notification.domain.purposes import Purpose, Said, purpose_of, said_by
from notification.domain.subscriptions import Subscription
from notification.handlers.ports import CaseFacts, Subscriptions, WebhookQueues


@dataclass(frozen=True)
class PartnerFeed:
    subscriptions: Subscriptions
    queues: WebhookQueues
    cases: CaseFacts
    clock: Callable[[], datetime]

    async def on_event(self, event: Event, envelope: Envelope) -> None:
        """Keep the event for replays and queue it for every subscription it is for."""
        await self.queues.remember(envelope)
        said = said_by(event, envelope.subject)
        if said.news:
            await self.cases.learn(said)
        purpose: Purpose | None = None
        for subscription in await self.subscriptions.matching(envelope):
            if subscription.purpose_bound:
                purpose = purpose or await self._purpose(said)
                if not subscription.serves(purpose):
                    continue
            await self.queues.enqueue(subscription, envelope, self.clock())

    async def replay(self, subscription: Subscription, since: datetime) -> int:
        """Queue again every event since ``since`` the subscription is for (by what is known
        of its case now); its dead and blocked deliveries are tried again."""
        now, count = self.clock(), 0
        async for envelope in self.queues.events_since(since):
            if not subscription.covers(envelope):
                continue
            if subscription.purpose_bound:
                # Kept sealed: its personal fields read as None, which no purpose needs.
                event = REGISTRY.parse(envelope.type, envelope.data)
                if not subscription.serves(await self._purpose(said_by(event, envelope.subject))):
                    continue
            await self.queues.requeue(subscription, envelope, now)
            count += 1
        await self.queues.release(subscription.id, now)
        return count

    async def _purpose(self, said: Said) -> Purpose:
        return purpose_of(said, await self.cases.known(said))
