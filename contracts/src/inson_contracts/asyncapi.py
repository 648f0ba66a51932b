"""The AsyncAPI 3.0 document partners read: topics, event types, headers, examples.

Built from ``CATALOGUE`` and ``REGISTRY``, never edited by hand. It is written
as YAML by the small writer at the end, since this package depends on pydantic
alone: block mappings and lists, plain scalars only where YAML cannot read them
as anything but that string, JSON-quoted ones otherwise (JSON strings are YAML),
literal blocks for multi-line text. A test reads the file back with the YAML
reader of the AsyncAPI parser and compares it with ``build()``.
"""

from __future__ import annotations

import json
import re
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from inson_contracts.envelope import JSON, SPEC_VERSION
from inson_contracts.events import REGISTRY, Event, EventRegistry
from inson_contracts.examples import example, example_headers
from inson_contracts.personal import SEALED, SealedPersonalData, personal_paths, split_personal
from inson_contracts.schemas import Schema, data_schema, description, wire_schema
from inson_contracts.topics import CATALOGUE, Topic

KAFKA_BINDING = "0.5.0"
HEADERS = "cloudevents.binary.headers"

DESCRIPTION = """\
The events of Uzbekistan's social protection platform Inson, for partner agencies.

**Wire format.** Every record is a CloudEvents 1.0 event in the Kafka binding's
binary mode: the attributes are `ce_*` headers, the body is the event data as
JSON (the message payload below), and the record key is the stream id (also in
`ce_subject`). Each type's JSON Schema is at its `ce_dataschema` URN and ships in
the `inson-contracts` Python package (`inson_contracts/jsonschema/<type>.json`).

**Delivery is at least once.** A record can arrive more than once (a producer
retry, a consumer rebalance): deduplicate by `ce_id`, which is unique per event.

**Order holds per key.** Events of one stream (one key, one `ce_subject`) arrive
in `ce_streamversion` order; there is no order across streams or topics.

**Topics keep every event forever.** Start a new consumer group from the
earliest offset to read the whole history; to rebuild your copy, replay from
the beginning.

**Versions.** A type ends in `.v<major>`. Within a major version only optional
properties are added: ignore properties you do not know. Any other change is a
new type, published next to the old one while consumers move. Skip types you
do not know rather than failing.

**Personal data is sealed.** Properties marked `x-personal-data: true` hold a
person's data. On the topic they are not in the body: they travel encrypted
(AES-256-GCM) with a key that belongs to the person, in the member `sealed`
(the `<type>.wire` payload schemas below; `ce_dataschema` names the schema of
the data once opened). A partner reading the topic directly reads everything
else; the personal fields reach partners only through the platform's signed
webhooks, opened while the person's key exists. When a person is erased
(`uz.inson.intake.person.erased.v1`) the key is destroyed: later webhooks
carry no personal fields (`sealed.erased: true`), and partners must erase
their own copies. Keep personal data only as your data-processing agreement
allows, never in logs.
"""


def build(registry: EventRegistry = REGISTRY) -> dict[str, Any]:
    """The AsyncAPI document as plain data, in a stable order."""
    by_topic: dict[str, list[type[Event]]] = {topic.name: [] for topic in CATALOGUE}
    for cls in registry.classes():
        if cls.TOPIC not in by_topic:
            raise ValueError(f"{cls.TYPE}: topic {cls.TOPIC!r} is not in the catalogue")
        by_topic[cls.TOPIC].append(cls)
    schemas: dict[str, Any] = {HEADERS: _headers_schema()}
    messages: dict[str, Any] = {}
    for cls in registry.classes():
        schemas.update(_payload_schemas(cls))
        messages[cls.TYPE] = _message(cls)
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Inson social protection events",
            "version": _version(),
            "description": DESCRIPTION.strip(),
        },
        "defaultContentType": JSON,
        "servers": _servers(),
        "channels": {t.name: _channel(t, by_topic[t.name]) for t in CATALOGUE},
        "operations": {f"receive.{t.name}": _operation(t, by_topic[t.name]) for t in CATALOGUE},
        "components": {"schemas": schemas, "messages": messages},
    }


def render(document: dict[str, Any]) -> str:
    return "".join(f"{line}\n" for line in _yaml(document, 0))


def _version() -> str:
    try:
        return version("inson-contracts")
    except PackageNotFoundError:
        return "0.0.0"


