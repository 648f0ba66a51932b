"""What a questionnaire may say, on the in-memory journal: a disability status that fits
the member's age (refused at completion, by field, nothing recorded), and a draft the
store can keep as it is (refused by field, nothing saved)."""

from __future__ import annotations

from typing import Any

import pytest
from assessment.domain.drafts import MAX_DEPTH
from assessment.handlers.errors import Unprocessable
from inson_contracts.events import AssessmentRecorded
from inson_contracts.events.assessment import HouseholdSituation

from .fakes import SITUATION, World, worker

ADULT = SITUATION["members"][0]


def household(*members: dict[str, Any]) -> dict[str, Any]:
    return {**SITUATION, "members": [ADULT, *members]}


def member(ref: str, age: int, group: str | None) -> dict[str, Any]:
    return {
        "member_ref": ref,
        "relation": "child",
        "age": age,
        "sex": "male",
        "employment": "child" if age < 18 else "unable_to_work",
        "disability_group": group,
    }


@pytest.mark.parametrize(
    ("age", "group", "refused"),
    [
        (10, "group_2", True),
        (17, "group_1", True),
        (17, "child_with_disability", False),
        (0, "child_with_disability", False),
        (18, "child_with_disability", True),
        (18, "group_3", False),
        (40, "child_with_disability", True),
        (10, None, False),
    ],
)
async def test_a_disability_status_must_fit_the_members_age(
    age: int, group: str | None, refused: bool
) -> None:
    world = World()
    file = await world.open_case()
    me = worker(file.worker_id or "")
    situation = HouseholdSituation.model_validate(household(member("c1", age, group)))
    if not refused:
        await world.assessments.complete(me, "case-1", situation, None)
        assert len(world.journal.outbox.events_of_type(AssessmentRecorded)) == 1
        return
    with pytest.raises(Unprocessable) as wrong:
        await world.assessments.complete(me, "case-1", situation, None)
    (error,) = wrong.value.detail
    assert error["loc"] == ["body", "situation", "members", 1, "disability_group"]
    assert "18" in error["msg"] and str(age) not in error["msg"].replace("18", "")
    assert world.journal.outbox.events_of_type(AssessmentRecorded) == []


async def test_a_saved_draft_is_checked_the_same_way_under_draft() -> None:
    world = World()
    file = await world.open_case()
    me = worker(file.worker_id or "")
    await world.assessments.save_draft(me, "case-1", household(member("c1", 9, "group_1")), None)
    with pytest.raises(Unprocessable) as wrong:
        await world.assessments.complete(me, "case-1", None, None)
    assert [e["loc"] for e in wrong.value.detail] == [["draft", "members", 1, "disability_group"]]
    assert world.journal.outbox.events_of_type(AssessmentRecorded) == []


def nested(depth: int) -> dict[str, Any]:
    doc: dict[str, Any] = {"leaf": 1}
    for _ in range(depth - 1):
        doc = {"x": doc}
    return doc


@pytest.mark.parametrize(
    ("draft", "loc"),
    [
        ({"members": [[1, 2]]}, ["body", "members", 0]),
        ({"$where": "1"}, ["body", "$where"]),
        ({"resources": {"owns.home": True}}, ["body", "resources", "owns.home"]),
        ({"": 1}, ["body", ""]),
        ({"x" * 65: 1}, ["body", "x" * 64 + "..."]),
        ({"income": float("inf")}, ["body", "income"]),
        ({"income": float("nan")}, ["body", "income"]),
        ({"income": 2**63}, ["body", "income"]),
        ({"income": -(2**63) - 1}, ["body", "income"]),
        ({"note": "a\x00b"}, ["body", "note"]),
        ({"note": "\ud800"}, ["body", "note"]),
        (nested(500), ["body", *["x"] * MAX_DEPTH]),
        ({"observations": "x" * 70_000}, ["body"]),
    ],
)
async def test_a_draft_the_store_cannot_keep_as_it_is_is_refused_by_field(
    draft: dict[str, Any], loc: list[str]
) -> None:
    world = World()
    file = await world.open_case()
    me = worker(file.worker_id or "")
    with pytest.raises(Unprocessable) as refused:
        await world.assessments.save_draft(me, "case-1", draft, None)
    assert [e["loc"] for e in refused.value.detail] == [loc]
    assert world.drafts.saved == {}


async def test_a_half_finished_questionnaire_is_still_saved_as_it_is() -> None:
    world = World()
    file = await world.open_case()
    me = worker(file.worker_id or "")
    half = {
        "members": [{"member_ref": "m1", "age": "7?", "functional_limitations": ["walking"]}],
        "income_sources": [],
        "resources": {"skills": ["sewing"], "owns_home": None},
        "observations": "ўзбек тили, русский, 😀",
        "tablet-ui_state": {"page": 3, "ratio": 0.5, "big": 2**63 - 1},
    }
    assert await world.assessments.save_draft(me, "case-1", half, None) == 1
    assert (await world.assessments.draft(me, "case-1")).draft == half
    assert await world.assessments.save_draft(me, "case-1", nested(MAX_DEPTH), None) == 2
