"""Settings of the intake service (environment variables prefixed INSON_)."""

from __future__ import annotations

from inson_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "intake"
    http_port: int = 8001
