"""The checks every plan's items pass, so referral can route whatever assessment accepts."""

from __future__ import annotations

from typing import Any

import pytest
from assessment.domain.plan_items import InvalidPlanItems, plan_item_errors, require_valid
from inson_contracts.events.values import PlanItem

DISTRICT = "1735207"


def item(
    item_id: str = "i1", code: str = "HOME-07", kind: str = "mahalla", **more: Any
) -> PlanItem:
    return PlanItem(item_id=item_id, service_code=code, provider_type=kind, **more)


def errors(*items: PlanItem, **kw: Any) -> list[tuple[list[Any], str]]:
    return [(e["loc"], e["msg"]) for e in plan_item_errors(list(items), DISTRICT, **kw)]


def test_catalogue_services_of_their_provider_type_with_directory_providers_pass() -> None:
    assert errors(item()) == []
    assert errors(item(provider="mahalla-1735207003")) == []  # another mahalla of the district
    assert errors(item("i2", "HOME-02", "health_facility", provider="health-1735207")) == []
    assert errors(item("i3", "REHAB-01", "social_service_window")) == []


def test_each_wrong_field_is_named_with_its_reason() -> None:
    assert errors(item(code="ZZZ-99")) == [
        (["items", 0, "service_code"], "ZZZ-99 is no catalogue service")
    ]
    assert errors(item(code="HOME-02")) == [
        (
            ["items", 0, "provider_type"],
            "HOME-02 is provided by provider type health_facility, not mahalla",
        )
    ]
    assert errors(item(provider="nowhere-1")) == [
        (["items", 0, "provider"], "no provider nowhere-1 in the directory")
    ]
    (other_district,) = errors(item(provider="mahalla-1703401001"))
    assert other_district[0] == ["items", 0, "provider"]
    assert "district 1703401" in other_district[1] and "for district 1735207" in other_district[1]
    (other_type,) = errors(item("i2", "HOME-02", "health_facility", provider="inson-1735207"))
    assert other_type[1].startswith("inson-1735207 is of provider type inson_center")


def test_ids_are_distinct_a_plan_has_an_item_and_a_completed_item_keeps_its_service() -> None:
    assert errors(item("i1"), item("i1", "HOME-01", "inson_center"), loc=("body", "items")) == [
        (["body", "items", 1, "item_id"], "item id i1 is used twice (also item 0)")
    ]
    ((loc, msg),) = errors()
    assert loc == ["items"] and "close it" in msg
    done = item("i1")
    assert errors(item("i1", "HOME-01", "inson_center"), completed=[done]) == [
        (
            ["items", 0, "service_code"],
            "item i1 was completed as HOME-07: a new service is a new item",
        )
    ]
    assert errors(done, completed=[done]) == []


def test_require_valid_raises_with_every_error() -> None:
    with pytest.raises(InvalidPlanItems) as refused:
        require_valid([item(code="ZZZ-99"), item("i2", provider="x-1")], DISTRICT)
    assert [e["loc"] for e in refused.value.errors] == [
        ["items", 0, "service_code"],
        ["items", 1, "provider"],
    ]
    assert all(e["type"] == "value_error" for e in refused.value.errors)
