"""The AsyncAPI document: valid for the official parser, complete, with examples that parse."""

from __future__ import annotations

import json
import re
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from inson_contracts import asyncapi
from inson_contracts.__main__ import DEFAULT_ASYNCAPI
from inson_contracts.envelope import from_kafka
from inson_contracts.events import PERSONAL_DATA, REGISTRY
from inson_contracts.examples import example
from inson_contracts.personal import personal_paths
from inson_contracts.topics import CATALOGUE

CONTRACTS = Path(__file__).resolve().parents[1]
TOOLS = CONTRACTS / "tools"
DOCUMENT = CONTRACTS / "asyncapi.yaml"


@cache
def parsed_by_node() -> dict[str, Any]:
    if not (TOOLS / "node_modules" / "@asyncapi" / "parser").is_dir():
        pytest.fail("contracts/tools/node_modules is missing: run `make contracts-tools`")
    run = subprocess.run(
        ["node", str(TOOLS / "validate-asyncapi.mjs"), str(DOCUMENT), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    out: dict[str, Any] = json.loads(run.stdout)
    return out


def test_the_official_parser_accepts_the_document_without_errors() -> None:
    result = parsed_by_node()

    errors = [d for d in result["diagnostics"] if d["severity"] == "error"]
    assert result["valid"] and not errors, errors
    # Warnings do not fail; they are printed so a reviewer sees them (pytest -s).
    for d in result["diagnostics"]:
        print(f"asyncapi {d['severity']}: {d['code']} at {d['path']}: {d['message']}")


def test_the_validator_script_fails_on_an_invalid_document(tmp_path: Path) -> None:
    parsed_by_node()  # fails first, clearly, when node_modules is missing
    broken = tmp_path / "broken.yaml"
    broken.write_text(DOCUMENT.read_text().replace("action: receive", "action: listen", 1))

    run = subprocess.run(
        ["node", str(TOOLS / "validate-asyncapi.mjs"), str(broken)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 1
    assert re.search(r"error: .* at operations\.", run.stdout), run.stdout


def test_the_yaml_means_exactly_what_python_built() -> None:
    # The YAML is written by hand (no YAML library in contracts); read back by
    # the parser's own YAML reader it must be the very same data.
    assert parsed_by_node()["parsed"] == json.loads(json.dumps(asyncapi.build()))


def test_the_committed_document_is_current() -> None:
    assert DEFAULT_ASYNCAPI == DOCUMENT
    assert DOCUMENT.read_text(encoding="utf-8") == asyncapi.render(asyncapi.build()), (
        "contracts/asyncapi.yaml is out of date: run `make contracts`"
    )


def test_every_topic_is_a_channel_carrying_exactly_its_event_types() -> None:
    channels = parsed_by_node()["channels"]
    assert sorted(channels) == sorted(t.name for t in CATALOGUE)
    for topic in CATALOGUE:
        expected = sorted(c.TYPE for c in REGISTRY.classes() if topic.name == c.TOPIC)
        assert sorted(channels[topic.name]) == expected, topic.name
    carried = sorted(t for types in channels.values() for t in types)
    assert carried == REGISTRY.types()


def test_every_registered_type_is_a_message_with_headers_binding_and_payload() -> None:
    document = asyncapi.build()
    messages = document["components"]["messages"]
    assert sorted(messages) == REGISTRY.types()
    for cls in REGISTRY.classes():
        message = messages[cls.TYPE]
        assert message["name"] == cls.__name__
        assert message["contentType"] == "application/json"
        # A type with personal data travels sealed: its payload is the wire form.
        wire = f"{cls.TYPE}.wire" if personal_paths(cls) else cls.TYPE
        assert message["payload"] == {"$ref": f"#/components/schemas/{wire}"}
        assert message["bindings"]["kafka"]["key"]["type"] == "string"
        own = message["headers"]["allOf"][1]["properties"]
        assert own["ce_type"]["const"] == cls.TYPE
        assert own["ce_dataschema"]["const"] == cls.dataschema()
    operations = document["operations"]
    assert {op["action"] for op in operations.values()} == {"receive"}
    assert len(operations) == len(CATALOGUE)


def test_personal_data_marks_survive_into_the_payload_schemas() -> None:
    schemas = asyncapi.build()["components"]["schemas"]
    for cls in REGISTRY.classes():
        properties = schemas[cls.TYPE]["properties"]
        for name in cls.personal_fields():
            assert properties[name][PERSONAL_DATA] is True, (cls.TYPE, name)
    text = json.dumps(schemas)
    assert "#/$defs/" not in text  # every $ref points into components


def test_every_example_is_a_record_the_platform_would_read() -> None:
    messages = asyncapi.build()["components"]["messages"]
    for cls in REGISTRY.classes():
        [record] = messages[cls.TYPE]["examples"]
        body = json.dumps(record["payload"]).encode()

        envelope = from_kafka(record["headers"], body)
        event = REGISTRY.parse(envelope.type, envelope.data)

        # Sealed without the key, the personal fields read as None and the
        # rest validates: a partner on the topic can read every example.
        assert envelope.type == cls.TYPE and isinstance(event, cls)
        assert envelope.dataschema == cls.dataschema()
        assert ("sealed" in envelope.data) == bool(personal_paths(cls))


def test_the_wire_form_leaves_no_personal_property_and_requires_the_sealed_member() -> None:
    schemas = asyncapi.build()["components"]["schemas"]
    for cls in REGISTRY.classes():
        if not personal_paths(cls):
            continue
        wire = [s for name, s in schemas.items() if name.startswith(f"{cls.TYPE}.wire")]
        assert PERSONAL_DATA not in json.dumps(wire), cls.TYPE
        root = schemas[f"{cls.TYPE}.wire"]
        assert "sealed" in root["required"]
        assert root["properties"]["sealed"]["properties"]["ct"]


def test_examples_honour_formats_patterns_bounds_and_given_examples() -> None:
    schema = {
        "type": "object",
        "properties": {
            "pinfl": {"type": "string", "pattern": "^[0-9]{14}$"},
            "phone": {"type": "string", "pattern": r"^\+998[0-9]{9}$"},
            "service_code": {"type": "string", "pattern": "^[A-Z]{2,6}-[0-9]{2}$"},
            "case_id": {"type": "string", "pattern": "^[A-Za-z0-9_:-]+$", "maxLength": 64},
            "born": {"type": "string", "format": "date"},
            "birth_date": {"type": "string", "format": "date"},
            "until": {"type": "string", "format": "date-time"},
            "code": {"type": "string", "minLength": 6, "maxLength": 6},
            "size": {"type": "integer", "minimum": 1, "maximum": 31},
            "status": {"$ref": "#/$defs/Status"},
            "note": {"anyOf": [{"type": "string", "examples": ["Uyda yolg'iz"]}, {"type": "null"}]},
            "tags": {"type": "array", "items": {"type": "string"}, "minItems": 2},
        },
        "$defs": {"Status": {"enum": ["open", "closed"], "type": "string"}},
    }

    assert example(schema) == {
        "pinfl": "30101850123456",
        "phone": "+998301018501",
        "service_code": "AB-30",
        "case_id": "case-0001",
        "born": "2026-11-23",
        "birth_date": "1985-01-01",
        "until": "2026-11-24T09:30:00Z",
        "code": "codexx",
        "size": 1,
        "status": "open",
        "note": "Uyda yolg'iz",
        "tags": ["tags", "tags"],
    }
