"""The consumer entry points and jobs (``Policies``) on in-memory stores: partner
fan-out, erasure, and the webhook job delivering a stream in order through a retry."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from inson_contracts.codes.names import Language
from inson_contracts.events import (
    CaseClosed,
    CaseOpened,
    NotificationFailed,
    PersonErased,
    PlanRevisionProposed,
    SocialWorkerAssigned,
)
from inson_contracts.events.intake import ErasureBasis
from inson_contracts.events.notification import MessageChannel
from inson_contracts.events.values import Actor
from inson_runtime.repository import Repository
from inson_runtime.testing import InMemoryJournal, MovableClock
from notification.domain.deliveries import Status, Target
from notification.domain.outcomes import STREAM_PREFIX, replay
from notification.domain.outgoing import WITHHELD, DeliveryError
from notification.domain.signing import new_secret, verify
from notification.domain.subscriptions import Subscription, subscribable_types
from notification.domain.webhooks import State
from notification.handlers.messages import Notifier
from notification.handlers.outcomes import OutcomeRecorder
from notification.handlers.partner_feed import PartnerFeed
from notification.handlers.policies import Policies
from notification.handlers.webhooks import WebhookWorker
from notification.settings import Settings

from ..conftest import DISTRICT, Samples
from .fakes import (
    FakeCaseFacts,
    FakeChannel,
    FakeDeferredEvents,
    FakeDeliveryLog,
    FakeErasures,
    FakePersonalData,
    FakeRecipients,
    FakeSubscriptions,
    FakeWebhookOutbox,
    FakeWebhooks,
)


class World:
    def __init__(self, samples: Samples) -> None:
        self.samples = samples
        self.clock = MovableClock(samples.now - timedelta(minutes=1))
        self.deliveries, self.deferred = FakeDeliveryLog(), FakeDeferredEvents()
        self.subscriptions, self.outbox = FakeSubscriptions(), FakeWebhookOutbox()
        self.partner = FakeWebhooks("HTTP 503")
        self.sms = FakeChannel(MessageChannel.SMS)
        self.recipients = FakeRecipients()
        self.erasures = FakeErasures()
        self.journal = InMemoryJournal()
        messages = Repository(
            self.journal,
            source="inson/notification",
            stream_prefix=STREAM_PREFIX,
            replay=replay,
        )
        notifier = Notifier(
            deliveries=self.deliveries,
            deferred=self.deferred,
            recipients=self.recipients,
            channels={MessageChannel.SMS: self.sms},
            erasures=self.erasures,
            recorder=OutcomeRecorder(messages, self.deliveries),
            settings=Settings(),
            clock=self.clock,
        )
        worker = WebhookWorker(
            queues=self.outbox,
            subscriptions=self.subscriptions,
            webhooks=self.partner,
            clock=self.clock,
            personal_data=FakePersonalData(),
        )
        feed = PartnerFeed(self.subscriptions, self.outbox, FakeCaseFacts(), self.clock)
        self.policies = Policies(notifier, worker, self.deliveries, self.deferred, feed, self.clock)

    async def subscribe(self, event_types: list[str], districts: list[str]) -> Subscription:
        subscription = Subscription.new(
            owner="partner-unicef",
            url="https://partner.example/hook",
            secret=new_secret(),
            event_types=event_types,
            regions=[],
            districts=districts,
            description=None,
            now=self.clock(),
        )
        await self.subscriptions.add(subscription)
        return subscription


@pytest.fixture
def world(samples: Samples) -> World:
    return World(samples)


async def test_every_event_is_kept_and_queued_for_the_subscriptions_it_matches(
    world: World,
) -> None:
    samples = world.samples
    cases = await world.subscribe([CaseOpened.TYPE], [DISTRICT])
    elsewhere = await world.subscribe([CaseOpened.TYPE], ["1703236"])
    opened = samples.opened("a-1")
    assigned = samples.assigned()
    opened_at = samples.envelope(opened, f"case-{samples.case_id}", 2)
    assigned_at = samples.envelope(assigned, f"assessment-{samples.case_id}")

    await world.policies.fan_out(opened, opened_at)
    await world.policies.fan_out(opened, opened_at)  # a redelivered record
    await world.policies.fan_out(assigned, assigned_at)

    assert set(world.outbox.events) == {opened_at.id, assigned_at.id}  # kept for replays
    assert [(e.subscription_id, e.event_id) for e in world.outbox.entries.values()] == [
        (cases.id, opened_at.id)
    ]
    assert (await world.outbox.counts(elsewhere.id))[State.PENDING] == 0


async def test_partners_may_subscribe_to_issue_19s_events_and_receive_them(world: World) -> None:
    samples = world.samples
    assert {CaseClosed.TYPE, PlanRevisionProposed.TYPE} <= set(subscribable_types())
    closures = await world.subscribe([CaseClosed.TYPE, PlanRevisionProposed.TYPE], [DISTRICT])
    closed, proposed = samples.case_closed(), samples.revision_proposed()
    closed_at = samples.envelope(closed, f"case-{samples.case_id}", 3)
    proposed_at = samples.envelope(proposed, f"assessment-{samples.case_id}", 7)

    await world.policies.fan_out(closed, closed_at)
    await world.policies.fan_out(proposed, proposed_at)
    await world.policies.deliver_webhooks()  # the partner answers 503 once
    world.clock.advance(timedelta(seconds=5))
    await world.policies.deliver_webhooks()
    sent = [json.loads(body) for _, body, _ in world.partner.received]
    assert sorted(body["type"] for body in sent) == sorted(
        [CaseClosed.TYPE, PlanRevisionProposed.TYPE]
    )
    closure = next(body for body in sent if body["type"] == CaseClosed.TYPE)
    assert closure["data"]["reason"] == "plan_completed"
    assert (await world.outbox.counts(closures.id))[State.DELIVERED] == 2


async def test_the_webhook_job_delivers_a_stream_in_order_through_a_retry(world: World) -> None:
    samples = world.samples
    subscription = await world.subscribe([CaseOpened.TYPE, SocialWorkerAssigned.TYPE], [])
    stream = f"case-{samples.case_id}"
    opened, assigned = samples.opened("a-1"), samples.assigned()
    first = samples.envelope(opened, stream, 1)
    second = samples.envelope(assigned, stream, 2)
    # Read out of order (a redelivery): the queue still sends by stream version.
    await world.policies.fan_out(assigned, second)
    await world.policies.fan_out(opened, first)

    await world.policies.deliver_webhooks()  # the partner answers 503 once
    assert world.partner.received == []
    world.clock.advance(timedelta(seconds=5))  # the schedule's first wait
    await world.policies.deliver_webhooks()

    sent = [json.loads(body) for _, body, _ in world.partner.received]
    assert [body["streamversion"] for body in sent] == [1, 2]
    _, body, headers = world.partner.received[0]
    assert verify(
        subscription.secret,
        headers["webhook-id"],
        int(headers["webhook-timestamp"]),
        body,
        headers["webhook-signature"],
    )
    assert (await world.outbox.counts(subscription.id))[State.DELIVERED] == 2


async def test_a_head_in_flight_in_another_replica_holds_nothing_behind_it(
    world: World,
) -> None:
    samples = world.samples
    await world.subscribe([CaseOpened.TYPE, SocialWorkerAssigned.TYPE], [])
    stream = f"case-{samples.case_id}"
    opened, assigned = samples.opened("a-1"), samples.assigned()
    await world.policies.fan_out(opened, samples.envelope(opened, stream, 1))
    await world.policies.fan_out(assigned, samples.envelope(assigned, stream, 2))
    head, behind = sorted(world.outbox.entries.values(), key=lambda e: e.version)
    # The other replica claimed the head a moment ago: its lease runs a minute.
    assert await world.outbox.claim(head, world.clock(), lease_s=60) is not None

    await world.policies.deliver_webhooks()
    assert world.partner.received == []
    assert world.outbox.entries[behind.id].due_at == behind.due_at  # not held for the lease

    # It is delivered there: the next one goes at the next tick, not a lease later.
    await world.outbox.delivered(world.outbox.entries[head.id], world.clock())
    world.partner.errors.clear()
    world.clock.advance(timedelta(seconds=2))
    await world.policies.deliver_webhooks()
    [(_, body, _)] = world.partner.received
    assert json.loads(body)["streamversion"] == 2


async def test_an_erasure_blanks_the_log_drops_parked_events_and_withholds_a_retry(
    world: World,
) -> None:
    samples = world.samples
    world.recipients.citizens[samples.case_id] = Target(
        samples.case_id, MessageChannel.SMS, "+998901234567", Language.RU
    )
    world.sms.failures.append(DeliveryError("provider timed out", retryable=True))
    rejected = samples.rejected()
    # The citizen's SMS waits for a retry; the case's worker is not known yet.
    await world.policies.tell(
        rejected, samples.envelope(rejected, f"referral-{samples.referral_id}")
    )
    (logged,) = world.deliveries.entries.values()
    assert logged.status is Status.RETRYING and len(world.deferred.parked) == 1
    erased = PersonErased(
        case_id=samples.case_id,
        basis=ErasureBasis.SUBJECT_REQUEST,
        reference="REQ-1",
        erased_by=Actor(id="admin-1", role="admin"),
        erased_at=samples.now,
    )

    # Intake destroyed the key before it wrote the event.
    world.erasures.erased_cases.add(samples.case_id)

    await world.policies.erase(erased, samples.envelope(erased, f"case-{samples.case_id}"))

    assert world.deferred.parked == {}
    assert (logged.delivery.address, logged.delivery.params) == ("", {})
    # The waiting retry is due at once, and the job gives it up without an attempt.
    assert logged.status is Status.RETRYING and logged.due_at == world.clock()
    await world.policies.retry_messages()
    assert logged.status is Status.FAILED and logged.due_at is None
    assert world.sms.attempts == 1
    failed = world.journal.outbox.events_of_type(NotificationFailed)
    assert [(f.final, f.reason) for f in failed] == [
        (False, "provider timed out"),
        (True, WITHHELD),
    ]
