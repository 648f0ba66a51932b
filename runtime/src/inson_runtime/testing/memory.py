"""An in-memory event store, outbox and journal: command handlers without servers.

They keep the MongoDB store's rules, so a handler tested here meets the same
answers in production: a commit id seen before returns the first commit
(``created=False``), an append after a stale version raises
``ConcurrencyConflict``, and envelopes are stamped by the same
:func:`~inson_runtime.eventstore.new_commit`. Nothing is sealed: personal
data is a concern of the store and Kafka, tested on the real ones.

    journal = InMemoryJournal()
    cases = Repository(journal, source="inson/intake", stream_prefix="case", replay=replay)
    ... run a command handler ...
    assert journal.outbox.events_of_type(CaseOpened)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY, Event, EventRegistry

from inson_runtime.eventstore import (
    AppendResult,
    Causation,
    Commit,
    ConcurrencyConflict,
    new_commit,
)

E = TypeVar("E", bound=Event)


class MovableClock:
    """A clock the test moves: pass it where a handler takes ``clock``."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, by: timedelta) -> None:
        self.now += by


class InMemoryEventStore:
    def __init__(self, *, registry: EventRegistry = REGISTRY) -> None:
        self.registry = registry
        self.commits: dict[str, Commit] = {}
        self.streams: dict[str, list[Commit]] = {}
        # The time the next commit gets; tests of time travel set it.
        self.clock: MovableClock | None = None

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[Event],
        causation: Causation,
        *,
        commit_id: str | None = None,
    ) -> AppendResult:
        now = self.clock() if self.clock else datetime.now(UTC)
        commit = new_commit(
            stream_id,
            expected_version,
            events,
            causation,
            commit_id=commit_id,
            now=now,
            registry=self.registry,
        )
        existing = self.commits.get(commit.commit_id)
        if existing is not None:
            return AppendResult(existing, created=False, stored=existing)
        current = await self.version(stream_id)
        if expected_version < current:
            raise ConcurrencyConflict(stream_id, expected_version)
        if expected_version > current:
            # MongoDB would store the gap and fail every later load: a bug in
            # the handler, which a unit test should show at once.
            raise ValueError(f"{stream_id} is at version {current}, not {expected_version}")
        self.commits[commit.commit_id] = commit
        self.streams.setdefault(stream_id, []).append(commit)
        return AppendResult(commit, created=True, stored=commit)

    async def load(self, stream_id: str, *, after_version: int = 0) -> list[Envelope]:
        return [
            envelope
            for commit in self.streams.get(stream_id, ())
            for envelope in commit.events
            if (envelope.streamversion or 0) > after_version
        ]

    async def commit(self, commit_id: str, *, opened: bool = False) -> Commit | None:
        return self.commits.get(commit_id)

    async def version(self, stream_id: str) -> int:
        commits = self.streams.get(stream_id)
        return commits[-1].last_version if commits else 0


class InMemoryOutbox:
    """What would have gone to Kafka, in the order it was recorded."""

    def __init__(self, *, registry: EventRegistry = REGISTRY) -> None:
        self.registry = registry
        self.published: list[Commit] = []

    def publish(self, commit: Commit) -> None:
        self.published.append(commit)

    def envelopes(self) -> list[Envelope]:
        return [e for commit in self.published for e in commit.events]

    def events(self) -> list[Event]:
        return [self.registry.parse(e.type, e.data) for e in self.envelopes()]

    def events_of_type(self, event_class: type[E]) -> list[E]:
        return [e for e in self.events() if isinstance(e, event_class)]

    def clear(self) -> None:
        self.published.clear()


class InMemoryJournal:
    """The in-memory store and outbox behind a repository: record = append + publish."""

    def __init__(
        self, store: InMemoryEventStore | None = None, outbox: InMemoryOutbox | None = None
    ) -> None:
        self.store = store or InMemoryEventStore()
        self.outbox = outbox or InMemoryOutbox()

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
        result = await self.store.append(
            stream_id, expected_version, events, causation, commit_id=commit_id
        )
        if result.created:
            self.outbox.publish(result.stored)
        return result
