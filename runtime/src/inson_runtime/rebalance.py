"""A partition changes hands only once the batch holding it is finished.

When a replica joins or leaves, Kafka moves partitions between the group's
members. Without a say in it, a member could still be writing a batch of a
partition the new owner was already reading from the last committed offset:
two writers of one stream at once (the version guards and the event store's
optimistic appends absorb it, at the cost of conflicts and retries).
aiokafka calls ``on_partitions_revoked`` before the member rejoins, keeping
it alive (heartbeats on) meanwhile, so the listener waits there for the batch
in flight to end; its offsets are then committed by the old owner and the
new one starts after them.

The wait is bounded: a batch held up by a store outage would otherwise hold
up the whole group's rebalance. Past the bound the old behaviour returns
(the batch is redelivered to the new owner and absorbed by idempotence).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable

import structlog
from aiokafka import ConsumerRebalanceListener, TopicPartition

log = structlog.get_logger(__name__)

# Longer than a batch takes when the store answers; shorter than the group's
# rebalance timeout (max.poll.interval, 300 s by default).
REVOKE_WAIT_S = 30.0


class BatchesInFlight:
    """How many batches a consumer is handling now; idle when none."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @contextlib.asynccontextmanager
    async def handling(self) -> AsyncIterator[None]:
        self._count += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._count -= 1
            if self._count == 0:
                self._idle.set()

    async def finished(self, timeout_s: float) -> bool:
        """Wait until no batch is in flight; False if ``timeout_s`` passed first."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout_s)
        except TimeoutError:
            return False
        return True


class FinishBeforeRevoke(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(
        self, batches: BatchesInFlight, group_id: str, timeout_s: float = REVOKE_WAIT_S
    ) -> None:
        self.batches = batches
        self.group_id = group_id
        self.timeout_s = timeout_s

    async def on_partitions_revoked(self, revoked: Iterable[TopicPartition]) -> None:
        if not await self.batches.finished(self.timeout_s):
            log.warning(
                "a batch was still being handled when its partitions moved; "
                "the new owner handles it again",
                group_id=self.group_id,
                waited_s=self.timeout_s,
            )

    async def on_partitions_assigned(self, assigned: Iterable[TopicPartition]) -> None:
        """Nothing to prepare: the new owner starts after the committed offsets."""
