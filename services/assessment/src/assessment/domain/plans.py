"""The individual plan's decisions: edit the draft, approve, revise or propose, complete, close.

Every set of items a plan is given passes the checks of ``plan_items.py``.
Who must approve what, as the first plan does:

- the drafted plan goes into force when a supervisor approves it;
- a revision that adds a service the plan in force does not have waits for
  the supervisor (``PlanRevisionProposed``; the plan in force is unchanged)
  unless a supervisor makes it, and a later proposal replaces it;
- a revision that only removes items, plans an existing service again (a
  refused or expired item kept under its id is referred again) or changes
  priorities, dates, goals or providers is in force at once; a service
  added back after a revision removed it (its referral cancelled) is an
  addition again, and is referred again under its id once approved;
- approving a proposal merges it over what changed in the plan since it was
  proposed, item by item as a tablet's edit is merged; a clash is refused.
"""

from __future__ import annotations

from datetime import datetime

from inson_contracts.events import (
    Event,
    PlanApproved,
    PlanClosed,
    PlanCompleted,
    PlanDrafted,
    PlanItemCompleted,
    PlanRevised,
    PlanRevisionProposed,
)
from inson_contracts.events.plans import ClosureReason
from inson_contracts.events.values import Actor, PlanItem

from assessment.domain.case_file import CaseFile, CaseFileRuleViolation, PlanStatus
from assessment.domain.offline import reconcile_items
from assessment.domain.plan_items import require_valid

# A proposal's reason is personal: erased, its approval still needs one.
ERASED_REASON = "proposed revision approved"


def decide_plan_edit(file: CaseFile, draft: PlanDrafted) -> list[Event]:
    if file.plan is None or file.plan.status is not PlanStatus.DRAFTED:
        raise CaseFileRuleViolation("only a drafted plan can be edited")
    if draft.plan_id != file.plan.plan_id:
        raise CaseFileRuleViolation("that is not this case's plan")
    return [draft]


def edited_plan(
    file: CaseFile, items: list[PlanItem], drafted_by: str, now: datetime, *, new_plan_id: str
) -> list[Event]:
    """The drafted plan with the worker's items in place of its own.

    An assessment that found no need the household is eligible for drafted
    no plan: the worker's first edit drafts it (``new_plan_id``), from the
    services offered.
    """
    plan = file.plan
    if plan is None and file.completed_assessment is None:
        raise CaseFileRuleViolation("only a drafted plan can be edited: complete the assessment")
    _, district, _, _ = _placed(file)
    require_valid(items, district)
    draft = PlanDrafted(
        case_id=file.case_id,
        plan_id=plan.plan_id if plan else new_plan_id,
        assessment_id=file.assessment_id or "none",
        items=items,
        drafted_by=drafted_by,
        drafted_at=now,
    )
    return [draft] if plan is None else decide_plan_edit(file, draft)


def _placed(file: CaseFile) -> tuple[str, str, str, str]:
    """Region, district, mahalla and worker of a case file that has a plan.

    A plan is drafted after the assessment, which follows the assignment that
    placed the case; a file without them cannot have a plan to put in force.
    """
    if not (file.region and file.district and file.mahalla and file.worker_id):
        raise CaseFileRuleViolation("the case file has no assigned worker and place yet")
    return file.region, file.district, file.mahalla, file.worker_id


def approved_plan(file: CaseFile, approved_by: Actor, now: datetime) -> PlanApproved:
    """The approval of the drafted plan (raises if there is none)."""
    plan = file.plan
    if plan is None or plan.status is not PlanStatus.DRAFTED:
        raise CaseFileRuleViolation("there is no drafted plan to approve")
    region, district, mahalla, worker_id = _placed(file)
    require_valid(plan.items, district, loc=("plan", "items"))
    return PlanApproved(
        case_id=file.case_id,
        plan_id=plan.plan_id,
        plan_version=1,
        region=region,
        district=district,
        mahalla=mahalla,
        social_worker_id=worker_id,
        items=list(plan.items),
        approved_by=approved_by,
        approved_at=now,
    )


