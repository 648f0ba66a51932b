"""Settings of the insight service (environment variables prefixed INSON_)."""

from __future__ import annotations

from inson_runtime.settings import ServiceSettings
from pydantic import Field


class Settings(ServiceSettings):
    service_name: str = "insight"
    http_port: int = 8006
    # How often the Prometheus gauges are folded again from the facts.
    gauge_interval_s: float = Field(default=30.0, gt=0)
