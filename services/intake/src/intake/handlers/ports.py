"""What intake's command handlers need besides the case repository.

- :class:`PersonIndex`: which case a person already belongs to. In a running
  service, identity reservations and the ``people`` read model in MongoDB
  (``adapters/people.py``).
- :class:`KeyShredder`: destroys a person's data key, which erases their
  personal data wherever it was copied (crypto-shredding). In a running
  service, the runtime's key store (``runtime.sealer.keys``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from inson_contracts.events.values import PersonName

from intake.domain.identity import Reservation


class PersonIndex(Protocol):
    async def reservations(self, keys: Sequence[str], /) -> dict[str, Reservation]:
        """The current reservation (latest generation) of each of ``keys`` that has one."""
        ...

    async def reserve(self, reservation: Reservation, /) -> Reservation:
        """Insert ``reservation`` unless its key has that generation already.

        Returns the reservation that holds the generation now: of two
        requests reserving the same generation at once, exactly one gets
        its own back (the store's unique ``_id`` settles it).
        """
        ...

    async def settle(self, reservation: Reservation, /) -> None:
        """Mark that the reservation's case has been written (only its writer does)."""
        ...

    async def forget(self, case_id: str, /) -> int:
        """Drop every key of the case (part of an erasure); how many there were."""
        ...

    async def likely_case(self, name: PersonName, birth_date: date, /) -> str | None:
        """A case with someone of this birth date and a similar name, if any."""
        ...


class KeyShredder(Protocol):
    async def erase(self, case_id: str, /, *, reason: str, erased_by: str) -> bool:
        """Destroy the key of the case's person for good; False if it was gone already."""
        ...
