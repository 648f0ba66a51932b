"""Settings of the assessment service (environment variables prefixed INSON_)."""

from __future__ import annotations

from inson_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "assessment"
    http_port: int = 8002
    # How often temporary housing registrations are checked for expiry.
    housing_expiry_interval_s: float = 60.0
