"""An in-memory stand-in for the database a projection's batch writes to.

:class:`InMemoryViewDatabase` answers what :class:`inson_runtime.viewbatch.ViewBatch`
sends (``update`` commands, ``find`` by ids, ``update_many``, ``delete_many``)
and counts the round trips. Where FerretDB and MongoDB differ it follows
FerretDB, the stricter: an ``update`` command stops at its first failing
statement, whatever ``ordered`` says, and names index 0; a command whose
single-document statements (no ``multi``) match 100 documents never answers
there, so it is refused here. Only what the
projections use is understood (equality, ``$in``, ``$lt``, ``$exists``,
``$or``; ``$set``, ``$unset``, ``$setOnInsert``, ``$inc``, ``$push``,
``$addToSet``, ``$pull``).
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Mapping
from typing import Any

Document = dict[str, Any]
DUPLICATE_KEY = 11000
# FerretDB's SQLite connection pool (see InMemoryViewDatabase.command).
FERRETDB_POOL = 100
_MISSING = object()


class InMemoryViewDatabase:
    def __init__(self) -> None:
        self.collections: dict[str, dict[Any, Document]] = {}
        # One entry per round trip: (command, collection).
        self.round_trips: list[tuple[str, str]] = []
        self.codec_options = None

    def __getitem__(self, name: str) -> InMemoryViewCollection:
        return InMemoryViewCollection(self, name)

    def docs(self, name: str) -> dict[Any, Document]:
        return self.collections.setdefault(name, {})

    async def command(self, command: Mapping[str, Any], **_: Any) -> Document:
        name = command["update"]
        self.round_trips.append(("update", name))
        single = [s for s in command["updates"] if not s.get("multi")]
        if sum(s["q"]["_id"] in self.docs(name) for s in single) >= FERRETDB_POOL:
            raise RuntimeError("FerretDB would hang: 100 single-document statements match")
        for statement in command["updates"]:
            if not self._update_one(name, statement):
                return {"ok": 1.0, "writeErrors": [{"index": 0, "code": DUPLICATE_KEY}]}
        return {"ok": 1.0}

    def _update_one(self, name: str, statement: Document) -> bool:
        docs = self.docs(name)
        query = statement["q"]
        doc = docs.get(query["_id"])
        if doc is not None and matches(doc, query):
            docs[doc["_id"]] = apply_update(doc, statement["u"])
            return True
        if not statement.get("upsert"):
            return True
        if doc is not None:
            return False  # the insert of an id that exists: a duplicate key
        docs[query["_id"]] = apply_update(None, statement["u"], doc_id=query["_id"])
        return True


class InMemoryViewCollection:
    def __init__(self, db: InMemoryViewDatabase, name: str) -> None:
        self.db = db
        self.name = name

    async def find(
        self, filter: Document, projection: Mapping[str, Any] | None = None
    ) -> AsyncIterator[Document]:
        self.db.round_trips.append(("find", self.name))
        for doc in list(self.db.docs(self.name).values()):
            if matches(doc, filter):
                yield copy.deepcopy(doc)

    async def find_one(self, filter: Document) -> Document | None:
        async for doc in self.find(filter):
            return doc
        return None

    async def update_many(self, filter: Document, update: Document) -> None:
        self.db.round_trips.append(("update_many", self.name))
        docs = self.db.docs(self.name)
        for doc_id, doc in list(docs.items()):
            if matches(doc, filter):
                docs[doc_id] = apply_update(doc, update)

    async def delete_many(self, filter: Document) -> None:
        self.db.round_trips.append(("delete_many", self.name))
        docs = self.db.docs(self.name)
        for doc_id in [i for i, doc in docs.items() if matches(doc, filter)]:
            del docs[doc_id]


def matches(doc: Document, filter: Mapping[str, Any]) -> bool:
    for key, condition in filter.items():
        if key == "$or":
            if not any(matches(doc, branch) for branch in condition):
                return False
            continue
        value = _get(doc, key)
        if isinstance(condition, dict) and any(k.startswith("$") for k in condition):
            if not all(_test(value, op, arg) for op, arg in condition.items()):
                return False
        elif value is _MISSING or value != condition:
            return False
    return True


def _test(value: Any, op: str, arg: Any) -> bool:
    if op == "$exists":
        return (value is not _MISSING) == bool(arg)
    if op == "$in":
        return value is not _MISSING and value in arg
    if op == "$lt":
        return value is not _MISSING and value is not None and value < arg
    raise NotImplementedError(op)


def apply_update(doc: Document | None, update: Mapping[str, Any], doc_id: Any = None) -> Document:
    """``update`` applied to ``doc`` (None: inserted with ``doc_id``)."""
    out: Document = {"_id": doc_id} if doc is None else copy.deepcopy(doc)
    for op, fields in update.items():
        for path, value in fields.items():
            if op == "$set" or (op == "$setOnInsert" and doc is None):
                _put(out, path, copy.deepcopy(value))
            elif op == "$unset":
                _drop(out, path)
            elif op == "$inc":
                before = _get(out, path)
                _put(out, path, (0 if before is _MISSING else before) + value)
            elif op in ("$push", "$addToSet", "$pull"):
                _listed(out, op, path, value)
            elif op != "$setOnInsert":
                raise NotImplementedError(op)
    return out


def _listed(doc: Document, op: str, path: str, value: Any) -> None:
    before = _get(doc, path)
    items: list[Any] = [] if before is _MISSING else list(before)
    if op == "$pull":
        gone = value["$in"] if isinstance(value, dict) and "$in" in value else [value]
        _put(doc, path, [item for item in items if item not in gone])
        return
    each = value["$each"] if isinstance(value, dict) and "$each" in value else [value]
    for item in each:
        if op == "$push" or item not in items:
            items.append(copy.deepcopy(item))
    _put(doc, path, items)


def _get(doc: Document, path: str) -> Any:
    value: Any = doc
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _put(doc: Document, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        doc = doc.setdefault(part, {})
    doc[last] = value


def _drop(doc: Document, path: str) -> None:
    *parents, last = path.split(".")
    for part in parents:
        doc = doc.get(part, {})
    doc.pop(last, None)
