"""Partner webhooks on FerretDB and a real local receiver, with the clock moved by the test:
retries with backoff, strict order per case, one in flight, dead after the schedule,
replay, signatures checked here with hmac independently, the purpose read model, and
a redirect towards an inside address left unfollowed."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY, ApplicationSubmitted, CaseOpened, SocialWorkerAssigned
from inson_contracts.personal import SEALED, split_personal
from inson_runtime.mongo import connect
from notification.adapters.partner_cases import MongoPartnerCases
from notification.adapters.subscriptions import MongoSubscriptions
from notification.adapters.webhook_http import (
    HttpWebhooks,
    SystemResolver,
    WebhookDestinations,
    webhook_client,
)
from notification.adapters.webhook_outbox import MongoWebhookOutbox
from notification.domain.backoff import webhook_delay
from notification.domain.sharing import DataSharing, Level
from notification.domain.signing import new_secret, sign, verify
from notification.domain.subscriptions import Subscription
from notification.domain.webhooks import State
from notification.handlers.partner_feed import PartnerFeed
from notification.handlers.webhooks import WebhookWorker

from .conftest import DISTRICT, Clock, FakeHttp, Received, Samples, fresh_phone, serving
from .unit.fakes import FakePersonalData

pytestmark = pytest.mark.integration

TYPES = [ApplicationSubmitted.TYPE, CaseOpened.TYPE, SocialWorkerAssigned.TYPE]


@dataclass
class Partners:
    store: MongoSubscriptions
    outbox: MongoWebhookOutbox
    cases: MongoPartnerCases
    worker: WebhookWorker
    clock: Clock

    @property
    def feed_policy(self) -> PartnerFeed:
        return PartnerFeed(self.store, self.outbox, self.cases, self.clock)

    async def subscribe(self, url: str, **filters: Any) -> Subscription:
        subscription = Subscription.new(
            owner="partner-unicef",
            url=url,
            secret=new_secret(),
            event_types=filters.pop("event_types", TYPES),
            regions=filters.pop("regions", []),
            districts=filters.pop("districts", [DISTRICT]),
            description=None,
            now=self.clock(),
            **filters,
        )
        await self.store.add(subscription)
        return subscription

    async def feed(self, *envelopes: Envelope) -> None:
        """What the service's partner consumer does with each event."""
        for envelope in envelopes:
            event = REGISTRY.parse(envelope.type, envelope.data)
            await self.feed_policy.on_event(event, envelope)

    async def replay(self, subscription: Subscription, since: datetime) -> int:
        return await self.feed_policy.replay(subscription, since)


@pytest.fixture
async def partners(mongodb_url: str, clock: Clock) -> AsyncIterator[Partners]:
    client = connect(mongodb_url)
    name = f"test_webhooks_{Samples().case_id[:8]}"
    db = client[name]
    store, outbox = MongoSubscriptions(db), MongoWebhookOutbox(db)
    await store.ensure_indexes()
    await outbox.ensure_indexes()
    # The receivers run on the loopback: the development profile's rule.
    destinations = WebhookDestinations(SystemResolver(timeout_s=2), development=True)
    async with webhook_client() as http:
        worker = WebhookWorker(
            queues=outbox,
            subscriptions=store,
            webhooks=HttpWebhooks(http, destinations, timeout_s=5),
            clock=clock,
            personal_data=FakePersonalData(),
        )
        yield Partners(store, outbox, MongoPartnerCases(db), worker, clock)
    await client.drop_database(name)
    await client.close()


def case_stream(samples: Samples, clock: Clock) -> list[Envelope]:
    """A case's intake and assessment streams, as recorded, times after the subscription."""
    samples.now = clock() + timedelta(seconds=1)
    submitted = samples.submitted(fresh_phone())
    case = f"case-{samples.case_id}"
    return [
        samples.envelope(submitted, case, 1),
        samples.envelope(samples.opened(submitted.application_id), case, 2),
        samples.envelope(samples.assigned(), f"assessment-{samples.case_id}", 1),
    ]


