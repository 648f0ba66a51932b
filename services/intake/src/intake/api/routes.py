"""Intake's HTTP API: submit applications, settle likely matches, read the caseload."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Response
from inson_contracts.codes.channels import Channel
from inson_contracts.events import ApplicationSubmitted
from inson_contracts.events.intake import Applicant, Consent
from inson_contracts.events.values import Actor, Address, HouseholdMember, PersonName
from inson_contracts.ids import uuid7
from inson_runtime.apikit import Problem
from inson_runtime.audit import Audit, AuditReview, fields_of
from inson_runtime.auth import Principal, Role, require_roles

from intake.api.deps import DbDep, IntakeDep, check_in_area, visible_area
from intake.api.schemas import (
    ApplicationIn,
    ErasureIn,
    ErasureOut,
    Page,
    RefusalOut,
    RejectionIn,
    SubmissionOut,
)
from intake.domain.case import IntakeRuleViolation
from intake.handlers.commands import IdempotencyKeyReused, UnknownCase, derived_id
from intake.projections.access_log import ACCESS_LOG
from intake.projections.views import APPLICATIONS, CASES

router = APIRouter(prefix="/v1", tags=["intake"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "Not found in your area"}
}
CONFLICT: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No such case"},
    409: {"model": Problem, "description": "Not allowed in the application's current state"},
}

Submitter = Annotated[
    Principal,
    Depends(require_roles(Role.SOCIAL_WORKER, Role.WINDOW_OPERATOR, Role.SUPERVISOR, Role.ADMIN)),
]
CaseWorker = Annotated[
    Principal, Depends(require_roles(Role.SOCIAL_WORKER, Role.SUPERVISOR, Role.ADMIN))
]
Reader = Annotated[
    Principal,
    Depends(require_roles(Role.SOCIAL_WORKER, Role.WINDOW_OPERATOR, Role.SUPERVISOR, Role.ADMIN)),
]
Supervisor = Annotated[Principal, Depends(require_roles(Role.SUPERVISOR, Role.ADMIN))]


def _actor(principal: Principal) -> Actor:
    return Actor(id=principal.sub, role=principal.role.value)


@router.post(
    "/applications",
    status_code=201,
    response_model=SubmissionOut,
    summary="Submit an application; it opens a case or joins the person's open case",
    responses={
        409: {"model": Problem, "description": "Idempotency-Key reused for a different application"}
    },
)
async def submit_application(
    body: ApplicationIn,
    principal: Submitter,
    intake: IntakeDep,
    response: Response,
    idempotency_key: Annotated[
        str | None,
        Header(
            pattern=r"^[A-Za-z0-9._:-]{8,128}$",
            description="Send the same key when retrying: nothing is created twice.",
        ),
    ] = None,
) -> SubmissionOut:
    if principal.role is Role.WINDOW_OPERATOR and body.channel is not Channel.SERVICE_WINDOW:
        raise HTTPException(403, "a window operator submits through the service_window channel")
    if principal.role is Role.SOCIAL_WORKER:
        check_in_area(principal, district=body.address.district, mahalla=body.address.mahalla)
    now = datetime.now(UTC)
    application_id = (
        derived_id("application", principal.sub, idempotency_key)
        if idempotency_key
        else str(uuid7())
    )
    submitted = _to_event(body, application_id, _actor(principal), now)
    try:
        result = await intake.submit(submitted)
    except IdempotencyKeyReused as exc:
        raise HTTPException(409, str(exc)) from None
    if result.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return SubmissionOut(
        application_id=result.application_id, case_id=result.case_id, outcome=result.outcome
    )


def _to_event(
    body: ApplicationIn, application_id: str, actor: Actor, now: datetime
) -> ApplicationSubmitted:
    a = body.applicant
    return ApplicationSubmitted(
        application_id=application_id,
        channel=body.channel,
        submitted_by=actor,
        submitted_at=now,
        applicant=Applicant(
            pinfl=a.pinfl,
            name=PersonName(**a.name.model_dump()),
            birth_date=a.birth_date,
            sex=a.sex,
            phone=a.phone,
            language=a.language,
        ),
        address=Address(**body.address.model_dump()),
        household=[
            HouseholdMember(
                relation=m.relation,
                name=PersonName(**m.name.model_dump()),
                birth_date=m.birth_date,
                sex=m.sex,
                pinfl=m.pinfl,
            )
            for m in body.household
        ],
        circumstances=body.circumstances,
        circumstances_note=body.circumstances_note,
        consent=Consent(given=True, given_at=now, text_version=body.consent.text_version),
    )


async def _case_in_area(intake: IntakeDep, principal: Principal, case_id: str) -> None:
    try:
        case = await intake.load_existing(case_id)
    except UnknownCase:
        raise HTTPException(404, f"no case {case_id}") from None
    check_in_area(principal, district=case.district or "", mahalla=case.mahalla or "")


@router.post(
    "/cases/{case_id}/applications/{application_id}/confirm-link",
    status_code=204,
    responses=CONFLICT,
    summary="Confirm that a likely match is the same person",
)
async def confirm_link(
    case_id: str, application_id: str, principal: CaseWorker, intake: IntakeDep
) -> None:
    await _case_in_area(intake, principal, case_id)
    await _settle(intake.confirm_link(case_id, application_id, _actor(principal)))


@router.post(
    "/cases/{case_id}/applications/{application_id}/refuse-link",
    response_model=RefusalOut,
    responses=CONFLICT,
    summary="Not the same person: the application opens a case of its own",
)
async def refuse_link(
    case_id: str, application_id: str, principal: CaseWorker, intake: IntakeDep
) -> RefusalOut:
    await _case_in_area(intake, principal, case_id)
    new_case_id = await _settle(intake.refuse_link(case_id, application_id, _actor(principal)))
    return RefusalOut(application_id=application_id, new_case_id=new_case_id)


@router.post(
    "/cases/{case_id}/applications/{application_id}/reject",
    status_code=204,
    responses=CONFLICT,
    summary="Reject a further application of a case (withdrawn, duplicate, ...)",
)
async def reject_application(
    case_id: str, application_id: str, body: RejectionIn, principal: CaseWorker, intake: IntakeDep
) -> None:
    await _case_in_area(intake, principal, case_id)
    await _settle(
        intake.reject(case_id, application_id, body.reason, body.explanation, _actor(principal))
    )


Admin = Annotated[Principal, Depends(require_roles(Role.ADMIN))]


@router.post(
    "/cases/{case_id}/erasure",
    response_model=ErasureOut,
    responses=CONFLICT,
    summary="Erase the case's person: destroy their key and tell every service (admin only)",
    description=(
        "Crypto-shredding: the key the person's data is encrypted with is destroyed, so "
        "their personal fields are unreadable in the event store, on Kafka and in every "
        "copy; every service blanks what it holds; case statistics stay. Irreversible. "
        "Asking again answers `erased: false`."
    ),
)
async def erase_person(
    case_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_:-]{1,64}$")],
    body: ErasureIn,
    principal: Admin,
    intake: IntakeDep,
) -> ErasureOut:
    try:
        erased = await intake.erase(case_id, body.basis, body.reference, _actor(principal))
    except UnknownCase:
        raise HTTPException(404, f"no case {case_id}") from None
    return ErasureOut(case_id=case_id, erased=erased)


async def _settle(action: Any) -> Any:
    try:
        return await action
    except IntakeRuleViolation as exc:
        raise HTTPException(409, str(exc)) from None


PageNo = Annotated[int, Query(ge=1, le=10_000)]
PageSize = Annotated[int, Query(ge=1, le=100)]
Code = Annotated[str | None, Query(pattern=r"^[0-9]{7,11}$")]


@router.get(
    "/applications", response_model=Page[dict[str, Any]], summary="Applications in your area"
)
async def list_applications(
    principal: Reader,
    db: DbDep,
    audit: Audit,
    district: Code = None,
    mahalla: Code = None,
    status: Annotated[str | None, Query(pattern=r"^[a-z_]{1,32}$")] = None,
    channel: Channel | None = None,
    page: PageNo = 1,
    page_size: PageSize = 20,
) -> Page[dict[str, Any]]:
    query = _filters(principal, district=district, mahalla=mahalla, status=status)
    if channel:
        query["channel"] = channel.value
    found = await _page(db[APPLICATIONS], query, "submitted_at", page, page_size)
    await audit.record((i.get("case_id") for i in found.items), fields_of(found.items))
    return found


@router.get("/applications/{application_id}", responses=NOT_FOUND, summary="One application")
async def get_application(
    application_id: str, principal: Reader, db: DbDep, audit: Audit
) -> dict[str, Any]:
    found = await _one(db[APPLICATIONS], application_id, principal, "application")
    await audit.record([found.get("case_id")], found)
    return found


@router.get("/cases", response_model=Page[dict[str, Any]], summary="Cases in your area")
async def list_cases(
    principal: Reader,
    db: DbDep,
    audit: Audit,
    district: Code = None,
    mahalla: Code = None,
    status: Annotated[str | None, Query(pattern=r"^[a-z_]{1,32}$")] = None,
    page: PageNo = 1,
    page_size: PageSize = 20,
) -> Page[dict[str, Any]]:
    query = _filters(principal, district=district, mahalla=mahalla, status=status)
    found = await _page(db[CASES], query, "opened_at", page, page_size)
    await audit.record((i["id"] for i in found.items), fields_of(found.items))
    return found


@router.get("/cases/{case_id}", responses=NOT_FOUND, summary="One case")
async def get_case(case_id: str, principal: Reader, db: DbDep, audit: Audit) -> dict[str, Any]:
    found = await _one(db[CASES], case_id, principal, "case")
    await audit.record([case_id], found)
    return found


@router.get(
    "/cases/{case_id}/access-log",
    responses=NOT_FOUND,
    summary="Who read this case's personal data: who, role, scope, purpose, when, which fields",
)
async def case_access_log(
    case_id: str,
    principal: Supervisor,
    intake: IntakeDep,
    db: DbDep,
    audit: AuditReview,
    page: PageNo = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Page[dict[str, Any]]:
    """The access audit of one case, newest first (read-only: no API changes it).

    Reading it is itself recorded (purpose ``audit_review`` unless X-Purpose
    says otherwise). Records reach this log through Kafka, seconds after the
    read they describe.
    """
    await _case_in_area(intake, principal, case_id)
    log = db[ACCESS_LOG]
    query = {"case_ids": case_id}
    total = await log.count_documents(query)
    cursor = log.find(
        query,
        # Other cases a listing read alongside are not this supervisor's business.
        projection={"case_ids": False},
        sort=[("read_at", -1), ("_id", 1)],
        skip=(page - 1) * page_size,
        limit=page_size,
    )
    items = [_public(doc) async for doc in cursor]
    await audit.record([case_id], ["access_log"])
    return Page(items=items, page=page, page_size=page_size, total=total)


def _filters(principal: Principal, **wanted: str | None) -> dict[str, Any]:
    # Every value is a validated plain string used in an equality match:
    # nothing the caller sends can become an operator.
    query: dict[str, Any] = {"$and": [visible_area(principal)]}
    for name, value in wanted.items():
        if value is not None:
            query["$and"].append({name: value})
    return query


async def _page(
    collection: Any, query: dict[str, Any], newest: str, page: int, size: int
) -> Page[dict[str, Any]]:
    total = await collection.count_documents(query)
    cursor = collection.find(
        query, sort=[(newest, -1), ("_id", 1)], skip=(page - 1) * size, limit=size
    )
    items = [_public(doc) async for doc in cursor]
    return Page(items=items, page=page, page_size=size, total=total)


async def _one(collection: Any, doc_id: str, principal: Principal, what: str) -> dict[str, Any]:
    doc = await collection.find_one({"$and": [{"_id": doc_id}, visible_area(principal)]})
    if doc is None:
        raise HTTPException(404, f"no {what} {doc_id} in your area")
    return _public(doc)


def _public(doc: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in doc.items() if not k.startswith("_")}
    out["id"] = doc["_id"]
    return out
