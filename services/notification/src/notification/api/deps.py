"""FastAPI dependencies of the notification API, as Annotated aliases, and its error answers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from inson_runtime.auth import Principal, Role

from notification.handlers.commands import Partners, SubscriptionRefused, UnknownSubscription
from notification.projections.message_queries import MessageLog


def _partners(request: Request) -> Partners:
    partners: Partners = request.app.state.partners
    return partners


def _message_log(request: Request) -> MessageLog:
    messages: MessageLog = request.app.state.message_log
    return messages


PartnersDep = Annotated[Partners, Depends(_partners)]
MessageLogDep = Annotated[MessageLog, Depends(_message_log)]


def district_of(principal: Principal) -> str | None:
    """The district whose messages the caller may see; None for all (admins)."""
    if principal.role is Role.ADMIN:
        return None
    if not principal.scope.district:
        raise HTTPException(403, "your token's scope covers no district")
    return principal.scope.district


def install_error_answers(app: FastAPI) -> None:
    """The partner handlers' refusals as HTTP answers: 404 for another's, 422 for a bad ask."""

    @app.exception_handler(UnknownSubscription)
    async def unknown(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(SubscriptionRefused)
    async def refused(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)
