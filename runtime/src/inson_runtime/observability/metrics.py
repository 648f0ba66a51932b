"""Prometheus metrics shared by all Inson services.

All metrics live in the default registry and are created through `get_or_create`, because a
module can be imported twice in one process (pytest's importlib mode, `python -m`) and
prometheus-client refuses to register a name twice.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeVar, get_args

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram

__all__ = [
    "CONSUMER_LAG",
    "DEAD_LETTERS",
    "EVENTS_CONSUMED",
    "EVENTS_PUBLISHED",
    "HANDLER_SECONDS",
    "HTTP_REQUESTS",
    "HTTP_REQUEST_SECONDS",
    "LATENCY_BUCKETS",
    "OUTBOX_PENDING",
    "ConsumeOutcome",
    "ServiceMetrics",
    "get_or_create",
]

ConsumeOutcome = Literal["applied", "duplicate", "dead_lettered", "failed"]
_OUTCOMES: Final = frozenset(get_args(ConsumeOutcome))

# 1 ms .. 10 s: a projection write is milliseconds, a stuck Mongo call shows up at the top.
LATENCY_BUCKETS: Final = (
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
)

_M = TypeVar("_M", Counter, Gauge, Histogram)
_lock = threading.Lock()


def get_or_create(
    kind: type[_M],
    name: str,
    documentation: str,
    labelnames: Sequence[str],
    *,
    registry: CollectorRegistry = REGISTRY,
    buckets: Sequence[float] | None = None,
) -> _M:
    """The metric registered under `name`, creating it on first use in this process."""
    with _lock:
        # prometheus-client has no public lookup; this mapping has been stable for years.
        existing = registry._names_to_collectors.get(name)
        if existing is not None:
            if not isinstance(existing, kind):
                raise TypeError(f"metric {name!r} is already registered as {type(existing)}")
            return existing
        extra: dict[str, Any] = {}
        if kind is Histogram:
            extra["buckets"] = tuple(buckets or LATENCY_BUCKETS)
        return kind(name, documentation, labelnames, registry=registry, **extra)


EVENTS_CONSUMED: Final = get_or_create(
    Counter,
    "inson_events_consumed_total",
    "Events taken from Kafka by a consumer, by outcome.",
    ("service", "topic", "event_type", "outcome"),
)
EVENTS_PUBLISHED: Final = get_or_create(
    Counter,
    "inson_events_published_total",
    "Events published to Kafka (by the outbox relay).",
    ("service", "topic", "event_type"),
)
HANDLER_SECONDS: Final = get_or_create(
    Histogram,
    "inson_handler_seconds",
    "Time spent handling one consumed event.",
    ("service", "topic", "event_type"),
)
CONSUMER_LAG: Final = get_or_create(
    Gauge,
    "inson_consumer_lag",
    "Messages between the committed offset and the end of the partition.",
    ("service", "group", "topic", "partition"),
)
DEAD_LETTERS: Final = get_or_create(
    Counter,
    "inson_dead_letters_total",
    "Events sent to the dead-letter topic.",
    ("service", "topic", "reason"),
)
OUTBOX_PENDING: Final = get_or_create(
    Gauge,
    "inson_outbox_pending",
    "Outbox records not yet published.",
    ("service",),
)
HTTP_REQUESTS: Final = get_or_create(
    Counter,
    "inson_http_requests_total",
    "HTTP requests served, by route template and status.",
    ("service", "method", "route", "status"),
)
HTTP_REQUEST_SECONDS: Final = get_or_create(
    Histogram,
    "inson_http_request_seconds",
    "HTTP request duration, by route template.",
    ("service", "method", "route"),
)


@dataclass(frozen=True, slots=True)
class ServiceMetrics:
    """The shared metrics with the `service` label filled in; one per composition root."""

    service: str

    def consumed(self, topic: str, event_type: str, outcome: ConsumeOutcome) -> None:
        if outcome not in _OUTCOMES:
            # Unknown label values would silently split dashboards and alerts.
            raise ValueError(f"unknown consume outcome {outcome!r}")
        EVENTS_CONSUMED.labels(self.service, topic, event_type, outcome).inc()

    def published(self, topic: str, event_type: str, count: int = 1) -> None:
        EVENTS_PUBLISHED.labels(self.service, topic, event_type).inc(count)

    @contextmanager
    def handler_timer(self, topic: str, event_type: str) -> Iterator[None]:
        """Observe the handler duration, also when the handler raises."""
        started = time.perf_counter()
        try:
            yield
        finally:
            HANDLER_SECONDS.labels(self.service, topic, event_type).observe(
                time.perf_counter() - started
            )

    def dead_lettered(self, topic: str, reason: str) -> None:
        DEAD_LETTERS.labels(self.service, topic, reason).inc()

    def consumer_lag(self, group: str, topic: str, partition: int, lag: int) -> None:
        CONSUMER_LAG.labels(self.service, group, topic, str(partition)).set(max(lag, 0))

    def outbox_pending(self, count: int) -> None:
        OUTBOX_PENDING.labels(self.service).set(count)
