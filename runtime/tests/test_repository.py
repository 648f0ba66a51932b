"""The repository on the in-memory journal: the same rules as the MongoDB store.

These are the rules every service's command handlers rely on, and their unit
tests run on the in-memory journal: so it must refuse and answer exactly as
the real store does (``runtime/tests/integration/test_eventstore.py`` pins
the real one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from inson_contracts.events import Event
from inson_runtime.eventstore import ConcurrencyConflict
from inson_runtime.repository import Repository, VersionAhead
from inson_runtime.testing import (
    InMemoryJournal,
    MovableClock,
    sample_event_class,
    sample_registry,
)

Sample = sample_event_class("test.repository")
REGISTRY = sample_registry(Sample)


@dataclass(frozen=True)
class Tally:
    tally_id: str
    version: int = 0
    total: int = 0


def replay(tally_id: str, events: Iterable[Event]) -> Tally:
    tally = Tally(tally_id)
    for event in events:
        tally = Tally(tally_id, tally.version + 1, tally.total + event.amount)  # type: ignore[attr-defined]
    return tally


@pytest.fixture
def journal() -> InMemoryJournal:
    journal = InMemoryJournal()
    journal.store.registry = REGISTRY
    journal.outbox.registry = REGISTRY
    return journal


@pytest.fixture
def tallies(journal: InMemoryJournal) -> Repository[Tally]:
    return Repository(
        journal, source="inson/test", stream_prefix="tally", replay=replay, registry=REGISTRY
    )


async def test_recorded_events_are_loaded_folded_and_published(
    journal: InMemoryJournal, tallies: Repository[Tally]
) -> None:
    result = await tallies.record("t1", 0, [Sample(amount=2), Sample(amount=3)], district="1735207")
    assert result is not None and result.created
    assert await tallies.load("t1") == Tally("t1", 2, 5)
    [commit] = journal.outbox.published
    assert commit.stream_id == "tally-t1" and (commit.first_version, commit.last_version) == (1, 2)
    assert [e.district for e in commit.events] == ["1735207", "1735207"]
    assert [e.source for e in commit.events] == ["inson/test", "inson/test"]


async def test_nothing_to_record_records_nothing(
    journal: InMemoryJournal, tallies: Repository[Tally]
) -> None:
    assert await tallies.record("t1", 0, []) is None
    assert journal.outbox.published == []


async def test_a_commit_id_seen_before_answers_the_first_commit_and_publishes_nothing(
    journal: InMemoryJournal, tallies: Repository[Tally]
) -> None:
    first = await tallies.record("t1", 0, [Sample(amount=1)], commit_id="from-event-e1")
    again = await tallies.record("t1", 1, [Sample(amount=1)], commit_id="from-event-e1")
    assert first is not None and again is not None
    assert not again.created and again.commit == first.commit
    assert await tallies.load("t1") == Tally("t1", 1, 1)
    assert len(journal.outbox.published) == 1
    recorded = await tallies.recorded("from-event-e1")
    assert recorded is not None and recorded.commit_id == "from-event-e1"


async def test_a_stale_version_conflicts_and_a_gap_is_a_bug(tallies: Repository[Tally]) -> None:
    await tallies.record("t1", 0, [Sample(amount=1)])
    with pytest.raises(ConcurrencyConflict):
        await tallies.record("t1", 0, [Sample(amount=1)])
    with pytest.raises(ValueError, match="not 5"):
        await tallies.record("t1", 5, [Sample(amount=1)])


async def test_load_at_gives_now_and_then_from_one_read(tallies: Repository[Tally]) -> None:
    for version, amount in enumerate((1, 10, 100)):
        await tallies.record("t1", version, [Sample(amount=amount)])
    now, then = await tallies.load_at("t1", 1)
    assert (now.total, then.total) == (111, 1)
    with pytest.raises(VersionAhead) as ahead:
        await tallies.load_at("t1", 4)
    assert (ahead.value.base_version, ahead.value.version) == (4, 3)


async def test_load_as_of_folds_what_was_committed_by_then(
    journal: InMemoryJournal, tallies: Repository[Tally]
) -> None:
    clock = MovableClock()
    journal.store.clock = clock
    start = clock()
    await tallies.record("t1", 0, [Sample(amount=1)])
    clock.advance(timedelta(hours=1))
    await tallies.record("t1", 1, [Sample(amount=10)])
    then, last = await tallies.load_as_of("t1", start + timedelta(minutes=30))
    assert (then.total, last) == (1, start)
    before, none = await tallies.load_as_of("t1", start - timedelta(seconds=1))
    assert (before.version, none) == (0, None)


async def test_version_reads_the_head_without_the_stream(tallies: Repository[Tally]) -> None:
    assert await tallies.version("t1") == 0
    await tallies.record("t1", 0, [Sample(amount=1), Sample(amount=2)])
    assert await tallies.version("t1") == 2


def test_stream_ids_round_trip(tallies: Repository[Tally]) -> None:
    assert tallies.stream("t1") == "tally-t1"
    assert tallies.aggregate_id("tally-t1") == "t1"
