"""What a service's handlers need of the event store: read streams, record commits.

``EventJournal`` is the port. In a running service it is the MongoDB event
store with the outbox relay (:class:`PublishingJournal`): recording appends,
then publishes at once. In unit tests it is the in-memory journal of
:mod:`inson_runtime.testing.memory`, so a command handler runs in
milliseconds with no broker and no database.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Protocol

import structlog
from inson_contracts.envelope import Envelope
from inson_contracts.events import Event

from inson_runtime.eventstore import AppendResult, Causation, Commit, EventStore
from inson_runtime.outbox import OutboxRelay

log = structlog.get_logger(__name__)


class EventJournal(Protocol):
    async def load(self, stream_id: str, *, after_version: int = 0) -> list[Envelope]:
        """The stream's events in version order, personal fields opened."""
        ...

    async def commit(self, commit_id: str, *, opened: bool = False) -> Commit | None:
        """One commit by id (an idempotent command finds its first answer here)."""
        ...

    async def version(self, stream_id: str) -> int:
        """The stream's last version (0 when it has none), from one read."""
        ...

    async def record(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[Event],
        causation: Causation,
        *,
        commit_id: str | None = None,
    ) -> AppendResult:
        """Append after ``expected_version`` and see that the commit reaches Kafka."""
        ...


class PublishingJournal:
    """The event store and its outbox relay: append, then publish at once."""

    def __init__(self, store: EventStore, relay: OutboxRelay, *, publish_timeout_s: float) -> None:
        self.store = store
        self.relay = relay
        self.publish_timeout_s = publish_timeout_s

    async def load(self, stream_id: str, *, after_version: int = 0) -> list[Envelope]:
        return await self.store.load(stream_id, after_version=after_version)

    async def commit(self, commit_id: str, *, opened: bool = False) -> Commit | None:
        return await self.store.commit(commit_id, opened=opened)

    async def version(self, stream_id: str) -> int:
        return await self.store.version(stream_id)

    async def record(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[Event],
        causation: Causation,
        *,
        commit_id: str | None = None,
    ) -> AppendResult:
        """The append is the point of no return; a failed or slow publish is only
        logged, because the relay's sweep publishes the commit later."""
        result = await self.store.append(
            stream_id, expected_version, events, causation, commit_id=commit_id
        )
        if not result.created and self.relay.on_kafka(result.stored):
            return result  # a redelivered cause whose commit went out long ago
        try:
            # Bounded, so a Kafka outage slows no request beyond this.
            await asyncio.wait_for(
                self.relay.publish_stream(stream_id, result.stored if result.created else None),
                self.publish_timeout_s,
            )
        except Exception as exc:
            log.warning(
                "publish after commit failed; the sweep will retry",
                error=str(exc) or type(exc).__name__,
            )
        return result
