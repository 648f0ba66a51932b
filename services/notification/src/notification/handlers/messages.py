"""Events in, messages out: rules -> recipients -> delivery log -> channel -> events.

The message policy calls :meth:`Notifier.on_event`; the periodic job
``message-retries`` calls :meth:`Notifier.retry_due`, which sends what is due
again (retries, and entries a crash left ``sending``), turns outcomes into
NotificationSent / NotificationFailed events, and takes up events that were
waiting for their recipient to become known.

**Held.** A message for a channel nobody configured is held (status
``held``, no attempt counted, no event), not failed: the retry job makes it
due again once its channel is configured (at the next start with the
setting) and gives it up, final, when it was held longer than
``message_hold_s``.

**Erasure wins.** Intake destroys the person's key before the erasure event
exists, so the key store is asked (never a cache) about every message to a
citizen: after its entry is written and before anything else is done with
it, and again by the channel right before the provider is called (after the
rate limiter's wait). An erased person's address is deleted and the message
given up as withheld. An address written after the erasure policy deleted
the case's is deleted here, since the check after writing it sees the key
gone; one written before is deleted by that policy. So no address outlives
an erasure, and no message leaves once the key is gone, whichever side runs
first. (Addresses are deleted, never blanked in place: see
``adapters/deliveries.py`` on FerretDB's lost updates.)
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

import structlog
from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY, Event
from inson_contracts.events.notification import MessageChannel, RecipientKind
from inson_runtime.backoff import Backoff
from inson_runtime.ids import DerivedIds
from inson_runtime.observability.metrics import get_or_create
from prometheus_client import Counter

from notification.domain.deliveries import Delivery, NotKnownYet, Outcome, Status, Target
from notification.domain.outgoing import (
    WITHHELD,
    Channel,
    DeliveryError,
    Erasures,
    OutgoingMessage,
    Withheld,
)
from notification.domain.rules import Intent, intents_for
from notification.handlers.outcomes import OutcomeRecorder
from notification.handlers.ports import DeferredEvents, DeliveryLog, Recipients
from notification.messages.catalogue import render, subject
from notification.settings import Settings

log = structlog.get_logger(__name__)

MESSAGES = get_or_create(
    Counter,
    "inson_notification_messages_total",
    "Message attempts by channel and outcome (sent, retrying, failed, held, withheld).",
    ("channel", "outcome"),
)
_notification_ids = DerivedIds(uuid.UUID("0b6c9d1e-7f3a-4e25-9a8d-3c1f5e7b2d40"))


def notification_id(cause_event_id: str, kind: RecipientKind, channel: MessageChannel) -> str:
    """One event, one recipient kind, one channel: one message, however often it is read."""
    return _notification_ids(cause_event_id, kind.value, channel.value)


class Notifier:
    def __init__(
        self,
        *,
        deliveries: DeliveryLog,
        deferred: DeferredEvents,
        recipients: Recipients,
        channels: Mapping[MessageChannel, Channel],
        erasures: Erasures,
        recorder: OutcomeRecorder,
        settings: Settings,
        clock: Callable[[], datetime],
    ) -> None:
        self.deliveries = deliveries
        self.deferred = deferred
        self.recipients = recipients
        self.channels = channels  # the configured ones: the others' messages are held
        self.erasures = erasures
        self.recorder = recorder
        self.settings = settings
        self.clock = clock
        self.backoff = Backoff(settings.message_backoff_first_s, settings.message_backoff_max_s)

    async def on_event(self, event: Event, envelope: Envelope) -> None:
        now = self.clock()
        if now - envelope.time > timedelta(seconds=self.settings.max_event_age_s):
            log.debug("event too old to tell anyone about", event_type=envelope.type)
            return
        if not await self._handle(event, envelope, now):
            await self.deferred.park(envelope, now, self.settings.recipient_wait_s)

    async def _handle(self, event: Event, envelope: Envelope, now: datetime) -> bool:
        """Plan and send the event's messages; False if some recipient is not known yet."""
        complete = True
        for intent in intents_for(event, envelope.subject):
            if await self.deliveries.planned(envelope.id, intent.kind):
                continue
            try:
                target = await self.recipients.resolve(intent)
            except NotKnownYet:
                complete = False
                continue
            if target is None:
                log.info(
                    "recipient has no contact point", kind=intent.kind, template=intent.template
                )
                continue
            delivery = _delivery(intent, target, envelope)
            if await self.deliveries.insert(delivery, now, self.settings.message_lease_s):
                await self._attempt(delivery)
            # Not inserted: a redelivery. The entry's owner (this handler
            # before a crash, or the retry job) settles it.
        return complete

    async def _attempt(self, delivery: Delivery) -> None:
        settings = self.settings
        if await self._erased(delivery):
            await self._withhold(delivery)
            return
        if not delivery.address:
            # An entry of an older release, which wrote the address second
            # and died between the two writes.
            reason = "no address: lost before it was written"
            await self._settle(delivery, Status.FAILED, sent=False, final=True, reason=reason)
            return
        if delivery.attempts > settings.message_max_attempts:
            # Claimed again after the last attempt's sender died: give up.
            reason = f"gave up after {settings.message_max_attempts} attempts"
            await self._settle(delivery, Status.FAILED, sent=False, final=True, reason=reason)
            return
        channel = self.channels.get(delivery.channel)
        if channel is None:
            await self._hold(delivery)
            return
        try:
            text = render(delivery.template, delivery.language, delivery.params)
            message = OutgoingMessage(
                delivery.id, delivery.address, text, subject(delivery.language), _person(delivery)
            )
        except (LookupError, ValueError) as exc:
            # A catalogue or a rule out of step with the templates: no retry
            # can mend that, and a message with a hole in it is worse than none.
            log.exception("message cannot be written", template=delivery.template)
            reason = f"message cannot be written: {type(exc).__name__}"
            await self._settle(delivery, Status.FAILED, sent=False, final=True, reason=reason)
            return
        try:
            provider_id = await channel.send(message)
        except Withheld:
            await self._withhold(delivery)
            return
        except DeliveryError as exc:
            reason, retryable = exc.reason, exc.retryable
        except Exception as exc:
            # A bug or an unforeseen library error: retried, and loud.
            log.exception("channel failed unexpectedly", channel=delivery.channel)
            reason, retryable = f"unexpected error: {type(exc).__name__}", True
        else:
            await self._settle(delivery, Status.SENT, sent=True, final=True, provider=provider_id)
            return
        final = not retryable or delivery.attempts >= settings.message_max_attempts
        due = None
        if not final:
            due = self.clock() + timedelta(seconds=self.backoff.delay(delivery.attempts))
        status = Status.FAILED if final else Status.RETRYING
        await self._settle(delivery, status, sent=False, final=final, reason=reason, due=due)

    async def _erased(self, delivery: Delivery) -> bool:
        person = _person(delivery)
        return person is not None and await self.erasures.erased(person)

    async def _withhold(self, delivery: Delivery) -> None:
        await self.deliveries.scrub(delivery.id)
        await self._settle(
            delivery, Status.FAILED, sent=False, final=True, reason=WITHHELD, metric="withheld"
        )

    async def _hold(self, delivery: Delivery) -> None:
        if await self.deliveries.hold(delivery, self.clock()):
            MESSAGES.labels(delivery.channel.value, "held").inc()
            log.info(
                "message held: its channel is not configured",
                notification_id=delivery.id,
                channel=delivery.channel,
                template=delivery.template,
            )

    async def _settle(
        self,
        delivery: Delivery,
        status: Status,
        *,
        sent: bool,
        final: bool,
        reason: str | None = None,
        provider: str | None = None,
        due: datetime | None = None,
        metric: str | None = None,
    ) -> None:
        outcome = Outcome(delivery.attempts, self.clock(), sent, final, reason, provider)
        if not await self.deliveries.settle(delivery, status, outcome, due):
            return
        metric = metric or ("retrying" if not final else status.value)
        MESSAGES.labels(delivery.channel.value, metric).inc()
        log.info(
            "message attempt settled",
            notification_id=delivery.id,
            channel=delivery.channel,
            template=delivery.template,
            status=status,
            attempt=delivery.attempts,
            reason=reason,
        )
        try:
            await self.recorder.record(delivery.id)
        except Exception as exc:
            # The outcome is safe in the log; the retry job records it later.
            log.warning("recording the outcome failed; retried later", error=type(exc).__name__)

    async def retry_due(self, batch: int = 100) -> None:
        """The periodic job: resend what is due, record outcomes, take up waiting events."""
        await self._release_held(batch)
        for _ in range(batch):
            delivery = await self.deliveries.claim_due(self.clock(), self.settings.message_lease_s)
            if delivery is None:
                break
            await self._attempt(delivery)
        await self.recorder.sweep(self.clock())
        await self._take_up_waiting()

    async def _release_held(self, batch: int) -> None:
        """Held messages of the configured channels become due; those held too long fail."""
        now = self.clock()
        held_since = now - timedelta(seconds=self.settings.message_hold_s)
        released = await self.deliveries.release_held(list(self.channels), now, held_since)
        if released:
            log.info("held messages released to their channels", count=released)
        for _ in range(batch):
            lease = self.settings.message_lease_s
            delivery = await self.deliveries.claim_expired_held(held_since, now, lease)
            if delivery is None:
                break
            if await self._erased(delivery):
                await self._withhold(delivery)
                continue
            hours = round(self.settings.message_hold_s / 3600)
            reason = f"held over {hours} h: the {delivery.channel} channel was not configured"
            await self._settle(delivery, Status.FAILED, sent=False, final=True, reason=reason)

    async def _take_up_waiting(self) -> None:
        now = self.clock()
        for parked in await self.deferred.due(now):
            envelope = parked.envelope
            event = REGISTRY.parse(envelope.type, envelope.data)
            if await self._handle(event, envelope, now):
                await self.deferred.drop(envelope.id)
            elif now >= parked.give_up_at:
                log.warning("recipient never became known; not told", event_type=envelope.type)
                await self.deferred.drop(envelope.id)
            else:
                wait = timedelta(seconds=self.settings.recipient_recheck_s)
                await self.deferred.later(envelope.id, now + wait)


def _person(delivery: Delivery) -> str | None:
    """Whose personal data the message carries (their key id): the citizen's case."""
    return delivery.case_id if delivery.kind is RecipientKind.CITIZEN else None


def _delivery(intent: Intent, target: Target, envelope: Envelope) -> Delivery:
    return Delivery(
        id=notification_id(envelope.id, intent.kind, target.channel),
        cause_event_id=envelope.id,
        cause_type=envelope.type,
        case_id=intent.case_id,
        correlation_id=envelope.correlationid or envelope.id,
        region=envelope.region,
        district=envelope.district,
        kind=intent.kind,
        recipient_ref=target.ref,
        channel=target.channel,
        address=target.address,
        language=target.language,
        template=intent.template,
        params=dict(intent.params),
    )
