"""Every event type of the published language, registered in ``REGISTRY``."""

from inson_contracts.events import platform
from inson_contracts.events.base import (
    PERSONAL_DATA,
    REGISTRY,
    Event,
    EventDataError,
    EventRegistry,
    UnknownEventType,
    personal,
)
from inson_contracts.events.platform import EventDeadLettered

__all__ = [
    "PERSONAL_DATA",
    "REGISTRY",
    "Event",
    "EventDataError",
    "EventDeadLettered",
    "EventRegistry",
    "UnknownEventType",
    "personal",
    "platform",
]
