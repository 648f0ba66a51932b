"""The small shared pieces: backoff, derived ids, the API kit."""

from __future__ import annotations

import uuid

import pytest
from inson_runtime.apikit import Page, actor_of, responses, skip_of
from inson_runtime.auth import Principal, Role
from inson_runtime.backoff import Backoff
from inson_runtime.ids import DerivedIds


def test_backoff_doubles_from_the_first_delay_up_to_the_cap() -> None:
    backoff = Backoff(first_s=0.5, max_s=5.0)
    assert [backoff.delay(n) for n in (1, 2, 3, 4, 5)] == [0.5, 1.0, 2.0, 4.0, 5.0]
    # Attempts counted for weeks must not overflow.
    assert backoff.delay(10_000) == 5.0
    with pytest.raises(ValueError, match="first_s"):
        Backoff(first_s=2.0, max_s=1.0)


def test_derived_ids_are_stable_and_namespaced() -> None:
    intake = DerivedIds(uuid.UUID("5d1c7e0a-9b1f-4f3e-8c55-2a8e3c0b7f61"))
    other = DerivedIds(uuid.UUID("0b6f3d8e-2a41-4c55-9f0e-6c1d2e3f4a5b"))
    assert intake("case", "a1") == intake("case", "a1")
    assert intake("case", "a1") != other("case", "a1")
    # The services' ids of earlier releases: the same inputs, the same id.
    expected = uuid.uuid5(uuid.UUID("5d1c7e0a-9b1f-4f3e-8c55-2a8e3c0b7f61"), "case/a1")
    assert intake("case", "a1") == str(expected)


def test_the_api_kit() -> None:
    principal = Principal(sub="sw-1", role=Role.SOCIAL_WORKER)
    actor = actor_of(principal)
    assert (actor.id, actor.role) == ("sw-1", "social_worker")
    assert skip_of(3, 20) == 40
    assert responses({404: "No such case"})[404]["description"] == "No such case"
    page = Page[int](items=[1, 2], page=1, page_size=2, total=5)
    assert page.model_dump() == {"items": [1, 2], "page": 1, "page_size": 2, "total": 5}