def _servers() -> dict[str, Any]:
    return {
        "local": {
            "host": "127.0.0.1:9092",
            "protocol": "kafka",
            "description": "The broker `make infra-up` starts on a developer's machine.",
        },
        "production": {
            "host": "{bootstrap}",
            "protocol": "kafka",
            "description": "Provided per partner: bootstrap servers, credentials and the "
            "consumer group prefix come with the partner's data-sharing agreement.",
            "variables": {
                "bootstrap": {
                    "description": "host:port of the bootstrap servers issued to the partner.",
                    "default": "kafka.inson.invalid:9093",
                }
            },
        },
    }


def _channel(topic: Topic, classes: list[type[Event]]) -> dict[str, Any]:
    return {
        "address": topic.name,
        "title": topic.name,
        "description": f"{topic.description} Written only by the {topic.owner} service.",
        "messages": {c.TYPE: {"$ref": f"#/components/messages/{c.TYPE}"} for c in classes},
        "bindings": {
            "kafka": {
                "topic": topic.name,
                "partitions": topic.partitions,
                "topicConfiguration": {
                    "cleanup.policy": [topic.cleanup_policy],
                    "retention.ms": topic.retention_ms,
                    "retention.bytes": -1,
                },
                "bindingVersion": KAFKA_BINDING,
            }
        },
    }


def _operation(topic: Topic, classes: list[type[Event]]) -> dict[str, Any]:
    return {
        "action": "receive",
        "channel": {"$ref": f"#/channels/{topic.name}"},
        "summary": f"Read {topic.name} in your own consumer group.",
        "messages": [{"$ref": f"#/channels/{topic.name}/messages/{c.TYPE}"} for c in classes],
    }


def _headers_schema() -> Schema:
    def text(description: str, **extra: Any) -> Schema:
        return {"type": "string", "description": description, **extra}

    return {
        "type": "object",
        "description": "CloudEvents attributes as Kafka headers (binary content mode).",
        "required": ["ce_id", "ce_source", "ce_type", "ce_specversion", "ce_time", "ce_subject"],
        "properties": {
            "ce_id": text("Unique per event (a UUIDv7): deduplicate by it.", format="uuid"),
            "ce_source": text("The producing service, e.g. inson/intake."),
            "ce_type": text("The event type; the payload's schema follows from it."),
            "ce_specversion": text("The CloudEvents version.", const=SPEC_VERSION),
            "ce_time": text("When it happened, UTC.", format="date-time"),
            "ce_subject": text("The stream id, also the record key."),
            "ce_dataschema": text("URN of the payload's JSON Schema."),
            "ce_correlationid": text("The id shared by everything one request caused."),
            "ce_causationid": text("The id of the event or command that caused this one."),
            "ce_streamversion": text("Position in the stream, from 1.", pattern="^[1-9][0-9]*$"),
            "ce_region": text("Region code (SOATO) of the case, when there is one."),
            "ce_district": text("District code (SOATO) of the case, when there is one."),
            "content-type": text("The payload's media type.", const=JSON),
        },
    }


def _payload_schemas(cls: type[Event]) -> dict[str, Schema]:
    """The data schema, the wire schema (if it differs) and their $defs as components.

    ``<type>`` is the event's data opened with its key; ``<type>.wire`` the
    record body on the topic, personal properties sealed. $refs point into
    components.
    """
    out = _components(cls, data_schema(cls), cls.TYPE)
    if personal_paths(cls):
        out.update(_components(cls, wire_schema(cls), f"{cls.TYPE}.wire"))
    return out


def _components(cls: type[Event], schema: Schema, name: str) -> dict[str, Schema]:
    defs: dict[str, Any] = schema.pop("$defs", {})
    # The URN travels in ce_dataschema; as $id it would move the base of every
    # "#/components/..." reference below it.
    for key in ("$id", "$schema"):
        schema.pop(key)

    def relink(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: f"#/components/schemas/{_def_name(name, v)}" if k == "$ref" else relink(v)
                for k, v in node.items()
            }
        return [relink(v) for v in node] if isinstance(node, list) else node

    out = {name: relink(schema)}
    out.update({_def_name(name, f"#/$defs/{n}"): relink(d) for n, d in defs.items()})
    return out


def _def_name(prefix: str, ref: str) -> str:
    return f"{prefix}.{re.sub(r'[^A-Za-z0-9_-]', '_', ref.removeprefix('#/$defs/'))}"


