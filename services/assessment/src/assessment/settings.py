"""Settings of the assessment service (environment variables prefixed INSON_)."""

from __future__ import annotations

from inson_runtime.settings import ServiceSettings
from pydantic import Field


class Settings(ServiceSettings):
    service_name: str = "assessment"
    http_port: int = 8002
    # How often temporary housing registrations are checked for expiry and a near end.
    housing_expiry_interval_s: float = 60.0
    # Days before a registration's end the person and the worker are told; unset, the
    # rule's own (rules/housing-v1.json: 14).
    housing_reminder_days: int | None = Field(default=None, ge=0, le=90)
    # Where the tablet app (/tablet/) sends applications: intake's origin, which must
    # list this service's origin in its INSON_CORS_ORIGINS.
    intake_url: str = "http://127.0.0.1:8001"
