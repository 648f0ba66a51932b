"""Reactions to the other services' events, and the periodic jobs.

``main.py`` registers each method on its consumer group or as a job:

- ``policy.messages`` -> :meth:`Policies.tell`: events some rule reacts to
  become messages (``handlers/messages.py``);
- ``policy.partners`` -> :meth:`Policies.fan_out`: every partner event is
  kept for replays and queued for the subscriptions it matches by type, area
  and purpose (``handlers/partner_feed.py``; kept sealed: the worker opens
  it only for a subscription allowed named personal fields);
- ``policy.erasures`` -> :meth:`Policies.erase`: an erasure blanks what the
  service holds outside its read models, the citizen's address in the
  delivery log and events parked for later (the recipients projection reacts
  on its own; partner events are kept sealed, so nothing there opens after
  the key is gone). This is the clean-up, not the guard: the message policy
  asks the key store before every message to a citizen leaves and after
  every entry it writes (``handlers/messages.py``), so an erasure wins
  however its event and a message cross;
- jobs ``message-retries`` and ``webhook-deliveries``.

Messages and partner deliveries are separate groups: a slow SMS gateway
must not hold up partners, nor a partner the messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from inson_contracts.envelope import Envelope
from inson_contracts.events import Event, PersonErased

from notification.handlers.messages import Notifier
from notification.handlers.partner_feed import PartnerFeed
from notification.handlers.ports import DeferredEvents, DeliveryLog
from notification.handlers.webhooks import WebhookWorker


@dataclass(frozen=True)
class Policies:
    notifier: Notifier
    webhooks: WebhookWorker
    deliveries: DeliveryLog
    deferred: DeferredEvents
    partner_feed: PartnerFeed
    clock: Callable[[], datetime]

    async def tell(self, event: Event, envelope: Envelope) -> None:
        await self.notifier.on_event(event, envelope)

    async def fan_out(self, event: Event, envelope: Envelope) -> None:
        await self.partner_feed.on_event(event, envelope)

    async def erase(self, event: PersonErased, envelope: Envelope) -> None:
        await self.deliveries.erase_case(event.case_id, self.clock())
        await self.deferred.erase_case(event.case_id)

    async def retry_messages(self) -> None:
        await self.notifier.retry_due()

    async def deliver_webhooks(self) -> None:
        await self.webhooks.tick()
