"""A token bucket per channel, so a burst of events never floods a provider.

Providers throttle or block senders above their contracted rate (Telegram's
bots about 30 messages a second; SMS gateways per contract), and a blocked
sender fails every message after it. Waiting here is cheaper than that.
The bucket is per process; with several replicas, divide the rate.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from notification.domain.outgoing import Channel, OutgoingMessage


class TokenBucket:
    def __init__(
        self,
        rate_per_s: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate_per_s <= 0 or burst < 1:
            raise ValueError("a token bucket needs a positive rate and a burst of at least 1")
        self.rate = rate_per_s
        self.burst = burst
        self.clock = clock
        self.sleep = sleep
        self.tokens = float(burst)
        self.updated = clock()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(float(self.burst), self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def try_take(self) -> bool:
        self._refill()
        # Within rounding of a whole token counts as one: otherwise a wait of
        # a few femtoseconds may not move the clock at all, and never ends.
        if self.tokens >= 1 - 1e-9:
            self.tokens = max(0.0, self.tokens - 1)
            return True
        return False

    async def take(self) -> None:
        """Wait until a token is free, then take it (first come, first served)."""
        async with self._lock:
            while not self.try_take():
                await self.sleep((1 - self.tokens) / self.rate)


class RateLimited:
    """A channel whose sends wait for its bucket."""

    def __init__(self, channel: Channel, bucket: TokenBucket) -> None:
        self.channel = channel
        self.bucket = bucket
        self.kind = channel.kind

    async def send(self, message: OutgoingMessage) -> str | None:
        await self.bucket.take()
        return await self.channel.send(message)
