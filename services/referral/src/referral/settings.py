"""Settings of the referral service (environment variables prefixed INSON_)."""

from __future__ import annotations

from inson_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "referral"
    http_port: int = 8003
