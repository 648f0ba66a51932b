"""Events about the platform itself rather than about a person's case."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from inson_contracts.events.base import REGISTRY, Event, personal
from inson_contracts.events.values import Actor, DistrictCode, Id, MahallaCode
from inson_contracts.topics import AUDIT, DEAD_LETTERS

# Why personal data was read: a word from a small vocabulary the caller names
# (X-Purpose), never free text, so it cannot carry personal data itself.
Purpose = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]{1,39}$")]


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


class PersonalDataRead(Event):
    """Somebody read a person's data through an API: the access audit.

    Recorded durably before the answer leaves the service; the topic is
    append-only and no API edits or deletes a record. Holds ids and field
    names, never the data that was read.
    """

    TYPE = "uz.inson.platform.personal_data.read.v1"
    TOPIC = AUDIT.name

    access_id: Id
    service: str = Field(min_length=1, max_length=32, description="The service that answered.")
    actor: Actor
    scope_district: DistrictCode | None = None
    scope_mahallas: list[MahallaCode] = Field(default_factory=list, max_length=500)
    scope_service_center: str | None = Field(default=None, max_length=64)
    scope_providers: list[str] = Field(
        default_factory=list, max_length=50, description="A provider operator's providers."
    )
    purpose: Purpose
    operation: str = Field(
        min_length=1,
        max_length=200,
        description="Method and route template, e.g. GET /v1/cases/{case_id}.",
    )
    case_ids: list[Id] = Field(min_length=1, max_length=1000, description="Whose data was read.")
    fields: list[str] = Field(
        min_length=1, max_length=100, description="Which fields were returned."
    )
    read_at: datetime


REGISTRY.register(EventDeadLettered, PersonalDataRead)
