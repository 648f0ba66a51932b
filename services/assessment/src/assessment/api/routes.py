"""Assessment's HTTP API: the worker's tablet and the supervisor's desk."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Body, Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.codes.staff import workers_covering
from inson_contracts.events import (
    REGISTRY,
    CareRegisterEntryAdded,
    CareRegisterEntryRemoved,
    ConflictResolution,
    EditConflicted,
    EditedCommand,
    Event,
    PlanClosed,
    PlanDrafted,
    SocialWorkerReassigned,
    TemporaryHousingGranted,
)
from inson_contracts.events.assessment import AssignmentReason, HouseholdSituation
from inson_contracts.events.plans import ClosureReason
from inson_contracts.events.registers import CareRegisterCategory, CareRegisterRemovalReason
from inson_contracts.events.values import Actor, PlanItem
from inson_runtime.apikit import Problem
from inson_runtime.audit import Audit, fields_of
from inson_runtime.auth import Principal, Role, require_roles
from inson_runtime.eventstore import AppendResult
from inson_runtime.validation import forbid_unknown
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pymongo.errors import DuplicateKeyError

from assessment.domain import case_file as rules
from assessment.domain.assignment import NoWorkerCovers, choose_worker
from assessment.domain.case_file import CaseFile, CaseFileRuleViolation
from assessment.domain.offline import (
    Reconciled,
    conflicted,
    decide_resolution,
    plan_items,
    reconcile_answers,
    reconcile_items,
)
from assessment.handlers.commands import Assessments, StaleBaseAhead, UnknownCaseFile, derived_id
from assessment.projections.views import CASE_FACTS, CASE_FILES

_T = TypeVar("_T")
router = APIRouter(prefix="/v1", tags=["assessment"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No such case file"},
    409: {"model": Problem, "description": "Not allowed in the case file's current state"},
}
# A tablet command based on a stale version whose changes overlap newer ones.
TABLET_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    409: {
        "description": (
            "Not allowed in the case file's current state; or, with `conflict_id` in the "
            "body, the command was based on a stale `base_version`, overlapped newer changes "
            "and was recorded as a conflict (not applied; do not retry: resolve it)"
        )
    },
}
# Answer headers for tablets: the stream version after the command (the next
# command's base_version), and the base a stale command was merged from.
VERSION_HEADER = "X-Inson-Version"
MERGED_HEADER = "X-Inson-Merged-From"
BaseVersion = Field(
    default=None,
    ge=0,
    description=(
        "The case file version (X-Inson-Version) the tablet based this command on. "
        "Omitted: applied to the current version."
    ),
)
Worker = Annotated[
    Principal, Depends(require_roles(Role.SOCIAL_WORKER, Role.SUPERVISOR, Role.ADMIN))
]
Supervisor = Annotated[Principal, Depends(require_roles(Role.SUPERVISOR, Role.ADMIN))]
DRAFTS = "assessment_drafts"


def _assessments(request: Request) -> Assessments:
    service: Assessments = request.app.state.assessments
    return service


Service = Annotated[Assessments, Depends(_assessments)]


def _actor(principal: Principal) -> Actor:
    return Actor(id=principal.sub, role=principal.role.value)


async def _file_for(service: Assessments, principal: Principal, case_id: str) -> CaseFile:
    try:
        file = await service.load_existing(case_id)
    except UnknownCaseFile:
        raise HTTPException(404, f"no case file {case_id}") from None
    return _in_scope(principal, file)


async def _files_for(
    service: Assessments, principal: Principal, case_id: str, base_version: int | None
) -> tuple[CaseFile, CaseFile | None]:
    """The case file now and, for a tablet command, as it was at its base version."""
    if base_version is None:
        return await _file_for(service, principal, case_id), None
    try:
        file, base = await service.load_with_base(case_id, base_version)
    except StaleBaseAhead as exc:
        raise HTTPException(422, [{"loc": ["body", "base_version"], "msg": str(exc)}]) from None
    if file.worker_id is None:
        raise HTTPException(404, f"no case file {case_id}")
    return _in_scope(principal, file), base


def _in_scope(principal: Principal, file: CaseFile) -> CaseFile:
    scope = principal.scope
    if (
        principal.role is Role.SOCIAL_WORKER
        and file.worker_id != principal.sub
        and file.mahalla not in scope.mahallas
    ):
        raise HTTPException(403, "this case is assigned to another social worker")
    if principal.role is Role.SUPERVISOR and scope.district != file.district:
        raise HTTPException(403, f"district {file.district} is outside your scope")
    return file


async def _decide(
    service: Assessments,
    file: CaseFile,
    build: Callable[[], list[Event]],
    *,
    commit_id: str | None = None,
    response: Response | None = None,
) -> AppendResult | None:
    try:
        events = build()
    except CaseFileRuleViolation as exc:
        raise HTTPException(409, str(exc)) from None
    except ValidationError as exc:
        raise HTTPException(
            422, jsonable_encoder(exc.errors(include_url=False, include_context=False))
        ) from None
    result = await service.record(file, events, commit_id=commit_id)
    if response is not None:
        version = result.commit.last_version if result else file.version
        response.headers[VERSION_HEADER] = str(version)
    return result


class ConflictRecorded(Exception):
    """A stale tablet command was recorded as a conflict instead of being applied."""

    def __init__(self, conflict: EditConflicted) -> None:
        super().__init__(conflict.conflict_id)
        self.conflict = conflict


def conflict_view(conflict: EditConflicted) -> dict[str, Any]:
    """A conflict as the tablet and the supervisor see it: the three values side by side."""
    return {
        "conflict_id": conflict.conflict_id,
        "command": conflict.command.value,
        "base_version": conflict.base_version,
        "current_version": conflict.current_version,
        "fields": [
            {
                "path": f.path,
                # None once the person's data was erased (crypto-shredding).
                "base": _json_or_none(f.base),
                "current": _json_or_none(f.current),
                "submitted": _json_or_none(f.submitted),
            }
            for f in conflict.fields
        ],
        "proposed_situation": (
            conflict.proposed_situation.model_dump(mode="json")
            if conflict.proposed_situation
            else None
        ),
        "proposed_items": (
            [i.model_dump(mode="json") for i in conflict.proposed_items]
            if conflict.proposed_items is not None
            else None
        ),
        "proposed_reason": conflict.proposed_reason,
        "submitted_by": conflict.submitted_by.model_dump(),
        "submitted_at": conflict.submitted_at.isoformat(),
    }


def _json_or_none(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def install_conflict_answer(app: FastAPI) -> None:
    async def answer(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ConflictRecorded)
        detail = (
            "the case file changed since base_version on the same answers or plan items; "
            "the command was recorded as a conflict for a worker or supervisor to resolve"
        )
        return JSONResponse(
            status_code=409, content={"detail": detail, **conflict_view(exc.conflict)}
        )

    app.add_exception_handler(ConflictRecorded, answer)


async def _stale(
    service: Assessments,
    principal: Principal,
    file: CaseFile,
    base: CaseFile | None,
    command: EditedCommand,
    reconcile: Callable[[CaseFile], Reconciled[Any]],
    response: Response,
    *,
    reason: str | None = None,
) -> Any:
    """Merge a tablet command over newer data, or record the conflict and stop (409).

    Returns the (possibly merged) content to apply. A retried command finds
    its conflict by id (derived from the command) and gets the same answer.
    """
    if base is None or base.version == file.version:
        return None
    merged = reconcile(base)
    response.headers[MERGED_HEADER] = str(base.version)
    if not merged.conflicts:
        return merged.merged
    proposal = merged.merged
    body = json.dumps(jsonable_encoder([proposal, reason]), sort_keys=True)
    conflict_id = derived_id(
        "conflict",
        file.case_id,
        str(base.version),
        command.value,
        principal.sub,
        hashlib.sha256(body.encode()).hexdigest(),
    )
    situation = proposal if command is EditedCommand.ASSESSMENT_COMPLETION else None
    items = None if command is EditedCommand.ASSESSMENT_COMPLETION else proposal
    event = conflicted(
        file,
        conflict_id=conflict_id,
        command=command,
        base_version=base.version,
        clashes=merged.conflicts,
        submitted_by=_actor(principal),
        now=datetime.now(UTC),
        situation=situation,
        items=items,
        reason=reason,
    )
    result = await service.record(file, [event], commit_id=f"conflict:{conflict_id}")
    if result is not None and not result.created:
        # The same command again: the conflict as first recorded.
        first = result.commit.events[0]
        parsed = REGISTRY.parse(first.type, first.data)
        assert isinstance(parsed, EditConflicted)
        event = parsed
    raise ConflictRecorded(event)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CompletionIn(Strict):
    situation: HouseholdSituation | None = Field(
        default=None, description="Omit to complete the saved draft."
    )
    base_version: int | None = BaseVersion

    @field_validator("situation", mode="before")
    @classmethod
    def _strict(cls, value: Any) -> Any:
        return forbid_unknown(HouseholdSituation, value)


class AssessmentOut(BaseModel):
    assessment_id: str
    need_score: float
    need_level: str
    score_model: str
    contributions: list[dict[str, Any]]
    eligible_services: list[str]
    plan_items: list[PlanItem]


DRAFT_REVISION_HEADER = "X-Inson-Draft-Revision"


@router.put("/cases/{case_id}/assessment/draft", status_code=204, responses=ERRORS)
async def save_draft(
    case_id: str,
    principal: Worker,
    service: Service,
    draft: Annotated[dict[str, Any], Body()],
    response: Response,
    base_revision: Annotated[
        int | None,
        Query(
            ge=0,
            description=(
                "The draft revision (X-Inson-Draft-Revision; 0 for none) the tablet edited. "
                "If another save came in between, 409 with both drafts, nothing overwritten."
            ),
        ),
    ] = None,
) -> None:
    """Save the questionnaire as far as it goes; nothing is validated until completion.

    The draft is a scratch copy outside the event store; a stale save is
    refused (409, both drafts in the answer), never merged or overwritten.
    """
    await _file_for(service, principal, case_id)
    drafts = service.runtime.db[DRAFTS]
    if base_revision is None:
        current = await drafts.find_one({"_id": case_id}, {"revision": 1})
        base_revision = int((current or {}).get("revision", 0))
    saved = {
        "draft": draft,
        "saved_by": principal.sub,
        "saved_at": datetime.now(UTC),
        "revision": base_revision + 1,
    }
    if base_revision == 0:
        try:
            await drafts.insert_one({"_id": case_id, **saved})
            written = True
        except DuplicateKeyError:
            written = False
    else:
        result = await drafts.replace_one({"_id": case_id, "revision": base_revision}, saved)
        written = result.matched_count == 1
    if not written:
        current = await drafts.find_one({"_id": case_id}) or {}
        raise HTTPException(
            409,
            jsonable_encoder(
                {
                    "msg": "another tablet saved this draft since your revision; nothing changed",
                    "base_revision": base_revision,
                    "current": _draft_view(current),
                    "submitted": draft,
                }
            ),
        )
    response.headers[DRAFT_REVISION_HEADER] = str(base_revision + 1)


def _draft_view(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "draft": doc.get("draft"),
        "saved_by": doc.get("saved_by"),
        "saved_at": doc.get("saved_at"),
        # Drafts saved before revisions existed count as revision 1.
        "revision": int(doc.get("revision", 1)) if doc else 0,
    }


@router.get("/cases/{case_id}/assessment/draft", responses=ERRORS)
async def get_draft(
    case_id: str, principal: Worker, service: Service, audit: Audit
) -> dict[str, Any]:
    await _file_for(service, principal, case_id)
    doc = await service.runtime.db[DRAFTS].find_one({"_id": case_id})
    if doc is None:
        raise HTTPException(404, "no draft saved for this case")
    found = _draft_view(doc)
    await audit.record([case_id], found)
    return found


@router.post(
    "/cases/{case_id}/assessment/complete", response_model=AssessmentOut, responses=TABLET_ERRORS
)
async def complete_assessment(
    case_id: str, body: CompletionIn, principal: Worker, service: Service, response: Response
) -> AssessmentOut:
    """Validate the questionnaire, score it, find eligible services, draft the plan."""
    file, base = await _files_for(service, principal, case_id, body.base_version)
    situation = body.situation
    if situation is None:
        doc = await service.runtime.db[DRAFTS].find_one({"_id": case_id})
        if doc is None:
            raise HTTPException(422, "no situation given and no draft saved")
        try:
            forbid_unknown(HouseholdSituation, doc["draft"])
            situation = HouseholdSituation.model_validate(doc["draft"])
        except ValueError as exc:
            if not isinstance(exc, ValidationError):
                raise HTTPException(422, [{"loc": ["draft"], "msg": str(exc)}]) from None
            errors = jsonable_encoder(exc.errors(include_url=False, include_context=False))
            raise HTTPException(422, [{**e, "loc": ["draft", *e["loc"]]} for e in errors]) from None
    submitted = situation
    merged = await _stale(
        service,
        principal,
        file,
        base,
        EditedCommand.ASSESSMENT_COMPLETION,
        lambda b: reconcile_answers(b.situation, file.situation, submitted),
        response,
    )
    situation = situation if merged is None else merged
    recorded, completed, draft = await _assessed(service, file, situation, principal)
    await _decide(
        service,
        file,
        lambda: rules.decide_completion(file, recorded, completed, draft),
        response=response,
    )
    await service.runtime.db[DRAFTS].delete_one({"_id": case_id})
    return AssessmentOut(
        assessment_id=completed.assessment_id,
        need_score=completed.need_score,
        need_level=completed.need_level.value,
        score_model=completed.score_model,
        contributions=[c.model_dump() for c in completed.contributions],
        eligible_services=list(completed.eligible_services),
        plan_items=list(draft.items) if draft else [],
    )


async def _assessed(
    service: Assessments, file: CaseFile, situation: HouseholdSituation, principal: Principal
) -> tuple[Any, Any, PlanDrafted | None]:
    facts = await service.runtime.db[CASE_FACTS].find_one({"_id": file.case_id}) or {}
    circumstances = [Circumstance(c) for c in facts.get("circumstances", [])]
    worker_id = file.worker_id or principal.sub
    return service.assess(file, situation, circumstances, worker_id)


def _strict_items(value: Any) -> Any:
    for item in value if isinstance(value, list) else []:
        forbid_unknown(PlanItem, item)
    return value


class PlanEditIn(Strict):
    items: list[PlanItem] = Field(min_length=1, max_length=50)
    _items = field_validator("items", mode="before")(lambda cls, v: _strict_items(v))
    base_version: int | None = BaseVersion


@router.put("/cases/{case_id}/plan/draft", status_code=204, responses=TABLET_ERRORS)
async def edit_plan(
    case_id: str, body: PlanEditIn, principal: Worker, service: Service, response: Response
) -> None:
    file, base = await _files_for(service, principal, case_id, body.base_version)
    merged = await _stale(
        service,
        principal,
        file,
        base,
        EditedCommand.PLAN_EDIT,
        lambda b: reconcile_items(plan_items(b), plan_items(file), body.items),
        response,
    )
    await _decide(
        service,
        file,
        lambda: _plan_edit(file, body.items if merged is None else merged, principal.sub),
        response=response,
    )


def _plan_edit(file: CaseFile, items: list[PlanItem], drafted_by: str) -> list[Event]:
    return rules.decide_plan_edit(
        file,
        PlanDrafted(
            case_id=file.case_id,
            plan_id=file.plan.plan_id if file.plan else "",
            assessment_id=file.assessment_id or "none",
            items=items,
            drafted_by=drafted_by,
            drafted_at=datetime.now(UTC),
        ),
    )


@router.post("/cases/{case_id}/plan/approve", status_code=204, responses=ERRORS)
async def approve_plan(case_id: str, principal: Supervisor, service: Service) -> None:
    file = await _file_for(service, principal, case_id)
    await _decide(
        service, file, lambda: [rules.approved_plan(file, _actor(principal), datetime.now(UTC))]
    )


class RevisionIn(Strict):
    items: list[PlanItem] = Field(max_length=50)
    _items = field_validator("items", mode="before")(lambda cls, v: _strict_items(v))
    reason: str = Field(min_length=1, max_length=2000)
    base_version: int | None = BaseVersion


@router.post("/cases/{case_id}/plan/revise", status_code=204, responses=TABLET_ERRORS)
async def revise_plan(
    case_id: str, body: RevisionIn, principal: Worker, service: Service, response: Response
) -> None:
    file, base = await _files_for(service, principal, case_id, body.base_version)
    merged = await _stale(
        service,
        principal,
        file,
        base,
        EditedCommand.PLAN_REVISION,
        lambda b: reconcile_items(plan_items(b), plan_items(file), body.items),
        response,
        reason=body.reason,
    )
    now = datetime.now(UTC)
    items = body.items if merged is None else merged
    await _decide(
        service,
        file,
        lambda: [rules.revised_plan(file, items, body.reason, _actor(principal), now)],
        response=response,
    )


@router.get("/cases/{case_id}/conflicts", responses=ERRORS)
async def list_conflicts(
    case_id: str, principal: Worker, service: Service, audit: Audit
) -> list[dict[str, Any]]:
    """Open conflicts of stale tablet edits, with the base, current and submitted values."""
    file = await _file_for(service, principal, case_id)
    found = [conflict_view(c) for c in file.conflicts.values()]
    await audit.record([case_id] if found else [], fields_of(found))
    return found


class ResolutionIn(Strict):
    resolution: ConflictResolution


@router.post("/cases/{case_id}/conflicts/{conflict_id}/resolve", status_code=204, responses=ERRORS)
async def resolve_conflict(
    case_id: str,
    conflict_id: str,
    body: ResolutionIn,
    principal: Worker,
    service: Service,
    response: Response,
) -> None:
    """Keep the current data, or apply the tablet's proposal (merged again over anything newer)."""
    file = await _file_for(service, principal, case_id)
    conflict = file.conflicts.get(conflict_id)
    if conflict is None:
        raise HTTPException(404, f"no open conflict {conflict_id} in this case")
    applied: list[Event] = []
    now = datetime.now(UTC)
    if body.resolution is ConflictResolution.TAKE_SUBMITTED:
        file, then = await _files_for(service, principal, case_id, conflict.current_version)
        assert then is not None
        if conflict.command is EditedCommand.ASSESSMENT_COMPLETION:
            assert conflict.proposed_situation is not None
            situation = _settled(
                reconcile_answers(then.situation, file.situation, conflict.proposed_situation)
            )
            recorded, completed, draft = await _assessed(service, file, situation, principal)
            applied = _or_409(lambda: rules.decide_completion(file, recorded, completed, draft))
        else:
            assert conflict.proposed_items is not None
            items = _settled(
                reconcile_items(plan_items(then), plan_items(file), conflict.proposed_items)
            )
            if conflict.command is EditedCommand.PLAN_EDIT:
                applied = _or_409(lambda: _plan_edit(file, items, principal.sub))
            else:
                reason = conflict.proposed_reason or "resolved conflict"
                applied = _or_409(
                    lambda: [rules.revised_plan(file, items, reason, _actor(principal), now)]
                )
    await _decide(
        service,
        file,
        lambda: decide_resolution(
            file, conflict_id, body.resolution, applied, _actor(principal), now
        ),
        commit_id=f"resolve:{conflict_id}",
        response=response,
    )


