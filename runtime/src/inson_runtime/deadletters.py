"""Dead letters: the record a consumer writes for what it cannot process, and
`inson-deadletters list|replay` to replay them after a fix.

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
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord
from inson_contracts.envelope import Envelope, from_kafka
from inson_contracts.events import EventDeadLettered
from inson_contracts.topics import DEAD_LETTERS

from inson_runtime.kafka import PLAINTEXT, KafkaSecurity, partitions_of, stop_reader
from inson_runtime.settings import ServiceSettings

_DLQ_NAMESPACE = uuid.UUID("8a0f4d5e-3c1b-4c1e-9d7e-5b0f1c2a3d4e")


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


def dead_letter_envelope(
    group_id: str,
    service: str,
    record: ConsumerRecord[Any, Any],
    envelope: Envelope | None,
    reason: str,
    error: BaseException | None,
) -> Envelope:
    value: bytes | None = record.value
    try:
        text, encoding = (value.decode("utf-8"), "utf-8") if value is not None else (None, "utf-8")
    except UnicodeDecodeError:
        text, encoding = base64.b64encode(value or b"").decode(), "base64"
    headers = {}
    for name, raw in record.headers or ():
        try:
            headers[name] = raw.decode() if isinstance(raw, bytes) else str(raw)
        except UnicodeDecodeError:
            headers[name] = "base64:" + base64.b64encode(raw).decode()
    key = record.key.decode(errors="replace") if isinstance(record.key, bytes) else record.key
    data = EventDeadLettered(
        consumer_group=group_id,
        reason=reason,
        error_class=type(error).__name__ if error else "Rejected",
        original_topic=record.topic,
        original_partition=record.partition,
        original_offset=record.offset,
        original_key=key,
        original_event_id=envelope.id if envelope else None,
        original_event_type=envelope.type if envelope else None,
        original_headers=headers,
        original_value=text,
        original_value_encoding=encoding,
    )
    position = f"{group_id}/{record.topic}/{record.partition}/{record.offset}"
    return Envelope(
        # Deterministic: dead-lettering the same record twice (a redelivery)
        # yields the same event id, so readers of the topic can deduplicate.
        id=str(uuid.uuid5(_DLQ_NAMESPACE, position)),
        source=f"inson/{service}",
        type=EventDeadLettered.TYPE,
        time=datetime.now(UTC),
        subject=envelope.subject if envelope else (key or position.replace(".", "_")),
        dataschema=EventDeadLettered.dataschema(),
        correlationid=envelope.correlationid if envelope else None,
        causationid=envelope.id if envelope else None,
        region=envelope.region if envelope else None,
        district=envelope.district if envelope else None,
        data=data.model_dump(mode="json"),
    )
