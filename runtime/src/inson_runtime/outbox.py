"""The outbox relay: events reach Kafka only after they are durable in the store.

The writer of a commit publishes it right away (``publish_stream``); a
background sweep publishes whatever a crash left behind. Either path publishes
a stream's unpublished commits oldest first, so a case's events reach Kafka in
version order. Both may publish the same commit (a crash after the send but
before the marker is removed, or a writer slower than the sweep's grace in
another process): consumers are idempotent, so that costs a duplicate record,
never a double effect.

Markers are removed in batches: a published commit's id waits here for
``clear_linger_s`` and goes out with every other one published meanwhile, in
one write. The relay remembers what it published lately and never sends it
again; a crash before the clear leaves the marker, and the sweep publishes
the commit again (a duplicate). The linger must stay well below the sweep's
grace, or the sweep of another process would send such commits again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict
from datetime import UTC, datetime, timedelta

import structlog

from inson_runtime.backoff import Backoff
from inson_runtime.eventstore import Commit, EventStore, PendingCommit
from inson_runtime.kafka import TRANSIENT_KAFKA_ERRORS, EventPublisher
from inson_runtime.mongo import TRANSIENT_MONGO_ERRORS
from inson_runtime.observability.metrics import OUTBOX_PENDING

log = structlog.get_logger(__name__)

# Pending commits the sweep takes per read.
SWEEP_PAGE = 500
# Commit ids of this process's recent publishes kept, to publish none twice.
SENT_REMEMBERED = 20_000


class OutboxRelay:
    def __init__(
        self,
        store: EventStore,
        publisher: EventPublisher,
        *,
        service: str,
        clear_linger_s: float = 0.1,
    ) -> None:
        self.store = store
        self.publisher = publisher
        self.service = service
        self.clear_linger_s = clear_linger_s
        # One stream is published by one task at a time in this process, so a
        # request's inline publish and the sweep don't interleave its events.
        self._locks: dict[str, asyncio.Lock] = {}
        # Commits this process has published lately (an ordered set, bounded):
        # a sweep's read made just before may still list them as pending.
        self._sent: OrderedDict[str, None] = OrderedDict()
        # Published, marker not yet removed (an ordered set).
        self._clearing: dict[str, None] = {}
        self._clearer: asyncio.Task[None] | None = None
        self._flushing = asyncio.Lock()
        # Pending commits the last sweep saw and left (the outbox gauge).
        self.left_pending = 0

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
        nothing older of its stream can be pending (it begins the stream, or
        this process has seen the stream on Kafka up to just before it), it is
        published from memory and the outbox is not read.
        """
        async with self._lock(stream_id):
            known = self.store.published.upto(stream_id)
            if appended is not None:
                if self.on_kafka(appended):
                    return 0  # the sweep got there first (a slow writer)
                if appended.first_version == 1 or known == appended.first_version - 1:
                    await self._publish([PendingCommit(appended, datetime.now(UTC))])
                    return 1
            page, _ = await self.store.outbox_page(stream_id=stream_id, limit=SWEEP_PAGE)
            return await self._publish_pending(stream_id, page, whole=len(page) < SWEEP_PAGE)

    def on_kafka(self, commit: Commit) -> bool:
        """Whether this process knows ``commit`` and its stream before it are on Kafka."""
        known = self.store.published.upto(commit.stream_id) or 0
        return commit.commit_id in self._sent or known >= commit.last_version

    async def _publish(self, pending: list[PendingCommit]) -> None:
        """Send one stream's commits in one batch, oldest first; clear their markers soon."""
        if not pending:
            return
        await self.publisher.publish_all([(p.commit.topic, p.commit.events) for p in pending])
        for p in pending:
            self.store.published.published(p.commit)
            self._sent[p.commit.commit_id] = None
        while len(self._sent) > SENT_REMEMBERED:
            self._sent.popitem(last=False)
        await self._forget(pending)

    async def _forget(self, published: list[PendingCommit]) -> None:
        """Remove the markers of commits on Kafka: the old shape's now, the rest soon."""
        await self.store.drop_markers([p.commit.commit_id for p in published if p.legacy])
        self._clear_later([p.commit.commit_id for p in published])

    def _clear_later(self, commit_ids: list[str]) -> None:
        if not commit_ids:
            return
        self._clearing.update(dict.fromkeys(commit_ids))
        loop = asyncio.get_running_loop()
        if self._clearer is None or self._clearer.done() or self._clearer.get_loop() is not loop:
            self._clearer = asyncio.create_task(self._clear_soon(), name="outbox-clear")

    async def _clear_soon(self) -> None:
        backoff = Backoff(first_s=0.5, max_s=30.0)
        attempt = 0
        await asyncio.sleep(self.clear_linger_s)
        while self._clearing:
            try:
                await self.flush()
            except TRANSIENT_MONGO_ERRORS as exc:
                # Published already: until cleared, this process skips them.
                attempt += 1
                log.warning("outbox markers not cleared, will retry", error=str(exc))
                await asyncio.sleep(backoff.delay(attempt))
            except Exception as exc:
                # Left for the next batch, or for the sweep after a restart (a duplicate).
                log.warning("outbox markers not cleared", error=str(exc) or type(exc).__name__)
                return

    async def flush(self) -> None:
        """Remove the markers of everything published so far, now (one write)."""
        async with self._flushing:
            while self._clearing:
                ids = list(self._clearing)
                await self.store.mark_published(ids)
                for commit_id in ids:
                    self._clearing.pop(commit_id, None)

    async def close(self, timeout_s: float = 5.0) -> None:
        """Clear what is published before the process ends (else the sweep sends it again)."""
        if self._clearer is not None and not self._clearer.done():
            self._clearer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._clearer
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.flush(), timeout_s)

    async def sweep_once(self, *, grace_s: float = 0.0, orphan_after_s: float = 60.0) -> int:
        """Publish commits older than ``grace_s`` that nobody published.

        A marker of the old outbox collection whose commit never appeared (a
        writer of the old code crashed between the two inserts, or lost a
        race) is dropped after ``orphan_after_s``.
        """
        now = datetime.now(UTC)
        older_than = now - timedelta(seconds=grace_s)
        orphan_before = now - timedelta(seconds=max(grace_s, orphan_after_s))
        total = 0
        while True:
            page, orphans = await self.store.outbox_page(limit=SWEEP_PAGE)
            old = [m["_id"] for m in orphans if _as_utc(m["marked_at"]) < orphan_before]
            await self.store.drop_markers(old)
            by_stream: dict[str, list[PendingCommit]] = {}
            for p in page:  # by stream and version
                by_stream.setdefault(p.commit.stream_id, []).append(p)
            swept = 0
            for stream_id, pending in by_stream.items():
                due = [i for i, p in enumerate(pending) if p.marked_at < older_than]
                if due:
                    # Up to the newest due one, younger ones before it included:
                    # marker times come from the writers' clocks, versions do not.
                    swept += await self._publish_due(
                        stream_id, pending[: due[-1] + 1], whole=len(page) < SWEEP_PAGE
                    )
            await self.flush()
            total += swept
            self.left_pending = len(page) - swept + len(orphans) - len(old)
            if not swept or len(page) < SWEEP_PAGE:
                return total

    async def _publish_due(
        self, stream_id: str, pending: list[PendingCommit], *, whole: bool = False
    ) -> int:
        async with self._lock(stream_id):
            return await self._publish_pending(stream_id, pending, whole=whole)

    async def _publish_pending(
        self, stream_id: str, pending: list[PendingCommit], *, whole: bool
    ) -> int:
        """Publish what of ``pending`` (one stream's, read from the outbox, by version)
        is not on Kafka yet; the caller holds the stream's lock.

        ``whole``: the read held every pending commit of the stream, so once these
        are out, the stream is on Kafka up to the last of them (the ones the read
        did not list had no marker), and its next append needs no read.
        """
        # Another task of this process may have published some meanwhile.
        known = self.store.published.upto(stream_id) or 0
        waiting = [p for p in pending if p.commit.commit_id not in self._sent]
        # Seen on Kafka (published, or loaded without a marker): only the marker is left.
        await self._forget([p for p in waiting if p.commit.last_version <= known])
        fresh = [p for p in waiting if p.commit.last_version > known]
        await self._publish(fresh)
        if whole and pending:
            self.store.published.saw(stream_id, pending[-1].commit.last_version)
        return len(fresh)

    async def run(self, *, interval_s: float, grace_s: float) -> None:
        """Sweep until cancelled; outages are logged and retried, never fatal."""
        while True:
            try:
                swept = await self.sweep_once(grace_s=grace_s)
                if swept:
                    log.info("outbox sweep published commits", commits=swept)
                OUTBOX_PENDING.labels(self.service).set(self.left_pending)
            except (*TRANSIENT_MONGO_ERRORS, *TRANSIENT_KAFKA_ERRORS) as exc:
                log.warning("outbox sweep failed, will retry", error=str(exc))
            await asyncio.sleep(interval_s)


def _as_utc(moment: datetime) -> datetime:
    # PyMongo hands back naive UTC datetimes unless the client is tz-aware.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
