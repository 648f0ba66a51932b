"""Consumes from a group, applies the handler's writes, then dies by SIGKILL
before the offset is committed: a real crash after handling.

Run by test_pipeline.py as a separate process.
"""

import asyncio
import os
import signal
import sys

from inson_runtime.consumer import EventConsumer
from inson_runtime.eventstore import Causation, EventStore
from inson_runtime.kafka import EventPublisher, make_broker
from inson_runtime.mongo import connect
from inson_runtime.projections import apply_at_version
from inson_runtime.testing import sample_event_class, sample_registry


async def main(
    bootstrap: str, mongodb_url: str, database: str, topic: str, group: str, concurrency: str
) -> None:
    db = connect(mongodb_url)[database]
    sample = sample_event_class(topic)
    store = EventStore(db.client, database, registry=sample_registry(sample))
    broker = make_broker(bootstrap, client_id="crash-in-handler")
    consumer = EventConsumer(
        service="crash-test",
        group_id=group,
        topics=(topic,),
        publisher=EventPublisher(broker, service="crash-test"),
        registry=sample_registry(sample),
        concurrency=int(concurrency),
    )

    @consumer.on(sample)
    async def handle(event, envelope):
        await apply_at_version(db["tally"], envelope.subject, envelope, {"$inc": {"applied": 1}})
        await store.append(
            f"reaction-{envelope.subject}",
            0,
            [sample(amount=event.amount, note="reaction")],
            Causation(source="inson/crash-test", causation_id=envelope.id),
            commit_id=f"{group}:{envelope.id}",
        )
        os.kill(os.getpid(), signal.SIGKILL)

    consumer.subscribe(broker)
    await broker.start()
    await asyncio.sleep(60)  # the handler kills us long before this


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:7]))
