"""Group commit: calls that arrive while a round trip is in flight share the next one.

The store is slow for single operations and fast for bulk ones (BENCHMARKS.md:
1,547 single upserts/s against 4,436/s in bulk). A :class:`Batcher` turns
concurrent single calls (consumer lanes, concurrent requests) into one bulk
call, without delaying a lone caller: the first call goes out at the next
turn of the event loop, and every call made while it is in flight waits for
it and then goes out with the others in one batch.

    loads = Batcher(load_many)           # load_many(list[str]) -> list[result]
    events = await loads.submit(stream_id)

``run`` answers one outcome per item, in order: a value, or an exception
raised to that item's caller alone. An exception of ``run`` itself goes to
every caller of the batch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Batcher(Generic[T, R]):
    def __init__(
        self,
        run: Callable[[list[T]], Awaitable[Sequence[R | BaseException]]],
        *,
        max_batch: int = 100,
    ) -> None:
        self.run = run
        self.max_batch = max_batch
        self._queue: list[tuple[T, asyncio.Future[R]]] = []
        self._drainer: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> R:
        loop = asyncio.get_running_loop()
        if self._drainer is not None and self._drainer.get_loop() is not loop:
            # Left behind by an event loop that is gone (tests run one loop each).
            self._queue = [(i, f) for i, f in self._queue if f.get_loop() is loop]
            self._drainer = None
        future: asyncio.Future[R] = loop.create_future()
        self._queue.append((item, future))
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain(), name="batcher")
        return await future

    async def _drain(self) -> None:
        # One turn of the loop, so the callers that are ready now join the first batch.
        await asyncio.sleep(0)
        while self._queue:
            batch = self._queue[: self.max_batch]
            del self._queue[: self.max_batch]
            try:
                outcomes = await self.run([item for item, _ in batch])
            except asyncio.CancelledError:
                for _, future in batch + self._queue:
                    future.cancel()
                self._queue.clear()
                raise
            except Exception as exc:  # every caller of the batch gets it
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                if future.done():
                    continue  # its caller gave up (cancelled); the work is done anyway
                if isinstance(outcome, BaseException):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)
