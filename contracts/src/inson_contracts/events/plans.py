"""The individual social services plan, from draft to closure.

Stream: ``assessment-<case_id>`` (the plan lives with its case's assessment).
Approved and revised plans carry their items whole, so the referral service
routes them without asking anyone.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from inson_contracts.events.base import REGISTRY, Event, personal
from inson_contracts.events.values import (
    Actor,
    ActorId,
    DistrictCode,
    Id,
    MahallaCode,
    Note,
    PlanItem,
    RegionCode,
    ServiceCode,
)
from inson_contracts.topics import ASSESSMENT_PLANS


class PlanDrafted(Event):
    """The social worker drew up a plan from the assessment; not yet in force."""

    TYPE: ClassVar[str] = "uz.inson.assessment.plan.drafted.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    plan_id: Id
    assessment_id: Id
    items: list[PlanItem] = Field(min_length=1, max_length=50)
    drafted_by: ActorId
    drafted_at: datetime


class PlanApproved(Event):
    """The plan is in force: its items become referrals."""

    TYPE: ClassVar[str] = "uz.inson.assessment.plan.approved.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    plan_id: Id
    plan_version: int = Field(ge=1)
    region: RegionCode
    district: DistrictCode
    mahalla: MahallaCode
    social_worker_id: ActorId
    items: list[PlanItem] = Field(min_length=1, max_length=50)
    approved_by: Actor
    approved_at: datetime


class PlanRevised(Event):
    """Life changed: a new version of the plan, in force at once, with all its items.

    Items whose ``item_id`` disappeared are withdrawn; new ids are new services.
    """

    TYPE: ClassVar[str] = "uz.inson.assessment.plan.revised.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    plan_id: Id
    plan_version: int = Field(ge=2)
    region: RegionCode
    district: DistrictCode
    mahalla: MahallaCode
    social_worker_id: ActorId
    items: list[PlanItem] = Field(max_length=50)
    reason: Note = personal(min_length=1)
    revised_by: Actor
    revised_at: datetime
    approved_by: Actor | None = Field(
        default=None,
        description="The supervisor who approved the revision, when it needed approval "
        "(it added a service the plan in force did not have; see PlanRevisionProposed).",
    )


class PlanRevisionProposed(Event):
    """A revision that adds services waits for the supervisor, as the first plan did.

    Approved, it is recorded as PlanRevised (``approved_by`` set) and goes into
    force; until then the plan in force is unchanged. A later proposal replaces
    this one.
    """

    TYPE: ClassVar[str] = "uz.inson.assessment.plan.revision_proposed.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    plan_id: Id
    items: list[PlanItem] = Field(min_length=1, max_length=50)
    added_services: list[ServiceCode] = Field(
        min_length=1, description="The services the plan in force does not have."
    )
    reason: Note = personal(min_length=1)
    proposed_by: Actor
    proposed_at: datetime


class PlanItemCompleted(Event):
    """The referral for one item of the plan was completed."""

    TYPE: ClassVar[str] = "uz.inson.assessment.planitem.completed.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    plan_id: Id
    item_id: Id
    referral_id: Id
    completed_at: datetime


class PlanCompleted(Event):
    """Every item of the plan was delivered: the goal was reached."""

    TYPE: ClassVar[str] = "uz.inson.assessment.plan.completed.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    plan_id: Id
    plan_version: int = Field(ge=1)
    outcome: Note | None = personal(default=None)
    completed_by: ActorId
    completed_at: datetime


class ClosureReason(StrEnum):
    GOALS_REACHED = "goals_reached"
    DECLINED_BY_PERSON = "declined_by_person"
    MOVED_AWAY = "moved_away"
    DECEASED = "deceased"
    DUPLICATE_CASE = "duplicate_case"
    NO_LONGER_ELIGIBLE = "no_longer_eligible"


class PlanClosed(Event):
    """The plan ends, completed or not; open referrals are cancelled."""

    TYPE: ClassVar[str] = "uz.inson.assessment.plan.closed.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    plan_id: Id
    reason: ClosureReason
    note: Note | None = personal(default=None)
    closed_by: Actor
    closed_at: datetime


REGISTRY.register(
    PlanDrafted,
    PlanApproved,
    PlanRevised,
    PlanItemCompleted,
    PlanCompleted,
    PlanClosed,
    PlanRevisionProposed,
)
