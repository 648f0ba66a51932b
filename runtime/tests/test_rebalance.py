"""A partition is given up only once the batch holding it is finished (or the wait's
bound has passed)."""

from __future__ import annotations

import asyncio

from inson_runtime.rebalance import BatchesInFlight, FinishBeforeRevoke
from structlog.testing import capture_logs


async def test_revoking_waits_for_the_batch_in_flight() -> None:
    batches = BatchesInFlight()
    listener = FinishBeforeRevoke(batches, "group-a", timeout_s=5)
    steps: list[str] = []
    release = asyncio.Event()

    async def batch() -> None:
        async with batches.handling():
            steps.append("batch started")
            await release.wait()
            steps.append("batch done")

    handling = asyncio.create_task(batch())
    await asyncio.sleep(0)
    revoking = asyncio.create_task(listener.on_partitions_revoked(set()))
    await asyncio.sleep(0.01)
    assert not revoking.done()  # held while the batch runs
    release.set()
    await revoking
    steps.append("revoked")
    await handling
    assert steps == ["batch started", "batch done", "revoked"]


async def test_an_idle_consumer_gives_its_partitions_up_at_once() -> None:
    listener = FinishBeforeRevoke(BatchesInFlight(), "group-a", timeout_s=5)
    await asyncio.wait_for(listener.on_partitions_revoked(set()), 0.1)


async def test_a_batch_that_outlasts_the_bound_is_left_to_the_new_owner() -> None:
    batches = BatchesInFlight()
    listener = FinishBeforeRevoke(batches, "group-a", timeout_s=0.05)
    async with batches.handling():
        with capture_logs() as logs:
            await listener.on_partitions_revoked(set())
    assert [log["group_id"] for log in logs] == ["group-a"]
    assert await batches.finished(0.01)  # idle again once it ended
