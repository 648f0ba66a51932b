"""The questionnaire draft: a tablet saves a half-finished visit and resumes it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response
from inson_runtime.apikit import CaseWorker, answer, example_request
from inson_runtime.audit import Audit

from assessment.api import examples
from assessment.api.deps import DRAFT_REVISION_HEADER, AssessmentsDep
from assessment.api.errors import DRAFT_ERRORS, ERRORS
from assessment.api.schemas import DraftView

router = APIRouter(prefix="/v1", tags=["assessment"])
BaseRevision = Query(
    ge=0,
    description=(
        "The draft revision (X-Inson-Draft-Revision; 0 for none) the tablet edited. "
        "If another save came in between, 409 with both drafts, nothing overwritten."
    ),
)


@router.put(
    "/cases/{case_id}/assessment/draft",
    status_code=204,
    responses=answer(
        "Saved",
        status=204,
        headers={
            DRAFT_REVISION_HEADER: {
                "description": "The draft's new revision: the next save's base_revision",
                "schema": {"type": "integer"},
            }
        },
    )
    | DRAFT_ERRORS,
    summary="Save the home-visit questionnaire as far as it goes (a tablet's draft)",
    openapi_extra=example_request(examples.DRAFT),
)
async def save_draft(
    case_id: str,
    principal: CaseWorker,
    assessments: AssessmentsDep,
    draft: Annotated[dict[str, Any], Body()],
    response: Response,
    base_revision: Annotated[int | None, BaseRevision] = None,
) -> None:
    """The case's social worker saves the questionnaire as far as it goes, to resume the
    visit later or on another tablet; its answers are not validated until completion.

    The draft is a scratch copy outside the event store; a stale save is
    refused (409, both drafts in the answer), never merged or overwritten.
    What a draft may be is bounded, so that any draft is stored and read back
    as sent (422 pointing at the place, with its code): a JSON object of at
    most 64 KB, nested at most 8 deep, keys of letters, digits, `_` and `-`
    (at most 64, not starting with a digit or `-`; no `$` or `.`), no list
    directly in a list, integers of 64 bits, finite numbers, text without NUL
    or unpaired surrogates.
    """
    revision = await assessments.save_draft(principal, case_id, draft, base_revision)
    response.headers[DRAFT_REVISION_HEADER] = str(revision)


@router.get(
    "/cases/{case_id}/assessment/draft",
    response_model=DraftView,
    responses=answer("The saved draft (revision 0 and nulls: none)", examples.DRAFT_VIEW) | ERRORS,
    summary="The saved questionnaire draft, to resume a home visit",
)
async def get_draft(
    case_id: str, principal: CaseWorker, assessments: AssessmentsDep, audit: Audit
) -> DraftView:
    """The last draft saved for the case, who saved it and when, and its revision (send it
    back as `base_revision` with the next save). Personal data: the read is recorded in
    the access audit."""
    found = DraftView.of(await assessments.draft(principal, case_id))
    await audit.record([case_id], found.model_fields_set)
    return found
