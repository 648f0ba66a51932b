"""FastAPI dependencies of the intake API, as Annotated aliases."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from inson_runtime.auth import Principal, Role
from inson_runtime.mongo import Document
from pymongo.asynchronous.database import AsyncDatabase

from intake.handlers.commands import Intake


def _intake(request: Request) -> Intake:
    intake: Intake = request.app.state.intake
    return intake


def _db(request: Request) -> AsyncDatabase[Document]:
    db: AsyncDatabase[Document] = request.app.state.runtime.db
    return db


IntakeDep = Annotated[Intake, Depends(_intake)]
DbDep = Annotated[AsyncDatabase[Document], Depends(_db)]


def visible_area(principal: Principal) -> dict[str, Any]:
    """The part of the caseload a caller may see, as a query filter.

    A social worker sees the mahallas of their token; a supervisor or window
    operator their district; an admin everything.
    """
    scope = principal.scope
    if principal.role is Role.ADMIN:
        return {}
    if principal.role is Role.SOCIAL_WORKER:
        return {"mahalla": {"$in": list(scope.mahallas)}}
    if principal.role in (Role.SUPERVISOR, Role.WINDOW_OPERATOR) and scope.district:
        return {"district": scope.district}
    raise HTTPException(status_code=403, detail="your token's scope covers no district or mahalla")


def check_in_area(principal: Principal, *, district: str, mahalla: str) -> None:
    area = visible_area(principal)
    allowed_mahallas = area.get("mahalla", {}).get("$in")
    if allowed_mahallas is not None and mahalla not in allowed_mahallas:
        raise HTTPException(status_code=403, detail=f"mahalla {mahalla} is outside your scope")
    if "district" in area and area["district"] != district:
        raise HTTPException(status_code=403, detail=f"district {district} is outside your scope")
