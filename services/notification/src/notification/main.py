"""Composition root of the notification service: the only place that picks adapters.

Citizens, workers and windows are told; partner agencies subscribe to events.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime

import httpx
from fastapi import FastAPI
from inson_contracts.envelope import Envelope
from inson_contracts.events import Event, PersonErased
from inson_contracts.events.notification import MessageChannel
from inson_contracts.topics import ASSESSMENT_PLANS, INTAKE_CASES, REFERRALS
from inson_runtime.cli import service_cli
from inson_runtime.service import Runtime, build_app, create_runtime
from inson_runtime.settings import ServiceSettings

from notification.api.messages import router as messages_router
from notification.api.routes import Partners, router
from notification.channels.base import Channel, Unconfigured
from notification.channels.http import SmsGateway, TelegramBot
from notification.channels.ratelimit import RateLimited, TokenBucket
from notification.channels.smtp import SmtpEmail
from notification.delivery.log import DeferredEvents, DeliveryLog
from notification.delivery.notifier import Notifier
from notification.delivery.outcomes import OutcomeRecorder
from notification.delivery.recipients import Recipients
from notification.domain.rules import RULE_EVENTS
from notification.partners.outbox import PartnerOutbox
from notification.partners.subscriptions import SubscriptionStore, subscribable_classes
from notification.partners.worker import WebhookWorker
from notification.projections.recipients import recipients_view
from notification.reference.contacts import directory
from notification.settings import Settings

DESCRIPTION = (
    "Citizens, social workers and windows are told what happened, in the citizen's language "
    "and script, over SMS, e-mail or a chat bot; partner agencies subscribe to events through "
    "signed, ordered, retried webhooks."
)
Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def channels(settings: Settings, client: httpx.AsyncClient) -> dict[MessageChannel, Channel]:
    sms: Channel = Unconfigured(MessageChannel.SMS)
    if settings.sms_gateway_url:
        token = settings.sms_gateway_token.get_secret_value()
        sms = SmsGateway(client, settings.sms_gateway_url, token)
    telegram: Channel = Unconfigured(MessageChannel.TELEGRAM)
    if settings.telegram_api_base:
        token = settings.telegram_bot_token.get_secret_value()
        telegram = TelegramBot(client, settings.telegram_api_base, token)
    email: Channel = Unconfigured(MessageChannel.EMAIL)
    if settings.smtp_host:
        email = SmtpEmail(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_sender,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value(),
            starttls=settings.smtp_starttls,
            timeout_s=settings.channel_timeout_s,
        )
    limits = {
        MessageChannel.SMS: (sms, settings.sms_rate_per_s, settings.sms_burst),
        MessageChannel.TELEGRAM: (telegram, settings.telegram_rate_per_s, settings.telegram_burst),
        MessageChannel.EMAIL: (email, settings.email_rate_per_s, settings.email_burst),
    }
    return {
        kind: RateLimited(channel, TokenBucket(rate, burst))
        for kind, (channel, rate, burst) in limits.items()
    }


def compose(settings: ServiceSettings, *, clock: Clock = _utc_now) -> tuple[Runtime, FastAPI]:
    if not isinstance(settings, Settings):
        raise TypeError("the notification service needs notification.settings.Settings")
    config = settings
    runtime = create_runtime(config)
    # httpx logs every request URL at INFO; the bot API carries its token in
    # the path and a partner's webhook URL may carry credentials.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    db = runtime.db
    client = httpx.AsyncClient(timeout=config.channel_timeout_s)

    deliveries = DeliveryLog(db)
    notifier = Notifier(
        deliveries=deliveries,
        deferred=DeferredEvents(db),
        recipients=Recipients(db, directory),
        channels=channels(config, client),
        recorder=OutcomeRecorder(runtime, deliveries),
        settings=config,
        clock=clock,
    )
    subscriptions = SubscriptionStore(db)
    outbox = PartnerOutbox(db)
    webhooks = WebhookWorker(
        outbox=outbox,
        subscriptions=subscriptions,
        client=client,
        clock=clock,
        concurrency=config.webhook_concurrency,
        lease_s=config.webhook_lease_s,
        timeout_s=config.webhook_timeout_s,
        sealer=runtime.sealer,
    )

    async def prepare() -> None:
        directory()  # a broken contacts file stops the start, with its reason
        await deliveries.ensure_indexes()
        await subscriptions.ensure_indexes()
        await outbox.ensure_indexes()

    runtime.on_start.append(prepare)
    runtime.add_projection(recipients_view)
    topics = (INTAKE_CASES.name, ASSESSMENT_PLANS.name, REFERRALS.name)

    # Messages and partner deliveries are separate groups: a slow SMS
    # gateway must not hold up partners, nor a partner the messages.
    messages = runtime.consumer("policy.messages", *topics, concurrency=config.message_concurrency)
    messages.on(*RULE_EVENTS)(notifier.on_event)

    # Kept sealed: the worker opens each event when it sends it (see WebhookWorker).
    partner_feed = runtime.consumer(
        "policy.partners",
        *topics,
        open_personal=False,
        concurrency=config.partner_fanout_concurrency,
    )

    @partner_feed.on(*subscribable_classes())
    async def fan_out(event: Event, envelope: Envelope) -> None:
        await outbox.remember(envelope)
        for subscription in await subscriptions.matching(envelope):
            await outbox.enqueue(subscription, envelope, clock())

    # An erasure blanks what the service holds outside its read models: the
    # citizen's address in the delivery log and events parked for later.
    # (The recipients projection reacts on its own; partner_events are kept
    # sealed, so nothing there opens after the key is gone.)
    erasures = runtime.consumer("policy.erasures", INTAKE_CASES.name)

    @erasures.on(PersonErased)
    async def erase(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, PersonErased)
        await deliveries.erase_case(event.case_id)
        await notifier.deferred.erase_case(event.case_id)

    runtime.every("message-retries", config.message_retry_interval_s, notifier.retry_due)
    runtime.every("webhook-deliveries", config.webhook_interval_s, webhooks.tick)

    app = build_app(
        runtime,
        title="Inson notification",
        description=DESCRIPTION,
        routers=[router, messages_router],
    )
    app.state.partners = Partners(subscriptions, outbox, clock, config.webhook_require_https)
    app.state.notifier = notifier
    app.state.webhooks = webhooks
    _close_on_shutdown(app, client)
    return runtime, app


def _close_on_shutdown(app: FastAPI, client: httpx.AsyncClient) -> None:
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            async with inner(app):
                yield
        finally:
            # After the runtime stopped: no job or handler uses the client now.
            await client.aclose()

    app.router.lifespan_context = lifespan


def create_app() -> FastAPI:
    """ASGI factory, for `uvicorn --factory notification.main:create_app`."""
    return compose(Settings())[1]


def cli(argv: Sequence[str] | None = None) -> int:
    return service_cli("inson-notification", Settings(), compose, argv)


if __name__ == "__main__":
    sys.exit(cli())