def decide_approval(file: CaseFile, approved_by: Actor, now: datetime) -> list[Event]:
    """The drafted plan into force, or the revision proposed for the plan in force."""
    plan = file.plan
    if plan is None or plan.status is not PlanStatus.APPROVED:
        return [approved_plan(file, approved_by, now)]
    proposal = plan.proposal
    if proposal is None:
        raise CaseFileRuleViolation("there is no drafted plan to approve, nor a proposed revision")
    merged = reconcile_items(list(proposal.over), list(plan.items), proposal.proposed.items)
    if merged.conflicts:
        paths = ", ".join(c.path for c in merged.conflicts)
        raise CaseFileRuleViolation(
            f"the plan changed since the revision was proposed, in the same items ({paths}): "
            "the worker proposes it again"
        )
    proposed = proposal.proposed
    return [
        revised_plan(
            file,
            merged.merged,
            proposed.reason or ERASED_REASON,
            proposed.proposed_by,
            now,
            approved_by=approved_by,
        )
    ]


def added_services(file: CaseFile, items: list[PlanItem]) -> list[str]:
    """The services in ``items`` that the plan in force does not have."""
    in_force = {i.service_code for i in file.plan.items} if file.plan else set()
    return sorted({i.service_code for i in items} - in_force)


def revised_plan(
    file: CaseFile,
    items: list[PlanItem],
    reason: str,
    revised_by: Actor,
    now: datetime,
    *,
    approved_by: Actor | None = None,
) -> PlanRevised:
    plan = file.plan
    if plan is None or plan.status is not PlanStatus.APPROVED:
        raise CaseFileRuleViolation("only a plan in force can be revised")
    region, district, mahalla, worker_id = _placed(file)
    done = [i for i in plan.items if i.item_id in plan.completed_items]
    require_valid(items, district, completed=done)
    return PlanRevised(
        case_id=file.case_id,
        plan_id=plan.plan_id,
        plan_version=plan.version + 1,
        region=region,
        district=district,
        mahalla=mahalla,
        social_worker_id=worker_id,
        items=items,
        reason=reason,
        revised_by=revised_by,
        revised_at=now,
        approved_by=approved_by,
    )


def decide_revision(
    file: CaseFile,
    items: list[PlanItem],
    reason: str,
    by: Actor,
    now: datetime,
    *,
    approver: bool,
) -> list[Event]:
    """A revision in force at once, or, adding services and not made by an approver,
    proposed to the supervisor."""
    revision = revised_plan(file, items, reason, by, now)  # every check, whichever it becomes
    added = added_services(file, items)
    if not added:
        return [revision]
    if approver:
        return [revision.model_copy(update={"approved_by": by})]
    return [
        PlanRevisionProposed(
            case_id=file.case_id,
            plan_id=revision.plan_id,
            items=items,
            added_services=added,
            reason=reason,
            proposed_by=by,
            proposed_at=now,
        )
    ]


def decide_item_completed(
    file: CaseFile, item_id: str, referral_id: str, now: datetime
) -> list[Event]:
    """A referral was completed: its item is done, and the plan when all are."""
    plan = file.plan
    if plan is None or plan.status is not PlanStatus.APPROVED:
        return []  # closed or completed meanwhile: nothing left to track
    if item_id in plan.completed_items or item_id not in {i.item_id for i in plan.items}:
        return []  # redelivered, or an item a revision withdrew
    done: list[Event] = [
        PlanItemCompleted(
            case_id=file.case_id,
            plan_id=plan.plan_id,
            item_id=item_id,
            referral_id=referral_id,
            completed_at=now,
        )
    ]
    if set(plan.open_items) == {item_id}:
        done.append(
            PlanCompleted(
                case_id=file.case_id,
                plan_id=plan.plan_id,
                plan_version=plan.version,
                completed_by=file.worker_id or "system",
                completed_at=now,
            )
        )
    return done


def decide_closure(
    file: CaseFile,
    *,
    reason: ClosureReason,
    note: str | None,
    closed_by: Actor,
    now: datetime,
) -> list[Event]:
    """Close the case's plan (once); refused when there is none.

    The event is built here, after the check: a case file without a plan has
    no plan id to name, and an event built first would fail its own schema.
    """
    plan = file.plan
    if plan is None:
        raise CaseFileRuleViolation("there is no plan to close")
    if plan.status is PlanStatus.CLOSED:
        return []
    return [
        PlanClosed(
            case_id=file.case_id,
            plan_id=plan.plan_id,
            reason=reason,
            note=note,
            closed_by=closed_by,
            closed_at=now,
        )
    ]
