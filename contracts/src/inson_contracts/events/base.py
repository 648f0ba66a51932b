"""The base of every event class, and the registry that maps ``type`` to class.

Naming convention for ``type``, held everywhere:
``uz.inson.<bounded context>.<entity>.<past-tense verb>.v<major>``
e.g. ``uz.inson.intake.application.submitted.v1``. A breaking change to an
event's data is a new class with a new major version; both stay registered
while consumers migrate, or the old one is upcast to the new (``register_upcaster``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from inson_contracts.errors import reasons
from inson_contracts.personal import PERSONAL_DATA, SEALED, erasable


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

    # A tolerant reader: within a major version producers may add optional
    # fields, and a partner on an older release of this package must still
    # read the event (the unknown field is dropped, never an error). The
    # compatibility gate keeps every other change out of a version.
    model_config = ConfigDict(frozen=True, extra="ignore")

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


Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class EventRegistry:
    """Maps ``type`` to class, and older types to the class they upcast to.

    Topics keep events forever, so a consumer built against v3 still meets v1
    and v2 records when it replays. An upcaster turns the old data into the next
    version's data; ``parse`` follows the chain to the newest class, so handlers
    only ever see the current model and nothing old is dead-lettered.
    """

    def __init__(self) -> None:
        self._by_type: dict[str, type[Event]] = {}
        self._upcasters: dict[str, tuple[str, Upcaster]] = {}

    def register(self, *classes: type[Event]) -> None:
        for cls in classes:
            known = self._by_type.get(cls.TYPE)
            if known is not None and known is not cls:
                raise ValueError(f"event type {cls.TYPE} registered twice")
            self._by_type[cls.TYPE] = cls

    def register_upcaster(
        self, old_type: str | type[Event], new_class: type[Event], fn: Upcaster
    ) -> None:
        """Read ``old_type`` records as ``new_class``: ``fn`` maps old data to new data.

        Pass the old *class* instead of its type string to have old data
        validated by it before ``fn`` runs (and to keep its schema published);
        with a bare string ``fn`` receives the data as it came off the wire.
        """
        old_class = None if isinstance(old_type, str) else old_type
        old = old_type if isinstance(old_type, str) else old_type.TYPE
        if old in self._upcasters:
            raise ValueError(f"{old} already has an upcaster")
        step: str | None = new_class.TYPE
        while step is not None:
            if step == old:
                raise ValueError(f"upcasting {old} to {new_class.TYPE} would loop")
            step = self._upcasters[step][0] if step in self._upcasters else None
        self.register(new_class, *([old_class] if old_class else []))
        self._upcasters[old] = (new_class.TYPE, fn)

    def __contains__(self, event_type: object) -> bool:
        return event_type in self._by_type or event_type in self._upcasters

    def types(self) -> list[str]:
        """Types with a registered class (each has a published schema)."""
        return sorted(self._by_type)

    def classes(self) -> list[type[Event]]:
        """Every registered class, including old versions kept for their schema."""
        return [self._by_type[t] for t in self.types()]

    def upcastable_types(self) -> list[str]:
        return sorted(self._upcasters)

    def current_type(self, event_type: str) -> str:
        """The type a record of ``event_type`` is read as, after upcasting."""
        if event_type not in self:
            raise UnknownEventType(f"unknown event type {event_type!r}")
        while event_type in self._upcasters:
            event_type = self._upcasters[event_type][0]
        return event_type

    def class_for(self, event_type: str) -> type[Event]:
        """The class ``parse`` returns for ``event_type`` (the newest, for old types)."""
        return self._by_type[self.current_type(event_type)]

    def parse(self, event_type: str, data: dict[str, Any]) -> Event:
        self.current_type(event_type)  # raises UnknownEventType first
        while event_type in self._upcasters:
            old_class = self._by_type.get(event_type)
            if old_class is not None:
                data = self._validate(old_class, event_type, data).model_dump(mode="json")
            new_type, fn = self._upcasters[event_type]
            try:
                data = fn(dict(data))
            except (KeyError, TypeError, ValueError) as exc:
                raise EventDataError(
                    f"{event_type}: cannot upcast to {new_type}: {type(exc).__name__}: {exc}"
                ) from exc
            event_type = new_type
        return self._validate(self._by_type[event_type], event_type, data)

    @staticmethod
    def _validate(cls: type[Event], event_type: str, data: dict[str, Any]) -> Event:
        # Sealed data whose personal part was not opened (no key, or the
        # person was erased) reads with its personal fields None: the rest of
        # the event is valid and must not be dead-lettered.
        if isinstance(data.get(SEALED), dict):
            data = {k: v for k, v in data.items() if k != SEALED}
            cls = erasable(cls)  # type: ignore[assignment]
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise EventDataError(f"{event_type}: {reasons(exc, root='data')}") from exc


# The one registry of the published language. Each events module registers its
# classes here when imported; ``inson_contracts.events`` imports them all.
REGISTRY = EventRegistry()
