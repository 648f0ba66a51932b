"""Every use case of ``Assessments`` on the in-memory journal: what it records, what it refuses.

The tablets' stale commands (merge or conflict) and their resolution are in
``test_tablets.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from assessment.domain.case_file import CaseFileRuleViolation, PlanStatus
from assessment.domain.scoring import score
from assessment.handlers.errors import (
    DraftConflict,
    NotFound,
    OutOfScope,
    Refused,
    Unprocessable,
)
from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.codes.staff import workers_covering
from inson_contracts.events import (
    AssessmentCompleted,
    AssessmentRecorded,
    CareRegisterEntryAdded,
    CareRegisterEntryRemoved,
    PlanApproved,
    PlanClosed,
    PlanDrafted,
    PlanRevised,
    SocialWorkerReassigned,
)
from inson_contracts.events.assessment import AssignmentReason, HouseholdSituation
from inson_contracts.events.plans import ClosureReason
from inson_contracts.events.registers import CareRegisterCategory, CareRegisterRemovalReason
from inson_contracts.events.values import PlanItem

from .fakes import DISTRICT, ELSEWHERE, SITUATION, WORKERS, World, supervisor, worker

QUESTIONNAIRE = HouseholdSituation.model_validate(SITUATION)


async def assessed(world: World, case_id: str = "case-1") -> str:
    """A case opened and its visit completed (a plan drafted); the worker's id."""
    file = await world.open_case(case_id)
    assert file.worker_id is not None
    await world.assessments.complete(worker(file.worker_id), case_id, QUESTIONNAIRE, None)
    return file.worker_id


async def approved(world: World, case_id: str = "case-1") -> str:
    worker_id = await assessed(world, case_id)
    await world.assessments.approve(supervisor(), case_id)
    return worker_id


# The questionnaire draft


async def test_a_draft_is_saved_with_a_revision_and_read_back() -> None:
    world = World()
    file = await world.open_case()
    me = worker(file.worker_id or "")
    assert await world.assessments.save_draft(me, "case-1", {"housing": "unsafe"}, 0) == 1
    assert await world.assessments.save_draft(me, "case-1", {"housing": "adequate"}, 1) == 2
    # Online clients send no revision: the latest draft is replaced.
    assert await world.assessments.save_draft(me, "case-1", {"housing": "x"}, None) == 3
    saved = await world.assessments.draft(me, "case-1")
    assert saved.draft == {"housing": "x"} and saved.revision == 3
    assert saved.saved_by == me.sub and saved.saved_at == world.clock()
    assert world.journal.outbox.published[-1].last_version == 2  # a draft is not a fact


async def test_a_stale_draft_is_refused_with_both_drafts_and_nothing_overwritten() -> None:
    world = World()
    file = await world.open_case()
    me = worker(file.worker_id or "")
    await world.assessments.save_draft(me, "case-1", {"housing": "unsafe"}, 0)
    with pytest.raises(DraftConflict) as refused:
        await world.assessments.save_draft(me, "case-1", {"housing": "adequate"}, 0)
    assert refused.value.base_revision == 0
    assert refused.value.current is not None and refused.value.current.revision == 1
    assert refused.value.submitted == {"housing": "adequate"}
    assert (await world.assessments.draft(me, "case-1")).draft == {"housing": "unsafe"}


async def test_no_draft_is_404_and_drafts_are_read_in_scope_only() -> None:
    world = World()
    file = await world.open_case()
    with pytest.raises(NotFound, match="no draft saved"):
        await world.assessments.draft(worker(file.worker_id or ""), "case-1")
    with pytest.raises(OutOfScope):
        await world.assessments.draft(worker("sw-other", "1703401001"), "case-1")
    with pytest.raises(NotFound, match="no case file nope"):
        await world.assessments.save_draft(supervisor(), "nope", {}, None)


# Completing the assessment


async def test_completion_scores_the_visit_and_drafts_the_plan() -> None:
    world = World()
    worker_id = await assessed(world)
    recorded = world.journal.outbox.events_of_type(AssessmentRecorded)
    completed = world.journal.outbox.events_of_type(AssessmentCompleted)
    drafted = world.journal.outbox.events_of_type(PlanDrafted)
    assert len(recorded) == len(completed) == len(drafted) == 1
    assert recorded[0].situation == QUESTIONNAIRE and recorded[0].social_worker_id == worker_id
    # Scored with what intake said of the case, too.
    need = score(QUESTIONNAIRE, [Circumstance.LONELY_ELDERLY])
    assert completed[0].need_score == need.total and completed[0].need_level == need.level
    # The plan holds what the household needs, each item naming the needs it answers; the
    # other eligible services are offered (test_needs.py holds the rules' own tests).
    planned = [i.service_code for i in drafted[0].items]
    assert planned and set(planned) < set(completed[0].eligible_services)
    assert all(i.needs for i in drafted[0].items)
    assert drafted[0].items[0].due_by is not None
    file = await world.files.load("case-1")
    assert file.plan is not None and file.plan.status is PlanStatus.DRAFTED