def check_signature(secret: str, request: Received) -> None:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{request.headers['webhook-id']}.{request.headers['webhook-timestamp']}."
    mac = hmac.new(key, signed.encode() + request.body, hashlib.sha256).digest()
    assert request.headers["webhook-signature"] == "v1," + base64.b64encode(mac).decode()


def sent_order(receiver: FakeHttp) -> list[tuple[str, int]]:
    return [(r.json()["subject"], r.json()["streamversion"]) for r in receiver.requests]


async def test_a_partner_that_fails_at_first_gets_every_event_signed_and_in_order(
    partners: Partners, webhook_receiver: FakeHttp
) -> None:
    subscription = await partners.subscribe(webhook_receiver.url + "/hooks/inson")
    first, second = Samples(), Samples()
    events = case_stream(first, partners.clock) + case_stream(second, partners.clock)
    await partners.feed(*events)
    webhook_receiver.fail_first = 3
    webhook_receiver.delay_s = 0.02

    await partners.worker.tick()
    for step in (5, 30, 120):  # the schedule's first waits
        partners.clock.advance(timedelta(seconds=step))
        await partners.worker.tick()

    delivered = webhook_receiver.requests[3:]
    assert len(delivered) == len(events)
    assert {r.headers["webhook-id"] for r in delivered} == {e.id for e in events}
    # Within each stream strictly in version order, every attempt included.
    for stream in {e.subject for e in events}:
        versions = [v for s, v in sent_order(webhook_receiver) if s == stream]
        assert versions == sorted(versions), (stream, versions)
    by_id = {e.id: e for e in events}
    for request in webhook_receiver.requests:
        check_signature(subscription.secret, request)
        assert request.path == "/hooks/inson"
        assert request.headers["content-type"] == "application/cloudevents+json"
        body = request.json()
        # As recorded, but for the personal fields: none by default.
        sent = json.loads(json.dumps(by_id[body["id"]].to_document()))
        cls = REGISTRY.class_for(body["type"])
        public, _ = split_personal(cls, sent["data"])
        assert {**body, "data": {k: v for k, v in body["data"].items() if k != SEALED}} == {
            **sent,
            "data": public,
        }
        assert body["specversion"] == "1.0" and "data" in body
    counts = await partners.outbox.counts(subscription.id)
    assert counts[State.DELIVERED] == len(events)


async def test_one_delivery_per_case_is_in_flight_while_cases_go_side_by_side(
    partners: Partners, webhook_receiver: FakeHttp
) -> None:
    await partners.subscribe(webhook_receiver.url)
    cases = [Samples() for _ in range(4)]
    await partners.feed(*(e for case in cases for e in case_stream(case, partners.clock)[:2]))
    webhook_receiver.delay_s = 0.1

    await partners.worker.tick()

    assert len(webhook_receiver.requests) == 8
    assert 1 < webhook_receiver.max_in_flight <= 4  # never two of one case at once
    for case in cases:
        stream = f"case-{case.case_id}"
        assert [v for s, v in sent_order(webhook_receiver) if s == stream] == [1, 2]


async def test_entries_queued_before_the_queue_field_existed_are_delivered_in_order(
    partners: Partners, webhook_receiver: FakeHttp
) -> None:
    await partners.subscribe(webhook_receiver.url)
    events = case_stream(Samples(), partners.clock)
    await partners.feed(*events)
    # As an older release wrote them: no ``queue`` field, no migration done.
    await partners.outbox.entries.update_many({}, {"$unset": {"queue": ""}})
    await partners.outbox.migrations.delete_many({})

    await partners.outbox.ensure_indexes()
    await partners.worker.tick()

    assert len(webhook_receiver.requests) == len(events)
    for stream in {e.subject for e in events}:
        versions = [v for s, v in sent_order(webhook_receiver) if s == stream]
        assert versions == sorted(versions), (stream, versions)
    assert await partners.outbox.entries.count_documents({"queue": {"$exists": False}}) == 0


