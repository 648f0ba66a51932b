"""The shape of a catalogue entry: category, provider type, service."""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.codes.names import LocalizedName, name


class ServiceCategory(StrEnum):
    HOME_CARE = "home_care"
    DISABILITY_SUPPORT = "disability_support"
    # rehabilitation and prosthetic/orthopaedic devices, technical means of rehabilitation
    REHABILITATION_DEVICES = "rehabilitation_devices"
    HOUSING = "housing"
    # includes family-based (foster) care and prevention of institutionalisation
    CHILD_PROTECTION = "child_protection"
    FAMILY_SUPPORT = "family_support"
    CASH_ASSISTANCE = "cash_assistance"
    IN_KIND_ASSISTANCE = "in_kind_assistance"
    EMPLOYMENT = "employment"
    HEALTH = "health"
    EDUCATION = "education"


# The code of a service starts with its category's prefix, so a code read in
# a log or on paper says what kind of help it is.
CATEGORY_PREFIX: Mapping[ServiceCategory, str] = MappingProxyType(
    {
        ServiceCategory.HOME_CARE: "HOME",
        ServiceCategory.DISABILITY_SUPPORT: "DIS",
        ServiceCategory.REHABILITATION_DEVICES: "REHAB",
        ServiceCategory.HOUSING: "HOUSE",
        ServiceCategory.CHILD_PROTECTION: "CHILD",
        ServiceCategory.FAMILY_SUPPORT: "FAM",
        ServiceCategory.CASH_ASSISTANCE: "CASH",
        ServiceCategory.IN_KIND_ASSISTANCE: "KIND",
        ServiceCategory.EMPLOYMENT: "EMP",
        ServiceCategory.HEALTH: "HLTH",
        ServiceCategory.EDUCATION: "EDU",
    }
)

SERVICE_CODE = re.compile(r"^[A-Z]{2,5}-\d{2}$")

# Target times for a provider to accept a referral, in working days. They are
# this platform's defaults for tracking referral deadlines, not figures from a
# regulation: emergencies (a child without care, violence) the next day,
# urgent care within three days, everything else within ten.
EMERGENCY_DAYS = 1
URGENT_DAYS = 3
STANDARD_DAYS = 10


class ProviderType(StrEnum):
    SOCIAL_SERVICE_WINDOW = "social_service_window"  # at a Public Services Center
    INSON_CENTER = "inson_center"
    HEALTH_FACILITY = "health_facility"
    EDUCATION_BODY = "education_body"
    EMPLOYMENT_CENTER = "employment_center"
    MAHALLA = "mahalla"
    NGO_PARTNER = "ngo_partner"
    OTHER = "other"


class Service(BaseModel):
    """A kind of social service or assistance a plan can refer a person to."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=SERVICE_CODE.pattern)
    category: ServiceCategory
    name: LocalizedName
    provider: ProviderType
    target_days: int = Field(
        ge=1, le=30, description="Working days the provider has to accept a referral."
    )
    eligibility: tuple[Circumstance, ...] = Field(
        min_length=1, description="Circumstances the service addresses: a hint, not a rule."
    )

    @field_validator("eligibility")
    @classmethod
    def _distinct(cls, value: tuple[Circumstance, ...]) -> tuple[Circumstance, ...]:
        if len(set(value)) != len(value):
            raise ValueError("a circumstance is listed twice")
        return value

    @model_validator(mode="after")
    def _code_matches_category(self) -> Service:
        prefix = CATEGORY_PREFIX[self.category]
        if self.code.split("-")[0] != prefix:
            raise ValueError(f"code {self.code} must start with {prefix}- for {self.category}")
        return self


def service_entry(
    code: str,
    category: ServiceCategory,
    provider: ProviderType,
    target_days: int,
    eligibility: tuple[Circumstance, ...],
    names: tuple[str, str, str],
) -> Service:
    """Positional shorthand that keeps the catalogue tables compact."""
    return Service(
        code=code,
        category=category,
        name=name(*names),
        provider=provider,
        target_days=target_days,
        eligibility=eligibility,
    )
