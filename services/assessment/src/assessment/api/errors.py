"""How the API answers what the handlers refuse: the status and body of each kind.

Bodies are ``{"detail": ...}`` like FastAPI's own errors; a stale tablet
command recorded as a conflict answers 409 with the conflict beside the
detail, so the tablet can show both versions without another request.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from inson_runtime.apikit import responses
from inson_runtime.repository import VersionAhead

from assessment.api.schemas import ConflictView, DraftView
from assessment.domain.case_file import CaseFileRuleViolation
from assessment.handlers.errors import (
    CommandError,
    DraftConflict,
    NotFound,
    OutOfScope,
    Refused,
    Unprocessable,
)
from assessment.handlers.tablets import ConflictRecorded
from assessment.projections.queries import NoArea

ERRORS = responses({404: "No such case file", 409: "Not allowed in the case file's current state"})
# A tablet command based on a stale version whose changes overlap newer ones.
TABLET_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    409: {
        "description": (
            "Not allowed in the case file's current state; or, with `conflict_id` in the "
            "body, the command was based on a stale `base_version`, overlapped newer changes "
            "and was recorded as a conflict (not applied; do not retry: resolve it)"
        )
    },
}
STATUS: dict[type[CommandError], int] = {
    NotFound: 404,
    OutOfScope: 403,
    Refused: 409,
    Unprocessable: 422,
}
CONFLICT_DETAIL = (
    "the case file changed since base_version on the same answers or plan items; "
    "the command was recorded as a conflict for a worker or supervisor to resolve"
)


def _problem(status: int, detail: Any) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": jsonable_encoder(detail)})


async def _refused(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, CommandError):
        raise exc
    status = next(s for kind, s in STATUS.items() if isinstance(exc, kind))
    return _problem(status, exc.detail)


async def _rule_violated(request: Request, exc: Exception) -> JSONResponse:
    return _problem(409, str(exc))


async def _no_area(request: Request, exc: Exception) -> JSONResponse:
    return _problem(403, str(exc))


async def _base_ahead(request: Request, exc: Exception) -> JSONResponse:
    return _problem(422, [{"loc": ["body", "base_version"], "msg": str(exc)}])


async def _draft_stale(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, DraftConflict):
        raise exc
    detail = {
        "msg": exc.detail,
        "base_revision": exc.base_revision,
        "current": DraftView.of(exc.current).model_dump(),
        "submitted": exc.submitted,
    }
    return _problem(409, detail)


async def _conflict_recorded(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, ConflictRecorded):
        raise exc
    view = ConflictView.of(exc.conflict).model_dump(mode="json")
    return JSONResponse(status_code=409, content={"detail": CONFLICT_DETAIL, **view})


def install_error_answers(app: FastAPI) -> None:
    for kind in STATUS:
        app.add_exception_handler(kind, _refused)
    app.add_exception_handler(DraftConflict, _draft_stale)
    app.add_exception_handler(ConflictRecorded, _conflict_recorded)
    app.add_exception_handler(CaseFileRuleViolation, _rule_violated)
    app.add_exception_handler(NoArea, _no_area)
    app.add_exception_handler(VersionAhead, _base_ahead)
