"""The three-way merge of stale tablet commands (pure)."""

from __future__ import annotations

import json
from datetime import date

from assessment.domain.offline import reconcile_answers, reconcile_items
from inson_contracts.events.assessment import HouseholdSituation
from inson_contracts.events.values import PlanItem

BASE = HouseholdSituation.model_validate(
    {
        "members": [{"member_ref": "m1", "age": 70, "sex": "female", "employment": "pensioner"}],
        "housing": "needs_repair",
        "resources": {"owns_home": True, "livestock": False},
    }
)


def _with(situation: HouseholdSituation, **changes: object) -> HouseholdSituation:
    data = situation.model_dump(mode="json")
    for path, value in changes.items():
        *parents, leaf = path.split("__")
        node = data
        for part in parents:
            node = node[part]
        node[leaf] = value
    return HouseholdSituation.model_validate(data)


def test_changes_to_different_answers_merge() -> None:
    theirs = _with(BASE, housing="unsafe")
    mine = _with(BASE, resources__livestock=True, observations="roof leaks")

    result = reconcile_answers(BASE, theirs, mine)

    assert result.conflicts == ()
    assert result.merged.housing.value == "unsafe"
    assert result.merged.resources.livestock is True
    assert result.merged.resources.owns_home is True
    assert result.merged.observations == "roof leaks"


def test_the_same_answer_changed_differently_is_a_conflict_with_three_values() -> None:
    theirs = _with(BASE, housing="unsafe", resources__owns_home=False)
    mine = _with(BASE, housing="overcrowded", resources__livestock=True)

    result = reconcile_answers(BASE, theirs, mine)

    assert [f.path for f in result.conflicts] == ["housing"]
    clash = result.conflicts[0]
    assert (json.loads(clash.base), json.loads(clash.current), json.loads(clash.submitted)) == (
        "needs_repair",
        "unsafe",
        "overcrowded",
    )
    # The proposal: the tablet's changes over the current data.
    assert result.merged.housing.value == "overcrowded"
    assert result.merged.resources.owns_home is False
    assert result.merged.resources.livestock is True


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    both = _with(BASE, housing="unsafe")
    assert reconcile_answers(BASE, both, both).conflicts == ()


def test_two_first_visits_clash_only_where_their_answers_differ() -> None:
    mine = _with(BASE, housing="unsafe")
    result = reconcile_answers(None, BASE, mine)
    assert [f.path for f in result.conflicts] == ["housing"]
    assert json.loads(result.conflicts[0].base) is None


def _item(item_id: str, **extra: object) -> PlanItem:
    return PlanItem.model_validate(
        {"item_id": item_id, "service_code": "SOC-01", "provider_type": "social_service_window"}
        | extra
    )


def test_plan_items_merge_by_item_and_clash_on_the_same_item() -> None:
    base = [_item("a"), _item("b")]
    theirs = [_item("a", priority="urgent"), _item("b"), _item("c")]
    mine = [_item("a"), _item("d", due_by=date(2026, 12, 1).isoformat())]  # b removed, d added

    merged = reconcile_items(base, theirs, mine)
    assert merged.conflicts == ()
    assert [(i.item_id, i.priority.value) for i in merged.merged] == [
        ("a", "urgent"),
        ("c", "routine"),
        ("d", "routine"),
    ]

    clash = reconcile_items(base, theirs, [_item("a", priority="emergency"), _item("b")])
    assert [f.path for f in clash.conflicts] == ["items/a"]
    assert json.loads(clash.conflicts[0].current)["priority"] == "urgent"
    assert json.loads(clash.conflicts[0].submitted)["priority"] == "emergency"


def test_removals_that_leave_no_item_clash_over_the_whole_list() -> None:
    base = [_item("a"), _item("b")]
    # One tablet kept only a, the other only b: each removal merges alone,
    # together they leave a plan without items, which is no plan.
    clash = reconcile_items(base, [_item("a")], [_item("b")])
    assert [f.path for f in clash.conflicts] == ["items"]
    assert [i["item_id"] for i in json.loads(clash.conflicts[0].current)] == ["a"]
    assert [i["item_id"] for i in json.loads(clash.conflicts[0].submitted)] == ["b"]
    # Removing the same item on both sides is no clash.
    assert reconcile_items(base, [_item("a")], [_item("a")]).conflicts == ()
