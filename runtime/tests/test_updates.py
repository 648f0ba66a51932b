"""compose: two updates folded into one have the effect of both in turn, or are not folded."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from inson_runtime.testing.views import apply_update
from inson_runtime.updates import compose, idempotent


def apply(doc: dict[str, Any] | None, update: dict[str, Any]) -> dict[str, Any]:
    return apply_update(doc, update)


SAMPLES: list[dict[str, Any]] = [
    {"$set": {"status": "open", "n": 2}},
    {"$set": {"status": "closed"}, "$unset": {"reason": ""}},
    {"$unset": {"status": ""}},
    {"$setOnInsert": {"status": "submitted", "n": 0}},
    {"$inc": {"n": 1, "m": -1}},
    {"$push": {"history": {"type": "issued"}}},
    {"$push": {"history": {"$each": [{"type": "a"}, {"type": "b"}]}}},
    {"$addToSet": {"tags": {"$each": ["x", "y"]}}},
    {"$addToSet": {"tags": "x"}, "$set": {"reason": "r"}},
    {"$set": {"history": [], "tags": ["z"]}},
]
STARTS: list[dict[str, Any] | None] = [
    None,
    {},
    {"status": "old", "n": 5, "history": [{"type": "x"}], "tags": ["x"], "reason": "q"},
]


@pytest.mark.parametrize(("first", "then"), list(itertools.product(SAMPLES, repeat=2)))
def test_a_fold_has_the_effect_of_both_updates_in_turn(
    first: dict[str, Any], then: dict[str, Any]
) -> None:
    folded = compose(first, then)
    if folded is None:
        return  # written one after the other: nothing to compare
    for start in STARTS:
        assert apply(start, folded) == apply(apply(start, first), then), (start, folded)


def test_the_last_writer_of_a_field_wins_and_a_later_set_on_insert_never_applies() -> None:
    assert compose({"$set": {"a": 1}}, {"$set": {"a": 2}}) == {"$set": {"a": 2}}
    assert compose({"$set": {"a": 1}}, {"$unset": {"a": ""}}) == {"$unset": {"a": ""}}
    assert compose({"$setOnInsert": {"s": "new"}}, {"$set": {"s": "open"}}) == {
        "$set": {"s": "open"}
    }
    assert compose({"$set": {"a": 1}}, {"$setOnInsert": {"b": 1}}) == {"$set": {"a": 1}}


def test_counters_and_lists_accumulate() -> None:
    assert compose({"$inc": {"n": 1}}, {"$inc": {"n": 2}}) == {"$inc": {"n": 3}}
    assert compose({"$set": {"n": 1}}, {"$inc": {"n": 2}}) == {"$set": {"n": 3}}
    assert compose({"$push": {"h": 1}}, {"$push": {"h": {"$each": [2, 3]}}}) == {
        "$push": {"h": {"$each": [1, 2, 3]}}
    }
    assert compose({"$addToSet": {"t": "a"}}, {"$addToSet": {"t": "a"}}) == {
        "$addToSet": {"t": {"$each": ["a", "a"]}}
    }


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ({"$set": {"a": {"b": 1}}}, {"$set": {"a.b": 2}}),  # overlapping paths
        ({"$setOnInsert": {"n": 0}}, {"$inc": {"n": 1}}),  # depends on whether it inserts
        ({"$unset": {"n": ""}}, {"$inc": {"n": 1}}),
        ({"$addToSet": {"t": "a"}}, {"$pull": {"t": "a"}}),  # $pull is never folded
        ({"$push": {"h": {"$each": [1], "$slice": -5}}}, {"$push": {"h": 2}}),
        ({"$set": {"n": "x"}}, {"$inc": {"n": 1}}),
    ],
)
def test_updates_no_single_update_can_replace_are_not_folded(
    first: dict[str, Any], then: dict[str, Any]
) -> None:
    assert compose(first, then) is None


def test_only_updates_that_can_be_repeated_are_idempotent() -> None:
    assert idempotent({"$set": {"a": 1}, "$setOnInsert": {"b": 1}, "$addToSet": {"c": 1}})
    assert not idempotent({"$inc": {"n": 1}})
    assert not idempotent({"$set": {"a": 1}, "$push": {"h": 1}})
