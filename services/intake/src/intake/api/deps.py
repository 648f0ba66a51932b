"""FastAPI dependencies of the intake API, as Annotated aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request
from inson_runtime.auth import CurrentPrincipal, Role

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

# Filters of the caseload lists: plain codes and words, never operators.
Code = Annotated[str | None, Query(pattern=r"^[0-9]{7,11}$")]
Status = Annotated[str | None, Query(pattern=r"^[a-z_]{1,32}$")]
