"""The individual social services plan: edited as a draft, approved, revised, closed.

Every set of items is checked as the first plan's are (422 naming the field,
nothing recorded): a catalogue service, the provider type the catalogue gives
it, a chosen ``provider`` of the directory that serves that type in the
person's district, distinct item ids, at least one item.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from inson_runtime.apikit import CaseWorker, Supervisor, answer, example_request

from assessment.api import examples
from assessment.api.deps import (
    TABLET_ANSWER_HEADERS,
    AssessmentsDep,
    tablet_header_values,
    tablet_headers,
)
from assessment.api.errors import ERRORS, TABLET_ERRORS
from assessment.api.schemas import ClosureIn, PlanEditIn, RevisionIn, RevisionProposedOut

router = APIRouter(prefix="/v1", tags=["assessment"])

ITEM_RULES = (
    "Each item names a catalogue service (`service_code`) with the provider type the "
    "catalogue gives that service (`provider_type`), and optionally a chosen `provider` "
    "from the provider directory that serves that type in the person's district (absent: "
    "the district's default provider). Item ids are distinct. Anything else is answered "
    "422 naming `body.items.<n>.<field>` and nothing is recorded."
)


@router.put(
    "/cases/{case_id}/plan/draft",
    status_code=204,
    responses=answer(
        "The drafted plan holds these items", status=204, headers=TABLET_ANSWER_HEADERS
    )
    | TABLET_ERRORS,
    summary="Edit the drafted plan before it is approved",
    description="The case's social worker (or a supervisor) replaces the drafted plan's "
    "items (at least one) before a supervisor approves it: adds an offered service, drops "
    "one, sets priorities, due dates, goals or a chosen provider. When the assessment found "
    "no need the person is eligible for, no plan was drafted: this drafts it, e.g. from the "
    "`offered_services`. " + ITEM_RULES,
    openapi_extra=example_request(examples.PLAN_EDIT),
)
async def edit_plan(
    case_id: str,
    body: PlanEditIn,
    principal: CaseWorker,
    assessments: AssessmentsDep,
    response: Response,
) -> None:
    applied = await assessments.edit_plan(principal, case_id, body.items, body.base_version)
    tablet_headers(response, applied)


@router.post(
    "/cases/{case_id}/plan/approve",
    status_code=204,
    responses=answer("In force", status=204) | ERRORS,
    summary="Approve the drafted plan, or the revision proposed for it (supervisor)",
    description="A supervisor puts the drafted plan in force (version 1), or, for a plan "
    "in force, the revision proposed for it (recorded as `plan.revised` with `approved_by`; "
    "merged over what changed in the plan since it was proposed, item by item: if the same "
    "items changed, 409 and the worker proposes again). Once in force, every item is "
    "referred to its provider by the referral service and the person is told by "
    "notification.",
)
async def approve_plan(case_id: str, principal: Supervisor, assessments: AssessmentsDep) -> None:
    await assessments.approve(principal, case_id)


@router.post(
    "/cases/{case_id}/plan/revise",
    status_code=204,
    response_model=None,
    responses={
        **answer("In force at once", status=204, headers=TABLET_ANSWER_HEADERS),
        **TABLET_ERRORS,
        202: {
            "model": RevisionProposedOut,
            "description": "The revision adds services: proposed, waiting for the supervisor",
            "content": {"application/json": {"example": examples.REVISION_PROPOSED}},
        },
    },
    summary="Revise the plan in force: in force at once, or proposed when it adds services",
    openapi_extra=example_request(examples.REVISION),
    description="A new version of the plan in force, with all its items and a reason. "
    "In force at once (204) when it only removes items, plans existing services again or "
    "changes priorities, dates, goals or providers: an item the provider refused or let "
    "expire, kept under the same `item_id`, is referred again. A revision that adds a "
    "service the plan in force does not have (a service added back after a revision "
    "removed it included: it is then referred again under its `item_id` once approved) "
    "needs the supervisor, as the first plan did: made by a social worker it is recorded as "
    "`plan.revision_proposed` and answered 202, the plan in force unchanged until a "
    "supervisor approves it (`POST .../plan/approve`); a later proposal replaces it. A "
    "supervisor's own revision is in force at once. To end a plan, close it: a revision "
    "without items is refused. " + ITEM_RULES,
)
async def revise_plan(
    case_id: str,
    body: RevisionIn,
    principal: CaseWorker,
    assessments: AssessmentsDep,
    response: Response,
) -> Response | None:
    revision = await assessments.revise(
        principal, case_id, body.items, body.reason, body.base_version
    )
    if revision.proposed is None:
        tablet_headers(response, revision.applied)
        return None
    return JSONResponse(
        status_code=202,
        content=RevisionProposedOut.of(revision.proposed).model_dump(mode="json"),
        headers=tablet_header_values(revision.applied),
    )


@router.post(
    "/cases/{case_id}/plan/close",
    status_code=204,
    responses=answer("Closed, or closed before", status=204) | ERRORS,
    summary="Close the plan early: the person moved, declined, died, ...",
    description="The case's social worker or a supervisor ends the plan before its items "
    "are done, with a reason (goals reached, declined by the person, moved away, deceased, "
    "a duplicate case, no longer eligible) and an optional note. The referrals still open "
    "are cancelled and intake closes the case. Closing again records nothing; a case "
    "file without a plan is refused (409, plan.none).",
    openapi_extra=example_request(examples.CLOSURE),
)
async def close_plan(
    case_id: str, body: ClosureIn, principal: CaseWorker, assessments: AssessmentsDep
) -> None:
    await assessments.close_plan(principal, case_id, body.reason, body.note)
