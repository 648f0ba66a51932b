"""Replay dead letters after a fix: `inson-deadletters list|replay`.

A dead letter keeps the original record whole (topic, key, headers, value), so
replaying puts exactly that record back on its topic. The consumer groups
read it again; because handlers are idempotent, a record that was in fact
applied before changes nothing, and one that failed is applied once.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import sys
from collections.abc import Sequence
from datetime import datetime

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from inson_contracts.envelope import from_kafka
from inson_contracts.events import EventDeadLettered
from inson_contracts.topics import DEAD_LETTERS

from inson_runtime.kafka import PLAINTEXT, KafkaSecurity, partitions_of, stop_reader
from inson_runtime.settings import ServiceSettings


async def dead_letters(
    bootstrap: str,
    *,
    group: str | None = None,
    since: datetime | None = None,
    security: KafkaSecurity = PLAINTEXT,
) -> list[tuple[str, EventDeadLettered]]:
    """(dead-letter event id, letter) of every dead letter, oldest first, filtered."""
    reader = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, **security.for_aiokafka()
    )
    await reader.start()
    found: dict[str, tuple[datetime, EventDeadLettered]] = {}
    try:
        parts = await partitions_of(reader, DEAD_LETTERS.name)
        reader.assign(parts)
        await reader.seek_to_beginning(*parts)
        ends = await reader.end_offsets(parts)
        remaining = {tp for tp in parts if ends[tp] > 0}
        while remaining:
            batches = await reader.getmany(*remaining, timeout_ms=1000)
            for records in batches.values():
                for record in records:
                    envelope = from_kafka(record.headers, record.value)
                    letter = EventDeadLettered.model_validate(envelope.data)
                    if group and letter.consumer_group != group:
                        continue
                    if since and envelope.time < since:
                        continue
                    # The same record dead-lettered twice has the same id.
                    found.setdefault(envelope.id, (envelope.time, letter))
            for tp in list(remaining):
                if await reader.position(tp) >= ends[tp]:
                    remaining.discard(tp)
    finally:
        await stop_reader(reader)
    return [
        (event_id, letter) for event_id, (_, letter) in sorted(found.items(), key=lambda x: x[1][0])
    ]


async def replay(
    bootstrap: str, letters: Sequence[EventDeadLettered], *, security: KafkaSecurity = PLAINTEXT
) -> int:
    """Put each letter's original record back on its topic; return how many."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, **security.for_aiokafka()
    )
    await producer.start()
    try:
        for letter in letters:
            await producer.send_and_wait(
                letter.original_topic,
                _value(letter),
                key=letter.original_key.encode() if letter.original_key is not None else None,
                headers=[(name, _header(value)) for name, value in letter.original_headers.items()],
            )
    finally:
        await producer.stop()
    return len(letters)


def _value(letter: EventDeadLettered) -> bytes | None:
    if letter.original_value is None:
        return None
    if letter.original_value_encoding == "base64":
        return base64.b64decode(letter.original_value)
    return letter.original_value.encode()


def _header(value: str) -> bytes:
    if value.startswith("base64:"):
        return base64.b64decode(value.removeprefix("base64:"))
    return value.encode()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="inson-deadletters", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["list", "replay"])
    parser.add_argument("--group", help="only letters of this consumer group")
    parser.add_argument("--since", type=datetime.fromisoformat, help="only letters from this time")
    parser.add_argument("--id", action="append", default=[], help="only these dead-letter ids")
    args = parser.parse_args(argv)
    settings = ServiceSettings()
    security = settings.kafka_security()
    letters = asyncio.run(
        dead_letters(
            settings.kafka_bootstrap_servers, group=args.group, since=args.since, security=security
        )
    )
    if args.id:
        letters = [(i, letter) for i, letter in letters if i in set(args.id)]
    if args.command == "list":
        for event_id, letter in letters:
            where = f"{letter.original_topic}/{letter.original_partition}/{letter.original_offset}"
            print(f"{event_id}\t{letter.consumer_group}\t{where}\t{letter.reason}")
        return 0
    count = asyncio.run(
        replay(
            settings.kafka_bootstrap_servers, [letter for _, letter in letters], security=security
        )
    )
    print(f"replayed {count} record(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
