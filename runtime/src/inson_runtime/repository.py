"""One repository for every event-sourced aggregate: load, fold, record.

A service gives it the aggregate's stream prefix and its ``replay`` (the pure
fold of ``domain/``); handlers then never touch envelopes, the registry or
causation records:

    cases = Repository(journal, source="inson/intake", stream_prefix="case", replay=replay)
    case = await cases.load(case_id)
    await cases.record(case_id, case.version, decide_x(case, ...), district=case.district)

Every load reads the stream once; the variants fold it to a point (a
tablet's base version, a moment in time) from that one read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Generic, TypeVar

from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY, Event, EventRegistry

from inson_runtime.eventstore import AppendResult, Causation, Commit
from inson_runtime.journal import EventJournal
from inson_runtime.observability.logging import current_correlation_id

S = TypeVar("S")
Replay = Callable[[str, Iterable[Event]], S]


class VersionAhead(ValueError):
    """A command claims a base version the stream never had."""

    def __init__(self, base_version: int, version: int) -> None:
        super().__init__(
            f"base_version {base_version} is ahead of the case file (version {version})"
        )
        self.base_version = base_version
        self.version = version


class Repository(Generic[S]):
    def __init__(
        self,
        journal: EventJournal,
        *,
        source: str,
        stream_prefix: str,
        replay: Replay[S],
        registry: EventRegistry = REGISTRY,
    ) -> None:
        self.journal = journal
        self.source = source
        self.stream_prefix = stream_prefix
        self.replay = replay
        self.registry = registry

    def stream(self, aggregate_id: str) -> str:
        return f"{self.stream_prefix}-{aggregate_id}"

    def aggregate_id(self, stream_id: str) -> str:
        return stream_id.removeprefix(f"{self.stream_prefix}-")

    def events_of(self, envelopes: Iterable[Envelope]) -> list[Event]:
        return [self.registry.parse(e.type, e.data) for e in envelopes]

    async def load(self, aggregate_id: str) -> S:
        envelopes = await self.journal.load(self.stream(aggregate_id))
        return self.replay(aggregate_id, self.events_of(envelopes))

    async def load_at(self, aggregate_id: str, version: int) -> tuple[S, S]:
        """The aggregate now, and as it was at ``version`` (a tablet's base), in one read."""
        envelopes = await self.journal.load(self.stream(aggregate_id))
        if version > len(envelopes):
            raise VersionAhead(version, len(envelopes))
        events = self.events_of(envelopes)
        return self.replay(aggregate_id, events), self.replay(aggregate_id, events[:version])

    async def load_as_of(self, aggregate_id: str, at: datetime) -> tuple[S, datetime | None]:
        """The aggregate as it was known at ``at``, and the time of the last event folded.

        An event's ``time`` is its commit's time in the store, and a stream's
        commits are in time order, so the fold stops at the first later one.
        """
        known: list[Envelope] = []
        for envelope in await self.journal.load(self.stream(aggregate_id)):
            if envelope.time > at:
                break
            known.append(envelope)
        state = self.replay(aggregate_id, self.events_of(known))
        return state, (known[-1].time if known else None)

    async def version(self, aggregate_id: str) -> int:
        """The stream's version without loading it (0 for a stream not begun)."""
        return await self.journal.version(self.stream(aggregate_id))

    async def recorded(self, commit_id: str, *, opened: bool = True) -> Commit | None:
        """A commit made before under ``commit_id``: personal fields opened, unless the
        caller only asks whether it exists (``opened=False`` spares the key lookup)."""
        return await self.journal.commit(commit_id, opened=opened)

    async def record(
        self,
        aggregate_id: str,
        expected_version: int,
        events: Sequence[Event],
        *,
        commit_id: str | None = None,
        cause: str | None = None,
        region: str | None = None,
        district: str | None = None,
    ) -> AppendResult | None:
        """Append ``events`` (nothing when there are none) with the causation record.

        ``commit_id`` makes the append idempotent (derive it from the command
        or the event reacted to); ``cause`` is the id of that event; region
        and district go on every envelope, for partners' filters.
        """
        if not events:
            return None
        causation = Causation(
            source=self.source,
            correlation_id=current_correlation_id(),
            causation_id=cause,
            region=region,
            district=district,
        )
        return await self.journal.record(
            self.stream(aggregate_id), expected_version, events, causation, commit_id=commit_id
        )
