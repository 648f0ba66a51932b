"""Helpers for the platform's tests.

- :mod:`inson_runtime.testing.memory`: an in-memory event store, outbox and
  journal, for unit tests of command handlers (no broker, no database);
- :mod:`inson_runtime.testing.views`: an in-memory database for a projection's
  batches (:class:`inson_runtime.viewbatch.ViewBatch`), counting round trips;
- :mod:`inson_runtime.testing.kafka`: helpers for tests that run against the
  real local Kafka and MongoDB-wire server (throw-away topics, reading
  topics, a service composed in process).
"""

from inson_runtime.testing.kafka import (
    create_test_topic,
    end_offsets,
    free_port,
    read_envelopes,
    running_service,
    sample_event_class,
    sample_registry,
    start_groups_at_end,
    wait_for,
)
from inson_runtime.testing.memory import (
    InMemoryEventStore,
    InMemoryJournal,
    InMemoryOutbox,
    MovableClock,
)
from inson_runtime.testing.views import InMemoryViewDatabase

__all__ = [
    "InMemoryEventStore",
    "InMemoryJournal",
    "InMemoryOutbox",
    "InMemoryViewDatabase",
    "MovableClock",
    "create_test_topic",
    "end_offsets",
    "free_port",
    "read_envelopes",
    "running_service",
    "sample_event_class",
    "sample_registry",
    "start_groups_at_end",
    "wait_for",
]