async def test_completion_answers_the_version_and_discards_the_draft() -> None:
    world = World()
    file = await world.open_case()
    me = worker(file.worker_id or "")
    await world.assessments.save_draft(me, "case-1", SITUATION, None)
    done = await world.assessments.complete(me, "case-1", None, None)
    assert done.completed.need_score > 0 and done.plan is not None
    assert done.applied.version == (await world.files.load("case-1")).version
    assert done.applied.merged_from is None
    assert await world.drafts.latest("case-1") is None


async def test_completion_from_a_bad_or_missing_draft_names_the_fields() -> None:
    world = World()
    file = await world.open_case()
    me = worker(file.worker_id or "")
    with pytest.raises(Unprocessable, match="no situation given and no draft saved"):
        await world.assessments.complete(me, "case-1", None, None)
    await world.assessments.save_draft(me, "case-1", {"members": SITUATION["members"]}, None)
    with pytest.raises(Unprocessable) as missing:
        await world.assessments.complete(me, "case-1", None, None)
    assert [e["loc"] for e in missing.value.detail] == [["draft", "housing"]]
    await world.assessments.save_draft(me, "case-1", {**SITUATION, "pet": "cat"}, None)
    with pytest.raises(Unprocessable) as unknown:
        await world.assessments.complete(me, "case-1", None, None)
    assert unknown.value.detail == [{"loc": ["draft"], "msg": "unknown field(s): pet"}]
    assert world.journal.outbox.events_of_type(AssessmentRecorded) == []


async def test_completion_is_refused_once_the_plan_is_in_force_or_out_of_scope() -> None:
    world = World()
    worker_id = await approved(world)
    with pytest.raises(CaseFileRuleViolation, match="revise it instead"):
        await world.assessments.complete(worker(worker_id), "case-1", QUESTIONNAIRE, None)
    with pytest.raises(OutOfScope, match="district 1703401 is outside your scope"):
        await world.assessments.complete(supervisor(ELSEWHERE), "case-1", QUESTIONNAIRE, None)
    with pytest.raises(OutOfScope, match="assigned to another social worker"):
        await world.assessments.complete(
            worker("sw-x", "1703401001"), "case-1", QUESTIONNAIRE, None
        )


# The plan


async def test_the_drafted_plan_is_edited_approved_revised_and_closed() -> None:
    world = World()
    worker_id = await assessed(world)
    me = worker(worker_id)
    drafted = (await world.files.load("case-1")).plan
    assert drafted is not None
    items = list(drafted.items)
    edited = [items[0].model_copy(update={"goal": "see a doctor"}), *items[1:]]
    applied = await world.assessments.edit_plan(me, "case-1", edited, None)
    assert world.journal.outbox.events_of_type(PlanDrafted)[-1].items == edited
    assert applied.version == (await world.files.load("case-1")).version

    await world.assessments.approve(supervisor(), "case-1")
    (approval,) = world.journal.outbox.events_of_type(PlanApproved)
    assert approval.plan_version == 1 and approval.items == edited
    assert approval.approved_by.id == "sup-1" and approval.district == "1703401"

    await world.assessments.revise(me, "case-1", edited[1:], "moved in with relatives", None)
    (revision,) = world.journal.outbox.events_of_type(PlanRevised)
    assert revision.plan_version == 2 and revision.reason == "moved in with relatives"

    await world.assessments.close_plan(me, "case-1", ClosureReason.MOVED_AWAY, "to Tashkent")
    await world.assessments.close_plan(me, "case-1", ClosureReason.MOVED_AWAY, None)
    (closed,) = world.journal.outbox.events_of_type(PlanClosed)  # closing twice: once
    assert closed.reason is ClosureReason.MOVED_AWAY and closed.note == "to Tashkent"


async def test_plan_commands_in_the_wrong_state_are_refused() -> None:
    world = World()
    file = await world.open_case()
    me = worker(file.worker_id or "")
    item = PlanItem(item_id="i1", service_code="HOME-01", provider_type="inson_center")
    # No plan yet, and no assessment to draft one from.
    with pytest.raises(CaseFileRuleViolation, match="complete the assessment"):
        await world.assessments.edit_plan(me, "case-1", [item], None)
    # A rule (409 plan.none), not an event failing its own schema (it was a 422).
    with pytest.raises(CaseFileRuleViolation, match="no plan to close"):
        await world.assessments.close_plan(me, "case-1", ClosureReason.MOVED_AWAY, None)
    with pytest.raises(CaseFileRuleViolation, match="no drafted plan to approve"):
        await world.assessments.approve(supervisor(), "case-1")
    with pytest.raises(CaseFileRuleViolation, match="only a plan in force"):
        await world.assessments.revise(me, "case-1", [item], "why", None)

    await approved(world, "case-2")
    other = worker((await world.files.load("case-2")).worker_id or "")
    with pytest.raises(CaseFileRuleViolation, match="no drafted plan to approve"):
        await world.assessments.approve(supervisor(), "case-2")
    with pytest.raises(CaseFileRuleViolation, match="only a drafted plan can be edited"):
        await world.assessments.edit_plan(other, "case-2", [item], None)
    with pytest.raises(Unprocessable) as twice:
        await world.assessments.revise(other, "case-2", [item, item], "twice", None)
    assert [e["loc"] for e in twice.value.detail] == [["body", "items", 1, "item_id"]]


