"""A partner agency's consumer of Inson events, runnable as it is.

    pip install inson-contracts aiokafka
    python partner_consumer.py --bootstrap 127.0.0.1:9092 --group unicef-child-protection \
        --topic inson.assessment.plans.v1 --topic inson.referral.referrals.v1

What it shows:
- a consumer group of your own, starting from the first event ever published
  (topics keep events forever), so a new partner catches up on history;
- reading CloudEvents in binary mode with ``inson_contracts.envelope.from_kafka``
  and the typed class of each event with ``REGISTRY.parse``;
- at-least-once delivery: the offset is committed only after the event is
  handled, so after a crash some events come again: deduplicate by event id
  (``ce_id``), here with a small SQLite file;
- order: events of one stream (one case, one referral) arrive in order,
  because the record key is the stream id;
- personal data: on Kafka the fields marked ``x-personal-data`` are sealed
  (encrypted with the person's key, in the member ``sealed``), and no key is
  ever given to a partner, so ``REGISTRY.parse`` gives them as None and
  everything else as sent; a webhook carries only the personal fields an
  administrator named for the subscription (none by default). On
  ``uz.inson.intake.person.erased.v1`` erase what you keep about that case.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys

from aiokafka import AIOKafkaConsumer
from inson_contracts.envelope import EnvelopeError, from_kafka
from inson_contracts.events import REGISTRY, EventDataError, UnknownEventType


class SeenEvents:
    """Event ids already handled, kept across restarts."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE TABLE IF NOT EXISTS seen (event_id TEXT PRIMARY KEY)")

    def first_time(self, event_id: str) -> bool:
        cursor = self.db.execute("INSERT OR IGNORE INTO seen VALUES (?)", (event_id,))
        self.db.commit()
        return cursor.rowcount == 1


def handle(event_type: str, subject: str, event: object) -> None:
    # Your work goes here: it must be done before the offset is committed.
    print(f"{event_type} {subject} {type(event).__name__}", flush=True)


async def consume(args: argparse.Namespace) -> int:
    seen = SeenEvents(args.seen_db)
    consumer = AIOKafkaConsumer(
        *args.topic,
        bootstrap_servers=args.bootstrap,
        group_id=args.group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    handled = 0
    try:
        async for record in consumer:
            try:
                envelope = from_kafka(record.headers, record.value)
                event = REGISTRY.parse(envelope.type, envelope.data)
            except UnknownEventType:
                # A newer event type than this contracts version knows:
                # upgrade inson-contracts to read it. Skipping is a choice.
                print(f"skipped unknown type at offset {record.offset}", file=sys.stderr)
            except (EnvelopeError, EventDataError) as exc:
                print(f"unreadable record at offset {record.offset}: {exc}", file=sys.stderr)
            else:
                if seen.first_time(envelope.id):
                    handle(envelope.type, envelope.subject, event)
            await consumer.commit()
            handled += 1
            if args.max_events and handled >= args.max_events:
                return 0
    finally:
        await consumer.stop()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--group", required=True, help="your own consumer group id")
    parser.add_argument("--topic", action="append", required=True)
    parser.add_argument("--seen-db", default="seen-events.sqlite")
    parser.add_argument("--max-events", type=int, default=0, help="stop after N (0: run forever)")
    return asyncio.run(consume(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
