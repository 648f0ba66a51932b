"""What the handlers need besides the domain: the facts, the reference counts,
the gauges, a clock."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Protocol

from insight.domain.coverage import Coverage
from insight.domain.facts import Facts

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class FactSource(Protocol):
    async def facts(self, district: str | None = None) -> Facts:
        """The facts of ``district``, or of every district (None)."""
        ...


class Gauges(Protocol):
    def show(self, coverage: list[Coverage]) -> None:
        """Publish the coverage figures that are gauges (open cases, overdue, backlog)."""
        ...


DistrictCounts = Mapping[str, int]
