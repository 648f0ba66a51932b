"""What a provider learns about the person it serves, and when the address is part of it (pure).

A provider acting on a referral needs to know whom to expect: the applicant's
name and birth date, and, for a service delivered where the person lives,
their address. Intake publishes them sealed; referral keeps them sealed
(:class:`SealedApplicant`) and opens them only at an audited read, where
:func:`person_from` takes these fields, and no others, out of the opened data.

Delivered at home: the whole home-care category (care at home, patronage
nursing, hot meals brought home; its day-care and residential services too,
whose staff fetch or admit the person from home), and the services of other
categories whose staff go to the person: a personal assistant, a social taxi,
adapting or repairing the home, a family doctor's home visit, palliative care
and schooling at home.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.service_model import ServiceCategory
from inson_contracts.codes.services import service
from inson_contracts.personal import SEALED

AT_HOME_CATEGORIES = frozenset({ServiceCategory.HOME_CARE})
AT_HOME_SERVICES = frozenset(
    {"DIS-01", "DIS-05", "DIS-06", "HOUSE-05", "HLTH-03", "HLTH-05", "EDU-04"}
)


def delivered_at_home(service_code: str) -> bool:
    """Whether the provider needs the person's address to deliver this service."""
    if service_code in AT_HOME_SERVICES:
        return True
    try:
        return service(service_code).category in AT_HOME_CATEGORIES
    except UnknownCode:
        return False


@dataclass(frozen=True)
class SealedApplicant:
    """A case's applicant as intake's application event carried them on the wire:
    the event type (bound into the ciphertext) and the data, the personal fields
    still inside its ``sealed`` member."""

    event_type: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Name:
    last_name: str | None = None
    first_name: str | None = None
    patronymic: str | None = None


@dataclass(frozen=True)
class HomeAddress:
    region: str | None = None
    district: str | None = None
    mahalla: str | None = None
    street: str | None = None
    house: str | None = None
    apartment: str | None = None


@dataclass(frozen=True)
class Person:
    """What a referral's provider may see of the person; None where nothing is known
    (an erased person, or a case whose application referral has not read)."""

    name: Name | None = None
    birth_date: date | None = None
    address: HomeAddress | None = None


def person_from(opened: dict[str, Any], *, with_address: bool) -> Person:
    """The name, birth date and (``with_address``) address out of an opened application.

    Data that did not open (the person's key was destroyed) still carries its
    ``sealed`` member, marked erased: then nothing is known of the person.
    """
    if SEALED in opened:
        return Person()
    applicant = _dict(opened.get("applicant"))
    names = _dict(applicant.get("name"))
    name = Name(**{k: _text(names.get(k)) for k in ("last_name", "first_name", "patronymic")})
    born = applicant.get("birth_date")
    birth_date = date.fromisoformat(born) if isinstance(born, str) else None
    address = None
    if with_address:
        found = _dict(opened.get("address"))
        fields = ("region", "district", "mahalla", "street", "house", "apartment")
        address = HomeAddress(**{k: _text(found.get(k)) for k in fields})
    return Person(
        name=name if any(vars(name).values()) else None, birth_date=birth_date, address=address
    )


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
