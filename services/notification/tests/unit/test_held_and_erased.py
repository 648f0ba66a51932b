"""Held messages and erasure on in-memory stores: a message for a channel nobody
configured waits (no attempt, no event) and goes out once a start has the channel,
or fails for good when held too long; a message to an erased person never leaves,
whichever comes first, the erasure or the message, and its entry keeps no address."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from inson_contracts.codes.names import Language
from inson_contracts.envelope import Envelope
from inson_contracts.events import NotificationFailed, NotificationSent
from inson_contracts.events.notification import MessageChannel
from inson_runtime.repository import Repository
from inson_runtime.testing import InMemoryJournal, MovableClock
from notification.domain.deliveries import Status, Target
from notification.domain.outcomes import ERASED_RECIPIENT, STREAM_PREFIX, MessageRecord, replay
from notification.domain.outgoing import WITHHELD, DeliveryError, Withheld
from notification.handlers.messages import Notifier
from notification.handlers.outcomes import OutcomeRecorder
from notification.settings import Settings

from ..conftest import WORKER, Samples
from .fakes import (
    FakeChannel,
    FakeDeferredEvents,
    FakeDeliveryLog,
    FakeErasures,
    FakeRecipients,
    LogEntry,
)

PHONE = "+998901234567"
HOLD = timedelta(days=2)  # Settings.message_hold_s


class World:
    """The stores outlive the notifier: ``start`` builds one as a (re)start with its channels."""

    def __init__(self, samples: Samples) -> None:
        self.samples = samples
        self.clock = MovableClock(samples.now + timedelta(seconds=1))
        self.journal = InMemoryJournal()
        self.deliveries = FakeDeliveryLog()
        self.deferred = FakeDeferredEvents()
        self.recipients = FakeRecipients()
        self.erasures = FakeErasures()
        self.sms = FakeChannel(MessageChannel.SMS)
        self.chat = FakeChannel(MessageChannel.TELEGRAM)
        messages: Repository[MessageRecord] = Repository(
            self.journal, source="inson/notification", stream_prefix=STREAM_PREFIX, replay=replay
        )
        self.recorder = OutcomeRecorder(messages, self.deliveries)
        self.recipients.citizens[samples.case_id] = Target(
            samples.case_id, MessageChannel.SMS, PHONE, Language.UZ_CYRL
        )
        self.notifier = self.start(sms=False)

    def start(self, *, sms: bool) -> Notifier:
        channels = {MessageChannel.TELEGRAM: self.chat}
        if sms:
            channels[MessageChannel.SMS] = self.sms
        self.notifier = Notifier(
            deliveries=self.deliveries,
            deferred=self.deferred,
            recipients=self.recipients,
            channels=channels,
            erasures=self.erasures,
            recorder=self.recorder,
            settings=Settings(message_backoff_first_s=60, message_max_attempts=3),
            clock=self.clock,
        )
        return self.notifier

    async def tell_plan_approved(self) -> Envelope:
        approved = self.samples.plan_approved()
        envelope = self.samples.envelope(approved, f"assessment-{self.samples.case_id}")
        await self.notifier.on_event(approved, envelope)
        return envelope

    def erase(self) -> None:
        """What intake does first: the key destroyed (the event comes later, if at all)."""
        self.erasures.erased_cases.add(self.samples.case_id)

    def entry(self) -> LogEntry:
        (entry,) = self.deliveries.entries.values()
        return entry


@pytest.fixture
def world(samples: Samples) -> World:
    return World(samples)


async def test_a_message_for_an_unconfigured_channel_is_held_not_failed(world: World) -> None:
    await world.tell_plan_approved()

    entry = world.entry()
    assert entry.status is Status.HELD and entry.due_at is None
    assert entry.delivery.attempts == 0 and entry.outcomes == []  # no attempt was made
    assert world.journal.outbox.published == []  # held is not an event
    world.clock.advance(timedelta(hours=1))
    await world.notifier.retry_due()  # still unconfigured: still held
    assert world.entry().status is Status.HELD and world.sms.attempts == 0


async def test_held_messages_go_out_when_a_start_has_their_channel(world: World) -> None:
    await world.tell_plan_approved()
    world.clock.advance(timedelta(hours=20))

    restarted = world.start(sms=True)
    await restarted.retry_due()

    (sms,) = world.sms.sent
    assert sms.address == PHONE and sms.text.startswith("Инсон:")  # Cyrillic, as chosen
    assert world.entry().status is Status.SENT
    (sent,) = world.journal.outbox.events()
    assert isinstance(sent, NotificationSent) and sent.attempts == 1  # the hold was no attempt
    await restarted.retry_due()
    assert len(world.sms.sent) == 1


async def test_a_message_held_longer_than_the_hold_fails_for_good(world: World) -> None:
    await world.tell_plan_approved()
    world.clock.advance(HOLD + timedelta(minutes=1))

    await world.start(sms=True).retry_due()

    assert world.sms.attempts == 0 and world.entry().status is Status.FAILED
    (failed,) = world.journal.outbox.events()
    assert isinstance(failed, NotificationFailed)
    assert failed.final and failed.attempts == 1
    assert failed.reason == "held over 48 h: the sms channel was not configured"


async def test_a_message_to_an_erased_person_is_withheld_and_keeps_no_address(
    world: World,
) -> None:
    world.start(sms=True)
    world.erase()  # a moment before the message policy got to the event

    await world.tell_plan_approved()

    assert world.sms.attempts == 0
    entry = world.entry()
    assert entry.status is Status.FAILED
    assert (entry.delivery.address, entry.delivery.params) == ("", {})
    (failed,) = world.journal.outbox.events()
    assert isinstance(failed, NotificationFailed)
    assert (failed.final, failed.reason, failed.recipient) == (True, WITHHELD, ERASED_RECIPIENT)


async def test_an_erasure_seen_right_before_the_provider_withholds_the_message(
    world: World,
) -> None:
    # The channel's guard (under the rate limiter) saw the key gone.
    world.sms.failures.append(Withheld())
    world.start(sms=True)

    await world.tell_plan_approved()

    assert world.sms.sent == []
    entry = world.entry()
    assert entry.status is Status.FAILED and entry.delivery.address == ""
    (failed,) = world.journal.outbox.events_of_type(NotificationFailed)
    assert failed.final and failed.reason == WITHHELD


async def test_a_retry_after_an_erasure_is_not_attempted(world: World) -> None:
    world.sms.failures.append(DeliveryError("provider timed out", retryable=True))
    world.start(sms=True)
    await world.tell_plan_approved()
    assert world.entry().status is Status.RETRYING

    world.erase()  # the erasure event has not arrived: the tombstone alone stops it
    world.clock.advance(timedelta(minutes=5))
    await world.notifier.retry_due()

    assert world.sms.attempts == 1 and world.entry().status is Status.FAILED
    assert world.entry().delivery.address == ""
    finals = [(e.final, e.reason) for e in world.journal.outbox.events_of_type(NotificationFailed)]
    assert finals == [(False, "provider timed out"), (True, WITHHELD)]


async def test_a_held_message_of_an_erased_person_never_goes_out(world: World) -> None:
    await world.tell_plan_approved()
    world.erase()
    await world.deliveries.erase_case(world.samples.case_id, world.clock())  # the policy

    await world.start(sms=True).retry_due()

    assert world.sms.attempts == 0
    entry = world.entry()
    assert entry.status is Status.FAILED and entry.delivery.address == ""
    (failed,) = world.journal.outbox.events_of_type(NotificationFailed)
    assert failed.final and failed.reason == WITHHELD and failed.attempts == 1


async def test_the_workers_message_about_an_erased_case_still_goes(world: World) -> None:
    samples = world.samples
    world.recipients.staff[WORKER] = Target(
        WORKER, MessageChannel.TELEGRAM, "5550001", Language.UZ_LATN
    )
    world.erase()
    assigned = samples.assigned()

    await world.notifier.on_event(
        assigned, samples.envelope(assigned, f"assessment-{samples.case_id}")
    )

    (chat,) = world.chat.sent
    assert chat.person is None and chat.address == "5550001"
    assert world.erasures.asked == 0  # staff messages carry nothing of the person


async def test_an_entry_whose_address_was_never_written_fails_and_is_not_withheld(
    world: World,
) -> None:
    # An older release died between writing the entry and writing its address.
    world.sms.failures.append(DeliveryError("provider timed out", retryable=True))
    world.start(sms=True)
    await world.tell_plan_approved()
    entry = world.entry()
    entry.delivery = replace(entry.delivery, address="", params={})
    world.clock.advance(timedelta(minutes=5))

    await world.notifier.retry_due()

    assert world.sms.attempts == 1 and entry.status is Status.FAILED
    failed = world.journal.outbox.events_of_type(NotificationFailed)
    assert [(f.final, f.reason) for f in failed] == [
        (False, "provider timed out"),
        (True, "no address: lost before it was written"),
    ]
