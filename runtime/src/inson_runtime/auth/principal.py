"""Who is calling: the verified identity every HTTP handler works with."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Role(StrEnum):
    SOCIAL_WORKER = "social_worker"
    WINDOW_OPERATOR = "window_operator"
    SUPERVISOR = "supervisor"
    # Staff of a provider other than a Social service window (an Inson center,
    # a health facility, a mahalla, ...), acting on referrals to it.
    PROVIDER_OPERATOR = "provider_operator"
    PARTNER_ADMIN = "partner_admin"
    ADMIN = "admin"


class Scope(BaseModel):
    """The territory a principal acts in; an empty scope grants no territory."""

    # Unknown keys are ignored so an issuer can add scope dimensions before services use them.
    model_config = ConfigDict(frozen=True, extra="ignore")

    mahallas: list[NonEmptyStr] = []
    service_center: NonEmptyStr | None = None
    district: NonEmptyStr | None = None
    # The provider directory codes a provider operator acts for.
    providers: list[NonEmptyStr] = []


class Principal(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    sub: NonEmptyStr
    role: Role
    scope: Scope = Scope()
    name: str | None = None