def _settled(merged: Reconciled[_T]) -> _T:
    if merged.conflicts:
        paths = ", ".join(f.path for f in merged.conflicts)
        raise HTTPException(409, f"the same answers or items changed again since ({paths}): reload")
    return merged.merged


def _or_409(build: Callable[[], list[Event]]) -> list[Event]:
    try:
        return build()
    except CaseFileRuleViolation as exc:
        raise HTTPException(409, str(exc)) from None


class ClosureIn(Strict):
    reason: ClosureReason
    note: str | None = Field(default=None, max_length=2000)


@router.post("/cases/{case_id}/plan/close", status_code=204, responses=ERRORS)
async def close_plan(case_id: str, body: ClosureIn, principal: Worker, service: Service) -> None:
    file = await _file_for(service, principal, case_id)
    plan_id = file.plan.plan_id if file.plan else ""
    await _decide(
        service,
        file,
        lambda: rules.decide_closure(
            file,
            PlanClosed(
                case_id=case_id,
                plan_id=plan_id,
                reason=body.reason,
                note=body.note,
                closed_by=_actor(principal),
                closed_at=datetime.now(UTC),
            ),
        ),
    )


class ReassignIn(Strict):
    to_social_worker_id: str | None = Field(
        default=None, description="Omit to pick the least loaded."
    )
    reason: AssignmentReason = AssignmentReason.SUPERVISOR_DECISION
    note: str | None = Field(default=None, max_length=2000)


