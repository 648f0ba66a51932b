"""The referral API for window staff: the queue, one referral, and its lifecycle."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.services import SERVICES_BY_CODE
from inson_contracts.events.values import Actor, Priority
from inson_runtime.apikit import Problem
from inson_runtime.audit import Audit, fields_of
from inson_runtime.auth import Principal, Role, require_roles

from referral.adapters.plans import PLAN_ITEMS
from referral.api.deps import DbDep, ReferralsDep, check_center, may_see, visible_referrals
from referral.api.schemas import (
    NoteIn,
    Page,
    QueueItem,
    ReferralDetail,
    ReferralState,
    RejectionIn,
    TransitionProblem,
)
from referral.domain.referral import (
    AWAITING_ACCEPTANCE,
    Accept,
    Command,
    Complete,
    Referral,
    Reject,
    Start,
    Status,
)
from referral.domain.routing import referral_id
from referral.projections.views import OPEN_STATUSES, REFERRALS
from referral.reference.centers import center_of_window, service_center

router = APIRouter(prefix="/v1", tags=["referrals"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No such referral at your windows"}
}
TRANSITION: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    409: {
        "model": TransitionProblem,
        "description": "Not allowed in the referral's current state, which the body names",
    },
}
QUEUE: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No such service center or window"}
}

Reader = Annotated[
    Principal, Depends(require_roles(Role.WINDOW_OPERATOR, Role.SUPERVISOR, Role.ADMIN))
]
Supervisor = Annotated[Principal, Depends(require_roles(Role.SUPERVISOR, Role.ADMIN))]
Operator = Annotated[Principal, Depends(require_roles(Role.WINDOW_OPERATOR, Role.ADMIN))]
ReferralId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_:-]{1,64}$")]
Code = Annotated[str | None, Query(pattern=r"^[a-z0-9][a-z0-9-]{1,31}$")]


@router.get(
    "/queue",
    response_model=Page[QueueItem],
    responses=QUEUE,
    summary="Referrals at your center's windows, the most urgent deadline first",
)
async def queue(
    principal: Reader,
    db: DbDep,
    referrals: ReferralsDep,
    audit: Audit,
    center: Code = None,
    window: Code = None,
    status: Annotated[
        Status | None, Query(description="One status; without it, every open referral")
    ] = None,
    priority: Priority | None = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Page[QueueItem]:
    # Every value is a validated plain string used in an equality match:
    # nothing the caller sends can become an operator.
    query: list[dict[str, Any]] = [visible_referrals(principal)]
    try:
        if center is not None:
            check_center(principal, service_center(center))
            query.append({"service_center": center})
        if window is not None:
            check_center(principal, center_of_window(window))
            query.append({"window": window})
    except UnknownCode as exc:
        raise HTTPException(404, str(exc)) from None
    query.append({"status": status.value} if status else {"status": {"$in": OPEN_STATUSES}})
    if priority is not None:
        query.append({"priority": priority.value})
    collection = db[REFERRALS]
    total = await collection.count_documents({"$and": query})
    cursor = collection.find(
        {"$and": query},
        sort=[("accept_by", 1), ("_id", 1)],
        skip=(page - 1) * page_size,
        limit=page_size,
    )
    now = referrals.clock()
    items = [QueueItem.model_validate(_public(doc, now)) async for doc in cursor]
    await audit.record((i.case_id for i in items), QueueItem.model_fields)
    return Page(items=items, page=page, page_size=page_size, total=total)


@router.get(
    "/referrals/{referral_id}",
    response_model=ReferralDetail,
    responses=NOT_FOUND,
    summary="One referral: service, destination, deadline, status and history",
)
async def get_referral(
    referral_id: ReferralId, principal: Reader, db: DbDep, referrals: ReferralsDep, audit: Audit
) -> ReferralDetail:
    doc = await db[REFERRALS].find_one(
        {"$and": [{"_id": referral_id}, visible_referrals(principal)]}
    )
    if doc is None:
        raise HTTPException(404, f"no referral {referral_id} at your windows")
    detail = _public(doc, referrals.clock())
    if doc.get("service_center"):
        try:
            center = service_center(doc["service_center"])
        except UnknownCode:
            pass  # a center since removed from the directory: codes still say where
        else:
            detail["center_name"] = center.name
            names = {w.code: w.name for w in center.windows}
            detail["window_name"] = names.get(doc.get("window") or "")
    found = ReferralDetail.model_validate(detail)
    await audit.record([doc.get("case_id")], ReferralDetail.model_fields)
    return found


@router.get(
    "/cases/{case_id}/referrals/as-of",
    summary="A case's referrals and their states as they stood at a past moment",
)
async def referrals_as_of(
    case_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_:-]{1,64}$")],
    principal: Supervisor,
    db: DbDep,
    referrals: ReferralsDep,
    audit: Audit,
    at: Annotated[datetime, Query(description="RFC 3339 with a UTC offset")],
) -> list[dict[str, Any]]:
    """Rebuilt from this service's event store, for reviewing a decision as it was taken
    (the assessment service's ``/v1/cases/{case_id}/as-of`` gives the plan of that moment).

    The referrals of a case are found through the plan policy's own record of
    the items it referred (written before anything is issued), not a projection
    that may lag.
    """
    if at.tzinfo is None:
        raise HTTPException(422, [{"loc": ["query", "at"], "msg": "at must carry a UTC offset"}])
    found: list[dict[str, Any]] = []
    async for plan in db[PLAN_ITEMS].find({"case_id": case_id}).sort("_id", 1):
        for item_id in plan.get("items", []):
            referral = await referrals.load_as_of(referral_id(plan["_id"], item_id), at)
            issued = referral.issued
            if issued is None or referral.status is None:
                continue  # not issued yet at that moment
            if not may_see(principal, issued.destination):
                continue
            found.append(
                {
                    "referral_id": referral.referral_id,
                    "plan_id": issued.plan_id,
                    "plan_version": issued.plan_version,
                    "item_id": issued.item_id,
                    "service_code": issued.service_code,
                    "destination": issued.destination.model_dump(mode="json"),
                    "status": referral.status.value,
                    "escalation_level": referral.escalation_level,
                    "version": referral.version,
                }
            )
    if not found and principal.role is not Role.ADMIN:
        # Indistinguishable from a case outside the caller's district, on purpose.
        raise HTTPException(404, f"no referrals of case {case_id} in your area by that moment")
    await audit.record([case_id] if found else [], fields_of(found))
    return found


def _public(doc: dict[str, Any], now: datetime) -> dict[str, Any]:
    out = {k: v for k, v in doc.items() if not k.startswith("_")}
    out["id"] = doc["_id"]
    known = SERVICES_BY_CODE.get(doc.get("service_code", ""))
    out["service_name"] = known.name if known else None
    awaiting = doc.get("status") in {s.value for s in AWAITING_ACCEPTANCE}
    out["overdue"] = bool(awaiting and doc.get("accept_by") and doc["accept_by"] < now)
    return out


def _actor(principal: Principal) -> Actor:
    return Actor(id=principal.sub, role=principal.role.value)


async def _act(
    referrals: ReferralsDep,
    principal: Principal,
    referral_id: str,
    command: Callable[[datetime], Command],
) -> ReferralState:
    def authorize(referral: Referral) -> None:
        # 404, not 403: an operator learns nothing about other centers' referrals.
        if referral.destination is None or not may_see(principal, referral.destination):
            raise HTTPException(404, f"no referral {referral_id} at your windows")

    done = await referrals.act(referral_id, command, authorize)
    assert done.status is not None
    return ReferralState(
        referral_id=done.referral_id, status=done.status, escalation_level=done.escalation_level
    )


@router.post(
    "/referrals/{referral_id}/accept",
    response_model=ReferralState,
    responses=TRANSITION,
    summary="Take the referral on: the person will be served here",
)
async def accept(
    referral_id: ReferralId,
    principal: Operator,
    referrals: ReferralsDep,
    body: NoteIn | None = None,
) -> ReferralState:
    note = body.note if body else None
    actor = _actor(principal)
    return await _act(referrals, principal, referral_id, lambda at: Accept(actor, at, note))


@router.post(
    "/referrals/{referral_id}/reject",
    response_model=ReferralState,
    responses=TRANSITION,
    summary="Refuse the referral with a code and reason; the social worker re-plans",
)
async def reject(
    referral_id: ReferralId, body: RejectionIn, principal: Operator, referrals: ReferralsDep
) -> ReferralState:
    actor = _actor(principal)
    return await _act(
        referrals, principal, referral_id, lambda at: Reject(body.code, body.reason, actor, at)
    )


@router.post(
    "/referrals/{referral_id}/start",
    response_model=ReferralState,
    responses=TRANSITION,
    summary="Delivery of the service began",
)
async def start(
    referral_id: ReferralId,
    principal: Operator,
    referrals: ReferralsDep,
    body: NoteIn | None = None,
) -> ReferralState:
    note = body.note if body else None
    actor = _actor(principal)
    return await _act(referrals, principal, referral_id, lambda at: Start(actor, at, note))


@router.post(
    "/referrals/{referral_id}/complete",
    response_model=ReferralState,
    responses=TRANSITION,
    summary="The service was delivered; the plan item is done",
)
async def complete(
    referral_id: ReferralId,
    principal: Operator,
    referrals: ReferralsDep,
    body: NoteIn | None = None,
) -> ReferralState:
    note = body.note if body else None
    actor = _actor(principal)
    return await _act(referrals, principal, referral_id, lambda at: Complete(actor, at, note))