# Reassignment, the care register, temporary housing


async def test_reassignment_goes_to_the_other_worker_covering_the_mahalla() -> None:
    world = World()
    world.caseloads.loads = {WORKERS[0]: 1, WORKERS[1]: 9}
    file = await world.open_case()
    assert file.worker_id == WORKERS[0]  # the least loaded first
    reason = AssignmentReason.SUPERVISOR_DECISION
    await world.assessments.reassign(supervisor(), "case-1", None, reason, None)
    (moved,) = world.journal.outbox.events_of_type(SocialWorkerReassigned)
    assert (moved.from_social_worker_id, moved.to_social_worker_id) == WORKERS
    assert world.caseloads.asked[-1] == list(WORKERS)

    with pytest.raises(Refused, match="already with that social worker"):
        await world.assessments.reassign(supervisor(), "case-1", WORKERS[1], reason, None)
    await world.assessments.reassign(supervisor(), "case-1", "sw-1703401-01", reason, "cover")
    assert (await world.files.load("case-1")).worker_id == "sw-1703401-01"
    with pytest.raises(OutOfScope):
        await world.assessments.reassign(supervisor(ELSEWHERE), "case-1", None, reason, None)


async def test_reassignment_refuses_when_nobody_else_covers_the_mahalla() -> None:
    world = World()
    alone = next(m.code for m in mahallas_of(DISTRICT) if len(workers_covering(m.code)) == 1)
    await world.open_case(mahalla=alone)
    with pytest.raises(Refused, match="no other social worker covers this mahalla"):
        await world.assessments.reassign(
            supervisor(), "case-1", None, AssignmentReason.SUPERVISOR_DECISION, None
        )
    assert world.journal.outbox.events_of_type(SocialWorkerReassigned) == []


async def test_the_care_register_adds_once_per_category_and_removes() -> None:
    world = World()
    await world.open_case()
    category = CareRegisterCategory.LONELY_ELDERLY
    entry_id = await world.assessments.add_to_care_register(
        supervisor(), "case-1", category, "D-1", "12345678901234"
    )
    (added,) = world.journal.outbox.events_of_type(CareRegisterEntryAdded)
    assert added.entry_id == entry_id and added.district == "1703401" and added.pinfl
    with pytest.raises(CaseFileRuleViolation, match="already on the register"):
        await world.assessments.add_to_care_register(supervisor(), "case-1", category, "D-2", None)
    with pytest.raises(CaseFileRuleViolation, match="no register entry nope"):
        await world.assessments.remove_from_care_register(
            supervisor(), "case-1", "nope", CareRegisterRemovalReason.DECEASED, None
        )
    await world.assessments.remove_from_care_register(
        supervisor(), "case-1", entry_id, CareRegisterRemovalReason.DECEASED, None
    )
    (removed,) = world.journal.outbox.events_of_type(CareRegisterEntryRemoved)
    assert removed.entry_id == entry_id
    assert (await world.files.load("case-1")).care_entries == {}


# Time travel


async def test_as_of_folds_the_case_file_to_a_moment() -> None:
    world = World()
    world.clock.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    file = await world.open_case()
    world.clock.advance(timedelta(hours=1))
    await world.assessments.complete(worker(file.worker_id or ""), "case-1", QUESTIONNAIRE, None)
    world.clock.advance(timedelta(hours=1))
    await world.assessments.approve(supervisor(), "case-1")

    before_visit = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    then, last = await world.assessments.as_of(supervisor(), "case-1", before_visit)
    assert then.version == 2 and then.completed_assessment is None and then.plan is None
    assert last == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    drafted, _ = await world.assessments.as_of(
        supervisor(), "case-1", datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
    )
    assert drafted.plan is not None and drafted.plan.status is PlanStatus.DRAFTED
    now, _ = await world.assessments.as_of(supervisor(), "case-1", world.clock())
    assert now.plan is not None and now.plan.status is PlanStatus.APPROVED

    with pytest.raises(NotFound, match="nothing was recorded about case case-1"):
        await world.assessments.as_of(supervisor(), "case-1", datetime(2020, 1, 1, tzinfo=UTC))
    with pytest.raises(OutOfScope):
        await world.assessments.as_of(supervisor(ELSEWHERE), "case-1", world.clock())
