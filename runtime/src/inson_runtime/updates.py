"""Two MongoDB update documents made one, when one can do what the two do in turn.

A projection's batch groups the updates of one document; :func:`compose`
folds two of them into a single update with the same effect on any document
(absent or present), or answers ``None`` when no single update has it (the
batch then writes them one after the other). Only what the projections use
is folded: ``$set``, ``$unset``, ``$setOnInsert``, ``$inc``, ``$push`` and
``$addToSet`` (with or without ``$each``); any other operator is never folded.
"""

from __future__ import annotations

import copy
from typing import Any

# An update document: operator -> {path: value}.
Update = dict[str, Any]

FOLDABLE = frozenset({"$set", "$unset", "$setOnInsert", "$inc", "$push", "$addToSet"})
# Operators whose repetition changes nothing: safe to write again after an
# outage left it unknown whether they were applied.
IDEMPOTENT = frozenset({"$set", "$unset", "$setOnInsert", "$addToSet", "$pull", "$min", "$max"})


def compose(first: Update, then: Update) -> Update | None:
    """One update equal to ``first`` followed by ``then`` (both upserts), or None."""
    if not (set(first) | set(then)) <= FOLDABLE:
        return None
    result = copy.deepcopy(first)
    for operator, fields in then.items():
        for path, value in fields.items():
            if not _fold(result, operator, path, value):
                return None
    return {op: fields for op, fields in result.items() if fields}


def _fold(result: Update, operator: str, path: str, value: Any) -> bool:
    if operator == "$setOnInsert":
        # The first update inserts the document if anything does: a later
        # $setOnInsert never applies.
        return True
    if any(_overlap(path, other) for other in _paths(result) if other != path):
        # "a" and "a.b" in one update: refused by the server.
        return False
    earlier = [op for op, fields in result.items() if path in fields]
    if operator in ("$set", "$unset"):
        # The last writer of a field wins, whatever came before.
        for op in earlier:
            del result[op][path]
        result.setdefault(operator, {})[path] = value
        return True
    if not earlier:
        result.setdefault(operator, {})[path] = copy.deepcopy(value)
        return True
    [op] = earlier
    before = result[op][path]
    if operator == "$inc" and op in ("$inc", "$set") and _numbers(before, value):
        result[op][path] = before + value
        return True
    if operator in ("$push", "$addToSet") and op == operator:
        items = _each(before), _each(value)
        if items[0] is None or items[1] is None:
            return False
        result[op][path] = {"$each": items[0] + items[1]}
        return True
    if operator == "$push" and op == "$set" and isinstance(before, list):
        items_after = _each(value)
        if items_after is None:
            return False
        result[op][path] = before + items_after
        return True
    return False


def _paths(update: Update) -> set[str]:
    return {path for fields in update.values() for path in fields}


def _overlap(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def _numbers(a: Any, b: Any) -> bool:
    return all(isinstance(x, int | float) and not isinstance(x, bool) for x in (a, b))


def _each(value: Any) -> list[Any] | None:
    """The items a $push/$addToSet adds; None if it carries modifiers ($slice, $sort, ...)."""
    if isinstance(value, dict) and any(key.startswith("$") for key in value):
        if set(value) != {"$each"}:
            return None
        return list(value["$each"])
    return [value]


def idempotent(update: Update) -> bool:
    """Whether applying ``update`` twice leaves what applying it once does."""
    return set(update) <= IDEMPOTENT
