"""Settings of the assessment service (environment variables prefixed INSON_)."""

from __future__ import annotations

from inson_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "assessment"
    http_port: int = 8002
