"""Appends one event to the store, then dies by SIGKILL before publishing it.

Run by test_pipeline.py as a separate process: a real crash between the
commit and the publish.
"""

import asyncio
import os
import signal
import sys

from inson_runtime.eventstore import Causation, EventStore
from inson_runtime.mongo import connect
from inson_runtime.testing import sample_event_class, sample_registry


async def main(mongodb_url: str, database: str, topic: str, stream: str) -> None:
    sample = sample_event_class(topic)
    store = EventStore(connect(mongodb_url), database, registry=sample_registry(sample))
    await store.ensure_indexes()
    await store.append(stream, 0, [sample(amount=7)], Causation(source="inson/crash-test"))
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
