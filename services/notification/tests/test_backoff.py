"""Retry schedules: messages back off exponentially; webhooks keep trying for over a day."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from inson_runtime.backoff import Backoff
from notification.domain.backoff import WEBHOOK_GIVE_UP_AFTER, webhook_delay, webhook_retry_at

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def test_message_retries_double_up_to_the_cap() -> None:
    delays = [Backoff(first_s=2, max_s=60).delay(n) for n in range(1, 8)]
    assert delays == [2, 4, 8, 16, 32, 60, 60]


def test_the_webhook_schedule_starts_fast_and_settles_at_two_hours() -> None:
    minutes = [webhook_delay(n).total_seconds() / 60 for n in range(1, 10)]
    assert minutes[:6] == [5 / 60, 0.5, 2, 10, 30, 60]
    assert minutes[6:] == [120, 120, 120]
    with pytest.raises(ValueError, match="from 1"):
        webhook_delay(0)


def walk_schedule() -> list[datetime]:
    """Attempt times of a delivery that always fails, each failing at once."""
    attempts = [T0]
    while True:
        at = webhook_retry_at(T0, len(attempts), attempts[-1])
        if at is None:
            return attempts
        attempts.append(at)


def test_a_failing_delivery_is_retried_for_more_than_a_day_then_given_up() -> None:
    attempts = walk_schedule()
    last = attempts[-1] - T0
    assert timedelta(hours=24) <= last <= WEBHOOK_GIVE_UP_AFTER
    # Never two attempts closer than the schedule says, never a gap over 2 h.
    gaps = [b - a for a, b in itertools.pairwise(attempts)]
    assert gaps == sorted(gaps)
    assert max(gaps) == timedelta(hours=2)
    assert len(attempts) == 19  # 7 within 2 hours, then one every 2 hours


def test_the_give_up_time_is_measured_from_the_first_attempt() -> None:
    late = T0 + timedelta(hours=25)
    assert webhook_retry_at(T0, 12, late) is None
    assert webhook_retry_at(T0, 12, T0 + timedelta(hours=23)) == T0 + timedelta(hours=25)
