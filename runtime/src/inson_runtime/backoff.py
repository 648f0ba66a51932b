"""How long to wait before trying again: one exponential policy for every retry.

Consumers waiting out a store or broker outage, the topic set-up waiting for a
broker that is still starting, and notification's message retries all double
their wait from a first delay up to a cap. Partner webhooks follow a schedule
of their own (``notification.domain.backoff``): partners are told when to
expect retries, so that is a published table, not a formula.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """``first_s``, then twice as long after each further failure, never above ``max_s``."""

    first_s: float = 0.2
    max_s: float = 30.0

    def __post_init__(self) -> None:
        if self.first_s <= 0 or self.max_s < self.first_s:
            raise ValueError("a backoff needs 0 < first_s <= max_s")

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1, 2, ...)."""
        # The exponent is capped before it is raised: a message retried for
        # weeks must not overflow a float.
        exponent = min(max(0, attempt - 1), 64)
        return float(min(self.max_s, self.first_s * 2**exponent))
