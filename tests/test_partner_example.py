"""The partner example in contracts/README.md runs against the real broker and
reads, deduplicates and commits as the README says."""

from __future__ import annotations

import asyncio
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from inson_contracts.envelope import Envelope
from inson_contracts.events import CaseOpened
from inson_runtime.kafka import EventPublisher, make_broker
from inson_runtime.testing import create_test_topic

pytestmark = pytest.mark.integration

EXAMPLE = Path(__file__).parents[1] / "contracts" / "examples" / "partner_consumer.py"


async def test_the_partner_example_reads_typed_events_once_and_survives_garbage(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    topic = await create_test_topic(kafka_bootstrap, partitions=1)
    opened = CaseOpened(
        case_id="case-1",
        application_id="app-1",
        region="1735",
        district="1735204",
        mahalla="1735204001",
        circumstances=["lonely_elderly"],
        household_size=1,
        language="uz-Cyrl",
        opened_at=datetime.now(UTC),
    )
    envelope = Envelope(
        id=str(uuid.uuid4()),
        source="inson/intake",
        type=CaseOpened.TYPE,
        time=datetime.now(UTC),
        subject="case-1",
        streamversion=1,
        data=opened.model_dump(mode="json"),
    )
    broker = make_broker(kafka_bootstrap, client_id="test-partner-example")
    await broker.connect()
    try:
        publisher = EventPublisher(broker, service="test")
        await publisher.publish(topic, [envelope])
        await broker.publish(b"not an event", topic, key=b"case-1")
        await publisher.publish(topic, [envelope])  # delivered twice
    finally:
        await broker.stop()

    child = await asyncio.create_subprocess_exec(
        sys.executable,
        str(EXAMPLE),
        "--bootstrap",
        kafka_bootstrap,
        "--group",
        f"partner-{uuid.uuid4().hex}",
        "--topic",
        topic,
        "--seen-db",
        str(tmp_path / "seen.sqlite"),
        "--max-events",
        "3",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(child.communicate(), timeout=60)

    assert child.returncode == 0, err.decode()
    assert out.decode().splitlines() == [f"{CaseOpened.TYPE} case-1 CaseOpened"]
    assert "unreadable record at offset 1" in err.decode()
