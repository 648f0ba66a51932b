"""The partner use cases (``Partners``) on in-memory stores: who may do what, and what
each call leaves behind. No broker, no database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY, CaseOpened, NotificationSent, SocialWorkerAssigned
from inson_runtime.testing import MovableClock
from notification.adapters.webhook_http import WebhookDestinations
from notification.domain.signing import new_secret, signing_key
from notification.domain.subscriptions import Subscription
from notification.domain.webhooks import State
from notification.handlers.commands import Partners, SubscriptionRefused, UnknownSubscription
from notification.handlers.partner_feed import PartnerFeed

from ..conftest import DISTRICT, Samples
from .fakes import PUBLIC, FakeCaseFacts, FakeResolver, FakeSubscriptions, FakeWebhookOutbox

MINE, THEIRS = "partner-unicef", "partner-sos"
URL = "https://partner.example/hooks/inson"
TYPES = [CaseOpened.TYPE, SocialWorkerAssigned.TYPE]


class World:
    def __init__(self, samples: Samples, *, development: bool = False) -> None:
        self.samples = samples
        self.clock = MovableClock(samples.now - timedelta(minutes=5))
        self.subscriptions = FakeSubscriptions()
        self.outbox = FakeWebhookOutbox()
        self.cases = FakeCaseFacts()
        self.partner_feed = PartnerFeed(self.subscriptions, self.outbox, self.cases, self.clock)
        self.resolver = FakeResolver({"partner.example": PUBLIC})
        self.destinations = WebhookDestinations(self.resolver, development=development)
        self.partners = Partners(
            self.subscriptions, self.outbox, self.partner_feed, self.destinations, self.clock
        )

    async def subscribe(
        self,
        owner: str = MINE,
        *,
        url: str = URL,
        event_types: Sequence[str] = TYPES,
        **more: Any,
    ) -> Subscription:
        return await self.partners.create(owner, url=url, event_types=event_types, **more)

    async def feed(self, *envelopes: Envelope) -> None:
        """What the partner policy does with each event (``Policies.fan_out``)."""
        for envelope in envelopes:
            event = REGISTRY.parse(envelope.type, envelope.data)
            await self.partner_feed.on_event(event, envelope)

    def case_events(self) -> list[Envelope]:
        samples = self.samples
        submitted = samples.submitted("+998901112233")
        return [
            samples.envelope(samples.opened(submitted.application_id), f"case-{samples.case_id}"),
            samples.envelope(samples.assigned(), f"assessment-{samples.case_id}"),
        ]


@pytest.fixture
def world(samples: Samples) -> World:
    return World(samples)


async def test_a_subscription_is_made_with_a_generated_secret_and_its_filters_as_sets(
    world: World,
) -> None:
    made = await world.subscribe(
        event_types=[SocialWorkerAssigned.TYPE, CaseOpened.TYPE, CaseOpened.TYPE],
        districts=[DISTRICT, DISTRICT],
        description="UNICEF Tashkent",
    )

    assert signing_key(made.secret)  # a valid whsec_ secret, made for the partner
    assert made.event_types == (SocialWorkerAssigned.TYPE, CaseOpened.TYPE)  # sorted, once each
    assert made.districts == (DISTRICT,) and made.regions == ()
    assert (made.owner, made.url, made.created_at) == (MINE, URL, world.clock())
    assert world.subscriptions.kept == {made.id: made}


async def test_a_given_secret_is_kept_and_a_malformed_one_refused_without_echoing_it(
    world: World,
) -> None:
    secret = new_secret()
    assert (await world.subscribe(secret=secret)).secret == secret

    bad = "whsec_tooshort-but-secret"
    with pytest.raises(SubscriptionRefused, match=r"^secret: ") as refused:
        await world.subscribe(secret=bad)
    assert bad not in str(refused.value)
    assert len(world.subscriptions.kept) == 1


async def test_webhooks_must_use_https_but_in_development_plain_http_to_the_loopback(
    samples: Samples,
) -> None:
    production, development = World(samples), World(samples, development=True)

    for url in ("http://partner.example/hook", "http://127.0.0.1:9000/hook"):
        with pytest.raises(SubscriptionRefused, match="must use https"):
            await production.subscribe(url=url)
    assert production.subscriptions.kept == {}
    assert (await development.subscribe(url="http://127.0.0.1:9000/hook")).url.startswith("http:")
    # Plain http in development reaches the developer's machine, nothing else.
    with pytest.raises(SubscriptionRefused, match="must use https"):
        await development.subscribe(url="http://partner.example/hook")


async def test_partners_list_only_their_own_subscriptions_page_by_page(world: World) -> None:
    first = await world.subscribe()
    world.clock.advance(timedelta(seconds=1))
    second = await world.subscribe()
    await world.subscribe(THEIRS)

    page_one, total = await world.partners.page(MINE, skip=0, limit=1)
    page_two, _ = await world.partners.page(MINE, skip=1, limit=1)

    assert total == 2
    assert [s.id for s in page_one + page_two] == [first.id, second.id]


async def test_a_subscription_is_shown_with_its_deliveries_counted_to_its_owner_only(
    world: World,
) -> None:
    mine = await world.subscribe()
    await world.feed(*world.case_events())

    counted = await world.partners.get(MINE, mine.id)

    assert counted.subscription == mine
    assert counted.deliveries[State.PENDING] == 2 and counted.deliveries[State.DEAD] == 0
    with pytest.raises(UnknownSubscription, match=f"no subscription {mine.id}"):
        await world.partners.get(THEIRS, mine.id)
    with pytest.raises(UnknownSubscription):
        await world.partners.get(MINE, "no-such-id")


async def test_deleting_forgets_the_subscription_and_its_queue_but_not_anothers(
    world: World,
) -> None:
    mine, theirs = await world.subscribe(), await world.subscribe(THEIRS)
    await world.feed(*world.case_events())

    with pytest.raises(UnknownSubscription):
        await world.partners.delete(THEIRS, mine.id)
    assert mine.id in world.subscriptions.kept
    await world.partners.delete(MINE, mine.id)

    assert list(world.subscriptions.kept) == [theirs.id]
    assert {e.subscription_id for e in world.outbox.entries.values()} == {theirs.id}
    with pytest.raises(UnknownSubscription):
        await world.partners.delete(MINE, mine.id)


async def test_deliveries_are_listed_by_state_to_the_owner_only(world: World) -> None:
    mine = await world.subscribe()
    opened, assigned = world.case_events()
    await world.feed(opened, assigned)
    world.outbox.set_state(opened.id, State.DEAD, last_error="HTTP 503")

    dead, total = await world.partners.deliveries(MINE, mine.id, State.DEAD, skip=0, limit=10)
    everything, _ = await world.partners.deliveries(MINE, mine.id, None, skip=0, limit=10)

    assert total == 1 and [(e.event_id, e.last_error) for e in dead] == [(opened.id, "HTTP 503")]
    assert dead[0].next_attempt_at is None  # dead waits for a replay, not a time
    assert {e.event_id for e in everything} == {opened.id, assigned.id}
    with pytest.raises(UnknownSubscription):
        await world.partners.deliveries(THEIRS, mine.id, None, skip=0, limit=10)


async def test_a_replay_requeues_what_matches_since_then_and_releases_dead_queues(
    world: World,
) -> None:
    # Events from before the subscription reach it only through a replay.
    early = [
        e.model_copy(update={"time": world.clock() - timedelta(hours=1)})
        for e in world.case_events()
    ]
    await world.feed(*early)
    mine = await world.subscribe(event_types=[CaseOpened.TYPE])
    late = world.case_events()
    await world.feed(*late)
    world.outbox.set_state(late[0].id, State.DEAD, attempts=19)
    world.clock.advance(timedelta(minutes=10))

    requeued = await world.partners.replay(MINE, mine.id, early[0].time)

    assert requeued == 2  # one CaseOpened before the subscription, one after
    queued, total = await world.partners.deliveries(MINE, mine.id, State.PENDING, skip=0, limit=9)
    assert total == 2 and {e.event_id for e in queued} == {early[0].id, late[0].id}
    assert all(e.attempts == 0 and e.due_at == world.clock() for e in queued)


async def test_a_replay_needs_a_time_with_an_offset_and_a_subscription_of_ones_own(
    world: World,
) -> None:
    mine = await world.subscribe()
    naive = world.samples.now.replace(tzinfo=None)

    with pytest.raises(SubscriptionRefused, match="UTC offset"):
        await world.partners.replay(MINE, mine.id, naive)
    with pytest.raises(UnknownSubscription):
        await world.partners.replay(THEIRS, mine.id, world.samples.now)


def test_partners_may_name_the_domain_topics_event_types_and_not_notifications(
    world: World,
) -> None:
    types = world.partners.event_types()
    assert CaseOpened.TYPE in types and NotificationSent.TYPE not in types
    assert types == sorted(types)
