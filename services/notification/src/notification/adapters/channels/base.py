"""What the HTTP channels share: which answers to retry."""

from __future__ import annotations


def retryable_status(status: int) -> bool:
    """HTTP answers worth trying again: the provider is busy or broken, not refusing."""
    return status in (408, 425, 429) or status >= 500
