"""Erasure of a case's person (crypto-shredding), for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from inson_runtime.apikit import Admin, actor_of, answer, example_request, responses

from intake.api import examples
from intake.api.deps import IntakeDep
from intake.api.schemas import ErasureIn, ErasureOut

router = APIRouter(prefix="/v1", tags=["intake"])


@router.post(
    "/cases/{case_id}/erasure",
    response_model=ErasureOut,
    responses=answer("The person is erased (or was before: `erased: false`)", examples.ERASURE)
    | responses({404: "No such case", 409: "Not allowed in the application's current state"}),
    summary="Erase the case's person: destroy their key and tell every service (admin only)",
    description=(
        "Crypto-shredding: the key the person's data is encrypted with is destroyed, so "
        "their personal fields are unreadable in the event store, on Kafka and in every "
        "copy; every service blanks what it holds; case statistics stay. Irreversible. "
        "Asking again answers `erased: false`. An admin gives the legal ground (`basis`) "
        "and the request's or order's number (`reference`, never a name or PINFL: it stays "
        "readable as the record of the erasure)."
    ),
    openapi_extra=example_request(examples.ERASURE_REQUEST),
)
async def erase_person(
    case_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_:-]{1,64}$")],
    body: ErasureIn,
    principal: Admin,
    intake: IntakeDep,
) -> ErasureOut:
    erased = await intake.erase(case_id, body.basis, body.reference, actor_of(principal))
    return ErasureOut(case_id=case_id, erased=erased)
