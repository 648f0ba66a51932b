"""The partner API's use cases: webhook subscriptions, their deliveries, and replays.

Each partner administrator sees and manages the subscriptions they made:
another's is :class:`UnknownSubscription`, as if absent. A subscription's
secret is checked here (a Standard Webhooks ``whsec_`` secret, generated
when none is given) and kept only to sign deliveries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from notification.domain.signing import BadSecret, new_secret, signing_key
from notification.domain.subscriptions import Subscription, subscribable_types
from notification.domain.webhooks import Entry, State
from notification.handlers.ports import PartnerQueues, Subscriptions


class UnknownSubscription(LookupError):
    """No such subscription of the caller's."""

    def __init__(self, subscription_id: str) -> None:
        super().__init__(f"no subscription {subscription_id}")


class SubscriptionRefused(ValueError):
    """The request cannot be carried out as asked; the message says why (never the secret)."""


@dataclass(frozen=True)
class CountedSubscription:
    subscription: Subscription
    deliveries: dict[str, int]  # by state


@dataclass(frozen=True)
class Partners:
    subscriptions: Subscriptions
    queues: PartnerQueues
    clock: Callable[[], datetime]
    # Production partners are reached over TLS only.
    require_https: bool

    def event_types(self) -> list[str]:
        return subscribable_types()

    async def create(
        self,
        owner: str,
        *,
        url: str,
        event_types: Sequence[str],
        regions: Sequence[str] = (),
        districts: Sequence[str] = (),
        secret: str | None = None,
        description: str | None = None,
    ) -> Subscription:
        """The new subscription, holding its secret (the caller shows it this once)."""
        if self.require_https and urlsplit(url).scheme != "https":
            raise SubscriptionRefused("the webhook URL must use https")
        secret = secret or new_secret()
        try:
            signing_key(secret)
        except BadSecret as exc:
            raise SubscriptionRefused(f"secret: {exc}") from None
        subscription = Subscription.new(
            owner=owner,
            url=url,
            secret=secret,
            event_types=event_types,
            regions=regions,
            districts=districts,
            description=description,
            now=self.clock(),
        )
        await self.subscriptions.add(subscription)
        return subscription

    async def page(self, owner: str, *, skip: int, limit: int) -> tuple[list[Subscription], int]:
        return await self.subscriptions.page(owner, skip=skip, limit=limit)

    async def get(self, owner: str, subscription_id: str) -> CountedSubscription:
        subscription = await self._own(owner, subscription_id)
        return CountedSubscription(subscription, await self.queues.counts(subscription.id))

    async def delete(self, owner: str, subscription_id: str) -> None:
        """Stop deliveries and forget the subscription and its queue."""
        await self._own(owner, subscription_id)
        await self.subscriptions.delete(subscription_id, owner)
        await self.queues.forget(subscription_id)

    async def deliveries(
        self, owner: str, subscription_id: str, state: State | None, *, skip: int, limit: int
    ) -> tuple[list[Entry], int]:
        subscription = await self._own(owner, subscription_id)
        return await self.queues.page(subscription.id, state, skip=skip, limit=limit)

    async def replay(self, owner: str, subscription_id: str, since: datetime) -> int:
        """Queue again every matching event since ``since``; dead deliveries are retried too."""
        if since.tzinfo is None:
            raise SubscriptionRefused("since must carry a UTC offset, e.g. 2026-03-01T00:00:00Z")
        subscription = await self._own(owner, subscription_id)
        return await self.queues.replay(subscription, since, self.clock())

    async def _own(self, owner: str, subscription_id: str) -> Subscription:
        subscription = await self.subscriptions.get(subscription_id, owner)
        if subscription is None:
            raise UnknownSubscription(subscription_id)
        return subscription
