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
from intake.projections.queries import NotInArea

STATUS: dict[type[Exception], int] = {
    NoArea: 403,
    OutsideArea: 403,
    WrongChannel: 403,
    UnknownCase: 404,
    NotInArea: 404,
    IntakeRuleViolation: 409,
    IdempotencyKeyReused: 409,
}


def install_errors(app: FastAPI) -> None:
    for error, status in STATUS.items():
        app.add_exception_handler(error, _answer(status))


def _answer(status: int) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    async def answer(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(status_code=status, content={"detail": str(exc)})

    return answer
