"""What the assessment API takes and answers.

Requests are strict: a field the caller misspelt is an error, not something
dropped. Answers are typed views of the case file, built from the domain's
state and events by the ``of`` constructors.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from inson_contracts.events import (
    EditConflicted,
    PlanRevisionProposed,
)
from inson_contracts.events.assessment import HouseholdSituation, ScoreContribution
from inson_contracts.events.edits import ConflictResolution, EditedCommand
from inson_contracts.events.plans import ClosureReason
from inson_contracts.events.values import Actor, PlanItem
from inson_runtime.validation import as_json, as_json_items
from pydantic import BaseModel, ConfigDict, Field, field_validator

from assessment.domain.case_file import CaseFile
from assessment.domain.drafts import SavedDraft
from assessment.handlers.commands import Completion

BaseVersion = Field(
    default=None,
    ge=0,
    description=(
        "The case file version (X-Inson-Version) the tablet based this command on. "
        "Omitted: applied to the current version."
    ),
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _strict_items(value: Any) -> Any:
    return as_json_items(PlanItem, value)


class CompletionIn(Strict):
    situation: HouseholdSituation | None = Field(
        default=None, description="Omit to complete the saved draft."
    )
    base_version: int | None = BaseVersion

    @field_validator("situation", mode="before")
    @classmethod
    def _strict(cls, value: Any) -> Any:
        return as_json(HouseholdSituation, value)


class PlanEditIn(Strict):
    items: list[PlanItem] = Field(min_length=1, max_length=50)
    _items = field_validator("items", mode="before")(lambda cls, v: _strict_items(v))
    base_version: int | None = BaseVersion


class RevisionIn(Strict):
    items: list[PlanItem] = Field(max_length=50)
    _items = field_validator("items", mode="before")(lambda cls, v: _strict_items(v))
    reason: str = Field(min_length=1, max_length=2000)
    base_version: int | None = BaseVersion


class ResolutionIn(Strict):
    resolution: ConflictResolution


class ClosureIn(Strict):
    reason: ClosureReason
    note: str | None = Field(default=None, max_length=2000)


class NeedOut(BaseModel):
    """An assessed need: its code (what plan items name), the rule in words and why it holds
    (texts of the rule, never the household's data)."""

    need: str
    summary: str
    reasons: list[str]


class AssessmentOut(BaseModel):
    assessment_id: str
    need_score: float
    need_level: str
    score_model: str
    contributions: list[ScoreContribution]
    eligible_services: list[str]
    plan_items: list[PlanItem] = Field(
        description="The drafted plan: the services that answer an assessed need"
    )
    needs: list[NeedOut] = Field(
        default_factory=list, description="What the assessment found the household needs"
    )
    offered_services: list[str] = Field(
        default_factory=list,
        description="Eligible but not needed (or excluded by a drafted service): offered, not "
        "drafted; the worker adds one to the plan if the person wants it",
    )

    @classmethod
    def of(cls, done: Completion) -> AssessmentOut:
        completed, plan = done.completed, done.plan
        return cls(
            assessment_id=completed.assessment_id,
            need_score=completed.need_score,
            need_level=completed.need_level.value,
            score_model=completed.score_model,
            contributions=list(completed.contributions),
            eligible_services=list(completed.eligible_services),
            plan_items=list(plan.items) if plan else [],
            needs=[
                NeedOut(need=n.code, summary=n.summary, reasons=list(n.reasons)) for n in done.needs
            ],
            offered_services=list(done.offered),
        )


class RevisionProposedOut(BaseModel):
    """A revision that adds services, proposed: the plan in force is unchanged until a
    supervisor approves it."""

    status: str = "proposed"
    plan_id: str
    added_services: list[str]
    proposed_by: Actor
    proposed_at: datetime

    @classmethod
    def of(cls, proposed: PlanRevisionProposed) -> RevisionProposedOut:
        return cls(
            plan_id=proposed.plan_id,
            added_services=list(proposed.added_services),
            proposed_by=proposed.proposed_by,
            proposed_at=proposed.proposed_at,
        )


class DraftView(BaseModel):
    """The saved questionnaire draft, as far as the worker got."""

    draft: Any = Field(description="The questionnaire as saved, unvalidated")
    saved_by: str | None
    saved_at: datetime | None
    revision: int = Field(description="Send it back as base_revision with the next save")

    @classmethod
    def of(cls, saved: SavedDraft | None) -> DraftView:
        if saved is None:
            return cls(draft=None, saved_by=None, saved_at=None, revision=0)
        return cls(
            draft=saved.draft,
            saved_by=saved.saved_by,
            saved_at=saved.saved_at,
            revision=saved.revision,
        )


class ConflictingFieldView(BaseModel):
    """One clashing answer or plan item: its value at the base, now, and as submitted."""

    path: str
    # Each None once the person's data was erased (crypto-shredding).
    base: Any
    current: Any
    submitted: Any


class ConflictView(BaseModel):
    """A stale tablet edit as the tablet and the supervisor see it: three values side by side."""

    conflict_id: str
    command: EditedCommand
    base_version: int
    current_version: int
    fields: list[ConflictingFieldView]
    proposed_situation: dict[str, Any] | None = Field(
        description="The questionnaire the tablet proposes (its changes over the current one)"
    )
    proposed_items: list[dict[str, Any]] | None = Field(
        description="The plan items the tablet proposes (its changes over the current ones)"
    )
    proposed_reason: str | None
    submitted_by: Actor
    submitted_at: str = Field(description="RFC 3339")

    @classmethod
    def of(cls, conflict: EditConflicted) -> ConflictView:
        return cls(
            conflict_id=conflict.conflict_id,
            command=conflict.command,
            base_version=conflict.base_version,
            current_version=conflict.current_version,
            fields=[
                ConflictingFieldView(
                    path=f.path,
                    base=_json_or_none(f.base),
                    current=_json_or_none(f.current),
                    submitted=_json_or_none(f.submitted),
                )
                for f in conflict.fields
            ],
            proposed_situation=(
                conflict.proposed_situation.model_dump(mode="json")
                if conflict.proposed_situation
                else None
            ),
            proposed_items=(
                [i.model_dump(mode="json") for i in conflict.proposed_items]
                if conflict.proposed_items is not None
                else None
            ),
            proposed_reason=conflict.proposed_reason,
            submitted_by=conflict.submitted_by,
            submitted_at=conflict.submitted_at.isoformat(),
        )


def _json_or_none(text: str | None) -> Any:
    return None if text is None else json.loads(text)


class AssessmentAsOf(BaseModel):
    assessment_id: str
    situation: dict[str, Any] | None = Field(description="The questionnaire then")
    score_model: str
    need_score: float
    need_level: str
    contributions: list[ScoreContribution]
    eligible_services: list[str]
    completed_by: str
    completed_at: datetime


class PlanAsOf(BaseModel):
    plan_id: str
    status: str
    version: int = Field(description="The plan version in force (0 while only drafted)")
    items: list[dict[str, Any]]
    completed_items: list[str]


class AsOfView(BaseModel):
    """The case file as it was known at a moment."""

    case_id: str
    at: datetime
    version: int
    last_event_at: datetime | None
    worker_id: str | None
    district: str | None
    mahalla: str | None
    assessment: AssessmentAsOf | None
    plan: PlanAsOf | None
    open_conflicts: list[str]

    @classmethod
    def of(cls, file: CaseFile, at: datetime, last_event_at: datetime | None) -> AsOfView:
        completed = file.completed_assessment
        plan = file.plan
        return cls(
            case_id=file.case_id,
            at=at,
            version=file.version,
            last_event_at=last_event_at,
            worker_id=file.worker_id,
            district=file.district,
            mahalla=file.mahalla,
            assessment=None
            if completed is None
            else AssessmentAsOf(
                assessment_id=completed.assessment_id,
                situation=file.situation.model_dump(mode="json") if file.situation else None,
                score_model=completed.score_model,
                need_score=completed.need_score,
                need_level=completed.need_level.value,
                contributions=list(completed.contributions),
                eligible_services=list(completed.eligible_services),
                completed_by=completed.completed_by,
                completed_at=completed.completed_at,
            ),
            plan=None
            if plan is None
            else PlanAsOf(
                plan_id=plan.plan_id,
                status=plan.status.value,
                version=plan.version,
                items=[i.model_dump(mode="json") for i in plan.items],
                completed_items=sorted(plan.completed_items),
            ),
            open_conflicts=sorted(file.conflicts),
        )
