"""The outbox relay's decisions, on an in-memory outbox: what it publishes, in which
order, when it reads the outbox, and how it batches the marker writes.

The MongoDB side (the marker inside the commit, the index the sweep reads
through, crashes) is tested on the real servers in
``runtime/tests/integration/test_store_round_trips.py`` and ``test_pipeline.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from inson_contracts.envelope import Envelope
from inson_runtime.eventstore import (
    Causation,
    Commit,
    PendingCommit,
    PublishedStreams,
    new_commit,
)
from inson_runtime.outbox import OutboxRelay
from inson_runtime.testing import sample_event_class, sample_registry

Sample = sample_event_class("test.relay")
REGISTRY = sample_registry(Sample)
NOW = datetime.now(UTC)


def commit(stream: str, version: int) -> Commit:
    return new_commit(
        stream,
        version - 1,
        [Sample(amount=version)],
        Causation(source="inson/test"),
        commit_id=f"{stream}:{version}",
        now=NOW,
        registry=REGISTRY,
    )


class Outbox:
    """The store as the relay sees it: pending commits and their markers."""

    def __init__(self) -> None:
        self.published = PublishedStreams()
        self.pending: dict[str, PendingCommit] = {}
        self.reads = 0
        self.clears: list[list[str]] = []

    def add(self, c: Commit, *, age_s: float = 60.0) -> Commit:
        self.pending[c.commit_id] = PendingCommit(c, datetime.now(UTC) - timedelta(seconds=age_s))
        return c

    async def outbox_page(
        self, *, stream_id: str | None = None, limit: int = 500
    ) -> tuple[list[PendingCommit], list[Any]]:
        self.reads += 1
        page = [p for p in self.pending.values() if stream_id in (None, p.commit.stream_id)]
        page.sort(key=lambda p: (p.commit.stream_id, p.commit.first_version))
        return page[:limit], []

    async def mark_published(self, commit_ids: Sequence[str]) -> None:
        self.clears.append(list(commit_ids))
        for commit_id in commit_ids:
            self.pending.pop(commit_id, None)

    async def drop_markers(self, marker_ids: Sequence[str]) -> None:
        assert not marker_ids


class Kafka:
    def __init__(self) -> None:
        self.sends: list[list[str]] = []

    async def publish_all(self, batches: Sequence[tuple[str, Sequence[Envelope]]]) -> None:
        self.sends.append(
            [f"{e.subject}:{e.streamversion}" for _, events in batches for e in events]
        )

    def records(self) -> list[str]:
        return [r for send in self.sends for r in send]


def relay(outbox: Outbox, kafka: Kafka, linger_s: float = 0.05) -> OutboxRelay:
    return OutboxRelay(outbox, kafka, service="test", clear_linger_s=linger_s)  # type: ignore[arg-type]


async def test_a_new_stream_is_published_from_memory_and_markers_cleared_in_one_write() -> None:
    outbox, kafka = Outbox(), Kafka()
    r = relay(outbox, kafka)
    appended = [outbox.add(commit(f"s{i}", 1), age_s=0) for i in range(3)]

    for c in appended:
        assert await r.publish_stream(c.stream_id, c) == 1

    assert outbox.reads == 0
    assert kafka.records() == ["s0:1", "s1:1", "s2:1"]
    assert outbox.clears == []  # waiting for the others published meanwhile
    await asyncio.sleep(0.1)
    assert outbox.clears == [["s0:1", "s1:1", "s2:1"]] and not outbox.pending


async def test_an_append_after_a_version_seen_on_kafka_is_published_from_memory() -> None:
    outbox, kafka = Outbox(), Kafka()
    r = relay(outbox, kafka)
    outbox.published.saw("s", 4)  # a load found the stream's last commit published

    assert await r.publish_stream("s", outbox.add(commit("s", 5), age_s=0)) == 1

    assert outbox.reads == 0 and kafka.records() == ["s:5"]


async def test_an_append_after_an_unknown_version_publishes_older_pending_ones_first() -> None:
    outbox, kafka = Outbox(), Kafka()
    r = relay(outbox, kafka)
    outbox.add(commit("s", 2))  # left by a crashed writer
    appended = outbox.add(commit("s", 3), age_s=0)

    assert await r.publish_stream("s", appended) == 2

    assert kafka.sends == [["s:2", "s:3"]]  # one batch, oldest first
    # The read held all of the stream's pending commits: the next append needs none.
    assert await r.publish_stream("s", outbox.add(commit("s", 4), age_s=0)) == 1
    assert outbox.reads == 1 and kafka.records()[-1] == "s:4"


async def test_a_commit_the_sweep_published_is_not_sent_again_by_its_slow_writer() -> None:
    outbox, kafka = Outbox(), Kafka()
    r = relay(outbox, kafka)
    appended = outbox.add(commit("s", 1))

    assert await r.sweep_once(grace_s=1.0) == 1
    assert await r.publish_stream("s", appended) == 0

    assert kafka.records() == ["s:1"]
    assert not outbox.pending  # the sweep cleared its marker before returning


async def test_the_sweep_takes_younger_commits_before_a_due_one_along_in_version_order() -> None:
    """Marker times come from the writers' clocks; a stream's order must not."""
    outbox, kafka = Outbox(), Kafka()
    r = relay(outbox, kafka)
    outbox.add(commit("s", 1), age_s=0)  # a writer whose clock runs late
    outbox.add(commit("s", 2), age_s=60)
    outbox.add(commit("t", 1), age_s=0)  # young, alone: its writer publishes it

    assert await r.sweep_once(grace_s=1.0) == 2

    assert kafka.sends == [["s:1", "s:2"]]
    assert [p.commit.commit_id for p in outbox.pending.values()] == ["t:1"]
    assert r.left_pending == 1


async def test_the_sweep_skips_what_this_process_published_after_its_read() -> None:
    outbox, kafka = Outbox(), Kafka()
    r = relay(outbox, kafka, linger_s=0.0)
    c = outbox.add(commit("s", 2))
    stale, _ = await outbox.outbox_page()
    await r.publish_stream("s", c)  # version 1 unknown here: read, published
    await r.flush()
    outbox.published = PublishedStreams()  # forgotten (a bounded memory)

    assert await r._publish_due("s", stale) == 0

    assert kafka.records() == ["s:2"]


async def test_closing_clears_the_markers_still_waiting() -> None:
    outbox, kafka = Outbox(), Kafka()
    r = relay(outbox, kafka, linger_s=60.0)
    await r.publish_stream("s", outbox.add(commit("s", 1), age_s=0))

    await r.close()

    assert outbox.clears == [["s:1"]]


def test_published_streams_extend_only_without_gaps_and_stay_bounded() -> None:
    streams = PublishedStreams(capacity=2)
    streams.published(commit("a", 1))
    streams.published(commit("b", 3))  # versions 1-2 of b never seen here
    assert (streams.upto("a"), streams.upto("b")) == (1, None)

    streams.published(commit("a", 2))
    streams.saw("b", 3)
    streams.saw("a", 1)  # an older load does not move it back
    assert (streams.upto("a"), streams.upto("b")) == (2, 3)

    streams.saw("c", 1)
    assert streams.upto("b") is None  # the least recently used went
    assert (streams.upto("a"), streams.upto("c")) == (2, 1)
