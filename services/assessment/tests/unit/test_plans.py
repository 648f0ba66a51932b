"""Plan revisions on the in-memory journal: checked like the first plan (422, nothing
recorded), in force at once or proposed to the supervisor, approved by merging."""

from __future__ import annotations

from typing import Any

import pytest
from assessment.domain.case_file import CaseFileRuleViolation
from assessment.handlers.errors import Unprocessable
from assessment.handlers.tablets import ConflictRecorded
from inson_contracts.codes.providers import default_provider
from inson_contracts.events import (
    ConflictResolution,
    EditConflicted,
    PlanDrafted,
    PlanRevised,
    PlanRevisionProposed,
)
from inson_contracts.events.assessment import HouseholdSituation
from inson_contracts.events.values import PlanItem, Priority

from .fakes import DISTRICT, MAHALLA, SITUATION, World, supervisor, worker

TAXI = PlanItem(item_id="taxi", service_code="DIS-05", provider_type="ngo_partner")
LAWYER = PlanItem(item_id="lawyer", service_code="FAM-05", provider_type="ngo_partner")


async def in_force(world: World) -> tuple[str, list[PlanItem]]:
    """A case whose drafted plan was approved; its worker and the items in force."""
    file = await world.open_case()
    me = worker(file.worker_id or "")
    await world.assessments.complete(me, "case-1", HouseholdSituation(**SITUATION), None)
    await world.assessments.approve(supervisor(), "case-1")
    plan = (await world.files.load("case-1")).plan
    assert plan is not None and plan.version == 1
    return file.worker_id or "", list(plan.items)


async def test_a_revision_adding_a_service_waits_for_the_supervisor() -> None:
    world = World()
    worker_id, items = await in_force(world)
    revision = await world.assessments.revise(
        worker(worker_id), "case-1", [*items, TAXI], "cannot reach the clinic", None
    )
    (proposed,) = world.journal.outbox.events_of_type(PlanRevisionProposed)
    assert revision.proposed == proposed and proposed.added_services == ["DIS-05"]
    assert proposed.proposed_by.id == worker_id and proposed.reason == "cannot reach the clinic"
    assert world.journal.outbox.events_of_type(PlanRevised) == []
    file = await world.files.load("case-1")
    assert file.plan is not None and file.plan.version == 1 and list(file.plan.items) == items
    assert revision.applied.version == file.version

    # A later proposal replaces it.
    await world.assessments.revise(worker(worker_id), "case-1", [*items, LAWYER], "a lawyer", None)
    file = await world.files.load("case-1")
    assert file.plan is not None and file.plan.proposal is not None
    assert file.plan.proposal.proposed.added_services == ["FAM-05"]

    await world.assessments.approve(supervisor(), "case-1")
    (approved,) = world.journal.outbox.events_of_type(PlanRevised)
    assert approved.plan_version == 2 and approved.items == [*items, LAWYER]
    assert approved.approved_by is not None and approved.approved_by.id == "sup-1"
    assert approved.revised_by.id == worker_id and approved.reason == "a lawyer"
    file = await world.files.load("case-1")
    assert file.plan is not None and file.plan.proposal is None
    with pytest.raises(CaseFileRuleViolation, match="nor a proposed revision"):
        await world.assessments.approve(supervisor(), "case-1")


async def test_revisions_that_add_no_service_are_in_force_at_once() -> None:
    world = World()
    worker_id, items = await in_force(world)
    me = worker(worker_id)
    # Removing, re-prioritising, choosing a provider, planning a service again under a
    # new id, keeping a (refused) item under its own id: none needs the supervisor.
    first, second, *rest = items
    changes = [
        [first.model_copy(update={"priority": Priority.EMERGENCY}), second, *rest],
        [first, _with(second, provider=_default_provider(second)), *rest],
        [first, second, *rest, first.model_copy(update={"item_id": "again"})],
        list(items),
        [second, *rest],
    ]
    for n, revised in enumerate(changes):
        result = await world.assessments.revise(me, "case-1", revised, f"change {n}", None)
        assert result.proposed is None
    revisions = world.journal.outbox.events_of_type(PlanRevised)
    assert [r.plan_version for r in revisions] == [2, 3, 4, 5, 6]
    assert all(r.approved_by is None for r in revisions)
    assert revisions[-2].items == items and revisions[-1].items == [second, *rest]
    assert world.journal.outbox.events_of_type(PlanRevisionProposed) == []
    # Added back, a removed service is an addition again: the supervisor's.
    again = await world.assessments.revise(me, "case-1", items, "back", None)
    assert again.proposed is not None and again.proposed.added_services == [first.service_code]


