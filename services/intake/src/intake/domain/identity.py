"""The keys a person is known by, under which intake reserves them for a case.

One case per person: a PINFL is one person; without one, the same name spelled
the same up to script and case, with the same birth date, is taken for the
same person too. Looser likenesses are only suggested for a worker to confirm
(see ``names.names_match``).

A key is reserved in *generations*: the first reservation is generation 0,
and a reservation is only ever replaced by inserting the next generation,
never by changing one in place. The store settles a race only for inserts
(a unique ``_id``; FerretDB has no transactions and applies a conditional
update as a read followed by a write), so every decision that two requests
could make at once is an insert of the same generation: one wins. A key's
current reservation is its latest generation. How a reservation stands
(:func:`standing`) depends on whether its case is in the event store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from inson_contracts.events.values import PersonName

from intake.domain.names import spelling_key

# How long a reservation whose case is not written yet counts as being
# written. Nobody takes a key over before this has passed, and the request
# that reserved it starts writing its case only within half of it
# (``Reservation.fresh``): the two never overlap while the clocks of two
# instances differ, plus the time one write takes, by less than half of it.
LEASE = timedelta(seconds=30)


def pinfl_key(pinfl: str) -> str:
    return f"pinfl:{pinfl}"


def name_birth_key(name: PersonName, birth_date: date) -> str:
    last, first = spelling_key(name.last_name), spelling_key(name.first_name)
    return f"name:{last}|{first}|{birth_date.isoformat()}"


def person_keys(name: PersonName, birth_date: date, pinfl: str | None) -> tuple[str, ...]:
    """An applicant's keys in the order they are reserved: name and birth date first.

    Every application has the name key, with a PINFL or without, so two
    applications for one person, one with a PINFL and one without, meet on
    it before either reserves anything else: the one that loses it joins the
    winner's case instead of opening a second.
    """
    name_key = name_birth_key(name, birth_date)
    return (name_key, pinfl_key(pinfl)) if pinfl else (name_key,)


def key_kind(key: str) -> str:
    """``pinfl`` or ``name``: what a log may say about a key (the key itself is personal)."""
    return key.partition(":")[0]


@dataclass(frozen=True)
class Reservation:
    """One generation of a key, reserved for a case."""

    key: str
    generation: int
    case_id: str
    # None: made before reservations were timed (their cases were written).
    reserved_at: datetime | None = None
    # Its case has been written (set by the request that wrote it).
    settled: bool = True

    def successor(self, case_id: str, at: datetime, *, settled: bool = False) -> Reservation:
        """The next generation of the key, for ``case_id``."""
        return Reservation(self.key, self.generation + 1, case_id, at, settled)

    def fresh(self, now: datetime) -> bool:
        """Young enough for its request to write its case now (see ``LEASE``)."""
        return self.reserved_at is not None and now - self.reserved_at < LEASE / 2


def first_reservation(
    key: str, case_id: str, at: datetime, *, settled: bool = False
) -> Reservation:
    return Reservation(key, 0, case_id, at, settled)


class Standing(StrEnum):
    # Its case is in the event store: the person's case.
    HELD = "held"
    # Reserved moments ago for a case being written: wait for it.
    IN_FLIGHT = "in_flight"
    # Its case is not in the store and will not be: the request crashed
    # before writing it, or the store lost it (a dropped database). No match;
    # the next generation may be reserved.
    LOST = "lost"


def standing(reservation: Reservation, *, case_written: bool, now: datetime) -> Standing:
    if case_written:
        return Standing.HELD
    if reservation.settled or reservation.reserved_at is None:
        return Standing.LOST  # written once, and the store no longer has it
    if now - reservation.reserved_at < LEASE:
        return Standing.IN_FLIGHT
    return Standing.LOST
