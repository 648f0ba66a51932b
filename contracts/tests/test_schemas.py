"""The published JSON Schemas: generated from the classes, committed, and kept compatible."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import pytest
from inson_contracts.__main__ import main
from inson_contracts.events import PERSONAL_DATA, REGISTRY, Event, EventRegistry, personal
from inson_contracts.schemas import (
    SCHEMA_DIR,
    compatibility_problems,
    data_schema,
    load_schema,
    plan,
    render,
)
from inson_contracts.topics import INTAKE_CASES
from pydantic import BaseModel, Field

Schema = dict[str, Any]


def obj(properties: dict[str, Schema], required: tuple[str, ...] = (), **extra: Any) -> Schema:
    return {"type": "object", "properties": properties, "required": list(required), **extra}


STRING: Schema = {"type": "string"}
OLD = obj({"case_id": STRING, "note": STRING}, ("case_id",))


# ---- compatibility_problems on small schema pairs -----------------------------


def test_identical_schemas_and_documentation_changes_are_compatible() -> None:
    assert compatibility_problems(OLD, OLD) == []
    documented = obj({"case_id": {**STRING, "description": "now documented"}, "note": STRING})
    documented["required"] = ["case_id"]
    assert compatibility_problems(OLD, {**documented, "title": "Renamed"}) == []


def test_a_new_optional_property_is_additive() -> None:
    new = obj({"case_id": STRING, "note": STRING, "channel": STRING}, ("case_id",))
    assert compatibility_problems(OLD, new) == []


def test_a_removed_property_is_breaking() -> None:
    new = obj({"case_id": STRING}, ("case_id",))
    assert compatibility_problems(OLD, new) == ["data: property 'note' removed (or renamed)"]


def test_a_rename_is_a_removal() -> None:
    new = obj({"case_id": STRING, "comment": STRING}, ("case_id",))
    assert compatibility_problems(OLD, new) == ["data: property 'note' removed (or renamed)"]


def test_a_new_required_property_and_a_property_becoming_required_are_breaking() -> None:
    new = obj({"case_id": STRING, "note": STRING, "channel": STRING}, ("case_id", "channel"))
    assert compatibility_problems(OLD, new) == ["data: property 'channel' is new and required"]
    new = obj({"case_id": STRING, "note": STRING}, ("case_id", "note"))
    assert compatibility_problems(OLD, new) == ["data: property 'note' became required"]


def test_a_changed_type_or_format_is_breaking() -> None:
    new = obj({"case_id": {"type": "integer"}, "note": STRING}, ("case_id",))
    assert compatibility_problems(OLD, new) == ["data.case_id: type changed from string to integer"]

    new = obj({"case_id": {**STRING, "format": "uuid"}, "note": STRING}, ("case_id",))
    assert compatibility_problems(OLD, new) == ['data.case_id: format changed from none to "uuid"']

    nullable = {"anyOf": [STRING, {"type": "null"}], "default": None}
    new = obj({"case_id": STRING, "note": nullable}, ("case_id",))
    assert compatibility_problems(OLD, new) == [
        "data.note: type changed from string to null|string"
    ]


def test_enums_may_neither_lose_nor_gain_values() -> None:
    old = obj({"status": {"enum": ["open", "closed"], "type": "string"}})
    narrowed = obj({"status": {"enum": ["open"], "type": "string"}})
    widened = obj({"status": {"enum": ["open", "closed", "merged"], "type": "string"}})

    assert compatibility_problems(old, narrowed) == ['data.status: enum values removed: "closed"']
    assert compatibility_problems(old, widened) == [
        'data.status: enum values added: "merged" (breaks exhaustive readers)'
    ]


def test_nested_changes_are_found_through_refs_defs_and_arrays() -> None:
    def schema(address: Schema) -> Schema:
        member = obj({"address": {"$ref": "#/$defs/Address"}}, ("address",), title="Member")
        return obj(
            {"household": {"type": "array", "items": {"$ref": "#/$defs/Member"}}},
            ("household",),
            **{"$defs": {"Address": address, "Member": member}},
        )

    old = schema(obj({"district": {**STRING, "pattern": "^[0-9]{7}$"}}, ("district",)))
    retyped = schema(obj({"district": {"type": "integer"}}, ("district",)))
    repatterned = schema(obj({"district": {**STRING, "pattern": "^[0-9]{8}$"}}, ("district",)))
    renamed = schema(obj({"tuman": STRING}, ("tuman",)))

    assert compatibility_problems(old, retyped) == [
        "data.household[].address.district: type changed from string to integer"
    ]
    assert compatibility_problems(old, repatterned) == [
        'data.household[].address.district: pattern changed from "^[0-9]{7}$" to "^[0-9]{8}$"'
    ]
    assert compatibility_problems(old, renamed) == [
        "data.household[].address: property 'district' removed (or renamed)",
        "data.household[].address: property 'tuman' is new and required",
    ]


def test_removing_a_personal_data_mark_is_breaking_adding_one_is_not() -> None:
    marked = obj({"name": {**STRING, PERSONAL_DATA: True}})
    plain = obj({"name": STRING})
    assert compatibility_problems(marked, plain) == [
        "data.name: personal-data mark removed (it would leak)"
    ]
    assert compatibility_problems(plain, marked) == []


def test_recursive_models_are_compared_without_looping() -> None:
    class Node(BaseModel):
        label: str
        children: list[Node] = Field(default_factory=list)

    class Node2(BaseModel):
        label: int
        children: list[Node2] = Field(default_factory=list)

    old, new = Node.model_json_schema(), Node2.model_json_schema()
    assert compatibility_problems(old, old) == []
    assert compatibility_problems(old, new) == ["data.label: type changed from string to integer"]


# ---- the committed files are what the classes generate ------------------------


def test_every_committed_schema_is_identical_to_the_generated_one() -> None:
    result = plan(REGISTRY, SCHEMA_DIR)
    assert not result.writes, (
        f"schemas missing or out of date: {sorted(result.writes)}; run `make contracts`"
    )
    assert not result.refused, result.refused
    assert not result.orphans, result.orphans
    for cls in REGISTRY.classes():
        committed = (SCHEMA_DIR / f"{cls.TYPE}.json").read_text(encoding="utf-8")
        assert committed == render(data_schema(cls)), cls.TYPE


def test_the_check_command_passes_on_the_committed_files(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check"]) == 0, capsys.readouterr().err


def test_each_schema_names_its_type_and_keeps_the_personal_data_marks() -> None:
    for cls in REGISTRY.classes():
        schema = load_schema(cls.TYPE)
        assert schema["$id"] == cls.dataschema() == f"urn:inson:schema:{cls.TYPE}"
        assert schema["title"] == cls.__name__
        if cls.__doc__:
            assert schema["description"].split("\n")[0] == cls.__doc__.strip().split("\n")[0]
        else:  # documented by its name and type until someone writes a docstring
            assert cls.TYPE in schema["description"]
        for name in cls.personal_fields():
            assert schema["properties"][name][PERSONAL_DATA] is True, (cls.TYPE, name)


def test_the_files_are_stable_text() -> None:
    text = (SCHEMA_DIR / "uz.inson.platform.event.deadlettered.v1.json").read_text()
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# ---- generate refuses a breaking edit of a class and accepts an additive one --


def registry_of(cls: type[Event]) -> EventRegistry:
    registry = EventRegistry()
    registry.register(cls)
    return registry


TYPE = "uz.inson.intake.sample.recorded.v1"


class Recorded(Event):
    """A sample event as first published."""

    TYPE: ClassVar[str] = TYPE
    TOPIC: ClassVar[str] = INTAKE_CASES.name

    case_id: str
    pinfl: str = personal(pattern=r"^[0-9]{14}$")


def run(command: str, cls: type[Event], tmp_path: Path) -> int:
    return main(
        [command, "--schemas", str(tmp_path / "schemas"), "--asyncapi", str(tmp_path / "a.yaml")],
        registry=registry_of(cls),
    )


def test_generate_refuses_a_breaking_edit_and_writes_an_additive_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("generate", Recorded, tmp_path) == 0
    published = tmp_path / "schemas" / f"{TYPE}.json"
    original = published.read_text()
    assert run("check", Recorded, tmp_path) == 0

    class Renamed(Event):  # someone renamed a field and dropped the personal mark
        """A sample event, edited in place."""

        TYPE: ClassVar[str] = TYPE
        TOPIC: ClassVar[str] = INTAKE_CASES.name

        case: str
        pinfl: str = Field(pattern=r"^[0-9]{14}$")

    capsys.readouterr()
    assert run("generate", Renamed, tmp_path) == 2
    err = capsys.readouterr().err
    assert "property 'case_id' removed (or renamed)" in err
    assert "property 'case' is new and required" in err
    assert "data.pinfl: personal-data mark removed" in err
    assert "new major version" in err
    assert published.read_text() == original
    assert run("check", Renamed, tmp_path) == 1
    assert "make contracts" in capsys.readouterr().err

    class Extended(Event):
        """A sample event with an optional note."""

        TYPE: ClassVar[str] = TYPE
        TOPIC: ClassVar[str] = INTAKE_CASES.name

        case_id: str
        pinfl: str = personal(pattern=r"^[0-9]{14}$")
        note: str | None = None

    assert run("check", Extended, tmp_path) == 1  # additive, but not generated yet
    assert run("generate", Extended, tmp_path) == 0
    assert json.loads(published.read_text())["properties"]["note"]["default"] is None
    assert run("check", Extended, tmp_path) == 0


def test_a_schema_whose_class_is_gone_blocks_generate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("generate", Recorded, tmp_path) == 0
    (tmp_path / "schemas" / "uz.inson.intake.sample.deleted.v1.json").write_text("{}\n")

    assert run("generate", Recorded, tmp_path) == 2
    assert "uz.inson.intake.sample.deleted.v1" in capsys.readouterr().err
    assert run("check", Recorded, tmp_path) == 1
