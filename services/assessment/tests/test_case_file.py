"""The case file's pure decisions: assignment, plan lifecycle, register and housing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from assessment.domain.case_file import (
    CaseFile,
    CaseFileRuleViolation,
    PlanStatus,
    decide_assignment,
    decide_care_entry,
    decide_care_removal,
    decide_housing,
    decide_housing_expiry,
    evolve,
    replay,
)
from assessment.domain.housing import CURRENT_RULE, InvalidRegistration
from assessment.domain.plan_items import InvalidPlanItems
from assessment.domain.plans import (
    approved_plan,
    decide_closure,
    decide_item_completed,
    decide_plan_edit,
    revised_plan,
)
from inson_contracts.codes.services import service
from inson_contracts.events import (
    CareRegisterEntryAdded,
    CareRegisterEntryRemoved,
    Event,
    PlanClosed,
    PlanCompleted,
    PlanDrafted,
    PlanItemCompleted,
    TemporaryHousingExpired,
    TemporaryHousingGranted,
)
from inson_contracts.events.plans import ClosureReason
from inson_contracts.events.values import Actor, PlanItem

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SUPERVISOR = Actor(id="sup-1735207", role="supervisor")


def item(item_id: str, code: str = "HOME-01") -> PlanItem:
    return PlanItem(item_id=item_id, service_code=code, provider_type=service(code).provider)


def assigned() -> tuple[CaseFile, list[Event]]:
    events = decide_assignment(
        CaseFile("c1"),
        worker_id="sw-1",
        mahalla="1735207001",
        district="1735207",
        caseload_after=3,
        visit_id="v1",
        visit_at=NOW + timedelta(days=1),
        now=NOW,
    )
    return replay("c1", events), events


def with_plan(*items: PlanItem) -> tuple[CaseFile, list[Event]]:
    file, events = assigned()
    draft = PlanDrafted(
        case_id="c1",
        plan_id="p1",
        assessment_id="a1",
        items=list(items),
        drafted_by="sw-1",
        drafted_at=NOW,
    )
    events = [*events, draft]
    file = replay("c1", events)
    approval = approved_plan(file, SUPERVISOR, NOW)
    return replay("c1", [*events, approval]), [*events, approval]


def test_assignment_happens_once_with_a_visit() -> None:
    file, events = assigned()
    assert [type(e).__name__ for e in events] == ["SocialWorkerAssigned", "HomeVisitScheduled"]
    assert file.worker_id == "sw-1" and file.visit_id == "v1" and file.region == "1735"
    again = decide_assignment(
        file,
        worker_id="sw-2",
        mahalla="1735207001",
        district="1735207",
        caseload_after=1,
        visit_id="v2",
        visit_at=NOW,
        now=NOW,
    )
    assert again == []


def test_a_drafted_plan_is_approved_at_version_1_with_the_case_location() -> None:
    file, events = with_plan(item("i1"), item("i2", "CASH-01"))
    approval = events[-1]
    assert (
        approval.plan_version == 1 and approval.district == "1735207" and approval.region == "1735"
    )
    assert file.plan is not None and file.plan.status is PlanStatus.APPROVED
    with pytest.raises(CaseFileRuleViolation, match="no drafted plan"):
        approved_plan(file, SUPERVISOR, NOW)
    with pytest.raises(CaseFileRuleViolation, match="only a drafted plan"):
        decide_plan_edit(
            file,
            PlanDrafted(
                case_id="c1",
                plan_id="p1",
                assessment_id="a1",
                items=[item("i3")],
                drafted_by="sw-1",
                drafted_at=NOW,
            ),
        )


def test_a_revision_is_the_next_version_and_keeps_completed_items() -> None:
    file, events = with_plan(item("i1"), item("i2", "CASH-01"))
    done = decide_item_completed(file, "i1", "r1", NOW)
    file = replay("c1", [*events, *done])
    revision = revised_plan(
        file, [item("i1"), item("i3", "EMP-01")], "lost his job", SUPERVISOR, NOW
    )

    assert revision.plan_version == 2
    after = evolve(file, revision)
    assert (
        after.plan is not None
        and after.plan.completed_items == {"i1"}
        and after.plan.open_items == ["i3"]
    )
    # Distinct ids are a rule of the items, answered 422 naming the field.
    with pytest.raises(InvalidPlanItems, match="item id i1 is used twice"):
        revised_plan(file, [item("i1"), item("i1")], "typo", SUPERVISOR, NOW)


def test_the_plan_completes_when_its_last_item_completes_and_redelivery_changes_nothing() -> None:
    file, events = with_plan(item("i1"), item("i2", "CASH-01"))
    first = decide_item_completed(file, "i1", "r1", NOW)
    assert [type(e) for e in first] == [PlanItemCompleted]
    file = replay("c1", [*events, *first])
    assert decide_item_completed(file, "i1", "r1", NOW) == []
    last = decide_item_completed(file, "i2", "r2", NOW)
    assert [type(e) for e in last] == [PlanItemCompleted, PlanCompleted]
    file = replay("c1", [*events, *first, *last])
    assert file.plan is not None and file.plan.status is PlanStatus.COMPLETED
    assert decide_item_completed(file, "i2", "r2", NOW) == []


def test_closing_needs_a_plan_and_happens_once() -> None:
    file, events = with_plan(item("i1"))
    closing = {
        "reason": ClosureReason.MOVED_AWAY,
        "note": None,
        "closed_by": SUPERVISOR,
        "now": NOW,
    }
    [closed] = decide_closure(file, **closing)  # type: ignore[arg-type]
    assert closed == PlanClosed(
        case_id="c1",
        plan_id=file.plan.plan_id if file.plan else "",
        reason="moved_away",
        closed_by=SUPERVISOR,
        closed_at=NOW,
    )
    after = replay("c1", [*events, closed])
    assert decide_closure(after, **closing) == []  # type: ignore[arg-type]
    # A case file with no plan: refused by the rule (409), not by the event's schema.
    with pytest.raises(CaseFileRuleViolation):
        decide_closure(assigned()[0], **closing)  # type: ignore[arg-type]


def test_the_care_register_holds_one_entry_per_category() -> None:
    file, events = assigned()
    added = CareRegisterEntryAdded(
        case_id="c1",
        entry_id="e1",
        category="lonely_elderly",
        district="1735207",
        decision_ref="D-7",
        decided_by=SUPERVISOR,
        decided_at=NOW,
    )
    file = replay("c1", [*events, *decide_care_entry(file, added)])
    with pytest.raises(CaseFileRuleViolation, match="already on the register"):
        decide_care_entry(file, added)
    removed = CareRegisterEntryRemoved(
        case_id="c1",
        entry_id="e1",
        reason="care_by_relatives",
        decided_by=SUPERVISOR,
        decided_at=NOW,
    )
    assert decide_care_removal(file, removed) == [removed]
    with pytest.raises(CaseFileRuleViolation, match="no register entry"):
        decide_care_removal(assigned()[0], removed)


def test_temporary_housing_is_at_most_six_months_never_overlaps_and_expires_when_due() -> None:
    file, events = assigned()

    def grant(start: date, end: date, reg: str = "h1") -> TemporaryHousingGranted:
        return TemporaryHousingGranted(
            case_id="c1",
            registration_id=reg,
            institution_code="INST-1",
            valid_from=start,
            valid_until=end,
            decided_by=SUPERVISOR,
            decided_at=NOW,
        )

    with pytest.raises(InvalidRegistration, match="at most 6 calendar months"):
        decide_housing(file, grant(date(2026, 1, 1), date(2026, 8, 1)), CURRENT_RULE)
    granted = grant(date(2026, 1, 1), date(2026, 6, 30))
    file = replay("c1", [*events, *decide_housing(file, granted, CURRENT_RULE)])
    with pytest.raises(CaseFileRuleViolation, match="already covers"):
        decide_housing(file, grant(date(2026, 6, 1), date(2026, 7, 1), "h2"), CURRENT_RULE)
    assert decide_housing_expiry(file, "h1", date(2026, 6, 30)) == []  # its last day
    expired = decide_housing_expiry(file, "h1", date(2026, 7, 1))
    assert [type(e) for e in expired] == [TemporaryHousingExpired]
    assert (
        decide_housing_expiry(replay("c1", [*events, granted, *expired]), "h1", date(2026, 7, 2))
        == []
    )
