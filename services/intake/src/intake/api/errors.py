"""Intake's refusals as HTTP answers: each handler or query exception has its status.

The body is the FastAPI error shape, ``{"detail": "<why>"}`` (``Problem``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from intake.domain.area import NoArea, OutsideArea
from intake.domain.case import IntakeRuleViolation
from intake.handlers.commands import IdempotencyKeyReused, UnknownCase, WrongChannel
from intake.handlers.matching import PersonBeingRecorded
from intake.projections.queries import NotInArea

STATUS: dict[type[Exception], int] = {
    NoArea: 403,
    OutsideArea: 403,
    WrongChannel: 403,
    UnknownCase: 404,
    NotInArea: 404,
    IntakeRuleViolation: 409,
    IdempotencyKeyReused: 409,
    PersonBeingRecorded: 503,
}


# Another application for the same person is being recorded: it takes
# milliseconds as a rule, so the caller may retry at once.
RETRY_AFTER: dict[type[Exception], str] = {PersonBeingRecorded: "1"}


def install_errors(app: FastAPI) -> None:
    for error, status in STATUS.items():
        app.add_exception_handler(error, _answer(status, RETRY_AFTER.get(error)))


def _answer(
    status: int, retry_after: str | None
) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    headers = {"Retry-After": retry_after} if retry_after else None

    async def answer(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(status_code=status, content={"detail": str(exc)}, headers=headers)

    return answer