def _with(item: PlanItem, **changes: Any) -> PlanItem:
    return PlanItem.model_validate({**item.model_dump(), **changes})


def _default_provider(item: PlanItem) -> str:
    return default_provider(item.provider_type, DISTRICT, MAHALLA).code


async def test_a_supervisor_adds_services_at_once_and_settles_a_pending_proposal() -> None:
    world = World()
    worker_id, items = await in_force(world)
    await world.assessments.revise(worker(worker_id), "case-1", [*items, TAXI], "taxi", None)
    revision = await world.assessments.revise(
        supervisor(), "case-1", [*items, LAWYER], "a lawyer instead", None
    )
    assert revision.proposed is None
    (revised,) = world.journal.outbox.events_of_type(PlanRevised)
    assert revised.approved_by is not None and revised.approved_by.id == "sup-1"
    file = await world.files.load("case-1")
    assert file.plan is not None and file.plan.proposal is None


async def test_approval_merges_a_proposal_over_what_changed_since() -> None:
    world = World()
    worker_id, items = await in_force(world)
    me = worker(worker_id)
    await world.assessments.revise(me, "case-1", [*items, TAXI], "taxi", None)
    urgent = items[0].model_copy(update={"priority": Priority.EMERGENCY})
    await world.assessments.revise(me, "case-1", [urgent, *items[1:]], "worse", None)
    file = await world.files.load("case-1")
    assert file.plan is not None and file.plan.proposal is not None  # still waiting
    await world.assessments.approve(supervisor(), "case-1")
    approved = world.journal.outbox.events_of_type(PlanRevised)[-1]
    assert approved.plan_version == 3 and approved.items == [urgent, *items[1:], TAXI]


async def test_approval_is_refused_when_the_same_items_changed_since() -> None:
    world = World()
    worker_id, items = await in_force(world)
    me = worker(worker_id)
    mine = items[0].model_copy(update={"goal": "twice a week"})
    await world.assessments.revise(me, "case-1", [mine, *items[1:], TAXI], "taxi", None)
    theirs = items[0].model_copy(update={"goal": "daily"})
    await world.assessments.revise(me, "case-1", [theirs, *items[1:]], "daily", None)
    before = len(world.events())
    with pytest.raises(CaseFileRuleViolation, match="propose"):
        await world.assessments.approve(supervisor(), "case-1")
    assert len(world.events()) == before


def _bad_items(items: list[PlanItem]) -> dict[str, tuple[list[PlanItem], list[Any]]]:
    first = items[0]
    return {
        "unknown service": (
            [_with(first, service_code="ZZZ-99")],
            ["body", "items", 0, "service_code"],
        ),
        "wrong provider type": (
            [_with(first, provider_type="employment_center")],
            ["body", "items", 0, "provider_type"],
        ),
        "unknown provider": (
            [first, _with(TAXI, provider="ngo-9999999")],
            ["body", "items", 1, "provider"],
        ),
        "provider of another district": (
            [_with(TAXI, provider="ngo-1735207")],
            ["body", "items", 0, "provider"],
        ),
        "no items": ([], ["body", "items"]),
        "an id twice": ([first, first], ["body", "items", 1, "item_id"]),
    }


