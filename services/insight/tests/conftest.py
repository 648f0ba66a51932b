"""Fixtures of the insight tests: tokens of a dev key of the test's own, and the
composed service on a FerretDB database of its own, its read model filled by
applying journeys' events as the projection's consumer would (no broker)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from insight.main import compose
from insight.projections.facts import insight_facts
from insight.settings import Settings
from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.mongo import connect
from inson_runtime.service import Runtime
from inson_runtime.testing import MovableClock

NOW = datetime(2026, 3, 20, 7, 0, tzinfo=UTC)


@pytest.fixture
def token(auth: AuthSettings) -> Callable[..., str]:
    def mint(role: str, sub: str = "someone", **scope: Any) -> str:
        return mint_dev_token(sub=sub, role=role, settings=auth, **scope)

    return mint


@pytest.fixture
async def insight(
    auth: AuthSettings, kafka_bootstrap: str, mongodb_url: str
) -> AsyncIterator[tuple[Runtime, FastAPI]]:
    """The composed service (not started: no consumer runs) on a database of its own."""
    settings = Settings(
        service_name=f"insight-test-{uuid.uuid4().hex[:8]}",
        kafka_bootstrap_servers=kafka_bootstrap,
        mongodb_url=mongodb_url,
    )
    runtime, app = compose(settings, clock=MovableClock(NOW))
    try:
        yield runtime, app
    finally:
        cleanup = connect(mongodb_url)
        await cleanup.drop_database(settings.database_name)
        await cleanup.close()


@pytest.fixture
def project(
    insight: tuple[Runtime, FastAPI],
) -> Callable[[list[Envelope]], Awaitable[None]]:
    """Apply envelopes to the service's read model, as its projection's group would."""

    async def apply(envelopes: list[Envelope]) -> None:
        for envelope in envelopes:
            event = REGISTRY.parse(envelope.type, envelope.data)
            await insight_facts.apply(event, envelope, insight[0].db)

    return apply
