"""A case's further applications: confirm or refuse a likely match, or reject one."""

from __future__ import annotations

from fastapi import APIRouter
from inson_runtime.apikit import CaseWorker, actor_of, responses

from intake.api.deps import CallerArea, IntakeDep
from intake.api.schemas import RefusalOut, RejectionIn

router = APIRouter(prefix="/v1", tags=["intake"])
CONFLICT = responses({404: "No such case", 409: "Not allowed in the application's current state"})


@router.post(
    "/cases/{case_id}/applications/{application_id}/confirm-link",
    status_code=204,
    responses=CONFLICT,
    summary="Confirm that a likely match is the same person",
)
async def confirm_link(
    case_id: str, application_id: str, principal: CaseWorker, area: CallerArea, intake: IntakeDep
) -> None:
    await intake.confirm_link(case_id, application_id, actor_of(principal), area)


@router.post(
    "/cases/{case_id}/applications/{application_id}/refuse-link",
    response_model=RefusalOut,
    responses=CONFLICT,
    summary="Not the same person: the application opens a case of its own",
)
async def refuse_link(
    case_id: str, application_id: str, principal: CaseWorker, area: CallerArea, intake: IntakeDep
) -> RefusalOut:
    new_case_id = await intake.refuse_link(case_id, application_id, actor_of(principal), area)
    return RefusalOut(application_id=application_id, new_case_id=new_case_id)


@router.post(
    "/cases/{case_id}/applications/{application_id}/reject",
    status_code=204,
    responses=CONFLICT,
    summary="Reject a further application of a case (withdrawn, duplicate, ...)",
)
async def reject_application(
    case_id: str,
    application_id: str,
    body: RejectionIn,
    principal: CaseWorker,
    area: CallerArea,
    intake: IntakeDep,
) -> None:
    actor = actor_of(principal)
    await intake.reject(case_id, application_id, body.reason, body.explanation, actor, area)
