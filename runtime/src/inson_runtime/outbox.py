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
from collections import OrderedDict
from datetime import UTC, datetime, timedelta

import structlog

from inson_runtime.eventstore import Commit, EventStore
from inson_runtime.kafka import TRANSIENT_KAFKA_ERRORS, EventPublisher
from inson_runtime.mongo import TRANSIENT_MONGO_ERRORS
from inson_runtime.observability.metrics import OUTBOX_PENDING


def _as_utc(moment: datetime) -> datetime:
    # PyMongo hands back naive UTC datetimes unless the client is tz-aware.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


log = structlog.get_logger(__name__)


class OutboxRelay:
    def __init__(self, store: EventStore, publisher: EventPublisher, *, service: str) -> None:
        self.store = store
        self.publisher = publisher
        self.service = service
        # One stream is published by one task at a time in this process, so a
        # request's inline publish and the sweep don't interleave its events.
        self._locks: dict[str, asyncio.Lock] = {}
        # Per stream, the version up to which this process itself has published
        # every commit. An append right after it has nothing older pending, so
        # its publish needs no outbox read. Bounded; a miss only costs a read.
        self._published_upto: OrderedDict[str, int] = OrderedDict()

    def _lock(self, stream_id: str) -> asyncio.Lock:
        lock = self._locks.get(stream_id)
        if lock is None:
            if len(self._locks) > 10_000:
                self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            lock = self._locks[stream_id] = asyncio.Lock()
        return lock

    async def publish_stream(self, stream_id: str, appended: Commit | None = None) -> int:
        """Publish every unpublished commit of one stream, oldest first.

        ``appended`` is the commit the caller has just written (as stored): when
        nothing older of its stream can be pending, it is published from memory
        and no commit is read.
        """
        async with self._lock(stream_id):
            if appended is not None and (
                appended.first_version == 1
                or self._published_upto.get(stream_id) == appended.first_version - 1
            ):
                # Its marker gone means the sweep got there first (a slow
                # writer): publishing again would only add a duplicate.
                if not await self.store.is_pending(appended.commit_id):
                    return 0
                await self._publish([appended])
                return 1
            ordered, _ = await self.store.pending(stream_id=stream_id)
            await self._publish(ordered)
            return len(ordered)

    async def _publish(self, commits: list[Commit]) -> None:
        for commit in commits:
            await self.publisher.publish(commit.topic, commit.events)
            await self.store.mark_published([commit.commit_id])
            self._remember(commit)

    def _remember(self, commit: Commit) -> None:
        upto = self._published_upto.get(commit.stream_id, 0)
        if commit.first_version == upto + 1 or commit.first_version == 1:
            self._published_upto[commit.stream_id] = commit.last_version
            self._published_upto.move_to_end(commit.stream_id)
            if len(self._published_upto) > 50_000:
                self._published_upto.popitem(last=False)

    async def sweep_once(self, *, grace_s: float = 0.0, orphan_after_s: float = 60.0) -> int:
        """Publish commits older than ``grace_s`` that nobody published.

        A marker whose commit never appeared (the writer crashed between the
        two inserts, or lost a race) is dropped after ``orphan_after_s``: long
        enough that a slow writer's insert cannot still be on its way.
        """
        now = datetime.now(UTC)
        older_than = now - timedelta(seconds=grace_s)
        orphan_before = now - timedelta(seconds=max(grace_s, orphan_after_s))
        total = 0
        seen: set[str] = set()
        while True:
            markers = [
                m
                for m in await self.store.pending_markers(older_than=older_than)
                if m["stream_id"] not in seen
            ]
            if not markers:
                return total
            for stream_id in dict.fromkeys(m["stream_id"] for m in markers):
                seen.add(stream_id)
                async with self._lock(stream_id):
                    # Re-read under the lock: the writer may have published meanwhile.
                    fresh, orphans = await self.store.pending(
                        stream_id=stream_id, older_than=older_than
                    )
                    await self.store.mark_published(
                        [m["_id"] for m in orphans if _as_utc(m["marked_at"]) < orphan_before]
                    )
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
