"""The keys a person is known by, under which intake reserves them for a case.

One case per person: a PINFL is one person; without one, the same name spelled
the same up to script and case, with the same birth date, is taken for the
same person too. Looser likenesses are only suggested for a worker to confirm
(see ``names.names_match``).
"""

from __future__ import annotations

from datetime import date

from inson_contracts.events.values import PersonName

from intake.domain.names import spelling_key


def pinfl_key(pinfl: str) -> str:
    return f"pinfl:{pinfl}"


def name_birth_key(name: PersonName, birth_date: date) -> str:
    last, first = spelling_key(name.last_name), spelling_key(name.first_name)
    return f"name:{last}|{first}|{birth_date.isoformat()}"