@router.post("/cases/{case_id}/reassign", status_code=204, responses=ERRORS)
async def reassign(case_id: str, body: ReassignIn, principal: Supervisor, service: Service) -> None:
    file = await _file_for(service, principal, case_id)
    current = file.require_assigned()
    covering = workers_covering(file.mahalla or "")
    target = body.to_social_worker_id
    if target is None:
        loads = await service.caseloads.of([w.worker_id for w in covering])
        try:
            target = choose_worker(file.mahalla or "", covering, loads, exclude={current}).worker_id
        except NoWorkerCovers:
            raise HTTPException(409, "no other social worker covers this mahalla") from None
    if target == current:
        raise HTTPException(409, "the case is already with that social worker")
    await _decide(
        service,
        file,
        lambda: [
            SocialWorkerReassigned(
                case_id=case_id,
                from_social_worker_id=current,
                to_social_worker_id=target,
                reason=body.reason,
                note=body.note,
                reassigned_by=_actor(principal),
                reassigned_at=datetime.now(UTC),
            )
        ],
    )


class CareEntryIn(Strict):
    category: CareRegisterCategory
    decision_ref: str = Field(min_length=1, max_length=64)
    pinfl: str | None = Field(default=None, pattern=r"^[0-9]{14}$")


@router.post("/cases/{case_id}/care-register", status_code=201, responses=ERRORS)
async def add_to_care_register(
    case_id: str, body: CareEntryIn, principal: Supervisor, service: Service
) -> dict[str, str]:
    file = await _file_for(service, principal, case_id)
    entry_id = derived_id("care", case_id, body.category.value, body.decision_ref)
    await _decide(
        service,
        file,
        lambda: rules.decide_care_entry(
            file,
            CareRegisterEntryAdded(
                case_id=case_id,
                entry_id=entry_id,
                pinfl=body.pinfl,
                category=body.category,
                district=file.district or "",
                decision_ref=body.decision_ref,
                decided_by=_actor(principal),
                decided_at=datetime.now(UTC),
            ),
        ),
    )
    return {"entry_id": entry_id}


