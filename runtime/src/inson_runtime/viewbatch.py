"""A projection's writes for one batch of records, sent to the store in bulk.

The store is slow for single writes and decent for bulk ones, so a
projection's handlers do not write: they stage their changes on the batch,
and the batch sends them once its lanes have finished (or when a handler
reads):

- the updates of one document are folded into one update where one can do
  what they do in turn (:mod:`inson_runtime.updates`), else written one after
  the other, never reordered;
- a round writes at most one update per document, each collection's in one
  ``update`` command;
- ``update_many`` and ``delete_many`` (filters other than the id) are written
  in their place: after everything staged before them, before what follows.

Version guards are kept: a document's update applies only if the document is
behind the event's stream version (``at_version``, as
:func:`inson_runtime.projections.apply_at_version`). A refused guard (the
event was applied before: a redelivery) is a duplicate-key error; FerretDB
then skips the rest of the command too, so after any such error the batch
reads the documents' versions and writes again what is still missing, one
update at a time. Unguarded writes must be idempotent (``$set``, ...), so
writing them again is harmless.

Reads (:meth:`ViewBatch.find_one`) see the batch's own staged writes. They are
served when every running lane of the batch is waiting on the batch, so the
lanes' reads go together: one flush of what is staged, one ``find`` per
collection.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from inson_contracts.envelope import Envelope
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from inson_runtime.handling import BatchAborted
from inson_runtime.mongo import TRANSIENT_MONGO_ERRORS, Document
from inson_runtime.updates import Update, compose, idempotent

DUPLICATE_KEY = 11000
# Statements per ``update`` command: well under the server's message size for
# read-model documents.
STATEMENTS_PER_COMMAND = 1000
# Rereads of versions after refused guards before a write counts as failed
# (each one settles every document a redelivery had already applied).
REREADS = 5


class ViewWriteError(Exception):
    """The store refused a staged write for another reason than an applied version."""


@dataclass
class _Op:
    """One staged update of one document."""

    collection: str
    doc_id: Any
    update: Update
    # The version field guarding it, and the event's stream version.
    guard: str | None = None
    version: int = 0
    # Extra conditions (``update_if``): such an update never inserts.
    condition: Document | None = None


@dataclass
class _Write:
    """One statement: an op, or consecutive ops of one document folded together."""

    ops: list[_Op]
    update: Update

    @property
    def first(self) -> _Op:
        return self.ops[0]

    def folded(self, op: _Op) -> _Write | None:
        head = self.first
        if head.condition is not None or op.condition is not None or head.guard != op.guard:
            return None
        update = compose(self.update, op.update)
        return None if update is None else _Write([*self.ops, op], update)

    def statement(self) -> Document:
        head = self.first
        query: Document = {"_id": head.doc_id}
        update = self.update
        if head.guard is not None:
            query["$or"] = [{head.guard: {"$lt": head.version}}, {head.guard: {"$exists": False}}]
            update = {
                **update,
                "$set": {**update.get("$set", {}), head.guard: self.ops[-1].version},
            }
        if head.condition is not None:
            query.update(head.condition)
        # multi: FerretDB keeps a single-document statement's read open (and
        # its SQLite connection) until the whole command ends, so 100 of them
        # that match exhaust its pool of 100 and the command never answers; a
        # multi statement reads to its end and lets go. The filter names one
        # id, so it is the same update.
        upsert = head.condition is None
        return {"q": query, "u": update, "upsert": upsert, "multi": True}


@dataclass
class _Barrier:
    """An update_many or delete_many: written after what was staged before it."""

    collection: str
    filter: Document
    update: Update | None


@dataclass
class _Read:
    collection: str
    doc_id: Any
    fields: Sequence[str] | None
    answer: asyncio.Future[Document | None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


def plan(ops: Sequence[_Op]) -> list[list[_Write]]:
    """Rounds of writes: each holds at most one write per document, in staging order."""
    per_doc: dict[tuple[str, Any], list[_Write]] = {}
    newest: dict[tuple[str, Any, str], int] = {}
    for op in ops:
        if op.guard is not None:
            seen = newest.get((op.collection, op.doc_id, op.guard))
            if seen is not None and op.version <= seen:
                # Its guard would refuse it after the one staged before (a
                # retried handler staging the same event again).
                continue
            newest[(op.collection, op.doc_id, op.guard)] = op.version
        writes = per_doc.setdefault((op.collection, op.doc_id), [])
        merged = writes[-1].folded(op) if writes else None
        if merged is not None:
            writes[-1] = merged
        else:
            writes.append(_Write([op], op.update))
    depth = max((len(writes) for writes in per_doc.values()), default=0)
    return [[ws[i] for ws in per_doc.values() if len(ws) > i] for i in range(depth)]


class ViewBatch:
    """The writes and reads of one batch of a projection's handlers (see the module)."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.db = db
        self._staged: list[_Op | _Barrier] = []
        self._reads: list[_Read] = []
        self._running = 0
        self._serving: asyncio.Task[None] | None = None
        self._failed: BaseException | None = None

    def __getitem__(self, name: str) -> AsyncCollection[Document]:
        """A collection itself, for a handler that writes at once (it sees no staged write)."""
        return self.db[name]

    def at_version(
        self,
        collection: str,
        doc_id: Any,
        envelope: Envelope,
        update: Update,
        *,
        version_field: str = "_version",
    ) -> None:
        """Stage ``update``, applied once per stream version (as ``apply_at_version``)."""
        if envelope.streamversion is None:
            raise ValueError("at_version needs an event with a stream version")
        op = _Op(collection, doc_id, update, guard=version_field, version=envelope.streamversion)
        self._staged.append(op)

    def upsert(self, collection: str, doc_id: Any, update: Update) -> None:
        """Stage an unguarded upsert by id; it must be idempotent ($set, $setOnInsert, ...)."""
        self._staged.append(_Op(collection, doc_id, _idempotent(update)))

    def update_if(self, collection: str, doc_id: Any, condition: Document, update: Update) -> None:
        """Stage an update of the document if it matches ``condition`` (never inserts)."""
        self._staged.append(_Op(collection, doc_id, _idempotent(update), condition=condition))

    def update_many(self, collection: str, filter: Document, update: Update) -> None:
        self._staged.append(_Barrier(collection, filter, _idempotent(update)))

    def delete_many(self, collection: str, filter: Document) -> None:
        self._staged.append(_Barrier(collection, filter, None))

    async def find_one(
        self, collection: str, doc_id: Any, fields: Sequence[str] | None = None
    ) -> Document | None:
        """The document as the batch's staged writes leave it (``fields`` only, if given)."""
        if self._failed is not None:
            raise BatchAborted("an earlier write of this batch failed") from self._failed
        read = _Read(collection, doc_id, fields)
        self._reads.append(read)
        self._running -= 1
        self._wake()
        try:
            return await read.answer
        finally:
            self._running += 1

    @contextlib.asynccontextmanager
    async def lane(self) -> AsyncIterator[None]:
        """A lane of the consumer runs inside: reads wait until no lane is running."""
        self._running += 1
        try:
            yield
        finally:
            self._running -= 1
            self._wake()

    async def finish(self) -> None:
        """Write what is staged. Outages propagate (retry); other failures abort the batch."""
        if self._failed is not None:
            raise BatchAborted("a write of this batch failed") from self._failed
        try:
            await self._flush()
        except TRANSIENT_MONGO_ERRORS:
            raise
        except Exception as exc:
            raise BatchAborted(f"a write of this batch failed: {exc}") from exc

    def _wake(self) -> None:
        if self._running <= 0 and self._reads and self._serving is None:
            self._serving = asyncio.create_task(self._serve_reads())

    async def _serve_reads(self) -> None:
        try:
            while self._reads and self._running <= 0:
                reads, self._reads = self._reads, []
                try:
                    await self._flush()
                    found = await self._find(reads)
                except TRANSIENT_MONGO_ERRORS as exc:
                    # Each reader retries its handler, as after any outage.
                    for read in reads:
                        read.answer.set_exception(exc)
                except Exception as exc:
                    self._failed = exc
                    for read in reads:
                        read.answer.set_exception(BatchAborted(f"a write failed: {exc}"))
                else:
                    for read in reads:
                        read.answer.set_result(found.get((read.collection, read.doc_id)))
        finally:
            self._serving = None

    async def _find(self, reads: Sequence[_Read]) -> dict[tuple[str, Any], Document]:
        ids: dict[str, set[Any]] = {}
        # The fields each collection's readers asked for; None: the whole document.
        fields: dict[str, set[str] | None] = {}
        for read in reads:
            ids.setdefault(read.collection, set()).add(read.doc_id)
            asked = None if read.fields is None else set(read.fields)
            known = fields.get(read.collection, asked)
            fields[read.collection] = None if known is None or asked is None else known | asked
        found: dict[tuple[str, Any], Document] = {}
        for name, wanted in ids.items():
            chosen = fields[name]
            projection = dict.fromkeys(chosen, 1) if chosen else None
            async for doc in self.db[name].find({"_id": {"$in": list(wanted)}}, projection):
                found[(name, doc["_id"])] = doc
        return found

    async def _flush(self) -> None:
        staged, self._staged = self._staged, []
        try:
            ops: list[_Op] = []
            for item in [*staged, None]:
                if isinstance(item, _Op):
                    ops.append(item)
                    continue
                for writes in plan(ops):
                    await self._write_round(writes)
                ops = []
                if isinstance(item, _Barrier):
                    await self._run(item)
        except BaseException:
            # Written again next time: every staged write may be repeated.
            self._staged = staged + self._staged
            raise

    async def _run(self, barrier: _Barrier) -> None:
        collection = self.db[barrier.collection]
        if barrier.update is None:
            await collection.delete_many(barrier.filter)
        else:
            await collection.update_many(barrier.filter, barrier.update)

    async def _write_round(self, writes: Sequence[_Write], rereads: int = 0) -> None:
        by_collection: dict[str, list[_Write]] = {}
        for write in writes:
            by_collection.setdefault(write.first.collection, []).append(write)
        for name, group in by_collection.items():
            if await self._update(name, [w.statement() for w in group]):
                await self._settle(name, group, rereads)

    async def _update(self, name: str, statements: list[Document]) -> bool:
        """Send the statements; True if some guard refused (what was written is unknown)."""
        refused = False
        for start in range(0, len(statements), STATEMENTS_PER_COMMAND):
            command = {
                "update": name,
                "updates": statements[start : start + STATEMENTS_PER_COMMAND],
                "ordered": False,
            }
            reply = await self.db.command(command, codec_options=self.db.codec_options)
            for error in reply.get("writeErrors", []):
                if error.get("code") != DUPLICATE_KEY:
                    raise ViewWriteError(f"{name}: {error.get('errmsg')}")
                refused = True
        return refused

    async def _settle(self, name: str, writes: Sequence[_Write], rereads: int) -> None:
        """After refused guards: write what each document still misses, one op at a time."""
        if rereads >= REREADS:
            raise ViewWriteError(f"{name}: versions keep moving under the batch's writes")
        fields = {w.first.guard for w in writes if w.first.guard is not None}
        guarded = [w.first.doc_id for w in writes if w.first.guard is not None]
        versions: dict[Any, Document] = {}
        if guarded:
            cursor = self.db[name].find({"_id": {"$in": guarded}}, dict.fromkeys(fields, 1))
            versions = {doc["_id"]: doc async for doc in cursor}
        missing: list[list[_Write]] = []
        for write in writes:
            doc = versions.get(write.first.doc_id, {})
            ops = [
                op for op in write.ops if op.guard is None or op.version > (_at(doc, op.guard) or 0)
            ]
            missing.append([_Write([op], op.update) for op in ops])
        for i in range(max((len(ws) for ws in missing), default=0)):
            await self._write_round([ws[i] for ws in missing if len(ws) > i], rereads + 1)


def _idempotent(update: Update) -> Update:
    if not idempotent(update):
        raise ValueError(f"an unguarded write must be idempotent, not {sorted(update)}")
    return update


def _at(doc: Document, path: str) -> Any:
    value: Any = doc
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value
