"""The partner API's use cases: webhook subscriptions, their deliveries, and replays, and
the administrator's one: a subscription's data-sharing level.

Each partner administrator sees and manages the subscriptions they made:
another's is :class:`UnknownSubscription`, as if absent. A subscription's
secret is checked here (a Standard Webhooks ``whsec_`` secret, generated
when none is given) and kept only to sign deliveries; its area must not
contradict itself and its URL must pass the destination rule
(``domain/destinations.py``), resolved when it is made.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import structlog
from inson_contracts.codes.categories import CircumstanceCategory
from inson_contracts.codes.services import ServiceCategory
from inson_contracts.events import REGISTRY

from notification.domain.destinations import HTTPS_ONLY, UNRESOLVABLE
from notification.domain.sharing import DataSharing, Level, shareable
from notification.domain.signing import BadSecret, new_secret, signing_key
from notification.domain.subscriptions import Subscription, outside_regions, subscribable_types
from notification.domain.webhooks import Entry, State
from notification.handlers.partner_feed import PartnerFeed
from notification.handlers.ports import Destinations, PartnerQueues, Subscriptions


class UnknownSubscription(LookupError):
    """No such subscription of the caller's."""

    def __init__(self, subscription_id: str) -> None:
        super().__init__(f"no subscription {subscription_id}")


class SubscriptionRefused(ValueError):
    """The request cannot be carried out as asked; the message says why (never the secret)."""


class FieldsRefused(SubscriptionRefused):
    """Fields of the request at fault: each a JSON pointer and its field code."""

    def __init__(self, message: str, *fields: tuple[str, str]) -> None:
        super().__init__(message)
        self.fields = fields


log = structlog.get_logger(__name__)

_URL_NOT_PUBLIC = ("/body/url", "address_not_public")
_URL_UNRESOLVED = ("/body/url", "host_unresolvable")


@dataclass(frozen=True)
class CountedSubscription:
    subscription: Subscription
    deliveries: dict[str, int]  # by state


@dataclass(frozen=True)
class Partners:
    subscriptions: Subscriptions
    queues: PartnerQueues
    feed: PartnerFeed
    destinations: Destinations
    clock: Callable[[], datetime]

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
        circumstance_categories: Sequence[CircumstanceCategory] = (),
        service_categories: Sequence[ServiceCategory] = (),
        secret: str | None = None,
        description: str | None = None,
    ) -> Subscription:
        """The new subscription, holding its secret (the caller shows it this once).

        It shares no personal data until an administrator says otherwise."""
        outside = outside_regions(regions, districts)
        if outside:
            raise FieldsRefused(
                "a district lies outside the listed regions",
                *((f"/body/districts/{n}", "district_outside_regions") for n in outside),
            )
        await self._check_destination(url)
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
            circumstance_categories=circumstance_categories,
            service_categories=service_categories,
        )
        await self.subscriptions.add(subscription)
        return subscription

    async def _check_destination(self, url: str) -> None:
        refused = await self.destinations.refusal(url)
        if refused is None:
            return
        if refused == HTTPS_ONLY:
            raise SubscriptionRefused("the webhook URL must use https")
        if refused == UNRESOLVABLE:
            raise FieldsRefused("the webhook URL's host resolves to no address", _URL_UNRESOLVED)
        raise FieldsRefused(f"the webhook URL's host is {refused}", _URL_NOT_PUBLIC)

    async def set_sharing(
        self,
        admin: str,
        subscription_id: str,
        *,
        level: Level,
        personal_fields: Sequence[str] = (),
        agreement: str | None = None,
    ) -> Subscription:
        """An administrator sets which personal fields the subscription's webhooks carry;
        from then on every delivery, retries and replays included, carries those."""
        subscription = await self.subscriptions.get(subscription_id)
        if subscription is None:
            raise UnknownSubscription(subscription_id)
        faults = _sharing_faults(subscription, level, personal_fields, agreement)
        if faults:
            raise FieldsRefused("the data-sharing level does not hold together", *faults)
        named = level is Level.NAMED_FIELDS
        sharing = DataSharing(
            level=level,
            personal_fields=tuple(sorted(set(personal_fields))),
            agreement=agreement if named else None,
            set_by=admin,
            set_at=self.clock(),
        )
        changed = await self.subscriptions.set_sharing(subscription_id, sharing)
        if changed is None:
            raise UnknownSubscription(subscription_id)
        log.info(
            "data sharing set",
            subscription_id=subscription_id,
            sharing_level=level.value,  # "level" is the log line's own
            personal_fields=list(sharing.personal_fields),
            set_by=admin,
        )
        return changed

    async def page(self, owner: str, *, skip: int, limit: int) -> tuple[list[Subscription], int]:
        return await self.subscriptions.page(owner, skip=skip, limit=limit)

    async def every(
        self, owner: str | None, *, skip: int, limit: int
    ) -> tuple[list[Subscription], int]:
        """Every partner's subscriptions, or one partner's: for an administrator, who
        sets what each may receive and must see them all to do so."""
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
        return await self.feed.replay(subscription, since)

    async def _own(self, owner: str, subscription_id: str) -> Subscription:
        subscription = await self.subscriptions.get(subscription_id, owner)
        if subscription is None:
            raise UnknownSubscription(subscription_id)
        return subscription


def _sharing_faults(
    subscription: Subscription, level: Level, fields: Sequence[str], agreement: str | None
) -> list[tuple[str, str]]:
    """The fields at fault in a data-sharing level for ``subscription``."""
    if level is Level.NONE:
        return [("/body/personal_fields", "no_fields_at_level_none")] if fields else []
    # named_fields names what it shares and the agreement that allows it.
    needed = {"personal_fields": bool(fields), "agreement": bool(agreement)}
    faults = [(f"/body/{name}", "missing") for name, given in needed.items() if not given]
    known = shareable(REGISTRY.class_for(t) for t in subscription.event_types)
    faults += [
        (f"/body/personal_fields/{n}", "personal_field_unknown")
        for n, field in enumerate(fields)
        if field not in known
    ]
    return faults
