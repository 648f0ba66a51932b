"""How far a long command is, with its rate and the time left (``rebuild``).

On a terminal, one line redrawn in place with a bar; elsewhere (a Kubernetes
Job's log, a file), a plain line every few seconds and one at the end.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

BAR_WIDTH = 30


class Progress:
    """Told ``(done, total)`` as work advances; draws it on ``stream``."""

    def __init__(
        self,
        label: str,
        *,
        unit: str = "events",
        stream: TextIO | None = None,
        every_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()
        # A terminal is redrawn often; a log gets a line every few seconds.
        self.every_s = 0.2 if self.tty else every_s
        self.clock = clock
        self.started = clock()
        self.shown_at: float | None = None

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if done < total and self.shown_at is not None and now - self.shown_at < self.every_s:
            return
        self.shown_at = now
        line = self.line(done, total, now - self.started)
        if self.tty:
            self.stream.write(f"\r\x1b[2K{line}")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        """End the redrawn line (a terminal's cursor goes to the next one)."""
        if self.tty and self.shown_at is not None:
            self.stream.write("\n")
            self.stream.flush()

    def line(self, done: int, total: int, elapsed_s: float) -> str:
        share = done / total if total else 1.0
        rate = done / elapsed_s if elapsed_s > 0 else 0.0
        if done >= total:
            left = "done"
        elif rate > 0:
            left = f"ETA {clock_time((total - done) / rate)}"
        else:
            left = "ETA --:--"
        counts = f"{done:,}/{total:,} {self.unit} {share:4.0%}, {rate:,.0f}/s, {left}"
        if not self.tty:
            return f"{self.label}: {counts}"
        filled = round(BAR_WIDTH * share)
        return f"{self.label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {counts}"


def clock_time(seconds: float) -> str:
    """``m:ss``, or ``h:mm:ss`` from an hour."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
