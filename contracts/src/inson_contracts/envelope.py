"""The envelope every event travels in, with CloudEvents 1.0 attribute names.

On Kafka the envelope uses the CloudEvents Kafka protocol binding in *binary*
mode: attributes go to ``ce_*`` headers, the event data is the JSON body, and
the record key is the stream id so one case's events stay in one partition, in
order. Structured mode (the whole CloudEvent as JSON, content type
``application/cloudevents+json``) is accepted on input, so partners can publish
either way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from inson_contracts.errors import reasons

SPEC_VERSION = "1.0"
JSON = "application/json"
STRUCTURED_JSON = "application/cloudevents+json"

# CloudEvents extension attributes used by this platform (lower-case alphanumeric
# names, as the spec requires).
EXTENSIONS = ("correlationid", "causationid", "streamversion", "region", "district")
_REQUIRED = ("id", "source", "type", "specversion")
_OPTIONAL = ("time", "subject", "datacontenttype", "dataschema")


class EnvelopeError(ValueError):
    """A Kafka record that is not a readable CloudEvent; the reason says why."""


class Envelope(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    source: str = Field(min_length=1)
    type: str = Field(min_length=1)
    specversion: str = SPEC_VERSION
    time: datetime
    subject: str = Field(min_length=1, description="The stream id the event belongs to.")
    datacontenttype: str = JSON
    dataschema: str | None = None
    correlationid: str | None = None
    causationid: str | None = None
    streamversion: int | None = Field(default=None, ge=1)
    region: str | None = None
    district: str | None = None
    data: dict[str, Any]

    @field_validator("specversion")
    @classmethod
    def _only_1_0(cls, value: str) -> str:
        if value != SPEC_VERSION:
            raise ValueError(f"unsupported CloudEvents specversion {value!r}")
        return value

    @field_validator("time")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("time must carry a UTC offset")
        return value.astimezone(UTC)

    def attributes(self) -> dict[str, Any]:
        return self.model_dump(exclude={"data"}, exclude_none=True)

    def to_document(self) -> dict[str, Any]:
        """The form kept in the event store: JSON-safe, exactly what is published."""
        return self.model_dump(mode="json", exclude_none=True)


def _time_text(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def to_kafka(envelope: Envelope) -> tuple[bytes, dict[str, str], bytes]:
    """(key, headers, value) for a binary-mode CloudEvents Kafka record."""
    headers: dict[str, str] = {"content-type": envelope.datacontenttype}
    for name, value in envelope.attributes().items():
        if name == "datacontenttype":
            continue
        headers[f"ce_{name}"] = _time_text(value) if name == "time" else str(value)
    body = json.dumps(envelope.data, ensure_ascii=False, separators=(",", ":")).encode()
    return envelope.subject.encode(), headers, body


def _header_map(headers: Mapping[str, Any] | Sequence[tuple[str, Any]]) -> dict[str, str]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    out: dict[str, str] = {}
    for name, raw in items:
        if raw is None:
            continue
        try:
            out[name.lower()] = raw.decode() if isinstance(raw, bytes | bytearray) else str(raw)
        except UnicodeDecodeError as exc:
            raise EnvelopeError(f"header {name!r} is not UTF-8") from exc
    return out


def from_kafka(
    headers: Mapping[str, Any] | Sequence[tuple[str, Any]], value: bytes | None
) -> Envelope:
    """Read a CloudEvent from a Kafka record in binary or structured mode."""
    if value is None:
        raise EnvelopeError("record has no value (a tombstone is not an event)")
    meta = _header_map(headers)
    content_type = meta.get("content-type", "")
    try:
        body = json.loads(value)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EnvelopeError(f"body is not JSON: {exc}") from exc

    if content_type.startswith(STRUCTURED_JSON):
        if not isinstance(body, dict):
            raise EnvelopeError("structured-mode body must be a JSON object")
        fields = dict(body)
    else:
        missing = [f"ce_{name}" for name in _REQUIRED if f"ce_{name}" not in meta]
        if missing:
            raise EnvelopeError(f"missing CloudEvents header(s): {', '.join(missing)}")
        if not isinstance(body, dict):
            raise EnvelopeError("event data must be a JSON object")
        fields = {
            name: meta[f"ce_{name}"]
            for name in (*_REQUIRED, *_OPTIONAL, *EXTENSIONS)
            if f"ce_{name}" in meta
        }
        fields["datacontenttype"] = content_type or JSON
        fields["data"] = body
    try:
        return Envelope.model_validate(fields)
    except ValidationError as exc:
        raise EnvelopeError(f"invalid envelope: {reasons(exc, root='envelope')}") from exc