class CareRemovalIn(Strict):
    reason: CareRegisterRemovalReason
    note: str | None = Field(default=None, max_length=2000)


@router.post("/cases/{case_id}/care-register/{entry_id}/remove", status_code=204, responses=ERRORS)
async def remove_from_care_register(
    case_id: str, entry_id: str, body: CareRemovalIn, principal: Supervisor, service: Service
) -> None:
    file = await _file_for(service, principal, case_id)
    await _decide(
        service,
        file,
        lambda: rules.decide_care_removal(
            file,
            CareRegisterEntryRemoved(
                case_id=case_id,
                entry_id=entry_id,
                reason=body.reason,
                note=body.note,
                decided_by=_actor(principal),
                decided_at=datetime.now(UTC),
            ),
        ),
    )


class HousingIn(Strict):
    institution_code: str = Field(min_length=1, max_length=32)
    valid_from: date
    valid_until: date
    pinfl: str | None = Field(default=None, pattern=r"^[0-9]{14}$")


@router.post("/cases/{case_id}/temporary-housing", status_code=201, responses=ERRORS)
async def grant_temporary_housing(
    case_id: str, body: HousingIn, principal: Supervisor, service: Service
) -> dict[str, str]:
    """Register a homeless person at an institution for at most six months."""
    file = await _file_for(service, principal, case_id)
    registration_id = derived_id("housing", case_id, body.valid_from.isoformat())
    await _decide(
        service,
        file,
        lambda: rules.decide_housing(
            file,
            TemporaryHousingGranted(
                case_id=case_id,
                registration_id=registration_id,
                pinfl=body.pinfl,
                institution_code=body.institution_code,
                valid_from=body.valid_from,
                valid_until=body.valid_until,
                decided_by=_actor(principal),
                decided_at=datetime.now(UTC),
            ),
        ),
    )
    return {"registration_id": registration_id}


