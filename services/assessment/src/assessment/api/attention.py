"""The loop back: plan items that need the worker, and every referral of a case."""

from __future__ import annotations

from fastapi import APIRouter
from inson_runtime.apikit import CaseWorker, Page, PageNo, PageSize, answer
from inson_runtime.audit import Audit

from assessment.api import read_examples as examples
from assessment.api.deps import OutcomesDep, fields_read
from assessment.api.errors import ERRORS
from assessment.handlers.outcomes import AttentionItem, CaseReferral

router = APIRouter(prefix="/v1", tags=["assessment"])


@router.get(
    "/attention",
    response_model=Page[AttentionItem],
    response_model_exclude_unset=True,
    summary="Plan items whose referral was refused, expired, or is overdue",
    responses=answer("One page of items needing the worker", examples.ATTENTION),
)
async def needing_attention(
    principal: CaseWorker,
    outcomes: OutcomesDep,
    audit: Audit,
    page: PageNo = 1,
    page_size: PageSize = 20,
) -> Page[AttentionItem]:
    """Items of plans in force whose current referral the provider refused, let expire, or
    has not accepted in time (escalated, or past its accept-by time): for a social worker
    their cases' (and their mahallas'), for a supervisor the district's; the latest first.
    A referral issued again for the item (after a revision kept it) takes it off the list.

    The provider's reason (`reason`) is opened for the case's social worker and the
    district's supervisor only; every answer is recorded in the access audit.
    """
    found = await outcomes.attention(principal, page, page_size)
    await audit.record((i.case_id for i in found.items), fields_read(found.items))
    return found


@router.get(
    "/case-files/{case_id}/referrals",
    response_model=list[CaseReferral],
    response_model_exclude_unset=True,
    responses=answer("The case's referrals, oldest first", examples.CASE_REFERRALS) | ERRORS,
    summary="Every referral of the case's plan items, and what became of it",
)
async def case_referrals(
    case_id: str, principal: CaseWorker, outcomes: OutcomesDep, audit: Audit
) -> list[CaseReferral]:
    """Issued, accepted, refused (code and reason), expired, escalated, cancelled or
    completed (with the provider's note), superseded ones included, oldest first. The
    reason and the note are opened for the case's social worker and the district's
    supervisor only; every answer is recorded in the access audit."""
    found = await outcomes.of_case(principal, case_id)
    await audit.record([case_id], fields_read(found))
    return found
