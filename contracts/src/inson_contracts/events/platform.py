"""Events about the platform itself rather than about a person's case."""

from __future__ import annotations

from pydantic import Field

from inson_contracts.events.base import REGISTRY, Event, personal
from inson_contracts.topics import DEAD_LETTERS


class EventDeadLettered(Event):
    """A consumer could not process a record and set it aside with the reason.

    The original record is kept whole so it can be fixed and replayed; it may
    hold personal data, hence the mark.
    """

    TYPE = "uz.inson.platform.event.deadlettered.v1"
    TOPIC = DEAD_LETTERS.name

    consumer_group: str
    reason: str = Field(description="Why the record could not be processed.")
    error_class: str
    original_topic: str
    original_partition: int
    original_offset: int
    original_key: str | None = None
    original_event_id: str | None = None
    original_event_type: str | None = None
    original_headers: dict[str, str] = personal(default_factory=dict)
    original_value: str | None = personal(
        default=None, description="The record's value, as UTF-8 text or base64."
    )
    original_value_encoding: str = "utf-8"


REGISTRY.register(EventDeadLettered)