def _owner(cls: type[Event]) -> str:
    return next(t.owner for t in CATALOGUE if t.name == cls.TOPIC)


def payload_name(cls: type[Event]) -> str:
    """The component that describes the record body of ``cls`` on its topic."""
    return f"{cls.TYPE}.wire" if personal_paths(cls) else cls.TYPE


def wire_example(cls: type[Event], data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as a partner reads it from the topic: personal fields sealed."""
    public, values = split_personal(cls, data)
    if not values:
        return data
    sealed = SealedPersonalData(
        kid=str(data.get("case_id") or "019ab0c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d"),
        paths=sorted(values),
        # Placeholders of the right length: a real record's nonce and
        # ciphertext are random to anyone without the person's key.
        nonce="AAAAAAAAAAAAAAAA",
        ct="c2VhbGVkIHBlcnNvbmFsIGRhdGE=",
    )
    return {**public, SEALED: sealed.model_dump(exclude_none=True)}


def _message(cls: type[Event]) -> dict[str, Any]:
    doc = description(cls)
    personal = sorted(cls.personal_fields())
    if personal:
        doc += f"\n\nTop-level personal data: {', '.join(personal)}."
    schema = data_schema(cls)
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", cls.__name__)
    return {
        "name": cls.__name__,
        "title": words[0] + words[1:].lower(),
        "summary": doc.splitlines()[0],
        "description": doc,
        "contentType": JSON,
        "headers": {
            "allOf": [
                {"$ref": f"#/components/schemas/{HEADERS}"},
                {
                    "type": "object",
                    "properties": {
                        "ce_type": {"type": "string", "const": cls.TYPE},
                        "ce_dataschema": {"type": "string", "const": cls.dataschema()},
                    },
                },
            ]
        },
        "payload": {"$ref": f"#/components/schemas/{payload_name(cls)}"},
        "correlationId": {"location": "$message.header#/ce_correlationid"},
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": "The stream id (= ce_subject)."},
                "bindingVersion": KAFKA_BINDING,
            }
        },
        "examples": [
            {
                "name": "example",
                "summary": f"One {cls.__name__} record as it appears on the topic.",
                "headers": example_headers(cls, f"inson/{_owner(cls)}"),
                "payload": wire_example(cls, example(schema)),
            }
        ],
    }


# ---- a YAML writer for plain data --------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z_$][A-Za-z0-9_.$/ -]*[A-Za-z0-9_.$/-]$|^[A-Za-z_]$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        plain = _PLAIN.match(value) and value.lower() not in _RESERVED and ": " not in value
        return value if plain and " #" not in value else json.dumps(value, ensure_ascii=False)
    return json.dumps(value)


def _yaml(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict) and value:
        lines: list[str] = []
        for key, item in value.items():
            head = f"{pad}{_scalar(str(key))}:"
            lines.extend(_nested(head, item, indent))
        return lines
    if isinstance(value, list) and value:
        lines = []
        for item in value:
            if isinstance(item, dict | list) and item:
                # "- key: value" with the rest of the item aligned under "key".
                inner = _yaml(item, indent + 2)
                lines.extend([f"{pad}- {inner[0].lstrip()}", *inner[1:]])
            else:
                lines.extend(_nested(f"{pad}-", item, indent))
        return lines
    return [pad + _inline(value)]


def _inline(value: Any) -> str:
    if isinstance(value, dict | list):
        return "{}" if isinstance(value, dict) else "[]"
    if isinstance(value, str) and "\n" in value and _literal_block_safe(value):
        return "|-"  # the caller writes the lines below
    return _scalar(value)


def _literal_block_safe(text: str) -> bool:
    lines = text.split("\n")
    # Inside a literal block every character is literal; only the edges matter:
    # "|-" drops the final newline, and the first line sets the indentation.
    return text == text.strip() and all(
        line == line.rstrip() and line.isprintable() for line in lines
    )


def _nested(head: str, item: Any, indent: int) -> list[str]:
    if isinstance(item, dict | list) and item:
        return [head, *_yaml(item, indent + 2)]
    inline = _inline(item)
    if inline == "|-":
        block = " " * (indent + 2)
        return [f"{head} |-", *(f"{block}{line}".rstrip() for line in item.split("\n"))]
    return [f"{head} {inline}"]
