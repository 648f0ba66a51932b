"""What a questionnaire may say, on the in-memory journal: a disability status that fits
the member's age (refused at completion, by field, nothing recorded)."""

from __future__ import annotations

from typing import Any

import pytest
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