@pytest.mark.parametrize(
    "case",
    [
        "unknown service",
        "wrong provider type",
        "unknown provider",
        "provider of another district",
        "no items",
        "an id twice",
    ],
)
async def test_an_invalid_revision_is_422_and_records_nothing(case: str) -> None:
    world = World()
    worker_id, items = await in_force(world)
    base = (await world.files.load("case-1")).version
    await world.assessments.revise(worker(worker_id), "case-1", items[1:], "one less", None)
    bad, loc = _bad_items(items)[case]
    before = len(world.events())
    for caller in (worker(worker_id), supervisor()):
        # Online, and as a stale tablet command: no revision, no proposal, no conflict.
        for base_version in (None, base):
            with pytest.raises(Unprocessable) as refused:
                await world.assessments.revise(caller, "case-1", bad, "why", base_version)
            assert loc in [e["loc"] for e in refused.value.detail]
            assert "input" not in refused.value.detail[0]  # nothing of the body echoed
    assert len(world.events()) == before


async def test_plan_edits_are_checked_and_an_assessment_without_a_draft_gets_one() -> None:
    world = World()
    file = await world.open_case(circumstances=["disability"])
    me = worker(file.worker_id or "")
    child = {
        "member_ref": "a",
        "age": 9,
        "sex": "male",
        "employment": "child",
        "schooling": "attending",
        "disability_group": "child_with_disability",
    }
    parent = {"member_ref": "b", "relation": "parent", "age": 36, "sex": "female"}
    needs_nothing = HouseholdSituation.model_validate(
        {
            "members": [child, {**parent, "employment": "employed"}],
            "income_sources": [
                {"kind": "wages", "monthly_amount_uzs": 6000000},
                {"kind": "disability_benefit", "monthly_amount_uzs": 1100000},
            ],
            "housing": "adequate",
        }
    )
    done = await world.assessments.complete(me, "case-1", needs_nothing, None)
    assert done.plan is None and done.needs == () and "HOME-04" in done.offered
    day_care = PlanItem(item_id="day", service_code="HOME-04", provider_type="mahalla")
    with pytest.raises(Unprocessable) as refused:
        await world.assessments.edit_plan(me, "case-1", [day_care], None)
    assert refused.value.detail[0]["loc"] == ["body", "items", 0, "provider_type"]
    fixed = _with(day_care, provider_type="inson_center")
    await world.assessments.edit_plan(me, "case-1", [fixed], None)
    (drafted,) = world.journal.outbox.events_of_type(PlanDrafted)
    assert drafted.items == [fixed] and drafted.plan_id
    await world.assessments.approve(supervisor(), "case-1")


async def test_a_stale_tablet_revision_adding_a_service_merges_then_is_proposed() -> None:
    world = World()
    worker_id, items = await in_force(world)
    me = worker(worker_id)
    base = (await world.files.load("case-1")).version
    urgent = items[0].model_copy(update={"priority": Priority.EMERGENCY})
    await world.assessments.revise(supervisor(), "case-1", [urgent, *items[1:]], "worse", None)
    revision = await world.assessments.revise(me, "case-1", [*items, TAXI], "taxi", base)
    assert revision.applied.merged_from == base and revision.proposed is not None
    assert revision.proposed.items == [urgent, *items[1:], TAXI]


async def test_resolving_a_revision_conflict_follows_the_approval_rule() -> None:
    world = World()
    worker_id, items = await in_force(world)
    me = worker(worker_id)
    base = (await world.files.load("case-1")).version
    mine = items[0].model_copy(update={"goal": "mine"})
    await world.assessments.revise(supervisor(), "case-1", [mine, *items[1:]], "first", None)
    theirs = items[0].model_copy(update={"goal": "theirs"})
    with pytest.raises(ConflictRecorded) as recorded:
        await world.assessments.revise(me, "case-1", [theirs, *items[1:], TAXI], "taxi", base)
    conflict_id = recorded.value.conflict.conflict_id
    assert world.journal.outbox.events_of_type(EditConflicted)[-1].conflict_id == conflict_id
    await world.assessments.resolve(me, "case-1", conflict_id, ConflictResolution.TAKE_SUBMITTED)
    (proposed,) = world.journal.outbox.events_of_type(PlanRevisionProposed)
    assert proposed.added_services == ["DIS-05"] and proposed.items[0] == theirs
    assert len(world.journal.outbox.events_of_type(PlanRevised)) == 1  # the first one only
