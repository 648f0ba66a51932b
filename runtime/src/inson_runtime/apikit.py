"""What every service's HTTP API is built from: paging, who may call, who acts.

Routes declare their callers with the role aliases below (``Annotated``
dependencies), page with :data:`PageNo` / :data:`PageSize` and answer lists
as :class:`Page` of a typed item, and record the acting user with
:func:`actor_of`. Error answers are problems (:class:`Problem`, RFC 9457;
``inson_runtime.problems``); ``responses`` documents a route's, ``answer``
its success with an example body, and ``example_request`` the body it takes.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from inson_contracts.events.values import Actor
from pydantic import BaseModel, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from inson_runtime.auth import Principal, Role, require_roles
from inson_runtime.docs import kept

# Re-exported: routes name it in their error answers.
from inson_runtime.problems.model import Problem as Problem

T = TypeVar("T")


def responses(by_status: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI error answers of a route: ``responses({404: "No such case"})``.

    Each is published as a problem (``application/problem+json``)."""
    return {
        status: {"model": Problem, "description": description}
        for status, description in by_status.items()
    }


def answer(
    description: str,
    example: Any = None,
    *,
    status: int = 200,
    headers: dict[str, Any] | None = None,
) -> dict[int | str, dict[str, Any]]:
    """A route's success answer in OpenAPI: what it means and, when it has a body, an
    example of it (Swagger UI shows it): ``responses=answer("The case", CASE) | ...``."""
    documented: dict[str, Any] = {"description": description}
    if example is not None:
        documented["content"] = {"application/json": {"example": kept(example)}}
    if headers:
        documented["headers"] = headers
    return {status: documented}


def example_request(example: Any) -> dict[str, Any]:
    """A route's ``openapi_extra``: an example of the JSON body it takes, which Swagger UI
    fills in for "Try it out"."""
    return {"requestBody": {"content": {"application/json": {"example": kept(example)}}}}


def example_page(*items: Any, total: int | None = None, page_size: int = 20) -> dict[str, Any]:
    """An example answer of a paged list: the first page of ``items`` (of ``total``)."""
    return {"items": list(items), "page": 1, "page_size": page_size, "total": total or len(items)}


class Page(BaseModel, Generic[T]):
    """One page of a list, newest or most urgent first, and how many there are in all."""

    items: list[T]
    page: int = Field(description="This page's number, from 1")
    page_size: int = Field(description="Items per page asked for")
    total: int = Field(description="Items on every page together")


PageNo = Annotated[int, Query(ge=1, le=10_000, description="Page number, from 1")]
PageSize = Annotated[int, Query(ge=1, le=100, description="Items per page")]


def skip_of(page: int, page_size: int) -> int:
    return (page - 1) * page_size


_RFC_3339 = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?"
    r"([Zz]|[+-][0-9]{2}:?[0-9]{2})?$"
)


def _rfc_3339(value: Any) -> Any:
    # pydantic would read "0.5" or "1700000000" as seconds since 1970: a moment
    # in a query is written as a date and time, or refused.
    if isinstance(value, str) and not _RFC_3339.match(value):
        raise PydanticCustomError("datetime_parsing", "an RFC 3339 date and time is expected")
    return value


Moment = Annotated[datetime, BeforeValidator(_rfc_3339)]
"""A moment given in a query: RFC 3339 text only (the route checks for an offset)."""


def _iso_day(value: Any) -> Any:
    # JSON has no dates: pydantic would take a number as seconds since 1970.
    if not isinstance(value, str | date):
        raise PydanticCustomError("date_type", "a date is written YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]
"""A date in a request body: ``YYYY-MM-DD`` text, never a number."""


# Who may call. No role implies another: each alias lists every role it lets
# through, and a 403 names them.
Staff = Annotated[
    Principal,
    Depends(require_roles(Role.SOCIAL_WORKER, Role.WINDOW_OPERATOR, Role.SUPERVISOR, Role.ADMIN)),
]
"""Anyone of the agency: social workers, window operators, supervisors, admins."""
CaseWorker = Annotated[
    Principal, Depends(require_roles(Role.SOCIAL_WORKER, Role.SUPERVISOR, Role.ADMIN))
]
"""Those who work on cases: social workers, their supervisors, admins."""
WindowStaff = Annotated[Principal, Depends(require_roles(Role.WINDOW_OPERATOR, Role.ADMIN))]
"""Those who act on referrals at a window: window operators, admins."""
WindowReader = Annotated[
    Principal, Depends(require_roles(Role.WINDOW_OPERATOR, Role.SUPERVISOR, Role.ADMIN))
]
"""Those who read window queues: window operators, supervisors, admins."""
ReferralStaff = Annotated[
    Principal, Depends(require_roles(Role.WINDOW_OPERATOR, Role.PROVIDER_OPERATOR, Role.ADMIN))
]
"""Those who act on referrals: window operators, other providers' operators, admins."""
ReferralReader = Annotated[
    Principal,
    Depends(
        require_roles(Role.WINDOW_OPERATOR, Role.PROVIDER_OPERATOR, Role.SUPERVISOR, Role.ADMIN)
    ),
]
"""Those who read referral queues: window and provider operators, supervisors, admins."""
Supervisor = Annotated[Principal, Depends(require_roles(Role.SUPERVISOR, Role.ADMIN))]
"""Inson-center supervisors and admins."""
Admin = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
PartnerAdmin = Annotated[Principal, Depends(require_roles(Role.PARTNER_ADMIN))]
"""A partner agency's administrator (partner subscriptions only)."""


def actor_of(principal: Principal) -> Actor:
    """The acting user as events record them: id and role, nothing personal."""
    return Actor(id=principal.sub, role=principal.role.value)
