"""FastAPI dependencies of the notification API, as Annotated aliases, and its error answers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Request
from inson_runtime.auth import Principal, Role
from inson_runtime.problems import ProblemError

from notification.api.errors import install_errors
from notification.api.problems import NO_AREA
from notification.handlers.commands import Partners
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
        raise ProblemError(NO_AREA)
    return principal.scope.district


def install_error_answers(app: FastAPI) -> None:
    """The partner handlers' refusals as problems (``api/errors.py``)."""
    install_errors(app)
