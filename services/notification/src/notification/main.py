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
from inson_contracts.events import PersonErased
from inson_contracts.topics import ASSESSMENT_PLANS, INTAKE_CASES, REFERRALS
from inson_runtime.cli import service_cli
from inson_runtime.repository import Repository
from inson_runtime.service import Runtime, build_app, create_runtime

from notification.adapters.channels.setup import channels
from notification.adapters.deliveries import MongoDeferredEvents, MongoDeliveryLog
from notification.adapters.partner_cases import MongoPartnerCases
from notification.adapters.recipients import MongoRecipients
from notification.adapters.subscriptions import MongoSubscriptions
from notification.adapters.webhook_http import (
    HttpWebhooks,
    SystemResolver,
    WebhookDestinations,
    webhook_client,
)
from notification.adapters.webhook_outbox import MongoWebhookOutbox
from notification.api.deps import install_error_answers
from notification.api.messages import router as messages_router
from notification.api.subscriptions import router as subscriptions_router
from notification.domain.outcomes import STREAM_PREFIX, replay
from notification.domain.rules import RULE_EVENTS
from notification.domain.subscriptions import subscribable_classes
from notification.handlers.commands import Partners
from notification.handlers.messages import Notifier
from notification.handlers.outcomes import OutcomeRecorder
from notification.handlers.partner_feed import PartnerFeed
from notification.handlers.policies import Policies
from notification.handlers.webhooks import WebhookWorker
from notification.projections.message_queries import MessageLog
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


def compose(settings: Settings, *, clock: Clock = _utc_now) -> tuple[Runtime, FastAPI]:
    runtime = create_runtime(settings)
    # httpx logs every request URL at INFO; the bot API carries its token in
    # the path and a partner's webhook URL may carry credentials.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    db = runtime.db
    client = httpx.AsyncClient(timeout=settings.channel_timeout_s)

    deliveries, deferred = MongoDeliveryLog(db), MongoDeferredEvents(db, runtime.sealer)
    # The key store itself (its erased() reads no cache): an erasure destroys
    # the key before anything else, so this is where it shows first.
    erasures = runtime.sealer.keys
    subscriptions, outbox = MongoSubscriptions(db), MongoWebhookOutbox(db)
    destinations = WebhookDestinations(
        SystemResolver(timeout_s=settings.webhook_resolve_timeout_s),
        development=settings.webhooks_to_loopback(),
    )
    partner_client = webhook_client()
    messages = Repository(
        runtime.journal, source="inson/notification", stream_prefix=STREAM_PREFIX, replay=replay
    )
    notifier = Notifier(
        deliveries=deliveries,
        deferred=deferred,
        recipients=MongoRecipients(db, directory),
        channels=channels(settings, client, erasures),
        erasures=erasures,
        recorder=OutcomeRecorder(messages, deliveries),
        settings=settings,
        clock=clock,
    )
    webhooks = WebhookWorker(
        queues=outbox,
        subscriptions=subscriptions,
        webhooks=HttpWebhooks(partner_client, destinations, timeout_s=settings.webhook_timeout_s),
        clock=clock,
        concurrency=settings.webhook_concurrency,
        lease_s=settings.webhook_lease_s,
        personal_data=runtime.sealer,
    )
    partner_cases = MongoPartnerCases(db)
    partner_feed = PartnerFeed(subscriptions, outbox, partner_cases, clock)
    policies = Policies(
        notifier=notifier,
        webhooks=webhooks,
        deliveries=deliveries,
        deferred=deferred,
        partner_feed=partner_feed,
        clock=clock,
    )

    async def prepare() -> None:
        directory()  # a broken contacts file stops the start, with its reason
        await deliveries.ensure_indexes()
        await subscriptions.ensure_indexes()
        await outbox.ensure_indexes()
        await partner_cases.ensure_indexes()

    runtime.on_start.append(prepare)
    runtime.add_projection(recipients_view)
    _register(runtime, policies, settings)

    app = build_app(
        runtime,
        title="Inson notification",
        description=DESCRIPTION,
        routers=[subscriptions_router, messages_router],
    )
    install_error_answers(app)
    app.state.partners = Partners(
        subscriptions=subscriptions,
        queues=outbox,
        feed=partner_feed,
        destinations=destinations,
        clock=clock,
    )
    app.state.message_log = MessageLog(db)
    app.state.policies = policies  # tests run the jobs through it, when they mean to
    _close_on_shutdown(app, client, partner_client)
    return runtime, app


def _register(runtime: Runtime, policies: Policies, settings: Settings) -> None:
    """The policies on their consumer groups, and the jobs."""
    topics = (INTAKE_CASES.name, ASSESSMENT_PLANS.name, REFERRALS.name)
    tell = runtime.consumer("policy.messages", *topics, concurrency=settings.message_concurrency)
    tell.on(*RULE_EVENTS)(policies.tell)
    # Kept sealed: the worker opens each event when it sends it.
    partner_feed = runtime.consumer(
        "policy.partners",
        *topics,
        open_personal=False,
        concurrency=settings.partner_fanout_concurrency,
    )
    partner_feed.on(*subscribable_classes())(policies.fan_out)
    runtime.consumer("policy.erasures", INTAKE_CASES.name).on(PersonErased)(policies.erase)
    runtime.every("message-retries", settings.message_retry_interval_s, policies.retry_messages)
    runtime.every("webhook-deliveries", settings.webhook_interval_s, policies.deliver_webhooks)


def _close_on_shutdown(app: FastAPI, *clients: httpx.AsyncClient) -> None:
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            async with inner(app):
                yield
        finally:
            # After the runtime stopped: no job or handler uses a client now.
            for client in clients:
                await client.aclose()

    app.router.lifespan_context = lifespan


def create_app() -> FastAPI:
    """ASGI factory, for `uvicorn --factory notification.main:create_app`."""
    return compose(Settings())[1]


def cli(argv: Sequence[str] | None = None) -> int:
    return service_cli("inson-notification", Settings(), compose, argv)


if __name__ == "__main__":
    sys.exit(cli())
