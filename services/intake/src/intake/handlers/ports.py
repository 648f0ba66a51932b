"""What intake's command handlers need besides the case repository.

- :class:`PersonIndex`: which case a person already belongs to. In a running
  service, identity reservations and the ``people`` read model in MongoDB
  (``adapters/people.py``).
- :class:`KeyShredder`: destroys a person's data key, which erases their
  personal data wherever it was copied (crypto-shredding). In a running
  service, the runtime's key store (``runtime.sealer.keys``).
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from inson_contracts.events.values import PersonName


class PersonIndex(Protocol):
    async def case_of(self, key: str, /) -> str | None:
        """The case that holds ``key`` (see ``domain.identity``), if any."""
        ...

    async def reserve(self, key: str, case_id: str, /) -> str:
        """Reserve ``key`` for ``case_id``; return the case that holds it now.

        Of two reservations of one key at once, one wins: the other gets the
        winner's case back, so two applications never open two cases.
        """
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