async def test_a_delivery_is_given_up_after_a_day_visibly_and_a_replay_catches_up(
    partners: Partners, webhook_receiver: FakeHttp
) -> None:
    subscription = await partners.subscribe(webhook_receiver.url)
    samples = Samples()
    submitted, opened, assigned = case_stream(samples, partners.clock)
    await partners.feed(submitted, opened, assigned)
    webhook_receiver.fail_first = 10**6  # down for good

    await partners.worker.tick()
    for attempt in range(1, 40):
        partners.clock.advance(webhook_delay(attempt) + timedelta(seconds=1))
        await partners.worker.tick()

    dead, _ = await partners.outbox.page(subscription.id, State.DEAD, skip=0, limit=10)
    blocked, _ = await partners.outbox.page(subscription.id, State.BLOCKED, skip=0, limit=10)
    # Two streams, each dead at its head; no order between streams is promised
    # (their uuid7 ids from one millisecond tie-break at random).
    assert sorted(d.event_id for d in dead) == sorted([submitted.id, assigned.id])
    assert [b.event_id for b in blocked] == [opened.id]  # never sent ahead of its case
    assert all(d.attempts == 19 and d.last_error == "HTTP 503" for d in dead)
    attempts = len(webhook_receiver.requests)
    assert {r.headers["webhook-id"] for r in webhook_receiver.requests} == {
        submitted.id,
        assigned.id,
    }

    partners.clock.advance(timedelta(hours=10))
    await partners.worker.tick()
    assert len(webhook_receiver.requests) == attempts  # dead stays dead until asked

    webhook_receiver.fail_first = attempts  # the partner is back
    requeued = await partners.replay(subscription, samples.now + timedelta(days=1))
    assert requeued == 0  # nothing that recent, but the dead ones are released
    await partners.worker.tick()
    caught_up = sent_order(webhook_receiver)[attempts:]
    assert sorted(caught_up) == sorted(
        [(submitted.subject, 1), (opened.subject, 2), (assigned.subject, 1)]
    )
    assert [v for s, v in caught_up if s == submitted.subject] == [1, 2]


async def test_a_replay_delivers_again_in_order_from_the_given_time(
    partners: Partners, webhook_receiver: FakeHttp
) -> None:
    subscription = await partners.subscribe(webhook_receiver.url)
    samples = Samples()
    events = case_stream(samples, partners.clock)
    await partners.feed(*events)
    await partners.worker.tick()
    assert len(webhook_receiver.requests) == 3

    requeued = await partners.replay(subscription, samples.now)
    await partners.worker.tick()

    assert requeued == 3
    again = webhook_receiver.requests[3:]
    assert sorted(r.headers["webhook-id"] for r in again) == sorted(e.id for e in events)
    assert [
        r.json()["streamversion"] for r in again if r.json()["subject"] == events[0].subject
    ] == [1, 2]


async def test_subscriptions_receive_only_their_types_and_area_from_their_creation_on(
    partners: Partners, webhook_receiver: FakeHttp
) -> None:
    before = Samples()
    early = case_stream(before, partners.clock)
    early = [e.model_copy(update={"time": partners.clock() - timedelta(minutes=1)}) for e in early]
    cases_only = await partners.subscribe(
        webhook_receiver.url, event_types=[CaseOpened.TYPE], districts=[]
    )
    elsewhere = await partners.subscribe(webhook_receiver.url, districts=["1703236"])
    by_region = await partners.subscribe(webhook_receiver.url, districts=[], regions=["1735"])
    samples = Samples()
    events = case_stream(samples, partners.clock)

    await partners.feed(*early, *events)

    assert (await partners.outbox.counts(cases_only.id))[State.PENDING] == 1
    assert (await partners.outbox.counts(elsewhere.id))[State.PENDING] == 0
    assert (await partners.outbox.counts(by_region.id))[State.PENDING] == 3
    # A replay reaches back before the subscription existed.
    assert await partners.replay(cases_only, early[0].time) == 2
    await partners.outbox.forget(cases_only.id)
    assert (await partners.outbox.counts(cases_only.id))[State.PENDING] == 0


