"""What every service's composition root assembles: connections, the event
store with its outbox relay, consumers, and the FastAPI app around them.

A service's ``main.py`` builds a :class:`Runtime`, registers its handlers and
projections on it, and calls :func:`build_app`. Nothing here knows a domain.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI
from fastapi_offline import FastAPIOffline
from faststream.kafka import KafkaBroker
from inson_contracts.events import Event
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from inson_runtime.apikit import answer
from inson_runtime.audit import AuditLog
from inson_runtime.auth import Authenticator, CurrentPrincipal, Principal, install_authenticator
from inson_runtime.body_limit import BodySizeLimit
from inson_runtime.claims import Turns
from inson_runtime.consumer import EventConsumer
from inson_runtime.docs import install_examples
from inson_runtime.eventstore import AppendResult, Causation, EventStore
from inson_runtime.journal import PublishingJournal
from inson_runtime.kafka import EventPublisher, make_broker
from inson_runtime.mongo import Document, connect, ping
from inson_runtime.observability.http import install_observability
from inson_runtime.observability.logging import configure_logging
from inson_runtime.observability.store_profile import install_if_asked
from inson_runtime.outbox import OutboxRelay
from inson_runtime.privacy import KeyStore, LocalKek, Sealer
from inson_runtime.problems import Problem, install_problem_document, install_problems
from inson_runtime.projections import Projection
from inson_runtime.settings import ServiceSettings

log = structlog.get_logger(__name__)


# Answers any route may give, published in every service's OpenAPI (as problems:
# inson_runtime.problems.openapi).
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "The body cannot be read"},
    401: {"model": Problem, "description": "No valid bearer token"},
    403: {"model": Problem, "description": "The token's role or scope does not allow this"},
    413: {"model": Problem, "description": "The request body is too large"},
    500: {"model": Problem, "description": "An unexpected failure (no internals are told)"},
    503: {
        "model": Problem,
        "description": "The data store is unavailable; retry after Retry-After seconds",
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    },
}


# One document per periodic job and interval (inson_runtime.claims.Turns).
JOB_TURNS = "job_turns"

# Where /docs finds Swagger UI's files.
DOCS_ASSETS = "/docs/assets"


@dataclass
class Runtime:
    settings: ServiceSettings
    mongo: AsyncMongoClient[Document]
    db: AsyncDatabase[Document]
    store: EventStore
    broker: KafkaBroker
    publisher: EventPublisher
    relay: OutboxRelay
    # Personal fields are sealed per person (see inson_runtime.privacy).
    sealer: Sealer
    consumers: list[EventConsumer] = field(default_factory=list)
    projections: list[Projection] = field(default_factory=list)
    # Service-specific preparation (indexes, reference data) run at start.
    on_start: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    periodic: list[tuple[str, float, Callable[[], Awaitable[None]]]] = field(default_factory=list)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    started: bool = False
    # Access records of personal-data reads (inson_runtime.audit), batched.
    audit: AuditLog = field(init=False)

    # What repositories use: the store, publishing each commit right after it.
    journal: PublishingJournal = field(init=False)
    # Which replica runs a periodic job in each of its intervals.
    turns: Turns = field(init=False)

    def __post_init__(self) -> None:
        self.audit = AuditLog(self.store, self.relay, service=self.settings.service_name)
        self.journal = PublishingJournal(
            self.store, self.relay, publish_timeout_s=self.settings.inline_publish_timeout_s
        )
        self.turns = Turns(self.db[JOB_TURNS])

    @property
    def service(self) -> str:
        return self.settings.service_name

    def consumer(
        self,
        group: str,
        *topics: str,
        open_personal: bool = True,
        concurrency: int | None = None,
    ) -> EventConsumer:
        """A new consumer group of this service (``<service>.<group>``).

        ``open_personal=False`` hands the handlers events in their sealed wire
        form (personal fields None), for a handler that stores events to pass
        on later and opens them only then (partner webhooks). ``concurrency``
        is how many (partition, key) lanes of a batch run at once (see
        inson_runtime.consumer; ``consumer_lanes`` by default): one stream's
        events keep their order, different streams' do not.
        """
        consumer = EventConsumer(
            service=self.service,
            group_id=f"{self.service}.{group}",
            topics=topics,
            publisher=self.publisher,
            sealer=self.sealer if open_personal else None,
            concurrency=concurrency or self.settings.consumer_lanes,
        )
        self.consumers.append(consumer)
        return consumer

    def add_projection(self, projection: Projection) -> Projection:
        self.projections.append(projection)
        self.consumers.append(
            projection.consumer(
                service=self.service, db=self.db, publisher=self.publisher, sealer=self.sealer
            )
        )
        return projection

    async def record(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[Event],
        causation: Causation,
        *,
        commit_id: str | None = None,
    ) -> AppendResult:
        """Append to the store, then publish at once (see :class:`PublishingJournal`)."""
        return await self.journal.record(
            stream_id, expected_version, events, causation, commit_id=commit_id
        )

    def every(self, name: str, interval_s: float, job: Callable[[], Awaitable[None]]) -> None:
        """Run ``job`` every ``interval_s`` while the service runs (deadlines, expiries).

        Jobs keep their state in the store, not in memory, so a restart loses
        nothing; an outage is logged and the job simply runs again next time.
        Of several replicas, one runs the job in each interval (the first to
        take its turn, :class:`~inson_runtime.claims.Turns`); a run that
        outlasts its interval may meet the next one, so what a job claims it
        claims for itself (:class:`~inson_runtime.claims.Claims`).
        """
        self.periodic.append((name, interval_s, job))

    async def _repeat(
        self, name: str, interval_s: float, job: Callable[[], Awaitable[None]]
    ) -> None:
        while True:
            try:
                if await self.turns.take(name, interval_s):
                    await job()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("periodic job failed; it runs again next interval", job=name)
            await asyncio.sleep(interval_s)

    async def mongo_ready(self) -> bool:
        return await ping(self.mongo)

    async def kafka_ready(self) -> bool:
        return bool(await self.broker.ping(timeout=2.0))

    async def start(self) -> None:
        await self.store.ensure_indexes()
        for prepare in self.on_start:
            await prepare()
        for consumer in self.consumers:
            consumer.subscribe(self.broker)
        await self.broker.start()
        self._tasks.append(
            asyncio.create_task(
                self.relay.run(
                    interval_s=self.settings.outbox_sweep_interval_s,
                    grace_s=self.settings.outbox_grace_s,
                ),
                name="outbox-relay",
            )
        )
        for name, interval_s, job in self.periodic:
            self._tasks.append(asyncio.create_task(self._repeat(name, interval_s, job), name=name))
        self.started = True

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        await self.audit.close()
        # FastStream waits for in-flight handlers (graceful_timeout) and
        # commits their offsets before closing the consumers.
        await self.broker.stop()
        # Published commits' markers still waiting for their batch.
        await self.relay.close()
        await self.mongo.close()
        self.started = False


def create_runtime(settings: ServiceSettings) -> Runtime:
    configure_logging(settings.service_name, settings.log_level, json=settings.log_json)
    if settings.kek_required and settings.kek is None:
        raise RuntimeError(
            "INSON_KEK is required here (INSON_KEK_REQUIRED): the development "
            "key-encryption key is public"
        )
    install_if_asked(settings.service_name)
    mongo = connect(settings.mongodb_url)
    keys = KeyStore.connect(
        mongo,
        LocalKek.from_env(settings.kek.get_secret_value() if settings.kek else None),
        database=settings.keys_database,
        ttl_s=settings.key_cache_ttl_s,
    )
    sealer = Sealer(keys)
    store = EventStore(mongo, settings.database_name, sealer=sealer)
    broker = make_broker(
        settings.kafka_bootstrap_servers,
        client_id=f"inson-{settings.service_name}",
        security=settings.kafka_security(),
    )
    publisher = EventPublisher(broker, service=settings.service_name)
    return Runtime(
        settings=settings,
        mongo=mongo,
        db=mongo[settings.database_name],
        store=store,
        broker=broker,
        publisher=publisher,
        relay=OutboxRelay(
            store,
            publisher,
            service=settings.service_name,
            clear_linger_s=settings.outbox_clear_linger_s,
        ),
        sealer=sealer,
    )


def build_app(
    runtime: Runtime,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter] = (),
    authenticator: Authenticator | None = None,
) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        log.info("service started", service=runtime.service)
        try:
            yield
        finally:
            # uvicorn calls this once it has answered, or cut off at its
            # graceful timeout, every request it had read: the record that a
            # rolling restart lost no request.
            log.info(
                "service stopping",
                service=runtime.service,
                http_requests_answered=ledger.answered,
                http_requests_unanswered=ledger.unanswered,
            )
            await runtime.stop()
            log.info("service stopped", service=runtime.service)

    # /docs (Swagger UI) loads its script, style and icon from the service itself
    # (DOCS_ASSETS, files of the installed fastapi-offline package): FastAPI's own
    # page fetches them from a CDN, blank offline. No /redoc: ReDoc's bundle
    # still fetches its logo from its CDN.
    app = FastAPIOffline(
        title=title,
        description=description,
        version="0.1.0",
        lifespan=lifespan,
        responses=COMMON_RESPONSES,
        static_url=DOCS_ASSETS,
        redoc_url=None,
    )
    app.state.runtime = runtime
    install_authenticator(app, authenticator or Authenticator.from_settings())
    # Added first, so it runs inside the observability middleware: a refused
    # body is counted, logged with its correlation id and carries it.
    app.add_middleware(BodySizeLimit, max_bytes=runtime.settings.max_body_bytes)
    ledger = install_observability(
        app,
        runtime.service,
        readiness_checks={"mongodb": runtime.mongo_ready, "kafka": runtime.kafka_ready},
    )
    app.include_router(_whoami)
    for router in routers:
        app.include_router(router)

    install_problems(app)
    install_problem_document(app)
    install_examples(app)
    return app


_whoami = APIRouter(tags=["auth"])


@_whoami.get(
    "/v1/me",
    summary="The caller as the token describes them",
    description="Any valid bearer token: who it names (`sub`), their role and the scope "
    "every other route is limited to (mahallas, district, service center, providers). "
    "Use it to check a token before working with it; nothing is recorded.",
    responses=answer(
        "The token's user, role and scope",
        {
            "sub": "sw-1735207-03",
            "role": "social_worker",
            "scope": {
                "mahallas": ["1735207001", "1735207005"],
                "service_center": None,
                "district": "1735207",
                "providers": [],
            },
            "name": None,
        },
    ),
)
async def whoami(principal: CurrentPrincipal) -> Principal:
    return principal
