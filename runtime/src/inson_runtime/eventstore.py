"""An append-only event store on MongoDB, without transactions.

One *commit* document per append holds every event of that append, so a
multi-event decision is written atomically by a single-document insert. A
unique index on (stream_id, first_version) makes two writers that loaded the
same version race for the same key: one wins, the other gets
:class:`ConcurrencyConflict` and may reload and retry.

A commit is written with its outbox marker inside it (``pending: true``, its
time in ``committed_at``): one insert is the whole append, and a commit never
exists without its marker. The relay removes the marker once the commit is on
Kafka (:mod:`inson_runtime.outbox`); the events themselves never change. The
sweep finds what a crash left unpublished through an index on ``pending``
(sparse: on MongoDB it holds only the pending few; FerretDB answers the
equality from it, patch 0002), never by reading the ever-growing commits.

Round trips: a stream loads in one query (the ``stream_id`` index), a commit
appends in one insert. Loads and appends made concurrently (consumer lanes,
concurrent requests) share one ``$in`` query or one unordered ``insert_many``
(:class:`~inson_runtime.batching.Batcher`).

Stores written before the marker moved into the commit kept it in a
``<commits>_outbox`` collection; :meth:`EventStore.ensure_indexes` moves those
markers into their commits at start-up, and the sweep still reads that
collection, for the markers an older replica writes during a rolling update.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY, Event, EventRegistry
from pymongo import ASCENDING, AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure

from inson_runtime.batching import Batcher
from inson_runtime.commits import (
    AppendResult,
    Causation,
    Commit,
    ConcurrencyConflict,
    CorruptStream,
    PendingCommit,
    PublishedStreams,
    new_commit,
    to_document,
)
from inson_runtime.mongo import Document

if TYPE_CHECKING:
    from inson_runtime.privacy import Sealer

# The commit model is used from here by the services and tests.
__all__ = [
    "AppendResult",
    "Causation",
    "Commit",
    "ConcurrencyConflict",
    "CorruptStream",
    "EventStore",
    "PendingCommit",
    "PublishedStreams",
    "new_commit",
]


_DUPLICATE_KEY = 11000


# Commits read in one round trip: a long case file loads without a getMore.
_LOAD_BATCH = 1000


class EventStore:
    def __init__(
        self,
        client: AsyncMongoClient[Document],
        database: str,
        *,
        collection: str = "event_commits",
        registry: EventRegistry = REGISTRY,
        sealer: Sealer | None = None,
    ) -> None:
        self.client = client
        self.commits: AsyncCollection[Document] = client[database][collection]
        # The outbox of the old shape (one marker document per pending commit).
        self.outbox: AsyncCollection[Document] = client[database][f"{collection}_outbox"]
        self.registry = registry
        # With a sealer, personal fields are encrypted before they are stored,
        # so the store and Kafka (which gets the stored form) hold ciphertext.
        self.sealer = sealer
        self.published = PublishedStreams()
        self._loads: Batcher[tuple[str, int], list[Document]] = Batcher(self._load_many)
        self._inserts: Batcher[Document, Document | None] = Batcher(self._insert_many)

    async def ensure_indexes(self) -> None:
        """The indexes, and the markers of the old outbox collection moved into their commits."""
        await self.commits.create_index(
            [("stream_id", ASCENDING), ("first_version", ASCENDING)],
            unique=True,
            name="stream_version_unique",
        )
        await self.commits.create_index(
            [("pending", ASCENDING)], sparse=True, name="outbox_pending"
        )
        await self._adopt_legacy_markers()

    async def _adopt_legacy_markers(self) -> None:
        # So a stream's pending commits are known from its commits alone (a
        # load tells whether the stream is on Kafka). Markers without a
        # commit stay where they are: the sweep drops them once old.
        markers = await self.outbox.find({}, projection={"_id": 1}).to_list()
        if not markers:
            return
        ids = [m["_id"] for m in markers]
        found = [
            d["_id"] for d in await self.commits.find({"_id": {"$in": ids}}, {"_id": 1}).to_list()
        ]
        if found:
            await self.commits.update_many({"_id": {"$in": found}}, {"$set": {"pending": True}})
            await self.outbox.delete_many({"_id": {"$in": found}})

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[Event],
        causation: Causation,
        *,
        commit_id: str | None = None,
    ) -> AppendResult:
        """Append ``events`` after ``expected_version`` (0 for a new stream).

        ``commit_id`` makes the append idempotent: a handler reacting to event E
        passes an id derived from E, so a redelivered E finds its commit already
        there instead of appending the same effect twice.
        """
        now = datetime.now(UTC)
        commit = new_commit(
            stream_id,
            expected_version,
            events,
            causation,
            commit_id=commit_id,
            now=now,
            registry=self.registry,
        )
        stored = commit
        if self.sealer is not None:
            sealer = self.sealer
            sealed = [
                e.model_copy(update={"data": await sealer.seal(e.type, e.data, stream_id)})
                for e in commit.events
            ]
            stored = replace(commit, events=tuple(sealed))
        # The marker's time is taken now, after sealing (which may have created
        # a key): the sweep leaves commits younger than its grace to the
        # writer's own publish.
        existing = await self._inserts.submit(to_document(stored, datetime.now(UTC)))
        if existing is None:
            return AppendResult(commit, created=True, stored=stored)
        # Made before (a redelivered cause): nothing was written.
        made = Commit.from_document(existing)
        return AppendResult(await self.opened(made), created=False, stored=made)

    async def _insert_many(self, docs: list[Document]) -> list[Document | Exception | None]:
        """Insert commits in one round trip: per commit None (written), the commit
        already stored under its id, or the error of that commit alone."""
        failed: dict[int, Exception | None] = {}
        if len(docs) == 1:
            try:
                await self.commits.insert_one(docs[0])
            except DuplicateKeyError:
                failed[0] = None
        else:
            try:
                await self.commits.insert_many(docs, ordered=False)
            except BulkWriteError as exc:
                for error in exc.details.get("writeErrors", []):
                    failed[error["index"]] = (
                        None
                        if error.get("code") == _DUPLICATE_KEY
                        else OperationFailure(error.get("errmsg", ""), error.get("code"), error)
                    )
        duplicates = [docs[i]["_id"] for i, error in failed.items() if error is None]
        # A duplicate is a commit id seen before, or else a lost race for the version.
        existing = {
            d["_id"]: d
            for d in (
                await self.commits.find({"_id": {"$in": duplicates}}).to_list()
                if duplicates
                else []
            )
        }
        outcomes: list[Document | Exception | None] = []
        for i, doc in enumerate(docs):
            if i not in failed:
                outcomes.append(None)
            elif failed[i] is not None:
                outcomes.append(failed[i])
            elif doc["_id"] in existing:
                outcomes.append(existing[doc["_id"]])
            else:
                outcomes.append(ConcurrencyConflict(doc["stream_id"], doc["first_version"] - 1))
        return outcomes

    async def load(self, stream_id: str, *, after_version: int = 0) -> list[Envelope]:
        """The stream's events in version order (after ``after_version``), opened.

        Personal fields are decrypted while their person's key exists; after
        an erasure they are absent (``REGISTRY.parse`` reads them as None).
        """
        docs = await self._loads.submit((stream_id, after_version))
        if docs and not docs[-1].get("pending"):
            self.published.saw(stream_id, docs[-1]["last_version"])
        events: list[Envelope] = []
        expected = after_version + 1
        for doc in docs:
            for envelope in Commit.from_document(doc).events:
                if envelope.streamversion is None or envelope.streamversion < expected:
                    continue
                if envelope.streamversion != expected:
                    raise CorruptStream(
                        f"{stream_id}: expected version {expected}, found {envelope.streamversion}"
                    )
                if self.sealer is not None:
                    envelope = await self.sealer.open_envelope(envelope)
                events.append(envelope)
                expected += 1
        return events

    async def _load_many(self, wanted: list[tuple[str, int]]) -> list[list[Document]]:
        """The commits of several streams in one query, each in version order."""
        if len(wanted) == 1:
            stream_id, after_version = wanted[0]
            query: Document = {"stream_id": stream_id, "last_version": {"$gt": after_version}}
        else:
            query = {"stream_id": {"$in": list(dict.fromkeys(s for s, _ in wanted))}}
        cursor = self.commits.find(
            query, sort=[("first_version", ASCENDING)], batch_size=_LOAD_BATCH
        )
        by_stream: dict[str, list[Document]] = {}
        async for doc in cursor:
            by_stream.setdefault(doc["stream_id"], []).append(doc)
        return [
            [d for d in by_stream.get(s, ()) if d["last_version"] > after] for s, after in wanted
        ]

    async def commit(self, commit_id: str, *, opened: bool = False) -> Commit | None:
        """The commit as stored (sealed: what is published), or ``opened`` as ``load`` gives it."""
        doc = await self.commits.find_one({"_id": commit_id})
        if doc is None:
            return None
        commit = Commit.from_document(doc)
        return await self.opened(commit) if opened else commit

    async def opened(self, commit: Commit) -> Commit:
        """``commit`` with its personal fields opened (None after an erasure)."""
        if self.sealer is None:
            return commit
        events = [await self.sealer.open_envelope(e) for e in commit.events]
        return replace(commit, events=tuple(events))

    async def version(self, stream_id: str) -> int:
        doc = await self.commits.find_one(
            {"stream_id": stream_id},
            sort=[("first_version", -1)],
            projection={"last_version": 1, "pending": 1},
        )
        if doc is None:
            return 0
        if not doc.get("pending"):
            self.published.saw(stream_id, doc["last_version"])
        return int(doc["last_version"])

    # The outbox: commits not yet on Kafka.

    async def outbox_page(
        self, *, stream_id: str | None = None, limit: int = 500
    ) -> tuple[list[PendingCommit], list[Document]]:
        """Pending commits, oldest first (up to ``limit``, by stream and version), and
        the markers of the old outbox collection that have no commit."""
        query: Document = {"pending": True}
        if stream_id is not None:
            query["stream_id"] = stream_id
        docs = self.commits.find(query, sort=[("committed_at", ASCENDING)], limit=limit)
        page = [
            PendingCommit(Commit.from_document(d), _as_utc(d["committed_at"])) async for d in docs
        ]
        markers = await self.outbox.find(
            {} if stream_id is None else {"stream_id": stream_id},
            sort=[("marked_at", ASCENDING)],
            limit=limit,
        ).to_list()
        orphans: list[Document] = []
        if markers:
            ids = [m["_id"] for m in markers]
            found = {d["_id"]: d for d in await self.commits.find({"_id": {"$in": ids}}).to_list()}
            known = {p.commit.commit_id for p in page}
            for marker in markers:
                doc = found.get(marker["_id"])
                if doc is None:
                    orphans.append(marker)
                elif marker["_id"] not in known:
                    commit = Commit.from_document(doc)
                    page.append(PendingCommit(commit, _as_utc(marker["marked_at"]), legacy=True))
        page.sort(key=lambda p: (p.commit.stream_id, p.commit.first_version))
        return page, orphans

    async def pending(
        self, *, stream_id: str | None = None, older_than: datetime | None = None, limit: int = 500
    ) -> tuple[list[Commit], list[Document]]:
        """The pending commits by stream and version, and the old-shape markers with no commit."""
        page, orphans = await self.outbox_page(stream_id=stream_id, limit=limit)
        if older_than is not None:
            page = [p for p in page if p.marked_at < older_than]
            orphans = [m for m in orphans if _as_utc(m["marked_at"]) < older_than]
        return [p.commit for p in page], orphans

    async def unpublished(
        self, *, stream_id: str | None = None, older_than: datetime | None = None, limit: int = 500
    ) -> list[Commit]:
        """Commits not yet on Kafka, by stream and version."""
        commits, _ = await self.pending(stream_id=stream_id, older_than=older_than, limit=limit)
        return commits

    async def pending_markers(
        self, *, stream_id: str | None = None, older_than: datetime | None = None, limit: int = 500
    ) -> list[Document]:
        """The outbox markers (``_id``, ``stream_id``, ``first_version``, ``marked_at``),
        oldest first, those of the old outbox collection included."""
        page, orphans = await self.outbox_page(stream_id=stream_id, limit=limit)
        markers = [
            {
                "_id": p.commit.commit_id,
                "stream_id": p.commit.stream_id,
                "first_version": p.commit.first_version,
                "marked_at": p.marked_at,
            }
            for p in page
        ] + [{**m, "marked_at": _as_utc(m["marked_at"])} for m in orphans]
        if older_than is not None:
            markers = [m for m in markers if m["marked_at"] < older_than]
        return sorted(markers, key=lambda m: m["marked_at"])[:limit]

    async def count_unpublished(self) -> int:
        return await self.commits.count_documents({"pending": True}) + (
            await self.outbox.count_documents({})
        )

    async def mark_published(self, commit_ids: Sequence[str]) -> None:
        """Remove the markers of commits now on Kafka, in one write per 500."""
        ids = list(commit_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            await self.commits.update_many({"_id": {"$in": chunk}}, {"$unset": {"pending": ""}})

    async def drop_markers(self, marker_ids: Sequence[str]) -> None:
        """Delete markers of the old outbox collection (published, or orphaned)."""
        if marker_ids:
            await self.outbox.delete_many({"_id": {"$in": list(marker_ids)}})


def _as_utc(moment: datetime) -> datetime:
    # PyMongo hands back naive UTC datetimes unless the client is tz-aware.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
