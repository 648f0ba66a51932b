"""What every service's HTTP API is built from: paging, who may call, who acts.

Routes declare their callers with the role aliases below (``Annotated``
dependencies), page with :data:`PageNo` / :data:`PageSize` and answer lists
as :class:`Page` of a typed item, and record the acting user with
:func:`actor_of`. Error answers are problems (:class:`Problem`, RFC 9457;
``inson_runtime.problems``); ``responses`` documents a route's.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from inson_contracts.events.values import Actor
from pydantic import BaseModel, Field

from inson_runtime.auth import Principal, Role, require_roles

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
