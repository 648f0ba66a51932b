"""Applications: submit one (it opens a case or joins the person's), list and read them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response
from inson_contracts.codes.channels import Channel
from inson_runtime.apikit import (
    Page,
    PageNo,
    PageSize,
    Staff,
    actor_of,
    answer,
    example_page,
    responses,
)
from inson_runtime.audit import Audit

from intake.api import examples
from intake.api.deps import (
    ApplicationStatus,
    CallerArea,
    District,
    IntakeDep,
    Mahalla,
    QueriesDep,
    ReadsDep,
)
from intake.api.schemas import ApplicationIn, SubmissionOut
from intake.projections.records import ApplicationRecord, fields_set

router = APIRouter(prefix="/v1", tags=["intake"])
LOCATION = {
    "description": "The application: its author reads it there at once.",
    "schema": {"type": "string"},
}

SUBMISSION = (
    "A social worker submits what a person or family asked for (on a tablet in the "
    "mahalla, for the people of their own mahallas), a window operator what was brought "
    "to the service window (channel `service_window` only), a supervisor or admin any "
    "channel. One case per person: an application whose applicant already has a case "
    "(the same PINFL, or the same name and birth date in the same district) joins it "
    "(`linked`); a likely match (the same birth date and a name a typo, a folded "
    "spelling or a one-sided patronymic apart, or the same name and birth date in "
    "another district) joins it waiting for a worker of the case's area to confirm or "
    "refuse the match (`linked_pending_confirmation`); anyone else gets a case of their own "
    "(`case_opened`), which assessment then assigns to a social worker of the mahalla. "
    "The answer is the application as `GET /v1/applications/{id}` gives it, at once, "
    "with its case and the outcome. Send an Idempotency-Key to retry safely: the same "
    "key answers the first result (`Idempotent-Replayed: true`).\n\n"
)

RULES = (
    "Besides the schema, each answered 422 with the field's code: birth dates neither in "
    "the future nor before 1900 (`birth_date_future`, `birth_date_too_early`), a PINFL's "
    "digits 2-7 a real date (`pinfl_birth_date`), places of the register "
    "(`unknown_code`), the district in the region and the mahalla in the district "
    "(`district_not_in_region`, `mahalla_not_in_district`), circumstances distinct "
    "(`circumstances_repeated`) and `other` explained (`circumstances_note_required`)."
)

IdempotencyKey = Annotated[
    str | None,
    Header(
        pattern=r"^[A-Za-z0-9._:-]{8,128}$",
        description="Send the same key when retrying: nothing is created twice.",
    ),
]


@router.post(
    "/applications",
    status_code=201,
    response_model=SubmissionOut,
    response_model_exclude_unset=True,
    summary="Submit an application; it opens a case or joins the person's open case",
    description=SUBMISSION + RULES,
    responses={
        **answer(
            "The application recorded (or, for a repeated Idempotency-Key, as first recorded)",
            examples.SUBMISSION,
            status=201,
            headers={"Location": LOCATION},
        ),
        **responses(
            {
                409: "Idempotency-Key reused for a different application",
                503: "Another application for this person is being recorded: retry "
                "(after Retry-After seconds)",
            }
        ),
    },
)
async def submit_application(
    body: ApplicationIn,
    principal: Staff,
    area: CallerArea,
    intake: IntakeDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> SubmissionOut:
    result = await intake.submit(
        body.to_command(), actor_of(principal), area, idempotency_key=idempotency_key
    )
    if result.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    response.headers["Location"] = f"/v1/applications/{result.application_id}"
    return SubmissionOut.model_validate(
        result.application.model_dump(exclude_unset=True)
        | {
            "application_id": result.application_id,
            "case_id": result.case_id,
            "outcome": result.outcome,
        }
    )


@router.get(
    "/applications",
    response_model=Page[ApplicationRecord],
    response_model_exclude_unset=True,
    summary="Applications in your area, newest first",
    description="The applications of the caller's area: a social worker's mahallas, a "
    "supervisor's or window operator's district, everywhere for an admin; filtered by "
    "district, mahalla, status and channel (a filter that can match nothing is refused, "
    "422). Personal data: every answer is recorded in the case's access log. The list is "
    "a read model, moments behind a submission; `GET /v1/applications/{id}` is not.",
    responses=answer(
        "One page of applications",
        example_page(examples.LIKELY_MATCH, examples.APPLICATION, total=2),
    ),
)
async def list_applications(
    principal: Staff,
    area: CallerArea,
    queries: QueriesDep,
    audit: Audit,
    district: District = None,
    mahalla: Mahalla = None,
    status: ApplicationStatus = None,
    channel: Channel | None = None,
    page: PageNo = 1,
    page_size: PageSize = 20,
) -> Page[ApplicationRecord]:
    found = await queries.applications(
        area,
        district=district,
        mahalla=mahalla,
        status=status,
        channel=channel,
        page=page,
        page_size=page_size,
    )
    await audit.record((a.case_id for a in found.items), fields_set(found.items))
    return found


@router.get(
    "/applications/{application_id}",
    response_model=ApplicationRecord,
    response_model_exclude_unset=True,
    responses=answer("The application", examples.APPLICATION)
    | responses({404: "Not found in your area"}),
    summary="One application: where it went and how it was matched",
)
async def get_application(
    application_id: str, principal: Staff, area: CallerArea, reads: ReadsDep, audit: Audit
) -> ApplicationRecord:
    """An application in your area, or one you submitted: right after its 201 too."""
    found = await reads.application(application_id, actor_of(principal), area)
    await audit.record([found.case_id], fields_set([found]))
    return found
