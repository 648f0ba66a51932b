"""Who reads the figures, and which rows they see in full (pure).

An admin (the ministry) sees every figure. A supervisor sees their own
district in full, its mahallas included; figures of any other area (another
district, a region, which mixes districts) come with small counts hidden
(``disclosure.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from insight.domain.indicators import Level


@dataclass(frozen=True)
class Reader:
    """An admin (``district`` None) or a supervisor of ``district``."""

    district: str | None = None

    def in_full(self, level: Level, area: str) -> bool:
        if self.district is None:
            return True
        if level is Level.REGION:
            return False
        # Codes nest: a mahalla's code begins with its district's.
        return area.startswith(self.district)


ADMIN = Reader()
