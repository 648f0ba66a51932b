"""FastAPI dependencies of the intake API, as Annotated aliases."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query, Request
from inson_contracts.codes.geography import DISTRICTS_BY_CODE
from inson_runtime.auth import CurrentPrincipal, Role
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from intake.domain.area import EVERYWHERE, NOWHERE, Area
from intake.handlers.commands import Intake
from intake.handlers.reads import Reads
from intake.projections.queries import IntakeQueries


def _intake(request: Request) -> Intake:
    intake: Intake = request.app.state.intake
    return intake


def _queries(request: Request) -> IntakeQueries:
    queries: IntakeQueries = request.app.state.queries
    return queries


def _reads(request: Request) -> Reads:
    reads: Reads = request.app.state.reads
    return reads


def _area(principal: CurrentPrincipal) -> Area:
    """The caller's area from their token (see ``domain/area.py``)."""
    scope = principal.scope
    if principal.role is Role.ADMIN:
        return EVERYWHERE
    if principal.role is Role.SOCIAL_WORKER:
        return Area(mahallas=tuple(scope.mahallas))
    if principal.role in (Role.SUPERVISOR, Role.WINDOW_OPERATOR) and scope.district:
        return Area(district=scope.district)
    return NOWHERE


IntakeDep = Annotated[Intake, Depends(_intake)]
QueriesDep = Annotated[IntakeQueries, Depends(_queries)]
ReadsDep = Annotated[Reads, Depends(_reads)]
CallerArea = Annotated[Area, Depends(_area)]

# Filters of the caseload lists: codes of the register and the statuses the
# lists hold, never operators; a value that can match nothing is refused (422),
# not answered with an empty page.
_DISTRICTS = sorted(DISTRICTS_BY_CODE)


def _known_district(code: str | None) -> str | None:
    if code is not None and code not in DISTRICTS_BY_CODE:
        raise PydanticCustomError("unknown_code", "no such district in the register")
    return code


District = Annotated[
    str | None,
    AfterValidator(_known_district),
    Query(
        pattern=r"^[0-9]{7}$",
        json_schema_extra={"enum": _DISTRICTS},
        description="A district of the register",
    ),
]
# A mahalla's code begins with its district's.
Mahalla = Annotated[
    str | None,
    Query(
        pattern=rf"^({'|'.join(_DISTRICTS)})[0-9]{{3,4}}$",
        description="A mahalla code (its district's code and 3-4 digits)",
    ),
]
CaseStatus = Annotated[Literal["open", "closed"] | None, Query(description="The case's status")]
ApplicationStatus = Annotated[
    Literal["submitted", "opened_case", "linked", "pending_confirmation", "rejected"] | None,
    Query(description="The application's status"),
]
