"""The token bucket: a burst goes at once, then messages go at the configured rate."""

from __future__ import annotations

import asyncio

import pytest
from inson_contracts.events.notification import MessageChannel
from notification.adapters.channels.ratelimit import RateLimited, TokenBucket
from notification.domain.outgoing import OutgoingMessage


class FakeTime:
    """A monotonic clock that only moves when the bucket sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def bucket(rate: float, burst: int, time: FakeTime) -> TokenBucket:
    return TokenBucket(rate, burst, clock=time.clock, sleep=time.sleep)


async def test_a_burst_passes_then_each_message_waits_its_turn() -> None:
    time = FakeTime()
    limiter = bucket(rate=2.0, burst=3, time=time)
    for _ in range(3):
        await limiter.take()
    assert time.slept == []
    await limiter.take()
    await limiter.take()
    assert time.slept == pytest.approx([0.5, 0.5])
    assert time.now == pytest.approx(101.0)


async def test_tokens_refill_with_time_but_never_beyond_the_burst() -> None:
    time = FakeTime()
    limiter = bucket(rate=1.0, burst=2, time=time)
    assert limiter.try_take() and limiter.try_take() and not limiter.try_take()
    time.now += 1.0
    assert limiter.try_take() and not limiter.try_take()
    time.now += 3600
    assert limiter.try_take() and limiter.try_take() and not limiter.try_take()


async def test_concurrent_senders_share_the_rate() -> None:
    time = FakeTime()
    limiter = bucket(rate=10.0, burst=1, time=time)
    await asyncio.gather(*(limiter.take() for _ in range(5)))
    assert time.now == pytest.approx(100.4)  # 1 at once, then 4 at 10 a second


def test_a_bucket_needs_a_rate_and_a_burst() -> None:
    with pytest.raises(ValueError, match="positive rate"):
        TokenBucket(0, 1)
    with pytest.raises(ValueError, match="burst"):
        TokenBucket(1, 0)


class Recording:
    kind = MessageChannel.SMS

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, message: OutgoingMessage) -> str | None:
        self.sent.append(message.notification_id)
        return "id"


async def test_a_rate_limited_channel_waits_for_its_bucket_before_sending() -> None:
    time = FakeTime()
    channel = Recording()
    limited = RateLimited(channel, bucket(rate=1.0, burst=1, time=time))
    for n in range(3):
        assert await limited.send(OutgoingMessage(str(n), "+998900000000", "t", "s")) == "id"
    assert channel.sent == ["0", "1", "2"]
    assert time.slept == pytest.approx([1.0, 1.0])
    assert limited.kind is MessageChannel.SMS
