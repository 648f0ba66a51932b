"""Circumstance categories: every circumstance mapped once, each purpose reachable, a bad
replacement file refused with its reason, and codes a reader does not know ignored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from inson_contracts.codes.categories import (
    CATEGORIES_FILE_ENV,
    CATEGORY_NAMES,
    CategoryDataError,
    CircumstanceCategory,
    categories_of,
    category_map,
    reload_categories,
)
from inson_contracts.codes.circumstances import Circumstance

K = CircumstanceCategory


@pytest.fixture
def replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    def use(document: Any) -> None:
        path = tmp_path / "categories.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        monkeypatch.setenv(CATEGORIES_FILE_ENV, str(path))
        reload_categories()

    yield use
    monkeypatch.delenv(CATEGORIES_FILE_ENV, raising=False)
    reload_categories()


def test_the_packaged_mapping_covers_every_circumstance_and_reaches_every_purpose() -> None:
    mapping = category_map()
    assert mapping.version == 1
    assert set(mapping.circumstances) == set(Circumstance)
    reached = {c for categories in mapping.circumstances.values() for c in categories}
    assert reached == set(CircumstanceCategory) == set(CATEGORY_NAMES)


def test_a_case_falls_under_the_categories_of_its_circumstances() -> None:
    assert categories_of(["lonely_elderly"]) == {K.OLDER_PEOPLE}
    assert categories_of(["child_at_risk", "low_income"]) == {K.CHILD_PROTECTION, K.LOW_INCOME}
    assert categories_of(["needs_care_by_others"]) == {K.OLDER_PEOPLE, K.DISABILITY}
    # No purpose of its own: only subscriptions without a circumstance filter get it.
    assert categories_of(["domestic_violence", "other"]) == frozenset()
    # A circumstance a newer platform added, unknown to this package: no category.
    assert categories_of(["stateless", "homeless"]) == {K.HOMELESSNESS}


def test_a_replacement_file_is_used_and_checked(replaced: Any) -> None:
    everything = {c.value: [] for c in Circumstance}
    replaced(
        {"version": 2, "circumstances": everything | {"domestic_violence": ["child_protection"]}}
    )
    assert category_map().version == 2
    assert categories_of(["domestic_violence"]) == {K.CHILD_PROTECTION}

    del everything["homeless"]
    replaced({"version": 3, "circumstances": everything})
    with pytest.raises(CategoryDataError, match=r"without categories: \['homeless'\]"):
        category_map()

    replaced({"version": 3, "circumstances": {c.value: ["orphans"] for c in Circumstance}})
    wrong = r"categories\.json: circumstances\.disability\.0: Input should be"
    with pytest.raises(CategoryDataError, match=wrong):
        category_map()

    replaced({"version": 3, "circumstances": {c.value: ["disability"] * 2 for c in Circumstance}})
    with pytest.raises(CategoryDataError, match="a category listed twice"):
        category_map()