async def test_a_partner_that_verifies_refuses_forged_and_replayed_deliveries(
    partners: Partners, webhook_receiver: FakeHttp
) -> None:
    subscription = await partners.subscribe(webhook_receiver.url + "/hooks/inson")

    def partner_check(headers: dict[str, str], body: bytes) -> bool:
        # What a partner does, with the Standard Webhooks 5-minute tolerance.
        return verify(
            subscription.secret,
            headers["webhook-id"],
            int(headers["webhook-timestamp"]),
            body,
            headers["webhook-signature"],
            now=int(partners.clock().timestamp()),
        )

    webhook_receiver.verifier = partner_check
    await partners.feed(*case_stream(Samples(), partners.clock))
    await partners.worker.tick()
    genuine = list(webhook_receiver.requests)
    assert len(genuine) == 3 and all(r.status == 200 for r in genuine)

    captured = genuine[0]
    keep = ("webhook-id", "webhook-timestamp", "webhook-signature", "content-type")
    headers = {name: captured.headers[name] for name in keep}
    async with httpx.AsyncClient(base_url=webhook_receiver.url) as http:
        forged = {
            **headers,
            "webhook-signature": sign(
                new_secret(),
                headers["webhook-id"],
                int(headers["webhook-timestamp"]),
                captured.body,
            ),
        }
        assert (
            await http.post("/hooks/inson", content=captured.body, headers=forged)
        ).status_code == 401
        tampered = captured.body.replace(b'"specversion"', b'"specversion" ')
        assert (
            await http.post("/hooks/inson", content=tampered, headers=headers)
        ).status_code == 401
        partners.clock.advance(timedelta(minutes=10))
        replayed = await http.post("/hooks/inson", content=captured.body, headers=headers)
        assert replayed.status_code == 401


async def test_a_purpose_bound_partner_gets_its_cases_through_the_stored_facts(
    partners: Partners, webhook_receiver: FakeHttp
) -> None:
    children = await partners.subscribe(
        webhook_receiver.url, districts=[], circumstance_categories=["child_protection"]
    )
    child, elderly = Samples(), Samples()
    child_events = case_stream(child, partners.clock)
    child_events[0] = child_events[0].model_copy(
        update={"data": {**child_events[0].data, "circumstances": ["child_at_risk"]}}
    )
    elderly_events = case_stream(elderly, partners.clock)

    # The assignment (no circumstances of its own) read twice, once before its application.
    await partners.feed(child_events[2], *child_events, *elderly_events)

    pending, _ = await partners.outbox.page(children.id, State.PENDING, skip=0, limit=10)
    # CaseOpened of the samples says lonely_elderly: the case has both now.
    assert {e.event_id for e in pending} == {e.id for e in child_events}
    facts = [doc async for doc in partners.cases.facts.find({"case_id": child.case_id})]
    assert sorted(fact["circumstance"] for fact in facts) == ["child_at_risk", "lonely_elderly"]
    # Codes only, nothing of the person.
    assert all(set(fact) == {"_id", "case_id", "circumstance"} for fact in facts)


