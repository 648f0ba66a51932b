"""Group commit: concurrent calls share a round trip; each caller gets its own answer."""

from __future__ import annotations

import asyncio

import pytest
from inson_runtime.batching import Batcher


class Recorder:
    """A bulk call that records its batches and answers per item."""

    def __init__(self, *, pause_s: float = 0.0) -> None:
        self.batches: list[list[int]] = []
        self.pause_s = pause_s
        self.release = asyncio.Event()
        self.release.set()

    async def run(self, items: list[int]) -> list[int | Exception]:
        self.batches.append(items)
        await self.release.wait()
        await asyncio.sleep(self.pause_s)
        return [ValueError(f"odd {i}") if i % 2 else i * 10 for i in items]


async def test_a_lone_call_goes_out_alone_at_once() -> None:
    recorder = Recorder()
    batcher = Batcher(recorder.run)

    assert await batcher.submit(4) == 40
    assert recorder.batches == [[4]]


async def test_calls_made_together_share_one_batch_and_get_their_own_answers() -> None:
    recorder = Recorder()
    batcher = Batcher(recorder.run)

    results = await asyncio.gather(*(batcher.submit(i) for i in (2, 3, 4)), return_exceptions=True)

    assert recorder.batches == [[2, 3, 4]]
    assert results[0] == 20 and results[2] == 40
    assert isinstance(results[1], ValueError) and str(results[1]) == "odd 3"


async def test_calls_made_while_a_batch_is_in_flight_go_out_together_next() -> None:
    recorder = Recorder()
    recorder.release.clear()
    batcher = Batcher(recorder.run)
    first = asyncio.create_task(batcher.submit(2))
    await asyncio.sleep(0.01)  # the first batch is in flight
    later = [asyncio.create_task(batcher.submit(i)) for i in (4, 6, 8)]
    await asyncio.sleep(0.01)
    recorder.release.set()

    assert await first == 20
    assert [await t for t in later] == [40, 60, 80]
    assert recorder.batches == [[2], [4, 6, 8]]


async def test_batches_are_cut_at_their_maximum() -> None:
    recorder = Recorder()
    batcher = Batcher(recorder.run, max_batch=2)

    await asyncio.gather(*(batcher.submit(i) for i in (2, 4, 6, 8, 10)))

    assert recorder.batches == [[2, 4], [6, 8], [10]]


async def test_a_failed_bulk_call_fails_every_caller_of_its_batch_and_no_other() -> None:
    calls = 0

    async def flaky(items: list[int]) -> list[int]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("store down")
        return items

    batcher = Batcher(flaky)
    results = await asyncio.gather(batcher.submit(1), batcher.submit(2), return_exceptions=True)
    assert all(isinstance(r, ConnectionError) for r in results)

    assert await batcher.submit(3) == 3


async def test_a_caller_that_gives_up_leaves_the_others_their_answers() -> None:
    recorder = Recorder(pause_s=0.05)
    batcher = Batcher(recorder.run)
    impatient = asyncio.create_task(batcher.submit(2))
    patient = asyncio.create_task(batcher.submit(4))
    await asyncio.sleep(0.01)
    impatient.cancel()

    assert await patient == 40
    with pytest.raises(asyncio.CancelledError):
        await impatient
