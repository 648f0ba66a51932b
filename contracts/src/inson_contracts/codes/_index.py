"""Read-only lookup tables built from the code lists, checked for duplicates."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TypeVar

T = TypeVar("T")


def index(items: Iterable[T], key: Callable[[T], str], *, kind: str) -> Mapping[str, T]:
    """``{key(item): item}``, refusing a repeated code at import time.

    A repeated code in a published list would make two partners read one code
    two ways, so it must fail loudly where the list is defined.
    """
    table: dict[str, T] = {}
    for item in items:
        code = key(item)
        if code in table:
            raise ValueError(f"{kind} code {code!r} is listed twice")
        table[code] = item
    return MappingProxyType(table)