async def test_each_data_sharing_level_reaches_the_receiver_as_set(
    partners: Partners, webhook_receiver: FakeHttp
) -> None:
    await partners.subscribe(webhook_receiver.url + "/quiet")
    named = await partners.subscribe(webhook_receiver.url + "/named")
    sharing = DataSharing(Level.NAMED_FIELDS, ("applicant.phone",), "DSA-7", "admin-1")
    stored = await partners.store.set_sharing(named.id, sharing)
    assert stored is not None and stored.sharing == sharing
    assert (await partners.store.get(named.id)) == stored
    events = case_stream(Samples(), partners.clock)
    phone = events[0].data["applicant"]["phone"]

    await partners.feed(events[0])
    await partners.worker.tick()

    by_path = {r.path: r.json() for r in webhook_receiver.requests}
    assert "phone" not in by_path["/quiet"]["data"]["applicant"]
    assert "applicant.phone" in by_path["/quiet"]["data"][SEALED]["paths"]
    assert by_path["/named"]["data"]["applicant"]["phone"] == phone
    assert by_path["/named"]["data"]["applicant"]["name"] == {}


async def test_a_redirect_to_an_inside_address_is_not_followed(
    partners: Partners, webhook_receiver: FakeHttp
) -> None:
    async with serving(FakeHttp()) as inside:
        webhook_receiver.fail_first, webhook_receiver.fail_status = 1, 307
        webhook_receiver.fail_headers = {"location": f"{inside.url}/latest/meta-data/"}
        subscription = await partners.subscribe(webhook_receiver.url + "/hooks")
        await partners.feed(*case_stream(Samples(), partners.clock)[:1])

        await partners.worker.tick()

        assert inside.requests == []
        [attempt] = webhook_receiver.requests
        assert attempt.status == 307
        [entry], _ = await partners.outbox.page(subscription.id, None, skip=0, limit=10)
        assert (entry.state, entry.last_error) == (State.PENDING, "HTTP 307")


async def test_outside_development_the_loopback_gets_no_delivery(
    partners: Partners, webhook_receiver: FakeHttp, clock: Clock
) -> None:
    production = WebhookDestinations(SystemResolver(timeout_s=2), development=False)
    async with webhook_client() as http:
        worker = WebhookWorker(
            queues=partners.outbox,
            subscriptions=partners.store,
            webhooks=HttpWebhooks(http, production, timeout_s=5),
            clock=clock,
            personal_data=FakePersonalData(),
        )
        # Made in development, delivered by a production service: checked again, refused
        # (plain http, and the loopback besides).
        subscription = await partners.subscribe(
            webhook_receiver.url.replace("127.0.0.1", "localhost")
        )
        await partners.feed(*case_stream(Samples(), partners.clock)[:1])

        await worker.tick()

    assert webhook_receiver.requests == []
    [entry], _ = await partners.outbox.page(subscription.id, None, skip=0, limit=10)
    assert entry.last_error == "destination refused: https"


async def test_two_replicas_post_every_event_once_and_in_order(
    partners: Partners, webhook_receiver: FakeHttp, mongodb_url: str
) -> None:
    """The webhook jobs of two replicas (two connection pools) tick at the same moments
    over the same queues: each event is posted once, every case in order."""
    await partners.subscribe(webhook_receiver.url)
    cases = [Samples() for _ in range(6)]
    events = [e for case in cases for e in case_stream(case, partners.clock)[:2]]
    await partners.feed(*events)
    webhook_receiver.delay_s = 0.02
    other_client = connect(mongodb_url)
    db = other_client[partners.outbox.entries.database.name]
    destinations = WebhookDestinations(SystemResolver(timeout_s=2), development=True)
    try:
        async with webhook_client() as http:
            other = WebhookWorker(
                queues=MongoWebhookOutbox(db),
                subscriptions=MongoSubscriptions(db),
                webhooks=HttpWebhooks(http, destinations, timeout_s=5),
                clock=partners.clock,
                personal_data=FakePersonalData(),
            )
            for _ in range(3):
                await asyncio.gather(partners.worker.tick(), other.tick(), other.tick())
    finally:
        await other_client.close()

    posted = [r.headers["webhook-id"] for r in webhook_receiver.requests]
    assert sorted(posted) == sorted(e.id for e in events)
    for case in cases:
        stream = f"case-{case.case_id}"
        assert [v for s, v in sent_order(webhook_receiver) if s == stream] == [1, 2]
