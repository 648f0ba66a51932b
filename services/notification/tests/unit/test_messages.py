"""The notifier and the outcome recorder on in-memory stores and an InMemoryJournal:
one message per event and recipient, retries on the backoff, events recorded once
under the same commit ids however often an outcome is recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from inson_contracts.codes.names import Language
from inson_contracts.codes.service_model import ProviderType
from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY, NotificationFailed, NotificationSent
from inson_contracts.events.notification import MessageChannel, RecipientKind
from inson_runtime.repository import Repository
from inson_runtime.testing import InMemoryJournal, MovableClock
from notification.domain.deliveries import Status, Target
from notification.domain.outcomes import STREAM_PREFIX, MessageRecord, replay
from notification.domain.outgoing import DeliveryError
from notification.domain.rules import short_ref
from notification.handlers.messages import Notifier, notification_id
from notification.handlers.outcomes import OutcomeRecorder
from notification.settings import Settings

from ..conftest import REFERRAL_CODE, WINDOW, WORKER, Samples
from .fakes import (
    FakeChannel,
    FakeDeferredEvents,
    FakeDeliveryLog,
    FakeErasures,
    FakeRecipients,
)

PHONE = "+998901234567"
WORKER_CHAT = "5550001"


class World:
    def __init__(self, samples: Samples, *failures: DeliveryError) -> None:
        self.samples = samples
        self.clock = MovableClock(samples.now + timedelta(seconds=1))
        self.journal = InMemoryJournal()
        self.deliveries = FakeDeliveryLog()
        self.deferred = FakeDeferredEvents()
        self.recipients = FakeRecipients()
        self.sms = FakeChannel(MessageChannel.SMS, list(failures))
        self.chat = FakeChannel(MessageChannel.TELEGRAM)
        self.erasures = FakeErasures()
        self.messages: Repository[MessageRecord] = Repository(
            self.journal, source="inson/notification", stream_prefix=STREAM_PREFIX, replay=replay
        )
        self.recorder = OutcomeRecorder(self.messages, self.deliveries)
        settings = Settings(message_backoff_first_s=60, message_max_attempts=3)
        self.notifier = Notifier(
            deliveries=self.deliveries,
            deferred=self.deferred,
            recipients=self.recipients,
            channels={MessageChannel.SMS: self.sms, MessageChannel.TELEGRAM: self.chat},
            erasures=self.erasures,
            recorder=self.recorder,
            settings=settings,
            clock=self.clock,
        )

    def knows_the_citizen(self) -> None:
        case_id = self.samples.case_id
        self.recipients.citizens[case_id] = Target(case_id, MessageChannel.SMS, PHONE, Language.RU)

    async def tell_plan_approved(self) -> Envelope:
        """Hand the notifier a PlanApproved as the message policy does; its envelope."""
        samples = self.samples
        approved = samples.plan_approved()
        stream = f"assessment-{samples.case_id}"
        envelope = samples.envelope(approved, stream, correlationid="c-1")
        await self.notifier.on_event(approved, envelope)
        return envelope


@pytest.fixture
def world(samples: Samples) -> World:
    return World(samples)


async def test_an_event_is_told_once_and_recorded_as_notification_sent(world: World) -> None:
    world.knows_the_citizen()
    approved = await world.tell_plan_approved()
    redelivered = REGISTRY.parse(approved.type, approved.data)
    await world.notifier.on_event(redelivered, approved)

    (message,) = world.sms.sent
    expected_id = notification_id(approved.id, RecipientKind.CITIZEN, MessageChannel.SMS)
    assert message.notification_id == expected_id and message.address == PHONE
    assert message.text.startswith("Инсон:")  # the citizen's language
    (sent,) = world.journal.outbox.events_of_type(NotificationSent)
    assert (sent.notification_id, sent.attempts, sent.provider_message_id) == (
        expected_id,
        1,
        "p-1",
    )
    assert sent.template == "citizen.plan_approved" and sent.cause_event_id == approved.id
    (commit,) = world.journal.outbox.published
    assert commit.commit_id == f"{expected_id}:1:sent"
    (envelope,) = commit.events
    assert envelope.subject == f"notification-{expected_id}"
    assert (envelope.correlationid, envelope.causationid) == ("c-1", approved.id)
    assert world.deliveries.entries[expected_id].status is Status.SENT


async def test_recording_an_outcome_again_appends_nothing(world: World) -> None:
    world.knows_the_citizen()
    await world.tell_plan_approved()
    (delivery_id,) = world.deliveries.entries
    # As after a crash between the append and marking the entry recorded.
    world.deliveries.entries[delivery_id].recorded = 0
    world.deliveries.entries[delivery_id].unrecorded = True

    await world.recorder.record(delivery_id)
    world.clock.advance(timedelta(minutes=1))
    await world.recorder.sweep(world.clock())

    assert len(world.journal.outbox.published) == 1
    assert len(world.journal.store.commits) == 1
    assert world.deliveries.entries[delivery_id].unrecorded is False


async def test_a_failed_attempt_is_retried_after_the_backoff_and_both_are_events(
    samples: Samples,
) -> None:
    world = World(samples, DeliveryError("provider answered HTTP 503", retryable=True))
    world.knows_the_citizen()
    await world.tell_plan_approved()

    await world.notifier.retry_due()
    assert world.sms.sent == []  # the backoff (60 s) holds
    world.clock.advance(timedelta(seconds=61))
    await world.notifier.retry_due()
    await world.notifier.retry_due()

    assert len(world.sms.sent) == 1 and world.sms.attempts == 2
    failed, sent = world.journal.outbox.events()
    assert isinstance(failed, NotificationFailed) and isinstance(sent, NotificationSent)
    assert (failed.attempts, failed.final, failed.reason) == (
        1,
        False,
        "provider answered HTTP 503",
    )
    assert sent.attempts == 2
    commits = [c.commit_id for c in world.journal.outbox.published]
    assert [c.rsplit(":", 2)[1:] for c in commits] == [["1", "failed"], ["2", "sent"]]


async def test_a_refusal_fails_at_once_and_the_last_retry_is_final(samples: Samples) -> None:
    refused = World(samples, DeliveryError("mail server refused the recipient", retryable=False))
    refused.knows_the_citizen()
    await refused.tell_plan_approved()
    (failed,) = refused.journal.outbox.events_of_type(NotificationFailed)
    assert failed.final and failed.attempts == 1

    down = World(samples, *[DeliveryError("provider timed out", retryable=True)] * 3)
    down.knows_the_citizen()
    await down.tell_plan_approved()
    for _ in range(3):
        down.clock.advance(timedelta(minutes=10))
        await down.notifier.retry_due()
    finals = [e.final for e in down.journal.outbox.events_of_type(NotificationFailed)]
    assert finals == [False, False, True] and down.sms.attempts == 3  # max attempts: 3


async def test_an_event_waits_for_its_recipient_and_goes_out_once_known(world: World) -> None:
    approved = await world.tell_plan_approved()
    assert world.sms.sent == [] and approved.id in world.deferred.parked

    world.knows_the_citizen()
    await world.notifier.retry_due()

    assert len(world.sms.sent) == 1 and world.deferred.parked == {}
    assert len(world.journal.outbox.events_of_type(NotificationSent)) == 1


async def test_staff_are_told_on_their_channel_and_old_events_not_at_all(world: World) -> None:
    samples = world.samples
    world.recipients.staff[WORKER] = Target(
        WORKER, MessageChannel.TELEGRAM, WORKER_CHAT, Language.UZ_LATN
    )
    assigned = samples.assigned()
    stream = f"assessment-{samples.case_id}"
    await world.notifier.on_event(assigned, samples.envelope(assigned, stream))
    (chat,) = world.chat.sent
    assert chat.address == WORKER_CHAT and world.sms.sent == []

    world.clock.advance(timedelta(days=3))  # past max_event_age_s
    late = samples.envelope(assigned, stream, 2)
    await world.notifier.on_event(assigned, late)
    assert len(world.chat.sent) == 1 and late.id not in world.deferred.parked


async def test_a_referral_code_reaches_the_citizen_once_with_the_window_still_told(
    world: World,
) -> None:
    samples = world.samples
    world.knows_the_citizen()
    world.recipients.staff[WINDOW] = Target(WINDOW, MessageChannel.TELEGRAM, "5550009", Language.RU)
    issued = samples.issued(ProviderType.SOCIAL_SERVICE_WINDOW, code=REFERRAL_CODE)
    envelope = samples.envelope(issued, f"referral-{samples.referral_id}")

    await world.notifier.on_event(issued, envelope)
    await world.notifier.on_event(issued, envelope)  # redelivered

    (sms,) = world.sms.sent
    assert sms.address == PHONE and REFERRAL_CODE in sms.text
    assert "Социальное обслуживание на дому" in sms.text  # the service, in Russian
    (chat,) = world.chat.sent
    assert short_ref(samples.referral_id) in chat.text
    templates = sorted(e.template for e in world.journal.outbox.events_of_type(NotificationSent))
    assert templates == ["citizen.referral_issued", "window.referral_received"]


async def test_an_expired_referral_is_told_to_the_cases_worker(world: World) -> None:
    samples = world.samples
    world.recipients.workers[samples.case_id] = Target(
        WORKER, MessageChannel.TELEGRAM, WORKER_CHAT, Language.UZ_LATN
    )
    expired = samples.expired()

    await world.notifier.on_event(
        expired, samples.envelope(expired, f"referral-{samples.referral_id}", 4)
    )

    (chat,) = world.chat.sent
    assert chat.address == WORKER_CHAT
    assert chat.text == (
        f"Inson: murojaat {short_ref(samples.case_id)}, yoʻllanma "
        f"{short_ref(samples.referral_id)} xizmat koʻrsatilmay muddati tugadi. "
        "Rejani qayta koʻrib chiqing."
    )


async def test_a_near_end_of_temporary_housing_reaches_the_citizen_and_the_worker_once(
    world: World,
) -> None:
    samples = world.samples
    world.knows_the_citizen()
    world.recipients.workers[samples.case_id] = Target(
        WORKER, MessageChannel.TELEGRAM, WORKER_CHAT, Language.UZ_LATN
    )
    ending = samples.housing_ending()
    envelope = samples.envelope(ending, f"assessment-{samples.case_id}", 9)

    await world.notifier.on_event(ending, envelope)
    await world.notifier.on_event(ending, envelope)  # redelivered

    (sms,) = world.sms.sent
    assert sms.address == PHONE and "по 1 сентября 2026" in sms.text  # the citizen reads Russian
    (chat,) = world.chat.sent
    assert chat.address == WORKER_CHAT and short_ref(samples.registration_id) in chat.text
    templates = sorted(e.template for e in world.journal.outbox.events_of_type(NotificationSent))
    assert templates == ["citizen.housing_ending", "worker.housing_ending"]
