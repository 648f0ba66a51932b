"""The sealed wire form: which fields leave the body, how they go back, how unopened data reads."""

from __future__ import annotations

import pytest
from inson_contracts.events import REGISTRY, ApplicationSubmitted, AssessmentRecorded
from inson_contracts.examples import example
from inson_contracts.personal import SEALED, erasable, merge_personal, split_personal
from inson_contracts.schemas import data_schema, wire_schema


def sample(cls: type) -> dict:
    return cls.model_validate(example(data_schema(cls))).model_dump(mode="json")


def test_every_personal_field_leaves_the_body_and_goes_back_unchanged() -> None:
    data = sample(ApplicationSubmitted)
    data["household"] = [
        {
            "relation": "child",
            "name": {"last_name": "Aliyeva", "first_name": "Zuhra"},
            "birth_date": "2015-03-04",
            "pinfl": None,
        }
    ]
    public, values = split_personal(ApplicationSubmitted, data)

    assert "last_name" not in public["applicant"]["name"]
    assert "birth_date" not in public["household"][0]
    assert public["household"][0]["relation"] == "child"
    assert values["household.0.name.last_name"] == "Aliyeva"
    assert values["household.0.pinfl"] is None  # a null is taken too: no personal key stays
    assert public["address"]["district"] == data["address"]["district"]
    assert merge_personal(public, values) == data
    assert SEALED not in ApplicationSubmitted.model_fields


@pytest.mark.parametrize("cls", REGISTRY.classes(), ids=lambda c: c.TYPE)
def test_every_type_reads_without_its_personal_fields(cls: type) -> None:
    public, _ = split_personal(cls, sample(cls))
    event = REGISTRY.parse(cls.TYPE, {**public, SEALED: {"kid": "c1", "erased": True}})
    assert isinstance(event, cls)
    assert isinstance(event, erasable(cls))


def test_unopened_personal_fields_read_as_none() -> None:
    public, values = split_personal(AssessmentRecorded, sample(AssessmentRecorded))
    assert values
    event = REGISTRY.parse(AssessmentRecorded.TYPE, {**public, SEALED: {"kid": "c1"}})
    assert isinstance(event, AssessmentRecorded)
    assert event.situation.members[0].age is None
    assert event.case_id == public["case_id"]


def test_the_wire_schema_names_no_personal_property_and_requires_sealed() -> None:
    schema = wire_schema(ApplicationSubmitted)
    text = str(schema)
    assert "x-personal-data" not in text
    assert SEALED in schema["required"]
    assert "last_name" not in schema["$defs"]["PersonName"].get("properties", {})
    assert schema["$id"].endswith(":wire")
