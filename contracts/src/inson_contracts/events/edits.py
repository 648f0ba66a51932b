"""Offline tablets: an edit based on a stale version that overlaps newer data.

Stream: ``assessment-<case_id>``. A tablet in a mahalla may work offline for
hours; its commands carry the stream version they were based on. When the
case moved since and both sides changed the same answer or plan item, the
command is not applied: the conflict is recorded, with the value at the base
version, the current value and the submitted one, for a person to resolve.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from inson_contracts.events.assessment import HouseholdSituation
from inson_contracts.events.base import REGISTRY, Event, personal
from inson_contracts.events.values import Actor, Id, Note, PlanItem, Value
from inson_contracts.topics import ASSESSMENT_PLANS


class EditedCommand(StrEnum):
    ASSESSMENT_COMPLETION = "assessment_completion"
    PLAN_EDIT = "plan_edit"
    PLAN_REVISION = "plan_revision"


class ConflictingField(Value):
    """One answer or plan item both sides changed, in its three versions.

    Values are JSON text (``null`` when absent at that version): answers and
    plan goals are personal data, hence the marks.
    """

    path: str = Field(
        min_length=1,
        max_length=128,
        description="An answer ('housing', 'resources.owns_home') or 'items/<item_id>'.",
    )
    base: str = personal(max_length=20000, description="JSON at the base version.")
    current: str = personal(max_length=20000, description="JSON now in the case file.")
    submitted: str = personal(max_length=20000, description="JSON the tablet submitted.")


class EditConflicted(Event):
    """A stale tablet command overlapped newer changes and was not applied."""

    TYPE: ClassVar[str] = "uz.inson.assessment.edit.conflicted.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    conflict_id: Id
    command: EditedCommand
    base_version: int = Field(ge=0, description="The stream version the tablet had.")
    current_version: int = Field(ge=1, description="The stream version it met.")
    fields: list[ConflictingField] = Field(min_length=1, max_length=100)
    # What applying the tablet's command would write if the tablet wins: its
    # changes merged over the current data (theirs wins only where the
    # tablet did not touch). Exactly one of the three is set, per ``command``.
    proposed_situation: HouseholdSituation | None = None
    proposed_items: list[PlanItem] | None = Field(default=None, max_length=50)
    proposed_reason: Note | None = personal(default=None)
    submitted_by: Actor
    submitted_at: datetime


class ConflictResolution(StrEnum):
    KEEP_CURRENT = "keep_current"
    TAKE_SUBMITTED = "take_submitted"


class EditConflictResolved(Event):
    """A worker or supervisor settled a conflict (the applied edit, if any, follows)."""

    TYPE: ClassVar[str] = "uz.inson.assessment.conflict.resolved.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    conflict_id: Id
    resolution: ConflictResolution
    resolved_by: Actor
    resolved_at: datetime


REGISTRY.register(EditConflicted, EditConflictResolved)
