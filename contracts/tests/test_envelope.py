"""The envelope on the wire: CloudEvents Kafka binding, binary and structured mode."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime

import pytest
from inson_contracts.envelope import Envelope, EnvelopeError, from_kafka, to_kafka
from inson_contracts.ids import uuid7


def envelope(**overrides: object) -> Envelope:
    fields: dict[str, object] = {
        "id": str(uuid7()),
        "source": "inson/intake",
        "type": "uz.inson.test.sample.recorded.v1",
        "time": datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
        "subject": "case-1",
        "streamversion": 3,
        "correlationid": "corr-9",
        "district": "1735204",
        "data": {"amount": 1, "note": "Oʻzbekcha va кириллица"},
    }
    fields.update(overrides)
    return Envelope.model_validate(fields)


def test_binary_mode_puts_attributes_in_ce_headers_and_data_in_the_body() -> None:
    original = envelope()
    key, headers, body = to_kafka(original)

    assert key == b"case-1"
    assert headers["ce_id"] == original.id
    assert headers["ce_specversion"] == "1.0"
    assert headers["ce_time"] == "2026-11-23T09:30:00Z"
    assert headers["ce_streamversion"] == "3"
    assert headers["ce_correlationid"] == "corr-9"
    assert headers["content-type"] == "application/json"
    assert "ce_region" not in headers  # absent attributes are not sent empty
    assert json.loads(body) == original.data


def test_binary_mode_round_trips_from_raw_kafka_headers() -> None:
    original = envelope()
    _, headers, body = to_kafka(original)
    raw_headers = [(name, value.encode()) for name, value in headers.items()]

    assert from_kafka(raw_headers, body) == original


def test_structured_mode_is_accepted_on_input() -> None:
    original = envelope()
    document = original.to_document()

    read = from_kafka(
        [("content-type", b"application/cloudevents+json; charset=utf-8")],
        json.dumps(document).encode(),
    )

    assert read == original


@pytest.mark.parametrize(
    ("headers", "body", "reason"),
    [
        ([("content-type", b"application/json")], b"{}", "missing CloudEvents header(s): ce_id"),
        ([("ce_id", b"1")], b"{not json", "body is not JSON"),
        ([("ce_id", b"1")], None, "tombstone"),
        ([("ce_id", b"\xff")], b"{}", "not UTF-8"),
    ],
)
def test_unreadable_records_are_refused_with_the_reason(
    headers: list[tuple[str, bytes]], body: bytes | None, reason: str
) -> None:
    with pytest.raises(EnvelopeError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        from_kafka(headers, body)


def test_invalid_attributes_name_the_attribute() -> None:
    _, headers, body = to_kafka(envelope())
    headers["ce_specversion"] = "0.3"
    headers["ce_streamversion"] = "zero"

    with pytest.raises(EnvelopeError) as caught:
        from_kafka(list(headers.items()), body)

    assert "specversion" in str(caught.value)
    assert "streamversion" in str(caught.value)


def test_time_without_offset_is_refused() -> None:
    with pytest.raises(ValueError, match="UTC offset"):
        envelope(time=datetime(2026, 11, 23, 9, 30))


def test_uuid7_is_version_7_and_sorts_by_creation_time() -> None:
    first = uuid7()
    time.sleep(0.002)
    second = uuid7()

    assert first.version == 7
    assert first.variant == uuid.RFC_4122
    assert str(first) < str(second)
    assert len({uuid7() for _ in range(10_000)}) == 10_000
