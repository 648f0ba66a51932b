"""Value objects that several event types share: people, addresses, plan items.

``ProviderType`` is re-exported from the service catalogue, its one home.

Shape only: whether a district or service code exists is checked by the
service that decides, against the code lists in ``inson_contracts.codes``.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from inson_contracts.codes.service_model import ProviderType
from inson_contracts.events.base import personal

# JShShIR / PINFL: the 14-digit personal identification number.
Pinfl = Annotated[str, StringConstraints(pattern=r"^[0-9]{14}$")]
RegionCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
DistrictCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{7}$")]
MahallaCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{7}[0-9]{3,4}$")]
ServiceCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,6}-[0-9]{2}$")]
ActorId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_:-]+$")]
Note = Annotated[str, StringConstraints(max_length=2000)]


class Value(BaseModel):
    # Tolerant of added optional fields, as ``Event`` is.
    model_config = ConfigDict(frozen=True, extra="ignore")


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class Relation(StrEnum):
    """How a household member relates to the applicant."""

    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    SIBLING = "sibling"
    GRANDCHILD = "grandchild"
    GRANDPARENT = "grandparent"
    OTHER_RELATIVE = "other_relative"
    GUARDIAN = "guardian"
    WARD = "ward"
    OTHER = "other"


class PersonName(Value):
    # Names come in the script the person uses: Latin or Cyrillic.
    last_name: str = personal(min_length=1, max_length=80)
    first_name: str = personal(min_length=1, max_length=80)
    patronymic: str | None = personal(default=None, max_length=80)


class Address(Value):
    region: RegionCode
    district: DistrictCode
    mahalla: MahallaCode
    street: str | None = personal(default=None, max_length=200)
    house: str | None = personal(default=None, max_length=20)
    apartment: str | None = personal(default=None, max_length=20)


class HouseholdMember(Value):
    relation: Relation
    name: PersonName
    birth_date: date = personal()
    sex: Sex | None = personal(default=None)
    pinfl: Pinfl | None = personal(default=None)


class Actor(Value):
    """Who did it, as the token said: a staff id and role, never a citizen."""

    id: ActorId
    role: str = Field(min_length=1, max_length=32)


class Priority(StrEnum):
    ROUTINE = "routine"
    URGENT = "urgent"
    EMERGENCY = "emergency"


# An assessed need, as the assessment's versioned rules name it (``mobility``,
# ``personal_care``, ...): snake case, so a partner can read it in a log.
NeedCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$")]


class PlanItem(Value):
    """One service or kind of assistance in an individual plan."""

    item_id: Id
    service_code: ServiceCode
    provider_type: ProviderType
    priority: Priority = Priority.ROUTINE
    due_by: date | None = None
    goal: Note | None = personal(default=None)
    needs: list[NeedCode] = Field(
        default_factory=list,
        max_length=10,
        description="The assessed needs this item answers (the assessment's need codes); "
        "empty for items a worker added by hand and for plans drafted before needs were named.",
    )
    provider: str | None = Field(
        default=None,
        max_length=64,
        pattern=r"^[a-z0-9][a-z0-9-]{1,63}$",
        description="A chosen provider of the item's provider type (its directory code); "
        "absent: the default provider for the person's district.",
    )
