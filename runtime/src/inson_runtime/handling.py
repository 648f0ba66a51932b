"""What a consumer's handlers are: their types, the class check, the exceptions they raise.

Shared by :mod:`inson_runtime.consumer` (policies) and
:mod:`inson_runtime.projections` (read models).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol, TypeVar

from inson_contracts.envelope import Envelope
from inson_contracts.events import Event

Handler = Callable[[Event, Envelope], Awaitable[None]]
E = TypeVar("E", bound=Event)
E2 = TypeVar("E2", bound=Event)
# A handler of one event class: registered with ``on(ThatClass)``, it is
# called with instances of that class only.
HandlerOf = Callable[[E, Envelope], Awaitable[None]]


class Unprocessable(Exception):
    """Raised by a handler for an event it can never apply: dead-letter it now."""


class BatchAborted(Exception):
    """The writes a batch's handlers share could not be made: handle it record by record."""


class BatchScope(Protocol):
    """What the handlers of one batch share (a projection's staged writes)."""

    def lane(self) -> AbstractAsyncContextManager[None]:
        """Entered by each lane while it runs."""
        ...

    async def finish(self) -> None:
        """Make what the handlers left; outages propagate, anything else is BatchAborted."""
        ...


def for_class(
    event_classes: Sequence[type[Event]], handler: Callable[..., Awaitable[None]]
) -> Callable[..., Awaitable[None]]:
    """``handler``, refusing an event of any other class than it was registered for.

    The registry parses a type to its registered class (or that class's
    erasable form, a subclass), so this never fires in a correct setup; it
    keeps a miswired handler from running on the wrong data, even under
    ``python -O``, where asserts vanish.
    """
    accepted = tuple(event_classes)

    async def checked(event: Event, envelope: Envelope, *context: Any) -> None:
        if not isinstance(event, accepted):
            names = ", ".join(c.__name__ for c in accepted)
            raise Unprocessable(f"{envelope.type} read as {type(event).__name__}, not {names}")
        await handler(event, envelope, *context)

    return checked
