"""Keys asked for together (a batch's lanes opening their records) are read in one find."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from inson_runtime.privacy import KeyStore, LocalKek
from pymongo import AsyncMongoClient, monitoring

pytestmark = pytest.mark.integration


class Finds(monitoring.CommandListener):
    def __init__(self) -> None:
        self.count = 0

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.count += event.command_name == "find"

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None: ...

    def failed(self, event: monitoring.CommandFailedEvent) -> None: ...


async def test_keys_asked_for_together_are_read_in_one_find(
    mongodb_url: str, scratch_db: str
) -> None:
    finds = Finds()
    client: AsyncMongoClient[Any] = AsyncMongoClient(
        mongodb_url, tz_aware=True, event_listeners=[finds]
    )
    try:
        keys = KeyStore.connect(client, LocalKek(b"k" * 32), database=scratch_db, ttl_s=60)
        people = [f"case-{n}" for n in range(20)]
        written = [await keys.key_for_writing(kid) for kid in people[:15]]
        keys._cache.clear()  # a fresh process: nothing cached
        finds.count = 0

        read = await asyncio.gather(*(keys.key_for_reading(kid) for kid in people))

        assert read[:15] == written
        assert read[15:] == [None] * 5  # never had a key: not created by a read
        assert finds.count == 1
    finally:
        await client.close()
