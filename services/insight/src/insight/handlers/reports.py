"""The figures a reader asks for: folded from the facts of the area asked about,
with small counts hidden where the reader does not work.

A supervisor's own district is read alone; any other area (another district,
the regions) is folded from every district's facts, as an admin's figures
are, and shown with small counts hidden (``domain/disclosure.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from insight.domain.coverage import Reference, coverage
from insight.domain.disclosure import hide_small_counts
from insight.domain.facts import Facts
from insight.domain.indicators import Level, fold, summary
from insight.domain.periods import PeriodKind, period_of_day
from insight.domain.readers import Reader
from insight.handlers.ports import Clock, FactSource, utc_now


@dataclass(frozen=True)
class Shown:
    """One row (or district) as the reader may see it."""

    area: str
    period: str | None
    figures: dict[str, Any]
    small_counts_hidden: bool


class Reports:
    def __init__(self, facts: FactSource, reference: Reference, *, clock: Clock = utc_now) -> None:
        self.source, self.reference, self.clock = facts, reference, clock

    async def _facts(self, level: Level, district: str | None) -> Facts:
        # A region mixes districts: it is folded from all of them.
        if level is not Level.REGION and district is not None:
            return await self.source.facts(district)
        return await self.source.facts(None)

    async def indicators(
        self,
        reader: Reader,
        *,
        level: Level,
        kind: PeriodKind,
        district: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[Shown]:
        """Rows of ``level`` per period; a supervisor's default district is their own."""
        district = district or reader.district
        facts = await self._facts(level, district)
        rows = fold(facts, level=level, kind=kind, now=self.clock())
        first = period_of_day(since, kind) if since else None
        last = period_of_day(until, kind) if until else None
        shown = []
        for row in rows:
            if (first and row.period < first) or (last and row.period > last):
                continue
            if level is not Level.REGION and district and not row.area.startswith(district):
                continue
            shown.append(_shown(reader, level, row.area, row.period, summary(row.figures)))
        return shown

    async def coverage(self, reader: Reader, district: str | None = None) -> list[Shown]:
        """Coverage now per district: one (``district``, by default a supervisor's) or all."""
        district = district or reader.district
        facts = await self.source.facts(district)
        # A district with nothing recorded yet still has mahallas and workers.
        also = (district,) if district is not None else ()
        entries = coverage(facts, self.reference, now=self.clock(), also=also)
        return [
            _shown(reader, Level.DISTRICT, entry.district, None, entry.figures())
            for entry in entries
            if district is None or entry.district == district
        ]


def _shown(
    reader: Reader, level: Level, area: str, period: str | None, figures: dict[str, Any]
) -> Shown:
    if reader.in_full(level, area):
        return Shown(area, period, figures, False)
    hidden, any_hidden = hide_small_counts(figures)
    return Shown(area, period, hidden, any_hidden)
