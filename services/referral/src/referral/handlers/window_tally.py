"""How many open referrals each window of a center has, read seldom and counted on.

Choosing a window (the least loaded of its center) asked the read model for
every window's open referrals at each plan. On FerretDB a count reads and
decodes every open referral of the window, so the cost of a plan grew with
the windows' queues: in the end-to-end benchmark at 5 applications/s these
counts were the dearest command of the run (258 ms each, 11% of the
services' time in the store). A balance needs no exact count, so a center's
counts are read at most once per ``max_age`` and this process adds each
window it chooses until the next read. Another replica's choices, and the
referrals windows take up, show at that read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from referral.domain.routing import ServicePoint
from referral.handlers.ports import Clock, WindowLoads


@dataclass
class _Counts:
    read_at: datetime
    by_window: dict[str, int] = field(default_factory=dict)


class WindowTally:
    def __init__(self, windows: WindowLoads, clock: Clock, max_age: timedelta) -> None:
        self.windows = windows
        self.clock = clock
        self.max_age = max_age
        self._by_center: dict[str, _Counts] = {}

    async def loads(self, point: ServicePoint) -> dict[str, int]:
        """The center's open referrals per window, with this process's choices since."""
        counts = self._by_center.get(point.center)
        now = self.clock()
        if counts is None or now - counts.read_at >= self.max_age or now < counts.read_at:
            read = await self.windows.open_by_window(point.windows)
            counts = self._by_center[point.center] = _Counts(now, dict(read))
        return counts.by_window

    def chose(self, point: ServicePoint, window: str) -> None:
        """A referral was issued to ``window``: one more open there until the next read."""
        counts = self._by_center.get(point.center)
        if counts is not None:
            counts.by_window[window] = counts.by_window.get(window, 0) + 1
