"""Old versions of an event are read as the newest class, through a chain of upcasters."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
from inson_contracts.events import REGISTRY, Event, EventDataError, EventRegistry, UnknownEventType
from inson_contracts.schemas import plan
from inson_contracts.topics import INTAKE_CASES

V1 = "uz.inson.test.person.registered.v1"
V2 = "uz.inson.test.person.registered.v2"
V3 = "uz.inson.test.person.registered.v3"


class RegisteredV1(Event):
    """v1: one free-text name."""

    TYPE: ClassVar[str] = V1
    TOPIC: ClassVar[str] = INTAKE_CASES.name

    full_name: str
    district: str


class RegisteredV2(Event):
    """v2: the name split in two."""

    TYPE: ClassVar[str] = V2
    TOPIC: ClassVar[str] = INTAKE_CASES.name

    last_name: str
    first_name: str
    district: str


class RegisteredV3(Event):
    """v3: the district became a 7-digit code."""

    TYPE: ClassVar[str] = V3
    TOPIC: ClassVar[str] = INTAKE_CASES.name

    last_name: str
    first_name: str
    district_code: str


def v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    last, _, first = data.pop("full_name").partition(" ")
    return {**data, "last_name": last, "first_name": first or "-"}


DISTRICTS = {"Andijon shahri": "1703202"}


def v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    district = data.pop("district")
    return {**data, "district_code": DISTRICTS[district]}


def chain() -> EventRegistry:
    registry = EventRegistry()
    registry.register(RegisteredV3)
    registry.register_upcaster(V2, RegisteredV3, v2_to_v3)
    registry.register_upcaster(RegisteredV1, RegisteredV2, v1_to_v2)
    return registry


CURRENT = RegisteredV3(last_name="Karimova", first_name="Dilnoza", district_code="1703202")


def test_every_old_version_parses_as_the_newest_class() -> None:
    registry = chain()

    v1 = {"full_name": "Karimova Dilnoza", "district": "Andijon shahri"}
    v2 = {"last_name": "Karimova", "first_name": "Dilnoza", "district": "Andijon shahri"}
    v3 = CURRENT.model_dump(mode="json")

    assert registry.parse(V1, v1) == CURRENT
    assert registry.parse(V2, v2) == CURRENT
    assert registry.parse(V3, v3) == CURRENT


def test_upcastable_types_are_known_so_consumers_do_not_dead_letter_them() -> None:
    registry = chain()

    for old in (V1, V2):
        assert old in registry
        assert registry.class_for(old) is RegisteredV3
        assert registry.current_type(old) == V3
    assert registry.upcastable_types() == [V1, V2]
    # Old classes stay registered, so their schemas stay published.
    assert registry.types() == [V1, V2, V3]
    assert registry.classes() == [RegisteredV1, RegisteredV2, RegisteredV3]
    with pytest.raises(UnknownEventType):
        registry.parse("uz.inson.test.person.registered.v4", {})
    assert "uz.inson.test.person.registered.v4" not in registry


def test_old_data_is_validated_by_the_old_class_when_one_is_given() -> None:
    registry = chain()

    with pytest.raises(EventDataError, match=rf"^{V1}: full_name: Field required"):
        registry.parse(V1, {"district": "Andijon shahri"})


def test_an_upcaster_that_cannot_map_the_data_raises_event_data_error() -> None:
    registry = EventRegistry()  # v2 by type string alone: its data arrives unchecked
    registry.register_upcaster(V2, RegisteredV3, v2_to_v3)
    assert registry.types() == [V3]

    with pytest.raises(EventDataError, match=rf"{V2}: cannot upcast to {V3}: KeyError"):
        registry.parse(V2, {"last_name": "K", "first_name": "D", "district": "Nowhere"})
    with pytest.raises(EventDataError, match=rf"{V2}: cannot upcast to {V3}: KeyError"):
        registry.parse(V2, {"last_name": "K", "first_name": "D"})


def test_the_upcast_result_is_validated_by_the_new_class() -> None:
    registry = EventRegistry()
    registry.register_upcaster(V2, RegisteredV3, lambda data: {"unexpected": True})

    with pytest.raises(EventDataError, match=rf"^{V3}: "):
        registry.parse(V2, {})


def test_an_upcaster_does_not_mutate_the_callers_data() -> None:
    registry = chain()
    data = {"last_name": "Karimova", "first_name": "Dilnoza", "district": "Andijon shahri"}

    registry.parse(V2, data)
    assert data["district"] == "Andijon shahri"


def test_loops_and_second_upcasters_are_refused() -> None:
    registry = chain()

    with pytest.raises(ValueError, match="would loop"):
        registry.register_upcaster(V3, RegisteredV1, lambda data: data)
    with pytest.raises(ValueError, match="already has an upcaster"):
        registry.register_upcaster(V2, RegisteredV3, v2_to_v3)
    with pytest.raises(ValueError, match="would loop"):
        registry.register_upcaster(V3, RegisteredV3, lambda data: data)
    assert registry.current_type(V1) == V3  # nothing half-registered


def test_the_existing_registry_api_still_works_without_upcasters() -> None:
    registry = EventRegistry()
    registry.register(RegisteredV2)

    assert V2 in registry and V1 not in registry
    assert registry.class_for(V2) is RegisteredV2
    event = registry.parse(V2, {"last_name": "K", "first_name": "D", "district": "d"})
    assert event == RegisteredV2(last_name="K", first_name="D", district="d")


def test_the_published_registry_holds_no_test_events() -> None:
    assert not any(".test." in event_type for event_type in REGISTRY.types())


def test_a_frozen_old_schema_stays_while_its_type_is_upcast(tmp_path: Path) -> None:
    # v2 was published, then replaced by v3 with an upcaster: its schema file
    # stays (its events are still on the topic) and generate does not object.
    (tmp_path / f"{V2}.json").write_text("{}\n")

    registry = EventRegistry()
    registry.register_upcaster(V2, RegisteredV3, v2_to_v3)

    result = plan(registry, tmp_path)

    assert result.orphans == []
    assert sorted(result.writes) == [V3]
