"""The event registry and the topic catalogue hold their conventions."""

from __future__ import annotations

import re
from typing import ClassVar

import pytest
from inson_contracts.events import (
    REGISTRY,
    Event,
    EventDataError,
    EventDeadLettered,
    EventRegistry,
    UnknownEventType,
    personal,
)
from inson_contracts.topics import CATALOGUE, FOREVER, by_name

TYPE_NAME = re.compile(r"^uz\.inson\.[a-z]+(\.[a-z_]+)+\.v[1-9][0-9]*$")


class PersonRegistered(Event):
    TYPE: ClassVar[str] = "uz.inson.test.person.registered.v1"
    TOPIC: ClassVar[str] = "test"
    pinfl: str = personal(min_length=14, max_length=14)
    mahalla: str


def test_every_registered_type_follows_the_naming_convention_and_has_a_catalogue_topic() -> None:
    assert REGISTRY.types()
    for event_type in REGISTRY.types():
        assert TYPE_NAME.match(event_type), event_type
        assert by_name(REGISTRY.class_for(event_type).TOPIC)


def test_personal_fields_are_marked_in_the_json_schema() -> None:
    schema = PersonRegistered.model_json_schema()

    assert schema["properties"]["pinfl"]["x-personal-data"] is True
    assert "x-personal-data" not in schema["properties"]["mahalla"]
    assert PersonRegistered.personal_fields() == {"pinfl"}
    assert EventDeadLettered.personal_fields() == {"original_headers", "original_value"}


def test_the_registry_parses_by_type_and_names_the_bad_field() -> None:
    registry = EventRegistry()
    registry.register(PersonRegistered)

    event = registry.parse(PersonRegistered.TYPE, {"pinfl": "12345678901234", "mahalla": "m1"})
    assert event == PersonRegistered(pinfl="12345678901234", mahalla="m1")

    with pytest.raises(EventDataError, match="pinfl"):
        registry.parse(PersonRegistered.TYPE, {"pinfl": "123", "mahalla": "m1"})
    # A field a newer producer added within the version is dropped, not an error.
    newer = {"pinfl": "12345678901234", "mahalla": "m", "surprise": 1}
    assert registry.parse(PersonRegistered.TYPE, newer) == PersonRegistered(
        pinfl="12345678901234", mahalla="m"
    )
    with pytest.raises(UnknownEventType):
        registry.parse("uz.inson.test.person.registered.v2", {})


def test_a_type_cannot_be_registered_by_two_classes() -> None:
    registry = EventRegistry()
    registry.register(PersonRegistered)

    class Impostor(PersonRegistered):
        pass

    with pytest.raises(ValueError, match="registered twice"):
        registry.register(Impostor)


def test_topic_names_are_unique_and_event_topics_keep_events_forever() -> None:
    names = [t.name for t in CATALOGUE]
    assert len(names) == len(set(names))
    for topic in CATALOGUE:
        assert topic.retention_ms == FOREVER
        assert topic.config()["retention.ms"] == "-1"
        assert topic.config()["retention.bytes"] == "-1"


def test_contracts_depend_on_pydantic_alone() -> None:
    import subprocess
    import sys
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert [
        d.split(">")[0].split("=")[0].strip() for d in pyproject["project"]["dependencies"]
    ] == ["pydantic"]
    # Importing the whole package, in a fresh interpreter, pulls in no other
    # third-party or platform module.
    probe = (
        "import sys, inson_contracts.events, inson_contracts.codes, inson_contracts.envelope;"
        "import inson_contracts.codes.mahallas as m; m.mahallas();"
        "mods = {n.split('.')[0] for n in sys.modules};"
        "others = {'inson_runtime', 'pymongo', 'aiokafka', 'faststream', 'fastapi', 'structlog'};"
        "print(sorted(mods & others))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
