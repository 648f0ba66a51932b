"""A producer that can never send again is replaced, and sending goes on."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from aiokafka.errors import OutOfOrderSequenceNumber
from inson_contracts.envelope import Envelope
from inson_runtime.kafka import EventPublisher, _aiokafka_producer, make_broker
from inson_runtime.testing import create_test_topic, read_envelopes

pytestmark = pytest.mark.integration


def _envelope(note: str) -> Envelope:
    return Envelope(
        id=str(uuid.uuid4()),
        source="inson/test",
        type="uz.inson.test.sample.recorded.v1",
        time=datetime.now(UTC),
        subject="stream-1",
        streamversion=1,
        data={"amount": 1, "note": note},
    )


async def test_a_producer_that_cannot_send_again_is_replaced(kafka_bootstrap: str) -> None:
    topic = await create_test_topic(kafka_bootstrap, partitions=1)
    broker = make_broker(kafka_bootstrap, client_id="test-renewal")
    publisher = EventPublisher(broker, service="test")
    await broker.start()
    try:
        await publisher.publish(topic, [_envelope("before")])
        broken = _aiokafka_producer(broker)
        assert broken is not None

        # What aiokafka's producer does once its sender task died of an
        # out-of-order sequence (after a broker restart): every send fails so.
        async def dead_sender(*args: Any, **kwargs: Any) -> Any:
            raise OutOfOrderSequenceNumber()

        broken.send = dead_sender  # type: ignore[attr-defined]
        with pytest.raises(OutOfOrderSequenceNumber):
            await publisher.publish(topic, [_envelope("lost in the dead producer")])
        renewed = _aiokafka_producer(broker)
        assert renewed is not None and renewed is not broken
        # A second caller that saw the same dead producer does not renew again.
        await publisher.renew_producer(broken, reason="late")
        assert _aiokafka_producer(broker) is renewed

        # The caller's retry goes through.
        await publisher.publish(topic, [_envelope("after")])
        notes = [e.data["note"] for e, _ in await read_envelopes(kafka_bootstrap, topic)]
        assert notes == ["before", "after"]
    finally:
        await broker.stop()
