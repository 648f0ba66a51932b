"""Assessment's use cases, as the tablet and the supervisor's desk call them.

Each method loads the case file, checks that it is the caller's to act on
(their own cases and mahallas for a social worker, their district for a
supervisor), decides with the pure rules of ``domain/`` and records the
events. Tablet commands based on an older version go through the merge of
``tablets.py``. Refusals are the exceptions of ``errors.py`` and the domain's
``CaseFileRuleViolation``; the API turns them into answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from inson_contracts.codes.staff import workers_covering
from inson_contracts.events import (
    AssessmentCompleted,
    ConflictResolution,
    EditConflicted,
    Event,
    PlanDrafted,
    SocialWorkerReassigned,
)
from inson_contracts.events.assessment import AssignmentReason, HouseholdSituation
from inson_runtime.apikit import actor_of
from inson_runtime.auth import Principal
from inson_runtime.validation import forbid_unknown
from pydantic import ValidationError

from assessment.domain import case_file as rules
from assessment.domain.assignment import NoWorkerCovers, choose_worker
from assessment.domain.case_file import CaseFile
from assessment.domain.completion import Visit, completion
from assessment.domain.disability import disability_errors
from assessment.domain.drafts import SavedDraft, draft_errors
from assessment.domain.housing import CURRENT_RULE, HousingRule
from assessment.domain.needs import AssessedNeed
from assessment.domain.offline import decide_resolution
from assessment.handlers.case_files import (
    CaseFiles,
    at_version,
    based,
    case_file_for,
    decided,
    derived_id,
    record,
)
from assessment.handlers.errors import DraftConflict, NotFound, Refused, Unprocessable
from assessment.handlers.plans import PlanCommands, approves
from assessment.handlers.ports import CaseFacts, Caseloads, Drafts
from assessment.handlers.registers import RegisterCommands
from assessment.handlers.tablets import Applied, merge_answers, proposal


@dataclass(frozen=True)
class Completion:
    completed: AssessmentCompleted
    plan: PlanDrafted | None
    applied: Applied
    # What the drafted items answer, and the eligible services not drafted.
    needs: tuple[AssessedNeed, ...] = ()
    offered: tuple[str, ...] = ()


class Assessments(PlanCommands, RegisterCommands):
    """Every use case of the API; the plan's own (edit, approve, revise, close) are in
    ``plans.py``, the registers' (care, temporary housing) in ``registers.py``."""

    def __init__(
        self,
        files: CaseFiles,
        *,
        caseloads: Caseloads,
        drafts: Drafts,
        facts: CaseFacts,
        housing_rule: HousingRule = CURRENT_RULE,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.files = files
        self.caseloads = caseloads
        self.drafts = drafts
        self.facts = facts
        self.housing_rule = housing_rule
        self.clock = clock

    async def save_draft(
        self, caller: Principal, case_id: str, draft: dict[str, Any], base_revision: int | None
    ) -> int:
        """Save the questionnaire as far as it goes; the new revision. A stale save is refused,
        and so is a document the store could not keep as it is (``domain/drafts.py``)."""
        await case_file_for(self.files, caller, case_id)
        if errors := draft_errors(draft):
            raise Unprocessable([{**e, "loc": ["body", *e["loc"]]} for e in errors])
        if base_revision is None:
            latest = await self.drafts.latest(case_id)
            base_revision = latest.revision if latest else 0
        saved = SavedDraft(draft, caller.sub, self.clock(), base_revision + 1)
        if not await self.drafts.save(case_id, saved):
            raise DraftConflict(base_revision, await self.drafts.latest(case_id), draft)
        return saved.revision

    async def draft(self, caller: Principal, case_id: str) -> SavedDraft:
        await case_file_for(self.files, caller, case_id)
        saved = await self.drafts.latest(case_id)
        if saved is None:
            raise NotFound("no draft saved for this case")
        return saved

    async def complete(
        self,
        caller: Principal,
        case_id: str,
        situation: HouseholdSituation | None,
        base_version: int | None,
    ) -> Completion:
        """Score the questionnaire (or the saved draft), find eligible services, draft a plan."""
        file, base = await based(self.files, caller, case_id, base_version)
        if situation is not None:
            _check_disability(situation, ("body", "situation"))
            submitted = situation
        else:
            submitted = await self._drafted(case_id)
        merged = await merge_answers(
            self.files, file, base, submitted, by=actor_of(caller), now=self.clock()
        )
        visit = await self._assessed(file, merged.content)
        version = await self._decide(
            file,
            lambda: rules.decide_completion(file, visit.recorded, visit.completed, visit.plan),
        )
        await self.drafts.discard(case_id)
        applied = Applied(version, merged.merged_from)
        return Completion(visit.completed, visit.plan, applied, visit.needs, visit.offered)

    async def conflicts(self, caller: Principal, case_id: str) -> list[EditConflicted]:
        """Open conflicts of stale tablet edits."""
        return list((await case_file_for(self.files, caller, case_id)).conflicts.values())

    async def resolve(
        self, caller: Principal, case_id: str, conflict_id: str, resolution: ConflictResolution
    ) -> Applied:
        """Keep the current data, or apply the tablet's proposal (merged over anything newer)."""
        file = await case_file_for(self.files, caller, case_id)
        conflict = file.conflicts.get(conflict_id)
        if conflict is None:
            raise NotFound(f"no open conflict {conflict_id} in this case")
        applied: list[Event] = []
        if resolution is ConflictResolution.TAKE_SUBMITTED:
            file, then = await at_version(self.files, caller, case_id, conflict.current_version)
            applied = await proposal(
                conflict,
                file,
                then,
                assess=lambda situation: self._completion(file, situation),
                by=actor_of(caller),
                now=self.clock(),
                approver=approves(caller),
            )
        now = self.clock()
        version = await self._decide(
            file,
            lambda: decide_resolution(
                file, conflict_id, resolution, applied, actor_of(caller), now
            ),
            commit_id=f"resolve:{conflict_id}",
        )
        return Applied(version)

    async def reassign(
        self,
        caller: Principal,
        case_id: str,
        to_worker_id: str | None,
        reason: AssignmentReason,
        note: str | None,
    ) -> None:
        """Give the case to another worker: the one named, or the least loaded who covers it."""
        file = await case_file_for(self.files, caller, case_id)
        current = file.require_assigned()
        target = to_worker_id
        if target is None:
            covering = workers_covering(file.mahalla or "")
            loads = await self.caseloads.of([w.worker_id for w in covering])
            try:
                chosen = choose_worker(file.mahalla or "", covering, loads, exclude={current})
            except NoWorkerCovers:
                raise Refused("no other social worker covers this mahalla") from None
            target = chosen.worker_id
        if target == current:
            raise Refused("the case is already with that social worker")
        await self._decide(
            file,
            lambda: [
                SocialWorkerReassigned(
                    case_id=case_id,
                    from_social_worker_id=current,
                    to_social_worker_id=target,
                    reason=reason,
                    note=note,
                    reassigned_by=actor_of(caller),
                    reassigned_at=self.clock(),
                )
            ],
        )

    async def as_of(
        self, caller: Principal, case_id: str, at: datetime
    ) -> tuple[CaseFile, datetime | None]:
        """The case file as it was known at ``at``, and when its last event then was recorded.

        Whether the caller may see it is judged on today's case file.
        """
        await case_file_for(self.files, caller, case_id)
        then, last_event_at = await self.files.load_as_of(case_id, at)
        if then.version == 0:
            raise NotFound(f"nothing was recorded about case {case_id} by {at.isoformat()}")
        return then, last_event_at

    async def _decide(
        self, file: CaseFile, decide: Callable[[], list[Event]], *, commit_id: str | None = None
    ) -> int:
        """Record the decision's events; the stream version after them."""
        result = await record(self.files, file, decided(decide), commit_id=commit_id)
        return result.commit.last_version if result else file.version

    async def _drafted(self, case_id: str) -> HouseholdSituation:
        """The saved draft as a questionnaire, its errors named under ``draft``."""
        saved = await self.drafts.latest(case_id)
        if saved is None:
            raise Unprocessable("no situation given and no draft saved")
        try:
            forbid_unknown(HouseholdSituation, saved.draft)
            situation = HouseholdSituation.model_validate(saved.draft)
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_context=False)
            raise Unprocessable([{**e, "loc": ["draft", *e["loc"]]} for e in errors]) from None
        except ValueError as exc:
            raise Unprocessable([{"loc": ["draft"], "msg": str(exc)}]) from None
        _check_disability(situation, ("draft",))
        return situation

    async def _assessed(self, file: CaseFile, situation: HouseholdSituation) -> Visit:
        """The completed visit's events; the score weighs what intake said of the case too."""
        return completion(
            file,
            situation,
            await self.facts.circumstances(file.case_id),
            worker_id=file.require_assigned(),
            assessment_id=derived_id("assessment", file.case_id, str(file.version)),
            new_plan_id=derived_id("plan", file.case_id),
            now=self.clock(),
        )

    async def _completion(self, file: CaseFile, situation: HouseholdSituation) -> list[Event]:
        visit = await self._assessed(file, situation)
        return rules.decide_completion(file, visit.recorded, visit.completed, visit.plan)


def _check_disability(situation: HouseholdSituation, at: tuple[str, ...]) -> None:
    """Each member's disability status fits their age (``domain/disability.py``), or 422."""
    if errors := disability_errors(situation):
        raise Unprocessable([{**e, "loc": [*at, *e["loc"]]} for e in errors])
