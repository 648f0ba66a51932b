"""Settings of the notification service (environment variables prefixed INSON_)."""

from __future__ import annotations

from inson_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "notification"
    http_port: int = 8004