@router.get(
    "/cases/{case_id}/as-of",
    responses=ERRORS,
    summary="The case file as it was known at a past moment, rebuilt from the event store",
)
async def case_as_of(
    case_id: str,
    principal: Worker,
    service: Service,
    audit: Audit,
    at: Annotated[datetime, Query(description="RFC 3339 with a UTC offset")],
) -> dict[str, Any]:
    """What the worker and supervisor knew when a decision was taken: the assessment
    with its score and contributions, the plan version in force and its items.

    Referral states are the referral service's: its
    ``GET /v1/cases/{case_id}/referrals/as-of?at=`` answers for the same moment.
    """
    if at.tzinfo is None:
        raise HTTPException(422, [{"loc": ["query", "at"], "msg": "at must carry a UTC offset"}])
    await _file_for(service, principal, case_id)  # scope is judged on today's case file
    then, last_event_at = await service.load_as_of(case_id, at)
    if then.version == 0:
        raise HTTPException(404, f"nothing was recorded about case {case_id} by {at.isoformat()}")
    found = as_of_view(then, at, last_event_at)
    fields = {*found, *(f"assessment.{k}" for k in found["assessment"] or {})}
    await audit.record([case_id], fields)
    return found


def as_of_view(file: CaseFile, at: datetime, last_event_at: datetime | None) -> dict[str, Any]:
    completed = file.completed_assessment
    plan = file.plan
    return {
        "case_id": file.case_id,
        "at": at,
        "version": file.version,
        "last_event_at": last_event_at,
        "worker_id": file.worker_id,
        "district": file.district,
        "mahalla": file.mahalla,
        "assessment": None
        if completed is None
        else {
            "assessment_id": completed.assessment_id,
            "situation": file.situation.model_dump(mode="json") if file.situation else None,
            "score_model": completed.score_model,
            "need_score": completed.need_score,
            "need_level": completed.need_level.value,
            "contributions": [c.model_dump(mode="json") for c in completed.contributions],
            "eligible_services": list(completed.eligible_services),
            "completed_by": completed.completed_by,
            "completed_at": completed.completed_at,
        },
        "plan": None
        if plan is None
        else {
            "plan_id": plan.plan_id,
            "status": plan.status.value,
            "version": plan.version,
            "items": [i.model_dump(mode="json") for i in plan.items],
            "completed_items": sorted(plan.completed_items),
        },
        "open_conflicts": sorted(file.conflicts),
    }


