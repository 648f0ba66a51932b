"""The outbox relay: events reach Kafka only after they are durable in the store.

The writer of a commit publishes it right away (``publish_stream``); a
background sweep publishes whatever a crash left behind. Either path publishes
a stream's unpublished commits oldest first, so a case's events reach Kafka in
version order. Both may publish the same commit (a crash after the send but
before ``mark_published``): consumers are idempotent, so that costs a
duplicate record, never a double effect.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import structlog

from inson_runtime.eventstore import Commit, EventStore
from inson_runtime.kafka import TRANSIENT_KAFKA_ERRORS, EventPublisher
from inson_runtime.mongo import TRANSIENT_MONGO_ERRORS
from inson_runtime.observability.metrics import OUTBOX_PENDING

log = structlog.get_logger(__name__)


class OutboxRelay:
    def __init__(self, store: EventStore, publisher: EventPublisher, *, service: str) -> None:
        self.store = store
        self.publisher = publisher
        self.service = service
        # One stream is published by one task at a time in this process, so a
        # request's inline publish and the sweep don't interleave its events.
        self._locks: dict[str, asyncio.Lock] = {}

    def _lock(self, stream_id: str) -> asyncio.Lock:
        lock = self._locks.get(stream_id)
        if lock is None:
            if len(self._locks) > 10_000:
                self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            lock = self._locks[stream_id] = asyncio.Lock()
        return lock

    async def publish_stream(self, stream_id: str) -> int:
        """Publish every unpublished commit of one stream, oldest first."""
        async with self._lock(stream_id):
            commits = await self.store.unpublished(stream_id=stream_id)
            await self._publish(commits)
            return len(commits)

    async def _publish(self, commits: list[Commit]) -> None:
        for commit in commits:
            await self.publisher.publish(commit.topic, commit.events)
            await self.store.mark_published([commit.commit_id])

    async def sweep_once(self, *, grace_s: float = 0.0) -> int:
        """Publish commits older than ``grace_s`` that nobody published."""
        older_than = datetime.now(UTC) - timedelta(seconds=grace_s)
        total = 0
        while True:
            commits = await self.store.unpublished(older_than=older_than)
            if not commits:
                return total
            for stream_id in dict.fromkeys(c.stream_id for c in commits):
                async with self._lock(stream_id):
                    # Re-read under the lock: the writer may have published meanwhile.
                    fresh = await self.store.unpublished(stream_id=stream_id, older_than=older_than)
                    await self._publish(fresh)
                    total += len(fresh)

    async def run(self, *, interval_s: float, grace_s: float) -> None:
        """Sweep until cancelled; outages are logged and retried, never fatal."""
        while True:
            try:
                swept = await self.sweep_once(grace_s=grace_s)
                if swept:
                    log.info("outbox sweep published commits", commits=swept)
                OUTBOX_PENDING.labels(self.service).set(await self.store.count_unpublished())
            except (*TRANSIENT_MONGO_ERRORS, *TRANSIENT_KAFKA_ERRORS) as exc:
                log.warning("outbox sweep failed, will retry", error=str(exc))
            await asyncio.sleep(interval_s)
