"""What the event store keeps: commits of events, the rules of an append, and
what a process knows of their way to Kafka.

Shared by every store (MongoDB's in :mod:`inson_runtime.eventstore`, the
in-memory one of unit tests), so both refuse the same appends, stamp
envelopes the same way and answer in the same types.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY, Event, EventRegistry
from inson_contracts.ids import new_event_id

from inson_runtime.mongo import Document


class ConcurrencyConflict(Exception):
    """Somebody appended to the stream since the caller loaded it."""

    def __init__(self, stream_id: str, expected_version: int) -> None:
        super().__init__(f"stream {stream_id!r} is past version {expected_version}")
        self.stream_id = stream_id
        self.expected_version = expected_version


class CorruptStream(Exception):
    """Stored commits of a stream do not form a gap-free sequence of versions."""


@dataclass(frozen=True)
class Causation:
    """Where a new event comes from: the command or event that caused it."""

    source: str
    correlation_id: str | None = None
    causation_id: str | None = None
    region: str | None = None
    district: str | None = None


@dataclass(frozen=True)
class Commit:
    commit_id: str
    stream_id: str
    first_version: int
    last_version: int
    topic: str
    events: tuple[Envelope, ...]

    @classmethod
    def from_document(cls, doc: Document) -> Commit:
        return cls(
            commit_id=doc["_id"],
            stream_id=doc["stream_id"],
            first_version=doc["first_version"],
            last_version=doc["last_version"],
            topic=doc["topic"],
            events=tuple(Envelope.model_validate(e) for e in doc["events"]),
        )


@dataclass(frozen=True)
class AppendResult:
    # The events as the caller wrote them (personal fields readable).
    commit: Commit
    # False when a commit with the same id already existed: the append had
    # been made before (a redelivered event) and nothing new was written.
    created: bool
    # The commit as stored, personal fields sealed: the only form that may be
    # published (the relay takes this one). The same as ``commit`` without a sealer.
    stored: Commit


@dataclass(frozen=True)
class PendingCommit:
    """A commit not yet on Kafka, as the relay's sweep finds it."""

    commit: Commit
    marked_at: datetime
    # Its marker is in the outbox collection of the old shape (see the module).
    legacy: bool = False


class PublishedStreams:
    """Per stream, the version up to which this process knows every commit is on Kafka.

    Learnt from what it published and from what it loaded (a stream whose
    last commit has no marker is on Kafka whole: the relay publishes a
    stream's commits oldest first). An append right after such a version
    is published from memory, with no outbox read. Bounded; a miss only
    costs that read.
    """

    def __init__(self, capacity: int = 50_000) -> None:
        self.capacity = capacity
        self._upto: OrderedDict[str, int] = OrderedDict()

    def upto(self, stream_id: str) -> int | None:
        return self._upto.get(stream_id)

    def saw(self, stream_id: str, version: int) -> None:
        """Every commit of the stream up to ``version`` is on Kafka."""
        self._upto[stream_id] = max(version, self._upto.get(stream_id, 0))
        self._upto.move_to_end(stream_id)
        if len(self._upto) > self.capacity:
            self._upto.popitem(last=False)

    def published(self, commit: Commit) -> None:
        """``commit`` is on Kafka; so is the stream before it, if it was already."""
        upto = self._upto.get(commit.stream_id)
        if commit.first_version == 1 or (upto is not None and upto >= commit.first_version - 1):
            self.saw(commit.stream_id, commit.last_version)


def new_commit(
    stream_id: str,
    expected_version: int,
    events: Sequence[Event],
    causation: Causation,
    *,
    commit_id: str | None,
    now: datetime,
    registry: EventRegistry = REGISTRY,
) -> Commit:
    """The commit an append of ``events`` after ``expected_version`` writes, checked.

    Shared by every store (MongoDB and the in-memory one of unit tests), so
    both refuse the same appends and stamp envelopes the same way.
    """
    if not events:
        raise ValueError("an append needs at least one event")
    if "." in stream_id or stream_id.startswith("$"):
        # Stream ids are used as field names in projections.
        raise ValueError(f"stream id {stream_id!r} may not contain '.' or start with '$'")
    for event in events:
        # Only the published language is published: an event class that is
        # not the registered one for its type would reach partners unchecked.
        if registry.class_for(type(event).TYPE) is not type(event):
            raise TypeError(f"{type(event).__name__} is not the registered class of its type")
    topics = {type(e).TOPIC for e in events}
    if len(topics) != 1:
        raise ValueError(f"one append goes to one topic, got {sorted(topics)}")
    envelopes = tuple(
        Envelope(
            id=new_event_id(),
            source=causation.source,
            type=type(event).TYPE,
            time=now,
            subject=stream_id,
            dataschema=type(event).dataschema(),
            correlationid=causation.correlation_id,
            causationid=causation.causation_id,
            streamversion=expected_version + i,
            region=causation.region,
            district=causation.district,
            data=event.model_dump(mode="json"),
        )
        for i, event in enumerate(events, start=1)
    )
    return Commit(
        commit_id=commit_id or envelopes[0].id,
        stream_id=stream_id,
        first_version=expected_version + 1,
        last_version=expected_version + len(events),
        topic=topics.pop(),
        events=envelopes,
    )


def to_document(commit: Commit, now: datetime) -> Document:
    return {
        "_id": commit.commit_id,
        "stream_id": commit.stream_id,
        "first_version": commit.first_version,
        "last_version": commit.last_version,
        "topic": commit.topic,
        "events": [e.to_document() for e in commit.events],
        "committed_at": now,
        # The outbox marker, removed once the commit is on Kafka.
        "pending": True,
    }
