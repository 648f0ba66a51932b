"""When to try a webhook delivery again: a schedule partners are told, not a formula.

Messages to people back off exponentially (``inson_runtime.backoff.Backoff``,
applied by the notifier); partners plan their maintenance around this table.
"""

from __future__ import annotations

from datetime import datetime, timedelta

# Partners are systems that go down for maintenance over a night or a
# weekend day: retries start fast (a blip), then settle at every two hours,
# and stop only after more than a day, so an outage of up to 24 hours is
# caught up without anyone asking for a replay.
WEBHOOK_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=1),
)
WEBHOOK_STEADY_DELAY = timedelta(hours=2)
WEBHOOK_GIVE_UP_AFTER = timedelta(hours=26)


def webhook_delay(attempt: int) -> timedelta:
    """The wait after failed attempt number ``attempt`` (1, 2, ...) of a delivery."""
    if attempt < 1:
        raise ValueError("attempts are counted from 1")
    if attempt <= len(WEBHOOK_DELAYS):
        return WEBHOOK_DELAYS[attempt - 1]
    return WEBHOOK_STEADY_DELAY


def webhook_retry_at(
    first_attempt_at: datetime, attempt: int, failed_at: datetime
) -> datetime | None:
    """When to try a delivery again, or None when it is to be given up (dead)."""
    at = failed_at + webhook_delay(attempt)
    if at - first_attempt_at > WEBHOOK_GIVE_UP_AFTER:
        return None
    return at
