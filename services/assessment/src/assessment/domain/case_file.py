"""The social worker's case file: pure decisions over the assessment stream.

One stream per case (``assessment-<case_id>``) holds the assignment, the home
visit, the assessment, the register decisions and the plan, so every decision
about a case is checked against everything already decided about it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from inson_contracts.events import (
    AssessmentCompleted,
    AssessmentRecorded,
    CareRegisterEntryAdded,
    CareRegisterEntryRemoved,
    EditConflicted,
    EditConflictResolved,
    Event,
    HomeVisitScheduled,
    PlanApproved,
    PlanClosed,
    PlanCompleted,
    PlanDrafted,
    PlanItemCompleted,
    PlanRevised,
    PlanRevisionProposed,
    SocialWorkerAssigned,
    SocialWorkerReassigned,
    TemporaryHousingEndingSoon,
    TemporaryHousingExpired,
    TemporaryHousingGranted,
)
from inson_contracts.events.assessment import HouseholdSituation
from inson_contracts.events.values import PlanItem

from assessment.domain.housing import (
    HousingRule,
    InvalidRegistration,
    Registration,
    continued_by,
    refused,
    reminder_due,
    term_errors,
    with_expired,
    with_granted,
    with_reminded,
)


class CaseFileRuleViolation(Exception):
    """The command contradicts the case file (HTTP 409)."""


class CorruptCaseFile(Exception):
    """The stream holds an event its history cannot explain (a plan event with no plan).

    Events are written only through the decisions below, so this is a bug or
    a damaged store, never a user's mistake; folding stops rather than guess.
    """


class PlanStatus(StrEnum):
    NONE = "none"
    DRAFTED = "drafted"
    APPROVED = "approved"
    COMPLETED = "completed"
    CLOSED = "closed"


@dataclass(frozen=True)
class Proposal:
    """A revision waiting for the supervisor, and the items in force when it was proposed
    (approval merges it over what changed since, as a tablet's edit is merged)."""

    proposed: PlanRevisionProposed
    over: tuple[PlanItem, ...]


@dataclass(frozen=True)
class Plan:
    plan_id: str
    status: PlanStatus
    version: int = 0  # 0 while only drafted
    items: tuple[PlanItem, ...] = ()
    completed_items: frozenset[str] = frozenset()
    proposal: Proposal | None = None

    @property
    def open_items(self) -> list[str]:
        return [i.item_id for i in self.items if i.item_id not in self.completed_items]


@dataclass(frozen=True)
class CaseFile:
    case_id: str
    version: int = 0
    district: str | None = None
    mahalla: str | None = None
    worker_id: str | None = None
    visit_id: str | None = None
    assessment_id: str | None = None
    situation: HouseholdSituation | None = None
    completed_assessment: AssessmentCompleted | None = None
    plan: Plan | None = None
    care_entries: dict[str, CareRegisterEntryAdded] = field(default_factory=dict)
    # Every temporary housing registration, ended ones too (they are listed, and a
    # new one starting the day after one ended continues it).
    housing: dict[str, Registration] = field(default_factory=dict)
    # Stale tablet edits waiting for a person to settle them (see offline.py).
    conflicts: dict[str, EditConflicted] = field(default_factory=dict)

    @property
    def region(self) -> str | None:
        # SOATO district codes begin with their region's code.
        return self.district[:4] if self.district else None

    def require_assigned(self) -> str:
        if self.worker_id is None:
            raise CaseFileRuleViolation(f"case {self.case_id} has no social worker yet")
        return self.worker_id


def evolve(file: CaseFile, event: Event) -> CaseFile:
    file = replace(file, version=file.version + 1)
    match event:
        case SocialWorkerAssigned():
            return replace(
                file,
                worker_id=event.social_worker_id,
                district=event.district,
                mahalla=event.mahalla,
            )
        case SocialWorkerReassigned():
            return replace(file, worker_id=event.to_social_worker_id)
        case HomeVisitScheduled():
            return replace(file, visit_id=event.visit_id)
        case AssessmentRecorded():
            return replace(file, assessment_id=event.assessment_id, situation=event.situation)
        case AssessmentCompleted():
            return replace(file, completed_assessment=event)
        case PlanDrafted():
            return replace(
                file, plan=Plan(event.plan_id, PlanStatus.DRAFTED, 0, tuple(event.items))
            )
        case PlanApproved() | PlanRevised():
            completed = file.plan.completed_items if file.plan else frozenset()
            ids = {i.item_id for i in event.items}
            # A pending proposal waits on through revisions in force at once; one
            # the supervisor approved settles it.
            settled = isinstance(event, PlanApproved) or event.approved_by is not None
            plan = Plan(
                event.plan_id,
                PlanStatus.APPROVED,
                event.plan_version,
                tuple(event.items),
                completed & ids,
                None if settled or file.plan is None else file.plan.proposal,
            )
            return replace(file, plan=plan)
        case PlanRevisionProposed():
            plan = _plan_of(file, event)
            return replace(file, plan=replace(plan, proposal=Proposal(event, plan.items)))
        case PlanItemCompleted():
            plan = _plan_of(file, event)
            done = plan.completed_items | {event.item_id}
            return replace(file, plan=replace(plan, completed_items=done))
        case PlanCompleted():
            plan = replace(_plan_of(file, event), status=PlanStatus.COMPLETED, proposal=None)
            return replace(file, plan=plan)
        case PlanClosed():
            plan = replace(_plan_of(file, event), status=PlanStatus.CLOSED, proposal=None)
            return replace(file, plan=plan)
        case CareRegisterEntryAdded():
            return replace(file, care_entries={**file.care_entries, event.entry_id: event})
        case CareRegisterEntryRemoved():
            return replace(
                file,
                care_entries={k: v for k, v in file.care_entries.items() if k != event.entry_id},
            )
        case TemporaryHousingGranted():
            return replace(file, housing=with_granted(file.housing, event))
        case TemporaryHousingEndingSoon():
            return replace(file, housing=with_reminded(file.housing, event))
        case TemporaryHousingExpired():
            return replace(file, housing=with_expired(file.housing, event))
        case EditConflicted():
            return replace(file, conflicts={**file.conflicts, event.conflict_id: event})
        case EditConflictResolved():
            return replace(
                file,
                conflicts={k: v for k, v in file.conflicts.items() if k != event.conflict_id},
            )
    return file


def replay(case_id: str, events: Iterable[Event]) -> CaseFile:
    file = CaseFile(case_id)
    for event in events:
        file = evolve(file, event)
    return file


def decide_assignment(
    file: CaseFile,
    *,
    worker_id: str,
    mahalla: str,
    district: str,
    caseload_after: int,
    visit_id: str,
    visit_at: datetime,
    now: datetime,
) -> list[Event]:
    if file.worker_id is not None:
        return []  # a redelivered "case opened": already assigned
    return [
        SocialWorkerAssigned(
            case_id=file.case_id,
            social_worker_id=worker_id,
            mahalla=mahalla,
            district=district,
            caseload_after=caseload_after,
            assigned_at=now,
        ),
        HomeVisitScheduled(
            case_id=file.case_id,
            visit_id=visit_id,
            social_worker_id=worker_id,
            scheduled_for=visit_at,
            scheduled_at=now,
        ),
    ]


def decide_completion(
    file: CaseFile,
    recorded: AssessmentRecorded,
    completed: AssessmentCompleted,
    draft: PlanDrafted | None,
) -> list[Event]:
    """Record the visit's questionnaire, its score, and the plan drawn from it."""
    worker = file.require_assigned()
    if recorded.social_worker_id != worker:
        raise CaseFileRuleViolation(f"case {file.case_id} is assigned to another social worker")
    if file.plan is not None and file.plan.status is not PlanStatus.DRAFTED:
        raise CaseFileRuleViolation("the plan is already in force: revise it instead")
    events: list[Event] = [recorded, completed]
    if draft is not None:
        events.append(draft)
    return events


def _plan_of(file: CaseFile, event: Event) -> Plan:
    if file.plan is None:
        raise CorruptCaseFile(f"{file.case_id}: {type(event).__name__} before any plan")
    return file.plan


def decide_housing(
    file: CaseFile, granted: TemporaryHousingGranted, rule: HousingRule
) -> list[Event]:
    """A registration within the rule's term. One that runs on with an earlier one
    (overlapping, or no day between) only as the supervisor's decision: naming it in
    ``extends``, with a reason. The same registration asked again records nothing."""
    same = file.housing.get(granted.registration_id)
    if same is not None:
        if same.same_terms(granted):
            return []
        raise CaseFileRuleViolation("a temporary housing registration from that day exists")
    if errors := term_errors(granted.valid_from, granted.valid_until, rule):
        raise InvalidRegistration(errors)
    continued = {r.registration_id: r for r in continued_by(file.housing, granted)}
    if granted.extends is None:
        if continued:
            raise CaseFileRuleViolation(
                "a temporary housing registration already covers that period or runs on "
                "with it: continuing one is the supervisor's decision (name it in extends, "
                "with a reason)"
            )
        if granted.reason is not None:
            # A reason is the decision to continue one; alone it is personal text kept for nothing.
            raise refused("reason", "a reason goes with extends: this registration continues none")
        return [granted]
    earlier = continued.get(granted.extends)
    if earlier is None:
        raise refused(
            "extends",
            f"registration {granted.extends} is not one this registration continues "
            "(overlapping it, or with no day between)",
        )
    if not (granted.reason or "").strip():
        raise refused(
            "reason", "continuing a registration takes the supervisor's reason", "missing"
        )
    if earlier.extended_by is not None:
        raise CaseFileRuleViolation(
            f"registration {earlier.registration_id} is already continued by {earlier.extended_by}"
        )
    return [granted]


def decide_housing_expiry(file: CaseFile, registration_id: str, today: date) -> list[Event]:
    """Expired from the day after its last day (``today`` in Tashkent), once."""
    registration = file.housing.get(registration_id)
    if registration is None or registration.expired or registration.valid_until >= today:
        return []
    return [
        TemporaryHousingExpired(
            case_id=file.case_id,
            registration_id=registration_id,
            expired_on=registration.valid_until,
        )
    ]


def decide_housing_reminder(
    file: CaseFile, registration_id: str, today: date, rule: HousingRule, now: datetime
) -> list[Event]:
    """The person and the worker are to be told the end is near, once per registration."""
    registration = file.housing.get(registration_id)
    if registration is None or not reminder_due(registration, today, rule):
        return []
    return [
        TemporaryHousingEndingSoon(
            case_id=file.case_id,
            registration_id=registration_id,
            valid_until=registration.valid_until,
            lead_days=rule.reminder_days_before_end,
            rule=rule.rule,
            noticed_at=now,
        )
    ]


def decide_care_entry(file: CaseFile, added: CareRegisterEntryAdded) -> list[Event]:
    if any(e.category == added.category for e in file.care_entries.values()):
        raise CaseFileRuleViolation(f"the person is already on the register as {added.category}")
    return [added]


def decide_care_removal(file: CaseFile, removed: CareRegisterEntryRemoved) -> list[Event]:
    if removed.entry_id not in file.care_entries:
        raise CaseFileRuleViolation(f"no register entry {removed.entry_id} in this case")
    return [removed]


def due_by(today: date, target_days: int) -> date:
    return today + timedelta(days=target_days)
