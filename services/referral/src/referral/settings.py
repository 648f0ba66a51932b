"""Settings of the referral service (environment variables prefixed INSON_)."""

from __future__ import annotations

from inson_runtime.settings import ServiceSettings
from pydantic import Field


class Settings(ServiceSettings):
    service_name: str = "referral"
    http_port: int = 8003
    # How often the deadline task looks for referrals to escalate or expire.
    # Deadlines are counted in days, so a minute is prompt enough.
    deadline_interval_s: float = Field(default=60.0, gt=0)
    # How old a center's count of open referrals per window may be when the
    # plan policy balances a new referral between its windows (each count
    # reads every open referral of a window; this process adds its own
    # choices in between: handlers/window_tally.py).
    window_counts_max_age_s: float = Field(default=30.0, ge=0)
    deadline_batch: int = Field(default=200, ge=1)
    # A referral nobody accepted within this many days is closed as expired.
    expire_after_days: float = Field(default=30.0, gt=0)