@router.get("/case-files", summary="Case files in your area: caseload, visits due, plans by status")
async def list_case_files(
    principal: Worker,
    service: Service,
    audit: Audit,
    worker_id: Annotated[str | None, Query(max_length=64)] = None,
    plan_status: Annotated[
        str | None, Query(pattern=r"^(none|drafted|approved|completed|closed)$")
    ] = None,
    visit_due_before: datetime | None = None,
    has_conflicts: Annotated[
        bool | None, Query(description="Only case files with open conflicts of tablet edits")
    ] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    query: list[dict[str, Any]] = [_area(principal)]
    if worker_id:
        query.append({"worker_id": worker_id})
    if plan_status:
        query.append({"plan_status": plan_status})
    if visit_due_before:
        query.extend([{"visit_at": {"$lte": visit_due_before}}, {"assessed": False}])
    if has_conflicts is True:
        query.append({"conflicts_open": {"$gt": 0}})
    elif has_conflicts is False:
        query.append({"$or": [{"conflicts_open": {"$exists": False}}, {"conflicts_open": 0}]})
    files = service.runtime.db[CASE_FILES]
    total = await files.count_documents({"$and": query})
    cursor = files.find(
        {"$and": query}, sort=[("_id", 1)], skip=(page - 1) * page_size, limit=page_size
    )
    items = [_public(d) async for d in cursor]
    await audit.record((i["case_id"] for i in items), fields_of(items))
    return {"items": items, "page": page, "page_size": page_size, "total": total}


@router.get("/case-files/overdue-items", summary="Plan items past their due date, not completed")
async def overdue_items(principal: Worker, service: Service, audit: Audit) -> list[dict[str, Any]]:
    today = datetime.now(UTC).date().isoformat()
    found = []
    query = {"$and": [_area(principal), {"plan_status": "approved"}]}
    async for doc in service.runtime.db[CASE_FILES].find(query).limit(1000):
        done = set(doc.get("completed_items", []))
        for item in doc.get("items", []):
            if item.get("due_by") and item["due_by"] < today and item["item_id"] not in done:
                found.append({"case_id": doc["_id"], "worker_id": doc.get("worker_id"), **item})
    await audit.record((f["case_id"] for f in found), fields_of(found))
    return found


@router.get("/case-files/{case_id}", responses=ERRORS)
async def get_case_file(
    case_id: str, principal: Worker, service: Service, audit: Audit
) -> dict[str, Any]:
    doc = await service.runtime.db[CASE_FILES].find_one(
        {"$and": [{"_id": case_id}, _area(principal)]}
    )
    if doc is None:
        raise HTTPException(404, f"no case file {case_id} in your area")
    found = _public(doc)
    await audit.record([case_id], found)
    return found


def _area(principal: Principal) -> dict[str, Any]:
    if principal.role is Role.ADMIN:
        return {}
    if principal.role is Role.SOCIAL_WORKER:
        return {
            "$or": [
                {"worker_id": principal.sub},
                {"mahalla": {"$in": list(principal.scope.mahallas)}},
            ]
        }
    if principal.scope.district:
        return {"district": principal.scope.district}
    raise HTTPException(403, "your token's scope covers no district")


def _public(doc: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in doc.items() if not k.startswith("_")}
    out["case_id"] = doc["_id"]
    # The projection's stream version: a tablet's base_version for its next command.
    out["version"] = doc.get("_version")
    return out
