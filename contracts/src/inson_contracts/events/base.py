"""The base of every event class, and the registry that maps ``type`` to class.

Naming convention for ``type``, held everywhere:
``uz.inson.<bounded context>.<entity>.<past-tense verb>.v<major>``
e.g. ``uz.inson.intake.application.submitted.v1``. A breaking change to an
event's data is a new class with a new major version; both stay registered
while consumers migrate.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from inson_contracts.errors import reasons

PERSONAL_DATA = "x-personal-data"


def personal(**kwargs: Any) -> Any:
    """A pydantic Field marked as personal data in the JSON schema.

    Masking in logs and crypto-shredding key on this mark, so every field that
    holds a person's data (PINFL, names, phone, address, health) must use it.
    """
    extra = dict(kwargs.pop("json_schema_extra", None) or {})
    extra[PERSONAL_DATA] = True
    return Field(json_schema_extra=extra, **kwargs)


class Event(BaseModel):
    """An immutable fact. Subclasses set TYPE and TOPIC and declare their data."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    TYPE: ClassVar[str]
    TOPIC: ClassVar[str]

    @classmethod
    def dataschema(cls) -> str:
        return f"urn:inson:schema:{cls.TYPE}"

    @classmethod
    def personal_fields(cls) -> frozenset[str]:
        return frozenset(
            name
            for name, info in cls.model_fields.items()
            if isinstance(info.json_schema_extra, dict)
            and info.json_schema_extra.get(PERSONAL_DATA) is True
        )


class UnknownEventType(LookupError):
    """The type is not registered here: maybe a newer producer, maybe garbage."""


class EventDataError(ValueError):
    """The data does not match the registered class for its type."""


class EventRegistry:
    def __init__(self) -> None:
        self._by_type: dict[str, type[Event]] = {}

    def register(self, *classes: type[Event]) -> None:
        for cls in classes:
            known = self._by_type.get(cls.TYPE)
            if known is not None and known is not cls:
                raise ValueError(f"event type {cls.TYPE} registered twice")
            self._by_type[cls.TYPE] = cls

    def __contains__(self, event_type: str) -> bool:
        return event_type in self._by_type

    def types(self) -> list[str]:
        return sorted(self._by_type)

    def class_for(self, event_type: str) -> type[Event]:
        try:
            return self._by_type[event_type]
        except KeyError:
            raise UnknownEventType(f"unknown event type {event_type!r}") from None

    def parse(self, event_type: str, data: dict[str, Any]) -> Event:
        cls = self.class_for(event_type)
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise EventDataError(f"{event_type}: {reasons(exc, root='data')}") from exc


# The one registry of the published language. Each events module registers its
# classes here when imported; ``inson_contracts.events`` imports them all.
REGISTRY = EventRegistry()
