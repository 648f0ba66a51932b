"""Circumstance categories: the purposes a partner may receive cases for.

A partner agency works for a purpose (child protection, disability, older
people, low income, homelessness) and should receive the cases of that
purpose only. Intake records finer circumstances
(:mod:`inson_contracts.codes.circumstances`); which of them fall under which
category is reference data, versioned, read from
``data/circumstance_categories.json`` in this package or, when
``INSON_CIRCUMSTANCE_CATEGORIES_FILE`` names one, from that file. A
circumstance may fall under several categories (``needs_care_by_others``:
older people and disability) or none (``domestic_violence``, ``other``: such
cases reach only subscriptions without a circumstance filter). The file is
checked as it is loaded: every circumstance of the code list is mapped
exactly once, to known categories, so a circumstance added later cannot
silently fall out of every purpose.

The mapping was written for this platform, not taken from an official
classifier. Partners reading Kafka directly use the same function,
:func:`categories_of`, on an event's ``circumstances``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.codes.names import LocalizedName, name
from inson_contracts.codes.reference import ReferenceDataError, ReferenceFile, validated


class CircumstanceCategory(StrEnum):
    CHILD_PROTECTION = "child_protection"
    DISABILITY = "disability"
    OLDER_PEOPLE = "older_people"
    LOW_INCOME = "low_income"
    HOMELESSNESS = "homelessness"


_K = CircumstanceCategory

CATEGORY_NAMES: Mapping[CircumstanceCategory, LocalizedName] = MappingProxyType(
    {
        _K.CHILD_PROTECTION: name("Bolalar himoyasi", "Болалар ҳимояси", "Защита детей"),
        _K.DISABILITY: name("Nogironlik", "Ногиронлик", "Инвалидность"),
        _K.OLDER_PEOPLE: name("Keksalar", "Кексалар", "Пожилые люди"),
        _K.LOW_INCOME: name("Kam taʼminlanganlik", "Кам таъминланганлик", "Малообеспеченность"),
        _K.HOMELESSNESS: name("Uysizlik", "Уйсизлик", "Отсутствие постоянного места жительства"),
    }
)

CATEGORIES_FILE_ENV = "INSON_CIRCUMSTANCE_CATEGORIES_FILE"


class CategoryDataError(ReferenceDataError):
    """The circumstance categories file cannot be used; the message says where and why."""


class CategoryMap(BaseModel):
    """One version of the mapping, as loaded and checked."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = Field(ge=1)
    note: str | None = None
    circumstances: dict[Circumstance, tuple[CircumstanceCategory, ...]]


def _parse(source: str, document: Any) -> CategoryMap:
    mapping = validated(CategoryMap, source, document, CategoryDataError)
    missing = sorted(c.value for c in set(Circumstance) - set(mapping.circumstances))
    if missing:
        raise CategoryDataError(f"{source}: circumstances without categories: {missing}")
    for circumstance, categories in mapping.circumstances.items():
        if len(set(categories)) != len(categories):
            raise CategoryDataError(f"{source}: {circumstance}: a category listed twice")
    return mapping


_FILE = ReferenceFile(
    package="inson_contracts.codes",
    resource="data/circumstance_categories.json",
    env=CATEGORIES_FILE_ENV,
    parse=_parse,
    error=CategoryDataError,
)


def category_map() -> CategoryMap:
    """The mapping in use (its ``version`` says which)."""
    return _FILE.get()


def reload_categories() -> None:
    """Read the file again on next use (tests, or a process pointed at a new file)."""
    _FILE.reload()


def categories_of(circumstances: Iterable[str]) -> frozenset[CircumstanceCategory]:
    """The categories the given circumstance codes fall under; unknown codes fall under none
    (a newer platform may send a circumstance an older package does not know)."""
    table = category_map().circumstances
    known = {c.value: c for c in table}
    return frozenset(
        category for code in circumstances if code in known for category in table[known[code]]
    )
